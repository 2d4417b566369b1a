"""Count the candidates the position rules set aside (no model) on PolNeAR dev and the seeds.

    .venv/bin/python bench/worth.py [--polnear DIR] [--seeds FILE] [--show N] [--reason TEXT]

Runs the finder and `briefing.extract.worth.not_a_position` over every document and prints, per
corpus, the candidates found, those set aside, the counts by reason and up to N set-aside texts
per reason ("source | cue | content"; all of them with --show -1). --reason keeps only reasons
containing TEXT. Every set-aside text of a new rule must be read: each must be no one's position.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.evaluate.gold import read_brat
from briefing.extract.worth import not_a_position
from briefing.find import Candidate, find_attributions

POLNEAR = Path("/work/shared/eval/polnear-dev")
SEEDS = ROOT / "tests" / "gold" / "seeds-gold.json"


def _describe(name: str, text: str, c: Candidate) -> str:
    def part(span: tuple[int, int] | None) -> str:
        return " ".join(text[span[0] : span[1]].split()) if span else "-"

    content = " … ".join(part(s) for s in c.content)
    return f"[{name[:24]}] {c.kind} {part(c.source)} | {part(c.cue)} | {content[:200]}"


def measure(label: str, documents: Iterable[tuple[str, str]], show: int, only: str) -> None:
    found = 0
    aside: dict[str, list[str]] = defaultdict(list)
    for name, text in documents:
        for candidate in find_attributions(text):
            found += 1
            reason = not_a_position(text, candidate)
            if reason is not None:
                aside[reason].append(_describe(name, text, candidate))
    total = sum(len(v) for v in aside.values())
    print(f"{label}: {found} candidates, {total} set aside")
    for reason, texts in sorted(aside.items(), key=lambda item: -len(item[1])):
        print(f"  {len(texts):4d}  {reason}")
    for reason, texts in sorted(aside.items()):
        if only not in reason or show == 0:
            continue
        print(f"\n--- {label}: {reason} ({len(texts)})")
        for line in texts if show < 0 else texts[:show]:
            print(f"  {line}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--show", type=int, default=3, help="texts per reason (-1: all)")
    parser.add_argument("--reason", default="", help="only show reasons containing this")
    args = parser.parse_args()
    docs = [(d.name, d.text) for d in read_brat(args.polnear)]
    measure(f"PolNeAR dev ({len(docs)} documents)", docs, args.show, args.reason)
    articles = json.loads(args.seeds.read_text(encoding="utf-8"))["articles"]
    seeds = [(key, article["text"]) for key, article in sorted(articles.items())]
    measure(f"seeds ({len(seeds)} articles)", seeds, args.show, args.reason)


if __name__ == "__main__":
    main()
