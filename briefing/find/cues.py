"""Cues in a sentence: the reporting verbs and phrases of the lexicon, used as verbs.

This module owns deciding which words of a sentence are cues. The forms come from the lexicon
(`cues.toml`); the rules here only tell a verb from the same word used otherwise: "the claims"
and "recent reports" are nouns (a determiner or adjective before them), "the United States" is a
name (capitalised inside the sentence), "was told by" is passive, "to comment" an infinitive that
something else governs, and a word inside a quotation belongs to the quoted speaker. A refusal
to speak ("declined to comment") is a cue of its own kind: it introduces no quotation, and what
it says is the refusal itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from briefing.find.lexicon import Lexicon, grammar, lexicon
from briefing.find.nouns import after_a_name, in_compound, modifier
from briefing.find.tokens import Token

CueKind = Literal["verb", "phrase", "according", "quote_only", "noun", "dash", "passive", "refusal"]


@dataclass(frozen=True)
class Cue:
    """Words that introduce speech ("said", "according to", "told reporters"), by token index."""

    first: int  # index of the first token of the cue
    last: int  # index of the last token (inclusive)
    lemma: str
    kind: CueKind

    form: str = ""  # the word as written, lower-cased: "saying" is a participle of "say"

    @property
    def participle(self) -> bool:
        return self.kind != "according" and self.form.split()[0].endswith("ing")


def _phrase_at(tokens: list[Token], i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """The number of tokens of the longest phrase that starts at `i`, or 0."""
    for phrase in _by_head(phrases).get(tokens[i].lower, ()):
        n = len(phrase)
        window = tokens[i : i + n]
        if len(window) == n and all(t.lower == w and not t.quoted for t, w in zip(window, phrase)):
            return n
    return 0


# Phrase lists by their first word (most tokens start none, and are passed over at once), kept
# by the identity of the list: a tuple of hundreds of phrases is slow to hash on every token.
_HEADS: dict[int, tuple[tuple[tuple[str, ...], ...], dict[str, list[tuple[str, ...]]]]] = {}


def _by_head(phrases: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    """The phrases that begin with each word, in the order they are listed."""
    kept = _HEADS.get(id(phrases))
    if kept is None or kept[0] is not phrases:
        index: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            index.setdefault(phrase[0], []).append(phrase)
        kept = _HEADS[id(phrases)] = (phrases, index)
    return kept[1]


def _verb_reading(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """Whether the word at `i` is used as a verb, not a noun, name, passive or infinitive."""
    token = tokens[i]
    if token.capitalised:
        # A name like "United States", or sentence-initial "Asked about ...": a question. Only a
        # participle opening the sentence before a comma is a cue ("Claiming that ..., he").
        return _opening_participle(tokens, i)
    prev = tokens[i - 1] if i > 0 else None
    if prev is None:
        return True
    low, g = prev.lower, grammar()
    if low in g.before_nouns or (low.endswith(("’s", "'s")) and prev.bare not in g.contracted):
        return False  # "the claims", "Trump's comments"; not "he’s claiming"
    if (
        token.lower in lex.also_nouns
        and i > 1
        and tokens[i - 2].lower in g.before_nouns
        and not _takes_clause(tokens, i, lex)
    ):
        return False  # "the American plan", "a new report"
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if (
        token.lower in lex.also_nouns
        and modifier(prev, lex)
        and not _takes_clause(tokens, i, lex)
        and nxt not in ("to", "that")
    ):
        return False  # "a Republican tax plan", "member states", "electoral votes"
    if token.lower in lex.also_nouns and after_a_name(tokens, i, lex):
        return False  # "a Donald Trump tweet attacking ...": a base form after "a" + a name
    if token.lower in lex.also_nouns and in_compound(tokens, i, lex):
        return False  # "a radio talk show host", "Minnesota state delegate Mary Susan"
    lemma = lex.verb_forms.get(token.lower) or lex.quote_forms.get(token.lower, "")
    if token.lower == lemma and low in g.prepositions:
        return False  # "for comment", "to say": the verb of someone else's clause
    if token.lower == lemma and low in ("and", "or") and _infinitive_before(tokens, i - 1):
        return False  # "launched to secure the borders and back a peace plan"
    if token.lower in lex.also_nouns and low.endswith("ing") and not prev.capitalised:
        return False  # "began taking calls from": the object of the participle
    if token.lower.endswith("ing") and low in g.gerund_after:
        return False  # "despite reiterating ...": a gerund, not a statement
    if _after_be(tokens, i) and token.lower.endswith(("ed", "en", "wn", "ld", "id")):
        # "was told by", "is expected to": passive; the source, if any, is after "by".
        return False
    if prev.is_word and prev.text.isdigit():
        # "the 2016 plan" is a noun; "an ad in 2008 questioned whether" a past verb after a year.
        return len(prev.text) == 4 and token.lower != lemma and not token.lower.endswith("s")
    return True


def _opening_participle(tokens: list[Token], i: int) -> bool:
    """ "Citing a new poll, the senator said ...": an -ing form that opens the sentence, with a
    comma after it before the main clause."""
    if not tokens[i].lower.endswith("ing") or any(t.is_word for t in tokens[:i]):
        return False
    lex = lexicon()
    if lex.verb_forms.get(tokens[i].lower) in lex.stance or i + 1 >= len(tokens):
        return False  # "Voting fraud is rare": a noun
    after = tokens[i + 1].lower
    if after in grammar().prepositions or after in lex.adverbial_starts:
        return False  # "Speaking to reporters, ...": a circumstance, the content comes later
    return any(t.text == "," for t in tokens[i + 2 : i + 30])


def _infinitive_before(tokens: list[Token], k: int) -> bool:
    """Whether an infinitive ("to secure") opens the stretch of clause before token `k`, so
    that a base form after "and" at `k` is coordinated with it, not a finite verb."""
    for j in range(k - 1, max(k - 14, 0), -1):
        token = tokens[j]
        if not token.is_word or token.quoted or token.lower in ("that", "who", "which"):
            return False
        if token.lower == "to" and j + 1 < k and tokens[j + 1].is_word:
            return not tokens[j + 1].capitalised and not tokens[j + 1].lower.endswith("ing")
    return False


def _after_be(tokens: list[Token], i: int) -> bool:
    """Whether a form of "be" comes before `i`, past adverbs ("were immediately labeled")."""
    g = grammar()
    k = i - 1
    while k >= 0 and (
        (tokens[k].lower.endswith("ly") and len(tokens[k].lower) > 4)
        or tokens[k].lower in g.passive_adverbs
        or tokens[k].lower in ("not", "never")  # "was not told": still a passive
    ):
        k -= 1
    return k >= 0 and tokens[k].lower in g.be


def _passive_by(tokens: list[Token], i: int, lex: Lexicon) -> int | None:
    """ "The plan is supported by most unions", "was first reported by the Post": the index of
    "by" after a passive cue verb, whose object is the source and whose subject the content."""
    low = tokens[i].lower
    if low not in lex.verb_forms or low == lex.verb_forms[low] or low.endswith(("s", "ing")):
        return None
    g = grammar()
    k = i - 1
    while k >= 0 and (tokens[k].lower.endswith("ly") or tokens[k].lower in g.passive_adverbs):
        k -= 1
    if k < 0 or tokens[k].lower not in g.be:
        return None
    by = i + 1
    if by + 1 >= len(tokens) or not tokens[by + 1].is_word:
        return None
    if tokens[by].lower == "by" or (low, tokens[by].lower) in lex.passive_targets:
        return by  # "was accused of lying": no source, the subject is part of the content
    return None


def _catenative(tokens: list[Token], i: int, lex: Lexicon) -> int | None:
    """Where the cue starts when the verb at `i` is an infinitive after a verb that shares its
    subject ("appeared to suggest", "went on to say"), else None."""
    if i < 2 or tokens[i].lower not in lex.verb_forms or tokens[i - 1].lower != "to":
        return None
    if tokens[i].lower != lex.verb_forms[tokens[i].lower] or tokens[i - 1].quoted:
        return None
    for phrase in lex.catenative:
        start = i - 1 - len(phrase)
        window = tokens[start : i - 1] if start >= 0 else []
        if window and all(t.lower == w and not t.capitalised for t, w in zip(window, phrase)):
            return start
    return None


def _takes_clause(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """ "A new poll shows that ...", "a poll shows Sanders ahead", "recent polls show Clinton
    ahead": a verb form that agrees with the noun before it (an -s form after a singular noun,
    the base form after a plural one) with a "that" clause or an object after it is the verb of
    that noun, not a noun ("the new shows", "the jobs report Friday")."""
    token = tokens[i]
    if token.lower in lex.nouns or i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    prev = tokens[i - 1]
    if not prev.is_word or prev.capitalised or nxt.quoted:
        return False
    plural = prev.lower.endswith("s") and not prev.lower.endswith(("ss", "us"))
    base = token.lower == lex.verb_forms.get(token.lower)
    if base != plural or (not base and not token.lower.endswith("s")):
        return False
    named = nxt.capitalised and nxt.lower not in lex.adverbial_words or nxt.text[0].isdigit()
    return (
        (nxt.lower == "that" and not base)
        or nxt.lower in ("him", "her", "them")
        or nxt.lower in grammar().before_nouns
        or named
    )


def _adjective_cue(tokens: list[Token], i: int, lex: Lexicon) -> Cue | None:
    """ "has been critical of", "is skeptical about", "was confident that": a form of be (at
    `i`), adverbs of degree, an adjective of stance and the word that opens its content."""
    g = grammar()
    if tokens[i].lower not in g.copulas or tokens[i].quoted:
        return None
    k = i + 1
    while (
        k < len(tokens) and k - i < 4 and (tokens[k].lower in g.degree or tokens[k].manner_adverb)
    ):
        k += 1
    if k + 1 >= len(tokens) or tokens[k].lower not in lex.adjectives or tokens[k].quoted:
        return None
    link = tokens[k + 1]
    if link.lower not in lex.adjective_links or link.quoted:
        return None
    last = k if link.lower == "that" else k + 1
    return Cue(i, last, tokens[k].lower, "verb", tokens[i].lower)


def _noun_cue(tokens: list[Token], i: int, lex: Lexicon) -> int | None:
    """Where the cue of a statement noun with an owner ends: "Trump's claim that ...", "his
    decision to leave", "her criticism of the deal" (the preposition is part of the cue)."""
    low = tokens[i].lower
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or nxt.quoted or i == 0:
        return None
    prev = tokens[i - 1]
    g = grammar()
    owned = prev.lower.endswith(("’s", "'s", "’")) and prev.bare not in g.contracted
    if not (owned or prev.lower in g.possessives):
        return None
    if low in lex.nouns and nxt.lower == "that":
        return i  # "Trump's claim that", "his warning that"
    if low in lex.intentions and nxt.lower == "to" and i + 2 < len(tokens):
        verb = tokens[i + 2]
        return i if verb.is_word and not verb.capitalised and not verb.quoted else None
    return i + 1 if (low, nxt.lower) in lex.judgments else None


