"""Model calls: the cache that is also the usage log and the source of recorded fixtures.

A call is keyed by the hash of its canonical request; the same request is never sent twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from briefing.store.connection import Rows, columns, now


@dataclass(frozen=True)
class CachedCall:
    key: str
    model: str
    request: dict[str, Any]
    response: dict[str, Any]
    prompt_tokens: int
    completion_tokens: int
    latency: float

    @classmethod
    def answered(
        cls, key: str, request: dict[str, Any], response: dict[str, Any], latency: float
    ) -> CachedCall:
        """The cache row for a chat completion `response` to `request`, its token counts read
        from the response's usage."""
        usage = response.get("usage") or {}
        return cls(
            key=key,
            model=str(request.get("model", "")),
            request=request,
            response=response,
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            latency=latency,
        )


class CallRows(Rows):
    """The `llm_calls` table."""

    def get_call(self, key: str) -> CachedCall | None:
        row = self._conn.row("SELECT * FROM llm_calls WHERE key = ?", (key,))
        return _call(row) if row else None

    def put_call(self, call: CachedCall) -> None:
        with self._conn.transaction() as db:
            insert_call(db, call)

    def calls(self) -> Iterator[CachedCall]:
        """Every cached call, by key."""
        for row in self._conn.rows("SELECT * FROM llm_calls ORDER BY key"):
            yield _call(row)


def insert_call(db: sqlite3.Connection, call: CachedCall) -> None:
    """Keep one answer in the cache, inside the caller's transaction."""
    db.execute(
        "INSERT OR REPLACE INTO llm_calls (key, model, request, response, prompt_tokens,"
        " completion_tokens, latency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            call.key,
            call.model,
            json.dumps(call.request, sort_keys=True, ensure_ascii=False),
            json.dumps(call.response, sort_keys=True, ensure_ascii=False),
            call.prompt_tokens,
            call.completion_tokens,
            call.latency,
            now(),
        ),
    )


def _call(row: sqlite3.Row) -> CachedCall:
    return CachedCall(
        **columns(
            row,
            ("key", "model", "prompt_tokens", "completion_tokens", "latency"),
            request=json.loads(row["request"]),
            response=json.loads(row["response"]),
        )
    )
