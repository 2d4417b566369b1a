"""Speaker accuracy on named gold sources (issue 17, measure 2): which gold sources name someone,
whether a predicted speaker names them, and the figures in `brief eval`'s report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.evaluate.gold import Attribution, GoldDocument
from briefing.evaluate.scoring import DocumentResult
from briefing.evaluate.speakers import common_start, gold_names, names_speaker, score_speakers
from briefing.models import Position
from briefing.text.segment import split_sentences

TEXT = "Dmitry Peskov said the talks would resume on Monday. Maria Zakharova said the plan would fail.\n"


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("Trump", ("Trump",)),
        ("Hillary Clinton", ("Hillary Clinton",)),
        ("the Clinton campaign", ("Clinton",)),
        ("Sen. Tim Kaine", ("Tim Kaine",)),
        ("Mrs. Clinton", ("Clinton",)),
        ("Clinton campaign manager Robby Mook", ("Robby Mook",)),
        ("Donald Trump, her Republican opponent,", ("Donald Trump",)),
        ("The minister of the economy, Mr. Guajardo Villarreal,", ("Guajardo Villarreal",)),
        ("Gov. Earl Ray Tomblin of West Virginia", ("Earl Ray Tomblin",)),
        ("Sen. Ted Cruz (R-Tex)", ("Ted Cruz",)),
        ("the Association of Flight Attendants", ("Association of Flight Attendants",)),
        ("France and Germany", ("France", "Germany")),
        ("The president", ()),
        ("he", ()),
        ("The Indiana governor", ()),
        ("Clinton spokesman", ()),
        ("Many Democrats", ()),
        ("lawyers for both Donald and Ivana Trump", ()),
    ],
)
def test_gold_names(source: str, names: tuple[str, ...]) -> None:
    assert gold_names(source) == names


def test_a_capitalised_common_word_opening_a_sentence_is_no_name() -> None:
    text = "Federal and state officials said so. Later, federal money came."
    assert common_start(text, 0)
    assert gold_names("Federal and state officials", common_start(text, 0)) == ()
    assert not common_start("Trump said so.", 0)


@pytest.mark.parametrize(
    ("speaker", "names", "right"),
    [
        ("Clinton", ("Hillary Clinton",), True),
        ("Hillary Rodham Clinton", ("Clinton",), True),
        ("Clinton campaign", ("Clinton",), True),
        ("Robby Mook", ("Robby Mook",), True),
        ("Hillary Clinton", ("Robby Mook",), False),
        ("White House", ("Josh Earnest",), False),
        ("", ("Trump",), False),
        ("he", ("Trump",), False),
        ("the spokesman", ("Trump",), False),
        ("Germany", ("France", "Germany"), True),
    ],
)
def test_names_speaker(speaker: str, names: tuple[str, ...], right: bool) -> None:
    assert names_speaker(speaker, names) is right


def _span(text: str, words: str, after: int = 0) -> tuple[int, int]:
    start = text.index(words, after)
    return start, start + len(words)


def _result() -> DocumentResult:
    text = TEXT + "The minister said nothing would change. Ivan Petrov said prices would rise.\n"
    peskov = _span(text, "Dmitry Peskov")
    gold = GoldDocument(
        name="doc1",
        text=text,
        attributions=(
            Attribution(
                content=(_span(text, "the talks would resume on Monday"),), source=(peskov,)
            ),
            # The gold gives Zakharova's words to Peskov: the prediction below is wrong.
            Attribution(content=(_span(text, "the plan would fail"),), source=(peskov,)),
            # Not named: not counted.
            Attribution(
                content=(_span(text, "nothing would change"),),
                source=(_span(text, "The minister"),),
            ),
            # Named, but nothing predicted overlaps it: not found.
            Attribution(
                content=(_span(text, "prices would rise"),), source=(_span(text, "Ivan Petrov"),)
            ),
        ),
    )

    def position(speaker: str, words: str, valid: bool = True) -> Position:
        return Position(
            article_id="a",
            speaker=speaker,
            role="",
            topic="",
            stance="unclear",
            summary="",
            kind="reported",
            evidence=[],
            spans=[_span(text, words)],
            quotes=[words],
            source=(0, 1),
            valid=valid,
        )

    positions = [
        position("Peskov", "the talks would resume on Monday"),
        position("Maria Zakharova", "the plan would fail"),
        position("Ivan Petrov", "prices would rise", valid=False),  # not briefed: not a prediction
    ]
    return DocumentResult(gold, positions, split_sentences(text))


def test_score_speakers_counts_right_wrong_and_not_found() -> None:
    scores = score_speakers([_result()])
    assert scores["named"] == 3
    assert scores["found"] == 2
    assert scores["not_found"] == 1
    assert scores["right"] == 1
    assert scores["accuracy"] == 0.5
    (wrong,) = scores["wrong"]
    assert wrong["document"] == "doc1"
    assert wrong["source"] == "Dmitry Peskov"
    assert wrong["speaker"] == "Maria Zakharova"


def test_brief_eval_finder_only_reports_speaker_accuracy(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from briefing.cli import app

    corpus = tmp_path / "corpus"
    (corpus / "text").mkdir(parents=True)
    (corpus / "attributions").mkdir()
    (corpus / "text" / "doc1.txt").write_text(TEXT, encoding="utf-8")
    lines = []
    peskov = _span(TEXT, "Dmitry Peskov")
    for n, words in enumerate(("the talks would resume on Monday", "the plan would fail")):
        start, end = _span(TEXT, words)
        lines += [
            f"T{3 * n + 1}\tSource {peskov[0]} {peskov[1]}\tDmitry Peskov",
            f"T{3 * n + 2}\tContent {start} {end}\t{words}",
            f"E{n + 1}\tAttribution:T{3 * n + 1} Source:T{3 * n + 1} Content:T{3 * n + 2}",
        ]
    (corpus / "attributions" / "doc1_ab12.ann").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["eval", str(corpus), "--finder-only", "--json"])
    assert result.exit_code == 0, result.output
    speakers = json.loads(result.stdout)["speakers"]
    assert (speakers["named"], speakers["found"], speakers["right"]) == (2, 2, 1)
    assert speakers["accuracy"] == 0.5
    assert [(w["source"], w["speaker"]) for w in speakers["wrong"]] == [
        ("Dmitry Peskov", "Maria Zakharova")
    ]
    table = CliRunner().invoke(app, ["eval", str(corpus), "--finder-only"])
    assert "speaker on named sources: 1/2 right, accuracy 0.500" in table.stdout


def test_brief_eval_names_an_unreadable_annotation_file_and_scores_the_rest_by_outlet(
    tmp_path: Path,
) -> None:
    """Issue 18: one annotation file that does not match its text (three of PolNeAR train's do)
    is named on stderr and left out, not a refusal of the corpus; and PolNeAR's metadata.tsv
    gives a line of scores per outlet."""
    from typer.testing import CliRunner

    from briefing.cli import app

    corpus = tmp_path / "corpus"
    (corpus / "text").mkdir(parents=True)
    (corpus / "attributions").mkdir()
    start, end = _span(TEXT, "the talks would resume on Monday")
    source = _span(TEXT, "Dmitry Peskov")
    good = (
        f"T1\tSource {source[0]} {source[1]}\tDmitry Peskov\n"
        f"T2\tContent {start} {end}\tthe talks would resume on Monday\n"
        "E1\tAttribution:T1 Source:T1 Content:T2\n"
    )
    for name in ("doc1", "doc2", "doc3"):
        (corpus / "text" / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "attributions" / "doc1_ab12.ann").write_text(good, encoding="utf-8")
    (corpus / "attributions" / "doc2_ab12.ann").write_text(good, encoding="utf-8")
    shifted = good.replace(f"Content {start} {end}", f"Content {start + 3} {end + 3}")
    (corpus / "attributions" / "doc3_ab12.ann").write_text(shifted, encoding="utf-8")
    (corpus / "metadata.tsv").write_text(
        "filename\tpublisher\ndoc1\tnyt\ndoc2\tbreitbart\ndoc3\tnyt\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["eval", str(corpus), "--finder-only", "--json"])
    assert result.exit_code == 0, result.output
    assert "warning: skipped " in result.stderr and "doc3_ab12.ann line 2" in result.stderr
    report = json.loads(result.stdout)
    assert report["documents"] == 2
    assert sorted(report["by_outlet"]) == ["breitbart", "nyt"]
    assert report["by_outlet"]["nyt"]["documents"] == 1
    assert report["by_outlet"]["nyt"]["content"]["recall"] == 1.0
    table = CliRunner().invoke(app, ["eval", str(corpus), "--finder-only"]).stdout
    assert "by outlet (overlap)" in table
    assert any(line.startswith("breitbart") for line in table.splitlines())
