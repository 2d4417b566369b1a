"""One entry per statement (briefing.track.merge), the parts news layout splits a statement
into: a quotation backing the line two sentences before it, a quotation on a topic the model
filed apart, the writer's line restating a quotation. A made-up article, no model."""

from __future__ import annotations

import datetime as dt

from briefing.config import load_settings
from briefing.evaluate.briefed import briefed_entries
from briefing.models import Article, Position
from briefing.render.entries import brief_entries
from briefing.text.segment import split_sentences
from briefing.track.actors import load_actors
from briefing.track.entries import Statement, make_entry
from briefing.track.merge import Reading, statement_groups

TEXT = (
    "Minister Ana Ruiz said the ministry would rather hold the grain talks beside the tariff talks. "
    "“It would be better for both countries to pursue these tracks in parallel,” Ruiz said. "
    "The Defence Ministry announced that its forces had taken the village of Lipky. "
    "The ministry described the advance on Lipky as a tactical gain. "
    "Ruiz said the ministry will put its case to the trade council. "
    "She said, however, that no call between the leaders is planned. "
    "“We will also have the chance to put our case to the council in Geneva,” Ruiz said. "
    "Ruiz indicated that the question is not closed to dialogue. "
    "“We will not discuss the details through the media,” she said. "
    "“Our approach to quotas is well known. However, this issue can be discussed.” "
    "Ruiz said the talks must stay confidential to achieve results. "
    "“Our contacts continue through the usual channels,” she told reporters. "
    "“We believe the work should stay out of public view. This is the only way to achieve "
    "results,” she noted. "
    "“We highly appreciate the mediator's efforts to find a settlement,” Ruiz said. "
    "The ministry emphasized its appreciation for the mediator's substantial efforts."
)
SENTENCES = split_sentences(TEXT)


def part(
    quote: str, topic: str = "trade", stance: str = "", speaker: str = "Ana Ruiz", text: str = TEXT
) -> Position:
    """The position quoting `quote` in `text` (a reported line unless its sentence opens with a
    quotation mark), its stance read from its words when one is given."""
    start = text.index(quote)
    sentences = SENTENCES if text is TEXT else split_sentences(text)
    evidence = [s.index for s in sentences if s.start <= start + len(quote) and start < s.end]
    opening = next(s for s in sentences if s.index == evidence[0])
    direct = text[opening.start] == "“"
    return Position(
        article_id="a3" if text is TEXT else "a5",
        speaker=speaker,
        role="",
        topic=topic,
        stance=stance or "neutral",
        summary="",
        kind="direct" if direct else "reported",
        evidence=evidence,
        spans=[(start, start + len(quote))],
        quotes=[quote],
        stance_basis="words" if stance else "none",
    )


def groups(*parts: Position, named: dict[int, str] | None = None) -> list[list[Position]]:
    """The parts grouped, each named by its sentence's words in `named` (None: unattributed)."""
    read: Reading[Position] = Reading(
        position=lambda p: p,
        voice=lambda p: p.speaker.split()[-1].lower(),
        topic=lambda p: p.topic,
        speaker_words=lambda p: (named or {}).get(p.evidence[0]),
    )
    return statement_groups(list(parts), read)


LINE = part("the ministry would rather hold the grain talks beside the tariff talks")
TRACKS = part("It would be better for both countries to pursue these tracks in parallel,", "talks")
TAKEN = part("its forces had taken the village of Lipky", "territory", speaker="Defence Ministry")
ADVANCE = part("the advance on Lipky as a tactical gain", "operations", speaker="Defence Ministry")
CASE = part("the ministry will put its case to the trade council")
NO_CALL = part("no call between the leaders is planned", "summit")
GENEVA = part("We will also have the chance to put our case to the council in Geneva,")
DIALOGUE = part("the question is not closed to dialogue", "trade", "conditional")
MEDIA = part("We will not discuss the details through the media,", "media")
QUOTAS = part(
    "Our approach to quotas is well known. However, this issue can be discussed.",
    "quotas",
    "conditional",
)
CONFIDENTIAL = part("the talks must stay confidential to achieve results", "media")
CHANNELS = part("Our contacts continue through the usual channels,", "media")
RESULTS = part(
    "We believe the work should stay out of public view. This is the only way to achieve results,",
    "talks",
)
APPRECIATE = part(
    "We highly appreciate the mediator's efforts to find a settlement,", "talks", "supports"
)
APPRECIATION = part("its appreciation for the mediator's substantial efforts", "talks", "supports")


