"""An actor's timeline: finding the actor and their statements, and showing them as Markdown or
JSON (`brief timeline`).

Statements are read from the tracking index, so they are the ones briefings group; roles are shown
as briefings show them (only a role the article gives beside the name).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing.errors import BriefError
from briefing.extract.roles import checked_role
from briefing.render.markdown import md_inline
from briefing.render.rows import Row, statement_row
from briefing.track import tracking as track

if TYPE_CHECKING:
    from briefing.config import Settings
    from briefing.store.database import Store


@dataclass
class Timeline:
    actor: track.Actor
    statements: list[track.Statement]  # by statement date, filtered by topic and day
    topic: str | None = None
    since: dt.date | None = None


def find_timeline(
    settings: Settings,
    store: Store,
    actor: str,
    topic: str | None = None,
    since: dt.date | None = None,
) -> Timeline:
    """The statements of `actor` (an id, name or alias; a speaker no alias file lists is an actor
    of its own), on `topic`, said on or after `since`."""
    book = track.load_actors(settings)
    keywords = track.load_keywords(settings.topics_file)
    who = book.find(actor) or book.resolve(actor)
    statements = track.actor_statements(store, book, keywords, who)
    if who.kind == "unlisted" and not statements:
        raise BriefError(
            f"no actor {actor!r}: use an id from the alias file ({', '.join(sorted(book.actors))})"
            " or a speaker's name as `brief review list` shows it"
        )
    return Timeline(who, track.timeline(statements, who, topic, since), topic, since)


def timeline_json(t: Timeline) -> Row:
    who = t.actor
    return {
        "actor": {"id": who.id, "name": who.name, "kind": who.kind, "speaks_for": who.speaks_for},
        "positions": [statement_row(s) for s in t.statements],
    }


def timeline_markdown(t: Timeline) -> str:
    who = t.actor
    head = f"# Timeline: {md_inline(who.name)}"
    if who.speaks_for:
        head += f" (speaks for {who.speaks_for})"
    scope = [f"topic {t.topic}" if t.topic else "", f"since {t.since}" if t.since else ""]
    lines = [head + "".join(f", {s}" for s in scope if s), ""]
    for s in t.statements:
        lines += _statement_markdown(s)
    return "\n".join(lines) + ("\n" if not t.statements else "")


def _statement_markdown(s: track.Statement) -> list[str]:
    first = s.first
    position = first.position
    when = s.date.isoformat() if s.date else "undated"
    label = s.label + (
        f" (before: {s.earlier.stance}, {s.earlier.date})" if s.earlier is not None else ""
    )
    role = checked_role(position, first.article.text).role
    lines = [
        f"## {when}: {s.topic} ({s.stance}), {label}",
        "",
        f"**{md_inline(position.speaker)}**"
        + (f", {md_inline(role)}" if role else "")
        + f": {md_inline(position.summary)}",
    ]
    direct = position.kind == "direct"
    for q in position.quotes:
        lines.append(("> “" if direct else "> Reported: ") + md_inline(q) + ("”" if direct else ""))
    note = f"; {first.topic_note}" if first.topic_note else ""
    lines.append(f"Said {when} ({first.said.how}){note}")
    several = len(s.outlets) > 1
    outlets = "reported by " + (f"{len(s.outlets)} outlets, first by " if several else "")
    sources = "; ".join(
        f"{md_inline(e.outlet)}, published "
        f"{e.article.published.isoformat() if e.article.published else 'undated'}"
        f" (article {e.article.id}, position {e.position.id})"
        for e in s.entries
    )
    lines += [f"Sources: {outlets}{sources}", ""]
    return lines
