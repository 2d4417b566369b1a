"""The attribution finder: what a user checks in its candidates (offline, no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.find import Candidate, find_attributions

INJECTIONS = Path(__file__).parent / "data" / "injections.txt"

ARTICLE = (
    "Kremlin says talks with Washington continue\n"
    "Kremlin spokesman Dmitry Peskov on Wednesday said Russia is waiting for information from "
    "the United States.\n"
    "Kremlin spokesman Dmitry Peskov waits at the Grand Kremlin Palace in Moscow (AP)\n"
    "“As soon as they are ready, our American counterparts will inform us,” he said. "
    "“We will not discuss this through the media.”\n"
    "Read more: Peskov says Moscow is ready for talks\n"
    "Russia’s Foreign Ministry has repeatedly stressed that any deployment of NATO troops in "
    "Ukraine is unacceptable.\n"
    "The ministry has previously described such statements as encouragement of hostilities.\n"
    "The Kremlin spokesman added that sanctions harm bilateral relations.\n"
    "U.S. and Ukrainian delegations met in Berlin on Monday.\n"
)


def _words(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def _content(text: str, candidate: Candidate) -> str:
    return " | ".join(text[s:e] for s, e in candidate.content)


def _containing(text: str, candidates: list[Candidate], words: str) -> Candidate:
    found = [c for c in candidates if words in _content(text, c)]
    assert len(found) == 1, [_content(text, c) for c in candidates]
    return found[0]


def test_empty_article_gives_no_candidates() -> None:
    assert find_attributions("") == []
    assert find_attributions("  \n\n ") == []


def test_reported_clause_after_told_reporters() -> None:
    text = "Peskov told reporters on Monday that Russia would not surrender."
    [candidate] = find_attributions(text)
    assert candidate.kind == "reported"
    assert _content(text, candidate) == "that Russia would not surrender"
    assert _words(text, candidate.cue) == "told"
    assert _words(text, candidate.source) == "Peskov"
    assert candidate.speaker == "Peskov"
    assert candidate.sentences == (1,)


def test_attribution_at_the_end_or_inverted() -> None:
    text = (
        "Dmitry Peskov is the Kremlin spokesman. "
        "Talks with Kyiv will resume next week, Peskov said. "
        "The sanctions will not change our course, said the Kremlin spokesman."
    )
    first, second = find_attributions(text)
    assert _content(text, first) == "Talks with Kyiv will resume next week"
    assert (first.speaker, first.resolution) == ("Dmitry Peskov", "name")
    assert _content(text, second) == "The sanctions will not change our course"
    assert _words(text, second.source) == "the Kremlin spokesman"


def test_saying_and_adding_start_statements_of_the_same_source() -> None:
    text = (
        "Dmitry Peskov met reporters in Moscow, saying such measures harm relations. "
        "Peskov said the talks were useful, adding that no date had been set."
    )
    candidates = find_attributions(text)
    assert [_content(text, c) for c in candidates] == [
        "such measures harm relations",
        "the talks were useful",
        "that no date had been set",
    ]
    assert {c.speaker for c in candidates} == {"Dmitry Peskov"}


def test_a_quotation_after_saying_is_said_by_the_subject_of_the_sentence() -> None:
    """', saying that “...”' and ', adding, “...”' before a quotation: the participle shares the
    subject of the sentence's first cue, not a subject inside its content ('we must') and not a
    name of the next sentence (the judged 2016 sample gave Clinton's words to a voter)."""
    text = (
        "Hillary Clinton told the audience that she believes we must act, saying that "
        "“race still determines too much” in America. "
        "Tyresha McClenney said she was not convinced.\n\n"
        "“We certainly can’t afford this anymore,” Donald Trump said, adding later, "
        "“NATO is costing us a fortune.”"
    )
    by_words = {_content(text, c): c for c in find_attributions(text)}
    assert by_words["race still determines too much"].speaker == "Hillary Clinton"
    assert by_words["NATO is costing us a fortune."].speaker == "Donald Trump"


def test_a_source_that_ran_into_its_verb_is_the_person_it_opens_with() -> None:
    """'Trump also struck populist notes ..., trumpeting ...': the source words the finder takes
    run past the name into the verb; the name is the speaker when a past verb or an adverb
    follows it, never when a noun does ('Sanders protesters' are not Sanders)."""
    text = (
        "Donald Trump and Bernie Sanders spoke in Iowa. "
        "But Trump also struck populist notes similar to those Sanders had sounded, trumpeting what "
        "he called his self-funded campaign. "
        "Sanders protesters said the count was rigged."
    )
    by_words = {_content(text, c): c for c in find_attributions(text)}
    trumpeting = by_words["what he called his self-funded campaign"]
    assert (trumpeting.speaker, trumpeting.resolution) == ("Donald Trump", "name")
    assert by_words["the count was rigged"].speaker is None


def test_quotation_split_by_he_said_is_one_candidate() -> None:
    text = (
        "Dmitry Peskov spoke in Moscow.\n"
        "“Our position is well known,” he said, “and it has not changed.”\n"
        "“We cannot yet name the dates,” he said. “Both sides remain in touch.”\n"
    )
    first, second = find_attributions(text)
    assert first.kind == second.kind == "direct"
    assert [text[s:e] for s, e in first.content] == [
        "Our position is well known,",
        "and it has not changed.",
    ]
    assert [text[s:e] for s, e in second.content] == [
        "We cannot yet name the dates,",
        "Both sides remain in touch.",
    ]
    assert _words(text, first.cue) == "said"
    assert _words(text, first.source) == "he"
    assert (first.speaker, first.resolution) == ("Dmitry Peskov", "pronoun")
    assert second.sentences == (3, 4)


def test_cue_before_the_quotation() -> None:
    text = 'Kremlin spokesman Dmitry Peskov told reporters: "We are ready to talk."'
    [candidate] = find_attributions(text)
    assert candidate.kind == "direct"
    assert _content(text, candidate) == "We are ready to talk."
    assert _words(text, candidate.source) == "Kremlin spokesman Dmitry Peskov"


def test_quotation_continued_in_the_next_paragraph_keeps_its_speaker() -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov spoke on Tuesday.\n"
        "“We will not discuss the settlement through the media,” he said.\n"
        "“Our approach is well known. However, this issue can be discussed.”\n"
    )
    candidates = find_attributions(text)
    last = _containing(text, candidates, "this issue can be discussed")
    assert last.speaker == "Dmitry Peskov"
    assert last.cue is None and last.source is None


