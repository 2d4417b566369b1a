"""Rendering a day's briefing from stored positions with the Jinja templates in `templates/`.

Pure: the same positions, summary and provenance give the same bytes. Nothing here asks a model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from briefing.extract.summary import SummaryLine
from briefing.models import Article, ArticleResult, DateStatus, Position
from briefing.render.markdown import code_span, link_target, md_inline, outside_text
from briefing.templates import render_template
from briefing.track.tracking import Entry, Statement, entry_of


@dataclass
class Briefing:
    day: dt.date
    markdown: str
    articles: int
    positions: int
    needs_review: int
    summary: list[SummaryLine] = field(default_factory=list)
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


def _review_mark(p: Position) -> str:
    """How a position's review reads after it: short, so that every position can carry one."""
    if p.review_status == "edited" or (p.review_status == "approved" and p.edited):
        fields = ", ".join(sorted(p.edited))
        who = md_inline(p.edited_by or p.reviewed_by or "an analyst")
        return f"edited by {who}: {fields}" if fields else f"reviewed by {who}"
    if p.review_status == "approved":
        return f"reviewed by {md_inline(p.reviewed_by or 'an analyst')}"
    if p.conflict:
        return "not reviewed: changed since an analyst reviewed it"
    return "not reviewed"


def _topic_title(key: str, topics: dict[str, str]) -> str:
    if key in topics:
        return topics[key][:1].upper() + topics[key][1:]
    text = key.replace("_", " ")  # a topic the model proposed: its text
    return md_inline(text[:1].upper() + text[1:])


def _said(entry: Entry) -> str:
    if entry.date is None:
        return "undated"
    return f"{entry.date.isoformat()} ({md_inline(entry.said.how)})"


def _outlet_ref(entry: Entry, source_number: dict[str, int]) -> str:
    """A day's source by its number; an earlier day's by outlet and publication date."""
    if entry.article.id in source_number:
        return f"[{source_number[entry.article.id]}]"
    published = entry.article.published.isoformat() if entry.article.published else "undated"
    return f"{md_inline(entry.outlet)}, published {published} (id {entry.article.id})"


def _quote_text(entry: Entry) -> str:
    quotes = " … ".join(md_inline(q) for q in entry.position.quotes) or "(no quotation)"
    return f"“{quotes}”" if entry.position.kind == "direct" else f"reported: {quotes}"


def _change(
    statement: Statement, number: int, topics: dict[str, str], source_number: dict[str, int]
) -> dict[str, Any]:
    """A line of "What changed": the statement, and for a shift the earlier one it differs from."""
    now = statement.first
    item: dict[str, Any] = {
        "number": number,
        "actor": md_inline(statement.actor.name),
        "topic": _topic_title(statement.topic, topics),
        "stance": now.position.stance_shown,
        "said": _said(now),
        "source": _outlet_ref(now, source_number),
        "quote": _quote_text(now),
        "before": None,
    }
    if statement.earlier is not None:
        before = statement.earlier.first
        item["before"] = {
            "speaker": md_inline(before.position.speaker),
            "stance": before.position.stance_shown,
            "said": _said(before),
            "source": _outlet_ref(before, source_number),
            "quote": _quote_text(before),
        }
    return item


def _statement_key(statement: Statement) -> str:
    """A statement is known by its first report."""
    return statement.first.position.key


def _tracking(
    statement: Statement | None,
    entry: Entry | None,
    p: Position,
    day: BriefingInput,
    numbers: _Numbers,
) -> dict[str, Any]:
    """What tracking adds to a position in its topic section (nothing without tracking)."""
    if statement is None or entry is None or day.tracked is None:
        return {"label": None, "tracking": ""}
    label = statement.label
    if statement.earlier is not None:
        earlier = statement.earlier.first
        when = earlier.date.isoformat() if earlier.date else "undated"
        label += f" (before: {earlier.position.stance_shown}, {when})"
    reported = None
    if len(statement.outlets) > 1:
        first = statement.first
        mine = _statement_key(statement)
        others = [
            numbers.position[q.key]
            for q in day.summary_positions
            if q.key != p.key
            and (s := day.tracked.get(q.key)) is not None
            and _statement_key(s) == mine
        ]
        by = _outlet_ref(first, numbers.source)
        if by.startswith("["):  # one of today's sources: name it, then its number
            by = f"{md_inline(first.outlet)} {by}"
        reported = f"reported by {len(statement.outlets)} outlets, first by {by}" + (
            f"; same statement as position {', '.join(map(str, others))}" if others else ""
        )
    # One string, so that the template's source line needs no block tags (which eat newlines).
    parts = [f" said {_said(entry)}"]
    if reported:
        parts.append(reported)
    if entry.topic_note:
        parts.append(md_inline(entry.topic_note))
    return {"label": label, "tracking": "; ".join(parts)}


@dataclass
class Provenance:
    """Where a briefing's positions and summary came from, for its footer."""

    provider: str
    model: str
    prompt_id: str
    summary_prompt_id: str
    prompt_tokens: int
    completion_tokens: int


@dataclass
class BriefingInput:
    """Everything a day's briefing is rendered from.

    `summary_positions` are the positions briefed, in the order the summary saw them: that order
    numbers them, so the summary's references line up. `tracked` holds the statement of each of
    them by `Position.key`; None renders the briefing without tracking ("What changed")."""

    day: dt.date
    articles: list[ArticleResult]
    provenance: Provenance
    summary_positions: list[Position] = field(default_factory=list)
    summary_lines: list[SummaryLine] = field(default_factory=list)
    summary_error: str | None = None
    topics: dict[str, str] = field(default_factory=dict)
    other_dates: list[str] = field(default_factory=list)  # dates with articles, for an empty day
    awaiting_review: int = 0  # positions left out until an analyst approves them
    rejected: int = 0  # positions an analyst rejected
    tracked: dict[str, Statement] | None = None


