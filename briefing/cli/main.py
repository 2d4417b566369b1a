"""The `brief` command line: a thin layer over the pipeline. Only this module prints or exits.

stdout carries data (the briefing, JSON); stderr carries progress and messages. Exit codes: 0 ok,
1 a failure the user can fix (the message says how), 2 bad usage.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from briefing.track import tracking as track
from briefing.config import Settings, load_settings
from briefing.resources import CHECKOUT_DIR
from briefing.errors import BriefError
from briefing.models import Article, Position
from briefing.pipeline import Extractor, build_briefing, ingest, parse_day
from briefing.store.database import Store

if TYPE_CHECKING:
    from briefing.deliver.mail import DeliveryReport, Envelope

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Turn news articles into a daily briefing of who said what, with verbatim quotes.",
)
fixtures_app = typer.Typer(no_args_is_help=True, help="Record and check the model fixtures.")
app.add_typer(fixtures_app, name="fixtures")
review_app = typer.Typer(
    no_args_is_help=True,
    help="Review extracted positions: list, show, approve, reject, edit, CSV, a web page.",
)
app.add_typer(review_app, name="review")

class State:
    def __init__(self, settings: Settings, verbose: bool) -> None:
        self.settings = settings
        self.verbose = verbose

    def progress(self, message: str) -> None:
        if self.verbose or sys.stderr.isatty():
            typer.echo(message, err=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the library's errors into one-line messages and exit code 1."""
    try:
        yield
    except BriefError as exc:
        raise fail(str(exc)) from None


