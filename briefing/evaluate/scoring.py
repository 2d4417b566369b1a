"""Measuring extraction against annotated gold: read the gold, map positions to spans, score.

This module owns the scoring definitions behind `brief eval` (below), so that two runs are
compared on the same terms. The other parts live beside it: `gold` reads the gold, `spans` finds
a position's spans, `report` runs extraction and reports.

* Gold (`read_gold`): brat standoff, whose `E` lines join a Source, a Cue and a Content span (the
  PolNeAr layout `text/DOC.txt` + `attributions/DOC_ANNOTATOR.ann`, or `DOC.txt` next to
  `DOC.ann`); and brief's own gold JSON, made from reviewed positions (`gold_from_positions`,
  `write_gold`), so an analyst's decisions become a regression set.
* Predicted spans (`predicted_spans`): where a position's speaker and its words are in the text.
* Scores (`score_documents`): precision, recall and F1 over word tokens, exact and by overlap, for
  content and for source spans, for direct quotations and reported speech separately.
* The report: a versioned JSON-able dict (`build_report`) and a short table (`format_table`).

All of it is pure except `read_gold` (reads files) and `run_extraction` (runs the `Extractor` with
the store and model client the caller gives it, so tests can pass a simulated server).

Definitions, chosen so that annotation conventions do not decide the score:

* Spans are compared as sets of word tokens (`\\w+`). Quotation marks, punctuation and whitespace
  never count: PolNeAr's content spans include the quotation marks and brief's stop inside them,
  and a discontinuous span or a quotation split over sentences is the same set of words.
* exact: a predicted item matches when some gold item in the same document has the same words.
  P = matched predictions / predictions, R = matched gold items / gold items.
* overlap: soft precision and recall. Each prediction earns the largest share of its words that
  one gold item of the document covers, each gold item the largest share of its words one
  prediction covers; P and R are the means. A prediction half inside a gold span earns 0.5.
* direct / reported: an item is direct when every piece of its content is enclosed in quotation
  marks (inside or just outside the span), the same rule for gold and predictions. Recall for a
  kind is over the gold items of that kind, precision over the predictions of that kind, each
  compared with all items on the other side, so a kind mix-up does not count as a span error.
* A ratio with nothing to divide by (no predictions, no gold) is `None`; F1 is 0 when P or R is
  `None` or 0.
* Only valid positions are predictions (those that reach a briefing); the rest are counted.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefing.evaluate.gold import GoldDocument, Span
from briefing.evaluate.spans import WORD, predicted_spans, strip_span
from briefing.models import Position, Sentence
from briefing.text.segment import find_quotes

REPORT_FORMAT = "brief-eval"
REPORT_VERSION = 1
KINDS = ("all", "direct", "reported")


# scoring ----------------------------------------------------------------------------------------

_OPENERS = "“\"«„‘'"
_CLOSERS = "”\"»“’'"


def _merged(spans: Iterable[Span], text: str) -> list[Span]:
    """Spans sorted and joined where only whitespace separates them."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and not text[out[-1][1] : start].strip():
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def is_quoted(text: str, spans: Iterable[Span]) -> bool:
    """Whether every piece of a content span is enclosed in quotation marks.

    A mark counts inside the piece (the gold convention: “…,”) or just outside it (brief's
    convention: the words between the marks); a comma or stop between the words and the
    closing mark does not matter.
    """
    pieces = _merged(spans, text)
    if not pieces:
        return False
    for start, end in pieces:
        start, end = strip_span(text, start, end, " \t\n\u00a0")
        if start >= end:
            return False
        before = text[:start].rstrip(" \t\u00a0")
        opened = text[start] in _OPENERS or (before[-1:] != "" and before[-1] in _OPENERS)
        inner = text[start:end].rstrip(",.;:!?…")
        after = text[end:].lstrip(",.;:!?… \t\u00a0")
        closed = (inner[-1:] != "" and inner[-1] in _CLOSERS and len(inner) > 1) or (
            after[:1] != "" and after[0] in _CLOSERS
        )
        if not (opened and closed):
            return False
    return True


@dataclass(frozen=True)
class Item:
    """One span to score: the word tokens (by index into the document's tokens) it covers."""

    document: str
    tokens: frozenset[int]
    kind: str  # direct or reported


