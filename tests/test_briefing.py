"""The briefing as an analyst reads it, from the model answers recorded in fixtures/."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.ingest.articles import read_articles
from briefing.resources import CHECKOUT_DIR as PROJECT_ROOT

from .conftest import SEED_DAY, SEEDS

runner = CliRunner()
_ESCAPED = re.compile(r"\\(.)")


def brief(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def quotations(markdown: str) -> list[str]:
    """Every quotation the page shows in its entries: direct quotes in quotation marks, and
    reported words after "reported:", as the reader sees them (escapes undone)."""
    found: list[str] = []
    for line in markdown.splitlines():
        entry = re.match(r"- \d+\. \*[a-z ]+\*: (.*) \[\d+\]", line)
        if entry is None:
            continue
        words = entry.group(1)
        if words.startswith("reported: "):
            found.extend(words[len("reported: ") :].split("; "))
        else:
            found.extend(q[1:-1] for q in words.split(" … "))
    return [_ESCAPED.sub(r"\1", q) for q in found]


def briefing_data(day: str) -> dict[str, Any]:
    code, out, err = brief("generate", "--date", day, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def source_text(path: Path) -> str:
    (article,) = read_articles(path)
    return article.text


@pytest.fixture
def seed_briefing() -> str:
    code, _, err = brief("ingest", str(SEEDS))
    assert code == 0, err
    code, out, err = brief("generate", "--date", SEED_DAY)
    assert code == 0, err
    return out


def test_every_quotation_is_copied_from_its_source(seed_briefing: str) -> None:
    text = source_text(SEEDS / "000_2dcf224ea3a6d1b0.md")
    quotes = quotations(seed_briefing)
    assert len(quotes) >= 8, "the briefing for the seed day shows too few quotations"
    for quote in quotes:
        assert quote in text, f"not in the source: {quote!r}"
    # The same briefing as data: every quotation of every entry is its article's span.
    data = briefing_data(SEED_DAY)
    assert len(data["entries"]) == len(re.findall(r"^- \d+\. ", seed_briefing, re.MULTILINE))
    for entry in data["entries"]:
        for q in entry["quotations"]:
            assert text[q["start"] : q["end"]] == q["text"]


def test_a_reported_line_and_its_quotation_are_one_entry(seed_briefing: str) -> None:
    # "Peskov said Russia's position on ... foreign military contingents ... remains
    # unchanged." and the next sentence's quotation "Our position on foreign military
    # contingents ... is well known" are one statement: one entry, the quotation shown.
    data = briefing_data(SEED_DAY)
    known = [
        e
        for e in data["entries"]
        if any("is well known. It has been formulated" in q["text"] for q in e["quotations"])
    ]
    assert len(known) == 1
    texts = [q["text"] for q in known[0]["quotations"]]
    assert any("remains unchanged" in t for t in texts)
    assert known[0]["kind"] == "direct" and len(known[0]["position_ids"]) == 2
    line = next(x for x in seed_briefing.splitlines() if "It has been formulated" in x)
    assert "remains unchanged" not in line  # the page shows the quotation, once


def _entry_with(data: dict[str, Any], words: str) -> dict[str, Any]:
    (entry,) = [e for e in data["entries"] if any(words in q["text"] for q in e["quotations"])]
    return entry


def test_a_line_going_on_in_the_next_sentence_is_part_of_its_statement() -> None:
    # Seed 000: "Russia's Foreign Ministry has repeatedly stressed that any scenario involving
    # the deployment of NATO troops in Ukraine is categorically unacceptable ..." and "The
    # ministry has previously described statements ... as encouragement of continued
    # hostilities." are one statement of the ministry's.
    assert brief("ingest", str(SEEDS))[0] == 0
    data = briefing_data(SEED_DAY)
    stressed = _entry_with(data, "categorically unacceptable")
    assert stressed is _entry_with(data, "encouragement of continued hostilities")
    assert stressed["stance"] == "opposes"


def test_two_views_of_one_speaker_on_one_topic_stay_two_entries() -> None:
    # Seed 004: Moscow had heard that Ukraine's NATO membership "is excluded"; Peskov
    # "reiterated ... that Ukrainian accession to NATO poses a threat", and "He claimed" it was
    # among the "root causes" of the war. Two views: the second goes on in the next sentence.
    assert brief("ingest", str(SEEDS))[0] == 0
    data = briefing_data("2025-04-21")
    excluded = _entry_with(data, "excluded")
    threat = _entry_with(data, "threat")
    assert excluded is not threat
    assert _entry_with(data, "root causes") is threat


def test_a_reported_line_and_its_quotation_filed_under_two_topics_are_one_entry() -> None:
    # Seed 002: "Peskov highlighted that the direct conversation ... was the first of its kind"
    # (filed under US mediation) and "“This kind of direct exchange of views took place for the
    # first time yesterday,” he noted." (under the talks' format): one statement, quoted.
    assert brief("ingest", str(SEEDS))[0] == 0
    code, page, err = brief("generate", "--date", "2025-12-03")
    assert code == 0, err
    data = briefing_data("2025-12-03")
    first = _entry_with(data, "This kind of direct exchange of views")
    assert first is _entry_with(data, "was the first of its kind")
    assert first["kind"] == "direct"
    line = next(x for x in page.splitlines() if "This kind of direct exchange" in x)
    assert "first of its kind" not in line  # the page shows the quotation


def test_briefing_has_the_sections_an_analyst_expects(seed_briefing: str) -> None:
    assert seed_briefing.startswith(f"# Briefing for {SEED_DAY}\n")
    headings = re.findall(r"^## (.+)$", seed_briefing, re.MULTILINE)
    assert headings == [
        "The day in brief",
        "What changed",
        "Positions by topic",
        "Sources",
        "Needs review",
    ]
    assert "2025-12-16 (approximate)" in seed_briefing  # the seed dates are inferred, ±1 day
    assert "copied from the sources. replay, qwen2.5-coder-1.5b-instruct-q4_k_m" in seed_briefing
    assert re.search(r"\d+ \+ \d+ tokens\.\n$", seed_briefing)
    # Short topic headings, not the descriptions written for the model; no review marks on a
    # day nobody reviewed; no publication date repeated on every entry.
    assert "### Foreign troops in Ukraine\n" in seed_briefing
    assert "not reviewed" not in seed_briefing
    assert "(publication date)" not in seed_briefing


def test_roles_are_the_ones_the_article_gives_beside_the_name(seed_briefing: str) -> None:
    # Seed 000 names "Kremlin spokesperson Dmitry Peskov" and "British Prime Minister Keir
    # Starmer"; no other role is briefed for them.
    roles = set(re.findall(r"^\*\*([^*]+)\*\*, (.+)$", seed_briefing, re.MULTILINE))
    assert roles <= {
        ("Dmitry Peskov", "Kremlin spokesperson"),
        ("Keir Starmer", "British Prime Minister"),
    }
    assert ("Dmitry Peskov", "Kremlin spokesperson") in roles


def test_each_speakers_role_is_given_once_and_the_page_reads_in_two_minutes(
    seed_briefing: str,
) -> None:
    speakers = re.findall(r"^\*\*([^*]+)\*\*(, .+)?$", seed_briefing, re.MULTILINE)
    with_role = [name for name, role in speakers if role]
    assert len(with_role) == len(set(with_role))  # Peskov speaks on four topics, one role
    assert "Dmitry Peskov" in with_role
    # the README's day (issue 17): at most 450 words, the shift's earlier words still quoted
    # and its words now in their numbered entry
    assert len(seed_briefing.split()) <= 450
    assert "views the prospect of European troops in Ukraine negatively" in seed_briefing
    assert "However, this issue can be discussed." in seed_briefing


def test_the_lead_is_built_from_listed_entries(seed_briefing: str) -> None:
    lead = seed_briefing.split("## The day in brief\n")[1].split("\n## ")[0]
    lines = [line for line in lead.splitlines() if line.startswith("- ")]
    assert 1 <= len(lines) <= 5
    numbers = {int(n) for n in re.findall(r"^- (\d+)\. ", seed_briefing, re.MULTILINE)}
    for line in lines:
        refs = re.search(r"\(([\d, ]+)\)$", line)
        if refs:
            assert {int(n) for n in refs.group(1).split(", ")} <= numbers
    # The day's one real shift comes first: the Kremlin's line on foreign troops.
    assert lines[0].startswith("- **Dmitry Peskov** (Kremlin spokesperson) shifted: now sets")
    assert "foreign troops" in lines[0]
    text = source_text(SEEDS / "000_2dcf224ea3a6d1b0.md")
    for quoted in re.findall(r"“([^”]+?)(?: …)?”", lead):
        assert _ESCAPED.sub(r"\1", quoted) in text


def test_the_page_reads_in_two_minutes(seed_briefing: str) -> None:
    assert len(seed_briefing.split()) <= 520


def test_same_inputs_and_cache_give_identical_bytes(seed_briefing: str, isolated: Path) -> None:
    code, again, _ = brief("generate", "--date", SEED_DAY)
    assert code == 0 and again == seed_briefing
    written = (isolated / "briefings" / f"{SEED_DAY}.md").read_text(encoding="utf-8")
    assert written == seed_briefing


def test_fresh_store_gives_identical_bytes(seed_briefing: str, tmp_path: Path) -> None:
    other = tmp_path / "other-home"
    assert brief("--home", str(other), "ingest", str(SEEDS))[0] == 0
    code, out, _ = brief(
        "--home", str(other), "generate", "--date", SEED_DAY, "-o", str(tmp_path / "b.md")
    )
    assert code == 0 and out == seed_briefing
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == seed_briefing


@pytest.mark.parametrize("day", ["2025-04-21", "2025-08-27", "2025-09-24", "2025-12-03"])
def test_every_seed_day_replays_with_verbatim_quotes(day: str) -> None:
    assert brief("ingest", str(SEEDS))[0] == 0
    code, out, err = brief("generate", "--date", day)
    assert code == 0, err
    assert "no recorded model answer" not in out
    texts = "\n".join(source_text(p) for p in SEEDS.glob("0*.md"))
    for quote in quotations(out):
        assert quote in texts, f"not in the sources: {quote!r}"


def test_injected_instructions_yield_no_invented_quotation() -> None:
    path = PROJECT_ROOT / "tests" / "data" / "injection.md"
    text = source_text(path)
    assert brief("ingest", str(path))[0] == 0
    code, out, err = brief("generate", "--date", SEED_DAY)
    assert code == 0, err
    for quote in quotations(out):
        assert quote in text, f"not in the source: {quote!r}"
    positions = out.split("## Positions by topic")[1].split("## Sources")[0]
    # The planted quotation and the planted speaker never reach the briefing as fact.
    assert "We will sanction every ship" not in positions
    assert "Putin" not in positions
    assert "Ignore previous instructions" not in positions


def test_day_without_articles_says_so(seed_briefing: str) -> None:
    code, out, _ = brief("generate", "--date", "2024-01-01")
    assert code == 0
    assert "No articles are stored for 2024-01-01" in out
    assert "2025-12-16" in out  # points at days that have articles


@pytest.mark.parametrize("bad", ["2025-13-01", "16/12/2025", "yesterday"])
def test_bad_date_is_a_one_line_usage_error(bad: str) -> None:
    code, out, err = brief("generate", "--date", bad)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "use YYYY-MM-DD" in err


def test_missing_recording_fails_loudly_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "new.md"
    path.write_text("---\npublished: 2025-12-16\n---\nMinister Jo Bloggs said the plan is fine.\n")
    assert brief("ingest", str(path))[0] == 0
    code, out, _ = brief("generate", "--date", SEED_DAY)
    # One article without a recording does not sink the briefing: it is written, saying what
    # is missing, and the exit code says that it is partial.
    assert code == 1
    assert "no recorded model answer" in out and "python -m briefing.recording record" in out


def test_a_stance_with_no_words_behind_it_is_not_a_finding(seed_briefing: str) -> None:
    # Statements whose words state no side are shown as such, and never make a shift.
    assert "*no stance stated*" in seed_briefing
    changed = seed_briefing.split("## What changed\n")[1].split("\n## ")[0]
    shifts = [line for line in changed.splitlines() if line.startswith("- **Shifted")]
    assert shifts and not any("no stance stated" in line for line in shifts)


def test_the_briefing_as_data_is_written_beside_the_page(
    seed_briefing: str, isolated: Path
) -> None:
    code, out, _ = brief("generate", "--date", SEED_DAY, "--format", "json", "--no-stdout")
    assert code == 0 and out == ""
    data = json.loads((isolated / "briefings" / f"{SEED_DAY}.json").read_text(encoding="utf-8"))
    assert data["format"] == "brief-briefing" and data["day"] == SEED_DAY
    assert data["lead"] and all(set(line) == {"markdown", "entries"} for line in data["lead"])
    assert data["changes"]["shifted"]  # the seeds' one real shift
    # The page is still written where `brief send` looks for it.
    assert (isolated / "briefings" / f"{SEED_DAY}.md").read_text(encoding="utf-8") == seed_briefing
    code, _, err = brief("generate", "--date", SEED_DAY, "--format", "xml")
    assert code == 2 and "use markdown or json" in err


def test_an_institution_is_not_given_its_spokesmans_role(seed_briefing: str) -> None:
    """2025-12-03 opens with the Kremlin's statement, joined by its spokesman's reported lines
    (one voice): the Kremlin is shown without the spokesman's role, the spokesman with it."""
    code, out, err = brief("generate", "--date", "2025-12-03")
    assert code == 0, err
    shown = re.findall(r"\*\*([^*]+)\*\*(?: \(([^)]+)\)|, ([^\n]+))", out)
    roles = {(speaker, lead or section) for speaker, lead, section in shown}
    assert ("Dmitry Peskov", "Kremlin spokesman") in roles
    assert not [r for r in roles if r[0].startswith("Kremlin") and "spokes" in r[1]], roles
