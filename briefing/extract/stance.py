"""Stance evidence read by the program from a statement's own words.

The embedded model leans to "supports" whatever it reads (measured in issue 10), so the words of
the content are read first: a lexicon of negative, positive and opening words and phrases
(`briefing/rules/stance.toml`, data, not code), with negation scope. `read_stance` decides only
when the evidence agrees; mixed or absent evidence returns no stance and the model decides.
The lexicon assumes what it reads is said about the statement's topic: the content span is the
speaker's own clause, not the whole sentence, which keeps that assumption mostly true.

Five readings go beyond single words (issue 17):

* The speaker's own clause only: the content is cut where the writer's rebuttal or aside begins
  (", but there is no evidence", "a claim that", "which is false").
* An attitude (satisfied, welcome, hope, regret, reject) is read with what it is about: its
  object, the words after it to the end of the clause. The stance is the attitude's polarity
  times the object's: "satisfied ... Ukraine will not be invited to join" opposes the joining,
  "regret that talks will not resume" supports the talks. A negated attitude turns round first
  ("not satisfied"). The words of the object are not read again on their own, but a judgement
  in its first noun phrase is the speaker's own and decides ("favors a strongman approach" is
  against; "welcome the sanctions against the dictatorship" is not).
* Negator words that negate nothing ("not only", "no doubt", "without delay") are not negators,
  and a question's words are not read: it asks, it does not assert them. A negated judgement of
  a person or a plan says its opposite ("doesn't show consistency" is against), where a negated
  position word leaves a door open ("not entirely closed to").
* A demand made of a person ("Trump should release his returns", "the sooner he releases
  them, the better") counts against that person (`briefing.extract.directive`), and for a
  proposition that makes the demand itself.
* Against the topic's proposition, where there is one: a word whose target is a name the
  proposition does not name takes no side ("supporting Clinton" on a proposition about Trump),
  and a proposition stated negatively turns every reading round (`briefing.extract.target`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from briefing.extract.directive import demands, is_person, person_words
from briefing.extract.lexicon import DEFAULT_LEXICON, StanceLexicon, load_lexicon
from briefing.extract.phrases import GAP, Table, match
from briefing.extract.target import (
    Proposition,
    cased_words,
    is_other,
    names_of,
    object_target,
    word_target,
)
from briefing.models import Stance

NEGATION_REACH = 3  # a negator this many words before an entry turns it round

__all__ = ["DEFAULT_LEXICON", "StanceEvidence", "StanceLexicon", "load_lexicon", "read_stance"]


@dataclass(frozen=True)
class StanceEvidence:
    """What the content's words say: the decided stance (None: leave it to the model) and the
    entries that matched, as `+word`, `-word`, `?word` (an opening), `not+word` (negated)."""

    stance: Stance | None
    cues: tuple[str, ...]
    others: tuple[str, ...] = ()  # cues about a name the proposition does not name: not read


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
    `proposition`: the statement's topic as a proposition, what the stance is on (None: every
    word is taken to be about it); a word whose target is a name it does not name is left out
    (`briefing.extract.target`), and listed in `others`."""
    lexicon = lexicon or load_lexicon()
    about = _proposition(proposition, lexicon) if proposition else None
    return _read(content, lexicon, about, with_demands=True)


def _read(
    content: str, lexicon: StanceLexicon, about: Proposition | None, with_demands: bool
) -> StanceEvidence:
    """`read_stance` against a proposition read; `with_demands` False: demands not read."""
    tables = lexicon.tables
    words, caps = cased_words(content)
    words = _own_clause(words, tables.asides)
    text = _Text(words, caps[: len(words)], _matched(words, tables.idioms), lexicon)
    covered = _set_aside(words, lexicon.alternatives) | _questions(words, lexicon.targets.titles)
    found: list[tuple[int, str, str]] = []  # (position, cue, sign after negation)
    others: list[str] = []
    for table, with_object in tables.reading:
        for at in table.positions(words):
            if at in covered:
                continue
            for sign, entry, pattern in table.starting(words[at]):
                end = match(pattern, words, at)
                if end is None or covered.intersection(range(at, end)):
                    continue
                if entry in lexicon.clause_start and at > 0 and words[at - 1][0].isalnum():
                    continue  # "we will tell that to our partners": not a clause's opening
                covered.update(range(at, end))
                if not sign:
                    break  # a phrase that takes no side: its words are read, and say nothing
                cue, sign, name = text.cue(at, end, sign, entry, with_object, covered)
                if is_other(name, about):
                    others.append(f"{cue}@{' '.join(name or ())}")
                else:
                    found.append((at, cue, sign))
                break
    told = demands(words, caps[: len(words)], lexicon.directives, lexicon.targets)
    for at, end, name in told if with_demands else []:
        if at in covered or not is_person(name, about, lexicon.targets):
            continue  # a question's, an alternative set aside, or a demand of a country
        sign = "+" if about is not None and about.demands else "-"
        cue = sign + " ".join(words[at:end])
        if is_other(name, about):
            others.append(f"{cue}@{' '.join(name or ())}")
        else:
            found.append((at, cue, sign))
    found.sort()
    signs = [sign for _, _, sign in found]
    if about is not None and about.turned:
        signs = [_times_negated(sign) for sign in signs]
    return StanceEvidence(
        stance=_decide(signs), cues=tuple(cue for _, cue, _ in found), others=tuple(others)
    )


