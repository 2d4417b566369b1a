"""The review web page (`brief review serve`) over real HTTP on 127.0.0.1, and in a real headless
Chromium driven by Playwright.

The server listens on 127.0.0.1 only and the tests may connect to 127.0.0.1 only (`allow_hosts`).
The browser test needs Debian's `chromium` and the `playwright` package (the `dev` extra; never
`playwright install`, which downloads a browser): it is skipped, saying why, when either is
missing. `.ci/run` installs chromium.
"""

from __future__ import annotations

import datetime as dt
import http.client
import re
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import load_settings
from briefing.review.listing import list_positions
from briefing.review.web import ReviewServer
from briefing.store.database import Store

from .browser import CHROMIUM, CHROMIUM_ARGS
from .reviewing import DAY, store_positions

loopback = pytest.mark.allow_hosts(["127.0.0.1"])
runner = CliRunner()


@pytest.fixture
def ids(tmp_path: Path) -> list[int]:
    return store_positions(tmp_path / "articles")


@pytest.fixture
def server(ids: list[int]) -> Iterator[ReviewServer]:
    settings = load_settings()
    store = Store(settings.store_path)
    srv = ReviewServer(store, settings, dt.date.fromisoformat(DAY), "web tester", port=0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)
    store.close()


def statuses() -> dict[int, tuple[str, str | None]]:
    with Store(load_settings().store_path) as store:
        return {
            i.position.id: (i.position.review_status, i.position.reviewed_by)
            for i in list_positions(store).items
            if i.position.id is not None
        }