def test_quotation_without_attribution_stays_unresolved() -> None:
    text = (
        "The talks ended late on Monday.\n“Nothing has been agreed until everything is agreed.”\n"
    )
    [candidate] = find_attributions(text)
    assert candidate.speaker is None
    assert candidate.resolution == "unresolved"


def test_names_roles_institutions_and_pronouns_resolve() -> None:
    candidates = find_attributions(ARTICLE)
    by_content = {_content(ARTICLE, c).split(" | ")[0][:30]: c for c in candidates}
    first = _containing(ARTICLE, candidates, "Russia is waiting")
    assert (first.speaker, first.resolution) == ("Dmitry Peskov", "name")
    quote = _containing(ARTICLE, candidates, "our American counterparts")
    assert (quote.speaker, quote.resolution) == ("Dmitry Peskov", "pronoun")
    ministry = _containing(ARTICLE, candidates, "any deployment of NATO troops")
    assert (ministry.speaker, ministry.resolution) == ("Russia’s Foreign Ministry", "institution")
    described = _containing(ARTICLE, candidates, "encouragement of hostilities")
    assert (described.speaker, described.resolution) == ("Russia’s Foreign Ministry", "role")
    added = _containing(ARTICLE, candidates, "sanctions harm bilateral relations")
    assert (added.speaker, added.resolution) == ("Dmitry Peskov", "role")
    assert by_content  # every candidate has content


