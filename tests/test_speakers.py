"""The finder's speaker: the right one or none (made-up sentences, each with a near miss)."""

from __future__ import annotations

from briefing.find import find_attributions


def _speaker(text: str, words: str) -> str | None:
    """The speaker of the candidate whose content contains `words`."""
    for c in find_attributions(text):
        if any(words in text[s:e] for s, e in c.content):
            return c.speaker
    raise AssertionError(f"no candidate contains {words!r}")


def test_a_place_is_never_the_speaker() -> None:
    text = (
        "Speaking in Des Moines, Iowa, on Tuesday, he said the economy was rigged.\n\n"
        "Officials in Kyiv said the talks would resume.\n\n"
        "A voter from Cedar Rapids said the caucus was a mess.\n\n"
        "Two reporters at the White House said the briefing was late.\n"
    )
    assert _speaker(text, "economy was rigged") is None
    assert _speaker(text, "talks would resume") is None
    assert _speaker(text, "caucus was a mess") is None
    assert _speaker(text, "briefing was late") is None


def test_a_person_or_institution_before_the_place_speaks() -> None:
    text = (
        "Sen. Tim Kaine of Virginia said the plan would fail.\n\n"
        "Dan Walsh at the National Review said the debate was a draw.\n\n"
        "The White House said the bill would be vetoed.\n\n"
        "Secretary of State John Kerry said the deal was good.\n"
    )
    assert _speaker(text, "plan would fail") == "Tim Kaine"
    assert _speaker(text, "debate was a draw") == "Dan Walsh"
    assert _speaker(text, "would be vetoed") == "White House"
    assert "John Kerry" in (_speaker(text, "deal was good") or "")


def test_a_pronoun_never_points_back_to_a_place() -> None:
    text = (
        "At a rally in New York City, she said the plan would fail.\n\n"
        "Mike Pence campaigned in Ohio on Monday. “We are going to win,” he said.\n"
    )
    assert _speaker(text, "plan would fail") is None
    assert _speaker(text, "going to win") == "Mike Pence"


def test_a_role_of_a_place_is_the_person_named_with_that_role_or_none() -> None:
    text = (
        "Cleveland Mayor Frank Jackson opened the session.\n\n"
        "The mayor of Cleveland said the city was ready.\n\n"
        "The governor of Ohio said the roads were closed.\n\n"
        "The head of the Service Employees International Union said the strike would go on.\n"
    )
    assert _speaker(text, "city was ready") == "Frank Jackson"
    assert _speaker(text, "roads were closed") is None
    assert _speaker(text, "strike would go on") == "Service Employees International Union"


def test_a_role_is_not_another_role_of_the_same_head() -> None:
    text = (
        "Australian Prime Minister Malcolm Turnbull condemned the test.\n\n"
        "The foreign minister said the sanctions would follow.\n\n"
        "The prime minister said the region was at risk.\n"
    )
    assert _speaker(text, "sanctions would follow") is None
    assert _speaker(text, "region was at risk") == "Malcolm Turnbull"


def test_a_share_of_voters_is_not_a_place_phrase() -> None:
    text = "Nine in 10 voters said the economy mattered most.\n"
    assert _speaker(text, "economy mattered") is None


def test_a_quotation_belongs_to_its_own_attribution_past_an_aside() -> None:
    text = (
        "Hillary Clinton attacked Donald Trump on Monday. “He is unfit,” Clinton, 68, said at a "
        "rally.\n\n"
        "Mike Pence spoke first. “We will win this state,” Trump, who arrived late, told the "
        "crowd.\n\n"
        "Paul Ryan stayed away. “It was a disaster.” Later, Ryan, the speaker, said the race was "
        "close.\n"
    )
    assert _speaker(text, "He is unfit") == "Hillary Clinton"
    assert _speaker(text, "win this state") == "Donald Trump"
    assert _speaker(text, "It was a disaster") is None  # the next sentence is not its attribution


def test_a_quotation_after_a_sentence_about_someone_else_does_not_continue() -> None:
    text = (
        "“We need a leader,” Jeb Bush said. Then Donald Trump took the stage. “I am the "
        "leader.”\n\n"
        "“We have had problems,” Barack Obama said. He paused. “Our goal is peace.”\n"
    )
    assert _speaker(text, "I am the leader") is None
    assert _speaker(text, "Our goal is peace") == "Barack Obama"  # 'He paused' names no one else


