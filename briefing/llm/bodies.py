"""Request bodies as the `openai` SDK builds them, without building each one through it.

The cache key of a request is the hash of its body (`briefing.llm.fixtures.request_key`), and the
body is what the SDK makes of the messages, the answer schema (the strict JSON schema it derives)
and the fixed parameters. Through the SDK a body costs milliseconds (it walks every node of the
schema through its type transforms), more than everything else brief does for a request, and a
request answered from the cache, or only counted for a cost estimate, needs nothing but its body
and key. So the SDK builds one body per answer schema, with one short message, sent into a
transport that keeps it and sends nothing (`Keeper`); every other body of that schema is that
one with its own messages. Should the SDK ever send messages otherwise than as given, every body
is built by the SDK again. The recorded fixtures are keyed by bodies the SDK built; the replay
tests and `brief eval` on the seed gold find every one of them under these bodies' keys.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import openai
import pydantic

from briefing.errors import ModelError

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


class Bodies:
    """Request bodies for one client: one built by the SDK per schema, model and output limit,
    the rest copied from it with their own messages."""

    def __init__(self) -> None:
        # None: the SDK does not send the probe's messages as given, so it builds every body.
        self._templates: dict[tuple[type, str, int], dict[str, Any] | None] = {}

    def body(
        self,
        api: openai.OpenAI,
        model: str,
        messages: Messages,
        schema: type[pydantic.BaseModel],
        max_tokens: int,
    ) -> dict[str, Any]:
        which = (schema, model, max_tokens)
        if which not in self._templates:
            probe = built_by_sdk(api, model, PROBE, schema, max_tokens)
            self._templates[which] = probe if probe.get("messages") == PROBE else None
        template = self._templates[which]
        if template is None:
            return built_by_sdk(api, model, messages, schema, max_tokens)
        return {**template, "messages": messages}
