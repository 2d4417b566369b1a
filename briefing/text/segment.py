"""Sentences and quotation spans, found deterministically in an article's normalised text.

This module owns the two ways the text is cut up before the model sees it:

* `split_sentences`: the numbered units the model cites as [S{n}]. Offsets index `Article.text`.
* `find_quotes`: where direct speech is, between quotation marks. The words a position quotes are
  always sliced from these spans, never taken from the model.

Both are rules over characters (no model, no statistics), so the same text always gives the same
sentences and spans, and recorded fixtures stay valid.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence

from briefing.models import QuoteSpan, Sentence

# Words that end in a full stop without ending a sentence. Compared with the word before the
# full stop, without the stop. Case matters: "No." is an abbreviation, "no." ends "said no."
ABBREVIATIONS: frozenset[str] = frozenset(
    {
        # titles and ranks
        "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Capt",
        "Sgt", "Maj", "Adm", "Cmdr", "Rev", "Hon", "Pres", "Amb", "Supt", "St", "Jr", "Sr", "Mt",
        # months
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
        # Latin and other short forms that are followed by more of the same sentence
        "e.g", "i.e", "cf", "vs", "approx", "est", "Fig", "fig",
    }
)  # fmt: skip

# Abbreviations that only hold before a number ("No. 5", "Art. 5"); otherwise a normal word.
NUMBER_ABBREVIATIONS: frozenset[str] = frozenset({"No", "Nos", "Art", "pp"})

_CLOSERS = "”\"’'»)]"
_OPENERS = "“\"‘'«„(["
# A sentence end candidate: terminators, optional closing quotes/brackets, then whitespace.
_END_RE = re.compile(rf"[.!?]+[{re.escape(_CLOSERS)}]*(?=\s)")
_NEXT_CHAR_RE = re.compile(r"\s*(\S)")  # the first character after a possible end
_DOTTED_ACRONYM_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # "U.S", "U.K", "e.u" before the stop


def _starts_sentence(ch: str) -> bool:
    return ch.isupper() or ch.isdigit() or ch in _OPENERS or unicodedata.category(ch) == "Lt"


def _is_abbreviation(line: str, stop: int, next_char: str) -> bool:
    """Whether the single full stop at `line[stop]` belongs to an abbreviation."""
    begin = stop  # the run of word characters and dots just before the stop
    while begin > 0 and (line[begin - 1].isalnum() or line[begin - 1] in "._"):
        begin -= 1
    word = line[begin:stop]
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    if word in NUMBER_ABBREVIATIONS and next_char.isdigit():
        return True
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Smith"
    # Dotted acronyms ("U.S.", "U.N.") usually run on ("U.S. President Trump"); when one does end
    # a sentence the next line or sentence boundary usually follows anyway.
    return bool(_DOTTED_ACRONYM_RE.fullmatch(word))


def _line_sentence_bounds(line: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences in one line, trimmed of whitespace, offsets into the line."""
    cuts = [0]
    for match in _END_RE.finditer(line):
        after = match.end()
        following = _NEXT_CHAR_RE.match(line, after)
        if following is None or not _starts_sentence(following.group(1)):
            continue
        marks = match.group(0).rstrip(_CLOSERS)
        if marks == "." and _is_abbreviation(line, match.start(), following.group(1)):
            continue
        cuts.append(after)
    cuts.append(len(line))

    bounds = []
    for start, end in itertools.pairwise(cuts):
        piece = line[start:end]
        if not piece.strip():
            continue
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        bounds.append((start + lead, end - trail))
    return bounds


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences with 1-based indexes and offsets (`text[s.start:s.end]`).

    A line break always ends a sentence: normalised articles have one paragraph, heading or caption
    per line. Within a line a sentence ends at ".", "!" or "?" (plus any closing quotes or
    brackets) followed by whitespace and something that can start a sentence: an upper-case letter,
    a digit or an opening quote or bracket. A single "." after a known abbreviation, an initial or a
    dotted acronym ("U.S.") does not end a sentence. Sentences may split a quotation; quotation
    spans are found separately and may cover several sentences.
    """
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        for start, end in _line_sentence_bounds(line):
            index = len(sentences) + 1
            sentences.append(
                Sentence.model_construct(index=index, start=offset + start, end=offset + end)
            )
        offset += len(line) + 1
    return sentences


# --- quotations -----------------------------------------------------------------------------------

# Opening mark -> the marks that close it. „ closes with “ (German) or ” (Polish and others).
_QUOTE_PAIRS: dict[str, frozenset[str]] = {
    "“": frozenset("”"),
    "«": frozenset("»"),
    "„": frozenset("“”"),
    '"': frozenset('"'),
}
# Every opening or closing mark: the scan jumps from one to the next.
_MARKS = re.compile(
    "[" + re.escape("".join(sorted(set(_QUOTE_PAIRS).union(*_QUOTE_PAIRS.values())))) + "]"
)
# Marks that may reopen a quotation continued from the previous paragraph. Straight quotes must
# open and close in one paragraph: a stray `"` is too common to let it reach further.
_CONTINUES = {"“": "“", "«": "«", "„": "„"}


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotes(text: str) -> list[QuoteSpan]:
    """Quotation spans between double quotation marks, excluding the marks, sorted by start.

    Curly “…”, straight "…", guillemets «…» and low-high „…“. Single marks are ignored: ’ is
    nearly always an apostrophe ("Russia’s"). A quotation ends at its paragraph (line) unless the
    next paragraph opens with the same kind of mark, the convention for a quotation running over
    paragraphs; it then gives one span per paragraph, so no span contains the marks in between.
    A quotation that is never closed gives no span at all rather than swallowing the text after it.
    """
    spans: list[QuoteSpan] = []
    paragraphs = _paragraphs(text)
    opener: str | None = None  # the mark of the open quotation, if any
    start = 0  # where the open quotation's words begin
    pending: list[tuple[int, int]] = []  # parts from earlier paragraphs of the open quotation

    for number, (p_start, p_end) in enumerate(paragraphs):
        pos = p_start
        if opener is not None:
            # Continued from the previous paragraph: skip its indentation and reopening mark.
            line = text[p_start:p_end]
            pos = start = p_start + (len(line) - len(line.lstrip())) + 1
        for mark in _MARKS.finditer(text, pos, p_end):
            ch, pos = mark.group(), mark.start()
            if opener is None:
                if ch in _QUOTE_PAIRS:
                    opener, start = ch, pos + 1
                elif ch == "”" and not text[p_start:pos].strip() and "”" in text[pos + 1 : p_end]:
                    # ”I am afraid ...” ― a name: some outlets open a paragraph's quotation with
                    # the closing mark; read it as the opening one when the line closes it later
                    opener, start = "“", pos + 1
            elif ch in _QUOTE_PAIRS[opener]:
                for part in [*pending, (start, pos)]:
                    s, e = _trimmed(text, *part)
                    if s < e:
                        spans.append(QuoteSpan(start=s, end=e))
                opener, pending = None, []
            elif ch == opener and opener != '"':
                # A second opening mark before any close: the first was never closed (a typo or a
                # stray mark), so drop it and start again here.
                start, pending = pos + 1, []

        if opener is None:
            continue
        following = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
        reopen = _CONTINUES.get(opener)
        next_line = text[following[0] : following[1]].lstrip() if following else ""
        if reopen and next_line.startswith(reopen):
            pending.append((start, p_end))
        else:
            opener, pending = None, []  # unclosed: no span
    return sorted(spans, key=lambda q: (q.start, q.end))


def quotes_in(
    sentence: Sentence, quotes: list[QuoteSpan], text: str | None = None
) -> list[tuple[int, int]]:
    """The parts of quotation spans inside a sentence: the verbatim words it quotes.

    Each part is a quotation span clipped to the sentence. Spans and sentences are both trimmed of
    whitespace, so their intersection is too; `_trimmed` is applied anyway when `text` is given,
    which also drops parts with no letter or digit (a lone dash or ellipsis left by a split).
    """
    parts: list[tuple[int, int]] = []
    for quote in quotes:
        start, end = max(quote.start, sentence.start), min(quote.end, sentence.end)
        if start >= end:
            continue
        if text is not None:
            start, end = _trimmed(text, start, end)
            if not any(unicodedata.category(ch)[0] in "LN" for ch in text[start:end]):
                continue
        parts.append((start, end))
    return parts


# Every mark a writer may use to open or close a quotation, double or single, in any style. A
# model's summary is checked with all of them: "told reporters ‘Russia will surrender’" and
# ”mismatched” marks quote as much as “curly” ones do.
# Every quotation mark Unicode knows: the initial and final punctuation classes (Pi, Pf: « » ‘ ’
# ‛ “ ” ‟ ‹ › and the ⸂…⸡ editorial marks, all of them as of Unicode 14; a test checks the list
# against the running Python's tables), the quotation marks among the opening and closing
# brackets (Ps, Pe: 「 」 『 』 〝 〞 〟 and their vertical forms), the low-9 marks, the fullwidth and
# dingbat ones and the straight ones. Written out, not scanned from the Unicode tables at import.
_INITIAL_FINAL = (
    "\u00ab\u00bb\u2018\u2019\u201b\u201c\u201d\u201f\u2039\u203a"
    "\u2e02\u2e03\u2e04\u2e05\u2e09\u2e0a\u2e0c\u2e0d\u2e1c\u2e1d\u2e20\u2e21"
)
_QUOTE_CHARS = "".join(
    sorted(
        set(_INITIAL_FINAL)
        | set("\"'`\u201a\u201e\u300c\u300d\u300e\u300f\u301d\u301e\u301f\uff02\uff07")
        | set("\ufe41\ufe42\ufe43\ufe44\u275b\u275c\u275d\u275e\u2760\u276e\u276f\u2e42")
    )
)
_ANY_QUOTE_MARK = re.compile("''|[" + re.escape(_QUOTE_CHARS) + "]")
_SINGLE_MARKS = frozenset("\u2018\u2019'\u201a\u201b`\u2039\u203a\uff07\u275b\u275c")


def _is_apostrophe(text: str, at: int) -> bool:
    """A single mark inside a word ("Russia’s", "don't") or after a plural ("ministers' views")."""
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    return before.isalnum() and (after.isalnum() or before in "sS")


def quoted_passages(text: str) -> list[str]:
    """The passages `text` puts between quotation marks, whatever the marks: any mark opens a
    quotation and the next one closes it; a quotation left open runs to the end of the text.
    Apostrophes are not marks."""
    passages: list[str] = []
    opened: int | None = None
    for mark in _ANY_QUOTE_MARK.finditer(text):
        at = mark.start()
        if mark.group() in _SINGLE_MARKS and _is_apostrophe(text, at):
            continue
        if opened is None:
            opened = mark.end()  # after the mark: one character, or two for ''
        else:
            passages.append(text[opened:at])
            opened = None
    if opened is not None:
        passages.append(text[opened:])
    return [p for p in passages if any(ch.isalnum() for ch in p)]


def _folded(text: str) -> str:
    """Text compared for quotation: apostrophes and spaces of every kind made one."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def invented_quotation(text: str, evidence: str | Sequence[str]) -> str | None:
    """The first passage `text` puts in quotation marks that is not words of `evidence`, if any.

    Model-written text (a position's summary, the day's summary) and an analyst's summary are
    paraphrase: they may put in quotation marks only words of the evidence they rest on, never
    words from elsewhere in the article (an injected sentence, another speaker) and never words
    of their own."""
    sources = [evidence] if isinstance(evidence, str) else list(evidence)
    folded = [_folded(s) for s in sources]
    for passage in quoted_passages(text):
        wanted = _folded(passage).strip(" ,.;:")
        # whole words: "acceptable" is not quoted from "unacceptable"
        pattern = re.compile(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)")
        if wanted and not any(pattern.search(source) for source in folded):
            return passage.strip()
    return None
