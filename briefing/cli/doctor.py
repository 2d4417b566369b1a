"""`brief doctor`: which model would answer and why, and where brief keeps its files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.cli.common import state_of
from briefing.errors import BriefError
from briefing.store.check import damaged_message, store_problem

if TYPE_CHECKING:
    from briefing.config import Settings


def doctor_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    full_hash: Annotated[
        bool, typer.Option(help="Hash the model file in full (about 2 s).")
    ] = True,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Also check the store for corruption (SQLite's integrity check)."
        ),
    ] = False,
) -> None:
    """Say which provider would be used and why, whether the model is there, where things live
    (the topic and actor lists too, with how many entries each holds)."""
    from briefing.llm.doctor import diagnose, report_text

    settings = state_of(ctx).settings
    if check:
        problem = store_problem(settings.store_path)
        if problem is not None:
            typer.echo(f"error: {damaged_message(settings.store_path, problem)}", err=True)
            raise typer.Exit(1)
        typer.echo(f"store: {settings.store_path} passed SQLite's integrity check", err=True)
    report = diagnose(settings, full_hash)
    items = list(report.items())
    at = [key for key, _ in items].index("fixtures") + 1 if "fixtures" in report else len(items)
    report = dict([*items[:at], *_rule_files(settings).items(), *items[at:]])
    report.update(_cost_settings(settings))
    typer.echo(json.dumps(report, indent=2) if as_json else report_text(report), nl=as_json)


def backup_command(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(help="File to write the copy of the store to.")],
) -> None:
    """Copy the store (articles, positions, reviews, model answers) to TARGET while brief may be
    running, with SQLite's online backup; refuses to overwrite a file."""
    import sqlite3

    settings = state_of(ctx).settings
    source = settings.store_path
    if not source.exists():
        typer.echo(f"error: no store at {source} to back up", err=True)
        raise typer.Exit(1)
    if target.exists():
        typer.echo(f"error: {target} exists; give a new file name", err=True)
        raise typer.Exit(1)
    problem = store_problem(source)
    if problem is not None:
        typer.echo(f"error: the store {source} is damaged ({problem}); not copied", err=True)
        raise typer.Exit(1)
    try:
        with (
            sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db,
            sqlite3.connect(target) as copy,
        ):
            db.backup(copy)
    except (sqlite3.Error, OSError) as exc:
        target.unlink(missing_ok=True)
        typer.echo(f"error: cannot write the backup to {target}: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {target}: a copy of {source}", err=True)


def _rule_files(settings: Settings) -> dict[str, object]:
    """The topic and actor lists in use, where each comes from, and how many entries it holds;
    a list that cannot be read is reported by its error instead of a count."""
    from briefing.extract.prompts import load_topics
    from briefing.extract.topics import DEFAULT_TOPICS
    from briefing.track.actors import DEFAULT_ACTORS, USER_ACTORS, load_actors

    topics_path = settings.topics_file or DEFAULT_TOPICS
    actors_path = settings.actors_file or DEFAULT_ACTORS
    review_path = settings.home / USER_ACTORS
    report: dict[str, object] = {
        "topics_file": f"{topics_path} ({_origin(settings, 'topics_file')})"
    }
    try:
        report["topics"] = len(load_topics(settings.topics_file))
    except BriefError as exc:
        report["topics"] = str(exc)
    report["actors_file"] = f"{actors_path} ({_origin(settings, 'actors_file')})"
    report["actors_review_file"] = _absent(review_path)  # merges made in review, read on top
    try:
        report["actors"] = len(load_actors(settings).actors)
    except BriefError as exc:
        report["actors"] = str(exc)
    return report


def _cost_settings(settings: Settings) -> dict[str, object]:
    """The cost guard of runs against a remote model (`--dry-run` shows a run's estimate)."""
    limit = settings.max_run_tokens
    prices = settings.price_per_million_tokens
    return {
        "max_run_tokens": "not set (no limit)" if limit is None else limit,
        "price_per_million_tokens": (
            "not set" if prices is None else f"input {prices.input:g}, output {prices.output:g}"
        ),
    }


def _origin(settings: Settings, key: str) -> str:
    origin = settings.origin(key)
    if origin == "default":
        return "shipped default"
    return f"{key} in config.toml" if origin == "config.toml" else f"set by {origin}"


def _absent(path: Path) -> str:
    return str(path) + ("" if path.exists() else " (absent)")
