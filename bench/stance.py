"""The stance rules on unseen news: PolNeAR dev candidates, read before and after a change.

    .venv/bin/python bench/stance.py                 # the fixed sample, HEAD against the tree
    .venv/bin/python bench/stance.py --base HEAD~1   # against an older commit
    .venv/bin/python bench/stance.py --all           # every candidate, only the changed ones

The finder runs over the PolNeAR dev articles (political news of 2016, nothing to do with the
seeds); each candidate a briefing would label (`briefing.extract.worth`) gives its content as
the labeller joins it (parts with " ... "). A fixed sample of them (seed 17) is read by the
stance rules of `--base` (briefing/extract/stance.py and briefing/rules/stance.toml as they are
in that commit; the sample is drawn by a hash of document and words, so it stays the same where
the finder's candidates do) and by those of the working tree, and printed: content, then the stance and
the cue words before -> after, changed readings marked `*`. Read every changed one as an
analyst would; a rule that wins on the seeds and loses here is dropped.

The working tree reads each content against a proposition, as the labeller does: that of the
one topic of `--topics` (the 2016 beat's file of the hand-judged sample by default) whose
keywords occur in it, shown in brackets; none where no topic's or several topics' keywords
occur. A base commit whose `read_stance` takes no proposition reads without one.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import inspect
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.evaluate.gold import read_brat
from briefing.extract import stance as current
from briefing.extract.items import load_propositions
from briefing.extract.topics import load_keywords, topic_file, topics_mentioned
from briefing.extract.worth import not_a_position
from briefing.find import find_attributions

POLNEAR = Path("/work/shared/eval/polnear-dev")
TOPICS = ROOT / "bench/judged/topics-2016.toml"
SEED = 17


def _at(rev: str, path: str) -> str:
    return subprocess.run(
        ["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def _base(rev: str, folder: Path) -> tuple[ModuleType, object]:
    """The stance module and its lexicon as they are in commit `rev`."""
    source = folder / "stance_base.py"
    source.write_text(_at(rev, "briefing/extract/stance.py"), encoding="utf-8")
    rules = folder / "stance_base.toml"
    rules.write_text(_at(rev, "briefing/rules/stance.toml"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("stance_base", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module, module.load_lexicon(rules)


def contents(folder: Path) -> list[tuple[str, str]]:
    """(document, content) of every candidate a briefing would label, in document order."""
    out = []
    for doc in read_brat(folder):
        for c in find_attributions(doc.text):
            if not_a_position(doc.text, c) is None:
                words = " ... ".join(" ".join(doc.text[s:e].split()) for s, e in c.content)
                out.append((doc.name, words))
    return out


def _draw(candidate: tuple[str, str]) -> str:
    """A fixed draw that does not move when the finder changes other candidates: the sample is
    the candidates with the smallest hashes of their document and words."""
    return hashlib.sha256(f"{SEED}|{candidate[0]}|{candidate[1]}".encode()).hexdigest()


def _proposition(
    words: str, keywords: dict[str, list[str]], propositions: dict[str, str]
) -> str | None:
    matched = topics_mentioned(words, keywords)
    return propositions[matched[0]] if len(matched) == 1 else None


def _read_base(module: ModuleType, words: str, lexicon: object, proposition: str | None) -> object:
    if "proposition" in inspect.signature(module.read_stance).parameters:
        return module.read_stance(words, lexicon, proposition)
    return module.read_stance(words, lexicon)  # a commit whose rules read no proposition


def _reading(evidence: object) -> str:
    stance = getattr(evidence, "stance", None) or "-"
    cues = " ".join(getattr(evidence, "cues", ()))
    return f"{stance} [{cues}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--base", default="HEAD", help="the commit to compare with")
    parser.add_argument("--size", type=int, default=80, help="candidates in the sample")
    parser.add_argument("--all", action="store_true", help="every candidate, changed ones only")
    parser.add_argument("--topics", type=Path, default=TOPICS, help="topics file (propositions)")
    args = parser.parse_args()
    keywords = load_keywords(args.topics)
    propositions = load_propositions(topic_file(args.topics).topics, args.topics)
    every = contents(args.polnear)
    chosen = every if args.all else sorted(sorted(every, key=_draw)[: args.size])
    changed = decided_before = decided_after = 0
    with tempfile.TemporaryDirectory() as tmp:
        module, lexicon = _base(args.base, Path(tmp))
        for n, (doc, words) in enumerate(chosen, 1):
            proposition = _proposition(words, keywords, propositions)
            before = _read_base(module, words, lexicon, proposition)
            after = current.read_stance(words, proposition=proposition)
            decided_before += before.stance is not None
            decided_after += after.stance is not None
            differ = (before.stance, before.cues) != (after.stance, after.cues)
            changed += differ
            if differ or not args.all:
                mark = "*" if differ else " "
                print(f"{mark}{n:>4} {doc[:40]} [{proposition or '-'}]\n      {words[:400]}")
                print(f"      {_reading(before)} -> {_reading(after)}")
    print(
        f"\n{len(chosen)} candidates of {len(every)}; {changed} readings changed; "
        f"stance decided {decided_before} -> {decided_after}"
    )


if __name__ == "__main__":
    main()
