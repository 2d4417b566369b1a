"""Statement dates: when the words were said, resolved from "on Wednesday", "yesterday",
"today", "on Dec. 14" in the evidence (or the sentence before) against the publication date.
Derived, never stored, so that it follows an analyst's edit of the evidence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.models import Article, Sentence

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WHEN = re.compile(
    r"\b(?P<phrase>(?:[Oo]n\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"
    r"|(?i:yesterday|today)\b"
    r"|(?:[Oo]n\s+)?(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?)"
    r"\s+(?P<day>\d{1,2})\b)"
)


@dataclass(frozen=True)
class StatementDate:
    date: dt.date | None
    how: str  # 'resolved from "on Wednesday"', 'publication date' or 'undated'

    @property
    def resolved(self) -> bool:
        return self.how.startswith("resolved")


def resolve_when(phrase: str, published: dt.date) -> dt.date | None:
    """The date a relative phrase names, seen from the publication date; None if not a date."""
    m = _WHEN.fullmatch(phrase.strip())
    if m is None:
        return None
    lowered = phrase.strip().casefold()
    if lowered == "yesterday":
        return published - dt.timedelta(days=1)
    if lowered == "today":
        return published
    if m.group("weekday"):
        # The latest such weekday on or before publication: "on Wednesday" in Wednesday's
        # paper is that day.
        back = (published.weekday() - _WEEKDAYS.index(m.group("weekday"))) % 7
        return published - dt.timedelta(days=back)
    month = _MONTHS.index(m.group("month")[:3].casefold()) + 1
    try:
        date = dt.date(published.year, month, int(m.group("day")))
    except ValueError:
        return None
    if date > published:  # "on Dec. 30" in a January paper is last year's
        try:
            date = date.replace(year=published.year - 1)
        except ValueError:
            return None
    return date


def statement_date(
    article: Article, sentences: Sequence[Sentence], evidence: Sequence[int]
) -> StatementDate:
    """When the words were said: a date phrase in the evidence (or the sentence before it),
    resolved against the publication date; else the publication date."""
    if article.published is None:
        return StatementDate(None, "undated")
    by_index = {s.index: s for s in sentences}
    order = sorted(set(evidence))
    if order:
        order.append(order[0] - 1)
    for index in order:
        sentence = by_index.get(index)
        if sentence is None:
            continue
        for m in _WHEN.finditer(article.text[sentence.start : sentence.end]):
            date = resolve_when(m.group("phrase"), article.published)
            if date is not None:
                return StatementDate(date, f'resolved from "{m.group("phrase")}"')
    return StatementDate(article.published, "publication date")
