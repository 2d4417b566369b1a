"""Ceilings for the learned finder (issue 18): what perfect knowledge of one kind would give.

    .venv/bin/python bench/learned/oracles.py [CORPUS]   (default: PolNeAR dev)

* gold cues: every annotated cue that the lexicon does not find is given to the finder as an
  extra verb cue (the ceiling of a cue proposer feeding the rules' span machinery);
* filter: every candidate that overlaps no gold content is dropped (the ceiling of a rescorer);
* boundary: every candidate that overlaps a gold content takes that content's words (the ceiling
  of a span-boundary model).

Scores are content P/R/F1 and source F1 by overlap, as `brief eval --finder-only` computes them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from train import ROOT, finder_items, summary  # train puts this checkout first on sys.path

from briefing.evaluate.gold import GoldDocument, read_brat
from briefing.evaluate.scoring import Item, Items
from briefing.find import attributions
from briefing.find.cues import Cue, find_cues
from briefing.find.tokens import Span, Token

_GOLD: list[Span] = []


def _with_gold(tokens: list[Token]) -> list[Cue]:
    cues = find_cues(tokens)
    taken = {k for c in cues for k in range(c.first, c.last + 1)}
    extra = []
    for s, e in _GOLD:
        inside = [k for k, t in enumerate(tokens) if t.start < e and s < t.end and not t.quoted]
        if inside and not taken & set(inside):
            low = tokens[inside[-1]].lower
            extra.append(Cue(inside[0], inside[-1], low, "verb", tokens[inside[0]].lower))
    return sorted(cues + extra, key=lambda c: c.first)


def gold_cue_items(doc: GoldDocument) -> Items:
    _GOLD[:] = [span for a in doc.attributions for span in a.cue[:1]]
    attributions.find_cues = _with_gold  # type: ignore[assignment]
    try:
        return finder_items(doc, None)
    finally:
        attributions.find_cues = find_cues


def _best(p: Item, gold: list[Item]) -> Item | None:
    found = max(gold, key=lambda g: len(p.tokens & g.tokens), default=None)
    return found if found is not None and p.tokens & found.tokens else None


def _filtered(items: Items) -> Items:
    kept = [p for p in items.predicted_content if _best(p, items.gold_content)]
    return Items(items.gold_content, items.gold_source, kept, items.predicted_source)


def _bounded(items: Items) -> Items:
    out = []
    for p in items.predicted_content:
        g = _best(p, items.gold_content)
        out.append(Item(p.document, g.tokens, p.kind) if g else p)
    return Items(items.gold_content, items.gold_source, out, items.predicted_source)


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/eval/polnear-dev"
    docs = read_brat(corpus)
    rules = [finder_items(d, None) for d in docs]
    rows: dict[str, Callable[[], list[Items]]] = {
        "rules": lambda: rules,
        "gold cues": lambda: [gold_cue_items(d) for d in docs],
        "filter": lambda: [_filtered(i) for i in rules],
        "boundary": lambda: [_bounded(i) for i in rules],
    }
    for name, made in rows.items():
        r = summary(made())
        print(
            f"{name:<10} content {r['content_precision']:.3f}/{r['content_recall']:.3f}/"
            f"{r['content_f1']:.3f}  source {r['source_f1']:.3f}"
        )


if __name__ == "__main__":
    main()