def test_headline_caption_link_and_narration_are_not_candidates() -> None:
    candidates = find_attributions(ARTICLE)
    covered = " ".join(_content(ARTICLE, c) for c in candidates)
    assert "talks with Washington continue" not in covered  # headline
    assert "waits at the Grand Kremlin Palace" not in covered  # caption
    assert "Moscow is ready for talks" not in covered  # link line
    assert "delegations met in Berlin" not in covered  # narration, no cue
    assert [c.index for c in candidates] == list(range(1, len(candidates) + 1))


def test_according_to_before_and_after() -> None:
    text = (
        "According to the Kremlin, the talks were constructive. "
        "The next round will take place in Geneva, according to Dmitry Peskov."
    )
    first, second = find_attributions(text)
    assert _content(text, first) == "the talks were constructive"
    assert _words(text, first.cue) == "According to"
    assert (first.speaker, first.resolution) == ("Kremlin", "institution")
    assert _content(text, second) == "The next round will take place in Geneva"
    assert _words(text, second.source) == "Dmitry Peskov"


def test_statement_noun_with_an_owner() -> None:
    text = "Markets shrugged at Trump’s claim that the deal was dead."
    [candidate] = find_attributions(text)
    assert _content(text, candidate) == "that the deal was dead"
    assert _words(text, candidate.source) == "Trump’s"


def _battery() -> list[str]:
    return [line.strip() for line in INJECTIONS.read_text(encoding="utf-8").splitlines() if line]


def test_injection_battery_is_large_and_varied() -> None:
    lines = _battery()
    assert len(lines) >= 30
    assert len({line.split()[0].lower() for line in lines}) >= 20  # many different openings


@pytest.mark.parametrize("injection", _battery())
def test_sentences_addressing_a_model_are_never_candidates(injection: str) -> None:
    ordinary = "Peskov told reporters that Russia would not surrender."
    placements = [
        injection,
        f"{ordinary}\n{injection}\n“We will not discuss this,” he said.",
        f"Dmitry Peskov spoke in Moscow. {injection} The ministry warned that troops were a risk.",
    ]
    for text in placements:
        start = text.index(injection)
        end = start + len(injection)
        for candidate in find_attributions(text):
            spans = [*candidate.content, *([candidate.source] if candidate.source else [])]
            assert not any(s < end and start < e for s, e in spans), (injection, candidate)
    found = find_attributions(placements[1])
    assert any(_content(placements[1], c) == "that Russia would not surrender" for c in found)


def test_spans_are_exact_substrings_in_text_order() -> None:
    candidates = find_attributions(ARTICLE)
    assert candidates
    starts = [min(s for s, _ in c.content) for c in candidates]
    assert starts == sorted(starts)
    for candidate in candidates:
        for start, end in candidate.content:
            assert 0 <= start < end <= len(ARTICLE)
            assert ARTICLE[start:end] == ARTICLE[start:end].strip()
        for span in (candidate.cue, candidate.source):
            if span is not None:
                assert ARTICLE[span[0] : span[1]].strip()
        assert candidate.sentences and all(i >= 1 for i in candidate.sentences)


def test_candidates_are_frozen() -> None:
    [candidate] = find_attributions("Peskov said the talks would resume.")
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises its own ValidationError
        candidate.speaker = "someone else"  # type: ignore[misc]


def test_abbreviated_names_are_whole_sources() -> None:
    text = (
        "Rents will keep rising for years, Mr. Ortega said. The plan is flawed, said Anna K. Lind."
    )
    first, second = find_attributions(text)
    assert _content(text, first) == "Rents will keep rising for years"
    assert _words(text, first.source) == "Mr. Ortega"
    assert _words(text, second.source) == "Anna K. Lind"


def test_infinitive_content_after_wanting_and_urging() -> None:
    text = (
        "The mayor wants to close the old bridge for the whole of May. "
        "The council urged residents to avoid the river path."
    )
    first, second = find_attributions(text)
    assert _content(text, first) == "to close the old bridge for the whole of May"
    assert _words(text, first.source) == "The mayor"
    assert _content(text, second) == "residents to avoid the river path"
    assert _words(text, second.cue) == "urged"


