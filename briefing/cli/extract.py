"""`brief extract` and `brief generate`: positions from the stored articles, then a day's
briefing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.cli.common import USAGE, date_option, fail, state_of, user_errors
from briefing.cli.cost import DryRunOption, YesOption, guard
from briefing.cli.progress import display
from briefing.cli.send import envelope_for, send_briefing
from briefing.text.words import plural

if TYPE_CHECKING:
    from briefing.extract.extractor import ArticleOutcome
    from briefing.render.briefing import Briefing
    from briefing.store.database import Store


def extract_command(
    ctx: typer.Context,
    date: Annotated[
        dt.date | None, date_option("--date", "Extract the articles of this day.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Extract every stored article.")] = False,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="Ask the model again where its cached answer was unusable (refused, cut off,"
            " invalid) instead of replaying it.",
        ),
    ] = False,
    batch: Annotated[
        bool | None,
        typer.Option(
            "--batch/--no-batch",
            help="Send what the cache lacks through the Batch API and take in the answers of"
            " batches that ended; run it again later (default: `batch` in config.toml).",
        ),
    ] = None,
    yes: YesOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Extract positions from articles that have not been extracted yet."""
    if not date and not all_:
        raise fail("say which articles: --date YYYY-MM-DD or --all", code=USAGE)
    if batch if batch is not None else state_of(ctx).settings.batch:
        from briefing.cli.batch import extract_by_batch_command

        return extract_by_batch_command(state_of(ctx), date, retry_failed)
    from briefing.llm.client import open_client
    from briefing.pipeline import Extractor

    state = state_of(ctx)
    with user_errors(), state.open_store() as store:
        articles = store.articles_on(date) if date else store.all_articles()
        with open_client(state.settings, store) as client:
            client.retry_failed = retry_failed
            with display(state.verbose) as shown:
                extractor = Extractor(store, client, state.settings, shown.message, shown.tick)
                if not guard(extractor, articles, yes=yes, dry_run=dry_run):
                    return
                outcomes = extractor.extract(articles)
    _report_extraction(outcomes, len(articles), retry_failed)


def _report_extraction(outcomes: list[ArticleOutcome], articles: int, retry_failed: bool) -> None:
    """What `brief extract` did, on stderr; exit 1 when every article failed."""
    failed = [o for o in outcomes if o.error]
    for outcome in failed:
        typer.echo(f"problem with {outcome.article.origin}: {outcome.error}", err=True)
    held = [o for o in outcomes if o.held]
    for outcome in held:
        typer.echo(f"{outcome.article.origin}: {outcome.held}", err=True)
    typer.echo(
        f"{len(outcomes)} articles extracted, {len(failed)} with problems, "
        f"{len(held)} held for review, {articles - len(outcomes)} already done",
        err=True,
    )
    if failed and not retry_failed:
        typer.echo(
            "an unusable answer is kept in the cache: add --retry-failed to ask the model again",
            err=True,
        )
    if failed and len(failed) == len(outcomes):
        raise typer.Exit(1)


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the Markdown here (default: BRIEF_HOME/briefings/DAY.md)."
    ),
]
SendOption = Annotated[
    bool,
    typer.Option(
        "--send",
        help="Then email it, as `brief send` does; not when an article failed (see"
        " --send-partial).",
    ),
]
SendPartialOption = Annotated[
    bool,
    typer.Option(
        "--send-partial",
        help="With --send: email the briefing even when some articles of the day could not"
        " be extracted (it says which).",
    ),
]
ToOption = Annotated[
    list[str] | None,
    typer.Option(
        "--to",
        help="Recipient for --send; repeat for several "
        "(default: `to` in the smtp table of config.toml).",
    ),
]

FormatOption = Annotated[
    str,
    typer.Option(
        "--format", help="markdown (the page) or json (the same briefing as data; see the README)."
    ),
]


def generate_command(
    ctx: typer.Context,
    date: Annotated[dt.date, date_option("--date", "The day to brief.")],
    output: OutputOption = None,
    stdout: Annotated[bool, typer.Option(help="Also print the briefing on stdout.")] = True,
    send: SendOption = False,
    send_partial: SendPartialOption = False,
    to: ToOption = None,
    output_format: FormatOption = "markdown",
    yes: YesOption = False,
    dry_run: DryRunOption = False,
) -> None:
    """Extract what is pending for a day, then write its Markdown briefing.

    Exits 1 when an article of the day could not be fully extracted (the briefing is partial).
    """
    from briefing.llm.client import open_client
    from briefing.pipeline import Extractor, articles_to_extract, build_briefing

    state = state_of(ctx)
    if output_format not in ("markdown", "json"):
        typer.echo(f"error: --format {output_format!r}: use markdown or json", err=True)
        raise typer.Exit(2)
    with user_errors():
        # Check the mail settings first: a typo should not cost a minute of extraction.
        envelope = envelope_for(state, to, None, need_server=True) if send else None
        with state.open_store() as store, display(state.verbose) as shown:
            with open_client(state.settings, store) as client:
                extractor = Extractor(store, client, state.settings, shown.message, shown.tick)
                pending = articles_to_extract(extractor, date)
                if not guard(extractor, pending, yes=yes, dry_run=dry_run):
                    return
                briefing = build_briefing(
                    store, client, state.settings, date, shown.message, extractor=extractor
                )
            target, as_json = _write(store, state.settings.home, briefing, output, output_format)
    if stdout:
        typer.echo(as_json if output_format == "json" else briefing.markdown, nl=False)
    typer.echo(
        f"wrote {target}: {plural(briefing.articles, 'article')}, "
        f"{plural(briefing.positions, 'position')}, {briefing.needs_review} to review",
        err=True,
    )
    _say_partial(briefing.failed, briefing.articles, date)
    if envelope is not None:
        if briefing.failed and not send_partial:
            typer.echo("not sent: add --send-partial to email a partial briefing", err=True)
        elif briefing.failed and len(briefing.failed) >= briefing.articles:
            typer.echo(
                "not sent: no article of the day was extracted, so the briefing says nothing;"
                " fix the model (brief doctor) and run again",
                err=True,
            )
        else:
            send_briefing(state, date, envelope)
    if briefing.failed:
        raise typer.Exit(1)


def _write(
    store: Store, home: Path, briefing: Briefing, output: Path | None, output_format: str
) -> tuple[Path, str]:
    """Save the page where `brief send` looks for it (or at `output`); with json, the data
    goes to `output` (or beside the page) and the page to its usual place."""
    from briefing.deliver.files import default_briefing_path, save_briefing, write_text

    as_json = json.dumps(briefing.data, ensure_ascii=False, indent=2) + "\n"
    page = default_briefing_path(home, briefing)
    if output_format != "json":
        target = output or page
        save_briefing(store, briefing, target)
        return target, as_json
    save_briefing(store, briefing, page)
    target = output or page.with_suffix(".json")
    write_text(target, as_json)
    return target, as_json


def _say_partial(failed: list[str], articles: int, date: dt.date) -> None:
    if failed:
        # Said without -v: under cron a partial briefing must not pass for a complete one.
        typer.echo(
            f"error: {len(failed)} of {plural(articles, 'article')} could not be"
            f" fully extracted ({'; '.join(failed[:3])}"
            f"{'; ...' if len(failed) > 3 else ''}), so the briefing is partial: run the"
            f" command again once the model answers, or `brief extract --date {date.isoformat()}"
            " --retry-failed` where its answers were unusable",
            err=True,
        )
