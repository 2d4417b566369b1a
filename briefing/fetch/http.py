"""Polite HTTP: the only code in brief that downloads from the web.

`PoliteClient.get` owns every rule a well-behaved fetcher follows, so callers cannot forget one:

* only `http` and `https` URLs, at every redirect hop too;
* only hosts on the public internet, at every hop too: a host that resolves to a private,
  loopback, link-local, multicast, reserved or unspecified address (IPv4, IPv6, IPv4-mapped
  IPv6) is refused before connecting, so a feed cannot point brief at an intranet page or a
  cloud metadata service; `private_hosts` (fetch_private_hosts in config.toml) allows them.
  The connection goes to the address that was checked, never to a second resolution's answer
  (see `addresses`);
* redirects followed by hand, at most `max_redirects`, a loop reported as such;
* robots.txt honoured (cached in the store for a day, re-checked with a conditional GET), its
  Crawl-delay respected;
* one request at a time per host, `host_delay` seconds apart; at most `max_connections` open;
* a clear User-Agent, connect and read timeouts, a size limit enforced while reading;
* conditional GET (If-None-Match, If-Modified-Since) when the caller knows validators.

Every failure is a `FetchError` with a one-line message; `permanent` says whether asking again
later could help (a 404 will not, a time-out may).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import httpx2
from protego import Protego

from briefing.closing import Closing
from briefing.errors import FetchError
from briefing.fetch.addresses import (
    PinnedTransport,
    Resolver,
    check_host,
    connection_host,
    resolve_host,
)

if TYPE_CHECKING:
    from briefing.config import Settings

USER_AGENT = "brief/0.1 (daily news briefing; polite fetcher; honours robots.txt)"
ROBOTS_MAX_AGE = 24 * 3600.0  # RFC 9309: a cached robots.txt may be used for up to a day
MAX_CRAWL_DELAY = 30.0  # a larger Crawl-delay would stall a morning run; such hosts wait this
DISALLOW_ALL = "User-agent: *\nDisallow: /"  # what an unreadable robots.txt means (RFC 9309)


@dataclass(frozen=True)
class FetchPolicy:
    """How politely to fetch. The defaults suit a daily run over a few dozen feeds."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # Seconds a whole response may take once its headers came (a server trickling a byte every
    # few seconds never trips the read timeout), and a whole fetch run: past it, what is left
    # is skipped with a message, so a cron run never holds its lock for ever.
    response_deadline: float = 60.0
    run_deadline: float = 1800.0
    max_bytes: int = 5_000_000  # a feed or a page; news pages are well under 1 MB
    max_items_per_feed: int = 50  # new pages downloaded from one feed in a run; the rest wait
    max_redirects: int = 5
    host_delay: float = 1.0  # seconds between two requests to the same host
    max_connections: int = 8
    robots: bool = True
    private_hosts: bool = False  # allow hosts that resolve to non-public addresses


def fetch_policy(settings: Settings, host_delay: float | None = None) -> FetchPolicy:
    """The policy the settings ask for (config.toml: fetch_private_hosts, the deadlines and the
    cap on items per feed)."""
    return FetchPolicy(
        host_delay=FetchPolicy.host_delay if host_delay is None else host_delay,
        private_hosts=settings.fetch_private_hosts,
        response_deadline=settings.fetch_response_deadline,
        run_deadline=settings.fetch_run_deadline,
        max_items_per_feed=settings.fetch_max_items_per_feed,
    )


@dataclass(frozen=True)
class Fetched:
    """A successful answer: 200 with its body, or 304 (`not_modified`, empty body)."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    headers: httpx2.Headers
    content: bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass(frozen=True)
class Validators:
    """What a server said about a resource's version, sent back to ask whether it changed."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out

    @classmethod
    def of(cls, headers: httpx2.Headers) -> Validators:
        return cls(headers.get("etag"), headers.get("last-modified"))


@dataclass
class RobotsCache:
    """Where robots.txt files are kept between runs (the store, in practice): `load(url)` gives
    (text, validators, age in seconds) or None; `save(url, text, validators)` keeps one."""

    load: Callable[[str], tuple[str, Validators, float] | None] = lambda url: None
    save: Callable[[str, str, Validators], None] = lambda url, text, v: None


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0  # monotonic time before which no request may start
    delay: float = 0.0


