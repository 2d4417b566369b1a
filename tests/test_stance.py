"""Stance from attitude and what it is about (issue 17): made-up sentences, not seed texts."""

from __future__ import annotations

import pytest

from briefing.extract.stance import read_stance


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # attitude x negated object
        ("the minister is pleased with reports that the border will not be closed", "opposes"),
        ("the union welcomed the decision not to raise fees", "opposes"),
        ("she hopes the court will never approve the merger", "opposes"),
        ("the party regrets that the reform will not pass this year", "supports"),
        ("the mayor is satisfied with the plan to rebuild the bridge", "supports"),
        ("they are ready to hold as many rounds as needed to reach a deal", "supports"),
        # a negated attitude turns round, then meets its object
        ("the governor was not satisfied with the new budget", "opposes"),
        ("the council is not happy, nor pleased that the law will not change", "supports"),
        # comparative praise
        ("He is far better qualified than his rival", "supports"),
        ("the challenger is unqualified for the job", "opposes"),
    ],
)
def test_attitude_times_object(content: str, stance: str) -> None:
    assert read_stance(content).stance == stance


def test_object_negation_is_shown_in_the_cues() -> None:
    assert read_stance("we welcome the decision not to deploy").cues == ("+welcome>not",)


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # the writer's rebuttal is cut before reading
        ("the count was illegal, but there is no evidence of that", "opposes"),
        ("the deal is useful, which is false according to auditors", "supports"),
        ("that the vote was rigged, a claim that officials rejected", None),
        ("the plan will help farmers; however, economists warn against it", "supports"),
        ("that rivals harmed the campaign, though there is no evidence", "opposes"),
        # the speaker's own "but" is kept
        ("not now, but we welcome the plan", "supports"),
    ],
)
def test_rebuttal_is_cut(content: str, stance: str | None) -> None:
    assert read_stance(content).stance == stance


@pytest.mark.parametrize(
    "content",
    [
        "he committed no wrongdoing",  # not "committed to"
        "the senator said the hearing will take place in May",
        "no matter what happens, the meeting is on Tuesday",
    ],
)
def test_near_misses_stay_silent(content: str) -> None:
    assert read_stance(content).stance is None


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # a relative clause on a noun does not negate the object
        ("we support a truce that does not reward aggression", "supports"),
        # an attitude noun is someone's attitude, read alone without an object
        ("praise from abroad would not change the plan", "supports"),
        ("our support for the schools is not abstract", "supports"),
        # idioms whose negator negates nothing
        ("we welcome talks without preconditions", "supports"),
        ("not only do we welcome the plan", "supports"),
        # the object ends at the clause: the next clause is read on its own
        ("they accept the offer, but will not sign today", None),
    ],
)
def test_object_scope(content: str, stance: str | None) -> None:
    assert read_stance(content).stance == stance


# what a stance word is about: the topic's proposition -----------------------------------------

FIT = "Maria Lopez is fit to be mayor"


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # an attitude whose object is another name says nothing of the proposition
        ("she promised to keep supporting Tom Reyes", None),
        ("the union praised Reyes for his plan", None),
        ("support for Mr. Reyes is growing", None),
        # ... and counts where the proposition names it
        ("she promised to keep supporting Maria Lopez", "supports"),
        ("the union praised Lopez for her plan", "supports"),
        ("the union condemned Lopez", "opposes"),
        # a possessive before a noun of what was said or proposed: the object is the plan
        ("we welcome Reyes's plan to rebuild the bridge", "supports"),
        # ... before any other noun the possessor is the target: Reyes's courage is Reyes's
        ("she appreciated Reyes’s courage in a war of words", None),
        ("she appreciated Lopez's courage", "supports"),
        # a word judges the name right after it, or its clause's named subject
        ("the mayor helped Reyes win the seat", None),
        ("that Reyes was unqualified", None),
        ("Tom Reyes is unqualified and dangerous", None),
        ("Lopez is unqualified and dangerous", "opposes"),
        ("that Maria Lopez was unqualified", "opposes"),
        # an unnamed target stays the proposition's, as before
        ("the plan is dangerous", "opposes"),
        ("she is unqualified", "opposes"),
        # a capital that only starts a sentence is no name
        ("Everything was dangerous", "opposes"),
    ],
)
def test_a_word_about_another_name_takes_no_side(content: str, stance: str | None) -> None:
    assert read_stance(content, proposition=FIT).stance == stance