@app.callback()
def main(
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


def _state(ctx: typer.Context) -> State:
    state = ctx.obj
    assert isinstance(state, State)
    return state


@app.command("ingest")
def ingest_command(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .md .html .jsonl).")],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for articles without one.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Read articles into the store (re-ingesting the same text does nothing)."""
    state = _state(ctx)
    with user_errors(), Store(state.settings.store_path) as store:
        day = parse_day(published) if published else None
        report = ingest(store, paths, day, progress=state.progress)
    rows = [
        {
            "id": a.id,
            "origin": a.origin,
            "title": a.title,
            "published": a.published.isoformat() if a.published else None,
            "date_status": a.date_status.value,
            "status": status,
        }
        for status, items in (("added", report.added), ("known", report.known))
        for a in items
    ]
    if as_json:
        typer.echo(json.dumps({"articles": rows, "problems": report.problems}, indent=2))
    else:
        for row in rows:
            typer.echo(
                f"{row['status']:6} {row['id']}  {row['published'] or 'undated':10}"
                f" {row['date_status']:11} {row['origin']}"
            )
    for problem in report.problems:
        typer.echo(f"skipped: {problem}", err=True)
    if report.problems and not rows:
        raise typer.Exit(1)


@app.command("articles")
def articles_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List the stored articles with their dates."""
    state = _state(ctx)
    with user_errors(), Store(state.settings.store_path) as store:
        articles = store.all_articles()
    rows = [
        {
            "id": a.id,
            "published": a.published.isoformat() if a.published else None,
            "date_status": a.date_status.value,
            "title": a.title,
            "origin": a.origin,
        }
        for a in articles
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(
            f"{row['id']}  {row['published'] or 'undated':10} {row['date_status']:11}"
            f" {row['title'] or row['origin']}"
        )


@app.command("extract")
def extract_command(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Option(help="Extract the articles of this day.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Extract every stored article.")] = False,
) -> None:
    """Extract positions from articles that have not been extracted yet."""
    state = _state(ctx)
    if not date and not all_:
        raise fail("say which articles: --date YYYY-MM-DD or --all", code=2)
    from briefing.llm.client import open_client

    with user_errors(), Store(state.settings.store_path) as store:
        articles = store.articles_on(parse_day(date)) if date else store.all_articles()
        with open_client(state.settings, store) as client:
            outcomes = Extractor(store, client, state.settings, state.progress).extract(articles)
    failed = [o for o in outcomes if o.error]
    for outcome in failed:
        typer.echo(f"problem with {outcome.article.origin}: {outcome.error}", err=True)
    typer.echo(
        f"{len(outcomes)} articles extracted, {len(failed)} with problems, "
        f"{len(articles) - len(outcomes)} already done",
        err=True,
    )
    if failed and len(failed) == len(outcomes):
        raise typer.Exit(1)


@app.command("generate")
def generate_command(
    ctx: typer.Context,
    date: Annotated[str, typer.Option(help="The day to brief, YYYY-MM-DD.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the Markdown here (default: BRIEF_HOME/briefings/DAY.md)."),
    ] = None,
    stdout: Annotated[bool, typer.Option(help="Also print the briefing on stdout.")] = True,
    send: Annotated[
        bool, typer.Option("--send", help="Then email it, as `brief send` does.")
    ] = False,
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="Recipient for --send; repeat for several "
                     "(default: `to` in the smtp table of config.toml)."),
    ] = None,
) -> None:
    """Extract what is pending for a day, then write its Markdown briefing."""
    state = _state(ctx)
    from briefing.llm.client import open_client

    with user_errors():
        try:
            day = parse_day(date)
        except BriefError as exc:
            raise fail(str(exc), code=2) from None
        # Check the mail settings first: a typo should not cost a minute of extraction.
        envelope = _envelope(state, to, None, need_server=True) if send else None
        with Store(state.settings.store_path) as store:
            with open_client(state.settings, store) as client:
                briefing = build_briefing(store, client, state.settings, day, state.progress)
            target = output or state.settings.home / "briefings" / f"{day.isoformat()}.md"
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(briefing.markdown, encoding="utf-8")
            except OSError as exc:
                raise BriefError(f"cannot write {target} ({exc.strerror}): choose another --output") from exc
            store.record_briefing(
                day,
                briefing.sha256,
                str(target.resolve()),  # absolute: `brief send` may run from another folder
                counts={
                    "articles": briefing.articles,
                    "positions": briefing.positions,
                    "needs_review": briefing.needs_review,
                },
            )
    if stdout:
        typer.echo(briefing.markdown, nl=False)
    typer.echo(
        f"wrote {target}: {_count(briefing.articles, 'article')}, "
        f"{_count(briefing.positions, 'position')}, {briefing.needs_review} to review",
        err=True,
    )
    if envelope is not None:
        _send(state, day, envelope, force=False, update=False, dry_run=False, eml=None)


@app.command("send")
def send_command(
    ctx: typer.Context,
    date: Annotated[str, typer.Option(help="The day whose briefing to email, YYYY-MM-DD.")],
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="Recipient; repeat for several "
                     "(default: `to` in the smtp table of config.toml)."),
    ] = None,
    bcc: Annotated[
        list[str] | None,
        typer.Option("--bcc", help="Hidden recipient, in no header; repeat for several "
                     "(default: `bcc` in the smtp table of config.toml)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Send even to recipients who already got this briefing.")
    ] = False,
    update: Annotated[
        bool,
        typer.Option("--update", help="Send a briefing that changed since it was sent to those "
                     "who got the earlier version."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Write the .eml that would be sent and send nothing."),
    ] = False,
    eml: Annotated[
        Path | None,
        typer.Option(help="Write the email here (default with --dry-run: "
                     "BRIEF_HOME/briefings/DAY.eml)."),
    ] = None,
) -> None:
    """Email the day's briefing (generated with `brief generate`): Markdown and HTML, over SMTP.

    Server and sender: BRIEF_SMTP_HOST, _PORT, _SECURITY, _USER, BRIEF_MAIL_FROM, or config.toml.

    The password comes from BRIEF_SMTP_PASSWORD only.
    """
    state = _state(ctx)
    with user_errors():
        try:
            day = parse_day(date)
        except BriefError as exc:
            raise fail(str(exc), code=2) from None
        envelope = _envelope(state, to, bcc, need_server=not dry_run)
    _send(state, day, envelope, force=force, update=update, dry_run=dry_run, eml=eml)


def _envelope(
    state: State, to: list[str] | None, bcc: list[str] | None, *, need_server: bool
) -> Envelope:
    from briefing.config import load_smtp_settings
    from briefing.deliver.mail import check_envelope

    smtp = load_smtp_settings(state.settings)
    # A flag replaces the file's list rather than adding to it, as flags do everywhere.
    return check_envelope(smtp, to or smtp.to, bcc or smtp.bcc, need_server=need_server)


def _send(
    state: State,
    day: dt.date,
    envelope: Envelope,
    *,
    force: bool,
    update: bool,
    dry_run: bool,
    eml: Path | None,
) -> None:
    from briefing.config import load_smtp_settings
    from briefing.deliver.mail import deliver_briefing

    if dry_run and eml is None:
        eml = state.settings.home / "briefings" / f"{day.isoformat()}.eml"
    with user_errors(), Store(state.settings.store_path) as store:
        report = deliver_briefing(
            store,
            load_smtp_settings(state.settings),
            day,
            envelope,
            force=force,
            update=update,
            dry_run=dry_run,
            eml_path=eml,
            progress=state.progress,
        )
    for recipient, why in report.skipped.items():
        typer.echo(f"skipped {recipient}: {why}", err=True)
    if report.dry_run:
        typer.echo(str(report.eml_path))
        typer.echo(
            f"wrote {report.eml_path}: \"{report.subject}\" for {_who(report)}; "
            "nothing sent (dry run)",
            err=True,
        )
        return
    if report.sent_to:
        typer.echo(
            f"sent \"{report.subject}\" to {_who(report)} ({report.reply})", err=True
        )
    if report.eml_path is not None:
        typer.echo(f"wrote a copy to {report.eml_path}", err=True)
    if report.refused:
        refused = "; ".join(f"{r} ({reply})" for r, reply in report.refused.items())
        raise fail(f"the server refused {refused}: check the address; the others got it")


def _who(report: DeliveryReport) -> str:
    shown = [r for r in report.sent_to if r not in report.bcc]
    hidden = [r for r in report.sent_to if r in report.bcc]
    return ", ".join(shown + ([f"bcc: {', '.join(hidden)}"] if hidden else []))


@app.command("doctor")
def doctor_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    full_hash: Annotated[bool, typer.Option(help="Hash the model file in full (about 2 s).")] = True,
) -> None:
    """Say which provider would be used and why, whether the model is there, where things live."""
    from briefing.llm import local
    from briefing.llm.client import choose_provider

    settings = _state(ctx).settings
    report: dict[str, object] = {
        "home": str(settings.home),
        "store": str(settings.store_path),
        "config": str(settings.config_path) + ("" if settings.config_path.exists() else " (absent)"),
        "fixtures": str(settings.fixtures_dir),
    }
    try:
        name, why = choose_provider(settings)
        report["provider"] = name
        report["why"] = why
    except BriefError as exc:
        report["provider"] = None
        report["why"] = str(exc)
    report["openai_api_key"] = "set" if os.environ.get("OPENAI_API_KEY") else "not set"
    report["openai_base_url"] = os.environ.get("OPENAI_BASE_URL") or "not set"
    report["local_model_installed"] = local.weights_installed()
    path = local.default_model_path()
    report["local_model_path"] = str(path)
    if path.exists():
        report["local_model_ok"] = local.verify_model(path) if full_hash else "not checked"
    else:
        report["local_model_ok"] = "not assembled yet (done on first use)"
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    for key, value in report.items():
        typer.echo(f"{key:22} {value}")


@app.command("eval")
def eval_command(
    ctx: typer.Context,
    gold: Annotated[
        Path,
        typer.Argument(help="Annotated corpus: a folder of brat .txt and .ann files, or a gold "
                       ".json exported from reviewed positions."),
    ],
    limit: Annotated[
        int | None, typer.Option(min=1, help="Score only the first N documents (by name).")
    ] = None,
    docs: Annotated[
        str | None,
        typer.Option(help="Comma-separated document names (file names without suffix, or "
                     "unique prefixes) to score instead of all."),
    ] = None,
    annotator: Annotated[
        str | None,
        typer.Option(help="For documents annotated by several people, use this annotator "
                     "(default: the first by name)."),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json-out", help="Also write the full report as JSON here.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the JSON report instead of the table.")
    ] = False,
) -> None:
    """Score extraction against an annotated corpus: precision, recall and F1 for content and
    source spans, exact and by token overlap, direct and reported speech apart, with the cost.

    Gold articles are kept in BRIEF_HOME/eval.sqlite3, apart from your news; model answers are
    cached there, so running the same corpus, model and prompt again asks the model nothing.
    """
    from briefing.evaluate.scoring import (
        eval_store_path,
        evaluate,
        format_table,
        read_gold,
        report_json,
        select_documents,
    )
    from briefing.llm.client import open_client

    state = _state(ctx)
    names = [n for n in (docs or "").split(",") if n.strip()]
    with user_errors():
        documents = select_documents(read_gold(gold, annotator), names, limit)
        state.progress(f"scoring {len(documents)} documents from {gold}")
        with (
            Store(eval_store_path(state.settings)) as store,
            open_client(state.settings, store) as client,
        ):
            report = evaluate(
                store,
                client,
                state.settings,
                documents,
                corpus=str(gold),
                annotator=annotator,
                progress=state.progress,
            )
        if json_out is not None:
            try:
                json_out.write_text(report_json(report), encoding="utf-8")
            except OSError as exc:
                raise BriefError(
                    f"cannot write {json_out} ({exc.strerror}): choose another --json-out"
                ) from exc
    typer.echo(report_json(report) if as_json else format_table(report), nl=False)
    failed = [d for d in report["per_document"] if d["error"]]
    for entry in failed:
        typer.echo(f"problem with {entry['name']}: {entry['error']}", err=True)
    if failed and len(failed) == len(documents):
        raise fail(
            "no document was fully extracted, so the scores mean nothing: fix the problem above"
        )


# The folders the fixtures cover, each recorded and checked in a store of its own.
FIXTURE_FOLDERS = [CHECKOUT_DIR / "seeds", CHECKOUT_DIR / "tests" / "data"]


def _days(store: Store) -> list[dt.date]:
    """The publication days of the stored articles, in order."""
    return [dt.date.fromisoformat(day) for day, _ in store.dates() if day]


@fixtures_app.command("record")
def fixtures_record(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Article folders to record, each in a store of its own "
                       "(default: seeds/ and tests/data/)."),
    ] = None,
) -> None:
    """Re-record fixtures/ from the embedded model: extract every article and every day's summary."""
    from briefing.llm.client import open_client, write_fixture

    state = _state(ctx)
    groups = paths or FIXTURE_FOLDERS
    calls = {}
    with user_errors():
        for group in groups:
            # Each folder is recorded in a store of its own, as a user would run it, so that
            # the day's summary request is the one a user of that folder sends. The stores live
            # in BRIEF_HOME, so an interrupted recording resumes from its cache.
            record_home = state.settings.home / "recording" / group.resolve().name
            settings = load_settings(home=record_home, provider="local", model=state.settings.model)
            with Store(settings.store_path) as store:
                report = ingest(store, [group], progress=state.progress)
                if report.problems and not report.added:
                    raise BriefError(f"nothing to record in {group}: " + "; ".join(report.problems))
                # Extract everything again (from the cache where it can) so that every answer
                # the current prompts need is seen and exported.
                store.forget_extractions()
                with open_client(settings, store, provider="local") as client:
                    for day in _days(store):
                        build_briefing(
                            store, client, settings, day, lambda m: typer.echo(m, err=True)
                        )
                # Only what this recording used: the store may hold answers to older prompts.
                for key in sorted(client.seen):
                    call = store.get_call(key)
                    if call is not None:
                        calls[key] = call
        llm_dir = state.settings.fixtures_dir / "llm"
        if llm_dir.exists():
            shutil.rmtree(llm_dir)
        for call in calls.values():
            write_fixture(state.settings.fixtures_dir, call)
    typer.echo(f"recorded {len(calls)} model answers into {llm_dir}", err=True)


@fixtures_app.command("check")
def fixtures_check(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Articles that must replay (default: seeds/ and tests/data/)."),
    ] = None,
) -> None:
    """Check that every fixture is well formed and that the articles replay with no miss."""
    from briefing.llm.client import check_fixtures, open_client

    state = _state(ctx)
    groups = paths or FIXTURE_FOLDERS
    with user_errors():
        problems = check_fixtures(state.settings.fixtures_dir)
        for group in groups:
            with tempfile.TemporaryDirectory(prefix="brief-check-") as tmp:
                settings = load_settings(home=Path(tmp), provider="replay", model=state.settings.model)
                settings.fixtures_dir = state.settings.fixtures_dir
                with Store(settings.store_path) as store:
                    ingest(store, [group])
                    with open_client(settings, store) as client:
                        for day in _days(store):
                            briefing = build_briefing(store, client, settings, day)
                            if "no recorded model answer" in briefing.markdown:
                                problems.append(f"{group} {day}: some requests have no recording")
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise fail(f"{len(problems)} fixture problems: re-record with `brief fixtures record`")
    typer.echo("fixtures ok", err=True)


