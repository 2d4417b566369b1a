"""One entry per statement within an article: a reported line and its quotation, or one
statement reported in two neighbouring sentences, are one entry with all their evidence.

The one owner of that rule (across outlets, `briefing.track.statements` owns "the same words
reported twice"; grounding joins only the parts of one sentence). Two positions of one article
with the same voice (the institution a spokesperson speaks for, else the actor) are parts of
one statement when

* they share an evidence sentence ("said X, adding that Y") and a topic; or
* one is reported speech and a quotation that continues it begins in the next sentence: on the
  same topic and attributed with words that name no one ("he said", "the spokesman said") or
  not at all ("Peskov said Russia is waiting for Washington." then "“As soon as they are
  ready, our American counterparts will inform us,” he said."), or, whatever the topic the
  model gave each and however it is attributed, sharing at least two content words with it (by
  their first five letters: "Ukraine" and "Ukrainians"). A quotation right after one of the
  statement's own quotations is a point of its own ("“We cannot yet name the exact dates,” he
  said. “The Russian side maintains its determination ...,” he added."), and so is one found
  again far away and joined to it: the quotation must begin right after a sentence of the
  reported line; or
* one reported line goes on in the next sentence (“The ministry has previously described ...”
  after “Russia's Foreign Ministry has repeatedly stressed ...”): on the same topic or sharing
  two content words, and adding no second stated stance unless it names no one ("He also said
  that this would be “dangerous and unacceptable”"): two neighbouring lines that each take a
  side are two views, even the same side ("had heard ... that Ukraine's NATO membership is
  excluded", then "Peskov reiterated ... that Ukrainian accession to NATO poses a threat"); or
* their words share a run of four content words and a topic (a paraphrase, a few sentences
  away);

and their stances do not disagree: a group holds at most one stated stance ("no stance stated"
joins any), so a statement whose stance changed inside the article is never hidden in another.
A part joins the nearest statement that can take it.

Tried on the seed gold: letting a continuing quotation on another topic join whatever its words
merged a view into the reported line before it ("the topic is not entirely closed to dialogue"
and "We will not discuss ... through the media"), hence the two words in common.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from briefing.extract.ground import names_no_one
from briefing.models import Position

T = TypeVar("T")
SHARED_CONTENT_WORDS = 4
SHARED_STEMS = 2

# Words too common to make two statements the same by sharing them.
_FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at for with by from as is are was were be been being it its "
    "this that these those he she they we i you his her their our my your him them us not no "
    "will would can could should must may might has have had do does did said says say".split()
)


@dataclass(frozen=True)
class Reading(Generic[T]):
    """How `statement_groups` reads an item (a position, or a tracking entry holding one)."""

    position: Callable[[T], Position]
    voice: Callable[[T], str]
    topic: Callable[[T], str]
    speaker_words: Callable[[T], str | None] = lambda _: None  # how the article names the speaker


def _content_words(texts: Sequence[str]) -> list[list[str]]:
    return [
        [w for w in re.findall(r"\w+", t.casefold().replace("’", "'")) if w not in _FUNCTION_WORDS]
        for t in texts
    ]


def _share_run(a: Sequence[str], b: Sequence[str], run: int = SHARED_CONTENT_WORDS) -> bool:
    grams = {
        tuple(words[i : i + run])
        for words in _content_words(a)
        for i in range(len(words) - run + 1)
    }
    return any(
        tuple(words[i : i + run]) in grams
        for words in _content_words(b)
        for i in range(len(words) - run + 1)
    )


def _stems(texts: Sequence[str]) -> set[str]:
    return {w[:5] for words in _content_words(texts) for w in words if len(w) > 3}


def _continues(
    reported: Position, quoted: Position, named_as: str | None, same_topic: bool
) -> bool:
    """Whether a quotation goes on with the reported line just before it."""
    if min(quoted.evidence) - 1 not in reported.evidence:
        return False
    if same_topic and (named_as is None or names_no_one(named_as)):
        return True
    return _share_stems(reported, quoted)


def _goes_on(first: Position, then: Position, same_topic: bool) -> bool:
    """Whether a reported line goes on with the reported line in the sentence before it."""
    if min(then.evidence) - 1 not in first.evidence:
        return False
    return same_topic or _share_stems(first, then)


def _share_stems(a: Position, b: Position) -> bool:
    return len(_stems(a.quotes) & _stems(b.quotes)) >= SHARED_STEMS


def link(
    a: Position,
    b: Position,
    b_named_as: str | None = None,
    a_named_as: str | None = None,
    same_topic: bool = True,
) -> str | None:
    """How two positions (same article and voice) are parts of one statement: "sentence"
    (they share one), "continues" (a quotation going on with the reported line before it),
    "goes on" (a reported line going on with the one before it), "paraphrase" (a run of
    content words in common), or None. `*_named_as` is how the article names each one's
    speaker (its source words), None when it does not; `same_topic`, whether the model filed
    them under one topic."""
    if set(a.evidence) & set(b.evidence):
        return "sentence" if same_topic else None
    if a.kind == "reported" and b.kind == "direct" and _continues(a, b, b_named_as, same_topic):
        return "continues"
    if b.kind == "reported" and a.kind == "direct" and _continues(b, a, a_named_as, same_topic):
        return "continues"
    if a.kind == b.kind == "reported":
        first, then = (a, b) if min(a.evidence) < min(b.evidence) else (b, a)
        if _goes_on(first, then, same_topic):
            return "goes on"
    return "paraphrase" if same_topic and _share_run(a.quotes, b.quotes) else None


def _stated(p: Position) -> str | None:
    return p.stance if p.stance_stated else None


def _joins(group: list[T], item: T, read: Reading[T]) -> bool:
    first, p = read.position(group[0]), read.position(item)
    if first.article_id != p.article_id or read.voice(group[0]) != read.voice(item):
        return False
    parts = [read.position(g) for g in group]
    stances = {s for g in parts if (s := _stated(g))}
    mine = _stated(p)
    if mine is not None and stances and stances != {mine}:
        return False
    named_as = read.speaker_words(item)
    links = {
        link(g, p, named_as, read.speaker_words(part), read.topic(part) == read.topic(item))
        for g, part in zip(parts, group, strict=True)
    }
    if p.kind == "direct" and _after_quotation(p, parts):
        links.discard("continues")
    if mine is not None and stances and (named_as is None or not names_no_one(named_as)):
        links.discard("goes on")  # a second view, even on the same side
    return bool(links - {None})


def _after_quotation(quoted: Position, group: Sequence[Position]) -> bool:
    """Whether a quotation begins right after one of the statement's own quotations."""
    before = min(quoted.evidence) - 1
    return any(g.kind == "direct" and before in g.evidence for g in group)


