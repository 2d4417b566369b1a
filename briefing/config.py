"""Settings: where things live and which model to use.

Precedence is flags, then environment, then `config.toml` in `BRIEF_HOME`, then defaults. Secrets
(API keys, passwords) are read from the environment only, never from the file, and never stored
on the settings object in a form that is printed.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from briefing.errors import BriefError, DeliveryError
from briefing.resources import FIXTURES_DIR

PROVIDERS = ("openai", "local", "replay")


def default_home() -> Path:
    return Path(platformdirs.user_data_dir("brief"))


def cache_root() -> Path:
    """Where downloaded-once files live (model weights, tiktoken encodings): `$BRIEF_CACHE_DIR`,
    or the user cache directory for brief."""
    return Path(os.environ.get("BRIEF_CACHE_DIR") or platformdirs.user_cache_dir("brief"))


LOCAL_CHUNK_TOKENS = 400
REMOTE_CHUNK_TOKENS = 1500


@dataclass
class Settings:
    home: Path
    provider: str | None = None  # None: choose automatically (see llm.choose_provider)
    model: str | None = None
    fixtures_dir: Path = FIXTURES_DIR
    topics_file: Path | None = None
    actors_file: Path | None = None  # replaces briefing/rules/actors.toml (see briefing.track.tracking)
    # Tokens of article text per request. None: 400 for the embedded model (a 1.5B model finds
    # more in short chunks; replayed answers were recorded from it), 1,500 for a remote model,
    # which reads a whole wire story at once and so is sent the ~430-token instructions once.
    chunk_tokens: int | None = None
    chunk_overlap: int = 1  # sentences shared by neighbouring chunks
    max_reasks: int = 2
    concurrency: int = 16  # remote providers only; the local model takes one request at a time
    timeout: float = 600.0
    max_output_tokens: int = 400
    reviewer: str | None = None  # name recorded with review decisions (default: the OS user)
    require_review: bool = False  # brief only positions an analyst approved or edited

    @property
    def store_path(self) -> Path:
        return self.home / "brief.sqlite3"

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"

    def chunk_budget(self, provider: str) -> int:
        """The chunk size for requests to this provider (see `chunk_tokens`)."""
        if self.chunk_tokens is not None:
            return self.chunk_tokens
        return REMOTE_CHUNK_TOKENS if provider == "openai" else LOCAL_CHUNK_TOKENS


def boolean(value: object) -> bool:
    """A true/false setting: `bool("false")` is True, so only real booleans are accepted."""
    if isinstance(value, bool):
        return value
    raise ValueError(value)


_FILE_KEYS: dict[str, Callable[[Any], Any]] = {
    "provider": str,
    "model": str,
    "fixtures_dir": Path,
    "topics_file": Path,
    "actors_file": Path,
    "chunk_tokens": int,
    "chunk_overlap": int,
    "max_reasks": int,
    "concurrency": int,
    "timeout": float,
    "max_output_tokens": int,
    "reviewer": str,
    "require_review": boolean,
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
            if key == "smtp" and isinstance(value, dict):
                # A password in the file would end up in backups and screen shares: refuse it
                # for every command, as for the keys above, not only when sending.
                secrets = sorted(_SECRET_KEYS & value.keys())
                if secrets:
                    raise BriefError(
                        f"{config_path} contains the secret {secrets[0]!r} under [smtp]: remove it"
                        " and set BRIEF_SMTP_PASSWORD in the environment instead"
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


# SMTP ----------------------------------------------------------------------------------------

SMTP_SECURITY = ("starttls", "tls", "none")
_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
_SMTP_FILE_KEYS = ("host", "port", "security", "user", "from", "to", "bcc", "ca_file", "timeout")


@dataclass
class SmtpSettings:
    """How to reach the mail server and whom to send to. `password` comes from the environment
    only and is kept out of repr() so that no traceback or debug print shows it."""

    host: str | None = None
    port: int | None = None  # None: the usual port for `security`
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str | None = None
    to: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    ca_file: Path | None = None  # extra CA certificates to trust, e.g. a company relay's
    timeout: float = 30.0

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else _DEFAULT_PORTS[self.security]


def load_smtp_settings(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> SmtpSettings:
    """SMTP settings from the `[smtp]` table of `config.toml`, overridden by `BRIEF_SMTP_HOST`,
    `BRIEF_SMTP_PORT`, `BRIEF_SMTP_SECURITY`, `BRIEF_SMTP_USER`, `BRIEF_SMTP_CA_FILE` and
    `BRIEF_MAIL_FROM`; the password from `BRIEF_SMTP_PASSWORD` only."""
    env = os.environ if environ is None else environ
    smtp = SmtpSettings()
    path = settings.config_path
    table = _smtp_table(path)
    for key, value in table.items():
        if key in _SECRET_KEYS:
            raise DeliveryError(
                f"{path} contains the secret {key!r} under [smtp]: remove it and set "
                "BRIEF_SMTP_PASSWORD in the environment instead"
            )
        if key not in _SMTP_FILE_KEYS:
            # A typo such as `hots` would otherwise silently send through the wrong server.
            raise DeliveryError(
                f"{path}: unknown key {key!r} under [smtp]; use {', '.join(_SMTP_FILE_KEYS)}"
            )
        _set_smtp(smtp, key, value, f"{path}: [smtp] {key}")
    for name, key in (
        ("BRIEF_SMTP_HOST", "host"),
        ("BRIEF_SMTP_PORT", "port"),
        ("BRIEF_SMTP_SECURITY", "security"),
        ("BRIEF_SMTP_USER", "user"),
        ("BRIEF_SMTP_CA_FILE", "ca_file"),
        ("BRIEF_MAIL_FROM", "from"),
    ):
        if env.get(name):
            _set_smtp(smtp, key, env[name], name)
    smtp.password = env.get("BRIEF_SMTP_PASSWORD") or None
    return smtp


def _smtp_table(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BriefError(f"{path} is not valid TOML ({exc}); fix or remove it") from exc
    table = data.get("smtp", {})
    if not isinstance(table, dict):
        raise DeliveryError(f"{path}: smtp must be a table ([smtp]), not {type(table).__name__}")
    return table


def _set_smtp(smtp: SmtpSettings, key: str, value: object, where: str) -> None:
    """Check one setting and put it on `smtp`; `where` names the file key or variable."""
    if key == "port":
        try:
            port = int(str(value))
        except ValueError:
            port = 0
        if not 0 < port < 65536:
            raise DeliveryError(f"{where} = {value!r} is not a port number (1-65535)")
        smtp.port = port
    elif key == "security":
        security = str(value).strip().lower()
        if security not in SMTP_SECURITY:
            raise DeliveryError(
                f"{where} = {value!r}: use starttls (usually port 587), tls (usually 465) or "
                "none (a local relay only)"
            )
        smtp.security = security
    elif key in ("to", "bcc"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise DeliveryError(f'{where} must be a list of addresses, e.g. ["a@example.org"]')
        setattr(smtp, key, list(items))
    elif key == "timeout":
        try:
            smtp.timeout = float(str(value))
        except ValueError:
            raise DeliveryError(f"{where} = {value!r} is not a number of seconds") from None
    elif key == "ca_file":
        smtp.ca_file = Path(str(value)).expanduser()
    elif key == "from":
        smtp.sender = str(value)
    else:
        if not isinstance(value, str):
            raise DeliveryError(f"{where} must be a string")
        setattr(smtp, key, value)
