"""Fetching feeds and pages from a real HTTP server on 127.0.0.1 started by the tests.

The site (tests/newsite.py) serves an RSS 2.0, an Atom and a JSON Feed, each linking article
pages built from the seed texts inside realistic markup. The tests may connect to 127.0.0.1 only;
since brief refuses loopback hosts by default, they allow them (`private_hosts`, or
`fetch_private_hosts = true` in config.toml), except the tests of that refusal.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import FetchError
from briefing.fetch import FeedSource, FetchPolicy, fetch
from briefing.fetch.fetcher import page_key
from briefing.fetch.http import PoliteClient
from briefing.ingest.articles import read_articles
from briefing.store.database import Store

from .conftest import SEEDS
from .newsite import (
    FEED_BUILDERS,
    FEED_TYPES,
    FEEDS,
    HTML_TYPE,
    WEATHER,
    Item,
    Route,
    Site,
    article_page,
    read_seeds,
    serve_seeds,
)

loopback = pytest.mark.allow_hosts(["127.0.0.1"])
pytestmark = loopback
runner = CliRunner()

FAST = FetchPolicy(host_delay=0.0, connect_timeout=2.0, read_timeout=5.0, private_hosts=True)
SMALL = FetchPolicy(host_delay=0.0, max_bytes=200_000, private_hosts=True)
ALLOW_LOOPBACK = "fetch_private_hosts = true\n"  # config.toml: the test site is on 127.0.0.1


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site().start()
    serve_seeds(server, SEEDS)
    yield server
    server.stop()


@pytest.fixture
def store(isolated: Path) -> Iterator[Store]:
    with Store(isolated / "brief.sqlite3") as opened:
        yield opened


def sources(site: Site, **kwargs: object) -> list[FeedSource]:
    return [FeedSource(url=site.url(path), **kwargs) for path in FEEDS]  # type: ignore[arg-type]


def seed_text(stem: str) -> str:
    (path,) = SEEDS.glob(f"{stem}_*.md")
    return read_articles(path)[0].text


def test_feeds_of_three_kinds_become_articles_with_outlet_date_and_url(
    site: Site, store: Store
) -> None:
    report = fetch(store, sources(site), policy=FAST)
    assert report.problems == []
    assert (report.feeds, report.items, len(report.added)) == (3, 6, 6)
    stored = {a.url: a for a in store.all_articles()}
    peskov = stored[site.url("/news/000.html")]  # the canonical URL, tracking parameters gone
    assert peskov.source == "Moscow Wire"  # the feed's title names the outlet
    assert peskov.published == dt.date(2025, 12, 16) and peskov.date_status.value == "metadata"
    assert peskov.language == "en"
    # Main text only: navigation, cookie banner, related links and footer are not in it, and
    # the seed's words are there exactly as the seed file gives them.
    assert peskov.text == seed_text("000")
    for furniture in ("cookies", "Subscribe", "Markets slide", "All rights reserved"):
        assert furniture not in peskov.text
    atom_article = stored[site.url("/news/003.html")]
    assert atom_article.source == "Kyiv Ledger" and atom_article.published == dt.date(2025, 8, 27)
    assert atom_article.title == "Russia, US maintain Ukraine talks as Putin, Trump engage: Kremlin"
    assert stored[site.url("/news/004.html")].source == "Baltic Monitor"
    # Every request said who is asking.
    assert all(r.headers["user-agent"].startswith("brief/") for r in site.log)


def test_second_fetch_asks_only_whether_the_feeds_changed(site: Site, store: Store) -> None:
    fetch(store, sources(site), policy=FAST)
    before = store.count("articles")
    first = len(site.log)
    report = fetch(store, sources(site), policy=FAST)
    again = site.log[first:]
    assert sorted(r.path for r in again) == sorted(FEEDS)  # robots.txt came from the store
    assert all(r.status == 304 for r in again)
    assert all(r.headers.get("if-none-match") and r.headers.get("if-modified-since") for r in again)
    assert report.not_modified == 3 and report.added == [] and report.problems == []
    assert store.count("articles") == before


def test_a_feed_without_validators_costs_no_page_request_the_second_time(
    site: Site, store: Store
) -> None:
    for path in FEEDS:
        route = site.routes[path]
        assert isinstance(route, Route)
        route.etag = route.last_modified = None
    fetch(store, sources(site), policy=FAST)
    first = len(site.log)
    report = fetch(store, sources(site), policy=FAST)
    assert sorted(r.path for r in site.log[first:]) == sorted(FEEDS)
    assert report.known == 6 and report.added == []


def test_keywords_keep_only_items_that_mention_one(site: Site, store: Store) -> None:
    report = fetch(store, sources(site, keywords=("peskov",)), policy=FAST)
    assert report.filtered == 1 and len(report.added) == 5
    assert site.requests_to("/world/storm-warning") == []  # its page was never downloaded
    report = fetch(store, sources(site), policy=FAST)  # without keywords it comes in
    assert [a.title for a in report.added] == [WEATHER]


def test_tracking_parameters_do_not_make_a_page_new(site: Site, store: Store) -> None:
    url = site.url("/news/000.html")
    fetch(store, [], [url], policy=FAST)
    asked = len(site.log)
    again = [url + "?utm_source=x&fbclid=y", url + "?gclid=z#comments"]
    report = fetch(store, [], again, policy=FAST)
    assert report.known == 2 and report.problems == [] and len(site.log) == asked


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("https://example.com/a?utm_source=x&fbclid=y", "https://example.com/a", True),
        ("https://Example.com:443/a?b=2&a=1#top", "https://example.com/a?a=1&b=2", True),
        ("https://example.com/a?id=5&utm_medium=m", "https://example.com/a?id=6", False),
        ("https://example.com/news.php?12345", "https://example.com/news.php?12346", False),
    ],
)
def test_one_page_one_key(one: str, other: str, same: bool) -> None:
    assert (page_key(one) == page_key(other)) is same


def test_configured_outlet_names_the_source(site: Site, store: Store) -> None:
    fetch(store, [FeedSource(url=site.url("/feeds/world.rss"), outlet="TASS")], policy=FAST)
    assert {a.source for a in store.all_articles()} == {"TASS"}


def test_same_page_or_same_text_is_stored_once(site: Site, store: Store) -> None:
    # A second address for the 000 page (same canonical URL), and a copy of its text on another
    # site's page (another canonical URL): one article either way.
    page = site.routes["/news/000.html"]
    assert isinstance(page, Route)
    site.routes["/amp/000.html"] = page
    seed = read_seeds(SEEDS)[0]
    copy = article_page(seed.body, "Wire copy", seed.published, site.url("/wire/000"), site="Wire")
    site.routes["/wire/000"] = Route(copy.encode(), headers=HTML_TYPE)
    items = [
        Item(site.url(p), "x", seed.published, "Peskov")
        for p in ("/news/000.html", "/amp/000.html", "/news/000.html#comments", "/wire/000")
    ]
    site.routes["/feeds/dupes.rss"] = Route(
        FEED_BUILDERS["rss"]("Dupes", site.url("/"), items), headers=FEED_TYPES["rss"]
    )
    report = fetch(store, [FeedSource(url=site.url("/feeds/dupes.rss"))], policy=FAST)
    assert len(report.added) == 1 and report.duplicates == 2 and report.known == 1
    assert store.count("articles") == 1
    assert len(site.requests_to("/news/000.html")) == 1  # the #comments link was not fetched


def test_article_urls_from_the_command_line(site: Site, isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(ALLOW_LOOPBACK, encoding="utf-8")
    result = runner.invoke(
        app, ["fetch", "--delay", "0", site.url("/news/002.html"), site.url("/news/003.html")]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.count("added") == 2 and site.url("/news/002.html") in result.stdout
    with Store(isolated / "brief.sqlite3") as store:
        articles = store.all_articles()
    assert {a.source for a in articles} == {"Example News"}  # the page's own site name
    # The same URL again: known, nothing downloaded.
    before = len(site.log)
    result = runner.invoke(app, ["fetch", "--delay", "0", site.url("/news/002.html")])
    assert result.exit_code == 0 and len(site.log) == before
    assert "1 skipped" in result.stderr


def test_brief_fetch_reads_the_feeds_of_config_toml(site: Site, isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(
        ALLOW_LOOPBACK
        + f'[[feeds]]\nurl = "{site.url("/feeds/world.rss")}"\noutlet = "Moscow Wire"\n\n'
        f'[[feeds]]\nurl = "{site.url("/feeds/latest.json")}"\nkeywords = ["Kremlin"]\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["-v", "fetch", "--delay", "0", "--json"])
    assert result.exit_code == 0, result.output
    assert "Moscow Wire: 2 items, 2 new" in result.stderr  # progress per feed
    assert "2 feeds, 4 items, 3 new articles, 1 skipped, 0 failed" in result.stderr
    second = runner.invoke(app, ["fetch", "--delay", "0"])
    assert second.exit_code == 0 and "2 feeds (2 unchanged)" in second.stderr


def test_past_the_cap_of_items_per_feed_the_rest_waits_for_the_next_run(
    site: Site, isolated: Path
) -> None:
    items = [
        Item(site.url(f"/news/{seed.stem[:3]}.html"), seed.title, seed.published)
        for seed in read_seeds(SEEDS)
    ]
    feed = site.url("/feeds/all.rss")
    site.routes["/feeds/all.rss"] = Route(
        FEED_BUILDERS["rss"]("All", site.url("/"), items), headers=FEED_TYPES["rss"], etag='"1"'
    )
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(
        ALLOW_LOOPBACK + f'fetch_max_items_per_feed = 2\n[[feeds]]\nurl = "{feed}"\n',
        encoding="utf-8",
    )
    added, notes = [], []
    for _ in range(4):
        result = runner.invoke(app, ["fetch", "--delay", "0"])
        assert result.exit_code == 0, result.output  # a cap is not a failure
        added.append(result.stdout.count("added "))
        notes.append([line for line in result.stderr.splitlines() if line.startswith("note: ")])
    assert added == [2, 2, 1, 0]  # the five pages, two a run; then the feed is unchanged
    capped = f"note: feed {feed}: 3 new items left for a later run, past the cap of 2 a run"
    assert notes[0] == [capped + " (fetch_max_items_per_feed)"]
    assert notes[1] == [notes[0][0].replace("3 new items", "1 new item")]
    assert notes[2:] == [[], []]
    assert [r.status for r in site.requests_to("/feeds/all.rss")] == [200, 200, 200, 304]


# bad input -------------------------------------------------------------------------------------


def bad_site(site: Site) -> list[FeedSource]:
    """Feeds and pages that each fail one way, next to a good feed with a good page."""
    seed = read_seeds(SEEDS)[1]
    good_page = article_page(seed.body, seed.title, seed.published, site.url("/ok.html"))
    site.routes["/ok.html"] = Route(good_page.encode(), headers=HTML_TYPE)
    site.routes["/empty.html"] = Route(
        b"<html><head><title>Video</title></head><body><header><nav><ul><li><a href='/'>Home"
        b"</a></li><li><a href='/world'>World</a></li></ul></nav></header><main><div class="
        b"'player'><video src='/v.mp4'></video></div></main></body></html>",
        headers=HTML_TYPE,
    )
    site.routes["/huge.html"] = Route(
        good_page.replace("</article>", "<p>" + "x" * 300_000 + "</p></article>").encode(),
        headers=HTML_TYPE,
    )
    site.routes["/latin1.html"] = Route(
        good_page.replace('<meta charset="utf-8">', "")
        .encode("utf-8")
        .replace(b"Peskov", "Peskov\u00e9".encode("latin-1")),
        headers={"Content-Type": "text/html"},
    )
    site.routes["/loop-a"] = Route(status=302, headers={"Location": "/loop-b"})
    site.routes["/loop-b"] = Route(status=301, headers={"Location": "/loop-a"})
    site.routes["/gone.html"] = Route(b"gone", status=404, headers={"Content-Type": "text/plain"})
    site.routes["/private/secret.html"] = Route(good_page.encode(), headers=HTML_TYPE)
    pages = ["/ok.html", "/empty.html", "/huge.html", "/latin1.html", "/loop-a", "/gone.html",
             "/private/secret.html"]  # fmt: skip
    items = [Item(site.url(p), p, seed.published) for p in pages]
    site.routes["/feeds/mixed.rss"] = Route(
        FEED_BUILDERS["rss"]("Mixed", site.url("/"), items), headers=FEED_TYPES["rss"]
    )
    site.routes["/feeds/500.rss"] = Route(b"oops", status=500)
    site.routes["/feeds/not-xml.rss"] = Route(good_page.encode(), headers=HTML_TYPE)
    return [
        FeedSource(url=site.url(p))
        for p in ("/feeds/mixed.rss", "/feeds/404.rss", "/feeds/500.rss", "/feeds/not-xml.rss")
    ] + [FeedSource(url="http://127.0.0.1:9/feed.rss")]  # nothing listens on port 9


def test_each_bad_case_is_one_line_and_the_rest_goes_in(site: Site, store: Store) -> None:
    feeds = bad_site(site)
    report = fetch(store, feeds, policy=SMALL)
    assert [a.url for a in report.added] == [site.url("/ok.html")]
    problems = sorted(report.problems)
    expected = [
        ("feed http://127.0.0.1:9/feed.rss", "cannot connect"),
        (f"feed {site.url('/feeds/404.rss')}", "HTTP 404"),
        (f"feed {site.url('/feeds/500.rss')}", "HTTP 500"),
        (f"feed {site.url('/feeds/not-xml.rss')}", "not an RSS, Atom or JSON feed"),
        (f"page {site.url('/empty.html')}", "no article text"),
        (f"page {site.url('/gone.html')}", "HTTP 404"),
        (f"page {site.url('/huge.html')}", "larger than the 0.2 MB limit"),
        (f"page {site.url('/latin1.html')}", "not valid utf-8 text (byte 0xe9"),
        (f"page {site.url('/loop-a')}", "redirect loop"),
        (f"page {site.url('/private/secret.html')}", "robots.txt disallows"),
    ]
    assert len(problems) == len(expected)
    for problem in problems:
        assert "\n" not in problem
        assert any(problem.startswith(p) and why in problem for p, why in expected), problem
    # Pages that failed for good are not asked again; the unreachable feed is.
    before = len(site.log)
    again = fetch(store, feeds, policy=SMALL)
    asked = {r.path for r in site.log[before:]}
    assert not asked & {"/empty.html", "/huge.html", "/latin1.html", "/loop-a", "/gone.html"}
    assert len(again.problems) == 4  # the four feeds that still fail


def test_brief_fetch_exits_1_when_anything_failed(site: Site, isolated: Path) -> None:
    bad = bad_site(site)
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(
        ALLOW_LOOPBACK + "".join(f'[[feeds]]\nurl = "{f.url}"\n' for f in bad[:2]),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["fetch", "--delay", "0"])
    assert result.exit_code == 1
    assert site.url("/ok.html") in result.stdout  # the good page still went in
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 6 and all(site.url("/") in line for line in failed)


def test_a_page_in_a_declared_charset_is_read(site: Site, store: Store) -> None:
    seed = read_seeds(SEEDS)[0]
    page = article_page(
        seed.body.replace("Peskov", "Peskov (Песков)"), seed.title, seed.published,
        site.url("/ru.html"), charset="windows-1251",
    )  # fmt: skip
    body = page.replace("“", '"').replace("”", '"').replace("’", "'").replace("–", "-")
    site.routes["/ru.html"] = Route(
        body.encode("windows-1251"), headers={"Content-Type": "text/html; charset=windows-1251"}
    )
    # A UTF-8 page that the server calls Latin-1 (a common default): the bytes tell.
    seed = read_seeds(SEEDS)[2]
    page = article_page(seed.body, seed.title, seed.published, site.url("/mislabelled.html"))
    site.routes["/mislabelled.html"] = Route(
        page.encode(), headers={"Content-Type": "text/html; charset=ISO-8859-1"}
    )
    report = fetch(store, [], [site.url("/ru.html"), site.url("/mislabelled.html")], policy=FAST)
    assert report.problems == []
    assert "Песков" in report.added[0].text
    assert report.added[1].text == seed_text("002")  # curly quotes and dashes intact


FRENCH = (
    "Le porte-parole du Kremlin a déclaré mardi : « Nous ne céderons pas », a-t-il ajouté.\n"
    "L’été dernier, le ministère a réaffirmé sa position ; “the talks will go on”, he said.\n"
)
RUSSIAN = (
    "Пресс-секретарь Кремля Дмитрий Песков заявил журналистам, что Россия готова к переговорам.\n"
    "«Условия остаются прежними», — сказал он, добавив, что решение будет принято позже.\n"
    "По его словам, встреча министров иностранных дел состоится на следующей неделе в Женеве.\n"
)


def test_a_page_whose_meta_charset_lies_is_refused_and_honest_ones_are_stored(
    site: Site, store: Store
) -> None:
    seed = read_seeds(SEEDS)[0]

    def serve(path: str, body: str, declared: str, sent: str, lang: str = "en") -> str:
        page = article_page(
            body, seed.title, seed.published, site.url(path), lang=lang, charset=declared
        )
        site.routes[path] = Route(page.encode(sent), headers={"Content-Type": "text/html"})
        return site.url(path)

    english_and_french = seed.body + "\n" + FRENCH * 2
    lies = serve("/lies.html", english_and_french, "windows-1251", "windows-1252")
    honest = serve("/honest.html", english_and_french, "windows-1252", "windows-1252")
    russian = serve("/ru.html", RUSSIAN * 2, "windows-1251", "windows-1251", lang="ru")
    # Labelled Latin-1, sent with windows-1252 quotes: read as browsers do, as windows-1252.
    other = read_seeds(SEEDS)[1].body + "\n" + FRENCH
    latin1 = serve("/latin1.html", other, "iso-8859-1", "windows-1252")
    report = fetch(store, [], [lies, honest, russian, latin1], policy=FAST)
    (problem,) = report.problems
    assert problem.startswith(f"page {lies}: declares the charset windows-1251 but its text ")
    assert "cp1252" in problem and "save the page as UTF-8" in problem and "\n" not in problem
    stored = {a.url: a.text for a in store.all_articles()}
    assert lies not in stored
    assert "« Nous ne céderons pas »" in stored[honest]
    assert "“the talks will go on”" in stored[honest]
    assert "«Условия остаются прежними», — сказал он" in stored[russian]
    assert "L’été dernier" in stored[latin1] and "“the talks will go on”" in stored[latin1]


def test_only_http_and_https(store: Store) -> None:
    report = fetch(store, [], ["ftp://example.org/a.html", "file:///etc/passwd"], policy=FAST)
    assert len(report.problems) == 2
    assert all("only http and https" in p for p in report.problems)


def test_robots_txt_wildcards_and_the_longest_match(site: Site) -> None:
    site.routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /*/print\nDisallow: /a\nAllow: /a/b\nCrawl-delay: 0.2\n",
        headers={"Content-Type": "text/plain"},
    )
    paths = ("/news/print", "/a/b/c", "/a/c", "/news/story")
    for path in paths:
        site.routes[path] = Route(b"<p>a page</p>", headers=HTML_TYPE)
    outcomes: dict[str, int | str] = {}
    started = time.monotonic()
    with PoliteClient(FAST) as client:
        for path in paths:
            try:
                outcomes[path] = client.get(site.url(path)).status
            except FetchError as exc:
                outcomes[path] = exc.reason
    disallowed = "robots.txt disallows fetching it"
    assert outcomes == {
        "/news/print": disallowed,  # `*` matches any run of characters
        "/a/b/c": 200,  # Allow: /a/b is longer than Disallow: /a, so it wins
        "/a/c": disallowed,
        "/news/story": 200,
    }
    assert [r.path for r in site.log] == ["/robots.txt", "/a/b/c", "/news/story"]
    assert time.monotonic() - started >= 0.2  # Crawl-delay: 0.2 between the two pages asked


def test_a_failed_fetch_carries_the_status_the_server_answered(site: Site) -> None:
    site.routes["/busy.html"] = Route(b"busy", 503, headers=HTML_TYPE)
    site.routes["/moved.html"] = Route(b"", 301)  # a redirect without a Location
    failures = {}
    with PoliteClient(FAST) as client:
        for url in (site.url("/gone.html"), site.url("/busy.html"), site.url("/moved.html"),
                    "http://127.0.0.1:9/a.html"):  # fmt: skip
            with pytest.raises(FetchError) as failed:
                client.get(url)
            failures[urlsplit(url).path] = (failed.value.status, failed.value.permanent)
    assert failures == {
        "/gone.html": (404, True),
        "/busy.html": (503, False),
        "/moved.html": (301, False),
        "/a.html": (None, False),  # nothing listens on port 9: no answer, no status
    }


@pytest.mark.parametrize(
    ("answer", "page"),
    [(404, 200), (410, 200), (503, "robots.txt disallows fetching it"),
     (301, "robots.txt disallows fetching it")],
)  # fmt: skip
def test_robots_txt_answered_with_an_error_status(site: Site, answer: int, page: int | str) -> None:
    site.routes["/robots.txt"] = Route(b"", answer)  # RFC 9309: 4xx allows all, 5xx none
    site.routes["/story.html"] = Route(b"<p>a page</p>", headers=HTML_TYPE)
    with PoliteClient(FAST) as client:
        try:
            outcome: int | str = client.get(site.url("/story.html")).status
        except FetchError as exc:
            outcome = exc.reason
    assert outcome == page


def test_requests_to_one_host_are_spaced(site: Site, store: Store) -> None:
    policy = FetchPolicy(host_delay=0.15, private_hosts=True)
    urls = [site.url(f"/news/00{n}.html") for n in range(3)]
    started = time.monotonic()
    fetch(store, [], urls, policy=policy)
    # robots.txt and three pages: four requests, three gaps of at least the delay.
    assert len(site.log) == 4 and time.monotonic() - started >= 0.45


def test_a_trickling_server_is_given_up_at_the_response_deadline(site: Site, store: Store) -> None:
    body = "Minister Jo Bloggs said the plan is fine. " * 40
    page = article_page(body, "Slow news", dt.date(2025, 12, 16), site.url("/slow.html"))
    site.routes["/slow.html"] = Route(page.encode(), headers=HTML_TYPE, trickle=0.05)
    policy = FetchPolicy(host_delay=0.0, response_deadline=1.0, private_hosts=True)
    started = time.monotonic()
    report = fetch(store, [], urls=[site.url("/slow.html")], policy=policy)
    assert time.monotonic() - started < 10  # the body alone takes more than a minute
    (problem,) = report.problems
    assert "too slow" in problem and "fetch_response_deadline" in problem and "\n" not in problem
    assert report.added == []


def test_past_the_run_deadline_what_is_left_is_skipped_with_a_message(
    site: Site, store: Store
) -> None:
    policy = FetchPolicy(host_delay=0.0, run_deadline=0.000001, private_hosts=True)
    report = fetch(store, sources(site), policy=policy)
    assert report.added == [] and len(report.problems) == 3  # one line per feed
    assert report.problems and all("fetch_run_deadline" in p for p in report.problems)


def test_a_canonical_address_on_another_domain_is_not_believed(site: Site, store: Store) -> None:
    body = "Minister Jo Bloggs said the plan is fine and the talks will go on next week. " * 8
    claimed = "https://www.reuters.com/world/europe/talks-2025-12-16/"
    page = article_page(body, "Talks go on", dt.date(2025, 12, 16), claimed, site="Reuters")
    site.routes["/spoof.html"] = Route(page.encode(), headers=HTML_TYPE)
    honest = article_page(
        body.replace("Bloggs", "Stone"), "Talks", dt.date(2025, 12, 16), site.url("/real.html")
    )
    site.routes["/alias.html"] = Route(honest.encode(), headers=HTML_TYPE)
    report = fetch(store, [], urls=[site.url("/spoof.html"), site.url("/alias.html")], policy=FAST)
    assert report.problems == []
    stored = {a.url: a for a in store.all_articles()}
    spoof = stored[site.url("/spoof.html")]  # the address it was fetched from
    assert spoof.source == "127.0.0.1" and claimed not in stored
    assert site.url("/real.html") in stored  # a canonical address on its own site is believed
