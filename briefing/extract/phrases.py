"""Lexicon entries matched against a statement's words, for the stance rules
(`briefing.extract.stance`).

An entry is a tuple of words, with "..." for a gap of up to MAX_GAP words of anything. A word of
an entry matches itself and its inflections (`forms`: oppose, opposes, opposed, opposing). The
stance rules try every entry at every word of every candidate, thousands of times an article, so
each entry is compiled once: each of its words into the set of its forms, and the entries of a
table are found by their first word, so that at each word only those that can begin there are
tried, in the table's order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

GAP = "..."  # in a phrase: up to MAX_GAP words of anything
MAX_GAP = 6
SUFFIXES = ("", "s", "es", "d", "ed", "ing", "ly")

# An entry compiled: for each of its words, whether a gap comes before it, and its forms.
Pattern = tuple[tuple[bool, frozenset[str]], ...]


@lru_cache(maxsize=4096)
def forms(entry: str) -> frozenset[str]:
    """The words that match `entry`: itself, and a stem of it with one of SUFFIXES (a final "e"
    may go, as in oppose -> opposing; a final "y" becomes "i", as in worry -> worried)."""
    stems = [entry]
    if entry.endswith("e"):
        stems.append(entry[:-1])
    if entry.endswith("y"):
        stems.append(entry[:-1] + "i")
    return frozenset({entry, *(stem + suffix for stem in stems for suffix in SUFFIXES)})


def compiled(entry: Sequence[str]) -> Pattern:
    return tuple(
        (k > 0 and entry[k - 1] == GAP, forms(part)) for k, part in enumerate(entry) if part != GAP
    )


def match(pattern: Pattern, words: Sequence[str], at: int) -> int | None:
    """The index after `pattern` matched from words[at], or None."""
    i = at
    count = len(words)
    for gap, allowed in pattern:
        if gap:
            for j in range(i, min(i + MAX_GAP + 1, count)):
                if words[j] in allowed:
                    i = j + 1
                    break
            else:
                return None
        elif i < count and words[i] in allowed:
            i += 1
        else:
            return None
    return i


class Table:
    """Entries (each with a tag: a sign, or nothing) in order, found by the word they begin at."""

    def __init__(self, rows: Sequence[tuple[str, tuple[str, ...]]]) -> None:
        self.rows = [(tag, entry, compiled(entry)) for tag, entry in rows]
        by_first: dict[str, list[int]] = {}
        self._anywhere: list[int] = []  # entries that begin with a gap: tried at every word
        for index, (_, _, pattern) in enumerate(self.rows):
            if not pattern or pattern[0][0]:
                self._anywhere.append(index)
                continue
            for word in pattern[0][1]:
                by_first.setdefault(word, []).append(index)
        self._starting = {
            word: [self.rows[i] for i in sorted({*indices, *self._anywhere})]
            for word, indices in by_first.items()
        }
        self._elsewhere = [self.rows[i] for i in self._anywhere]

    def starting(self, word: str) -> list[tuple[str, tuple[str, ...], Pattern]]:
        """The rows that may match from `word`, in the table's order."""
        return self._starting.get(word, self._elsewhere)

    def positions(self, words: Sequence[str], start: int = 0) -> Iterable[int]:
        """The indices from `start` on where some entry may begin, in order."""
        if self._elsewhere:
            return range(start, len(words))
        begins = self._starting
        return [at for at in range(start, len(words)) if words[at] in begins]

    def matches_at(self, words: Sequence[str], at: int) -> bool:
        """Whether any entry matches from words[at]."""
        return any(match(p, words, at) is not None for _, _, p in self.starting(words[at]))
