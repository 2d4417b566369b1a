"""What a stance word is about, read against the topic's proposition (issue 17, item 3).

The stance lexicon (`briefing.extract.stance`) takes a content's words to be about its topic.
That fails where the words name someone else: "promised to continue supporting Clinton" is
support of Clinton and says nothing of "Donald Trump's conduct toward women is acceptable";
"Machado was disgusting" judges Machado, not Trump. So a stance word whose target is a proper
name is read only when the proposition names it too:

* an attitude's target is its object: the name it governs ("supporting Clinton", "support for
  Clinton", "appreciated Machado's courage"), not a possessive before a noun of what was said or
  proposed ("welcome Washington's statements": about what they say);
* a word right before a name is about that name ("helped Machado get", "the danger Trump poses");
* a word in a clause that opens with a name and a copula judges that name ("Hillary Clinton is
  lying about ...", "that Machado was disgusting").

A word whose target is unnamed (a pronoun, a common noun) keeps the lexicon's reading: it is
taken to be about the proposition, as before. Which words can be names is told by case: a
capitalised word inside a sentence; at a sentence's start, only before another capitalised word
or before a copula, and never one of the pronouns and determiners of [targets] `not_names`.

The proposition's own polarity is read too: a proposition stated negatively ("Donald Trump is
unfit to be president") turns every reading round, so "Trump is a disaster" supports it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# A word of the original case, with an inner apostrophe; clause punctuation; the joiner "...".
_CASED = re.compile(r"\.\.\.|[A-Za-z0-9]+(?:'[A-Za-z]+)?|[,;:.!?()\u2013\u2014]")
SENTENCE_ENDS = frozenset({".", "!", "?", ":", ";", "..."})


@dataclass(frozen=True)
class TargetWords:
    """The closed-class words the target rules read ([targets] of stance.toml)."""

    # Words that may stand before an attitude's object ("support for", "satisfied with the").
    object_leads: frozenset[str] = frozenset()
    # Copulas after which a predicate judges the clause's subject ("is", "was").
    copulas: frozenset[str] = frozenset()
    # Auxiliaries before "be"/"been" that make a copula ("has been", "will be").
    auxiliaries: frozenset[str] = frozenset()
    # Words opening a clause before its subject ("that", "but").
    clause_openers: frozenset[str] = frozenset()
    # Capitalised at a sentence's start but never a name ("It", "This", "We").
    not_names: frozenset[str] = frozenset()
    # Titles before a name, with or without a full stop ("Mr.", "Sen.").
    titles: frozenset[str] = frozenset()
    # Nouns of what someone said or proposes: "welcome Washington's statements" is about what
    # the statements say; before any other noun a possessive name is the target ("appreciated
    # Machado's courage" is about Machado).
    said_nouns: frozenset[str] = frozenset()
    # Words after a name that make it no modifier of a noun ("supporting NATO in ...").
    function_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Proposition:
    """A proposition as the target rules read it: its names (words it writes capitalised, in
    lower case, possessive "'s" removed), whether it is stated negatively, and whether it
    demands a correction of a person (`briefing.extract.directive`)."""

    names: frozenset[str]
    turned: bool = False
    persons: frozenset[str] = frozenset()  # the words of its names of persons ("donald", "trump")
    demands: bool = False  # it demands a correction of a person ("Lopez should release ...")


def cased_words(text: str) -> tuple[list[str], list[int]]:
    """The words of `text` as the lexicon reads them (lower case), and for each how it is
    written: 0 lower case, 1 capitalised, 2 all capitals ("NATO", "US")."""
    found = _CASED.findall(text.replace("\u2019", "'").replace("\u2018", "'"))
    return [w.casefold() for w in found], [_case(w) for w in found]


def _case(word: str) -> int:
    if not word[:1].isupper():
        return 0
    return 2 if len(word) > 1 and word.isupper() else 1


def names_of(text: str) -> frozenset[str]:
    """The capitalised words of a proposition, lower case and without a possessive."""
    words, caps = cased_words(text)
    return frozenset(_bare(w) for w, cap in zip(words, caps, strict=True) if cap)


def _bare(word: str) -> str:
    return word[:-2] if word.endswith("'s") else word.rstrip("'")


def name_run(words: Sequence[str], caps: Sequence[int], at: int, targets: TargetWords) -> int:
    """The end of the capitalised run from `at` (titles and their full stops inside it: "Mr.
    Trump" is one run); `at` itself where no capitalised word is there."""
    end = at
    while end < len(words) and (
        (caps[end] and words[end][0].isalnum())
        or (words[end] == "." and end > at and words[end - 1] in targets.titles)
    ):
        end += 1
    return end


def _name_at(
    words: Sequence[str], caps: Sequence[int], at: int, targets: TargetWords
) -> tuple[int, int] | None:
    """The name that starts at `at`, as (start, end), or None."""
    if at >= len(words) or not caps[at] or words[at] in targets.not_names:
        return None
    end = name_run(words, caps, at, targets)
    while end > at and words[end - 1] == ".":
        end -= 1
    starts_sentence = at == 0 or words[at - 1] in SENTENCE_ENDS
    if starts_sentence and end - at < 2 and not _copula_at(words, end, targets):
        return None  # "Something was going on": a capital only because the sentence starts
    return at, end


def _copula_at(words: Sequence[str], at: int, targets: TargetWords) -> bool:
    if at < len(words) and words[at] in targets.copulas:
        return True
    return (
        at + 1 < len(words) and words[at] in targets.auxiliaries and words[at + 1] in ("be", "been")
    )


def _entity(
    words: Sequence[str], caps: Sequence[int], span: tuple[int, int] | None, targets: TargetWords
) -> tuple[str, ...] | None:
    """The name's words, or None where there is no name or it is a possessive (it qualifies
    the noun after it: "Machado's courage" is about the courage)."""
    if span is None:
        return None
    start, end = span
    if words[end - 1].endswith(("'s", "'")):
        return None
    modifier = end - start == 1 and end < len(words)
    if modifier and _modifies(words[start], caps[start], words[end], targets.function_words):
        return None  # "NATO troops", "the American mediation": about the troops, the mediation
    return tuple(w for w in words[start:end] if w[0].isalnum())


_ADJECTIVAL = re.compile(r"[a-z]+(?:an|ese|ish|ch)")


def _modifies(name: str, case: int, after: str, function_words: frozenset[str]) -> bool:
    """Whether a one-word name stands before a noun as its modifier: an acronym ("NATO troops",
    "US sanctions") or a word of nationality ("the American mediation", "British troops")."""
    if not after[:1].isalpha() or after in function_words:
        return False
    return case == 2 or _ADJECTIVAL.fullmatch(name) is not None


def object_target(
    words: Sequence[str], caps: Sequence[int], start: int, stop: int, targets: TargetWords
) -> tuple[str, ...] | None:
    """The name an attitude's object (words[start:stop]) is, past its leading prepositions and
    determiners: "supporting Clinton", "support for Mr. Trump". None: no name heads it."""
    at = start
    while at < stop and words[at] in targets.object_leads and not caps[at]:
        at += 1
    if at >= stop:
        return None
    span = _name_at(words, caps, at, targets)
    if span is not None and words[span[1] - 1].endswith(("'s", "'")):
        noun = words[span[1]] if span[1] < stop else ""
        if noun and noun not in targets.said_nouns:
            return tuple(_bare(w) for w in words[span[0] : span[1]] if w[0].isalnum())
    return _entity(words, caps, span, targets)


def word_target(
    words: Sequence[str], caps: Sequence[int], at: int, end: int, targets: TargetWords
) -> tuple[str, ...] | None:
    """The name a stance word words[at:end] judges: the name right after it, else the subject
    of its clause when the clause opens with a name and a copula. None: no name."""
    after = _entity(words, caps, _name_at(words, caps, end, targets), targets)
    if after is not None:
        return after
    start = at
    while start > 0 and words[start - 1][0].isalnum():
        start -= 1
    while start < at and words[start] in targets.clause_openers:
        start += 1
    span = _name_at(words, caps, start, targets)
    if span is None or span[1] >= at or not _copula_at(words, span[1], targets):
        return None
    return _entity(words, caps, span, targets)


def is_other(name: tuple[str, ...] | None, proposition: Proposition | None) -> bool:
    """Whether a stance word's target is a name the proposition does not name."""
    if name is None or proposition is None:
        return False
    return not any(_bare(w) in proposition.names for w in name)
