"""Listing a day's positions for review and showing one with its evidence in context: what the
`brief review list|show` commands and the review page read. Read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.errors import ReviewError
from briefing.models import Article, Position, Sentence
from briefing.review.decisions import (
    FILTERS,
    STATUSES,
    anchor_of,
    decision_anchors,
    review_positions,
    short_value,
)
from briefing.store.database import Decision, ReviewRecord, Store
from briefing.text.names import same_speaker


@dataclass
class ReviewItem:
    position: Position  # with its decision put on
    article: Article
    model: Position | None = None  # as the model gave it
    decision: Decision | None = None  # the decision it matched


@dataclass
class Unmatched:
    """A decision that no position of the article's latest extraction matches."""

    decision: Decision
    article: Article

    @property
    def label(self) -> str:
        return f"d{self.decision.id}"


@dataclass
class ReviewList:
    items: list[ReviewItem] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)


def list_positions(
    store: Store,
    day: dt.date | None = None,
    status: str | None = None,
    topic: str | None = None,
    actor: str | None = None,
) -> ReviewList:
    """The positions of each article's latest extraction (of `day`, or all), with their review
    state, filtered; conflicts include the decisions that match no position any more."""
    if status is not None and status not in FILTERS:
        raise ReviewError(f"unknown status {status!r}: use one of {', '.join(FILTERS)}")
    articles = store.articles_on(day) if day is not None else store.all_articles()
    found = ReviewList()
    wanted_actor = actor.casefold().strip() if actor else None
    for article in articles:
        latest = store.latest_positions(article.id)
        attached = review_positions(store, article, latest)
        for p, model, decision in zip(attached.positions, latest, attached.matched):
            if status == "conflict" and not p.conflict:
                continue
            if status == "invalid" and p.valid:
                continue
            if status in STATUSES and p.review_status != status:
                continue
            if topic is not None and p.topic != topic:
                continue
            if wanted_actor is not None and not (
                wanted_actor in p.speaker.casefold() or same_speaker(wanted_actor, p.speaker)
            ):
                continue
            found.items.append(ReviewItem(p, article, model, decision))
        if status in (None, "conflict"):
            for d in attached.unmatched:
                if d.dismissed:
                    continue
                speaker = d.edits.get("speaker", d.base["speaker"])
                if topic is not None and d.edits.get("topic", d.base["topic"]) != topic:
                    continue
                if wanted_actor is not None and wanted_actor not in speaker.casefold():
                    continue
                found.unmatched.append(Unmatched(d, article))
    return found


def unmatched_text(u: Unmatched) -> str:
    d = u.decision
    values = {**d.base, **d.edits}
    return (
        f"{d.status} by {d.reviewer} on {d.decided_at[:10]}, but no position of the latest "
        f"extraction has this evidence ({short_value(d.evidence)}) and speaker: "
        f"{values['speaker']}: {values['summary']}"
    )


# showing ------------------------------------------------------------------------------------


@dataclass
class ContextSentence:
    index: int
    evidence: bool
    parts: list[tuple[str, bool]]  # (text, inside a quotation the position copies)


@dataclass
class PositionDetail:
    position: Position  # with its decision put on
    model: Position  # as the model gave it
    article: Article
    context: list[ContextSentence]
    history: list[ReviewRecord]
    decision: Decision | None


def context_sentences(
    article: Article,
    sentences: Sequence[Sentence],
    position: Position,
    around: int = 2,
) -> list[ContextSentence]:
    """The evidence with `around` sentences either side (all of the article when `around` is
    negative), each split into plain text and the quoted words the position copies."""
    evidence = set(position.evidence)
    if around < 0:
        shown = list(sentences)
    elif not evidence:
        shown = list(sentences[: 2 * around + 1])
    else:
        keep = {i for e in evidence for i in range(e - around, e + around + 1)}
        shown = [s for s in sentences if s.index in keep]
    spans = sorted(position.spans)
    out = []
    for s in shown:
        parts: list[tuple[str, bool]] = []
        cursor = s.start
        if s.index in evidence:
            for a, b in spans:
                a, b = max(a, s.start), min(b, s.end)
                if a >= b:
                    continue
                if a > cursor:
                    parts.append((article.text[cursor:a], False))
                parts.append((article.text[a:b], True))
                cursor = b
        if cursor < s.end:
            parts.append((article.text[cursor : s.end], False))
        out.append(ContextSentence(s.index, s.index in evidence, parts))
    return out


def history_of(
    records: Sequence[ReviewRecord], position: Position, decision: Decision | None
) -> list[ReviewRecord]:
    keys = {anchor_of(position.evidence, position.speaker)}
    if decision is not None:
        keys.update(decision_anchors(decision))
    return [
        r
        for r in records
        if r.position_id == position.id or anchor_of(r.evidence, r.speaker) in keys
    ]


def review_target(
    store: Store, position_id: int
) -> tuple[Position, Position, Decision | None, Article]:
    """(the position as the model gave it, with its decision put on, that decision, article)."""
    model = store.get_position(position_id)
    if model is None:
        raise ReviewError(f"there is no position {position_id}: see `brief review list`")
    article = store.get_article(model.article_id)
    if article is None:  # the foreign key makes this impossible; say so rather than crash
        raise ReviewError(f"position {position_id} has no article in the store")
    latest = store.latest_positions(article.id)
    # Match against its siblings, so that a decision is matched as the list shows it.
    siblings = latest if any(p.id == position_id for p in latest) else [model]
    attached = review_positions(store, article, siblings)
    i = next(n for n, p in enumerate(siblings) if p.id == position_id)
    return model, attached.positions[i], attached.matched[i], article


def describe(store: Store, position_id: int, around: int = 2) -> PositionDetail:
    model, position, decision, article = review_target(store, position_id)
    sentences = store.sentences(article.id)
    return PositionDetail(
        position=position,
        model=model,
        article=article,
        context=context_sentences(article, sentences, position, around),
        history=history_of(store.review_records(article.id), model, decision),
        decision=decision,
    )