# review ----------------------------------------------------------------------------------------

ReviewerOption = Annotated[
    str | None,
    typer.Option(envvar="BRIEF_REVIEWER",
                 help="Your name on the decision (default: reviewer in config.toml, else the "
                 "OS user)."),
]
NoteOption = Annotated[str | None, typer.Option(help="Why: kept with the decision.")]
IdsArgument = Annotated[list[int], typer.Argument(help="Position ids (see `brief review list`).")]


def _review_day(date: str | None) -> dt.date | None:
    if date is None:
        return None
    try:
        return parse_day(date)
    except BriefError as exc:
        raise fail(str(exc), code=2) from None


def _review_filters(status: str | None) -> None:
    from briefing.review.decisions import FILTERS

    if status is not None and status not in FILTERS:
        raise fail(f"unknown --status {status!r}: use one of {', '.join(FILTERS)}", code=2)


def _position_row(p: Position, article: Article | None = None) -> dict[str, object]:
    row: dict[str, object] = {
        "id": p.id,
        "status": p.review_status,
        "reviewed_by": p.reviewed_by,
        "speaker": p.speaker,
        "role": p.role,
        "topic": p.topic,
        "stance": p.stance,
        "summary": p.summary,
        "kind": p.kind,
        "evidence": p.evidence,
        "quotes": p.quotes,
        "valid": p.valid,
        "reason": p.reason,
        "edited": p.edited,
        "edited_by": p.edited_by,
        "conflict": p.conflict,
        "article_id": p.article_id,
    }
    if article is not None:
        row["date"] = article.published.isoformat() if article.published else None
        row["source"] = article.source
        row["title"] = article.title
    return row


