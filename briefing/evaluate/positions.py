"""Scoring positions, not spans: did the briefing find who holds which view, on what, how.

The gold is a seed-gold file (`"format": "brief-seed-gold"`, see ../shared/eval/seeds-gold.json):
articles with hand-labelled positions (actor, speaker, evidence strings, topic with the topics
accepted, stance with the stances accepted, whether the position is required) and the text of
its non-positions (headlines, captions, narration).

Definitions, the gold file's own:

* A predicted position matches a gold one when it has the same actor (or one of the gold's
  `actor_ok`, version 2) and the words it copied share a run of five words with one of the
  gold evidence strings (whitespace collapsed, case folded; an evidence string shorter than
  five words must be contained whole).
* Duplicates (version 2): briefed positions that match a gold position an earlier briefed
  position of the article already matched, and no other. They count as real for precision
  (they are), and are reported apart: an analyst reads the same position twice. (An entry
  whose words are two gold positions', one shown already, is matched to the other one.)
* Recall: required gold positions matched by at least one briefed position, over all required.
  Positions that are not required count when found and are never missed.
* Precision: briefed positions that match some gold position, over all briefed positions.
* Speaker: among briefed positions whose words match some gold evidence, the share whose actor
  is right. Topic and stance: among matched pairs, the share whose topic is in `topic_ok`, and
  (where `stance_ok` is not null) whose stance is in `stance_ok`.
* Non-positions briefed: briefed positions whose words share a five-word run with a gold
  non-position and match no gold position.

Only valid positions are predictions (those a briefing shows); the rest are counted apart.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.config import Settings
from briefing.errors import SeedGoldError
from briefing.evaluate.briefed import briefed_entries
from briefing.ingest.articles import article_id, normalise_text
from briefing.llm.client import ModelClient
from briefing.models import Article, Position
from briefing.pipeline import Extractor
from briefing.progress import Progress, quiet
from briefing.store.database import Store
from briefing.text.names import NOT_NAMES, name_words, same_speaker
from briefing.text.segment import split_sentences
from briefing.text.words import word_runs, words
from briefing.track.actors import load_actors

SEED_GOLD_FORMAT = "brief-seed-gold"
RUN = 5  # words two texts must share in a row to be "the same words"


@dataclass(frozen=True)
class GoldPosition:
    actor: str
    speaker: str
    evidence: tuple[str, ...]
    topic: str
    topic_ok: tuple[str, ...]
    stance: str | None
    stance_ok: tuple[str, ...] | None
    required: bool
    note: str = ""
    actor_ok: tuple[str, ...] = ()  # other actor ids that count (version 2); the actor always

    def label(self) -> str:
        return f"{self.speaker} on {self.topic}: {self.evidence[0]}"


@dataclass(frozen=True)
class GoldArticle:
    name: str
    published: str | None
    text: str
    positions: tuple[GoldPosition, ...]
    non_positions: tuple[str, ...]


def is_seed_gold(path: Path) -> bool:
    """Whether `path` is a seed-gold JSON file (read only its start: gold files are small)."""
    if not path.is_file() or path.suffix.lower() != ".json":
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == SEED_GOLD_FORMAT


def _gold_position(raw: Mapping[str, Any]) -> GoldPosition:
    stance_ok = raw.get("stance_ok")
    return GoldPosition(
        actor=str(raw["actor"]),
        speaker=str(raw["speaker"]),
        evidence=tuple(str(e) for e in raw["evidence"]),
        topic=str(raw["topic"]),
        topic_ok=tuple(str(t) for t in raw.get("topic_ok") or [raw["topic"]]),
        stance=raw.get("stance"),
        stance_ok=None if stance_ok is None else tuple(str(s) for s in stance_ok),
        required=bool(raw.get("required", True)),
        note=str(raw.get("note", "")),
        actor_ok=tuple(str(a) for a in raw.get("actor_ok") or ()),
    )


def read_seed_gold(path: Path) -> list[GoldArticle]:
    """The articles of a seed-gold file, sorted by name; a malformed file is one clear error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedGoldError(f"cannot read {path} ({exc.strerror}): check the path") from None
    except ValueError as exc:
        raise SeedGoldError(f"{path} is not valid JSON ({exc}): fix the file") from None
    if not isinstance(data, dict) or data.get("format") != SEED_GOLD_FORMAT:
        raise SeedGoldError(f'{path} is not a seed-gold file (no "format": "{SEED_GOLD_FORMAT}")')
    try:
        articles = [
            GoldArticle(
                name=str(name),
                published=entry.get("published"),
                text=str(entry["text"]),
                positions=tuple(_gold_position(p) for p in entry["positions"]),
                non_positions=tuple(str(n) for n in entry.get("non_positions", [])),
            )
            for name, entry in data["articles"].items()
        ]
    except (KeyError, TypeError, AttributeError) as exc:
        raise SeedGoldError(f"{path} is not a valid seed-gold file (missing {exc})") from None
    return sorted(articles, key=lambda a: a.name)


