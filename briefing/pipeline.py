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

from .chunk import chunk_sentences
from .config import Settings
from .errors import BriefError, InputError
from .extract import (
    ChunkDrafts,
    extract_chunk,
    ground_positions,
    load_prompt,
    load_topics,
    schema_hash,
    summarize,
)
from .ingest import expand_paths, read_articles_report
from .llm import ModelClient, ModelError, ModelUnavailable, Usage
from .models import Article, ExtractionDraft, Position, SummaryDraft
from .render import Briefing, render_briefing
from .segment import split_sentences
from .store import Store

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
    try:
        files = expand_paths(list(paths))
    except InputError as exc:
        report.problems.append(str(exc))
        return report
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

    def is_done(self, article: Article) -> bool:
        found = self.store.get_extraction(
            article.id, self.client.model, self.prompt.id, self.schema_hash
        )
        return found is not None and found.status == "done"

    def positions_of(self, article: Article) -> tuple[list[Position], str | None]:
        found = self.store.get_extraction(
            article.id, self.client.model, self.prompt.id, self.schema_hash
        )
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
            return [self._extract_article(a) for a in pending]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(self._extract_article, pending))

    def _extract_article(self, article: Article) -> ArticleOutcome:
        sentences = self.store.sentences(article.id)
        chunks = chunk_sentences(
            article.text, sentences, self.settings.chunk_tokens, self.settings.chunk_overlap
        )
        usage = Usage()
        label = article.title or article.origin or article.id
        self.progress(f"extracting {label}: {len(sentences)} sentences, {len(chunks)} chunks")

        def run(chunk_index: int) -> list[ChunkDrafts] | ModelError:
            try:
                return extract_chunk(
                    self.client,
                    self.prompt,
                    self.topics,
                    article.text,
                    chunks[chunk_index],
                    usage,
                    self.settings.max_reasks,
                )
            except ModelError as exc:
                return exc

        # Articles run in parallel on a remote provider; one article's chunks run in order.
        results = [run(i) for i in range(len(chunks))]
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
        if transient:
            self.progress(f"  not finished, will retry next run: {error}")
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
            f"  {valid} positions, {len(positions) - valid} for review; {usage.calls} model calls"
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
) -> Briefing:
    """Extract what is pending for `day`, then render its briefing."""
    extractor = Extractor(store, client, settings, progress)
    articles = store.articles_on(day)
    unfinished = {o.article.id: o.error for o in extractor.extract(articles) if not o.saved}
    per_article: list[tuple[Article, list[Position], str | None]] = []
    for article in articles:
        positions, error = extractor.positions_of(article)
        if article.id in unfinished:
            error = f"not extracted yet ({unfinished[article.id]}); run the command again"
        per_article.append((article, positions, error))
    valid = [p for _, ps, _ in per_article for p in ps if p.valid]
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
    extraction_tokens = [
        store.get_extraction(a.id, client.model, extractor.prompt.id, extractor.schema_hash)
        for a in articles
    ]
    return render_briefing(
        day=day,
        per_article=per_article,
        summary_lines=summary_lines,
        summary_error=summary_error,
        summary_positions=valid,
        topics=extractor.topics,
        provider=", ".join(sorted({e.provider for e in extraction_tokens if e})) or client.provider,
        model=client.model,
        prompt_id=extractor.prompt.id,
        summary_prompt_id=extractor.summary_prompt.id,
        prompt_tokens=sum(e.prompt_tokens for e in extraction_tokens if e) + usage.prompt_tokens,
        completion_tokens=sum(e.completion_tokens for e in extraction_tokens if e)
        + usage.completion_tokens,
        other_dates=[d for d, _ in store.dates() if d],
    )


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BriefError(f"{value!r} is not a date: use YYYY-MM-DD, for example 2025-12-16") from None