def _position_line(p: Position) -> str:
    flags = ""
    if not p.valid:
        flags += f"  [failed validation: {p.reason}]"
    if p.conflict:
        flags += f"  [conflict: {p.conflict}]"
    if p.edited:
        flags += f"  [edited by {p.edited_by}: {', '.join(sorted(p.edited))}]"
    return (
        f"{p.id:>5}  {p.review_status:8}  {p.topic[:20]:20}  {p.stance:11}  "
        f"{p.speaker}: {p.summary}{flags}"
    )


@review_app.command("list")
def review_list_command(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Option(help="Only this day's articles, YYYY-MM-DD.")] = None,
    status: Annotated[
        str | None,
        typer.Option(help="pending, approved, rejected, edited, conflict or invalid."),
    ] = None,
    topic: Annotated[str | None, typer.Option(help="Only this topic key.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only this speaker (part of the name).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
) -> None:
    """List extracted positions with their review state (each article's latest extraction)."""
    from briefing.review.decisions import list_positions, unmatched_text

    state = _state(ctx)
    day = _review_day(date)
    _review_filters(status)
    with user_errors(), Store(state.settings.store_path) as store:
        found = list_positions(store, day, status, topic, actor)
    if as_json:
        data = {
            "positions": [_position_row(i.position, i.article) for i in found.items],
            "unmatched": [
                {
                    "id": u.label,
                    "status": u.decision.status,
                    "reviewer": u.decision.reviewer,
                    "decided_at": u.decision.decided_at,
                    "article_id": u.article.id,
                    "evidence": u.decision.evidence,
                    "speaker": u.decision.edits.get("speaker", u.decision.base["speaker"]),
                    "summary": u.decision.edits.get("summary", u.decision.base["summary"]),
                    "conflict": unmatched_text(u),
                }
                for u in found.unmatched
            ],
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for item in found.items:
        typer.echo(_position_line(item.position))
    for u in found.unmatched:
        typer.echo(f"{u.label:>5}  {'conflict':8}  {unmatched_text(u)}")
    pending = sum(1 for i in found.items if i.position.review_status == "pending")
    typer.echo(
        f"{len(found.items)} positions, {pending} pending"
        + (f", {len(found.unmatched)} decisions that match no position" if found.unmatched else ""),
        err=True,
    )


@review_app.command("show")
def review_show_command(
    ctx: typer.Context,
    position_id: Annotated[int, typer.Argument(help="Position id (see `brief review list`).")],
    context: Annotated[
        int, typer.Option(min=-1, help="Sentences shown around the evidence (-1: the article).")
    ] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
) -> None:
    """Show a position, its evidence among the article's sentences, and its history."""
    from briefing.review.decisions import describe, format_evidence

    state = _state(ctx)
    with user_errors(), Store(state.settings.store_path) as store:
        detail = describe(store, position_id, context)
    p, article = detail.position, detail.article
    history = [
        {
            "action": r.action,
            "reviewer": r.reviewer,
            "at": r.created_at,
            "changes": r.changes,
            "note": r.note,
            "position_id": r.position_id,
        }
        for r in detail.history
    ]
    if as_json:
        row = _position_row(p, article)
        row["context"] = [
            {"index": s.index, "evidence": s.evidence, "text": "".join(t for t, _ in s.parts),
             "quoted": [t for t, q in s.parts if q]}
            for s in detail.context
        ]
        row["history"] = history
        typer.echo(json.dumps(row, indent=2, ensure_ascii=False))
        return
    tty = sys.stdout.isatty()
    who = f" by {p.reviewed_by}" if p.reviewed_by else ""
    lines = [
        f"Position {p.id}: {p.review_status}{who}",
        f"Speaker:  {p.speaker}" + (f", {p.role}" if p.role else ""),
        f"Topic:    {p.topic}    stance: {p.stance}    kind: {p.kind}",
        f"Summary:  {p.summary}",
        f"Evidence: {format_evidence(p.evidence) or 'none'}",
    ]
    lines += [f"Quote:    “{q}”" for q in p.quotes]
    if p.edited:
        lines += [
            f"Edited:   {f} by {p.edited_by} (the model said {v!r})" for f, v in p.edited.items()
        ]
    if p.conflict:
        lines.append(f"Conflict: {p.conflict}")
    if not p.valid:
        lines.append(f"Failed validation: {p.reason}")
    date = article.published.isoformat() if article.published else "undated"
    lines += [
        f"Article:  {article.title or article.origin}, {article.source or 'source unknown'}, "
        f"{date} (id {article.id})",
        "",
        "Evidence in context (>> the evidence, quoted words marked):",
    ]
    for s in detail.context:
        # The copied words: underlined on a terminal, between guillemets in a file or pipe.
        text = "".join(
            (f"\x1b[1;4m{t}\x1b[0m" if tty else f"«{t}»") if quoted else t
            for t, quoted in s.parts
        )
        lines.append(f"{'>>' if s.evidence else '  '} [S{s.index}] {' '.join(text.split())}")
    lines += ["", "History:" if history else "History: none (never reviewed)"]
    for r in detail.history:
        changes = "; ".join(f"{name} {old!r} → {new!r}" for name, (old, new) in r.changes.items())
        note = f"  note: {r.note}" if r.note else ""
        lines.append(f"  {r.created_at[:16]}  {r.reviewer}  {r.action}  {changes}{note}")
    typer.echo("\n".join(lines))


def _decided(verb: str, positions: list[Position]) -> None:
    for p in positions:
        typer.echo(_position_line(p))
    ids = ", ".join(str(p.id) for p in positions)
    typer.echo(f"{verb} {len(positions)} position{'s' if len(positions) != 1 else ''}: {ids}",
               err=True)


@review_app.command("approve")
def review_approve_command(
    ctx: typer.Context, ids: IdsArgument, note: NoteOption = None, reviewer: ReviewerOption = None
) -> None:
    """Approve positions as they read now: they are briefed as reviewed."""
    from briefing.review.decisions import approve, reviewer_name

    state = _state(ctx)
    with user_errors(), Store(state.settings.store_path) as store:
        done = approve(store, ids, reviewer_name(reviewer, state.settings), note)
    _decided("approved", done)


@review_app.command("reject")
def review_reject_command(
    ctx: typer.Context, ids: IdsArgument, note: NoteOption = None, reviewer: ReviewerOption = None
) -> None:
    """Reject positions: they are left out of the briefings."""
    from briefing.review.decisions import reject, reviewer_name

    state = _state(ctx)
    with user_errors(), Store(state.settings.store_path) as store:
        done = reject(store, ids, reviewer_name(reviewer, state.settings), note)
    _decided("rejected", done)


@review_app.command("edit")
def review_edit_command(
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
        typer.Option(help='Sentence ids of the same article, e.g. "S3 S4"; the quotation is '
                     "copied from them."),
    ] = None,
    note: NoteOption = None,
    reviewer: ReviewerOption = None,
) -> None:
    """Correct positions; an edited position counts as reviewed.

    Quotations cannot be typed: change the evidence to other sentences of the article and the
    words are copied from there.
    """
    from briefing.review.decisions import edit, reviewer_name

    values = {
        k: v
        for k, v in {
            "speaker": speaker, "role": role, "topic": topic, "stance": stance,
            "summary": summary, "evidence": evidence,
        }.items()
        if v is not None
    }
    if not values:
        raise fail("say what to change: --speaker, --role, --topic, --stance, --summary or "
                   "--evidence", code=2)
    state = _state(ctx)
    with user_errors(), Store(state.settings.store_path) as store:
        done = edit(store, ids, values, reviewer_name(reviewer, state.settings), note)
    _decided("edited", done)


@review_app.command("dismiss")
def review_dismiss_command(
    ctx: typer.Context,
    decisions: Annotated[
        list[str],
        typer.Argument(help="Decisions that match no position, e.g. d12 (see `brief review "
                       "list --status conflict`)."),
    ],
    note: NoteOption = None,
    reviewer: ReviewerOption = None,
) -> None:
    """Dismiss decisions that no position matches any more after a re-extraction."""
    from briefing.review.decisions import dismiss, reviewer_name

    state = _state(ctx)
    with user_errors(), Store(state.settings.store_path) as store:
        count = dismiss(store, decisions, reviewer_name(reviewer, state.settings), note)
    typer.echo(f"dismissed {count} decision{'s' if count != 1 else ''}", err=True)


@review_app.command("export")
def review_export_command(
    ctx: typer.Context,
    date: Annotated[str | None, typer.Option(help="Only this day's articles, YYYY-MM-DD.")] = None,
    status: Annotated[
        str | None, typer.Option(help="pending, approved, rejected, edited, conflict or invalid.")
    ] = None,
    topic: Annotated[str | None, typer.Option(help="Only this topic key.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only this speaker (part of the name).")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the CSV here (default: stdout).")
    ] = None,
) -> None:
    """Write positions as CSV, to review in a spreadsheet.

    Change status (approved, rejected, pending), speaker, role, topic, stance, summary or
    evidence, add a note, then `brief review import` the file.
    """
    from briefing.review.decisions import export_csv, list_positions

    state = _state(ctx)
    day = _review_day(date)
    _review_filters(status)
    with user_errors(), Store(state.settings.store_path) as store:
        found = list_positions(store, day, status, topic, actor)
        if output is None:
            count = export_csv(found.items, sys.stdout)
        else:
            try:
                # A byte order mark, so that spreadsheets read the file as UTF-8.
                with output.open("w", encoding="utf-8-sig", newline="") as out:
                    count = export_csv(found.items, out)
            except OSError as exc:
                raise BriefError(
                    f"cannot write {output} ({exc.strerror}): choose another -o"
                ) from exc
    where = f" to {output}" if output else ""
    typer.echo(f"exported {count} positions{where}", err=True)


@review_app.command("export-gold")
def review_export_gold_command(
    ctx: typer.Context,
    output: Annotated[Path, typer.Argument(help="The gold .json file to write.")],
    date: Annotated[str | None, typer.Option(help="Only this day's articles, YYYY-MM-DD.")] = None,
) -> None:
    """Write the fully reviewed articles as gold for `brief eval OUTPUT`: the analysts'
    decisions become a regression set for a new prompt or model."""
    from briefing.evaluate.scoring import write_gold
    from briefing.evaluate.reviewed import reviewed_gold

    state = _state(ctx)
    day = _review_day(date)
    with user_errors(), Store(state.settings.store_path) as store:
        export = reviewed_gold(store, day)
    if not export.documents:
        raise fail(
            "no article has all its positions reviewed yet: approve, edit or reject them with"
            " `brief review`, then export again"
        )
    try:
        write_gold(output, export.documents)
    except OSError as exc:
        raise fail(f"cannot write {output} ({exc.strerror}): choose another path") from exc
    skipped = (
        f"; skipped {len(export.skipped)} with positions not reviewed yet" if export.skipped else ""
    )
    articles = f"{len(export.documents)} article{'s' if len(export.documents) != 1 else ''}"
    positions = f"{export.positions} position{'s' if export.positions != 1 else ''}"
    typer.echo(
        f"exported {articles}, {positions}, to {output}{skipped};"
        f" score a run with `brief eval {output}`",
        err=True,
    )


@review_app.command("import")
def review_import_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A CSV written by `brief review export`.")],
    reviewer: ReviewerOption = None,
) -> None:
    """Apply a reviewed CSV: every row or, if one is wrong, none.

    Every row is checked first; the problems are listed row by row.
    """
    from briefing.errors import CsvImportError
    from briefing.review.decisions import import_csv, reviewer_name

    state = _state(ctx)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read {path} ({exc}): save it as CSV in UTF-8") from None
    with Store(state.settings.store_path) as store:
        try:
            report = import_csv(store, text, reviewer_name(reviewer, state.settings))
        except CsvImportError as exc:
            for problem in exc.problems:
                typer.echo(problem, err=True)
            raise fail(str(exc)) from None
        except BriefError as exc:
            raise fail(str(exc)) from None
    typer.echo(
        f"imported {path}: {report.applied} decisions recorded, {report.unchanged} rows unchanged",
        err=True,
    )


