"""An article with more candidate statements than `max_candidates` (issue 19, item 8).

A 1.9 MB page cost 3,431 model requests and four minutes. Past the cap the article is not sent to
the model at all: it is held for review with the reason, listed under "Needs review", and the
day's other articles are briefed as usual; the briefing is complete, not partial. Raising the cap
extracts it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import httpx2

from briefing.config import load_settings
from briefing.llm.client import open_client
from briefing.pipeline import build_briefing, ingest
from briefing.store.database import Store

from .fakes import FakeServer, completion, ok

DAY = dt.date(2025, 12, 16)
SHORT = """---
title: Grain corridor
published: 2025-12-16
---
Agriculture Minister Anna Kowalski said the talks would resume next month.
“We expect the first ships to sail in January,” Kowalski told reporters.
"""
LONG_MARK = "harbour number"


def _long_article(statements: int) -> str:
    """A generated live blog: one quoted statement by a named official a line."""
    lines = [
        f"“The {LONG_MARK} {n} will reopen for grain ships next week,” port official "
        f"Jan Nowak{n} told reporters."
        for n in range(1, statements + 1)
    ]
    return (
        "---\ntitle: Live updates on the ports\npublished: 2025-12-16\n---\n"
        + "\n".join(lines)
        + "\n"
    )


def _everything_a_position(request: httpx2.Request, n: int) -> httpx2.Response:
    body = json.loads(request.content)
    schema = body["response_format"]["json_schema"]
    if schema["name"] == "SummaryDraft":
        return ok(completion(json.dumps({"sentences": []})))
    answer: dict[str, object] = {"pos": True, "topic": "peace_settlement"}
    who = schema["schema"]["properties"].get("who")
    if who is not None:
        answer["who"] = who["enum"][0] if "enum" in who else who["const"]
    return ok(completion(json.dumps(answer)))


def _asked_about_the_long_article(server: FakeServer) -> int:
    return sum(LONG_MARK in json.dumps(r, ensure_ascii=False) for r in server.requests)


def test_an_article_past_the_cap_is_held_unasked_and_the_others_are_briefed(
    tmp_path: Path, isolated: Path
) -> None:
    (tmp_path / "a.md").write_text(SHORT, encoding="utf-8")
    (tmp_path / "b.md").write_text(_long_article(260), encoding="utf-8")
    settings = load_settings(provider="openai", model="test-model")
    assert settings.max_candidates == 200  # the default: above any real article measured
    with Store(settings.store_path) as store:
        assert len(ingest(store, sorted(tmp_path.glob("*.md"))).added) == 2
        server = FakeServer(_everything_a_position)
        model = open_client(settings, store, provider="openai", transport=server)
        briefing = build_briefing(store, model, settings, DAY)
        asked = len(server.requests)
        assert _asked_about_the_long_article(server) == 0
        assert asked >= 1  # the short article was asked about
        # Not partial: the held article is listed with its reason, the other one is briefed.
        assert briefing.failed == []
        assert briefing.positions >= 1
        assert "Anna Kowalski" in briefing.markdown
        review = briefing.markdown.split("## Needs review", 1)[1]
        assert (
            "was held for review, not sent to the model: 260 candidate statements, more than"
            " max_candidates (200); raise max_candidates in config.toml to extract it" in review
        )
        assert [i["kind"] for i in briefing.data["needs_review"]] == ["held"]
        # A second run does not ask about it either, nor about anything else.
        build_briefing(store, model, settings, DAY)
        assert len(server.requests) == asked

        # Raising the cap extracts it (the short article's answers come from the cache).
        settings.max_candidates = 300
        build_briefing(store, model, settings, DAY)
        assert _asked_about_the_long_article(server) > 0


def test_a_day_of_held_articles_says_so_in_its_lead(tmp_path: Path, isolated: Path) -> None:
    (tmp_path / "b.md").write_text(_long_article(230), encoding="utf-8")
    settings = load_settings(provider="openai", model="test-model")
    with Store(settings.store_path) as store:
        ingest(store, [tmp_path / "b.md"])
        server = FakeServer(_everything_a_position)
        model = open_client(settings, store, provider="openai", transport=server)
        briefing = build_briefing(store, model, settings, DAY)
    assert server.requests == []
    lead = briefing.markdown.split("## The day in brief", 1)[1].split("##", 1)[0]
    assert "Nothing briefed as fact: 1 article held for review (below)." in lead
    assert "No attributed statements found" not in briefing.markdown
