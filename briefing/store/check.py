"""SQLite's own checks of the store, for `brief doctor --check`, `brief backup` and the start of
`brief run`.

The full integrity check reads every page and index (about 0.5 s for 200 MB here); the quick
check skips the cross-check of indexes against their tables (about 0.3 s for 200 MB, 10 ms for a
store of a few hundred articles), which is why `brief run`, the unattended command, pays it at
every start: a store damaged in the middle would otherwise brief and email two articles of five
without a word.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def store_problem(path: Path, quick: bool = False) -> str | None:
    """What SQLite's integrity check (or, with `quick`, its quick check) finds wrong with the
    store at `path`, in one line, or None: sound, or no store yet."""
    if not path.exists():
        return None
    pragma = "quick_check(5)" if quick else "integrity_check(5)"
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            rows = [str(r[0]) for r in db.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows == ["ok"]:
        return None
    return "; ".join(" ".join(r.split()) for r in rows)[:300]


def damaged_message(path: Path, problem: str) -> str:
    """The one line that says the store is damaged and how to recover."""
    return (
        f"the store {path} is damaged ({problem}); restore a backup made with `brief backup`,"
        " or move it aside and `brief ingest` the articles again (model answers are asked again)"
    )
