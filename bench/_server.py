"""Shared by the benchmarks (not a benchmark itself): an OpenAI-compatible chat completions
endpoint on 127.0.0.1, served by threads of the benchmark's own process.

By default it plays a remote model: each answer comes after a fixed delay, made by
`answer_for` (bench/_articles.py), and the first attempt of a fixed share of the requests gets
HTTP 429 with `Retry-After: 1`. Given an `upstream` (another server's /v1 address, e.g. the
embedded model's llama.cpp server), it forwards each request there instead and passes the answer
back: a recording front for a real server.

Either way it keeps a log of every request it answered, by the request's cache key (the hash of
its canonical JSON, as brief's cache keys it) and the moment its answer was written to the
socket. A benchmark that kills its client can then tell the requests answered before the kill
from those cut off in flight, and check that a restarted run asks none of the first kind again.
"""

from __future__ import annotations

import json
import math
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from _articles import answer_for

from briefing.llm.fixtures import request_key


@dataclass(frozen=True)
class Served:
    """One answer the server gave: to which request, with which status, and when it was written
    (time.monotonic(); infinite when writing it failed, so the client never got it)."""

    key: str
    status: int
    written: float


class FakeServer:
    """An OpenAI-compatible chat completions endpoint that takes `delay` seconds per answer, or
    forwards to `upstream`."""

    def __init__(
        self, delay: float, rate_limited: float = 0.0, upstream: str | None = None
    ) -> None:
        self.delay = delay
        self.rate_limited = rate_limited
        self.upstream = upstream.rstrip("/") if upstream else None
        # A proxy from the environment cannot reach a loopback upstream.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self.lock = threading.Lock()
        self.seen: set[str] = set()
        self.limited_at: dict[str, float] = {}
        self.waits: list[float] = []  # from a 429 to the same request coming back
        self.log: list[Served] = []
        self.requests = 0
        self.answered = 0  # requests answered with HTTP 200
        self.delivered = 0  # answers with HTTP 200 written to the socket
        self.in_flight = 0
        self.peak = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/v1"

    def answer(self, raw: bytes) -> tuple[int, dict[str, str], bytes, str]:
        """Status, headers, body, and the request's key."""
        body = json.loads(raw)
        key = request_key(body)
        now = time.monotonic()
        with self.lock:
            self.requests += 1
            first = key not in self.seen
            self.seen.add(key)
            if key in self.limited_at:
                self.waits.append(now - self.limited_at.pop(key))
            # The same requests are limited in every run: the share is taken from the key.
            limited = first and int(key[:8], 16) / 16**8 < self.rate_limited
            if limited:
                self.limited_at[key] = now
            else:
                self.answered += 1
                self.in_flight += 1
                self.peak = max(self.peak, self.in_flight)
        if limited:
            error = {
                "error": {
                    "message": "Rate limit reached",
                    "type": "requests",
                    "code": "rate_limit_exceeded",
                }
            }
            return 429, {"retry-after": "1"}, json.dumps(error).encode(), key
        try:
            if self.upstream is not None:
                status, payload = self._forward(raw)
            else:
                time.sleep(self.delay)
                status, payload = 200, json.dumps(answer_for(body)).encode()
        finally:
            with self.lock:
                self.in_flight -= 1
        return status, {}, payload, key

    def _forward(self, raw: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(
            f"{self.upstream}/chat/completions",
            data=raw,
            headers={"content-type": "application/json"},
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=600) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def served(self, key: str, status: int, written: float) -> None:
        with self.lock:
            self.log.append(Served(key, status, written))
            if status == 200 and written < math.inf:
                self.delivered += 1

    def reset(self) -> None:
        """Forget everything but the log, for the next run."""
        with self.lock:
            self.seen.clear()
            self.limited_at.clear()
            self.waits.clear()
            self.requests = self.answered = self.delivered = self.peak = 0


def _handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
        # Headers and body go out in two writes; with Nagle's algorithm on, the client's
        # delayed ACK would add ~40 ms to every answer, a cost of this fake server only.
        disable_nagle_algorithm = True

        def handle(self) -> None:
            try:
                super().handle()
            except ConnectionError:  # a killed client's connection: nothing more to answer
                self.close_connection = True

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length", 0)))
            try:
                status, headers, payload, key = server.answer(raw)
            except ValueError:  # a client killed while sending: half a body
                self.close_connection = True
                return
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                written = time.monotonic()
            except OSError:  # the client is gone: it never got this answer
                self.close_connection = True
                written = math.inf
            server.served(key, status, written)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the figures go to stdout

    return Handler
