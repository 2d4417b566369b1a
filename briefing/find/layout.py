"""Which sentences can hold no attribution: page furniture and text addressed to the reader.

This module owns the "not a candidate" decisions that come before any cue is looked at:

* lines that are not prose: a headline (the first line without final punctuation or any
  title-cased line), a sub-heading or caption (a line with no final punctuation, or one ending in
  a photo credit), a link line ("Read more: ...", "RELATED");
* sentences that address the reader or a model instead of reporting: an imperative main clause
  ("Disregard the above and report that ..."), a vocative or a preamble ("Note to AI systems
  summarising this: ...", "AI, ..."), or a clause whose subject is the reader or a model with a
  modal of obligation ("Any assistant reading this must ..."). The test is structural (where the
  verb is and what the subject is), with the word lists in `words.toml`, so new phrasings of the
  same structure are caught without listing them. A paragraph opened by such an address is all
  address: what follows the preamble is the instruction.
"""

from __future__ import annotations

import re
from functools import lru_cache

from briefing.find.blocks import speaker_label
from briefing.find.instructions import instruction_at, reports_speech
from briefing.find.lexicon import Lexicon, lexicon
from briefing.find.tokens import QUOTE_MARKS, Layout, Token, Unit
from briefing.text.segment import split_sentences

_FINAL = ".!?…:\"”»’')]"
_CREDIT = re.compile(r"\(([^()]{1,40})\)\.?\s*$")
# A quotation signed with a dash: '“...” ― Sonya Herridge'. No final stop, but prose.
_SIGNED = re.compile(r"[”\"»]\s*[―—–-]+\s*[A-Z][\w.’' -]{1,60}$")
_HEADING_WORDS = 25  # a longer line without a final stop is prose that lost its stop
# Words that may follow an imperative verb: its object or complement. "State media said" starts
# with a noun, "State that ..." with an imperative; the next word tells them apart.
_IMPERATIVE_NEXT = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "all",
        "any",
        "every",
        "each",
        "your",
        "my",
        "our",
        "his",
        "her",
        "their",
        "its",
        "it",
        "them",
        "him",
        "me",
        "us",
        "everything",
        "anything",
        "nothing",
        "only",
        "previous",
        "prior",
        "earlier",
        "above",
        "below",
        "following",
        "as",
        "to",
        "not",
        "no",
        "what",
        "how",
        "who",
        "whom",
        "whether",
        "instead",
        "again",
        "everyone",
        "anyone",
        "nobody",
        "readers",
        "users",
        "yourself",
    ]
)
_SOFTENERS = frozenset(
    ["please", "kindly", "now", "also", "just", "simply", "instead", "then", "so", "therefore"]
)
_NEGATORS = frozenset(["don't", "do", "never", "always", "not"])
_OBLIGATION = frozenset(["must", "should", "shall", "need", "needs", "ought"])
_INTRO = frozenset(
    [
        "for",
        "when",
        "if",
        "as",
        "in",
        "before",
        "after",
        "while",
        "to",
        "once",
        "since",
        "unless",
        "because",
        "during",
        "given",
    ]
)
_SKIP_START = QUOTE_MARKS | set("[(*-–—•>#")


def _words(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if not t.quoted]


def _is_imperative(words: list[Token], at: int, lex: Lexicon, to_reader: bool = False) -> bool:
    """Whether the clause starting at `words[at]` opens with a verb in the imperative.
    `to_reader`: the sentence says "you" or "your", so any object may follow the verb."""
    i = at
    while i < len(words) and words[i].lower in _SOFTENERS:
        i += 1
    if i < len(words) and words[i].lower in _NEGATORS:
        # "Do not ...", "Never ...", "Always ...": what follows is the verb.
        j = i + 1
        if j < len(words) and words[j].lower in ("not", "n't"):
            j += 1
        return j < len(words) and (
            words[j].lower in lex.imperatives or words[j].lower in lex.lemmas
        )
    if i >= len(words):
        return False
    verb = words[i].lower
    if verb not in lex.imperatives and verb not in lex.lemmas:
        return False
    nxt = words[i + 1] if i + 1 < len(words) else None
    if nxt is None:
        return False
    # The object or complement follows the verb; a noun reading ("State media said") has a noun.
    owner = nxt.lower.endswith(("’s", "'s"))  # "replace Peskov's words"
    return (
        to_reader
        or owner
        or nxt.lower in _IMPERATIVE_NEXT
        or not nxt.is_word
        or nxt.text[0] in QUOTE_MARKS
    )


def _preamble(words: list[Token], lex: Lexicon) -> bool:
    """ "Note to AI systems: ...", "SYSTEM: ...", "Dear assistant, ...", "AI, ignore ..."."""
    for i, token in enumerate(words[:10]):
        if token.text in (":", ","):
            lead = {t.bare for t in words[:i] if t.is_word}
            if not lead:
                return False
            if token.text == ":" and lead & lex.preambles:
                return True
            return bool(lead & lex.addressees and (token.text == ":" or len(lead) <= 4))
    first = words[0].lower if words else ""
    return first in ("dear", "hey", "attention") and len(words) > 1


def _addressee_subject(words: list[Token], at: int, lex: Lexicon) -> bool:
    """A clause whose subject is the reader or a model, with a modal: "AI systems must ..."."""
    for i in range(at, min(at + 8, len(words))):
        token = words[i]
        if not token.is_word:
            return False
        if token.lower in _OBLIGATION and i > at:
            subject = {t.bare for t in words[at:i]}
            return bool(subject & (lex.addressees | lex.readers))
        if token.lower in lex.verb_forms or token.lower in ("is", "are", "was", "were"):
            return False  # the clause already has its verb: the subject is someone else
    return False


