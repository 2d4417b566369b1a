"""`brief review ...`: listing, showing and deciding on extracted positions, CSV and gold
export, CSV import, the review page, and merging actors."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.cli.common import USAGE, date_option, fail, state_of, user_errors, writing
from briefing.errors import BriefError
from briefing.text.words import plural

if TYPE_CHECKING:
    from briefing.models import Position
    from briefing.review.listing import ReviewList
    from briefing.store.database import Store

app = typer.Typer(
    no_args_is_help=True,
    help="Review extracted positions: list, show, approve, reject, edit, CSV, a web page.",
)

ReviewerOption = Annotated[
    str | None,
    typer.Option(
        envvar="BRIEF_REVIEWER",
        help="Your name on the decision (default: reviewer in config.toml, else the OS user).",
    ),
]
NoteOption = Annotated[str | None, typer.Option(help="Why: kept with the decision.")]
IdsArgument = Annotated[list[int], typer.Argument(help="Position ids (see `brief review list`).")]
DateOption = Annotated[dt.date | None, date_option("--date", "Only this day's articles.")]


def _status(value: str) -> str:
    from briefing.review.decisions import FILTERS

    if value not in FILTERS:
        raise fail(f"unknown --status {value!r}: use one of {', '.join(FILTERS)}", code=USAGE)
    return value


StatusOption = Annotated[
    str | None,
    typer.Option(parser=_status, help="pending, approved, rejected, edited, conflict or invalid."),
]
TopicOption = Annotated[str | None, typer.Option(help="Only this topic key.")]
ActorOption = Annotated[str | None, typer.Option(help="Only this speaker (part of the name).")]


def _find(
    ctx: typer.Context,
    day: dt.date | None,
    status: str | None,
    topic: str | None,
    actor: str | None,
) -> ReviewList:
    """The positions `brief review list` shows and `export` writes, with the filters applied."""
    from briefing.review.listing import list_positions

    with user_errors(), state_of(ctx).open_store() as store:
        return list_positions(store, day, status, topic, actor)


@app.command("list")
def list_command(
    ctx: typer.Context,
    date: DateOption = None,
    status: StatusOption = None,
    topic: TopicOption = None,
    actor: ActorOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List extracted positions with their review state (each article's latest extraction)."""
    from briefing.review.show import list_json, list_lines, list_summary

    found = _find(ctx, date, status, topic, actor)
    if as_json:
        typer.echo(json.dumps(list_json(found), indent=2, ensure_ascii=False))
        return
    for line in list_lines(found):
        typer.echo(line)
    typer.echo(list_summary(found), err=True)


@app.command("show")
def show_command(
    ctx: typer.Context,
    position_id: Annotated[int, typer.Argument(help="Position id (see `brief review list`).")],
    context: Annotated[
        int, typer.Option(min=-1, help="Sentences shown around the evidence (-1: the article).")
    ] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
) -> None:
    """Show a position, its evidence among the article's sentences, and its history."""
    from briefing.review.listing import describe
    from briefing.review.show import show_json, show_text

    with user_errors(), state_of(ctx).open_store() as store:
        detail = describe(store, position_id, context)
    if as_json:
        typer.echo(json.dumps(show_json(detail), indent=2, ensure_ascii=False))
    else:
        typer.echo(show_text(detail, terminal=sys.stdout.isatty()))


def _decide(
    ctx: typer.Context,
    decide: Callable[[Store, list[int], str, str | None], list[Position]],
    verb: str,
    ids: list[int],
    note: str | None,
    reviewer: str | None,
) -> None:
    """Record one decision on `ids`, then show the positions as they read now."""
    from briefing.review.decisions import reviewer_name
    from briefing.review.show import decided_summary, position_line

    state = state_of(ctx)
    with user_errors(), state.open_store() as store:
        done = decide(store, ids, reviewer_name(reviewer, state.settings), note)
    for p in done:
        typer.echo(position_line(p))
    typer.echo(decided_summary(verb, done), err=True)


