"""Benchmark: remote throughput against a fake OpenAI-compatible server on 127.0.0.1.

    python bench/remote.py                       # 5 articles, 300 ms per answer, 10% rate-limited
    python bench/remote.py --delay 0.3 --articles 5 --rate-limited 0.1 --concurrency 8 16

The server (http.server in a thread) answers each chat completion after a fixed delay with a
valid extraction (bench/_articles.py), and answers the first attempt of a fixed share of the
requests with HTTP 429 and `Retry-After: 1`. The same articles (about 25 label requests each,
one per statement the finder sends) are extracted once with one request at a time and once per
concurrency given (default: `Settings.concurrency`), each time with an empty cache, through the
real `openai` provider and HTTP. Printed: wall times, requests answered per second, the ratio to
one at a time, how many 429s were sent, and the shortest wait before a rate-limited request came
back (at least 1 s when Retry-After is honoured).

Target: at least 10 times faster than one at a time. A fixed delay caps the ratio at the number
of requests in flight, so reaching it needs a concurrency of more than 10.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _articles import answer_for, write_day

from briefing.config import Settings, load_settings
from briefing.llm.client import open_client
from briefing.pipeline import Extractor, ingest
from briefing.store.database import Store


class FakeServer:
    """An OpenAI-compatible chat completions endpoint that takes `delay` seconds per answer."""

    def __init__(self, delay: float, rate_limited: float) -> None:
        self.delay = delay
        self.rate_limited = rate_limited
        self.lock = threading.Lock()
        self.seen: set[str] = set()
        self.limited_at: dict[str, float] = {}
        self.waits: list[float] = []  # from a 429 to the same request coming back
        self.requests = 0
        self.answered = 0  # requests answered with HTTP 200
        self.in_flight = 0
        self.peak = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
            # Headers and body go out in two writes; with Nagle's algorithm on, the client's
            # delayed ACK would add ~40 ms to every answer, a cost of this fake server only.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                status, headers, payload = server.answer(body)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the figures go to stdout

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def answer(self, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        key = hashlib.sha256(raw).hexdigest()
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
            return 429, {"retry-after": "1"}, json.dumps(error).encode()
        time.sleep(self.delay)
        with self.lock:
            self.in_flight -= 1
        return 200, {}, json.dumps(answer_for(json.loads(raw))).encode()

    def reset(self) -> None:
        with self.lock:
            self.seen.clear()
            self.limited_at.clear()
            self.waits.clear()
            self.requests = self.answered = self.peak = 0


def run(
    server: FakeServer, articles: list[Path], concurrency: int, home: Path
) -> tuple[float, int, int, int]:
    settings = load_settings(home=home, provider="openai", model="bench-model")
    settings.concurrency = concurrency
    server.reset()
    with Store(settings.store_path) as store:
        ingest(store, articles)
        client = open_client(settings, store, provider="openai")
        started = time.perf_counter()
        outcomes = Extractor(store, client, settings).extract(store.all_articles())
        seconds = time.perf_counter() - started
    problems = [o.error for o in outcomes if o.error]
    if problems:
        raise SystemExit(f"extraction failed: {problems[0]}")
    return seconds, sum(len(o.positions) for o in outcomes), server.peak, server.answered


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--delay", type=float, default=0.3, help="seconds per answer")
    parser.add_argument(
        "--rate-limited",
        type=float,
        default=0.1,
        help="share of requests whose first attempt gets 429 Retry-After: 1",
    )
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[Settings(home=Path()).concurrency]
    )
    args = parser.parse_args()

    server = FakeServer(args.delay, args.rate_limited)
    server.thread.start()
    os.environ["OPENAI_BASE_URL"] = server.base_url
    os.environ["OPENAI_API_KEY"] = "bench"
    with tempfile.TemporaryDirectory(prefix="brief-remote-") as tmp:
        root = Path(tmp)
        articles = write_day(root / "articles", dt.date(2025, 12, 16), args.articles, 0)
        print(
            f"{len(articles)} articles; the server answers after "
            f"{args.delay * 1000:.0f} ms and sends 429 Retry-After: 1 to {args.rate_limited:.0%} "
            "of first attempts"
        )
        print(
            f"{'concurrency':>11} {'seconds':>8} {'requests':>8} {'per s':>8} {'x faster':>8}"
            f" {'in flight':>9}"
            f" {'429s':>5} {'shortest wait after 429':>24} {'positions':>9}"
        )
        baseline = 0.0
        for concurrency in [1, *args.concurrency]:
            seconds, positions, peak, requests = run(
                server, articles, concurrency, root / f"home-{concurrency}"
            )
            baseline = baseline or seconds
            waits = sorted(server.waits)
            shortest = f"{waits[0]:.2f} s" if waits else "-"
            print(
                f"{concurrency:>11} {seconds:>8.2f} {requests:>8} {requests / seconds:>8.1f}"
                f" {baseline / seconds:>8.1f} {peak:>9} {len(waits):>5} {shortest:>24}"
                f" {positions:>9}",
                flush=True,
            )
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