def test_verb_after_a_noun_phrase_with_an_adjective() -> None:
    text = "A new survey shows that most farmers expect a dry summer."
    [candidate] = find_attributions(text)
    assert _content(text, candidate) == "that most farmers expect a dry summer"
    assert _words(text, candidate.source) == "A new survey"
    assert _words(text, candidate.cue) == "shows"


def test_plural_noun_before_a_cue_verb_is_its_subject() -> None:
    text = "Local news reports say the factory will close in June."
    [candidate] = find_attributions(text)
    assert _words(text, candidate.cue) == "say"
    assert _words(text, candidate.source) == "Local news reports"
    assert _content(text, candidate) == "the factory will close in June"


def test_relative_sources_and_counted_sources() -> None:
    text = (
        "The rule angered growers, many of whom say the water price is unfair. "
        "Prices will rise again, said one senior trader at the exchange. "
        "Dr. Lena Park, who ran the clinic for a decade before moving to the ministry, said "
        "the plan would fail."
    )
    first, second, third = find_attributions(text)
    assert _words(text, first.source) == "many of whom"
    assert _content(text, first) == "the water price is unfair"
    assert _content(text, second) == "Prices will rise again"
    assert _words(text, second.source) == "one senior trader"
    assert _content(text, third) == "the plan would fail"
    assert third.speaker == "Lena Park"


def test_cue_in_an_infinitive_shares_the_subject_of_the_verb_before() -> None:
    text = (
        "The coach appeared to suggest that the team was tired. "
        "Later she went on to say the season was over."
    )
    first, second = find_attributions(text)
    assert _words(text, first.cue) == "appeared to suggest"
    assert _words(text, first.source) == "The coach"
    assert _content(text, first) == "that the team was tired"
    assert _words(text, second.cue) == "went on to say"
    assert _content(text, second) == "the season was over"
    assert _words(text, second.source) == "she"


def test_passive_cue_with_by_names_the_source_after_it() -> None:
    text = "The new bridge design was strongly criticized by the city engineers."
    [candidate] = find_attributions(text)
    assert _words(text, candidate.cue) == "criticized by"
    assert _content(text, candidate) == "The new bridge design"
    assert _words(text, candidate.source) == "the city engineers"
    assert find_attributions("The fence was built by local volunteers.") == []


def test_the_target_of_an_accusation_is_part_of_what_was_said() -> None:
    text = (
        'Governor Tom Hale accused the committee of "wasting money" on studies. '
        "The coach blamed the referee for the loss. "
        "The mayor thanked the volunteers for their work."
    )
    first, second, third = find_attributions(text)
    assert _content(text, first) == 'the committee of "wasting money" on studies'
    assert _words(text, first.source) == "Governor Tom Hale"
    assert _content(text, second) == "the referee for the loss"
    assert _content(text, third) == "the volunteers for their work"
    assert _words(text, third.cue) == "thanked"


def test_a_refusal_to_comment_is_the_refusal_not_the_question() -> None:
    text = (
        "When asked about rumours that the school would merge, the principal declined to "
        "comment. The union would not comment on the talks. "
        'Asked about the "new timetable," the board declined to comment further.'
    )
    first, second, third = find_attributions(text)
    assert _content(text, first) == "declined to comment"
    assert _words(text, first.source) == "the principal"
    assert _content(text, second) == "not comment on the talks"
    assert _words(text, second.source) == "The union"
    assert _content(text, third) == "declined to comment further"
    assert all("merge" not in _content(text, c) for c in (first, second, third))


def test_the_subject_of_a_passive_without_by_is_not_a_source() -> None:
    text = (
        "Some designs were approved, while others were quickly labeled “too costly.” "
        "The old plan was widely criticized."
    )
    for candidate in find_attributions(text):
        assert _words(text, candidate.source) not in ("others", "The old plan")


def test_a_cue_coordinated_with_an_infinitive_is_no_statement() -> None:
    text = (
        "The fund, set up in May to repair the harbour and back local fishing crews, has run dry."
    )
    assert find_attributions(text) == []


