"""The units of work, wired together: ingest files, extract what is pending, build a day.

Each function takes the store and the model client it needs and reports progress through a
callback; none of them prints or exits (that is the CLI's job).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from briefing.text.chunk import chunk_sentences
from briefing.config import Settings
from briefing.errors import BriefError, InputError
from briefing.extract.drafts import (
    ChunkDrafts,
    checked_role,
    extract_chunk,
    ground_positions,
    load_prompt,
    load_topics,
    schema_hash,
    summarize,
)
from briefing.ingest.articles import expand_paths, read_articles_report
from briefing.llm.client import ModelClient, ModelError, ModelUnavailable, Usage
from briefing.models import (
    Article,
    ArticleResult,
    Chunk,
    ExtractionDraft,
    Position,
    Sentence,
    SummaryDraft,
)
from briefing.render.briefing import Briefing, BriefingInput, Provenance, render_briefing
from briefing.review.decisions import review_for_briefing
from briefing.text.segment import split_sentences
from briefing.store.database import Extraction, Store
from briefing.track.tracking import track_positions

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class IngestReport:
    added: list[Article] = field(default_factory=list)
    known: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def ingest(
    store: Store,
    paths: Sequence[Path],
    published: dt.date | None = None,
    progress: Progress = _quiet,
) -> IngestReport:
    """Read and store articles; a bad file is reported and skipped, the others go in."""
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
            articles, problems = read_articles_report(path, published=published)
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


@dataclass
class ArticleOutcome:
    article: Article
    positions: list[Position]
    usage: Usage
    error: str | None = None
    saved: bool = True


@dataclass
class _Job:
    """One article's extraction in progress: its chunks, and the usage its calls add up."""

    article: Article
    sentences: list[Sentence]
    chunks: list[Chunk]
    usage: Usage

    @property
    def label(self) -> str:
        return self.article.title or self.article.origin or self.article.id


@dataclass
class Extractor:
    """Extraction with one prompt, schema and model: the identity every stored result records."""

    store: Store
    client: ModelClient
    settings: Settings
    progress: Progress = _quiet

    def __post_init__(self) -> None:
        self.prompt = load_prompt("extract")
        self.summary_prompt = load_prompt("summary")
        self.schema_hash = schema_hash(ExtractionDraft)
        self.summary_schema_hash = schema_hash(SummaryDraft)
        self.topics = load_topics(self.settings.topics_file)

    def extraction_of(self, article: Article) -> Extraction | None:
        """The stored extraction of `article` by this model, prompt and schema, if any."""
        return self.store.get_extraction(
            article.id, self.client.model, self.prompt.id, self.schema_hash
        )

    def is_done(self, article: Article) -> bool:
        found = self.extraction_of(article)
        return found is not None and found.status == "done"

    def positions_of(self, article: Article) -> tuple[list[Position], str | None]:
        found = self.extraction_of(article)
        if found is None:
            return [], "not extracted yet"
        return self.store.positions(found.id), found.error

    def extract(self, articles: Sequence[Article]) -> list[ArticleOutcome]:
        """Extract every article not done yet. Model calls run `client.concurrency` at a time."""
        pending = [a for a in articles if not self.is_done(a)]
        if not pending:
            return []
        workers = max(1, min(self.client.concurrency, 64))
        if workers == 1:
            # One request at a time (the embedded model): article after article, each saved as
            # soon as its last chunk is answered.
            outcomes = []
            for article in pending:
                job = self._start(article)
                results = [self._run_chunk(job, i) for i in range(len(job.chunks))]
                outcomes.append(self._finish(job, results))
            return outcomes
        return self._extract_pooled(pending, workers)

    def _extract_pooled(self, pending: list[Article], workers: int) -> list[ArticleOutcome]:
        """The chunks of all pending articles share one pool of `workers` requests, so a day of
        a few long articles keeps as many requests in flight as a day of many short ones.
        Articles are still grounded and saved one by one, in order, each as soon as its own
        chunks are answered, with exactly the results the one-at-a-time path gives."""
        jobs = [self._start(article, announce=False) for article in pending]
        chunks = sum(len(job.chunks) for job in jobs)
        self.progress(f"extracting {len(jobs)} articles: {chunks} chunks, {workers} at a time")
        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            futures = [
                [pool.submit(self._run_chunk, job, i) for i in range(len(job.chunks))]
                for job in jobs
            ]
            outcomes = [
                self._finish(job, [f.result() for f in job_futures], named=True)
                for job, job_futures in zip(jobs, futures)
            ]
        except BaseException:
            # Ctrl-C or a bug: drop the queued chunks rather than asking the model for all of
            # them before stopping; the calls that finished are cached.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown()
        return outcomes

    def _start(self, article: Article, announce: bool = True) -> _Job:
        sentences = self.store.sentences(article.id)
        chunks = chunk_sentences(
            article.text,
            sentences,
            self.settings.chunk_budget(self.client.provider),
            self.settings.chunk_overlap,
        )
        job = _Job(article, sentences, chunks, Usage())
        if announce:
            self.progress(
                f"extracting {job.label}: {len(sentences)} sentences, {len(chunks)} chunks"
            )
        return job

    def _run_chunk(self, job: _Job, chunk_index: int) -> list[ChunkDrafts] | ModelError:
        try:
            return extract_chunk(
                self.client,
                self.prompt,
                self.topics,
                job.article.text,
                job.chunks[chunk_index],
                job.usage,
                self.settings.max_reasks,
            )
        except ModelError as exc:
            return exc

    def _finish(
        self, job: _Job, results: list[list[ChunkDrafts] | ModelError], named: bool = False
    ) -> ArticleOutcome:
        """Ground an article's chunk results (in chunk order) and save them in one transaction."""
        article, sentences, chunks, usage = job.article, job.sentences, job.chunks, job.usage
        failures = [(i, r) for i, r in enumerate(results) if isinstance(r, ModelError)]
        drafts = [d for r in results if not isinstance(r, ModelError) for d in r]
        positions = ground_positions(
            article,
            sentences,
            drafts,
            provider=self.client.provider,
            model=self.client.model,
            prompt_id=self.prompt.id,
            schema_hash=self.schema_hash,
        )
        error = _describe(failures, len(chunks))
        # No answer at all (time-out, unreachable, no recording) is not the article's fault:
        # leave it pending, with the finished calls cached, so the next run picks it up.
        transient = any(isinstance(exc, ModelUnavailable) for _, exc in failures)
        outcome = ArticleOutcome(article, positions, usage, error, saved=not transient)
        lead = f"{job.label}: " if named else "  "  # pooled: results come without their header
        if transient:
            self.progress(f"{lead}not finished, will retry next run: {error}")
            return outcome
        self.store.save_extraction(
            article.id,
            provider=self.client.provider,
            model=self.client.model,
            prompt_id=self.prompt.id,
            schema_hash=self.schema_hash,
            positions=positions,
            error=error,
            calls=usage.calls + usage.cached,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
        )
        valid = sum(p.valid for p in positions)
        self.progress(
            f"{lead}{valid} positions, {len(positions) - valid} for review;"
            f" {usage.calls} model calls"
            f" ({usage.cached} cached), {usage.prompt_tokens}+{usage.completion_tokens} tokens,"
            f" {usage.seconds:.1f}s" + (f"; problem: {error}" if error else "")
        )
        return outcome


