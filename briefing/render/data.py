"""The briefing as data (`brief generate --format json`): the same day as the Markdown page,
for programs. Text from articles is given as it is (JSON escapes it); every quotation comes
with its article id and character span, so a reader can check it against the source.

    {"format": "brief-briefing", "version": 1, "day": "2025-12-16",
     "sources": [{"number", "article_id", "title", "outlet", "url", "published", "origin"}],
     "lead": [{"markdown", "entries": [numbers]}],
     "entries": [{"number", "speaker", "role", "actor_id", "voice", "topic", "topic_title",
                  "stance", "kind", "said", "label", "earlier", "outlets", "position_ids",
                  "quotations": [{"text", "kind", "article_id", "start", "end"}]}],
     "changes": {"shifted": [numbers], "new_topics": [numbers], "new_voices": [names]},
     "needs_review": [{"kind", "position_id", "article_id", "speaker", "reason"}
                      | {"kind": "held", "article_id", "reason"}
                      | {"kind": "instruction", "article_id", "sentence"}]}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from briefing.extract.topics import title_of_key
from briefing.models import ArticleResult
from briefing.render.entries import BriefEntry
from briefing.render.lead import LeadLine

DATA_FORMAT = "brief-briefing"
DATA_VERSION = 1


def _entry(e: BriefEntry, titles: dict[str, str]) -> dict[str, Any]:
    statement = e.statement
    earlier = None
    if statement is not None and statement.earlier is not None:
        before = statement.earlier.first
        earlier = {
            "stance": before.position.stance_shown,
            "said": before.date.isoformat() if before.date else None,
            "article_id": before.article.id,
            "position_id": before.position.id,
        }
    return {
        "number": e.number,
        "speaker": e.speaker,
        "role": e.role,
        "actor_id": e.actor_id,
        "voice": e.voice,
        "topic": e.topic,
        "topic_title": titles.get(e.topic) or title_of_key(e.topic),
        "stance": e.stance,
        "kind": "direct" if e.direct else "reported",
        "said": e.date.isoformat() if e.date else None,
        "label": statement.label if statement is not None else None,
        "earlier": earlier,
        "outlets": statement.outlets if statement is not None else [],
        "position_ids": [p.position.id for p in e.parts],
        "quotations": [
            {
                "text": quote,
                "kind": p.position.kind,
                "article_id": p.position.article_id,
                "start": start,
                "end": end,
            }
            for p in e.parts
            for quote, (start, end) in zip(p.position.quotes, p.position.spans, strict=False)
        ],
    }


def briefing_data(
    day: str,
    articles: Sequence[ArticleResult],
    entries: Sequence[BriefEntry],
    lead: Sequence[LeadLine],
    changes: dict[str, list[Any]],
    titles: dict[str, str],
) -> dict[str, Any]:
    """The day's briefing as a JSON-ready dict (see the module docstring)."""
    review: list[dict[str, Any]] = []
    for r in articles:
        if r.error:
            review.append({"kind": "article", "article_id": r.article.id, "reason": r.error})
        if r.held:
            review.append({"kind": "held", "article_id": r.article.id, "reason": r.held})
        review.extend(
            {
                "kind": "position",
                "position_id": p.id,
                "article_id": p.article_id,
                "speaker": p.speaker,
                "reason": p.reason or "",
            }
            for p in r.positions
            if not p.valid
        )
        review.extend(
            {"kind": "instruction", "article_id": r.article.id, "sentence": index}
            for index in r.suspects
        )
    return {
        "format": DATA_FORMAT,
        "version": DATA_VERSION,
        "day": day,
        "sources": [
            {
                "number": n,
                "article_id": r.article.id,
                "title": r.article.title,
                "outlet": r.article.source,
                "url": r.article.url,
                "published": r.article.published.isoformat() if r.article.published else None,
                "origin": r.article.origin,
            }
            for n, r in enumerate(articles, start=1)
        ],
        "lead": [{"markdown": line.text, "entries": list(line.entries)} for line in lead],
        "entries": [_entry(e, titles) for e in entries],
        "changes": changes,
        "needs_review": review,
    }
