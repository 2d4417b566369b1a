"""Settings: where things live and which model to use.

Precedence is flags, then environment, then `config.toml` in `BRIEF_HOME`, then defaults. Secrets
(API keys, passwords) are read from the environment only, never from the file, and never stored
on the settings object in a form that is printed.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from .errors import BriefError

PROVIDERS = ("openai", "local", "replay")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_home() -> Path:
    return Path(platformdirs.user_data_dir("brief"))


@dataclass
class Settings:
    home: Path
    provider: str | None = None  # None: choose automatically (see llm.choose_provider)
    model: str | None = None
    fixtures_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "fixtures")
    topics_file: Path | None = None
    chunk_tokens: int = 400
    chunk_overlap: int = 1  # sentences shared by neighbouring chunks
    max_reasks: int = 2
    concurrency: int = 8  # remote providers only; the local model takes one request at a time
    timeout: float = 600.0
    max_output_tokens: int = 400

    @property
    def store_path(self) -> Path:
        return self.home / "brief.sqlite3"

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"


_FILE_KEYS = {
    "provider": str,
    "model": str,
    "fixtures_dir": Path,
    "topics_file": Path,
    "chunk_tokens": int,
    "chunk_overlap": int,
    "max_reasks": int,
    "concurrency": int,
    "timeout": float,
    "max_output_tokens": int,
}
_SECRET_KEYS = {"api_key", "openai_api_key", "password", "smtp_password"}


def load_settings(
    home: Path | None = None, provider: str | None = None, model: str | None = None
) -> Settings:
    """Build settings from flags (the arguments), the environment and `config.toml`."""
    home = home or _env_path("BRIEF_HOME") or default_home()
    settings = Settings(home=home)
    config_path = settings.config_path
    if config_path.exists():
        try:
            data = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise BriefError(f"{config_path} is not valid TOML ({exc}); fix or remove it") from exc
        for key, value in data.items():
            if key in _SECRET_KEYS:
                raise BriefError(
                    f"{config_path} contains the secret {key!r}: remove it and set it in the "
                    "environment instead"
                )
            if key not in _FILE_KEYS:
                continue  # other sections (smtp, review, ...) belong to other commands
            kind = _FILE_KEYS[key]
            try:
                setattr(settings, key, kind(value))
            except (TypeError, ValueError) as exc:
                raise BriefError(f"{config_path}: {key} = {value!r} is not a {kind.__name__}") from exc
    settings.provider = provider or os.environ.get("BRIEF_PROVIDER") or settings.provider
    settings.model = model or os.environ.get("BRIEF_MODEL") or settings.model
    if settings.provider is not None and settings.provider not in PROVIDERS:
        raise BriefError(
            f"unknown provider {settings.provider!r}: use one of {', '.join(PROVIDERS)}"
        )
    return settings


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None
