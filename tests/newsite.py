"""A small news site for fetch tests and the fetch benchmark: a real HTTP server on 127.0.0.1.

`Site` serves what its `routes` say (status, headers, body), answers conditional requests with
304 when the ETag or Last-Modified matches, and logs every request (path and headers) so that
tests can assert what a fetch asked. Pages are built from the seed texts with the markup of a
real news page around them: navigation, a cookie banner, related links, a footer, and the
metadata a page declares (canonical URL, site name, publication time, language).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    trickle: float = 0.0  # seconds between two bytes of the body: a server that never stalls


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int


Handler = Callable[["Site", str, dict[str, str]], Route]


class Site:
    """The server; `url(path)` is the address of a path on it."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Handler] = {}
        self.log: list[Request] = []
        self._lock = threading.Lock()
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle's algorithm the second waits
            # for the client's delayed ACK (40 ms a response), which is not what servers do.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                site._answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet: the tests read `site.log`

        class _Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hangs up early (a size limit) is not the test's business

        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        target = self.routes.get(handler.path)
        if target is None:
            route = Route(b"<html><body><h1>Not found</h1></body></html>", 404)
        elif callable(target):
            route = target(self, handler.path, headers)
        else:
            route = target
        status = route.status
        if status == 200 and (
            (route.etag and headers.get("if-none-match") == route.etag)
            or (route.last_modified and headers.get("if-modified-since") == route.last_modified)
        ):
            status = 304
        with self._lock:
            self.log.append(Request(handler.path, headers, status))
        body = b"" if status == 304 else route.body
        handler.send_response(status)
        for name, value in route.headers.items():
            handler.send_header(name, value)
        if route.etag:
            handler.send_header("ETag", route.etag)
        if route.last_modified:
            handler.send_header("Last-Modified", route.last_modified)
        if "content-length" not in {k.lower() for k in route.headers}:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if not route.trickle:
            handler.wfile.write(body)
            return
        for byte in body:  # a read timeout never trips: a byte comes every `trickle` seconds
            try:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
            except OSError:
                return  # the client gave up
            time.sleep(route.trickle)


# pages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    stem: str
    title: str
    published: dt.date
    body: str  # the text as the seed file has it, front matter removed


