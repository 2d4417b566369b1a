"""`brief eval`: the brat reader, the span rules, the scorer on hand-checked cases, the report,
and one run end to end over a tiny corpus that the tests write, with a simulated model server.

The scores asserted here were worked out by hand from the definitions in briefing/evaluate.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import GoldError
from briefing.evaluate.gold import GoldDocument, parse_brat, read_gold, select_documents, write_gold
from briefing.evaluate.report import RunCost, build_report, format_table
from briefing.evaluate.scoring import (
    DocumentResult,
    Item,
    is_quoted,
    score,
    score_documents,
)
from briefing.evaluate.spans import gold_from_positions, predicted_spans
from briefing.llm import client as llm
from briefing.models import Position
from briefing.text.segment import split_sentences

from .test_pipeline import FakeServer, completion, ok

DOC1 = (
    "Agriculture Minister Anna Kowalski said the talks would resume next month.\n"
    "“We expect the first ships to sail in January,” Kowalski told reporters, "
    "“and we will not wait.”\n"
    "The opposition leader, Piotr Nowak, called the plan too slow.\n"
)
DOC2 = (
    "Kremlin spokesman Dmitry Peskov said on Tuesday that the talks were confidential.\n"
    "The meeting would take place in Geneva, according to the foreign ministry.\n"
)


def at(text: str, words: str, nth: int = 0) -> str:
    """brat offsets "start end" of the nth occurrence of `words` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return f"{start} {start + len(words)}"


def tb(ident: str, label: str, text: str, *pieces: str) -> str:
    """A text-bound line; several pieces make a discontinuous span."""
    offsets = ";".join(at(text, p) for p in pieces)
    return f"{ident}\t{label} {offsets}\t{' '.join(pieces)}"


