"""How review state reads: the list of positions, one position with its evidence in context and
its history (`brief review list` and `show`), and what a decision did.

Text for a person and JSON for a program come from the same records: a position's row is built
here once, for the list and for the detail alike.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from briefing.errors import BriefError
from briefing.review.decisions import format_evidence
from briefing.review.listing import unmatched_text
from briefing.text.words import plural

if TYPE_CHECKING:
    from briefing.models import Article, Position
    from briefing.review.listing import ContextSentence, PositionDetail, ReviewList, Unmatched
    from briefing.store.database import ReviewRecord, Store

Row = dict[str, object]


# positions ----------------------------------------------------------------------------------


def position_row(p: Position, article: Article | None = None) -> Row:
    """A position with its review state; with its article, the article's date, source, title."""
    row: Row = {
        "id": p.id,
        "status": p.review_status,
        "reviewed_by": p.reviewed_by,
        "speaker": p.speaker,
        "role": p.role,
        "topic": p.topic,
        "stance": p.stance,
        "summary": p.summary,
        "kind": p.kind,
        "evidence": p.evidence,
        "quotes": p.quotes,
        "valid": p.valid,
        "reason": p.reason,
        "edited": p.edited,
        "edited_by": p.edited_by,
        "conflict": p.conflict,
        "article_id": p.article_id,
    }
    if article is not None:
        row["date"] = article.published.isoformat() if article.published else None
        row["source"] = article.source
        row["title"] = article.title
    return row


def unmatched_row(u: Unmatched) -> Row:
    """A review decision that no position of the latest extraction matches any more."""
    d = u.decision
    return {
        "id": u.label,
        "status": d.status,
        "reviewer": d.reviewer,
        "decided_at": d.decided_at,
        "article_id": u.article.id,
        "evidence": d.evidence,
        "speaker": d.edits.get("speaker", d.base["speaker"]),
        "summary": d.edits.get("summary", d.base["summary"]),
        "conflict": unmatched_text(u),
    }


def position_line(p: Position) -> str:
    """A position as one line of `brief review list`, its flags at the end."""
    flags = ""
    if not p.valid:
        flags += f"  [failed validation: {p.reason}]"
    if p.conflict:
        flags += f"  [conflict: {p.conflict}]"
    if p.edited:
        flags += f"  [edited by {p.edited_by}: {', '.join(sorted(p.edited))}]"
    return (
        f"{p.id:>5}  {p.review_status:8}  {p.topic[:20]:20}  {p.stance:11}  "
        f"{p.speaker}: {p.summary}{flags}"
    )


# the list -----------------------------------------------------------------------------------


def list_json(found: ReviewList) -> Row:
    return {
        "positions": [position_row(i.position, i.article) for i in found.items],
        "unmatched": [unmatched_row(u) for u in found.unmatched],
    }


def list_lines(found: ReviewList) -> list[str]:
    """One line a position, then one a decision that matches no position."""
    lines = [position_line(i.position) for i in found.items]
    lines += [f"{u.label:>5}  {'conflict':8}  {unmatched_text(u)}" for u in found.unmatched]
    return lines


def list_summary(found: ReviewList) -> str:
    pending = sum(1 for i in found.items if i.position.review_status == "pending")
    unmatched = (
        f", {len(found.unmatched)} decisions that match no position" if found.unmatched else ""
    )
    return f"{len(found.items)} positions, {pending} pending{unmatched}"


def decided_summary(verb: str, positions: list[Position]) -> str:
    """What a decision did, e.g. "approved 2 positions: 4, 7"."""
    ids = ", ".join(str(p.id) for p in positions)
    return f"{verb} {plural(len(positions), 'position')}: {ids}"


# one position -------------------------------------------------------------------------------


def _history_row(r: ReviewRecord) -> Row:
    return {
        "action": r.action,
        "reviewer": r.reviewer,
        "at": r.created_at,
        "changes": r.changes,
        "note": r.note,
        "position_id": r.position_id,
    }


def show_json(detail: PositionDetail) -> Row:
    row = position_row(detail.position, detail.article)
    row["context"] = [
        {
            "index": s.index,
            "evidence": s.evidence,
            "text": "".join(t for t, _ in s.parts),
            "quoted": [t for t, q in s.parts if q],
        }
        for s in detail.context
    ]
    row["history"] = [_history_row(r) for r in detail.history]
    return row


def show_text(detail: PositionDetail, terminal: bool) -> str:
    """The position, its evidence among the article's sentences, and its history. The copied
    words are underlined on a `terminal`, between guillemets in a file or a pipe."""
    lines = _position_lines(detail)
    lines += [_context_line(s, terminal) for s in detail.context]
    lines += ["", "History:" if detail.history else "History: none (never reviewed)"]
    for r in detail.history:
        changes = "; ".join(f"{name} {old!r} → {new!r}" for name, (old, new) in r.changes.items())
        note = f"  note: {r.note}" if r.note else ""
        lines.append(f"  {r.created_at[:16]}  {r.reviewer}  {r.action}  {changes}{note}")
    return "\n".join(lines)


def _position_lines(detail: PositionDetail) -> list[str]:
    p, article = detail.position, detail.article
    who = f" by {p.reviewed_by}" if p.reviewed_by else ""
    lines = [
        f"Position {p.id}: {p.review_status}{who}",
        f"Speaker:  {p.speaker}" + (f", {p.role}" if p.role else ""),
        f"Topic:    {p.topic}    stance: {p.stance}    kind: {p.kind}",
        f"Summary:  {p.summary}",
        f"Evidence: {format_evidence(p.evidence) or 'none'}",
    ]
    lines += [f"Quote:    “{q}”" for q in p.quotes]
    lines += [f"Edited:   {f} by {p.edited_by} (the model said {v!r})" for f, v in p.edited.items()]
    if p.conflict:
        lines.append(f"Conflict: {p.conflict}")
    if not p.valid:
        lines.append(f"Failed validation: {p.reason}")
    date = article.published.isoformat() if article.published else "undated"
    source = article.source or "source unknown"
    return lines + [
        f"Article:  {article.title or article.origin}, {source}, {date} (id {article.id})",
        "",
        "Evidence in context (>> the evidence, quoted words marked):",
    ]


def _context_line(s: ContextSentence, terminal: bool) -> str:
    text = "".join(
        (f"\x1b[1;4m{t}\x1b[0m" if terminal else f"«{t}»") if quoted else t for t, quoted in s.parts
    )
    return f"{'>>' if s.evidence else '  '} [S{s.index}] {' '.join(text.split())}"


# the page -----------------------------------------------------------------------------------


def latest_day(store: Store) -> dt.date:
    """The latest day with stored articles: what the review page opens on by default."""
    dated = [d for d, _ in store.dates() if d]
    if not dated:
        raise BriefError("no dated articles are stored: run `brief ingest PATH` first")
    return dt.date.fromisoformat(dated[-1])
