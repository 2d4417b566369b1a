"""Draw statements from PolNeAR train articles of the 2016 campaign, to be judged by hand.

    python3 bench/judged/draw_train.py POLNEAR_TRAIN [SEED] [COUNT]

Every gold attribution with a source and a content of 40 to 350 characters, in the train
articles published 2016-08-01 to 2016-11-08 (the first annotator's file of each), shuffled with
SEED (25); the first COUNT (215) printed with their source, content and the 250 characters
before. `stance-train.tsv` is the hand-judged selection of one such draw (see its header).
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

FIRST, LAST = "2016-08-01", "2016-11-08"


def attributions(root: Path) -> list[tuple[str, str, str, str]]:
    """(article, source, content, text before) of every attribution that qualifies."""
    with open(root / "metadata.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    docs = sorted(r["filename"] for r in rows if FIRST <= r["publication_date"] <= LAST)
    out = []
    for doc in docs:
        anns = sorted((root / "attributions").glob(doc + "_*.ann"))
        if not anns:
            continue
        text = (root / "text" / (doc + ".txt")).read_text(encoding="utf-8")
        spans: dict[str, tuple[int, int]] = {}
        events = []
        for line in anns[0].read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T"):
                offsets = parts[1].split(" ")[1:]
                spans[parts[0]] = (int(offsets[0]), int(offsets[-1]))
            elif line.startswith("E"):
                events.append(dict(p.split(":", 1) for p in parts[1].split(" ") if ":" in p))
        for event in events:
            if not {"Attribution", "Source", "Content"} <= event.keys():
                continue
            start, end = spans[event["Content"]]
            source = text[slice(*spans[event["Source"]])]
            content = text[start:end].strip()
            if 40 <= len(content) <= 350:
                before = text[max(0, min(start, spans[event["Source"]][0]) - 250) : start]
                out.append((doc, source, content, before.replace("\n", " ")))
    return out


def main() -> None:
    root = Path(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 215
    drawn = attributions(root)
    random.seed(seed)
    random.shuffle(drawn)
    for index, (doc, source, content, before) in enumerate(drawn[:count]):
        print(f"#{index}\t{doc}\t{source}\n  BEFORE: ...{before[-250:]}\n  CONTENT: {content}\n")


if __name__ == "__main__":
    main()