def check_url(url: str) -> str:
    """`url` without its fragment, after refusing anything but an absolute http(s) URL."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(url, "only http and https URLs are fetched", permanent=True)
    if not parts.hostname:
        raise FetchError(url, "the URL has no host name", permanent=True)
    return parts._replace(fragment="").geturl()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class PoliteClient(Closing):
    """One per run; safe to share between threads."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        robots_cache: RobotsCache | None = None,
        transport: httpx2.BaseTransport | None = None,
        resolve: Resolver = resolve_host,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self.resolve = resolve  # tests give a table: they cannot use real DNS
        self.robots_cache = robots_cache or RobotsCache()
        self.requests = 0  # sent, robots.txt included (for reports and tests)
        limits = httpx2.Limits(
            max_connections=self.policy.max_connections,
            max_keepalive_connections=self.policy.max_connections,
        )
        if transport is None and not self.policy.private_hosts:
            transport = PinnedTransport(limits)
        # Where checked addresses are pinned; a test's mock transport connects nowhere.
        self._pinned = transport if isinstance(transport, PinnedTransport) else None
        self._client = httpx2.Client(
            headers={"User-Agent": self.policy.user_agent},
            timeout=httpx2.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout),
            limits=limits,
            follow_redirects=False,  # each hop is checked here (scheme, robots, loops)
            transport=transport,
            trust_env=False,  # no proxy or netrc picked up silently from the environment
        )
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, Protego] = {}
        self._lock = threading.Lock()
        self._started = time.monotonic()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, validators: Validators | None = None, accept: str = "*/*") -> Fetched:
        """GET `url` by the rules above; `validators` make it a conditional request."""
        asked = url
        if time.monotonic() - self._started > self.policy.run_deadline:
            raise FetchError(
                url,
                f"skipped: the fetch run passed its deadline of {self.policy.run_deadline:g} s"
                " (fetch_run_deadline)",
            )
        url = check_url(url)
        seen = {url}
        headers = {"Accept": accept, **(validators.headers() if validators else {})}
        for _ in range(self.policy.max_redirects + 1):
            try:
                allowed = not self.policy.robots or self._allowed(url)
            except FetchError as exc:  # robots.txt unreachable: so is the URL; name the URL
                raise FetchError(url, exc.reason, permanent=exc.permanent) from None
            if not allowed:
                raise FetchError(url, "robots.txt disallows fetching it", permanent=True)
            status, response_headers, content, location = self._request(url, headers)
            if location is None:
                if status == 304:
                    return Fetched(asked, url, status, response_headers, b"")
                return Fetched(asked, url, status, response_headers, content)
            target = check_url(urljoin(url, location))
            if target in seen:
                raise FetchError(asked, f"redirect loop (back to {target})", permanent=True)
            seen.add(target)
            url = target
        raise FetchError(asked, f"more than {self.policy.max_redirects} redirects", permanent=True)

    # one request ----------------------------------------------------------------------------

    def _request(
        self, url: str, headers: dict[str, str]
    ) -> tuple[int, httpx2.Headers, bytes, str | None]:
        """(status, headers, body, redirect location or None) of one request, after waiting
        for the host's turn; an error status or an oversized body is a FetchError. Every request
        goes through here (pages, feeds, redirect hops, robots.txt), so every one is checked."""
        if not self.policy.private_hosts:
            addresses = check_host(url, self.resolve)  # resolved once: checked, then dialled
            if self._pinned is not None:
                self._pinned.pin(connection_host(url), addresses)
        host = self._host(url)
        with host.lock:
            wait = host.next_at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                return self._send(url, headers)
            finally:
                host.next_at = time.monotonic() + host.delay

    def _send(
        self, url: str, headers: dict[str, str]
    ) -> tuple[int, httpx2.Headers, bytes, str | None]:
        limit = self.policy.max_bytes
        with self._lock:
            self.requests += 1
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(
                            url, f"HTTP {status} redirect without a Location", status=status
                        )
                    return status, response.headers, b"", location
                if status == 304:
                    return status, response.headers, b"", None
                if status != 200:
                    phrase = response.reason_phrase or ""
                    raise FetchError(
                        url,
                        f"HTTP {status} {phrase}".rstrip(),
                        permanent=status in (404, 410) or 400 <= status < 500 and status != 429,
                        status=status,
                    )
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(url, _too_big(int(declared), limit), permanent=True)
                body = bytearray()
                until = time.monotonic() + self.policy.response_deadline
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > limit:
                        raise FetchError(url, _too_big(None, limit), permanent=True)
                    if time.monotonic() > until:
                        raise FetchError(
                            url,
                            f"too slow: not downloaded within {self.policy.response_deadline:g}"
                            " s (fetch_response_deadline); try later",
                        )
                return status, response.headers, bytes(body), None
        except httpx2.TimeoutException:
            raise FetchError(url, "timed out; the server is slow or down, try later") from None
        except httpx2.ConnectError as exc:
            raise FetchError(url, f"cannot connect ({_first_line(exc)})") from None
        except httpx2.HTTPError as exc:
            raise FetchError(url, f"download failed ({_first_line(exc)})") from None

    def _host(self, url: str) -> _Host:
        name = (urlsplit(url).hostname or "").lower()  # http and https of a host: one host
        with self._lock:
            host = self._hosts.get(name)
            if host is None:
                host = self._hosts[name] = _Host(delay=self.policy.host_delay)
            return host

    # robots.txt -----------------------------------------------------------------------------

    def _allowed(self, url: str) -> bool:
        origin = _origin(url)
        host = self._host(url)
        with host.robots_lock:  # one thread reads a host's robots.txt; the others wait for it
            parser = self._robots.get(origin)
            if parser is None:
                parser = self._load_robots(origin + "/robots.txt")
                self._robots[origin] = parser
                delay = parser.crawl_delay(self._product)
                if delay is not None:
                    host.delay = max(host.delay, min(float(delay), MAX_CRAWL_DELAY))
        return parser.can_fetch(url, self._product)

    @property
    def _product(self) -> str:
        """The product token robots.txt groups name ("brief"), RFC 9309 section 2.2.1."""
        return self.policy.user_agent.split("/", 1)[0].strip()

    def _load_robots(self, robots_url: str) -> Protego:
        """The host's rules: from the cache when under a day old, else asked (conditionally).
        Per RFC 9309 a missing robots.txt (4xx) allows everything; a server error forbids
        everything until it answers again, which surfaces as a failure of the page. Protego
        reads them as RFC 9309 says (the standard library's parser does not): `*` and `$` in
        paths, and the longest matching rule wins, Allow on a tie."""
        cached = self.robots_cache.load(robots_url)
        if cached is not None and cached[2] < ROBOTS_MAX_AGE:
            return Protego.parse(cached[0])
        try:
            status, headers, body, location = self._request(
                robots_url, cached[1].headers() if cached else {}
            )
            if location is not None:  # usually http -> https: one hop, no more
                status, headers, body, location = self._request(
                    check_url(urljoin(robots_url, location)), {}
                )
        except FetchError as exc:
            if exc.status is None:
                raise  # cannot connect: the caller reports the page or feed as unreachable
            if 400 <= exc.status < 500:
                self.robots_cache.save(robots_url, "", Validators())
                return Protego.parse("")  # no robots.txt: everything is allowed
            return Protego.parse(DISALLOW_ALL)  # a server error, a redirect without a Location
        if location is not None:  # redirected twice
            return Protego.parse(DISALLOW_ALL)
        if status == 304 and cached is not None:
            text = cached[0]
        else:
            text = body.decode("utf-8-sig", errors="replace")  # a BOM would hide line one
        self.robots_cache.save(robots_url, text, Validators.of(headers))
        return Protego.parse(text)


def _too_big(size: int | None, limit: int) -> str:
    said = f" ({size / 1_000_000:.1f} MB)" if size is not None else ""
    return f"larger than the {limit / 1_000_000:.1f} MB limit{said}; not downloaded"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
