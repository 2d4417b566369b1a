"""The OpenAI Batch API, for days that can wait (half the price at OpenAI).

The requests a batch carries are the live ones, byte for byte: a run goes through the usual
client with `Collector` below the cache in place of the model, so each request is built exactly
as it would be sent, the cache answers what it holds, and the collector keeps each miss
(keyed by its cache key) instead of sending it. Those become the lines of a JSONL file, each
with the cache key as its `custom_id`; the file is uploaded (purpose "batch") and a batch
created on it (24 h window). Its answers later go into the same call cache under the same keys,
so everything downstream reads them as it reads live answers.

Nothing is paid twice and nothing is lost (the table in briefing.store.batches keeps the state):
a batch is recorded before its file is uploaded; a request that waits in a batch is neither
batched again nor asked live (see briefing.llm.transport); a request whose answer did not come
back (failed, expired, cancelled, a line missing or malformed) is pending again and goes into
the next batch. A batch is created without retries, since a retried create could start it
twice; one whose creation went unanswered is found again by its metadata.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final

import httpx2
import openai

from briefing.errors import BatchPending, ModelError, ModelUnavailable
from briefing.llm.batch_results import Results, read_results, summary
from briefing.llm.fixtures import request_key
from briefing.store.batches import StoredBatch
from briefing.store.database import Store
from briefing.text.words import plural

ENDPOINT: Final = "/v1/chat/completions"
WINDOW: Final = "24h"
# The provider's states of a batch that is still working; any other is final.
RUNNING = frozenset({"validating", "in_progress", "finalizing", "cancelling"})
# What one batch may hold (the API's limits: 50,000 requests, a 200 MB file).
MAX_REQUESTS = 50_000
MAX_BYTES = 190_000_000
METADATA_KEY = "brief_batch"  # brief's own id of a batch, sent as its metadata


class Collector(httpx2.BaseTransport):
    """Below the cache, in place of the model: keeps each chat completion the cache could not
    answer and answers it with BatchPending (its article stays pending); sends anything else
    (the files and batches endpoints) to `inner`."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner
        self.requests: dict[str, dict[str, Any]] = {}  # cache key -> request body
        self._lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method == "POST" and request.url.path.endswith("/chat/completions"):
            body = json.loads(request.read())
            with self._lock:
                self.requests.setdefault(request_key(body), body)
            raise BatchPending("queued for the next batch (Batch API)")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def batch_line(key: str, body: Mapping[str, Any]) -> bytes:
    """One request as a line of a batch input file."""
    line = {"custom_id": key, "method": "POST", "url": ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _parts(requests: Mapping[str, dict[str, Any]]) -> Iterator[dict[str, dict[str, Any]]]:
    """The requests in batches within the API's limits, in key order."""
    part: dict[str, dict[str, Any]] = {}
    size = 0
    for key in sorted(requests):
        line = len(batch_line(key, requests[key]))
        if part and (len(part) >= MAX_REQUESTS or size + line > MAX_BYTES):
            yield part
            part, size = {}, 0
        part[key] = requests[key]
        size += line
    if part:
        yield part


@dataclass
class BatchNews:
    """What a look at the batches said: one line each, and the problems among them."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def problem(self, line: str) -> None:
        self.lines.append(line)
        self.problems.append(line)


@contextmanager
def _api(what: str, where: str) -> Iterator[None]:
    """The SDK's failures on the files and batches endpoints as one-line ModelErrors."""
    try:
        yield
    except openai.AuthenticationError as exc:
        raise ModelError(
            f"{what}: the API key was refused: check OPENAI_API_KEY (read from the environment)"
        ) from exc
    except openai.APIStatusError as exc:
        hint = (
            ": the server has no Batch API; run without --batch (or set batch = false)"
            if exc.status_code in (404, 405, 501)
            else ""
        )
        message = " ".join(str(exc.message).split())[:200]
        raise ModelUnavailable(
            f"{what}: {where} answered HTTP {exc.status_code} ({message}){hint}"
        ) from exc
    except (openai.APIConnectionError, openai.APITimeoutError) as exc:
        cause = " ".join(str(exc.__cause__ or exc).split())[:120] or type(exc).__name__
        raise ModelUnavailable(f"{what}: no answer from {where} ({cause})") from exc


def submit(
    api: openai.OpenAI, store: Store, requests: Mapping[str, dict[str, Any]], news: BatchNews
) -> list[StoredBatch]:
    """Send the requests in as few batches as the limits allow, each recorded before its file
    is uploaded. Requests cached or in flight meanwhile are left out."""
    fresh = {
        key: body
        for key, body in requests.items()
        if store.get_call(key) is None and store.batch_holding(key) is None
    }
    sent = []
    for part in _parts(fresh):
        batch_id = f"brief-{uuid.uuid4().hex[:16]}"
        store.record_batch(batch_id, str(api.base_url), part)
        created = _create(api, store, batch_id, part, news)
        if created is not None:
            sent.append(created)
            news.lines.append(
                f"batch {created.name} submitted: {plural(created.requests, 'request')};"
                " run `brief extract --batch` again to take its answers (within 24 h)"
            )
    return sent


def _create(
    api: openai.OpenAI,
    store: Store,
    batch_id: str,
    part: Mapping[str, dict[str, Any]],
    news: BatchNews,
) -> StoredBatch | None:
    where = str(api.base_url)
    data = b"".join(batch_line(key, body) for key, body in part.items())
    try:
        with _api("uploading the batch file", where):
            uploaded = api.files.create(
                file=(f"{batch_id}.jsonl", data, "application/jsonl"), purpose="batch"
            )
    except ModelError as exc:  # no batch without its file: the requests are pending again
        store.settle_batch(batch_id, "not submitted", [], dict.fromkeys(part, str(exc)))
        news.problem(f"{exc}; {plural(len(part), 'request')} stay pending")
        return None
    try:
        with _api("creating the batch", where):
            created = api.with_options(max_retries=0).batches.create(
                input_file_id=uploaded.id,
                endpoint=ENDPOINT,
                completion_window=WINDOW,
                metadata={METADATA_KEY: batch_id},
            )
    except ModelError as exc:
        if isinstance(exc.__cause__, openai.APIStatusError):  # refused: no batch exists
            store.settle_batch(batch_id, "not submitted", [], dict.fromkeys(part, str(exc)))
            news.problem(f"{exc}; {plural(len(part), 'request')} stay pending")
        else:  # it may exist all the same: the next look asks the server by its metadata
            news.problem(
                f"{exc}: whether batch {batch_id} was created is not known; the next"
                " `brief extract --batch` asks the server, and submits only what it lacks"
            )
        return None
    store.batch_sent(batch_id, created.id, uploaded.id, created.status)
    return store.batch(batch_id)


def poll(api: openai.OpenAI, store: Store, news: BatchNews) -> None:
    """Look at every batch in flight: take the answers of those that ended into the cache,
    their other requests pending again; those still working stay as they are."""
    for batch in store.batches_in_flight():
        try:
            _poll_one(api, store, batch, news)
        except ModelError as exc:  # this batch stays in flight; the next look tries again
            news.problem(f"batch {batch.name}: {exc}; it stays in flight: run again later")


def _poll_one(api: openai.OpenAI, store: Store, batch: StoredBatch, news: BatchNews) -> None:
    where = str(api.base_url)
    if batch.base_url != where:  # another server would not know it, and its answers are paid
        news.problem(
            f"batch {batch.name} went to {batch.base_url}, not to {where}: set OPENAI_BASE_URL"
            " back to take its answers (its requests stay held until then)"
        )
        return
    remote = None
    if batch.remote_id is None:
        with _api(f"looking for batch {batch.id}", where):
            remote = _find_created(api, batch.id)
        if remote is None:
            store.settle_batch(batch.id, "never created", [], {}, "the server does not know it")
            news.lines.append(
                f"batch {batch.id} was never created: its {plural(batch.requests, 'request')}"
                " are pending again"
            )
            return
        store.batch_sent(batch.id, remote.id, remote.input_file_id, remote.status)
        batch = store.batch(batch.id) or batch
    else:
        with _api(f"asking about batch {batch.name}", where):
            try:
                remote = api.batches.retrieve(batch.remote_id)
            except openai.NotFoundError:  # the provider has no such batch: nothing to pay
                remote = None
        if remote is None:
            store.settle_batch(batch.id, "not found", [], {}, "the server does not know it")
            news.problem(
                f"batch {batch.name}: the server does not know it (HTTP 404); its"
                f" {plural(batch.requests, 'request')} are pending again"
            )
            return
    if remote.status in RUNNING:
        counts = remote.request_counts
        done = f", {counts.completed + counts.failed} of {counts.total} done" if counts else ""
        store.batch_seen(batch.id, remote.status, None)
        news.lines.append(f"batch {batch.name}: {remote.status.replace('_', ' ')}{done}")
        return
    _settle(api, store, batch, remote, news)


def _find_created(api: openai.OpenAI, batch_id: str) -> Any:
    """The provider's batch that brief recorded as `batch_id`, or None (the newest 100)."""
    for remote in api.batches.list(limit=100).data:
        if (remote.metadata or {}).get(METADATA_KEY) == batch_id:
            return remote
    return None


def _settle(
    api: openai.OpenAI, store: Store, batch: StoredBatch, remote: Any, news: BatchNews
) -> None:
    """Take a finished batch's answers into the cache; its other requests pending again."""
    waiting = store.waiting_requests(batch.id)
    results = Results()
    for name, file_id in (("output", remote.output_file_id), ("error", remote.error_file_id)):
        if file_id:
            with _api(f"downloading the {name} file of batch {batch.name}", str(api.base_url)):
                text = api.files.content(file_id).text
            read_results(text, name, waiting, results)
    missing = f"no answer came back (the batch {remote.status.replace('_', ' ')}"
    errors = getattr(remote.errors, "data", None) or []
    if errors and getattr(errors[0], "message", None):
        missing += f": {' '.join(str(errors[0].message).split())[:120]}"
    returned = dict(results.failed)
    for key in waiting:
        if key not in results.answers and key not in returned:
            returned[key] = missing + ")"
    note = "; ".join(results.problems[:3]) or None
    store.settle_batch(batch.id, remote.status, list(results.answers.values()), returned, note)
    line = (
        f"batch {batch.name} {remote.status.replace('_', ' ')}:"
        f" {plural(len(results.answers), 'answer')} taken into the cache"
    )
    if returned:
        line += f", {plural(len(returned), 'request')} pending again ({summary(returned)})"
    if results.problems:
        more = len(results.problems) - 1
        line += f"; {results.problems[0]}" + (f" (and {more} more)" if more else "")
    news.lines.append(line)