def test_an_adjective_of_stance_after_be_is_a_cue() -> None:
    text = (
        "The head teacher has been critical of the new timetable. "
        "Local farmers were not too concerned about the drought. "
        "The coach is confident that the team will recover."
    )
    first, second, third = find_attributions(text)
    assert _words(text, first.cue) == "been critical of"
    assert _words(text, first.source) == "The head teacher"
    assert _content(text, first) == "the new timetable"
    assert _words(text, second.source) == "Local farmers"
    assert _content(text, second) == "the drought"
    assert _content(text, third) == "that the team will recover"
    assert find_attributions("The bridge is critical to the town. The road was clear.") == []


def test_phrasal_verbs_of_attacking_and_defending_are_cues() -> None:
    text = (
        "The union has railed against the new pay scale. "
        "The mayor took aim at the council for the delays. "
        "Local parents made it clear they would fight the closure."
    )
    first, second, third = find_attributions(text)
    assert _words(text, first.cue) == "railed against"
    assert _content(text, first) == "the new pay scale"
    assert _words(text, second.cue) == "took aim at"
    assert _words(text, second.source) == "The mayor"
    assert _content(text, second) == "the council for the delays"
    assert _words(text, third.source) == "Local parents"
    assert _content(text, third) == "they would fight the closure"


def test_subject_before_an_aside_and_coordinated_cue_verbs() -> None:
    text = (
        "The harbour master, in particular, has sharply criticized the new fees. "
        "Two unions, including the drivers, have also endorsed the plan. "
        "The mayor praised the volunteers and called for more funding. "
        "The coach said the players were tired and wanted a rest."
    )
    first, second, third, fourth, fifth = find_attributions(text)
    assert _words(text, first.source) == "The harbour master"
    assert _content(text, first) == "the new fees"
    assert _words(text, second.source) == "Two unions"
    assert _content(text, third) == "the volunteers"
    assert _words(text, fourth.cue) == "called for"
    assert _words(text, fourth.source) == "The mayor"
    assert _content(text, fourth) == "more funding"
    assert _content(text, fifth) == "the players were tired and wanted a rest"


def test_a_preposition_that_takes_the_object_of_a_cue_is_part_of_it() -> None:
    text = "The minister has also voted against the levy. The mayor disagrees with the board."
    first, second = find_attributions(text)
    assert _words(text, first.cue) == "voted against"
    assert _content(text, first) == "the levy"
    assert _words(text, second.source) == "The mayor"
    assert _content(text, second) == "the board"


def test_a_participle_opening_the_sentence_is_said_by_its_subject() -> None:
    text = (
        "Claiming that the budget was padded, the auditor asked for a review. "
        "Speaking to reporters, the auditor said the review would take a month."
    )
    found = {_words(text, c.cue): c for c in find_attributions(text)}
    assert _content(text, found["Claiming"]) == "that the budget was padded"
    assert _words(text, found["Claiming"].source) == "the auditor"
    assert "Speaking" not in found


def test_the_noun_before_a_relative_pronoun_is_the_source() -> None:
    text = (
        "The council funded a charity that intends to close the shelter. "
        "The council released a new report -- which notes that rents rose. "
        "The clerk began taking calls from angry parents."
    )
    first, second = find_attributions(text)
    assert _words(text, first.source) == "a charity"
    assert _content(text, first) == "to close the shelter"
    assert _words(text, second.source) == "a new report"
    assert _content(text, second) == "that rents rose"


def test_decisions_of_courts_and_officials_and_comparisons_are_cues() -> None:
    text = (
        "The appeals court ruled that the fee was unlawful. "
        "The governor signed a bill to cap rents. "
        "The baker compares his oven to a furnace. "
        "The pieces are building blocks for a later deal."
    )
    found = {_words(text, c.cue): c for c in find_attributions(text)}
    assert _content(text, found["ruled"]) == "that the fee was unlawful"
    assert _words(text, found["signed"].source) == "The governor"
    assert _content(text, found["compares"]) == "his oven to a furnace"
    assert "blocks" not in found