class Client:
    """A minimal browser: keeps the cookie, sends the Host and Origin a browser would."""

    def __init__(self, server: ReviewServer) -> None:
        self.server = server
        self.cookie = ""
        self.host = f"127.0.0.1:{server.port}"

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        sent = {"Host": self.host}
        if self.cookie:
            sent["Cookie"] = self.cookie
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = f"http://{self.host}"
        sent.update(headers or {})
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in sent.items():
            conn.putheader(name, value)
        data = body.encode() if body is not None else b""
        if body is not None:
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data if body is not None else None)
        response = conn.getresponse()
        text = response.read().decode("utf-8")
        got = {k.lower(): v for k, v in response.getheaders()}
        conn.close()
        if "set-cookie" in got:
            self.cookie = got["set-cookie"].split(";")[0]
        return response.status, got, text

    def page(self, query: str = "") -> str:
        status, _, html = self.request("GET", "/" + query)
        assert status == 200, html
        return html

    def post(
        self, fields: dict[str, str], headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        return self.request("POST", "/decide", urllib.parse.urlencode(fields), headers)


def token_of(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found
    return found.group(1)


@loopback
def test_page_lists_the_day_with_evidence_highlighted(server: ReviewServer, ids: list[int]) -> None:
    assert server.server_address[0] == "127.0.0.1"  # never another interface
    client = Client(server)
    status, headers, html = client.request("GET", "/")
    assert status == 200
    for speaker in ("Dmitry Peskov", "Jo Bloggs", "Vladimir Putin"):
        assert speaker in html
    assert re.search(
        r'<span class="s ev"><sup>S2</sup>“<strong>We are ready for talks, but not at any price,'
        r"</strong>” Peskov said\.</span>",
        html,
    )
    assert "Failed validation" in html and "instruction aimed at the model" in html
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "script-src 'nonce-" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    cookie = headers["set-cookie"]
    assert "SameSite=Strict" in cookie and "HttpOnly" in cookie
    assert html.count('class="card pending"') == 4
    pending = client.page("?status=invalid")
    assert pending.count("<article") == 1
    status, _, _ = client.request("GET", "/?status=whatever")
    assert status == 400


@loopback
def test_approve_reject_and_edit_over_http(server: ReviewServer, ids: list[int]) -> None:
    client = Client(server)
    token = token_of(client.page())
    form = {"token": token, "date": DAY, "status": "", "note": ""}
    status, headers, _ = client.post(
        {**form, "action": "approve", "id": str(ids[0]), "next": str(ids[1])}
    )
    assert status == 303
    assert headers["location"] == f"/?date={DAY}&focus={ids[1]}"
    status, _, _ = client.post(
        {**form, "action": "reject", "id": str(ids[3]), "note": "injected", "next": str(ids[3])}
    )
    assert status == 303
    edit = {
        **form,
        "action": "edit",
        "id": str(ids[1]),
        "speaker": "Dmitry Peskov",
        "was_speaker": "Dmitry Peskov",
        "role": "Kremlin spokesman",
        "was_role": "Kremlin spokesman",
        "topic": "peace_settlement",
        "was_topic": "sanctions",
        "stance": "opposes",
        "was_stance": "opposes",
        "summary": "x",
        "was_summary": "x",
        "evidence": "3",
        "was_evidence": "S3",
    }
    assert client.post(edit)[0] == 303
    now = statuses()
    assert now[ids[0]] == ("approved", "web tester")
    assert now[ids[3]] == ("rejected", "web tester")
    assert now[ids[1]] == ("edited", "web tester")
    html = client.page()
    assert "Edited by web tester: topic (the model said “sanctions”)" in html
    # A bad edit is refused with the reason on the page, and changes nothing.
    status, _, html = client.post(
        {**edit, "id": str(ids[2]), "evidence": "S99", "was_evidence": "S5"}
    )
    assert status == 400 and "the article has no sentence S99" in html
    assert statuses()[ids[2]] == ("pending", None)


@loopback
def test_text_from_articles_and_people_is_escaped(server: ReviewServer, ids: list[int]) -> None:
    result = runner.invoke(
        app,
        [
            "review",
            "edit",
            str(ids[0]),
            "--summary",
            "<script>alert(1)</script> said Peskov",
            "--speaker",
            'Peskov" onmouseover="alert(2)',
        ],
    )
    assert result.exit_code == 0, result.stderr
    html = Client(server).page()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'onmouseover="alert(2)' not in html
    assert "Peskov&#34; onmouseover=&#34;alert(2)" in html


@loopback
def test_cross_site_requests_are_refused(server: ReviewServer, ids: list[int]) -> None:
    client = Client(server)
    token = token_of(client.page())
    approve = {"token": token, "action": "approve", "id": str(ids[0]), "date": DAY}
    # Another site's page posting here: its Origin gives it away.
    status, _, _ = client.post(approve, {"Origin": "http://evil.example"})
    assert status == 403
    status, _, _ = client.post(approve, {"Origin": "null"})
    assert status == 403
    # Without the token, or without the SameSite=Strict cookie a cross-site request lacks.
    assert client.post({**approve, "token": "guess"})[0] == 403
    cookieless = Client(server)
    assert cookieless.post(approve)[0] == 403
    # DNS rebinding: a name that resolves to 127.0.0.1 still names another host.
    rebound = Client(server)
    rebound.host = f"evil.example:{server.port}"
    assert rebound.request("GET", "/")[0] == 403
    assert rebound.post(approve)[0] == 403
    localhost = Client(server)
    localhost.host = f"localhost:{server.port}"
    assert localhost.request("GET", "/")[0] == 200
    # State changes are POST only; other content types are not forms.
    assert client.request("GET", f"/decide?action=approve&id={ids[0]}&token={token}")[0] == 404
    assert client.post(approve, {"Content-Type": "text/plain"})[0] == 415
    assert statuses()[ids[0]] == ("pending", None)
    # The genuine form still works.
    assert client.post(approve)[0] == 303
    assert statuses()[ids[0]] == ("approved", "web tester")


@loopback
def test_unmatched_decisions_can_be_dismissed_on_the_page(
    server: ReviewServer, ids: list[int], tmp_path: Path
) -> None:
    assert runner.invoke(app, ["review", "approve", str(ids[2])]).exit_code == 0
    store_positions(tmp_path / "articles", [], prompt_id="newprompt00")
    client = Client(server)
    html = client.page("?status=conflict")
    label = re.search(r'name="decision" value="(d\d+)"', html)
    assert label and "no position of the latest extraction" in html
    status, _, _ = client.post(
        {
            "token": token_of(html),
            "action": "dismiss",
            "decision": label.group(1),
            "date": DAY,
            "status": "conflict",
        }
    )
    assert status == 303
    assert 'name="decision"' not in client.page("?status=conflict")


def _playwright() -> object:
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium (apt-get install -y chromium; .ci/run does it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("needs playwright (pip install -e '.[dev]')")
    return sync_playwright


@pytest.mark.browser
@loopback
def test_reviewing_in_headless_chromium(server: ReviewServer, ids: list[int]) -> None:
    sync_playwright = _playwright()
    with sync_playwright() as p:  # type: ignore[operator]
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(server.url)
            assert page.locator("article.card").count() == 4
            # The first card is selected; j moves to the second, a approves it.
            assert page.locator("article.card.selected").get_attribute("data-id") == str(ids[0])
            page.keyboard.press("j")
            assert page.locator("article.card.selected").get_attribute("data-id") == str(ids[1])
            with page.expect_navigation():
                page.keyboard.press("a")
            assert statuses()[ids[1]] == ("approved", "web tester")
            # After the decision the next position is selected.
            assert page.locator("article.card.selected").get_attribute("data-id") == str(ids[2])
            # A click on a button works as well as the keys.
            with page.expect_navigation():
                page.locator(f"#p-{ids[0]} button.approve").click()
            assert statuses()[ids[0]] == ("approved", "web tester")
            # e opens the editor of the selected card; typing there is not a shortcut.
            page.locator(f"#p-{ids[2]}").click()
            page.keyboard.press("e")
            editor = page.locator(f"#p-{ids[2]} form.editor")
            assert editor.is_visible()
            editor.locator("select[name=stance]").select_option("neutral")
            editor.locator("textarea[name=summary]").fill("Bloggs backs the plan, and says a")
            with page.expect_navigation():
                editor.locator("button.save").click()
            assert statuses()[ids[2]] == ("edited", "web tester")
            assert statuses()[ids[1]] == ("approved", "web tester")  # no stray shortcut
            with page.expect_navigation():
                page.locator(f"#p-{ids[3]}").click()
                page.keyboard.press("r")
            assert statuses()[ids[3]] == ("rejected", "web tester")
        finally:
            browser.close()
