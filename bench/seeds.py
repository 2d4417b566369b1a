"""Benchmark: the five seed articles through find-then-label on the embedded model, empty cache.

    python bench/seeds.py                 # a temporary store: every model call is real
    python bench/seeds.py --home DIR      # keep the store; a second run replays from its cache

Prints per article: candidates the finder found, model calls (the rest decided by rules),
prompt and output tokens, positions, wall time; in total the same, output tokens per position,
and the positions scored against the seed gold (tests/gold/seeds-gold.json): recall of required
positions, precision, speaker, topic and stance, and the three key positions of issue 10.
Needs the `local` extra; run it on a quiet machine (the model shares two cores with anything
else that runs).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from briefing.config import load_settings
from briefing.evaluate.positions import (
    format_position_table,
    gold_articles_as_articles,
    read_seed_gold,
    score_positions,
    shares_run,
)
from briefing.find import find_attributions
from briefing.llm.client import open_client
from briefing.pipeline import Extractor
from briefing.resources import CHECKOUT_DIR
from briefing.store.database import Store
from briefing.text.segment import split_sentences

GOLD = CHECKOUT_DIR / "tests" / "gold" / "seeds-gold.json"
# Issue 10's three key positions: (article, words of the evidence, stances that count).
KEYS = [
    ("000_2dcf224ea3a6d1b0", "However, this issue can be discussed", {"conditional", "neutral"}),
    ("003_dabc7966fe91252a", "views the prospect of European troops", {"opposes"}),
    ("000_2dcf224ea3a6d1b0", "such measures harm bilateral relations", {"opposes"}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--home", type=Path, help="keep the store and its cache here")
    args = parser.parse_args()
    gold = read_seed_gold(GOLD)
    with tempfile.TemporaryDirectory(prefix="brief-bench-") as tmp:
        settings = load_settings(home=args.home or Path(tmp), provider="local")
        with Store(settings.store_path) as store, open_client(settings, store) as client:
            articles = gold_articles_as_articles(gold)
            for article in articles:
                store.add_article(article, split_sentences(article.text))
            extractor = Extractor(store, client, settings)
            print(
                f"{'article':22} {'cand':>5} {'calls':>5} {'prompt':>7} {'output':>7}"
                f" {'pos':>4} {'wall s':>7}"
            )
            totals = [0, 0, 0, 0, 0, 0.0]
            started = time.monotonic()
            for name, article in zip([g.name for g in gold], articles, strict=True):
                began = time.monotonic()
                (outcome,) = extractor.extract([article]) or [None]
                seconds = time.monotonic() - began
                positions = extractor.positions_of(article)[0]
                found = len(find_attributions(article.text))
                usage = outcome.usage if outcome else None
                row = [
                    found,
                    usage.calls if usage else 0,
                    usage.prompt_tokens if usage else 0,
                    usage.completion_tokens if usage else 0,
                    sum(p.valid for p in positions),
                ]
                totals = [a + b for a, b in zip(totals, [*row, seconds], strict=True)]
                print(
                    f"{name:22} {row[0]:5} {row[1]:5} {row[2]:7} {row[3]:7} {row[4]:4} {seconds:7.1f}"
                )
            wall = time.monotonic() - started
            print(
                f"{'total':22} {totals[0]:5} {totals[1]:5} {totals[2]:7} {totals[3]:7}"
                f" {totals[4]:4} {wall:7.1f}"
            )
            per = totals[3] / totals[4] if totals[4] else float("nan")
            print(
                f"output tokens per position: {per:.1f}; wall time for the five seeds: {wall:.0f} s"
            )
            predicted = {
                g.name: extractor.positions_of(a)[0] for g, a in zip(gold, articles, strict=True)
            }
    print()
    print(format_position_table(score_positions(gold, predicted)), end="")
    print("key positions:")
    for name, words, stances in KEYS:
        hits = [p for p in predicted[name] if p.valid and shares_run(p.quotes, words)]
        right = [p for p in hits if p.stance in stances]
        verdict = "found, stance right" if right else ("found, stance wrong" if hits else "missed")
        print(f"  {name}: {words!r}: {verdict}")


if __name__ == "__main__":
    main()
