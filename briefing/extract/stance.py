"""Stance evidence read by the program from a statement's own words.

The embedded model leans to "supports" whatever it reads (measured in issue 10), so the words of
the content are read first: a lexicon of negative, positive and opening words and phrases
(`briefing/rules/stance.toml`, data, not code), with negation scope. `read_stance` decides only
when the evidence agrees; mixed or absent evidence returns no stance and the model decides.
The lexicon assumes what it reads is said about the statement's topic: the content span is the
speaker's own clause, not the whole sentence, which keeps that assumption mostly true.

Three readings go beyond single words (issue 17):

* The speaker's own clause only: the content is cut where the writer's rebuttal or aside begins
  (", but there is no evidence", "a claim that", "which is false").
* An attitude (satisfied, welcome, hope, regret, reject) is read with what it is about: its
  object, the words after it to the end of the clause. The stance is the attitude's polarity
  times the object's: "satisfied ... Ukraine will not be invited to join" opposes the joining,
  "regret that talks will not resume" supports the talks. A negated attitude turns round first
  ("not satisfied"). The words of the object are not read again on their own.
* Negator words that negate nothing ("not only", "no doubt", "without delay") are not negators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import Field

from briefing.extract.phrases import GAP, Table, match
from briefing.models import Stance
from briefing.resources import rules_file
from briefing.rulefiles import RuleFile, read_rules

DEFAULT_LEXICON = rules_file("stance.toml")

NEGATION_REACH = 3  # a negator this many words before an entry turns it round

# A word, with an inner apostrophe (don't, Russia's); clause punctuation ends negation scope.
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[,;:.!?()\u2013\u2014]")


@dataclass(frozen=True)
class StanceLexicon:
    negative: tuple[tuple[str, ...], ...]
    positive: tuple[tuple[str, ...], ...]
    opening: tuple[tuple[str, ...], ...]
    negators: frozenset[str]
    alternatives: tuple[tuple[str, ...], ...] = ()
    # Entries of `negative` and `positive` read with their object (attitude x object).
    attitudes: frozenset[tuple[str, ...]] = frozenset()
    # Where the writer's voice begins: the content is read up to the first of these.
    asides: tuple[tuple[str, ...], ...] = ()
    # Phrases whose negator negates nothing ("not only", "no doubt").
    idioms: tuple[tuple[str, ...], ...] = ()
    # Words that end an attitude's object (with . ; : ! ?): "but", "however", ", and".
    object_ends: tuple[tuple[str, ...], ...] = ()
    # An attitude after one of `noun_before` or before one of `noun_after` is a noun: no object.
    noun_before: frozenset[str] = frozenset()
    noun_after: frozenset[str] = frozenset()

    @cached_property
    def tables(self) -> _Tables:
        """The entries compiled for matching (briefing.extract.phrases), once per lexicon."""
        return _Tables(self)


class _Tables:
    """A lexicon's entries as `Table`s, in the order `read_stance` tries them: openings first
    (they hold negators of their own: "not ruled out"), then attitudes with their objects,
    then the other negative and positive entries."""

    def __init__(self, lexicon: StanceLexicon) -> None:
        attitudes = [("-", e) for e in lexicon.negative if e in lexicon.attitudes]
        attitudes += [("+", e) for e in lexicon.positive if e in lexicon.attitudes]
        self.reading = (
            (Table([("?", e) for e in lexicon.opening]), False),
            (Table(attitudes), True),
            (Table([("-", e) for e in lexicon.negative if e not in lexicon.attitudes]), False),
            (Table([("+", e) for e in lexicon.positive if e not in lexicon.attitudes]), False),
        )
        self.asides = Table([("", e) for e in lexicon.asides])
        self.idioms = Table([("", e) for e in lexicon.idioms])
        self.object_ends = Table([("", e) for e in lexicon.object_ends])


@dataclass(frozen=True)
class StanceEvidence:
    """What the content's words say: the decided stance (None: leave it to the model) and the
    entries that matched, as `+word`, `-word`, `?word` (an opening), `not+word` (negated)."""

    stance: Stance | None
    cues: tuple[str, ...]


class _Entries(RuleFile):
    words: list[str] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)


class _Attitudes(RuleFile):
    negative: list[str] = Field(default_factory=list)
    positive: list[str] = Field(default_factory=list)
    object_ends: list[str] = Field(default_factory=list)
    noun_before: list[str] = Field(default_factory=list)
    noun_after: list[str] = Field(default_factory=list)


class _Phrases(RuleFile):
    phrases: list[str] = Field(default_factory=list)


class _Negators(RuleFile):
    words: list[str] = Field(default_factory=list)
    idioms: list[str] = Field(default_factory=list)


class StanceFile(RuleFile):
    """stance.toml; every table and list is optional (an absent one lists nothing)."""

    negative: _Entries = Field(default_factory=_Entries)
    positive: _Entries = Field(default_factory=_Entries)
    open: _Entries = Field(default_factory=_Entries)
    attitudes: _Attitudes = Field(default_factory=_Attitudes)
    asides: _Phrases = Field(default_factory=_Phrases)
    alternatives: _Phrases = Field(default_factory=_Phrases)
    negators: _Negators = Field(default_factory=_Negators)


@lru_cache(maxsize=8)
def load_lexicon(path: Path | None = None) -> StanceLexicon:
    data = read_rules(StanceFile, path or DEFAULT_LEXICON, "the stance lexicon")

    def entries(table: _Entries) -> tuple[tuple[str, ...], ...]:
        return _entries([*table.words, *table.phrases])

    def folded(words: list[str]) -> frozenset[str]:
        return frozenset(w.casefold() for w in words)

    attitudes = data.attitudes
    return StanceLexicon(
        negative=_entries(attitudes.negative) + entries(data.negative),
        positive=_entries(attitudes.positive) + entries(data.positive),
        opening=entries(data.open),
        negators=folded(data.negators.words),
        alternatives=_entries(data.alternatives.phrases),
        attitudes=frozenset(_entries([*attitudes.negative, *attitudes.positive])),
        asides=_entries(data.asides.phrases),
        idioms=_entries(data.negators.idioms),
        object_ends=_entries(attitudes.object_ends),
        noun_before=folded(attitudes.noun_before),
        noun_after=folded(attitudes.noun_after),
    )


def _entries(listed: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_tokens(str(entry))) for entry in listed if _tokens(str(entry)))


def _tokens(text: str) -> list[str]:
    lowered = text.casefold().replace("\u2019", "'").replace("\u2018", "'")
    # "..." in a lexicon entry is one gap token, not three full stops.
    parts = lowered.split(GAP)
    out: list[str] = []
    for i, part in enumerate(parts):
        if i:
            out.append(GAP)
        out.extend(_TOKEN.findall(part))
    return out


def _is_negator(word: str, negators: frozenset[str]) -> bool:
    return word in negators or word.endswith("n't")


def _negated(words: list[str], at: int, negators: frozenset[str], inert: set[int]) -> bool:
    for j in range(at - 1, max(-1, at - 1 - NEGATION_REACH), -1):
        word = words[j]
        if not word[0].isalnum():
            return False  # punctuation closes the scope
        if j not in inert and _is_negator(word, negators):
            return True
    return False


def read_stance(
    content: str, lexicon: StanceLexicon | None = None, proposition: str | None = None
) -> StanceEvidence:
    """The stance the content's own words show, or None where they are silent or mixed.
    `proposition`: the statement's topic as a proposition, what the stance is on (None: the
    words are taken to be about it)."""
    lexicon = lexicon or load_lexicon()
    tables = lexicon.tables
    words = _own_clause(_tokens(content), tables.asides)
    inert = _matched(words, tables.idioms)
    covered = _set_aside(words, lexicon.alternatives)
    found: list[tuple[int, str, str]] = []  # (position, cue, sign after negation)
    for table, with_object in tables.reading:
        for at in table.positions(words):
            if at in covered:
                continue
            for sign, entry, pattern in table.starting(words[at]):
                end = match(pattern, words, at)
                if end is None or covered.intersection(range(at, end)):
                    continue
                covered.update(range(at, end))
                own_negator = any(_is_negator(w, lexicon.negators) for w in entry)
                negated = not own_negator and _negated(words, at, lexicon.negators, inert)
                cue = ("not" if negated else "") + sign + " ".join(entry)
                sign = _turned(sign) if negated else sign
                if with_object and not _noun(words, at, end, lexicon):
                    stop = _object_end(words, end, lexicon)
                    if _object_negated(words, end, stop, lexicon, inert | covered):
                        cue, sign = cue + ">not", _times_negated(sign)
                    covered.update(range(end, stop))  # its words were read with it
                found.append((at, cue, sign))
                break
    found.sort()
    return StanceEvidence(
        stance=_decide([sign for _, _, sign in found]), cues=tuple(cue for _, cue, _ in found)
    )


def _matched(words: list[str], phrases: Table) -> set[int]:
    """The word positions of every match of `phrases`."""
    out: set[int] = set()
    for at in phrases.positions(words):
        for _, _, pattern in phrases.starting(words[at]):
            end = match(pattern, words, at)
            if end is not None:
                out.update(range(at, end))
    return out


def _own_clause(words: list[str], asides: Table) -> list[str]:
    """The words before the writer's first rebuttal or aside ("which is false", "a claim
    that"): what follows is not the speaker's. An aside at the very start is the speaker's."""
    for at in asides.positions(words, 1):
        if asides.matches_at(words, at):
            return words[:at]
    return words


