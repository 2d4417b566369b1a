"""The store: WAL, named migrations (and stores made before they were named), articles stored
once, and the failures of the file itself as one-line errors that say what to do."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import BriefError, StoreError
from briefing.ingest.normalise import article_id
from briefing.models import Article
from briefing.store.connection import store_error
from briefing.store.database import MIGRATIONS, Store
from briefing.store.migrations import migrate
from briefing.text.segment import split_sentences

DATA = Path(__file__).parent / "data"


def applied(store: Store) -> list[tuple[str, str | None]]:
    return [(r[0], r[1]) for r in store._conn.rows("SELECT name, applied_at FROM migrations")]


def test_store_uses_wal_and_records_each_migration_by_name(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        assert store._conn.row("PRAGMA journal_mode")[0] == "wal"  # type: ignore[index]
        assert store._conn.row("PRAGMA user_version")[0] == len(MIGRATIONS)  # type: ignore[index]
        names = [name for name, _ in applied(store)]
        assert names == [m.__name__ for m in MIGRATIONS]
        assert all(when for _, when in applied(store))
    with Store(tmp_path / "s.sqlite3") as store:  # opening again migrates nothing
        assert migrate(store._conn) == []
        assert store.count("articles") == 0


def test_a_store_made_before_migrations_were_named_opens_and_keeps_its_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript((DATA / "store_v4.sql").read_text(encoding="utf-8"))
    db.close()
    with Store(path) as store:
        # Its four numbered migrations are recorded as applied, with no time: nothing re-ran;
        # those that came after are applied now.
        record = applied(store)
        assert record[:4] == [(m.__name__, None) for m in MIGRATIONS[:4]]
        assert [name for name, _ in record[4:]] == [m.__name__ for m in MIGRATIONS[4:]]
        assert all(when for _, when in record[4:])
        (article,) = store.all_articles()
        assert article.published == dt.date(2025, 12, 16)
        assert [p.speaker for p in store.latest_positions(article.id)] == [
            "Dmitry Peskov",
            "Peskov",
        ]
        briefing = store.latest_briefing(dt.date(2025, 12, 16))
        assert briefing is not None and briefing.counts == {
            "articles": 1,
            "needs_review": 0,
            "positions": 2,
        }
        assert store.statements_of([1, 2]) == {1: 1, 2: 2}
        assert store.add_article(Article(id="new", text="New text.", origin="n.txt"), [])


def test_same_text_is_stored_once(tmp_path: Path) -> None:
    text = "Minister Jo Bloggs said the plan is fine."
    article = Article(id=article_id(text), text=text, origin="a.txt")
    with Store(tmp_path / "s.sqlite3") as store:
        assert store.add_article(article, split_sentences(text))
        assert not store.add_article(article.model_copy(update={"origin": "b.txt"}), [])
        assert store.count("articles") == 1 and store.count("sentences") == 1


def test_a_failed_unit_of_work_stores_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        with pytest.raises(RuntimeError), store.transaction() as db:
            db.execute(
                "INSERT INTO briefings (date, sha256, path, created_at) VALUES (?, ?, ?, ?)",
                ("2025-12-16", "abc", None, "now"),
            )
            raise RuntimeError("interrupted")
        assert store.latest_briefing(dt.date(2025, 12, 16)) is None


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreError, match="newer brief"):
        Store(path)
    Store(tmp_path / "t.sqlite3").close()
    db = sqlite3.connect(tmp_path / "t.sqlite3")
    db.execute("INSERT INTO migrations (name, applied_at) VALUES ('m999_future', 'later')")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer brief.*m999_future"):
        Store(tmp_path / "t.sqlite3")


def test_unwritable_home_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(BriefError, match="BRIEF_HOME"):
        Store(blocker / "s.sqlite3")


def test_a_file_that_is_not_a_store_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "brief.sqlite3"
    path.write_bytes(b"this is not a database, it is a text file " * 200)
    with pytest.raises(StoreError, match="is not a brief store.*move the file away") as caught:
        Store(path)
    assert "\n" not in str(caught.value)


def test_a_store_busy_with_another_writer_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Store(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process in the middle of a unit of work
    try:
        with Store(path, busy_timeout=0.05) as store:
            assert store.count("articles") == 0  # reading still works (WAL)
            with pytest.raises(StoreError, match="busy: another brief process"):
                store.add_article(Article(id="a", text="Text.", origin="a.txt"), [])
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_read_only_store_says_how_to_fix_it(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Store(path).close()
    readonly = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        readonly.execute("DELETE FROM articles")
    readonly.close()
    error = store_error(path, caught.value)
    assert error is not None and "make the file and its folder writable" in str(error).lower()
    # A mistake in the program's SQL is not the file's fault: it stays a traceback.
    with pytest.raises(sqlite3.OperationalError) as mistake:
        sqlite3.connect(":memory:").execute("SELECT nothing FROM nowhere")
    assert store_error(path, mistake.value) is None


def test_the_command_line_reports_a_damaged_store_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "brief.sqlite3").write_bytes(b"garbage" * 1000)
    monkeypatch.setenv("BRIEF_HOME", str(home))
    result = CliRunner().invoke(app, ["ingest", str(DATA / "injection.md")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the store at ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_history_pending_is_what_this_identity_has_not_extracted_before_the_day(
    tmp_path: Path,
) -> None:
    def article(text: str, day: str) -> Article:
        return Article(
            id=article_id(text), text=text, origin=f"{day}.md", published=dt.date.fromisoformat(day)
        )

    old, done, same_day = (
        article("Peskov said no.", "2025-08-27"),
        article("Peskov said yes.", "2025-09-24"),
        article("Peskov said maybe.", "2025-12-16"),
    )
    with Store(tmp_path / "s.sqlite3") as store:
        for a in (old, done, same_day):
            store.add_article(a, split_sentences(a.text))
        identity = {"model": "m", "prompt_id": "p", "schema_hash": "s"}
        store.save_extraction(
            done.id, provider="x", positions=[], error=None, calls=0, prompt_tokens=0,
            completion_tokens=0, **identity,
        )  # fmt: skip
        day = dt.date(2025, 12, 16)
        assert [a.id for a in store.articles_pending_before(day, "m", "p", "s")] == [old.id]
        # Another prompt has extracted nothing yet.
        pending = store.articles_pending_before(day, "m", "other", "s")
        assert [a.id for a in pending] == [old.id, done.id]
