"""What a statement is: the rules (briefing.track.statements) applied to the store's tracking
index give the statements, first reports and labels of the plain in-memory reference
(tests/statement_oracle.py), on generated histories."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from briefing.models import Article, DateStatus, Position
from briefing.store.database import Store
from briefing.track import statements
from briefing.track.actors import Actor
from briefing.track.dates import StatementDate
from briefing.track.entries import Entry, entry_order
from briefing.track.index import tracked_report

from . import statement_oracle as oracle

START = dt.date(2025, 12, 1)
ACTORS = [
    Actor("peskov", "Dmitry Peskov", "person", speaks_for="kremlin"),
    Actor("kremlin", "the Kremlin", "institution"),
    Actor("zakharova", "Maria Zakharova", "person"),
]
OUTLETS = ["Wire A", "Daily B", "Post C", "Herald D"]
SAID = (
    "we will not discuss troops through the media at all because talks on a settlement are "
    "held in established channels and foreign troops in ukraine would be a target for us"
)
TEXT = SAID.split()


def _quote(rng: random.Random) -> str:
    """A piece of one text, so that quotations often share words (or a run of them)."""
    length = rng.choice([2, 3, 4, 6, 8, 10])
    at = rng.randint(0, len(TEXT) - length)
    return " ".join(TEXT[at : at + length]).capitalize()


def history(seed: int, articles: int = 60) -> list[Entry]:
    """Articles over three weeks, each with one to three reports; some undated."""
    rng = random.Random(seed)
    entries: list[Entry] = []
    for n in range(articles):
        published = None if rng.random() < 0.05 else START + dt.timedelta(days=rng.randint(0, 20))
        outlet = rng.choice(OUTLETS)
        article = Article(
            id=f"a{n:03}",
            text="-",
            origin=f"{n:03}.md",
            source=outlet,
            published=published,
            date_status=DateStatus.GIVEN,
        )
        for _ in range(rng.randint(1, 3)):
            said = StatementDate(None, "undated")
            if published is not None:
                back = rng.choice([0, 0, 0, 1, 2])
                said = StatementDate(published - dt.timedelta(days=back), "publication date")
            quotes = [_quote(rng) for _ in range(rng.choice([0, 1, 1, 1, 2]))]
            position = Position(
                id=len(entries) + 1,
                article_id=article.id,
                speaker="-",
                role="",
                topic=rng.choice(["troops", "talks"]),
                stance=rng.choice(["opposes", "neutral", "conditional"]),
                summary="",
                kind="direct",
                evidence=[1],
                spans=[],
                quotes=quotes,
            )
            entries.append(Entry(position, article, rng.choice(ACTORS), position.topic, None, said))
    return entries


def index_day_by_day(store: Store, entries: list[Entry]) -> None:
    """As `refresh_index` does: one publication date at a time, the first reporter first."""
    days = sorted({e.article.published for e in entries}, key=lambda d: d or dt.date.max)
    for day in days:
        todays = sorted((e for e in entries if e.article.published == day), key=entry_order)
        stamps = {e.article.id: "test" for e in todays}
        statements.index_reports(store, stamps, [tracked_report(e) for e in todays])


@pytest.mark.parametrize("seed", range(12))
def test_the_index_groups_and_labels_as_the_reference_does(tmp_path: Path, seed: int) -> None:
    entries = history(seed)
    expected = oracle.group_statements(entries)
    oracle.label_statements(expected)
    with Store(tmp_path / "s.sqlite3") as store:
        index_day_by_day(store, entries)
        got = store.statements_of([e.position.id or 0 for e in entries])
        for s in expected:
            first = s.first.position.id
            assert {got[e.position.id or 0] for e in s.entries} == {first}
            assert [r[0] for r in store.statement_reports(first or 0)] == [
                e.position.id for e in s.entries
            ]
            if s.date is not None:
                earlier = store.latest_statement_before(s.actor.voice, s.topic, s.date)
                assert earlier == (s.earlier.first.position.id if s.earlier else None)
    assert any(len(s.entries) > 1 for s in expected)  # the histories do join reports
    assert {s.label for s in expected} == {"new", "reiterated", "shifted"}


def reindex_day(store: Store, entries: list[Entry], day: dt.date) -> None:
    todays = sorted((e for e in entries if e.article.published == day), key=entry_order)
    stamps = {e.article.id: "again" for e in todays}
    statements.index_reports(store, stamps, [tracked_report(e) for e in todays])


@pytest.mark.parametrize("seed", range(4))
def test_the_latest_day_indexed_again_leaves_the_statements_as_they_were(
    tmp_path: Path, seed: int
) -> None:
    """A day's articles re-extracted or reviewed are indexed again: taking their reports out (a
    statement whose first report leaves is led by the next) and putting them back changes
    nothing."""
    entries = history(seed)
    with Store(tmp_path / "s.sqlite3") as store:
        index_day_by_day(store, entries)
        ids = [e.position.id or 0 for e in entries]
        before = store.statements_of(ids)
        reindex_day(store, entries, max(e.article.published or START for e in entries))
        assert store.statements_of(ids) == before


@pytest.mark.xfail(
    strict=True,
    reason=(
        "known approximation of the index, kept as it was: an earlier day indexed again sees "
        "the later reports already indexed. Here report 62 (12-14, article a029) was its own "
        "statement, because when it was indexed the statement of 61 (same article) had no "
        "report from another article; indexed again, 18 (12-15, a008) is there and 62 joins. "
        "The whole-history grouping keeps 62 apart. A fix: index again every day from the "
        "earliest changed one."
    ),
)
def test_an_earlier_day_indexed_again_leaves_the_statements_as_they_were(tmp_path: Path) -> None:
    entries = history(3)
    with Store(tmp_path / "s.sqlite3") as store:
        index_day_by_day(store, entries)
        ids = [e.position.id or 0 for e in entries]
        before = store.statements_of(ids)
        reindex_day(store, entries, dt.date(2025, 12, 14))
        assert store.statements_of(ids) == before


def test_the_index_lookups_find_every_overlapping_quotation() -> None:
    """Whatever `quotes_overlap` joins, the index finds: checked on many random pairs of
    quotations cut from one text, of every length from 1 to 12 words."""
    text = (
        "we will not discuss the troops through the media at any time because talks "
        "on a settlement are held in established channels and nowhere else"
    )
    words = text.split()
    rng = random.Random(7)
    checked = 0
    for _ in range(4000):
        a_len, b_len = rng.randint(1, 12), rng.randint(1, 12)
        a_at, b_at = rng.randint(0, len(words) - a_len), rng.randint(0, len(words) - b_len)
        a, b = " ".join(words[a_at : a_at + a_len]), " ".join(words[b_at : b_at + b_len])
        if statements.quotes_overlap([a], [b]):
            checked += 1
            assert set(statements.gram_keys([a])) & set(statements.gram_keys([b])), (a, b)
    assert checked > 500


def test_reports_join_within_three_days_of_the_first_report_only() -> None:
    day = dt.date(2025, 12, 10)
    assert statements.window(day) == (dt.date(2025, 12, 7), dt.date(2025, 12, 13))
    said = ["We will wait for the results of their work"]
    assert statements.joins([["“We will, wait for the results”"]], said)
    assert not statements.joins([["We will"], ["Sanctions harm our relations"]], said)
