"""Benchmark: everything brief does around the model, for 10,000 synthetic articles.

    python bench/pipeline.py                    # 10 days of 1,000 articles
    python bench/pipeline.py --days 3 --per-day 200 --tracemalloc

Each day, 1,000 new articles of realistic length (bench/_articles.py) are written as Markdown
files, then timed: ingest (read, normalise, segment, store), extract (find, the SDK and the
cache around a simulated model that answers at once with positions pointing at real sentences,
ground, store) and the day's briefing (summary request, render). The store keeps growing, so the
rows show whether a day's work and memory grow with the number of articles already stored.

Target: a day of 1,000 articles under 10 s of non-model work on this machine, and memory that
does not grow with the store. The simulated model's own time is measured and left out of
"program s". One request at a time, so the phase times add up (the work is CPU-bound: threads
would not make it faster under the GIL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _articles import answer_for, write_day

from briefing import pipeline
from briefing.config import load_settings
from briefing.extract import extractor as extracting
from briefing.llm.client import open_client
from briefing.llm.transport import CachingTransport
from briefing.store.database import Store


class Clock:
    """Adds up the time spent in wrapped functions, by label."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.totals[label] += time.perf_counter() - started

        setattr(owner, name, timed)

    def take(self) -> dict[str, float]:
        totals, self.totals = dict(self.totals), defaultdict(float)
        return totals


class SimulatedModel(httpx2.BaseTransport):
    """Answers every chat completion at once (see bench/_articles.py)."""

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json=answer_for(json.loads(request.read())))


def rss_mb() -> tuple[float, float]:
    """(peak, current) resident memory of this process in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        current = pages * resource.getpagesize() / 2**20
    except (OSError, ValueError, IndexError):
        current = float("nan")
    return peak, current


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--per-day", type=int, default=1000)
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure the Python heap's peak per day (slows everything down)",
    )
    args = parser.parse_args()

    clock = Clock()
    clock.wrap(pipeline, "read_articles_report", "read")
    clock.wrap(pipeline, "split_sentences", "segment")
    clock.wrap(extracting, "find_attributions", "find")
    clock.wrap(extracting, "ground_candidates", "ground")
    clock.wrap(pipeline, "render_briefing", "render")
    clock.wrap(Store, "add_article", "store")
    clock.wrap(Store, "save_extraction", "store")
    clock.wrap(CachingTransport, "handle_request", "cache")
    clock.wrap(SimulatedModel, "handle_request", "model")

    with tempfile.TemporaryDirectory(prefix="brief-bench-") as tmp:
        root = Path(tmp)
        settings = load_settings(home=root / "home", provider="openai", model="bench-model")
        settings.concurrency = 1
        store = Store(settings.store_path)
        client = open_client(settings, store, provider="openai", transport=SimulatedModel())
        header = (
            f"{'day':>3} {'stored':>7} {'ingest':>7} {'extract':>8} {'brief':>6} {'program':>8}"
            f" {'model':>6} {'ms/art':>7} {'positions':>9} {'peak MB':>8} {'now MB':>7}"
            f" {'store MB':>8}" + (f" {'heap MB':>8}" if args.tracemalloc else "")
        )
        print(
            f"{args.days} days of {args.per_day} articles; times in seconds; 'model' is the "
            "simulated model's own time, left out of 'program'",
            file=sys.stderr,
        )
        print(header)
        phases: dict[str, float] = defaultdict(float)
        rows = []
        start_day = dt.date(2025, 12, 1)
        for number in range(args.days):
            day = start_day + dt.timedelta(days=number)
            folder = root / "articles" / day.isoformat()
            write_day(folder, day, args.per_day, first_number=number * args.per_day)
            if args.tracemalloc:
                tracemalloc.start()
                tracemalloc.reset_peak()
            started = time.perf_counter()
            report = pipeline.ingest(store, [folder])
            ingested = time.perf_counter()
            outcomes = pipeline.Extractor(store, client, settings).extract(store.articles_on(day))
            extracted = time.perf_counter()
            briefing = pipeline.build_briefing(store, client, settings, day)
            done = time.perf_counter()
            heap = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else 0.0
            if args.tracemalloc:
                tracemalloc.stop()
            assert len(report.added) == args.per_day and not report.problems, report.problems
            assert all(o.error is None for o in outcomes)
            spent = clock.take()
            for label, seconds in spent.items():
                phases[label] += seconds
            model = spent.get("model", 0.0)
            program = done - started - model
            positions = sum(len(o.positions) for o in outcomes)
            peak, now = rss_mb()
            store_mb = sum(p.stat().st_size for p in settings.home.glob("brief.sqlite3*")) / 2**20
            rows.append((number + 1, program))
            print(
                f"{number + 1:>3} {store.count('articles'):>7} {ingested - started:>7.2f}"
                f" {extracted - ingested:>8.2f} {done - extracted:>6.2f} {program:>8.2f}"
                f" {model:>6.2f} {1000 * program / args.per_day:>7.2f} {positions:>9}"
                f" {peak:>8.0f} {now:>7.0f} {store_mb:>8.0f}"
                + (f" {heap:>8.1f}" if args.tracemalloc else ""),
                flush=True,
            )
            assert briefing.articles == args.per_day
            for path in folder.iterdir():
                path.unlink()  # keep the temporary folder small; the store has the text
        store.close()

    total = sum(p for _, p in rows)
    print()
    print(f"all {args.days * args.per_day} articles: {total:.1f} s of program time")
    named = {k: phases[k] for k in ("read", "segment", "store", "find", "ground", "render")}
    named["cache"] = phases["cache"] - phases["model"]  # the cache transport, without the model
    other = total - sum(named.values())  # the SDK building and parsing requests, bookkeeping
    print(
        "where it went (s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in named.items())
        + f", SDK and the rest {other:.1f}; simulated model {phases['model']:.1f} (not counted)"
    )
    if len(rows) > 1:
        first, last = rows[0][1], rows[-1][1]
        print(
            f"day 1 (store of {args.per_day}) {first:.1f} s, day {len(rows)} (store of "
            f"{len(rows) * args.per_day}) {last:.1f} s: x{last / first:.2f}"
        )


if __name__ == "__main__":
    main()
