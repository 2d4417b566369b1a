"""`brief fetch` refuses hosts that are not on the public internet, unless allowed.

A feed item or a redirect must not make brief read an intranet page or a cloud metadata address.
Name resolution is a table here (tests cannot use DNS), and the pages are served by a mock
transport that records which hosts were asked: a refused host must never be asked.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import FetchError
from briefing.fetch import FeedSource, FetchPolicy, fetch
from briefing.fetch.addresses import PinnedTransport, check_host, non_public
from briefing.fetch.http import PoliteClient
from briefing.store.database import Store

from .conftest import SEEDS
from .newsite import Item, Route, Site, article_page, read_seeds, rss, serve_seeds

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


# DNS rebinding: the address checked is the address connected to ---------------------------------

PUBLIC = "93.184.216.34"  # a public address; the test's network routes it to a local server
loopback = pytest.mark.allow_hosts(["127.0.0.1"])


def rebinding(monkeypatch: pytest.MonkeyPatch, answers: list[str]) -> list[str]:
    """The system resolver, with rebind.example answering `answers` in turn (the last one from
    then on), as a hostile name server with a zero TTL would; the names asked are returned."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        asked.append(host)
        return real(answers[min(len(asked), len(answers)) - 1], port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def network(monkeypatch: pytest.MonkeyPatch, public: Site) -> list[str]:
    """The test's internet: PUBLIC (any port) is the server `public`, everything else is reached
    as it is; the hosts dialled are returned."""
    real = socket.create_connection
    dialled: list[str] = []

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        dialled.append(address[0])
        if address[0] == PUBLIC:
            address = ("127.0.0.1", public.port)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return dialled


@pytest.fixture
def public_and_intranet() -> Iterator[tuple[Site, Site]]:
    public, intranet = Site(), Site()
    public.routes["/page"] = Route(b"the public page", headers={"Content-Type": "text/html"})
    intranet.routes["/page"] = Route(b"secret", headers={"Content-Type": "text/html"})
    yield public.start(), intranet.start()
    public.stop()
    intranet.stop()


@loopback
def test_a_name_that_rebinds_to_loopback_after_the_check_is_not_followed_there(
    monkeypatch: pytest.MonkeyPatch, public_and_intranet: tuple[Site, Site]
) -> None:
    public, intranet = public_and_intranet
    asked = rebinding(monkeypatch, [PUBLIC, "127.0.0.1"])
    dialled = network(monkeypatch, public)
    url = f"http://rebind.example:{intranet.port}/page"  # the port the loopback server is on
    with PoliteClient(FetchPolicy(host_delay=0.0, robots=False)) as client:
        fetched = client.get(url)
    assert fetched.content == b"the public page"
    assert intranet.log == []  # the second answer, 127.0.0.1, was never asked for or used
    assert asked == ["rebind.example"] and dialled == [PUBLIC]
    assert [r.headers["host"] for r in public.log] == [f"rebind.example:{intranet.port}"]


@pytest.fixture(scope="session")
def rebind_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for rebind.example, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
         "-subj", "/CN=rebind.example", "-addext", "subjectAltName=DNS:rebind.example"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@loopback
def test_https_to_the_checked_address_keeps_the_host_name_for_tls(
    monkeypatch: pytest.MonkeyPatch,
    public_and_intranet: tuple[Site, Site],
    rebind_certificate: tuple[Path, Path],
) -> None:
    public = public_and_intranet[0]
    names: list[str | None] = []
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(*rebind_certificate)

    def heard(sock: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
        names.append(name)

    server_tls.sni_callback = heard
    public.server.socket = server_tls.wrap_socket(public.server.socket, server_side=True)
    dialled = network(monkeypatch, public)
    trusted = ssl.create_default_context(cafile=str(rebind_certificate[0]))

    def dns(host: str) -> list[str]:
        return [PUBLIC]  # every name: the certificate decides which one the server may be

    transport = PinnedTransport(verify=trusted)
    policy = FetchPolicy(host_delay=0.0, robots=False)
    with PoliteClient(policy, transport=transport, resolve=dns) as client:
        fetched = client.get("https://rebind.example/page")
        assert fetched.content == b"the public page"
        assert names == ["rebind.example"]  # the server name sent is the host's, not PUBLIC
        assert public.log[0].headers["host"] == "rebind.example"
        with pytest.raises(FetchError) as refused:  # the certificate is checked against the
            client.get("https://other.example/page")  # host asked for, not the address
    assert "certificate" in refused.value.reason and "other.example" in refused.value.reason
    assert dialled == [PUBLIC, PUBLIC]