@dataclass(frozen=True)
class _Text:
    """A content's words as read: lower case, whether each is capitalised, the positions of
    idioms whose negators negate nothing, and the lexicon."""

    words: list[str]
    caps: list[int]
    inert: set[int]
    lexicon: StanceLexicon

    def cue(
        self,
        at: int,
        end: int,
        sign: str,
        entry: tuple[str, ...],
        with_object: bool,
        covered: set[int],
    ) -> tuple[str, str, tuple[str, ...] | None]:
        """The entry matched at words[at:end] read: its cue, its sign after negation (its own,
        then its object's) and the name it is about (None: no name)."""
        words, lexicon = self.words, self.lexicon
        own_negator = any(_is_negator(w, lexicon.negators) for w in entry)
        negated = not own_negator and _negated(words, at, lexicon.negators, self.inert)
        cue = ("not" if negated else "") + sign + " ".join(entry)
        if negated:
            sign = _times_negated(sign) if entry in lexicon.judgements else _turned(sign)
        targets = lexicon.targets
        if not with_object or _noun(words, at, end, lexicon):
            return cue, sign, word_target(words, self.caps, at, end, targets)
        stop = _object_end(words, end, lexicon)
        judged = self.judgement(end, _phrase_end(words, end, stop, lexicon), covered)
        if judged is not None:  # "favors a strongman approach": the speaker's own judgement
            cue, sign = cue + ">" + judged, judged[0]
        elif _object_negated(words, end, stop, lexicon, self.inert | covered):
            cue, sign = cue + ">not", _times_negated(sign)
        covered.update(range(end, stop))  # its words were read with it
        return cue, sign, object_target(words, self.caps, end, stop, targets)

    def judgement(self, start: int, stop: int, covered: set[int]) -> str | None:
        """The judgement the words[start:stop] of an attitude's object pass on it, as a cue
        ("-strongman", "+not unfair"), or None: none, or judgements of both signs."""
        words, lexicon = self.words, self.lexicon
        found: list[str] = []
        judgements = lexicon.tables.judgements
        for at in judgements.positions(words[:stop], start):
            if at in covered:
                continue
            for sign, entry, pattern in judgements.starting(words[at]):
                if match(pattern, words[:stop], at) is not None:
                    negated = _negated(words, at, lexicon.negators, self.inert)
                    sign = _times_negated(sign) if negated else sign
                    found.append(sign + ("not " if negated else "") + " ".join(entry))
                    break
        return found[0] if found and len({cue[0] for cue in found}) == 1 else None


@lru_cache(maxsize=256)
def _proposition(text: str, lexicon: StanceLexicon) -> Proposition:
    """A proposition's names, whether its own words oppose (it is stated negatively), and
    whether it makes a demand of a person ("Lopez should release her records"). A demand in it
    is what it proposes, not a negative statement: it turns nothing round, and a demand of the
    content agrees with it."""
    targets = lexicon.targets
    named = Proposition(names_of(text), persons=person_words(text, targets))
    words, caps = cased_words(text)
    told = demands(words, caps, lexicon.directives, targets)
    demanding = any(is_person(name, named, targets) for _, _, name in told)
    turned = _read(text, lexicon, None, with_demands=False).stance == "opposes"
    return replace(named, turned=turned, demands=demanding)


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


def _phrase_end(words: list[str], start: int, stop: int, lexicon: StanceLexicon) -> int:
    """Where the first noun phrase of an attitude's object words[start:stop] ends: past its
    leading words ("for the"), at the first of [attitudes] `phrase_ends` ("against", "to",
    "that"). A judgement after it judges something else: "welcome the sanctions against the
    dictatorship" welcomes the sanctions."""
    at = start
    while at < stop and words[at] in lexicon.targets.object_leads:
        at += 1
    while at < stop and words[at] not in lexicon.phrase_ends:
        at += 1
    return at


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


def _questions(words: list[str], titles: frozenset[str]) -> set[int]:
    """The word positions of questions: a question asks, it does not assert its words ("What
    kind of genius loses a billion dollars?"). A full stop after a single letter or a title
    ("U.S.", "Mr.") ends no sentence."""
    asked: set[int] = set()
    start = 0
    for at, word in enumerate(words):
        if word == "?":
            asked.update(range(start, at))
        if word in ("?", "!", "...", GAP) or (word == "." and not _abbreviation(words, at, titles)):
            start = at + 1
    return asked


def _abbreviation(words: list[str], at: int, titles: frozenset[str]) -> bool:
    return at > 0 and (len(words[at - 1]) == 1 or words[at - 1] in titles)


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
