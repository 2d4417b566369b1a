"""One process at a time per `BRIEF_HOME` for work that must not run twice at once: the daily
run (`run.lock`), Batch API submissions (`batch.lock`).

The lock is a file held with filelock (flock on POSIX, msvcrt on Windows): the operating system
drops it when the process ends, however it ends, so a killed run never blocks the next one. A
second process meanwhile fails at once with the caller's message, naming the holder's process id
(kept beside the lock while it is held).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.errors import BriefError


@contextmanager
def exclusive(home: Path, name: str, busy: Callable[[str], str]) -> Iterator[None]:
    """Hold `home/NAME.lock` for the block; when another process holds it, raise a BriefError
    whose message is `busy(holder's process id)`."""
    from filelock import FileLock, Timeout

    home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(home / f"{name}.lock", thread_local=False)
    holder_file = home / f"{name}.pid"
    try:
        lock.acquire(timeout=0)
    except Timeout:
        try:
            holder = holder_file.read_text(encoding="utf-8").strip() or "unknown"
        except OSError:
            holder = "unknown"
        raise BriefError(busy(holder)) from None
    try:
        holder_file.write_text(f"{os.getpid()}\n", encoding="utf-8")
        yield
    finally:
        holder_file.unlink(missing_ok=True)
        lock.release()
