"""Attributions that are no one's position are set aside before the model is asked: the
writer's reading of a thing, a thing speaking with no actor behind it, a subject of talks."""

from __future__ import annotations

import pytest

from briefing.errors import BriefError
from briefing.extract.extractor import rules_fingerprint
from briefing.extract.topics import DEFAULT_TOPICS
from briefing.extract.worth import not_a_position, source_head
from briefing.extract.worth_rules import load_rules
from briefing.find import find_attributions


def _verdicts(text: str) -> dict[str, str | None]:
    """Each candidate's content (first words) -> why it is not a position (None: it can be)."""
    out = {}
    for candidate in find_attributions(text):
        start, end = candidate.content[0]
        out[" ".join(text[start:end].split()[:4])] = not_a_position(text, candidate)
    return out


@pytest.mark.parametrize(
    ("source", "head"),
    [
        ("The governor's remarks on the budget", "remarks"),
        ("Germany's Finance Ministry", "Ministry"),
        ("The decision of the court", "decision"),
        ("Senator Jane Ortiz, a Democrat from Ohio", "Ortiz"),
        ("the union's", "union"),
        ("", ""),
    ],
)
def test_the_head_of_a_source_phrase(source: str, head: str) -> None:
    assert source_head(source) == head


def test_what_a_thing_shows_is_the_writers_reading_not_a_position() -> None:
    text = (
        "Mayor Lena Ortiz said the new tram line will open in May. "
        "The mayor's remarks suggest that the city has given up on the bus plan. "
        "The delay indicates that the contractor ran out of money."
    )
    verdicts = _verdicts(text)
    assert verdicts["the new tram line"] is None
    assert verdicts["that the city has"] is not None
    assert verdicts["that the contractor ran"] is not None


def test_a_person_or_an_institution_showing_something_is_still_a_position() -> None:
    text = (
        "Finance Minister Karl Brandt indicated that taxes would not rise. "
        "The ministry signalled that it would not raise taxes this year. "
        "Officials suggested that the budget could be balanced by 2030."
    )
    assert all(reason is None for reason in _verdicts(text).values())


def test_a_subject_of_talks_is_not_a_position_but_a_view_about_it_is() -> None:
    text = (
        "The two ministers discussed the future of the pipeline. "
        "Mayor Lena Ortiz commented on reports that the plant would close. "
        "Mayor Lena Ortiz warned that closing the plant would cost 2,000 jobs."
    )
    verdicts = _verdicts(text)
    assert verdicts["the future of the"] == "reports a subject of talks, not a view"
    assert verdicts["on reports that the"] is not None
    assert verdicts["that closing the plant"] is None


def test_quotations_are_never_set_aside_here() -> None:
    text = "“We will fight this in court,” the statement said."
    candidates = find_attributions(text)
    assert candidates and all(not_a_position(text, c) is None for c in candidates)


def test_the_rules_are_read_from_data() -> None:
    rules = load_rules()
    assert "suggests" in rules.evidential and "discussed" in rules.topic_only
    assert "remarks" in rules.things


def test_other_rules_or_topics_make_another_extraction(tmp_path) -> None:
    """A stored extraction records the rules it was made with: edit the topic list and the next
    run extracts again instead of showing positions labelled against the old topics."""
    edited = tmp_path / "topics.toml"
    edited.write_text(DEFAULT_TOPICS.read_text(encoding="utf-8") + "\n# edited\n", "utf-8")
    assert rules_fingerprint(edited) != rules_fingerprint(DEFAULT_TOPICS)
    assert rules_fingerprint(None) == rules_fingerprint(DEFAULT_TOPICS)


def test_a_topic_without_sides_keeps_no_stance(tmp_path) -> None:
    """On how talks are held, "will not discuss it through the media" and "ready to meet as
    often as needed" are not against and for one proposal: no stance, so no shift."""
    from briefing.extract.label import Label, without_sides
    from briefing.extract.topics import load_sideless

    sideless = load_sideless()
    assert "negotiation_format" in sideless and "sanctions" not in sideless
    refusal = Label(
        1, True, "negotiation_format", "opposes", "", "A", "rules", "keywords", ("-will not",)
    )
    plain = without_sides(refusal, sideless)
    assert (plain.stance, plain.cues) == ("neutral", ())
    on_sanctions = Label(2, True, "sanctions", "opposes", "", "A", "rules", "keywords", ("-harm",))
    assert without_sides(on_sanctions, sideless) == on_sanctions
    broken = tmp_path / "topics.toml"
    broken.write_text('[topics]\na = "A"\n[sides]\nnone = "a"\n', "utf-8")
    with pytest.raises(BriefError, match=r"topics.toml: \[sides\] none = 'a' is not a list"):
        load_sideless(broken)


def test_what_someone_wants_or_promises_is_a_position_and_an_adviser_is_someone() -> None:
    text = (
        "Governor Ana Ruiz promised to cut the sales tax by half. "
        "One of the governor's advisers suggested that the cut would cost schools dearly. "
        "Officers at the scene said the crowd had been peaceful. "
        "The report says that the plant will close in May."
    )
    verdicts = _verdicts(text)
    assert verdicts["to cut the sales"] is None  # an infinitive, not "to questions about"
    assert verdicts["that the cut would"] is None
    assert verdicts["the crowd had been"] is None
    assert verdicts["that the plant will"] == (
        "a thing speaks, with no actor the article names behind it"
    )


