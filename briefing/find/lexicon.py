"""The finder's word lists, read from `cues.toml` and `words.toml`, and the inflection rule.

This module owns turning the data files into lookups: every inflected form of a cue verb mapped
to its lemma, the multiword cues, and the word sets the other modules read structure from. The
lists themselves live in the TOML files so that extending them never means editing a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefing.rulefiles import RuleFile, read_rules

_HERE = Path(__file__).parent
_VOWELS = frozenset("aeiou")
_IRREGULAR_LEADS = {
    "be": ["is", "are", "was", "were", "been", "being", "am"],
    "go": ["goes", "went", "gone", "going"],
    "come": ["comes", "came", "coming"],
}


def inflect(lemma: str) -> tuple[str, ...]:
    """The regular forms of an English verb: lemma, -s, -ed and -ing forms.

    The rule covers the spelling changes news verbs need ("urge" -> "urged", "deny" -> "denies",
    "stress" -> "stresses"); verbs that double a consonant or change their stem are listed in
    [verbs.irregular] instead, since no short rule gets them right.
    """
    if lemma.endswith("e"):
        return lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"
    if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in _VOWELS:
        return lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        return lemma, lemma + "es", lemma + "ed", lemma + "ing"
    return lemma, lemma + "s", lemma + "ed", lemma + "ing"


@dataclass(frozen=True)
class Lexicon:
    """Lookups built once from the data files."""

    verb_forms: dict[str, str]  # every form of a reporting verb -> its lemma
    quote_forms: dict[str, str]  # forms of verbs that only introduce a quotation -> lemma
    stance: frozenset[str]  # lemmas of wanting and taking sides: never inverted ("said Peskov")
    also_nouns: frozenset[str]  # base and -s forms that are nouns after a determiner
    takes_object: frozenset[str]  # lemmas with a hearer before the content ("told reporters")
    catenative: tuple[tuple[str, ...], ...]  # "appeared" (to suggest), "went on" (to say)
    phrases: tuple[tuple[str, ...], ...]  # multiword cues as word tuples, every inflection
    refusals: frozenset[tuple[str, ...]]  # the phrases that refuse to speak ("declined to comment")
    passive_targets: frozenset[tuple[str, ...]]  # "accused of": a passive with no source
    before_source: tuple[tuple[str, ...], ...]  # "according to": the source follows
    nouns: frozenset[str]  # "claim" in "Trump's claim that ..."
    intentions: frozenset[str]  # "decision" in "the court's decision to ..."
    judgments: frozenset[tuple[str, str]]  # "criticism of" in "her criticism of ..."
    adjectives: frozenset[str]  # "critical" in "has been critical of"
    adjective_links: frozenset[str]  # what must follow such an adjective: "of", "that"
    adverbial_starts: frozenset[str]
    adverbial_words: frozenset[str]
    roles: frozenset[str]  # single-word role nouns and the last word of multiword ones
    role_phrases: tuple[str, ...]
    institutions: frozenset[str]
    not_sources: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    thing_pronouns: frozenset[str]
    first_pronouns: frozenset[str]
    addressees: frozenset[str]  # models and machines a text may address
    readers: frozenset[str]  # people a text may address
    imperatives: frozenset[str]
    preambles: frozenset[str]
    link_prefixes: tuple[str, ...]
    credits: frozenset[str]

    @property
    def lemmas(self) -> frozenset[str]:
        return frozenset(self.verb_forms.values())


def _forms(regular: list[str], irregular: dict[str, list[str]]) -> dict[str, str]:
    forms: dict[str, str] = {}
    for lemma in regular:
        for form in inflect(lemma):
            forms.setdefault(form, lemma)
    for lemma, listed in irregular.items():
        if lemma in regular:  # the irregular table only spells forms; it adds no verb
            for form in (lemma, *listed):
                forms[form] = lemma
    return forms


def _phrase_forms(phrases: list[str], irregular: dict[str, list[str]]) -> list[tuple[str, ...]]:
    """Every inflection of multiword cues, by their first word: "pointed out", "points out"."""
    out: list[tuple[str, ...]] = []
    for phrase in phrases:
        first, *rest = phrase.split()
        heads = set(inflect(first)) | set(irregular.get(first, ()))
        if first == "not":  # "did not respond ...": the auxiliary is matched as an adverbial
            heads = {first}
        out.extend((head, *rest) for head in sorted(heads))
    # Longest first, so "make it clear" wins over a shorter phrase that starts the same way.
    return sorted(set(out), key=lambda p: (-len(p), p))


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


class WordsFile(RuleFile):
    """words.toml: every table and key is required."""

    sources: _Sources
    pronouns: _Pronouns
    addressing: _Addressing
    lines: _Lines
    gender: _Gender


def cues_file() -> CuesFile:
    return read_rules(CuesFile, _HERE / "cues.toml", "the finder's cues")


def words_file() -> WordsFile:
    return read_rules(WordsFile, _HERE / "words.toml", "the finder's words")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, read once per process."""
    cues = cues_file()
    words = words_file()
    verbs = cues.verbs
    irregular = verbs.irregular
    verb_forms = _forms(verbs.regular + verbs.stance, irregular)
    for lemma in verbs.past_only:
        for form in inflect(lemma)[:2] + inflect(lemma)[3:]:
            verb_forms.pop(form, None)
    quote_forms = _forms(verbs.quote_only, irregular)
    phrases, preps, adverbials = cues.phrases, cues.prepositions, cues.adverbials
    sources, pronouns, addressing, lines = (
        words.sources,
        words.pronouns,
        words.addressing,
        words.lines,
    )
    roles = sources.roles
    return Lexicon(
        verb_forms=verb_forms,
        quote_forms={f: lemma for f, lemma in quote_forms.items() if f not in verb_forms},
        stance=frozenset(verbs.stance) - frozenset(verbs.regular),
        also_nouns=frozenset(
            form
            for lemma in verbs.also_nouns
            for form in inflect(lemma)[:2] + tuple(irregular.get(lemma, ())[:1])
        ),
        takes_object=frozenset(verbs.takes_object),
        catenative=tuple(_phrase_forms(verbs.catenative, _IRREGULAR_LEADS | irregular)),
        phrases=tuple(_phrase_forms(phrases.verbs + phrases.refusals, irregular)),
        refusals=frozenset(_phrase_forms(phrases.refusals, irregular)),
        passive_targets=frozenset(tuple(p.split()) for p in phrases.passive_targets),
        before_source=tuple(tuple(p.split()) for p in preps.before_source),
        nouns=frozenset(cues.nouns.words),
        intentions=frozenset(cues.nouns.intentions),
        judgments=frozenset((a, b) for a, b in (p.split() for p in cues.nouns.judgments)),
        adjectives=frozenset(cues.adjectives.words),
        adjective_links=frozenset(cues.adjectives.before),
        adverbial_starts=frozenset(adverbials.starts),
        adverbial_words=frozenset(adverbials.words),
        institutions=frozenset(sources.institutions),
        not_sources=frozenset(sources.not_sources),
        roles=frozenset(r.split()[-1] for r in roles),
        person_pronouns=frozenset(pronouns.person),
        group_pronouns=frozenset(pronouns.group),
        thing_pronouns=frozenset(pronouns.thing),
        first_pronouns=frozenset(pronouns.first),
        role_phrases=tuple(sorted(roles, key=len, reverse=True)),
        addressees=frozenset(addressing.addressees),
        readers=frozenset(addressing.readers),
        imperatives=frozenset(addressing.imperatives),
        preambles=frozenset(addressing.preambles),
        link_prefixes=tuple(lines.links),
        credits=frozenset(lines.credits),
    )
