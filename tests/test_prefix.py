"""The embedded model's saved instructions: restored before the first request of a run, saved
after the first answer, never a reason for a request to fail (`briefing.llm.prefix`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefing.llm import prefix
from briefing.llm.prefix import PrefixCache

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])  # the slot endpoint's stand-in, on loopback


class _Slots(BaseHTTPRequestHandler):
    """llama.cpp's slot endpoint as far as brief uses it: save writes the file, restore reads
    it (and fails when it is not a saved slot)."""

    def do_POST(self) -> None:
        action = self.path.split("action=")[1]
        name = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["filename"]
        path = self.server.folder / name  # type: ignore[attr-defined]
        self.server.calls.append((action, name))  # type: ignore[attr-defined]
        ok = action == "save" or path.read_bytes() == b"slot"
        if action == "save":
            path.write_bytes(b"slot")
        self.send_response(200 if ok else 400)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Slots)
    httpd.folder = tmp_path / "cache"  # type: ignore[attr-defined]
    httpd.folder.mkdir()  # type: ignore[attr-defined]
    httpd.calls = []  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _cache(server: ThreadingHTTPServer, tmp_path: Path) -> PrefixCache:
    weights = tmp_path / "model.gguf"
    weights.write_bytes(b"GGUF")
    address = f"http://127.0.0.1:{server.server_address[1]}"
    return PrefixCache(address, weights, 8192, server.folder)  # type: ignore[attr-defined]


def _body(system: str) -> bytes:
    messages = [{"role": "system", "content": system}, {"role": "user", "content": "x"}]
    return json.dumps({"messages": messages}).encode()


def test_the_first_run_saves_and_the_next_restores_once(server, tmp_path: Path) -> None:
    first = _cache(server, tmp_path)
    key = first.key(_body("You label one statement."))
    assert key is not None and first.key(_body("Other instructions.")) != key
    first.before(key)  # nothing saved yet: nothing to restore
    first.after(key)
    first.after(key)  # saved once
    assert server.calls == [("save", key)]
    second = _cache(server, tmp_path)  # a later run: a new process, the same files
    second.before(key)
    second.before(key)  # restored once a process
    assert server.calls == [("save", key), ("restore", key)]


def test_a_file_that_fails_to_restore_is_removed_and_saved_again(server, tmp_path: Path) -> None:
    cache = _cache(server, tmp_path)
    key = cache.key(_body("You label one statement."))
    assert key is not None
    (server.folder / key).write_bytes(b"from another llama.cpp")
    cache.before(key)
    assert not (server.folder / key).exists()
    cache.after(key)
    assert (server.folder / key).read_bytes() == b"slot"


def test_a_request_without_instructions_is_left_alone(server, tmp_path: Path) -> None:
    cache = _cache(server, tmp_path)
    assert cache.key(b"not json") is None
    assert cache.key(json.dumps({"messages": [{"role": "user", "content": "x"}]}).encode()) is None


def test_a_dead_slot_endpoint_never_fails_a_request(tmp_path: Path) -> None:
    weights = tmp_path / "model.gguf"
    weights.write_bytes(b"GGUF")
    cache = PrefixCache("http://127.0.0.1:9", weights, 8192, tmp_path)
    key = cache.key(_body("You label one statement."))
    assert key is not None
    (tmp_path / key).write_bytes(b"slot")
    cache.before(key)  # refused: the file goes, the request goes on
    cache.after(key)
    assert not (tmp_path / key).exists()


def test_only_the_most_recently_used_prefixes_are_kept(server, tmp_path: Path) -> None:
    cache = _cache(server, tmp_path)
    for n in range(prefix.KEEP + 2):
        key = cache.key(_body(f"Instructions {n}."))
        assert key is not None
        cache.after(key)
    assert len(list(server.folder.glob("*.bin"))) == prefix.KEEP