def test_a_short_noun_phrase_is_not_a_statement_unless_the_cue_takes_sides() -> None:
    text = (
        "Mayor Lena Ortiz mentioned the new stadium. "
        "The teachers' union endorses Ortiz. "
        "Mayor Lena Ortiz said taxes are too high. "
        "Mayor Lena Ortiz described the budget as reckless. "
        "Mayor Lena Ortiz outlined her budget plan. "
        "Mayor Lena Ortiz warned of a long strike."
    )
    verdicts = _verdicts(text)
    reason = "a noun phrase, not a statement: names what was said about"
    assert verdicts["the new stadium"] == reason
    assert verdicts["her budget plan"] == reason
    assert verdicts["Ortiz"] is None  # an endorsement: the object is the position
    assert verdicts["taxes are too high"] is None
    assert verdicts["the budget as reckless"] is None
    assert verdicts["of a long strike"] is None  # what was warned of


def test_a_short_quotation_is_the_speakers_own_words() -> None:
    text = "“A very encouraging step,” Mayor Lena Ortiz said of the deal."
    candidates = find_attributions(text)
    assert candidates and all(not_a_position(text, c) is None for c in candidates)


def test_what_was_not_said_is_set_aside_but_a_denial_or_a_negated_view_is_kept() -> None:
    text = (
        "City officials have not said that the plant will close in May. "
        "The mayor didn't confirm that the layoffs would go ahead. "
        "The company denied that its factory is for sale. "
        "Senator Jane Ruiz does not support the new fuel tax. "
        "The union, which did not strike, said that wages must rise."
    )
    verdicts = _verdicts(text)
    reason = "reports what was not said: the cue is negated"
    assert verdicts["that the plant will"] == reason
    assert verdicts["that the layoffs would"] == reason
    assert verdicts["that its factory is"] is None  # a denial is the company's position
    assert verdicts["the new fuel tax"] is None  # not supporting it is a view
    assert verdicts["that wages must rise"] is None  # the negation is in a relative clause


def test_a_question_put_is_not_a_position_but_a_doubt_or_a_quoted_question_is() -> None:
    text = (
        "Reporters asked whether the plant would close. "
        "Senator Jane Ruiz questioned whether the budget adds up. "
        "Has the mayor said that the tram will run on time? "
        "“Why should families pay more?” Senator Jane Ruiz said."
    )
    verdicts = _verdicts(text)
    assert verdicts["whether the plant would"] == "a question put, not a position"
    assert verdicts["that the tram will"] == "a question put, not a position"
    assert verdicts["whether the budget adds"] is None  # a doubt voiced
    assert verdicts["Why should families pay"] is None  # a rhetorical question in quotes


def test_a_verbs_particle_alone_is_not_a_statement() -> None:
    verdicts = _verdicts(
        "Under pressure from the unions, the minister backed out. "
        "The senator backed the new tariff plan."
    )
    assert "particle" in str(verdicts["out"])
    assert verdicts["the new tariff plan"] is None


def test_the_writers_own_words_are_no_ones_position_but_a_quoted_i_is_the_speakers() -> None:
    text = (
        "Mayor Lena Ortiz said the tram will open in May.\n\n"
        "I know the city has heard such promises before. "
        "It's worth noting that the last line opened four years late. "
        "We suspect that the contractor will ask for more money.\n\n"
        "“I believe the tram will change this city,” Ortiz said.\n\n"
        "”I think that the line will pay for itself,” she added."
    )
    verdicts = _verdicts(text)
    writer = "the writer's own words ('I', 'we' outside quotation marks), no actor's"
    assert verdicts["the tram will open"] is None
    assert verdicts["the city has heard"] == writer
    assert verdicts["that the last line"] == writer
    assert verdicts["that the contractor will"] == writer
    # inside quotation marks "I" is the speaker, whichever mark the outlet opens with
    assert all(reason != writer for content, reason in verdicts.items() if "pay for" in content)


def test_a_short_content_that_only_points_back_is_set_aside_whatever_the_cue() -> None:
    text = (
        "Critics attacked the senator's speech. Senator Paul Wren defended the remark. "
        "The union endorses Ortiz. Ortiz rejected the Wren plan."
    )
    verdicts = _verdicts(text)
    assert verdicts["the remark"] == (
        "refers back to what was said ('defended the remark'), says nothing itself"
    )
    assert verdicts["Ortiz"] is None  # names someone
    assert verdicts["the Wren plan"] is None


def test_a_schedule_is_not_a_view() -> None:
    text = (
        "Ortiz will visit the flooded district on Friday, her spokesman said. "
        "The City Budget Office plans to release its report next week. "
        "Ortiz said she will fight the cuts next year."
    )
    verdicts = _verdicts(text)
    schedule = "a schedule ('will visit ... on Friday'), not a view"
    assert verdicts["Ortiz will visit the"] == schedule
    assert verdicts["to release its report"] == schedule
    assert verdicts["she will fight the"] is None  # a vow, not an appointment


def test_an_outlets_report_or_a_polls_finding_is_not_a_view() -> None:
    text = (
        "The Washington Post reported that the mayor's office lost the files. "
        "A new poll found that most voters back the tram. "
        "The newspaper's editorial board endorsed Ortiz. "
        "Mayor Lena Ortiz reported that crime fell by a tenth."
    )
    verdicts = _verdicts(text)
    assert verdicts["that the mayor's office"] == "a news outlet's report of facts, not a view"
    assert verdicts["that most voters back"] is not None
    assert verdicts["Ortiz"] is None
    assert verdicts["that crime fell by"] is None
