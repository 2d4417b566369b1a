"""Labelling candidates: stance read from the words, the model's answers checked, failures kept.

The model is a simulated server below the cache (as in test_model_failures.py), so the real SDK
parses every answer; nothing here calls a live model.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest

from briefing.config import load_settings
from briefing.extract.items import LabelItem, load_propositions
from briefing.extract.label import LabelConfig, label_candidates
from briefing.extract.prompts import load_prompt, load_topics
from briefing.extract.stance import read_stance
from briefing.llm.client import ModelClient, open_client
from briefing.store.database import Store

# stance from the content's own words ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "stance"),
    [
        ("such measures harm bilateral relations and do not contribute to resolving it", "opposes"),
        ("any deployment of troops is categorically unacceptable", "opposes"),
        ("Moscow views the prospect of European troops in Ukraine negatively", "opposes"),
        ("the minister rejected the proposal", "opposes"),
        ("Russia does not support megaphone diplomacy", "opposes"),
        ("this cannot be discussed", "opposes"),
        ("we welcome the decision", "supports"),
        ("We highly appreciate the mediation efforts", "supports"),
        ("Ukraine is counting on further sanctions", "supports"),
        ("However, this issue can be discussed", "conditional"),
        ("the topic is not entirely closed to dialogue", "conditional"),
        ("a deployment is not ruled out", "conditional"),
        ("some things were accepted, and some were marked as unacceptable", None),  # mixed
        ("the delegations met in Berlin on Monday", None),  # silent: the model decides
        ("the harmony of the talks", None),  # "harm" is a word, not a prefix
        ("its gratitude for efforts to seek peace rather than escalate the war", "supports"),
        ("talks instead of sanctions, which would only harm trade", "opposes"),
    ],
)
def test_stance_read_from_the_words(content: str, stance: str | None) -> None:
    assert read_stance(content).stance == stance


def test_negation_stops_at_punctuation() -> None:
    # "not" belongs to the first clause; the welcome after the comma stays a welcome.
    assert read_stance("not now, but we welcome the plan").stance == "supports"
    assert read_stance("we will not support the plan").cues == ("-will not", "not+support")


# the model's answers -------------------------------------------------------------------------


# The tests of asking: every candidate goes to the model (an unresolved speaker too), which
# writes a summary as well.
ASKING = LabelConfig(summary=True, model_only_when_open=False, guess_speakers=True)


def completion(content: str | None, finish: str = "stop") -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish,
                "message": {"role": "assistant", "content": content, "refusal": None},
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 15, "total_tokens": 115},
    }


Handler = Callable[[dict, int], dict]


class FakeServer(httpx2.BaseTransport):
    """Answers chat completions with `handler(request body, n)`, n counting from 1."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[dict] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.read())
        self.requests.append(body)
        return httpx2.Response(200, json=self.handler(body, len(self.requests)))


@pytest.fixture
def model(isolated: Path):
    settings = load_settings(provider="openai", model="test-model")
    store = Store(settings.store_path)

    def make(handler: Handler) -> tuple[ModelClient, FakeServer]:
        server = FakeServer(handler)
        return open_client(settings, store, provider="openai", transport=server), server

    yield make
    store.close()


PROMPT = load_prompt("label")
TOPICS = load_topics()
PROPOSITIONS = load_propositions(TOPICS)
SANCTIONS = LabelItem(
    1, "Dmitry Peskov", "such measures harm relations", "Peskov said such measures harm relations."
)
TALKS = LabelItem(2, "Dmitry Peskov", "the talks went well", "Peskov said the talks went well.")
MET = LabelItem(3, "Dmitry Peskov", "they met in Berlin", "He said they met in Berlin.")


def answer(**fields: object) -> dict:
    return completion(json.dumps(fields, separators=(",", ":")))


def schema_of(request: dict) -> dict:
    return request["response_format"]["json_schema"]["schema"]


