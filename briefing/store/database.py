"""`Store`: the store as one object, combined from one class per group of tables.

Only the store touches SQLite. Where each part lives:

    connection.py  the file: WAL, one transaction per unit of work, failures as StoreError
    migrations.py  the schema: named migrations, recorded as they are applied
    articles.py    articles and sentences         calls.py      the model-call cache
    positions.py   extractions and positions      reviews.py    review history and decisions
    briefings.py   briefings and emails sent      index.py      the tracking index
    fetched.py     feed validators, fetched pages   batches.py    Batch API submissions

The record types are importable from here, as callers always have.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.closing import Closing
from briefing.store.articles import ArticleRows
from briefing.store.batches import BatchRows, StoredBatch
from briefing.store.briefings import BriefingRows, Sending, StoredBriefing
from briefing.store.calls import CachedCall, CallRows
from briefing.store.connection import BUSY_TIMEOUT, Connection
from briefing.store.fetched import FetchRows
from briefing.store.index import IndexRows, IndexWriter, TrackedReport
from briefing.store.migrations import MIGRATIONS, migrate
from briefing.store.positions import Extraction, PositionRows
from briefing.store.reviews import Decision, DecisionChange, ReviewRecord, ReviewRows

__all__ = [
    "MIGRATIONS",
    "CachedCall",
    "Decision",
    "DecisionChange",
    "Extraction",
    "IndexWriter",
    "ReviewRecord",
    "Sending",
    "Store",
    "StoredBatch",
    "StoredBriefing",
    "TrackedReport",
]

_COUNTED = ("articles", "sentences", "llm_calls", "extractions", "positions")


class Store(
    Closing,
    ArticleRows,
    CallRows,
    PositionRows,
    ReviewRows,
    BriefingRows,
    IndexRows,
    FetchRows,
    BatchRows,
):
    """An open store, migrated to the current schema. Safe to share between threads."""

    def __init__(self, path: Path, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self._conn = Connection(path, busy_timeout=busy_timeout)
        try:
            migrate(self._conn)
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One unit of work on the raw connection (for tools outside the package)."""
        with self._conn.transaction() as db:
            yield db

    def count(self, table: str) -> int:
        """How many rows one of the main tables holds."""
        if table not in _COUNTED:
            raise ValueError(table)
        row = self._conn.row(f"SELECT count(*) FROM {table}")
        return int(row[0]) if row else 0
