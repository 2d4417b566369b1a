"""Benchmark: the seed articles through the embedded model, with an empty cache, then from cache.

    python bench/seeds.py              # evidence pointers (what brief does)
    python bench/seeds.py --baseline   # the same model asked to copy quotations, for comparison

Prints, per article and in total: model calls, prompt and output tokens, positions, wall time.
Needs the `local` extra; takes several minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from briefing.config import load_settings
from briefing.extract.drafts import load_prompt, load_topics
from briefing.llm.client import ModelError, Usage, open_client
from briefing.models import SpeechKind, Stance
from briefing.pipeline import Extractor, ingest
from briefing.resources import CHECKOUT_DIR as PROJECT_ROOT
from briefing.store.database import Store
from briefing.text.chunk import chunk_sentences, numbered


class CopyingDraft(BaseModel):
    """The baseline: the same fields, but the model writes the quotation itself instead of
    pointing at sentences."""

    model_config = ConfigDict(extra="forbid")
    speaker: str
    role: str
    topic: str
    stance: Stance
    summary: str
    kind: SpeechKind
    quote: str


class CopyingAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    positions: list[CopyingDraft]


def run(store: Store, settings, label: str) -> None:
    client = open_client(settings, store, provider="local")
    extractor = Extractor(store, client, settings)
    rows = []
    for article in store.all_articles():
        started = time.monotonic()
        outcomes = extractor.extract([article])
        seconds = time.monotonic() - started
        usage = outcomes[0].usage if outcomes else Usage()
        positions = (
            len(outcomes[0].positions) if outcomes else len(extractor.positions_of(article)[0])
        )
        rows.append((article.origin.split("/")[-1], usage, positions, seconds))
    report(label, rows)


def run_baseline(store: Store, settings) -> None:
    client = open_client(settings, store, provider="local")
    prompt = load_prompt("baseline")
    topics = load_topics()
    rows = []
    quotes = verbatim = 0
    for article in store.all_articles():
        sentences = store.sentences(article.id)
        usage = Usage()
        count = 0
        started = time.monotonic()
        for chunk in chunk_sentences(
            article.text, sentences, settings.chunk_budget("local"), settings.chunk_overlap
        ):
            try:
                answer = client.parse(
                    prompt.messages(topics=topics, numbered=numbered(article.text, chunk)),
                    CopyingAnswer,
                )
            except ModelError as exc:
                if isinstance(exc.usage, Usage):
                    usage.add(exc.usage)  # a cut-off answer still cost its tokens
                print(f"  {article.origin}: {exc}", file=sys.stderr)
                continue
            usage.add(answer.usage)
            count += len(answer.parsed.positions)
            for position in answer.parsed.positions:
                quotes += 1
                verbatim += position.quote.strip() in article.text
        rows.append((article.origin.split("/")[-1], usage, count, time.monotonic() - started))
    report("baseline: the model copies quotations", rows)
    # What the design is for: how many of the model's own "quotations" are in the source at all.
    print(f"quotations copied character-exact by the model: {verbatim} of {quotes}")


def report(label: str, rows) -> None:
    print(f"\n{label}")
    print(
        f"{'article':28} {'calls':>5} {'prompt':>7} {'output':>7} {'positions':>9} {'out/pos':>8} {'wall s':>7}"
    )
    for name, usage, positions, seconds in rows:
        per = usage.completion_tokens / positions if positions else float("nan")
        print(
            f"{name:28} {usage.calls:5} {usage.prompt_tokens:7} {usage.completion_tokens:7} {positions:9} {per:8.1f} {seconds:7.1f}"
        )
    calls = sum(r[1].calls for r in rows)
    prompt = sum(r[1].prompt_tokens for r in rows)
    output = sum(r[1].completion_tokens for r in rows)
    positions = sum(r[2] for r in rows)
    wall = [r[3] for r in rows]
    per = output / positions if positions else float("nan")
    print(f"{'total':28} {calls:5} {prompt:7} {output:7} {positions:9} {per:8.1f} {sum(wall):7.1f}")
    print(f"median wall time per article: {statistics.median(wall):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", action="store_true", help="ask the model to copy quotations")
    parser.add_argument(
        "--home", type=Path, help="keep the store (and its cache) here instead of a temporary one"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="brief-bench-") as tmp:
        settings = load_settings(home=args.home or Path(tmp), provider="local")
        with Store(settings.store_path) as store:
            ingest(store, [PROJECT_ROOT / "seeds"])
            if args.baseline:
                # Copying quotations needs more room: let the answers finish so that what
                # they cost is measured, not cut off.
                settings.max_output_tokens = 1200
                run_baseline(store, settings)
                return
            run(store, settings, "evidence pointers, empty cache")
            # Second pass: new extraction records, same cache. Drop the extraction rows only.
            with store.transaction() as db:
                db.execute("DELETE FROM positions")
                db.execute("DELETE FROM extractions")
            run(store, settings, "evidence pointers, second run from cache (calls must be 0)")


if __name__ == "__main__":
    main()