@dataclass
class _Numbers:
    """How the briefing refers to things: sources by article id, positions by key."""

    source: dict[str, int]
    position: dict[str, int]

    @classmethod
    def of(cls, day: BriefingInput) -> _Numbers:
        return cls(
            source={r.article.id: n for n, r in enumerate(day.articles, start=1)},
            position={p.key: n for n, p in enumerate(day.summary_positions, start=1)},
        )


def _needs_review(day: BriefingInput, numbers: _Numbers) -> list[dict[str, Any]]:
    """Articles not fully extracted and positions that failed validation, in source order."""
    review: list[dict[str, Any]] = []
    for result in day.articles:
        source = numbers.source[result.article.id]
        if result.error:
            review.append(
                {"kind": "article", "source": source, "reason": outside_text(result.error)}
            )
        for p in result.positions:
            if not p.valid:
                review.append(
                    {
                        "kind": "position",
                        "source": source,
                        "speaker": md_inline(p.speaker),
                        "summary": md_inline(p.summary),
                        "evidence": ", ".join(f"S{i}" for i in p.evidence) or "none",
                        "reason": outside_text(p.reason or ""),
                    }
                )
    return review


def _positions(
    day: BriefingInput, numbers: _Numbers
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """The briefed positions by topic, and "What changed" (shifted and new statements, each
    once however many outlets reported it)."""
    by_topic: dict[str, list[dict[str, Any]]] = {}
    changes: dict[str, list[dict[str, Any]]] = {"shifted": [], "new": []}
    shown: set[str] = set()  # statements already in "What changed"
    for p in day.summary_positions:
        statement = day.tracked.get(p.key) if day.tracked is not None else None
        entry = entry_of(statement, p) if statement is not None else None
        topic = entry.topic if entry is not None else p.topic
        if (
            statement is not None
            and statement.label in changes
            and _statement_key(statement) not in shown
        ):
            shown.add(_statement_key(statement))
            changes[statement.label].append(
                _change(statement, numbers.position[p.key], day.topics, numbers.source)
            )
        by_topic.setdefault(topic, []).append(
            {
                **_tracking(statement, entry, p, day, numbers),
                "number": numbers.position[p.key],
                "speaker": md_inline(p.speaker),
                "role": md_inline(p.role),
                "stance": p.stance_shown,
                "summary": md_inline(p.summary),
                "kind": p.kind,
                "quotes": [md_inline(q) for q in p.quotes],
                "source": numbers.source[p.article_id],
                "review": _review_mark(p),
            }
        )
    return by_topic, changes


def _sections(
    by_topic: dict[str, list[dict[str, Any]]], topics: dict[str, str]
) -> list[dict[str, Any]]:
    """Topic sections: the listed topics in the list's order, then proposed ones by name."""
    known = [t for t in topics if t in by_topic]
    proposed = sorted(t for t in by_topic if t not in topics)
    return [
        {
            "key": t,
            "title": topics[t][:1].upper() + topics[t][1:],
            "proposed": False,
            "positions": by_topic[t],
        }
        for t in known
    ] + [
        {
            "key": t,
            "title": md_inline(t.replace("_", " ").capitalize()),
            "proposed": True,
            "positions": by_topic[t],
        }
        for t in proposed
    ]


def _sources(day: BriefingInput, numbers: _Numbers) -> list[dict[str, Any]]:
    return [
        {
            "number": numbers.source[a.id],
            "title": md_inline(a.title) if a.title else None,
            "source": md_inline(a.source) if a.source else "source unknown",
            "url": link_target(a.url),
            "url_refused": bool(a.url) and link_target(a.url) is None,
            "date": _date_note(a),
            "origin": code_span(a.origin),
            "id": a.id,
        }
        for a in (r.article for r in day.articles)
    ]


def render_briefing(day: BriefingInput) -> Briefing:
    """The day's briefing in Markdown (templates/briefing.md.j2)."""
    numbers = _Numbers.of(day)
    review = _needs_review(day, numbers)
    by_topic, changes = _positions(day, numbers)
    sections = _sections(by_topic, day.topics)
    nearby = [d for d in day.other_dates if d != day.day.isoformat()]
    summary = [{"text": outside_text(line.text), "refs": line.refs} for line in day.summary_lines]
    markdown = render_template(
        "briefing.md.j2",
        day=day.day.isoformat(),
        articles=len(day.articles),
        positions=len(day.summary_positions),
        summary=summary,
        summary_error=outside_text(day.summary_error) if day.summary_error else None,
        sections=sections,
        sources=_sources(day, numbers),
        review=review,
        tracked=day.tracked is not None,
        changes=changes,
        proposed=[md_inline(s["key"]) for s in sections if s["proposed"]],
        other_dates=nearby[-5:],
        **vars(day.provenance),
        awaiting_review=day.awaiting_review,
        rejected=day.rejected,
    )
    return Briefing(
        day=day.day,
        markdown=markdown,
        articles=len(day.articles),
        positions=len(day.summary_positions),
        needs_review=len(review),
        summary=day.summary_lines,
        failed=[r.article.title or r.article.origin for r in day.articles if r.error],
    )
