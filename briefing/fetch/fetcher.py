"""Fetching: feeds to items, items to pages, pages to stored articles.

One `Fetcher` per run. Feeds are read in parallel (at most `max_connections` at once; the client
keeps each host to one request at a time, `host_delay` apart). For each feed:

1. a conditional GET with the validators the server gave last time: unchanged costs one 304;
2. items whose title, summary and content do not mention a keyword (when the feed has some)
   are skipped without downloading their page;
3. a page fetched before (by its URL or the canonical URL of a stored article) is not fetched
   again; a new page becomes an article through the ingest stage, and is stored unless its
   canonical URL or its text (the article id) is already there;
4. at most `max_items_per_feed` new pages are downloaded; the feed's other new items are left
   for a later run (its validators are not saved, so the next run reads it again), one line
   in the report saying how many.

A failure is one line in the report and the rest goes on. A page that failed for good (404, no
article text, too large, undecodable) is remembered and not asked again; a page that failed for
now (time-out, 5xx) is retried next run: its feed's validators are then not saved, so the feed
is read again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx2

from briefing.closing import Closing
from briefing.config import FeedSource
from briefing.errors import FetchError
from briefing.fetch.feeds import Feed, FeedItem, KeywordFilter, parse_feed
from briefing.fetch.http import (
    FetchPolicy,
    PoliteClient,
    Resolver,
    RobotsCache,
    Validators,
    check_url,
    resolve_host,
)
from briefing.fetch.pages import page_article
from briefing.models import Article
from briefing.progress import Progress, quiet
from briefing.store.database import Store
from briefing.text.segment import split_sentences

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9,"
    " application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"


@dataclass
class FetchReport:
    feeds: int = 0
    not_modified: int = 0  # feeds that answered 304
    items: int = 0
    filtered: int = 0  # items without a keyword: their pages were not downloaded
    known: int = 0  # pages fetched in an earlier run (or earlier in this one): not asked again
    duplicates: int = 0  # downloaded, but the same canonical URL or text is already stored
    added: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    requests: int = 0  # HTTP requests sent, robots.txt included
    left: int = 0  # new items past a feed's cap: fetched by a later run
    notes: list[str] = field(default_factory=list)  # one line per capped feed; not failures

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def add(self, other: FetchReport) -> None:
        for name in ("feeds", "not_modified", "items", "filtered", "known", "duplicates", "left"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.added.extend(other.added)
        self.problems.extend(other.problems)
        self.notes.extend(other.notes)

    def summary(self) -> str:
        """One line for people: what was asked, stored, skipped and failed."""
        parts = []
        if self.feeds:
            parts.append(f"{self.feeds} feed{'s' * (self.feeds != 1)}")
            if self.not_modified:
                parts[-1] += f" ({self.not_modified} unchanged)"
            parts.append(f"{self.items} item{'s' * (self.items != 1)}")
        parts.append(f"{len(self.added)} new article{'s' * (len(self.added) != 1)}")
        skipped = self.known + self.duplicates + self.filtered
        parts.append(f"{skipped} skipped")
        parts.append(f"{len(self.problems)} failed")
        if self.left:
            parts.append(f"{self.left} left for a later run")
        return ", ".join(parts)


def page_key(url: str) -> str:
    """The URL a page is fetched and remembered by, normalised by courlan so that one page has
    one address: no fragment, host in lower case, no default port, no tracking parameters
    (utm_*, fbclid, gclid and the others courlan knows), the rest sorted."""
    from courlan import normalize_url  # installed with trafilatura

    url = check_url(url)
    parts = urlsplit(url)
    if any("=" not in p for p in parts.query.split("&") if p):
        # "news.php?12345": courlan drops a parameter without a value, and with it what tells
        # two such pages apart; the query is kept as it is.
        bare = urlsplit(normalize_url(parts._replace(query="").geturl()))
        return bare._replace(query=parts.query).geturl()
    return normalize_url(url)


class Fetcher(Closing):
    """Reads feeds and pages into `store` through one polite client."""

    def __init__(
        self,
        store: Store,
        policy: FetchPolicy | None = None,
        progress: Progress = quiet,
        transport: httpx2.BaseTransport | None = None,
        resolve: Resolver = resolve_host,
    ) -> None:
        self.store = store
        self.policy = policy or FetchPolicy()
        self.progress = progress
        self.client = PoliteClient(self.policy, self._robots_cache(), transport, resolve)

    def close(self) -> None:
        self.client.close()

    def run(self, feeds: Sequence[FeedSource], urls: Sequence[str] = ()) -> FetchReport:
        """Every feed, then every URL; a report of all of it."""
        report = FetchReport()
        workers = max(1, min(self.policy.max_connections, len(feeds) + len(urls)))
        with ThreadPoolExecutor(workers, thread_name_prefix="fetch") as pool:
            for part in pool.map(self.feed, feeds):
                report.add(part)
            for part in pool.map(self.url, urls):
                report.add(part)
        report.requests = self.client.requests
        return report

    # one feed ---------------------------------------------------------------------------------

    def feed(self, source: FeedSource) -> FetchReport:
        report = FetchReport(feeds=1)
        state = self.store.http_state(source.url)
        # Validators only hold for the keywords the feed was last read with: with other
        # keywords, items skipped then may be wanted now, so the feed is read whole again.
        keywords = json.dumps(sorted(source.keywords), ensure_ascii=False)
        validators = None
        if state is not None and state.body == keywords:
            validators = Validators(state.etag, state.last_modified)
        try:
            fetched = self.client.get(source.url, validators, accept=FEED_ACCEPT)
            if fetched.not_modified:
                report.not_modified = 1
                self.progress(f"{source.outlet or source.url}: unchanged")
                return report
            feed = parse_feed(fetched.content, fetched.content_type, fetched.final_url)
        except FetchError as exc:
            return self._failed(report, f"feed {exc}")
        keep = KeywordFilter(source.keywords)
        retry = False
        asked = 0  # new pages downloaded (or tried) from this feed
        for item in feed.items:
            report.items += 1
            if not keep.keeps(item.text):
                report.filtered += 1
                continue
            key = self._new_key(report, item.url)
            if key is None:
                continue
            if asked == self.policy.max_items_per_feed:
                report.left += 1
                continue
            asked += 1
            retry |= self._download(report, key, source, feed, item)
        if report.left:
            retry = True  # read the feed again next run: the items left are in it
            report.notes.append(
                f"feed {source.url}: {report.left} new item{'s' * (report.left != 1)} left for"
                f" a later run, past the cap of {self.policy.max_items_per_feed} a run"
                " (fetch_max_items_per_feed)"
            )
        if not retry:
            self.store.save_http_state(
                source.url,
                fetched.headers.get("etag"),
                fetched.headers.get("last-modified"),
                keywords,
            )
        self.progress(
            f"{source.outlet or feed.title or source.url}: {report.items} items, "
            f"{len(report.added)} new, {report.known + report.duplicates} already stored, "
            f"{report.filtered} without a keyword, {len(report.problems)} failed"
            + (f", {report.left} left for a later run" if report.left else "")
        )
        return report

    def url(self, url: str) -> FetchReport:
        """One article URL given by the user."""
        report = FetchReport()
        key = self._new_key(report, url)
        if key is not None:
            self._download(report, key, None, None, None)
        return report

    # one page ---------------------------------------------------------------------------------

    def _new_key(self, report: FetchReport, url: str) -> str | None:
        """The key of a page not fetched before; None (counted) when it was, or is no URL."""
        try:
            key = page_key(url)
        except FetchError as exc:
            self._failed(report, f"page {exc}")
            return None
        if self.store.page_known(key):
            report.known += 1
            return None
        return key

    def _download(
        self,
        report: FetchReport,
        key: str,
        source: FeedSource | None,
        feed: Feed | None,
        item: FeedItem | None,
    ) -> bool:
        """Fetch and store one new page, counting the outcome; True when worth retrying later."""
        try:
            fetched = self.client.get(key, accept=PAGE_ACCEPT)
            article = page_article(
                fetched,
                outlet=source.outlet if source else None,
                feed_title=feed.title if feed else None,
                published=item.published if item else None,
                title=item.title if item else None,
                language=feed.language if feed else None,
            )
        except FetchError as exc:
            if exc.permanent:
                self.store.record_page(key, "refused", reason=exc.reason)
            self._failed(report, f"page {exc}")
            return not exc.permanent
        canonical = page_key(article.url) if article.url else key
        if canonical != key and self.store.page_known(canonical):
            self.store.record_page(key, "duplicate", canonical)
            report.duplicates += 1
            return False
        article = article.model_copy(update={"url": canonical})
        # The same text from two feeds at once: the store's transaction lets one of them in.
        added = self.store.add_article(article, split_sentences(article.text))
        self.store.record_page(key, "stored" if added else "duplicate", canonical, article.id)
        if added:
            report.added.append(article)
            self.progress(f"  stored {canonical} as {article.id}")
        else:
            report.duplicates += 1
        return False

    def _failed(self, report: FetchReport, problem: str) -> FetchReport:
        report.problems.append(problem)  # the caller prints them, once, at the end
        return report

    def _robots_cache(self) -> RobotsCache:
        import datetime as dt

        def load(url: str) -> tuple[str, Validators, float] | None:
            state = self.store.http_state(url)
            if state is None:
                return None
            age = (dt.datetime.now(dt.UTC) - state.checked_at).total_seconds()
            return state.body or "", Validators(state.etag, state.last_modified), age

        def save(url: str, text: str, validators: Validators) -> None:
            self.store.save_http_state(url, validators.etag, validators.last_modified, text)

        return RobotsCache(load, save)


def fetch(
    store: Store,
    feeds: Sequence[FeedSource],
    urls: Sequence[str] = (),
    policy: FetchPolicy | None = None,
    progress: Progress = quiet,
    transport: httpx2.BaseTransport | None = None,
    resolve: Resolver = resolve_host,
) -> FetchReport:
    """Read `feeds` and `urls` into `store`; see the module docstring."""
    with Fetcher(store, policy, progress, transport, resolve) as fetcher:
        return fetcher.run(feeds, urls)
