"""The attribution finder scored alone, with no model: what `brief eval --finder-only` reports.

Every candidate the finder returns for a gold document is a prediction, its content and source
the finder's own spans, scored with the same definitions as a full run (see
briefing.evaluate.scoring) and reported alike, so the two reports compare line by line: the gap between them is
what labelling adds or loses.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from briefing.evaluate.gold import GoldDocument
from briefing.evaluate.report import RunCost, build_report, gold_article
from briefing.evaluate.scoring import DocumentResult
from briefing.find import Candidate, find_attributions
from briefing.models import Position
from briefing.text.segment import split_sentences


def candidate_position(article_id: str, text: str, candidate: Candidate) -> Position:
    """A candidate as an unlabelled position: the finder's speaker, content and source."""
    return Position(
        article_id=article_id,
        speaker=candidate.speaker or "",
        role="",
        topic="",
        stance="unclear",
        summary="",
        kind=candidate.kind,
        evidence=list(candidate.sentences),
        spans=list(candidate.content),
        quotes=[text[a:b] for a, b in candidate.content],
        source=candidate.source,
    )


def finder_report(
    documents: Sequence[GoldDocument], corpus: str = "", annotator: str | None = None
) -> dict[str, Any]:
    """Find the attributions of every document and score them against the gold."""
    started = time.perf_counter()
    results = []
    for document in documents:
        article = gold_article(document)
        positions = [
            candidate_position(article.id, article.text, c) for c in find_attributions(article.text)
        ]
        results.append(
            DocumentResult(document, positions, split_sentences(article.text), as_found=True)
        )
    cost = RunCost(provider="none", model="finder only", seconds=time.perf_counter() - started)
    return build_report(results, cost, corpus=corpus, annotator=annotator)