def shares_run(copied: Sequence[str], evidence: str) -> bool:
    """Whether the copied words share a run of five words with `evidence` (or contain it whole,
    when it is shorter)."""
    target = words(evidence)
    if not target:
        return False
    if len(target) >= RUN:
        return bool(word_runs(copied, RUN) & word_runs([evidence], RUN))
    whole = re.compile(r"(?:^| )" + re.escape(" ".join(target)) + r"(?: |$)")
    return any(whole.search(" ".join(words(text))) for text in copied)


def same_actor(predicted: str, speakers: Sequence[str]) -> bool:
    """Whether a predicted speaker names the gold actor known by `speakers`: the same speaker
    (briefing.text.names), or every telling word of one name is in the other ("the Foreign
    Ministry" and "Russia's Foreign Ministry")."""
    mine = set(name_words(predicted)) - NOT_NAMES
    for speaker in speakers:
        if same_speaker(predicted, speaker):
            return True
        theirs = set(name_words(speaker)) - NOT_NAMES
        if mine and theirs and (mine <= theirs or theirs <= mine):
            return True
    return False


@dataclass(frozen=True)
class _Match:
    predicted: Position
    gold: GoldPosition | None  # the gold position matched (same actor and words)
    words_of: GoldPosition | None  # a gold position whose words match, whatever its actor
    non_position: bool


# Names the seed gold's "about" gives for actor ids that no gold position is spoken by: "russia:
# Russia, Moscow as speaker; us: Washington, US officials".
_ACTOR_NAMES = {
    "russia": ["Russia", "Moscow", "the Russian side"],
    "us": ["Washington", "US officials", "U.S. officials", "the United States"],
}


def _speakers_of(articles: Sequence[GoldArticle]) -> dict[str, list[str]]:
    """Each gold actor's names: as the gold writes its speakers, in any article, and its id."""
    speakers: dict[str, list[str]] = {}
    for article in articles:
        for gold in article.positions:
            speakers.setdefault(gold.actor, []).append(gold.speaker)
    for actor in {a for art in articles for g in art.positions for a in (g.actor, *g.actor_ok)}:
        names = speakers.setdefault(actor, [])
        names.extend(_ACTOR_NAMES.get(actor, [actor.replace("_", " ")]))
    return speakers


def _right_actor(speaker: str, gold: GoldPosition, speakers_of: dict[str, list[str]]) -> bool:
    if same_actor(speaker, speakers_of[gold.actor]):
        return True
    return any(same_actor(speaker, speakers_of[a]) for a in gold.actor_ok if a != gold.actor)


def _match(
    position: Position,
    article: GoldArticle,
    speakers_of: dict[str, list[str]],
    matched: Collection[int] = (),
) -> _Match:
    """The gold position a briefed one matches. Among those of the right actor whose words it
    shares, one no earlier entry matched (`matched`: their indices) comes first: an entry that
    adds a position the briefing had not shown yet is no duplicate, whichever it also repeats.
    Then a required position, then the first in the file."""
    by_words = [
        g for g in article.positions if any(shares_run(position.quotes, e) for e in g.evidence)
    ]
    right = [
        (i, g)
        for i, g in enumerate(article.positions)
        if g in by_words and _right_actor(position.speaker, g, speakers_of)
    ]
    right.sort(key=lambda pair: (pair[0] in matched, not pair[1].required))
    non_position = not by_words and any(
        shares_run(position.quotes, n) for n in article.non_positions
    )
    return _Match(
        position, right[0][1] if right else None, by_words[0] if by_words else None, non_position
    )


def _duplicates(article: GoldArticle, mine: Sequence[_Match]) -> list[str]:
    """The gold positions matched again by a later briefed position, one line each."""
    seen: set[int] = set()
    again = []
    for m in mine:
        if m.gold is None:
            continue
        index = article.positions.index(m.gold)
        if index in seen:
            again.append(f"{article.name}: {m.gold.label()}")
        seen.add(index)
    return again


def _matches(
    positions: Sequence[Position], article: GoldArticle, speakers_of: dict[str, list[str]]
) -> list[_Match]:
    """The article's briefed positions matched in their order (see `_match`)."""
    mine: list[_Match] = []
    matched: set[int] = set()
    for p in positions:
        if p.valid:
            mine.append(_match(p, article, speakers_of, matched))
            if mine[-1].gold is not None:
                matched.add(article.positions.index(mine[-1].gold))
    return mine


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 3)