def test_without_a_proposition_every_word_is_read() -> None:
    assert read_stance("she promised to keep supporting Tom Reyes").stance == "supports"
    assert read_stance("that Reyes was unqualified").stance == "opposes"


def test_what_is_left_out_is_listed_apart() -> None:
    found = read_stance("the union praised Reyes", proposition=FIT)
    assert (found.cues, found.others) == ((), ("+praise@reyes",))


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        ("Lopez is a danger to the city", "supports"),  # agrees that she is unfit
        ("Lopez is qualified", "opposes"),
        ("the council endorsed Lopez", "opposes"),
    ],
)
def test_a_proposition_stated_negatively_turns_the_reading_round(content: str, stance: str) -> None:
    assert read_stance(content, proposition="Maria Lopez is unfit to be mayor").stance == stance


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # criticism or praise of the one the proposition is about
        ("Lopez is a disaster", "opposes"),
        ("the council said Lopez is unhinged and reckless", "opposes"),
        ("she called the mayor a liar", "opposes"),
        ("Lopez is brilliant", "supports"),
        # ... not of someone else
        ("that Reyes was disgusting", None),
        ("Tom Reyes is a liar", None),
    ],
)
def test_judgements_of_a_person(content: str, stance: str | None) -> None:
    assert read_stance(content, proposition=FIT).stance == stance


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        ("cutting taxes on the wealthy hasn't worked", "opposes"),
        ("you would be shooting yourself in the foot", "opposes"),
        ("the posts were lies and conspiracy theories", "opposes"),
        ("she will stand up to the attacks", "opposes"),
        ("the capital is pushing to keep the talks going", "supports"),
        # a duration is not a condition
        ("we are ready to talk for as long as necessary", "supports"),
        ("they are open to talks as long as the shelling stops", "conditional"),
        # the writer's "critics say" is not the speaker's
        ("the plan is useful, but critics say it is dangerous", "supports"),
        # a question asserts nothing
        ("What kind of genius loses a fortune?", None),
        ("Is that illegal? The deal is useful.", "supports"),
        ("Did the U.S. envoy help the rebels?", None),
    ],
)
def test_general_english_judgements(content: str, stance: str | None) -> None:
    assert read_stance(content).stance == stance


@pytest.mark.parametrize(
    ("content", "proposition", "stance"),
    [
        # an acronym or a word of nationality before a noun modifies it: the troops, the mediation
        (
            "Moscow will never accept NATO troops in Ukraine",
            "foreign troops deployed in Ukraine",
            "opposes",
        ),
        (
            "the EU welcomes the American mediation",
            "the US mediation and Trump's peace efforts",
            "supports",
        ),
        (
            "London supports British troops for Ukraine",
            "foreign troops deployed in Ukraine",
            "supports",
        ),
        # ... and is the target where it heads its phrase
        ("we condemn NATO", "Ukraine joins NATO", "opposes"),
        ("we condemn NATO", "foreign troops deployed in Ukraine", None),
    ],
)
def test_a_name_before_a_noun_only_qualifies_it(
    content: str, proposition: str, stance: str | None
) -> None:
    assert read_stance(content, proposition=proposition).stance == stance