@review_app.command("serve")
def review_serve_command(
    ctx: typer.Context,
    date: Annotated[
        str | None, typer.Option(help="The day to review (default: the latest with articles).")
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
    from briefing.review.web import ReviewServer

    state = _state(ctx)
    day = _review_day(date)
    with user_errors(), Store(state.settings.store_path) as store:
        name = reviewer_name(reviewer, state.settings)
        if day is None:
            dated = [d for d, _ in store.dates() if d]
            if not dated:
                raise BriefError("no dated articles are stored: run `brief ingest PATH` first")
            day = dt.date.fromisoformat(dated[-1])
        try:
            server = ReviewServer(store, state.settings, day, name, port)
        except OSError as exc:
            raise BriefError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}): "
                             "choose another --port") from exc
        typer.echo(f"reviewing {day} as {name} at {server.url} (Ctrl-C stops)", err=True)
        typer.echo(server.url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


@app.command("timeline")
def timeline_command(
    ctx: typer.Context,
    actor: Annotated[str, typer.Option(help="Actor id, name or alias, e.g. peskov or \"the Kremlin\".")],
    topic: Annotated[str | None, typer.Option(help="Only this topic key.")] = None,
    since: Annotated[str | None, typer.Option(help="Only statements on or after YYYY-MM-DD.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the timeline as JSON.")] = False,
) -> None:
    """The dated positions of an actor, with quotes and sources, by statement date."""
    state = _state(ctx)
    with user_errors():
        since_day = _review_day(since)
        book = track.load_actors(state.settings)
        keywords = track.load_keywords(state.settings.topics_file)
        with Store(state.settings.store_path) as store:
            # A speaker no alias file lists is still an actor of its own.
            who = book.find(actor) or book.resolve(actor)
            statements = track.actor_statements(store, book, keywords, who)
        if who.kind == "unlisted" and not statements:
            raise BriefError(
                f"no actor {actor!r}: use an id from the alias file ({', '.join(sorted(book.actors))})"
                " or a speaker's name as `brief review list` shows it"
            )
        rows = track.timeline(statements, who, topic, since_day)
    if as_json:
        typer.echo(json.dumps(_timeline_json(who, rows), indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo(f"no stored positions of {who.name}" + (f" on {topic}" if topic else ""), err=True)
        typer.echo("(extract articles first: `brief extract --all`)", err=True)
    typer.echo(_timeline_markdown(who, rows, topic, since), nl=False)


def _statement_row(s: track.Statement) -> dict[str, object]:
    from briefing.extract.drafts import checked_role

    first = s.first
    return {
        "date": s.date.isoformat() if s.date else None,
        "date_how": first.said.how,
        "actor": s.actor.id,
        "speaker": first.position.speaker,
        # As briefings show it: only a role the article gives beside the name.
        "role": checked_role(first.position, first.article.text).role,
        "extracted_role": first.position.role,
        "topic": s.topic,
        "topic_note": first.topic_note,
        "stance": s.stance,
        "label": s.label,
        "earlier": (
            {"date": s.earlier.date.isoformat() if s.earlier.date else None,
             "stance": s.earlier.stance, "position_id": s.earlier.first.position.id}
            if s.earlier else None
        ),
        "summary": first.position.summary,
        "kind": first.position.kind,
        "quotes": first.position.quotes,
        "sources": [
            {
                "position_id": e.position.id,
                "article_id": e.article.id,
                "outlet": e.outlet,
                "title": e.article.title,
                "url": e.article.url,
                "published": e.article.published.isoformat() if e.article.published else None,
                "quotes": e.position.quotes,
            }
            for e in s.entries
        ],
    }


def _timeline_json(who: track.Actor, rows: list[track.Statement]) -> dict[str, object]:
    return {
        "actor": {"id": who.id, "name": who.name, "kind": who.kind, "speaks_for": who.speaks_for},
        "positions": [_statement_row(s) for s in rows],
    }


def _timeline_markdown(
    who: track.Actor, rows: list[track.Statement], topic: str | None, since: str | None
) -> str:
    from briefing.extract.drafts import checked_role
    from briefing.render.briefing import _md_inline

    head = f"# Timeline: {_md_inline(who.name)}"
    if who.speaks_for:
        head += f" (speaks for {who.speaks_for})"
    scope = [f"topic {topic}" if topic else "", f"since {since}" if since else ""]
    lines = [head + "".join(f", {s}" for s in scope if s), ""]
    for s in rows:
        first = s.first
        when = s.date.isoformat() if s.date else "undated"
        label = s.label + (
            f" (before: {s.earlier.stance}, {s.earlier.date})" if s.earlier is not None else ""
        )
        lines.append(f"## {when}: {s.topic} ({s.stance}), {label}")
        lines.append("")
        role = checked_role(first.position, first.article.text).role
        lines.append(
            f"**{_md_inline(first.position.speaker)}**"
            + (f", {_md_inline(role)}" if role else "")
            + f": {_md_inline(first.position.summary)}"
        )
        for q in first.position.quotes:
            prefix = "> “" if first.position.kind == "direct" else "> Reported: "
            lines.append(prefix + _md_inline(q) + ("”" if first.position.kind == "direct" else ""))
        lines.append(f"Said {when} ({first.said.how})" + (f"; {first.topic_note}" if first.topic_note else ""))
        outlets = "reported by " + (f"{len(s.outlets)} outlets, first by " if len(s.outlets) > 1 else "")
        sources = "; ".join(
            f"{_md_inline(e.outlet)}, published "
            f"{e.article.published.isoformat() if e.article.published else 'undated'}"
            f" (article {e.article.id}, position {e.position.id})"
            for e in s.entries
        )
        lines.append(f"Sources: {outlets}{sources}")
        lines.append("")
    return "\n".join(lines) + ("\n" if not rows else "")


@review_app.command("merge-actors")
def review_merge_actors_command(
    ctx: typer.Context,
    alias: Annotated[str, typer.Argument(help="A speaker name as the text writes it, or an actor id.")],
    into: Annotated[str, typer.Argument(help="The actor it names: id, name or alias.")],
) -> None:
    """Merge two actors: ALIAS becomes a name of INTO (kept in BRIEF_HOME/actors.toml)."""
    from briefing.track.tracking import USER_ACTORS, merge_actors

    state = _state(ctx)
    with user_errors():
        target = merge_actors(state.settings, alias, into)
    typer.echo(
        f"{alias!r} now names {target.name} ({target.id}); see {state.settings.home / USER_ACTORS}",
        err=True,
    )
