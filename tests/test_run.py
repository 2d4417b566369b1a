"""`brief run` end to end: feeds on a real HTTP server, replayed model answers, a real SMTP server
(aiosmtpd), all on 127.0.0.1. The briefing arrives once; a second run sends nothing."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import load_settings
from briefing.daily import default_day, run_lock

from .conftest import SEED_DAY, SEEDS
from .newsite import Site, serve_seeds

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])
runner = CliRunner()

DESK = "desk@example.org"
RUN = ["run", "--date", SEED_DAY, "--delay", "0"]


@dataclass
class Inbox:
    messages: list[tuple[list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 2.0.0 OK"

    def texts(self) -> list[str]:
        out = []
        for _, data in self.messages:
            msg = email.message_from_bytes(data, policy=email.policy.default)
            part = msg.get_body(("plain",))  # type: ignore[attr-defined]
            assert part is not None
            out.append(part.get_content().replace("\r\n", "\n"))  # the wire uses CRLF
        return out


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site().start()
    serve_seeds(server, SEEDS)
    yield server
    server.stop()


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    handler = Inbox()
    with socket.socket() as probe:  # a free port: aiosmtpd checks its own by connecting to it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    for name in ("USER", "PASSWORD", "CA_FILE"):
        monkeypatch.delenv(f"BRIEF_SMTP_{name}", raising=False)
    monkeypatch.setenv("BRIEF_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("BRIEF_SMTP_PORT", str(port))
    monkeypatch.setenv("BRIEF_SMTP_SECURITY", "none")
    monkeypatch.setenv("BRIEF_MAIL_FROM", "Brief <brief@example.org>")
    yield handler
    controller.stop()


def configure(home: Path, site: Site, extra_feeds: tuple[str, ...] = ()) -> None:
    """The RSS and Atom feeds of the seed site (seeds 000 to 003, whose model answers are
    recorded), the desk as recipient."""
    feeds = ["/feeds/world.rss", "/feeds/europe.atom", *extra_feeds]
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        'timezone = "Europe/Moscow"\nfetch_private_hosts = true  # the site is on 127.0.0.1\n\n'
        + "".join(f'[[feeds]]\nurl = "{site.url(p)}"\nkeywords = ["Peskov"]\n\n' for p in feeds)
        + f'[smtp]\nto = ["{DESK}"]\n',
        encoding="utf-8",
    )


def test_run_fetches_extracts_generates_and_sends_once(
    site: Site, inbox: Inbox, isolated: Path
) -> None:
    configure(isolated, site)
    first = runner.invoke(app, RUN)
    assert first.exit_code == 0, first.output
    assert len(inbox.messages) == 1 and inbox.messages[0][0] == [DESK]
    text = inbox.texts()[0]
    assert "Peskov" in text and "Moscow Wire" in text  # the outlet named as the source
    assert (isolated / "briefings" / f"{SEED_DAY}.md").read_text(encoding="utf-8") == text
    summary = first.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"brief run {SEED_DAY}: fetched 4 new articles, extracted 4,")
    assert summary.endswith(f"sent to {DESK}")

    before = len(site.log)
    second = runner.invoke(app, RUN)
    assert second.exit_code == 0, second.output
    assert len(inbox.messages) == 1  # nothing more
    assert "fetched 0 new articles, extracted 0," in second.stderr
    assert "not sent (already sent to every recipient)" in second.stderr
    assert {r.status for r in site.log[before:]} == {304}  # only asked whether feeds changed


def test_a_changed_briefing_goes_out_again_only_with_update(
    site: Site, inbox: Inbox, isolated: Path
) -> None:
    configure(isolated, site)
    assert runner.invoke(app, RUN).exit_code == 0
    listed = runner.invoke(app, ["review", "list", "--date", SEED_DAY, "--json"])
    position = json.loads(listed.stdout)["positions"][0]["id"]
    # An analyst's decision changes the briefing (rejecting works on any position, even one
    # the model could not label).
    assert runner.invoke(app, ["review", "reject", str(position)]).exit_code == 0
    unchanged = runner.invoke(app, RUN)
    assert unchanged.exit_code == 0 and len(inbox.messages) == 1
    assert "--update" in unchanged.stderr
    updated = runner.invoke(app, [*RUN, "--update"])
    assert updated.exit_code == 0, updated.output
    assert len(inbox.messages) == 2 and inbox.texts()[0] != inbox.texts()[1]


def test_a_failed_feed_fails_the_run_but_the_briefing_still_goes_out(
    site: Site, inbox: Inbox, isolated: Path
) -> None:
    configure(isolated, site, extra_feeds=("/feeds/missing.rss",))
    result = runner.invoke(app, RUN)
    assert result.exit_code == 1
    assert f"failed: feed {site.url('/feeds/missing.rss')}: HTTP 404" in result.stderr
    assert len(inbox.messages) == 1
    assert result.stderr.strip().splitlines()[-1].endswith(f"sent to {DESK} ; 1 failed")


def test_one_run_at_a_time_per_home(site: Site, inbox: Inbox, isolated: Path) -> None:
    configure(isolated, site)
    with run_lock(isolated):
        result = runner.invoke(app, RUN)
    assert result.exit_code == 1 and "another `brief run` is working on" in result.stderr
    assert site.log == [] and inbox.messages == []
    assert runner.invoke(app, RUN).exit_code == 0  # the lock went with its holder


def test_mail_settings_are_checked_before_anything_is_fetched(
    site: Site, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(isolated, site)
    monkeypatch.delenv("BRIEF_SMTP_HOST", raising=False)
    monkeypatch.setenv("BRIEF_MAIL_FROM", "brief@example.org")
    result = runner.invoke(app, RUN)
    assert result.exit_code == 1 and "BRIEF_SMTP_HOST" in result.stderr
    assert site.log == []


def test_a_damaged_store_stops_the_run_before_anything_is_fetched_or_sent(
    site: Site, inbox: Inbox, isolated: Path
) -> None:
    """Issue 19 item 11: SQLite's quick check at the start of `brief run` (0.3 s for a 200 MB
    store), so pages damaged in the middle of the store never brief and email part of a day."""
    configure(isolated, site)
    assert runner.invoke(app, RUN).exit_code == 0
    sent, before = len(inbox.messages), len(site.log)
    store = isolated / "brief.sqlite3"
    data = bytearray(store.read_bytes())
    data[4096 : 4096 * 3] = b"\x07" * (4096 * 2)
    store.write_bytes(bytes(data))
    damaged = runner.invoke(app, [*RUN, "--update"])
    assert damaged.exit_code == 1
    (line,) = [x for x in damaged.stderr.splitlines() if "damaged" in x]
    assert str(store) in line and "brief backup" in line
    assert len(site.log) == before and len(inbox.messages) == sent


@pytest.mark.parametrize(
    ("zone", "expected"),
    [("Asia/Tokyo", dt.date(2025, 12, 16)), ("America/New_York", dt.date(2025, 12, 15))],
)
def test_the_default_day_is_yesterday_in_the_configured_zone(
    isolated: Path, zone: str, expected: dt.date
) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(f'timezone = "{zone}"\n', encoding="utf-8")
    now = dt.datetime(2025, 12, 16, 23, 30, tzinfo=dt.UTC)  # the 17th in Tokyo
    assert default_day(load_settings(), now) == expected


def test_bad_feed_settings_are_refused(isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(
        '[[feeds]]\nurl = "https://example.org/rss"\nkeyword = ["Peskov"]\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["fetch"])
    assert result.exit_code == 1 and "'keyword'" in result.stderr and "keywords" in result.stderr
    (isolated / "config.toml").write_text('timezone = "Mars/Olympus"\n', encoding="utf-8")
    result = runner.invoke(app, ["fetch"])
    assert result.exit_code == 1 and "not a known time zone" in result.stderr


def test_with_the_model_down_nothing_is_emailed_and_the_next_run_sends_the_briefing_once(
    site: Site, inbox: Inbox, isolated: Path, tmp_path: Path
) -> None:
    configure(isolated, site)
    config = isolated / "config.toml"
    normal = config.read_text(encoding="utf-8")
    empty = tmp_path / "no-answers"
    empty.mkdir()
    # no recorded answer anywhere: every model call fails, as with the model server down
    config.write_text(f'fixtures_dir = "{empty}"\n' + normal, encoding="utf-8")
    down = runner.invoke(app, RUN)
    assert down.exit_code == 1, down.output
    assert inbox.messages == []  # no empty briefing in anyone's inbox
    summary = down.stderr.strip().splitlines()[-1]
    assert "not sent (1 of 1 article of the day could not be extracted" in summary
    config.write_text(normal, encoding="utf-8")
    back = runner.invoke(app, RUN)
    assert back.exit_code == 0, back.output
    assert len(inbox.messages) == 1 and "Peskov" in inbox.texts()[0]
    again = runner.invoke(app, RUN)
    assert again.exit_code == 0 and len(inbox.messages) == 1


def test_the_daily_run_imports_where_fcntl_does_not_exist() -> None:
    # Windows has no fcntl (issue 19 item 17): the run lock comes from filelock
    code = "import sys; sys.modules['fcntl'] = None; import briefing.daily, briefing.cli"
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
