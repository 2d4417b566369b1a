"""Running extraction over gold documents and reporting: the versioned JSON report
(`build_report`) and its short table (`format_table`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.config import Settings
from briefing.evaluate.gold import GoldDocument
from briefing.evaluate.scoring import (
    KINDS,
    REPORT_FORMAT,
    REPORT_VERSION,
    DocumentResult,
    Items,
    items_of,
    score,
    score_documents,
)
from briefing.evaluate.speakers import score_speakers
from briefing.ingest.normalise import article_id
from briefing.models import Article
from briefing.pipeline import Extractor
from briefing.progress import Progress, quiet
from briefing.text.segment import split_sentences

if TYPE_CHECKING:
    from briefing.llm.client import ModelClient
    from briefing.store.database import Store


@dataclass
class RunCost:
    """What producing the predictions cost. `model_calls` reached a model in this run; tokens are
    those recorded for the scored extractions, so a re-run from the cache reports the same."""

    provider: str = ""
    model: str = ""
    prompt_id: str = ""
    schema_hash: str = ""
    model_calls: int = 0
    cached_calls: int = 0
    recorded_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


def gold_article(document: GoldDocument) -> Article:
    """The gold text as an article, unnormalised: ingest would tidy line endings and remove
    furniture lines, which shifts the gold offsets, so the text is taken exactly as annotated."""
    return Article(
        id=article_id(document.text), text=document.text, origin=document.origin or document.name
    )


def run_extraction(
    store: Store,
    client: ModelClient,
    settings: Settings,
    documents: Sequence[GoldDocument],
    progress: Progress = quiet,
) -> tuple[list[DocumentResult], RunCost]:
    """Extract every gold document with `client` (cached like every model call) and collect the
    positions; documents already extracted with the same model, prompt and schema are not asked
    again."""
    started = time.perf_counter()
    articles = [gold_article(d) for d in documents]
    for article in articles:
        store.add_article(article, split_sentences(article.text))
    extractor = Extractor(store, client, settings, progress)
    outcomes = {o.article.id: o for o in extractor.extract(articles)}
    cost = RunCost(
        provider=client.provider,
        model=client.model,
        prompt_id=extractor.prompt_id,
        schema_hash=extractor.schema_hash,
    )
    results = []
    for document, article in zip(documents, articles):
        outcome = outcomes.get(article.id)
        if outcome is not None:
            positions, error = outcome.positions, outcome.error or outcome.held
            cost.model_calls += outcome.usage.calls
            cost.cached_calls += outcome.usage.cached
        else:
            positions, error = extractor.positions_of(article)
            error = error or extractor.held_of(article)
        record = store.get_extraction(
            article.id, client.model, extractor.prompt_id, extractor.schema_hash
        )
        if record is not None:
            cost.recorded_calls += record.calls
            cost.prompt_tokens += record.prompt_tokens
            cost.completion_tokens += record.completion_tokens
        elif outcome is not None:  # not saved (a transient failure): count what it did use
            cost.prompt_tokens += outcome.usage.prompt_tokens
            cost.completion_tokens += outcome.usage.completion_tokens
        results.append(DocumentResult(document, positions, store.sentences(article.id), error))
    cost.seconds = time.perf_counter() - started
    return results, cost


def build_report(
    results: Sequence[DocumentResult], cost: RunCost, corpus: str = "", annotator: str | None = None
) -> dict[str, Any]:
    """The report as plain data: what was scored, the scores, the cost, and a line per document."""
    per_result = [items_of(r) for r in results]
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "corpus": corpus,
        "annotator": annotator,
        "annotators": sorted({r.gold.annotator for r in results if r.gold.annotator}),
        "documents": len(results),
        "run": {
            "provider": cost.provider,
            "model": cost.model,
            "prompt_id": cost.prompt_id,
            "schema_hash": cost.schema_hash,
        },
        "counts": _counts(results, per_result),
        "cost": {
            "model_calls": cost.model_calls,
            "cached_calls": cost.cached_calls,
            "recorded_calls": cost.recorded_calls,
            "prompt_tokens": cost.prompt_tokens,
            "completion_tokens": cost.completion_tokens,
            "seconds": round(cost.seconds, 2),
        },
        "scores": score_documents(results, per_result),
        "speakers": score_speakers(results),
        "by_outlet": _by_outlet(results, per_result),
        "per_document": [_document_line(r, items) for r, items in zip(results, per_result)],
    }


def _by_outlet(
    results: Sequence[DocumentResult], per_result: Sequence[Items]
) -> dict[str, dict[str, Any]]:
    """Content and source scores by overlap for each outlet the corpus names (none: empty)."""
    groups: dict[str, list[int]] = {}
    for i, result in enumerate(results):
        if result.gold.outlet:
            groups.setdefault(result.gold.outlet, []).append(i)
    out = {}
    for outlet, members in sorted(groups.items()):
        scores = score_documents([results[i] for i in members], [per_result[i] for i in members])
        out[outlet] = {
            "documents": len(members),
            "content": scores["content"]["all"]["overlap"],
            "source": scores["source"]["all"]["overlap"],
        }
    return out


def _outlet_lines(by_outlet: dict[str, dict[str, Any]]) -> list[str]:
    if not by_outlet:
        return []
    lines = [
        f"{'by outlet (overlap)':22}{'docs':>4}  {'content P R F1':^19}  {'source P R F1':^19}"
    ]
    for outlet, entry in by_outlet.items():
        lines.append(
            f"{outlet[:22]:22}{entry['documents']:>4}  {_cells(entry['content'])}  "
            f"{_cells(entry['source'])}"
        )
    return lines


def _counts(results: Sequence[DocumentResult], per_result: Sequence[Items]) -> dict[str, Any]:
    """How many gold attributions and predictions there were, by kind and with a source."""
    gold_kinds = {"direct": 0, "reported": 0}
    predicted_kinds = {"direct": 0, "reported": 0}
    with_source = located = valid = invalid = 0
    for result, items in zip(results, per_result):
        for item in items.gold_content:
            gold_kinds[item.kind] += 1
        for item in items.predicted_content:
            predicted_kinds[item.kind] += 1
        with_source += len(items.gold_source)
        located += len(items.predicted_source)
        doc_valid = sum(p.valid for p in result.positions)
        valid += doc_valid
        invalid += len(result.positions) - doc_valid
    return {
        "gold": {
            "attributions": sum(gold_kinds.values()),
            **gold_kinds,
            "with_source": with_source,
        },
        "predicted": {
            "positions": valid + invalid,
            "valid": valid,
            "invalid": invalid,
            **predicted_kinds,
            "with_source": located,
        },
        "documents_with_errors": sum(1 for r in results if r.error),
    }


def _document_line(result: DocumentResult, items: Items) -> dict[str, Any]:
    valid = sum(p.valid for p in result.positions)
    overlap = score(items.gold_content, items.predicted_content)["all"]["overlap"]
    return {
        "name": result.gold.name,
        "annotator": result.gold.annotator,
        "gold": len(items.gold_content),
        "predicted": len(items.predicted_content),
        "invalid": len(result.positions) - valid,
        "content_overlap_f1": overlap["f1"],
        "error": result.error,
    }


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _cell(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def _cells(prf: dict[str, float | None]) -> str:
    return f"{_cell(prf['precision'])} {_cell(prf['recall']):>6} {_cell(prf['f1']):>6}"


def speaker_line(speakers: dict[str, Any]) -> str:
    """Speaker accuracy on named gold sources, in one line."""
    return (
        f"speaker on named sources: {speakers['right']}/{speakers['found']} right, accuracy "
        f"{_cell(speakers['accuracy'])} ({speakers['named']} named gold attributions, "
        f"{speakers['not_found']} not found; the wrong ones in --json)"
    )


def format_table(report: dict[str, Any]) -> str:
    """A short fixed-width table of the scores, and one line of counts and cost."""
    lines = [
        f"{'':18}{'exact':^19}   {'overlap':^19}  {'gold':>5} {'pred':>5}",
        f"{'':18}{'P':>5} {'R':>6} {'F1':>6}   {'P':>5} {'R':>6} {'F1':>6}",
    ]
    for what in ("content", "source"):
        for kind in KINDS:
            entry = report["scores"][what][kind]
            lines.append(
                f"{what:8}{kind:10}{_cells(entry['exact'])}   {_cells(entry['overlap'])}"
                f"  {entry['gold']:>5} {entry['predicted']:>5}"
            )
    counts, cost, run = report["counts"], report["cost"], report["run"]
    lines.append(
        f"{report['documents']} documents, {counts['gold']['attributions']} gold attributions, "
        f"{counts['predicted']['valid']} positions ({counts['predicted']['invalid']} for review); "
        f"{run['provider']} {run['model']}, prompt {run['prompt_id']}; "
        f"{cost['model_calls']} model calls ({cost['cached_calls']} cached), "
        f"{cost['prompt_tokens']}+{cost['completion_tokens']} tokens, {cost['seconds']:.1f} s"
    )
    if "speakers" in report:
        lines.append(speaker_line(report["speakers"]))
    lines += _outlet_lines(report.get("by_outlet", {}))
    if counts["documents_with_errors"]:
        lines.append(
            f"{counts['documents_with_errors']} documents not fully extracted: "
            "see per_document in --json"
        )
    return "\n".join(lines) + "\n"


def evaluate(
    store: Store,
    client: ModelClient,
    settings: Settings,
    documents: Sequence[GoldDocument],
    *,
    corpus: str = "",
    annotator: str | None = None,
    progress: Progress = quiet,
) -> dict[str, Any]:
    """Extract the documents and score them: `run_extraction` then `build_report`."""
    results, cost = run_extraction(store, client, settings, documents, progress)
    return build_report(results, cost, corpus=corpus, annotator=annotator)


def eval_store_path(settings: Settings) -> Path:
    """Gold articles live in a store of their own, so they never appear in a user's briefings,
    and its cache makes a re-run of the same corpus, model and prompt free."""
    return settings.home / "eval.sqlite3"
