"""One entry per statement (briefing.track.merge) and the lead built from entries
(briefing.render.lead): made-up articles, no model."""

from __future__ import annotations

import datetime as dt

from briefing.config import load_settings
from briefing.models import Article, ArticleResult, Position
from briefing.render.briefing import BriefingInput, Provenance, render_briefing
from briefing.render.entries import brief_entries
from briefing.render.lead import MAX_LINES, lead_lines
from briefing.track.actors import load_actors
from briefing.track.entries import Statement, about_topic, make_entry
from briefing.track.merge import Reading, merged_position, statement_groups

DAY = dt.date(2025, 12, 16)
TEXT = (
    "Minister Jo Bloggs said the grain deal would be extended next month. "
    "“We will extend the grain deal next month, as agreed,” Bloggs told reporters. "
    "“The first ships sail in January,” she added. "
    "Bloggs said the tariffs were a mistake. "
    "The opposition leader, Sam Stone, said the grain deal was too slow."
)


def position(
    quote: str,
    speaker: str,
    topic: str = "trade",
    stance: str = "neutral",
    kind: str = "reported",
    sentence: int = 1,
    basis: str = "none",
    number: int | None = None,
) -> Position:
    start = TEXT.index(quote)
    return Position(
        id=number,
        article_id="a1",
        speaker=speaker,
        role="",
        topic=topic,
        stance=stance,
        summary="",
        kind=kind,  # type: ignore[arg-type]
        evidence=[sentence],
        spans=[(start, start + len(quote))],
        quotes=[quote],
        stance_basis=basis,  # type: ignore[arg-type]
    )


REPORTED = position("the grain deal would be extended next month", "Jo Bloggs", sentence=1)
QUOTED = position(
    "We will extend the grain deal next month, as agreed,", "Bloggs", kind="direct", sentence=2
)
SHIPS = position("The first ships sail in January,", "Bloggs", kind="direct", sentence=3)
TARIFFS = position(
    "the tariffs were a mistake", "Bloggs", stance="opposes", basis="words", sentence=4
)
STONE = position(
    "the grain deal was too slow", "Sam Stone", stance="opposes", basis="words", sentence=5
)


def groups(*positions: Position) -> list[list[Position]]:
    read: Reading[Position] = Reading(
        position=lambda p: p, voice=lambda p: p.speaker.split()[-1], topic=lambda p: p.topic
    )
    return statement_groups(list(positions), read)


def test_a_reported_line_and_its_quotation_are_one_statement() -> None:
    assert groups(REPORTED, QUOTED, STONE) == [[REPORTED, QUOTED], [STONE]]


def test_a_quotation_on_something_else_next_to_it_is_a_statement_of_its_own() -> None:
    # Same speaker, next sentence, but no shared words: the ships are another point.
    assert groups(QUOTED, SHIPS) == [[QUOTED], [SHIPS]]


def test_two_stated_stances_are_never_one_entry() -> None:
    supports = REPORTED.model_copy(update={"stance": "supports", "stance_basis": "words"})
    opposes = QUOTED.model_copy(update={"stance": "opposes", "stance_basis": "words"})
    assert groups(supports, opposes) == [[supports], [opposes]]
    # ... but "no stance stated" joins a stated one, and the entry takes the stated stance.
    (entry,) = brief_entries([supports, QUOTED], None)
    assert entry.stance == "supports" and entry.direct
    assert [p.quotes for p in entry.shown] == [QUOTED.quotes]  # the quotation is shown


def test_other_topics_and_other_speakers_stay_apart() -> None:
    # A quotation next to the line, filed under another topic, on other words: another point.
    other_topic = SHIPS.model_copy(update={"topic": "sanctions", "evidence": [2]})
    assert groups(REPORTED, other_topic) == [[REPORTED], [other_topic]]
    assert groups(REPORTED, STONE) == [[REPORTED], [STONE]]


def test_a_quotation_sharing_words_with_its_reported_line_joins_it_whatever_its_topic() -> None:
    # The model filed the line and its quotation under two topics; the words say one statement.
    other_topic = QUOTED.model_copy(update={"topic": "sanctions"})
    assert groups(REPORTED, other_topic) == [[REPORTED, other_topic]]
    (entry,) = brief_entries([REPORTED, other_topic], None)
    assert entry.topic == "sanctions"  # filed under the words it shows, the quotation's


