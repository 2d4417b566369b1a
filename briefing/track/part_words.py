"""The words by which two parts of an article's statement are compared (`briefing.track.merge`):
content words in common, a run of them, and words pointing back to what was said before.

Folded as `briefing.text.words` folds (case, word characters), with the typographic apostrophe
read as the plain one; a content word is one outside a short list of function words, and two
words are "the same" by their first five letters ("Ukraine" and "Ukrainians").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.models import Position

SHARED_CONTENT_WORDS = 4
SHARED_STEMS = 2

# Words too common to make two statements the same by sharing them.
_FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at for with by from as is are was were be been being it its "
    "this that these those he she they we i you his her their our my your him them us not no "
    "will would can could should must may might has have had do does did said says say".split()
)
# Words that point back to what the sentence before said ("these tracks", "such reports").
_POINTING_BACK = frozenset("this these those such".split())
# Words after which a pointing word points at the time or place of speaking, or at what follows,
# not back: "this year", "these days", "such as".
_NOT_BACK = frozenset(
    "year years month months week weeks weekend day days time times moment morning afternoon "
    "evening night season spring summer autumn fall winter decade century quarter monday tuesday "
    "wednesday thursday friday saturday sunday as".split()
)


def _words(texts: Sequence[str]) -> list[list[str]]:
    return [re.findall(r"\w+", t.casefold().replace("’", "'")) for t in texts]


def _content_words(texts: Sequence[str]) -> list[list[str]]:
    return [[w for w in words if w not in _FUNCTION_WORDS] for words in _words(texts)]


def share_run(a: Sequence[str], b: Sequence[str], run: int = SHARED_CONTENT_WORDS) -> bool:
    """Whether two parts' words share a run of `run` content words (a paraphrase)."""
    grams = {
        tuple(words[i : i + run])
        for words in _content_words(a)
        for i in range(len(words) - run + 1)
    }
    return any(
        tuple(words[i : i + run]) in grams
        for words in _content_words(b)
        for i in range(len(words) - run + 1)
    )


def _stems(texts: Sequence[str]) -> set[str]:
    return {w[:5] for words in _content_words(texts) for w in words if len(w) > 3}


def share_stems(a: Position, b: Position, least: int = SHARED_STEMS) -> bool:
    """Whether two parts' words have `least` content words in common (by their first letters)."""
    return len(_stems(a.quotes) & _stems(b.quotes)) >= least


def points_back(p: Position) -> bool:
    """Whether the words point back to what was said before them: "these tracks", "such
    reports", "this would be dangerous"; not "this year" or "such as"."""
    return any(
        word in _POINTING_BACK and after not in _NOT_BACK
        for words in _words(p.quotes)
        for word, after in zip(words, [*words[1:], ""], strict=True)
    )
