"""One entry per statement within an article: a reported line and its quotation, or one
statement the finder split in two, are one entry with all their evidence.

The one owner of that rule (across outlets, `briefing.track.statements` owns "the same words
reported twice"). Two positions of one article are parts of one statement when they have the
same voice (the institution a spokesperson speaks for, else the actor) and the same topic, and

* they share an evidence sentence ("said X, adding that Y"), or
* one is a quotation and the other reported speech in the sentence next to it, and they share
  at least two content words (by their first five letters: "Ukraine" and "Ukrainians"):
  "Peskov said the position on foreign troops is unchanged." then "“Our position on foreign
  contingents ... is well known,” he said."; a quotation on something else next to a reported
  line ("said the talks would resume." then "“We expect the first ships in January”") is a
  statement of its own; or
* their words share a run of four content words (a paraphrase of the quotation, a few
  sentences away);

and their stances do not disagree: a group holds at most one stated stance ("no stance stated"
joins any). So two views of one speaker on one topic ("excluded" in one sentence, "a threat"
two sentences on, both reported) stay two entries, and a statement whose stance changed inside
the article is never hidden in another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

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


def parts_of_one_statement(a: Position, b: Position) -> bool:
    """Whether two positions (same article, voice and topic) are parts of one statement."""
    if set(a.evidence) & set(b.evidence):
        return True
    if (
        a.kind != b.kind
        and any(abs(i - j) <= 1 for i in a.evidence for j in b.evidence)
        and len(_stems(a.quotes) & _stems(b.quotes)) >= SHARED_STEMS
    ):
        return True
    return _share_run(a.quotes, b.quotes)


def _stated(p: Position) -> str | None:
    return p.stance if p.stance_stated else None


def statement_groups(
    items: Sequence[T],
    position: Callable[[T], Position],
    voice: Callable[[T], str],
    topic: Callable[[T], str],
) -> list[list[T]]:
    """The items grouped into statements, each group in the items' order, groups in the order
    of their first item. `position`, `voice` and `topic` read an item (a position, or a
    tracking entry that holds one)."""
    groups: list[list[T]] = []
    for item in items:
        p = position(item)
        home = None
        for group in groups:
            first = position(group[0])
            if (
                first.article_id != p.article_id
                or voice(group[0]) != voice(item)
                or topic(group[0]) != topic(item)
            ):
                continue
            stances = {s for g in group if (s := _stated(position(g)))}
            mine = _stated(p)
            if mine is not None and stances and stances != {mine}:
                continue
            if any(parts_of_one_statement(position(g), p) for g in group):
                home = group
                break
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    return groups


def merged_position(group: Sequence[Position]) -> Position:
    """One position standing for a group: the first part's speaker and id, the stance stated
    by any part, every part's evidence, spans and quotations (in the text's order), and the
    kind "direct" when any part is a quotation."""
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
