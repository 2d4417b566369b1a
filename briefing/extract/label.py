"""Labelling: the model says what each candidate statement the finder found is.

The finder (briefing.find) decides what was said and by whom; this module asks the model, one
small question at a time, whether a candidate is a position and its topic (an enum of the topic
keys), and where the finder could not resolve the speaker, which of the article's names says it:
a guess held for review with the statement, never briefed (`trust_chosen_speaker`). Fixed
instructions first (llama.cpp reuses its prompt cache), the candidate in delimiters as data.

The program reads what it can first: stance from the content's words (`extract.stance`), the
topic where one topic's keywords occur. The model answers what the rules leave open, checked:
an unknown id, a candidate labelled twice or not at all goes to `LabelResult.failures`.
`plan_labels` builds the requests without sending them (so a run can be counted before it is
paid for); `label_candidates` sends them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import Field, create_model

from briefing.extract.items import LabelItem
from briefing.extract.prompts import Prompt
from briefing.extract.readings import StanceReadings
from briefing.extract.stance import StanceLexicon
from briefing.extract.topics import keyword_choices, keyword_topic, load_keywords
from briefing.llm.client import (
    ModelClient,
    ModelError,
    ModelInvalidOutput,
    ModelUnavailable,
    Usage,
)
from briefing.models import DraftModel, Stance

OTHER_TOPIC = "other"  # the model's way to say no listed topic fits: kept for review
MAX_SUMMARY_CHARS = 60
# How the reason opens when a statement with no speaker is held (the page lists them per source).
SPEAKER_NOT_FOUND = "the finder could not tell who says it"
# The model's choices for an unresolved speaker besides the article's names. Either leaves the
# statement with no one to brief it under: it is held for review with the reason.
NO_SPEAKER = "none of these"
THE_WRITER = "the writer"
UNKNOWN_SPEAKER = {
    NO_SPEAKER: "speaker unknown: the model found none of the article's names saying it",
    THE_WRITER: "the writer's own statement, no speaker",
}


@dataclass(frozen=True)
class Label:
    id: int
    is_position: bool
    topic: str
    stance: Stance
    summary: str
    speaker: str | None  # the finder's speaker, or the model's choice among the names
    stance_by: Literal["rules", "model"]
    topic_by: Literal["keywords", "model"]
    cues: tuple[str, ...] = ()  # the stance words the rules read
    held: str | None = None  # why no speaker can be briefed (the model chose no name)


@dataclass(frozen=True)
class LabelFailure:
    id: int | None
    reason: str


@dataclass
class LabelResult:
    labels: dict[int, Label] = field(default_factory=dict)
    failures: list[LabelFailure] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)


@dataclass(frozen=True)
class LabelConfig:
    """How to ask. The defaults are what measured best on the seed gold (bench/label.py)."""

    group_size: int = 1  # candidates per request
    # "rules": the lexicon decides, silent words are neutral, mixed ones conditional, the model
    # is not asked; "rules+model": the lexicon where it is clear, else the model; "model".
    stance_from: Literal["rules", "rules+model", "model"] = "rules"
    # A topic whose keywords alone occur in the content (then in the context) wins over the
    # model's: "content", "context" (content first, then context) or "none".
    topic_keywords: Literal["none", "content", "context"] = "context"
    # False: the model writes no summary (about 40% of its output tokens); the label's summary
    # is then empty and the caller shows the content words instead.
    summary: bool = False
    # True: a candidate whose speaker is resolved and whose topic the keywords decide is not
    # sent to the model at all (stance comes from the rules; it counts as a position, as the
    # model says of nearly every attributed statement): the model answers what rules leave open.
    model_only_when_open: bool = True
    max_reasks: int = 1
    # Brief the article's name the model picks where the finder cannot tell who speaks (right
    # for 3 of 26 entries on the judged 2016 days); False: held, the guess in the reason.
    trust_chosen_speaker: bool = False
    # False: a candidate whose speaker the finder cannot tell is held for review without asking
    # the model (its guess was right for 3 of 26 entries on the judged 2016 days, and such
    # candidates were 57% of the requests there); True: the model is asked, as with the rest.
    guess_speakers: bool = False


# schemas: built per set of topic keys and names, once --------------------------------------


@lru_cache(maxsize=64)
def answer_schema(
    topics: tuple[str, ...],
    names: tuple[str, ...],
    with_stance: bool,
    numbered: bool,
    with_summary: bool = True,
) -> type[DraftModel]:
    """The strict schema of one answer. Field names are short: every output token costs."""
    fields: dict[str, Any] = {}
    if numbered:
        fields["id"] = (int, ...)
    fields["pos"] = (bool, ...)
    fields["topic"] = (Literal[(*topics, OTHER_TOPIC)], ...)
    if with_stance:
        fields["stance"] = (Stance, ...)
    if with_summary:
        fields["sum"] = (str, Field(max_length=MAX_SUMMARY_CHARS))
    if names:
        fields["who"] = (Literal[(*names, NO_SPEAKER, THE_WRITER)], ...)
    label = create_model("CandidateLabel", __base__=DraftModel, **fields)
    if not numbered:
        return label
    return create_model("CandidateLabels", __base__=DraftModel, labels=(list[label], ...))  # type: ignore[valid-type]


# asking --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelRequest:
    """One request the model is to answer: the candidates it labels, what it is sent, and the
    schema its answer must fit. Built without a client, so that a run's requests can be counted
    (and priced) before any is sent (`briefing.llm.cost`)."""

    group: list[LabelItem]
    messages: list[dict[str, str]]
    schema: type[DraftModel]
    numbered: bool


@dataclass
class LabelPlan:
    """What the rules decide alone (each such candidate with its keyword topic), and the
    requests left for the model."""

    decided: list[tuple[LabelItem, str]]
    requests: list[LabelRequest]
    unasked: list[LabelItem]  # no speaker, and the model is not asked to guess one
    rules: StanceReadings
    config: LabelConfig
    keywords: dict[str, list[str]]


def plan_labels(
    prompt: Prompt,
    topics: dict[str, str],
    propositions: dict[str, str],
    items: list[LabelItem],
    names: list[str],
    config: LabelConfig | None = None,
    keywords: dict[str, list[str]] | None = None,
    lexicon: StanceLexicon | None = None,
) -> LabelPlan:
    """The labels the rules give on their own, and the requests (messages and schema) that
    `label_candidates` sends for the rest, one per group of candidates."""
    config = config or LabelConfig()
    if keywords is None and config.topic_keywords != "none":
        keywords = load_keywords()
    keywords = keywords or {}
    rules = StanceReadings(items, lexicon, propositions)
    seen: set[int] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"candidate id {item.id} given twice")
        seen.add(item.id)
    unasked = [] if config.guess_speakers else [i for i in items if i.speaker is None]
    items = [i for i in items if config.guess_speakers or i.speaker is not None]
    topics_by_rules = {i.id: _decided(i, config, keywords) for i in items}
    decided = [(i, t) for i in items if (t := topics_by_rules[i.id]) is not None]
    items = [i for i in items if topics_by_rules[i.id] is None]
    requests = []
    for start in range(0, len(items), max(1, config.group_size)):
        group = items[start : start + max(1, config.group_size)]
        numbered = config.group_size > 1
        unresolved = any(item.speaker is None for item in group)
        with_stance = config.stance_from == "model" or (
            config.stance_from == "rules+model"
            and (numbered or rules.of(group[0].id).stance is None)
        )
        choices = (
            None if numbered else keyword_choices(*group[0].texts, config.topic_keywords, keywords)
        )
        schema = answer_schema(
            tuple(choices or topics),
            tuple(names) if unresolved and names else (),
            with_stance,
            numbered,
            config.summary,
        )
        messages = prompt.messages(
            topics=topics,
            propositions=propositions,
            items=group,
            numbered=numbered,
            names=names if unresolved else [],
        )
        requests.append(LabelRequest(group, messages, schema, numbered))
    return LabelPlan(decided, requests, unasked, rules, config, keywords)


def label_candidates(
    client: ModelClient,
    prompt: Prompt,
    topics: dict[str, str],
    propositions: dict[str, str],
    items: list[LabelItem],
    names: list[str],
    config: LabelConfig | None = None,
    keywords: dict[str, list[str]] | None = None,
    lexicon: StanceLexicon | None = None,
) -> LabelResult:
    """Label every item; nothing to label means no call to the model."""
    plan = plan_labels(prompt, topics, propositions, items, names, config, keywords, lexicon)
    result = LabelResult()
    for item, topic in plan.decided:
        label = _label(item, {"pos": True, "topic": topic}, plan.rules, plan.config, plan.keywords)
        result.labels[item.id] = dataclasses.replace(label, topic_by="keywords")
    for item in plan.unasked:
        topic = keyword_topic(*item.texts, plan.config.topic_keywords, plan.keywords) or OTHER_TOPIC
        label = _label(item, {"pos": True, "topic": topic}, plan.rules, plan.config, {})
        result.labels[item.id] = dataclasses.replace(
            label, topic_by="keywords", held=f"{SPEAKER_NOT_FOUND}; the model was not asked"
        )
    for request in plan.requests:
        group = request.group
        answers = _ask(
            client, request.messages, request.schema, plan.config.max_reasks, result.usage
        )
        if isinstance(answers, str):
            result.failures.extend(LabelFailure(i.id, answers) for i in group)
            continue
        by_id = _match_answers(group, answers, request.numbered, result)
        for item in group:
            answer = by_id.get(item.id)
            if answer is not None:
                result.labels[item.id] = _label(
                    item, answer, plan.rules, plan.config, plan.keywords
                )
    return result


def _ask(
    client: ModelClient,
    messages: list[dict[str, str]],
    schema: type[DraftModel],
    max_reasks: int,
    usage: Usage,
) -> list[dict[str, Any]] | str:
    """The answer as plain dicts, re-asking a bounded number of times on schema errors; the
    reason when the model refused, was cut off or never fitted the schema."""
    for attempt in range(max_reasks + 1):
        try:
            answer = client.parse(messages, schema)
        except ModelInvalidOutput as exc:
            _count(exc, usage)
            if attempt == max_reasks:
                return str(exc)
            messages = messages + [
                {"role": "assistant", "content": exc.content or "(empty answer)"},
                {
                    "role": "user",
                    "content": f"That answer was invalid ({exc}). Reply again "
                    "with JSON that matches the schema.",
                },
            ]
            continue
        except ModelUnavailable:
            raise  # no answer at all: the article stays pending and is asked again next run
        except ModelError as exc:
            _count(exc, usage)
            return str(exc)
        usage.add(answer.usage)
        parsed = answer.parsed.model_dump()
        return list(parsed["labels"]) if "labels" in parsed else [parsed]
    raise AssertionError("unreachable")


def _count(exc: ModelError, usage: Usage) -> None:
    if isinstance(exc.usage, Usage):
        usage.add(exc.usage)  # a refused or cut-off answer still cost its tokens


def _match_answers(
    group: list[LabelItem], answers: list[dict[str, Any]], numbered: bool, result: LabelResult
) -> dict[int, dict[str, Any]]:
    if not numbered:
        return {group[0].id: answers[0]}
    wanted = {item.id for item in group}
    by_id: dict[int, dict[str, Any]] = {}
    for answer in answers:
        answer_id = int(answer["id"])
        if answer_id not in wanted:
            result.failures.append(LabelFailure(answer_id, "labelled, but no such candidate"))
        elif answer_id in by_id:
            result.failures.append(LabelFailure(answer_id, "labelled twice: the first label kept"))
        else:
            by_id[answer_id] = answer
    for item in group:
        if item.id not in by_id:
            result.failures.append(LabelFailure(item.id, "not labelled by the model"))
    return by_id


def without_sides(label: Label, sideless: frozenset[str]) -> Label:
    """A label whose topic has no sides (`load_sideless`) keeps no stance: whatever words or the
    model said, "for" and "against" have no single reading there."""
    if label.topic not in sideless:
        return label
    return dataclasses.replace(label, stance="neutral", stance_by="rules", cues=())


def _decided(item: LabelItem, config: LabelConfig, keywords: dict[str, list[str]]) -> str | None:
    """The topic, when the program labels the candidate on its own (nothing is left open for
    the model: its speaker is known, its keywords name one topic, the rules read stance)."""
    if not config.model_only_when_open or config.stance_from != "rules" or item.speaker is None:
        return None
    return keyword_topic(*item.texts, config.topic_keywords, keywords)


def _label(
    item: LabelItem,
    answer: dict[str, Any],
    stances: StanceReadings,
    config: LabelConfig,
    keywords: dict[str, list[str]],
) -> Label:
    topic, topic_by = str(answer["topic"]), "model"
    matched = keyword_topic(*item.texts, config.topic_keywords, keywords)
    if matched is not None and matched != topic:
        topic, topic_by = matched, "keywords"
    rules = stances.of(item.id, topic)  # read against the proposition of the topic it files
    stance: Stance = answer.get("stance", "unclear")
    stance_by: Literal["rules", "model"] = "model"
    if config.stance_from != "model" and rules.stance is not None:
        stance, stance_by = rules.stance, "rules"
    elif config.stance_from == "rules":
        # Silent words take no side; words on both sides set terms.
        stance, stance_by = ("conditional" if rules.cues else "neutral"), "rules"
    who = None if item.speaker is not None else answer.get("who")
    held = UNKNOWN_SPEAKER.get(str(who)) if who is not None else None
    if who is not None and held is None and not config.trust_chosen_speaker:
        held = f"{SPEAKER_NOT_FOUND}; the model's guess, {who}, is not trusted"
    return Label(
        id=item.id,
        is_position=bool(answer["pos"]),
        topic=topic,
        stance=stance,
        summary=" ".join(str(answer.get("sum", "")).split()),
        speaker=item.speaker if item.speaker is not None else (None if held else who),
        stance_by=stance_by,
        topic_by=topic_by,  # type: ignore[arg-type]
        cues=rules.cues,
        held=held,
    )
