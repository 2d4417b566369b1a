"""The tracking index: SQL only. What a statement is, and which report joins which, is decided
in briefing.track.statements; this module reads and writes the rows it asks for.

`tracked` holds one row per usable position (actor, voice, topic, statement date, the order
that puts the first reporter first, the statement it belongs to); a statement's id is the
position id of its first report. `tracked_grams` holds each statement's word runs (64-bit
keys) for finding candidates; `tracked_state` what each article was indexed from.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from briefing.store.connection import Rows, batches


@dataclass(frozen=True)
class TrackedReport:
    """A usable position as the tracking index keeps it (see briefing.track.statements)."""

    position_id: int
    article_id: str
    actor: str
    voice: str
    topic: str
    stance: str
    said: dt.date | None
    order: str  # sorts reports the first reporter first
    outlet: str
    quotes: list[str]
    grams: list[int]  # the quotations' word runs: looked up, then stored with its statement


@dataclass(frozen=True)
class IndexedReport:
    """An indexed report as the grouping rules need it."""

    position_id: int
    order: str
    said: dt.date | None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class IndexWriter:
    """The index's rows inside one re-indexing transaction (`IndexRows.reindexing`).

    It keeps, for the statements asked about, their reports' quotations and the articles that
    quote each (`_quoted`), kept up to date as reports join: a statement reported by a thousand
    outlets is asked about for every report that may join it, and reading its rows each time
    grew with the square of its reports. A change it cannot follow row by row drops what it
    kept of the statements concerned, which are read again when next asked about."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._quoted: dict[int, dict[str, Counter[str]]] = {}

    def _quotations(self, statement: int) -> dict[str, Counter[str]]:
        """The statement's quotations (as stored) with how many reports of each article quote
        them."""
        found = self._quoted.get(statement)
        if found is None:
            found = self._quoted[statement] = {}
            rows = self._db.execute(
                "SELECT article_id, quotes FROM tracked WHERE statement = ?", (statement,)
            )
            for article_id, quotes in rows:
                found.setdefault(quotes, Counter())[article_id] += 1
        return found

    def _count(self, statement: int, article_id: str, quotes: str, step: int) -> None:
        found = self._quoted.get(statement)
        if found is None:
            return
        articles = found.setdefault(quotes, Counter())
        articles[article_id] += step
        if articles[article_id] <= 0:
            del articles[article_id]
        if not articles:
            del found[quotes]

    def remove_article(self, article_id: str) -> list[int]:
        """Drop the article's reports; the statements whose first report was among them."""
        self._quoted.clear()
        rows = self._db.execute(
            "SELECT position_id, statement FROM tracked WHERE article_id = ?", (article_id,)
        ).fetchall()
        self._db.execute("DELETE FROM tracked WHERE article_id = ?", (article_id,))
        return sorted({r[1] for r in rows if r[0] == r[1]})

    def first_report(self, statement: int) -> IndexedReport | None:
        """The statement's report that sorts first, or None when it has none left."""
        row = self._db.execute(
            "SELECT position_id, ord, said FROM tracked WHERE statement = ? ORDER BY ord LIMIT 1",
            (statement,),
        ).fetchone()
        return IndexedReport(row[0], row[1], _date(row[2])) if row else None

    def drop_grams(self, statement: int) -> None:
        self._db.execute("DELETE FROM tracked_grams WHERE statement = ?", (statement,))

    def insert(self, report: TrackedReport, statement: int) -> None:
        quotes = json.dumps(report.quotes, ensure_ascii=False)
        self._count(statement, report.article_id, quotes, 1)
        self._db.execute(
            "INSERT INTO tracked (position_id, article_id, actor, voice, topic, stance, said,"
            " ord, outlet, quotes, statement) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                report.position_id,
                report.article_id,
                report.actor,
                report.voice,
                report.topic,
                report.stance,
                _iso(report.said),
                report.order,
                report.outlet,
                quotes,
                statement,
            ),
        )

    def candidates(
        self, grams: Sequence[int], actor: str, low: dt.date, high: dt.date, limit: int
    ) -> list[IndexedReport]:
        """The first reports of the actor's statements that have one of these word runs and
        were said between `low` and `high`, the first reporter first, at most `limit`."""
        marks = ",".join("?" * len(grams))
        rows = self._db.execute(
            "SELECT r.position_id, r.ord, r.said FROM tracked r WHERE r.position_id IN"
            f" (SELECT g.statement FROM tracked_grams g WHERE g.gram IN ({marks})"
            " AND g.actor = ? AND g.said BETWEEN ? AND ?) ORDER BY r.ord LIMIT ?",
            [*grams, actor, low.isoformat(), high.isoformat(), limit],
        )
        return [IndexedReport(r[0], r[1], _date(r[2])) for r in rows]

    def quotes_of(self, statement: int, other_than: str) -> list[list[str]]:
        """The distinct quotations of the statement's reports from articles but `other_than`."""
        return [
            list(_quotes(quotes))
            for quotes, articles in self._quotations(statement).items()
            if len(articles) > 1 or other_than not in articles
        ]

    def join(self, position_id: int, statement: int) -> None:
        row = self._db.execute(
            "SELECT statement, article_id, quotes FROM tracked WHERE position_id = ?",
            (position_id,),
        ).fetchone()
        if row is not None:
            self._count(row[0], row[1], row[2], -1)
            self._count(statement, row[1], row[2], 1)
        self._db.execute(
            "UPDATE tracked SET statement = ? WHERE position_id = ?", (statement, position_id)
        )

    def rename(self, old: int, new: int, said: dt.date | None) -> None:
        """Give a statement a new id (a new first report), said on `said`."""
        moved, kept = self._quoted.pop(old, None), self._quoted.pop(new, None)
        if moved is not None and kept is not None:  # else `new` is read again when asked
            for quotes, articles in moved.items():
                kept.setdefault(quotes, Counter()).update(articles)
            self._quoted[new] = kept
        self._db.execute("UPDATE tracked SET statement = ? WHERE statement = ?", (new, old))
        self._db.execute(
            "UPDATE tracked_grams SET statement = ?, said = ? WHERE statement = ?",
            (new, _iso(said), old),
        )

    def add_grams(self, grams: Sequence[int], actor: str, said: dt.date, statement: int) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO tracked_grams (gram, actor, said, statement)"
            " VALUES (?, ?, ?, ?)",
            [(g, actor, said.isoformat(), statement) for g in grams],
        )


