"""What a statement is: when two reports are the same words said once, reported twice.

The one owner of that rule. A **statement** is what one actor said once, reported by one outlet
or several. A dated report with quotations joins a statement of the same actor when

* the statement's first report was said within `SAME_STATEMENT_DAYS` of it, and
* one of the statement's reports from *another* article shares a run of quoted words with it
  (`quotes_overlap`: six words, or the whole of a shorter quotation of at least three);

it joins the earliest such statement (the first reporter first); otherwise it starts one. An
undated report, or one without such quotations, is a statement of its own. So a statement spans
a few days: words repeated every week are a new statement each time, which reads as
"reiterated".

A statement's id is the position id of its first report: a report that sorts before the first
report of the statement it joins becomes its first, and when the first report leaves (its
article re-extracted) the next one takes over.

The rules are pure functions here; `index_reports` applies them to the store's tracking index,
which only reads and writes the rows asked for (briefing.store.index). Candidates are found by
the word triples the reports share, so the work grows with the statements that share words,
not with the store.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence

from briefing.models import Position
from briefing.store.database import IndexWriter, Store, TrackedReport

SAME_STATEMENT_DAYS = 3
SHARED_RUN = 6  # words two quotations must share (or all of a shorter one, if three or more)
CANDIDATES = 50  # statements looked at per new report, the earliest first


def compare_stances(earlier: Position, now: Position, topic_in_words: bool) -> str:
    """The label of a statement against the same voice's earlier one on the topic:
    "reiterated" for the same stance, "shifted" for another, and "again" when either stance is
    not a finding (no stance words, or unclear) or the two share the topic only by the model's
    word (`topic_in_words` False: the evidence of one names none of its keywords): a comparison
    never rests on a default stance or on the model's topic alone."""
    if not (earlier.stance_stated and now.stance_stated and topic_in_words):
        return "again"
    return "reiterated" if earlier.stance == now.stance else "shifted"


@functools.lru_cache(maxsize=8192)
def quote_words(text: str) -> list[str]:
    """A quotation's words as compared: punctuation, case and quotation marks do not count."""
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).replace("’", "'").casefold())


def quotes_overlap(a: Sequence[str], b: Sequence[str], run: int = SHARED_RUN) -> bool:
    """Whether two reports' quotations share a run of `run` words (or the whole of a shorter
    quotation of at least three words)."""
    for qa in a:
        for qb in b:
            wa, wb = quote_words(qa), quote_words(qb)
            n = min(run, len(wa), len(wb))
            if n < 3:
                continue
            grams = {tuple(wa[i : i + n]) for i in range(len(wa) - n + 1)}
            if any(tuple(wb[i : i + n]) in grams for i in range(len(wb) - n + 1)):
                return True
    return False


def word_triples(quotes: Sequence[str]) -> set[tuple[str, ...]]:
    """Every run of three words in the quotations. Quotations that overlap (a shared run of at
    least three words) share one of these, so looking them up finds every candidate."""
    found: set[tuple[str, ...]] = set()
    for quote in quotes:
        words = quote_words(quote)
        found.update(tuple(words[i : i + 3]) for i in range(len(words) - 2))
    return found


def gram_keys(quotes: Sequence[str]) -> list[int]:
    """`word_triples` as sorted 64-bit numbers: the keys the tracking index looks up."""
    return sorted({_key(triple) for triple in word_triples(quotes)})


def _key(words: Sequence[str]) -> int:
    digest = hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def window(said: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day a statement joined by a report said on `said` may start."""
    days = dt.timedelta(days=SAME_STATEMENT_DAYS)
    return said - days, said + days


def may_join(report: TrackedReport) -> bool:
    """Whether a report can join another's statement at all: dated, with word runs quoted."""
    return report.said is not None and bool(report.quotes) and bool(report.grams)


def joins(others_quotes: Sequence[Sequence[str]], quotes: Sequence[str]) -> bool:
    """Whether a report with `quotes` joins a statement (of its actor, within the window)
    whose reports from other articles quote `others_quotes`: `quotes_overlap` with any of
    them, each quotation's word runs made once."""
    mine = [(q, len(quote_words(q))) for q in quotes]
    for other in others_quotes:
        for qa in other:
            size = len(quote_words(qa))
            for qb, own in mine:
                n = min(SHARED_RUN, size, own)
                if n >= 3 and not _runs(qa, n).isdisjoint(_runs(qb, n)):
                    return True
    return False


@functools.lru_cache(maxsize=8192)
def _runs(text: str, n: int) -> frozenset[tuple[str, ...]]:
    """A quotation's runs of `n` words, kept for the quotations of the statements being
    joined: a statement reported many times is compared with every report that may join it."""
    words = quote_words(text)
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


# applying the rules to the store's tracking index ---------------------------------------------


def index_reports(store: Store, stamps: dict[str, str], reports: Sequence[TrackedReport]) -> None:
    """Re-index these articles (what each was built from: `stamps`) with their reports, in one
    transaction. Reports are taken in the order given: the caller gives them the first
    reporter first, one publication date at a time, so that each joins the statement the
    rules above put it in."""
    with store.reindexing(stamps) as rows:
        for article_id in stamps:
            unindex_article(rows, article_id)
        for report in reports:
            add_report(rows, report)


def unindex_article(rows: IndexWriter, article_id: str) -> None:
    """Take an article's reports out; a statement whose first report left gets its next report
    as its first (and id), or goes."""
    for old in rows.remove_article(article_id):
        following = rows.first_report(old)
        if following is None:
            rows.drop_grams(old)
        else:
            rows.rename(old, following.position_id, following.said)


def add_report(rows: IndexWriter, report: TrackedReport) -> int:
    """Index one report: it joins the earliest statement it belongs to, or starts one. Returns
    the id of its statement."""
    rows.insert(report, statement=report.position_id)
    if not may_join(report):
        return report.position_id
    assert report.said is not None
    statement, said = report.position_id, report.said
    low, high = window(report.said)
    for candidate in rows.candidates(report.grams, report.actor, low, high, CANDIDATES):
        assert candidate.said is not None  # statements with word runs are dated
        if not joins(rows.quotes_of(candidate.position_id, report.article_id), report.quotes):
            continue
        rows.join(report.position_id, candidate.position_id)
        statement, said = candidate.position_id, candidate.said
        if report.order < candidate.order:  # reported before the statement's first report
            rows.rename(candidate.position_id, report.position_id, report.said)
            statement, said = report.position_id, report.said
        break
    rows.add_grams(report.grams, report.actor, said, statement)
    return statement
