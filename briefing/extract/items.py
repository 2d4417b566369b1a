"""What the model is shown of each candidate statement: its speaker, content words and context,
built from the finder's candidates and the article's sentences; and each topic as a proposition.

Kept apart from the asking (`briefing.extract.label`) because these decide the bytes of every
request, and so which answers the cache holds: `briefing.llm.cost` counts requests built from
them before any is sent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from briefing.extract.topics import topic_file
from briefing.models import Sentence


@dataclass(frozen=True)
class LabelItem:
    """One candidate as the model sees it. `id` is the caller's (unique within a call)."""

    id: int
    speaker: str | None  # None: unresolved, the model chooses among the article's names
    content: str  # the candidate's content words
    context: str  # its sentence (and whatever the caller adds), as it stands in the article
    sentence: str | None = None  # its own sentences, when `context` holds more (for keywords)

    @property
    def texts(self) -> tuple[str, str]:
        """Where topic keywords are looked for: the content, then its own sentences."""
        return self.content, self.sentence or self.context

    @property
    def needs_context(self) -> bool:
        """Whether the model is shown the context beside the words: where the speaker is
        unknown, or the words point back to something said before ("the topic is not entirely
        closed", "such measures harm ..."). Otherwise the words alone, the speaker known: every
        word of a request is read by the model before it answers."""
        return self.speaker is None or _POINTS_BACK.search(_THAT.sub("", self.content)) is not None


# A pronoun or a demonstrative, or "the" before a noun that stands for something said before.
_POINTS_BACK = re.compile(
    r"\b(?:it|its|they|them|their|he|him|his|she|her|this|that|these|those|such|latter|former"
    r"|the (?:topic|issue|matter|question|subject|ideas?|plans?|proposals?|moves?|steps?|offers?"
    r"|measures?|decisions?|deals?|agreements?|initiatives?|talks|meeting|documents?|statements?"
    r"|remarks|comments|reports?|situation|process|options?|possibility|prospect|approach"
    r"|position|case|efforts?))\b",
    re.IGNORECASE,
)
_THAT = re.compile(r"^\W*that\b")  # "said that ...": a conjunction; "That is ..." points back


class FoundStatement(Protocol):
    """What the labeller reads of a finder candidate (`briefing.find.attributions.Candidate`)."""

    @property
    def index(self) -> int: ...
    @property
    def content(self) -> tuple[tuple[int, int], ...]: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def sentences(self) -> tuple[int, ...]: ...


def items_from_candidates(
    text: str,
    sentences: list[Sentence],
    candidates: Sequence[FoundStatement],
    previous: bool = True,
) -> list[LabelItem]:
    """The finder's candidates as the model is shown them: content parts joined by " ... ", the
    context the sentences the content lies in (and the one before, with `previous`)."""
    by_index = {s.index: s for s in sentences}
    items = []
    for candidate in candidates:
        content = " ... ".join(" ".join(text[s:e].split()) for s, e in candidate.content)
        indices = [i for i in candidate.sentences if i in by_index]
        if not indices:
            items.append(LabelItem(candidate.index, candidate.speaker, content, content))
            continue
        first = indices[0] - 1 if previous and indices[0] - 1 in by_index else indices[0]
        end = by_index[indices[-1]].end
        own = " ".join(text[by_index[indices[0]].start : end].split())
        context = " ".join(text[by_index[first].start : end].split())
        items.append(LabelItem(candidate.index, candidate.speaker, content, context, own))
    return items


def load_propositions(topics: dict[str, str], path: Path | None = None) -> dict[str, str]:
    """Each topic phrased as a proposition ([propositions] of the topic list), falling back to
    its description, in the topic list's order."""
    table = topic_file(path).propositions
    return {key: table.get(key, description) for key, description in topics.items()}
