"""The finder's data files, `cues.toml` and `words.toml`: their schemas and their readers.

Every table and key of both files is required, and nothing else is allowed (`briefing.rulefiles`):
a misspelt list would otherwise take its words out of the finder without a word. The lookups
built from them are `briefing.find.lexicon`'s.
"""

from __future__ import annotations

from pathlib import Path

from briefing.rulefiles import RuleFile, read_rules

_HERE = Path(__file__).parent


class _Verbs(RuleFile):
    regular: list[str]
    stance: list[str]
    past_only: list[str]
    quote_only: list[str]
    catenative: list[str]
    takes_object: list[str]
    also_nouns: list[str]
    irregular: dict[str, list[str]]


class _Phrases(RuleFile):
    verbs: list[str]
    refusals: list[str]
    passive_targets: list[str]


class _Nouns(RuleFile):
    words: list[str]
    intentions: list[str]
    judgments: list[str]


class _Adjectives(RuleFile):
    words: list[str]
    before: list[str]


class _Prepositions(RuleFile):
    before_source: list[str]
    evidence: list[str]


class _Adverbials(RuleFile):
    starts: list[str]
    words: list[str]


class CuesFile(RuleFile):
    """cues.toml: every table and key is required."""

    verbs: _Verbs
    phrases: _Phrases
    nouns: _Nouns
    adjectives: _Adjectives
    prepositions: _Prepositions
    adverbials: _Adverbials


class _Sources(RuleFile):
    roles: list[str]
    institutions: list[str]
    not_sources: list[str]


class _Pronouns(RuleFile):
    person: list[str]
    group: list[str]
    thing: list[str]
    first: list[str]


class _Addressing(RuleFile):
    addressees: list[str]
    readers: list[str]
    imperatives: list[str]
    preambles: list[str]


class _Lines(RuleFile):
    links: list[str]
    credits: list[str]


class _Gender(RuleFile):
    feminine_pronouns: list[str]
    masculine_pronouns: list[str]
    feminine_titles: list[str]
    masculine_titles: list[str]
    feminine_roles: list[str]
    masculine_roles: list[str]
    feminine_names: list[str]
    masculine_names: list[str]


class _Grammar(RuleFile):
    determiners: list[str]
    noun_modifiers: list[str]
    possessives: list[str]
    contracted: list[str]
    be: list[str]
    auxiliaries: list[str]
    negatable: list[str]
    copulas: list[str]
    degree: list[str]
    passive_adverbs: list[str]
    denials: list[str]
    prepositions: list[str]
    np_prepositions: list[str]
    cue_links: list[str]
    gerund_after: list[str]
    time_words: list[str]
    place_words: list[str]
    clause_words: list[str]
    embedding: list[str]
    connectives: list[str]
    aside_openers: list[str]
    subordinators: list[str]
    links: list[str]
    coordinators: list[str]
    participle_leads: list[str]
    hearers: list[str]
    not_modifiers: list[str]
    irregular_past: list[str]
    relatives: list[str]
    quantifiers: list[str]
    approximations: list[str]


class _Instructions(RuleFile):
    verbs: list[str]
    particles: list[str]
    obligations: list[str]
    necessities: list[str]
    subjects: list[str]
    governed: list[str]
    complements: list[str]
    outputs: list[str]
    documents: list[str]
    pointers: list[str]
    speech: list[str]
    as_heads: list[str]
    function_words: list[str]


class WordsFile(RuleFile):
    """words.toml: every table and key is required."""

    grammar: _Grammar
    sources: _Sources
    pronouns: _Pronouns
    addressing: _Addressing
    lines: _Lines
    gender: _Gender
    instructions: _Instructions


def cues_file() -> CuesFile:
    return read_rules(CuesFile, _HERE / "cues.toml", "the finder's cues")


def words_file() -> WordsFile:
    return read_rules(WordsFile, _HERE / "words.toml", "the finder's words")