class _Tokens:
    """A document's word tokens, for turning spans into token sets quickly."""

    def __init__(self, text: str) -> None:
        found = [m.span() for m in WORD.finditer(text)]
        self.starts = [s for s, _ in found]
        self.ends = [e for _, e in found]

    def covered(self, spans: Iterable[Span]) -> frozenset[int]:
        """Tokens touched by any span: a span cut inside a word still counts the word."""
        out: set[int] = set()
        for start, end in spans:
            first = bisect.bisect_right(self.ends, start)
            last = bisect.bisect_left(self.starts, end)
            out.update(range(first, last))
        return frozenset(out)


@dataclass
class DocumentResult:
    """What one document gives the scorer: its gold, and what brief extracted from it."""

    gold: GoldDocument
    positions: list[Position]
    sentences: list[Sentence]
    error: str | None = None
    # The positions are the finder's candidates, scored on their own spans (`predicted_spans`).
    as_found: bool = False


@dataclass
class Items:
    gold_content: list[Item] = field(default_factory=list)
    gold_source: list[Item] = field(default_factory=list)
    predicted_content: list[Item] = field(default_factory=list)
    predicted_source: list[Item] = field(default_factory=list)


def items_of(result: DocumentResult) -> Items:
    doc = result.gold
    tokens = _Tokens(doc.text)
    items = Items()
    for a in doc.attributions:
        kind = "direct" if is_quoted(doc.text, a.content) else "reported"
        content = tokens.covered(a.content)
        if content:
            items.gold_content.append(Item(doc.name, content, kind))
            source = tokens.covered(a.source)
            if source:
                items.gold_source.append(Item(doc.name, source, kind))
    by_index = {s.index: s for s in result.sentences}
    quotes = [(q.start, q.end) for q in find_quotes(doc.text)]
    for position in result.positions:
        if not position.valid:
            continue
        spans = predicted_spans(doc.text, by_index, position, quotes, result.as_found)
        content = tokens.covered(spans.content)
        if not content:
            continue
        kind = "direct" if is_quoted(doc.text, spans.content) else "reported"
        items.predicted_content.append(Item(doc.name, content, kind))
        source = tokens.covered(spans.source)
        if source:
            items.predicted_source.append(Item(doc.name, source, kind))
    return items


def _ratio(part: float, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(precision: float | None, recall: float | None) -> float:
    if not precision or not recall:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def _by_document(items: Iterable[Item]) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {}
    for item in items:
        out.setdefault(item.document, []).append(item)
    return out


def _exact(item: Item, others: dict[str, list[Item]]) -> float:
    return 1.0 if any(o.tokens == item.tokens for o in others.get(item.document, ())) else 0.0


def _overlap(item: Item, others: dict[str, list[Item]]) -> float:
    best = max((len(item.tokens & o.tokens) for o in others.get(item.document, ())), default=0)
    return best / len(item.tokens)


def score(gold: Sequence[Item], predicted: Sequence[Item]) -> dict[str, dict[str, Any]]:
    """P, R and F1, exact and by overlap, for all items and for each kind (see module doc)."""
    gold_by_doc, predicted_by_doc = _by_document(gold), _by_document(predicted)
    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        g = [x for x in gold if kind == "all" or x.kind == kind]
        p = [x for x in predicted if kind == "all" or x.kind == kind]
        entry: dict[str, Any] = {"gold": len(g), "predicted": len(p)}
        for name, match in (("exact", _exact), ("overlap", _overlap)):
            precision = _ratio(sum(match(x, gold_by_doc) for x in p), len(p))
            recall = _ratio(sum(match(x, predicted_by_doc) for x in g), len(g))
            entry[name] = {
                "precision": _round(precision),
                "recall": _round(recall),
                "f1": _round(_f1(precision, recall)),
            }
        out[kind] = entry
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score_documents(
    results: Sequence[DocumentResult], per_result: Sequence[Items] | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """Scores for content and source spans over all documents (`per_result`: their items, when
    already computed)."""
    every = Items()
    for items in per_result if per_result is not None else [items_of(r) for r in results]:
        every.gold_content += items.gold_content
        every.gold_source += items.gold_source
        every.predicted_content += items.predicted_content
        every.predicted_source += items.predicted_source
    return {
        "content": score(every.gold_content, every.predicted_content),
        "source": score(every.gold_source, every.predicted_source),
    }
