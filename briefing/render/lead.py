""" "The day in brief": at most five lines, built by the program from verified fields only.

Every line is made of an entry's speaker, role (as the article gives it), topic heading and the
first words of its quotation, a span of the article; a shift's line also gives both stances and
the topic's proposition. No model writes any of it, so the lead can say nothing its entries do
not: it is never empty, never echoes a prompt, and a hostile model has no free text to put on the
page. A position's stance is not claimed in the lead: the rules read it from the statement's
words, which on unseen news was right for about half the positions (bench/judged) and for one of
eight lead lines that claimed it; the entry shows it, next to the words it rests on.

Order, most important first: shifts, then the day's positions whose own words name the topic
and state the stance (the most reported first, then those of several parts, then those with a
quotation, then in the page's order; other positions with a stated stance only on a day with
none of these), then voices heard for
the first time, in one line. A day with no stated stance leads with its most reported
statements; a day with nothing briefed says what there is (held for review, or nothing found).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefing.render.entries import BriefEntry
from briefing.render.markdown import md_inline

MAX_LINES = 5
QUOTE_WORDS = 10  # a quotation in the lead is its first words, a prefix of the span

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
    """The first words of the part whose words state the stance (else of the first part
    shown), escaped: a prefix of a span of the source, so still the source's own words; "…"
    marks the cut."""
    position = entry.stated or entry.shown[0]
    text = " ".join(position.quotes[0].split()) if position.quotes else ""
    words = text.split(" ")
    cut = " ".join(words[:QUOTE_WORDS]) + (" …" if len(words) > QUOTE_WORDS else "")
    cut = md_inline(cut)
    return f"“{cut}”" if position.kind == "direct" else f"reported: {cut}"


def _who(entry: BriefEntry, named: set[str] | None = None) -> str:
    """The speaker in bold, with their role the first time the lead names them."""
    first = named is None or entry.speaker not in named
    if named is not None:
        named.add(entry.speaker)
    role = f" ({md_inline(entry.role)})" if entry.role and first else ""
    return f"**{md_inline(entry.speaker)}**{role}"


def _title(entry: BriefEntry, titles: dict[str, str]) -> str:
    """The topic's short heading, escaped; its key in words when it has none."""
    return md_inline(titles.get(entry.topic) or entry.topic.replace("_", " "))


def _what(entry: BriefEntry, titles: dict[str, str], propositions: dict[str, str]) -> str:
    """ "opposes *foreign troops deployed in Ukraine*" where the statement's own words name the
    topic and state the stance; otherwise the heading and the label, which claim less: "on
    Sanctions (supports)", "on Sanctions"."""
    title = _title(entry, titles)
    verb = _VERB.get(entry.stance)
    if verb is None:
        return f"on {title}"
    if entry.topic in propositions and _clear(entry):
        return f"{verb} *{md_inline(propositions[entry.topic])}*"
    return f"on {title} ({entry.stance})"


def _plain(name: str) -> str:
    """A name to compare: "Russia’s Foreign Ministry" is "Russia's Foreign Ministry"."""
    return name.replace("’", "'").casefold()


def _clear(entry: BriefEntry) -> bool:
    """Whether the statement's own words name its topic and state its stance."""
    found, stated = entry.entry, entry.stated
    return bool(found and found.topic_in_words and stated and stated.stance_basis == "words")


def _rank(entry: BriefEntry) -> tuple[int, bool, int, bool, int]:
    return (-entry.outlets, not _clear(entry), -len(entry.parts), not entry.direct, entry.number)


def _shift_lines(
    entries: Sequence[BriefEntry],
    titles: dict[str, str],
    propositions: dict[str, str],
    named: set[str],
) -> list[LeadLine]:
    lines = []
    for e in entries:
        s = e.statement
        if s is not None and s.label == "shifted" and s.earlier is not None:
            before = s.earlier.first
            when = before.date.isoformat() if before.date else "undated"
            lines.append(
                LeadLine(
                    f"{_who(e, named)} shifted: now {_what(e, titles, propositions)}"
                    f" (before: {before.position.stance_shown}, {when})",
                    (e.number,),
                )
            )
    return lines


def _nothing_briefed(held: int, articles: int, held_articles: int) -> LeadLine:
    """The lead of a day with no entry: what waits for review, or that nothing was found."""
    waiting = [
        f"{n} {word}{'s' if n != 1 else ''}"
        for n, word in ((held, "statement"), (held_articles, "article"))
        if n
    ]
    if waiting:
        return LeadLine(
            f"Nothing briefed as fact: {' and '.join(waiting)} held for review (below).", ()
        )
    return LeadLine(f"No attributed statements found in {articles} article(s).", ())


def lead_lines(
    entries: Sequence[BriefEntry],
    titles: dict[str, str],
    propositions: dict[str, str],
    new_voices: Sequence[str],
    held: int,
    articles: int,
    held_articles: int = 0,
) -> list[LeadLine]:
    """The lead; see the module docstring. `held_articles`: articles held for review without
    asking the model (too many candidates), which found nothing only because they were not read."""
    if not entries:
        return [_nothing_briefed(held, articles, held_articles)]
    named: set[str] = set()
    lines = _shift_lines(entries, titles, propositions, named)
    used = {n for line in lines for n in line.entries}
    room = MAX_LINES - len(lines) - (1 if new_voices else 0)
    stated = sorted(
        (e for e in entries if e.stated is not None and e.number not in used), key=_rank
    )
    rest = sorted((e for e in entries if e.stated is None and e.number not in used), key=_rank)
    # Statements whose own words name the topic and state the stance lead; the others (a
    # topic or stance that rests on the model, or on words about something else) only on a
    # day that has none of those.
    clear = [e for e in stated if _clear(e)]
    said: set[tuple[str, str]] = set()  # one line per voice and topic: the day, not one file
    for e in clear or stated or rest:
        if room <= 0:
            break
        if (e.voice, e.topic) in said:
            continue
        said.add((e.voice, e.topic))
        room -= 1
        lines.append(
            LeadLine(
                f"{_who(e, named)} on {_title(e, titles)}: {short_quote(e)}",
                (e.number,),
            )
        )
    # voices the lines above already name are not listed again
    said_by = {_plain(n) for n in named}
    unnamed = [n for n in new_voices if _plain(n) not in said_by]
    if unnamed and len(lines) < MAX_LINES:
        names = ", ".join(md_inline(n) for n in unnamed[:6])
        more = f" and {len(unnamed) - 6} more" if len(unnamed) > 6 else ""
        lines.append(LeadLine(f"First heard from: {names}{more}.", ()))
    if not stated and rest:
        lines.append(
            LeadLine("No stance is stated in today's statements: read the quotations.", ())
        )
    if held:
        lines.append(LeadLine(f"{held} more held for review (below).", ()))
    return lines[:MAX_LINES] if len(lines) > MAX_LINES else lines
