"""A misbehaving model server: odd answers, bad answers, hung servers and two runs at once.

Each test drives the real SDK through a simulated server below the cache (as test_pipeline.py
does) and checks what a user sees: the run goes on, the briefing says what failed, nothing is
paid for twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest

from briefing.config import load_settings
from briefing.llm.client import ModelClient, open_client
from briefing.pipeline import build_briefing, ingest
from briefing.store.database import Store

DAY = dt.date(2025, 12, 16)
ARTICLE = """---
title: Grain corridor
published: 2025-12-16
---
Agriculture Minister Anna Kowalski said the talks would resume next month.
“We expect the first ships to sail in January,” Kowalski told reporters.
The opposition leader, Piotr Nowak, called the plan too slow.
"""
GOOD = {
    "positions": [
        {
            "speaker": "Anna Kowalski",
            "role": "Agriculture Minister",
            "topic": "peace_settlement",
            "stance": "supports",
            "summary": "Expects ships to sail in January.",
            "evidence": [2],
        }
    ]
}

Handler = Callable[[httpx2.Request, int], httpx2.Response]


def completion(content: str | None, finish: str = "stop", refusal: str | None = None) -> dict:
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


class FakeServer(httpx2.BaseTransport):
    """Answers chat completions with `handler(request, n)`, n counting from 1."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[dict] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.read()))
        return self.handler(request, len(self.requests))


@pytest.fixture
def setup(tmp_path: Path, isolated: Path):
    path = tmp_path / "article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    settings = load_settings(provider="openai", model="test-model")
    settings.max_reasks = 2
    store = Store(settings.store_path)
    ingest(store, [path])

    def client(handler: Handler) -> tuple[ModelClient, FakeServer]:
        server = FakeServer(handler)
        return open_client(settings, store, provider="openai", transport=server), server

    yield settings, store, client
    store.close()


# item 7: any HTTP 200 that is not a chat completion is a model error for that chunk -----------


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Gateway says hello</body></html>",
        b'{"choices": []}',
        b'{"choices": [{}]}',
        b"[]",
        b"",
    ],
    ids=["html", "no-choices", "empty-choice", "a-list", "empty"],
)
def test_an_odd_http_200_fails_the_chunk_and_the_run_goes_on(setup, tmp_path, body) -> None:
    settings, store, client = setup
    other = tmp_path / "other.md"
    other.write_text(ARTICLE.replace("Grain corridor", "Other").replace("next month", "in May"))
    ingest(store, [other])

    def handler(request: httpx2.Request, n: int) -> httpx2.Response:
        if "in May" in json.loads(request.content)["messages"][1]["content"]:
            return httpx2.Response(200, content=body, headers={"content-type": "application/json"})
        return ok(completion(json.dumps(GOOD)))

    model, _ = client(handler)
    briefing = build_briefing(store, model, settings, DAY)
    assert briefing.articles == 2 and briefing.positions == 1
    assert "not a chat completion" in briefing.markdown
    # The good article was saved; the other stays pending and is asked again next run.
    model, _ = client(lambda r, n: ok(completion(json.dumps(GOOD))))
    again = build_briefing(store, model, settings, DAY)
    assert again.positions == 2, again.markdown
