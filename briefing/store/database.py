"""The SQLite store: the only module that touches the database.

One file in `BRIEF_HOME`, WAL journal, schema migrations as numbered steps applied in order and
recorded in `PRAGMA user_version`. Each unit of work (one article ingested, one model call cached,
one article's positions written with its extraction record) is one transaction, so a run that is
killed loses at most the unit in progress and the next run resumes from there.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from briefing.errors import BriefError
from briefing.models import Article, DateStatus, Position, Sentence

MIGRATIONS: list[str] = [
    # 1: the core tables
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        title TEXT,
        source TEXT,
        url TEXT,
        language TEXT,
        published TEXT,
        date_status TEXT NOT NULL,
        text TEXT NOT NULL,
        removed TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE TABLE sentences (
        article_id TEXT NOT NULL REFERENCES articles(id),
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    );
    CREATE TABLE llm_calls (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        request TEXT NOT NULL,
        response TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        latency REAL NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE extractions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt_id TEXT NOT NULL,
        schema_hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
        error TEXT,
        calls INTEGER NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (article_id, model, prompt_id, schema_hash)
    );
    CREATE TABLE positions (
        id INTEGER PRIMARY KEY,
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id),
        speaker TEXT NOT NULL,
        role TEXT NOT NULL,
        topic TEXT NOT NULL,
        stance TEXT NOT NULL,
        summary TEXT NOT NULL,
        kind TEXT NOT NULL,
        evidence TEXT NOT NULL,
        spans TEXT NOT NULL,
        quotes TEXT NOT NULL,
        valid INTEGER NOT NULL,
        reason TEXT,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt_id TEXT NOT NULL,
        schema_hash TEXT NOT NULL
    );
    CREATE INDEX positions_article ON positions(article_id);
    CREATE INDEX positions_extraction ON positions(extraction_id);
    CREATE TABLE briefings (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        path TEXT,
        created_at TEXT NOT NULL
    );
    """,
    # 2: what each generated briefing counts (for the email subject) and every email sent
    """
    ALTER TABLE briefings ADD COLUMN counts TEXT;
    CREATE TABLE sendings (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        briefing_sha256 TEXT NOT NULL,
        recipient TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('sent', 'refused')),
        server_reply TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sent_at TEXT NOT NULL
    );
    CREATE INDEX sendings_date_recipient ON sendings(date, recipient);
    """,
    # 3: analysts' review. `reviews` is the history (every decision, never updated); `decisions`
    # is the standing state, keyed by the evidence rather than by a position id so that it stays
    # attached to the same sentences and speaker when the article is extracted again.
    """
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        position_id INTEGER,
        article_id TEXT NOT NULL REFERENCES articles(id),
        evidence TEXT NOT NULL,
        speaker TEXT NOT NULL,
        action TEXT NOT NULL
            CHECK (action IN ('approve', 'reject', 'edit', 'import', 'dismiss')),
        changes TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        note TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX reviews_article ON reviews(article_id);
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        evidence TEXT NOT NULL,
        speaker_key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'edited')),
        base TEXT NOT NULL,
        edits TEXT NOT NULL,
        edited_by TEXT,
        review_id INTEGER NOT NULL REFERENCES reviews(id),
        dismissed INTEGER NOT NULL DEFAULT 0,
        UNIQUE (article_id, evidence, speaker_key)
    );
    """,
    # 4: the tracking index (briefing.track.tracking): what each usable position is for tracking (actor,
    # topic, statement date, the statement it belongs to) and each statement's word runs, so
    # that a day's briefing reads a few rows instead of the whole history. Derived data: it is
    # rebuilt from the tables above whenever an article's extraction, its reviews or the alias
    # and keyword rules change (`tracked_state` holds what each article was indexed from).
    """
    CREATE TABLE tracked (
        position_id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        voice TEXT NOT NULL,
        topic TEXT NOT NULL,
        stance TEXT NOT NULL,
        said TEXT,
        ord TEXT NOT NULL,
        outlet TEXT NOT NULL,
        quotes TEXT NOT NULL,
        statement INTEGER NOT NULL
    );
    CREATE INDEX tracked_article ON tracked(article_id);
    CREATE INDEX tracked_statement ON tracked(statement);
    CREATE INDEX tracked_line ON tracked(voice, topic, said, ord);
    CREATE INDEX tracked_actor ON tracked(actor);
    CREATE TABLE tracked_grams (
        gram INTEGER NOT NULL,
        actor TEXT NOT NULL,
        said TEXT NOT NULL,
        statement INTEGER NOT NULL,
        UNIQUE (statement, gram)
    );
    CREATE INDEX tracked_grams_lookup ON tracked_grams(gram, actor, said);
    CREATE TABLE tracked_state (
        article_id TEXT PRIMARY KEY,
        stamp TEXT NOT NULL
    );
    """,
]


