"""Position scoring against seed gold: recall of required positions, precision, speaker, topic,
stance, non-positions, misses by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.evaluate.positions import (
    SeedGoldError,
    format_position_table,
    is_seed_gold,
    read_seed_gold,
    same_actor,
    score_positions,
    shares_run,
)
from briefing.models import Position

GOLD = Path(__file__).parent / "gold" / "seeds-gold.json"

TEXT = (
    "Kremlin spokesman Dmitry Peskov said sanctions harm bilateral relations and do not help. "
    "Delegations met in Berlin on Monday for five long hours of talks. "
    "The ministry called any deployment of troops categorically unacceptable for Russia."
)


def _gold(tmp_path: Path) -> Path:
    data = {
        "format": "brief-seed-gold",
        "version": 1,
        "articles": {
            "a1": {
                "published": "2025-12-16",
                "text": TEXT,
                "positions": [
                    {
                        "actor": "peskov",
                        "speaker": "Dmitry Peskov",
                        "evidence": ["sanctions harm bilateral relations and do not help"],
                        "topic": "sanctions",
                        "topic_ok": ["sanctions"],
                        "stance": "opposes",
                        "stance_ok": ["opposes"],
                        "required": True,
                    },
                    {
                        "actor": "mfa",
                        "speaker": "Russia's Foreign Ministry",
                        "evidence": ["any deployment of troops categorically unacceptable"],
                        "topic": "foreign_troops",
                        "topic_ok": ["foreign_troops"],
                        "stance": "opposes",
                        "stance_ok": ["opposes"],
                        "required": True,
                    },
                ],
                "non_positions": ["Delegations met in Berlin on Monday"],
            }
        },
    }
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _position(speaker: str, quote: str, topic: str, stance: str, valid: bool = True) -> Position:
    start = TEXT.index(quote)
    return Position(
        article_id="x",
        speaker=speaker,
        role="",
        topic=topic,
        stance=stance,
        summary="",
        kind="reported",
        evidence=[1],
        spans=[(start, start + len(quote))],
        quotes=[quote],
        valid=valid,
    )


def test_scores_recall_precision_and_labels(tmp_path: Path) -> None:
    articles = read_seed_gold(_gold(tmp_path))
    predicted = {
        "a1": [
            _position(
                "Peskov",
                "sanctions harm bilateral relations and do not help",
                "sanctions",
                "supports",
            ),
            _position("Dmitry Peskov", "Delegations met in Berlin on Monday", "peace", "neutral"),
            _position(
                "Peskov",
                "any deployment of troops categorically unacceptable",
                "foreign_troops",
                "opposes",
            ),
            _position("Peskov", "The ministry called any deployment", "x", "x", valid=False),
        ]
    }
    report = score_positions(articles, predicted)
    assert report["required_found"] == 1 and report["recall"] == 0.5
    assert report["briefed"] == 3 and report["invalid"] == 1
    assert report["precision"] == pytest.approx(1 / 3, abs=0.001)
    # Two briefed positions copy gold words; one of them names the wrong speaker.
    assert report["speaker"] == 0.5
    assert report["topic"] == 1.0 and report["stance"] == 0.0
    assert report["non_positions_briefed"] == 1
    table = format_position_table(report)
    assert "1 of 2" in table
    assert "Russia's Foreign Ministry on foreign_troops" in table


def test_five_word_runs_and_speakers() -> None:
    assert shares_run(
        ["he said sanctions harm bilateral relations and more"],
        "sanctions harm bilateral relations and",
    )
    assert not shares_run(["sanctions harm bilateral"], "sanctions harm bilateral relations and")
    assert shares_run(["We cannot yet name the dates"], "name the dates")
    assert same_actor("Peskov", ["Dmitry Peskov"])
    assert same_actor("the Foreign Ministry", ["Russia’s Foreign Ministry"])
    assert not same_actor("Keir Starmer", ["Dmitry Peskov"])


def test_the_seed_gold_reads(tmp_path: Path) -> None:
    articles = read_seed_gold(GOLD)
    assert len(articles) == 5
    assert sum(p.required for a in articles for p in a.positions) == 31
    assert sum(len(a.positions) for a in articles) == 53
    assert is_seed_gold(GOLD) and not is_seed_gold(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "brief-seed-gold", "articles": {"a": {}}}', encoding="utf-8")
    with pytest.raises(SeedGoldError, match="missing"):
        read_seed_gold(bad)


def test_brief_eval_finder_only_scores_the_finder_with_no_model(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from briefing.cli import app

    corpus = tmp_path / "corpus"
    (corpus / "text").mkdir(parents=True)
    (corpus / "attributions").mkdir()
    text = "The minister said the plan would fail. Officials met on Monday.\n"
    (corpus / "text" / "doc1.txt").write_text(text, encoding="utf-8")
    start = text.index("the plan")
    end = text.index(" would fail") + len(" would fail")
    source = text.index("The minister")
    cue = text.index("said")
    (corpus / "attributions" / "doc1_ab12.ann").write_text(
        f"T1\tSource {source} {source + 12}\tThe minister\n"
        f"T2\tCue {cue} {cue + 4}\tsaid\n"
        f"T3\tContent {start} {end}\t{text[start:end]}\n"
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["eval", str(corpus), "--finder-only", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["cost"]["model_calls"] == 0
    content = report["scores"]["content"]["all"]["overlap"]
    assert content["recall"] == 1.0 and content["precision"] == 1.0
    assert report["scores"]["source"]["all"]["overlap"]["f1"] == 1.0


def test_version_2_counts_actor_ok_and_duplicates(tmp_path: Path) -> None:
    path = _gold(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = 2
    data["articles"]["a1"]["positions"][0]["actor_ok"] = ["peskov", "russia"]
    path.write_text(json.dumps(data), encoding="utf-8")
    articles = read_seed_gold(path)
    quote = "sanctions harm bilateral relations and do not help"
    predicted = {
        "a1": [
            _position("Peskov", quote, "sanctions", "opposes"),
            # Moscow is an accepted voice of Peskov's position (actor_ok "russia") ...
            _position("Moscow", quote, "sanctions", "opposes"),
            # ... Starmer is not, and a wrong speaker is no duplicate.
            _position("Keir Starmer", quote, "sanctions", "opposes"),
        ]
    }
    report = score_positions(articles, predicted)
    assert report["required_found"] == 1
    assert report["precision"] == pytest.approx(2 / 3, abs=0.001)
    assert report["duplicates"] == 1
    assert report["duplicate_of"] == ["a1: Dmitry Peskov on sanctions: " + quote]
    assert "duplicates                1" in format_position_table(report)


def test_an_entry_that_adds_a_position_not_shown_yet_is_no_duplicate(tmp_path: Path) -> None:
    path = _gold(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = 2
    sanctions = "sanctions harm bilateral relations and do not help"
    troops = "any deployment of troops categorically unacceptable"
    # A weaker position of Peskov's: the troops line (the gold may give it the sanctions line
    # too, as one it can be merged with).
    data["articles"]["a1"]["positions"][1].update(
        actor="peskov", speaker="Dmitry Peskov", evidence=[troops, sanctions], required=False
    )
    path.write_text(json.dumps(data), encoding="utf-8")
    articles = read_seed_gold(path)
    both = _position("Peskov", troops, "foreign_troops", "opposes")
    both.quotes.insert(0, sanctions)
    predicted = {
        "a1": [
            _position("Peskov", sanctions, "sanctions", "opposes"),
            # Both lines: it shows the troops position for the first time, no duplicate.
            both,
            # The sanctions line once more adds nothing: a duplicate.
            _position("Dmitry Peskov", sanctions, "sanctions", "opposes"),
        ]
    }
    report = score_positions(articles, predicted)
    assert report["found_any"] == 2
    # Scored against the position it adds: its topic is that one's.
    assert report["topic"] == 1.0
    assert report["duplicates"] == 1
    assert report["duplicate_of"] == ["a1: Dmitry Peskov on sanctions: " + sanctions]
