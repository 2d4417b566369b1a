"""A position as tracking sees it (`Entry`: actor, checked topic, statement date) and a
statement (`Statement`: one or more reports of the same words, labelled against the voice's
earlier statement), made from the store's positions with the analysts' decisions applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.extract.topics import topics_mentioned
from briefing.models import Article, Position, Sentence
from briefing.review.decisions import review_positions
from briefing.store.database import Store
from briefing.track.actors import Actor, ActorBook
from briefing.track.dates import StatementDate, statement_date

LABELS = ("new", "reiterated", "shifted", "again")


# topics (their keywords are read by `briefing.extract.topics`) ---------------------------------


def check_topic(
    topic: str, evidence_text: str, keywords: dict[str, list[str]]
) -> tuple[str, str | None]:
    """The topic to file a position under, and a note when it is not the model's.

    Only a clear case is corrected: the evidence names exactly one topic's keywords and none of
    the model's own topic. A proposed topic (not in the list) is never overridden: it is kept
    for review."""
    matched = topics_mentioned(evidence_text, keywords)
    if topic in matched or len(matched) != 1:
        return topic, None
    return matched[0], f"topic corrected from {topic} by keywords"


# statements ------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One stored position as tracking sees it."""

    position: Position
    article: Article
    actor: Actor
    topic: str
    topic_note: str | None
    said: StatementDate
    # Whether the evidence names the topic (one of its keywords; True for a topic without
    # keywords, which cannot be checked): a comparison needs it, the model's topic alone is
    # not enough to say that two statements are about the same question.
    topic_in_words: bool = True
    # Whether the speaker is a place standing for the actor ("Moscow" for the Kremlin).
    metonym: bool = False

    @property
    def date(self) -> dt.date | None:
        return self.said.date

    @property
    def outlet(self) -> str:
        return self.article.source or self.article.title or self.article.origin or self.article.id


@dataclass
class Statement:
    """One statement: the positions of the outlets that reported it, the first reporter first."""

    entries: list[Entry]
    label: str = "new"
    earlier: Statement | None = None
    # Every outlet that reported it, first reporter first, when `entries` holds only some of
    # its reports (a statement read from the tracking index); None: the outlets of `entries`.
    outlet_names: list[str] | None = None

    @property
    def first(self) -> Entry:
        return self.entries[0]

    @property
    def date(self) -> dt.date | None:
        return self.first.date

    @property
    def actor(self) -> Actor:
        return self.first.actor

    @property
    def topic(self) -> str:
        return self.first.topic

    @property
    def topic_in_words(self) -> bool:
        return any(e.topic_in_words for e in self.entries)

    @property
    def stance(self) -> str:
        return self.first.position.stance

    @property
    def outlets(self) -> list[str]:
        if self.outlet_names is not None:
            return list(self.outlet_names)
        seen: list[str] = []
        for e in self.entries:
            if e.outlet not in seen:
                seen.append(e.outlet)
        return seen


def about_topic(
    topic: str, quotes: Sequence[str], evidence_text: str, keywords: dict[str, list[str]]
) -> bool:
    """Whether a statement is about its topic by its own words, so that its stance can be
    compared with another's on that topic: its words (else its evidence sentences) name the
    topic's keywords and no other topic's. A statement that names several topics ("progress on
    issues as complex as security guarantees, territorial arrangements ...") is about the list,
    and its stance is not a stance on any one of them. A topic without keywords cannot be
    checked and counts as named."""
    if not keywords.get(topic):
        return True
    named = topics_mentioned(" ".join(quotes), keywords) or topics_mentioned(
        evidence_text, keywords
    )
    return named == [topic]


def sentences_text(text: str, sentences: Sequence[Sentence], evidence: Sequence[int]) -> str:
    """The words of the sentences numbered `evidence`, one space between sentences."""
    by_index = {s.index: s for s in sentences}
    return " ".join(text[by_index[i].start : by_index[i].end] for i in evidence if i in by_index)


def make_entry(
    position: Position,
    article: Article,
    sentences: Sequence[Sentence],
    book: ActorBook,
    keywords: dict[str, list[str]],
) -> Entry:
    evidence_text = sentences_text(article.text, sentences, position.evidence)
    topic, note = check_topic(position.topic, evidence_text, keywords)
    actor = book.resolve_in(position.speaker, article.text)
    return Entry(
        position=position,
        article=article,
        actor=actor,
        topic=topic,
        topic_note=note,
        said=statement_date(article, sentences, position.evidence),
        topic_in_words=about_topic(topic, position.quotes, evidence_text, keywords),
        metonym=actor.kind != "unlisted" and book.resolve(position.speaker).kind == "unlisted",
    )


def entry_order(e: Entry) -> tuple[object, ...]:
    return (
        e.article.published or dt.date.max,
        e.date or dt.date.max,
        e.article.origin,
        e.article.id,
        e.position.id or 0,
    )


def statement_order(s: Statement) -> tuple[object, ...]:
    """Statements by date (undated last), then by their first report."""
    return (s.date or dt.date.max, *entry_order(s.first))


def usable(position: Position) -> bool:
    """Positions tracking counts: validated and not rejected by an analyst."""
    return position.valid and position.review_status != "rejected"


def stored_entries(store: Store, book: ActorBook, keywords: dict[str, list[str]]) -> list[Entry]:
    """Every usable position of every stored article's latest extraction, reviews applied: the
    whole history at once (what the tracking index is checked against)."""
    return [
        entry
        for article in store.all_articles()
        for entry in article_entries(store, article, book, keywords)
    ]


def timeline(
    statements: Sequence[Statement],
    actor: Actor,
    topic: str | None = None,
    since: dt.date | None = None,
) -> list[Statement]:
    """The actor's statements in date order; an institution's include its spokespeople's."""
    wanted = []
    for s in statements:
        mine = s.actor.id == actor.id or (actor.kind == "institution" and s.actor.voice == actor.id)
        if not mine or (topic is not None and s.topic != topic):
            continue
        if since is not None and (s.date is None or s.date < since):
            continue
        wanted.append(s)
    return wanted


def entry_of(statement: Statement, position: Position) -> Entry:
    """The statement's entry for this position (a statement may hold several)."""
    for e in statement.entries:
        if e.position.key == position.key:
            return e
    raise KeyError(position.id)


def article_entries(
    store: Store, article: Article, book: ActorBook, keywords: dict[str, list[str]]
) -> list[Entry]:
    """The usable positions of the article's latest extraction, reviews applied, as entries."""
    positions = store.latest_positions(article.id)
    if not positions:
        return []
    sentences = store.sentences(article.id)
    return [
        make_entry(p, article, sentences, book, keywords)
        for p in review_positions(store, article, positions).positions
        if usable(p)
    ]