def test_a_quotation_on_another_topic_pointing_back_to_its_line_goes_on_with_it() -> None:
    # The model filed the line under trade and its quotation ("these tracks") under talks;
    # neither states a stance, so the topics are two guesses at one statement.
    assert groups(LINE, TRACKS, named={2: "Ruiz"}) == [[LINE, TRACKS]]
    # A stance is a view on its topic: a quotation filed under another stays apart from it.
    stated = LINE.model_copy(update={"stance": "supports", "stance_basis": "words"})
    assert groups(stated, TRACKS, named={2: "Ruiz"}) == [[stated], [TRACKS]]


def test_this_year_or_such_as_points_at_no_earlier_line() -> None:
    text = (
        "Ruiz said the ministry was ready to discuss a prisoner exchange. "
        "“We expect a good grain harvest this year, in crops such as wheat,” Ruiz said. "
        "“This is our offer,” she added."
    )
    exchange = part("the ministry was ready to discuss a prisoner exchange", "prisoners", text=text)
    harvest = part("We expect a good grain harvest this year, in crops such as wheat,", text=text)
    # Two neighbours filed under two topics, neither taking a side: another point.
    assert groups(exchange, harvest, named={2: "Ruiz"}) == [[exchange], [harvest]]
    # "This is our offer" right after the line points back to it.
    offer = part("This is our offer,", "trade", text=text).model_copy(update={"evidence": [2]})
    assert groups(exchange, offer, named={2: "she"}) == [[exchange, offer]]


def test_a_line_naming_no_one_on_another_topic_goes_on_with_the_line_sharing_a_word() -> None:
    named = {3: "The Defence Ministry", 4: "The ministry"}
    assert groups(TAKEN, ADVANCE, named=named) == [[TAKEN, ADVANCE]]
    # Named again, with nothing pointing back, it is a line of its own.
    assert groups(TAKEN, ADVANCE, named={4: "Defence Ministry"}) == [[TAKEN], [ADVANCE]]
    stated = TAKEN.model_copy(update={"stance": "supports", "stance_basis": "words"})
    assert groups(stated, ADVANCE, named=named) == [[stated], [ADVANCE]]


def test_he_said_on_another_topic_is_a_new_point() -> None:
    text = (
        "Ruiz said the ministry had no plans for a leaders' summit. "
        "She said the central bank would keep interest rates where they are."
    )
    summit = part("the ministry had no plans for a leaders' summit", "summit", text=text)
    rates = part("the central bank would keep interest rates where they are", "rates", text=text)
    assert groups(summit, rates, named={1: "Ruiz", 2: "She"}) == [[summit], [rates]]


def test_a_quotation_taking_up_the_line_two_sentences_before_backs_it() -> None:
    # "Ruiz said the ministry will put its case ... She said, however, ... “We will also have
    # the chance to put our case ...,” Ruiz said."
    named = {5: "Ruiz", 6: "Ruiz", 7: "Ruiz"}
    assert groups(CASE, GENEVA, named=named) == [[CASE, GENEVA]]
    # The sentence between is the same speaker's other point.
    assert groups(CASE, NO_CALL, GENEVA, named=named) == [[CASE, GENEVA], [NO_CALL]]
    # Another speaker's sentence between: the quotation is not the line's.
    stone = NO_CALL.model_copy(update={"speaker": "Sam Stone"})
    assert groups(CASE, stone, GENEVA, named=named) == [[CASE], [stone], [GENEVA]]
    # A line that quotes words of its own has its quotation.
    quoting = CASE.model_copy(
        update={"quotes": ["the ministry will “put its case” to the council"]}
    )
    assert groups(quoting, GENEVA, named=named) == [[quoting], [GENEVA]]


def test_a_quotation_stating_the_lines_stance_after_another_quotation_backs_the_line() -> None:
    # "Ruiz indicated that the question is not closed to dialogue. “We will not discuss ...,”
    # she said. “... However, this issue can be discussed.”"
    named = {8: "Ruiz", 9: "she"}
    assert groups(DIALOGUE, MEDIA, QUOTAS, named=named) == [[DIALOGUE, QUOTAS], [MEDIA]]
    opposed = QUOTAS.model_copy(update={"stance": "opposes"})
    assert groups(DIALOGUE, MEDIA, opposed, named=named) == [[DIALOGUE], [MEDIA], [opposed]]