def test_a_transcript_turn_belongs_to_its_labelled_speaker() -> None:
    text = (
        "On Sunday, Jake Tapper spoke with Governor Mary Fallin about the election and the police.\n\n"
        "TAPPER: Some voters are skeptical of Donald Trump.\n\n"
        "Specifically, Senator Bob Smith said he was divisive. How will he heal the divide?\n\n"
        "FALLIN: Well, the nation needs to work together, and understand that people are "
        "scared.\n\n"
        "TAPPER: Thank you, Governor.\n\n"
        "Later, Smith said the interview changed nothing.\n"
    )
    # The answer is the governor's, though its clause reads like an imperative.
    assert _speaker(text, "needs to work together") == "Mary Fallin"
    # A paragraph between two labelled lines continues the interviewer's turn; the name in
    # his question is not a speaker.
    assert _speaker(text, "How will he heal the divide") == "Jake Tapper"
    assert all(
        c.speaker != "Bob Smith" or "nothing" in text[c.content[0][0] : c.content[0][1]]
        for c in find_attributions(text)
    )
    # Past the last labelled line the article's own sentences are not a turn.
    assert _speaker(text, "changed nothing") == "Bob Smith"


def test_a_name_before_its_hometown_or_outlet_is_the_speaker() -> None:
    text = (
        "Johnnie Wilson, of Springfield, Va., said he had fought in Vietnam.\n\n"
        "“The impact is small,” wrote Cameron Easley for Morning Consult.\n\n"
        "A spokesman for the Kremlin said the talks were over.\n"
    )
    assert _speaker(text, "fought in Vietnam") == "Johnnie Wilson"
    assert _speaker(text, "impact is small") == "Cameron Easley"
    assert _speaker(text, "talks were over") == "Kremlin"  # an unnamed spokesman speaks for it


def _quotation(text: str, words: str) -> tuple[str | None, int]:
    """The speaker of the quotation containing `words`, and how many candidates contain them."""
    found = [c for c in find_attributions(text) if any(words in text[s:e] for s, e in c.content)]
    direct = [c for c in found if c.kind == "direct"]
    assert direct, f"no quotation contains {words!r}"
    return direct[0].speaker, len(found)


def test_a_quotation_belongs_to_a_long_subject_before_its_cue() -> None:
    text = (
        "“The vote was a farce from the start,” Rep. Ann Marsh (D-Ore.) said in a phone "
        "interview.\n\n"
        "“The rules were written for the incumbents,” Paul Dorn, a senior fellow at the Carver "
        "Institute and a former ambassador to Peru, said on Monday.\n\n"
        "“It hurts the smaller towns,” Lena Ortiz, the attorney general of Kansas, one of the "
        "states suing the agency, said at a hearing.\n\n"
        "“We are ready for the storm,” the banner over the stage at the convention center in the "
        "old part of Dayton read, and Mary Jones said the crowd cheered.\n"
    )
    # One candidate each, the quotation with its speaker (not a reported statement whose
    # content is the quotation).
    assert _quotation(text, "farce from the start") == ("Ann Marsh", 1)
    assert _quotation(text, "written for the incumbents") == ("Paul Dorn", 1)
    assert _quotation(text, "smaller towns") == ("Lena Ortiz", 1)  # "the states": a noun
    # The name far after the quotation is the subject of a clause of its own.
    assert _quotation(text, "ready for the storm") == (None, 1)


def test_a_negated_auxiliary_is_not_part_of_the_source() -> None:
    text = (
        "Governor Ruth Allan isn’t saying if the budget will pass.\n\n"
        "And Paul Greer didn't apologize for his past remarks.\n\n"
        "But don't expect the mayor to change course.\n"
    )
    assert _speaker(text, "budget will pass") == "Ruth Allan"
    assert _speaker(text, "past remarks") == "Paul Greer"
    # Opening its clause, the negated auxiliary addresses the reader: no one speaks.
    assert _speaker(text, "change course") is None


def test_a_participle_takes_the_name_of_the_main_clause() -> None:
    text = (
        "Republican vice presidential nominee Carl Boyd spoke on Monday, saying that the tax "
        "plan would pass.\n\n"
        "Rattled by the polls, as well as by the ads, Boyd changed his plan, promising to cut "
        "taxes for farmers.\n\n"
        "Ted Moran toured the plant, saying the jobs would come back.\n"
    )
    assert _speaker(text, "tax plan would pass") == "Carl Boyd"
    assert _speaker(text, "cut taxes for farmers") == "Carl Boyd"
    assert _speaker(text, "jobs would come back") == "Ted Moran"  # a name, no participle


