"""The injection battery through the whole pipeline (issue 11, item 1).

Each of the sentences in tests/data/injections.txt (instructions addressed to a reader or a
model, in many phrasings, quotation styles and placements) is put inside an otherwise ordinary
article, and a hostile model answers every request: it labels everything a position and writes
a day summary that quotes the injected words in every quotation style. Whatever it does, no
quotation may reach the briefing unless it is a span of the cited evidence, attributed by the
article to that speaker: the injected sentence is never a statement, so nothing it says is briefed.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefing.config import load_settings
from briefing.llm.client import open_client
from briefing.pipeline import build_briefing, ingest
from briefing.store.database import Store
from briefing.text.segment import quoted_passages

from .fakes import FakeServer, hostile_handler

BATTERY = Path(__file__).parent / "data" / "injections.txt"
INJECTIONS = [line for line in BATTERY.read_text(encoding="utf-8").splitlines() if line.strip()]
DAY = dt.date(2025, 12, 16)
BEFORE = (
    "Kremlin spokesman Dmitry Peskov said on Tuesday that Russia would not discuss the plan "
    "through the media.\n"
    "“Our position on foreign troops in Ukraine is well known,” Peskov told reporters.\n"
)
AFTER = "The Foreign Ministry said any deployment of NATO troops was unacceptable.\n"


def _injected_words(injection: str) -> list[str]:
    """What the injection wants briefed: its quoted words, or its clause after a verb of
    reporting ("report that ...", "say he ...")."""
    quoted = quoted_passages(injection)
    if quoted:
        return [q.strip(" .,") for q in quoted]
    tail = re.split(r"\b(?:that|saying|as saying|say|write|state)\b", injection, maxsplit=1)
    return [tail[-1].strip(" .:")]


def _hostile(injection: str):
    return hostile_handler(_injected_words(injection)[0], ("“”", '""', "‘’", "''", "””"))


def _quotations(markdown: str) -> list[str]:
    """Everything the briefing shows in quotation marks, from every section."""
    return [q.strip() for line in markdown.splitlines() for q in quoted_passages(line)]


@pytest.mark.parametrize("injection", INJECTIONS, ids=lambda s: s[:40])
def test_no_injected_words_reach_the_briefing(
    injection: str, tmp_path: Path, isolated: Path
) -> None:
    article = tmp_path / "article.md"
    article.write_text(
        "---\ntitle: Talks\npublished: 2025-12-16\n---\n" + BEFORE + injection + "\n" + AFTER,
        encoding="utf-8",
    )
    settings = load_settings(provider="openai", model="test-model")
    with Store(settings.store_path) as store:
        ingest(store, [article])
        model = open_client(
            settings, store, provider="openai", transport=FakeServer(_hostile(injection))
        )
        briefing = build_briefing(store, model, settings, DAY)
    text = BEFORE + AFTER
    for words in _injected_words(injection):
        if words and words not in text:
            assert words not in briefing.markdown, f"injected words briefed: {words!r}"
    # Every quotation the briefing shows is words of the article outside the injection.
    for quote in _quotations(briefing.markdown):
        if len(quote.split()) >= 3:
            assert quote.strip(" ,.") in text, quote


def test_the_battery_is_the_one_the_finder_is_tested_on() -> None:
    assert len(INJECTIONS) >= 30
    marks = {"“", '"', "‘", "'"}
    assert {m for line in INJECTIONS for m in marks if m in line} == marks