def test_a_quotation_sharing_only_a_stance_across_the_writers_sentence_is_another_view() -> None:
    text = (
        "Ruiz said the new quota rules were unfair. "
        "The grain price fell three percent on Monday. "
        "“Any further tariff on steel is unacceptable,” Ruiz said."
    )
    quotas = part("the new quota rules were unfair", "quotas", "opposes", text=text)
    steel = part("Any further tariff on steel is unacceptable,", "tariffs", "opposes", text=text)
    named = {0: "Ruiz", 2: "Ruiz"}
    # Opposing quotas and opposing a steel tariff are two views: the steel one stays shown.
    assert groups(quotas, steel, named=named) == [[quotas], [steel]]
    # On the line's topic, the quotation stating its stance backs it.
    on_quotas = steel.model_copy(update={"topic": "quotas"})
    assert groups(quotas, on_quotas, named=named) == [[quotas, on_quotas]]


def test_a_quotation_after_the_statements_own_taking_up_its_line_joins_it() -> None:
    named = {12: "she", 13: "she"}
    assert groups(CONFIDENTIAL, CHANNELS, RESULTS, named=named) == [
        [CONFIDENTIAL, CHANNELS, RESULTS]
    ]
    # One that states a stance is a point of its own, whatever words it shares.
    stated = RESULTS.model_copy(update={"stance": "supports", "stance_basis": "words"})
    assert groups(CONFIDENTIAL, CHANNELS, stated, named=named) == [
        [CONFIDENTIAL, CHANNELS],
        [stated],
    ]


def test_the_writers_line_restating_a_quotation_joins_it_one_adding_a_point_does_not() -> None:
    ministry = APPRECIATION.model_copy(update={"speaker": "Ruiz"})  # the voice she speaks for
    named = {15: "Ruiz", 16: "The ministry"}
    assert groups(APPRECIATE, ministry, named=named) == [[APPRECIATE, ministry]]
    # Sharing words but stating nothing, the line is another point ("She added that ...").
    added = ministry.model_copy(update={"stance": "neutral", "stance_basis": "none"})
    assert groups(APPRECIATE, added, named=named) == [[APPRECIATE], [added]]


def test_a_statement_is_filed_under_the_topic_its_words_name() -> None:
    # The line was filed under trade, its quotation under quotas: the quotation's words name
    # quotas (the topic list's keywords), the line's name nothing.
    article = Article(
        id="a3", text=TEXT, origin="t.md", published=dt.date(2025, 12, 16), source="Wire"
    )
    book = load_actors(load_settings())
    keywords = {"quotas": ["quota"], "trade": ["tariff"], "media": ["media"]}
    positions = [p.model_copy(update={"id": n}) for n, p in enumerate((DIALOGUE, MEDIA, QUOTAS))]
    entries = {p.key: make_entry(p, article, SENTENCES, book, keywords) for p in positions}
    tracked = {key: Statement([e]) for key, e in entries.items()}
    briefed = brief_entries(positions, tracked)
    assert [(len(e.parts), e.topic, e.stance) for e in briefed] == [
        (2, "quotas", "conditional"),
        (1, "media", "no stance stated"),
    ]


def test_page_furniture_between_a_line_and_its_quotation_does_not_part_them() -> None:
    # Sentences next to each other in the prose: a link line between them is the page's.
    text = (
        "Minister Ana Ruiz said the ministry would resume the grain talks next month.\n"
        "RELATED: Grain prices fall to a four-year low\n"
        "“We keep our word: the delegations meet again in February,” Ruiz said.\n"
        "The Harvest Ahead\n"
        "“The first ships sail in January,” she said."
    )
    sentences = split_sentences(text)

    def said(quote: str, kind: str) -> Position:
        start = text.index(quote)
        (sentence,) = [s.index for s in sentences if s.start <= start < s.end]
        return Position(
            article_id="a4",
            speaker="Ana Ruiz",
            role="",
            topic="trade",
            stance="neutral",
            summary="",
            kind=kind,  # type: ignore[arg-type]
            evidence=[sentence],
            spans=[(start, start + len(quote))],
            quotes=[quote],
            stance_basis="none",
        )

    line = said("the ministry would resume the grain talks next month", "reported")
    quoted = said("We keep our word: the delegations meet again in February,", "direct")
    ships = said("The first ships sail in January,", "direct")
    book = load_actors(load_settings())
    entries = briefed_entries([line, quoted, ships], book, text)
    # A heading opens a section: the quotation after it is not the line's.
    assert [e.quotes for e in entries] == [line.quotes + quoted.quotes, ships.quotes]
