from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefing.errors import BriefError
from briefing.ingest.articles import article_id
from briefing.models import Article
from briefing.text.segment import split_sentences
from briefing.store.database import MIGRATIONS, Store


def test_store_uses_wal_and_records_its_schema_version(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    with Store(tmp_path / "s.sqlite3") as store:  # opening again migrates nothing
        assert store.count("articles") == 0


def test_same_text_is_stored_once(tmp_path: Path) -> None:
    text = "Minister Jo Bloggs said the plan is fine."
    article = Article(id=article_id(text), text=text, origin="a.txt")
    with Store(tmp_path / "s.sqlite3") as store:
        assert store.add_article(article, split_sentences(text))
        assert not store.add_article(article.model_copy(update={"origin": "b.txt"}), [])
        assert store.count("articles") == 1 and store.count("sentences") == 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(BriefError, match="newer brief"):
        Store(path)


def test_unwritable_home_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(BriefError, match="BRIEF_HOME"):
        Store(blocker / "s.sqlite3")
