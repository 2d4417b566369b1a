"""The store's SQLite file: opening it, transactions, and its failures as one-line errors.

One file, WAL journal (readers do not wait for the writer), foreign keys on. Each unit of work
is one `transaction()`: an interrupted run loses at most the unit in progress. SQLite failures
that come from the file or the disk rather than from the code (locked by another process,
damaged, read-only, full) become a `StoreError` saying what to do, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from briefing.errors import StoreError

BUSY_TIMEOUT = 30.0  # seconds a write waits for another process's write to finish

# What to do, by SQLite's primary result code, when the file or the disk fails. Codes not here
# (a constraint, a misuse) are the program's mistakes: they stay exceptions with a traceback.
_ADVICE: dict[int, str] = {
    sqlite3.SQLITE_BUSY: "is busy: another brief process is writing to it. Wait for it to"
    " finish (or stop it), then run again",
    sqlite3.SQLITE_LOCKED: "is locked by another connection. Wait for it to finish, then run again",
    sqlite3.SQLITE_READONLY: "cannot be written. Make the file and its folder writable, or set"
    " BRIEF_HOME to a writable folder",
    sqlite3.SQLITE_PERM: "cannot be written. Make the file and its folder writable, or set"
    " BRIEF_HOME to a writable folder",
    sqlite3.SQLITE_CANTOPEN: "cannot be opened. Make the folder writable, or set BRIEF_HOME to a"
    " writable folder",
    sqlite3.SQLITE_CORRUPT: "is damaged. Restore it from a backup, or move it away (the next run"
    " starts an empty store; ingest again)",
    sqlite3.SQLITE_NOTADB: "is not a brief store (or is damaged). Point BRIEF_HOME elsewhere, or"
    " move the file away (the next run starts an empty store)",
    sqlite3.SQLITE_FULL: "cannot grow: the disk is full. Free some space, then run again",
    sqlite3.SQLITE_IOERR: "could not be read or written (a disk error). Check the disk and the"
    " folder, then run again",
}


def store_error(path: Path, exc: sqlite3.Error) -> StoreError | None:
    """The one-line error for a failure of the file or the disk; None for any other."""
    code = getattr(exc, "sqlite_errorcode", None)
    advice = _ADVICE.get(code & 0xFF) if isinstance(code, int) else None
    if advice is None:
        return None
    return StoreError(f"the store at {path} {advice} ({exc})")


def now() -> str:
    """The time a row is written, in UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def batches(values: Sequence[Any], size: int = 500) -> Iterator[tuple[list[Any], str]]:
    """`values` in parts small enough for one `IN (...)`, each with its placeholders."""
    for start in range(0, len(values), size):
        part = list(values[start : start + size])
        yield part, ",".join("?" * len(part))


def columns(row: sqlite3.Row, names: Sequence[str], **converted: Any) -> dict[str, Any]:
    """The values of a record made from a row: the columns `names` as stored, and the fields
    that `converted` gives (JSON decoded, dates parsed)."""
    return {name: row[name] for name in names} | converted


class Connection:
    """The open store file. Safe to share between threads: one thread at a time uses it."""

    def __init__(self, path: Path, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the store's folder {path.parent} ({exc.strerror}):"
                " set BRIEF_HOME to a writable folder"
            ) from exc
        self._lock = threading.RLock()
        with self.failures():
            self.db = sqlite3.connect(
                path, check_same_thread=False, isolation_level=None, timeout=busy_timeout
            )
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def failures(self) -> Iterator[None]:
        """Turn a failure of the file or the disk into a `StoreError`."""
        try:
            yield
        except sqlite3.Error as exc:
            error = store_error(self.path, exc)
            if error is None:
                raise
            raise error from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One unit of work: everything written inside is stored, or nothing is."""
        with self._lock, self.failures():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if self.db.in_transaction:  # SQLite rolls back by itself after some failures
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Every row a query reads."""
        with self._lock, self.failures():
            return self.db.execute(sql, args).fetchall()

    def row(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row a query reads, or None."""
        with self._lock, self.failures():
            row: sqlite3.Row | None = self.db.execute(sql, args).fetchone()
            return row


class Rows:
    """The base of the store's per-table classes, which `Store` combines: one connection."""

    _conn: Connection