def evidence_source(tokens: list[Token], i: int) -> tuple[int, int] | None:
    """ "In a national CNN/ORC poll released Monday, 31% of Republicans ...": where the source
    is when the "in" at `i` opens the sentence before a noun phrase whose head is a poll, survey
    or study, up to the comma after it; that phrase is then the source of the clause after it,
    as after "according to"."""
    if tokens[i].lower != "in" or any(t.is_word for t in tokens[:i]):
        return None
    lex, g = lexicon(), grammar()
    head = None
    for k in range(i + 1, min(i + 16, len(tokens))):
        token = tokens[k]
        if token.text == ",":
            return (i + 1, k - 1) if head is not None else None
        if token.quoted or (not token.is_word and token.text not in "/-."):
            return None
        if head is None and token.lower in lex.evidence:
            head = k
        elif head is None and token.lower in g.prepositions:
            return None
    return None


def find_cues(tokens: list[Token]) -> list[Cue]:
    """The cues of a sentence, in order. Quoted words are never cues."""
    lex = lexicon()
    cues: list[Cue] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.quoted or not token.is_word:
            i += 1
            continue
        n = _phrase_at(tokens, i, lex.before_source) or int(evidence_source(tokens, i) is not None)
        if n:
            form = "according" if n > 1 or token.lower != "in" else "in"
            cues.append(Cue(i, i + n - 1, "according", "according", form))
            i += n
            continue
        n = _phrase_at(tokens, i, lex.phrases)
        if n and _verb_reading(tokens, i, lex):
            words = tuple(t.lower for t in tokens[i : i + n])
            kind: CueKind = "refusal" if words in lex.refusals else "phrase"
            cues.append(Cue(i, i + n - 1, " ".join(words), kind, token.lower))
            i += n
            continue
        low = token.lower
        lead = _catenative(tokens, i, lex)
        if lead is not None:
            cues[:] = [c for c in cues if c.first < lead]  # "continued" is part of the cue
            cues.append(Cue(lead, i, lex.verb_forms[low], "verb", tokens[lead].lower))
        elif (stance := _adjective_cue(tokens, i, lex)) is not None:
            cues.append(stance)
            i = stance.last
        elif (noun := _noun_cue(tokens, i, lex)) is not None:
            cues.append(Cue(i, noun, low, "noun", low))
            i = noun
        elif (by := _passive_by(tokens, i, lex)) is not None:
            cues.append(Cue(i, by, lex.verb_forms[low], "passive", low))
        elif low in lex.verb_forms and _verb_reading(tokens, i, lex):
            cues.append(Cue(i, i, lex.verb_forms[low], "verb", low))
        elif low in lex.quote_forms and _verb_reading(tokens, i, lex):
            cues.append(Cue(i, i, lex.quote_forms[low], "quote_only", low))
        i += 1
    return _drop_noun_before_verb(tokens, cues, lex)


def _drop_noun_before_verb(tokens: list[Token], cues: list[Cue], lex: Lexicon) -> list[Cue]:
    """ "news reports say ...": of two cue words in a row, the first -s form is the plural noun
    that is the subject of the second."""
    drop = {
        id(a)
        for a, b in pairwise(cues)
        if a.kind == "verb"
        and b.kind in ("verb", "phrase")
        and b.first == a.last + 1
        and tokens[a.last].lower in lex.also_nouns
        and tokens[a.last].lower.endswith("s")
    }
    return [c for c in cues if id(c) not in drop]
