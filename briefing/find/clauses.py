"""Where a cue's source and content are in its sentence: noun phrases and clause extents.

This module owns the shallow syntax the finder needs, over the tokens of one sentence:

* `subject_before`: the noun phrase a cue verb has as subject ("Kremlin spokesman Dmitry Peskov
  on Wednesday said", "Peskov, the Kremlin spokesman, said", "Starmer, who said");
* `subject_after`: the source of an inverted cue ("..., said the Kremlin spokesman") or of
  "according to";
* `content_after`: what follows the cue, past its hearer ("told reporters") and adverbials ("on
  Monday", "in a statement") up to the end of the clause.

Ranges are inclusive token index pairs. No parser: the rules read punctuation, function words
and the lexicon, which is enough for the few shapes news attribution takes.
"""

from __future__ import annotations

from briefing.find.lexicon import Lexicon, grammar, lexicon
from briefing.find.tokens import QUOTE_MARKS, Token

TokenRange = tuple[int, int]

_MAX_NP = 10


def is_verbish(token: Token, lex: Lexicon) -> bool:
    low = token.lower
    return not token.capitalised and (
        low in grammar().auxiliaries or low in lex.verb_forms or low in lex.quote_forms
    )


def skip_adverbials_back(tokens: list[Token], k: int, lex: Lexicon) -> int:
    """The index of the first token before `k` (inclusive) that is not an adverbial between a
    subject and its verb ("has also", "on Wednesday", "previously")."""
    time_words = grammar().time_words
    while k >= 0:
        low = tokens[k].lower
        if (
            low in lex.adverbial_words
            or low == "n't"
            or _negated_auxiliary(tokens, k)
            or tokens[k].manner_adverb
            or (
                low in time_words
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


def _np_left(tokens: list[Token], last: int, lex: Lexicon) -> TokenRange | None:
    """The noun phrase ending at `last`, walking left to a boundary: a clause word, a
    preposition other than those that may sit inside a source, a verb."""
    g = grammar()
    first = last
    k = last - 1
    while k >= 0 and last - k < _MAX_NP:
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
            or is_verbish(token, lex)
        ):
            break
        if low in ("and", "&") and not (tokens[k - 1].capitalised if k > 0 else False):
            break
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


def _appositive(tokens: list[Token], comma: int, lex: Lexicon) -> TokenRange | None:
    """ "Peskov, the Kremlin spokesman, said": the source before an appositive that ends at the
    comma at `comma` (or "Starmer, who ...,")."""
    k = comma - 1
    while k >= 0 and tokens[k].text != "," and comma - k < 14:
        if tokens[k].quoted or tokens[k].text in QUOTE_MARKS or tokens[k].text in ";:":
            return None
        k -= 1
    if k <= 0 or tokens[k].text != ",":
        return None
    first_word = tokens[k + 1]
    opens = first_word.lower in ("the", "a", "an", "who", "which") or first_word.capitalised
    if not opens:
        return None
    head = _np_left(tokens, k - 1, lex)
    if head is None or (head[0] > 0 and tokens[head[0] - 1].lower in grammar().np_prepositions):
        return None  # "Johnnie Wilson, of Springfield, Va., said": the place is no subject
    # "Peskov, the Kremlin spokesman," or "A lawyer for the outlets, David Schulz,": one side
    # of the apposition is a name.
    named = all(t.capitalised for t in tokens[k + 1 : comma] if t.is_word)
    if not tokens[head[1]].capitalised and not named:
        return None
    return head[0], comma - 1


def _long_appositive(tokens: list[Token], comma: int, lex: Lexicon) -> TokenRange | None:
    """ "Megan Hester, senior associate for ... at the Annenberg Institute, said": a name that
    opens its clause, then any description up to the comma before the verb."""
    start = 0
    for k in range(comma - 1, -1, -1):
        if tokens[k].text in QUOTE_MARKS or tokens[k].text in (";", ":") or tokens[k].quoted:
            start = k + 1
            break
    connectives = grammar().connectives
    while start < comma and (not tokens[start].is_word or tokens[start].lower in connectives):
        start += 1
    if comma - start > 45 or start >= comma or not tokens[start].capitalised:
        return None
    k = start
    while k < comma and ((tokens[k].is_word and tokens[k].capitalised) or abbreviation(tokens, k)):
        k += 1
    if k == start or tokens[k].text not in (",", "(") or k == comma:
        return None
    for j in range(k, comma):
        token = tokens[j]
        finite = token.lower in lex.verb_forms and not token.lower.endswith("ing")
        # "one of the states suing the EPA": a noun; "who says": the name's relative clause
        exempt = tokens[j - 1].lower in grammar().determiners | {"who", "which"}
        if finite and not exempt and not token.capitalised:
            return None  # a clause of its own, not a description of the name
    return start, comma - 1


_DASHES = frozenset(["--", "-", "—", "―", "–"])


def _relative_aside(tokens: list[Token], end: int, lex: Lexicon) -> TokenRange | None:
    """ "The alliance, which includes two unions, says", "The film -- which weaves ... --
    explains": the noun before a relative clause set off by commas or dashes."""
    mark = tokens[end].text
    last = end
    while last > 0 and tokens[last - 1].text == mark:
        last -= 1  # "--" is two tokens
    for k in range(last - 1, max(end - 40, 0), -1):
        token = tokens[k]
        if token.quoted or token.text in QUOTE_MARKS or token.text in (";", ":"):
            return None
        if token.text == mark or (mark == "," and token.text in _DASHES):
            break
    else:
        return None
    if k + 1 >= last or tokens[k + 1].lower not in ("who", "which"):
        return None
    while k > 0 and tokens[k - 1].text == tokens[k].text:
        k -= 1
    head = _np_left(tokens, k - 1, lex)
    return (head[0], last - 1) if head else None


def _parenthetical(tokens: list[Token], comma: int, lex: Lexicon) -> TokenRange | None:
    """ "Trump, in particular, has criticized", "Other unions, including the AFT, have endorsed":
    the subject before an aside set off by commas that opens with a preposition or an adverb."""
    k = comma - 1
    while k >= 0 and tokens[k].text != "," and comma - k < 12:
        if tokens[k].quoted or not tokens[k].is_word and tokens[k].text not in ".-&":
            return None
        k -= 1
    if k <= 0 or tokens[k].text != "," or k + 1 == comma:
        return None
    aside = tokens[k + 1 : comma]
    opener = aside[0]
    if opener.lower not in grammar().aside_openers and not opener.manner_adverb:
        return None
    if any(is_verbish(t, lex) for t in aside):
        return None
    return _np_left(tokens, k - 1, lex)


def _past_verb_cut(tokens: list[Token], found: TokenRange | None) -> TokenRange | None:
    """The noun phrase after a past verb inside it ("He released [a letter from his doctor]"):
    a lower-case -ed word with no determiner before it is a verb, not part of the phrase."""
    if found is None:
        return None
    first, last = found
    determiners = grammar().determiners
    for k in range(last - 1, first - 1, -1):
        low = tokens[k].lower
        before = tokens[k - 1].lower if k > 0 else ""
        if low.endswith("ed") and not tokens[k].capitalised and before not in determiners:
            return k + 1, last
    return found


def subject_before(tokens: list[Token], at: int) -> TokenRange | None:
    """The subject of the cue starting at token `at`, if it has one before it: past a floating
    quantifier ("the senators all said"), with the earlier names of a list ("Merkley (D-Ore.),
    Brown and Menendez said")."""
    k = skip_adverbials_back(tokens, at - 1, lexicon())
    quantified = k > 0 and tokens[k].lower in ("all", "both")
    found = _subject_at(tokens, k - 1 if quantified else k)
    if found is None:
        return None
    if quantified and not tokens[found[0]].capitalised:
        return None  # "the meetings all suggest": a writer's reading more often than a speaker
    found = (found[0], k) if quantified else found
    return _list_before(tokens, found)


def _list_before(tokens: list[Token], found: TokenRange) -> TokenRange:
    """The names before the last of a list ("Merkley (D-Ore.), Brown and [Menendez]"), when the
    list opens its clause; else `found` as it is."""
    first = found[0]
    joined = any(t.lower == "and" for t in tokens[found[0] : found[1]])
    while first > 1 and tokens[first - 1].lower in (",", "and"):
        if tokens[first - 1].lower == "and":
            if joined:
                return found
            joined = True
        item = _subject_at(tokens, first - 2)
        if item is None or not tokens[item[0]].capitalised:
            return found
        first = item[0]
    opens = first == 0 or not tokens[first - 1].is_word
    return (first, found[1]) if joined and opens and first < found[0] else found


def _subject_at(tokens: list[Token], k: int) -> TokenRange | None:
    """The subject ending at token `k` (past adverbials already)."""
    lex = lexicon()
    if k < 0:
        return None
    if tokens[k].text == ",":
        return (
            _appositive(tokens, k, lex)
            or _long_appositive(tokens, k, lex)
            or _parenthetical(tokens, k, lex)
            or _relative_aside(tokens, k, lex)
        )
    if tokens[k].text in _DASHES:
        return _relative_aside(tokens, k, lex)
    if tokens[k].text == ")":  # "Sen. Lindsey Graham (R-S.C.) said"
        opening = next((j for j in range(k - 1, max(k - 9, -1), -1) if tokens[j].text == "("), 0)
        found = _np_left(tokens, opening - 1, lex) if opening > 0 else None
        return (found[0], k) if found else None
    if tokens[k].lower in ("whom", "which") and k > 1 and tokens[k - 1].lower == "of":
        return k - 2, k  # "many of whom say"
    if tokens[k].lower in ("who", "which") or (tokens[k].lower == "that" and k > 0):
        # "Starmer, who said", "the study -- which notes", "a group that intends": the noun
        # before the relative pronoun.
        j = k - 1
        while j >= 0 and tokens[j].text in (",", "-", "—", "–"):
            j -= 1
        if j < 0 or (tokens[k].lower == "that" and is_verbish(tokens[j], lex)):
            return None  # "said that reports show": "that" opens the content, no relative
        return _past_verb_cut(tokens, _np_left(tokens, j, lex))
    return _np_left(tokens, k, lex)


def subject_after(tokens: list[Token], at: int, stop: int | None = None) -> TokenRange | None:
    """The source that follows token `at` ("said Peskov", "according to the ministry")."""
    lex, g = lexicon(), grammar()
    end = len(tokens) if stop is None else stop
    k = at
    while k < end and tokens[k].lower in lex.adverbial_words:
        k += 1
    first = k
    while k < end and k - first < _MAX_NP:
        token = tokens[k]
        low = token.lower
        if k > first and abbreviation(tokens, k):
            k += 1  # "said Anna K. Lind"
            continue
        if token.quoted or not token.is_word or low in g.clause_words or low == "who":
            break
        if (low in g.prepositions or low in lex.adverbial_starts) and low not in ("of", "for"):
            break
        if is_verbish(token, lex) and k > first:
            break
        k += 1
    last = k - 1
    if last < first:
        return None
    # "said the Kremlin spokesman, Dmitry Peskov.": a name in apposition completes the source.
    if k + 1 < end and tokens[k].text == "," and tokens[k + 1].capitalised:
        j = k + 1
        while j < end and tokens[j].is_word and tokens[j].capitalised and not tokens[j].quoted:
            j += 1
        if j == end or not tokens[j].is_word:
            last = j - 1
    if tokens[first].lower in lex.not_sources and not _counted(tokens, first, last):
        return None
    return first, last


def _counted(tokens: list[Token], first: int, last: int) -> bool:
    """ "said one senior official", "according to some economists": a count before a noun."""
    return (
        tokens[first].lower in ("one", "some", "many", "most", "both", "all")
        and last > first
        and tokens[first + 1].lower != "of"
    )


def possessor(tokens: list[Token], at: int) -> TokenRange | None:
    """The owner of a statement noun at `at`: "Donald Trump’s [claim]" -> "Donald Trump’s",
    "the ministry’s [warning]" -> "the ministry’s"."""
    if at > 0 and tokens[at - 1].lower in ("his", "her", "their", "its", "our", "my"):
        return at - 1, at - 1  # "his decision to ...": the pronoun, resolved like "he"
    if at == 0 or not tokens[at - 1].lower.endswith(("’s", "'s", "’")):
        return None
    first = at - 1
    while first > 0 and at - first < 6:
        before = tokens[first - 1]
        if not before.is_word or before.quoted:
            break
        if not (before.capitalised or before.lower in ("the", "a", "an")):
            break
        first -= 1
    return first, at - 1