@app.command("approve")
def approve_command(
    ctx: typer.Context, ids: IdsArgument, note: NoteOption = None, reviewer: ReviewerOption = None
) -> None:
    """Approve positions as they read now: they are briefed as reviewed."""
    from briefing.review.deciding import approve

    _decide(ctx, approve, "approved", ids, note, reviewer)


@app.command("reject")
def reject_command(
    ctx: typer.Context, ids: IdsArgument, note: NoteOption = None, reviewer: ReviewerOption = None
) -> None:
    """Reject positions: they are left out of the briefings."""
    from briefing.review.deciding import reject

    _decide(ctx, reject, "rejected", ids, note, reviewer)


@app.command("edit")
def edit_command(
    ctx: typer.Context,
    ids: IdsArgument,
    speaker: Annotated[str | None, typer.Option(help="Speaker as named in the article.")] = None,
    role: Annotated[str | None, typer.Option(help="Speaker's role or institution.")] = None,
    topic: Annotated[str | None, typer.Option(help="Topic key.")] = None,
    stance: Annotated[
        str | None, typer.Option(help="supports, opposes, conditional, neutral or unclear.")
    ] = None,
    summary: Annotated[str | None, typer.Option(help="One neutral sentence.")] = None,
    evidence: Annotated[
        str | None,
        typer.Option(
            help='Sentence ids of the same article, e.g. "S3 S4"; the quotation is copied from '
            "them."
        ),
    ] = None,
    note: NoteOption = None,
    reviewer: ReviewerOption = None,
) -> None:
    """Correct positions; an edited position counts as reviewed.

    Quotations cannot be typed: change the evidence to other sentences of the article and the
    words are copied from there.
    """
    from briefing.review.deciding import edit

    given = {
        "speaker": speaker,
        "role": role,
        "topic": topic,
        "stance": stance,
        "summary": summary,
        "evidence": evidence,
    }
    values = {k: v for k, v in given.items() if v is not None}
    if not values:
        raise fail(
            "say what to change: --speaker, --role, --topic, --stance, --summary or --evidence",
            code=USAGE,
        )
    _decide(
        ctx,
        lambda store, ids, who, why: edit(store, ids, values, who, why),
        "edited",
        ids,
        note,
        reviewer,
    )


@app.command("dismiss")
def dismiss_command(
    ctx: typer.Context,
    decisions: Annotated[
        list[str],
        typer.Argument(
            help="Decisions that match no position, e.g. d12 (see `brief review list --status "
            "conflict`)."
        ),
    ],
    note: NoteOption = None,
    reviewer: ReviewerOption = None,
) -> None:
    """Dismiss decisions that no position matches any more after a re-extraction."""
    from briefing.review.deciding import dismiss
    from briefing.review.decisions import reviewer_name

    state = state_of(ctx)
    with user_errors(), state.open_store() as store:
        count = dismiss(store, decisions, reviewer_name(reviewer, state.settings), note)
    typer.echo(f"dismissed {plural(count, 'decision')}", err=True)


@app.command("export")
def export_command(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the CSV here (default: stdout).")
    ] = None,
    date: DateOption = None,
    status: StatusOption = None,
    topic: TopicOption = None,
    actor: ActorOption = None,
) -> None:
    """Write positions as CSV, to review in a spreadsheet.

    Change status (approved, rejected, pending), speaker, role, topic, stance, summary or
    evidence, add a note, then `brief review import` the file.
    """
    from briefing.review.spreadsheet import export_csv

    found = _find(ctx, date, status, topic, actor)
    if output is None:
        count = export_csv(found.items, sys.stdout)
    else:
        # A byte order mark, so that spreadsheets read the file as UTF-8.
        with (
            user_errors(),
            writing(output, "-o"),
            output.open("w", encoding="utf-8-sig", newline="") as out,
        ):
            count = export_csv(found.items, out)
    where = f" to {output}" if output else ""
    typer.echo(f"exported {count} positions{where}", err=True)


