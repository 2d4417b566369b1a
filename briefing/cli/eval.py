"""`brief eval`: scoring extraction against an annotated corpus."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from briefing.cli.common import State, fail, state_of, user_errors, writing

if TYPE_CHECKING:
    from briefing.evaluate.gold import GoldDocument

GoldArgument = Annotated[
    Path,
    typer.Argument(
        help="Annotated corpus: a folder of brat .txt and .ann files, a gold .json exported "
        "from reviewed positions, or a seed-gold .json of labelled positions (scored as "
        "positions: recall, precision, speaker, topic, stance)."
    ),
]
LimitOption = Annotated[
    int | None, typer.Option(min=1, help="Score only the first N documents (by name).")
]
DocsOption = Annotated[
    str | None,
    typer.Option(
        help="Comma-separated document names (file names without suffix, or unique prefixes) "
        "to score instead of all."
    ),
]
AnnotatorOption = Annotated[
    str | None,
    typer.Option(
        help="For documents annotated by several people, use this annotator (default: the "
        "first by name)."
    ),
]


def eval_command(
    ctx: typer.Context,
    gold: GoldArgument,
    limit: LimitOption = None,
    docs: DocsOption = None,
    annotator: AnnotatorOption = None,
    json_out: Annotated[
        Path | None, typer.Option("--json-out", help="Also write the full report as JSON here.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the JSON report instead of the table.")
    ] = False,
    finder_only: Annotated[
        bool,
        typer.Option(
            "--finder-only",
            help="Score the attribution finder alone, every candidate a prediction (no model).",
        ),
    ] = False,
) -> None:
    """Score extraction against an annotated corpus: precision, recall and F1 for content and
    source spans, exact and by token overlap, direct and reported speech apart, with the cost;
    and speaker accuracy on named sources (does the entry for a gold statement whose source
    names someone name that person; see briefing.evaluate.speakers).

    Gold articles are kept in BRIEF_HOME/eval.sqlite3, apart from your news; model answers are
    cached there, so running the same corpus, model and prompt again asks the model nothing.
    """
    from briefing.evaluate import positions
    from briefing.evaluate.gold import read_gold, select_documents
    from briefing.evaluate.report import format_table, report_json

    state = state_of(ctx)
    names = [n for n in (docs or "").split(",") if n.strip()]
    if positions.is_seed_gold(gold) and not finder_only:
        _eval_positions(state, gold, as_json)
        return
    with user_errors():
        documents = select_documents(read_gold(gold, annotator, warn=_warn), names, limit)
        state.progress(f"scoring {len(documents)} documents from {gold}")
        if finder_only:
            from briefing.evaluate.finder import finder_report

            report = finder_report(documents, corpus=str(gold), annotator=annotator)
        else:
            report = _run_documents(state, documents, str(gold), annotator)
        if json_out is not None:
            with writing(json_out, "--json-out"):
                json_out.write_text(report_json(report), encoding="utf-8")
    typer.echo(report_json(report) if as_json else format_table(report), nl=False)
    failed = [d for d in report["per_document"] if d["error"]]
    for entry in failed:
        typer.echo(f"problem with {entry['name']}: {entry['error']}", err=True)
    if failed and len(failed) == len(documents):
        raise fail(
            "no document was fully extracted, so the scores mean nothing: fix the problem above"
        )


def _warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


def _run_documents(
    state: State, documents: list[GoldDocument], corpus: str, annotator: str | None
) -> dict[str, Any]:
    """Extract the gold articles (kept, with the model's answers, in BRIEF_HOME/eval.sqlite3)
    and score them."""
    from briefing.evaluate.report import eval_store_path, evaluate
    from briefing.llm.client import open_client
    from briefing.store.database import Store

    with (
        Store(eval_store_path(state.settings)) as store,
        open_client(state.settings, store) as client,
    ):
        return evaluate(
            store,
            client,
            state.settings,
            documents,
            corpus=corpus,
            annotator=annotator,
            progress=state.progress,
        )


def _eval_positions(state: State, gold: Path, as_json: bool) -> None:
    """Seed gold: extract its articles (cached, apart from your news) and score positions."""
    from briefing.evaluate import positions
    from briefing.evaluate.report import eval_store_path, report_json
    from briefing.llm.client import open_client
    from briefing.store.database import Store

    with user_errors():
        articles = positions.read_seed_gold(gold)
        state.progress(f"scoring the positions of {len(articles)} articles from {gold}")
        with (
            Store(eval_store_path(state.settings)) as store,
            open_client(state.settings, store) as client,
        ):
            report = positions.run_seed_gold(
                store, client, state.settings, articles, progress=state.progress
            )
    typer.echo(
        report_json(report) if as_json else positions.format_position_table(report),
        nl=False,
    )
