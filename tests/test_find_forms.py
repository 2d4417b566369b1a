"""The attribution finder on forms of English it missed on news it was not tuned on (issue 18):
what a user checks in the candidates of made-up sentences (offline, no model)."""

from __future__ import annotations

from briefing.find import Candidate, find_attributions


def _said(text: str) -> list[tuple[str | None, str, str | None]]:
    """(cue, content, source) of each candidate, as words of the text."""

    def words(span: tuple[int, int] | None) -> str | None:
        return None if span is None else text[span[0] : span[1]]

    def content(c: Candidate) -> str:
        return " | ".join(text[s:e] for s, e in c.content)

    return [(words(c.cue), content(c), words(c.source)) for c in find_attributions(text)]


def test_past_forms_that_double_their_consonant_or_change_their_stem_are_cues() -> None:
    text = (
        "Senator Ann Lee sought to calm voters on Monday. "
        "Mayor Tom Diaz referred to the deal as a betrayal. "
        "The governor slammed the new budget."
    )
    assert _said(text) == [
        ("sought", "to calm voters on Monday", "Senator Ann Lee"),
        ("referred to", "the deal as a betrayal", "Mayor Tom Diaz"),
        ("slammed", "the new budget", "The governor"),
    ]


def test_the_subject_before_a_long_appositive_or_an_aside_is_the_source() -> None:
    """An appositive, a relative clause, a participle or a phrase between commas or dashes may
    stand between a subject and its verb, however long, and hold commas and words that are cues
    elsewhere ("talk show", "finds")."""
    text = (
        "Ann Wolfe, a radio talk show host and operations manager at the oldest station in Ohio, "
        "said that the cuts would hurt families. "
        "Ben Ortiz, whose company, Brightline, finds suppliers for small bakeries, said the "
        "tariffs would hurt. "
        "At the rally, Kevin Dunn, chairman of the county Republican committee, said the turnout "
        "was strong. "
        "Jo Park — a teacher from Dayton — says the school needs more staff. "
        "The senator, speaking at a crowded town hall in Dayton on a rainy Tuesday evening, said "
        "the bridge would be rebuilt."
    )
    found = {content: source for _, content, source in _said(text)}
    assert found["that the cuts would hurt families"] == (
        "Ann Wolfe, a radio talk show host and operations manager at the oldest station in Ohio"
    )
    assert found["the tariffs would hurt"] == "Ben Ortiz"
    assert found["the turnout was strong"] == (
        "Kevin Dunn, chairman of the county Republican committee"
    )
    assert found["the school needs more staff"] == "Jo Park — a teacher from Dayton"
    assert found["the bridge would be rebuilt"] == "The senator"
    speakers = {c.speaker for c in find_attributions(text) if c.speaker}
    assert {"Ann Wolfe", "Ben Ortiz", "Kevin Dunn", "Jo Park"} <= speakers


def test_a_number_written_with_a_comma_is_no_aside() -> None:
    """ "$98,000, compared with": the comma inside the number opens no appositive, so the number
    is no source (a guard for the rule above, which once read "000" as one)."""
    text = "Executives earned a median salary of $98,000, compared with $93,000 a year ago."
    assert _said(text) == []


def test_verbs_of_expressing_preferring_and_attacking_found_missing_on_train_are_cues() -> None:
    text = (
        "Mayor Tom Diaz expressed admiration for the volunteers. "
        "Residents voiced anger over the closures. "
        "Most farmers prefer a smaller tax. "
        "The union deemed the offer insulting. "
        "Governor Ann Lee balked at the cost of the bridge. "
        "Critics hammered the council over the delays."
    )
    assert _said(text) == [
        ("expressed", "admiration for the volunteers", "Mayor Tom Diaz"),
        ("voiced", "anger over the closures", "Residents"),
        ("prefer", "a smaller tax", "Most farmers"),
        ("deemed", "the offer insulting", "The union"),
        ("balked at", "the cost of the bridge", "Governor Ann Lee"),
        ("hammered", "the council over the delays", "Critics"),
    ]


def test_a_poll_or_survey_after_an_opening_in_is_the_source_of_the_clause() -> None:
    """ "In a poll released Monday, ...": like "according to", the poll is the source; an "in"
    before anything else ("In 2008, ...") is no cue."""
    text = (
        "In a statewide Dayton Daily/WKEF poll released Monday, the levy trailed by six points. "
        "In 2008, the levy failed."
    )
    assert _said(text) == [
        (
            "In",
            "the levy trailed by six points",
            "a statewide Dayton Daily/WKEF poll released Monday",
        )
    ]


