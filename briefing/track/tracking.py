"""Who said what before: actors, topics checked by keywords, statement dates, one statement
across outlets, and the label each position gets against the same actor's earlier position.

Pure functions over stored positions plus a few store reads; nothing here asks a model, prints
or writes to the store. The alias files are data (`briefing/rules/actors.toml`, or `actors_file`
in config.toml, with `BRIEF_HOME/actors.toml` read on top: that is where merges made in review
go).

How a position is tracked:

* its **actor** is found from the speaker as the text names it ("Kremlin spokesperson Dmitry
  Peskov", "Peskov", "the Kremlin spokesman" are one actor), after spelling variants (Kiev/Kyiv)
  are written one way. A spokesperson `speaks_for` an institution: positions are compared by the
  *voice* (the institution when there is one), so the Kremlin's line is one timeline whether
  Peskov or the Kremlin itself is quoted;
* its **topic** is the model's, unless the evidence matches exactly one topic's keywords and the
  model's topic matches none of its own: then it is filed under that topic and says so. A topic
  outside the list (a proposal) is kept as it is;
* its **statement date** is resolved from "on Wednesday", "yesterday", "today", "on Dec. 14" in
  the evidence sentences (or the sentence before) against the publication date, and says how;
  without such words it is the publication date. It is derived, not stored, so it follows an
  analyst's edit of the evidence;
* the **same statement** reported by several outlets (same actor, overlapping quotation, said
  within three days of the first report) is one statement with several sources, the first
  reporter first: `briefing.track.statements` owns that rule and applies it to the store's
  tracking index;
* its **label**: `new` when the voice has no earlier statement (strictly earlier statement date)
  on the topic, `reiterated` when the latest earlier one has the same stance, `shifted` when the
  stance differs. This compares stance labels only, not meaning: two "neutral" statements that
  say different things are "reiterated", and a model that labels the same words differently on
  two days makes a "shift" that a reader must check against the two quotations shown.

This module is the stage's face: `track_positions` (what a day's briefing asks) and the public
names of the modules that own each part: `actors` (alias files, who a speaker is), `dates`
(statement dates), `entries` (topics checked by keywords, entries and statements, timelines),
`statements` (the same-statement rule) and `index` (the tracking index in the store).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from briefing.config import Settings
from briefing.extract.topics import load_keywords
from briefing.models import ArticleResult, Position
from briefing.store.database import Store
from briefing.track.actors import USER_ACTORS, Actor, ActorBook, load_actors, merge_actors
from briefing.track.dates import StatementDate, resolve_when, statement_date
from briefing.track.entries import (
    LABELS,
    Entry,
    Statement,
    check_topic,
    entry_of,
    make_entry,
    stored_entries,
    timeline,
    usable,
)
from briefing.track.index import actor_statements, refresh_index, track_with_index

# The stage's public names, from the modules that own them.
__all__ = [
    "LABELS",
    "USER_ACTORS",
    "Actor",
    "ActorBook",
    "Entry",
    "Statement",
    "StatementDate",
    "actor_statements",
    "check_topic",
    "entry_of",
    "load_actors",
    "load_keywords",
    "make_entry",
    "merge_actors",
    "refresh_index",
    "resolve_when",
    "statement_date",
    "stored_entries",
    "timeline",
    "track_positions",
    "track_with_index",
    "usable",
    "voices_heard_before",
]


def track_positions(
    store: Store,
    settings: Settings,
    per_article: Sequence[ArticleResult],
    positions: Sequence[Position],
) -> dict[str, Statement]:
    """The statement each of a day's `positions` belongs to, by the position's `key`, labelled
    against everything stored (every article's latest extraction, reviews applied). Reads the
    tracking index, brought up to date first, so the work does not grow with the store."""
    book = load_actors(settings)
    keywords = load_keywords(settings.topics_file)
    articles = {r.article.id: r.article for r in per_article}
    # An entry reads its evidence sentences and the one before each: only those are loaded.
    wanted: dict[str, set[int]] = {}
    for p in positions:
        wanted.setdefault(p.article_id, set()).update(j for i in p.evidence for j in (i - 1, i))
    sentences = {a: store.sentences(a, sorted(ids)) for a, ids in wanted.items()}
    day = [
        make_entry(p, articles[p.article_id], sentences[p.article_id], book, keywords)
        for p in positions
    ]
    # The day's entries are the usable positions of its articles (the valid ones, reviews
    # applied), unless only reviewed positions are briefed: then the index reads its own.
    known: dict[str, list[Entry]] | None = None
    if not settings.require_review:
        known = {a.id: [] for a in articles.values()}
        for e in day:
            known[e.article.id].append(e)
    refresh_index(store, book, keywords, known)
    statements = track_with_index(store, book, keywords, day)
    return {e.position.key: s for e, s in zip(day, statements, strict=True)}


def voices_heard_before(
    store: Store, statements: Sequence[Statement], day: dt.date
) -> frozenset[str]:
    """The voices among `statements` with a statement said before `day` on any topic: for
    them a new statement is a new topic; the others are heard for the first time."""
    voices = {s.actor.voice for s in statements}
    return frozenset(v for v in voices if store.spoke_before(v, day))