def read_seeds(folder: Path) -> list[Seed]:
    seeds = []
    for path in sorted(folder.glob("0*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        title = meta.get("title") or body.strip().split("\n")[0][:70]
        seeds.append(Seed(path.stem, title, meta["published"], body))
    return seeds


HTML_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="{charset}">
<title>{title} | {site}</title>
<link rel="canonical" href="{canonical}">
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{published}T07:30:00+00:00">
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<div id="cookie-banner" class="cookie-consent" role="dialog">
<p>We use cookies to personalise content and ads and to analyse our traffic. By clicking
"Accept all" you agree to our use of cookies.</p>
<button>Accept all</button> <button>Manage preferences</button>
</div>
<header class="site-header">
<a class="logo" href="/">{site}</a>
<nav><ul>
<li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
<li><a href="/opinion">Opinion</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/subscribe">Subscribe</a></li>
</ul></nav>
</header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By Staff Reporter · <time datetime="{published}">{published}</time></p>
<div class="article-body">
{paragraphs}
</div>
</article>
<aside class="related">
<h2>Related stories</h2>
<ul>
<li><a href="/world/markets-slide">Markets slide as tariff talks stall</a></li>
<li><a href="/world/storm-warning">Storm warning issued for the northern coast</a></li>
<li><a href="/sport/cup-final">Cup final goes to penalties</a></li>
</ul>
</aside>
</main>
<footer><p>© 2025 {site}. All rights reserved.</p>
<a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></footer>
</body>
</html>
"""


def article_page(
    seed_body: str,
    title: str,
    published: dt.date,
    canonical: str,
    site: str = "Example News",
    lang: str = "en",
    charset: str = "utf-8",
) -> str:
    """A news page around `seed_body`: each line of the seed a paragraph."""
    paragraphs = "\n".join(
        f"<p>{html.escape(line, quote=False)}</p>" for line in seed_body.split("\n") if line.strip()
    )
    return HTML_PAGE.format(
        lang=lang,
        charset=charset,
        title=html.escape(title),
        site=html.escape(site),
        canonical=html.escape(canonical),
        published=published.isoformat(),
        paragraphs=paragraphs,
    )


# feeds ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    published: dt.date
    summary: str = ""


def _when(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=dt.UTC)


def rss(title: str, link: str, items: list[Item]) -> bytes:
    entries = "".join(
        f"<item><title>{html.escape(i.title)}</title><link>{html.escape(i.url)}</link>"
        f"<guid>{html.escape(i.url)}</guid><pubDate>{format_datetime(_when(i.published))}</pubDate>"
        f"<description>{html.escape(i.summary)}</description></item>\n"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>{html.escape(link)}</link>"
        f"<description>News</description><language>en</language>\n{entries}</channel></rss>\n"
    ).encode()


def atom(title: str, link: str, items: list[Item]) -> bytes:
    entries = "".join(
        f'<entry><title>{html.escape(i.title)}</title><link rel="alternate" href="{html.escape(i.url)}"/>'
        f"<id>{html.escape(i.url)}</id><updated>{_when(i.published).isoformat()}</updated>"
        f"<summary>{html.escape(i.summary)}</summary></entry>\n"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{html.escape(title)}</title><link href="{html.escape(link)}"/>'
        f"<id>{html.escape(link)}</id><updated>2025-12-16T08:00:00Z</updated>\n{entries}</feed>\n"
    ).encode()


def json_feed(title: str, link: str, items: list[Item]) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "home_page_url": link,
            "language": "en",
            "items": [
                {
                    "id": i.url,
                    "url": i.url,
                    "title": i.title,
                    "summary": i.summary,
                    "date_published": _when(i.published).isoformat(),
                }
                for i in items
            ],
        }
    ).encode()


HTML_TYPE = {"Content-Type": "text/html; charset=utf-8"}
FEED_TYPES = {
    "rss": {"Content-Type": "application/rss+xml; charset=utf-8"},
    "atom": {"Content-Type": "application/atom+xml; charset=utf-8"},
    "json": {"Content-Type": "application/feed+json"},
}
FEED_BUILDERS = {"rss": rss, "atom": atom, "json": json_feed}
LAST_MODIFIED = "Tue, 16 Dec 2025 08:00:00 GMT"


# the seed site ---------------------------------------------------------------------------------

WEATHER = "Storm warning issued for the northern coast"
FEEDS = {  # path: (kind, feed title, seed stems)
    "/feeds/world.rss": ("rss", "Moscow Wire", ["000", "001"]),
    "/feeds/europe.atom": ("atom", "Kyiv Ledger", ["002", "003"]),
    "/feeds/latest.json": ("json", "Baltic Monitor", ["004"]),
}


def serve_seeds(site: Site, folder: Path) -> None:
    """The seed pages and three feeds linking them; the JSON feed also links a weather story."""
    site.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}
    )
    seeds = {s.stem[:3]: s for s in read_seeds(folder)}
    for seed in seeds.values():
        path = f"/news/{seed.stem[:3]}.html"
        page = article_page(seed.body, seed.title, seed.published, site.url(path))
        site.routes[path] = Route(page.encode(), headers=HTML_TYPE)
    weather = (
        "Forecasters issued a storm warning for the northern coast on Tuesday.\n"
        "Winds of up to 110 km/h are expected overnight, the weather service said.\n"
        "Ferries between the islands were cancelled until Wednesday morning."
    )
    site.routes["/world/storm-warning"] = Route(
        article_page(
            weather, WEATHER, dt.date(2025, 12, 16), site.url("/world/storm-warning")
        ).encode(),
        headers=HTML_TYPE,
    )
    for path, (kind, title, stems) in FEEDS.items():
        items = [
            Item(
                site.url(f"/news/{stem}.html?utm_source=rss"),
                seeds[stem].title,
                seeds[stem].published,
                "Kremlin spokesman Dmitry Peskov spoke to reporters.",
            )
            for stem in stems
        ]
        if kind == "json":
            items.append(
                Item(
                    site.url("/world/storm-warning"), WEATHER, dt.date(2025, 12, 16), "Ferries off."
                )
            )
        site.routes[path] = Route(
            FEED_BUILDERS[kind](title, site.url("/"), items),
            headers=FEED_TYPES[kind],
            etag=f'"{kind}-1"',
            last_modified=LAST_MODIFIED,
        )
