"""Shared fixtures: every test gets its own BRIEF_HOME and the replay provider; no network."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefing.config import Settings, load_settings
from briefing.llm.client import ModelClient, open_client
from briefing.pipeline import ingest
from briefing.resources import CHECKOUT_DIR as PROJECT_ROOT
from briefing.store.database import Store

from .fakes import ARTICLE, FakeServer, Handler

SEEDS = PROJECT_ROOT / "seeds"
SEED_DAY = "2025-12-16"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("BRIEF_HOME", str(home))
    monkeypatch.setenv("BRIEF_PROVIDER", "replay")
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "BRIEF_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def finder_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder of copies of the finder's data files (cues.toml, words.toml) that the finder
    reads instead of its own, for a test to edit; its lookups are rebuilt from the real files
    afterwards."""
    from briefing.find import gender, lexicon, wordfiles

    folder = tmp_path / "find"
    folder.mkdir()
    for name in ("cues.toml", "words.toml"):
        (folder / name).write_bytes((Path(wordfiles.__file__).parent / name).read_bytes())
    monkeypatch.setattr(wordfiles, "_HERE", folder)
    built = (lexicon.lexicon, lexicon.grammar, gender.gender_words)
    for cached in built:
        cached.cache_clear()
    yield folder
    for cached in built:
        cached.cache_clear()


# The failure tests: ARTICLE stored, and a client factory over a simulated server (tests/fakes.py).
Setup = tuple[Settings, Store, Callable[[Handler], tuple[ModelClient, FakeServer]]]


@pytest.fixture
def setup(tmp_path: Path, isolated: Path) -> Iterator[Setup]:
    path = tmp_path / "article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    settings = load_settings(provider="openai", model="test-model")
    store = Store(settings.store_path)
    ingest(store, [path])

    def client(handler: Handler) -> tuple[ModelClient, FakeServer]:
        server = FakeServer(handler)
        return open_client(settings, store, provider="openai", transport=server), server

    yield settings, store, client
    store.close()