def test_no_candidates_no_request(model) -> None:
    client, server = model(lambda body, n: answer())
    result = label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [], [], ASKING)
    assert result.labels == {} and result.failures == [] and server.requests == []


def test_rules_decide_the_stance_and_the_model_is_not_asked_for_it(model) -> None:
    client, server = model(
        lambda body, n: answer(pos=True, topic="peace_settlement", sum="Sanctions harm ties")
    )
    result = label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [SANCTIONS], [], ASKING)
    label = result.labels[1]
    assert (label.stance, label.stance_by) == ("opposes", "rules")
    # "sanction" is not in the content, so the model's topic stands.
    assert label.topic == "peace_settlement"
    assert "stance" not in schema_of(server.requests[0])["properties"]


def test_the_model_decides_what_the_words_leave_open(model) -> None:
    client, server = model(
        lambda body, n: answer(
            pos=True, topic="us_mediation", stance="supports", sum="Talks went well"
        )
    )
    config = LabelConfig(stance_from="rules+model", summary=True, model_only_when_open=False)
    result = label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [TALKS], [], config)
    assert (result.labels[2].stance, result.labels[2].stance_by) == ("supports", "model")
    assert "stance" in schema_of(server.requests[0])["properties"]


def test_when_several_topics_words_occur_the_model_chooses_among_them_only(model) -> None:
    client, server = model(lambda body, n: answer(pos=True, topic="negotiation_format"))
    both = LabelItem(
        4,
        "Dmitry Peskov",
        "contacts with Washington continue through established channels",
        "Peskov said contacts with Washington continue through established channels.",
    )
    result = label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [both, TALKS], [])
    assert result.labels[4].topic == "negotiation_format"
    narrowed, every = (schema_of(r)["properties"]["topic"]["enum"] for r in server.requests)
    assert narrowed == ["negotiation_format", "us_mediation", "other"]
    assert every == [*TOPICS, "other"]  # no topic's words in "the talks went well"


def test_by_default_silent_words_take_no_side_and_the_model_is_never_asked(model) -> None:
    # Measured on the seed gold: the model's stance was right less often than "neutral".
    client, server = model(
        lambda body, n: answer(pos=True, topic="us_mediation", sum="Talks went well")
    )
    result = label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [TALKS], [], ASKING)
    assert (result.labels[2].stance, result.labels[2].stance_by) == ("neutral", "rules")
    assert "stance" not in schema_of(server.requests[0])["properties"]


def test_prefix_is_fixed_and_the_article_sits_inside_delimiters(model) -> None:
    client, server = model(lambda body, n: answer(pos=False, topic="other", sum="A meeting"))
    label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [TALKS, MET], [], ASKING)
    first, second = (r["messages"] for r in server.requests)
    assert first[0] == second[0]  # identical bytes: llama.cpp reuses the cached prefix
    assert "<statement>" in first[1]["content"] and "they met in Berlin" in second[1]["content"]
    assert "talks went well" not in first[0]["content"]


def test_group_answers_checked_by_id(model) -> None:
    labels = [
        {"id": 1, "pos": True, "topic": "sanctions", "stance": "supports", "sum": "Harm"},
        {"id": 1, "pos": False, "topic": "sanctions", "stance": "neutral", "sum": "Again"},
        {"id": 9, "pos": True, "topic": "sanctions", "stance": "neutral", "sum": "Invented"},
    ]
    client, _ = model(lambda body, n: answer(labels=labels))
    config = LabelConfig(
        group_size=3, stance_from="model", summary=True, model_only_when_open=False
    )
    result = label_candidates(
        client, PROMPT, TOPICS, PROPOSITIONS, [SANCTIONS, TALKS, MET], [], config
    )
    assert list(result.labels) == [1]
    assert result.labels[1].is_position  # the first label kept
    reasons = {(f.id, f.reason.split(":")[0].split(",")[0]) for f in result.failures}
    assert reasons == {
        (1, "labelled twice"),
        (9, "labelled"),
        (2, "not labelled by the model"),
        (3, "not labelled by the model"),
    }


