"""Extraction through the Batch API: `brief extract --batch`, and `brief run` with `batch = true`.

One pass does everything, so that running it again and again (by hand, or from cron) moves a
day along: look at the batches in flight and take the answers of those that ended into the
call cache (briefing.llm.batch); extract every pending article as usual, the cache answering
what it holds, so articles whose answers are all in are saved now; send what is still missing
in a new batch. Articles with a request in a batch stay pending until a later pass.

One pass at a time per BRIEF_HOME (`batch.lock`): two at once would submit the same requests.
The Batch API is a remote provider's: the embedded model and replay answer at once, and have no
batches, so they are refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

import httpx2

from briefing.config import Settings
from briefing.errors import BriefError
from briefing.extract.extractor import ArticleOutcome, Extractor
from briefing.llm.batch import BatchNews, Collector, poll, submit
from briefing.llm.client import choose_provider, open_client
from briefing.models import Article
from briefing.progress import Progress, quiet
from briefing.store.batches import StoredBatch
from briefing.store.database import Store
from briefing.store.lock import exclusive
from briefing.text.words import plural


@dataclass
class BatchPass:
    """What one pass did."""

    news: BatchNews  # a line for each batch looked at or submitted, and the problems
    outcomes: list[ArticleOutcome] = field(default_factory=list)  # articles saved in this pass
    waiting: list[Article] = field(default_factory=list)  # articles that wait for a batch
    unfinished: list[ArticleOutcome] = field(default_factory=list)  # pending for another reason
    submitted: list[StoredBatch] = field(default_factory=list)


def check_batch_provider(settings: Settings) -> None:
    """Refuse the Batch API where the model is not a remote OpenAI-compatible one."""
    provider = choose_provider(settings)[0]
    if provider != "openai":
        raise BriefError(
            f"--batch needs a remote OpenAI-compatible provider (OPENAI_API_KEY or"
            f" OPENAI_BASE_URL); the {provider} provider answers at once and has no batches:"
            " run without --batch (or set batch = false in config.toml)"
        )


def batch_lock(settings: Settings) -> AbstractContextManager[None]:
    """Hold `batch.lock` in BRIEF_HOME: one pass at a time (see briefing.store.lock)."""
    home = settings.home
    return exclusive(
        home,
        "batch",
        lambda holder: (
            f"another `brief extract --batch` (or `brief run` with batch = true) is"
            f" submitting or collecting batches for {home} (process {holder}); let it finish,"
            " then run again"
        ),
    )


def extract_by_batch(
    settings: Settings,
    store: Store,
    articles: Sequence[Article],
    progress: Progress = quiet,
    *,
    retry_failed: bool = False,
    inner: httpx2.BaseTransport | None = None,
) -> BatchPass:
    """One pass (see the module docstring) over `articles`. `inner` replaces the network
    transport to the provider (tests)."""
    check_batch_provider(settings)
    with batch_lock(settings):
        collector = Collector(inner or httpx2.HTTPTransport())
        with open_client(settings, store, provider="openai", transport=collector) as client:
            client.retry_failed = retry_failed
            done = BatchPass(BatchNews())
            poll(client.client, store, done.news)
            outcomes = Extractor(store, client, settings, progress).extract(articles)
            requests = collector.requests
            if requests:
                progress(f"submitting {plural(len(requests), 'request')} as a batch")
            done.submitted = submit(client.client, store, requests, done.news)
    for outcome in outcomes:
        if outcome.saved:
            done.outcomes.append(outcome)
        elif outcome.error and _waits(outcome.error):
            done.waiting.append(outcome.article)
        else:
            done.unfinished.append(outcome)
    return done


def _waits(error: str) -> bool:
    """Whether an unfinished article's trouble is only that it waits for a batch."""
    return "(Batch API)" in error
