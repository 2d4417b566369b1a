from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli.main import app

from .conftest import SEEDS

runner = CliRunner()
COMMANDS = [["ingest"], ["articles"], ["extract"], ["generate"], ["send"], ["doctor"], ["eval"], ["fixtures", "record"], ["fixtures", "check"], ["review", "list"], ["review", "show"], ["review", "approve"], ["review", "reject"], ["review", "edit"], ["review", "dismiss"], ["review", "export"], ["review", "import"], ["review", "serve"], ["review", "merge-actors"], ["timeline"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout and len(result.stdout) > 200


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
    assert result.exit_code == 0
    assert result.stdout.count("added") == 1
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
