"""Gold source vs. the finder's speaker on PolNeAR, where they disagree (no model).

    .venv/bin/python bench/speakers.py [--polnear DIR] [--show N] [--doc NAME] [--quiet]

For every gold attribution whose source names someone (a capitalised word other than a
sentence-opening function word: "Trump", "the Clinton campaign", "Sen. Ted Cruz"), the candidate
covering most of its content (at least half) is compared with it: right when a name word of the
gold source is a word of the finder's speaker (or the speaker's last word is in the gold
source), wrong when the finder names someone else, none when the finder leaves it unresolved.
Prints the disagreements (gold source | finder speaker | source span | content) and the counts.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.evaluate.gold import Attribution, GoldDocument, read_brat
from briefing.evaluate.scoring import _Tokens
from briefing.find import Candidate, find_attributions

POLNEAR = Path("/work/shared/eval/polnear-dev")
_FUNCTION = frozenset(
    (
        "the a an and but in on at of for his her their its mr mrs ms dr sen rep gov "
        "he she they it we i you"
    ).split()
)
_PLACE = frozenset("in at from near outside inside across".split())
_WORDS = re.compile(r"[A-Za-z][\w.'’-]*")


def _name_words(text: str) -> set[str]:
    """The capitalised words of a source that name someone, before any phrase that says where
    they are ("Officials in Minnesota" names officials, not Minnesota)."""
    words = _WORDS.findall(text)
    where = next((k for k, w in enumerate(words) if k and w in _PLACE), len(words))
    return {
        w.lower().removesuffix("’s").removesuffix("'s").rstrip(".")
        for w in words[:where]
        if w[0].isupper() and w.lower().rstrip(".") not in _FUNCTION
    }


def _best(doc: GoldDocument, a: Attribution, found: list[Candidate], tokens: _Tokens):
    gold = tokens.covered(a.content)
    if not gold:
        return None
    scored = [(len(gold & tokens.covered(c.content)) / len(gold), c) for c in found]
    share, best = max(scored, key=lambda x: x[0], default=(0.0, None))
    return best if share >= 0.5 else None


def verdict(gold_source: str, speaker: str | None) -> str:
    if speaker is None:
        return "none"
    names = _name_words(gold_source)
    said = {w.lower().removesuffix("’s").removesuffix("'s") for w in speaker.split()}
    if names & said or speaker.split()[-1].lower() in gold_source.lower().split():
        return "right"
    return "wrong"


def compare(documents: list[GoldDocument], show: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    for doc in documents:
        found = find_attributions(doc.text)
        tokens = _Tokens(doc.text)
        shown = 0
        for a in doc.attributions:
            source = " ".join(doc.text[s:e] for s, e in a.source)
            if not _name_words(source):
                continue
            best = _best(doc, a, found, tokens)
            if best is None:
                counts["missed"] += 1
                continue
            result = verdict(source, best.speaker)
            counts[result] += 1
            if result != "right" and shown < show:
                if not shown:
                    print(doc.name)
                shown += 1
                span = doc.text[best.source[0] : best.source[1]] if best.source else None
                content = " ".join(doc.text[s:e] for s, e in best.content)[:110]
                print(f"  {result:<5} {source!r} | {best.speaker!r} | src {span!r} | {content!r}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--show", type=int, default=50, help="disagreements per document")
    parser.add_argument("--doc", help="only documents whose name starts with this")
    parser.add_argument("--quiet", action="store_true", help="counts only")
    args = parser.parse_args()
    documents = read_brat(args.polnear)
    if args.doc:
        documents = [d for d in documents if d.name.startswith(args.doc)]
    counts = compare(documents, 0 if args.quiet else args.show)
    judged = counts["right"] + counts["wrong"] + counts["none"]
    print(
        f"named gold sources: {judged + counts['missed']}, covered {judged}: "
        f"right {counts['right']} ({counts['right'] / max(judged, 1):.3f}), "
        f"wrong {counts['wrong']}, none {counts['none']}; content missed {counts['missed']}"
    )


if __name__ == "__main__":
    main()
