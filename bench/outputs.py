"""Check that a speed-up leaves brief's output as it was: write a digest of what a run produces,
then compare two digests (before and after the change).

    python bench/outputs.py dump BEFORE.json --polnear DIR [DIR ...]   # on the old commit
    python bench/outputs.py dump AFTER.json --polnear DIR [DIR ...]    # on the new one
    python bench/outputs.py compare BEFORE.json AFTER.json

The digest holds, each as a SHA-256 with a count:

* the finder on every PolNeAR document given: each document's candidates (every field) and
  the sentences it sets aside as suspected instructions;
* a run of `--days` days of `--per-day` synthetic articles (bench/_articles.py, the articles of
  bench/pipeline.py) against the simulated model: every row of every store table (positions,
  extractions, the model-call cache with its keys and request bodies, the tracking index ...),
  times and the temporary folder's path left out, and each day's briefing (Markdown and data).
  The rules fingerprint in the prompt id changes with any edit to the finder's or the rules'
  code (the next run re-extracts from the cache, once): it is compared on its own.

`compare` names every part that differs and exits 1 if any does. It checks sameness only; the
scores (`brief eval`) and the timings (bench/pipeline.py) are measured elsewhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from _articles import write_day
from pipeline import SimulatedModel

from briefing import pipeline as brief
from briefing.config import load_settings
from briefing.evaluate.gold import read_brat
from briefing.extract.extractor import Extractor
from briefing.find import find_attributions, suspected_instructions
from briefing.llm.client import open_client
from briefing.store.database import Store

# Columns that hold when something ran or how long it took, not what it produced.
_TIMES = ("ingested_at", "created_at", "applied_at", "latency", "fetched_at", "sent_at")


def _digest(values: list[Any]) -> dict[str, Any]:
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return {"count": len(values), "sha256": hashlib.sha256(text.encode()).hexdigest()}


def finder_parts(folders: list[Path]) -> dict[str, Any]:
    """One digest per PolNeAR document: its candidates and suspected instructions."""
    parts: dict[str, Any] = {}
    for folder in folders:
        for doc in read_brat(folder):
            found = [c.model_dump(mode="json") for c in find_attributions(doc.text)]
            suspects = list(suspected_instructions(doc.text))
            parts[f"finder {folder.name}/{doc.name}"] = _digest([found, suspects])
    return parts


def _table_rows(db: sqlite3.Connection, table: str, names: dict[str, str]) -> list[list[Any]]:
    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    kept = [c for c in columns if c not in _TIMES]
    rows = db.execute(f"SELECT {', '.join(kept)} FROM {table}").fetchall()
    out = [[_named(v, names) if isinstance(v, str) else v for v in r] for r in rows]
    return sorted(out, key=lambda r: json.dumps(r, default=str))


def _named(text: str, names: dict[str, str]) -> str:
    for value, name in names.items():
        text = text.replace(value, name)
    return text


def run_parts(days: int, per_day: int) -> dict[str, Any]:
    """Digests of a bench run: each day's briefing, then every table of the store. The rules
    fingerprint (part of the prompt id) hashes the finder's and the rules' code, so any edit
    there changes it: it is a part of its own, and replaced by a name everywhere else."""
    parts: dict[str, Any] = {}
    briefings: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="brief-outputs-") as tmp:
        root = Path(tmp)
        settings = load_settings(home=root / "home", provider="openai", model="bench-model")
        settings.concurrency = 1
        store = Store(settings.store_path)
        client = open_client(settings, store, provider="openai", transport=SimulatedModel())
        prompt_id = Extractor(store, client, settings).prompt_id
        names = {tmp: "<root>", prompt_id: "<prompt id>"}
        for number in range(days):
            day = dt.date(2025, 12, 1) + dt.timedelta(days=number)
            folder = root / "articles" / day.isoformat()
            write_day(folder, day, per_day, first_number=number * per_day)
            brief.ingest(store, [folder])
            briefing = brief.build_briefing(store, client, settings, day)
            briefings[f"briefing {day} markdown"] = briefing.markdown
            briefings[f"briefing {day} data"] = json.dumps(briefing.data, sort_keys=True)
        store.close()
        for key, text in briefings.items():
            parts[key] = _digest(_named(text, names).splitlines())
        parts["rules fingerprint (prompt id)"] = prompt_id
        db = sqlite3.connect(settings.store_path)
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in sorted(t for t in tables if t != "migrations"):
            parts[f"table {table}"] = _digest(_table_rows(db, table, names))
        db.close()
    return parts


def compare(before: dict[str, Any], after: dict[str, Any]) -> int:
    fingerprint = "rules fingerprint (prompt id)"
    if before.get(fingerprint) != after.get(fingerprint):
        print(
            f"{fingerprint}: {before.get(fingerprint)} -> {after.get(fingerprint)} (any edit of"
            " the finder's or the rules' code changes it)"
        )
    keys = (before.keys() | after.keys()) - {fingerprint}
    differ = sorted(k for k in keys if before.get(k) != after.get(k))
    for key in differ:
        print(f"differs: {key}: {before.get(key)} -> {after.get(key)}")
    print(f"{len(keys)} parts compared, {len(differ)} differ")
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    dump = sub.add_parser("dump", help="write the digest of this checkout's output")
    dump.add_argument("out", type=Path)
    dump.add_argument("--polnear", type=Path, nargs="*", default=[], metavar="DIR")
    dump.add_argument("--days", type=int, default=2)
    dump.add_argument("--per-day", type=int, default=300)
    check = sub.add_parser("compare", help="name the parts of two digests that differ")
    check.add_argument("before", type=Path)
    check.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "compare":
        before = json.loads(args.before.read_text(encoding="utf-8"))
        after = json.loads(args.after.read_text(encoding="utf-8"))
        sys.exit(compare(before, after))
    parts = run_parts(args.days, args.per_day) | finder_parts(args.polnear)
    lines = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(parts.items())]
    args.out.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"{len(parts)} parts written to {args.out}")


if __name__ == "__main__":
    main()
