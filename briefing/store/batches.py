"""Batch API submissions: what was sent in which batch, and what became of each request.

A batch is recorded under brief's own id before anything is uploaded, its requests `waiting`;
the provider's id is added once the batch is created. A request waits in one batch at a time
(a unique index on the waiting keys), so what is in flight is never submitted again. When a
batch ends, its answers go into the call cache and its other requests are `returned` in one
transaction: a returned request is pending again and goes into the next batch. The request
bodies are kept only while they wait (the cache keeps the answered ones with their answer).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from briefing.store.calls import CachedCall, insert_call
from briefing.store.connection import Rows, columns, now
from briefing.store.connection import batches as in_parts

SUBMITTING = "submitting"  # recorded, not yet known to the provider


@dataclass(frozen=True)
class StoredBatch:
    id: str  # brief's own id, also sent as the batch's metadata
    remote_id: str | None  # the provider's batch id; None until it is created
    input_file_id: str | None
    base_url: str  # the server it was submitted to
    status: str  # "submitting", then the provider's last status
    requests: int
    answered: int
    returned: int
    note: str | None  # what the last look at it said
    created_at: str
    closed_at: str | None  # None: in flight

    @property
    def name(self) -> str:
        """How messages name it: the provider's id once there is one."""
        return self.remote_id or self.id


class BatchRows(Rows):
    """The `batches` and `batch_requests` tables."""

    def record_batch(
        self, batch_id: str, base_url: str, requests: Mapping[str, dict[str, Any]]
    ) -> None:
        """Record a batch about to be submitted to `base_url`, its requests (cache key -> body)
        waiting."""
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO batches (id, base_url, status, requests, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (batch_id, base_url, SUBMITTING, len(requests), now()),
            )
            db.executemany(
                "INSERT INTO batch_requests (batch_id, key, request, outcome)"
                " VALUES (?, ?, ?, 'waiting')",
                [
                    (batch_id, key, json.dumps(body, sort_keys=True, ensure_ascii=False))
                    for key, body in requests.items()
                ],
            )

    def batch_sent(self, batch_id: str, remote_id: str, input_file_id: str, status: str) -> None:
        with self._conn.transaction() as db:
            db.execute(
                "UPDATE batches SET remote_id = ?, input_file_id = ?, status = ? WHERE id = ?",
                (remote_id, input_file_id, status, batch_id),
            )

    def batch_seen(self, batch_id: str, status: str, note: str | None) -> None:
        """What a look at a batch in flight said; its requests stay waiting."""
        with self._conn.transaction() as db:
            db.execute(
                "UPDATE batches SET status = ?, note = ? WHERE id = ?", (status, note, batch_id)
            )

    def batches_in_flight(self) -> list[StoredBatch]:
        rows = self._conn.rows(
            "SELECT * FROM batches WHERE closed_at IS NULL ORDER BY created_at, id"
        )
        return [_batch(row) for row in rows]

    def batch(self, batch_id: str) -> StoredBatch | None:
        row = self._conn.row("SELECT * FROM batches WHERE id = ?", (batch_id,))
        return _batch(row) if row else None

    def batch_holding(self, key: str) -> StoredBatch | None:
        """The batch in flight that holds the request with this cache key, if any."""
        row = self._conn.row(
            "SELECT b.* FROM batch_requests r JOIN batches b ON b.id = r.batch_id"
            " WHERE r.key = ? AND r.outcome = 'waiting'",
            (key,),
        )
        return _batch(row) if row else None

    def waiting_requests(self, batch_id: str) -> dict[str, dict[str, Any]]:
        """The requests of a batch still waiting for their answer: cache key -> body."""
        rows = self._conn.rows(
            "SELECT key, request FROM batch_requests WHERE batch_id = ? AND outcome = 'waiting'"
            " ORDER BY key",
            (batch_id,),
        )
        return {row["key"]: json.loads(row["request"]) for row in rows}

    def request_outcomes(self, batch_id: str) -> dict[str, tuple[str, str | None]]:
        """Each request of a batch: cache key -> (outcome, reason)."""
        rows = self._conn.rows(
            "SELECT key, outcome, reason FROM batch_requests WHERE batch_id = ?", (batch_id,)
        )
        return {row["key"]: (row["outcome"], row["reason"]) for row in rows}

    def settle_batch(
        self,
        batch_id: str,
        status: str,
        answers: list[CachedCall],
        returned: Mapping[str, str],
        note: str | None = None,
    ) -> None:
        """Close a batch in one transaction: its answers into the call cache, the requests in
        `returned` (cache key -> why) and any other still waiting pending again."""
        with self._conn.transaction() as db:
            for call in answers:
                insert_call(db, call)
            answered = [call.key for call in answers]
            for part, marks in in_parts(answered):
                db.execute(
                    "UPDATE batch_requests SET outcome = 'answered', request = NULL"
                    f" WHERE batch_id = ? AND key IN ({marks})",
                    (batch_id, *part),
                )
            db.executemany(
                "UPDATE batch_requests SET outcome = 'returned', reason = ?, request = NULL"
                " WHERE batch_id = ? AND key = ? AND outcome = 'waiting'",
                [(why, batch_id, key) for key, why in returned.items()],
            )
            db.execute(
                "UPDATE batch_requests SET outcome = 'returned', request = NULL,"
                " reason = 'no result came back' WHERE batch_id = ? AND outcome = 'waiting'",
                (batch_id,),
            )
            counts = db.execute(
                "SELECT sum(outcome = 'answered'), sum(outcome = 'returned')"
                " FROM batch_requests WHERE batch_id = ?",
                (batch_id,),
            ).fetchone()
            db.execute(
                "UPDATE batches SET status = ?, answered = ?, returned = ?, note = ?,"
                " closed_at = ? WHERE id = ?",
                (status, counts[0] or 0, counts[1] or 0, note, now(), batch_id),
            )


def _batch(row: sqlite3.Row) -> StoredBatch:
    return StoredBatch(
        **columns(
            row,
            (
                "id",
                "remote_id",
                "input_file_id",
                "base_url",
                "status",
                "requests",
                "answered",
                "returned",
                "note",
                "created_at",
                "closed_at",
            ),
        )
    )
