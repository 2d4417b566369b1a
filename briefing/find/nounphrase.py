"""Noun phrases in a sentence's tokens: where the one ending at a token starts, and the words
that may sit between a subject and its verb.

This module owns the primitives the subject and aside rules share (`briefing.find.clauses`,
`briefing.find.asides`): a phrase walks left from its last word to a clause word, a preposition
that cannot sit inside a source, or a verb; adverbials ("has also", "on Wednesday") are skipped;
the full stop of "Mr." or "J." is part of a name. Ranges are inclusive token index pairs.
"""

from __future__ import annotations

from briefing.find.lexicon import Lexicon, grammar
from briefing.find.nouns import in_compound
from briefing.find.tokens import Token

TokenRange = tuple[int, int]


MAX_NP = 10


def is_verbish(token: Token, lex: Lexicon) -> bool:
    low = token.lower
    return not token.capitalised and (
        low in grammar().auxiliaries or low in lex.verb_forms or low in lex.quote_forms
    )


def skip_adverbials_back(tokens: list[Token], k: int, lex: Lexicon) -> int:
    """The index of the first token before `k` (inclusive) that is not an adverbial between a
    subject and its verb ("has also", "on Wednesday", "previously")."""
    g = grammar()
    while k >= 0:
        low = tokens[k].lower
        if (
            low in lex.adverbial_words
            or (low in g.place_words and k > 0 and tokens[k - 1].is_word)
            or low == "n't"
            or _negated_auxiliary(tokens, k)
            or tokens[k].manner_adverb
            or (
                low in g.time_words
                and k + 1 < len(tokens)
                and (tokens[k + 1].lower in lex.adverbial_words)
            )
        ):
            k -= 1
        else:
            break
    return k


def _negated_auxiliary(tokens: list[Token], k: int) -> bool:
    """ "Trump didn't apologize": a negated auxiliary after a subject ("But don't expect": none)."""
    g = grammar()
    low = tokens[k].lower.replace("’", "'")
    after_word = k > 0 and tokens[k - 1].is_word and tokens[k - 1].lower not in g.connectives
    return low.endswith("n't") and low.removesuffix("n't") in g.negatable and after_word


def abbreviation(tokens: list[Token], k: int) -> bool:
    """Whether the token at `k` is the full stop of an abbreviation inside a name ("Mr." or
    "J." before a capitalised word)."""
    if tokens[k].text != "." or k == 0 or k + 1 >= len(tokens):
        return False
    before, after = tokens[k - 1], tokens[k + 1]
    return (
        before.capitalised
        and len(before.text) <= 3
        and before.end == tokens[k].start
        and after.capitalised
        and after.is_word
    )


def np_left(tokens: list[Token], last: int, lex: Lexicon) -> TokenRange | None:
    """The noun phrase ending at `last`, walking left to a boundary: a clause word, a
    preposition other than those that may sit inside a source, a verb."""
    g = grammar()
    if tokens[last].text == ")":  # "Sen. Roy Blunt (R-Mo.), facing ..., noted": it ends there
        bracket = next(
            (j for j in range(last - 1, max(last - 9, -1), -1) if tokens[j].text == "("), 0
        )
        inner = np_left(tokens, bracket - 1, lex) if bracket > 0 else None
        return (inner[0], last) if inner else None
    first = last
    k = last - 1
    while k >= 0 and last - k < MAX_NP:
        token = tokens[k]
        low = token.lower
        if token.text == ")":  # "Sen. Lindsey Graham (R-S.C.)": the bracket is part of it
            opening = next(
                (j for j in range(k - 1, max(k - 9, -1), -1) if tokens[j].text == "("), None
            )
            if opening is None:
                break
            k = opening - 1
            continue
        if abbreviation(tokens, k):
            first = k  # "Mr. Van Voorhis", "Donald J. Trump"
            k -= 1
            continue
        if token.quoted or not token.is_word:
            break
        within = low in g.np_prepositions
        if (
            low in g.clause_words
            or (low in g.prepositions and not within)
            or (is_verbish(token, lex) and not in_compound(tokens, k, lex))
        ):
            break  # not "White House [press] secretary Josh Earnest": a noun of the name
        if low in ("and", "&") and not (tokens[k - 1].capitalised if k > 0 else False):
            break
        if low.endswith("ing") and not token.capitalised and tokens[k + 1].lower in g.determiners:
            break  # "facing a challenge in Iowa": a participle and its object, no noun phrase
        first = k
        k -= 1
    while first <= last and (
        tokens[first].lower in g.connectives
        or tokens[first].lower in g.np_prepositions
        or tokens[first].lower in lex.adverbial_words
    ):
        first += 1
    if first > last:
        return None
    head = tokens[last]
    if not head.is_word or head.quoted:
        return None
    if head.lower in lex.not_sources and head.lower not in lex.thing_pronouns:
        return None
    return first, last