def test_a_bad_answer_is_asked_again_once(model) -> None:
    good = answer(pos=True, topic="peace_settlement", sum="Talks went well")
    client, server = model(lambda body, n: completion("{not json") if n == 1 else good)
    result = label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [TALKS], [], ASKING)
    assert len(server.requests) == 2 and result.labels[2].topic == "peace_settlement"
    assert "invalid" in server.requests[1]["messages"][-1]["content"]


def test_unusable_answers_are_reported_and_the_others_kept(model) -> None:
    good = answer(pos=False, topic="other", sum="A meeting")

    def handler(body: dict, n: int) -> dict:
        user = body["messages"][1]["content"]
        if "went well" in user:
            return completion('{"pos":true,"topic":"us_med', finish="length")  # cut off
        return good

    client, _ = model(handler)
    result = label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [TALKS, MET], [], ASKING)
    assert list(result.labels) == [3]
    assert [f.id for f in result.failures] == [2]
    assert result.usage.completion_tokens == 30  # the cut-off answer still cost its tokens


def test_an_unresolved_speaker_is_guessed_among_the_names_and_held_with_the_guess(model) -> None:
    """The model's pick of a name where the finder found none was right for 3 of 26 briefed
    entries on the hand-judged 2016 days: it is held for review, the guess in its reason, and
    briefed only with `trust_chosen_speaker`."""
    unresolved = LabelItem(
        4, None, "we welcome the plan", "“We welcome the plan,” a spokesman said."
    )
    client, server = model(
        lambda body, n: answer(
            pos=True, topic="peace_settlement", sum="Welcomes plan", who="Maria Zakharova"
        )
    )
    result = label_candidates(
        client,
        PROMPT,
        TOPICS,
        PROPOSITIONS,
        [unresolved],
        ["Dmitry Peskov", "Maria Zakharova"],
        ASKING,
    )
    assert result.labels[4].speaker is None
    held = result.labels[4].held or ""
    assert held.startswith("the finder could not tell who says it") and "Maria Zakharova" in held
    trusting = dataclasses.replace(ASKING, trust_chosen_speaker=True)
    again = label_candidates(
        client,
        PROMPT,
        TOPICS,
        PROPOSITIONS,
        [unresolved],
        ["Dmitry Peskov", "Maria Zakharova"],
        trusting,
    )
    assert (again.labels[4].speaker, again.labels[4].held) == ("Maria Zakharova", None)
    # Besides the names: none of them, or the writer.
    assert schema_of(server.requests[0])["properties"]["who"]["enum"] == [
        "Dmitry Peskov",
        "Maria Zakharova",
        "none of these",
        "the writer",
    ]
    assert "Maria Zakharova" in server.requests[0]["messages"][1]["content"]
    system = server.requests[0]["messages"][0]["content"]
    assert "none of these if" in system and "the writer if" in system


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("none of these", "speaker unknown: the model found none of the article's names"),
        ("the writer", "the writer's own statement, no speaker"),
    ],
)
def test_no_name_chosen_leaves_the_speaker_unknown_and_says_why(model, who, reason) -> None:
    unresolved = LabelItem(4, None, "the plan is welcome", "The plan is welcome, it was said.")
    client, _ = model(
        lambda body, n: answer(pos=True, topic="peace_settlement", sum="Plan welcome", who=who)
    )
    result = label_candidates(
        client, PROMPT, TOPICS, PROPOSITIONS, [unresolved], ["Dmitry Peskov"], ASKING
    )
    label = result.labels[4]
    assert label.speaker is None and label.held is not None and label.held.startswith(reason)