def test_a_charge_in_the_passive_without_by_has_no_source() -> None:
    text = (
        "The contractors have sometimes been accused of padding their bills. "
        "The mayor has not been charged with any crime."
    )
    (found,) = find_attributions(text)
    assert found.source is None
    assert _content(text, found) == "The contractors | padding their bills"


def test_a_noun_of_intention_or_judgment_with_an_owner() -> None:
    text = (
        "The board's decision to close the library angered parents. "
        "Her criticism of the budget was sharp. "
        "The view of the lake is lovely."
    )
    first, second = find_attributions(text)
    assert _words(text, first.source) == "The board's"
    assert _content(text, first) == "to close the library"
    assert _words(text, second.cue) == "criticism of"
    assert _words(text, second.source) == "Her"
    assert _content(text, second) == "the budget"


def test_a_past_verb_right_after_a_year() -> None:
    text = (
        "A campaign leaflet in 2012 claimed that the bridge was unsafe. The 2012 report was long."
    )
    (found,) = find_attributions(text)
    assert _words(text, found.cue) == "claimed"
    assert _content(text, found) == "that the bridge was unsafe"


def test_a_participle_after_a_closing_quotation_starts_a_statement() -> None:
    text = 'The mayor said: "The bridge is safe," adding that it "will reopen in May."'
    found = {_words(text, c.cue): c for c in find_attributions(text)}
    assert _words(text, found["said"].source) == "The mayor"
    assert _words(text, found["adding"].source) == "The mayor"
    assert _content(text, found["adding"]) == 'that it "will reopen in May."'


def test_a_short_quoted_term_inside_a_phrase_is_not_attributed_by_the_next_verb() -> None:
    text = 'Bemoaning the "rigged game," the coach accused the referee of bias.'
    (found,) = find_attributions(text)
    assert _words(text, found.cue) == "accused"
    assert _content(text, found) == "the referee of bias"


def test_a_list_of_names_with_a_floating_quantifier_is_the_source() -> None:
    text = (
        "Ann Lee (D-Ore.), Bo Diaz (D-Ohio) and Cy Park (R-Utah) all argued that the fee was "
        "unfair. In Boston, Lee and Park said the vote was close."
    )
    first, second = find_attributions(text)
    assert (
        _words(text, first.source) == "Ann Lee (D-Ore.), Bo Diaz (D-Ohio) and Cy Park (R-Utah) all"
    )
    assert _words(text, second.source) == "Lee and Park"


def test_the_object_of_a_cue_preposition_is_content_even_if_it_looks_like_a_circumstance() -> None:
    text = "The farmers weren't too concerned about this change in the rules."
    (found,) = find_attributions(text)
    assert _words(text, found.source) == "The farmers"
    assert _content(text, found) == "this change in the rules"


def test_a_cue_closing_a_paragraph_with_a_colon_introduces_the_next_paragraph() -> None:
    text = (
        "The mayor spoke at noon. She said:\n\n"
        '"The bridge will reopen in May. The repairs are done."\n\n'
        "The engineer added:\n\n"
        "It was the worst damage in a decade.\n\n"
        "Traffic resumed later."
    )
    first, second = find_attributions(text)
    assert _words(text, first.source) == "She"
    assert _content(text, first) == "The bridge will reopen in May. The repairs are done."
    assert _words(text, second.source) == "The engineer"
    assert _content(text, second) == "It was the worst damage in a decade."


def test_the_noun_before_a_relative_clause_set_off_by_commas_or_dashes_is_the_source() -> None:
    text = (
        "The coalition, which includes two unions and a church, says the plan is unfair. "
        "The report -- which covers ten years -- explains why rents rose. "
        "The mayor, who spoke in Dover, said the vote was close."
    )
    found = {_words(text, c.cue): c for c in find_attributions(text)}
    assert (_words(text, found["says"].source) or "").startswith("The coalition, which")
    assert (_words(text, found["explains"].source) or "").startswith("The report -- which")
    assert _content(text, found["said"]) == "the vote was close"
    assert "spoke" not in found


