"""The finder's word lists, read from `cues.toml` and `words.toml`, and the inflection rule.

This module owns turning the data files into lookups: every inflected form of a cue verb mapped
to its lemma, the multiword cues, and the word sets the other modules read structure from
(`Lexicon`; `Grammar` for the closed-class words of [grammar]). The lists themselves live in the
TOML files so that extending them never means editing a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

from briefing.find.wordfiles import cues_file, words_file

_VOWELS = frozenset("aeiou")


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
    evidence: frozenset[str]  # "poll" in "In a new poll, ...": the source follows "in"
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

    @cached_property
    def lemmas(self) -> frozenset[str]:
        return frozenset(self.verb_forms.values())  # made once: read for every sentence


def _leads(be: list[str]) -> dict[str, list[str]]:
    """The forms of "be", which may lead a catenative phrase ("is expected to say"); "go" and
    "come" ("went on to say") are in cues.toml's irregular verbs."""
    return {"be": [form for form in be if form != "be"]}


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
        catenative=tuple(_phrase_forms(verbs.catenative, _leads(words.grammar.be) | irregular)),
        phrases=tuple(_phrase_forms(phrases.verbs + phrases.refusals, irregular)),
        refusals=frozenset(_phrase_forms(phrases.refusals, irregular)),
        passive_targets=frozenset(tuple(p.split()) for p in phrases.passive_targets),
        before_source=tuple(tuple(p.split()) for p in preps.before_source),
        evidence=frozenset(preps.evidence),
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


@dataclass(frozen=True)
class Grammar:
    """The closed-class words of words.toml's [grammar], as sets; each rule reads its classes
    from here (see the comments in words.toml)."""

    determiners: frozenset[str]
    before_nouns: frozenset[str]  # the determiners and the noun modifiers
    possessives: frozenset[str]
    contracted: frozenset[str]
    be: frozenset[str]
    auxiliaries: frozenset[str]  # every auxiliary, the forms of "be" included
    negatable: frozenset[str]
    copulas: frozenset[str]  # the forms of "be" and the other copulas
    degree: frozenset[str]
    passive_adverbs: frozenset[str]
    denials: frozenset[str]
    prepositions: frozenset[str]
    np_prepositions: frozenset[str]
    cue_links: frozenset[str]
    gerund_after: frozenset[str]
    time_words: frozenset[str]
    place_words: frozenset[str]  # "here", "there" after a subject
    clause_words: frozenset[str]
    embedding: frozenset[str]
    connectives: frozenset[str]
    aside_openers: frozenset[str]
    subordinators: frozenset[str]  # "when", "if": an aside that is a clause of its own
    links: frozenset[str]
    coordinators: frozenset[str]
    participle_leads: frozenset[str]
    hearers: frozenset[str]
    not_modifiers: frozenset[str]
    irregular_past: frozenset[str]  # "began", "struck": past forms without "-ed"
    relatives: frozenset[str]  # "who", "which": what opens a relative clause
    quantifiers: frozenset[str]  # "most", "both": a subject of their own ("Most believe")
    approximations: frozenset[str]  # "about", "nearly" before a number


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """The closed-class words, read once per process."""
    data = words_file().grammar
    sets = {name: frozenset(words) for name, words in data}
    sets["before_nouns"] = sets["determiners"] | sets.pop("noun_modifiers")
    sets["auxiliaries"] |= sets["be"]
    sets["copulas"] |= sets["be"]
    return Grammar(**sets)
