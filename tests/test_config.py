"""Settings: precedence, typos and wrong types named with their fix, secrets only from the
environment, and config.py the only reader of the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import briefing
from briefing.config import Settings, load_settings, load_smtp_settings
from briefing.errors import BriefError, ConfigError, DeliveryError
from briefing.llm.client import choose_provider

PACKAGE = Path(briefing.__file__).parent


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def one_line_error(kind: type[BriefError] = ConfigError) -> str:
    with pytest.raises(kind) as info:
        load_smtp_settings(load_settings()) if kind is DeliveryError else load_settings()
    message = str(info.value)
    assert "\n" not in message
    return message


# unknown keys ----------------------------------------------------------------------------------


def test_a_typo_names_the_key_and_what_was_meant(isolated: Path) -> None:
    path = write_config(isolated, "max_reask = 2\n")
    assert one_line_error() == (f"{path}: unknown setting 'max_reask' (did you mean 'max_reasks'?)")


@pytest.mark.parametrize("key", ["chunk_tokens", "chunk_overlap"])
def test_a_removed_setting_is_refused_with_the_line_to_delete(isolated: Path, key: str) -> None:
    # These were accepted and never read: an old config.toml that still sets one must learn
    # that the value does nothing, not be obeyed in appearance only.
    path = write_config(isolated, f"{key} = 300\n")
    message = one_line_error()
    assert message.startswith(f"{path}: {key} was removed (")
    assert message.endswith("delete the line")


def test_an_unknown_key_with_nothing_close_lists_the_settings(isolated: Path) -> None:
    write_config(isolated, "colour = 'blue'\n")
    message = one_line_error()
    assert "unknown setting 'colour' (the settings are provider, model," in message
    assert "require_review" in message


def test_an_unknown_table_is_refused(isolated: Path) -> None:
    write_config(isolated, "[review]\nrequire = true\n")
    assert "unknown setting 'review'" in one_line_error()


def test_a_typo_under_smtp_names_the_key_and_what_was_meant(isolated: Path) -> None:
    path = write_config(isolated, '[smtp]\nhots = "mail.example.org"\n')
    assert one_line_error(DeliveryError) == (
        f"{path}: unknown setting 'hots' under [smtp] (did you mean 'host'?)"
    )


def test_settings_read_from_the_environment_only_are_refused_in_the_file(isolated: Path) -> None:
    write_config(isolated, 'openai_base_url = "http://127.0.0.1:8080/v1"\n')
    assert "openai_base_url cannot be set in the file: use OPENAI_BASE_URL" in one_line_error()


# wrong types and values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ('concurrency = "many"', "concurrency = 'many' is not a whole number"),
        ("concurrency = 0", "concurrency = 0 must be at least 1"),
        ("max_reasks = -1", "max_reasks = -1 must be at least 0"),
        ("timeout = 0", "timeout = 0 must be more than 0"),
        ('require_review = "yes"', "require_review = 'yes' is not a boolean (true or false)"),
        ("model = 7", "model = 7 is not a string"),
        ('provider = "ollama"', "provider = 'ollama' is not a provider: use one of openai, "),
        ("topics_file = 3", "topics_file = 3 is not a path"),
    ],
)
def test_a_wrong_value_names_the_key(isolated: Path, line: str, expected: str) -> None:
    path = write_config(isolated, line + "\n")
    assert one_line_error().startswith(f"{path}: {expected}")


def test_a_wrong_value_in_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BRIEF_PROVIDER", "ollama")
    assert one_line_error().startswith("BRIEF_PROVIDER='ollama' is not a provider: use one of")


def test_a_wrong_smtp_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEF_SMTP_PORT", "smtp")
    assert one_line_error(DeliveryError) == (
        "BRIEF_SMTP_PORT='smtp' is not a port number (1-65535)"
    )


def test_broken_toml_says_so(isolated: Path) -> None:
    path = write_config(isolated, "concurrency = \n")
    assert one_line_error().startswith(f"{path} is not valid TOML")


def test_assignment_is_checked_too(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path)
    settings.concurrency = 40
    with pytest.raises(ValueError):
        settings.concurrency = "many"  # type: ignore[assignment]
    with pytest.raises(ValueError):
        settings.concurency = 40  # type: ignore[attr-defined]


# precedence ------------------------------------------------------------------------------------


def test_file_beats_defaults(isolated: Path) -> None:
    write_config(isolated, "max_reasks = 3\nconcurrency = 4\nrequire_review = true\n")
    settings = load_settings()
    assert (settings.max_reasks, settings.concurrency, settings.require_review) == (3, 4, True)
    assert settings.timeout == 600.0  # untouched settings keep their defaults
    assert settings.origin("max_reasks") == "config.toml"
    assert settings.origin("timeout") == "default"


def test_environment_beats_file_and_flag_beats_environment(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(isolated, 'provider = "local"\nmodel = "from-file"\n')
    monkeypatch.delenv("BRIEF_PROVIDER")
    settings = load_settings()
    assert (settings.provider, settings.model) == ("local", "from-file")
    monkeypatch.setenv("BRIEF_PROVIDER", "replay")
    monkeypatch.setenv("BRIEF_MODEL", "from-env")
    settings = load_settings()
    assert (settings.provider, settings.model) == ("replay", "from-env")
    assert settings.origin("provider") == "BRIEF_PROVIDER"
    settings = load_settings(provider="openai", model="from-flag")
    assert (settings.provider, settings.model) == ("openai", "from-flag")
    assert choose_provider(settings) == ("openai", "chosen by --provider")


def test_flag_equal_to_the_variable_is_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    # typer hands BRIEF_PROVIDER to --provider: the user set the variable, not the flag.
    settings = load_settings(provider="replay")
    assert choose_provider(settings) == ("replay", "chosen by BRIEF_PROVIDER")


def test_home_from_flag_then_environment(tmp_path: Path, isolated: Path) -> None:
    assert load_settings().home == isolated
    assert load_settings(home=tmp_path / "elsewhere").home == tmp_path / "elsewhere"


def test_smtp_environment_beats_file(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(isolated, '[smtp]\nhost = "file.example.org"\nport = 2525\nfrom = "a@x.org"\n')
    for name in ("HOST", "PORT", "SECURITY", "USER", "CA_FILE", "PASSWORD"):
        monkeypatch.delenv(f"BRIEF_SMTP_{name}", raising=False)
    monkeypatch.delenv("BRIEF_MAIL_FROM", raising=False)
    smtp = load_smtp_settings(load_settings())
    assert (smtp.host, smtp.port, smtp.sender) == ("file.example.org", 2525, "a@x.org")
    monkeypatch.setenv("BRIEF_SMTP_HOST", "env.example.org")
    monkeypatch.setenv("BRIEF_MAIL_FROM", "b@x.org")
    smtp = load_smtp_settings(load_settings())
    assert (smtp.host, smtp.port, smtp.sender) == ("env.example.org", 2525, "b@x.org")


# secrets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ['api_key = "sk-oops"\n', 'openai_api_key = "sk-oops"\n', '[smtp]\npassword = "x"\n']
)
def test_a_secret_in_the_file_is_refused_by_every_command(isolated: Path, text: str) -> None:
    write_config(isolated, text)
    message = one_line_error()
    assert "contains the secret" in message and "environment" in message
    assert "sk-oops" not in message


def test_secrets_come_from_the_environment_and_are_never_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value")
    monkeypatch.setenv("BRIEF_SMTP_PASSWORD", "hunter2-secret")
    settings = load_settings()
    smtp = load_smtp_settings(settings)
    assert settings.openai_api_key == "sk-secret-value"
    assert smtp.password == "hunter2-secret"
    shown = repr(settings) + str(settings) + repr(smtp) + str(smtp)
    assert "sk-secret-value" not in shown and "hunter2-secret" not in shown


def test_every_file_setting_is_a_settings_field() -> None:
    # The README's config.toml example must stay loadable.
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    keys = re.findall(r"^(\w+) *=", example, re.MULTILINE)
    assert keys and set(keys) <= set(Settings.model_fields)


# the environment is read in one place ----------------------------------------------------------

_ENVIRONMENT_READS = re.compile(r"\bos\.(environ|getenv|putenv|unsetenv)\b|\bgetpass\b|\benviron\b")


def test_only_config_reads_the_environment() -> None:
    readers = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "config.py" or path.parent != PACKAGE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _ENVIRONMENT_READS.search(line.split("#", 1)[0])
    ]
    assert readers == [], "read the environment through briefing.config"
