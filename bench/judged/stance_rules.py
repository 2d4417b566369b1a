"""The stance rules alone, scored on the hand-judged sample and the seed gold: no model at all.

    .venv/bin/python bench/judged/stance_rules.py [--seeds | --train] [--show] [--wrong]

Each entry is read as the labeller reads it (`briefing.extract.label`): `read_stance` on the
entry's words with the proposition of its topic; words the rules find silent are "neutral",
mixed ones "conditional"; a topic without sides (`[sides]` of its topics file) is "neutral".

- The hand-judged sample (`stance-gold.tsv`, topics and propositions of `topics-2016.toml`) is
  split by date: 2016-09-28 and 2016-09-30 are where rules are developed, 2016-10-04 is the
  check they were not tuned on.
- With --train, `stance-train.tsv`: 74 statements of PolNeAR train articles of the 2016
  campaign, their stance written by hand before the rules' readings were seen (see its header).
  Rules were since tuned with it (rows 27, 87, 147, 161, see README.md): no longer a clean
  check on news the rules were not written on.
- With --seeds, the seed gold v2 positions whose stance is scored (`stance_ok`), evidence
  strings joined by " … ", against `briefing/rules/topics.toml`.

--show prints every reading, --wrong only the wrong ones: gold, rules, cues and words.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from briefing.extract.stance import read_stance

HERE = Path(__file__).resolve().parent
DEVELOP = ("2016-09-28", "2016-09-30")


@dataclass(frozen=True)
class Item:
    group: str
    proposition: str
    sideless: bool
    words: str
    ok: frozenset[str]


def rules_stance(words: str, proposition: str, sideless: bool) -> tuple[str, tuple[str, ...]]:
    """The labeller's reading: the rules' stance, silent neutral, mixed conditional."""
    if sideless:
        return "neutral", ()
    found = read_stance(words, proposition=proposition)
    if found.stance is not None:
        return found.stance, found.cues
    return ("conditional" if found.cues else "neutral"), found.cues


def _topics(path: Path) -> tuple[dict[str, str], set[str]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    topics = data.get("topics", {})
    propositions = {
        key: data.get("propositions", {}).get(key, text) for key, text in topics.items()
    }
    return propositions, set(data.get("sides", {}).get("none", []))


def judged_items() -> list[Item]:
    propositions, sideless = _topics(HERE / "topics-2016.toml")
    with open(HERE / "stance-gold.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Item(
            "develop" if r["date"] in DEVELOP else "check",
            propositions[r["topic"]],
            r["topic"] in sideless,
            r["words"],
            frozenset({r["stance"]}),
        )
        for r in rows
    ]


def train_items() -> list[Item]:
    propositions, sideless = _topics(HERE / "topics-2016.toml")
    with open(HERE / "stance-train.tsv", encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Item(
            "train",
            propositions[r["topic"]],
            r["topic"] in sideless,
            r["words"],
            frozenset({r["stance"]}),
        )
        for r in rows
    ]


def seed_items() -> list[Item]:
    propositions, sideless = _topics(ROOT / "briefing/rules/topics.toml")
    gold = json.loads((ROOT / "tests/gold/seeds-gold.json").read_text(encoding="utf-8"))
    return [
        Item(
            "seeds",
            propositions[p["topic"]],
            p["topic"] in sideless,
            " … ".join(p["evidence"]),
            frozenset(p["stance_ok"]),
        )
        for article in gold["articles"].values()
        for p in article["positions"]
        if p.get("stance_ok")
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--seeds", action="store_true", help="score the seed gold instead")
    which.add_argument("--train", action="store_true", help="score stance-train.tsv instead")
    parser.add_argument("--show", action="store_true", help="print every reading")
    parser.add_argument("--wrong", action="store_true", help="print the wrong readings")
    args = parser.parse_args()
    items = seed_items() if args.seeds else train_items() if args.train else judged_items()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for item in items:
        stance, cues = rules_stance(item.words, item.proposition, item.sideless)
        good = stance in item.ok
        right[item.group] += good
        total[item.group] += 1
        if args.show or (args.wrong and not good):
            mark = " " if good else "x"
            print(f"{mark} {item.group} gold={'/'.join(sorted(item.ok))} rules={stance} {cues}")
            print(f"    [{item.proposition}] {item.words[:300]}")
    title = "seed gold v2" if args.seeds else "judged sample (stance-gold.tsv)"
    title = "PolNeAR train sample (stance-train.tsv)" if args.train else title
    print(title)
    for group in sorted(total, key=lambda g: g != "develop"):
        print(f"  {group:8} {right[group]}/{total[group]} = {right[group] / total[group]:.2f}")
    if len(total) > 1:
        n, t = sum(right.values()), sum(total.values())
        print(f"  {'all':8} {n}/{t} = {n / t:.2f}")


if __name__ == "__main__":
    main()
