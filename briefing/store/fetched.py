"""What fetching remembers between runs: SQL only.

* `http_state`: per URL (a feed, a robots.txt), the validators the server last gave (ETag,
  Last-Modified) so the next request is conditional, with a note (robots.txt: its text; a
  feed: the keywords it was read with);
* `fetched_pages`: every page URL fetched, with the canonical URL the page declared and the
  article it became (or why it did not), so a page is downloaded once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.store.connection import Rows, now


@dataclass(frozen=True)
class HttpState:
    url: str
    etag: str | None
    last_modified: str | None
    body: str | None  # robots.txt: its text; a feed: the keywords it was read with
    checked_at: dt.datetime


PAGE_STATUSES = ("stored", "duplicate", "refused")


class FetchRows(Rows):
    """The `http_state` and `fetched_pages` tables."""

    def http_state(self, url: str) -> HttpState | None:
        row = self._conn.row(
            "SELECT url, etag, last_modified, body, checked_at FROM http_state WHERE url = ?",
            (url,),
        )
        if row is None:
            return None
        return HttpState(
            row["url"],
            row["etag"],
            row["last_modified"],
            row["body"],
            dt.datetime.fromisoformat(row["checked_at"]),
        )

    def save_http_state(
        self, url: str, etag: str | None, last_modified: str | None, body: str | None = None
    ) -> None:
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO http_state (url, etag, last_modified, body, checked_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
                " last_modified = excluded.last_modified, body = excluded.body,"
                " checked_at = excluded.checked_at",
                (url, etag, last_modified, body, now()),
            )

    def page_known(self, url: str) -> bool:
        """Whether `url` was fetched before, or is the canonical URL of a stored article."""
        return (
            self._conn.row(
                "SELECT 1 FROM fetched_pages WHERE url = ? OR canonical = ?"
                " UNION ALL SELECT 1 FROM articles WHERE url = ? LIMIT 1",
                (url, url, url),
            )
            is not None
        )

    def record_page(
        self,
        url: str,
        status: str,
        canonical: str | None = None,
        article_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        with self._conn.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO fetched_pages (url, canonical, article_id, status, reason,"
                " fetched_at) VALUES (?, ?, ?, ?, ?, ?)",
                (url, canonical, article_id, status, reason, now()),
            )