def test_a_name_written_only_inside_a_quotation_is_not_the_display_form() -> None:
    text = (
        "Hillary Clinton spoke in Ohio on Friday.\n\n"
        "Trump wrote on Twitter: “Lying Hillary Clinton is a disaster.”\n\n"
        "Later, Clinton said the economy was strong.\n"
    )
    assert _speaker(text, "economy was strong") == "Hillary Clinton"
    # Near miss: a name the article gives only inside a quotation is still the name.
    text = (
        "“I met Mary Ann Jones at the rally,” the organiser said.\n\n"
        "Later, Jones said the vote was fair.\n"
    )
    assert _speaker(text, "vote was fair") == "Mary Ann Jones"


def test_a_word_capitalised_only_where_it_opens_a_sentence_is_no_name() -> None:
    text = (
        "The senator was having a hard week, in good health, and officials say talks could fail.\n\n"
        "Health worries have dogged the senator since she fell ill.\n\n"
        "(Having said that, there are some economists who argue that taxes should be low.)\n\n"
        "Say Mexico demanded a new deal. Then Mexico said the treaty was over.\n\n"
        "Melanie said the plan was unfair.\n\n"
        "Hillary Clinton said the vote was close.\n"
    )
    assert _speaker(text, "dogged the senator") is None
    assert _speaker(text, "taxes should be low") is None
    assert _speaker(text, "treaty was over") == "Mexico"
    # Near misses: a word the article never writes in lower case is a name at a sentence's
    # start, alone or before another name word.
    assert _speaker(text, "plan was unfair") == "Melanie"
    assert _speaker(text, "vote was close") == "Hillary Clinton"


def test_two_people_with_one_surname_are_told_apart_by_the_name_or_the_last_named() -> None:
    text = (
        "Libertarian candidate Gary Johnson said he would debate anyone. "
        "Later, Homeland Security Secretary Jeh Johnson said hackers were probing election "
        "systems. Johnson said officials should ask for help. "
        "Gary Johnson said the polls were unfair to him."
    )
    assert _speaker(text, "officials should ask for help") == "Jeh Johnson"
    assert _speaker(text, "the polls were unfair") == "Gary Johnson"
    assert _speaker(text, "he would debate anyone") == "Gary Johnson"


def test_a_namesake_named_long_before_does_not_take_a_bare_surname() -> None:
    filler = "The campaign held rallies across the state that week. " * 25
    text = (
        "Hillary Clinton will host events in Broward County, and former President Bill Clinton "
        "will travel to the north of the state. " + filler + "\n\n"
        "Clinton told the audience that she believes the policies must continue."
    )
    assert _speaker(text, "the policies must continue") == "Hillary Clinton"


def test_a_sentences_opening_word_is_not_part_of_a_name() -> None:
    text = (
        "Donald Trump spoke in Ohio. Although Trump said the tax laws were unfair, he used them. "
        "Hillary Clinton spoke in Florida. "
        "Injecting Clinton's marital troubles into the race is his latest effort. "
        "Clinton said her plans will solve the problems families face."
    )
    assert _speaker(text, "the tax laws were unfair") == "Donald Trump"
    assert _speaker(text, "her plans will solve") == "Hillary Clinton"


def test_the_articles_own_misspelling_of_a_name_is_that_person_not_an_institution() -> None:
    text = (
        "Two voters, Tyresha McClenney and Bryan Anderson, saw the rally. "
        "McLenney said Clinton does not show consistency. "
        "“It is only when the media gets a video,” she said. "
        "Americans said the economy mattered most."
    )
    assert _speaker(text, "does not show consistency") == "Tyresha McClenney"
    assert _speaker(text, "only when the media") == "Tyresha McClenney"
    assert _speaker(text, "the economy mattered") != "Tyresha McClenney"


def test_a_bare_surname_is_the_namesake_who_spoke_last() -> None:
    text = (
        "Former President Bill Clinton criticized the health law at a rally for Hillary Clinton. "
        "The former president said premiums were rising. "
        "“It doesn’t make any sense,” Clinton said."
    )
    assert _speaker(text, "make any sense") == "Bill Clinton"


