"""Nouns that are also verbs of the lexicon ("plan", "show", "state", "tweet"): where such a
word, in a form a verb may take, is a noun.

This module owns the readings `briefing.find.cues` and `briefing.find.nounphrase` share: a word
modifying the noun after it ("tax plan", "member states"), a base form after "a" and a name ("a
Donald Trump tweet"), a base form inside a compound ("a radio talk show host", "Minnesota state
delegate Mary Susan"), a cue followed by "such as" ("advocates such as ..."). A singular subject would take "-s", so a base form there is no finite
verb: it is no cue, and a noun phrase walking left goes past it.
"""

from __future__ import annotations

from briefing.find.lexicon import Lexicon, grammar
from briefing.find.tokens import Token


def after_a_name(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """Whether the base form at `i` follows "a" or "an" and a name ("a Donald Trump tweet"): a
    singular subject would take "tweets", so the word is a noun the name modifies."""
    if tokens[i].lower != lex.verb_forms.get(tokens[i].lower):
        return False
    if i + 1 < len(tokens) and tokens[i + 1].lower in ("that", "to"):
        return False  # "a New York Times report that ...": the statement noun's own clause
    k = i - 1
    while k >= 0 and tokens[k].capitalised and tokens[k].is_word:
        k -= 1
    return k < i - 1 and k >= 0 and tokens[k].lower in ("a", "an")


def in_compound(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """Whether the base form at `i` is a noun inside a compound: after a run of modifiers that a
    determiner opens ("a radio talk [show] host": the run may hold nouns that are also verbs), or
    right after a single name ("Minnesota [state] delegate", "the U.S. [plan]"). Either subject would be singular and
    take "shows", "states"; a base form there is no finite verb."""
    if tokens[i].lower != lex.verb_forms.get(tokens[i].lower) or i == 0:
        return False
    if i + 1 < len(tokens) and tokens[i + 1].lower in ("that", "to"):
        return False  # "a New York Times report that ...": the statement noun's own clause
    g = grammar()
    k = i - 1
    while k >= 0 and tokens[k].lower not in g.before_nouns and _compound_word(tokens[k], lex):
        k -= 1
    if k < i - 2 and k >= 0 and tokens[k].lower in g.before_nouns:
        return True  # one modifier after a determiner is `_verb_reading`'s own rule
    j = i - 1
    if tokens[j].text == "." and j > 0 and tokens[j - 1].end == tokens[j].start:
        j -= 1  # "the U.S. plan": the name ends in an abbreviation
    prev = tokens[j]
    name = prev.capitalised and prev.is_word and not prev.quoted
    plural = prev.lower.endswith(("s", "’", "'")) and "." not in prev.text  # not "U.S."
    if not name or plural or prev.lower in g.not_modifiers:
        return False
    k = j - 1
    while k >= 0 and tokens[k].capitalised and tokens[k].is_word:
        k -= 1
    # Not after a list ("Warren and Brown support"): the name is then not the whole subject.
    return k < 0 or tokens[k].lower not in ("and", "&", "or", ",")


def _compound_word(token: Token, lex: Lexicon) -> bool:
    """A word that may sit inside a noun compound before its head: a modifier ("tax"), or a noun
    that is also a verb in its base form ("talk", "vote")."""
    low = token.lower
    return modifier(token, lex) or (
        token.is_word
        and not token.capitalised
        and low in lex.also_nouns
        and low == lex.verb_forms.get(low)
    )


def modifier(prev: Token, lex: Lexicon) -> bool:
    """Whether a word before a verb-or-noun form modifies it as a noun ("tax [plan]", "member
    [states]"): a lower-case content word that cannot be a subject (a pronoun, a plural noun:
    "officials plan") or sit between a subject and its verb (an auxiliary, an adverb)."""
    low = prev.lower
    return (
        prev.is_word
        and not prev.capitalised
        and not prev.quoted
        and not low.endswith(("s", "ly", "’", "'"))
        and low not in grammar().not_modifiers
        and low not in lex.adverbial_words
        and low not in lex.verb_forms
        and low.isalpha()
    )


def opens_examples(tokens: list[Token], at: int) -> bool:
    """Whether the words after a cue open a list of examples ("such as ..."): what a noun
    ("advocates", "claims") is followed by, never a verb's content."""
    return at + 1 < len(tokens) and tokens[at].lower == "such" and tokens[at + 1].lower == "as"
