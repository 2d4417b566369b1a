"""Ingest with bad files among good ones: each bad file is reported and skipped, the others go
in; text in UTF-16 is read (or named) rather than called binary."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.config import load_settings
from briefing.pipeline import ingest
from briefing.store.database import Store

GOOD = "---\ntitle: Good\npublished: 2025-02-03\n---\nThe minister said the talks went well.\n"
IMPOSSIBLE = "---\ntitle: Bad\npublished: 2025-02-30\n---\nThe minister said hello.\n"
TEXT = "The minister said “ça va” to reporters on Tuesday.\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_an_impossible_front_matter_date_skips_only_that_file(tmp_path: Path) -> None:
    (tmp_path / "a_bad.md").write_text(IMPOSSIBLE, encoding="utf-8")
    (tmp_path / "b_good.md").write_text(GOOD, encoding="utf-8")
    code, out, err = run("ingest", str(tmp_path))
    assert code == 1, err  # a skipped file fails the command; the good one is in
    assert "b_good.md" in out and "a_bad.md" not in out
    assert "a_bad.md: front matter holds an impossible value" in err
    assert "Traceback" not in err


def test_a_missing_path_does_not_stop_the_good_ones(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text(GOOD, encoding="utf-8")
    missing = tmp_path / "nope.txt"
    code, out, err = run("ingest", str(missing), str(good))
    assert code == 1, err  # a skipped path fails the command; the good file is in
    assert "added" in out and "good.md" in out
    assert f"{missing} does not exist" in err
    settings = load_settings()
    with Store(settings.store_path) as store:
        report = ingest(store, [missing, good])
    assert len(report.known) == 1 and len(report.problems) == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_text_is_read(tmp_path: Path, encoding: str) -> None:
    wide = tmp_path / "wide.txt"
    wide.write_bytes(TEXT.encode(encoding))
    plain = tmp_path / "plain.txt"
    plain.write_text(TEXT, encoding="utf-8")
    settings = load_settings()
    with Store(settings.store_path) as store:
        first = ingest(store, [wide])
        again = ingest(store, [plain])
    assert not first.problems and len(first.added) == 1
    assert "“ça va”" in first.added[0].text
    assert [a.id for a in again.known] == [first.added[0].id]  # the same text, the same article


def test_utf16_json_lines_are_named_not_called_binary(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes('{"text": "The minister said yes."}\n'.encode("utf-16"))
    code, _, err = run("ingest", str(feed))
    assert code == 1
    assert "is UTF-16 text; JSON Lines must be UTF-8" in err and "binary" not in err


def test_real_binary_data_is_still_refused(tmp_path: Path) -> None:
    blob = tmp_path / "blob.txt"
    blob.write_bytes(bytes(range(256)) * 4)
    code, _, err = run("ingest", str(blob))
    assert code == 1 and "binary" in err


LAUGHS = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    + "title: *i\n---\nThe minister said hello.\n"
)


def test_a_yaml_alias_bomb_skips_its_file_in_one_line_and_the_others_go_in(
    tmp_path: Path,
) -> None:
    # nine levels of nine aliases: about 390 million strings once expanded
    (tmp_path / "a_bomb.md").write_text(LAUGHS, encoding="utf-8")
    (tmp_path / "b_good.md").write_text(GOOD, encoding="utf-8")
    code, out, err = run("ingest", str(tmp_path))
    assert code == 1
    assert "b_good.md" in out and "a_bomb.md" not in out
    (line,) = [line for line in err.splitlines() if "a_bomb.md" in line]
    assert "YAML alias" in line and "lol" not in line and len(line) < 300
