"""Articles and their sentences: SQL only.

An article's id is the hash of its normalised text, so storing the same text again is a no-op.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence

from briefing.models import Article, DateStatus, Sentence
from briefing.store.connection import Rows, columns, now


class ArticleRows(Rows):
    """The `articles` and `sentences` tables."""

    def add_article(self, article: Article, sentences: list[Sentence]) -> bool:
        """Store an article and its sentences; False when the same text is already stored."""
        with self._conn.transaction() as db:
            if db.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                return False
            db.execute(
                "INSERT INTO articles (id, origin, title, source, url, language, published,"
                " date_status, text, removed, ingested_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.id,
                    article.origin,
                    article.title,
                    article.source,
                    article.url,
                    article.language,
                    article.published.isoformat() if article.published else None,
                    article.date_status.value,
                    article.text,
                    json.dumps(article.removed, ensure_ascii=False),
                    now(),
                ),
            )
            db.executemany(
                "INSERT INTO sentences (article_id, idx, start, end) VALUES (?, ?, ?, ?)",
                [(article.id, s.index, s.start, s.end) for s in sentences],
            )
            return True

    def get_article(self, article_id: str) -> Article | None:
        row = self._conn.row("SELECT * FROM articles WHERE id = ?", (article_id,))
        return _article(row) if row else None

    def articles_on(self, day: dt.date) -> list[Article]:
        rows = self._conn.rows(
            "SELECT * FROM articles WHERE published = ? ORDER BY origin, id", (day.isoformat(),)
        )
        return [_article(r) for r in rows]

    def articles_pending_before(
        self, day: dt.date, model: str, prompt_id: str, schema_hash: str
    ) -> list[Article]:
        """Articles published before `day` that this model, prompt and schema have not
        extracted yet: a day's history still to extract, read without loading the rest."""
        rows = self._conn.rows(
            "SELECT * FROM articles AS a WHERE a.published < ? AND NOT EXISTS"
            " (SELECT 1 FROM extractions AS e WHERE e.article_id = a.id AND e.model = ?"
            " AND e.prompt_id = ? AND e.schema_hash = ? AND e.status = 'done')"
            " ORDER BY a.published, a.origin, a.id",
            (day.isoformat(), model, prompt_id, schema_hash),
        )
        return [_article(r) for r in rows]

    def all_articles(self) -> list[Article]:
        rows = self._conn.rows("SELECT * FROM articles ORDER BY published, origin, id")
        return [_article(r) for r in rows]

    def dates(self) -> list[tuple[str | None, int]]:
        """Each publication date (None: undated) with its number of articles, in date order."""
        rows = self._conn.rows(
            "SELECT published, count(*) FROM articles GROUP BY published ORDER BY published"
        )
        return [(r[0], r[1]) for r in rows]

    def sentences(self, article_id: str, indexes: Sequence[int] | None = None) -> list[Sentence]:
        """The article's sentences, or only those with these numbers."""
        if indexes is None:
            rows = self._conn.rows(
                "SELECT idx, start, end FROM sentences WHERE article_id = ? ORDER BY idx",
                (article_id,),
            )
        else:
            wanted = list(indexes)
            marks = ",".join("?" * len(wanted))
            rows = self._conn.rows(
                "SELECT idx, start, end FROM sentences WHERE article_id = ?"
                f" AND idx IN ({marks}) ORDER BY idx",
                (article_id, *wanted),
            )
        # Rows the store wrote itself: built without re-validating three integers each.
        return [Sentence.model_construct(index=r[0], start=r[1], end=r[2]) for r in rows]


def _article(row: sqlite3.Row) -> Article:
    return Article(
        **columns(
            row,
            ("id", "text", "title", "source", "url", "language", "origin"),
            published=dt.date.fromisoformat(row["published"]) if row["published"] else None,
            date_status=DateStatus(row["date_status"]),
            removed=json.loads(row["removed"]),
        )
    )