def statement_groups(items: Sequence[T], read: Reading[T]) -> list[list[T]]:
    """The items grouped into statements, each group in the items' order, groups in the order
    of their first item."""
    groups: list[list[T]] = []
    # Only a group of the same article and voice can take an item (`_joins`): the groups are
    # looked up by those, rather than all of a day's tried in turn, the latest begun first
    # (the nearest statement that can take it: "adding that this aligns" joins its sentence).
    by_voice: dict[tuple[str, str], list[list[T]]] = {}
    for item in items:
        same = by_voice.setdefault((read.position(item).article_id, read.voice(item)), [])
        home = next((group for group in reversed(same) if _joins(group, item, read)), None)
        if home is None:
            groups.append([item])
            same.append(groups[-1])
        else:
            home.append(item)
    return groups


def merged_position(group: Sequence[Position]) -> Position:
    """One position standing for a group: the first part's speaker and id, the stance stated by
    a part and that part's topic (a stance is on a topic: "supports" of "Ukraine is counting on
    further sanctions" is no view on NATO, the topic of the line before it), else the topic of
    its first quotation (the words a briefing shows) or of its first part, every part's
    evidence, spans and quotations (in the text's order), and the kind "direct" when any part
    is a quotation."""
    first = group[0]
    if len(group) == 1:
        return first
    stated = next((p for p in group if p.stance_stated), first)
    parts = sorted(
        {(s, q) for p in group for s, q in zip(p.spans, p.quotes, strict=False)},
        key=lambda pair: pair[0],
    )
    return first.model_copy(
        update={
            "role": next((p.role for p in group if p.role), ""),
            "stance": stated.stance,
            "stance_basis": stated.stance_basis,
            "topic": topic_part(group).topic,
            "kind": "direct" if any(p.kind == "direct" for p in group) else first.kind,
            "evidence": sorted({i for p in group for i in p.evidence}),
            "spans": [s for s, _ in parts],
            "quotes": [q for _, q in parts],
        }
    )


def topic_part(group: Sequence[Position]) -> Position:
    """The part whose topic a group is filed under: the one whose stance is a finding (a stance
    is on a topic), else its first quotation (the words shown), else its first part. The
    briefing's entries (`briefing.render.entries.BriefEntry.topic`) file by it too."""
    return next(
        (p for p in group if p.stance_stated),
        next((p for p in group if p.kind == "direct"), group[0]),
    )
