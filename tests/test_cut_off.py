"""A big day on a server, cut off with requests in flight and run again, asks nothing twice
(issue 20): every answer is kept as it arrives, so the restart asks only the requests the server
never answered, and ends with the positions of a run that was never cut off.

bench/bigday.py checks the same with a real SIGKILL against an HTTP server on 127.0.0.1; here
the server dies below the SDK, offline, so the cut falls at a known answer.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx2
import pytest

from briefing.config import load_settings
from briefing.llm.client import open_client
from briefing.llm.fixtures import request_key
from briefing.pipeline import Extractor, ingest
from briefing.store.database import Store

from .fakes import GOOD, completion, ok

NAMES = ["Anna Kowalski", "Piotr Nowak", "Jan Lis", "Ewa Bak", "Olga Wrona", "Adam Sowa"]
IN_FLIGHT = 6


class DyingServer(httpx2.BaseTransport):
    """A server that takes a moment per answer and dies after `answers` of them: the requests
    in flight then, and any sent later, get no answer, and the run stops as a killed process
    would (KeyboardInterrupt, what a Ctrl-C does, ends it without a chance to tidy up)."""

    def __init__(self, answers: int | None = None) -> None:
        self.answers = answers
        self.asked: list[str] = []  # request keys, as they arrived
        self.answered: list[str] = []
        self.cut: list[str] = []  # in flight when it died: never answered
        self.in_flight = 0
        self.dead = False
        self.lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        key = request_key(json.loads(request.read()))
        with self.lock:
            self.asked.append(key)
            self.in_flight += 1
        time.sleep(0.01)
        if self.answers is not None and len(self.answered) == self.answers - 1:
            # The last answer waits until another request is in flight, so the cut always
            # catches some half-way.
            until = time.monotonic() + 2
            while self.in_flight < 2 and time.monotonic() < until:
                time.sleep(0.001)
        with self.lock:
            self.in_flight -= 1
            if self.dead:
                self.cut.append(key)
                raise KeyboardInterrupt
            self.answered.append(key)
            self.dead = len(self.answered) == self.answers
        return ok(completion(json.dumps(GOOD)))


def write_day(folder: Path) -> list[Path]:
    """Four articles of six statements each: 24 label requests, all different."""
    paths = []
    for number in range(4):
        lines = [
            f"Minister {name} said plan {number}-{k} would work in the end."
            for k, name in enumerate(NAMES)
        ]
        path = folder / f"a{number}.md"
        path.write_text(
            f"---\ntitle: Article {number}\npublished: 2025-12-16\n---\n" + "\n".join(lines) + "\n"
        )
        paths.append(path)
    return paths


def extract(home: Path, articles: list[Path], server: DyingServer) -> list[list[tuple]]:
    """Extract the day in `home` with IN_FLIGHT requests in flight; its positions, by article."""
    settings = load_settings(home=home, provider="openai", model="m")
    settings.concurrency = IN_FLIGHT
    with Store(settings.store_path) as store:
        ingest(store, articles)
        client = open_client(settings, store, provider="openai", transport=server)
        extractor = Extractor(store, client, settings)
        extractor.extract(store.all_articles())
        return [
            [(p.speaker, p.evidence, p.spans, p.valid) for p in extractor.positions_of(a)[0]]
            for a in store.all_articles()
        ]


@pytest.mark.parametrize("cut_after", [1, 9, 23])
def test_a_run_cut_off_in_flight_then_restarted_asks_nothing_twice(
    tmp_path: Path, isolated: Path, cut_after: int
) -> None:
    articles = write_day(tmp_path)
    whole = DyingServer()
    uninterrupted = extract(tmp_path / "whole", articles, whole)
    assert len(set(whole.asked)) == len(whole.asked) == 24

    first = DyingServer(answers=cut_after)
    with pytest.raises(KeyboardInterrupt):
        extract(isolated, articles, first)
    assert len(first.answered) == cut_after
    assert first.cut, "the cut caught no request in flight"

    second = DyingServer()
    restarted = extract(isolated, articles, second)
    # Nothing the server answered before the cut is asked again; what it never answered is.
    assert not set(second.asked) & set(first.answered)
    assert set(first.cut) <= set(second.asked)
    assert len(second.asked) == len(set(second.asked)) == 24 - cut_after
    assert restarted == uninterrupted

    third = DyingServer()
    assert extract(isolated, articles, third) == uninterrupted
    assert third.asked == []
