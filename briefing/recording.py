"""Recording and checking the model fixtures: a developer's tool, not a command of `brief`.

    python -m briefing.recording record [FOLDER...]   re-record fixtures/ from the embedded model
    python -m briefing.recording check [FOLDER...]    every fixture well formed, the folders replay

Both run the whole pipeline (ingest, extract, the day's briefing) over sample folders, so this
module sits beside `pipeline`, above the stages; the fixture files themselves (their names, their
format, the replay) belong to `briefing.llm.client`. The settings given are never changed: every
folder runs on a copy of its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from briefing.config import Settings, load_settings
from briefing.errors import BriefError
from briefing.llm.client import open_client
from briefing.llm.fixtures import check_fixtures, write_fixture
from briefing.pipeline import build_briefing, ingest
from briefing.progress import Progress
from briefing.resources import CHECKOUT_DIR
from briefing.store.database import CachedCall, Store

# The folders the fixtures cover, each recorded and checked in a store of its own.
FIXTURE_FOLDERS = [CHECKOUT_DIR / "seeds", CHECKOUT_DIR / "tests" / "data"]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _days(store: Store) -> list[dt.date]:
    """The publication days of the stored articles, in order."""
    return [dt.date.fromisoformat(day) for day, _ in store.dates() if day]


def _record_folder(settings: Settings, folder: Path, progress: Progress) -> dict[str, CachedCall]:
    """The model answers that briefing every day of `folder` uses, asked of the local model."""
    # Each folder is recorded in a store of its own, as a user would run it, so that every
    # request is the one a user of that folder sends. The stores live in BRIEF_HOME, so
    # an interrupted recording resumes from its cache.
    # Defaults apart from the model, as the tests that replay the answers run.
    home = settings.home / "recording" / folder.resolve().name
    own = load_settings(home=home, provider="local", model=settings.model)
    calls = {}
    with Store(own.store_path) as store:
        report = ingest(store, [folder], progress=progress)
        if report.problems and not report.added:
            raise BriefError(f"nothing to record in {folder}: " + "; ".join(report.problems))
        # Extract everything again (from the cache where it can) so that every answer the
        # current prompts need is seen and exported.
        store.forget_extractions()
        with open_client(own, store, provider="local") as client:
            for day in _days(store):
                build_briefing(store, client, own, day, progress)
        # Only what this recording used: the store may hold answers to older prompts.
        for key in sorted(client.seen):
            call = store.get_call(key)
            if call is not None:
                calls[key] = call
    return calls


def record_fixtures(
    settings: Settings, folders: Sequence[Path] = FIXTURE_FOLDERS, progress: Progress = _say
) -> int:
    """Re-record `settings.fixtures_dir` from the embedded model; returns how many answers.

    The new answers are written first and the stale ones removed after, so a recording that
    fails half-way leaves the old fixtures in place."""
    calls: dict[str, CachedCall] = {}
    for folder in folders:
        calls.update(_record_folder(settings, folder, progress))
    written = {write_fixture(settings.fixtures_dir, call) for call in calls.values()}
    for stale in (settings.fixtures_dir / "llm").glob("*.json"):
        if stale not in written:
            stale.unlink()
    return len(calls)


def fixture_problems(settings: Settings, folders: Sequence[Path] = FIXTURE_FOLDERS) -> list[str]:
    """Malformed fixtures, and the days of `folders` whose briefing needs an answer with no
    recording (each folder replayed in a throwaway store)."""
    problems = check_fixtures(settings.fixtures_dir)
    for folder in folders:
        with tempfile.TemporaryDirectory(prefix="brief-check-") as tmp:
            fresh = load_settings(home=Path(tmp), provider="replay", model=settings.model)
            own = fresh.model_copy(update={"fixtures_dir": settings.fixtures_dir})
            with Store(own.store_path) as store:
                ingest(store, [folder])
                with open_client(own, store) as client:
                    for day in _days(store):
                        briefing = build_briefing(store, client, own, day)
                        if "no recorded model answer" in briefing.markdown:
                            problems.append(f"{folder} {day}: some requests have no recording")
    return problems


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m briefing.recording", description="Record and check the model fixtures."
    )
    parser.add_argument("--home", type=Path, help="BRIEF_HOME for the recording stores.")
    parser.add_argument("--model", help="A .gguf file instead of the embedded model.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, what in (
        ("record", "re-record fixtures/ from the embedded model: every article, every day"),
        ("check", "check that every fixture is well formed and the folders replay with no miss"),
    ):
        command = commands.add_parser(name, help=what, description=what)
        command.add_argument(
            "folders", nargs="*", type=Path, help="article folders (default: seeds/, tests/data/)"
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    folders = args.folders or FIXTURE_FOLDERS
    try:
        settings = load_settings(home=args.home, model=args.model)
        if args.command == "record":
            count = record_fixtures(settings, folders)
            _say(f"recorded {count} model answers into {settings.fixtures_dir / 'llm'}")
            return 0
        problems = fixture_problems(settings, folders)
    except BriefError as exc:
        _say(f"error: {exc}")
        return 1
    for problem in problems:
        _say(problem)
    if problems:
        _say(f"error: {len(problems)} fixture problems: re-record with `{_parser().prog} record`")
        return 1
    _say("fixtures ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
