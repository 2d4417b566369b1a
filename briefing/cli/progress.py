"""Progress a person can watch: a live bar on a terminal, a line a minute elsewhere.

On a terminal, extraction shows one bar (articles and candidates done, requests sent and how
many a second, tokens, elapsed, time left) with the messages printed above it. When stderr is
not a terminal (cron, a pipe, a log) there is no bar: a long extraction writes the same words as
one plain line a minute (none for work done within the first minute, so a short run stays
quiet), and the messages are plain lines shown with --verbose. Everything goes to stderr.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

import typer

from briefing.text.words import counted

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from briefing.extract.extractor import Tick

# Seconds between two progress lines when stderr is not a terminal.
LINE_INTERVAL = 60.0

Clock = Callable[[], float]


def describe(tick: Tick, elapsed: float) -> str:
    """One line for a tick: "2 of 5 articles, 31 of 80 candidates, 27 requests (1.4/s),
    2,310+412 tokens, 40 s, about 1 min left"."""
    rate = f" ({tick.requests / elapsed:.1f}/s)" if elapsed > 0 else ""
    return (
        f"{tick.articles_done:,} of {counted(tick.articles, 'article')},"
        f" {tick.candidates_done:,} of {counted(tick.candidates, 'candidate')},"
        f" {counted(tick.requests, 'request')}{rate},"
        f" {tick.prompt_tokens:,}+{tick.completion_tokens:,} tokens,"
        f" {_duration(elapsed)}{_left(tick, elapsed)}"
    )


def describe_bar(tick: Tick, elapsed: float) -> str:
    """The words beside the bar, short enough for an 80-column terminal: "31/80 candidates,
    1.4 req/s, 40 s, about 1 min left"."""
    rate = f", {tick.requests / elapsed:.1f} req/s" if elapsed > 0 else ""
    return (
        f"{tick.candidates_done:,}/{tick.candidates:,} candidates{rate},"
        f" {_duration(elapsed)}{_left(tick, elapsed)}"
    )


def _left(tick: Tick, elapsed: float) -> str:
    """ ", about 1 min left": the time the candidates left take at the pace so far."""
    if not 0 < tick.candidates_done < tick.candidates:
        return ""
    remaining = elapsed / tick.candidates_done * (tick.candidates - tick.candidates_done)
    return f", about {_duration(remaining)} left"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class Display:
    """Where progress goes for one command: `message` for lines, `tick` for the bar (on a
    terminal) or a line a minute (elsewhere). `clock` is injectable for tests."""

    def __init__(
        self,
        verbose: bool,
        live: bool,
        stream: TextIO | None = None,
        clock: Clock = time.monotonic,
        interval: float = LINE_INTERVAL,
    ) -> None:
        self.verbose = verbose
        self.live = live
        self.stream = stream
        self.clock = clock
        self.interval = interval
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._started = clock()  # of the running extraction
        self._last_line = self._started  # when a line was last written (not live)

    def message(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        elif self.verbose or self.live:
            typer.echo(text, file=self._stream())

    def tick(self, tick: Tick) -> None:
        now = self.clock()
        if tick.candidates_done == tick.articles_done == 0:  # an extraction starts
            self._started = now
        elapsed = now - self._started
        if self.live:
            self._draw(tick, elapsed)
        elif now - self._last_line >= self.interval:
            self._last_line = now
            typer.echo(describe(tick, elapsed), file=self._stream())

    def _draw(self, tick: Tick, elapsed: float) -> None:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("extracting"),
                BarColumn(bar_width=16),
                TextColumn("{task.description}"),
                console=Console(file=self._stream()),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=max(tick.candidates, 1))
        assert self._task is not None
        self._bar.update(
            self._task,
            total=max(tick.candidates, 1),
            completed=tick.candidates_done,
            description=describe_bar(tick, elapsed),
        )
        if tick.articles and tick.articles_done == tick.articles:
            self.close()

    def _stream(self) -> TextIO:
        # Looked up when written: a test runner swaps sys.stderr after the display is made.
        return self.stream or sys.stderr

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@contextmanager
def display(verbose: bool, stream: TextIO | None = None) -> Iterator[Display]:
    """A display for one command on `stream` (stderr): a live bar only on a terminal."""
    shown = Display(verbose, live=(stream or sys.stderr).isatty(), stream=stream)
    try:
        yield shown
    finally:
        shown.close()