def test_a_report_or_statement_after_according_to_is_the_whole_source() -> None:
    """ "According to the report": a verb form after a determiner is a noun, the head of the
    source, not a verb that ends it ("According to [the]" with "report, ..." as content)."""
    text = "According to the report, the bridge is unsafe. The levy failed, said the statement."
    assert _said(text) == [
        ("According to", "the bridge is unsafe", "the report"),
        ("said", "The levy failed", "the statement"),
    ]


def test_a_verb_form_that_agrees_with_the_noun_before_it_and_has_an_object_is_a_verb() -> None:
    """ "polls show X", "a survey shows X": the base form after a plural noun, or the -s form
    after a singular one, with a name, a number or a determiner after it, is the noun's verb;
    "the jobs report Friday" stays a noun (a day is no object)."""
    text = (
        "Recent polls show Mayor Diaz with a narrow lead. "
        "A new survey shows 40 percent of voters undecided. "
        "The jobs report Friday surprised traders."
    )
    assert _said(text) == [
        ("show", "Mayor Diaz with a narrow lead", "Recent polls"),
        ("shows", "40 percent of voters undecided", "A new survey"),
    ]


def test_a_quotation_inside_a_longer_reported_clause_is_part_of_it() -> None:
    """ "said that “...” but would ...": the quotation right after the cue took it, yet the
    clause goes on past the quotation, so what was said is the whole clause, quotation included;
    a quotation that is the whole of what follows ("said: “...”") stays a quotation."""
    text = (
        "Mayor Tom Diaz said that “the plan is a fine start” but would need far more money from "
        "the state. "
        "Senator Ann Lee said: “We will rebuild the bridge.”"
    )
    assert _said(text) == [
        (
            "said",
            "that “the plan is a fine start” but would need far more money from the state",
            "Mayor Tom Diaz",
        ),
        ("said", "We will rebuild the bridge.", "Senator Ann Lee"),
    ]


def test_a_noun_that_is_also_a_verb_of_quoting_does_not_end_a_statement() -> None:
    """ "she said, email has helped ...": "email" (like "text" or "read") introduces quotations
    as a verb ("he emailed: “...”"), but here it is the subject of the rest of what she said."""
    text = "Over the years, Ann Lee said, email has helped her stay in touch with voters."
    assert _said(text) == [
        (
            "said",
            "Over the years | email has helped her stay in touch with voters",
            "Ann Lee",
        )
    ]


def test_a_wire_dateline_is_not_the_subject_of_the_sentence_after_it() -> None:
    """ "DAYTON, Ohio (AP) — Senator Ann Lee met farmers ..., saying ...": the participle's
    source is the subject after the dateline, not the city that opens the line."""
    text = (
        "DAYTON, Ohio (AP) — Senator Ann Lee met farmers at the county fair on Monday, saying "
        "the tariffs would hurt them."
    )
    assert _said(text) == [("saying", "the tariffs would hurt them", "Senator Ann Lee")]
    assert [c.speaker for c in find_attributions(text)] == ["Ann Lee"]


def test_a_noun_that_is_also_a_verb_inside_a_compound_is_no_cue() -> None:
    """ "a radio talk show host", "White House press secretary", "Ohio state senator", "the U.S.
    plan": a base form after modifiers that a determiner opens, or right after a name, is a noun
    (a singular subject would take "shows", "presses", "states"), so it is no cue and no end of
    the speaker's name."""
    text = (
        "Tom Baker, a radio talk show host, said the station would close. "
        "White House press secretary Lena Ortiz said the talks would resume. "
        "Ohio state senator Jo Ray said the count was close. "
        "Some elements of the U.S. plan were accepted at once."
    )
    assert _said(text) == [
        ("said", "the station would close", "Tom Baker, a radio talk show host"),
        ("said", "the talks would resume", "White House press secretary Lena Ortiz"),
        ("said", "the count was close", "Ohio state senator Jo Ray"),
    ]


def test_the_object_of_a_participle_in_an_aside_is_not_the_subject() -> None:
    """ "Sen. Jo Ray, facing a tough race in Ohio, a swing state, said": "Ohio, a swing
    state" is an appositive inside the aside; the subject is the senator before it."""
    text = "Sen. Jo Ray, facing a tough race in Ohio, a swing state, said he would vote no."
    assert [(c, s) for c, _, s in _said(text)] == [("said", "Sen. Jo Ray")]


