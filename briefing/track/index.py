"""The tracking index: a day's statements and labels read from the store's `tracked` tables
instead of from every stored position.

A day's briefing needs, for each of its positions, the statement it belongs to (other outlets'
reports of the same words, the first reporter first) and the latest earlier statement of the
same voice on the same topic. Reading every stored position for that (`stored_entries`) costs
time and memory in proportion to the store. The index in the store's `tracked` tables keeps
one row per usable position with its actor, voice, topic, statement date and statement, and
each statement's word runs; a briefing then reads a few rows.

Reports are indexed one publication date at a time, in `entry_order` within it, each joining
the statement `statements.add_report` puts it in; a statement's id is its first report. An
article whose extraction or reviews changed since it was indexed is indexed again; when the
alias or keyword rules change, everything is. One approximation: a statement keeps the word
runs of a report that was re-extracted away (it only makes a candidate to check, never a
match), and reports indexed out of date order can join a statement that a later first report
would have split.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from briefing.models import Article
from briefing.store.database import Store, TrackedReport
from briefing.text.names import KEY_VERSION
from briefing.track.actors import Actor, ActorBook
from briefing.track.entries import Entry, Statement, article_entries, entry_order, statement_order
from briefing.track.statements import (
    SAME_STATEMENT_DAYS,
    compare_stances,
    gram_keys,
    index_reports,
)


def _rules_version(book: ActorBook, keywords: dict[str, list[str]]) -> str:
    """A fingerprint of everything besides the store that decides a tracking row."""
    data = {
        "actors": sorted(
            [a.id, a.name, a.kind, a.speaks_for, list(a.aliases)] for a in book.actors.values()
        ),
        "variants": sorted(book.variants.items()),
        "keywords": sorted((k, sorted(v)) for k, v in keywords.items()),
        "same_statement_days": SAME_STATEMENT_DAYS,
        "names": KEY_VERSION,  # the unlisted actors' ids
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _ord(entry: Entry) -> str:
    """`entry_order` as one sortable string."""
    published = entry.article.published.isoformat() if entry.article.published else "9999-12-31"
    said = entry.date.isoformat() if entry.date else "9999-12-31"
    return f"{published}\x1f{said}\x1f{entry.article.origin}\x1f{entry.article.id}\x1f{entry.position.id or 0:012d}"


def tracked_report(entry: Entry) -> TrackedReport:
    return TrackedReport(
        position_id=entry.position.id or 0,
        article_id=entry.article.id,
        actor=entry.actor.id,
        voice=entry.actor.voice,
        topic=entry.topic,
        stance=entry.position.stance,
        said=entry.date,
        order=_ord(entry),
        outlet=entry.outlet,
        quotes=list(entry.position.quotes),
        grams=gram_keys(entry.position.quotes),
    )


def refresh_index(
    store: Store,
    book: ActorBook,
    keywords: dict[str, list[str]],
    known: dict[str, list[Entry]] | None = None,
) -> int:
    """Bring the tracking index up to date; returns how many articles were (re)indexed.

    `known`: the entries of some articles' usable positions, already made (a day's briefing
    has them), so that they are not read and made again."""
    known = known or {}
    if known:
        # Only entries made from each article's latest extraction stand for it (a briefing may
        # read another model's or prompt's extraction than the latest).
        latest = store.latest_position_ids(list(known))
        known = {
            a: entries
            for a, entries in known.items()
            if {e.position.id for e in entries} <= latest[a] and (entries or not latest[a])
        }
    version = _rules_version(book, keywords)
    sources = store.tracking_sources()
    if any(stamp is not None and not stamp.startswith(version + ":") for _, _, stamp in sources):
        store.clear_tracking()  # the rules changed: every row may differ
        sources = [(a, now, None) for a, now, _ in sources]
    stale = {a: f"{version}:{now}" for a, now, stamp in sources if stamp != f"{version}:{now}"}
    # Articles in publication order, one publication date at a time, and within it the reports
    # in `entry_order`: indexing in that order gives the statements grouping the whole history would.
    by_day: dict[str | None, list[Article]] = {}
    for article_id in stale:
        article = store.get_article(article_id)
        if article is not None:
            key = article.published.isoformat() if article.published else None
            by_day.setdefault(key, []).append(article)
    for _, articles in sorted(by_day.items(), key=lambda kv: kv[0] or "9999-12-31"):
        entries = [
            e
            for a in articles
            for e in (known[a.id] if a.id in known else article_entries(store, a, book, keywords))
        ]
        entries.sort(key=entry_order)
        index_reports(
            store,
            {a.id: stale[a.id] for a in articles},
            [tracked_report(e) for e in entries if e.position.id is not None],
        )
    return len(stale)


class _Loader:
    """Entries for index rows, read from the store once per article."""

    def __init__(
        self, store: Store, book: ActorBook, keywords: dict[str, list[str]], known: Sequence[Entry]
    ) -> None:
        self.store, self.book, self.keywords = store, book, keywords
        self.by_position: dict[int, Entry] = {
            e.position.id: e for e in known if e.position.id is not None
        }
        self.loaded: set[str] = set()

    def entry(self, position_id: int, article_id: str) -> Entry | None:
        if position_id not in self.by_position and article_id not in self.loaded:
            self.loaded.add(article_id)
            article = self.store.get_article(article_id)
            if article is not None:
                for e in article_entries(self.store, article, self.book, self.keywords):
                    if e.position.id is not None:
                        self.by_position.setdefault(e.position.id, e)
        return self.by_position.get(position_id)


def _statement_from_index(
    store: Store, root: int, members: Sequence[Entry], loader: _Loader
) -> Statement | None:
    """The statement with this id: its first report as an entry, the given reports, and the
    names of all the outlets that reported it."""
    rows = store.statement_reports(root)
    if not rows:
        return None
    first = loader.entry(rows[0][0], rows[0][1])
    if first is None:
        return None
    entries = [first, *(m for m in members if m is not first)]
    outlets: list[str] = []
    for _, _, outlet in rows:
        if outlet not in outlets:
            outlets.append(outlet)
    return Statement(entries, outlet_names=outlets)


def track_with_index(
    store: Store, book: ActorBook, keywords: dict[str, list[str]], day: Sequence[Entry]
) -> list[Statement]:
    """The statement of each of the day's entries, labelled, read from the tracking index;
    aligned with `day`. The day's articles must be indexed (`refresh_index`)."""
    loader = _Loader(store, book, keywords, day)
    root_of = store.statements_of([e.position.id for e in day if e.position.id is not None])
    roots = [root_of.get(e.position.id) if e.position.id is not None else None for e in day]
    members: dict[int, list[Entry]] = {}
    for e, root in zip(day, roots):
        if root is not None:
            members.setdefault(root, []).append(e)
    statements: dict[int, Statement] = {}
    result: list[Statement] = []
    for e, root in zip(day, roots):
        statement = statements.get(root) if root is not None else None
        if statement is None and root is not None:
            statement = _statement_from_index(store, root, members[root], loader)
            if statement is not None:
                statements[root] = statement
                _label_from_index(store, statement, loader)
        if statement is None:  # not in the index (an unsaved position): a statement of its own
            statement = Statement([e])
            _label_from_index(store, statement, loader)
        result.append(statement)
    return result