def _describe(failures: list[tuple[int, ModelError]], chunks: int) -> str | None:
    """One line for the chunks that failed, saying the same thing once."""
    if not failures:
        return None
    messages: dict[str, list[int]] = {}
    for index, exc in failures:
        messages.setdefault(str(exc), []).append(index + 1)
    parts = []
    for message, numbers in messages.items():
        which = "chunk" if len(numbers) == 1 else "chunks"
        parts.append(f"{which} {', '.join(map(str, numbers))} of {chunks}: {message}")
    return "; ".join(parts)


def build_briefing(
    store: Store,
    client: ModelClient,
    settings: Settings,
    day: dt.date,
    progress: Progress = _quiet,
    *,
    history: bool = True,
) -> Briefing:
    """Extract what is pending for `day` and, with `history`, for the days before it (what is
    new or shifted is judged against them), then render the day's briefing."""
    extractor = Extractor(store, client, settings, progress)
    articles = store.articles_on(day)
    unfinished = {o.article.id: o.error for o in extractor.extract(articles) if not o.saved}
    if history:
        earlier = [a for a in store.all_articles() if a.published and a.published < day]
        pending = [a for a in earlier if not extractor.is_done(a)]
        if pending:
            progress(f"extracting {len(pending)} earlier articles, the history of {day}")
            extractor.extract(pending)
    per_article: list[ArticleResult] = []
    for article in articles:
        positions, error = extractor.positions_of(article)
        if article.id in unfinished:
            error = f"not extracted yet ({unfinished[article.id]}); run the command again"
        per_article.append(ArticleResult(article, positions, error))
    # The analysts' decisions: edits shown, rejected positions out, and with require_review
    # only reviewed positions briefed, before the summary so that it rests on those only.
    reviewed = review_for_briefing(store, per_article, settings.require_review)
    per_article = reviewed.per_article
    # Roles the article does not give the speaker are left out of the briefing (and so out of
    # the summary request): a small model guesses them.
    valid = [checked_role(p, r.article.text) for r in per_article for p in r.positions if p.valid]
    usage = Usage()
    summary_lines = []
    summary_error = None
    if valid:
        progress(f"writing the summary of {len(valid)} positions")
        try:
            summary_lines = summarize(
                client,
                extractor.summary_prompt,
                day.isoformat(),
                valid,
                "\n".join(a.text for a in articles),
                usage,
            )
        except ModelError as exc:
            summary_error = str(exc)
            progress(f"  summary unavailable: {exc}")
        if not summary_lines and summary_error is None:
            # There were positions to sum up; the model's sentences were all refused.
            summary_error = (
                "the model wrote no sentence that could be kept (each must cite a position and"
                " quote only words of its evidence); the positions below are unaffected"
            )
    # Tracking reads the positions only after the summary was asked for, so the recorded
    # summary request stays what it was; it labels against what is stored, asking no model.
    tracked = track_positions(store, settings, per_article, valid)
    extraction_tokens = [extractor.extraction_of(a) for a in articles]
    provenance = Provenance(
        provider=", ".join(sorted({e.provider for e in extraction_tokens if e})) or client.provider,
        model=client.model,
        prompt_id=extractor.prompt.id,
        summary_prompt_id=extractor.summary_prompt.id,
        prompt_tokens=sum(e.prompt_tokens for e in extraction_tokens if e) + usage.prompt_tokens,
        completion_tokens=sum(e.completion_tokens for e in extraction_tokens if e)
        + usage.completion_tokens,
    )
    return render_briefing(
        BriefingInput(
            day=day,
            articles=per_article,
            provenance=provenance,
            summary_lines=summary_lines,
            summary_error=summary_error,
            summary_positions=valid,
            topics=extractor.topics,
            other_dates=[d for d, _ in store.dates() if d],
            awaiting_review=reviewed.waiting,
            rejected=reviewed.rejected,
            tracked=tracked,
        )
    )


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BriefError(f"{value!r} is not a date: use YYYY-MM-DD, for example 2025-12-16") from None
