"""The attribution finder's public face: `find_attributions(text)` -> numbered `Candidate`s.

This module owns putting the passes together and the record they produce. For an article it
marks the sentences that can hold no candidate (`layout`), finds the cues of every other sentence
(`cues`), takes the quotations with their attributions (`quotes`), then the reported statements
(`reported`) and those laid out by paragraphs (`blocks`: transcript lines, "He added:" before
a paragraph), drops a quoted phrase that lies inside a reported statement (it is part of that
statement's content), resolves every source to an actor (`speakers`) in text order, so a pronoun
can point back to an earlier speaker, and numbers the candidates.

Pure: no model, no network, no state; the same text always gives the same candidates. (The
suspected instructions `find_attributions` marks are remembered by the text's digest, so that
the briefing that follows an extraction does not lay the article out and mark it again.)
"""

from __future__ import annotations

import hashlib
import threading
from typing import Literal

from pydantic import BaseModel, ConfigDict

from briefing.find.blocks import block_drafts, transcript_drafts
from briefing.find.cues import Cue, find_cues
from briefing.find.draft import Draft
from briefing.find.gender import gender_words
from briefing.find.instructions import instruction_words
from briefing.find.layout import mark_exclusions
from briefing.find.lexicon import grammar, lexicon
from briefing.find.quotes import direct_drafts
from briefing.find.reported import reported_drafts
from briefing.find.resolve import resolve
from briefing.find.speakers import Registry, Speaker
from briefing.find.tokens import Layout, Span, build_layout


class Candidate(BaseModel):
    """One statement the article attributes to someone, with exact character spans."""

    model_config = ConfigDict(frozen=True)

    index: int  # 1-based, in text order
    kind: Literal["direct", "reported"]  # direct: the content is inside quotation marks
    content: tuple[Span, ...]  # the words said: quotation parts, or the reported clause
    cue: Span | None  # "said", "told reporters", "according to", ...
    source: Span | None  # the words naming the source near the cue
    speaker: str | None  # the resolved actor, as the article names them most fully
    resolution: Literal["name", "role", "institution", "pronoun", "unresolved"]
    sentences: tuple[int, ...]  # Sentence.index values the content lies in


def _inside(span: Span, other: Span) -> bool:
    return other[0] <= span[0] and span[1] <= other[1]


def _drop_embedded(direct: list[Draft], reported: list[Draft], text: str) -> list[Draft]:
    """Quotations that lie inside a reported statement's content are part of it ('Trump
    tweeted that Machado was “disgusting”'), unless the quotation is that whole content."""
    kept = []
    for draft in direct:
        inside = [
            r
            for r in reported
            if all(any(_inside(part, c) for c in r.content) for part in draft.content)
        ]
        words = sum(len(text[s:e].split()) for s, e in draft.content)
        whole = any(words + 1 >= sum(len(text[s:e].split()) for s, e in r.content) for r in inside)
        if inside and not whole:
            continue
        if inside and whole:
            reported[:] = [r for r in reported if r not in inside]
        kept.append(draft)
    return kept


def _drafts(layout: Layout) -> list[Draft]:
    cues: dict[int, list[Cue]] = {
        u.index: find_cues(u.tokens) for u in layout.units if u.excluded is None
    }
    # A refusal to speak ("declined to comment") introduces no quotation.
    speaking = {k: [c for c in found if c.kind != "refusal"] for k, found in cues.items()}
    direct, used = direct_drafts(layout, speaking)
    reported: list[Draft] = []
    for unit in layout.units:
        if unit.excluded is not None:
            continue
        sources = [d.source for d in direct if d.unit is unit and d.source]
        reported.extend(reported_drafts(unit, cues[unit.index], used, sources))
    reported.extend(block_drafts(layout.units, cues, used))
    transcript = transcript_drafts(layout.units)
    # Inside a transcript line, "I think ..." is the labelled speaker's content, not a new one.
    reported = [
        r for r in reported if not any(_inside(r.cue or (0, 0), t.content[0]) for t in transcript)
    ]
    reported.extend(transcript)
    direct = _drop_embedded(direct, reported, layout.text)
    return sorted(direct + reported, key=lambda d: (d.start, d.end))


