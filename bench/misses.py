"""What the attribution finder misses on an annotated corpus, by cue word; what a change flips.

    .venv/bin/python bench/misses.py CORPUS [--limit N] [--top 40] [--show WORDS] [--kind KIND]
    .venv/bin/python bench/misses.py CORPUS --dump OUT.json
    .venv/bin/python bench/misses.py CORPUS --diff BEFORE.json [--dump AFTER.json]

Misses (issue 18): a gold attribution is missed when no candidate's content covers half of its
words. Each miss is put in one class, by what the finder did at the gold cue:

* `no cue`: no cue of the finder overlaps the gold cue (the lexicon or its rules lack the word);
* `cue, no statement`: a cue is there but makes no statement that covers the content (the source
  or content search failed: a long subject, a noun, a form the rules read otherwise);
* `excluded`: the sentence is set aside (headline, caption, instruction);
* `no gold cue`: the annotators marked no cue.

and counted by its cue words, lower-cased. `--show` prints the sentences of the misses whose
cue words are among WORDS (comma-separated), with cue, source and content marked.

Dump and diff: `--dump` writes every candidate (content, source) by document; `--diff` compares
the finder now with such a file and prints each candidate gained or lost, judged on the gold: a
candidate is right when at least half its content words lie in one gold content, and its source
is right when it overlaps that gold's source. Use it to read every case a rule flips.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.evaluate.gold import Attribution, GoldDocument, read_brat
from briefing.evaluate.scoring import _Tokens
from briefing.find import find_attributions
from briefing.find.cues import find_cues
from briefing.find.layout import mark_exclusions
from briefing.find.tokens import Layout, Span, build_layout

Found = dict[str, Any]


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _cue_spans(layout: Layout) -> list[Span]:
    spans = []
    for unit in layout.units:
        if unit.excluded is None:
            spans += [
                (unit.tokens[c.first].start, unit.tokens[c.last].end)
                for c in find_cues(unit.tokens)
            ]
    return spans


def _found(doc: GoldDocument) -> list[Found]:
    return [
        {"content": [list(s) for s in c.content], "source": list(c.source) if c.source else None}
        for c in find_attributions(doc.text)
    ]


def _kind(doc: GoldDocument, a: Attribution, layout: Layout, cues: list[Span]) -> str:
    if not a.cue:
        return "no gold cue"
    unit = layout.unit_at(a.cue[0][0])
    if unit is not None and unit.excluded is not None:
        return "excluded"
    if any(_overlaps(g, c) for g in a.cue for c in cues):
        return "cue, no statement"
    return "no cue"


def _cue_words(doc: GoldDocument, a: Attribution) -> str:
    return " ".join(" ".join(doc.text[s:e].lower().split()) for s, e in a.cue) or "-"


def _marked(doc: GoldDocument, a: Attribution) -> str:
    """The gold's sentence stretch with [cue], {source} and <content> marked."""
    spans = [(s, e, "[]") for s, e in a.cue] + [(s, e, "{}") for s, e in a.source]
    spans += [(s, e, "<>") for s, e in a.content]
    lo = max(0, min(s for s, _, _ in spans) - 40)
    hi = min(len(doc.text), max(e for _, e, _ in spans) + 20)
    out = doc.text[lo:hi]
    for s, e, marks in sorted(spans, key=lambda x: -x[0]):
        out = out[: e - lo] + marks[1] + out[e - lo :]
        out = out[: s - lo] + marks[0] + out[s - lo :]
    return " ".join(out.split())


def misses(documents: list[GoldDocument], top: int, show: set[str], kind: str | None) -> None:
    by_kind: Counter[str] = Counter()
    words: dict[str, Counter[str]] = {}
    total = 0
    for doc in documents:
        tokens = _Tokens(doc.text)
        contents = [tokens.covered([tuple(s) for s in f["content"]]) for f in _found(doc)]
        layout = build_layout(doc.text)
        mark_exclusions(layout)
        cues = _cue_spans(layout)
        for a in doc.attributions:
            gold = tokens.covered(a.content)
            if not gold:
                continue
            total += 1
            if max((len(gold & p) / len(gold) for p in contents), default=0.0) >= 0.5:
                continue
            k = _kind(doc, a, layout, cues)
            by_kind[k] += 1
            cue = _cue_words(doc, a)
            words.setdefault(k, Counter())[cue] += 1
            if cue in show and (kind is None or k == kind):
                print(f"{doc.name} [{k}] {_marked(doc, a)[:400]}")
    print(f"{len(documents)} documents, {total} gold attributions, {sum(by_kind.values())} missed")
    for k, n in by_kind.most_common():
        common = ", ".join(f"{w} {c}" for w, c in words[k].most_common(top))
        print(f"\n{k}: {n}\n  {common}")


def _judge(doc: GoldDocument, tokens: _Tokens, f: Found) -> str:
    content = tokens.covered([tuple(s) for s in f["content"]])
    if not content:
        return "empty"
    best, gold = 0.0, None
    for a in doc.attributions:
        share = len(content & tokens.covered(a.content)) / len(content)
        if share > best:
            best, gold = share, a
    if best < 0.5 or gold is None:
        return "wrong"
    if f["source"] is None:
        return "right, no source" if gold.source else "right, source right"
    right = any(_overlaps(tuple(f["source"]), s) for s in gold.source)
    return "right, source right" if right else "right, source wrong"


def _show(doc: GoldDocument, f: Found) -> str:
    content = " … ".join(doc.text[s:e] for s, e in f["content"])
    source = doc.text[f["source"][0] : f["source"][1]] if f["source"] else "-"
    return f"{{{source}}} <{' '.join(content.split())[:200]}>"


def diff(
    documents: list[GoldDocument], before: dict[str, list[Found]], now: dict[str, list[Found]]
) -> None:
    counts: Counter[str] = Counter()
    for doc in documents:
        tokens = _Tokens(doc.text)
        old = {json.dumps(f, sort_keys=True) for f in before.get(doc.name, [])}
        new = {json.dumps(f, sort_keys=True) for f in now[doc.name]}
        for sign, keys in (("-", old - new), ("+", new - old)):
            for key in sorted(keys):
                f = json.loads(key)
                verdict = _judge(doc, tokens, f)
                counts[f"{sign} {verdict}"] += 1
                print(f"{sign} {doc.name} [{verdict}] {_show(doc, f)}")
    print("\n" + ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--top", type=int, default=40, help="cue words listed per class")
    parser.add_argument("--show", default="", help="print the misses with these cue words")
    parser.add_argument("--kind", default=None, help="with --show: only misses of this class")
    parser.add_argument("--dump", type=Path, help="write the candidates to this JSON file")
    parser.add_argument("--diff", type=Path, help="compare with candidates dumped before")
    args = parser.parse_args()
    documents = read_brat(args.corpus, warn=lambda m: print(m, file=sys.stderr))
    if args.limit:
        documents = documents[: args.limit]
    if args.dump or args.diff:
        now = {doc.name: _found(doc) for doc in documents}
        if args.dump:
            args.dump.write_text(json.dumps(now), encoding="utf-8")
        if args.diff:
            diff(documents, json.loads(args.diff.read_text(encoding="utf-8")), now)
        return
    show = {w.strip() for w in args.show.split(",") if w.strip()}
    misses(documents, args.top, show, args.kind)


if __name__ == "__main__":
    main()
