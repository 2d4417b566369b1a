"""What every command shares: the global options and the state they build, the one parser of
dates given on the command line, and the mapping from the library's errors to exit codes.

Exit codes: 0 ok, 1 a failure the user can fix (the library's BriefError, whose one-line message
says how), 2 bad usage (a flag missing, a value that cannot be read). stdout carries data, stderr
progress and messages.

Nothing heavy is imported here (no model client, no pydantic models, no templates): every command
imports what it needs when it runs, so that `brief --help` answers at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, overload

import typer

from briefing.config import Settings, load_settings
from briefing.errors import BriefError

if TYPE_CHECKING:
    from briefing.store.database import Store

USAGE = 2  # the exit code of bad usage; 1 is a failure the user can fix


class State:
    """What the global options decided, handed to every command through the typer context."""

    def __init__(self, settings: Settings, verbose: bool) -> None:
        self.settings = settings
        self.verbose = verbose

    def progress(self, message: str) -> None:
        # Progress is for a person watching: shown on a terminal, or when asked for.
        if self.verbose or sys.stderr.isatty():
            typer.echo(message, err=True)

    def open_store(self) -> Store:
        from briefing.store.database import Store

        return Store(self.settings.store_path)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error on stderr; the caller raises what this returns."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the library's errors into one-line messages and exit code 1."""
    try:
        yield
    except BriefError as exc:
        raise fail(str(exc)) from None


@contextmanager
def writing(path: Path, flag: str) -> Iterator[None]:
    """Turn a failure to write `path` into a message that names the flag choosing another."""
    try:
        yield
    except OSError as exc:
        raise BriefError(f"cannot write {path} ({exc.strerror}): choose another {flag}") from exc


@overload
def parse_date(value: str, flag: str = "--date") -> dt.date: ...
@overload
def parse_date(value: None, flag: str = "--date") -> None: ...
def parse_date(value: str | None, flag: str = "--date") -> dt.date | None:
    """The one reader of dates typed on the command line: a bad one is bad usage (exit 2)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(
            f"{flag} {value!r} is not a date: use YYYY-MM-DD, for example 2025-12-16", code=USAGE
        ) from None


def date_option(flag: str, help: str) -> Any:
    """An option holding a day, read by `parse_date`: the command receives a `datetime.date`."""
    parser = functools.partial(parse_date, flag=flag)
    return typer.Option(flag, parser=parser, metavar="YYYY-MM-DD", help=help)


def state_of(ctx: typer.Context) -> State:
    state = ctx.obj
    assert isinstance(state, State)
    return state


def global_options(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(envvar="BRIEF_HOME", help="Folder for the store, cache and config.toml."),
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option(envvar="BRIEF_PROVIDER", help="Model provider: openai, local or replay."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(envvar="BRIEF_MODEL", help="Model name, or a .gguf path for the local model."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show progress.")] = False,
) -> None:
    """Global options; flags beat environment beats config.toml beats defaults."""
    with user_errors():
        ctx.obj = State(load_settings(home=home, provider=provider, model=model), verbose)