def test_an_entry_is_filed_under_the_topic_of_the_stance_it_shows() -> None:
    # "supports" of the line is a view on its topic, not on the one the quotation was given.
    stated = REPORTED.model_copy(update={"stance": "supports", "stance_basis": "words"})
    quoted = QUOTED.model_copy(update={"topic": "sanctions"})
    (entry,) = brief_entries([stated, quoted], None)
    assert (entry.topic, entry.stance) == ("trade", "supports")
    (merged,) = [merged_position(g) for g in groups(stated, quoted)]
    assert (merged.topic, merged.stance) == ("trade", "supports")


LINES = (
    "The ministry said any deployment of troops was categorically unacceptable. "
    "The ministry described talk of troops as an encouragement of hostilities. "
    "Bloggs said the tariffs were a mistake. "
    "Bloggs said the tariffs were a tax on the poor. "
    "She also said that this would be dangerous."
)


def line(quote: str, sentence: int, stance: str = "neutral") -> Position:
    """A reported line of LINES, with a stance read from its words unless it is neutral."""
    start = LINES.index(quote)
    return Position(
        article_id="a2",
        speaker="Jo Bloggs",
        role="",
        topic="trade",
        stance=stance,
        summary="",
        kind="reported",
        evidence=[sentence],
        spans=[(start, start + len(quote))],
        quotes=[quote],
        stance_basis="none" if stance == "neutral" else "words",
    )


def named(words: dict[int, str]) -> Reading[Position]:
    """Positions read as one voice, each named by the words of its sentence in `words`."""
    return Reading(
        position=lambda p: p,
        voice=lambda p: "bloggs",
        topic=lambda p: p.topic,
        speaker_words=lambda p: words[p.evidence[0]],
    )


def test_a_reported_line_going_on_in_the_next_sentence_is_one_statement() -> None:
    stressed = line("any deployment of troops was categorically unacceptable", 1, "opposes")
    described = line("talk of troops as an encouragement of hostilities", 2)
    read = named({1: "The ministry", 2: "The ministry"})
    assert statement_groups([stressed, described], read) == [[stressed, described]]


def test_two_neighbouring_lines_each_taking_a_side_are_two_views() -> None:
    # Two lines that each state a side are two views, even the same side; a line that names
    # no one ("She also said that this ...") goes on with the one before it.
    mistake = line("the tariffs were a mistake", 3, "opposes")
    tax = line("the tariffs were a tax on the poor", 4, "opposes")
    dangerous = line("that this would be dangerous", 5, "opposes")
    read = named({3: "Bloggs", 4: "Bloggs", 5: "She"})
    assert statement_groups([mistake, tax, dangerous], read) == [[mistake], [tax, dangerous]]


def test_a_second_quotation_after_the_statements_own_is_a_point_of_its_own() -> None:
    # The reported line runs into the quotation's sentence ("... next month,” Bloggs told
    # reporters, noting that ..."); the next quotation, “The first ships ...,” she added, is
    # another point though it comes right after a sentence of the line.
    reported = REPORTED.model_copy(update={"evidence": [1, 2]})
    ships = SHIPS.model_copy(update={"evidence": [3]})
    read: Reading[Position] = Reading(
        position=lambda p: p,
        voice=lambda p: p.speaker.split()[-1],
        topic=lambda p: p.topic,
        speaker_words=lambda p: "she" if p is ships else None,
    )
    assert statement_groups([reported, QUOTED, ships], read) == [[reported, QUOTED], [ships]]


def test_a_quotation_found_again_far_away_does_not_take_the_line_before_its_second_part() -> None:
    # The same quotation found twice (sentences 2 and 6, joined in grounding) begins at 2: a
    # reported line at 5 is not what it goes on with.
    twice = QUOTED.model_copy(update={"evidence": [2, 6]})
    later = REPORTED.model_copy(update={"evidence": [5]})
    assert groups(twice, later) == [[twice], [later]]


def test_a_statement_naming_several_topics_is_about_none_of_them() -> None:
    keywords = {"security": ["security guarantee"], "territory": ["territor"]}
    listed = "progress on issues as complex as security guarantees, territorial arrangements"
    assert not about_topic("security", [listed], "", keywords)
    assert about_topic("security", ["no security guarantees without us"], "", keywords)
    assert about_topic("other", ["anything"], "", keywords)  # no keywords: not checkable


def test_a_place_speaks_for_an_institution_only_where_the_institution_is_named() -> None:
    book = load_actors(load_settings())
    kremlin_text = "Kremlin spokesman Dmitry Peskov spoke. Moscow views the plan negatively."
    assert book.resolve_in("Moscow", kremlin_text).id == "kremlin"
    assert book.resolve_in("Moscow", "Moscow views the plan negatively.").kind == "unlisted"
    assert book.resolve_in("Dmitry Peskov", "anything").id == "peskov"


TITLES = {"trade": "Trade", "sanctions": "Sanctions"}


