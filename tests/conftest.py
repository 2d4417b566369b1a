"""Shared fixtures: every test gets its own BRIEF_HOME and the replay provider; no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.resources import CHECKOUT_DIR as PROJECT_ROOT

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
