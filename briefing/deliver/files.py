"""Writing a briefing to a file and recording it in the store, where `brief send` finds it."""

from __future__ import annotations

from pathlib import Path

from briefing.errors import BriefError
from briefing.render.briefing import Briefing
from briefing.store.database import Store


def default_briefing_path(home: Path, briefing: Briefing) -> Path:
    return home / "briefings" / f"{briefing.day.isoformat()}.md"


def write_text(target: Path, text: str) -> None:
    """Write a file brief made (the briefing as data), or one clear error."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BriefError(
            f"cannot write {target} ({exc.strerror}): choose another --output"
        ) from exc


def save_briefing(store: Store, briefing: Briefing, target: Path) -> None:
    """Write the Markdown to `target` and record it, with its hash and counts, for sending."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(briefing.markdown, encoding="utf-8")
    except OSError as exc:
        raise BriefError(
            f"cannot write {target} ({exc.strerror}): choose another --output"
        ) from exc
    store.record_briefing(
        briefing.day,
        briefing.sha256,
        str(target.resolve()),  # absolute: `brief send` may run from another folder
        counts={
            "articles": briefing.articles,
            "positions": briefing.positions,
            "needs_review": briefing.needs_review,
        },
    )