def test_a_shorter_form_of_a_name_is_the_same_person_not_a_namesake() -> None:
    text = (
        "Economy minister Ildefonso Guajardo Villarreal spoke to reporters. "
        "Mr. Guajardo Villarreal said Mexico must not overreact. "
        "Villarreal said the trade deal would survive."
    )
    assert _speaker(text, "trade deal would survive") == "Ildefonso Guajardo Villarreal"


def test_two_people_named_with_jr_are_two_speakers() -> None:
    text = (
        "Vice President Joseph R. Biden Jr. said the plan was fair. "
        "The singer Hank Williams Jr. said he disliked the plan. "
        "Biden said the vote would be close."
    )
    assert _speaker(text, "the vote would be close") == "Joseph R. Biden Jr"


def test_a_quotation_after_a_newcomer_is_the_newcomers_not_the_last_speakers() -> None:
    text = (
        "“Her outreach feels like pandering,” said Mark Dowd, a retired teacher. "
        "“Nobody believes it,” he said.\n\n"
        "The campaign has few celebrity backers, something that worries Paul Ortega, "
        "president of the county party.\n\n"
        "“No one is writing songs for her,” he said.\n"
    )
    assert _speaker(text, "Nobody believes it") == "Mark Dowd"
    assert _speaker(text, "No one is writing songs") == "Paul Ortega"


def test_a_person_the_last_speaker_met_is_no_newcomer() -> None:
    """The sentence bringing the person in is about "he", the last speaker: still his words."""
    text = (
        "“We will win,” said Mark Dowd, the candidate.\n\n"
        "He later met Paul Ortega, the county sheriff, at the fair.\n\n"
        "“We will build a new school,” he said.\n"
    )
    assert _speaker(text, "build a new school") == "Mark Dowd"


def test_the_last_speaker_keeps_the_quotation_when_named_again_after_the_newcomer() -> None:
    text = (
        "“We will win,” said Mark Dowd, the candidate.\n\n"
        "Introduced by Paul Ortega, the county sheriff, Dowd spoke for an hour.\n\n"
        "“We will build a new school,” he said.\n"
    )
    assert _speaker(text, "build a new school") == "Mark Dowd"


def test_it_after_a_report_is_the_report_not_an_institution_it_quotes() -> None:
    text = (
        "The Treasury Department “only requires that firms list their largest units,” "
        "the report says.\n\n"
        "It also points out that the penalties for hiding units are very light.\n\n"
        "The Treasury Department said the rules would change next year.\n\n"
        "It added that the new rules would be published in June.\n"
    )
    assert _speaker(text, "penalties for hiding units") is None
    # the near miss: after the department's own statement, "it" is the department
    assert _speaker(text, "published in June") == "Treasury Department"


def test_a_bracketed_imperative_names_no_speaker() -> None:
    text = (
        "Companies may bring money home rather than risk new rules in Europe "
        "(think Brexit, for example) and elsewhere.\n\n"
        "The plan will fail, says Maria Lopez, an economist at the bank.\n"
    )
    speakers = {c.speaker for c in find_attributions(text)}
    assert "Brexit" not in speakers
    assert _speaker(text, "plan will fail") == "Maria Lopez"


def test_a_noun_before_such_as_is_no_verb_of_saying() -> None:
    text = (
        "She has been endorsed by once-loyal Republican advocates such as The Dallas Morning "
        "News and the Arizona Republic.\n\n"
        "Tom Hale advocates tighter rules for lenders, a spokesman said.\n"
    )
    contents = [" ".join(text[s:e] for s, e in c.content) for c in find_attributions(text)]
    assert not any(c.startswith("such as") for c in contents)
    assert any("tighter rules for lenders" in c for c in contents)


def test_a_that_clause_of_an_owned_statement_noun_is_not_the_responders() -> None:
    text = (
        "Vice President Jo Ames responded to Mr. Hale's debate interjection that not paying "
        "taxes made him smart.\n\n"
        "The senator said during this week's debate that the plan would fail.\n\n"
        "The senator said in a statement that the bill was dead.\n"
    )
    contents = {
        " ".join(text[s:e] for s, e in c.content): c.speaker for c in find_attributions(text)
    }
    assert "that not paying taxes made him smart" not in contents
    # a possessive of time, or a statement with no owner, is a circumstance: skipped as before
    assert "that the plan would fail" in contents
    assert "that the bill was dead" in contents
