"""Experiments for the learned cue model (issue 18): train-CV and dev side by side.

    .venv/bin/python bench/learned/experiment.py [--train DIR] [--dev DIR] [--limit N]

Cross-validates by document on PolNeAR train for every setting (`train.py`), then
trains on all of train and scores dev with every setting. Never trains on dev.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import train as T
from fitting import (
    Settings,
    Vocabulary,
    document_examples,
    train_cue_model,
)

from briefing.evaluate.gold import read_brat


def _row(name: str, results: dict[str, dict[str, dict[str, float]]]) -> str:
    row = f"{name:<28} "
    for split in ("cv", "dev"):
        r = results.get(split, {}).get(name)
        row += (
            f"{r['content_precision']:.3f}/{r['content_recall']:.3f}/{r['content_f1']:.3f} "
            f"{r['source_f1']:.3f}   "
            if r
            else " " * 28
        )
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", type=Path, default=ROOT.parent / "shared/eval/polnear-train")
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared/eval/polnear-dev")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=Settings.epochs)
    parser.add_argument("--heads", action="store_true", help="label cue heads, not all words")
    parser.add_argument("--min-count", type=int, default=Settings.min_count)
    parser.add_argument("--out", type=Path, default=None, help="write the figures here (JSON)")
    args = parser.parse_args()
    settings = Settings(epochs=args.epochs, heads=args.heads, min_count=args.min_count)
    started = time.time()
    docs = read_brat(args.train)[: args.limit or None]
    vocabulary = Vocabulary()
    examples = [document_examples(d, vocabulary, settings.heads) for d in docs]
    n = sum(len(e.examples) for e in examples)
    pos = sum(y for e in examples for _, y in e.examples)
    print(f"{len(docs)} docs, {n} words, {pos} cue words, {time.time() - started:.0f}s")
    report, statements = T.cross_validate(docs, examples, vocabulary, settings, args.folds)
    print(
        f"{ ({k: v for k, v in report.items() if k != 'scores'}) } ({time.time() - started:.0f}s)"
    )
    results = {"cv": report["scores"]}
    model = replace(train_cue_model(examples, vocabulary, settings), statements=statements)
    dev = read_brat(args.dev)
    per = {"rules": [T.finder_items(d, None) for d in dev]}
    for name, variant in T.variants(model).items():
        per[name] = [T.finder_items(d, variant) for d in dev]
    results["dev"] = {name: T.summary(items) for name, items in per.items()}
    print(f"{'setting':<28} {'train-CV P/R/F1  src':<28} {'dev P/R/F1  src':<28}")
    for name in results["dev"]:
        print(_row(name, results))
    print(f"chosen by CV: {T.choose(results['cv'])}")
    if args.out:
        args.out.write_text(json.dumps({"report": report, **results}, indent=1) + "\n")
    print(f"{time.time() - started:.0f}s")


if __name__ == "__main__":
    main()
