"""Attributions that are the writer's narration, a relay or a record, not a speaker's position.

PolNeAR annotators mark these as attributions, and the finder finds them; briefed, each reads as
a view nobody stated. `briefing.extract.worth` asks these rules after its own; the words they
read are data (`[narration]` of `briefing/rules/positions.toml`):

* a whole people as the source ("Many Mexicans felt betrayed", "Mexicans often say"): the
  writer's summary of a nation, or a proverb; never an actor's statement, quoted or not;
* a news outlet's report quoted or paraphrased under its name or a pronoun for it ("the Times
  wrote", "it added: ..."): the facts it printed, like the reports `worth` sets aside;
* a song's words ("Blige sings ..."): a lyric, not a view;
* a statement relayed: the content opens with someone else saying it ("Merrill says Machado
  promised ...", "He notes that the Commission announced ..."): the source only passes it on;
* a free relative ("what Trump says his plan would do"): the writer names a statement to weigh
  it, and the content is a clause without its object;
* a content cut inside a quotation ("that the advertisement “unmistakably and wrongfully"),
  where the sentence goes on past the closing mark: a fragment of the statement;
* a phrasal verb whose particle the finder took for the content ("backed off some of his
  proposals", "backed out"): retreating is an act, not a view;
* nothing offered ("offered no proof that ..."): the writer notes what was missing;
* an event seen ("saw Tim Kaine speak at a rally"): perception of an act, not a belief;
* a target and a circumstance ("attacked Machado in early-morning tweets"): whom an attack was
  aimed at, with no word of what it said;
* what a thing shows, under a pronoun for it ("They illustrate the decline ..."): the writer's
  reading, as `worth` sets aside under a thing's name;
* a noun phrase naming what was said ("noted Bill Clinton's comments and video of them"): the
  remarks are named, not stated.
"""

from __future__ import annotations

import re

from briefing.extract.worth_rules import WorthRules
from briefing.find import Candidate
from briefing.find.lexicon import grammar

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_OPEN = ("“", "‘‘", "``")
_CLOSE = ("”", "’’", "''")
_COMPLEMENT = frozenset("of at for from with in on by who which".split())


def _part(text: str, span: tuple[int, int] | None) -> str:
    return " ".join(text[span[0] : span[1]].split()) if span else ""


def _words(said: str) -> list[str]:
    return _WORD.findall(said)


def _head(source: str) -> str:
    """The last word of a source's first phrase, possessive removed ("Americans’" -> Americans,
    "Many Mexicans" -> Mexicans)."""
    words = _words(source.split(",")[0])
    for k, word in enumerate(words[1:], start=1):
        if word in _COMPLEMENT:
            words = words[:k]  # "Ann Reyes of the Washington Post": Reyes
            break
    return re.sub(r"['’]s?$", "", words[-1]) if words else ""


def a_people(text: str, candidate: Candidate, rules: WorthRules) -> bool:
    """Whether the source is a whole people ("Mexicans", "many Mexicans", "Some average
    Americans"), not "the Russians" (a delegation, a side in talks)."""
    if candidate.source is None:
        return False
    source = _part(text, candidate.source)
    words = [w.casefold() for w in _words(source)]
    if not words or words[0] == "the":
        return False
    return _head(source).casefold() in rules.narration.peoples


def outlet_quoted(text: str, candidate: Candidate, rules: WorthRules, lemmas: set[str]) -> bool:
    """Whether a news outlet's printed words are given under its name or a pronoun for it,
    with a verb of printing: "the Times wrote", "Reuters reported", "it added"."""
    if candidate.source is None or not lemmas & rules.narration.outlet_cues:
        return False
    source = _part(text, candidate.source)
    head = _head(source).casefold()
    if head in rules.outlet_nouns:
        return True
    named = candidate.speaker if candidate.resolution == "pronoun" else source
    found = rules.outlet_names.search(named or "")
    if found is None or not found.group(0)[0].isupper():
        return False
    # the outlet heads the source: not "Dan McLaughlin at the National Review wrote"
    return candidate.resolution == "pronoun" or head == found.group(0).split()[-1].casefold()


