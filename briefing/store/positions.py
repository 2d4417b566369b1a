"""Extractions and their positions: SQL only.

An extraction records one article read by one model with one prompt and schema (done or
failed, what it cost); its positions are stored with it in one transaction. Review and tracking
stand on each article's latest extraction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.models import Position
from briefing.store.connection import Rows, batches, columns, now


@dataclass(frozen=True)
class Extraction:
    id: int
    article_id: str
    provider: str
    model: str
    prompt_id: str
    schema_hash: str
    status: str
    error: str | None
    calls: int
    prompt_tokens: int
    completion_tokens: int

    @property
    def held(self) -> str | None:
        """Why the article was held for review without asking the model: an extraction that is
        done (nothing more would be asked under these settings) with a reason."""
        return self.error if self.status == "done" else None

    @property
    def failure(self) -> str | None:
        """Why the extraction failed (some candidates not labelled), None when it did not."""
        return self.error if self.status == "failed" else None


_SAME_EXTRACTION = "article_id = ? AND model = ? AND prompt_id = ? AND schema_hash = ?"


class PositionRows(Rows):
    """The `extractions` and `positions` tables."""

    def get_extraction(
        self, article_id: str, model: str, prompt_id: str, schema_hash: str
    ) -> Extraction | None:
        row = self._conn.row(
            f"SELECT * FROM extractions WHERE {_SAME_EXTRACTION}",
            (article_id, model, prompt_id, schema_hash),
        )
        return Extraction(**columns(row, list(Extraction.__dataclass_fields__))) if row else None

    def save_extraction(
        self,
        article_id: str,
        *,
        provider: str,
        model: str,
        prompt_id: str,
        schema_hash: str,
        positions: list[Position],
        error: str | None,
        calls: int,
        prompt_tokens: int,
        completion_tokens: int,
        held: str | None = None,
    ) -> int:
        """Replace the extraction of an article by this model and prompt, with its positions,
        in one transaction: either all of it is stored or none of it. `held`: why the article
        was held for review without asking the model; such an extraction is done, not failed
        (nothing more would be asked), with the reason kept in place of an error."""
        with self._conn.transaction() as db:
            db.execute(
                f"DELETE FROM extractions WHERE {_SAME_EXTRACTION}",
                (article_id, model, prompt_id, schema_hash),
            )
            cursor = db.execute(
                "INSERT INTO extractions (article_id, provider, model, prompt_id, schema_hash,"
                " status, error, calls, prompt_tokens, completion_tokens, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    provider,
                    model,
                    prompt_id,
                    schema_hash,
                    "failed" if error else "done",
                    error or held,
                    calls,
                    prompt_tokens,
                    completion_tokens,
                    now(),
                ),
            )
            extraction_id = int(cursor.lastrowid or 0)
            db.executemany(
                "INSERT INTO positions (extraction_id, article_id, speaker, role, topic,"
                " stance, summary, kind, evidence, spans, quotes, valid, reason, provider,"
                " model, prompt_id, schema_hash, source, stance_basis)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_position_values(extraction_id, p) for p in positions],
            )
            return extraction_id

    def forget_extractions(self) -> None:
        """Drop every extraction and position, keeping the model answers: the next run
        re-extracts from the cache without asking a model (used to re-record fixtures)."""
        with self._conn.transaction() as db:
            # The tracking index is derived from the positions: it goes with them (position
            # ids are reused once the rows are gone).
            for table in ("tracked_grams", "tracked", "tracked_state"):
                db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM positions")
            db.execute("DELETE FROM extractions")

    def positions(self, extraction_id: int) -> list[Position]:
        rows = self._conn.rows(
            "SELECT * FROM positions WHERE extraction_id = ? ORDER BY id", (extraction_id,)
        )
        return [_position(r) for r in rows]

    def get_position(self, position_id: int) -> Position | None:
        row = self._conn.row("SELECT * FROM positions WHERE id = ?", (position_id,))
        return _position(row) if row else None

    def latest_positions(self, article_id: str) -> list[Position]:
        """The positions of the article's most recent extraction: the ones under review."""
        rows = self._conn.rows(
            "SELECT * FROM positions WHERE extraction_id ="
            " (SELECT max(id) FROM extractions WHERE article_id = ?) ORDER BY id",
            (article_id,),
        )
        return [_position(r) for r in rows]

    def latest_position_ids(self, article_ids: Sequence[str]) -> dict[str, set[int]]:
        """The ids of the positions of each article's latest extraction."""
        found: dict[str, set[int]] = {a: set() for a in article_ids}
        for part, marks in batches(article_ids):
            rows = self._conn.rows(
                "SELECT article_id, id FROM positions WHERE extraction_id IN"
                f" (SELECT max(id) FROM extractions WHERE article_id IN ({marks})"
                " GROUP BY article_id)",
                part,
            )
            for article_id, position_id in rows:
                found[article_id].add(position_id)
        return found


_POSITION_COLUMNS = (
    "id",
    "article_id",
    "speaker",
    "role",
    "topic",
    "stance",
    "summary",
    "kind",
    "reason",
    "provider",
    "model",
    "prompt_id",
    "schema_hash",
)


def _position_values(extraction_id: int, p: Position) -> tuple[object, ...]:
    return (
        extraction_id,
        p.article_id,
        p.speaker,
        p.role,
        p.topic,
        p.stance,
        p.summary,
        p.kind,
        json.dumps(p.evidence),
        json.dumps(p.spans),
        json.dumps(p.quotes, ensure_ascii=False),
        int(p.valid),
        p.reason,
        p.provider,
        p.model,
        p.prompt_id,
        p.schema_hash,
        None if p.source is None else json.dumps(list(p.source)),
        p.stance_basis,
    )


def _position(row: sqlite3.Row) -> Position:
    return Position(
        **columns(
            row,
            _POSITION_COLUMNS,
            evidence=json.loads(row["evidence"]),
            spans=[tuple(s) for s in json.loads(row["spans"])],
            quotes=json.loads(row["quotes"]),
            valid=bool(row["valid"]),
            source=tuple(json.loads(row["source"])) if row["source"] else None,
            stance_basis=row["stance_basis"],
        )
    )
