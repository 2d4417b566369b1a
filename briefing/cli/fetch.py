"""`brief fetch` and `brief run`: articles from feeds and pages, and the unattended daily run.

Both exit 1 when anything failed, after doing everything else they could: under cron the exit
code is what raises the alarm, and one dead feed must not cost the morning's briefing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.cli.common import date_option, fail, state_of, user_errors
from briefing.cli.cost import DryRunOption, YesOption, guard
from briefing.cli.progress import display

if TYPE_CHECKING:
    from briefing.config import Settings
    from briefing.store.database import Store

DELAY_HELP = "Seconds between two requests to the same host (robots.txt may ask for more)."


def fetch_command(
    ctx: typer.Context,
    urls: Annotated[
        list[str] | None,
        typer.Argument(help="Article URLs to fetch (default: the feeds in config.toml)."),
    ] = None,
    feeds: Annotated[
        bool, typer.Option("--feeds", help="Read the feeds in config.toml as well as the URLs.")
    ] = False,
    delay: Annotated[float, typer.Option(envvar="BRIEF_FETCH_DELAY", help=DELAY_HELP)] = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Download articles from the feeds listed in config.toml, or from the URLs given, and
    store them (a page or text already stored is skipped)."""
    from briefing.fetch import fetch, fetch_policy

    state = state_of(ctx)
    settings = state.settings
    sources = settings.feeds if feeds or not urls else []
    if not sources and not urls:
        raise fail(
            f"no feeds to read: add [[feeds]] tables with url = ... to {settings.config_path},"
            " or give article URLs"
        )
    with user_errors(), state.open_store() as store:
        report = fetch(
            store,
            sources,
            urls or [],
            policy=fetch_policy(settings, delay),
            progress=state.progress,
        )
    rows = [
        {
            "id": a.id,
            "published": a.published.isoformat() if a.published else None,
            "source": a.source,
            "title": a.title,
            "url": a.url,
        }
        for a in report.added
    ]
    if as_json:
        payload = {"added": rows, "problems": report.problems, "notes": report.notes}
        typer.echo(json.dumps(payload, indent=2))
    else:
        for row in rows:
            typer.echo(f"added {row['id']}  {row['published'] or 'undated':10}  {row['url']}")
    for note in report.notes:  # a feed past its cap: the rest waits, nothing failed
        typer.echo(f"note: {note}", err=True)
    for problem in report.problems:
        typer.echo(f"failed: {problem}", err=True)
    typer.echo(f"fetch: {report.summary()}", err=True)
    if report.failed:
        raise typer.Exit(1)


def run_command(
    ctx: typer.Context,
    date: Annotated[
        dt.date | None,
        date_option("--date", "The day to brief (default: yesterday in the configured timezone)."),
    ] = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Send a briefing that changed since it was sent to those who got it."
        ),
    ] = False,
    delay: Annotated[float, typer.Option(envvar="BRIEF_FETCH_DELAY", help=DELAY_HELP)] = 1.0,
    yes: YesOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Fetch, extract what is pending, generate the day's briefing and email it once: the
    command for cron or a systemd timer (one run at a time per BRIEF_HOME)."""
    from briefing.daily import default_day, run_day
    from briefing.fetch import fetch_policy

    state = state_of(ctx)
    day = date or default_day(state.settings)
    if dry_run:
        _estimate_stored(state.settings, state.open_store)
        return
    with user_errors(), display(state.verbose) as shown:
        report = run_day(
            state.settings,
            day,
            update=update,
            policy=fetch_policy(state.settings, delay),
            progress=shown.message,
            ticker=shown.tick,
            guard=lambda extractor, articles: guard(extractor, articles, yes=yes),
        )
    for note in report.fetched.notes if report.fetched else []:
        typer.echo(f"note: {note}", err=True)
    for problem in report.problems:
        typer.echo(f"failed: {problem}", err=True)
    typer.echo(report.summary(), err=True)
    if report.failed:
        raise typer.Exit(1)


def _estimate_stored(settings: Settings, open_store: Callable[[], Store]) -> None:
    """`brief run --dry-run`: what extracting the stored articles would send and cost. The feeds
    are not fetched and nothing is sent, so articles a fetch would add are not in it."""
    from briefing.llm.client import open_client
    from briefing.pipeline import Extractor

    with user_errors(), open_store() as store, open_client(settings, store) as client:
        guard(Extractor(store, client, settings), store.all_articles(), dry_run=True)
    typer.echo("(the articles stored now: the feeds were not fetched)", err=True)