def test_verbs_read_as_cues_only_in_the_past() -> None:
    text = (
        "The federal rules curb runoff from farms. The bulldozer pushed the mound aside. "
        "The judge ruled that the fee was unlawful. The union pushed for a raise."
    )
    found = {_words(text, c.cue): c for c in find_attributions(text)}
    assert set(found) == {"ruled", "pushed for"}


def test_a_verb_form_after_a_modifying_noun_is_a_noun() -> None:
    text = (
        "The party's tax plan would cut rates. Farm states want subsidies. "
        "A new poll shows that the mayor leads. Before details emerge, the police will wait. "
        "Her campaign staff plans to hire more aides."
    )
    found = {_words(text, c.cue): c for c in find_attributions(text)}
    assert "plan" not in found
    assert "states" not in found
    assert _content(text, found["shows"]) == "that the mayor leads"
    assert _content(text, found["plans"]) == "to hire more aides"


def test_a_quotation_attributed_by_a_titled_name_and_a_quoted_term_inside_a_clause() -> None:
    text = (
        '"The budget is a disgrace," Mr. Hale said. '
        'The mayor said "budget reforms" and new fees would pay for it.'
    )
    first, second = find_attributions(text)
    assert first.kind == "direct"
    assert _words(text, first.source) == "Mr. Hale"
    assert _content(text, second) == '"budget reforms" and new fees would pay for it'


def test_a_statement_noun_owned_by_a_pronoun_resolves_like_the_pronoun() -> None:
    text = "Mayor Ann Hale spoke on Monday. Few believed her claim that the bridge was safe."
    found = {_words(text, c.cue): c for c in find_attributions(text)}
    assert _words(text, found["claim"].source) == "her"
    assert found["claim"].speaker == "Ann Hale"
    assert _content(text, found["claim"]) == "that the bridge was safe"


def test_she_is_never_resolved_to_a_man_nor_he_to_a_woman() -> None:
    text = (
        "Senator Maria Alvarez said the bill would pass. Governor Tom Reyes called it reckless.\n"
        "She says his budget is “dangerous for the state.”\n"
        "Mrs. Okafor criticised the plan. Mr. Dunne said it would cost jobs. "
        "She said it was unfair to renters.\n"
        "Spokeswoman Robin Hale defended the bill. Chris Lowe attacked it. "
        "She said the critics were wrong.\n"
    )
    candidates = find_attributions(text)
    assert _containing(text, candidates, "his budget is").speaker == "Maria Alvarez"
    assert _containing(text, candidates, "unfair to renters").speaker == "Mrs. Okafor"
    assert _containing(text, candidates, "the critics were wrong").speaker == "Robin Hale"
    # a person whose gender the article does not give fits either pronoun
    lowe = "Chris Lowe attacked it. He said he would vote against it."
    assert _containing(lowe, find_attributions(lowe), "vote against").speaker == "Chris Lowe"


def test_a_readers_quotation_signed_after_a_dash_is_theirs_even_opened_with_a_closing_mark() -> (
    None
):
    text = (
        "Readers shared their thoughts. Steve Quinlan said the debate was dull.\n\n"
        "”Fear. I am truly afraid that he will win the election.” ― Edwin G. Monroy\n"
    )
    candidates = find_attributions(text)
    assert _containing(text, candidates, "truly afraid").speaker == "Edwin G. Monroy"


def test_a_base_form_after_a_and_a_name_is_a_noun_not_a_cue() -> None:
    text = (
        "Maria Lopez is describing as “reckless” a Tom Reed tweet attacking a former mayor.\n\n"
        "A Reed aide tweets that the plan is dead."
    )
    found = find_attributions(text)
    cues = [text[c.cue[0] : c.cue[1]] for c in found if c.cue]
    contents = [" ".join(text[s:e] for s, e in c.content) for c in found]
    assert "tweet" not in cues
    assert any("a Tom Reed tweet attacking a former mayor" in c for c in contents)
    assert "tweets" in cues
