"""Analysts' review: the history of decisions and the standing decision per evidence. SQL only.

`reviews` is the history (every decision, never updated); `decisions` the standing state,
keyed by the evidence and the speaker rather than by a position id, so that it stays attached
to the same sentences and speaker when the article is extracted again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from briefing.store.connection import Rows, columns, now


@dataclass(frozen=True)
class ReviewRecord:
    """One entry of the review history: who did what to which position, when and why."""

    id: int
    position_id: int | None
    article_id: str
    evidence: list[int]
    speaker: str
    action: str  # approve, reject, edit, import or dismiss
    changes: dict[str, list[Any]]  # field: [old, new]; "status" too when it changed
    reviewer: str
    note: str | None
    created_at: str


@dataclass(frozen=True, kw_only=True)
class Standing:
    """What a review decides for the positions with this evidence and speaker in an article.

    `base` holds the model's values the analyst saw when deciding, `edits` the analyst's values
    for the fields they changed.
    """

    article_id: str
    evidence: list[int]
    speaker_key: str
    status: str
    base: dict[str, Any]
    edits: dict[str, Any]
    edited_by: str | None


@dataclass(frozen=True, kw_only=True)
class Decision(Standing):
    """A standing decision as stored; the reviewer, note and time are those of its latest
    history entry."""

    id: int
    dismissed: bool
    review_id: int
    reviewer: str
    note: str | None
    decided_at: str


@dataclass(frozen=True, kw_only=True)
class DecisionChange(Standing):
    """A decision to store with its history entry (see `ReviewRows.save_decisions`)."""

    position_id: int | None
    speaker: str
    action: str
    changes: dict[str, list[Any]]
    reviewer: str
    note: str | None
    dismissed: bool = False
    replaces: int | None = None  # a decision this one supersedes (matched by edited evidence)


class ReviewRows(Rows):
    """The `reviews` and `decisions` tables."""

    def decisions(
        self, article_id: str | None = None, decision_id: int | None = None
    ) -> list[Decision]:
        """The standing decisions of an article, or the one with `decision_id`."""
        args: tuple[int | str | None]
        if decision_id is not None:
            where, args = "d.id = ?", (decision_id,)
        else:
            where, args = "d.article_id = ?", (article_id,)
        rows = self._conn.rows(
            "SELECT d.*, r.reviewer, r.note, r.created_at FROM decisions d"
            f" JOIN reviews r ON r.id = d.review_id WHERE {where} ORDER BY d.id",
            args,
        )
        return [_decision(r) for r in rows]

    def review_records(self, article_id: str) -> list[ReviewRecord]:
        """The review history of an article, oldest first."""
        rows = self._conn.rows(
            "SELECT * FROM reviews WHERE article_id = ? ORDER BY id", (article_id,)
        )
        return [
            ReviewRecord(
                **columns(
                    r,
                    ("id", "position_id", "article_id", "speaker", "action", "reviewer", "note"),
                    evidence=json.loads(r["evidence"]),
                    changes=json.loads(r["changes"]),
                    created_at=r["created_at"],
                )
            )
            for r in rows
        ]

    def save_decisions(self, changes: list[DecisionChange]) -> list[int]:
        """Record decisions and their history entries in one transaction: several positions
        approved at once, or a whole CSV file, are stored entirely or not at all. Returns the
        ids of the history entries."""
        with self._conn.transaction() as db:
            return [_save_decision(db, c) for c in changes]


def _save_decision(db: sqlite3.Connection, c: DecisionChange) -> int:
    evidence = json.dumps(sorted(c.evidence))
    cursor = db.execute(
        "INSERT INTO reviews (position_id, article_id, evidence, speaker, action,"
        " changes, reviewer, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            c.position_id,
            c.article_id,
            evidence,
            c.speaker,
            c.action,
            json.dumps(c.changes, ensure_ascii=False),
            c.reviewer,
            c.note,
            now(),
        ),
    )
    review_id = int(cursor.lastrowid or 0)
    if c.replaces is not None:
        db.execute("DELETE FROM decisions WHERE id = ?", (c.replaces,))
    db.execute(
        "INSERT INTO decisions (article_id, evidence, speaker_key, status, base, edits,"
        " edited_by, review_id, dismissed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (article_id, evidence, speaker_key) DO UPDATE SET"
        " status = excluded.status, base = excluded.base, edits = excluded.edits,"
        " edited_by = excluded.edited_by, review_id = excluded.review_id,"
        " dismissed = excluded.dismissed",
        (
            c.article_id,
            evidence,
            c.speaker_key,
            c.status,
            json.dumps(c.base, ensure_ascii=False, sort_keys=True),
            json.dumps(c.edits, ensure_ascii=False, sort_keys=True),
            c.edited_by,
            review_id,
            int(c.dismissed),
        ),
    )
    return review_id


def _decision(r: sqlite3.Row) -> Decision:
    return Decision(
        **columns(
            r,
            ("id", "article_id", "speaker_key", "status", "edited_by", "review_id"),
            evidence=json.loads(r["evidence"]),
            base=json.loads(r["base"]),
            edits=json.loads(r["edits"]),
            dismissed=bool(r["dismissed"]),
            reviewer=r["reviewer"],
            note=r["note"],
            decided_at=r["created_at"],
        )
    )
