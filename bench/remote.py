"""Benchmark: remote throughput against a fake OpenAI-compatible server on 127.0.0.1.

    python bench/remote.py                       # 5 articles, 300 ms per answer, 10% rate-limited
    python bench/remote.py --delay 0.3 --articles 5 --rate-limited 0.1 --concurrency 8 16

The server (bench/_server.py: http.server in a thread) answers each chat completion after a
fixed delay with a valid extraction (bench/_articles.py), and answers the first attempt of a
fixed share of the requests with HTTP 429 and `Retry-After: 1`. The same articles (about 25 label requests each,
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
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _articles import write_day
from _server import FakeServer

from briefing.config import Settings, load_settings
from briefing.llm.client import open_client
from briefing.pipeline import Extractor, ingest
from briefing.store.database import Store


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