def a_lyric(lemmas: set[str], rules: WorthRules) -> bool:
    return bool(lemmas & rules.narration.lyrics)


def relayed(said: str, rules: WorthRules) -> bool:
    """Whether the content opens with another named source saying it: "Machado promised to
    ...", "that the Commission on Presidential Debates announced ..."."""
    words = _words(said)
    k = 0
    if k < len(words) and words[k].casefold() == "that":
        k += 1
    if k < len(words) and words[k].casefold() == "the":
        k += 1
    names = 0
    while k < len(words) and (
        words[k][0].isupper() or (names and words[k] in ("of", "on", "for", "and"))
    ):
        names += words[k][0].isupper()
        k += 1
    if not names or k >= len(words) - 1 or words[k - 1].islower():
        return False
    if re.search(r"['’]s?$", words[k - 1]):
        return False  # "Trump’s claim that ...": a possessive before a noun
    verb = words[k].casefold()
    # a past form only: "Western claims that", "Trump tells so many lies" are not relays
    past = verb.endswith("ed") or verb in grammar().irregular_past or verb == "said"
    return past and rules.lemmas.get(verb, "") in rules.narration.relay_verbs


def free_relative(text: str, candidate: Candidate, rules: WorthRules) -> bool:
    """Whether the source follows "what" or "how": "what Trump says his tax plan would do"."""
    if candidate.source is None or any(m in text[s:e] for s, e in candidate.content for m in '“”"'):
        return False  # "what she called a “rant”": the quoted label is her own word
    before = _words(text[max(0, candidate.source[0] - 30) : candidate.source[0]])
    return bool(before) and before[-1].casefold() in rules.narration.free_relatives


def cut_in_quotation(text: str, candidate: Candidate, rules: WorthRules) -> bool:
    """Whether the content stops inside a quotation it opened, and its sentence goes on past
    the closing mark ("“unmistakably and wrongfully” suggests that ...")."""
    start, end = candidate.content[-1]
    said = text[start:end]
    if len(_words(said)) > rules.narration.cut_words:
        return False  # a long turn or paragraph: its quotation marks pair up across lines
    opened = sum(said.count(m) for m in _OPEN) + said.count('"') % 2
    closed = sum(said.count(m) for m in _CLOSE)
    if opened <= closed:
        return False
    after = text[end : end + 40]
    mark = re.match(r"\s*(”|’’|''|\")\s*(\S+)", after)
    if mark is None:
        return False
    # "“a con” and encouraged ...": the statement ended; a verb or an object goes on with it
    going_on = mark.group(2)
    joined = going_on.casefold().strip(",.;:") in grammar().links | grammar().coordinators
    return not joined and (going_on[0].isalnum() or going_on[0] in "“‘(")


def particle_first(words: list[str], rules: WorthRules) -> bool:
    """Whether the content opens with the cue verb's particle ("off some of his proposals"),
    not "up to 500 people died"."""
    if not words or words[0].casefold() not in rules.narration.phrasal_particles:
        return False
    return len(words) == 1 or words[1].casefold() not in ("to", "of")


def nothing_offered(words: list[str], lemmas: set[str], rules: WorthRules) -> bool:
    """ "offered no proof", "provided no evidence that ...": what was missing."""
    return (
        len(words) > 1
        and words[0].casefold() == "no"
        and words[1].casefold() not in ("one", "longer", "more")
        and bool(lemmas & rules.narration.object_verbs)
    )