ANN1_AA = "\n".join(
    [
        tb("T1", "Source", DOC1, "Agriculture Minister Anna Kowalski"),
        tb("T2", "Cue", DOC1, "said"),
        tb("T3", "Content", DOC1, "the talks would resume next month"),
        tb("T4", "Attribution", DOC1, "said"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tSource {at(DOC1, 'Kowalski', nth=1)}\tKowalski",  # the second Kowalski
        tb("T6", "Cue", DOC1, "told"),
        tb(
            "T7",
            "Content",
            DOC1,
            "“We expect the first ships to sail in January,”",
            "“and we will not wait.”",
        ),
        tb("T8", "Attribution", DOC1, "told"),
        "E2\tAttribution:T8 Source:T5 Cue:T6 Content:T7",
        tb("T9", "Discuss", DOC1, "The opposition leader"),
        "#1\tAnnotatorNotes T9\tnot an attribution",
    ]
)
# A second annotator of the same document saw only the first statement, and cut it differently.
ANN1_BB = "\n".join(
    [
        tb("T1", "Source", DOC1, "Anna Kowalski"),
        tb("T2", "Cue", DOC1, "said"),
        tb("T3", "Content", DOC1, "the talks would resume"),
        tb("T4", "Attribution", DOC1, "said"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    ]
)
ANN2_AA = "\n".join(
    [
        tb("T1", "Source", DOC2, "Dmitry Peskov"),
        tb("T2", "Cue", DOC2, "said"),
        tb("T3", "Content", DOC2, "that the talks were confidential"),
        tb("T4", "Attribution", DOC2, "said"),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        tb("T5", "Content", DOC2, "The meeting would take place in Geneva"),
        tb("T6", "Cue", DOC2, "according to"),
        tb("T7", "Source", DOC2, "the foreign ministry"),
        tb("T8", "Attribution", DOC2, "according to"),
        "E2\tAttribution:T8 Content:T5 Cue:T6 Source:T7",
    ]
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The PolNeAr layout: text/DOC.txt and attributions/DOC_ANNOTATOR.ann."""
    root = tmp_path / "gold"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "doc1.txt").write_text(DOC1, encoding="utf-8")
    (root / "text" / "doc2.txt").write_text(DOC2, encoding="utf-8")
    (root / "attributions" / "doc1_aa.ann").write_text(ANN1_AA, encoding="utf-8")
    (root / "attributions" / "doc1_bb.ann").write_text(ANN1_BB, encoding="utf-8")
    (root / "attributions" / "doc2_aa.ann").write_text(ANN2_AA, encoding="utf-8")
    return root


def words(text: str, spans) -> list[str]:
    return [text[a:b] for a, b in spans]


# the brat reader --------------------------------------------------------------------------------


def test_brat_discontinuous_span_is_one_content_of_two_pieces() -> None:
    first, second = parse_brat(ANN1_AA, DOC1)
    assert words(DOC1, first.content) == ["the talks would resume next month"]
    assert words(DOC1, first.source) == ["Agriculture Minister Anna Kowalski"]
    assert words(DOC1, second.content) == [
        "“We expect the first ships to sail in January,”",
        "“and we will not wait.”",
    ]
    assert words(DOC1, second.source) == ["Kowalski"]
    assert words(DOC1, second.cue) == ["told"]


def test_brat_numbered_roles_and_attributions_without_source() -> None:
    ann = "\n".join(
        [
            tb("T1", "Content", DOC1, "We expect the first ships"),
            tb("T2", "Cue", DOC1, "told"),
            tb("T3", "Content", DOC1, "and we will not wait"),
            tb("T4", "Attribution-no-source", DOC1, "told"),
            "E1\tAttribution-no-source:T4 Content:T1 Cue:T2 Content2:T3",
            "E2\tAttribution:T4",  # no content: not an attribution to score
        ]
    )
    (only,) = parse_brat(ann, DOC1)
    assert words(DOC1, only.content) == ["We expect the first ships", "and we will not wait"]
    assert only.source == ()


def test_brat_offsets_that_do_not_match_the_text_are_refused() -> None:
    shifted = DOC1.replace("Agriculture", "Farm")  # the text is not the one annotated
    with pytest.raises(
        GoldError, match="doc1_aa.ann line 1: .*is the .txt the file that was annotated"
    ):
        parse_brat(ANN1_AA, shifted, where="doc1_aa.ann")
    with pytest.raises(GoldError, match="line 2: .*not valid brat"):
        parse_brat("T1\tSource 0 4\tAgri\nT2\tCue x y\tsaid", DOC1)
    with pytest.raises(GoldError, match="refers to T9, which is not defined"):
        parse_brat("E1\tAttribution:T4 Content:T9", DOC1)


def test_several_annotators_one_is_used(corpus: Path) -> None:
    doc1, doc2 = read_gold(corpus)
    assert (doc1.name, doc1.annotator, doc1.annotators) == ("doc1", "aa", ("aa", "bb"))
    assert len(doc1.attributions) == 2  # aa's: the first by name
    assert (doc2.name, doc2.annotator) == ("doc2", "aa")
    doc1, doc2 = read_gold(corpus, annotator="bb")
    assert doc1.annotator == "bb" and len(doc1.attributions) == 1
    assert doc2.annotator == "aa"  # the only annotator of doc2
    with pytest.raises(GoldError, match="annotator 'zz' is not in .*choose one of aa, bb"):
        read_gold(corpus, annotator="zz")


def test_brat_files_side_by_side_and_missing_text(tmp_path: Path) -> None:
    (tmp_path / "doc2.txt").write_text(DOC2, encoding="utf-8")
    (tmp_path / "doc2.ann").write_text(ANN2_AA, encoding="utf-8")
    (doc,) = read_gold(tmp_path)
    assert doc.annotator is None and len(doc.attributions) == 2
    (tmp_path / "lost_aa.ann").write_text("", encoding="utf-8")
    with pytest.raises(GoldError, match="lost_aa.ann: no text file"):
        read_gold(tmp_path)


def test_selecting_documents(corpus: Path) -> None:
    documents = read_gold(corpus)
    assert [d.name for d in select_documents(documents, limit=1)] == ["doc1"]
    assert [d.name for d in select_documents(documents, ["doc2.txt", "doc1"])] == ["doc2", "doc1"]
    with pytest.raises(GoldError, match="'doc' matches 2 documents"):
        select_documents(documents, ["doc"])
    with pytest.raises(GoldError, match="matches no document"):
        select_documents(documents, ["nope"])


# spans of a position ----------------------------------------------------------------------------


def position(speaker: str, kind: str, evidence: list[int], spans=(), role: str = "") -> Position:
    return Position(
        article_id="a",
        speaker=speaker,
        role=role,
        topic="t",
        stance="neutral",
        summary="",
        kind=kind,  # type: ignore[arg-type]
        evidence=evidence,
        spans=list(spans),
        quotes=[],
    )


def spans_of(text: str, p: Position) -> tuple[list[str], list[str]]:
    by_index = {s.index: s for s in split_sentences(text)}
    found = predicted_spans(text, by_index, p)
    return words(text, found.content), words(text, found.source)


def test_reported_speech_loses_its_attribution() -> None:
    p = position("Anna Kowalski", "reported", [1], role="Agriculture Minister")
    assert spans_of(DOC1, p) == (["the talks would resume next month"], ["Anna Kowalski"])
    p = position("foreign ministry", "reported", [2])
    assert spans_of(DOC2, p) == (["The meeting would take place in Geneva"], ["foreign ministry"])
    text = "The plan is too slow, said Donald J. Trump, the president.\n"
    assert spans_of(text, position("Donald Trump", "reported", [1])) == (
        ["The plan is too slow"],
        ["Donald J. Trump"],  # the last name widened to the name the text uses
    )
    # no reporting verb next to the name: the sentence, and the name still found
    text = "Nowak: the plan is too slow. Nowak shrugged at the plan.\n"
    assert spans_of(text, position("Nowak", "reported", [2])) == (
        ["Nowak shrugged at the plan"],
        ["Nowak"],
    )


def test_direct_speech_is_the_quoted_words_and_the_nearest_name() -> None:
    sentences = split_sentences(DOC1)
    s2 = sentences[1]
    first = DOC1.index("We expect")
    second = DOC1.index("and we will")
    quoted = [
        (first, first + len("We expect the first ships to sail in January,")),
        (second, second + len("and we will not wait.")),
    ]
    p = position("Anna Kowalski", "direct", [s2.index], spans=quoted)
    content, source = spans_of(DOC1, p)
    assert content == ["We expect the first ships to sail in January,", "and we will not wait."]
    assert source == ["Kowalski"]  # in the evidence, not "Anna Kowalski" a sentence before
    text = "Peskov spoke. “We will see,” he said.\n"
    quote = text.index("We will see,")
    p = position("Dmitry Peskov", "direct", [2], spans=[(quote, quote + len("We will see,"))])
    assert spans_of(text, p)[1] == ["he"]


def test_quoted_means_enclosed_in_marks_by_either_convention() -> None:
    text = "He said “we will win,” and then that “victory” was near.\n"
    gold_style = (text.index("“we"), text.index("and") - 1)  # marks inside
    brief_style = (text.index("we will"), text.index("”"))  # marks outside
    partial = (text.index("that"), text.index(" was"))
    assert is_quoted(text, [gold_style]) and is_quoted(text, [brief_style])
    assert not is_quoted(text, [partial]) and not is_quoted(text, [])


# the scorer -------------------------------------------------------------------------------------


def item(tokens: range, kind: str = "reported", doc: str = "d") -> Item:
    return Item(doc, frozenset(tokens), kind)


def test_score_perfect() -> None:
    gold = [item(range(10)), item(range(20, 25), "direct")]
    result = score(gold, list(gold))
    for kind in ("all", "direct", "reported"):
        for how in ("exact", "overlap"):
            assert result[kind][how] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert (result["all"]["gold"], result["direct"]["predicted"]) == (2, 1)


def test_score_empty() -> None:
    nothing = score([item(range(10))], [])
    assert nothing["all"]["exact"] == {"precision": None, "recall": 0.0, "f1": 0.0}
    assert nothing["all"]["overlap"] == {"precision": None, "recall": 0.0, "f1": 0.0}
    both = score([], [])
    assert both["direct"]["overlap"] == {"precision": None, "recall": None, "f1": 0.0}
    spurious = score([], [item(range(3))])
    assert spurious["all"]["exact"] == {"precision": 0.0, "recall": None, "f1": 0.0}


def test_score_partial_overlap() -> None:
    # gold tokens 0-9, prediction 5-14: half of each is shared
    half = score([item(range(10))], [item(range(5, 15))])["all"]
    assert half["exact"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert half["overlap"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    # two gold items, one prediction covering the first exactly and 2 of the second's 4 tokens:
    # P = 6/8 = 0.75 (its best single gold item), R = (1 + 0) / 2 exactly, (1 + 0.5) / 2 by overlap
    gold = [item(range(6)), item(range(6, 10))]
    both = score(gold, [item(range(8))])["all"]
    assert both["exact"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert both["overlap"]["precision"] == 0.75 and both["overlap"]["recall"] == 0.75
    # items are only compared within their own document
    apart = score([item(range(6), doc="x")], [item(range(6), doc="y")])["all"]
    assert apart["overlap"]["f1"] == 0.0


def test_kinds_split_recall_by_gold_and_precision_by_prediction() -> None:
    # a direct quotation that brief calls reported speech: the span is right, the kind differs
    result = score([item(range(5), "direct")], [item(range(5), "reported")])
    assert result["direct"]["exact"] == {"precision": None, "recall": 1.0, "f1": 0.0}
    assert result["reported"]["exact"] == {"precision": 1.0, "recall": None, "f1": 0.0}
    assert result["all"]["exact"]["f1"] == 1.0


# the report -------------------------------------------------------------------------------------


def gold_doc(text: str, ann: str, name: str) -> GoldDocument:
    return GoldDocument(name=name, text=text, attributions=tuple(parse_brat(ann, text)))


def test_report_format() -> None:
    doc = gold_doc(DOC2, ANN2_AA, "doc2")
    p = position("foreign ministry", "reported", [2])
    invalid = position("Nobody", "reported", [1]).model_copy(update={"valid": False, "reason": "x"})
    result = DocumentResult(doc, [p, invalid], split_sentences(DOC2))
    cost = RunCost(
        provider="openai",
        model="m",
        prompt_id="p1",
        model_calls=3,
        prompt_tokens=900,
        completion_tokens=80,
        seconds=1.234,
    )
    report = build_report([result], cost, corpus="gold", annotator=None)
    assert (report["format"], report["version"], report["documents"]) == ("brief-eval", 1, 1)
    assert report["counts"]["gold"] == {
        "attributions": 2,
        "direct": 0,
        "reported": 2,
        "with_source": 2,
    }
    assert report["counts"]["predicted"] == {
        "positions": 2,
        "valid": 1,
        "invalid": 1,
        "direct": 0,
        "reported": 1,
        "with_source": 1,
    }
    assert report["cost"] == {
        "model_calls": 3,
        "cached_calls": 0,
        "recorded_calls": 0,
        "prompt_tokens": 900,
        "completion_tokens": 80,
        "seconds": 1.23,
    }
    content = report["scores"]["content"]
    assert content["reported"]["exact"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert set(report["scores"]) == {"content", "source"}
    assert set(content) == {"all", "direct", "reported"}
    assert report["per_document"] == [
        {
            "name": "doc2",
            "annotator": None,
            "gold": 2,
            "predicted": 1,
            "invalid": 1,
            "content_overlap_f1": 0.6667,
            "error": None,
        }
    ]
    assert json.loads(json.dumps(report)) == report  # plain data
    table = format_table(report).splitlines()
    assert table[2].split() == [
        "content",
        "all",
        "1.000",
        "0.500",
        "0.667",
        "1.000",
        "0.500",
        "0.667",
        "2",
        "1",
    ]
    assert [line.split()[:2] for line in table[2:8]] == [
        [what, kind] for what in ("content", "source") for kind in ("all", "direct", "reported")
    ]
    assert "1 documents, 2 gold attributions, 1 positions (1 for review)" in table[8]
    assert "3 model calls (0 cached), 900+80 tokens" in table[8]


def test_gold_from_reviewed_positions_round_trips(tmp_path: Path) -> None:
    sentences = split_sentences(DOC1)
    approved = [position("Anna Kowalski", "reported", [1], role="Agriculture Minister")]
    doc = gold_from_positions("reviewed", DOC1, sentences, approved)
    write_gold(tmp_path / "reviewed.json", [doc])
    (back,) = read_gold(tmp_path / "reviewed.json")
    assert back.name == "reviewed" and back.attributions == doc.attributions
    assert words(DOC1, back.attributions[0].content) == ["the talks would resume next month"]
    # the same positions score perfectly against the gold made from them
    scores = score_documents([DocumentResult(back, approved, sentences)])
    assert scores["content"]["all"]["exact"]["f1"] == 1.0
    assert scores["source"]["all"]["exact"]["f1"] == 1.0
    (tmp_path / "other.json").write_text('{"format": "something else"}')
    with pytest.raises(GoldError, match="not a brief gold file"):
        read_gold(tmp_path / "other.json")


# end to end -------------------------------------------------------------------------------------

ANSWERS = {
    "Agriculture Minister": [
        {
            "speaker": "Anna Kowalski",
            "role": "Agriculture Minister",
            "evidence": [1],
        },
        {
            "speaker": "Anna Kowalski",
            "role": "Agriculture Minister",
            "evidence": [2],
        },
    ],
    "Kremlin spokesman": [
        {
            "speaker": "Dmitry Peskov",
            "role": "Kremlin spokesman",
            "evidence": [1],
        },
        {"speaker": "foreign ministry", "role": "ministry", "evidence": [2]},
    ],
}


def simulated_model(request: httpx2.Request, n: int) -> httpx2.Response:
    """Labels every statement the finder found in the two tiny documents as a position; for a
    statement whose speaker the finder left open, it picks the first name offered."""
    body = json.loads(request.content)
    schema = body["response_format"]["json_schema"]["schema"]["properties"]
    answer = {"pos": True, "topic": "negotiation_format"}
    if "who" in schema:
        who = schema["who"]
        answer["who"] = who["enum"][0] if "enum" in who else who["const"]
    return ok(completion(json.dumps(answer)))


def test_brief_eval_end_to_end(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FakeServer(simulated_model)
    real_open_client = llm.open_client
    monkeypatch.setattr(
        llm,
        "open_client",
        lambda settings, store, provider=None, transport=None: real_open_client(
            settings, store, provider="openai", transport=server
        ),
    )
    runner = CliRunner()
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["eval", str(corpus), "--json-out", str(out)])
    assert result.exit_code == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    found = report["counts"]["predicted"]["positions"]
    # Five statements found; one ("the talks were confidential") is labelled by the topic
    # keywords alone, three by a request each; the ministry's, whose speaker the finder cannot
    # tell, is held for review without a request.
    assert len(server.requests) == 3 and found == 5
    assert report["counts"]["predicted"]["invalid"] == 1
    assert report["documents"] == 2 and report["annotators"] == ["aa"]
    assert report["cost"]["model_calls"] == 3 and report["cost"]["prompt_tokens"] == 300
    content, source = report["scores"]["content"], report["scores"]["source"]
    # The finder's spans, quotations exactly: 3 of the 4 gold statements are briefed; the
    # ministry's, held for review, is not scored.
    assert content["all"]["overlap"]["recall"] == 0.75
    assert content["direct"]["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert source["all"]["overlap"]["recall"] >= 0.75
    assert result.stdout.splitlines()[2].split()[:2] == ["content", "all"]

    # a second run asks the model nothing and scores the same
    again = runner.invoke(app, ["eval", str(corpus), "--json"])
    assert again.exit_code == 0, again.stderr
    rerun = json.loads(again.stdout)
    assert len(server.requests) == 3
    assert rerun["cost"]["model_calls"] == 0 and rerun["cost"]["recorded_calls"] == 3
    assert rerun["scores"] == report["scores"]

    # the other annotator, one document
    one = runner.invoke(app, ["eval", str(corpus), "--docs", "doc1", "--annotator", "bb", "--json"])
    assert one.exit_code == 0, one.stderr
    assert json.loads(one.stdout)["per_document"][0]["annotator"] == "bb"


def test_brief_eval_bad_corpus_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr


def test_brief_eval_without_any_answer_fails(corpus: Path) -> None:
    # the replay provider has no recording for these documents
    result = CliRunner().invoke(app, ["eval", str(corpus), "--limit", "1"])
    assert result.exit_code == 1
    assert "no recorded model answer" in result.stderr


def test_finder_only_scores_a_candidate_without_a_source_on_its_own_spans() -> None:
    """PolNeAR annotates "she was accused of [hiding ...]" with no source: the finder's candidate
    (content "she … hiding the audit from voters", no source) is scored as found, not as its
    whole sentence with a source guessed from the pronoun."""
    from briefing.evaluate.finder import finder_report
    from briefing.evaluate.gold import Attribution

    text = "The audit came out on Monday. Before the vote she was accused of hiding the audit from voters."
    start = text.index("hiding")
    gold = GoldDocument(
        name="doc", text=text, attributions=(Attribution(content=((start, len(text) - 1),)),)
    )
    scores = finder_report([gold])["scores"]
    assert scores["content"]["all"]["predicted"] == 1
    assert scores["content"]["all"]["overlap"]["precision"] == round(5 / 6, 4)
    assert scores["source"]["all"]["predicted"] == 0
