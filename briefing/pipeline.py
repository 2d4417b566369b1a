"""The units of work, wired together: ingest files, extract what is pending, build a day.

Each function takes the store and the model client it needs and reports progress through a
callback; none of them prints or exits (that is the CLI's job).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing.config import Settings
from briefing.errors import BriefError, InputError
from briefing.extract.extractor import Extractor, Ticker, no_ticks
from briefing.extract.roles import checked_role
from briefing.extract.topics import load_titles
from briefing.find import suspected_instructions
from briefing.ingest.articles import expand_paths, read_articles_report
from briefing.llm.client import ModelClient
from briefing.llm.cost import Estimate, estimate_requests
from briefing.models import Article, ArticleResult
from briefing.progress import Progress, quiet
from briefing.render.briefing import Briefing, BriefingInput, Provenance, render_briefing
from briefing.review.decisions import review_for_briefing
from briefing.store.database import Store
from briefing.text.segment import split_sentences
from briefing.track.tracking import track_positions, voices_heard_before


@dataclass
class IngestReport:
    added: list[Article] = field(default_factory=list)
    known: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # read, but not all of it (unknown fields)


def ingest(
    store: Store,
    paths: Sequence[Path],
    published: dt.date | None = None,
    progress: Progress = quiet,
) -> IngestReport:
    """Read and store articles; a bad file is reported and skipped, the others go in. Fields
    of front matter or JSON records that brief does not read are in the report's warnings."""
    report = IngestReport()
    files: list[Path] = []
    for given in paths:  # a missing path is one problem; the others are still read
        try:
            files.extend(expand_paths([given]))
        except InputError as exc:
            report.problems.append(str(exc))
            progress(f"skipped: {exc}")
    for path in files:
        try:
            articles, problems = read_articles_report(
                path, published=published, warn=report.warnings.append
            )
        except InputError as exc:
            report.problems.append(str(exc))
            progress(f"skipped: {exc}")
            continue
        report.problems.extend(problems)
        for problem in problems:
            progress(f"skipped: {problem}")
        for article in articles:
            if store.add_article(article, split_sentences(article.text)):
                report.added.append(article)
                progress(f"ingested {article.origin} as {article.id}")
            else:
                report.known.append(article)
                progress(f"already stored: {article.origin} ({article.id})")
    return report


def _extract_day(
    extractor: Extractor, store: Store, day: dt.date, history: bool, progress: Progress
) -> list[ArticleResult]:
    """Extract the day's pending articles (and, with `history`, the pending ones before it):
    each day's article with its positions and what went wrong, if anything."""
    articles = store.articles_on(day)
    unfinished = {o.article.id: o.error for o in extractor.extract(articles) if not o.saved}
    if history:
        pending = extractor.pending_before(day)
        if pending:
            progress(f"extracting {len(pending)} earlier articles, the history of {day}")
            extractor.extract(pending)
    results = []
    for article in articles:
        positions, error = extractor.positions_of(article)
        if article.id in unfinished:
            error = f"not extracted yet ({unfinished[article.id]}); run the command again"
        suspects = suspected_instructions(article.text)
        held = extractor.held_of(article)
        results.append(ArticleResult(article, positions, error, suspects, held))
    return results


def estimate_cost(extractor: Extractor, articles: Sequence[Article]) -> Estimate:
    """What `extractor.extract(articles)` would send to the model and cost, built and counted,
    nothing sent (`briefing.llm.cost`): the requests of the articles not extracted yet that the
    rules leave open and the cache does not answer. The extractor keeps what it found, so the
    extraction that follows does not find it again."""
    requests = ((r.messages, r.schema) for r in extractor.planned(articles))
    prices = extractor.settings.price_per_million_tokens
    return estimate_requests(extractor.client, extractor.store, requests, prices)


def articles_to_extract(extractor: Extractor, day: dt.date, history: bool = True) -> list[Article]:
    """The articles `build_briefing` extracts for `day`: the day's, and with `history` the
    pending ones before it."""
    articles = extractor.store.articles_on(day)
    if history:
        articles += extractor.pending_before(day)
    return articles


def build_briefing(
    store: Store,
    client: ModelClient,
    settings: Settings,
    day: dt.date,
    progress: Progress = quiet,
    *,
    history: bool = True,
    ticker: Ticker = no_ticks,
    extractor: Extractor | None = None,
) -> Briefing:
    """Extract what is pending for `day` and, with `history`, for the days before it (what is
    new or shifted is judged against them), then render the day's briefing. `extractor`: one
    that has counted the cost already (`estimate_cost`), else a new one."""
    extractor = extractor or Extractor(store, client, settings, progress, ticker)
    # The analysts' decisions: edits shown, rejected positions out, and with require_review
    # only reviewed positions briefed, before the summary so that it rests on those only.
    reviewed = review_for_briefing(
        store, _extract_day(extractor, store, day, history, progress), settings.require_review
    )
    per_article = reviewed.per_article
    # Roles the article does not give the speaker are left out of the briefing.
    valid = [checked_role(p, r.article.text) for r in per_article for p in r.positions if p.valid]
    # Tracking labels against what is stored, asking no model.
    tracked = track_positions(store, settings, per_article, valid)
    extractions = [extractor.extraction_of(r.article) for r in per_article]
    done = [e for e in extractions if e]
    provenance = Provenance(
        provider=", ".join(sorted({e.provider for e in done})) or client.provider,
        model=client.model,
        prompt_id=extractor.prompt_id,
        prompt_tokens=sum(e.prompt_tokens for e in done),
        completion_tokens=sum(e.completion_tokens for e in done),
    )
    return render_briefing(
        BriefingInput(
            day=day,
            articles=per_article,
            provenance=provenance,
            positions=valid,
            topics=extractor.topics,
            titles=load_titles(extractor.topics, settings.topics_file),
            propositions=extractor.propositions,
            other_dates=[d for d, _ in store.dates() if d],
            awaiting_review=reviewed.waiting,
            rejected=reviewed.rejected,
            require_review=settings.require_review,
            tracked=tracked,
            heard_before=voices_heard_before(store, list(tracked.values()), day),
        )
    )


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BriefError(
            f"{value!r} is not a date: use YYYY-MM-DD, for example 2025-12-16"
        ) from None
