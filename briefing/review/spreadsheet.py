"""Review in a spreadsheet: the day's positions exported as CSV, and the analyst's edited rows
imported back as decisions (each row checked; a row that did not change is not a decision).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from briefing.errors import CsvImportError, ReviewError
from briefing.models import Position
from briefing.review.deciding import edit_change
from briefing.review.decisions import STATUSES, TEXT_FIELDS, format_evidence
from briefing.review.listing import ReviewItem, review_target
from briefing.store.database import DecisionChange, Store

CSV_COLUMNS = (
    "id",
    "status",
    "speaker",
    "role",
    "topic",
    "stance",
    "summary",
    "evidence",
    "note",
    "kind",
    "quotes",
    "valid",
    "conflict",
    "date",
    "source",
    "article",
)
_CSV_REQUIRED = ("id", "status", "speaker", "role", "topic", "stance", "summary", "evidence")


def _csv_quotes(position: Position) -> str:
    return "\n".join(position.quotes)


def export_csv(items: Sequence[ReviewItem], out: io.TextIOBase | Any) -> int:
    """Write positions as CSV for a spreadsheet: change status and the editable columns, then
    `brief review import`. kind, quotes and the columns after them are for reading only."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        p = item.position
        writer.writerow(
            [
                p.id,
                p.review_status,
                p.speaker,
                p.role,
                p.topic,
                p.stance,
                p.summary,
                format_evidence(p.evidence),
                "",
                p.kind,
                _csv_quotes(p),
                "yes" if p.valid else f"no: {p.reason}",
                p.conflict or "",
                item.article.published.isoformat() if item.article.published else "",
                item.article.source or "",
                item.article.id,
            ]
        )
    return len(items)


@dataclass
class ImportReport:
    applied: int
    unchanged: int


def import_csv(store: Store, text: str, reviewer: str) -> ImportReport:
    """Apply a review CSV: every row is checked first and the file is applied in one transaction
    only when all rows are right; otherwise nothing changes and every problem is listed."""
    header, rows = _read_rows(text)
    problems: list[str] = []
    changes: list[DecisionChange] = []
    unchanged = 0
    seen: dict[int, int] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line a spreadsheet left at the end
        try:
            change = _row_change(store, header, row, line, seen, reviewer)
        except _RowProblem as exc:
            problems.append(str(exc))
            continue
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
    if problems:
        raise CsvImportError(
            f"{len(problems)} row{'s' if len(problems) > 1 else ''} cannot be imported, so "
            "nothing was: fix them and import the file again",
            problems,
        )
    store.save_decisions(changes)
    return ImportReport(applied=len(changes), unchanged=unchanged)


class _RowProblem(Exception):
    """What is wrong with one row, as the line the analyst reads."""


def _read_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """The header (lower-cased) and the rows below it; CsvImportError when the file as a whole
    cannot be read."""
    text = text.removeprefix("\ufeff")  # spreadsheets write a byte order mark
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise CsvImportError(f"the file is not valid CSV ({exc})", [str(exc)]) from None
    if not rows:
        raise CsvImportError("the file is empty: export one with `brief review export`", [])
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in _CSV_REQUIRED if c not in header]
    if missing:
        raise CsvImportError(
            f"the header lacks the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}: export a file with `brief review export` and edit that",
            [],
        )
    return header, rows[1:]


def _row_change(
    store: Store,
    header: list[str],
    row: list[str],
    line: int,
    seen: dict[int, int],
    reviewer: str,
) -> DecisionChange | None:
    """The decision one row makes, None when it changes nothing; `seen` is where each position
    was met before (a position may be on one row only)."""
    if len(row) != len(header):
        raise _RowProblem(f"row {line}: {len(row)} cells, the header has {len(header)}")
    cells = dict(zip(header, row))
    try:
        position_id = int(cells["id"].strip())
    except ValueError:
        raise _RowProblem(f"row {line}: id {cells['id']!r} is not a position number") from None
    if position_id in seen:
        raise _RowProblem(f"row {line}: position {position_id} is also on row {seen[position_id]}")
    seen[position_id] = line
    status = cells["status"].strip().lower()
    if status not in STATUSES:
        raise _RowProblem(
            f"row {line}: status {cells['status']!r} is not one of {', '.join(STATUSES)}"
        )
    try:
        position = review_target(store, position_id)[1]
        if "quotes" in cells and _norm_lines(cells["quotes"]) != _csv_quotes(position):
            raise ReviewError(
                "the quotes column was changed: quotations are copied from the article, "
                "change the evidence instead"
            )
        values: dict[str, Any] = {f: cells[f] for f in (*TEXT_FIELDS, "stance", "evidence")}
        return edit_change(
            store,
            position_id,
            values,
            reviewer,
            cells.get("note") or None,
            "import",
            status=status,
        )
    except ReviewError as exc:
        raise _RowProblem(f"row {line} (position {position_id}): {exc}") from None


def _norm_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
