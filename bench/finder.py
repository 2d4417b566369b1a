"""Measure the attribution finder alone (no model) on PolNeAR dev and on the seed gold.

    .venv/bin/python bench/finder.py --polnear DIR [--seeds FILE] [--misses N] [--doc NAME]

PolNeAR: content recall / precision / F1 by overlap and source F1, with the definitions of
`brief eval` (each gold item earns the largest share of its word tokens one prediction covers,
and symmetrically for predictions), over all dev documents and over the first 20 by name.
Seeds: the share of required gold positions whose evidence shares a run of five words with some
candidate's content, and of those the share whose resolved speaker matches (last name is enough);
candidates per article and how many overlap a gold non-position. Runtime per document.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.evaluate.gold import GoldDocument, read_brat
from briefing.evaluate.scoring import Item, _Tokens, is_quoted, score
from briefing.find import Candidate, find_attributions

SEEDS = ROOT / "tests" / "gold" / "seeds-gold.json"  # the seed gold the project carries
_WORD = re.compile(r"\w+")


def _items(doc: GoldDocument, candidates: Sequence[Candidate]) -> dict[str, list[Item]]:
    """Gold and predicted content and source items of one document, as `brief eval` builds them."""
    tokens = _Tokens(doc.text)
    out: dict[str, list[Item]] = {"gc": [], "gs": [], "pc": [], "ps": []}
    for a in doc.attributions:
        kind = "direct" if is_quoted(doc.text, a.content) else "reported"
        content = tokens.covered(a.content)
        if content:
            out["gc"].append(Item(doc.name, content, kind))
            source = tokens.covered(a.source)
            if source:
                out["gs"].append(Item(doc.name, source, kind))
    for c in candidates:
        kind = "direct" if is_quoted(doc.text, c.content) else "reported"
        content = tokens.covered(c.content)
        if not content:
            continue
        out["pc"].append(Item(doc.name, content, kind))
        if c.source is not None:
            out["ps"].append(Item(doc.name, tokens.covered([c.source]), kind))
    return out


def _polnear_scores(per_doc: Iterable[dict[str, list[Item]]]) -> dict[str, Any]:
    every: dict[str, list[Item]] = {"gc": [], "gs": [], "pc": [], "ps": []}
    for items in per_doc:
        for key, value in items.items():
            every[key] += value
    return {
        "content": score(every["gc"], every["pc"]),
        "source": score(every["gs"], every["ps"]),
    }


def _line(label: str, scores: dict[str, Any]) -> str:
    c = scores["content"]["all"]["overlap"]
    s = scores["source"]["all"]["overlap"]
    d = scores["content"]["direct"]["overlap"]
    r = scores["content"]["reported"]["overlap"]
    return (
        f"{label:<22} content R {c['recall']:.3f} P {c['precision']:.3f} F1 {c['f1']:.3f} | "
        f"source R {s['recall']:.3f} P {s['precision']:.3f} F1 {s['f1']:.3f} | "
        f"direct R {d['recall'] or 0:.3f} reported R {r['recall'] or 0:.3f}"
    )


def _misses(doc: GoldDocument, items: dict[str, list[Item]], limit: int) -> None:
    """Gold contents the finder covers least, and predictions no gold covers: what to fix."""
    tokens = _Tokens(doc.text)
    words = [m for m in _WORD.finditer(doc.text)]
    shown = 0
    for a in doc.attributions:
        gold = tokens.covered(a.content)
        if not gold:
            continue
        best = max((len(gold & p.tokens) / len(gold) for p in items["pc"]), default=0.0)
        if best < 0.5 and shown < limit:
            lo, hi = min(gold), max(gold)
            print(f"  MISS {best:.2f} {doc.text[words[lo].start() : words[hi].end()][:160]!r}")
            print(
                f"       cue {[doc.text[s:e] for s, e in a.cue]} src {[doc.text[s:e] for s, e in a.source]}"
            )
            shown += 1
    for p in items["pc"]:
        best = max((len(p.tokens & g.tokens) / len(p.tokens) for g in items["gc"]), default=0.0)
        if best < 0.3 and shown < 2 * limit:
            lo, hi = min(p.tokens), max(p.tokens)
            print(f"  EXTRA {best:.2f} {doc.text[words[lo].start() : words[hi].end()][:160]!r}")
            shown += 1


def polnear(folder: Path, misses: int, only: str | None) -> None:
    documents = read_brat(folder)
    if only:
        documents = [d for d in documents if d.name.startswith(only)]
    per_doc = []
    seconds = []
    for doc in documents:
        started = time.perf_counter()
        candidates = find_attributions(doc.text)
        seconds.append(time.perf_counter() - started)
        items = _items(doc, candidates)
        per_doc.append(items)
        if misses:
            print(doc.name)
            _misses(doc, items, misses)
    gold = sum(len(i["gc"]) for i in per_doc)
    predicted = sum(len(i["pc"]) for i in per_doc)
    print(f"PolNeAR dev: {len(documents)} documents, {gold} gold contents, {predicted} candidates")
    print(_line("all documents", _polnear_scores(per_doc)))
    if len(per_doc) > 20:
        print(_line("first 20 documents", _polnear_scores(per_doc[:20])))
    print(
        f"runtime: {sum(seconds) / len(seconds) * 1000:.1f} ms per document on average, "
        f"max {max(seconds) * 1000:.1f} ms"
    )


def _normal(text: str) -> str:
    return " ".join(text.split())


def _shares_five(a: str, b: str) -> bool:
    """Whether two texts share a run of five words (after collapsing whitespace)."""
    wa, wb = _normal(a).split(), _normal(b).split()
    runs = {tuple(wa[i : i + 5]) for i in range(len(wa) - 4)}
    if len(wa) < 5 or len(wb) < 5:
        short, long = (_normal(a), _normal(b)) if len(wa) < len(wb) else (_normal(b), _normal(a))
        return bool(short) and short in long
    return any(tuple(wb[i : i + 5]) in runs for i in range(len(wb) - 4))


def _same_speaker(gold: str, found: str | None) -> bool:
    if not found:
        return False
    last = gold.split()[-1].lower()
    return last in found.lower().replace("’s", "").split() or gold.lower() in found.lower()


def seeds(path: Path, verbose: bool) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    required = covered = speaker_right = 0
    for key, article in sorted(data["articles"].items()):
        text = article["text"]
        started = time.perf_counter()
        candidates = find_attributions(text)
        elapsed = time.perf_counter() - started
        contents = [" ".join(text[s:e] for s, e in c.content) for c in candidates]
        non = [
            n
            for n in article.get("non_positions", [])
            if any(_normal(n) in _normal(x) or _shares_five(n, x) for x in contents)
        ]
        found_here = 0
        for position in article["positions"]:
            hits = [
                c
                for c, x in zip(candidates, contents)
                if any(_shares_five(e, x) for e in position["evidence"])
            ]
            if position.get("required"):
                required += 1
                if hits:
                    covered += 1
                    found_here += 1
                    right = any(_same_speaker(position["speaker"], c.speaker) for c in hits)
                    speaker_right += right
                    if verbose and not right:
                        print(
                            f"  {key} speaker {position['speaker']!r} got {[c.speaker for c in hits]}"
                        )
                elif verbose:
                    print(f"  {key} MISSED {position['evidence'][0][:90]!r}")
        print(
            f"seed {key}: {len(candidates)} candidates, {found_here} required positions found, "
            f"{len(non)} overlap a non-position, {elapsed * 1000:.1f} ms"
        )
    print(
        f"seeds: required positions covered {covered}/{required} ({covered / required:.2f}), "
        f"speaker right {speaker_right}/{covered} ({speaker_right / max(covered, 1):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, required=True, help="PolNeAR dev (brat) folder")
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--misses", type=int, default=0, help="show this many misses per doc")
    parser.add_argument("--doc", default=None, help="only PolNeAR documents with this prefix")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    polnear(args.polnear, args.misses, args.doc)
    seeds(args.seeds, args.verbose)


if __name__ == "__main__":
    main()
