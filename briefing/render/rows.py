"""The rows that commands print with `--json`, and the one-line text forms beside them.

One function per kind of record, so that every command showing one shows the same fields under
the same names: an article (`brief ingest`, `brief articles`) and a statement of an actor's
timeline (`brief timeline`). A position's row is the review stage's (`briefing.review.show`).
Values are plain JSON: dates as ISO strings, None where unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.models import Article
    from briefing.track.tracking import Statement

Row = dict[str, object]


def _published(article: Article) -> str | None:
    return article.published.isoformat() if article.published else None


# articles -----------------------------------------------------------------------------------


def article_row(article: Article, status: str | None = None) -> Row:
    """An article; `status` says what ingesting it did ("added" or "known")."""
    row: Row = {
        "id": article.id,
        "origin": article.origin,
        "title": article.title,
        "source": article.source,  # the outlet
        "published": _published(article),
        "date_status": article.date_status.value,
    }
    if status is not None:
        row["status"] = status
    return row


def ingested_rows(added: Iterable[Article], known: Iterable[Article]) -> list[Row]:
    """What `brief ingest` did: the new articles, then those already stored."""
    return [article_row(a, "added") for a in added] + [article_row(a, "known") for a in known]


def article_line(row: Row) -> str:
    """An article row as one line: what ingesting did (if it says), id, date, where it is from;
    a stored article's line names its outlet ("-" when unknown) before its title."""
    date = f"{row['published'] or 'undated':10} {row['date_status']:11}"
    if "status" in row:
        return f"{row['status']:6} {row['id']}  {date} {row['origin']}"
    return f"{row['id']}  {date} {row.get('source') or '-':16} {row['title'] or row['origin']}"


# statements ---------------------------------------------------------------------------------


def statement_row(s: Statement) -> Row:
    """A tracked statement: what was said, when, its label against the actor's earlier one, and
    every outlet that reported it."""
    from briefing.extract.roles import checked_role

    first = s.first
    earlier = s.earlier
    return {
        "date": s.date.isoformat() if s.date else None,
        "date_how": first.said.how,
        "actor": s.actor.id,
        "speaker": first.position.speaker,
        # As briefings show it: only a role the article gives beside the name.
        "role": checked_role(first.position, first.article.text).role,
        "extracted_role": first.position.role,
        "topic": s.topic,
        "topic_note": first.topic_note,
        "stance": s.stance,
        "label": s.label,
        "earlier": (
            {
                "date": earlier.date.isoformat() if earlier.date else None,
                "stance": earlier.stance,
                "position_id": earlier.first.position.id,
            }
            if earlier
            else None
        ),
        "summary": first.position.summary,
        "kind": first.position.kind,
        "quotes": first.position.quotes,
        "sources": [
            {
                "position_id": e.position.id,
                "article_id": e.article.id,
                "outlet": e.outlet,
                "title": e.article.title,
                "url": e.article.url,
                "published": _published(e.article),
                "quotes": e.position.quotes,
            }
            for e in s.entries
        ],
    }
