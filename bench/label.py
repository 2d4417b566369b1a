"""Benchmark: the labeller on the seed gold, as if the finder were perfect.

    python bench/label.py                       # the chosen configuration
    python bench/label.py --group 4 --previous  # a variant
    python bench/label.py --rules-only          # stance and topic rules alone, no model

Candidates: one per gold evidence string (content = the evidence, speaker = the gold speaker,
context = its sentence), one per non-position, and the first three narration sentences of each
article (no evidence, at least eight words): these two kinds should be labelled not-a-position.
Prints position accuracy, topic right (topic in topic_ok), stance right (stance in stance_ok,
where scored), output tokens per candidate and seconds per candidate. Model answers are cached
under --home (default /tmp/label-home), so a second run replays them for free; an empty home runs
the embedded model (several minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

from briefing.config import load_settings
from briefing.extract.items import LabelItem, items_from_candidates, load_propositions
from briefing.extract.label import Label, LabelConfig, label_candidates
from briefing.extract.prompts import load_prompt, load_topics
from briefing.extract.stance import read_stance
from briefing.extract.topics import topics_mentioned
from briefing.llm.client import ModelClient, Usage, open_client
from briefing.store.database import Store
from briefing.text.segment import split_sentences
from briefing.track.tracking import load_keywords

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "seeds-gold.json"


@dataclass(frozen=True)
class GoldCandidate:
    item: LabelItem
    article: str
    position: bool
    topic_ok: tuple[str, ...]
    stance_ok: tuple[str, ...] | None


def _sentence_at(text: str, start: int, end: int, previous: bool) -> str:
    sentences = split_sentences(text)
    hit = [i for i, s in enumerate(sentences) if s.start < end and s.end > start]
    if not hit:
        return text[start:end]
    first = hit[0] - 1 if previous and hit[0] > 0 else hit[0]
    return text[sentences[first].start : sentences[hit[-1]].end]


def gold_candidates(path: Path, previous: bool, narration: int = 3) -> list[GoldCandidate]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out: list[GoldCandidate] = []
    for name, article in data["articles"].items():
        text = " ".join(article["text"].split())
        used: list[tuple[int, int]] = []
        wanted: list[tuple[str, str | None, bool, tuple[str, ...], tuple[str, ...] | None]] = []
        for position in article["positions"]:
            stance_ok = tuple(position["stance_ok"]) if position["stance_ok"] else None
            for evidence in position["evidence"]:
                wanted.append(
                    (evidence, position["speaker"], True, tuple(position["topic_ok"]), stance_ok)
                )
        # A finder's false candidate comes with a speaker: give non-positions the article's
        # most quoted one, so that "speaker: unknown" is no hint to the model.
        speakers = [p["speaker"] for p in article["positions"]]
        main = max(speakers, key=speakers.count) if speakers else None
        wanted.extend((words, main, False, (), None) for words in article["non_positions"])
        for content, speaker, is_position, topic_ok, stance_ok in wanted:
            start = text.find(content)
            assert start >= 0, (name, content)
            used.append((start, start + len(content)))
            context = _sentence_at(text, start, start + len(content), previous)
            own = _sentence_at(text, start, start + len(content), False)
            item = LabelItem(len(out) + 1, speaker, content, context, own)
            out.append(GoldCandidate(item, name, is_position, topic_ok, stance_ok))
        taken = 0
        for sentence in split_sentences(text):
            words = text[sentence.start : sentence.end]
            if taken == narration or len(words.split()) < 8:
                continue
            if any(s < sentence.end and e > sentence.start for s, e in used):
                continue
            context = _sentence_at(text, sentence.start, sentence.end, previous)
            out.append(
                GoldCandidate(
                    LabelItem(len(out) + 1, main, words, context, words), name, False, (), None
                )
            )
            taken += 1
    return out


def _fraction(right: int, total: int) -> str:
    return f"{right}/{total} = {right / max(1, total):.2f}"


def score(cands: list[GoldCandidate], labels: dict[int, Label]) -> dict[str, str]:
    """The figures; where the run asked the model for every stance, also what the rules would
    have made of the same answers (rules then model, rules alone)."""
    pos_right = topic_right = topic_n = stance_n = 0
    stance_right = {"as run": 0, "rules then model": 0, "rules alone": 0}
    for cand in cands:
        label = labels.get(cand.item.id)
        if label is None:
            continue
        pos_right += label.is_position == cand.position
        if not cand.position:
            continue
        topic_n += 1
        topic_right += label.topic in cand.topic_ok
        if cand.stance_ok:
            stance_n += 1
            rules = read_stance(cand.item.content)
            alone = rules.stance or ("conditional" if rules.cues else "neutral")
            stance_right["as run"] += label.stance in cand.stance_ok
            stance_right["rules then model"] += (rules.stance or label.stance) in cand.stance_ok
            stance_right["rules alone"] += alone in cand.stance_ok
    figures = {
        "position right": _fraction(pos_right, len(cands)),
        "topic right": _fraction(topic_right, topic_n),
    }
    figures.update({f"stance ({k})": _fraction(v, stance_n) for k, v in stance_right.items()})
    return figures


def rules_only(cands: list[GoldCandidate]) -> None:
    keywords = load_keywords()
    decided = right = scored = topic_decided = topic_right = 0
    for cand in cands:
        if not cand.position:
            continue
        evidence = read_stance(cand.item.content)
        matched = topics_mentioned(cand.item.content, keywords)
        if len(matched) == 1:
            topic_decided += 1
            topic_right += matched[0] in cand.topic_ok
        if cand.stance_ok is None:
            continue
        scored += 1
        if evidence.stance is not None:
            decided += 1
            right += evidence.stance in cand.stance_ok
            mark = "ok " if evidence.stance in cand.stance_ok else "BAD"
        else:
            mark = "-- "
        print(
            f"{mark} {evidence.stance!s:12} {'/'.join(cand.stance_ok):26} {evidence.cues} {cand.item.content[:70]}"
        )
    print(f"stance rules: decided {decided} of {scored} scored candidates, {right} right")
    print(f"topic keywords: decided {topic_decided} candidates, {topic_right} right")


def label_finder_output(
    client: ModelClient, config: LabelConfig, previous: bool, gold: Path
) -> None:
    """Time the labeller on what the finder really finds in the five seeds (no gold scoring:
    the finder's spans differ from the gold's)."""
    from briefing.find.attributions import find_attributions

    data = json.loads(gold.read_text(encoding="utf-8"))
    topics = load_topics()
    propositions = load_propositions(topics)
    prompt = load_prompt("label")
    total = Usage()
    count = positions = 0
    started = time.monotonic()
    for article in data["articles"].values():
        text = article["text"]
        found = find_attributions(text)
        items = items_from_candidates(text, split_sentences(text), found, previous)
        names = sorted({c.speaker for c in found if c.speaker})
        result = label_candidates(client, prompt, topics, propositions, items, names, config)
        total.add(result.usage)
        count += len(items)
        positions += sum(label.is_position for label in result.labels.values())
    wall = time.monotonic() - started
    print(
        f"finder candidates {count}, labelled positions {positions}, requests {total.calls + total.cached}"
    )
    print(
        f"output tokens    {total.completion_tokens} ({total.completion_tokens / max(1, count):.1f} per candidate)"
    )
    print(f"prompt tokens    {total.prompt_tokens}")
    print(f"model seconds    {total.seconds:.1f} (wall {wall:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/label-home"))
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--group", type=int, default=LabelConfig.group_size)
    parser.add_argument(
        "--previous",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show the previous sentence too",
    )
    parser.add_argument(
        "--stance", choices=["rules", "rules+model", "model"], default=LabelConfig.stance_from
    )
    parser.add_argument(
        "--topic", choices=["none", "content", "context"], default=LabelConfig.topic_keywords
    )
    parser.add_argument("--no-summary", action="store_true", help="the model writes no summary")
    parser.add_argument("--rules-only", action="store_true")
    parser.add_argument(
        "--finder", action="store_true", help="label the finder's candidates (timing)"
    )
    parser.add_argument("--show", action="store_true", help="print every label")
    args = parser.parse_args()
    cands = gold_candidates(args.gold, args.previous)
    if args.rules_only:
        rules_only(cands)
        return
    config = LabelConfig(
        group_size=args.group,
        stance_from=args.stance,
        topic_keywords=args.topic,
        summary=not args.no_summary,
    )
    settings = load_settings(home=args.home, provider="local")
    topics = load_topics()
    propositions = load_propositions(topics)
    prompt = load_prompt("label")
    if args.finder:
        with (
            Store(settings.store_path) as store,
            open_client(settings, store, provider="local") as client,
        ):
            label_finder_output(client, config, args.previous, args.gold)
        return
    labels: dict[int, Label] = {}
    started = time.monotonic()
    with (
        Store(settings.store_path) as store,
        open_client(settings, store, provider="local") as client,
    ):
        usage_calls = usage_out = usage_prompt = 0
        model_seconds = 0.0
        failures = []
        for article in sorted({c.article for c in cands}):
            items = [c.item for c in cands if c.article == article]
            result = label_candidates(client, prompt, topics, propositions, items, [], config)
            labels.update(result.labels)
            failures.extend(result.failures)
            usage_calls += result.usage.calls + result.usage.cached
            usage_out += result.usage.completion_tokens
            usage_prompt += result.usage.prompt_tokens
            model_seconds += result.usage.seconds
    wall = time.monotonic() - started
    if args.show:
        for cand in cands:
            label = labels.get(cand.item.id)
            print(
                cand.item.id,
                cand.position,
                cand.topic_ok,
                cand.stance_ok,
                "|",
                label,
                "|",
                cand.item.content[:60],
            )
    n = len(cands)
    print(
        f"variant: group={args.group} previous={args.previous} stance={args.stance} "
        f"topic={args.topic} summary={not args.no_summary} prompt={prompt.id}"
    )
    print(
        f"candidates {n} ({sum(c.position for c in cands)} from positions), requests {usage_calls}, failures {len(failures)}"
    )
    for key, value in score(cands, labels).items():
        print(f"{key:16} {value}")
    print(f"prompt tokens    {usage_prompt} ({usage_prompt / n:.0f} per candidate)")
    print(f"output tokens    {usage_out} ({usage_out / n:.1f} per candidate)")
    print(
        f"model seconds    {model_seconds:.1f} ({model_seconds / n:.2f} per candidate; recorded latency of cached answers not included)"
    )
    print(f"wall seconds     {wall:.1f}")


if __name__ == "__main__":
    main()