@app.command("export-gold")
def export_gold_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(help="The gold .json file to write.")],
    date: Annotated[
        dt.date | None, date_option("--date", "Only this day's articles (default: all).")
    ] = None,
) -> None:
    """Write the fully reviewed articles as gold for `brief eval OUTPUT`: the analysts'
    decisions become a regression set for a new prompt or model."""
    from briefing.evaluate.gold import write_gold
    from briefing.evaluate.reviewed import reviewed_gold

    with user_errors():
        with state_of(ctx).open_store() as store:
            export = reviewed_gold(store, date)
        if not export.documents:
            raise BriefError(
                "no article has all its positions reviewed yet: approve, edit or reject them"
                " with `brief review`, then export again"
            )
        with writing(output, "path"):
            write_gold(output, export.documents)
    skipped = len(export.skipped)
    skipped_text = f"; skipped {skipped} with positions not reviewed yet" if skipped else ""
    typer.echo(
        f"exported {plural(len(export.documents), 'article')},"
        f" {plural(export.positions, 'position')}, to {output}{skipped_text};"
        f" score a run with `brief eval {output}`",
        err=True,
    )


@app.command("import")
def import_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A CSV written by `brief review export`.")],
    reviewer: ReviewerOption = None,
) -> None:
    """Apply a reviewed CSV: every row or, if one is wrong, none.

    Every row is checked first; the problems are listed row by row.
    """
    from briefing.errors import CsvImportError
    from briefing.review.decisions import reviewer_name
    from briefing.review.spreadsheet import import_csv

    state = state_of(ctx)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read {path} ({exc}): save it as CSV in UTF-8") from None
    with user_errors(), state.open_store() as store:
        try:
            report = import_csv(store, text, reviewer_name(reviewer, state.settings))
        except CsvImportError as exc:
            for problem in exc.problems:
                typer.echo(problem, err=True)
            raise
    typer.echo(
        f"imported {path}: {report.applied} decisions recorded, {report.unchanged} rows unchanged",
        err=True,
    )


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    date: Annotated[
        dt.date | None,
        date_option("--date", "The day to review (default: the latest with articles)."),
    ] = None,
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0: any free).")
    ] = 8765,
    reviewer: ReviewerOption = None,
) -> None:
    """Review in the browser, on a page served on 127.0.0.1 only.

    The evidence is highlighted in the article; approve, reject and edit with buttons or keys
    (j/k move, a approve, r reject, e edit).
    """
    from briefing.review.decisions import reviewer_name
    from briefing.review.show import latest_day
    from briefing.review.web import ReviewServer

    state = state_of(ctx)
    with user_errors(), state.open_store() as store:
        name = reviewer_name(reviewer, state.settings)
        day = date or latest_day(store)
        try:
            server = ReviewServer(store, state.settings, day, name, port)
        except OSError as exc:
            raise BriefError(
                f"cannot listen on 127.0.0.1:{port} ({exc.strerror}): choose another --port"
            ) from exc
        typer.echo(f"reviewing {day} as {name} at {server.url} (Ctrl-C stops)", err=True)
        typer.echo(server.url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


@app.command("merge-actors")
def merge_actors_command(
    ctx: typer.Context,
    alias: Annotated[
        str, typer.Argument(help="A speaker name as the text writes it, or an actor id.")
    ],
    into: Annotated[str, typer.Argument(help="The actor it names: id, name or alias.")],
) -> None:
    """Merge two actors: ALIAS becomes a name of INTO (kept in BRIEF_HOME/actors.toml)."""
    from briefing.track.tracking import USER_ACTORS, merge_actors

    settings = state_of(ctx).settings
    with user_errors():
        target = merge_actors(settings, alias, into)
    typer.echo(
        f"{alias!r} now names {target.name} ({target.id}); see {settings.home / USER_ACTORS}",
        err=True,
    )
