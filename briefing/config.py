"""Settings, and the only module that reads the environment.

`load_settings` builds `Settings` from, in order of precedence: flags (its arguments), the
environment, `config.toml` in `BRIEF_HOME`, the defaults. `load_smtp_settings` does the same for
the `[smtp]` table. Both are pydantic models that refuse what they do not know: an unknown key in
the file is an error naming the key and the keys it may have meant, a value of the wrong type is
an error naming the key. Secrets (API keys, passwords) come from the environment only; one
written in the file is refused for every command, and none is shown by repr(). One setting is
a safety switch: `fetch_private_hosts = true` lets `brief fetch` reach hosts that resolve to
private, loopback or link-local addresses, which it refuses by default.

The environment variables, all read here:

    BRIEF_HOME            the folder for the store, the briefings and config.toml
    BRIEF_PROVIDER        openai, local or replay
    BRIEF_MODEL           model name, or a .gguf file for the local model
    BRIEF_CACHE_DIR       downloaded-once files (the assembled weights of the embedded model)
    BRIEF_MODEL_VERBOSE   1: show llama.cpp's log on stderr
    OPENAI_API_KEY        the key for the openai provider (a secret)
    OPENAI_BASE_URL       an OpenAI-compatible server instead of OpenAI
    BRIEF_SMTP_HOST, BRIEF_SMTP_PORT, BRIEF_SMTP_SECURITY, BRIEF_SMTP_USER, BRIEF_SMTP_CA_FILE,
    BRIEF_MAIL_FROM       the mail server and sender (override the [smtp] table)
    BRIEF_SMTP_PASSWORD   the mail server password (a secret)

and the operating system's user name (`os_user`), the reviewer when none is named. The command
line also lets typer read BRIEF_HOME, BRIEF_PROVIDER, BRIEF_MODEL, BRIEF_REVIEWER and
BRIEF_FETCH_DELAY as the defaults of its flags.
"""

from __future__ import annotations

import difflib
import getpass
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from briefing.errors import ConfigError, DeliveryError
from briefing.resources import FIXTURES_DIR

PROVIDERS = ("openai", "local", "replay")


# the environment ------------------------------------------------------------------------------


