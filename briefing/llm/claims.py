"""One model request in flight per cache key, across threads and processes sharing a BRIEF_HOME.

Two runs at once (cron and a person, two terminals) ask for the same statements. Without a claim,
both miss the cache and both pay for every call. With one, the second waits while the first
asks, then finds the answer in the cache.

A claim is an exclusive `flock` on a file named after the key in `BRIEF_HOME/claims/`. The
operating system drops it when the holder exits or crashes, so a killed run never leaves a
claim behind for the next one to wait on. The holder deletes the file before releasing it; a
waiter that then gets the lock on the deleted file notices (the path no longer names the file
it holds) and claims afresh, so two holders never overlap.

Where `fcntl` does not exist (Windows), there are no claims: runs at once may pay twice.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

POLL = 0.05  # seconds between tries while another holder has the claim


@contextmanager
def claim(folder: Path | None, key: str, until: float | None = None) -> Iterator[bool]:
    """Hold the claim on `key` for the duration of the block; wait for it while another thread
    or process holds it, until time.monotonic() reaches `until` (None: as long as it takes).
    Gives True when held (or when there are no claims), False when the wait ran out."""
    if folder is None or fcntl is None:
        yield True
        return
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key[:32]}.claim"
    fd = _acquire(path, until)
    if fd is None:
        yield False
        return
    try:
        yield True
    finally:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        os.close(fd)  # releases the lock


def _acquire(path: Path, until: float | None) -> int | None:
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if until is not None and time.monotonic() >= until:
                    os.close(fd)
                    return None
                time.sleep(POLL)
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            return fd
        os.close(fd)  # the holder before us deleted this file: claim the new one
