"""One unattended day, as `brief run` does it under cron or a systemd timer: fetch the feeds,
extract every pending article, generate the day's briefing and email it, once.

Safe to run again: one run at a time per `BRIEF_HOME` (a lock file); articles, model answers and
extractions already stored are not asked for again; a briefing already sent to a recipient is
not sent to them again, and one that changed since is sent only with `update`; a briefing in
which an article of the day failed extraction is never sent (the next complete run sends it). Every failure is
kept in the report and the run goes on where it can (a dead feed does not stop the briefing), so
the caller can exit non-zero and still have done the rest.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from briefing.config import Settings, load_smtp_settings
from briefing.deliver.files import default_briefing_path, save_briefing
from briefing.deliver.mail import Envelope, check_envelope, deliver_briefing
from briefing.errors import BriefError, CostRefused
from briefing.extract.batched import check_batch_provider, extract_by_batch
from briefing.extract.extractor import Ticker, no_ticks
from briefing.fetch import FetchPolicy, FetchReport, fetch, fetch_policy
from briefing.llm.client import ModelClient, open_client
from briefing.models import Article
from briefing.pipeline import Extractor, build_briefing
from briefing.progress import Progress, quiet
from briefing.store.check import damaged_message, store_problem
from briefing.store.database import Store
from briefing.store.lock import exclusive
from briefing.text.words import plural

# Called before anything is sent to the model, with the run's extractor and articles: raises
# CostRefused to stop the run (the cost guard of `brief run`, briefing.cli.cost).
Guard = Callable[[Extractor, list[Article]], object]


def default_day(settings: Settings, now: dt.datetime | None = None) -> dt.date:
    """Yesterday in the configured time zone (`timezone` in config.toml), else the machine's."""
    zone = zoneinfo.ZoneInfo(settings.timezone) if settings.timezone else None
    current = now or dt.datetime.now(dt.UTC)
    local = current.astimezone(zone) if zone else current.astimezone()
    return local.date() - dt.timedelta(days=1)


@contextmanager
def run_lock(home: Path) -> Iterator[None]:
    """Hold `home/run.lock` for the run; a second run meanwhile fails at once, saying so (see
    briefing.store.lock); `home/run.pid` names the holder."""
    with exclusive(
        home,
        "run",
        lambda holder: (
            f"another `brief run` is working on {home} (process {holder}); let it"
            " finish, or schedule runs further apart"
        ),
    ):
        yield


@dataclass
class RunReport:
    day: dt.date
    fetched: FetchReport | None = None  # None: no feeds configured
    extracted: int = 0  # articles extracted in this run
    briefing_path: Path | None = None
    articles: int = 0
    positions: int = 0
    sent_to: list[str] = field(default_factory=list)
    not_sent: str | None = None  # why nobody was sent the briefing, when nobody was
    problems: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    def summary(self) -> str:
        """The one line a cron mail or the journal shows."""
        parts = [f"brief run {self.day}:"]
        if self.fetched is not None:
            parts.append(f"fetched {len(self.fetched.added)} new articles,")
        parts.append(f"extracted {self.extracted},")
        parts.append(f"briefing of {self.articles} articles and {self.positions} positions,")
        if self.sent_to:
            parts.append(f"sent to {', '.join(self.sent_to)}")
        else:
            parts.append(f"not sent ({self.not_sent or 'nothing to send'})")
        if self.problems:
            parts.append(f"; {len(self.problems)} failed")
        return " ".join(parts)