def _noun(words: list[str], at: int, end: int, lexicon: StanceLexicon) -> bool:
    """Whether the attitude words[at:end] is a noun ("the support of", "praise from")."""
    before = at > 0 and words[at - 1] in lexicon.noun_before
    return before or (end < len(words) and words[end] in lexicon.noun_after)


def _object_end(words: list[str], start: int, lexicon: StanceLexicon) -> int:
    """Where the object of an attitude ending at `start` ends: at punctuation or where another
    clause joins ("but", "however")."""
    ends = lexicon.tables.object_ends
    for at in range(start, len(words)):
        if not words[at][0].isalnum() or ends.matches_at(words, at):
            return at
    return len(words)


_RELATIVE = frozenset({"that", "which", "who"})
_AUXILIARY = frozenset(
    {
        "do",
        "does",
        "did",
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "can",
        "could",
        "has",
        "have",
        "had",
        "should",
        "may",
        "might",
        "must",
    }
)


def _object_negated(
    words: list[str], start: int, end: int, lexicon: StanceLexicon, skip: set[int]
) -> bool:
    """Whether the object words[start:end] are negated (an odd number of negators), leaving
    out inert negators and those of a relative clause on a noun ("a truce that does not
    hold"); a "that" right after the attitude opens its object, not a relative clause."""
    flips = 0
    for j in range(start, end):
        if j in skip or not _is_negator(words[j], lexicon.negators):
            continue
        k = j - 1
        if k > start and words[k] in _AUXILIARY:
            k -= 1
        relative = k > start and words[k] in _RELATIVE and words[j] not in ("no", "without")
        flips += not relative
    return flips % 2 == 1


