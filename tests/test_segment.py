"""Sentences and quotation spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.ingest.articles import read_articles
from briefing.text.segment import find_quotes, quotes_in, split_sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_FILES = sorted(p for p in SEEDS.glob("*.md") if p.name != "README.md")


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def quotes(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


# --- sentences ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "U.S. and Ukrainian delegations met in Berlin on Dec. 14–15 for talks.",
        "On Tuesday, U.S. President Donald Trump met Zelensky.",
        "Mr. Smith and Dr. Jones met Gen. Ivanov in St. Petersburg.",
        "The U.N. Security Council met on Sept. 3 and Oct. 4.",
        "J. Smith wrote it.",
        "Some, e.g. Russia, disagree.",
        "Resolution No. 2231 applies.",
        "It was Russia vs. Ukraine.",
        "He sold apples, pears, etc. and left.",
        "Growth was 2.5 percent.",
    ],
)
def test_abbreviations_do_not_end_sentences(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Smith said no. He left.", ["Mr. Smith said no.", "He left."]),
        ("Is it over? Yes! 2025 was hard.", ["Is it over?", "Yes!", "2025 was hard."]),
        ("He spoke. “We agree,” he said.", ["He spoke.", "“We agree,” he said."]),
        ("“We agree.” Then he left.", ["“We agree.”", "Then he left."]),
        ("He left (quietly.) Then", ["He left (quietly.)", "Then"]),
        ("The talks continue... Nobody knows.", ["The talks continue...", "Nobody knows."]),
        ("It ended in the U.K. and in Berlin.", ["It ended in the U.K. and in Berlin."]),
        ("He said no. 5 people came.", ["He said no.", "5 people came."]),
    ],
)
def test_sentence_ends(text, expected):
    assert sentences(text) == expected


def test_lines_always_end_sentences_and_offsets_slice_back():
    text = "Headline without stop\n\n  Indented first. Second one.  \nLast line"
    result = split_sentences(text)
    assert [s.index for s in result] == [1, 2, 3, 4]
    assert [text[s.start : s.end] for s in result] == [
        "Headline without stop",
        "Indented first.",
        "Second one.",
        "Last line",
    ]


def test_empty_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("\n\n  \n") == []


def test_a_quote_may_be_split_into_sentences():
    text = "“Our position is well known. It has been formulated by the president,” he said."
    assert sentences(text) == [
        "“Our position is well known.",
        "It has been formulated by the president,” he said.",
    ]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem[:3])
def test_seed_sentences_cover_the_text(path):
    (article,) = read_articles(path)
    result = split_sentences(article.text)
    assert [s.index for s in result] == list(range(1, len(result) + 1))
    # Every non-space character is in exactly one sentence, in order.
    covered = "".join(article.text[s.start : s.end] for s in result)
    assert "".join(covered.split()) == "".join(article.text.split())
    for s in result:
        piece = article.text[s.start : s.end]
        assert piece == piece.strip() and "\n" not in piece


def test_seed_000_sentences():
    (article,) = read_articles(next(SEEDS.glob("000_*.md")))
    found = sentences(article.text)
    assert (
        "U.S. and Ukrainian delegations met in Berlin on Dec. 14–15 for talks on the Ukrainian"
        " settlement."
    ) in found
    assert (
        "“Our approach to the deployment of foreign military units in Ukraine is well known."
    ) in found
    assert "However, this issue can be discussed.”" in found


# --- quotations -----------------------------------------------------------------------------------


def test_curly_straight_and_guillemet_quotes():
    assert quotes("He said “yes” today.") == ["yes"]
    assert quotes('He said "yes" today.') == ["yes"]
    assert quotes("Il a dit «oui» hier.") == ["oui"]
    assert quotes("Er sagte „ja“ gestern.") == ["ja"]


def test_spans_exclude_the_marks_and_are_sorted():
    text = '“One,” and “two” and "three".'
    spans = find_quotes(text)
    assert [text[q.start - 1] + text[q.end] for q in spans] == ["“”", "“”", '""']
    assert [q.start for q in spans] == sorted(q.start for q in spans)


def test_quote_split_by_attribution_gives_two_spans():
    assert quotes("“A is true,” he said. “B is too.”") == ["A is true,", "B is too."]


def test_quote_over_several_sentences_is_one_span():
    text = "“It is known. It is clear. It is final,” he said."
    assert quotes(text) == ["It is known. It is clear. It is final,"]


def test_quote_over_paragraphs():
    text = "He said: “The first paragraph goes on.\n“The second one ends here.”\nNarration."
    assert quotes(text) == ["The first paragraph goes on.", "The second one ends here."]


def test_quote_over_three_paragraphs_with_blank_lines():
    text = "“One.\n\n“Two.\n\n“Three.” Done."
    assert quotes(text) == ["One.", "Two.", "Three."]


def test_unmatched_mark_does_not_run_past_its_paragraph():
    text = "He said “this never closes.\nNext paragraph has “a real quote” in it.\nAnd “another”."
    assert quotes(text) == ["a real quote", "another"]


def test_unclosed_continued_quote_gives_nothing():
    text = "“One goes on.\n“Two never closes.\nNarration with “a quote”."
    assert quotes(text) == ["a quote"]


def test_straight_quotes_stay_in_one_paragraph():
    text = 'A 5" screen.\n"Real quote," he said.'
    assert quotes(text) == ["Real quote,"]


def test_apostrophes_and_single_quotes_are_ignored():
    text = "Russia’s view, Kiev hasn’t said, the ‘coalition’ isn't 'here'."
    assert quotes(text) == []
    assert quotes("Russia’s “position” stands.") == ["position"]


def test_seed_quotes():
    (article,) = read_articles(next(SEEDS.glob("003_*.md")))
    found = quotes(article.text)
    assert "We cannot yet name the exact dates," in found
    assert "coalition of the willing" in found
    opening = "We believe that these efforts [of US President Donald Trump] ..."
    assert any(q.startswith(opening) for q in found)
    (article,) = read_articles(next(SEEDS.glob("002_*.md")))
    assert "This is a normal working process—the search for compromise." in quotes(article.text)


# --- quotes_in ------------------------------------------------------------------------------------


def parts(text: str) -> list[list[str]]:
    spans = find_quotes(text)
    return [[text[a:b] for a, b in quotes_in(s, spans, text)] for s in split_sentences(text)]


def test_quotes_in_clips_to_each_sentence():
    text = "“Our position is well known. It is clear,” he said. Then he left."
    assert parts(text) == [["Our position is well known."], ["It is clear,"], []]


def test_quotes_in_split_by_attribution():
    assert parts("“A is true,” he said. “B is too.”") == [["A is true,"], ["B is too."]]
    assert parts("“A is true,” he said, “and B is too.”") == [["A is true,", "and B is too."]]


def test_quotes_in_without_text_gives_the_same_parts():
    text = "“A is true,” he said. “B is too. And C,” he added."
    spans = find_quotes(text)
    for sentence in split_sentences(text):
        assert quotes_in(sentence, spans) == quotes_in(sentence, spans, text)


def test_quotes_in_drops_punctuation_only_parts():
    text = "“Done.” … He said."
    spans = find_quotes(text)
    sentence = split_sentences(text)[0]
    assert [text[a:b] for a, b in quotes_in(sentence, spans, text)] == ["Done."]
    assert quotes_in(sentence, [type(spans[0])(start=5, end=6)], text) == []  # just "”"


def test_seed_000_quote_parts_are_exact_substrings():
    (article,) = read_articles(next(SEEDS.glob("000_*.md")))
    text = article.text
    spans = find_quotes(text)
    line = (
        "“Our approach to the deployment of foreign military units in Ukraine is well known."
        " However, this issue can be discussed.”"
    )
    line_start = text.index(line)
    in_line = [s for s in split_sentences(text) if line_start <= s.start < line_start + len(line)]
    assert len(in_line) == 2
    got = [text[a:b] for s in in_line for a, b in quotes_in(s, spans, text)]
    assert got == [
        "Our approach to the deployment of foreign military units in Ukraine is well known.",
        "However, this issue can be discussed.",
    ]
    assert all(part in line for part in got)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.stem[:3])
def test_seed_quote_parts_lie_inside_their_sentences(path):
    (article,) = read_articles(path)
    text = article.text
    spans = find_quotes(text)
    assert spans
    for span in spans:
        assert "\n" not in text[span.start : span.end]
        assert text[span.start - 1] in '“"«„'
    for sentence in split_sentences(text):
        for a, b in quotes_in(sentence, spans, text):
            assert sentence.start <= a < b <= sentence.end
            assert text[a:b] == text[a:b].strip()


def test_a_paragraph_opened_with_a_closing_mark_is_still_a_quotation():
    # some outlets open a reader's quotation with ” and close it with ” too
    text = (
        "Readers wrote in.\n\n"
        "”Fear. I am truly afraid that he will win.” ― Edwin G. Monroy\n"
        "“He is not fit.” ― Ana Ruiz\n"
        "The mayor ”resigned” on Friday.\n"
    )
    quotes = [text[q.start : q.end] for q in find_quotes(text)]
    assert quotes == ["Fear. I am truly afraid that he will win.", "He is not fit."]
