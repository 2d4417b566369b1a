"""Below the SDK: `CachingTransport` (an httpx2 transport) keys a chat completion request by the
hash of its canonical JSON body, serves a recorded answer from the store or from `fixtures/`, and
sends only a miss to the real transport (a remote server, or the embedded model started on first
use); the `replay` provider has none, so a miss fails loudly. A miss that waits in a Batch API
batch (briefing.llm.batch) is not sent: its answer comes with the batch. A request's total time
is bounded here too, so that the SDK's retries cannot stretch it past `request_deadline`.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx2

from briefing.errors import BatchPending, ReplayMiss
from briefing.llm.claims import claim
from briefing.llm.fixtures import load_fixture, request_key
from briefing.llm.prefix import PrefixCache
from briefing.store.database import CachedCall, Store

CACHE_HEADER = "x-brief-cache"
# Sent by the client to skip the cached answer and ask the model again (`--retry-failed`).
REFRESH_HEADER = "x-brief-refresh"
# Sent by the client with the key of a request it looked up in the cache and did not find: the
# key is taken as it is, and the cache is looked in again only once the request is claimed.
LOOKED_HEADER = "x-brief-looked"
# On the answer the transport makes up when a request's total time is spent (see `THREAD_DEADLINE`).
DEADLINE_HEADER = "x-brief-deadline"
# When the model request running in this thread must be over (time.monotonic()), or None. Set by
# ModelClient around each request; read below the SDK, so that the SDK's retries cannot stretch
# one request past it: a hung server would otherwise cost `timeout` times every attempt.
THREAD_DEADLINE = threading.local()
_KEPT_HEADERS = (
    "content-type",
    "retry-after",
    "retry-after-ms",
    "x-request-id",
    "x-should-retry",
    DEADLINE_HEADER,
)


class CachingTransport(httpx2.BaseTransport):
    """Serve chat completions from the cache; send only misses to `inner` and keep the answer."""

    def __init__(
        self,
        store: Store,
        inner: httpx2.BaseTransport | None,
        fixtures_dir: Path | None = None,
        claims_dir: Path | None = None,
    ) -> None:
        self.store = store
        self.inner = inner
        self.fixtures_dir = fixtures_dir
        self.claims_dir = claims_dir  # None: no claims (see briefing.llm.claims)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            return self._forward(request)
        body = json.loads(request.read())
        looked = request.headers.pop(LOOKED_HEADER, None)
        key = looked or request_key(body)
        # A refresh replaces a bad cached answer; with no model to ask (replay) it cannot.
        refresh = request.headers.pop(REFRESH_HEADER, None) is not None and self.inner is not None
        cached = None if refresh or looked else self.recorded(key)
        if cached is not None:
            return _hit(cached, key)
        in_batch = self.store.batch_holding(key)
        if in_batch is not None:  # asked in a batch already: asking it live too would pay twice
            raise BatchPending(
                f"waiting in batch {in_batch.name} (Batch API): `brief extract --batch` takes its"
                " answers once it is done"
            )
        if self.inner is None:
            raise ReplayMiss(
                f"no recorded model answer for request {key[:16]} (model {body.get('model')}): "
                "record it with `python -m briefing.recording record` on the local model, "
                "or choose another provider"
            )
        # Another run may be asking the same thing right now: wait for it, then use its answer.
        with claim(self.claims_dir, key, getattr(THREAD_DEADLINE, "until", None)) as held:
            if not held:
                return _spent(key)  # the other run took all of this request's time
            cached = None if refresh else self.store.get_call(key)
            if cached is not None:
                return _hit(cached, key)
            return self._ask_model(request, body, key)

    def recorded(self, key: str) -> CachedCall | None:
        """The answer the store holds for the request keyed `key`, else the recorded fixture's,
        else None."""
        cached = self.store.get_call(key)
        if cached is None and self.fixtures_dir is not None:
            cached = load_fixture(self.fixtures_dir, key)
        return cached

    def _ask_model(
        self, request: httpx2.Request, body: dict[str, Any], key: str
    ) -> httpx2.Response:
        """Send a request the cache did not answer; keep the answer when it is a completion."""
        started = time.monotonic()
        response = self._within_deadline(request, key)
        content = response.read()
        latency = time.monotonic() - started
        headers = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
        headers[CACHE_HEADER] = "miss"
        headers["x-brief-key"] = key
        if response.status_code == 200:
            try:
                answer = json.loads(content)
            except ValueError:
                answer = None
            if is_completion(answer):
                self.store.put_call(CachedCall.answered(key, body, answer, latency))
        return httpx2.Response(response.status_code, headers=headers, content=content)

    def _within_deadline(self, request: httpx2.Request, key: str) -> httpx2.Response:
        """Send to the real transport, each wait cut to what is left of the request's time.
        Once it is spent, answer for the server: HTTP 408 that tells the SDK not to retry."""
        assert self.inner is not None
        until: float | None = getattr(THREAD_DEADLINE, "until", None)
        if until is None:
            return self.inner.handle_request(request)
        left = until - time.monotonic()
        if left <= 0:
            return _spent(key)
        waits = request.extensions.get("timeout")
        if isinstance(waits, dict):
            for name, wait in waits.items():
                if wait is None or wait > left:
                    waits[name] = left
        try:
            return self.inner.handle_request(request)
        except httpx2.TimeoutException:
            if time.monotonic() >= until - 0.05:  # it was the request's time that ran out
                return _spent(key)
            raise

    def _forward(self, request: httpx2.Request) -> httpx2.Response:
        if self.inner is None:
            raise ReplayMiss(
                f"the replay provider only answers chat completions, not {request.url}"
            )
        return self.inner.handle_request(request)

    def close(self) -> None:
        if self.inner is not None:
            self.inner.close()


class LocalTransport(httpx2.BaseTransport):
    """Forward to the embedded model, starting it on the first request that needs it, so a run
    served entirely from the cache never loads the weights."""

    def __init__(self, model_path: str | None) -> None:
        self.model_path = model_path
        self._inner = httpx2.HTTPTransport()
        self._address: httpx2.URL | None = None
        self._prefixes: PrefixCache | None = None
        self._lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        with self._lock:
            if self._address is None:
                from briefing.llm.local import prefix_dir, shared_local_model

                model = shared_local_model(self.model_path)
                self._address = httpx2.URL(model.base_url)
                if model.n_ctx:
                    self._prefixes = PrefixCache(
                        model.address, model.path, model.n_ctx, prefix_dir()
                    )
        request.url = request.url.copy_with(
            scheme=self._address.scheme, host=self._address.host, port=self._address.port
        )
        request.headers["host"] = f"{self._address.host}:{self._address.port}"
        key = self._prefixes.key(request.read()) if self._prefixes else None
        if self._prefixes and key:
            self._prefixes.before(key)
        response = self._inner.handle_request(request)
        if self._prefixes and key and response.status_code == 200:
            response.read()  # the answer is complete: the slot holds the whole prompt
            self._prefixes.after(key)
        return response

    def close(self) -> None:
        self._inner.close()


def _hit(cached: CachedCall, key: str) -> httpx2.Response:
    return httpx2.Response(
        200, json=cached.response, headers={CACHE_HEADER: "hit", "x-brief-key": key}
    )


def _spent(key: str) -> httpx2.Response:
    """What the transport answers for the server once a request's time is spent: HTTP 408 that
    tells the SDK not to retry, marked so that the client names `request_deadline`."""
    return httpx2.Response(
        408,
        headers={"x-should-retry": "false", DEADLINE_HEADER: "1", "x-brief-key": key},
        json={"error": {"message": "the request's time is spent"}},
    )


def is_completion(body: object) -> bool:
    """Whether a decoded body is a chat completion with a message: the only kind kept."""
    if not isinstance(body, dict):
        return False
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return False
    return isinstance(choices[0].get("message"), dict)