def _resolve_all(drafts: list[Draft], registry: Registry) -> None:
    """Resolve sources in text order; a continuation takes its statement's speaker."""
    history: list[Speaker] = []
    for draft in drafts:
        if draft.follows is not None and draft.follows.speaker is not None:
            draft.speaker = draft.follows.speaker
        elif draft.source:
            draft.speaker = resolve(draft.source, registry, history)
        else:
            draft.speaker = Speaker(None, "unresolved")
        if draft.speaker.name is not None or _a_nameless_thing(draft):
            history.append(draft.speaker)  # "the report says": what "it" then stands for


def _a_nameless_thing(draft: Draft) -> bool:
    """A source that names no one and is no person or group: "the report", "a study" (not
    "a spokesman", "officials", "he")."""
    if draft.speaker is None or draft.speaker.resolution != "unresolved" or not draft.source:
        return False
    head = draft.source[-1].lower
    lex = lexicon()
    return (
        head.isalpha()
        and not head.endswith("s")
        and head not in lex.roles
        and head not in lex.person_pronouns | lex.group_pronouns | lex.thing_pronouns
    )


def _sentences(layout: Layout, content: list[Span]) -> tuple[int, ...]:
    found = {u.index for s, e in content for u in layout.units_over(s, e)}
    return tuple(sorted(found))


def _word_lists() -> tuple[object, ...]:
    """The finder's word lists as read (once per process; again after a test edits them)."""
    return (lexicon(), grammar(), gender_words(), instruction_words())


class _Suspects:
    """The suspected instructions of the texts laid out lately, by the text's digest (a few
    bytes each, however long the text); the oldest are forgotten past `keep`, and all of them
    when the word lists are read again."""

    def __init__(self, keep: int = 100_000) -> None:
        self._found: dict[bytes, tuple[int, ...]] = {}
        self._keep = keep
        self._lock = threading.Lock()
        self._words: tuple[object, ...] = ()

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def _check_words(self) -> None:
        words = _word_lists()
        if len(words) != len(self._words) or any(a is not b for a, b in zip(words, self._words)):
            self._found.clear()
            self._words = words

    def get(self, text: str) -> tuple[int, ...] | None:
        with self._lock:
            self._check_words()
            return self._found.get(self.key(text))

    def mark(self, layout: Layout) -> None:
        """Remember what `mark_exclusions` set aside in this layout."""
        found = tuple(u.index for u in layout.units if u.excluded == "instruction")
        with self._lock:
            self._check_words()
            self._found[self.key(layout.text)] = found
            if len(self._found) > self._keep:
                del self._found[next(iter(self._found))]


_SUSPECTS = _Suspects()


def _marked_layout(text: str) -> Layout:
    layout = build_layout(text)
    mark_exclusions(layout)
    _SUSPECTS.mark(layout)
    return layout


def suspected_instructions(text: str) -> tuple[int, ...]:
    """The sentences (Sentence.index) set aside as suspected instructions: addressed to whoever
    reads or summarises the page, and telling what someone said. None of them is a candidate;
    a briefing lists them for review, by number only, so that their words reach no page."""
    if not text.strip():
        return ()
    found = _SUSPECTS.get(text)
    if found is not None:
        return found
    layout = _marked_layout(text)
    return tuple(u.index for u in layout.units if u.excluded == "instruction")


def find_attributions(text: str) -> list[Candidate]:
    """Every statement the article attributes (or quotes), numbered in text order."""
    if not text.strip():
        return []
    layout = _marked_layout(text)
    drafts = _drafts(layout)
    _resolve_all(drafts, Registry.read(layout))
    candidates = []
    for number, draft in enumerate(drafts, start=1):
        speaker = draft.speaker or Speaker(None, "unresolved")
        candidates.append(
            Candidate(
                index=number,
                kind=draft.kind,
                content=tuple(sorted(draft.content)),
                cue=draft.cue,
                source=draft.source_span,
                speaker=speaker.name,
                resolution=speaker.resolution,
                sentences=_sentences(layout, draft.content),
            )
        )
    return candidates