# judgements of a person or a plan, and negation (issue 17 item 3) ----------------------------


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # a negated judgement says its opposite, where a negated position word leaves a door open
        ("Lopez doesn't show consistency in her concern for the schools", "opposes"),
        ("the governor is not dishonest", "supports"),
        ("the deal is not entirely closed", "conditional"),
        # evaluative words of general English
        ("the new budget is still tilted toward the wealthy", "opposes"),
        ("he would rule like a strongman", "opposes"),
        ("the auditors said her answers were truthful", "supports"),
        # doing nothing toward an end fails it, whatever the end
        ("the tariffs do nothing to help workers", "opposes"),
        # "nothing" negates, but not in a comparison or an idiom
        ("nothing useful came out of the talks", "opposes"),
        ("there is nothing more important than the treaty", "supports"),
        ("make no mistake, we welcome the plan", "supports"),
    ],
)
def test_judgements_and_their_negation(content: str, stance: str | None) -> None:
    assert read_stance(content).stance == stance


@pytest.mark.parametrize(
    "content",
    [
        "the committee will meet on Tuesday to review the figures",
        "voter fraud would be the subject of the hearing",
        "the senator will speak about the tax code in Ohio",
    ],
)
def test_no_stance_where_nothing_is_stated(content: str) -> None:
    assert read_stance(content).stance is None


# a demand made of a person counts against them (issue 17 item 3) ------------------------------


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        ("Lopez should release her tax records", "opposes"),
        ("Mayor Lopez needs to apologize to the teachers", "opposes"),
        ("I think Lopez and the other candidates should do so", "opposes"),
        ("The sooner she releases the records, the better", "opposes"),
        ("Lopez to stop attacking the press and apologize", "opposes"),  # (called on) Lopez to
        # a demand of someone else says nothing of the proposition's person
        ("Reyes should apologize", None),
        ("the council called on Tom Reyes to resign", None),
        # a proposal of the speaker's side or of a body, a negated demand, a forecast, an "if",
        # a question: no demand made of a person
        ("we must rethink our schools policy", None),
        ("city officials should reach out to the state", None),
        ("Lopez should not apologize", None),
        ("Lopez should win the district easily", None),
        ("should Lopez win, the council will meet in May", None),
        ("Should Lopez release her records?", None),
    ],
)
def test_a_demand_made_of_a_person(content: str, stance: str | None) -> None:
    assert read_stance(content, proposition=FIT).stance == stance


def test_a_demand_made_of_someone_unnamed_is_about_the_proposition() -> None:
    found = read_stance("the sooner he releases them, the better", proposition=FIT)
    assert (found.stance, found.cues[0][:11]) == ("opposes", "-the sooner")


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        ("we must preserve the independence of the courts", "supports"),
        # a quality named as a subject is not ascribed to anyone
        ("the integrity of the count", None),
    ],
)
def test_preserving_and_a_quality_named(content: str, stance: str | None) -> None:
    assert read_stance(content).stance == stance


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # the speaker's own judgement inside an attitude's object decides
        ("the senator favors a strongman approach", "opposes"),
        ("she condemned the disgraceful attack", "opposes"),
        ("we welcome the brilliant plan", "supports"),
        # lacking is not having
        ("the governor lacks the courage to act", "opposes"),
        ("there is nothing wrong with the plan", "supports"),
        ("the campaign is in panic mode", "opposes"),
        ("Tell that to the workers who lost their jobs", "opposes"),
        # an adverb of candour judges nothing
        ("honestly, the meeting is on Tuesday", None),
        ("the mayor has a huge bully pulpit", None),
    ],
)
def test_more_judgements(content: str, stance: str | None) -> None:
    assert read_stance(content).stance == stance


@pytest.mark.parametrize(
    ("content", "proposition", "stance"),
    [
        ("Lopez has to apologize", FIT, "opposes"),
        # a need that corrects nothing, a possession, an indirect question: no demand
        ("Lopez has to win the north", FIT, None),
        ("the more votes Lopez should have by May", FIT, None),
        ("advisers debated how Lopez should answer", FIT, None),
        # a demand made of a country is a proposal, not a judgement of a person
        (
            "Ukraine must keep its army in the east",
            "Ukraine keeps or regains its occupied territories",
            None,
        ),
    ],
)
def test_what_a_demand_is_not(content: str, proposition: str, stance: str | None) -> None:
    assert read_stance(content, proposition=proposition).stance == stance


