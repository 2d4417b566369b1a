"""Rendering a day's briefing from stored positions with the Jinja templates in `templates/`.

Pure: the same positions and provenance give the same bytes. Nothing here asks a model: the
lead is built from the entries' fields (briefing.render.lead).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from briefing.extract.label import SPEAKER_NOT_FOUND
from briefing.extract.topics import title_of_key
from briefing.models import Article, ArticleResult, DateStatus, Position
from briefing.render.data import briefing_data
from briefing.render.entries import BriefEntry, brief_entries
from briefing.render.lead import LeadLine, lead_lines
from briefing.render.markdown import code_span, link_target, md_inline, outside_text
from briefing.templates import render_template
from briefing.track.tracking import Entry, Statement


@dataclass
class Briefing:
    day: dt.date
    markdown: str
    articles: int
    positions: int
    needs_review: int
    lead: list[LeadLine] = field(default_factory=list)
    entries: list[BriefEntry] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # the same day as data (render.data)
    # The day's articles that were not fully extracted (title or origin): the briefing is partial.
    failed: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.markdown.encode("utf-8")).hexdigest()


def _date_note(article: Article) -> str:
    if article.published is None:
        return "undated"
    note = {
        DateStatus.APPROXIMATE: " (approximate)",
        DateStatus.INFERRED: " (inferred from the text)",
    }.get(article.date_status, "")
    return article.published.isoformat() + note


def _review_mark(p: Position, shown: bool = True) -> str:
    """How a position's review reads after it; nothing when no position of the day was
    reviewed and review is not required (then every mark would say "not reviewed")."""
    if not shown:
        return ""
    if p.review_status == "edited" or (p.review_status == "approved" and p.edited):
        fields = ", ".join(sorted(p.edited))
        who = md_inline(p.edited_by or p.reviewed_by or "an analyst")
        return f"edited by {who}: {fields}" if fields else f"reviewed by {who}"
    if p.review_status == "approved":
        return f"reviewed by {md_inline(p.reviewed_by or 'an analyst')}"
    if p.conflict:
        return "not reviewed: changed since an analyst reviewed it"
    return "not reviewed"


def _title(key: str, titles: dict[str, str]) -> str:
    if key in titles:
        return md_inline(titles[key])
    return md_inline(title_of_key(key))  # a topic the model proposed: its key in words


def _said(entry: Entry) -> str:
    """The statement date, and how it was read when not simply the publication date."""
    if entry.date is None:
        return "undated"
    if entry.date == entry.article.published and "publication" in entry.said.how:
        return entry.date.isoformat()
    return f"{entry.date.isoformat()} ({md_inline(entry.said.how)})"


def _outlet_ref(entry: Entry, source_number: dict[str, int]) -> str:
    """A day's source by its number; an earlier day's by outlet and publication date."""
    if entry.article.id in source_number:
        return f"[{source_number[entry.article.id]}]"
    if entry.article.published == entry.date:
        return md_inline(entry.outlet)
    published = entry.article.published.isoformat() if entry.article.published else "undated"
    return f"{md_inline(entry.outlet)}, published {published}"


def _quote_text(entry: Entry) -> str:
    quotes = " … ".join(md_inline(q) for q in entry.position.quotes) or "(no quotation)"
    return f"“{quotes}”" if entry.position.kind == "direct" else f"reported: {quotes}"


def _shift(e: BriefEntry, titles: dict[str, str], source_number: dict[str, int]) -> dict[str, Any]:
    """A shift in "What changed": the statement now and the earlier one it differs from."""
    statement = e.statement
    assert statement is not None and statement.earlier is not None
    now, before = statement.first, statement.earlier.first
    return {
        "number": e.number,
        "actor": md_inline(statement.actor.name),
        "topic": _title(e.topic, titles),
        "stance": e.stance,
        "now_date": now.date.isoformat() if now.date else "undated",
        "before_stance": before.position.stance_shown,
        "before": f"{_said(before)}, {_outlet_ref(before, source_number)}: {_quote_text(before)}",
    }


def _tracking_note(e: BriefEntry, day: dt.date, source_number: dict[str, int]) -> str:
    """What the entry line adds after its source: a date other than the day's, the tracking
    label when it says something (shifted, reiterated), the outlets that reported it."""
    notes = []
    entry = e.entry
    if entry is not None and entry.date is not None and entry.date != day:
        notes.append(f"said {_said(entry)}")
    statement = e.statement
    if statement is not None:
        if statement.label in ("shifted", "reiterated") and statement.earlier is not None:
            earlier = statement.earlier.first
            when = earlier.date.isoformat() if earlier.date else "undated"
            notes.append(f"**{statement.label}** (before: {earlier.position.stance_shown}, {when})")
        if len(statement.outlets) > 1:
            first = statement.first
            by = _outlet_ref(first, source_number)
            if by.startswith("["):
                by = f"{md_inline(first.outlet)} {by}"
            notes.append(f"reported by {len(statement.outlets)} outlets, first by {by}")
    return "; ".join(notes)


@dataclass
class Provenance:
    """Where a briefing's positions came from, for its footer."""

    provider: str
    model: str
    prompt_id: str
    prompt_tokens: int
    completion_tokens: int


