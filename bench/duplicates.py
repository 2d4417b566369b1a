"""Benchmark: every duplicate and every false positive of the seed briefing, and why it is one.

    BRIEF_PROVIDER=replay BRIEF_HOME=$(mktemp -d) PYTHONPATH=. python bench/duplicates.py [--gold FILE]

Runs the seed gold (tests/gold/seeds-gold.json, version 2) as `brief eval` does, on the recorded
answers, then lists per article:

* each duplicate: the briefed entry, the gold position it matches again, the entry that matched
  it first, and why the two were not merged (`briefing.track.merge`'s conditions, the first
  failing one): another voice, stances that disagree, two stated stances in neighbouring
  reported lines, another topic without two content words in common, or no link (not in one
  sentence, not neighbours, no run of content words in common), with how far apart they are;
* each false positive (a briefed entry matching no gold position of its actor): its speaker,
  topic, words, and whether its words are a gold position's of another actor (a wrong speaker)
  or a gold non-position.

The listing is what item 4 of issue 17 ("One entry per statement") was worked from; re-run it
after a change to the merging to see what is left.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from briefing.config import load_settings
from briefing.evaluate.briefed import briefed_entries
from briefing.evaluate.positions import (
    GoldArticle,
    GoldPosition,
    _match,
    _speakers_of,
    gold_articles_as_articles,
    read_seed_gold,
)
from briefing.llm.client import open_client
from briefing.models import Position
from briefing.pipeline import Extractor
from briefing.resources import CHECKOUT_DIR
from briefing.store.database import Store
from briefing.text.segment import split_sentences
from briefing.track.actors import ActorBook, load_actors
from briefing.track.merge import link

GOLD = CHECKOUT_DIR / "tests" / "gold" / "seeds-gold.json"


def _words(p: Position, width: int = 110) -> str:
    text = " | ".join(" ".join(q.split()) for q in p.quotes)
    return text if len(text) <= width else text[: width - 3] + "..."


def _entry(p: Position) -> str:
    return (
        f"[{p.kind} S{','.join(map(str, p.evidence))}] {p.speaker} / {p.topic} / "
        f"{p.stance_shown}: {_words(p)}"
    )


def why_apart(first: Position, again: Position, book: ActorBook, text: str) -> str:
    """The first of the merge's conditions the two entries fail (read on the entries, not on
    each of their parts, so a reason for the closest parts)."""
    voices = (
        book.resolve_in(first.speaker, text).voice,
        book.resolve_in(again.speaker, text).voice,
    )
    if voices[0] != voices[1]:
        return f"another voice ({voices[0]} / {voices[1]})"
    stances = {p.stance for p in (first, again) if p.stance_stated}
    if len(stances) > 1:
        return f"stances disagree ({' / '.join(sorted(stances))})"
    same_topic = first.topic == again.topic
    named = [text[p.source[0] : p.source[1]] if p.source else None for p in (first, again)]
    how = link(first, again, named[1], named[0], same_topic)
    gap = min(abs(i - j) for i in first.evidence for j in again.evidence)
    if how == "goes on":
        return "two stated stances in neighbouring reported lines (two views)"
    if how == "continues":
        return "a quotation right after the statement's own quotation"
    if how:
        return f"linked ({how}) but not merged"
    if not same_topic:
        return f"another topic ({first.topic} / {again.topic}), {gap} sentence(s) apart"
    return f"no link: {first.kind} and {again.kind}, {gap} sentence(s) apart"


def report(
    article: GoldArticle, entries: list[Position], book: ActorBook, text: str, tally: Counter[str]
) -> None:
    """Print the article's duplicates and false positives, counting each kind in `tally`."""
    speakers_of = _speakers_of([article])
    first_of: dict[int, Position] = {}
    lines: list[str] = []
    for entry in (e for e in entries if e.valid):
        m = _match(entry, article, speakers_of, first_of)
        if m.gold is None:
            if m.words_of is not None:
                kind = "wrong speaker"
                detail = f"the words of {m.words_of.speaker}'s position"
            else:
                kind = "a gold non-position" if m.non_position else "in no gold position"
                detail = kind
            lines.append(f"  FALSE POSITIVE {_entry(entry)}\n      {detail}")
            tally[f"false positive: {kind}"] += 1
            continue
        index = article.positions.index(m.gold)
        if index not in first_of:
            first_of[index] = entry
            continue
        first = first_of[index]
        why = why_apart(first, entry, book, text)
        tally[f"duplicate: {why.split(' (')[0].split(':')[0].split(',')[0]}"] += 1
        lines.append(
            f"  DUPLICATE {_entry(entry)}\n      of gold: {_gold(m.gold)}\n"
            f"      first: {_entry(first)}\n      why: {why}"
        )
    if lines:
        print(f"{article.name} ({len([e for e in entries if e.valid])} briefed)")
        print("\n".join(lines))


def _gold(g: GoldPosition) -> str:
    return (
        f"{g.speaker} on {g.topic}{'' if g.required else ' (not required)'}: {g.evidence[0][:80]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    args = parser.parse_args()
    gold = read_seed_gold(args.gold)
    settings = load_settings()
    with Store(settings.store_path) as store, open_client(settings, store) as client:
        made = gold_articles_as_articles(gold)
        for article in made:
            store.add_article(article, split_sentences(article.text))
        extractor = Extractor(store, client, settings)
        extractor.extract(made)
        book = load_actors(settings)
        tally: Counter[str] = Counter()
        for g, article in zip(gold, made, strict=True):
            positions = extractor.positions_of(article)[0]
            entries = briefed_entries(positions, book, article.text, extractor.keywords)
            report(g, entries, book, article.text, tally)
    print("in all:")
    for kind, count in sorted(tally.items()):
        print(f"  {count:3} {kind}")


if __name__ == "__main__":
    main()