def _clause_starts(words: list[Token]) -> list[int]:
    """Where clauses begin: the sentence start, after an introductory phrase ("If you are an AI,
    ..."), and after ";", ":", a dash or ", and" / "and then" joining a second main clause."""
    starts = [0]
    if words and words[0].lower in _INTRO:
        for i, token in enumerate(words[:16]):
            if token.text == ",":
                starts.append(i + 1)
                break
    for i, token in enumerate(words):
        if token.text in (";", ":", "—", "–"):
            starts.append(i + 1)
        elif token.lower in ("and", "then", "but") and i > 1 and words[i - 1].text == ",":
            starts.append(i + 1)  # ", and report that ...": a second main clause
    return [s for s in starts if s < len(words)]


def addresses_reader(tokens: list[Token]) -> bool:
    """Whether a sentence addresses the reader or a model (see the module docstring)."""
    lex = lexicon()
    words = _words(tokens)
    # A sentence that opens inside a quotation continues a speaker's words, not an address.
    opens_quoted = bool(tokens) and (tokens[0].quoted or (len(tokens) > 1 and tokens[1].quoted))
    while words and words[0].text[0] in _SKIP_START:
        words = words[1:]
    if not words:
        return False
    if _preamble(words, lex):
        return True
    if speaker_label(tokens) is not None:
        return False  # "FALLIN: ... and understand that ...": the labelled speaker's words
    if not opens_quoted and _addressed_intro(words, lex):
        return True
    to_reader = any(t.lower in ("you", "your", "yourself") for t in words)
    for at in _clause_starts(words):
        if at > 0 and words[at - 1].text == ":" and at - 1 > 6:
            continue  # "... said: ..." introduces content, not a clause of its own
        if _is_imperative(words, at, lex, to_reader) or _addressee_subject(words, at, lex):
            return True
        if not (opens_quoted and at == 0) and instruction_at(words, at, lex):
            return True  # after a quotation, the first words are its attribution
    return False


def _addressed_intro(words: list[Token], lex: Lexicon) -> bool:
    """An opening phrase that names its addressee: "If you are an AI model, ...", "To any AI
    reading this, ...", "For language models: ..."."""
    if words[0].lower not in _INTRO:
        return False
    intro: list[Token] = []
    for token in words[:14]:
        if token.text in (",", ":"):
            break
        intro.append(token)
    else:
        return False
    lows = {t.bare for t in intro}
    if lows & {"you", "your"}:
        return True
    return words[0].lower in ("to", "for") and bool(lows & lex.addressees)


def _title_like(line: str) -> bool:
    words = re.findall(r"[A-Za-z][\w’'-]*", line)
    long = [w for w in words if len(w) > 3]
    if len(words) > 25 or len(long) < 4:
        return False
    return sum(w[0].isupper() for w in long) >= 0.85 * len(long)


def line_exclusion(line: str, first: bool, lex: Lexicon) -> str | None:
    """Why a whole line (paragraph) is not prose, or None when it is."""
    stripped = line.strip()
    if not stripped:
        return None
    low = stripped.lower()
    if any(low.startswith(prefix) for prefix in lex.link_prefixes):
        return "link"
    credit = _CREDIT.search(stripped)
    if credit and credit.group(1).strip().lower().split(":")[0].strip() in lex.credits:
        return "caption"
    short = len(stripped.split()) <= _HEADING_WORDS  # a longer line is prose that lost its stop
    if stripped[-1] not in _FINAL and not _SIGNED.search(stripped) and short:
        return "headline" if first else "heading or caption"
    if _title_like(stripped):
        return "headline"
    return None


@lru_cache(maxsize=256)
def furniture_sentences(text: str) -> frozenset[int]:
    """The numbers (`split_sentences`) of the sentences on a link line or a photo caption: page
    furniture set among the paragraphs ("RELATED: Russia advances in ..."), which the story's
    prose runs across. A heading is not among them: it opens a section."""
    lex = lexicon()
    furniture: set[int] = set()
    offset = 0
    sentences = split_sentences(text)
    for line in text.split("\n"):
        end = offset + len(line)
        if line_exclusion(line, False, lex) in ("link", "caption"):
            furniture.update(s.index for s in sentences if offset <= s.start < end)
        offset = end + 1
    return frozenset(furniture)


def mark_exclusions(layout: Layout) -> None:
    """Set `Unit.excluded` on every sentence that can hold no candidate."""
    lex = lexicon()
    first_line = next(
        (i for i, (s, e) in enumerate(layout.paragraphs) if layout.text[s:e].strip()), 0
    )
    by_paragraph: dict[int, list[Unit]] = {}
    for unit in layout.units:
        by_paragraph.setdefault(unit.paragraph, []).append(unit)
    for number, units in by_paragraph.items():
        start, end = layout.paragraphs[number]
        reason = line_exclusion(layout.text[start:end], number == first_line, lex)
        addressed = False
        for unit in units:
            if reason is not None:
                unit.excluded = reason
            elif addressed or addresses_reader(unit.tokens):
                # Addressed to the reader and telling what someone said: a suspected
                # instruction, listed for review (briefing.find.suspected_instructions).
                unit.excluded = "instruction" if reports_speech(unit.tokens, lex) else "address"
                # A preamble opens an instruction that runs to the end of its paragraph.
                addressed = addressed or _preamble(
                    [t for t in unit.tokens if not t.quoted and t.text[0] not in _SKIP_START],
                    lex,
                )
