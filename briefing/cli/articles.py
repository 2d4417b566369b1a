"""`brief ingest` and `brief articles`: reading articles into the store, listing what is there."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from briefing.cli.common import date_option, state_of, user_errors


def ingest_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .md .html .jsonl).")],
    published: Annotated[
        dt.date | None,
        date_option("--published", "Publication date for every article read (over its own)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Read articles into the store (re-ingesting the same text does nothing). Exits 1 when a
    file was skipped, after storing the others."""
    from briefing.pipeline import ingest
    from briefing.render.rows import article_line, ingested_rows

    state = state_of(ctx)
    with user_errors(), state.open_store() as store:
        report = ingest(store, paths, published, progress=state.progress)
    rows = ingested_rows(report.added, report.known)
    if as_json:
        result = {"articles": rows, "problems": report.problems, "warnings": report.warnings}
        typer.echo(json.dumps(result, indent=2))
    else:
        for row in rows:
            typer.echo(article_line(row))
    for warning in report.warnings:  # always shown: the article went in without those fields
        typer.echo(f"warning: {warning}", err=True)
    for problem in report.problems:
        typer.echo(f"skipped: {problem}", err=True)
    if report.problems:
        raise typer.Exit(1)  # the good files went in; a skipped one must not pass unnoticed


def articles_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List the stored articles with their dates and outlets."""
    from briefing.render.rows import article_line, article_row

    with user_errors(), state_of(ctx).open_store() as store:
        rows = [article_row(a) for a in store.all_articles()]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(article_line(row))
