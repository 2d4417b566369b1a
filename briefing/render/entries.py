"""The entries of a day's briefing: one per statement, built from the day's briefed positions.

A reported line and its quotation are parts of one statement (`briefing.track.merge` owns that
rule); an entry shows the quotation when there is one, else the reported words, and carries
every part. Its tracking label is the strongest of its parts' (shifted, new, reiterated,
again), with the statement that label is against. Pure: no store, no model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.find.layout import furniture_sentences
from briefing.models import Position
from briefing.text.names import speaker_key
from briefing.track.entries import Entry, Statement
from briefing.track.merge import (
    Reading,
    parts_said_by,
    shown_part,
    statement_groups,
    topic_part,
)

# Which part's label an entry shows: the one that tells the reader most.
_LABEL_RANK = {"shifted": 0, "new": 1, "reiterated": 2, "again": 3}


@dataclass
class Part:
    position: Position
    entry: Entry | None  # None: the briefing is rendered without tracking
    statement: Statement | None

    @property
    def voice(self) -> str:
        if self.entry is not None:
            return self.entry.actor.voice
        return speaker_key(self.position.speaker)

    @property
    def topic(self) -> str:
        return self.entry.topic if self.entry is not None else self.position.topic


@dataclass
class BriefEntry:
    """One statement as the briefing shows it."""

    number: int
    parts: list[Part]
    # The shown speaker's role as an article of the day gives it, for every entry.
    day_role: str = ""

    @property
    def first(self) -> Position:
        """The part that speaks for the entry (`briefing.track.merge.shown_part`)."""
        return self._shown.position

    @property
    def _said_by(self) -> list[Position]:
        """The parts said by the speaker shown (by any of their names)."""
        return parts_said_by([p.position for p in self.parts], self.first.speaker)

    @property
    def name(self) -> str:
        """The fullest name the parts give the speaker shown ("Peskov", then a quotation by
        "Dmitry Peskov": Dmitry Peskov)."""
        return max((p.speaker for p in self._said_by), key=len)

    @property
    def _shown(self) -> Part:
        return self.parts[shown_part([p.position for p in self.parts])]

    @property
    def topic(self) -> str:
        """The topic of the part `briefing.track.merge.topic_part` chooses (a part's words
        name its topic as tracking checked it): a statement is filed as it was merged."""
        in_words = {id(p.position): p.entry is None or p.entry.topic_in_words for p in self.parts}
        chosen = topic_part([p.position for p in self.parts], lambda q: in_words[id(q)])
        return next(p.topic for p in self.parts if p.position is chosen)

    @property
    def voice(self) -> str:
        return self.parts[0].voice

    @property
    def actor_id(self) -> str | None:
        entry = self._shown.entry
        return entry.actor.id if entry is not None else None

    @property
    def speaker(self) -> str:
        """The speaker as the article names them; a place standing for an institution says
        which ("Moscow (the Kremlin)")."""
        entry = self._shown.entry
        if entry is not None and entry.metonym:
            return f"{self.name} ({entry.actor.name})"
        return self.name

    @property
    def role(self) -> str:
        """The role of the speaker shown: a part said by another voice of the same actor (the
        spokesman of the Kremlin shown, a campaign spokesman's line and the candidate's
        quotation) lends no role ("Kremlin (Kremlin spokesman)")."""
        return next((p.role for p in self._said_by if p.role), self.day_role)

    @property
    def stated(self) -> Position | None:
        """The part whose stance is a finding, if any part's is."""
        return next((p.position for p in self.parts if p.position.stance_stated), None)

    @property
    def stance(self) -> str:
        stated = self.stated
        return stated.stance if stated is not None else "no stance stated"

    @property
    def direct(self) -> bool:
        return any(p.position.kind == "direct" for p in self.parts)

    @property
    def shown(self) -> list[Position]:
        """The parts whose words the page shows: the quotations, or the reported words when
        the statement has no quotation."""
        if self.direct:
            return [p.position for p in self.parts if p.position.kind == "direct"]
        return [p.position for p in self.parts]

    @property
    def statement(self) -> Statement | None:
        """The statement of the part with the most telling label."""
        tracked = [p.statement for p in self.parts if p.statement is not None]
        if not tracked:
            return None
        return min(tracked, key=lambda s: _LABEL_RANK.get(s.label, 9))

    @property
    def entry(self) -> Entry | None:
        statement = self.statement
        for part in self.parts:
            if part.statement is statement:
                return part.entry
        return None

    @property
    def date(self) -> dt.date | None:
        entry = self.parts[0].entry
        return entry.date if entry is not None else None

    @property
    def outlets(self) -> int:
        return max((len(p.statement.outlets) for p in self.parts if p.statement), default=1)


def brief_entries(
    positions: list[Position], tracked: dict[str, Statement] | None
) -> list[BriefEntry]:
    """The day's positions as entries, numbered in the order of their first part."""
    parts = []
    # Each statement's entries by position key (the first of a key), made once per statement:
    # a statement reported by many outlets has many entries, and many of the day's positions.
    by_key: dict[int, dict[str, Entry]] = {}
    for p in positions:
        statement = tracked.get(p.key) if tracked is not None else None
        entry = None
        if statement is not None:
            keyed = by_key.get(id(statement))
            if keyed is None:
                keyed = by_key[id(statement)] = {}
                for e in statement.entries:
                    keyed.setdefault(e.position.key, e)
            entry = keyed.get(p.key)
        parts.append(Part(p, entry, statement))
    groups = statement_groups(parts, READING)
    # A role the article gives beside the name once ("Kremlin spokesperson Dmitry Peskov") is
    # the speaker's on each of their entries, not only on the one that sentence made.
    roles: dict[str, str] = {}
    for p in positions:
        if p.role:
            roles.setdefault(speaker_key(p.speaker), p.role)
    briefed = [BriefEntry(n, group) for n, group in enumerate(groups, start=1)]
    for shown in briefed:
        shown.day_role = roles.get(speaker_key(shown.first.speaker), "")
    return briefed


def _speaker_words(part: Part) -> str | None:
    """How the article names the part's speaker: its source words."""
    source = part.position.source
    if source is None or part.entry is None:
        return None
    return part.entry.article.text[source[0] : source[1]]


def _furniture(part: Part) -> frozenset[int]:
    """The page furniture among the sentences of the part's article."""
    return frozenset() if part.entry is None else furniture_sentences(part.entry.article.text)


READING: Reading[Part] = Reading(
    position=lambda part: part.position,
    voice=lambda part: part.voice,
    topic=lambda part: part.topic,
    speaker_words=_speaker_words,
    furniture=_furniture,
)
