"""Request bodies as the `openai` SDK builds them, without building each one through it.

The cache key of a request is the hash of its body (`briefing.llm.fixtures.request_key`), and the
body is what the SDK makes of the messages, the answer schema (the strict JSON schema it derives)
and the fixed parameters. Through the SDK a body costs about 3 ms (it walks every node of the
schema through its type transforms), more than everything else brief does for a request, and a
request answered from the cache, or only counted for a cost estimate, needs nothing but its body
and key. So the SDK builds one body per model and output limit, with one short message, sent
into a transport that keeps it and sends nothing (`Keeper`): every other body is that one with
its own messages and the response format the SDK's own function derives from its schema (a new
schema for nearly every article: the speakers it may choose are part of it). That this gives
the SDK's bytes is checked on the body it built; where it does not (another SDK), the SDK builds
one body per schema, or every body. The recorded fixtures are keyed by bodies the SDK built; the
replay tests and `brief eval` on the seed gold find every one of them under these bodies' keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import httpx2
import openai
import pydantic

from briefing.errors import ModelError

_derive: Callable[[type[pydantic.BaseModel]], object] | None
try:  # how the SDK derives a response format from an answer schema (not its public API)
    from openai.lib._parsing._completions import type_to_response_format_param as _derive
except ImportError:  # pragma: no cover - another SDK: its own building of each schema's body
    _derive = None

Messages = list[dict[str, str]]
PROBE: Messages = [{"role": "user", "content": "?"}]


class _Planned(ModelError):
    """Raised by `Keeper` in place of sending: the request was built and kept."""


class Keeper(httpx2.BaseTransport):
    """A transport that keeps the body of the request it is given, and sends nothing."""

    def __init__(self) -> None:
        self.body: dict[str, Any] | None = None

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.body = json.loads(request.read())
        raise _Planned("built, not sent")


def built_by_sdk(
    api: openai.OpenAI,
    model: str,
    messages: Messages,
    schema: type[pydantic.BaseModel],
    max_tokens: int,
) -> dict[str, Any]:
    """The body of a structured-output request for these messages and schema, as the SDK
    builds it (the parameters brief always sends are here, and only here), not sent."""
    keeper = Keeper()
    with httpx2.Client(transport=keeper) as http:
        dry = api.with_options(http_client=http, max_retries=0)
        try:
            dry.chat.completions.parse(
                model=model,
                messages=messages,  # type: ignore[arg-type]
                response_format=schema,
                temperature=0,
                seed=0,
                max_tokens=max_tokens,
            )
        except _Planned:
            pass
        except openai.APIConnectionError as exc:  # an SDK that wraps what a transport raises
            if not isinstance(exc.__cause__, _Planned):
                raise
    if keeper.body is None:
        raise AssertionError("the SDK sent no request to keep")
    return keeper.body


@lru_cache(maxsize=256)
def response_format(schema: type[pydantic.BaseModel]) -> dict[str, Any] | None:
    """The response format the SDK derives from an answer schema, or None with an SDK that does
    not have that function where this one has it."""
    derived = _derive(schema) if _derive is not None else None
    return derived if isinstance(derived, dict) else None


class Bodies:
    """Request bodies for one client. Per model and output limit, the SDK builds one body (a
    frame); a body is the frame with its schema's response format and its own messages. Should
    the frame not be that (the SDK sends messages otherwise than as given, or derives the
    response format otherwise), the SDK builds one body per schema, and should even that not
    hold, every body."""

    def __init__(self) -> None:
        self._frames: dict[tuple[str, int], dict[str, Any] | None] = {}
        # Bodies the SDK built per schema, when there is no frame (None: build every body).
        self._templates: dict[tuple[type, str, int], dict[str, Any] | None] = {}

    def body(
        self,
        api: openai.OpenAI,
        model: str,
        messages: Messages,
        schema: type[pydantic.BaseModel],
        max_tokens: int,
    ) -> dict[str, Any]:
        if (model, max_tokens) not in self._frames:
            built = built_by_sdk(api, model, PROBE, schema, max_tokens)
            derived = response_format(schema)
            fits = built.get("messages") == PROBE and built.get("response_format") == derived
            self._frames[model, max_tokens] = built if fits and derived is not None else None
        frame = self._frames[model, max_tokens]
        if frame is not None:
            return {**frame, "response_format": response_format(schema), "messages": messages}
        return self._by_template(api, model, messages, schema, max_tokens)

    def _by_template(
        self,
        api: openai.OpenAI,
        model: str,
        messages: Messages,
        schema: type[pydantic.BaseModel],
        max_tokens: int,
    ) -> dict[str, Any]:
        which = (schema, model, max_tokens)
        if which not in self._templates:
            if len(self._templates) >= 256:  # a day names thousands of speakers: keep the last
                del self._templates[next(iter(self._templates))]
            built = built_by_sdk(api, model, PROBE, schema, max_tokens)
            self._templates[which] = built if built.get("messages") == PROBE else None
        template = self._templates[which]
        if template is None:
            return built_by_sdk(api, model, messages, schema, max_tokens)
        return {**template, "messages": messages}
