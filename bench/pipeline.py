"""Benchmark: everything brief does around the model, for 10,000 synthetic articles.

    python bench/pipeline.py                    # 10 days of 1,000 articles
    python bench/pipeline.py --days 3 --per-day 200 --tracemalloc
    python bench/pipeline.py --days 2 --profile /tmp/profile.txt   # also cProfile's top lines

Each day, 1,000 new articles of realistic length (bench/_articles.py) are written as Markdown
files, then timed: ingest (read, normalise, segment, store), extract (find, the SDK and the
cache around a simulated model that answers at once with positions pointing at real sentences,
ground, store) and the day's briefing (summary request, render). The store keeps growing, so the
rows show whether a day's work and memory grow with the number of articles already stored.
At the end, the program's time per article by phase: read, segment, store (articles and
extractions), find (the finder), worth (the rules that set candidates aside), items (the label
items), rules (stance read from the words), sdk (the model client and the SDK around a request,
cache and model left out), cache (the call cache below the SDK, model left out), ground, track
(the positions against the stored history), render, and the rest.

Target: a day of 1,000 articles under 10 s of non-model work on this machine, and memory that
does not grow with the store. The simulated model's own time is measured and left out of
"program s". One request at a time, so the phase times add up (the work is CPU-bound: threads
would not make it faster under the GIL).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import pstats
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

# The checkout this file is in, not whichever `briefing` is installed.
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from _articles import answer_for, write_day

from briefing import pipeline
from briefing.config import load_settings
from briefing.extract import extractor as extracting
from briefing.extract import readings
from briefing.llm.client import ModelClient, open_client
from briefing.llm.transport import CachingTransport
from briefing.store.database import Store


class Clock:
    """Adds up the time spent in wrapped functions, by label."""

    def __init__(self) -> None:
        self.now = time.perf_counter  # or time.process_time (--cpu)
        self.totals: dict[str, float] = defaultdict(float)

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = self.now()
            try:
                return original(*args, **kwargs)
            finally:
                self.totals[label] += self.now() - started

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


# The phases, as the clock labels them; "sdk" and "cache" have what they wrap taken out.
PHASES = (
    "read",
    "segment",
    "store",
    "find",
    "worth",
    "items",
    "rules",
    "sdk",
    "cache",
    "ground",
    "track",
    "render",
)


def start_clock(cpu: bool) -> Clock:
    clock = Clock()
    if cpu:
        clock.now = time.process_time
    clock.wrap(pipeline, "read_articles_report", "read")
    clock.wrap(pipeline, "split_sentences", "segment")
    clock.wrap(extracting, "find_attributions", "find")
    clock.wrap(extracting, "not_a_position", "worth")
    clock.wrap(extracting, "items_from_candidates", "items")
    clock.wrap(readings, "read_stance", "rules")
    clock.wrap(extracting, "ground_candidates", "ground")
    clock.wrap(pipeline, "track_positions", "track")
    clock.wrap(pipeline, "render_briefing", "render")
    clock.wrap(Store, "add_article", "store")
    clock.wrap(Store, "save_extraction", "store")
    clock.wrap(ModelClient, "parse", "sdk")
    clock.wrap(CachingTransport, "handle_request", "cache")
    clock.wrap(SimulatedModel, "handle_request", "model")
    return clock


def run(args: argparse.Namespace) -> tuple[list[tuple[int, float]], dict[str, float]]:
    """The days, a row printed for each: (day, program seconds) and the seconds by phase."""
    clock = start_clock(args.cpu)
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
            f"{args.days} days of {args.per_day} articles; times in"
            f" {'CPU ' if args.cpu else ''}seconds; 'model' is the "
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
            started = clock.now()
            report = pipeline.ingest(store, [folder])
            ingested = clock.now()
            outcomes = pipeline.Extractor(store, client, settings).extract(store.articles_on(day))
            extracted = clock.now()
            briefing = pipeline.build_briefing(store, client, settings, day)
            done = clock.now()
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
    return rows, phases


def summarise(
    args: argparse.Namespace, rows: list[tuple[int, float]], phases: dict[str, float]
) -> None:
    total = sum(p for _, p in rows)
    articles = args.days * args.per_day
    print()
    print(f"all {articles} articles: {total:.1f} s of program time")
    named = {k: phases[k] for k in PHASES}
    named["cache"] = phases["cache"] - phases["model"]  # the cache transport, without the model
    named["sdk"] = phases["sdk"] - phases["cache"]  # the client and SDK, without the cache
    named["rest"] = total - sum(named.values())  # bookkeeping between the phases
    print(
        "where it went (s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in named.items())
        + f"; simulated model {phases['model']:.1f} (not counted)"
    )
    print(
        f"ms per article: total {1000 * total / articles:.2f} = "
        + " + ".join(f"{k} {1000 * v / articles:.2f}" for k, v in named.items())
    )
    if len(rows) > 1:
        first, last = rows[0][1], rows[-1][1]
        print(
            f"day 1 (store of {args.per_day}) {first:.1f} s, day {len(rows)} (store of "
            f"{len(rows) * args.per_day}) {last:.1f} s: x{last / first:.2f}"
        )


def write_profile(profile: cProfile.Profile, path: Path, lines: int = 40) -> None:
    """cProfile's top lines, by cumulative time and by own time, into `path`."""
    out = io.StringIO()
    for order in ("cumulative", "tottime"):
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(order).print_stats(lines)
    path.write_text(out.getvalue(), encoding="utf-8")
    profile.dump_stats(path.with_suffix(".prof"))  # all of it, for pstats or snakeviz
    print(f"profile (top {lines} lines by cumulative and by own time): {path}")


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
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="run under cProfile (slower) and write its top 40 lines, by cumulative and by"
        " own time, to FILE (and the whole profile to FILE with the suffix .prof)",
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time in CPU seconds of this process rather than wall-clock seconds: steadier on a"
        " machine that other work shares",
    )
    args = parser.parse_args()
    if args.profile is None:
        rows, phases = run(args)
    else:
        # With --cpu, the profile counts CPU time too: wall time on a shared machine is noise.
        profile = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
        rows, phases = profile.runcall(run, args)
    summarise(args, rows, phases)
    if args.profile is not None:
        write_profile(profile, args.profile)


if __name__ == "__main__":
    main()
