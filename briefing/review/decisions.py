"""Analysts' review of extracted positions: decisions, their history, and how they follow the
evidence when an article is extracted again.

A decision (approve, reject, edit) is stored against the position's *anchor*: its article, its
evidence sentence ids and its speaker (normalised), together with the model's values the analyst
saw (`base`) and the analyst's values for the fields they changed (`edits`). Decisions are not
tied to position ids because a new prompt or model gives new positions; reading positions, for
review or for a briefing, puts the standing decision back on each position whose anchor matches:

* same anchor and the model says what it said before (or now says what the analyst wrote): the
  decision applies as it was;
* same anchor but other values: a conflict. An approval or an edit no longer applies (the analyst
  never saw the new values, so the position is pending again); a rejection keeps the position
  out. Either way the position says what changed, until someone decides on it again;
* a decision that matches no current position is listed as a conflict until it is dismissed.

The evidence can only be changed to other sentences of the same article, and quotations are
always copied from the article by the program: nothing here lets a person type a quotation.
Nothing here prints; the CLI and the web page call these functions.

This module puts decisions on positions (for review and for a briefing); `listing` lists and
shows positions for review, `deciding` records decisions, `spreadsheet` exports and imports CSV.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from briefing.config import Settings, os_user
from briefing.errors import ReviewError
from briefing.extract.ground import evidence_spans
from briefing.models import Article, ArticleResult, Position, Sentence, Stance
from briefing.store.database import Decision, Store
from briefing.text.names import speaker_key
from briefing.text.segment import find_quotes

STATUSES = ("pending", "approved", "rejected", "edited")
FILTERS = (*STATUSES, "conflict", "invalid")
STANCES: tuple[str, ...] = get_args(Stance)
TEXT_FIELDS = ("speaker", "role", "topic", "summary")
EDITABLE = (*TEXT_FIELDS, "stance", "evidence")
# What a decision was made on: if the model says something else here, the decision is in doubt.
COMPARED = ("speaker", "role", "topic", "stance", "summary", "kind", "evidence")
MAX_TEXT = 400
MAX_EVIDENCE = 6

EVIDENCE_LIST = re.compile(r"^\s*S?\d+(\s*[,;\s]\s*S?\d+)*\s*$", re.IGNORECASE)


def format_evidence(evidence: Iterable[int]) -> str:
    """Evidence as analysts read and write it: "S3 S4"."""
    return " ".join(f"S{i}" for i in evidence)


def reviewer_name(flag: str | None, settings: Settings) -> str:
    """Who is deciding: `--reviewer`, else `reviewer` in config.toml, else the OS user."""
    name = flag or settings.reviewer or os_user() or "unknown"  # a bare container has no user
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise ReviewError("a reviewer name must be 1 to 80 characters: pass --reviewer NAME")
    return name


def model_values(position: Position) -> dict[str, Any]:
    """The values a decision is compared on, as the model gave them."""
    values: dict[str, Any] = {f: getattr(position, f) for f in COMPARED}
    values["evidence"] = sorted(position.evidence)
    return values


# putting decisions on positions -------------------------------------------------------------


@dataclass
class Attached:
    """Positions with the standing decisions put on them.

    `matched[i]` is the decision that `positions[i]` matched (None: never reviewed); `unmatched`
    are the article's decisions that matched none of them.
    """

    positions: list[Position]
    matched: list[Decision | None]
    unmatched: list[Decision]


def anchor_of(evidence: Iterable[int], speaker: str) -> tuple[tuple[int, ...], str]:
    return tuple(sorted(evidence)), speaker_key(speaker)


def decision_anchors(
    d: Decision,
) -> tuple[tuple[tuple[int, ...], str], tuple[tuple[int, ...], str]]:
    """Where a decision was made (the model's evidence and speaker), and where the analyst's
    edits put it (their evidence and speaker), which a new extraction may now agree with.

    The speaker's key is made again from the name the decision was made on, not read from the
    stored `speaker_key`: a decision made before the key's rules changed still matches."""
    edited = anchor_of(
        d.edits.get("evidence", d.evidence), d.edits.get("speaker", d.base["speaker"])
    )
    return anchor_of(d.evidence, d.base["speaker"]), edited


def attach(
    article: Article,
    sentences: Sequence[Sentence],
    positions: Sequence[Position],
    decisions: Sequence[Decision],
) -> Attached:
    """Put the article's decisions on its positions (see the module docstring)."""
    matched: list[Decision | None] = [None] * len(positions)
    live = [d for d in decisions if d.status != "pending"]
    used: set[int] = set()
    anchors = [anchor_of(p.evidence, p.speaker) for p in positions]
    # The anchor a decision was made on wins over the one the analyst's edits gave it, so that
    # a decision matches the position it was made on even if another one matches its edits.
    for which in (0, 1):
        for i, key in enumerate(anchors):
            if matched[i] is not None:
                continue
            for d in live:
                if d.id not in used and decision_anchors(d)[which] == key:
                    matched[i] = d
                    used.add(d.id)
                    break
    reviewed = [
        _apply(article, sentences, p, d) if d is not None else p for p, d in zip(positions, matched)
    ]
    return Attached(reviewed, matched, [d for d in live if d.id not in used])


def differences(position: Position, decision: Decision) -> dict[str, list[Any]]:
    """Fields where the model now says something the analyst neither saw nor wrote:
    field: [what the decision rests on, what the model says now]."""
    now = model_values(position)
    reviewed = {**decision.base, **decision.edits}
    return {
        f: [reviewed.get(f), now[f]]
        for f in COMPARED
        if now[f] != decision.base.get(f)
        and not (f in decision.edits and now[f] == decision.edits[f])
    }


def _apply(
    article: Article, sentences: Sequence[Sentence], position: Position, decision: Decision
) -> Position:
    changed = differences(position, decision)
    if changed:
        what = "; ".join(
            f"{f} {short_value(old)} → {short_value(new)}" for f, (old, new) in changed.items()
        )
        conflict = (
            f"{decision.status} by {decision.reviewer} on {decision.decided_at[:10]} before the "
            f"model's answer changed: {what}"
        )
        if decision.status == "rejected":
            # Keeping it out is the safe side: a rejected statement does not come back unseen.
            return position.model_copy(
                update={
                    "review_status": "rejected",
                    "reviewed_by": decision.reviewer,
                    "conflict": conflict,
                }
            )
        return position.model_copy(update={"conflict": conflict})
    update: dict[str, Any] = {}
    edited: dict[str, Any] = {}
    for name, value in decision.edits.items():
        model_value = sorted(position.evidence) if name == "evidence" else getattr(position, name)
        if value != model_value:
            update[name] = value
            edited[name] = model_value
    if "evidence" in update:
        kind, spans, quotes = ground_evidence(article, sentences, update["evidence"])
        update.update(kind=kind, spans=spans, quotes=quotes)
    update.update(
        review_status=decision.status,
        reviewed_by=decision.reviewer,
        edited=edited,
        edited_by=decision.edited_by if edited else None,
    )
    return position.model_copy(update=update)


def short_value(value: Any, limit: int = 60) -> str:
    if isinstance(value, list):
        return "S" + ", S".join(map(str, value)) if value else "none"
    text = " ".join(str(value).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def ground_evidence(
    article: Article, sentences: Sequence[Sentence], evidence: Sequence[int]
) -> tuple[str, list[tuple[int, int]], list[str]]:
    """Copy the words of edited evidence from the article, as extraction does: the quoted words
    when the sentences have any (direct speech), else the sentences (reported speech)."""
    by_index = {s.index: s for s in sentences}
    kind, spans, _ = evidence_spans(by_index, find_quotes(article.text), list(evidence))
    return kind, spans, [article.text[a:b] for a, b in spans]


def review_positions(store: Store, article: Article, positions: Sequence[Position]) -> Attached:
    """The article's positions with their standing decisions put on them."""
    decisions = store.decisions(article.id)
    if not decisions:
        return Attached(list(positions), [None] * len(positions), [])
    return attach(article, store.sentences(article.id), positions, decisions)


@dataclass
class BriefingReview:
    """What review does to a day's briefing."""

    per_article: list[ArticleResult]
    waiting: int = 0  # valid positions left out because require_review is on
    rejected: int = 0


def review_for_briefing(
    store: Store,
    per_article: Sequence[ArticleResult],
    require_review: bool,
) -> BriefingReview:
    """Apply the decisions to a day's positions: edits shown, rejected positions left out, and
    with `require_review` only approved or edited positions kept. Positions that failed
    validation stay (under "Needs review") unless an analyst rejected them."""
    reviewed = BriefingReview(per_article=[])
    for result in per_article:
        kept = []
        for p in review_positions(store, result.article, result.positions).positions:
            if p.review_status == "rejected":
                reviewed.rejected += 1
            elif require_review and p.valid and p.review_status == "pending":
                reviewed.waiting += 1
            else:
                kept.append(p)
        reviewed.per_article.append(dataclasses.replace(result, positions=kept))
    return reviewed
