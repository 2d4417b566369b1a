"""Statements of learned cues: what the model's cues add to the rules' statements.

This module owns the experiment's learned pass, which runs after every rule pass (`hook.py`). For each eligible
sentence the word model (`proposer`) proposes cues the lexicon lacks; the reported-speech
machinery (`reported_drafts`) turns each into a statement exactly as it does a lexicon cue, so
content and source stay character spans the rules delimit. A statement is added only when no
statement found so far holds its cue or overlaps its content, and when the statement model
scores it above its threshold: it reads the cue, its probability, the source and content the
rules gave it and what else the sentence holds, which a word alone does not show ("has" with a
name before it and a clause after it is a cue; with no source, rarely).
"""

from __future__ import annotations

from proposer import CueModel, propose

from briefing.find.cues import Cue
from briefing.find.draft import Draft
from briefing.find.lexicon import lexicon
from briefing.find.reported import reported_drafts
from briefing.find.tokens import Layout, Span, Token, Unit


def _bucket(n: int, bounds: tuple[int, ...]) -> str:
    for bound in bounds:
        if n <= bound:
            return str(bound)
    return f">{bounds[-1]}"


def _shape(token: Token) -> str:
    if not token.is_word:
        return "p"
    return "C" if token.capitalised else "x"


def _source_features(source: list[Token]) -> list[str]:
    if not source:
        return ["src=none"]
    lex = lexicon()
    first, last = source[0], source[-1]
    out = [
        "slen=" + _bucket(len(source), (1, 2, 3, 6)),
        "sf=" + first.lower,
        "sl=" + last.bare,
        "sfs=" + _shape(first) + _shape(last),
    ]
    if first.lower in lex.person_pronouns or first.lower in lex.group_pronouns:
        out.append("spron")
    if last.bare in lex.roles or last.bare in lex.institutions:
        out.append("srole")
    return out


def statement_features(unit: Unit, cue: Cue, probability: float, draft: Draft) -> list[str]:
    """The binary features of a statement a learned cue introduces."""
    tokens = unit.tokens
    words = [tokens[k].lower for k in range(cue.first, cue.last + 1)]
    inside = [t for t in tokens if any(s <= t.start < e for s, e in draft.content)]
    content = [t for t in inside if t.is_word]
    out = [
        "bias",
        f"p={min(int(probability * 10), 9)}",
        "cf=" + words[0],
        "cl=" + words[-1],
        "clen=" + _bucket(len(words), (1, 2)),
        "cshape=" + _shape(tokens[cue.first]),
        "lead=" + (tokens[cue.first - 1].lower if cue.first > 0 else "<s>"),
        "nlen=" + _bucket(len(content), (2, 5, 10, 20)),
        "n0=" + (content[0].lower if content else "<none>"),
        "side=" + ("before" if draft.start < tokens[cue.first].start else "after"),
    ]
    out.extend("cw=" + w for w in words)
    out.extend(_source_features(draft.source))
    if content and content[-1] is next((t for t in reversed(tokens) if t.is_word), None):
        out.append("nend")
    if any(t.quoted for t in tokens):
        out.append("qsent")
    return out


def _free(draft: Draft, found: list[Draft]) -> bool:
    """Whether no statement found so far holds the draft's cue or overlaps its content."""
    spans = [s for d in found for s in d.content]
    cue = draft.cue or (0, 0)
    if any(a <= cue[0] and cue[1] <= b for a, b in spans):
        return False
    return not any(a < e and s < b for a, b in draft.content for s, e in spans)


def learned_drafts(
    layout: Layout, cues: dict[int, list[Cue]], used: set[Span], found: list[Draft], model: CueModel
) -> list[tuple[Draft, list[str]]]:
    """The statements the model's cues add to `found` (the rules' statements), in text order,
    each with its statement features (for training the statement model)."""
    added: list[tuple[Draft, list[str]]] = []
    for unit in layout.units:
        if unit.index not in cues:
            continue
        proposed = propose(unit.tokens, cues[unit.index], model)
        if not proposed:
            continue
        tokens = unit.tokens
        by_span = {(tokens[c.first].start, tokens[c.last].end): (c, p) for c, p in proposed}
        for draft in reported_drafts(unit, [c for c, _ in proposed], used, []):
            if draft.cue not in by_span or not _free(draft, found + [d for d, _ in added]):
                continue
            cue, p = by_span[draft.cue]
            feats = statement_features(unit, cue, p, draft)
            if model.statement_probability(feats) >= model.statement_threshold:
                added.append((draft, feats))
    return added