def an_event_seen(text: str, candidate: Candidate, words: list[str], rules: WorthRules) -> bool:
    """ "saw Tim Kaine speak at a rally": a past verb of perception before an event, not "saw
    that ..." nor "saw it as a mistake"."""
    if candidate.cue is None or not words:
        return False
    cue = _words(text[candidate.cue[0] : candidate.cue[1]])
    if not cue or cue[0].casefold() not in rules.narration.perceived:
        return False
    lowered = [w.casefold() for w in words]
    return lowered[0] not in rules.openers | {"that"} and "as" not in lowered


def a_target(words: list[str], lemmas: set[str], rules: WorthRules) -> bool:
    """ "attacked Machado in early-morning tweets": a name and a circumstance (where, when, by
    what means), no word of what was said; not "attacked Clinton for her vote" nor "as a
    fraud"."""
    if not lemmas & rules.narration.target_verbs or not words or not words[0][0].isupper():
        return False
    k = 0
    while k < len(words) and words[k][0].isupper():
        k += 1
    if k == len(words) or words[k].casefold() not in rules.narration.circumstances:
        return False
    return not {w.casefold() for w in words[k:]} & rules.narration.judging


def a_thing_pronoun_shows(text: str, candidate: Candidate, rules: WorthRules) -> bool:
    """ "They illustrate the decline ...": a verb only things do, under a pronoun."""
    if candidate.source is None or candidate.cue is None:
        return False
    source = _part(text, candidate.source).casefold()
    cue = _words(text[candidate.cue[0] : candidate.cue[1]])
    if source not in ("it", "they", "this", "these") or not cue:
        return False
    lemma = rules.lemmas.get(cue[0].casefold(), cue[0].casefold())
    return lemma in rules.narration.thing_verbs or cue[0].casefold() in rules.narration.thing_verbs


def names_remarks(words: list[str], verbless: bool, rules: WorthRules) -> bool:
    """ "noted Bill Clinton's comments and video of them on its website": a noun phrase (no
    verb) whose head, before any preposition, is a word for what was said."""
    if not verbless:
        return False
    head: list[str] = []
    for word in words:
        if word.casefold() in rules.prepositions:
            break
        head.append(re.sub(r"['’]s?$", "", word.casefold()))
    return bool(set(head) & (rules.things | rules.narration.speech_nouns))


def narration(
    text: str, candidate: Candidate, rules: WorthRules, lemmas: set[str], verbless: bool
) -> str | None:
    """Why a reported statement is narration, a relay or a record, or None (see the module
    docstring). `verbless`: the content has no verb (`worth._verbless`, any length)."""
    said = " ".join(text[s:e] for s, e in candidate.content)
    words = _words(said)
    if relayed(said, rules):
        return "relays another's statement: the content opens with its own source and verb"
    if free_relative(text, candidate, rules):
        return "names a statement ('what X says ...'), says nothing itself"
    if cut_in_quotation(text, candidate, rules):
        return "a fragment: the content stops inside a quotation"
    if particle_first(words, rules):
        return "the verb's particle ('backed off ...'): an act, not a statement"
    if nothing_offered(words, lemmas, rules):
        return "reports what was not offered ('offered no proof')"
    if an_event_seen(text, candidate, words, rules):
        return "an event seen or heard, not a view"
    if a_target(words, lemmas, rules):
        return "names whom it was aimed at, not what was said"
    if a_thing_pronoun_shows(text, candidate, rules):
        return "the writer's reading of what a thing shows, not anyone's statement"
    if names_remarks(words, verbless, rules):
        return "a noun phrase naming remarks, not a statement"
    return None


def direct_narration(
    text: str, candidate: Candidate, rules: WorthRules, lemmas: set[str]
) -> str | None:
    """Why a quotation is no actor's words: a people's saying, an outlet's print, a lyric."""
    if a_people(text, candidate, rules):
        return "a whole people as source: the writer's summary or a saying, no actor's"
    if outlet_quoted(text, candidate, rules, lemmas):
        return "a news outlet's report of facts, not a view"
    if a_lyric(lemmas, rules):
        return "a song's words, not a view"
    return None
