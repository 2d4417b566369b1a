"""One entry per statement within an article: a reported line and its quotation, or one
statement the finder split in two, are one entry with all their evidence.

The one owner of that rule (across outlets, `briefing.track.statements` owns "the same words
reported twice"). Two positions of one article with the same voice (the institution a
spokesperson speaks for, else the actor) are parts of one statement when

* they share an evidence sentence ("said X, adding that Y"), or
* one is reported speech and the next sentence a quotation that continues it: attributed with
  a pronoun or not at all ("Peskov said Russia is waiting for Washington." then "“As soon as
  they are ready, our American counterparts will inform us,” he said."), or that shares at
  least two content words with it (by their first five letters: "Ukraine" and "Ukrainians");
  a quotation the article gives its own named speaker again ("... Kowalski told reporters"),
  on other words, is a statement of its own; or
* their words share a run of four content words (a paraphrase, a few sentences away);

and they are on the same topic (tried on the seed gold: letting a continuing quotation join a
reported line the model filed under another topic merged distinct views and lost a required
position for one duplicate fewer); and their stances do not disagree: a group holds at most one stated
stance ("no stance stated" joins any). So two views of one speaker on one topic ("excluded" in
one sentence, "a threat" two sentences on, both reported) stay two entries, and a statement
whose stance changed inside the article is never hidden in another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from briefing.models import Position

T = TypeVar("T")
SHARED_CONTENT_WORDS = 4
SHARED_STEMS = 2
# How a quotation names its speaker when it goes on with the sentence before: "he said".
_CONTINUING = frozenset("he she they we it i".split())

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


def _continues(reported: Position, quoted: Position, named_as: str | None) -> bool:
    """Whether a quotation goes on with the reported line just before it."""
    if not any(j - i == 1 for i in reported.evidence for j in quoted.evidence):
        return False
    if named_as is None or named_as.casefold() in _CONTINUING:
        return True
    return len(_stems(reported.quotes) & _stems(quoted.quotes)) >= SHARED_STEMS


def link(
    a: Position, b: Position, b_named_as: str | None = None, a_named_as: str | None = None
) -> str | None:
    """How two positions (same article and voice) are parts of one statement: "sentence"
    (they share one), "continues" (a quotation going on with the reported line before it),
    "paraphrase" (a run of content words in common), or None. `*_named_as` is how the article
    names each one's speaker (its source words), None when it does not."""
    if set(a.evidence) & set(b.evidence):
        return "sentence"
    if a.kind == "reported" and b.kind == "direct" and _continues(a, b, b_named_as):
        return "continues"
    if b.kind == "reported" and a.kind == "direct" and _continues(b, a, a_named_as):
        return "continues"
    return "paraphrase" if _share_run(a.quotes, b.quotes) else None


def _stated(p: Position) -> str | None:
    return p.stance if p.stance_stated else None


def _joins(group: list[T], item: T, read: Reading[T]) -> bool:
    first, p = read.position(group[0]), read.position(item)
    if first.article_id != p.article_id or read.voice(group[0]) != read.voice(item):
        return False
    stances = {s for g in group if (s := _stated(read.position(g)))}
    mine = _stated(p)
    if mine is not None and stances and stances != {mine}:
        return False
    if read.topic(group[0]) != read.topic(item):
        return False
    return any(
        link(read.position(g), p, read.speaker_words(item), read.speaker_words(g)) for g in group
    )


def statement_groups(items: Sequence[T], read: Reading[T]) -> list[list[T]]:
    """The items grouped into statements, each group in the items' order, groups in the order
    of their first item."""
    groups: list[list[T]] = []
    # Only a group of the same article and voice can take an item (`_joins`): the groups are
    # looked up by those, in the order they began, rather than all of a day's tried in turn.
    by_voice: dict[tuple[str, str], list[list[T]]] = {}
    for item in items:
        same = by_voice.setdefault((read.position(item).article_id, read.voice(item)), [])
        home = next((group for group in same if _joins(group, item, read)), None)
        if home is None:
            groups.append([item])
            same.append(groups[-1])
        else:
            home.append(item)
    return groups


def merged_position(group: Sequence[Position]) -> Position:
    """One position standing for a group: the first part's speaker, id and topic, the stance stated by any part, every part's evidence, spans and quotations (in the text's
    order), and the kind "direct" when any part is a quotation."""
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
            "kind": "direct" if any(p.kind == "direct" for p in group) else first.kind,
            "evidence": sorted({i for p in group for i in p.evidence}),
            "spans": [s for s, _ in parts],
            "quotes": [q for _, q in parts],
        }
    )
