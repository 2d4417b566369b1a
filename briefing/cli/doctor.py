"""`brief doctor`: which model would answer and why, and where brief keeps its files."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from briefing.cli.common import state_of


def doctor_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    full_hash: Annotated[
        bool, typer.Option(help="Hash the model file in full (about 2 s).")
    ] = True,
) -> None:
    """Say which provider would be used and why, whether the model is there, where things live."""
    from briefing.llm.doctor import diagnose, report_text

    report = diagnose(state_of(ctx).settings, full_hash)
    typer.echo(json.dumps(report, indent=2) if as_json else report_text(report), nl=as_json)
