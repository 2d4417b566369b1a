"""The reference for statement grouping and labelling: the whole history in memory, written as
plainly as the rules read (every statement checked, no index), so that the tracking index
(briefing.track.statements over briefing.store.index) can be compared with it.

Grouping: reports the first reporter first; each joins the earliest statement of the same actor
whose first report was said within SAME_STATEMENT_DAYS of it and which has a report from
another article sharing quoted words with it; otherwise it starts one.
Labelling: each statement against the latest statement of the same voice and topic said on a
strictly earlier day: `reiterated` for the same stance, `shifted` for another; else `new`.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.track.entries import Entry, Statement, entry_order, statement_order
from briefing.track.statements import SAME_STATEMENT_DAYS, quotes_overlap


def _joins(statement: Statement, entry: Entry) -> bool:
    first = statement.first
    if first.actor.id != entry.actor.id or first.date is None or entry.date is None:
        return False
    if abs((first.date - entry.date).days) > SAME_STATEMENT_DAYS:
        return False
    return any(
        m.article.id != entry.article.id
        and quotes_overlap(m.position.quotes, entry.position.quotes)
        for m in statement.entries
    )


def group_statements(entries: Sequence[Entry]) -> list[Statement]:
    """The statements of these reports, in date order."""
    statements: list[Statement] = []
    for entry in sorted(entries, key=entry_order):
        joined = next((s for s in statements if _joins(s, entry)), None)
        if joined is None:
            statements.append(Statement([entry]))
        else:
            joined.entries.append(entry)
    statements.sort(key=statement_order)
    return statements


def label_statements(statements: Sequence[Statement]) -> None:
    """Set each statement's label and the earlier statement it was compared with."""
    for s in statements:
        s.label, s.earlier = "new", None
        if s.date is None:
            continue
        earlier = [
            e
            for e in statements
            if e.date is not None
            and e.date < s.date
            and (e.actor.voice, e.topic) == (s.actor.voice, s.topic)
        ]
        if earlier:
            s.earlier = max(earlier, key=statement_order)
            stated = s.earlier.first.position.stance_stated and s.first.position.stance_stated
            if not (stated and s.earlier.topic_in_words and s.topic_in_words):
                s.label = "again"
            else:
                s.label = "reiterated" if s.earlier.stance == s.stance else "shifted"
