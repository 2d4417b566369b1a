""" "The day in brief": at most five lines, built by the program from verified fields only.

Every line is made of an entry's speaker, role (as the article gives it), stance, topic
heading or proposition, and the first words of its quotation, a span of the article. No model
writes any of it, so the lead can say nothing its entries do not: it is never empty, never
echoes a prompt, and a hostile model has no free text to put on the page.

Order, most important first: shifts, then the day's positions with a stated stance (the most
reported first, then those with a quotation, then in the page's order), then voices heard for
the first time, in one line. A day with no stated stance leads with its most reported
statements; a day with nothing briefed says what there is (held for review, or nothing found).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefing.render.entries import BriefEntry
from briefing.render.markdown import md_inline

MAX_LINES = 5
QUOTE_WORDS = 12  # a quotation in the lead is its first words, a prefix of the span

_VERB = {
    "supports": "supports",
    "opposes": "opposes",
    "conditional": "sets conditions on",
}


@dataclass(frozen=True)
class LeadLine:
    text: str  # Markdown, every outside word escaped
    entries: tuple[int, ...]  # the numbers of the entries it rests on


def short_quote(entry: BriefEntry) -> str:
    """The first words of the entry's shown words, escaped: a prefix of a span of the source,
    so still the source's own words; "…" marks the cut."""
    position = entry.shown[0]
    text = " ".join(position.quotes[0].split()) if position.quotes else ""
    words = text.split(" ")
    cut = " ".join(words[:QUOTE_WORDS]) + (" …" if len(words) > QUOTE_WORDS else "")
    cut = md_inline(cut)
    return f"“{cut}”" if position.kind == "direct" else f"reported: {cut}"


def _who(entry: BriefEntry) -> str:
    role = f" ({md_inline(entry.role)})" if entry.role else ""
    return f"**{md_inline(entry.speaker)}**{role}"


def _what(entry: BriefEntry, titles: dict[str, str], propositions: dict[str, str]) -> str:
    """ "supports foreign troops deployed in Ukraine", or "on Sanctions" without a stance."""
    verb = _VERB.get(entry.stance)
    if verb is not None and entry.topic in propositions:
        return f"{verb} *{md_inline(propositions[entry.topic])}*"
    title = md_inline(titles.get(entry.topic) or entry.topic.replace("_", " "))
    return f"{verb} {title}" if verb else f"on {title}"


def _rank(entry: BriefEntry) -> tuple[int, int, int, int]:
    return (-entry.outlets, -len(entry.parts), not entry.direct, entry.number)


def lead_lines(
    entries: Sequence[BriefEntry],
    titles: dict[str, str],
    propositions: dict[str, str],
    new_voices: Sequence[str],
    held: int,
    articles: int,
) -> list[LeadLine]:
    """The lead; see the module docstring."""
    if not entries:
        if held:
            return [
                LeadLine(
                    f"Nothing briefed as fact: {held} statement{'s' if held != 1 else ''}"
                    " held for review (below).",
                    (),
                )
            ]
        return [LeadLine(f"No attributed statements found in {articles} article(s).", ())]
    lines: list[LeadLine] = []
    used: set[int] = set()
    for e in entries:
        s = e.statement
        if s is not None and s.label == "shifted" and s.earlier is not None:
            before = s.earlier.first
            when = before.date.isoformat() if before.date else "undated"
            lines.append(
                LeadLine(
                    f"{_who(e)} shifted: now {_what(e, titles, propositions)}"
                    f" ({before.position.stance_shown} on {when}): {short_quote(e)}",
                    (e.number,),
                )
            )
            used.add(e.number)
    room = MAX_LINES - len(lines) - (1 if new_voices else 0)
    stated = sorted(
        (e for e in entries if e.stated is not None and e.number not in used), key=_rank
    )
    rest = sorted((e for e in entries if e.stated is None and e.number not in used), key=_rank)
    for e in (stated or rest)[: max(room, 0)]:
        lines.append(
            LeadLine(f"{_who(e)} {_what(e, titles, propositions)}: {short_quote(e)}", (e.number,))
        )
    if new_voices and len(lines) < MAX_LINES:
        names = ", ".join(md_inline(n) for n in new_voices[:6])
        more = f" and {len(new_voices) - 6} more" if len(new_voices) > 6 else ""
        lines.append(LeadLine(f"First heard from: {names}{more}.", ()))
    if not stated and rest:
        lines.append(
            LeadLine("No stance is stated in today's statements: read the quotations.", ())
        )
    if held:
        lines.append(LeadLine(f"{held} more held for review (below).", ()))
    return lines[:MAX_LINES] if len(lines) > MAX_LINES else lines