def test_the_lead_is_at_most_five_lines_one_per_voice_and_topic() -> None:
    many = [
        position("the tariffs were a mistake", f"Speaker{i}", stance="opposes", basis="words")
        for i in range(8)
    ]
    lines = lead_lines(brief_entries(many, None), TITLES, {}, ["A", "B"], held=0, articles=1)
    assert len(lines) == MAX_LINES
    assert lines[-1].text == "First heard from: A, B."
    same_voice = [TARIFFS, TARIFFS.model_copy(update={"evidence": [9], "spans": [(0, 3)]})]
    lines = lead_lines(brief_entries(same_voice, None), TITLES, {}, [], held=0, articles=1)
    assert len(lines) == 1


def test_the_lead_says_what_there_is_on_an_empty_or_stanceless_day() -> None:
    assert lead_lines([], TITLES, {}, [], held=3, articles=2)[0].text.startswith(
        "Nothing briefed as fact: 3 statements held for review"
    )
    assert "No attributed statements" in lead_lines([], TITLES, {}, [], 0, 2)[0].text
    lines = lead_lines(brief_entries([REPORTED], None), TITLES, {}, [], held=1, articles=1)
    texts = [line.text for line in lines]
    assert texts[0].startswith("**Jo Bloggs** on Trade: reported: the grain deal")
    assert "No stance is stated in today's statements: read the quotations." in texts
    assert "1 more held for review (below)." in texts


def test_a_lead_line_escapes_what_came_from_the_article() -> None:
    hostile = position(
        "the tariffs were a mistake", "Jo <b>[x](javascript:1)</b>", stance="opposes", basis="words"
    )
    (line,) = lead_lines(brief_entries([hostile], None), TITLES, {}, [], 0, 1)
    # Escaped: no tag, and the brackets cannot make a link.
    assert "\\<b\\>" in line.text and "\\[x\\](javascript" in line.text
    assert "<b>" not in line.text.replace("\\<b\\>", "")


def test_the_page_numbers_entries_and_groups_a_speaker_once_per_topic() -> None:
    article = Article(id="a1", text=TEXT, origin="t.md", published=DAY, source="Wire")
    positions = [
        p.model_copy(update={"id": n})
        for n, p in enumerate([REPORTED, QUOTED, SHIPS, TARIFFS, STONE], 1)
    ]
    page = render_briefing(
        BriefingInput(
            day=DAY,
            articles=[ArticleResult(article, positions)],
            provenance=Provenance("replay", "m", "p", 0, 0),
            positions=positions,
            topics={"trade": "trade"},
            titles=TITLES,
        )
    )
    # Five positions, four statements: the reported line and its quotation are one entry.
    assert page.positions == 4
    body = page.markdown.split("## Positions by topic")[1]
    assert body.count("**Jo Bloggs**") == 1 and body.count("**Sam Stone**") == 1
    assert "- 1. *no stance stated*: “We will extend the grain deal" in body
    assert page.data["entries"][0]["position_ids"] == [1, 2]


def test_a_quotation_right_after_its_line_on_its_topic_goes_on_with_it_however_named() -> None:
    def read(named_as: str | None) -> Reading[Position]:
        return Reading(
            position=lambda p: p,
            voice=lambda p: p.speaker.split()[-1],
            topic=lambda p: p.topic,
            speaker_words=lambda p: named_as if p.kind == "direct" else None,
        )

    # "Bloggs said the grain deal would be extended. “The first ships sail in January,”
    # Bloggs said." is one statement as much as with "she said".
    ships = SHIPS.model_copy(update={"evidence": [2]})  # right after the reported line
    assert statement_groups([REPORTED, ships], read("she")) == [[REPORTED, ships]]
    assert statement_groups([REPORTED, ships], read("Bloggs")) == [[REPORTED, ships]]
    # Filed under another topic, on other words, named again: a point of its own.
    other = ships.model_copy(update={"topic": "sanctions"})
    assert statement_groups([REPORTED, other], read("Bloggs")) == [[REPORTED], [other]]


def test_statements_whose_words_name_the_topic_lead_before_the_models_guesses() -> None:
    article = Article(id="a1", text=TEXT, origin="t.md", published=DAY, source="Wire")
    # Stone's words name trade (its keyword "grain"); Bloggs's tariffs remark does not.
    stone, tariffs = (p.model_copy(update={"id": n}) for n, p in ((1, STONE), (2, TARIFFS)))
    book = load_actors(load_settings())
    keywords = {"trade": ["grain"]}
    entries = {p.key: make_entry(p, article, [], book, keywords) for p in (stone, tariffs)}
    tracked = {key: Statement([e]) for key, e in entries.items()}
    lines = lead_lines(brief_entries([tariffs, stone], tracked), TITLES, {}, [], 0, 1)
    assert [line.entries for line in lines] == [(2,)]  # Stone only: the clear one