def test_a_long_appositive_after_a_closing_quotation_mark_is_the_source() -> None:
    """A closing quotation mark after its comma is no possessive apostrophe ("the victims’
    groups"): the name after it opens the clause of the attribution."""
    text = (
        "“The steps are modest,” Anne Kerr, assistant secretary of state for population, "
        "refugees, and migration, said on the call."
    )
    assert [s for _, _, s in _said(text)] == [
        "Anne Kerr, assistant secretary of state for population, refugees, and migration"
    ]


def test_a_name_ending_in_an_abbreviation_is_the_subject_of_the_verb_after_it() -> None:
    """ "Biden Jr. said", "the F.B.I. has said": the full stop inside the sentence ends the name,
    not the noun phrase; a bare "U.S." before a noun that is also a verb modifies it."""
    text = (
        "Vice President Joseph R. Biden Jr. said the deal was fair. "
        "The F.B.I. has said it found nothing. "
        "U.S. plans to rebuild the port stalled after the attack."
    )
    assert [(c, s) for c, _, s in _said(text)] == [
        ("said", "Vice President Joseph R. Biden Jr."),
        ("said", "The F.B.I."),
    ]


def test_here_or_there_between_a_subject_and_its_verb_is_skipped() -> None:
    text = "Her campaign workers here said they had knocked on every door."
    assert _said(text) == [
        ("said", "they had knocked on every door", "Her campaign workers"),
    ]


def test_asides_after_a_bracket_a_subordinate_clause_a_count_or_a_title() -> None:
    """More asides between a subject and its verb: after a party in brackets, a clause opened by
    "when" or "if" with a verb of its own, "many of them ...", "now ...", and a short quoted
    title inside the aside."""
    text = (
        "Sen. Roy Blunt (R-Mo.), facing a stiff challenge from Jo Kander, noted that the bill had "
        "stalled. "
        "Powell's office, when contacted by Reuters, said the diplomat could not recall the "
        "dinner. "
        "His critics, many of them conservative Catholics, argue that the pope is political. "
        "Sen. Ted Cruz of Texas, now a presidential contender, proposed term limits. "
        'Jo Hemsley, the co-author of "Going Viral," about the spread of rumors, said the days '
        "of a few sources were over."
    )
    assert [s for _, _, s in _said(text)] == [
        "Sen. Roy Blunt (R-Mo.)",
        "Powell's office",
        "His critics, many of them conservative Catholics",
        "Sen. Ted Cruz of Texas",
        'Jo Hemsley, the co-author of "Going Viral," about the spread of rumors',
    ]


def test_a_count_or_a_share_of_people_opening_a_clause_is_the_source() -> None:
    """ "Most believe that ...", "42% say ...": PolNeAR marks the count as the source; not a
    share that something else owns ("His 32% gives him a lead")."""
    text = (
        "Most believe that the economy has improved. "
        "On social issues, 42% say they are liberal. "
        "His 32% gives him a lead over Carson."
    )
    assert _said(text) == [
        ("believe", "that the economy has improved", "Most"),
        ("say", "they are liberal", "42%"),
    ]


def test_a_clause_interrupted_by_according_to_is_one_content() -> None:
    """ "For the governor, according to two aides, the vote is a test": the words before the
    attribution are a piece of the clause that goes on after it; a full clause before it, or a
    relative clause after the source, is not continued."""
    text = (
        "For the governor, according to two aides, the vote is a test of his strength. "
        "The plant will close in May, according to the company, which employs 300 people."
    )
    assert _said(text) == [
        ("according to", "For the governor | the vote is a test of his strength", "two aides"),
        ("according to", "The plant will close in May", "the company"),
    ]


def test_seem_or_appear_joins_a_subject_to_an_adjective_of_stance() -> None:
    """ "Many donors appear skeptical of the plan": like "are skeptical of", a stance of the
    subject's."""
    assert _said("Many donors appear skeptical of the plan.") == [
        ("appear skeptical of", "the plan", "Many donors")
    ]


def test_a_name_before_the_colon_that_opens_a_quotation_is_its_source() -> None:
    """ "- Ann Kerr and Jo Ray: “...”": with no cue before it in the sentence, the name right
    before the colon says the quotation; after a cue the name is its hearer ("told Fox News:")."""
    text = (
        "The polls were early, not wrong - Ann Kerr and Jo Ray: “Although the polls failed, the "
        "voters had not decided.” "
        "Mr. Diaz told Fox News: “We will win the state.”"
    )
    assert [(c, s) for c, _, s in _said(text)] == [
        (":", "Ann Kerr and Jo Ray"),
        ("told", "Mr. Diaz"),
    ]
