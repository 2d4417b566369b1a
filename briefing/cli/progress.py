"""Progress a person can watch: a live bar on a terminal, plain lines elsewhere.

On a terminal, extraction shows one bar (articles and candidates done, tokens, elapsed, time
left) with the messages printed above it. When stderr is not a terminal (cron, a pipe, a log)
there is no bar: messages are plain lines, shown with --verbose, as before.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from briefing.text.words import plural

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from briefing.extract.extractor import Tick


def describe(tick: Tick, elapsed: float) -> str:
    """One line for a tick: "2 of 5 articles, 31 of 80 candidates, 2,310+412 tokens, 40 s,
    about 1 min left"."""
    left = ""
    if 0 < tick.candidates_done < tick.candidates:
        remaining = elapsed / tick.candidates_done * (tick.candidates - tick.candidates_done)
        left = f", about {_duration(remaining)} left"
    return (
        f"{tick.articles_done} of {plural(tick.articles, 'article')},"
        f" {tick.candidates_done} of {plural(tick.candidates, 'candidate')},"
        f" {tick.prompt_tokens:,}+{tick.completion_tokens:,} tokens,"
        f" {_duration(elapsed)}{left}"
    )


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"


class Display:
    """Where progress goes for one command: `message` for lines, `tick` for the bar."""

    def __init__(self, verbose: bool, live: bool) -> None:
        self.verbose = verbose
        self.live = live
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._started = time.monotonic()

    def message(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        elif self.verbose or self.live:
            typer.echo(text, err=True)

    def tick(self, tick: Tick) -> None:
        if not self.live:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("extracting"),
                BarColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=max(tick.candidates, 1))
            self._started = time.monotonic()
        assert self._task is not None
        self._bar.update(
            self._task,
            total=max(tick.candidates, 1),
            completed=tick.candidates_done,
            description=describe(tick, time.monotonic() - self._started),
        )
        if tick.articles and tick.articles_done == tick.articles:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@contextmanager
def display(verbose: bool) -> Iterator[Display]:
    """A display for one command: a live bar only when stderr is a terminal."""
    shown = Display(verbose, live=sys.stderr.isatty())
    try:
        yield shown
    finally:
        shown.close()
