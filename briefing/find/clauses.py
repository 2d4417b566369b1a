"""Where a cue's source is in its sentence: the subjects and objects that name it.

This module owns the shallow syntax of sources, over the tokens of one sentence:

* `subject_before`: the noun phrase a cue verb has as subject ("Kremlin spokesman Dmitry Peskov
  on Wednesday said", "Peskov, the Kremlin spokesman, said", "Starmer, who said"; the asides
  are `briefing.find.asides`');
* `subject_after`: the source of an inverted cue ("..., said the Kremlin spokesman") or of
  "according to";
* `possessor`: the owner of a statement noun ("Trump's claim that");
* `sentence_subject`: the subject of the main clause, for a participle or a coordinated verb
  with no subject of its own ("Peskov met reporters, saying ...").

What follows a cue (its content) is `briefing.find.extent`'s.

Ranges are inclusive token index pairs. No parser: the rules read punctuation, function words
and the lexicon, which is enough for the few shapes news attribution takes.
"""

from __future__ import annotations

from briefing.find.asides import DASHES, subject_before_aside
from briefing.find.lexicon import grammar, lexicon
from briefing.find.nounphrase import (
    MAX_NP,
    TokenRange,
    abbreviation,
    is_verbish,
    np_left,
    skip_adverbials_back,
)
from briefing.find.tokens import Token


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
    if tokens[k].text == "," or tokens[k].text in DASHES:
        return subject_before_aside(tokens, k, lex)
    if _abbreviation_end(tokens, k):  # "Joseph R. Biden Jr. said", "the F.B.I. has said"
        found = np_left(tokens, k - 1, lex)
        if found is None or (found[0] == k - 1 and len(tokens[k - 1].text) <= 3):
            return None  # "U.S. plans", "D.C. lobbyists": a place modifying the noun after it
        return found[0], k
    if tokens[k].text == "%" and k > 0 and tokens[k - 1].text[0].isdigit():
        return _share(tokens, k)  # "42% say", "about 40% believe"
    if tokens[k].lower in grammar().quantifiers and _opens(tokens, k):
        # "Most believe that", "Both think", "One says": a count of people; not "most
        # recently", "all too often" (the quantifier of an adverb).
        return None if tokens[k + 1].manner_adverb else (k, k)
    if tokens[k].text == ")":  # "Sen. Lindsey Graham (R-S.C.) said"
        opening = next((j for j in range(k - 1, max(k - 9, -1), -1) if tokens[j].text == "("), 0)
        found = np_left(tokens, opening - 1, lex) if opening > 0 else None
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
        return _past_verb_cut(tokens, np_left(tokens, j, lex))
    return np_left(tokens, k, lex)


def _share(tokens: list[Token], k: int) -> TokenRange | None:
    """A share of people ending at the "%" at `k` as a subject, when it opens its clause past a
    word of approximation ("about 40% believe"); not "His 32% gives him", "enjoys 48%"."""
    first = k - 1
    while first > 0 and tokens[first - 1].lower in grammar().approximations:
        first -= 1
    return (first, k) if _opens(tokens, first) else None


def _opens(tokens: list[Token], k: int) -> bool:
    """Whether the word at `k` opens its clause: first, or after punctuation or a conjunction."""
    return k == 0 or not tokens[k - 1].is_word or tokens[k - 1].lower in grammar().connectives


def _abbreviation_end(tokens: list[Token], k: int) -> bool:
    """Whether the full stop at `k`, inside its sentence, ends an abbreviation the name before a
    verb ends with ("Jr.", "F.B.I.", "U.S.", "Inc."): glued to a short capitalised word."""
    if tokens[k].text != "." or k == 0:
        return False
    word = tokens[k - 1]
    return (
        word.capitalised
        and word.end == tokens[k].start
        and (len(word.text) <= 3 or "." in word.text)
    )


