"""Asides between a subject and its verb: "Peskov, the Kremlin spokesman, said", "Obama, who
spoke in Ohio, said", "The mayor, speaking at a town hall, said", "Jo Park -- a teacher --
says".

This module owns finding the subject before a comma or dash that closes such an aside
(`subject_before_aside`). Each shape has a rule: a short appositive with a name on one side, a
description after a name that opens its clause, a parenthetical phrase ("in particular"), a
relative clause, and, failing those, any closed aside that is an appositive, a relative clause,
a participle or an adverbial phrase, however long.
"""

from __future__ import annotations

from briefing.find.lexicon import Lexicon, grammar
from briefing.find.nounphrase import TokenRange, abbreviation, is_verbish, np_left
from briefing.find.tokens import QUOTE_MARKS, Token


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
    head = np_left(tokens, k - 1, lex)
    before = tokens[head[0] - 1] if head is not None and head[0] > 0 else None
    if head is None or (before is not None and _governed(before)):
        # "Johnnie Wilson, of Springfield, Va., said": the place is no subject; nor is the
        # object in "Grassley, facing a challenge in Iowa, a swing state, said".
        return None
    # "Peskov, the Kremlin spokesman," or "A lawyer for the outlets, David Schulz,": one side
    # of the apposition is a name.
    named = all(t.capitalised for t in tokens[k + 1 : comma] if t.is_word)
    if not tokens[head[1]].capitalised and not named:
        return None
    return head[0], comma - 1


def _governed(before: Token) -> bool:
    """Whether the word before a noun phrase makes it an object: a preposition that may sit
    inside a source ("of Springfield") or a participle ("facing a challenge")."""
    low = before.lower
    return low in grammar().np_prepositions or (
        before.is_word and not before.capitalised and low.endswith("ing")
    )


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


DASHES = frozenset(["--", "-", "—", "―", "–"])


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
        if token.text == mark or (mark == "," and token.text in DASHES):
            break
    else:
        return None
    if k + 1 >= last or tokens[k + 1].lower not in ("who", "which"):
        return None
    while k > 0 and tokens[k - 1].text == tokens[k].text:
        k -= 1
    head = np_left(tokens, k - 1, lex)
    return (head[0], last - 1) if head else None


def _aside_kind(aside: list[Token], lex: Lexicon) -> str | None:
    """What an aside between a subject and its verb is: "appositive" ("a talk show host at ...",
    "63, a retired teacher", "chairman of the committee"), "relative" ("who has endorsed her",
    "whose company ..."), "participle" ("speaking on condition of anonymity", "clad in red"),
    "adverbial" ("in a statement", "after trading insults"), "subordinate" ("when asked about
    it", "as he has in the past"); None for anything else."""
    g = grammar()
    opener = aside[0]
    low = opener.lower
    if low in g.relatives or (
        low in g.prepositions and len(aside) > 1 and aside[1].lower in g.relatives
    ):
        return "relative"
    if not opener.is_word:
        return None
    if low in g.subordinators and len(aside) > 1:
        return "subordinate"
    if low in g.prepositions or low in g.aside_openers or opener.manner_adverb:
        return "adverbial"
    counted = low in g.quantifiers and len(aside) > 1 and aside[1].lower == "of"
    if (
        low in g.determiners
        or counted  # "one of the signatories", "many of them conservative Catholics"
        or opener.text.isdigit()
        or opener.capitalised
        or any(t.bare in lex.roles for t in aside[:3])
    ):
        return "appositive"
    if low.endswith("ing"):
        return "participle"
    if (low.endswith("ed") or low in g.irregular_past) and len(aside) > 1:
        # "clad in red", "elected by the council"; not "earned a salary": a passive participle
        # takes no object, so a verb before one is finite.
        nxt = aside[1].lower
        return "participle" if nxt in g.prepositions or aside[1].manner_adverb else None
    return None


def _finite_before_relative(aside: list[Token], lex: Lexicon) -> bool:
    """Whether an aside holds a verb of its own before any relative pronoun ("a state Obama won"
    is a clause; "a lawyer who has ..." is a noun and its relative clause)."""
    g = grammar()
    for k, token in enumerate(aside):
        low = token.lower
        if low in g.relatives or low == "that":
            return False
        if token.capitalised or token.quoted:
            continue
        if low in g.auxiliaries or low in g.irregular_past:
            return True
        if k > 0 and aside[k - 1].text == "," and low.endswith("ed"):
            return True  # "for example, earned a salary of": the verb of a clause
        verb = lex.verb_forms.get(low)
        if verb and low not in lex.also_nouns and not low.endswith(("ing", "ed", "en")):
            return True
    return False


