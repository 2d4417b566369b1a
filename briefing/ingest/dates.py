"""Publication dates: from metadata or `--published`, else inferred from explicit dates in the
text and marked so, else undated.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from briefing.models import DateStatus

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_MONTH_RE = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_RANGE_RE = r"(?P<day>\d{1,2})(?:\s*[-–—]\s*(?P<day2>\d{1,2}))?"
_DATE_PATTERNS = (
    # "June 23, 2025", "Dec. 14–15, 2025"
    re.compile(
        rf"\b{_MONTH_RE}\s+{_DAY_RANGE_RE}(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE
    ),
    # "23 June 2025", "14-15 December 2025"
    re.compile(
        rf"\b{_DAY_RANGE_RE}(?:st|nd|rd|th)?\s+{_MONTH_RE},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE
    ),
    # "2025-06-23"
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)


def infer_date(text: str) -> dt.date | None:
    """Guess a publication date from explicit full dates in the text, or None.

    Heuristic: collect every date written out with day, month and year ("June 23, 2025",
    "23 June 2025", "Dec. 14–15, 2025" (the later day of a range), "2025-06-23") and return the
    latest, since news reports on recent events and older dates are background. Dates without a
    year, weekdays and relative words ("yesterday") are ignored: too easy to get wrong silently.
    A date in the future of the article (a scheduled vote) would mislead it; the result is always
    marked `DateStatus.INFERRED` so readers see it is a guess.
    """
    found: list[dt.date] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
            day = int(match.groupdict().get("day2") or match.group("day"))
            try:
                found.append(dt.date(int(match.group("year")), month, day))
            except ValueError:
                continue  # "February 30": not a date, so not evidence
    return max(found) if found else None


def resolve_date(
    given: dt.date | None, metadata: dt.date | None, approximate: bool, text: str
) -> tuple[dt.date | None, DateStatus]:
    """Apply the precedence: given > metadata (maybe approximate) > inferred > undated."""
    if given is not None:
        return given, DateStatus.GIVEN
    if metadata is not None:
        return metadata, DateStatus.APPROXIMATE if approximate else DateStatus.METADATA
    inferred = infer_date(text)
    if inferred is not None:
        return inferred, DateStatus.INFERRED
    return None, DateStatus.UNDATED


def parse_date(value: Any) -> dt.date | None:
    """A date from YAML/JSON/HTML metadata; None when it is not one (caller reports)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        candidate = value.strip()
        try:
            return dt.date.fromisoformat(candidate[:10])
        except ValueError:
            return None
    return None
