"""Briefings generated and emails sent: SQL only."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from briefing.store.connection import Rows, columns, now


@dataclass(frozen=True)
class StoredBriefing:
    date: dt.date
    sha256: str
    path: str | None
    created_at: str
    counts: dict[str, int] | None  # None for briefings generated before counts were kept


@dataclass(frozen=True)
class Sending:
    """One recipient of one email."""

    date: dt.date
    briefing_sha256: str
    recipient: str
    status: str  # 'sent' or 'refused'
    server_reply: str
    message_id: str
    sent_at: str


class BriefingRows(Rows):
    """The `briefings` and `sendings` tables."""

    def record_briefing(
        self,
        day: dt.date,
        sha256: str,
        path: str | None,
        counts: dict[str, int] | None = None,
    ) -> None:
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO briefings (date, sha256, path, created_at, counts)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    day.isoformat(),
                    sha256,
                    path,
                    now(),
                    json.dumps(counts, sort_keys=True) if counts is not None else None,
                ),
            )

    def latest_briefing(self, day: dt.date) -> StoredBriefing | None:
        """The briefing most recently generated for `day`, or None."""
        row = self._conn.row(
            "SELECT * FROM briefings WHERE date = ? ORDER BY id DESC LIMIT 1", (day.isoformat(),)
        )
        if row is None:
            return None
        return StoredBriefing(
            **columns(
                row,
                ("sha256", "path", "created_at"),
                date=dt.date.fromisoformat(row["date"]),
                counts=json.loads(row["counts"]) if row["counts"] else None,
            )
        )

    def record_sending(
        self,
        day: dt.date,
        sha256: str,
        message_id: str,
        outcomes: list[tuple[str, str, str]],
    ) -> None:
        """Record one email: (recipient, status 'sent' or 'refused', server reply) each, in one
        transaction so that a sending is either recorded whole or not at all."""
        sent_at = now()
        with self._conn.transaction() as db:
            db.executemany(
                "INSERT INTO sendings (date, briefing_sha256, recipient, status, server_reply,"
                " message_id, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (day.isoformat(), sha256, recipient, status, reply, message_id, sent_at)
                    for recipient, status, reply in outcomes
                ],
            )

    def sendings(self, day: dt.date | None = None) -> list[Sending]:
        """Every recorded recipient of every email, oldest first; only `day`'s when given."""
        query = "SELECT * FROM sendings"
        args: tuple[str, ...] = ()
        if day is not None:
            query += " WHERE date = ?"
            args = (day.isoformat(),)
        rows = self._conn.rows(query + " ORDER BY id", args)
        return [
            Sending(
                **columns(
                    r,
                    (
                        "briefing_sha256",
                        "recipient",
                        "status",
                        "server_reply",
                        "message_id",
                        "sent_at",
                    ),
                    date=dt.date.fromisoformat(r["date"]),
                )
            )
            for r in rows
        ]