@dataclass(frozen=True)
class TrackedReport:
    """A usable position as the tracking index keeps it (see briefing.track.tracking)."""

    position_id: int
    article_id: str
    actor: str
    voice: str
    topic: str
    stance: str
    said: dt.date | None
    order: str  # sorts reports the first reporter first
    outlet: str
    quotes: list[str]
    grams: list[int]  # the quotations' word runs: looked up, then stored with its statement


@dataclass(frozen=True)
class CachedCall:
    key: str
    model: str
    request: dict[str, Any]
    response: dict[str, Any]
    prompt_tokens: int
    completion_tokens: int
    latency: float


@dataclass(frozen=True)
class Extraction:
    id: int
    article_id: str
    provider: str
    model: str
    prompt_id: str
    schema_hash: str
    status: str
    error: str | None
    calls: int
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class StoredBriefing:
    date: dt.date
    sha256: str
    path: str | None
    created_at: str
    counts: dict[str, int] | None  # None for briefings generated before counts were kept


@dataclass(frozen=True)
class Sending:
    """One recipient of one email."""

    date: dt.date
    briefing_sha256: str
    recipient: str
    status: str  # 'sent' or 'refused'
    server_reply: str
    message_id: str
    sent_at: str


@dataclass(frozen=True)
class ReviewRecord:
    """One entry of the review history: who did what to which position, when and why."""

    id: int
    position_id: int | None
    article_id: str
    evidence: list[int]
    speaker: str
    action: str  # approve, reject, edit, import or dismiss
    changes: dict[str, list[Any]]  # field: [old, new]; "status" too when it changed
    reviewer: str
    note: str | None
    created_at: str


@dataclass(frozen=True)
class Decision:
    """The standing review of the positions with this evidence and speaker in an article.

    `base` holds the model's values the analyst saw when deciding, `edits` the analyst's values
    for the fields they changed; the reviewer, note and time are those of the latest entry.
    """

    id: int
    article_id: str
    evidence: list[int]
    speaker_key: str
    status: str
    base: dict[str, Any]
    edits: dict[str, Any]
    edited_by: str | None
    dismissed: bool
    review_id: int
    reviewer: str
    note: str | None
    decided_at: str


