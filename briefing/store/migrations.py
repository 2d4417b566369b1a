"""The store's schema, as migrations: named functions applied in order, each recorded.

A migration is a function of an open transaction; it may run any Python (reshape JSON columns,
fill a new table from old rows), and runs its SQL one statement per `execute`. The table
`migrations` records each one applied, by name, with the time. `PRAGMA user_version` is kept
equal to the number applied, so that an older brief refuses a store a newer one has migrated.

Stores made before migrations were named carry only `user_version`: the first migrations up to
that number are recorded as applied (with no time) the first time such a store is opened.

To change the schema, append a function to `MIGRATIONS`; never edit or reorder one that has
shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from briefing.errors import StoreError
from briefing.store.connection import Connection, now

Migration = Callable[[sqlite3.Connection], None]


def m001_core_tables(db: sqlite3.Connection) -> None:
    """Articles and their sentences, the model-call cache, extractions and their positions."""
    db.execute(
        "CREATE TABLE articles (id TEXT PRIMARY KEY, origin TEXT NOT NULL, title TEXT,"
        " source TEXT, url TEXT, language TEXT, published TEXT, date_status TEXT NOT NULL,"
        " text TEXT NOT NULL, removed TEXT NOT NULL, ingested_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX articles_published ON articles(published)")
    db.execute(
        "CREATE TABLE sentences (article_id TEXT NOT NULL REFERENCES articles(id),"
        " idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,"
        " PRIMARY KEY (article_id, idx))"
    )
    db.execute(
        "CREATE TABLE llm_calls (key TEXT PRIMARY KEY, model TEXT NOT NULL,"
        " request TEXT NOT NULL, response TEXT NOT NULL, prompt_tokens INTEGER NOT NULL,"
        " completion_tokens INTEGER NOT NULL, latency REAL NOT NULL, created_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE extractions (id INTEGER PRIMARY KEY,"
        " article_id TEXT NOT NULL REFERENCES articles(id), provider TEXT NOT NULL,"
        " model TEXT NOT NULL, prompt_id TEXT NOT NULL, schema_hash TEXT NOT NULL,"
        " status TEXT NOT NULL CHECK (status IN ('done', 'failed')), error TEXT,"
        " calls INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL,"
        " completion_tokens INTEGER NOT NULL, created_at TEXT NOT NULL,"
        " UNIQUE (article_id, model, prompt_id, schema_hash))"
    )
    db.execute(
        "CREATE TABLE positions (id INTEGER PRIMARY KEY,"
        " extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,"
        " article_id TEXT NOT NULL REFERENCES articles(id), speaker TEXT NOT NULL,"
        " role TEXT NOT NULL, topic TEXT NOT NULL, stance TEXT NOT NULL, summary TEXT NOT NULL,"
        " kind TEXT NOT NULL, evidence TEXT NOT NULL, spans TEXT NOT NULL, quotes TEXT NOT NULL,"
        " valid INTEGER NOT NULL, reason TEXT, provider TEXT NOT NULL, model TEXT NOT NULL,"
        " prompt_id TEXT NOT NULL, schema_hash TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX positions_article ON positions(article_id)")
    db.execute("CREATE INDEX positions_extraction ON positions(extraction_id)")
    db.execute(
        "CREATE TABLE briefings (id INTEGER PRIMARY KEY, date TEXT NOT NULL,"
        " sha256 TEXT NOT NULL, path TEXT, created_at TEXT NOT NULL)"
    )


def m002_briefing_counts_and_sendings(db: sqlite3.Connection) -> None:
    """What each generated briefing counts (for the email subject), and every email sent."""
    db.execute("ALTER TABLE briefings ADD COLUMN counts TEXT")
    db.execute(
        "CREATE TABLE sendings (id INTEGER PRIMARY KEY, date TEXT NOT NULL,"
        " briefing_sha256 TEXT NOT NULL, recipient TEXT NOT NULL,"
        " status TEXT NOT NULL CHECK (status IN ('sent', 'refused')),"
        " server_reply TEXT NOT NULL, message_id TEXT NOT NULL, sent_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX sendings_date_recipient ON sendings(date, recipient)")


def m003_reviews_and_decisions(db: sqlite3.Connection) -> None:
    """Analysts' review. `reviews` is the history (every decision, never updated); `decisions`
    the standing state, keyed by the evidence rather than by a position id so that it stays
    attached to the same sentences and speaker when the article is extracted again."""
    db.execute(
        "CREATE TABLE reviews (id INTEGER PRIMARY KEY, position_id INTEGER,"
        " article_id TEXT NOT NULL REFERENCES articles(id), evidence TEXT NOT NULL,"
        " speaker TEXT NOT NULL, action TEXT NOT NULL"
        " CHECK (action IN ('approve', 'reject', 'edit', 'import', 'dismiss')),"
        " changes TEXT NOT NULL, reviewer TEXT NOT NULL, note TEXT, created_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX reviews_article ON reviews(article_id)")
    db.execute(
        "CREATE TABLE decisions (id INTEGER PRIMARY KEY,"
        " article_id TEXT NOT NULL REFERENCES articles(id), evidence TEXT NOT NULL,"
        " speaker_key TEXT NOT NULL,"
        " status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'edited')),"
        " base TEXT NOT NULL, edits TEXT NOT NULL, edited_by TEXT,"
        " review_id INTEGER NOT NULL REFERENCES reviews(id),"
        " dismissed INTEGER NOT NULL DEFAULT 0, UNIQUE (article_id, evidence, speaker_key))"
    )


def m004_tracking_index(db: sqlite3.Connection) -> None:
    """The tracking index (see briefing.track.statements): each usable position's actor, voice,
    topic, statement date and statement, and each statement's word runs, so that a day's
    briefing reads a few rows instead of the whole history. Derived data, rebuilt whenever an
    article's extraction, its reviews or the tracking rules change (`tracked_state` holds what
    each article was indexed from)."""
    db.execute(
        "CREATE TABLE tracked (position_id INTEGER PRIMARY KEY, article_id TEXT NOT NULL,"
        " actor TEXT NOT NULL, voice TEXT NOT NULL, topic TEXT NOT NULL, stance TEXT NOT NULL,"
        " said TEXT, ord TEXT NOT NULL, outlet TEXT NOT NULL, quotes TEXT NOT NULL,"
        " statement INTEGER NOT NULL)"
    )
    db.execute("CREATE INDEX tracked_article ON tracked(article_id)")
    db.execute("CREATE INDEX tracked_statement ON tracked(statement)")
    db.execute("CREATE INDEX tracked_line ON tracked(voice, topic, said, ord)")
    db.execute("CREATE INDEX tracked_actor ON tracked(actor)")
    db.execute(
        "CREATE TABLE tracked_grams (gram INTEGER NOT NULL, actor TEXT NOT NULL,"
        " said TEXT NOT NULL, statement INTEGER NOT NULL, UNIQUE (statement, gram))"
    )
    db.execute("CREATE INDEX tracked_grams_lookup ON tracked_grams(gram, actor, said)")
    db.execute("CREATE TABLE tracked_state (article_id TEXT PRIMARY KEY, stamp TEXT NOT NULL)")


def m005_fetch_state(db: sqlite3.Connection) -> None:
    """What fetching remembers (see briefing.store.fetched): the validators each feed and
    robots.txt last gave, and every page fetched, so that a second run only asks whether the
    feeds changed; articles found by their canonical URL."""
    db.execute(
        "CREATE TABLE http_state (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
        " body TEXT, checked_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE fetched_pages (url TEXT PRIMARY KEY, canonical TEXT, article_id TEXT,"
        " status TEXT NOT NULL CHECK (status IN ('stored', 'duplicate', 'refused')),"
        " reason TEXT, fetched_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX fetched_pages_canonical ON fetched_pages(canonical)")
    db.execute("CREATE INDEX articles_url ON articles(url)")


def m006_position_source(db: sqlite3.Connection) -> None:
    """Where the article names who speaks (the attribution finder's source span, as JSON
    [start, end]); NULL for positions extracted before the finder, and where it named no one."""
    db.execute("ALTER TABLE positions ADD COLUMN source TEXT")


def m007_position_stance_basis(db: sqlite3.Connection) -> None:
    """What a position's stance rests on (words, model, none; '' before it was kept)."""
    db.execute("ALTER TABLE positions ADD COLUMN stance_basis TEXT NOT NULL DEFAULT ''")


