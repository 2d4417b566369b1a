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
    narration: NarrationRules


@dataclass(frozen=True)
class NarrationRules:
    """The words `briefing.extract.narration` reads (see `[narration]` in positions.toml)."""

    peoples: frozenset[str]
    outlet_cues: frozenset[str]
    lyrics: frozenset[str]
    relay_verbs: frozenset[str]
    free_relatives: frozenset[str]
    object_verbs: frozenset[str]
    perceived: frozenset[str]
    target_verbs: frozenset[str]
    circumstances: frozenset[str]
    judging: frozenset[str]
    thing_verbs: frozenset[str]
    speech_nouns: frozenset[str]
    cut_words: int
    phrasal_particles: frozenset[str]


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


class _Narration(RuleFile):
    peoples: list[str]
    outlet_cues: list[str]
    lyrics: list[str]
    relay_verbs: list[str]
    free_relatives: list[str]
    object_verbs: list[str]
    perceived: list[str]
    target_verbs: list[str]
    circumstances: list[str]
    judging: list[str]
    thing_verbs: list[str]
    speech_nouns: list[str]
    cut_words: int
    phrasal_particles: list[str]


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
    narration: _Narration


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
        lemmas=_lemmas(
            fragments.side_verbs
            + negated.verbs
            + data.questions.verbs
            + data.narration.relay_verbs
            + data.narration.object_verbs
            + data.narration.lyrics
        ),
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
        narration=_narration(data.narration),
    )


def _narration(data: _Narration) -> NarrationRules:
    return NarrationRules(
        peoples=frozenset(w.casefold() for w in data.peoples),
        outlet_cues=frozenset(data.outlet_cues),
        lyrics=frozenset(data.lyrics),
        relay_verbs=frozenset(data.relay_verbs),
        free_relatives=frozenset(data.free_relatives),
        object_verbs=frozenset(data.object_verbs),
        perceived=frozenset(data.perceived),
        target_verbs=frozenset(data.target_verbs),
        circumstances=frozenset(data.circumstances),
        judging=frozenset(data.judging),
        thing_verbs=frozenset(f for v in data.thing_verbs for f in inflect(v)),
        speech_nouns=frozenset(data.speech_nouns),
        cut_words=data.cut_words,
        phrasal_particles=frozenset(data.phrasal_particles),
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
