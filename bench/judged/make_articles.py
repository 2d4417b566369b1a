"""Write the PolNeAR dev documents of chosen dates as Markdown articles with front matter.

    .venv/bin/python bench/judged/make_articles.py OUT_DIR [--dates D ...] [--polnear DIR]

Each document of PolNeAR dev (metadata.tsv, text/NAME.txt) published on one of the dates is
written to OUT_DIR/NAME.md with `title`, `outlet` (the publisher) and `published` (the date), so
`brief ingest OUT_DIR` briefs each on its own day. Used by the hand-judged sample (issue 17).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

POLNEAR = Path("/work/shared/eval/polnear-dev")
DATES = ("2016-09-28", "2016-09-30", "2016-10-04")


def documents(polnear: Path, dates: tuple[str, ...]) -> list[dict[str, str]]:
    """The metadata rows of the dev documents published on the dates, by date and file name."""
    with open(polnear / "metadata.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    chosen = [r for r in rows if r["compartment"] == "dev" and r["publication_date"] in dates]
    return sorted(chosen, key=lambda r: (r["publication_date"], r["filename"]))


def markdown(row: dict[str, str], text: str) -> str:
    """The article as Markdown: YAML front matter (strings as JSON, valid YAML), then the text."""
    front = [
        "---",
        f"title: {json.dumps(row['title'], ensure_ascii=False)}",
        f"outlet: {json.dumps(row['publisher'], ensure_ascii=False)}",
        f"published: {row['publication_date']}",
        "---",
    ]
    return "\n".join(front) + "\n" + text.strip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write NAME.md into (outside the repo)")
    parser.add_argument("--dates", nargs="+", default=list(DATES), help="YYYY-MM-DD dates")
    parser.add_argument("--polnear", type=Path, default=POLNEAR, help="PolNeAR dev folder")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = documents(args.polnear, tuple(args.dates))
    for row in rows:
        text = (args.polnear / "text" / f"{row['filename']}.txt").read_text(encoding="utf-8")
        (args.out / f"{row['filename']}.md").write_text(markdown(row, text), encoding="utf-8")
        print(f"{row['publication_date']}  {row['filename']}.md", file=sys.stderr)
    print(f"{len(rows)} articles written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
