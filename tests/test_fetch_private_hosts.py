"""`brief fetch` refuses hosts that are not on the public internet, unless allowed.

A feed item or a redirect must not make brief read an intranet page or a cloud metadata address.
Name resolution is a table here (tests cannot use DNS), and the pages are served by a mock
transport that records which hosts were asked: a refused host must never be asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import FetchError
from briefing.fetch import FeedSource, FetchPolicy, fetch
from briefing.fetch.http import PoliteClient, check_host, non_public
from briefing.store.database import Store

from .conftest import SEEDS
from .newsite import Item, Site, article_page, read_seeds, rss, serve_seeds

runner = CliRunner()
POLICY = FetchPolicy(host_delay=0.0)
FIX = "set fetch_private_hosts = true in config.toml to allow it"
DNS = {
    "news.example": ["93.184.216.34"],
    "intranet.example": ["10.0.0.5"],
    "mixed.example": ["93.184.216.35", "192.168.1.20"],  # one public, one private answer
    "mapped.example": ["::ffff:127.0.0.1"],
}


def resolve(host: str) -> list[str]:
    if host not in DNS:
        raise OSError("Name or service not known")
    return DNS[host]


class Server:
    """news.example: a feed, a page, redirects; every request recorded by host and path."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        seed = read_seeds(SEEDS)[0]
        page = article_page(seed.body, seed.title, seed.published, "http://news.example/a.html")
        links = [
            "http://news.example/a.html",
            "http://127.0.0.1/admin",
            "http://intranet.example/wiki",
        ]
        self.routes = {
            "/feed.rss": (rss("News", "http://news.example/", [
                Item(url, f"Story {n}", seed.published) for n, url in enumerate(links)
            ]), "application/rss+xml"),
            "/a.html": (page.encode(), "text/html; charset=utf-8"),
        }  # fmt: skip
        self.redirects = {
            "/metadata": "http://169.254.169.254/latest/meta-data/",
            "/intranet": "http://intranet.example/wiki",
            "/mapped": "http://[::ffff:127.0.0.1]:8080/",
        }

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.asked.append(f"{request.url.host}{request.url.path}")
        path = request.url.path
        if request.url.host != "news.example":
            return httpx2.Response(200, text="secret")  # what the refusal protects
        if path in self.redirects:
            return httpx2.Response(302, headers={"Location": self.redirects[path]})
        if path in self.routes:
            body, kind = self.routes[path]
            return httpx2.Response(200, content=body, headers={"Content-Type": kind})
        return httpx2.Response(404)


@pytest.fixture
def server() -> Server:
    return Server()


@pytest.fixture
def store(isolated: Path) -> Iterator[Store]:
    with Store(isolated / "brief.sqlite3") as opened:
        yield opened


def test_feed_items_on_private_hosts_are_refused_and_the_others_go_in(
    server: Server, store: Store
) -> None:
    feed = FeedSource(url="http://news.example/feed.rss")
    transport = httpx2.MockTransport(server)
    report = fetch(store, [feed], policy=POLICY, transport=transport, resolve=resolve)
    assert [a.url for a in report.added] == ["http://news.example/a.html"]
    assert report.problems == [
        f"page http://127.0.0.1/admin: refused: 127.0.0.1 is a loopback address; {FIX}",
        (
            "page http://intranet.example/wiki: refused: intranet.example resolves to 10.0.0.5,"
            f" a private address; {FIX}"
        ),
    ]
    assert all(asked.startswith("news.example/") for asked in server.asked)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/metadata", "169.254.169.254 is a link-local address"),
        ("/intranet", "intranet.example resolves to 10.0.0.5, a private address"),
        ("/mapped", "::ffff:127.0.0.1 is a loopback address"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused(server: Server, path: str, reason: str) -> None:
    transport = httpx2.MockTransport(server)
    with (
        PoliteClient(POLICY, transport=transport, resolve=resolve) as client,
        pytest.raises(FetchError) as refused,
    ):
        client.get(f"http://news.example{path}")
    assert str(refused.value).startswith("http://")
    assert refused.value.reason == f"refused: {reason}; {FIX}"
    assert refused.value.permanent
    assert "\n" not in str(refused.value)
    assert server.asked == ["news.example/robots.txt", f"news.example{path}"]  # never the target


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address"),
        (
            "http://mapped.example/",
            "mapped.example resolves to ::ffff:127.0.0.1, a loopback address",
        ),
        ("http://[::1]:8080/", "::1 is a loopback address"),
        ("http://mixed.example/", "mixed.example resolves to 192.168.1.20, a private address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
    ],
)
def test_ipv4_mapped_ipv6_and_other_non_public_hosts_are_refused(url: str, reason: str) -> None:
    with pytest.raises(FetchError) as refused:
        check_host(url, resolve)
    assert refused.value.reason == f"refused: {reason}; {FIX}"


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.0.1", "a private address"),
        ("169.254.169.254", "a link-local address"),  # the cloud metadata service
        ("224.0.0.1", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("100.64.0.1", "an address that is not globally routable"),  # carrier-grade NAT
        ("::1", "a loopback address"),
        ("::", "an unspecified address"),
        ("fe80::1%eth0", "a link-local address"),
        ("fd00::1", "a private address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("::ffff:169.254.169.254", "a link-local address"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_what_counts_as_not_public(address: str, kind: str | None) -> None:
    assert non_public(address) == kind


def test_a_host_that_does_not_resolve_is_one_line_and_may_be_retried() -> None:
    with pytest.raises(FetchError) as failed:
        check_host("http://nowhere.example/", resolve)
    assert failed.value.reason.startswith("cannot connect (nowhere.example does not resolve")
    assert not failed.value.permanent


def test_the_setting_allows_private_hosts(server: Server) -> None:
    def no_dns(host: str) -> list[str]:
        raise AssertionError("private hosts allowed: nothing to resolve")

    policy = FetchPolicy(host_delay=0.0, private_hosts=True)
    with PoliteClient(policy, transport=httpx2.MockTransport(server), resolve=no_dns) as client:
        fetched = client.get("http://news.example/intranet")
    assert fetched.final_url == "http://intranet.example/wiki" and fetched.content == b"secret"


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_brief_fetch_refuses_loopback_unless_config_toml_allows_it(isolated: Path) -> None:
    site = Site().start()
    try:
        serve_seeds(site, SEEDS)
        url = site.url("/news/002.html")
        result = runner.invoke(app, ["fetch", "--delay", "0", url])
        assert result.exit_code == 1
        assert f"failed: page {url}: refused: 127.0.0.1 is a loopback address; {FIX}" in (
            result.stderr.splitlines()
        )
        assert site.log == []  # refused before connecting
        isolated.mkdir(parents=True, exist_ok=True)
        (isolated / "config.toml").write_text("fetch_private_hosts = true\n", encoding="utf-8")
        result = runner.invoke(app, ["fetch", "--delay", "0", site.url("/news/003.html")])
        assert result.exit_code == 0, result.output
        assert result.stdout.count("added") == 1
    finally:
        site.stop()
