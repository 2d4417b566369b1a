"""The stance lexicon (`briefing/rules/stance.toml`): its schema, and its entries compiled for
matching. Read by `briefing.extract.stance`; data, not code: see the file's own comments for
what each table means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import Field

from briefing.extract.directive import DirectiveWords
from briefing.extract.phrases import GAP, Table
from briefing.extract.target import TargetWords
from briefing.resources import rules_file
from briefing.rulefiles import RuleFile, read_rules

DEFAULT_LEXICON = rules_file("stance.toml")

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
    # Words that end the first noun phrase of an attitude's object, where a judgement decides.
    phrase_ends: frozenset[str] = frozenset()
    targets: TargetWords = field(default_factory=TargetWords)
    directives: DirectiveWords = field(default_factory=DirectiveWords)
    # Phrases that take no side, read first so that their words are not read again.
    sideless: tuple[tuple[str, ...], ...] = ()
    # Entries of `negative` and `positive` that judge a person or a plan: negated, they say
    # their opposite ("not honest" is against), where other entries leave a door open.
    judgements: frozenset[tuple[str, ...]] = frozenset()
    # Entries that count only where they open a clause ("Tell that to the janitor").
    clause_start: frozenset[tuple[str, ...]] = frozenset()

    @cached_property
    def tables(self) -> _Tables:
        """The entries compiled for matching (briefing.extract.phrases), once per lexicon."""
        return _Tables(self)


class _Tables:
    """A lexicon's entries as `Table`s, in the order `read_stance` tries them: phrases that take
    no side first (their words hold entries: "as long as necessary"), then openings (they hold
    negators of their own: "not ruled out"), then attitudes with their objects, then the other
    negative and positive entries."""

    def __init__(self, lexicon: StanceLexicon) -> None:
        attitudes = [("-", e) for e in lexicon.negative if e in lexicon.attitudes]
        attitudes += [("+", e) for e in lexicon.positive if e in lexicon.attitudes]
        self.reading = (
            (Table([("", e) for e in lexicon.sideless]), False),
            (Table([("?", e) for e in lexicon.opening]), False),
            (Table(attitudes), True),
            (Table([("-", e) for e in lexicon.negative if e not in lexicon.attitudes]), False),
            (Table([("+", e) for e in lexicon.positive if e not in lexicon.attitudes]), False),
        )
        judged = lexicon.judgements
        self.judgements = Table(
            [("-", e) for e in lexicon.negative if e in judged]
            + [("+", e) for e in lexicon.positive if e in judged]
        )
        self.asides = Table([("", e) for e in lexicon.asides])
        self.idioms = Table([("", e) for e in lexicon.idioms])
        self.object_ends = Table([("", e) for e in lexicon.object_ends])


class _Entries(RuleFile):
    words: list[str] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)
    clause_start: list[str] = Field(default_factory=list)


class _Attitudes(RuleFile):
    negative: list[str] = Field(default_factory=list)
    positive: list[str] = Field(default_factory=list)
    object_ends: list[str] = Field(default_factory=list)
    noun_before: list[str] = Field(default_factory=list)
    noun_after: list[str] = Field(default_factory=list)
    phrase_ends: list[str] = Field(default_factory=list)


class _Judgements(RuleFile):
    negative: list[str] = Field(default_factory=list)
    positive: list[str] = Field(default_factory=list)


class _Phrases(RuleFile):
    phrases: list[str] = Field(default_factory=list)


class _Targets(RuleFile):
    object_leads: list[str] = Field(default_factory=list)
    copulas: list[str] = Field(default_factory=list)
    auxiliaries: list[str] = Field(default_factory=list)
    clause_openers: list[str] = Field(default_factory=list)
    not_names: list[str] = Field(default_factory=list)
    titles: list[str] = Field(default_factory=list)
    said_nouns: list[str] = Field(default_factory=list)
    function_words: list[str] = Field(default_factory=list)


class _Directives(RuleFile):
    modals: list[str] = Field(default_factory=list)
    corrections: list[str] = Field(default_factory=list)
    before_ing: list[str] = Field(default_factory=list)
    adverbs: list[str] = Field(default_factory=list)
    asked: list[str] = Field(default_factory=list)
    persons: list[str] = Field(default_factory=list)
    not_told: list[str] = Field(default_factory=list)


class _Negators(RuleFile):
    words: list[str] = Field(default_factory=list)
    idioms: list[str] = Field(default_factory=list)


class StanceFile(RuleFile):
    """stance.toml; every table and list is optional (an absent one lists nothing)."""

    negative: _Entries = Field(default_factory=_Entries)
    positive: _Entries = Field(default_factory=_Entries)
    open: _Entries = Field(default_factory=_Entries)
    sideless: _Phrases = Field(default_factory=_Phrases)
    judgements: _Judgements = Field(default_factory=_Judgements)
    attitudes: _Attitudes = Field(default_factory=_Attitudes)
    asides: _Phrases = Field(default_factory=_Phrases)
    alternatives: _Phrases = Field(default_factory=_Phrases)
    negators: _Negators = Field(default_factory=_Negators)
    targets: _Targets = Field(default_factory=_Targets)
    directives: _Directives = Field(default_factory=_Directives)


@lru_cache(maxsize=8)
def load_lexicon(path: Path | None = None) -> StanceLexicon:
    data = read_rules(StanceFile, path or DEFAULT_LEXICON, "the stance lexicon")

    def entries(table: _Entries) -> tuple[tuple[str, ...], ...]:
        return _entries([*table.words, *table.phrases, *table.clause_start])

    attitudes, judged = data.attitudes, data.judgements
    return StanceLexicon(
        negative=_entries(attitudes.negative) + entries(data.negative) + _entries(judged.negative),
        positive=_entries(attitudes.positive) + entries(data.positive) + _entries(judged.positive),
        opening=entries(data.open),
        sideless=_entries(data.sideless.phrases),
        negators=_folded(data.negators.words),
        alternatives=_entries(data.alternatives.phrases),
        attitudes=frozenset(_entries([*attitudes.negative, *attitudes.positive])),
        asides=_entries(data.asides.phrases),
        idioms=_entries(data.negators.idioms),
        object_ends=_entries(attitudes.object_ends),
        noun_before=_folded(attitudes.noun_before),
        noun_after=_folded(attitudes.noun_after),
        phrase_ends=_folded(attitudes.phrase_ends),
        judgements=frozenset(_entries([*judged.negative, *judged.positive])),
        targets=TargetWords(**{k: _folded(v) for k, v in data.targets.model_dump().items()}),
        directives=_directive_words(data.directives),
        clause_start=frozenset(
            _entries([*data.negative.clause_start, *data.positive.clause_start])
            + _entries(data.open.clause_start)
        ),
    )


def _folded(words: list[str]) -> frozenset[str]:
    return frozenset(w.casefold() for w in words)


def _directive_words(data: _Directives) -> DirectiveWords:
    return DirectiveWords(
        modals=_entries(data.modals),
        corrections=_entries(data.corrections),
        before_ing=_folded(data.before_ing),
        adverbs=_folded(data.adverbs),
        asked=_folded(data.asked),
        persons=_folded(data.persons),
        not_told=_folded(data.not_told),
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
