"""A day with an article the model could not extract: the briefing is partial, generate says so
and exits 1, and `--send` does not email it unless `--send-partial` asks for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SEED_DAY, SEEDS
from tests.test_deliver import Recorder, brief, loopback, smtp_env, start_server, use_server

__all__ = ["smtp_env", "start_server"]  # fixtures used here

UNRECORDED = f"""---
title: Talks postponed
published: {SEED_DAY}
---
Kremlin spokesman Dmitry Peskov said the talks would be postponed.
"""


@pytest.fixture
def partial_day(tmp_path: Path) -> None:
    """The seeds, plus an article of the same day that no recorded answer covers: under the
    replay provider its extraction fails as a model outage would."""
    extra = tmp_path / "unrecorded.md"
    extra.write_text(UNRECORDED, encoding="utf-8")
    assert brief("ingest", str(SEEDS), str(extra))[0] == 0


def test_generate_exits_1_and_says_why_when_an_article_failed(
    partial_day: None, isolated: Path
) -> None:
    code, out, err = brief("generate", "--date", SEED_DAY)
    assert code == 1
    assert "1 of 2 articles could not be fully extracted (Talks postponed)" in err
    assert "partial" in err
    # The briefing is still written, and says what is missing.
    written = (isolated / "briefings" / f"{SEED_DAY}.md").read_text(encoding="utf-8")
    assert out == written and "was not fully extracted" in written


@loopback
def test_send_refuses_a_partial_briefing_unless_asked(
    partial_day: None,
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port, server = start_server()
    use_server(monkeypatch, port)
    code, _, err = brief("generate", "--date", SEED_DAY, "--send", "--to", "a@example.org")
    assert code == 1 and "not sent" in err and "--send-partial" in err
    assert server.received == []
    code, _, err = brief(
        "generate", "--date", SEED_DAY, "--send", "--send-partial", "--to", "a@example.org"
    )
    assert code == 1  # still a partial briefing: cron should notice
    assert len(server.received) == 1


def test_a_complete_day_still_exits_0(isolated: Path) -> None:
    assert brief("ingest", str(SEEDS))[0] == 0
    code, _, err = brief("generate", "--date", SEED_DAY)
    assert code == 0, err


@loopback
def test_send_partial_still_refuses_a_day_where_nothing_was_extracted(
    tmp_path: Path,
    start_server: Callable[..., tuple[int, Recorder]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    only = tmp_path / "unrecorded.md"
    only.write_text(UNRECORDED, encoding="utf-8")
    assert brief("ingest", str(only))[0] == 0  # the day's one article: no recorded answer
    port, server = start_server()
    use_server(monkeypatch, port)
    code, _, err = brief(
        "generate", "--date", SEED_DAY, "--send", "--send-partial", "--to", "a@example.org"
    )
    assert code == 1
    assert "not sent: no article of the day was extracted" in err
    assert server.received == []
