"""Statements laid out by paragraphs: transcript lines and a cue closing a paragraph.

This module owns the reported statements whose content is a paragraph rather than a clause:

* a line of an interview transcript ("PENCE: ..."): the label is the source, the line the content,
  and the unlabelled paragraphs up to the next labelled line are the same turn;
* "The governor added:" closing a paragraph: the next paragraph, when it is not in quotation
  marks, is what was said (a quotation opening it is found with the quotations).
"""

from __future__ import annotations

from itertools import pairwise

from briefing.find.clauses import subject_before
from briefing.find.cues import Cue
from briefing.find.draft import Draft
from briefing.find.extent import content_after
from briefing.find.tokens import QUOTE_MARKS, Token, Unit


def speaker_label(tokens: list[Token]) -> int | None:
    """The colon after a speaker label opening a transcript line ("PENCE: ...", "MR. SMITH:"):
    one to three words in capitals."""
    lead = 0
    while lead < len(tokens) and tokens[lead].text in QUOTE_MARKS:
        lead += 1  # a stray mark opening the line
    for k in range(lead, min(lead + 5, len(tokens))):
        token = tokens[k]
        if token.text == ":":
            words = [t for t in tokens[lead:k] if t.is_word]
            if words and all(t.text.isupper() and len(t.text) > 1 for t in words):
                return k
            return None
        if not (token.is_word or token.text == "."):
            return None
    return None


def transcript_drafts(units: list[Unit]) -> list[Draft]:
    """Lines of an interview transcript: the label is the source, the line the content. A turn
    runs on over unlabelled paragraphs up to the next labelled line ("TAPPER: ...", then "Talk
    to them. How do you think ...?", then "FALLIN: ..."): they are the same speaker's words."""
    drafts: list[Draft] = []
    for number, unit in enumerate(units):
        if unit.excluded is not None or (number and units[number - 1].paragraph == unit.paragraph):
            continue
        colon = speaker_label(unit.tokens)
        if colon is None or colon + 1 >= len(unit.tokens):
            continue
        same = [u for u in units[number:] if u.paragraph == unit.paragraph and not u.excluded]
        start = unit.tokens[colon + 1].start
        colon_span = (unit.tokens[colon].start, unit.tokens[colon].end)
        source = [t for t in unit.tokens if t.is_word and t.end <= colon_span[0]]
        if unit.tokens[colon + 1].text in QUOTE_MARKS:
            continue  # 'Peskov: “...”' is a quotation, found with the quotations
        drafts.append(Draft("reported", [(start, same[-1].end)], unit, colon_span, source))
    for draft, nxt in pairwise(drafts):
        between = [
            u
            for u in units
            if draft.content[0][1] < u.start < nxt.unit.start and u.excluded is None
        ]
        if between:
            draft.content[0] = (draft.content[0][0], between[-1].end)
    return drafts


def block_drafts(
    units: list[Unit], cues: dict[int, list[Cue]], used: set[tuple[int, int]]
) -> list[Draft]:
    """'The governor added:' closing a paragraph: the next paragraph, not in quotation marks,
    is what was said (a quotation opening it is found with the quotations)."""
    drafts: list[Draft] = []
    for number, unit in enumerate(units[:-1]):
        tokens = unit.tokens
        nxt = units[number + 1]
        if unit.excluded or nxt.excluded or nxt.paragraph == unit.paragraph or not tokens:
            continue
        if tokens[-1].text != ":" or nxt.tokens[0].text in QUOTE_MARKS:
            continue
        found = [c for c in cues.get(unit.index, []) if c.kind in ("verb", "phrase")]
        if not found or (tokens[found[-1].first].start, tokens[found[-1].last].end) in used:
            continue
        cue = found[-1]
        if content_after(tokens, cue.last, cue.lemma, len(tokens) - 1) is not None:
            continue  # 'He said the plan is this:': the content is his clause
        subject = subject_before(tokens, cue.first)
        if subject is None:
            continue
        block = [u for u in units[number + 1 :] if u.paragraph == nxt.paragraph]
        cue_span = (tokens[cue.first].start, tokens[cue.last].end)
        source = tokens[subject[0] : subject[1] + 1]
        drafts.append(Draft("reported", [(nxt.start, block[-1].end)], unit, cue_span, source))
    return drafts
