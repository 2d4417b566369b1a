"""The `brief` command line: a thin layer over the pipeline. Only this module prints or exits.

stdout carries data (the briefing, JSON); stderr carries progress and messages. Exit codes: 0 ok,
1 a failure the user can fix (the message says how), 2 bad usage.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from .config import PROJECT_ROOT, Settings, load_settings
from .errors import BriefError
from .pipeline import Extractor, build_briefing, ingest, parse_day
from .store import Store

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Turn news articles into a daily briefing of who said what, with verbatim quotes.",
)
fixtures_app = typer.Typer(no_args_is_help=True, help="Record and check the model fixtures.")
app.add_typer(fixtures_app, name="fixtures")

class State:
    def __init__(self, settings: Settings, verbose: bool) -> None:
        self.settings = settings
        self.verbose = verbose

    def progress(self, message: str) -> None:
        if self.verbose or sys.stderr.isatty():
            typer.echo(message, err=True)


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
    from .llm import open_client

    with user_errors(), Store(state.settings.store_path) as store:
        articles = store.articles_on(parse_day(date)) if date else store.all_articles()
        client = open_client(state.settings, store)
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
) -> None:
    """Extract what is pending for a day, then write its Markdown briefing."""
    state = _state(ctx)
    from .llm import open_client

    with user_errors():
        try:
            day = parse_day(date)
        except BriefError as exc:
            raise fail(str(exc), code=2) from None
        with Store(state.settings.store_path) as store:
            client = open_client(state.settings, store)
            briefing = build_briefing(store, client, state.settings, day, state.progress)
            target = output or state.settings.home / "briefings" / f"{day.isoformat()}.md"
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(briefing.markdown, encoding="utf-8")
            except OSError as exc:
                raise BriefError(f"cannot write {target} ({exc.strerror}): choose another --output") from exc
            store.record_briefing(day, briefing.sha256, str(target))
    if stdout:
        typer.echo(briefing.markdown, nl=False)
    typer.echo(
        f"wrote {target}: {briefing.articles} articles, {briefing.positions} positions, "
        f"{briefing.needs_review} to review",
        err=True,
    )


@app.command("doctor")
def doctor_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    full_hash: Annotated[bool, typer.Option(help="Hash the model file in full (about 2 s).")] = True,
) -> None:
    """Say which provider would be used and why, whether the model is there, where things live."""
    from .llm import choose_provider
    from . import local

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
    from .llm import open_client, write_fixture

    state = _state(ctx)
    groups = paths or [PROJECT_ROOT / "seeds", PROJECT_ROOT / "tests" / "data"]
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
                client = open_client(settings, store, provider="local")
                days = sorted({a.published for a in store.all_articles() if a.published})
                for day in days:
                    build_briefing(store, client, settings, day, lambda m: typer.echo(m, err=True))
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
    from .llm import check_fixtures

    from .llm import open_client

    state = _state(ctx)
    groups = paths or [PROJECT_ROOT / "seeds", PROJECT_ROOT / "tests" / "data"]
    with user_errors():
        problems = check_fixtures(state.settings.fixtures_dir)
        for group in groups:
            with tempfile.TemporaryDirectory(prefix="brief-check-") as tmp:
                settings = load_settings(home=Path(tmp), provider="replay", model=state.settings.model)
                settings.fixtures_dir = state.settings.fixtures_dir
                with Store(settings.store_path) as store:
                    ingest(store, [group])
                    client = open_client(settings, store)
                    for day in sorted({a.published for a in store.all_articles() if a.published}):
                        briefing = build_briefing(store, client, settings, day)
                        if "no recorded model answer" in briefing.markdown:
                            problems.append(f"{group} {day}: some requests have no recording")
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise fail(f"{len(problems)} fixture problems: re-record with `brief fixtures record`")
    typer.echo("fixtures ok", err=True)