@dataclass
class BriefingInput:
    """Everything a day's briefing is rendered from.

    `positions` are the positions briefed, in source order. `tracked` holds the statement of
    each of them by `Position.key`; None renders the briefing without tracking ("What
    changed"). `heard_before` holds the voices (actor ids) with a statement before the day on
    any topic: a "new" statement of one of them is a new topic for a known voice, the others
    are voices heard for the first time."""

    day: dt.date
    articles: list[ArticleResult]
    provenance: Provenance
    positions: list[Position] = field(default_factory=list)
    topics: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    propositions: dict[str, str] = field(default_factory=dict)
    other_dates: list[str] = field(default_factory=list)  # dates with articles, for an empty day
    awaiting_review: int = 0  # positions left out until an analyst approves them
    rejected: int = 0  # positions an analyst rejected
    require_review: bool = False
    tracked: dict[str, Statement] | None = None
    heard_before: frozenset[str] = frozenset()


def _needs_review(day: BriefingInput, source: dict[str, int]) -> list[dict[str, Any]]:
    """Articles not fully extracted or held unasked, positions that failed validation and
    sentences set aside as suspected instructions, in source order. An instruction is named by
    its sentence number, never quoted: its words are the ones that must not reach the page."""
    review: list[dict[str, Any]] = []
    for result in day.articles:
        number = source[result.article.id]
        if result.error:
            review.append(
                {"kind": "article", "source": number, "reason": outside_text(result.error)}
            )
        if result.held:
            review.append({"kind": "held", "source": number, "reason": outside_text(result.held)})
        for p in result.positions:
            if not p.valid:
                review.append(
                    {
                        "kind": "position",
                        "id": p.id,
                        "source": number,
                        "speaker": md_inline(p.speaker),
                        "quote": md_inline(" … ".join(p.quotes)[:160]),
                        "evidence": ", ".join(f"S{i}" for i in p.evidence) or "none",
                        "reason": outside_text(p.reason or ""),
                    }
                )
        review.extend(
            {"kind": "instruction", "source": number, "evidence": f"S{index}"}
            for index in result.suspects
        )
    return review


