"""The writer's narration, a relay or a record is set aside before the model is asked
(briefing.extract.narration): a people as source, an outlet's print, a lyric, a relayed
statement, a free relative, a content cut inside a quotation, a phrasal verb's particle,
nothing offered, an event seen, a target, a thing's showing under a pronoun, remarks named."""

from __future__ import annotations

from briefing.extract.worth import not_a_position
from briefing.find import find_attributions


def _verdicts(text: str) -> dict[str, str | None]:
    """Each candidate's content (first four words) -> why it is not a position (None: it can
    be)."""
    out = {}
    for candidate in find_attributions(text):
        start, end = candidate.content[0]
        out[" ".join(text[start:end].split()[:4])] = not_a_position(text, candidate)
    return out


def test_a_whole_people_is_no_speaker_but_a_delegation_is() -> None:
    text = (
        "Many Brazilians felt cheated when the president raised fuel prices again.\n\n"
        "Brazilians often say, “God is Brazilian.”\n\n"
        "The Russians said the talks would resume in Geneva next month."
    )
    verdicts = _verdicts(text)
    assert verdicts["cheated when the president"] is not None
    assert verdicts["God is Brazilian."] is not None
    assert verdicts["the talks would resume"] is None


def test_a_news_outlets_print_is_a_report_quoted_or_not() -> None:
    text = (
        "The Washington Post wrote that the mayor had lost $2 million on the deal in 1998.\n\n"
        "“The mayor’s company was left with $40 million in debt,” the Post wrote.\n\n"
        "Columnist Ann Reyes of the Washington Post wrote that the mayor should resign."
    )
    verdicts = _verdicts(text)
    assert verdicts["that the mayor had"] is not None
    assert verdicts["The mayor’s company was"] is not None
    assert verdicts["that the mayor should"] is None


def test_a_song_sung_is_a_lyric_not_a_view() -> None:
    text = "On stage, the singer sings, “Hold on, the night is long.” She said, “I vote Green.”"
    verdicts = _verdicts(text)
    assert verdicts["Hold on, the night"] is not None
    assert verdicts["I vote Green."] is None


def test_a_statement_relayed_by_a_spokesman_is_not_his() -> None:
    text = (
        "Spokesman Tom Reed says Garcia promised to keep funding the clinic.\n\n"
        "Reed said that the Electoral Board announced on Monday that the count was final.\n\n"
        "Reed said Garcia will win the runoff."
    )
    verdicts = _verdicts(text)
    assert verdicts["Garcia promised to keep"] is not None
    assert verdicts["that the Electoral Board"] is not None
    assert verdicts["Garcia will win the"] is None


def test_a_relay_needs_a_past_verb_after_a_name_not_a_noun() -> None:
    text = (
        "The minister rejected Western claims that the army shelled the town.\n\n"
        "Mook asserted that Garcia tells so many lies that nobody checks them."
    )
    assert all(reason is None for reason in _verdicts(text).values())


def test_what_someone_says_is_named_not_stated() -> None:
    text = (
        "The gap between what Garcia says his budget would do and what it does is wide.\n\n"
        "Garcia says his budget would cut the deficit."
    )
    verdicts = _verdicts(text)
    assert verdicts["his budget would do"] is not None
    assert verdicts["his budget would cut"] is None


def test_a_content_cut_inside_a_quotation_is_a_fragment() -> None:
    text = (
        "City Attorney Ann Cole said in the letter that the flyer “clearly and falsely” "
        "implies that the city backs the campaign.\n\n"
        "Cole tweeted that the flyer was “false” and “a scam” and asked voters to ignore it."
    )
    verdicts = _verdicts(text)
    assert verdicts["that the flyer “clearly"] is not None
    assert verdicts["that the flyer was"] is None


def test_a_phrasal_verbs_particle_is_an_act_not_a_statement() -> None:
    text = (
        "Garcia backed off some of his earlier promises.\n\n"
        "The committee voted 9-4 along party lines, to send the bill to the floor."
    )
    verdicts = _verdicts(text)
    assert verdicts["off some of his"] is not None
    assert verdicts["9-4 along party lines,"] is None


def test_no_proof_offered_is_what_was_missing() -> None:
    text = "Garcia claimed the vote was rigged. He offered no evidence that anyone cheated."
    verdicts = _verdicts(text)
    assert verdicts["no evidence that anyone"] is not None
    assert verdicts["the vote was rigged"] is None


def test_an_event_seen_is_not_a_belief() -> None:
    text = (
        "Ana Ruiz and Paul Kent saw Senator Lee speak at a rally last week.\n\n"
        "Ruiz saw that the crowd was thin."
    )
    verdicts = _verdicts(text)
    assert verdicts["Senator Lee speak at"] is not None
    assert verdicts["that the crowd was"] is None


def test_a_target_and_a_circumstance_say_nothing_a_reason_does() -> None:
    text = (
        "Rival Donald Garcia attacked Moreno in late-night tweets.\n\n"
        "Garcia attacked Moreno for her vote on the tax bill."
    )
    verdicts = _verdicts(text)
    assert verdicts["Moreno in late-night tweets"] is not None
    assert verdicts["Moreno for her vote"] is None


def test_what_a_thing_shows_under_a_pronoun_is_the_writers_reading() -> None:
    text = (
        "Dozens of papers endorsed the senator. They illustrate the decline of party loyalty.\n\n"
        "Republicans want lower rates. They suggest that such rates would spur growth."
    )
    verdicts = _verdicts(text)
    assert verdicts["the decline of party"] is not None
    assert verdicts["that such rates would"] is None


def test_remarks_named_are_not_remarks_stated() -> None:
    text = (
        "The party noted the governor’s comments and video of them on its website.\n\n"
        "The committee noted Bill Ruiz’s remarks and a clip of them on its page.\n\n"
        "The committee noted that Ruiz’s remarks were false."
    )
    verdicts = _verdicts(text)
    assert verdicts["the governor’s comments and"] is not None
    assert verdicts["Bill Ruiz’s remarks and"] is not None
    assert verdicts["that Ruiz’s remarks were"] is None
