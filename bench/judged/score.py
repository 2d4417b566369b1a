"""Score a run's JSON briefings against the hand judgments (issue 17, hand-judged sample).

    .venv/bin/python bench/judged/score.py DAY.json ... [--judgments TSV] [--lead TSV]
                                           [--articles DIR] [--todo]

Each briefed entry ("Positions by topic") is keyed by (date, article, the first 80 characters
of its first quotation, whitespace collapsed), where article is the file name, without .md, of
the source its quotation comes from. A judgment row also records the speaker, topic and stance
the entry was briefed with: when a later run briefs the same quotation under another speaker,
topic or stance, the row does not apply and the entry is listed to be judged anew (a row without
topic and stance matches on the key alone). An entry with a judgment in
bench/judged/judgments.tsv is counted: speaker right and real position of all judged entries,
topic right and stance right of the real ones. Entries with no judgment yet are listed (with --todo, as TSV rows with empty
judgments to fill in and append), so a re-run after a code change needs only the new ones
judged. The lead lines are scored from bench/judged/lead.tsv, keyed by (date, the first 80
characters of the line). With --articles (the folder make_articles.py wrote), the words of each
briefing (DAY.md beside DAY.json) are compared with the words of the day's articles.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = (
    "date",
    "entry",
    "article",
    "speaker",
    "quotation",
    "speaker_ok",
    "real",
    "topic_ok",
    "stance_ok",
    "note",
    "topic",
    "stance",
)
LEAD_COLUMNS = ("date", "line", "text", "ok", "note")


def clip(text: str, size: int = 80) -> str:
    """The first `size` characters of the text, whitespace collapsed (tabs never survive)."""
    return re.sub(r"\s+", " ", text).strip()[:size].rstrip()


@dataclass(frozen=True)
class Entry:
    date: str
    number: int
    article: str
    speaker: str
    topic: str
    stance: str
    quotation: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.date, self.article, self.quotation)


def read_briefing(path: Path) -> tuple[str, list[Entry], list[str]]:
    """The day, its entries and its lead lines (Markdown) from a `--format json` briefing."""
    data = json.loads(path.read_text(encoding="utf-8"))
    day = data["day"]
    names = {
        s["article_id"]: Path(s.get("origin") or s["article_id"]).stem for s in data["sources"]
    }
    entries = []
    for e in data["entries"]:
        quotations = e.get("quotations") or []
        first = quotations[0] if quotations else {"text": "", "article_id": ""}
        article = names.get(first["article_id"], first["article_id"])
        entries.append(
            Entry(
                day,
                e["number"],
                article,
                e["speaker"],
                e["topic"],
                e["stance"],
                clip(first["text"]),
            )
        )
    lead = [line["markdown"] for line in data.get("lead", [])]
    return day, entries, lead


def read_tsv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def share(count: int, total: int) -> str:
    return f"{count}/{total} = {count / total:.2f}" if total else f"{count}/0"


def words(text: str) -> int:
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


def article_words(folder: Path) -> dict[str, int]:
    """Words of the articles' text (front matter aside) by publication date."""
    by_day: dict[str, int] = {}
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        day = re.search(r"^published: (\S+)$", text, re.MULTILINE)
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        if day:
            by_day[day.group(1)] = by_day.get(day.group(1), 0) + words(body)
    return by_day


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("briefings", nargs="+", type=Path, help="DAY.json briefings of a run")
    parser.add_argument("--judgments", type=Path, default=HERE / "judgments.tsv")
    parser.add_argument("--lead", type=Path, default=HERE / "lead.tsv")
    parser.add_argument("--articles", type=Path, help="folder of the day's articles (.md)")
    parser.add_argument("--todo", action="store_true", help="print unjudged entries as TSV rows")
    args = parser.parse_args(argv)

    by_key: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for r in read_tsv(args.judgments):
        by_key.setdefault((r["date"], r["article"], clip(r["quotation"])), []).append(r)

    def judgment(e: Entry) -> dict[str, str] | None:
        """The row judged for this entry as briefed: same key, speaker, topic and stance."""
        for r in reversed(by_key.get(e.key, [])):
            if not r.get("topic") and not r.get("stance"):
                return r
            if (r["speaker"], r["topic"], r["stance"]) == (e.speaker, e.topic, e.stance):
                return r
        return None

    leads = {(r["date"], clip(r["text"])): r for r in read_tsv(args.lead)}
    days, entries, lead_lines = [], [], []
    for path in args.briefings:
        day, day_entries, lead = read_briefing(path)
        days.append((day, path))
        entries += day_entries
        lead_lines += [(day, n, line) for n, line in enumerate(lead, 1)]

    rows = [(e, judgment(e)) for e in entries]
    done = [(e, r) for e, r in rows if r is not None]
    missing = [e for e, r in rows if r is None]
    real = [(e, r) for e, r in done if r["real"] == "1"]
    speaker_ok = sum(r["speaker_ok"] == "1" for _, r in done)
    topic_ok = sum(r["topic_ok"] == "1" for _, r in real)
    stance_ok = sum(r["stance_ok"] == "1" for _, r in real)
    print(f"entries {len(entries)}, judged {len(done)}, not judged {len(missing)}")
    print(f"{'measure':<16}{'count':>16}  target")
    print(f"{'speaker right':<16}{share(speaker_ok, len(done)):>16}  >= 0.95 (of judged)")
    print(f"{'real position':<16}{share(len(real), len(done)):>16}  >= 0.90 (of judged)")
    print(f"{'topic right':<16}{share(topic_ok, len(real)):>16}  (of real)")
    print(f"{'stance right':<16}{share(stance_ok, len(real)):>16}  >= 0.80 (of real)")
    for day, _ in days:
        day_rows = [(e, r) for e, r in done if e.date == day]
        day_real = [r for _, r in day_rows if r["real"] == "1"]
        print(
            f"  {day}: entries {sum(e.date == day for e in entries)}, "
            f"speaker {sum(r['speaker_ok'] == '1' for _, r in day_rows)}, real {len(day_real)}, "
            f"topic {sum(r['topic_ok'] == '1' for r in day_real)}, "
            f"stance {sum(r['stance_ok'] == '1' for r in day_real)}"
        )

    lead_done = [leads[(d, clip(t))] for d, _, t in lead_lines if (d, clip(t)) in leads]
    lead_ok = sum(r["ok"] == "1" for r in lead_done)
    print(f"{'lead lines right':<16}{share(lead_ok, len(lead_done)):>16}  (of judged lead lines)")
    lead_missing = [(d, n, t) for d, n, t in lead_lines if (d, clip(t)) not in leads]

    if args.articles:
        per_day = article_words(args.articles)
        for day, path in days:
            md = path.with_suffix(".md")
            if md.exists():
                brief_words, source_words = (
                    words(md.read_text(encoding="utf-8")),
                    per_day.get(day, 0),
                )
                ratio = brief_words / source_words if source_words else 0.0
                print(
                    f"  words {day}: briefing {brief_words}, articles {source_words}, {ratio:.2f}"
                )

    if missing or lead_missing:
        print(f"\nnot judged yet: {len(missing)} entries, {len(lead_missing)} lead lines")
    for e in missing:
        if args.todo:
            cells = (e.date, str(e.number), e.article, e.speaker, e.quotation, "", "", "", "", "")
            cells += (e.topic, e.stance)
            print("\t".join(cells))
        else:
            print(
                f"  {e.date} #{e.number} {e.article} | {e.speaker} | {e.topic} | {e.stance} | {e.quotation}"
            )
    for d, n, t in lead_missing:
        print(f"  lead {d} line {n}: {clip(t)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