def _review_lines(review: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Needs review items as the page lists them: the statements of one source held only
    because no one could be named as their speaker go on one line (a long op-ed holds a dozen,
    and the page is read in two minutes); every other item on a line of its own."""
    lines: list[dict[str, Any]] = []
    for item in review:
        unnamed = item["kind"] == "position" and item["reason"].startswith(SPEAKER_NOT_FOUND)
        last = lines[-1] if lines else {}
        if unnamed and last.get("kind") == "unnamed" and last["source"] == item["source"]:
            last["items"].append(item)
        elif unnamed:
            lines.append({"kind": "unnamed", "source": item["source"], "items": [item]})
        else:
            lines.append(item)
    # One such statement alone is listed as any other.
    return [x["items"][0] if x["kind"] == "unnamed" and len(x["items"]) == 1 else x for x in lines]


def _entry_row(
    e: BriefEntry, day: BriefingInput, source: dict[str, int], review_marks: bool
) -> dict[str, Any]:
    marks = [m for p in e.parts if (m := _review_mark(p.position, review_marks))]
    return {
        "number": e.number,
        "stance": e.stance,
        "kind": "direct" if e.direct else "reported",
        "quotes": [md_inline(q) for p in e.shown for q in p.quotes],
        "source": source[e.first.article_id],
        "note": _tracking_note(e, day.day, source),
        "review": "; ".join(dict.fromkeys(marks)),
    }


def _sections(
    entries: list[BriefEntry], day: BriefingInput, source: dict[str, int]
) -> list[dict[str, Any]]:
    """Topic sections (the listed topics in the list's order, then proposed ones by name),
    each with its speakers in order of first entry, each speaker with their entries."""
    review_marks = day.require_review or any(
        p.review_status != "pending" or p.conflict for p in day.positions
    )
    by_topic: dict[str, dict[tuple[str, str], list[BriefEntry]]] = {}
    for e in entries:
        speakers = by_topic.setdefault(e.topic, {})
        speakers.setdefault((e.voice, e.speaker), []).append(e)
    order = [t for t in day.topics if t in by_topic] + sorted(
        t for t in by_topic if t not in day.topics
    )
    introduced: set[tuple[str, str]] = set()  # a speaker's role is given once on the page

    def role(group: list[BriefEntry]) -> str:
        key = (group[0].voice, group[0].speaker)
        if key in introduced:
            return ""
        introduced.add(key)
        return md_inline(next((e.role for e in group if e.role), ""))

    return [
        {
            "key": t,
            "title": _title(t, day.titles),
            "proposed": t not in day.topics,
            "speakers": [
                {
                    "speaker": md_inline(group[0].speaker),
                    "role": role(group),
                    "entries": [_entry_row(e, day, source, review_marks) for e in group],
                }
                for group in by_topic[t].values()
            ],
        }
        for t in order
    ]


def _changes(
    entries: list[BriefEntry], day: BriefingInput, source: dict[str, int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Shifts; new topics of voices heard before; names of voices heard for the first time."""
    shifts: list[dict[str, Any]] = []
    new_topics: dict[str, dict[str, Any]] = {}
    new_voices: dict[str, str] = {}
    seen: set[int] = set()  # statements already listed (several outlets, several entries)
    for e in entries:
        s = e.statement
        if s is None or id(s) in seen:
            continue
        seen.add(id(s))
        if s.label == "shifted" and s.earlier is not None:
            shifts.append(_shift(e, day.titles, source))
        elif s.label == "new" and s.actor.voice in day.heard_before:
            # One line per voice: the topics it spoke on for the first time.
            title = _title(e.topic, day.titles)
            line = new_topics.setdefault(
                s.actor.voice,
                {"number": e.number, "actor": md_inline(s.actor.name), "topics": []},
            )
            if title not in line["topics"]:
                line["topics"].append(title)
        elif s.label == "new" and day.heard_before:
            # when none of the day's voices was heard before (the first day briefed), every
            # voice is new, and a list of them all says nothing
            new_voices.setdefault(s.actor.voice, s.actor.name)
    return shifts, list(new_topics.values()), list(new_voices.values())


def _sources(day: BriefingInput, source: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "number": source[a.id],
            "title": md_inline(a.title) if a.title else None,
            "source": md_inline(a.source) if a.source else "outlet not given",
            "url": link_target(a.url),
            "url_refused": bool(a.url) and link_target(a.url) is None,
            "date": _date_note(a),
            "origin": code_span(a.origin),
        }
        for a in (r.article for r in day.articles)
    ]


def render_briefing(day: BriefingInput) -> Briefing:
    """The day's briefing in Markdown (templates/briefing.md.j2)."""
    source = {r.article.id: n for n, r in enumerate(day.articles, start=1)}
    review = _needs_review(day, source)
    entries = brief_entries(day.positions, day.tracked)
    shifts, new_topics, new_voices = _changes(entries, day, source)
    held = sum(item["kind"] == "position" for item in review)
    held_articles = sum(item["kind"] == "held" for item in review)
    lead = lead_lines(
        entries, day.titles, day.propositions, new_voices, held, len(day.articles), held_articles
    )
    sections = _sections(entries, day, source)
    nearby = [d for d in day.other_dates if d != day.day.isoformat()]
    markdown = render_template(
        "briefing.md.j2",
        day=day.day.isoformat(),
        articles=len(day.articles),
        entries=len(entries),
        lead=lead,
        sections=sections,
        sources=_sources(day, source),
        review=_review_lines(review),
        tracked=day.tracked is not None,
        shifts=shifts,
        new_topics=new_topics,
        proposed=[md_inline(s["key"]) for s in sections if s["proposed"]],
        other_dates=nearby[-5:],
        **vars(day.provenance),
        awaiting_review=day.awaiting_review,
        rejected=day.rejected,
    )
    # Sections and speakers that open and close blocks leave runs of blank lines; no text on
    # the page has a line break of its own (md_inline), so collapsing them changes no content.
    markdown = re.sub(r"\n{3,}", "\n\n", markdown)
    return Briefing(
        day=day.day,
        markdown=markdown,
        articles=len(day.articles),
        positions=len(entries),
        needs_review=len(review),
        lead=lead,
        entries=entries,
        data=briefing_data(
            day.day.isoformat(),
            day.articles,
            entries,
            lead,
            {
                "shifted": [c["number"] for c in shifts],
                "new_topics": [c["number"] for c in new_topics],
                "new_voices": new_voices,
            },
            day.titles,
        ),
        failed=[r.article.title or r.article.origin for r in day.articles if r.error],
    )
