"""What a new user sets up: article metadata (the `outlet` alias, unknown fields warned about),
the outlet shown by `brief articles`, and the rule files `brief doctor` reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import InputError
from briefing.ingest.articles import META_FIELDS, read_articles

runner = CliRunner()
BODY = "The minister said the talks went well.\n"


def test_outlet_is_stored_as_source(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: Talks\noutlet: Wire\n---\n{BODY}", encoding="utf-8")
    warnings: list[str] = []
    (article,) = read_articles(path, warn=warnings.append)
    assert article.source == "Wire" and warnings == []


def test_outlet_in_a_json_record_is_the_source(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": BODY, "outlet": "AP"}) + "\n", encoding="utf-8")
    (article,) = read_articles(path)
    assert article.source == "AP"


def test_source_and_outlet_that_disagree_are_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\nsource: Wire\noutlet: Post\n---\n{BODY}", encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        read_articles(path)
    message = str(excinfo.value)
    assert "\n" not in message and "keep one" in message and str(path) in message
    path.write_text(f"---\nsource: Wire\noutlet: Wire\n---\n{BODY}", encoding="utf-8")
    assert read_articles(path)[0].source == "Wire"


def test_unknown_front_matter_field_is_warned_once_with_the_known_list(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\nTitle: Talks\nauthor: Jo\n---\n{BODY}", encoding="utf-8")
    warnings: list[str] = []
    (article,) = read_articles(path, warn=warnings.append)
    assert article.title is None  # `Title` is not `title`: kept out, but said so
    (warning,) = warnings
    assert "\n" not in warning and str(path) in warning
    assert "`Title` (did you mean `title`?)" in warning and "`author`" in warning
    assert "known fields: " + ", ".join(META_FIELDS) in warning


def test_unknown_json_fields_are_warned_once_per_file(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    records = [{"text": "One.", "author": "Jo"}, {"text": "Two.", "author": "Al", "tags": []}]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    warnings: list[str] = []
    assert len(read_articles(path, warn=warnings.append)) == 2
    (warning,) = warnings
    assert "`author`, `tags`" in warning and "known fields: text, title, source" in warning


def test_ingest_warns_on_stderr_and_keeps_the_article(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\nauthor: Jo\npublished: 2025-12-16\n---\n{BODY}", encoding="utf-8")
    result = runner.invoke(app, ["ingest", "--json", str(path)])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["articles"]) == 1 and report["problems"] == []
    (warning,) = report["warnings"]
    (line,) = result.stderr.splitlines()
    assert line == f"warning: {warning}" and "`author`" in line and "known fields:" in line


def test_malformed_front_matter_is_still_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\nauthor: [unclosed\n---\n{BODY}", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("skipped: ") and "not valid YAML" in line and "warning" not in line


def test_articles_shows_the_outlet(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        f"---\ntitle: Talks\noutlet: Wire\npublished: 2025-12-16\n---\n{BODY}", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text("Jo Bloggs said the plan is fine.\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(tmp_path)]).exit_code == 0
    listed = runner.invoke(app, ["articles"])
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert any("Wire" in line and line.endswith("Talks") for line in lines)
    assert any(" - " in line and "b.txt" in line for line in lines)  # no outlet: a dash
    rows = json.loads(runner.invoke(app, ["articles", "--json"]).stdout)
    assert {row["origin"].rsplit("/", 1)[-1]: row["source"] for row in rows} == {
        "a.md": "Wire",
        "b.txt": None,
    }


def test_doctor_names_the_shipped_rule_files_and_counts_them() -> None:
    result = runner.invoke(app, ["doctor", "--json", "--no-full-hash"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["topics_file"].endswith("topics.toml (shipped default)")
    assert report["actors_file"].endswith("actors.toml (shipped default)")
    assert report["actors_review_file"].endswith("(absent)")
    assert isinstance(report["topics"], int) and report["topics"] > 0
    assert isinstance(report["actors"], int) and report["actors"] > 0
    text = runner.invoke(app, ["doctor", "--no-full-hash"]).stdout
    assert "topics_file" in text and "(shipped default)" in text


def test_doctor_names_the_configured_topics_file(isolated: Path, tmp_path: Path) -> None:
    topics = tmp_path / "my-topics.toml"
    topics.write_text('[topics]\nwar = "the war"\npeace = "peace talks"\n', encoding="utf-8")
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.toml").write_text(f'topics_file = "{topics}"\n', encoding="utf-8")
    report = json.loads(runner.invoke(app, ["doctor", "--json", "--no-full-hash"]).stdout)
    assert report["topics_file"] == f"{topics} (topics_file in config.toml)"
    assert report["topics"] == 2


def test_doctor_reports_an_unreadable_topics_file_instead_of_failing(isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    missing = isolated / "nope.toml"
    (isolated / "config.toml").write_text(f'topics_file = "{missing}"\n', encoding="utf-8")
    result = runner.invoke(app, ["doctor", "--json", "--no-full-hash"])
    assert result.exit_code == 0
    assert "cannot read the topic list" in json.loads(result.stdout)["topics"]