@dataclass(frozen=True)
class DecisionChange:
    """A decision to store with its history entry (see `Store.save_decisions`)."""

    position_id: int | None
    article_id: str
    evidence: list[int]
    speaker: str
    speaker_key: str
    status: str
    base: dict[str, Any]
    edits: dict[str, Any]
    edited_by: str | None
    action: str
    changes: dict[str, list[Any]]
    reviewer: str
    note: str | None
    dismissed: bool = False
    replaces: int | None = None  # a decision this one supersedes (matched by edited evidence)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """A connection to the store. Safe to share between threads: writes are serialised."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                path, check_same_thread=False, isolation_level=None, timeout=30
            )
        except (OSError, sqlite3.Error) as exc:
            raise BriefError(
                f"cannot open the store at {path} ({exc}): set BRIEF_HOME to a writable folder"
            ) from exc
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise BriefError(
                f"the store at {self.path} was written by a newer brief (schema {version}): "
                "upgrade brief or point BRIEF_HOME elsewhere"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction() as db:
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    # articles -----------------------------------------------------------------------------

    def add_article(self, article: Article, sentences: list[Sentence]) -> bool:
        """Store an article and its sentences; False when the same text is already stored."""
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                return False
            db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.id,
                    article.origin,
                    article.title,
                    article.source,
                    article.url,
                    article.language,
                    article.published.isoformat() if article.published else None,
                    article.date_status.value,
                    article.text,
                    json.dumps(article.removed, ensure_ascii=False),
                    _now(),
                ),
            )
            db.executemany(
                "INSERT INTO sentences VALUES (?, ?, ?, ?)",
                [(article.id, s.index, s.start, s.end) for s in sentences],
            )
            return True

    def get_article(self, article_id: str) -> Article | None:
        row = self._db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def articles_on(self, day: dt.date) -> list[Article]:
        rows = self._db.execute(
            "SELECT * FROM articles WHERE published = ? ORDER BY origin, id", (day.isoformat(),)
        ).fetchall()
        return [_article(r) for r in rows]

    def all_articles(self) -> list[Article]:
        rows = self._db.execute("SELECT * FROM articles ORDER BY published, origin, id")
        return [_article(r) for r in rows]

    def dates(self) -> list[tuple[str | None, int]]:
        rows = self._db.execute(
            "SELECT published, count(*) FROM articles GROUP BY published ORDER BY published"
        )
        return [(r[0], r[1]) for r in rows]

    def sentences(self, article_id: str, indexes: Sequence[int] | None = None) -> list[Sentence]:
        """The article's sentences, or only those with these numbers."""
        if indexes is None:
            rows = self._db.execute(
                "SELECT idx, start, end FROM sentences WHERE article_id = ? ORDER BY idx",
                (article_id,),
            )
        else:
            wanted = list(indexes)
            marks = ",".join("?" * len(wanted))
            rows = self._db.execute(
                "SELECT idx, start, end FROM sentences WHERE article_id = ?"
                f" AND idx IN ({marks}) ORDER BY idx",
                (article_id, *wanted),
            )
        # Rows the store wrote itself: built without re-validating three integers each.
        return [Sentence.model_construct(index=r[0], start=r[1], end=r[2]) for r in rows]

    # model calls ----------------------------------------------------------------------------

    def get_call(self, key: str) -> CachedCall | None:
        row = self._db.execute("SELECT * FROM llm_calls WHERE key = ?", (key,)).fetchone()
        return _call(row) if row else None

    def put_call(self, call: CachedCall) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO llm_calls VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    call.key,
                    call.model,
                    json.dumps(call.request, sort_keys=True, ensure_ascii=False),
                    json.dumps(call.response, sort_keys=True, ensure_ascii=False),
                    call.prompt_tokens,
                    call.completion_tokens,
                    call.latency,
                    _now(),
                ),
            )

    def calls(self) -> Iterator[CachedCall]:
        for row in self._db.execute("SELECT * FROM llm_calls ORDER BY key"):
            yield _call(row)

    # extractions and positions --------------------------------------------------------------

    def get_extraction(
        self, article_id: str, model: str, prompt_id: str, schema_hash: str
    ) -> Extraction | None:
        row = self._db.execute(
            "SELECT * FROM extractions WHERE article_id = ? AND model = ? AND prompt_id = ?"
            " AND schema_hash = ?",
            (article_id, model, prompt_id, schema_hash),
        ).fetchone()
        return _extraction(row) if row else None

    def save_extraction(
        self,
        article_id: str,
        *,
        provider: str,
        model: str,
        prompt_id: str,
        schema_hash: str,
        positions: list[Position],
        error: str | None,
        calls: int,
        prompt_tokens: int,
        completion_tokens: int,
    ) -> int:
        """Replace the extraction of an article by this model and prompt, with its positions,
        in one transaction: either all of it is stored or none of it."""
        with self.transaction() as db:
            db.execute(
                "DELETE FROM extractions WHERE article_id = ? AND model = ? AND prompt_id = ?"
                " AND schema_hash = ?",
                (article_id, model, prompt_id, schema_hash),
            )
            cursor = db.execute(
                "INSERT INTO extractions (article_id, provider, model, prompt_id, schema_hash,"
                " status, error, calls, prompt_tokens, completion_tokens, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    provider,
                    model,
                    prompt_id,
                    schema_hash,
                    "failed" if error else "done",
                    error,
                    calls,
                    prompt_tokens,
                    completion_tokens,
                    _now(),
                ),
            )
            extraction_id = int(cursor.lastrowid or 0)
            for p in positions:
                db.execute(
                    "INSERT INTO positions (extraction_id, article_id, speaker, role, topic,"
                    " stance, summary, kind, evidence, spans, quotes, valid, reason, provider,"
                    " model, prompt_id, schema_hash)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        extraction_id,
                        p.article_id,
                        p.speaker,
                        p.role,
                        p.topic,
                        p.stance,
                        p.summary,
                        p.kind,
                        json.dumps(p.evidence),
                        json.dumps(p.spans),
                        json.dumps(p.quotes, ensure_ascii=False),
                        int(p.valid),
                        p.reason,
                        p.provider,
                        p.model,
                        p.prompt_id,
                        p.schema_hash,
                    ),
                )
            return extraction_id

    def positions(self, extraction_id: int) -> list[Position]:
        rows = self._db.execute(
            "SELECT * FROM positions WHERE extraction_id = ? ORDER BY id", (extraction_id,)
        )
        return [_position(r) for r in rows]

    def count(self, table: str) -> int:
        if table not in {"articles", "sentences", "llm_calls", "extractions", "positions"}:
            raise ValueError(table)
        return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # briefings ------------------------------------------------------------------------------

    def forget_extractions(self) -> None:
        """Drop every extraction and position, keeping the model answers: the next run
        re-extracts from the cache without asking a model (used to re-record fixtures)."""
        with self.transaction() as db:
            db.execute("DELETE FROM positions")
            db.execute("DELETE FROM extractions")

    def record_briefing(
        self,
        day: dt.date,
        sha256: str,
        path: str | None,
        counts: dict[str, int] | None = None,
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO briefings (date, sha256, path, created_at, counts)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    day.isoformat(),
                    sha256,
                    path,
                    _now(),
                    json.dumps(counts, sort_keys=True) if counts is not None else None,
                ),
            )

    def latest_briefing(self, day: dt.date) -> StoredBriefing | None:
        """The briefing most recently generated for `day`, or None."""
        row = self._db.execute(
            "SELECT * FROM briefings WHERE date = ? ORDER BY id DESC LIMIT 1", (day.isoformat(),)
        ).fetchone()
        if row is None:
            return None
        return StoredBriefing(
            date=dt.date.fromisoformat(row["date"]),
            sha256=row["sha256"],
            path=row["path"],
            created_at=row["created_at"],
            counts=json.loads(row["counts"]) if row["counts"] else None,
        )

    # sendings -------------------------------------------------------------------------------

    def record_sending(
        self,
        day: dt.date,
        sha256: str,
        message_id: str,
        outcomes: list[tuple[str, str, str]],
    ) -> None:
        """Record one email: (recipient, status 'sent' or 'refused', server reply) each, in one
        transaction so that a sending is either recorded whole or not at all."""
        sent_at = _now()
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO sendings (date, briefing_sha256, recipient, status, server_reply,"
                " message_id, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (day.isoformat(), sha256, recipient, status, reply, message_id, sent_at)
                    for recipient, status, reply in outcomes
                ],
            )

    def sendings(self, day: dt.date | None = None) -> list[Sending]:
        """Every recorded recipient of every email, oldest first; only `day`'s when given."""
        query = "SELECT * FROM sendings"
        args: tuple[str, ...] = ()
        if day is not None:
            query += " WHERE date = ?"
            args = (day.isoformat(),)
        rows = self._db.execute(query + " ORDER BY id", args).fetchall()
        return [
            Sending(
                date=dt.date.fromisoformat(r["date"]),
                briefing_sha256=r["briefing_sha256"],
                recipient=r["recipient"],
                status=r["status"],
                server_reply=r["server_reply"],
                message_id=r["message_id"],
                sent_at=r["sent_at"],
            )
            for r in rows
        ]

    # reviews --------------------------------------------------------------------------------

    def get_position(self, position_id: int) -> Position | None:
        row = self._db.execute("SELECT * FROM positions WHERE id = ?", (position_id,)).fetchone()
        return _position(row) if row else None

    def latest_positions(self, article_id: str) -> list[Position]:
        """The positions of the article's most recent extraction: the ones under review."""
        rows = self._db.execute(
            "SELECT * FROM positions WHERE extraction_id ="
            " (SELECT max(id) FROM extractions WHERE article_id = ?) ORDER BY id",
            (article_id,),
        )
        return [_position(r) for r in rows]

    def tracking_sources(self) -> list[tuple[str, str, str | None]]:
        """For every article: what its tracking rows must be built from (its latest extraction
        and latest review, as text) and what they were built from (None: never indexed)."""
        rows = self._db.execute(
            "SELECT a.id, (SELECT max(id) FROM extractions e WHERE e.article_id = a.id) AS ex,"
            " (SELECT max(id) FROM reviews r WHERE r.article_id = a.id) AS rv, s.stamp"
            " FROM articles a LEFT JOIN tracked_state s ON s.article_id = a.id"
            " ORDER BY a.published, a.origin, a.id"
        )
        return [(r["id"], f"{r['ex']}:{r['rv']}", r["stamp"]) for r in rows]

    def clear_tracking(self) -> None:
        with self.transaction() as db:
            for table in ("tracked", "tracked_grams", "tracked_state"):
                db.execute(f"DELETE FROM {table}")

    def index_reports(
        self,
        stamps: dict[str, str],
        reports: Sequence[TrackedReport],
        *,
        window_days: int,
        overlaps: Callable[[list[str], list[str]], bool],
    ) -> None:
        """Re-index these articles (what each was built from: `stamps`) with their reports, in
        one transaction. Each report, in the order given, joins the earliest statement of its
        actor first said within `window_days` of it that shares a word run with it and has a
        report from another article whose quotations it `overlaps`; else it starts one. A
        statement's id is its first report."""
        with self.transaction() as db:
            for article_id in stamps:
                _unindex_article(db, article_id)
            for report in reports:
                _index_report(db, report, window_days, overlaps)
            db.executemany(
                "INSERT INTO tracked_state (article_id, stamp) VALUES (?, ?)"
                " ON CONFLICT (article_id) DO UPDATE SET stamp = excluded.stamp",
                list(stamps.items()),
            )

    def statements_of(self, position_ids: Sequence[int]) -> dict[int, int]:
        """The statement id of each indexed position."""
        found: dict[int, int] = {}
        for part, marks in _batches(position_ids):
            rows = self._db.execute(
                f"SELECT position_id, statement FROM tracked WHERE position_id IN ({marks})", part
            )
            found.update((r[0], r[1]) for r in rows)
        return found

    def statement_reports(self, statement: int) -> list[tuple[int, str, str]]:
        """(position id, article id, outlet) of a statement's reports, the first reporter first."""
        rows = self._db.execute(
            "SELECT position_id, article_id, outlet FROM tracked WHERE statement = ? ORDER BY ord",
            (statement,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def latest_position_ids(self, article_ids: Sequence[str]) -> dict[str, set[int]]:
        """The ids of the positions of each article's latest extraction."""
        found: dict[str, set[int]] = {a: set() for a in article_ids}
        for part, marks in _batches(article_ids):
            rows = self._db.execute(
                "SELECT article_id, id FROM positions WHERE extraction_id IN"
                f" (SELECT max(id) FROM extractions WHERE article_id IN ({marks})"
                " GROUP BY article_id)",
                part,
            )
            for article_id, position_id in rows:
                found[article_id].add(position_id)
        return found

    def reports_of(self, actor: str) -> list[tuple[int, str, int]]:
        """(position id, article id, statement id) of every indexed report by this actor or by
        those who speak for it."""
        rows = self._db.execute(
            "SELECT position_id, article_id, statement FROM tracked WHERE actor = ?"
            " UNION SELECT position_id, article_id, statement FROM tracked WHERE voice = ?",
            (actor, actor),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def latest_statement_before(self, voice: str, topic: str, day: dt.date) -> int | None:
        """The statement of this voice and topic whose first report is the latest said before
        `day` (the last of them, the first reporter first, when a day has several)."""
        row = self._db.execute(
            "SELECT position_id FROM tracked WHERE voice = ? AND topic = ? AND said < ?"
            " AND position_id = statement ORDER BY said DESC, ord DESC LIMIT 1",
            (voice, topic, day.isoformat()),
        ).fetchone()
        return int(row[0]) if row else None

    def decisions(
        self, article_id: str | None = None, decision_id: int | None = None
    ) -> list[Decision]:
        """The standing decisions of an article, or the one with `decision_id`."""
        where, args = ("d.id = ?", (decision_id,)) if decision_id is not None else (
            "d.article_id = ?", (article_id,)
        )
        rows = self._db.execute(
            "SELECT d.*, r.reviewer, r.note, r.created_at FROM decisions d"
            f" JOIN reviews r ON r.id = d.review_id WHERE {where} ORDER BY d.id",
            args,
        )
        return [
            Decision(
                id=r["id"],
                article_id=r["article_id"],
                evidence=json.loads(r["evidence"]),
                speaker_key=r["speaker_key"],
                status=r["status"],
                base=json.loads(r["base"]),
                edits=json.loads(r["edits"]),
                edited_by=r["edited_by"],
                dismissed=bool(r["dismissed"]),
                review_id=r["review_id"],
                reviewer=r["reviewer"],
                note=r["note"],
                decided_at=r["created_at"],
            )
            for r in rows
        ]

    def review_records(self, article_id: str) -> list[ReviewRecord]:
        """The review history of an article, oldest first."""
        rows = self._db.execute(
            "SELECT * FROM reviews WHERE article_id = ? ORDER BY id", (article_id,)
        )
        return [
            ReviewRecord(
                id=r["id"],
                position_id=r["position_id"],
                article_id=r["article_id"],
                evidence=json.loads(r["evidence"]),
                speaker=r["speaker"],
                action=r["action"],
                changes=json.loads(r["changes"]),
                reviewer=r["reviewer"],
                note=r["note"],
                created_at=r["created_at"],
            )
            for r in rows
        ]

    def save_decisions(self, changes: list[DecisionChange]) -> list[int]:
        """Record decisions and their history entries in one transaction: several positions
        approved at once, or a whole CSV file, are stored entirely or not at all."""
        ids = []
        with self.transaction() as db:
            for c in changes:
                evidence = json.dumps(sorted(c.evidence))
                cursor = db.execute(
                    "INSERT INTO reviews (position_id, article_id, evidence, speaker, action,"
                    " changes, reviewer, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        c.position_id,
                        c.article_id,
                        evidence,
                        c.speaker,
                        c.action,
                        json.dumps(c.changes, ensure_ascii=False),
                        c.reviewer,
                        c.note,
                        _now(),
                    ),
                )
                review_id = int(cursor.lastrowid or 0)
                ids.append(review_id)
                if c.replaces is not None:
                    db.execute("DELETE FROM decisions WHERE id = ?", (c.replaces,))
                db.execute(
                    "INSERT INTO decisions (article_id, evidence, speaker_key, status, base, edits,"
                    " edited_by, review_id, dismissed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (article_id, evidence, speaker_key) DO UPDATE SET"
                    " status = excluded.status, base = excluded.base, edits = excluded.edits,"
                    " edited_by = excluded.edited_by, review_id = excluded.review_id,"
                    " dismissed = excluded.dismissed",
                    (
                        c.article_id,
                        evidence,
                        c.speaker_key,
                        c.status,
                        json.dumps(c.base, ensure_ascii=False, sort_keys=True),
                        json.dumps(c.edits, ensure_ascii=False, sort_keys=True),
                        c.edited_by,
                        review_id,
                        int(c.dismissed),
                    ),
                )
        return ids


def _batches(values: Sequence[Any], size: int = 500) -> Iterator[tuple[list[Any], str]]:
    """`values` in parts small enough for one `IN (...)`, each with its placeholders."""
    for start in range(0, len(values), size):
        part = list(values[start : start + size])
        yield part, ",".join("?" * len(part))


# the tracking index (see Store.index_reports) ---------------------------------------------------

_CANDIDATES = 50  # statements looked at per new report, the earliest first


def _unindex_article(db: sqlite3.Connection, article_id: str) -> None:
    rows = db.execute(
        "SELECT position_id, statement FROM tracked WHERE article_id = ?", (article_id,)
    ).fetchall()
    if not rows:
        return
    db.execute("DELETE FROM tracked WHERE article_id = ?", (article_id,))
    # A statement whose first report left gets its next report as its id, or goes.
    for old_root in {r[1] for r in rows if r[0] == r[1]}:
        nxt = db.execute(
            "SELECT position_id, said FROM tracked WHERE statement = ? ORDER BY ord LIMIT 1",
            (old_root,),
        ).fetchone()
        if nxt is None:
            db.execute("DELETE FROM tracked_grams WHERE statement = ?", (old_root,))
        else:
            _reroot(db, old_root, nxt[0], nxt[1])


def _reroot(db: sqlite3.Connection, old: int, new: int, said: str | None) -> None:
    db.execute("UPDATE tracked SET statement = ? WHERE statement = ?", (new, old))
    db.execute(
        "UPDATE tracked_grams SET statement = ?, said = ? WHERE statement = ?", (new, said, old)
    )


def _index_report(
    db: sqlite3.Connection,
    report: TrackedReport,
    window_days: int,
    overlaps: Callable[[list[str], list[str]], bool],
) -> None:
    pid = report.position_id
    said = report.said.isoformat() if report.said else None
    db.execute(
        "INSERT INTO tracked (position_id, article_id, actor, voice, topic, stance, said, ord,"
        " outlet, quotes, statement) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            pid,
            report.article_id,
            report.actor,
            report.voice,
            report.topic,
            report.stance,
            said,
            report.order,
            report.outlet,
            json.dumps(report.quotes, ensure_ascii=False),
            pid,
        ),
    )
    if report.said is None or not report.quotes:
        return  # an undated report, or one without quotations, is a statement of its own
    window = dt.timedelta(days=window_days)
    low, high = (report.said - window).isoformat(), (report.said + window).isoformat()
    statement, statement_said = pid, said
    if report.grams:
        marks = ",".join("?" * len(report.grams))
        candidates = db.execute(
            "SELECT r.position_id, r.ord, r.said FROM tracked r WHERE r.position_id IN"
            f" (SELECT g.statement FROM tracked_grams g WHERE g.gram IN ({marks})"
            " AND g.actor = ? AND g.said BETWEEN ? AND ?)"
            f" ORDER BY r.ord LIMIT {_CANDIDATES}",
            [*report.grams, report.actor, low, high],
        ).fetchall()
        for root, root_order, root_said in candidates:
            members = db.execute(  # reports of one statement mostly share their words
                "SELECT DISTINCT quotes FROM tracked WHERE statement = ? AND article_id != ?",
                (root, report.article_id),
            )
            if any(overlaps(json.loads(q), report.quotes) for (q,) in members):
                db.execute("UPDATE tracked SET statement = ? WHERE position_id = ?", (root, pid))
                statement, statement_said = root, root_said
                if report.order < root_order:  # reported before the statement's first report
                    _reroot(db, root, pid, said)
                    statement, statement_said = pid, said
                break
    db.executemany(
        "INSERT OR IGNORE INTO tracked_grams (gram, actor, said, statement) VALUES (?, ?, ?, ?)",
        [(g, report.actor, statement_said, statement) for g in report.grams],
    )


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        source=row["source"],
        url=row["url"],
        language=row["language"],
        published=dt.date.fromisoformat(row["published"]) if row["published"] else None,
        date_status=DateStatus(row["date_status"]),
        origin=row["origin"],
        removed=json.loads(row["removed"]),
    )


def _call(row: sqlite3.Row) -> CachedCall:
    return CachedCall(
        key=row["key"],
        model=row["model"],
        request=json.loads(row["request"]),
        response=json.loads(row["response"]),
        prompt_tokens=row["prompt_tokens"],
        completion_tokens=row["completion_tokens"],
        latency=row["latency"],
    )


def _extraction(row: sqlite3.Row) -> Extraction:
    return Extraction(**{k: row[k] for k in Extraction.__dataclass_fields__})


def _position(row: sqlite3.Row) -> Position:
    return Position(
        id=row["id"],
        article_id=row["article_id"],
        speaker=row["speaker"],
        role=row["role"],
        topic=row["topic"],
        stance=row["stance"],
        summary=row["summary"],
        kind=row["kind"],
        evidence=json.loads(row["evidence"]),
        spans=[tuple(s) for s in json.loads(row["spans"])],
        quotes=json.loads(row["quotes"]),
        valid=bool(row["valid"]),
        reason=row["reason"],
        provider=row["provider"],
        model=row["model"],
        prompt_id=row["prompt_id"],
        schema_hash=row["schema_hash"],
    )