def test_topic_keywords_correct_the_model(model) -> None:
    item = LabelItem(
        5, "Peskov", "new sanctions are pointless", "Peskov said new sanctions are pointless."
    )
    client, _ = model(
        lambda body, n: answer(pos=True, topic="nato_membership", sum="Sanctions pointless")
    )
    label = label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [item], [], ASKING).labels[5]
    assert (label.topic, label.topic_by, label.stance) == ("sanctions", "keywords", "opposes")


def test_what_the_rules_decide_is_not_sent_to_the_model(model) -> None:
    decided = LabelItem(
        6, "Peskov", "new sanctions are pointless", "Peskov said new sanctions are pointless."
    )
    open_topic = LabelItem(7, "Peskov", "the talks went well", "Peskov said the talks went well.")
    client, server = model(lambda body, n: answer(pos=True, topic="negotiation_format"))
    result = label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [decided, open_topic], [])
    assert len(server.requests) == 1  # only the candidate whose topic the keywords leave open
    assert "the talks went well" in server.requests[0]["messages"][-1]["content"]
    label = result.labels[6]
    assert (label.is_position, label.topic, label.topic_by) == (True, "sanctions", "keywords")
    assert (label.stance, label.stance_by, label.summary) == ("opposes", "rules", "")
    assert "sum" not in schema_of(server.requests[0])["properties"]


def test_by_default_an_unresolved_speaker_is_held_without_asking_the_model(model) -> None:
    """Statements the finder cannot attribute were 57% of the requests on the judged 2016 days,
    and the model's guess among the names was right for 3 of 26: by default they are held for
    review with the reason, and cost no request."""
    unresolved = LabelItem(4, None, "new sanctions are pointless", "Sanctions are pointless.")
    open_topic = LabelItem(7, "Peskov", "the talks went well", "Peskov said the talks went well.")
    client, server = model(lambda body, n: answer(pos=True, topic="negotiation_format"))
    result = label_candidates(
        client, PROMPT, TOPICS, PROPOSITIONS, [unresolved, open_topic], ["Dmitry Peskov"]
    )
    assert len(server.requests) == 1 and "the talks went well" in str(server.requests[0])
    label = result.labels[4]
    assert label.speaker is None and label.topic == "sanctions"
    assert label.held == "the finder could not tell who says it; the model was not asked"


def test_the_model_reads_the_words_alone_unless_they_point_back(model) -> None:
    """Every word of a request is read before the model answers; the sentence around the words
    is sent only where they need it: a pronoun or "the topic" points back to it."""
    plain = LabelItem(7, "Peskov", "progress was real", "Earlier, Peskov said progress was real.")
    pointing = LabelItem(
        8,
        "Peskov",
        "that the topic is not closed to dialogue",
        "Troops were discussed. Peskov indicated that the topic is not closed to dialogue.",
    )
    client, server = model(lambda body, n: answer(pos=True, topic="negotiation_format"))
    every = LabelConfig(model_only_when_open=False)  # both asked, whatever their keywords
    label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [plain, pointing], [], every)
    first, second = (r["messages"][-1]["content"] for r in server.requests)
    assert "progress was real" in first and "Earlier" not in first and "context" not in first
    assert "context: Troops were discussed." in second


@pytest.mark.parametrize(
    ("topic", "stance"), [("nato_membership", "supports"), ("peace_settlement", "neutral")]
)
def test_stance_is_read_against_the_proposition_of_the_topic_filed(
    model, topic: str, stance: str
) -> None:
    # Praise of Ukraine bears on "Ukraine joins NATO", not on "a negotiated peace settlement",
    # whose proposition names no one.
    item = LabelItem(8, "Peskov", "the minister praised Ukraine", "Peskov said the minister ...")
    client, _ = model(lambda body, n: answer(pos=True, topic=topic, sum="Praise"))
    label = label_candidates(client, PROMPT, TOPICS, PROPOSITIONS, [item], [], ASKING).labels[8]
    assert (label.topic, label.stance, label.stance_by) == (topic, stance, "rules")
