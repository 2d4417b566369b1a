"""Words with offsets, per sentence, and the article's layout (sentences, paragraphs, quotations).

This module owns the finder's view of the text: the one import of the segmenters (so moving
them is a one-line change here), word tokens that know whether they lie inside a quotation,
and the paragraph each sentence belongs to. Everything the other modules read comes from here,
so all offsets index the article text exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing.text.segment import find_quotes, split_sentences

Span = tuple[int, int]

# A word keeps its inner apostrophes, hyphens, dots and ampersands ("Russia’s", "O'Neill",
# "U.S", "AT&T", "so-called"), so a possessive or a dotted acronym is one token; anything else
# that is not a space is a token of its own (commas, colons, quotation marks, dashes).
_TOKEN = re.compile(r"\w+(?:[’'.\-&]\w+)*|[^\w\s]")
QUOTE_MARKS = frozenset("“”\"«»„‘’'")
BOUNDARY = frozenset(",;:—–()[]") | QUOTE_MARKS | {"-"}
_POSSESSIVE_ENDINGS = ("’s", "'s", "’", "'")  # tried in this order


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    quoted: bool  # inside a quotation span: never a cue or a source of the sentence around it
    # Made once, when the token is: the finder reads each of them several times a token.
    lower: str = field(init=False, repr=False, compare=False)  # the word lower-cased
    is_word: bool = field(init=False, repr=False, compare=False)  # not punctuation
    capitalised: bool = field(init=False, repr=False, compare=False)
    # The word without a possessive ending, lower-cased: "Russia’s" -> "russia".
    bare: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        text = self.text
        low = text.lower()
        first = text[0]
        bare = low
        if low.endswith(_POSSESSIVE_ENDINGS):
            for ending in _POSSESSIVE_ENDINGS:
                if low.endswith(ending):
                    bare = low[: -len(ending)]
                    break
        self.__dict__.update(
            lower=low,
            is_word=first.isalnum() or first == "_",
            capitalised=first.isupper(),
            bare=bare,
        )

    @property
    def manner_adverb(self) -> bool:
        """A manner adverb ("apparently", "immediately"): lower-case and ending in -ly."""
        return not self.capitalised and self.lower.endswith("ly") and len(self.lower) > 4


@dataclass
class Unit:
    """One sentence with what the finder needs to know about it."""

    index: int  # Sentence.index (1-based, global)
    start: int
    end: int
    paragraph: int  # 0-based number of the line the sentence is on
    tokens: list[Token]
    excluded: str | None = None  # why it can hold no candidate: headline, caption, link, address


@dataclass
class Layout:
    text: str
    units: list[Unit]
    quotes: list[Span]
    paragraphs: list[Span] = field(default_factory=list)

    def unit_at(self, offset: int) -> Unit | None:
        """The sentence that contains a character offset, if any."""
        for unit in self.units:
            if unit.start <= offset < unit.end:
                return unit
        return None

    def units_over(self, start: int, end: int) -> list[Unit]:
        return [u for u in self.units if u.start < end and start < u.end]


def tokenize(text: str, start: int, end: int, quotes: list[Span]) -> list[Token]:
    """Tokens of `text[start:end]`, each flagged when it lies inside a quotation span."""
    tokens = []
    inside = [q for q in quotes if q[0] < end and start < q[1]]
    for match in _TOKEN.finditer(text, start, end):
        s, e = match.span()
        quoted = bool(inside) and any(a <= s and e <= b for a, b in inside)
        tokens.append(Token(s, e, match.group(), quoted))
    return tokens


def _paragraph_spans(text: str) -> list[Span]:
    spans = []
    offset = 0
    for line in text.split("\n"):
        spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def quotation_spans(text: str) -> list[Span]:
    """Quotation spans (without the marks). Two apostrophes ('') are read as a double quotation
    mark too, the convention of some newspaper archives: they are shown to the segmenter as a
    space and a straight double mark, which keeps every offset."""
    shown = text.replace("''", ' "') if "''" in text else text
    return [(q.start, q.end) for q in find_quotes(shown)]


def build_layout(text: str) -> Layout:
    """Sentences, their tokens and paragraphs, and the quotation spans of an article."""
    quotes = quotation_spans(text)
    paragraphs = _paragraph_spans(text)
    units = []
    line = 0
    for sentence in split_sentences(text):
        while paragraphs[line][1] < sentence.start:
            line += 1
        units.append(
            Unit(
                index=sentence.index,
                start=sentence.start,
                end=sentence.end,
                paragraph=line,
                tokens=tokenize(text, sentence.start, sentence.end, quotes),
            )
        )
    return Layout(text=text, units=units, quotes=quotes, paragraphs=paragraphs)