def test_first_heard_from_lists_only_voices_the_lead_has_not_named() -> None:
    said = [position("the tariffs were a mistake", "Ana Ruiz", stance="opposes", basis="words")]
    lines = lead_lines(
        brief_entries(said, None), TITLES, {}, ["Ana Ruiz", "Ben Ode"], held=0, articles=1
    )
    assert lines[-1].text == "First heard from: Ben Ode."
    lines = lead_lines(brief_entries(said, None), TITLES, {}, ["Ana Ruiz"], held=0, articles=1)
    assert not any(line.text.startswith("First heard from") for line in lines)


def test_a_lead_line_names_the_topic_and_quotes_but_claims_no_stance() -> None:
    lines = lead_lines(brief_entries([TARIFFS], None), TITLES, {"trade": "free trade"}, [], 0, 1)
    assert lines[0].text.startswith("**Bloggs** on Trade: reported: the tariffs were a mistake")
    assert "opposes" not in lines[0].text and "free trade" not in lines[0].text


def test_a_merged_entry_is_said_by_the_speaker_of_the_quotation_it_shows() -> None:
    # "The ministry said the grain deal would be extended. “We will extend ...,” Bloggs told
    # reporters": one voice, one statement; the words shown are Bloggs's, so is the entry.
    line = REPORTED.model_copy(update={"speaker": "Trade Ministry"})
    read: Reading[Position] = Reading(
        position=lambda p: p, voice=lambda p: "ministry", topic=lambda p: p.topic
    )
    [group] = statement_groups([line, QUOTED], read)
    assert merged_position(group).speaker == "Bloggs"
    # one person named twice keeps the fuller name
    [group] = statement_groups([REPORTED, QUOTED], read)
    assert merged_position(group).speaker == "Jo Bloggs"


def test_a_merged_entry_shows_the_fullest_name_of_its_speaker() -> None:
    # "Bloggs said ..." then “...,” Jo Bloggs told reporters: one person, named in full.
    line = REPORTED.model_copy(update={"speaker": "Bloggs"})
    quoted = QUOTED.model_copy(update={"speaker": "Jo Bloggs"})
    [group] = groups(line, quoted)
    assert merged_position(group).speaker == "Jo Bloggs"
    (entry,) = brief_entries([line, quoted], None)
    assert entry.speaker == "Jo Bloggs"


def test_a_merged_entry_gives_only_its_speakers_role() -> None:
    # The spokesman's line and the president's quotation are one statement of one voice, shown
    # as the president's: the spokesman's role is not the president's.
    text = (
        "Kremlin spokesman Dmitry Peskov said the grain deal would be extended next month. "
        "“We will extend the grain deal next month, as agreed,” Putin told reporters. "
        "Russian President Vladimir Putin said the tariffs were a mistake."
    )
    article = Article(id="a6", text=text, origin="t.md", published=DAY, source="Wire")

    def said(quote: str, speaker: str, role: str, kind: str, number: int) -> Position:
        start = text.index(quote)
        return Position(
            id=number,
            article_id="a6",
            speaker=speaker,
            role=role,
            topic="trade",
            stance="neutral",
            summary="",
            kind=kind,  # type: ignore[arg-type]
            evidence=[number],
            spans=[(start, start + len(quote))],
            quotes=[quote],
            stance_basis="none",
        )

    line = said(
        "the grain deal would be extended next month",
        "Dmitry Peskov",
        "Kremlin spokesman",
        "reported",
        1,
    )
    quoted = said("We will extend the grain deal next month, as agreed,", "Putin", "", "direct", 2)
    tariffs = said(
        "the tariffs were a mistake", "Vladimir Putin", "Russian President", "reported", 3
    )
    [group, _] = statement_groups(
        [line, quoted, tariffs],
        Reading(position=lambda p: p, voice=lambda p: "kremlin", topic=lambda p: p.topic),
    )
    assert (merged_position(group).speaker, merged_position(group).role) == ("Putin", "")
    book = load_actors(load_settings())
    entries = {p.key: make_entry(p, article, [], book, {}) for p in (line, quoted, tariffs)}
    tracked = {key: Statement([e]) for key, e in entries.items()}
    first = brief_entries([line, quoted, tariffs], tracked)[0]
    # Putin's role as the day's articles give it, not the spokesman's.
    assert (first.speaker, first.role) == ("Putin", "Russian President")
