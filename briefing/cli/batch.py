"""`brief extract --batch`: one pass of extraction through the Batch API (see
briefing.extract.batched), and what it says."""

from __future__ import annotations

import datetime as dt

import typer

from briefing.cli.common import State, user_errors
from briefing.cli.progress import display
from briefing.text.words import plural


def extract_by_batch_command(state: State, date: dt.date | None, retry_failed: bool) -> None:
    """Take in the answers of batches that ended, save what they complete, submit the rest.
    Exits 1 when a batch could not be submitted or looked at (nothing is lost: run again)."""
    from briefing.extract.batched import extract_by_batch

    with user_errors(), state.open_store() as store:
        articles = store.articles_on(date) if date else store.all_articles()
        with display(state.verbose) as shown:
            done = extract_by_batch(
                state.settings, store, articles, shown.message, retry_failed=retry_failed
            )
    for line in done.news.lines:
        typer.echo(line, err=True)
    failed = [o for o in done.outcomes if o.error]
    for outcome in failed:
        typer.echo(f"problem with {outcome.article.origin}: {outcome.error}", err=True)
    for outcome in done.unfinished:
        typer.echo(f"not finished: {outcome.article.origin}: {outcome.error}", err=True)
    settled = len(done.outcomes) + len(done.waiting) + len(done.unfinished)
    typer.echo(
        f"{len(done.outcomes)} articles extracted, {len(failed)} with problems,"
        f" {plural(len(done.waiting), 'article')} waiting for the Batch API,"
        f" {len(articles) - settled} already done",
        err=True,
    )
    if done.news.problems or done.unfinished:
        raise typer.Exit(1)