def subject_after(tokens: list[Token], at: int, stop: int | None = None) -> TokenRange | None:
    """The source that follows token `at` ("said Peskov", "according to the ministry")."""
    lex, g = lexicon(), grammar()
    end = len(tokens) if stop is None else stop
    k = at
    while k < end and tokens[k].lower in lex.adverbial_words:
        k += 1
    first = k
    while k < end and k - first < MAX_NP:
        token = tokens[k]
        low = token.lower
        if k > first and abbreviation(tokens, k):
            k += 1  # "said Anna K. Lind"
            continue
        if token.quoted or not token.is_word or low in g.clause_words or low == "who":
            break
        if (low in g.prepositions or low in lex.adverbial_starts) and low not in ("of", "for"):
            break
        if is_verbish(token, lex) and k > first and tokens[k - 1].lower not in g.before_nouns:
            break  # "said Peskov, adding": a verb; "according to the report": a noun
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


def sentence_subject(tokens: list[Token]) -> list[Token]:
    """The subject of the main clause, for participles with no other source in the sentence."""
    i = _past_opening_phrase(tokens)
    found = subject_after(tokens, i)
    if not found:
        return []
    words = tokens[found[0] : found[1] + 1]
    if words[0].capitalised and words[0].lower not in ("the", "a", "an"):
        # A name opens the sentence: the subject is the name ("Dmitry Peskov met reporters"),
        # past a role before it ("Democratic presidential nominee Hillary Clinton").
        return words[: _name_end(words)]
    for k in range(1, len(words)):
        # "A reporter for USA Today spotted ...": a past form after a noun is the verb.
        if (
            words[k].lower.endswith("ed")
            and not words[k].capitalised
            and words[k - 1].lower not in ("a", "an", "the")
        ):
            return words[:k]
    return words


def _past_opening_phrase(tokens: list[Token]) -> int:
    """Where the main clause starts after a phrase opening the sentence ("Speaking in Ohio, ...",
    "Chastened by the analyses, as well as ..., Trump revised"): after the first comma that a
    capitalised word or a pronoun follows (else the first comma), or 0 with no such phrase."""
    if not tokens:
        return 0
    dateline = _dateline_end(tokens)
    if dateline:
        return dateline
    first = tokens[0].lower
    commas = [k for k, t in enumerate(tokens[:30]) if t.text == "," and k + 1 < len(tokens)]
    if first.endswith("ing") or first in grammar().links | {"in", "on"}:
        return commas[0] + 1 if commas and commas[0] < 15 else 0
    # A past participle: a lower-case word after it ("Chastened by"; not "Ted Cruz").
    if not first.endswith("ed") or len(tokens) < 2 or tokens[1].capitalised:
        return 0
    lex = lexicon()
    pronouns = lex.person_pronouns | lex.group_pronouns
    subject = [k for k in commas if tokens[k + 1].capitalised or tokens[k + 1].lower in pronouns]
    return subject[0] + 1 if tokens[1].is_word and subject else 0


def _dateline_end(tokens: list[Token]) -> int:
    """Where the sentence starts after a wire dateline ("ORLANDO, Fla. (Reuters) - President
    Obama met ...", "(AP) — The senator ..."): after the first dash, when only capitalised words
    come before it and one of them is in capitals or in brackets (not "Jo Park -- a teacher --");
    else 0."""
    dash = next((k for k, t in enumerate(tokens[:12]) if t.text in DASHES), None)
    if dash is None:
        return 0
    before = tokens[:dash]
    words = [t for t in before if t.is_word]
    if not words or not all(t.capitalised for t in words):
        return 0
    if not any(t.text == "(" for t in before) and not any(
        len(t.text) > 1 and t.text.isupper() and t.text.isalpha() for t in words
    ):
        return 0
    while dash + 1 < len(tokens) and tokens[dash + 1].text in DASHES:
        dash += 1
    return dash + 1


def _name_end(words: list[Token]) -> int:
    """The end of the name opening a subject: its capitalised run, or the run after role words
    ("Democratic presidential nominee [Hillary Clinton]"; not "Trump unleashed [a series]")."""
    roles = lexicon().roles
    run = 0
    while run < len(words) and (words[run].capitalised or words[run].text == "."):
        run += 1
    k = run
    while k < len(words) and k - run < 3 and not words[k].capitalised:
        k += 1
    if k == run or k >= len(words) or words[k - 1].bare not in roles:
        return run
    while k < len(words) and (words[k].capitalised or words[k].text == "."):
        k += 1
    return k
