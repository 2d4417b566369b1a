"""`brief timeline`: an actor's dated positions, with quotes and sources."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from briefing.cli.common import date_option, state_of, user_errors


def timeline_command(
    ctx: typer.Context,
    actor: Annotated[
        str, typer.Option(help='Actor id, name or alias, e.g. peskov or "the Kremlin".')
    ],
    topic: Annotated[str | None, typer.Option(help="Only this topic key.")] = None,
    since: Annotated[
        dt.date | None, date_option("--since", "Only statements on or after this day.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the timeline as JSON.")] = False,
) -> None:
    """The dated positions of an actor, with quotes and sources, by statement date."""
    from briefing.render.timeline import find_timeline, timeline_json, timeline_markdown

    state = state_of(ctx)
    with user_errors(), state.open_store() as store:
        timeline = find_timeline(state.settings, store, actor, topic, since)
    if as_json:
        typer.echo(json.dumps(timeline_json(timeline), indent=2, ensure_ascii=False))
        return
    if not timeline.statements:
        name = timeline.actor.name
        typer.echo(f"no stored positions of {name}" + (f" on {topic}" if topic else ""), err=True)
        typer.echo("(extract articles first: `brief extract --all`)", err=True)
    typer.echo(timeline_markdown(timeline), nl=False)