def m008_batches(db: sqlite3.Connection) -> None:
    """Batch API submissions (see briefing.store.batches): each batch, under brief's own id
    (the provider's id comes back only once it is created) with the server it went to, and each
    request in it by its
    cache key, with the request body until its answer is taken. A key waits in one batch at a
    time: the partial unique index refuses a second submission of what is in flight."""
    db.execute(
        "CREATE TABLE batches (id TEXT PRIMARY KEY, remote_id TEXT, input_file_id TEXT,"
        " base_url TEXT NOT NULL, status TEXT NOT NULL, requests INTEGER NOT NULL, answered INTEGER NOT NULL DEFAULT 0,"
        " returned INTEGER NOT NULL DEFAULT 0, note TEXT, created_at TEXT NOT NULL,"
        " closed_at TEXT)"
    )
    db.execute(
        "CREATE TABLE batch_requests (batch_id TEXT NOT NULL REFERENCES batches(id),"
        " key TEXT NOT NULL, request TEXT,"
        " outcome TEXT NOT NULL CHECK (outcome IN ('waiting', 'answered', 'returned')),"
        " reason TEXT, PRIMARY KEY (batch_id, key))"
    )
    db.execute(
        "CREATE UNIQUE INDEX batch_requests_waiting ON batch_requests(key)"
        " WHERE outcome = 'waiting'"
    )


