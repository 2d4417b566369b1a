"""Benchmark: `brief fetch` over 20 feeds of 50 items each, served on 127.0.0.1.

    python bench/fetch.py                 # RSS, Atom and JSON feeds in turn; no per-host delay
    python bench/fetch.py --delay 0.01    # with a per-host delay (all feeds share one host here)

Times, in a fresh store: the first fetch (robots.txt, 20 feeds, 1,000 pages downloaded,
extracted with trafilatura and stored), then a second, unchanged fetch (20 conditional requests
answered 304), then a third after the feeds dropped their validators (20 feeds downloaded again,
every page already known). Each page is a seed text with a line of its own, so that all 1,000
are different articles. Everything is local: this measures brief, not the network.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.config import FeedSource
from briefing.fetch import FetchPolicy, FetchReport, fetch
from briefing.resources import CHECKOUT_DIR
from briefing.store.database import Store
from tests.newsite import (
    FEED_BUILDERS,
    FEED_TYPES,
    HTML_TYPE,
    LAST_MODIFIED,
    Item,
    Route,
    Site,
    article_page,
    read_seeds,
)

FEEDS = 20
ITEMS = 50


def build_site(site: Site) -> list[FeedSource]:
    seeds = read_seeds(CHECKOUT_DIR / "seeds")
    site.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n")
    kinds = list(FEED_BUILDERS)
    sources = []
    for f in range(FEEDS):
        items = []
        for i in range(ITEMS):
            seed = seeds[(f * ITEMS + i) % len(seeds)]
            path = f"/desk{f}/story{i}.html"
            body = f"Desk {f} filed report {i} on the talks.\n{seed.body}"
            day = dt.date(2025, 12, 16) - dt.timedelta(days=i % 7)
            page = article_page(body, f"{seed.title} ({f}-{i})", day, site.url(path))
            site.routes[path] = Route(page.encode(), headers=HTML_TYPE)
            items.append(Item(site.url(path), f"{seed.title} ({f}-{i})", day, "Peskov said"))
        kind = kinds[f % len(kinds)]
        path = f"/desk{f}/feed"
        site.routes[path] = Route(
            FEED_BUILDERS[kind](f"Desk {f}", site.url("/"), items),
            headers=FEED_TYPES[kind],
            etag=f'"desk{f}-v1"',
            last_modified=LAST_MODIFIED,
        )
        sources.append(FeedSource(url=site.url(path), outlet=f"Desk {f}"))
    return sources


def timed(
    store: Store, sources: list[FeedSource], policy: FetchPolicy
) -> tuple[float, FetchReport]:
    started = time.perf_counter()
    report = fetch(store, sources, policy=policy)
    return time.perf_counter() - started, report


def line(name: str, seconds: float, report: FetchReport) -> str:
    return (
        f"{name:34} {seconds:7.2f} s  {report.requests:5} requests  "
        f"{len(report.added):5} stored  {report.not_modified:3} feeds unchanged  "
        f"{len(report.problems)} failed"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delay", type=float, default=0.0, help="per-host delay, seconds")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    policy = FetchPolicy(
        host_delay=args.delay,
        max_connections=args.connections,
        private_hosts=True,  # the site is on 127.0.0.1
    )
    site = Site().start()
    try:
        sources = build_site(site)
        with tempfile.TemporaryDirectory() as home, Store(Path(home) / "brief.sqlite3") as store:
            first_time, first = timed(store, sources, policy)
            second_time, second = timed(store, sources, policy)
            for path in (f"/desk{f}/feed" for f in range(FEEDS)):
                route = site.routes[path]
                assert isinstance(route, Route)
                route.etag = route.last_modified = None
            third_time, third = timed(store, sources, policy)
            articles = store.count("articles")
    finally:
        site.stop()
    print(f"{FEEDS} feeds x {ITEMS} items on 127.0.0.1, per-host delay {args.delay} s, "
          f"{args.connections} connections")  # fmt: skip
    print(line("first fetch (download and store)", first_time, first))
    print(f"{'':34} {1000 * first_time / max(1, len(first.added)):7.1f} ms per stored article")
    print(line("second fetch (unchanged, 304s)", second_time, second))
    print(line("third (no validators, pages known)", third_time, third))
    print(f"articles in the store: {articles}")
    ok = articles == FEEDS * ITEMS and not (first.problems or second.added or third.added)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
