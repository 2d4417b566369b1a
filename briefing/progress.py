"""The progress callback every long step reports to, defined once.

A step that takes a while (extraction, building a day, a whole run, sending mail, an evaluation)
takes a `progress` callback and calls it with one line per event. The command line passes one
that prints, or feeds a bar (`briefing.cli.progress`); a library caller or a test gets `quiet`.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str], None]


def quiet(_: str) -> None:
    """The progress callback that says nothing: the default where no one is watching."""
