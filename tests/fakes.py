"""Test doubles for an OpenAI-compatible server, shared by the tests that simulate failures:
a chat completion body, and a transport that answers with a handler and keeps the requests."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import httpx2

from briefing.models import DraftModel


def completion(content: str | None, finish: str = "stop", refusal: str | None = None) -> dict:
    """A chat completion whose one choice says `content` (or refuses)."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def ok(body: dict) -> httpx2.Response:
    return httpx2.Response(200, json=body)


def hostile_handler(words: str, marks: tuple[str, ...]) -> Callable[..., httpx2.Response]:
    """A model that calls every statement a position, gives a statement with no speaker the
    first name offered, and writes `words` as Peskov's quotation, in each pair of `marks`, into
    every summary sentence (the injection batteries)."""

    def handler(request: httpx2.Request, n: int) -> httpx2.Response:
        body = json.loads(request.content)
        schema = body["response_format"]["json_schema"]
        if schema["name"] == "SummaryDraft":
            sentences = [
                {"text": f"Peskov said {mark[0]}{words}{mark[1]}.", "positions": [1]}
                for mark in marks
            ]
            return ok(completion(json.dumps({"sentences": sentences})))
        answer: dict[str, object] = {"pos": True, "topic": "foreign_troops"}
        who = schema["schema"]["properties"].get("who")
        if who is not None:
            answer["who"] = who["enum"][0] if "enum" in who else who["const"]
        return ok(completion(json.dumps(answer)))

    return handler


Handler = Callable[[httpx2.Request, int], httpx2.Response]


class FakeServer(httpx2.BaseTransport):
    """Answers chat completions with `handler(request, n)`, n counting from 1."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[dict] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.read()))
        return self.handler(request, len(self.requests))


# The article the failure tests store (the `setup` fixture in conftest.py), and what it holds.

DAY = dt.date(2025, 12, 16)
ARTICLE = """---
title: Grain corridor
published: 2025-12-16
---
Agriculture Minister Anna Kowalski said the talks would resume next month.
“We expect the first ships to sail in January,” Kowalski told reporters.
The opposition leader, Piotr Nowak, called the plan too slow.
"""
# The finder finds three statements in ARTICLE: Kowalski's report (S1), her quotation (S2) and
# Nowak's (S3). The model labels each in a request of its own; this is a good label.
GOOD = {"pos": True, "topic": "peace_settlement"}
FOUND = 3
# The briefing shows two entries: Kowalski's report and the quotation right after it, on one
# topic, are one statement (briefing.track.merge).
ENTRIES = 2


class Sentences(DraftModel):
    """A small strict schema for tests of the client itself (not of labelling)."""

    sentences: list[str]