def test_a_requirement_sets_terms() -> None:
    found = read_stance("any summit would require careful groundwork to be meaningful")
    assert found.stance == "conditional"


@pytest.mark.parametrize(
    ("content", "proposition", "stance"),
    [
        # after "should", "must", "has to" only a verb that corrects a course makes a demand:
        # advice to act is no criticism of the one told
        ("She should meet the governor next week.", "a meeting between the two leaders", None),
        ("He should sign the trade agreement.", "a negotiated trade agreement", None),
        ("She must keep fighting for the schools.", FIT, None),
        (
            "He should accept the invitation to the debate",
            "a debate between the rivals",
            "supports",
        ),
        # "stop" corrects one's own course before a verb in -ing, not before someone else
        ("He has to stop the rebels.", "the mediation and the president's peace efforts", None),
        ("Lopez has to stop insulting the teachers.", FIT, "opposes"),
        ("Lopez must stop.", FIT, "opposes"),
    ],
)
def test_advice_to_act_is_no_demand(content: str, proposition: str, stance: str | None) -> None:
    assert read_stance(content, proposition=proposition).stance == stance


RELEASE = "Maria Lopez should release her tax records"


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # a proposition that makes a demand is not stated negatively: readings keep their side
        ("Releasing the records would be useful.", "supports"),
        ("Releasing them would be a mistake.", "opposes"),
        # ... and a demand of the same person agrees with it
        ("Lopez should release them at once.", "supports"),
    ],
)
def test_a_proposition_that_demands_is_not_negative(content: str, stance: str) -> None:
    assert read_stance(content, proposition=RELEASE).stance == stance


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # a judgement decides for an attitude only inside its object's first noun phrase: what
        # follows a preposition, "to" or a relative pronoun is something else, judged apart
        ("we welcome the tough measures against the dictatorship", "supports"),
        ("the union welcomed the decision to end the disgraceful practice", "supports"),
        ("she praised the judge for dismissing the fraudulent lawsuit", "supports"),
        ("we support a law that ends the cruel treatment of animals", "supports"),
        # ... where it still decides
        ("we support the disgraceful plan of the mayor", "opposes"),
    ],
)
def test_a_judgement_decides_only_in_the_object_s_first_phrase(content: str, stance: str) -> None:
    assert read_stance(content).stance == stance


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # "nothing" in a comparison or in "nothing short of" negates nothing: it stresses
        ("Nothing is more important than the treaty.", "supports"),
        ("Nothing is more dangerous than this plan.", "opposes"),
        ("The ruling is nothing short of outrageous.", "opposes"),
        # ... where it negates elsewhere
        ("Nothing useful came of the summit.", "opposes"),
    ],
)
def test_nothing_in_a_comparison_negates_nothing(content: str, stance: str) -> None:
    assert read_stance(content).stance == stance


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        # panicking is no judgement of anyone: only "panic mode" is
        ("There is no need to panic.", None),
        ("Voters did not panic.", None),
        ("Shoppers panic as prices rise.", None),
        ("the campaign is in full panic mode", "opposes"),
        # "tell that to" dismisses a claim only where it opens a clause; elsewhere it reports
        ("We will tell that to our partners in Berlin.", None),
        ("Fine words. Tell that to the nurses on double shifts.", "opposes"),
    ],
)
def test_panic_and_tell_that_to(content: str, stance: str | None) -> None:
    assert read_stance(content).stance == stance


@pytest.mark.parametrize(
    ("content", "proposition", "stance"),
    [
        # a titled name is one name with its full stop, in a demand and in the proposition
        ("The sooner Ms. Lopez releases the records, the better", FIT, "opposes"),
        ("Ms. Lopez to resign at once", FIT, "opposes"),  # (called on) Ms. Lopez to
        ("Lopez should apologize", "Ms. Lopez is fit to be mayor", "opposes"),
    ],
)
def test_a_demand_of_a_titled_name(content: str, proposition: str, stance: str) -> None:
    assert read_stance(content, proposition=proposition).stance == stance
