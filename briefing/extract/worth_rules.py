"""The position rules as data (`briefing/rules/positions.toml`), read once: what
`briefing.extract.worth` sets aside before the model is asked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefing.find.lexicon import inflect, lexicon
from briefing.find.speakers import GENERIC
from briefing.resources import rules_file
from briefing.rulefiles import RuleFile, read_rules

DEFAULT_RULES = rules_file("positions.toml")


@dataclass(frozen=True)
class WorthRules:
    evidential: frozenset[str]  # every form of the evidential verbs
    things: frozenset[str]
    actors: frozenset[str]  # lower-case head words that name someone: roles, groups, people
    topic_only: frozenset[str]  # every form of the topic verbs
    prepositions: frozenset[str]
    max_words: int  # a longer content is never taken for a noun phrase
    clause_words: frozenset[str]  # words that make a verbless content a clause ("that", "as")
    particles: frozenset[str]  # a content of one of these alone is the cue's particle
    side_verbs: frozenset[str]  # lemmas and phrases whose noun object is a position
    negated: frozenset[str]  # lemmas of saying whose negation says nothing was said
    negations: frozenset[str]
    questions: frozenset[str]  # lemmas of asking
    openers: frozenset[str]  # what opens a question put ("whether", "if", "how")
    lemmas: dict[str, str]  # forms of the verbs above and of the finder's cues -> lemma
    writer: frozenset[str]  # sources that are the writer ("I", "we", "it's worth")
    anaphoric_words: int
    anaphoric: frozenset[str]  # what opens a short content that refers back ("the remark")
    schedule_words: int
    schedule_markers: frozenset[str]
    schedule_verbs: frozenset[str]  # every form
    schedule_times: tuple[str, ...]
    outlet_cues: frozenset[str]  # lemmas and phrases of reporting
    outlet_nouns: frozenset[str]
    outlet_names: re.Pattern[str]


class _Verbs(RuleFile):
    verbs: list[str]


class _Words(RuleFile):
    words: list[str]


class _TopicOnly(RuleFile):
    verbs: list[str]
    prepositions: list[str]


class _Fragments(RuleFile):
    max_words: int
    clause_words: list[str]
    particles: list[str]
    side_verbs: list[str]


class _Negated(RuleFile):
    verbs: list[str]
    words: list[str]


class _Questions(RuleFile):
    verbs: list[str]
    openers: list[str]


class _Writer(RuleFile):
    sources: list[str]


class _Anaphoric(RuleFile):
    max_words: int
    openers: list[str]


class _Schedule(RuleFile):
    max_words: int
    markers: list[str]
    verbs: list[str]
    times: list[str]


class _Outlets(RuleFile):
    cues: list[str]
    nouns: list[str]
    names: list[str]


class PositionsFile(RuleFile):
    """positions.toml: every table and key is required (each is one rule's data)."""

    evidential: _Verbs
    things: _Words
    people: _Words
    topic_only: _TopicOnly
    fragments: _Fragments
    negated: _Negated
    questions: _Questions
    writer: _Writer
    anaphoric: _Anaphoric
    schedule: _Schedule
    outlets: _Outlets


@lru_cache(maxsize=4)
def load_rules(path: Path = DEFAULT_RULES) -> WorthRules:
    data = read_rules(PositionsFile, path, "the position rules")
    fragments, negated, schedule, outlets = (
        data.fragments,
        data.negated,
        data.schedule,
        data.outlets,
    )
    return WorthRules(
        evidential=frozenset(f for v in data.evidential.verbs for f in inflect(v)),
        things=frozenset(data.things.words),
        actors=_actor_words(frozenset(data.people.words)),
        topic_only=frozenset(f for v in data.topic_only.verbs for f in inflect(v)),
        prepositions=frozenset(data.topic_only.prepositions),
        max_words=fragments.max_words,
        clause_words=frozenset(fragments.clause_words),
        particles=frozenset(fragments.particles),
        side_verbs=frozenset(fragments.side_verbs),
        negated=frozenset(negated.verbs),
        negations=frozenset(negated.words),
        questions=frozenset(data.questions.verbs),
        openers=frozenset(data.questions.openers),
        lemmas=_lemmas(fragments.side_verbs + negated.verbs + data.questions.verbs),
        writer=frozenset(data.writer.sources),
        anaphoric_words=data.anaphoric.max_words,
        anaphoric=frozenset(data.anaphoric.openers),
        schedule_words=schedule.max_words,
        schedule_markers=frozenset(schedule.markers),
        schedule_verbs=frozenset(f for v in schedule.verbs for f in inflect(v)),
        schedule_times=tuple(schedule.times),
        outlet_cues=frozenset(outlets.cues),
        outlet_nouns=frozenset(outlets.nouns),
        outlet_names=re.compile(
            r"\b(?:"
            + "|".join(re.escape(n) for n in sorted(outlets.names, key=len)[::-1])
            + r")\b",
            re.IGNORECASE,
        ),
    )


def _lemmas(verbs: list[str]) -> dict[str, str]:
    """Every form of the first word of these verbs and phrases, and of the finder's cue verbs
    (which spell the irregular ones: "said", "told", "wrote"), mapped to its lemma."""
    out = {form: lemma for lemma in {v.split()[0] for v in verbs} for form in inflect(lemma)}
    out.update(lexicon().verb_forms)
    return out


def _actor_words(people: frozenset[str]) -> frozenset[str]:
    """The finder's roles, institutions, groups and personal pronouns, and the people nouns."""
    lex = lexicon()
    return (
        lex.roles | lex.institutions | lex.person_pronouns | lex.group_pronouns | GENERIC | people
    )