def _label_from_index(store: Store, statement: Statement, loader: _Loader) -> None:
    """The label of one statement: against the latest statement of the same voice and
    topic whose first report was said on a strictly earlier day."""
    statement.label, statement.earlier = "new", None
    if statement.date is None:
        return
    root = store.latest_statement_before(statement.actor.voice, statement.topic, statement.date)
    if root is None:
        return
    earlier = _statement_from_index(store, root, [], loader)
    if earlier is None:
        return
    statement.earlier = earlier
    statement.label = compare_stances(
        earlier.first.position,
        statement.first.position,
        earlier.topic_in_words and statement.topic_in_words,
    )


def actor_statements(
    store: Store, book: ActorBook, keywords: dict[str, list[str]], actor: Actor
) -> list[Statement]:
    """The actor's statements (an institution's include its spokespeople's), labelled, in date
    order, from the tracking index: only the actor's own positions are read."""
    refresh_index(store, book, keywords)
    loader = _Loader(store, book, keywords, [])
    groups: dict[int, list[Entry]] = {}
    for position_id, article_id, root in store.reports_of(actor.id):
        entry = loader.entry(position_id, article_id)
        if entry is not None:
            groups.setdefault(root, []).append(entry)
    statements = []
    for entries in groups.values():  # a statement is one actor's: all its reports are here
        entries.sort(key=entry_order)
        statement = Statement(entries)
        _label_from_index(store, statement, loader)
        statements.append(statement)
    statements.sort(key=statement_order)
    return statements
