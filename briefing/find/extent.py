"""How far a cue's content runs: past the hearer and adverbials, to the end of its clause.

This module owns the content side of a cue, over the tokens of one sentence: `content_after`
skips what sits between a cue and what was said ("told reporters on Monday that", "said in a
statement:"), and `trailing_adverbial` tells a circumstance after the cue ("on Monday") from
content, which decides that an attribution closes its sentence ("..., Peskov said on Monday.").
"""

from __future__ import annotations

from briefing.find.lexicon import Lexicon, grammar, lexicon
from briefing.find.nounphrase import TokenRange, is_verbish
from briefing.find.tokens import QUOTE_MARKS, Token


def _skip_hearer(tokens: list[Token], j: int, end: int) -> int:
    """Past the hearer of "told reporters that", "assured Kyiv it would", "warned Russia of"."""
    for k in range(j, min(j + 9, end)):
        if tokens[k].lower == "that" and not tokens[k].quoted:
            return k
        if not tokens[k].is_word and tokens[k].text not in ("’", "'"):
            break
    if j < end and tokens[j].lower in grammar().hearers:
        j += 1
    while (
        j < end
        and tokens[j].is_word
        and (tokens[j].capitalised or tokens[j].lower.endswith(("’s", "'s")))
    ):
        j += 1
    return j


def infinitive(tokens: list[Token], j: int, end: int) -> bool:
    """Whether "to" at `j` starts an infinitive ("wants to sign", "urged Congress to act"), not
    a prepositional phrase ("to reporters", "to the ministry", "to 30 percent")."""
    if j + 1 >= end or tokens[j].lower != "to" or tokens[j].quoted:
        return False
    verb, g = tokens[j + 1], grammar()
    low = verb.lower
    return (
        verb.is_word
        and not verb.capitalised
        and not verb.text[0].isdigit()
        and low not in g.hearers
        and low not in g.determiners
        and (not low.endswith("s") or low.endswith("ss"))
    )


def _owned_statement(tokens: list[Token], j: int, k: int, lex: Lexicon) -> bool:
    """Whether the word at `k` is a statement noun with an owner in the phrase before it ("to Mr.
    Trump's debate interjection"): a "that" after it is that statement's, not the cue's content
    ("during this week's debate that" is a circumstance; "in a statement that" has no owner)."""
    return tokens[k].lower in lex.nouns and any(t.lower.endswith(("'s", "’s")) for t in tokens[j:k])


def _skip_adverbials(tokens: list[Token], j: int, end: int, lex: Lexicon) -> int:
    """Past "on Monday", "in a statement", "also" ... when a "that", colon or comma shows where
    the content starts."""
    while j < end:
        low = tokens[j].lower
        if low in lex.adverbial_words and not tokens[j].quoted:
            j += 1
            continue
        if low in lex.adverbial_starts and not infinitive(tokens, j, end):
            for k in range(j + 1, min(j + 11, end)):
                if tokens[k].quoted:
                    break
                if tokens[k].lower == "that" or tokens[k].text in (":", ","):
                    j = k
                    break
                if is_verbish(tokens[k], lex) or _owned_statement(tokens, j, k, lex):
                    break  # "responded to Mr. Trump's interjection that ...": the noun's clause
            else:
                break
            if tokens[j].lower != "that" and tokens[j].text not in (":", ","):
                break
            continue
        break
    while j < end and tokens[j].text in (":", ","):
        j += 1
    return j


def content_after(tokens: list[Token], last: int, lemma: str, end: int) -> TokenRange | None:
    """The content that follows a cue ending at token `last`, up to token `end` (exclusive)."""
    lex = lexicon()
    j = last + 1
    if lemma in lex.takes_object:
        past = _skip_hearer(tokens, j, end)
        # "urged Congress to act": the hearer is part of what was urged.
        j = j if past > j and infinitive(tokens, past, end) else past
    j = _skip_adverbials(tokens, j, end, lex)
    k = end - 1
    while k >= j and not tokens[k].is_word and tokens[k].text not in QUOTE_MARKS:
        k -= 1
    if k < j or not any(t.is_word for t in tokens[j : k + 1]):
        return None
    return j, k


def trailing_adverbial(tokens: list[Token], span: TokenRange | None) -> bool:
    """Whether what follows a cue is only a circumstance ("on Monday", "in an interview"), not
    content: the attribution then closes the sentence and the content is before it."""
    if span is None:
        return True
    lex = lexicon()
    first = tokens[span[0]]
    if first.lower not in lex.adverbial_starts or infinitive(tokens, span[0], span[1] + 1):
        return False
    words = tokens[span[0] : span[1] + 1]
    if len(words) > 14 or any(t.lower == "that" or t.quoted for t in words):
        return False
    # A circumstance has no verb of its own: "this week" is one, "this is a lie" is content.
    return not any(t.lower in grammar().auxiliaries or is_verbish(t, lex) for t in words)
