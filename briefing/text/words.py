"""Words as compared and counted: runs of words that two texts share, and counts as written.

Several checks ask whether two texts say the same words: a position matched to gold evidence,
the same statement found twice in an article, a summary sentence that copies its evidence. They
all fold the same way (case, and nothing but word characters) and compare runs of consecutive
words, so they share these functions. (Tracking compares quotations with its own, NFKC-folded
words and a shorter-quotation rule: `briefing.track.statements`.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of `text`, casefolded; punctuation and quotation marks never count."""
    return _WORD.findall(text.casefold())


def word_runs(texts: Iterable[str], n: int) -> set[tuple[str, ...]]:
    """Every run of `n` consecutive words in any of `texts`."""
    runs: set[tuple[str, ...]] = set()
    for text in texts:
        found = words(text)
        runs.update(tuple(found[i : i + n]) for i in range(len(found) - n + 1))
    return runs


def plural(count: int, noun: str) -> str:
    """ "1 position", "2 positions"."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def counted(count: int, noun: str) -> str:
    """ "1 request", "7,512 requests": `plural` with thousands marked, for counts that run high."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")
