"""Extraction of stored articles: find the attributions, have the model label them, ground, save.

One `Extractor` is one identity (model, label prompt, finder rules, schema): every stored
extraction records it, and an article counts as done only for the identity that extracted it.
The unit of work is an article: its candidates are labelled (one small request each, the
instructions a fixed prefix that llama.cpp keeps in its cache), then its positions are grounded
and saved in one transaction. An interrupted run loses nothing: every answer is cached as it
arrives, and the next run asks the model only what is missing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.resources
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from briefing.config import Settings
from briefing.errors import ModelError, ModelUnavailable
from briefing.extract.ground import Identity, ground_candidates, named_speaker, speaker_names
from briefing.extract.items import LabelItem, items_from_candidates, load_propositions
from briefing.extract.label import (
    LabelConfig,
    LabelFailure,
    LabelRequest,
    LabelResult,
    answer_schema,
    label_candidates,
    plan_labels,
    without_sides,
)
from briefing.extract.prompts import load_prompt, load_topics, schema_hash
from briefing.extract.stance import DEFAULT_LEXICON
from briefing.extract.topics import DEFAULT_TOPICS, load_keywords, load_sideless
from briefing.extract.worth import not_a_position
from briefing.extract.worth_rules import DEFAULT_RULES as POSITION_RULES
from briefing.find import Candidate, find_attributions
from briefing.llm.client import ModelClient
from briefing.models import Article, Position, Sentence, Usage
from briefing.progress import Progress, quiet
from briefing.store.database import Extraction, Store
from briefing.text.words import plural

# What decides an extraction besides the prompt: the finder's code and word lists, and the rules
# that set candidates aside and read stance and topic without the model.
_RULE_CODE = tuple(
    ("briefing.extract", name)
    for name in (
        "worth.py",
        "worth_rules.py",
        "narration.py",
        "stance.py",
        "target.py",
        "lexicon.py",
        "readings.py",
        "phrases.py",
        "topics.py",
        "items.py",
        "label.py",
        "ground.py",
    )
)
_RULE_DATA = (POSITION_RULES, DEFAULT_LEXICON)


@functools.cache
def rules_fingerprint(topics_file: Path | None = None) -> str:
    """A hash of everything besides the prompt that decides what an extraction gives: the
    finder's code and word lists, the position, stance and topic rules, the topic list. New
    rules give other positions, so an extraction made with other rules is not this one (and the
    next run extracts again)."""
    digest = hashlib.sha256()
    folder = importlib.resources.files("briefing.find")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".py", ".toml")):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    for package, name in _RULE_CODE:
        code = (importlib.resources.files(package) / name).read_bytes()
        digest.update(f"{package}/{name}".encode() + b"\0" + code)
    for path in (*_RULE_DATA, topics_file or DEFAULT_TOPICS):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Tick:
    """How far an `extract` call is, for a progress bar: sent after every labelled candidate."""

    articles_done: int
    articles: int
    candidates_done: int
    candidates: int
    prompt_tokens: int
    completion_tokens: int
    requests: int = 0  # sent to the model (not answered from the cache), for a rate


Ticker = Callable[[Tick], None]


def no_ticks(_: Tick) -> None:
    pass


@dataclass
class ArticleOutcome:
    article: Article
    positions: list[Position]
    usage: Usage
    error: str | None = None
    saved: bool = True
    held: str | None = None  # held for review unasked: too many candidates


@dataclass
class _Job:
    """One article's extraction in progress: its candidates and what labelling them cost."""

    article: Article
    sentences: list[Sentence]
    candidates: list[Candidate]
    items: list[LabelItem]
    names: list[str]
    usage: Usage = field(default_factory=Usage)
    held: str | None = None  # why it is held for review without asking the model
    kept: set[int] = field(default_factory=set)  # ids of `candidates` found worth asking about

    @property
    def label(self) -> str:
        return self.article.title or self.article.origin or self.article.id

    def not_a_position(self, text: str, candidate: Candidate) -> str | None:
        """`worth.not_a_position`, read once for a candidate that passed it when found."""
        return None if id(candidate) in self.kept else not_a_position(text, candidate)


