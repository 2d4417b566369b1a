"""The embedded model's cache of fixed instructions, kept across runs.

Every label request opens with the same system message (the instructions and the topic list,
about 580 tokens). llama.cpp keeps what its slot last read, so within one run only the first
request reads it; but each run is a new process, and that first read costs 9-14 s on two cores:
a tenth of the five seeds' time. `PrefixCache` saves the slot after the first answer to a system
message it has not seen (llama.cpp's slot save, to a file named by a hash of the model, its
context size and the message) and, in a later run, restores it before the first request that
opens with the same message. A file that fails to restore (another llama.cpp version, a damaged
file) is removed and the prompt is read as before; nothing here can fail a request.
"""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

KEEP = 4  # saved prefixes kept (about 17 MB each); the least recently used go
_SAVE_TIMEOUT = 30.0


class PrefixCache:
    """Restore before, save after: called by the transport around each request it forwards."""

    def __init__(self, address: str, model: Path, n_ctx: int, folder: Path) -> None:
        self._address = address
        self._stamp = f"{model.resolve()}:{model.stat().st_size}:{n_ctx}"
        self._folder = folder
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def key(self, body: bytes) -> str | None:
        """The file name for a request's system message; None for any other request."""
        try:
            messages = json.loads(body).get("messages") or []
        except (ValueError, AttributeError):
            return None
        first = messages[0] if messages and isinstance(messages[0], dict) else {}
        if first.get("role") != "system" or not isinstance(first.get("content"), str):
            return None
        text = f"{self._stamp}\n{first['content']}".encode()
        return hashlib.sha256(text).hexdigest()[:32] + ".bin"

    def before(self, key: str) -> None:
        """Restore the saved slot for this system message, once a process, if there is one."""
        with self._lock:
            if key in self._seen:
                return
            self._seen.add(key)
            path = self._folder / key
            if path.is_file() and not self._slot("restore", key):
                path.unlink(missing_ok=True)
            elif path.is_file():
                path.touch()  # recently used

    def after(self, key: str) -> None:
        """Save the slot once its first answer to this system message is in."""
        with self._lock:
            if (self._folder / key).is_file():
                return
            if self._slot("save", key):
                self._prune()

    def _slot(self, action: str, key: str) -> bool:
        request = urllib.request.Request(
            f"{self._address}/slots/0?action={action}",
            data=json.dumps({"filename": key}).encode(),
            headers={"Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=_SAVE_TIMEOUT) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def _prune(self) -> None:
        files = sorted(self._folder.glob("*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP:]:
            old.unlink(missing_ok=True)
