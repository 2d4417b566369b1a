"""Progress of a long extraction: a bar with the time left and requests per second on a terminal,
at most one line a minute elsewhere (cron, a log), all on stderr."""

from __future__ import annotations

import io
import itertools

from briefing.cli.progress import Display, display
from briefing.extract.extractor import Extractor, Tick
from briefing.llm.client import open_client

from .fakes import FakeServer
from .test_cost import SEED_FILES, valid_answer


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_and_a_log_does_not() -> None:
    with display(False, stream=FakeTerminal()) as shown:
        assert shown.live
    with display(False, stream=io.StringIO()) as shown:
        assert not shown.live


def test_not_a_terminal_writes_at_most_one_line_a_minute() -> None:
    clock, log = FakeClock(), io.StringIO()
    shown = Display(verbose=False, live=False, stream=log, clock=clock)
    started = clock.now
    shown.tick(Tick(0, 100, 0, 1200, 0, 0))
    written_at = []
    for done in range(1, 1201):  # a candidate every 0.5 s: ten minutes in all
        clock.now += 0.5
        before = log.getvalue().count("\n")
        shown.tick(Tick(done // 12, 100, done, 1200, done * 600, done * 12, requests=done))
        if log.getvalue().count("\n") > before:
            written_at.append(clock.now - started)
    shown.close()
    lines = log.getvalue().splitlines()
    assert len(lines) == len(written_at) == 10
    assert written_at[0] >= 60  # a run done within a minute says nothing
    assert all(b - a >= 60 for a, b in itertools.pairwise(written_at))
    # Each line says how far, how fast and how long is left.
    assert lines[0] == (
        "10 of 100 articles, 120 of 1,200 candidates, 120 requests (2.0/s),"
        " 72,000+1,440 tokens, 60 s, about 9 min left"
    )
    assert "\x1b" not in log.getvalue()  # plain text for a log, no terminal codes


def test_a_terminal_shows_a_bar_with_the_time_left_and_the_rate() -> None:
    clock, terminal = FakeClock(), FakeTerminal()
    shown = Display(verbose=False, live=True, stream=terminal, clock=clock)
    shown.tick(Tick(0, 5, 0, 80, 0, 0))
    clock.now += 20  # 31 of 80 candidates in 20 s, 28 of them asked of the model
    shown.tick(Tick(2, 5, 31, 80, 2310, 412, requests=28))
    shown.message("Grain corridor: 6 candidates")
    shown.close()
    drawn = terminal.getvalue()
    assert "━" in drawn  # the bar
    assert "31/80 candidates, 1.4 req/s, 20 s, about 32 s left" in drawn
    assert "Grain corridor: 6 candidates" in drawn  # messages print above the bar


def test_ticks_count_the_requests_sent(isolated) -> None:
    from briefing.config import load_settings
    from briefing.pipeline import ingest
    from briefing.store.database import Store

    settings = load_settings(provider="openai", model="gpt-4o-mini")
    ticks: list[Tick] = []
    with Store(settings.store_path) as store:
        ingest(store, SEED_FILES[:2])
        server = FakeServer(valid_answer)
        client = open_client(settings, store, "openai", transport=server)
        Extractor(store, client, settings, ticker=ticks.append).extract(store.all_articles())
    assert ticks[-1].requests == len(server.requests) > 0
    assert ticks[-1].candidates_done == ticks[-1].candidates > ticks[-1].requests