class IndexRows(Rows):
    """The `tracked`, `tracked_grams` and `tracked_state` tables."""

    def tracking_sources(self) -> list[tuple[str, str, str | None]]:
        """For every article: what its tracking rows must be built from (its latest extraction
        and latest review, as text) and what they were built from (None: never indexed)."""
        rows = self._conn.rows(
            "SELECT a.id, (SELECT max(id) FROM extractions e WHERE e.article_id = a.id) AS ex,"
            " (SELECT max(id) FROM reviews r WHERE r.article_id = a.id) AS rv, s.stamp"
            " FROM articles a LEFT JOIN tracked_state s ON s.article_id = a.id"
            " ORDER BY a.published, a.origin, a.id"
        )
        return [(r["id"], f"{r['ex']}:{r['rv']}", r["stamp"]) for r in rows]

    def clear_tracking(self) -> None:
        with self._conn.transaction() as db:
            for table in ("tracked", "tracked_grams", "tracked_state"):
                db.execute(f"DELETE FROM {table}")

    @contextmanager
    def reindexing(self, stamps: dict[str, str]) -> Iterator[IndexWriter]:
        """One transaction re-indexing these articles: the caller writes their reports through
        the `IndexWriter`; then each article is recorded as indexed from its stamp."""
        with self._conn.transaction() as db:
            yield IndexWriter(db)
            db.executemany(
                "INSERT INTO tracked_state (article_id, stamp) VALUES (?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET stamp = excluded.stamp",
                list(stamps.items()),
            )

    def statements_of(self, position_ids: Sequence[int]) -> dict[int, int]:
        """The statement id of each indexed position."""
        found: dict[int, int] = {}
        for part, marks in batches(position_ids):
            rows = self._conn.rows(
                f"SELECT position_id, statement FROM tracked WHERE position_id IN ({marks})", part
            )
            found.update((r[0], r[1]) for r in rows)
        return found

    def statement_reports(self, statement: int) -> list[tuple[int, str, str]]:
        """(position id, article id, outlet) of a statement's reports, the first reporter first."""
        rows = self._conn.rows(
            "SELECT position_id, article_id, outlet FROM tracked WHERE statement = ? ORDER BY ord",
            (statement,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def reports_of(self, actor: str) -> list[tuple[int, str, int]]:
        """(position id, article id, statement id) of every indexed report by this actor or by
        those who speak for it."""
        rows = self._conn.rows(
            "SELECT position_id, article_id, statement FROM tracked WHERE actor = ?"
            " UNION SELECT position_id, article_id, statement FROM tracked WHERE voice = ?",
            (actor, actor),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def spoke_before(self, voice: str, day: dt.date) -> bool:
        """Whether this voice has a statement said before `day`, on any topic."""
        row = self._conn.row(
            "SELECT 1 FROM tracked WHERE voice = ? AND said < ? LIMIT 1",
            (voice, day.isoformat()),
        )
        return row is not None

    def latest_statement_before(self, voice: str, topic: str, day: dt.date) -> int | None:
        """The statement of this voice and topic whose first report is the latest said before
        `day` (the last of them, the first reporter first, when a day has several)."""
        row = self._conn.row(
            "SELECT position_id FROM tracked WHERE voice = ? AND topic = ? AND said < ?"
            " AND position_id = statement ORDER BY said DESC, ord DESC LIMIT 1",
            (voice, topic, day.isoformat()),
        )
        return int(row[0]) if row else None


@lru_cache(maxsize=16384)
def _quotes(stored: str) -> tuple[str, ...]:
    """A report's quotations as stored (JSON), decoded once: a statement reported many times is
    read again for every report that may join it."""
    return tuple(json.loads(stored))