MIGRATIONS: list[Migration] = [
    m001_core_tables,
    m002_briefing_counts_and_sendings,
    m003_reviews_and_decisions,
    m004_tracking_index,
    m005_fetch_state,
    m006_position_source,
    m007_position_stance_basis,
    m008_batches,
]


def _applied(db: sqlite3.Connection) -> list[str] | None:
    """The names of the migrations recorded as applied; None before the record existed."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'migrations'").fetchone():
        return None
    return [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY rowid")]


def _adopt(db: sqlite3.Connection) -> list[str]:
    """Start the record; a store made before it gets its numbered migrations recorded."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    db.execute(
        "CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)"  # NULL: adopted
    )
    names = [m.__name__ for m in MIGRATIONS[:version]]
    db.executemany(
        "INSERT INTO migrations (name, applied_at) VALUES (?, NULL)", [(n,) for n in names]
    )
    return names


def _check_known(conn: Connection, db: sqlite3.Connection, applied: list[str]) -> None:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    known = {m.__name__ for m in MIGRATIONS}
    unknown = [name for name in applied if name not in known]
    if unknown or version > len(MIGRATIONS):
        raise StoreError(
            f"the store at {conn.path} was written by a newer brief (schema {version},"
            f" {', '.join(unknown) or 'no names'}): upgrade brief or point BRIEF_HOME elsewhere"
        )


def migrate(conn: Connection) -> list[str]:
    """Apply the migrations the store lacks, each in its own transaction; their names."""
    with conn.failures():
        applied = _applied(conn.db)
    if applied is not None and len(applied) == len(MIGRATIONS):
        _check_known(conn, conn.db, applied)
        return []  # the common case: nothing to write, no write lock taken
    done: list[str] = []
    for number, migration in enumerate(MIGRATIONS, start=1):
        with conn.transaction() as db:  # re-read inside: another process may have migrated
            applied = _applied(db)
            if applied is None:
                applied = _adopt(db)
            _check_known(conn, db, applied)
            if migration.__name__ in applied:
                continue
            migration(db)
            db.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (migration.__name__, now()),
            )
            db.execute(f"PRAGMA user_version = {number}")
            done.append(migration.__name__)
    return done