def run_day(
    settings: Settings,
    day: dt.date,
    *,
    update: bool = False,
    policy: FetchPolicy | None = None,
    progress: Progress = quiet,
    ticker: Ticker = no_ticks,
    guard: Guard | None = None,
) -> RunReport:
    """Fetch, extract, generate and send `day`'s briefing; see the module docstring. Settings
    that make sending impossible, or a store SQLite's quick check finds damaged, fail before
    anything is fetched; `guard` may refuse the
    extraction before any request is sent (nothing is then extracted or sent)."""
    smtp = load_smtp_settings(settings)
    envelope = check_envelope(smtp, smtp.to, smtp.bcc, need_server=True)
    if settings.batch:
        check_batch_provider(settings)
    problem = store_problem(settings.store_path, quick=True)
    if problem is not None:
        raise BriefError(damaged_message(settings.store_path, problem))
    report = RunReport(day)
    with run_lock(settings.home), Store(settings.store_path) as store:
        if settings.feeds:
            policy = policy or fetch_policy(settings)
            report.fetched = fetch(store, settings.feeds, policy=policy, progress=progress)
            report.problems.extend(report.fetched.problems)
        with open_client(settings, store) as client:
            pending = _Pending(settings, store, client, progress, ticker, guard)
            waiting = _extract_pending(pending, report)
            if waiting is None:
                return report
            briefing = build_briefing(store, client, settings, day, progress, ticker=ticker)
        report.articles, report.positions = briefing.articles, briefing.positions
        report.briefing_path = default_briefing_path(settings.home, briefing)
        latest = store.latest_briefing(day)
        if (
            latest is None
            or latest.sha256 != briefing.sha256
            or not Path(latest.path or "").exists()
        ):
            save_briefing(store, briefing, report.briefing_path)
        if briefing.failed:
            _hold_partial(report, briefing.failed, briefing.articles, waiting)
            return report
        due, why = _due(store, day, briefing.sha256, envelope, update)
        if not due:
            report.not_sent = why
            return report
        try:
            delivery = deliver_briefing(
                store, smtp, day, envelope, update=update, progress=progress
            )
        except BriefError as exc:
            report.problems.append(f"send: {exc}")
            return report
        report.sent_to = delivery.sent_to
        report.problems.extend(f"send to {r}: {why}" for r, why in delivery.refused.items())
    return report


def _hold_partial(report: RunReport, failed: list[str], articles: int, waiting: int) -> None:
    """Say why a partial briefing is not sent. It never is, unattended: with the model down it
    would be empty, and the complete one would then wait for --update. The next run that
    extracts every article sends it, once."""
    if waiting:  # not a failure: the day waits for its batch, as it was told to
        report.not_sent = (
            f"{plural(waiting, 'article')} wait for the Batch API; the first run after the"
            " batch ends sends the briefing"
        )
        return
    report.not_sent = (
        f"{len(failed)} of {plural(articles, 'article')} of the day could not be extracted;"
        " the next complete run sends it"
    )
    if not report.problems:
        report.problems.append(f"partial briefing: {', '.join(failed)}")


@dataclass
class _Pending:
    """What extracting the day's pending articles needs."""

    settings: Settings
    store: Store
    client: ModelClient
    progress: Progress
    ticker: Ticker
    guard: Guard | None


def _extract_pending(pending: _Pending, report: RunReport) -> int | None:
    """Extract every pending article: live, after the cost guard (None: it refused the run, and
    nothing was asked), or with `batch` one Batch API pass (answers of ended batches taken in,
    the rest submitted). How many articles wait for a batch."""
    settings, store = pending.settings, pending.store
    waiting = 0
    if settings.batch:
        done = extract_by_batch(settings, store, store.all_articles(), pending.progress)
        for line in done.news.lines:
            pending.progress(line)
        report.problems.extend(f"batch: {problem}" for problem in done.news.problems)
        outcomes, waiting = done.outcomes + done.unfinished, len(done.waiting)
    else:
        extractor = Extractor(store, pending.client, settings, pending.progress, pending.ticker)
        articles = store.all_articles()
        try:
            if pending.guard is not None:
                pending.guard(extractor, articles)
        except CostRefused as exc:
            report.problems.append(str(exc))
            report.not_sent = "the run was refused before asking the model"
            return None
        outcomes = extractor.extract(articles)
    for outcome in outcomes:
        report.extracted += 1
        if outcome.error:
            label = outcome.article.url or outcome.article.origin
            report.problems.append(f"extract {label}: {outcome.error}")
    return waiting


def _due(
    store: Store, day: dt.date, sha256: str, envelope: Envelope, update: bool
) -> tuple[bool, str]:
    """Whether anyone is to get this briefing now, and if not, why not."""
    last: dict[str, str] = {}
    for sending in store.sendings(day):
        if sending.status == "sent":
            last[sending.recipient.lower()] = sending.briefing_sha256  # oldest first
    recipients = [a.addr_spec.lower() for a in envelope.recipients]
    if any(r not in last for r in recipients):
        return True, ""
    changed = [r for r in recipients if last[r] != sha256]
    if not changed:
        return False, "already sent to every recipient"
    if update:
        return True, ""
    return False, "it changed since it was sent; run with --update to send the new version"