@dataclass
class Extractor:
    """Extraction with one model, label prompt, finder and schema."""

    store: Store
    client: ModelClient
    settings: Settings
    progress: Progress = quiet
    ticker: Ticker = no_ticks

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._progress = Tick(0, 0, 0, 0, 0, 0)  # of the running `extract` call
        # Articles found by `planned`, kept for `extract` so that the finder runs once.
        self._found: dict[str, _Job] = {}
        self.label_prompt = load_prompt("label")
        self.topics = load_topics(self.settings.topics_file)
        self.propositions = load_propositions(self.topics, self.settings.topics_file)
        self.keywords = load_keywords(self.settings.topics_file)
        self.sideless = load_sideless(self.settings.topics_file)
        # How to ask is LabelConfig's measured defaults, but for the re-asks, which are a setting.
        config = self.label_config = LabelConfig(
            max_reasks=self.settings.max_reasks, guess_speakers=self.settings.guess_speakers
        )
        self.schema_hash = schema_hash(
            answer_schema(
                tuple(self.topics), (), config.stance_from == "model", False, config.summary
            )
        )
        # The rules are part of what an extraction is: new rules, new positions. So is the cap on
        # candidates, which decides whether an article is extracted at all: raising it extracts
        # again (from the cache) and so reaches the articles it held.
        rules = rules_fingerprint(self.settings.topics_file)
        self.prompt_id = hashlib.sha256(
            f"{self.label_prompt.id}:{rules}:{self.settings.max_candidates}"
            f"{':guess' if config.guess_speakers else ''}".encode()
        ).hexdigest()[:12]
        self.identity = Identity(
            self.client.provider, self.client.model, self.prompt_id, self.schema_hash
        )

    def extraction_of(self, article: Article) -> Extraction | None:
        """The stored extraction of `article` by this identity, if any."""
        return self.store.get_extraction(
            article.id, self.client.model, self.prompt_id, self.schema_hash
        )

    def is_done(self, article: Article) -> bool:
        found = self.extraction_of(article)
        return found is not None and found.status == "done"

    def pending_before(self, day: dt.date) -> list[Article]:
        """The articles dated before `day` that this identity has not extracted yet."""
        return self.store.articles_pending_before(
            day, self.client.model, self.prompt_id, self.schema_hash
        )

    def positions_of(self, article: Article) -> tuple[list[Position], str | None]:
        found = self.extraction_of(article)
        if found is None:
            return [], "not extracted yet"
        return self.store.positions(found.id), found.failure

    def held_of(self, article: Article) -> str | None:
        """Why `article` was held for review without asking the model, if it was."""
        found = self.extraction_of(article)
        return found.held if found is not None else None

    def extract(self, articles: Sequence[Article]) -> list[ArticleOutcome]:
        """Extract every article not done yet, each saved as soon as it is labelled. Requests
        run `client.concurrency` at a time (one at a time for the embedded model)."""
        pending = [a for a in articles if not self.is_done(a)]
        if not pending:
            return []
        workers = max(1, min(self.client.concurrency, 64))
        jobs = [self._found.pop(a.id) if a.id in self._found else self._start(a) for a in pending]
        total = sum(len(job.items) for job in jobs)
        self._progress = Tick(0, len(jobs), 0, total, 0, 0)
        self._tick()
        self.progress(f"labelling {plural(total, 'candidate')} in {plural(len(jobs), 'article')}")
        if workers == 1:
            return [
                self._finish(job, [self._label(job, i) for i in range(len(job.items))])
                for job in jobs
            ]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                [pool.submit(self._label, job, i) for i in range(len(job.items))] for job in jobs
            ]
            try:
                return [
                    self._finish(job, [f.result() for f in fs])
                    for job, fs in zip(jobs, futures, strict=True)
                ]
            except BaseException:
                # Ctrl-C or a bug: drop the queued requests rather than sending them all first.
                pool.shutdown(wait=True, cancel_futures=True)
                raise

    def _start(self, article: Article) -> _Job:
        sentences = self.store.sentences(article.id)
        # What is no one's position by its structure is never sent (briefing.extract.worth); a
        # speaker that names no one is left for the model to choose (briefing.extract.ground).
        text = article.text
        found = [c for c in find_attributions(text) if not_a_position(text, c) is None]
        candidates = [named_speaker(c) for c in found]
        cap = self.settings.max_candidates
        if len(candidates) > cap:
            # A page this full of statements (a 1.9 MB page had 3,431) would cost a request each:
            # it is held for review instead, and the other articles go on.
            held = (
                f"held for review, not sent to the model: {len(candidates):,} candidate"
                f" statements, more than max_candidates ({cap}); raise max_candidates in"
                " config.toml to extract it"
            )
            return _Job(article, sentences, [], [], [], held=held)
        items = items_from_candidates(article.text, sentences, candidates)
        kept = {id(c) for c, named in zip(found, candidates, strict=True) if named is c}
        return _Job(article, sentences, candidates, items, speaker_names(candidates), kept=kept)

    def planned(self, articles: Sequence[Article]) -> Iterator[LabelRequest]:
        """The requests `extract(articles)` sends first, built but not sent: one per candidate
        the rules leave open, in the order they are sent (re-asks after an invalid answer are
        not known before). Whether one is answered from the cache is the caller's to check.
        What the finder found is kept for `extract` to use."""
        for article in articles:
            if self.is_done(article):
                continue
            job = self._found[article.id] = self._found.get(article.id) or self._start(article)
            for item in job.items:
                plan = plan_labels(
                    self.label_prompt,
                    self.topics,
                    self.propositions,
                    [item],
                    _names_for(job, item),
                    keywords=self.keywords,
                )
                yield from plan.requests

    def _label(self, job: _Job, index: int) -> LabelResult | ModelError:
        item = job.items[index]
        names = _names_for(job, item)
        try:
            result = label_candidates(
                self.client,
                self.label_prompt,
                self.topics,
                self.propositions,
                [item],
                names,
                config=self.label_config,
                keywords=self.keywords,
            )
        except ModelError as exc:
            self._tick(candidates=1, usage=exc.usage)
            return exc
        job.usage.add(result.usage)
        self._tick(candidates=1, usage=result.usage)
        result.labels = {k: without_sides(v, self.sideless) for k, v in result.labels.items()}
        return result

    def _tick(self, articles: int = 0, candidates: int = 0, usage: Usage | None = None) -> None:
        with self._lock:
            now = self._progress
            tick = self._progress = dataclasses.replace(
                now,
                articles_done=now.articles_done + articles,
                candidates_done=now.candidates_done + candidates,
                prompt_tokens=now.prompt_tokens + (usage.prompt_tokens if usage else 0),
                completion_tokens=now.completion_tokens + (usage.completion_tokens if usage else 0),
                requests=now.requests + (usage.calls if usage else 0),
            )
        self.ticker(tick)

    def _finish(self, job: _Job, results: list[LabelResult | ModelError]) -> ArticleOutcome:
        """Ground an article's labels and save them in one transaction."""
        self._tick(articles=1)
        if job.held is not None:
            return self._hold(job)
        merged = LabelResult()
        errors: list[ModelError] = []
        for item, result in zip(job.items, results, strict=True):
            if isinstance(result, ModelError):
                errors.append(result)
                if result.usage is not None:
                    job.usage.add(result.usage)
                merged.failures.append(LabelFailure(item.id, str(result)))
                continue
            merged.labels.update(result.labels)
            merged.failures.extend(result.failures)
        positions = ground_candidates(
            job.article, job.sentences, job.candidates, merged, self.identity, job.not_a_position
        )
        error = _describe([f.reason for f in merged.failures], len(job.items))
        usage = job.usage
        # No answer at all (time-out, unreachable, no recording) is not the article's fault:
        # leave it pending, the finished calls cached, so the next run picks it up.
        if any(isinstance(exc, ModelUnavailable) for exc in errors):
            self.progress(f"{job.label}: not finished, will retry next run: {error}")
            return ArticleOutcome(job.article, positions, usage, error, saved=False)
        self._save(job, positions, error, usage)
        valid = sum(p.valid for p in positions)
        self.progress(
            f"{job.label}: {plural(len(job.candidates), 'candidate')},"
            f" {plural(valid, 'position')}, {len(positions) - valid} for review;"
            f" {plural(usage.calls, 'model call')} ({usage.cached} cached),"
            f" {usage.prompt_tokens}+{usage.completion_tokens} tokens, {usage.seconds:.1f}s"
            + (f"; problem: {error}" if error else "")
        )
        return ArticleOutcome(job.article, positions, usage, error)

    def _hold(self, job: _Job) -> ArticleOutcome:
        """Save an article held for review unasked: done, no positions, the reason kept."""
        self._save(job, [], None, Usage(), held=job.held)
        self.progress(f"{job.label}: {job.held}")
        return ArticleOutcome(job.article, [], job.usage, held=job.held)

    def _save(
        self,
        job: _Job,
        positions: list[Position],
        error: str | None,
        usage: Usage,
        held: str | None = None,
    ) -> None:
        """Store an article's extraction under this extractor's identity, with what it cost."""
        self.store.save_extraction(
            job.article.id,
            provider=self.client.provider,
            model=self.client.model,
            prompt_id=self.prompt_id,
            schema_hash=self.schema_hash,
            positions=positions,
            error=error,
            calls=usage.calls + usage.cached,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            held=held,
        )


def _names_for(job: _Job, item: LabelItem) -> list[str]:
    """The article's names the model may choose among: only for a candidate with no speaker."""
    return job.names if item.speaker is None else []


def _describe(reasons: list[str], candidates: int) -> str | None:
    """One line for the candidates that could not be labelled, saying each reason once."""
    if not reasons:
        return None
    counts: dict[str, int] = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    return "; ".join(
        f"{count} of {plural(candidates, 'candidate')} not labelled: {reason}"
        for reason, count in counts.items()
    )