def score_positions(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Position]]
) -> dict[str, Any]:
    """The position scores of `predicted` (article name -> its positions) against the gold."""
    matches: list[_Match] = []
    found: set[tuple[str, int]] = set()
    invalid = 0
    duplicates: list[str] = []
    per_article: list[dict[str, Any]] = []
    speakers_of = _speakers_of(articles)
    for article in articles:
        positions = list(predicted.get(article.name, []))
        invalid += sum(not p.valid for p in positions)
        mine = _matches(positions, article, speakers_of)
        matches.extend(mine)
        hits = {(article.name, article.positions.index(m.gold)) for m in mine if m.gold}
        duplicates.extend(_duplicates(article, mine))
        found |= hits
        required = [i for i, g in enumerate(article.positions) if g.required]
        per_article.append(
            {
                "name": article.name,
                "required": len(required),
                "found": sum((article.name, i) in hits for i in required),
                "briefed": len(mine),
                "real": sum(m.gold is not None for m in mine),
                "misses": [
                    article.positions[i].label() for i in required if (article.name, i) not in hits
                ],
            }
        )
    required_total = sum(a["required"] for a in per_article)
    required_found = sum(a["found"] for a in per_article)
    paired = [m for m in matches if m.gold is not None]
    worded = [m for m in matches if m.words_of is not None]
    staned = [m for m in paired if m.gold and m.gold.stance_ok is not None]
    return {
        "format": "brief-position-report",
        "version": 2,
        "articles": len(articles),
        "required": required_total,
        "required_found": required_found,
        "recall": _share(required_found, required_total),
        "found_any": len(found),
        "briefed": len(matches),
        "invalid": invalid,
        "precision": _share(len(paired), len(matches)),
        "duplicates": len(duplicates),
        "duplicate_of": duplicates,
        "speaker": _share(sum(m.gold is not None for m in worded), len(worded)),
        "topic": _share(
            sum(m.predicted.topic in m.gold.topic_ok for m in paired if m.gold), len(paired)
        ),
        "stance": _share(
            sum(m.predicted.stance in (m.gold.stance_ok or ()) for m in staned if m.gold),
            len(staned),
        ),
        "non_positions_briefed": sum(m.non_position for m in matches),
        "per_article": per_article,
    }


def format_position_table(report: Mapping[str, Any]) -> str:
    """The scores in a few lines, then the missed required positions by name."""

    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    lines = [
        (
            f"required positions found  {report['required_found']} of {report['required']}"
            f" (recall {cell(report['recall'])})"
        ),
        (
            f"precision                 {cell(report['precision'])}"
            f" ({report['briefed']} briefed, {report['invalid']} held for review)"
        ),
        (
            f"speaker / topic / stance  {cell(report['speaker'])} / {cell(report['topic'])}"
            f" / {cell(report['stance'])}"
        ),
        f"non-positions briefed     {report['non_positions_briefed']}",
        f"duplicates                {report.get('duplicates', 0)} (a gold position matched again)",
    ]
    misses = [(a["name"], m) for a in report["per_article"] for m in a["misses"]]
    if misses:
        lines.append("missed:")
        lines.extend(f"  {name}: {miss}" for name, miss in misses)
    return "\n".join(lines) + "\n"


def gold_articles_as_articles(articles: Sequence[GoldArticle]) -> list[Article]:
    """The gold texts as articles, normalised as `brief ingest` would, so that an evaluation
    asks the model exactly what a briefing of the same articles asks (and replays the same
    recorded answers)."""
    made = []
    for gold in articles:
        text, removed = normalise_text(gold.text)
        published = dt.date.fromisoformat(gold.published) if gold.published else None
        made.append(
            Article(
                id=article_id(text),
                text=text,
                origin=gold.name,
                published=published,
                removed=removed,
            )
        )
    return made


def run_seed_gold(
    store: Store,
    client: ModelClient,
    settings: Settings,
    articles: Sequence[GoldArticle],
    progress: Progress = quiet,
) -> dict[str, Any]:
    """Extract the gold articles (cached like every model call) and score their positions."""
    made = gold_articles_as_articles(articles)
    for article in made:
        store.add_article(article, split_sentences(article.text))
    extractor = Extractor(store, client, settings, progress)
    extractor.extract(made)
    book, keywords = load_actors(settings), extractor.keywords
    predicted = {
        gold.name: briefed_entries(extractor.positions_of(a)[0], book, a.text, keywords)
        for gold, a in zip(articles, made)
    }
    report = score_positions(articles, predicted)
    report["run"] = {"provider": client.provider, "model": client.model}
    return report
