"""The `brief` command line: help, exit codes, start-up cost, and what commands print."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import load_settings
from briefing.recording import fixture_problems
from briefing.recording import main as recording_main

from .conftest import SEEDS

runner = CliRunner()


def _commands(command: typer.main.TyperGroup | object, path: list[str]) -> list[list[str]]:
    """Every command and sub-command under `command`, as the words that call it."""
    found = [path] if path else []
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        found += _commands(sub, [*path, name])
    return found


COMMANDS = _commands(typer.main.get_command(app), [])


def test_the_command_list_is_complete() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {"ingest", "generate", "send", "review", "review show", "review merge-actors"} <= names
    assert {"timeline", "doctor", "eval", "articles", "extract"} <= names
    # Recording fixtures is a developer's tool (`python -m briefing.recording`), not a command.
    assert not any(c[0] == "fixtures" for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout and len(result.stdout) > 200
    described = typer.main.get_command(app)
    for word in command:
        described = described.commands[word]  # type: ignore[attr-defined]
    assert (described.help or "").strip(), f"`brief {' '.join(command)}` has no help text"


def test_importing_the_cli_loads_nothing_heavy() -> None:
    # `brief --help` must answer at once: the model client, the HTML reader and the tokeniser
    # load only when a command needs them.
    code = (
        "import briefing.cli, sys; print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in {'openai','httpx2','tiktoken','trafilatura','jinja2'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "--published", "16/12/2025", "x.txt"],
        ["extract", "--date", "2025-13-01"],
        ["generate", "--date", "yesterday"],
        ["send", "--date", "yesterday"],
        ["review", "list", "--date", "2025-12"],
        ["review", "export", "--date", "tomorrow"],
        ["timeline", "--actor", "peskov", "--since", "last week"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_bad_date_is_bad_usage_in_one_line(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "is not a date: use YYYY-MM-DD" in result.stderr


def test_ingest_lists_articles_and_is_idempotent() -> None:
    first = runner.invoke(app, ["ingest", "--json", str(SEEDS)])
    assert first.exit_code == 0
    rows = json.loads(first.stdout)["articles"]
    assert len(rows) == 5 and {r["status"] for r in rows} == {"added"}
    assert {r["published"] for r in rows} >= {"2025-12-16", "2025-08-27"}
    second = runner.invoke(app, ["ingest", "--json", str(SEEDS)])
    assert {r["status"] for r in json.loads(second.stdout)["articles"]} == {"known"}
    listed = json.loads(runner.invoke(app, ["articles", "--json"]).stdout)
    assert len(listed) == 5


def test_bad_files_are_skipped_with_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (tmp_path / "latin1.txt").write_bytes("Le ministre a déclaré que".encode("latin-1"))
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    (tmp_path / "good.txt").write_text("Minister Jo Bloggs said the plan is fine.\n")
    result = runner.invoke(app, ["ingest", str(tmp_path)])
    # the good file goes in, and a skipped one fails the command (issue 19: under cron a
    # skipped file must not pass unnoticed)
    assert result.exit_code == 1
    assert result.stdout.count("added") == 1
    listed = runner.invoke(app, ["articles", "--json"])
    assert len(json.loads(listed.stdout)) == 1  # stored despite the exit code
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped:")]
    assert len(skipped) == 4
    for name in ("empty.txt", "binary.txt", "latin1.txt", "broken.md"):
        assert any(name in line for line in skipped), name


def test_ingest_only_bad_files_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(app, ["ingest", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1


def test_published_flag_sets_the_date(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Minister Jo Bloggs said the plan is fine.\n")
    result = runner.invoke(app, ["ingest", "--json", "--published", "2025-12-16", str(path)])
    (row,) = json.loads(result.stdout)["articles"]
    assert (row["published"], row["date_status"]) == ("2025-12-16", "given")


def test_extract_needs_a_selection() -> None:
    result = runner.invoke(app, ["extract"])
    assert result.exit_code == 2 and "--date YYYY-MM-DD or --all" in result.stderr


def test_extract_all_from_recordings() -> None:
    runner.invoke(app, ["ingest", str(SEEDS)])
    result = runner.invoke(app, ["extract", "--all"])
    assert result.exit_code == 0, result.stderr
    assert "5 articles extracted" in result.stderr
    again = runner.invoke(app, ["extract", "--all"])
    assert "0 articles extracted" in again.stderr and "5 already done" in again.stderr


def test_doctor_reports_provider_and_paths(isolated: Path) -> None:
    result = runner.invoke(app, ["doctor", "--json", "--no-full-hash"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["provider"] == "replay"
    assert report["store"] == str(isolated / "brief.sqlite3")
    assert report["openai_api_key"] == "not set"


def test_doctor_never_prints_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value")
    result = runner.invoke(app, ["doctor", "--no-full-hash"])
    assert "sk-secret-value" not in result.stdout + result.stderr
    assert "set" in result.stdout


def test_unknown_provider_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEF_PROVIDER", "ollama")
    result = runner.invoke(app, ["articles"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "use one of" in result.stderr


def test_a_bad_status_is_bad_usage() -> None:
    result = runner.invoke(app, ["review", "list", "--status", "done"])
    assert result.exit_code == 2 and "use one of pending" in result.stderr


def test_generate_writes_the_briefing_and_records_it(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEF_MAIL_FROM", "desk@example.org")
    runner.invoke(app, ["ingest", str(SEEDS)])
    result = runner.invoke(app, ["generate", "--date", "2025-12-16", "--no-stdout"])
    assert result.exit_code == 0, result.stderr
    written = isolated / "briefings" / "2025-12-16.md"
    assert result.stdout == "" and written.read_text(encoding="utf-8").startswith("# ")
    assert f"wrote {written}" in result.stderr
    # Recorded: `brief send --dry-run` finds it.
    sent = runner.invoke(app, ["send", "--date", "2025-12-16", "--dry-run", "--to", "a@b.example"])
    assert sent.exit_code == 0, sent.stderr


def test_generate_to_a_folder_it_cannot_write_says_which_flag(tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", str(SEEDS)])
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = runner.invoke(app, ["generate", "--date", "2025-12-16", "-o", str(blocker / "b.md")])
    assert result.exit_code == 1 and "choose another --output" in result.stderr


def test_fixture_check_replays_the_seeds_and_leaves_the_settings_alone() -> None:
    settings = load_settings()
    before = repr(settings)
    assert fixture_problems(settings, [SEEDS]) == []
    assert repr(settings) == before


def test_fixture_tool_is_a_developer_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        recording_main(["--help"])
    assert usage.value.code == 0
    assert "record" in capsys.readouterr().out
    with pytest.raises(SystemExit) as bad:
        recording_main(["replay"])
    assert bad.value.code == 2


def test_doctor_check_finds_a_damaged_store_and_backup_copies_a_sound_one(
    tmp_path: Path, isolated: Path
) -> None:
    (tmp_path / "a.txt").write_text("Minister Jo Bloggs said the plan is fine.\n")
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.txt")]).exit_code == 0
    healthy = runner.invoke(app, ["doctor", "--check", "--no-full-hash"])
    assert healthy.exit_code == 0, healthy.output
    assert "passed SQLite's integrity check" in healthy.stderr
    copy = tmp_path / "backup.sqlite3"
    made = runner.invoke(app, ["backup", str(copy)])
    assert made.exit_code == 0, made.output
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    assert runner.invoke(app, ["backup", str(copy)]).exit_code == 1  # never overwrites
    # damage the middle of the store: pages of the file overwritten
    store = isolated / "brief.sqlite3"
    data = bytearray(store.read_bytes())
    data[4096 : 4096 * 3] = b"\x07" * (4096 * 2)
    store.write_bytes(bytes(data))
    damaged = runner.invoke(app, ["doctor", "--check", "--no-full-hash"])
    assert damaged.exit_code == 1
    (line,) = [x for x in damaged.stderr.splitlines() if "damaged" in x]
    assert "brief backup" in line and str(store) in line