def _env(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """An environment variable, None when unset or empty (an empty value means "not set")."""
    return (os.environ if environ is None else environ).get(name) or None


def default_home() -> Path:
    return Path(platformdirs.user_data_dir("brief"))


def cache_root() -> Path:
    """Where downloaded-once files live (the embedded model's weights): `$BRIEF_CACHE_DIR`, or
    the user cache directory for brief."""
    return Path(_env("BRIEF_CACHE_DIR") or platformdirs.user_cache_dir("brief"))


def model_from_environment() -> str | None:
    """`BRIEF_MODEL`: a model name, or a .gguf file for the local model."""
    return _env("BRIEF_MODEL")


def local_model_verbose() -> bool:
    """Whether llama.cpp's own log should be shown (`BRIEF_MODEL_VERBOSE=1`)."""
    return _env("BRIEF_MODEL_VERBOSE") == "1"


def os_user() -> str | None:
    """The operating system's name for the user (getpass reads LOGNAME, USER, ... and then the
    password database); None in a bare container that has none."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


# settings -------------------------------------------------------------------------------------


class FeedSource(BaseModel):
    """One `[[feeds]]` table: `url`; `outlet` names its articles' source (else the feed's own
    title); `keywords`, when given, keep only items that mention one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: StrictStr
    outlet: StrictStr | None = None
    keywords: tuple[StrictStr, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _checked(cls, value: object) -> object:
        # By hand, so that the message names the feed and the fix (see _reason).
        if not isinstance(value, dict):
            raise PydanticCustomError("feed", 'must be tables: [[feeds]] with url = "https://..."')
        url = value.get("url")
        unknown = sorted(set(value) - set(cls.model_fields))
        if unknown:
            raise PydanticCustomError(
                "feed", "has an unknown key {key!r}: use url, outlet, keywords", {"key": unknown[0]}
            )
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise PydanticCustomError("feed", "must each have url = an http(s) address")
        keywords = value.get("keywords", [])
        if not isinstance(keywords, list | tuple) or not all(isinstance(k, str) for k in keywords):
            raise PydanticCustomError("feed", 'must give keywords as a list, e.g. ["Peskov"]')
        return value


class Prices(BaseModel):
    """What a remote model costs, per million tokens read (`input`, the prompt) and written
    (`output`). `price_per_million_tokens = 0.15` prices both alike; a table
    `{ input = 0.15, output = 0.60 }` prices them apart, as OpenAI's price list does. In the
    currency the provider bills in (OpenAI: US dollars)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float
    output: float

    @model_validator(mode="before")
    @classmethod
    def _checked(cls, value: object) -> object:
        # By hand, so that the one message says both forms (see _reason).
        wrong = PydanticCustomError(
            "price",
            "is not a price: give a number per million tokens, e.g. 0.15, or a table"
            " { input = 0.15, output = 0.60 }, neither negative",
        )
        if isinstance(value, Prices):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = {"input": value, "output": value}
        if not isinstance(value, dict) or set(value) != {"input", "output"}:
            raise wrong
        if not all(_price(v) for v in value.values()):
            raise wrong
        return {k: float(v) for k, v in value.items()}


def _price(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


class Settings(BaseModel):
    """Where things live and how to reach the model. Assigning a field checks its value."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    home: Path
    provider: str | None = None  # None: choose automatically (see llm.client.choose_provider)
    model: str | None = None
    fixtures_dir: Path = FIXTURES_DIR
    topics_file: Path | None = None
    actors_file: Path | None = None  # replaces briefing/rules/actors.toml (see briefing.track)
    # Times a label request is asked again after an answer that does not fit the schema; then
    # the statement is held for review. One is what the recorded answers were made with.
    max_reasks: int = Field(default=1, ge=0)
    # Ask the model which of the article's names says a statement the finder could not
    # attribute (the guess is held for review, never briefed); false: held without asking.
    guess_speakers: bool = False
    concurrency: int = Field(default=16, ge=1)  # remote providers; the local model takes one
    timeout: float = Field(default=600.0, gt=0)  # seconds each attempt waits for the model
    # Seconds one model request may take in all, retries included: a hung server gives up then.
    request_deadline: float = Field(default=600.0, gt=0)
    max_output_tokens: int = Field(default=400, ge=1)
    # `brief extract` and `brief run` send what the cache lacks through the Batch API (remote
    # providers only): answers within 24 h, at half the price at OpenAI.
    batch: StrictBool = False
    # Candidate statements (one model request each) an article may send; past it the article is
    # held for review, unasked. Real articles have few: on PolNeAR (924) and the seeds the median
    # is 13, the 99th percentile 67, the most 155 (a 34 KB live blog); a 1.9 MB page had 3,431.
    max_candidates: int = Field(default=200, ge=1)
    reviewer: StrictStr | None = None  # recorded with review decisions (default: the OS user)
    require_review: StrictBool = False  # brief only positions an analyst approved or edited
    feeds: list[FeedSource] = Field(default_factory=list)  # [[feeds]]: what `brief fetch` reads
    timezone: StrictStr | None = None  # IANA name; `brief run` briefs yesterday there (None: local)
    # `brief fetch` refuses hosts that resolve to private, loopback, link-local and other
    # non-public addresses (a feed must not reach the intranet); true allows them.
    fetch_private_hosts: StrictBool = False
    # Seconds a fetched page or feed may take to download, and a whole fetch run (`brief fetch`,
    # `brief run`): a trickling server or a long list never hangs an unattended run.
    fetch_response_deadline: float = Field(default=60.0, gt=0)
    fetch_run_deadline: float = Field(default=1800.0, gt=0)
    # New pages `brief fetch` downloads from one feed in one run; the feed's other new items wait
    # for the next run, so a feed that suddenly lists hundreds cannot take the morning over.
    fetch_max_items_per_feed: int = Field(default=50, ge=1)
    # The cost guard before a run against a remote model (briefing.llm.cost): a run whose
    # estimate is over `max_run_tokens` (prompt and output tokens of the requests not in the
    # cache) is refused unless --yes; 0 refuses every paid request; None: no limit. The price,
    # when set, is shown with the estimate.
    max_run_tokens: int | None = Field(default=None, ge=0)
    price_per_million_tokens: Prices | None = None
    # From the environment only (see ENV_ONLY):
    openai_api_key: str | None = Field(default=None, repr=False)
    openai_base_url: str | None = None

    # Where each value that is not a default came from: "--provider", "BRIEF_PROVIDER",
    # "config.toml". `brief doctor` says it.
    _origins: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, value: str | None) -> str | None:
        if value is not None and value not in PROVIDERS:
            raise PydanticCustomError(
                "provider",
                "is not a provider: use one of {choices}",
                {"choices": ", ".join(PROVIDERS)},
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        import zoneinfo

        try:
            if value is not None:
                zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError(
                "timezone", 'is not a known time zone: use a name such as "Europe/Berlin"'
            ) from None
        return value

    @property
    def store_path(self) -> Path:
        return self.home / "brief.sqlite3"

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"

    def origin(self, key: str) -> str:
        """Where the value of `key` came from: "--provider", "BRIEF_PROVIDER", "config.toml";
        "default", or "the caller" for a value a program set after loading."""
        if key in self._origins:
            return self._origins[key]
        unchanged = getattr(self, key) == type(self).model_fields[key].default
        return "default" if unchanged else "the caller"


# Settings that the file may not hold, and where they come from instead.
ENV_ONLY = {
    "home": "BRIEF_HOME or --home (config.toml lives in it)",
    "openai_api_key": "OPENAI_API_KEY",
    "openai_base_url": "OPENAI_BASE_URL",
}
FILE_KEYS = tuple(k for k in Settings.model_fields if k not in ENV_ONLY)
# Settings that older versions read, and why they are gone: a file that still sets one is
# refused with the reason rather than as an unknown key (or, worse, silently).
REMOVED = {
    "chunk_tokens": "each statement is now sent on its own, so there are no chunks to size",
    "chunk_overlap": "each statement is now sent on its own, so there are no chunks to overlap",
}
_SECRET_KEYS = {"api_key", "openai_api_key", "password", "smtp_password"}
_TABLES = ("smtp",)
# Variables and flags for settings, weakest first: a flag beats the variable it defaults to.
_ENV_KEYS = (("BRIEF_PROVIDER", "provider"), ("BRIEF_MODEL", "model"))


def load_settings(
    home: Path | None = None, provider: str | None = None, model: str | None = None
) -> Settings:
    """Build settings from flags (the arguments), the environment and `config.toml`."""
    env_home = _env("BRIEF_HOME")
    home = home or (Path(env_home).expanduser() if env_home else None) or default_home()
    settings = Settings(home=home)
    path = settings.config_path
    data = read_config(path)
    _refuse_secrets(path, data)
    for key, value in data.items():
        if key in _TABLES:
            continue  # the [smtp] table is read by load_smtp_settings, when mail is sent
        if key in ENV_ONLY:
            raise ConfigError(f"{path}: {key} cannot be set in the file: use {ENV_ONLY[key]}")
        if key in REMOVED:
            raise ConfigError(f"{path}: {key} was removed ({REMOVED[key]}): delete the line")
        if key not in FILE_KEYS:
            raise ConfigError(f"{path}: unknown setting {key!r}{did_you_mean(key, FILE_KEYS)}")
        _assign(settings, key, value, f"{path}: {key} = {value!r}", "config.toml")
    for name, key in _ENV_KEYS:
        value = _env(name)
        if value is not None:
            _assign(settings, key, value, f"{name}={value!r}", name)
    for name, key, flag in (
        ("BRIEF_PROVIDER", "provider", provider),
        ("BRIEF_MODEL", "model", model),
    ):
        # typer passes the variable as the flag's default: then the variable is the origin.
        if flag and flag != _env(name):
            _assign(settings, key, flag, f"--{key} {flag!r}", f"--{key}")
    settings.openai_api_key = _env("OPENAI_API_KEY")
    settings.openai_base_url = _env("OPENAI_BASE_URL")
    return settings


def read_config(path: Path) -> dict[str, Any]:
    """The TOML of `config.toml`, or {} when there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path} ({exc}): fix or remove it") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix or remove it") from exc


def _refuse_secrets(path: Path, data: Mapping[str, Any]) -> None:
    """A key or password in the file would end up in backups and screen shares: refuse it for
    every command, not only the one that would use it."""
    for key in data:
        if key in _SECRET_KEYS:
            raise ConfigError(
                f"{path} contains the secret {key!r}: remove it and set it in the environment "
                "instead"
            )
    table = data.get("smtp")
    if isinstance(table, dict):
        secrets = sorted(_SECRET_KEYS & table.keys())
        if secrets:
            raise ConfigError(
                f"{path} contains the secret {secrets[0]!r} under [smtp]: remove it and set "
                "BRIEF_SMTP_PASSWORD in the environment instead"
            )


def did_you_mean(
    key: str,
    known: Iterable[str],
    noun: str = "settings",
    shown: Callable[[str], str] | None = None,
) -> str:
    """The keys `key` may have been meant as: the closest, and any nearly as close; else all
    the `noun` there are. `shown` writes a key as the message shows it (the rule files write a
    table as [name]); by default a close key is quoted and the list is not."""
    keys = list(known)
    scores = {k: difflib.SequenceMatcher(None, key, k).ratio() for k in keys}
    best = max(scores.values(), default=0.0)
    close = [k for k in difflib.get_close_matches(key, keys, n=3) if scores[k] >= best - 0.1]
    if close:
        return " (did you mean " + " or ".join((shown or repr)(k) for k in close) + "?)"
    return f" (the {noun} are {', '.join(shown(k) if shown else k for k in keys)})"


def _assign(model: BaseModel, key: str, value: object, subject: str, origin: str) -> None:
    """Set `key` on a settings model, checked; `subject` names where the value was written."""
    try:
        setattr(model, key, value)
    except ValidationError as exc:
        raise ConfigError(f"{subject} {_reason(exc)}") from None
    if isinstance(model, Settings):
        model._origins[key] = origin


_TYPE_NAMES = {
    "int_type": "is not a whole number",
    "int_parsing": "is not a whole number",
    "int_from_float": "is not a whole number",
    "float_type": "is not a number",
    "float_parsing": "is not a number",
    "bool_type": "is not a boolean (true or false)",
    "string_type": "is not a string",
    "path_type": "is not a path (a string)",
    "list_type": "is not a list",
    "dict_type": "is not a table",
    "model_type": "is not a table",
    "missing": "is missing",
}


def _reason(exc: ValidationError) -> str:
    """What is wrong with the value, in words that follow `key = value`."""
    return reason(exc.errors(include_url=False)[0])


def reason(error: ErrorDetails) -> str:
    """What one of pydantic's errors says is wrong with a value, in words that follow `key =
    value` (the rule files' errors are worded by it too, see briefing.rulefiles)."""
    kind = error["type"]
    if kind in _TYPE_NAMES:
        return _TYPE_NAMES[kind]
    ctx = error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}"
    if kind == "greater_than":
        return f"must be more than {ctx['gt']}"
    if kind == "literal_error":
        return f"must be {ctx['expected']}"
    message = str(error["msg"])
    return message if message.startswith(("is ", "must ")) else f"is not valid: {message}"


# SMTP -----------------------------------------------------------------------------------------

SMTP_SECURITY = ("starttls", "tls", "none")
_DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
# File key -> field; `from` is a Python keyword, so the field is `sender`.
SMTP_FILE_KEYS = {
    "host": "host",
    "port": "port",
    "security": "security",
    "user": "user",
    "from": "sender",
    "to": "to",
    "bcc": "bcc",
    "ca_file": "ca_file",
    "timeout": "timeout",
}
_SMTP_ENV = (
    ("BRIEF_SMTP_HOST", "host"),
    ("BRIEF_SMTP_PORT", "port"),
    ("BRIEF_SMTP_SECURITY", "security"),
    ("BRIEF_SMTP_USER", "user"),
    ("BRIEF_SMTP_CA_FILE", "ca_file"),
    ("BRIEF_MAIL_FROM", "sender"),
)


class SmtpSettings(BaseModel):
    """How to reach the mail server and whom to send to. `password` comes from the environment
    only and is kept out of repr() so that no traceback or debug print shows it."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    host: StrictStr | None = None
    port: int | None = None  # None: the usual port for `security`
    security: str = "starttls"
    user: StrictStr | None = None
    password: str | None = Field(default=None, repr=False)
    sender: StrictStr | None = None
    to: list[str] = Field(default_factory=list)
    bcc: list[str] = Field(default_factory=list)
    ca_file: Path | None = None  # extra CA certificates to trust, e.g. a company relay's
    timeout: float = 30.0

    @field_validator("port", mode="before")
    @classmethod
    def _port(cls, value: object) -> object:
        if value is None:
            return None
        try:
            port = int(str(value))
        except ValueError:
            port = 0
        if not 0 < port < 65536:
            raise PydanticCustomError("port", "is not a port number (1-65535)")
        return port

    @field_validator("security", mode="before")
    @classmethod
    def _security(cls, value: object) -> str:
        security = str(value).strip().lower()
        if security not in SMTP_SECURITY:
            raise PydanticCustomError(
                "security",
                "is not a security mode: use starttls (usually port 587), tls (usually 465) or "
                "none (a local relay only)",
            )
        return security

    @field_validator("to", "bcc", mode="before")
    @classmethod
    def _addresses(cls, value: object) -> list[str]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise PydanticCustomError(
                "addresses", 'is not a list of addresses, e.g. ["a@example.org"]'
            )
        return list(items)

    @field_validator("timeout", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> float:
        try:
            seconds = float(str(value))
        except ValueError:
            seconds = 0.0
        if not seconds > 0:
            raise PydanticCustomError("seconds", "is not a number of seconds")
        return seconds

    @field_validator("ca_file", mode="before")
    @classmethod
    def _ca_file(cls, value: object) -> Path | None:
        return None if value is None else Path(str(value)).expanduser()

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else _DEFAULT_PORTS[self.security]


def load_smtp_settings(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> SmtpSettings:
    """SMTP settings from the `[smtp]` table of `config.toml`, overridden by `BRIEF_SMTP_HOST`,
    `BRIEF_SMTP_PORT`, `BRIEF_SMTP_SECURITY`, `BRIEF_SMTP_USER`, `BRIEF_SMTP_CA_FILE` and
    `BRIEF_MAIL_FROM`; the password from `BRIEF_SMTP_PASSWORD` only."""
    smtp = SmtpSettings()
    path = settings.config_path
    for key, value in _smtp_table(path).items():
        if key in _SECRET_KEYS:
            raise DeliveryError(
                f"{path} contains the secret {key!r} under [smtp]: remove it and set "
                "BRIEF_SMTP_PASSWORD in the environment instead"
            )
        if key not in SMTP_FILE_KEYS:
            # A typo such as `hots` would otherwise silently send through the wrong server.
            raise DeliveryError(
                f"{path}: unknown setting {key!r} under [smtp]{did_you_mean(key, SMTP_FILE_KEYS)}"
            )
        _assign_smtp(smtp, SMTP_FILE_KEYS[key], value, f"{path}: [smtp] {key} = {value!r}")
    for name, key in _SMTP_ENV:
        value = _env(name, environ)
        if value is not None:
            _assign_smtp(smtp, key, value, f"{name}={value!r}")
    smtp.password = _env("BRIEF_SMTP_PASSWORD", environ)
    return smtp


def _smtp_table(path: Path) -> dict[str, Any]:
    table = read_config(path).get("smtp", {})
    if not isinstance(table, dict):
        raise DeliveryError(f"{path}: smtp must be a table ([smtp]), not {type(table).__name__}")
    return table


def _assign_smtp(smtp: SmtpSettings, key: str, value: object, subject: str) -> None:
    try:
        _assign(smtp, key, value, subject, "")
    except ConfigError as exc:
        raise DeliveryError(str(exc)) from None