def _times_negated(sign: str) -> str:
    # welcoming that it will not happen opposes it; regretting that it will not supports it
    return {"+": "-", "-": "+", "?": "?"}[sign]


def _set_aside(words: list[str], alternatives: tuple[tuple[str, ...], ...]) -> set[int]:
    """The word positions of alternatives the speaker sets aside: from "rather than" to the next
    punctuation."""
    aside: set[int] = set()
    firsts = {entry[0] for entry in alternatives if entry}
    if len(firsts) < len({entry[:1] for entry in alternatives}):  # an empty one: everywhere
        firsts = set(words)
    for at in [at for at, word in enumerate(words) if word in firsts]:
        for entry in alternatives:
            if tuple(words[at : at + len(entry)]) == entry:
                end = at
                while end < len(words) and (end < at + len(entry) or words[end][0].isalnum()):
                    end += 1
                aside.update(range(at, end))
    return aside


def _turned(sign: str) -> str:
    # not supporting is opposing; not rejecting is leaving it open; not open is a refusal
    return {"+": "-", "-": "?", "?": "-"}[sign]


def _decide(polarity: list[str]) -> Stance | None:
    signs = set(polarity)
    if not signs:
        return None
    if signs == {"-"}:
        return "opposes"
    if signs == {"+"}:
        return "supports"
    if "?" in signs and "-" not in signs:
        return "conditional"  # an opening, possibly with welcoming words: open, on terms
    return None  # mixed: the model reads it in context