def _opens_clause(tokens: list[Token], first: int) -> bool:
    """Whether a noun phrase starting at `first` starts its clause: the sentence, or after
    punctuation or a conjunction; not after the apostrophe of a plural possessive ("the
    victims’ groups")."""
    if first == 0:
        return True
    before = tokens[first - 1]
    glued = first > 1 and tokens[first - 2].end == before.start and tokens[first - 2].is_word
    if before.text in QUOTE_MARKS and glued:
        return False  # not a closing quotation mark after its comma (',” the economist Jo Ray')
    return not before.is_word or before.lower in grammar().connectives


def _glued(tokens: list[Token], k: int) -> bool:
    """Whether the mark at `k` sits inside a number or a word ("98,000"), not between phrases."""
    if not 0 < k < len(tokens) - 1:
        return False
    return tokens[k - 1].end == tokens[k].start and tokens[k].end == tokens[k + 1].start


def _closed_aside(tokens: list[Token], end: int, lex: Lexicon) -> TokenRange | None:
    """ "Bob Friedman, a talk show host and manager at the oldest radio station in Alabama,
    said", "Mr. Slinker, whose latest start-up, Paradata, uses big data, said", "Jason Sims -- a
    teacher from Mount Pleasant -- says": the subject before an aside closed by the comma or dash
    at `end`, however long, when the aside is an appositive, a relative clause, a participle or
    an adverbial phrase. The nearest opening mark whose noun phrase opens its clause wins."""
    mark = tokens[end].text
    last = end
    while last > 0 and tokens[last - 1].text == mark:
        last -= 1
    title = len(tokens)
    for o in range(last - 1, max(last - 50, 0), -1):
        token = tokens[o]
        if o >= title:
            continue  # inside a title ("the co-author of “Going Viral,” a book about ...")
        if token.text in QUOTE_MARKS and not token.quoted:
            opens = _title_start(tokens, o)
            if opens is None:
                return None
            title = opens
            continue
        if token.text in (";", ":"):
            return None
        if token.text != mark or token.quoted or _glued(tokens, o):
            continue
        opening = o
        while opening > 0 and tokens[opening - 1].text == mark:
            opening -= 1
        aside = tokens[o + 1 : last]
        if not aside or opening == 0:
            continue
        kind = _aside_kind(aside, lex)
        if kind is None or (
            kind in ("appositive", "adverbial") and _finite_before_relative(aside, lex)
        ):
            continue
        head = np_left(tokens, opening - 1, lex)
        if head is None or not _opens_clause(tokens, head[0]) or _holds_verb(tokens, head):
            continue
        words = tokens[head[0] : head[1] + 1]
        if all(t.text[0].isdigit() for t in words if t.is_word):
            continue  # "since Jan. 1, 2015,": a date, not a subject
        if kind == "appositive" and not _names_someone(words + aside, lex):
            continue  # "groups, the bill,": no one named on either side
        return (head[0], last - 1) if kind == "appositive" else head
    return None


def _title_start(tokens: list[Token], closing: int) -> int | None:
    """Where the quotation closed by the mark at `closing` opens, when it is a title ("The
    Apprentice", "Empire of the Fund"): one to six words, each capitalised but short function
    words; else None."""
    j = closing - 1
    while j >= 0 and tokens[j].quoted:
        j -= 1
    words = [t for t in tokens[j + 1 : closing] if t.is_word]
    if j < 0 or tokens[j].text not in QUOTE_MARKS or not 0 < len(words) <= 6:
        return None
    if not words[0].capitalised or any(not w.capitalised and len(w.text) > 3 for w in words):
        return None
    return j


def _names_someone(words: list[Token], lex: Lexicon) -> bool:
    """Whether an appositive and its noun name someone: a name or a role on either side."""
    return any(t.capitalised or t.bare in lex.roles for t in words if t.is_word)


def _holds_verb(tokens: list[Token], head: TokenRange) -> bool:
    """Whether a noun phrase ran into a clause ("Obama won Iowa"): a past verb after its first
    word, with no determiner before it."""
    g = grammar()
    for k in range(head[0] + 1, head[1] + 1):
        low = tokens[k].lower
        if tokens[k].capitalised:
            continue
        past = low in g.irregular_past or (
            low.endswith("ed") and tokens[k - 1].lower not in g.determiners
        )
        if past or low in g.auxiliaries:
            return True
    return False


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
    return np_left(tokens, k - 1, lex)


def subject_before_aside(tokens: list[Token], k: int, lex: Lexicon) -> TokenRange | None:
    """The subject before the aside that the comma or dash at `k` closes, if any."""
    if tokens[k].text == ",":
        return (
            _appositive(tokens, k, lex)
            or _long_appositive(tokens, k, lex)
            or _parenthetical(tokens, k, lex)
            or _relative_aside(tokens, k, lex)
            or _closed_aside(tokens, k, lex)
        )
    if tokens[k].text in DASHES:
        return _relative_aside(tokens, k, lex) or _closed_aside(tokens, k, lex)
    return None
