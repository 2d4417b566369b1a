"""Rendering a day's briefing from stored positions with the Jinja templates in `templates/`.

Pure: the same positions, summary and provenance give the same bytes. Nothing here asks a model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import jinja2

from .config import PROJECT_ROOT
from .extract import SummaryLine
from .models import Article, DateStatus, Position

TEMPLATES_DIR = PROJECT_ROOT / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    autoescape=False,
)


@dataclass
class Briefing:
    day: dt.date
    markdown: str
    articles: int
    positions: int
    needs_review: int
    summary: list[SummaryLine] = field(default_factory=list)

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


def _md_inline(text: str) -> str:
    """Keep article text from turning into Markdown structure (headings, links, emphasis)."""
    out = []
    for char in text:
        if char in "\\`*_[]<>#|":
            out.append("\\" + char)
        else:
            out.append(char)
    # Only line breaks become spaces: other whitespace (a no-break space) is part of the quote.
    return "".join(out).replace("\r", " ").replace("\n", " ")


def _review_mark(p: Position) -> str:
    """How a position's review reads after it: short, so that every position can carry one."""
    if p.review_status == "edited" or (p.review_status == "approved" and p.edited):
        fields = ", ".join(sorted(p.edited))
        who = _md_inline(p.edited_by or p.reviewed_by or "an analyst")
        return f"edited by {who}: {fields}" if fields else f"reviewed by {who}"
    if p.review_status == "approved":
        return f"reviewed by {_md_inline(p.reviewed_by or 'an analyst')}"
    if p.conflict:
        return "not reviewed: changed since an analyst reviewed it"
    return "not reviewed"


def render_briefing(
    *,
    day: dt.date,
    per_article: list[tuple[Article, list[Position], str | None]],
    summary_lines: list[SummaryLine],
    summary_error: str | None,
    summary_positions: list[Position],
    topics: dict[str, str],
    provider: str,
    model: str,
    prompt_id: str,
    summary_prompt_id: str,
    prompt_tokens: int,
    completion_tokens: int,
    other_dates: list[str],
    awaiting_review: int = 0,
    rejected: int = 0,
) -> Briefing:
    source_number = {article.id: n for n, (article, _, _) in enumerate(per_article, start=1)}
    # Positions are numbered in the order the summary saw them, so its references line up.
    number = {id(p): n for n, p in enumerate(summary_positions, start=1)}
    by_topic: dict[str, list[dict[str, Any]]] = {}
    review: list[dict[str, Any]] = []
    for article, positions, error in per_article:
        if error:
            review.append({"kind": "article", "source": source_number[article.id], "reason": error})
        for p in positions:
            if not p.valid:
                review.append(
                    {
                        "kind": "position",
                        "source": source_number[article.id],
                        "speaker": _md_inline(p.speaker),
                        "summary": _md_inline(p.summary),
                        "evidence": ", ".join(f"S{i}" for i in p.evidence) or "none",
                        "reason": p.reason or "",
                    }
                )
    for p in summary_positions:
        by_topic.setdefault(p.topic, []).append(
            {
                "number": number[id(p)],
                "speaker": _md_inline(p.speaker),
                "role": _md_inline(p.role),
                "stance": p.stance,
                "summary": _md_inline(p.summary),
                "kind": p.kind,
                "quotes": [_md_inline(q) for q in p.quotes],
                "source": source_number[p.article_id],
                "review": _review_mark(p),
            }
        )
    known = [t for t in topics if t in by_topic]
    proposed = sorted(t for t in by_topic if t not in topics)
    sections = [
        {"key": t, "title": topics[t][:1].upper() + topics[t][1:], "proposed": False,
         "positions": by_topic[t]}
        for t in known
    ] + [
        {"key": t, "title": t.replace("_", " ").capitalize(), "proposed": True,
         "positions": by_topic[t]}
        for t in proposed
    ]
    sources = [
        {
            "number": source_number[a.id],
            "title": _md_inline(a.title) if a.title else None,
            "source": _md_inline(a.source) if a.source else "source unknown",
            "url": a.url,
            "date": _date_note(a),
            "origin": a.origin,
            "id": a.id,
        }
        for a, _, _ in per_article
    ]
    nearby = [d for d in other_dates if d != day.isoformat()]
    markdown = _env.get_template("briefing.md.j2").render(
        day=day.isoformat(),
        articles=len(per_article),
        positions=len(summary_positions),
        summary=summary_lines,
        summary_error=summary_error,
        sections=sections,
        sources=sources,
        review=review,
        other_dates=nearby[-5:],
        provider=provider,
        model=model,
        prompt_id=prompt_id,
        summary_prompt_id=summary_prompt_id,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        awaiting_review=awaiting_review,
        rejected=rejected,
    )
    return Briefing(
        day=day,
        markdown=markdown,
        articles=len(per_article),
        positions=len(summary_positions),
        needs_review=len(review),
        summary=summary_lines,
    )
