"""Grounding: positions made from the finder's candidates and the model's labels.

The finder (briefing.find) says what was said, by whom, and where: its spans are the words a
briefing quotes, so every quotation is a character-exact span of the source by construction.
The model (briefing.extract.label) only says what each candidate is: a position or not, its
topic, its stance, a short summary and, where the finder could not resolve the speaker, which
of the article's names says it. This module joins the two:

* `ground_candidates`: one `Position` per candidate labelled a position; a candidate the model
  did not label (or labelled badly) is kept for review with the reason, never dropped and
  never briefed as fact. So is one the model says none of the article's names says (or the
  writer does): it has no one to be briefed under.
* `named_speaker`: a finder speaker that names no one ("he", "the spokesman") is unresolved.
* `merge_statements`: the same statement found twice in an article (the same words repeated
  further down, or two parts of one sentence on one topic and stance) is one position. Parts
  of one statement in neighbouring sentences stay positions of their own, each with its
  labels; a briefing shows them as one entry (briefing.track.merge owns that rule).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from briefing.extract.label import SPEAKER_NOT_FOUND, Label, LabelResult
from briefing.extract.worth import not_a_position
from briefing.find import Candidate
from briefing.find.lexicon import lexicon
from briefing.find.speakers import GENERIC, START_WORDS
from briefing.models import Article, Position, QuoteSpan, Sentence, SpeechKind
from briefing.text.names import speaker_key
from briefing.text.segment import invented_quotation, quotes_in
from briefing.text.words import word_runs

# Article text is untrusted: a sentence that addresses a model is content, never evidence. The
# finder already refuses imperatives addressed to the reader; this is the second lock.
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(previous|prior|above|earlier)\b.{0,20}"
    r"\b(instructions?|prompts?|rules)\b|^\s*(system|assistant)\s*:"
    r"|\byou are (now )?an? (ai|assistant|language model)\b|\b(ai|language model)s?\b.{0,30}:",
    re.IGNORECASE,
)
_ROLE_FILLER = re.compile(r"^(?:the|a|an)\s+|[\s,]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Identity:
    """What every stored position records about how it was made."""

    provider: str
    model: str
    prompt_id: str
    schema_hash: str


def _not_a_name() -> frozenset[str]:
    lex = lexicon()
    pronouns = lex.person_pronouns | lex.group_pronouns | lex.thing_pronouns | lex.first_pronouns
    return pronouns | lex.roles | GENERIC | START_WORDS


def named_speaker(candidate: Candidate) -> Candidate:
    """The candidate, unresolved when its speaker names no one: a pronoun or a role noun with
    nothing behind it ("he", "The spokesman", "officials") is not a name to brief a statement
    under, so the model chooses among the article's names (or none of them) instead."""
    if candidate.speaker is None or not names_no_one(candidate.speaker):
        return candidate
    return candidate.model_copy(update={"speaker": None})


def names_no_one(words: str) -> bool:
    """Whether words standing for a speaker name no one: only pronouns, role nouns, generic and
    sentence-opening words ("he", "The ministry", "officials"), no capitalised name."""
    filler = _not_a_name()
    found = re.findall(r"[^\W\d_]+", words)
    return not any(w[0].isupper() and w.casefold() not in filler for w in found)


def speaker_names(candidates: Sequence[Candidate]) -> list[str]:
    """The names the model may choose from for an unresolved speaker: the speakers the finder
    resolved in this article, each once, in order of first appearance."""
    names: list[str] = []
    keys: set[str] = set()
    for candidate in candidates:
        if candidate.speaker and speaker_key(candidate.speaker) not in keys:
            keys.add(speaker_key(candidate.speaker))
            names.append(candidate.speaker)
    return names


def role_of(text: str, candidate: Candidate, speaker: str) -> str:
    """The role the source words give beside the name ("Kremlin spokesman" in "Kremlin
    spokesman Dmitry Peskov said"); empty when the source is only a name or a pronoun."""
    if candidate.source is None or candidate.resolution == "pronoun":
        return ""
    source = " ".join(text[candidate.source[0] : candidate.source[1]].split())
    for part in sorted(speaker.split(), key=len, reverse=True):
        source = re.sub(rf"(?<!\w){re.escape(part)}(?:['’]s)?(?!\w)", " ", source)
    role = _ROLE_FILLER.sub("", " ".join(source.split()).strip(" ,"))
    # A role is a role noun ("spokesman", "prime minister", "ministry"), not whatever else
    # the source words hold ("amid", "the plan").
    roles = lexicon().roles
    if not any(word.casefold() in roles for word in re.findall(r"\w+", role)):
        return ""
    return role if len(role) <= 80 else ""


def _stance_basis(label: Label | None) -> Literal["words", "model", "none"]:
    if label is None:
        return "none"
    if label.stance_by == "model":
        return "model"
    return "words" if label.cues else "none"


def _problems(
    candidate: Candidate, label: Label | None, speaker: str | None, evidence: list[str]
) -> list[str]:
    problems = []
    if label is None:
        problems.append("the model gave no label for this statement")
    if label is not None and label.held is not None:
        problems.append(label.held)
    elif speaker is None:
        problems.append(f"{SPEAKER_NOT_FOUND}, and the model did not choose")
    if any(_INSTRUCTION.search(sentence) for sentence in evidence):
        problems.append("its sentence reads like an instruction aimed at a model, not reporting")
    if label is not None and invented_quotation(label.summary, evidence) is not None:
        problems.append("its summary quotes words that are not in its evidence")
    return problems


def _position(
    article: Article,
    by_index: dict[int, Sentence],
    candidate: Candidate,
    label: Label | None,
    reason: str | None,
    identity: Identity,
) -> Position:
    text = article.text
    speaker = label.speaker if label else candidate.speaker
    evidence = [text[by_index[i].start : by_index[i].end] for i in candidate.sentences]
    spans = [tuple(span) for span in candidate.content]
    problems = _problems(candidate, label, speaker, evidence + [text[a:b] for a, b in spans])
    if reason:
        problems.insert(0, reason)
    return Position(
        article_id=article.id,
        speaker=speaker or "(unknown)",
        role=role_of(text, candidate, speaker) if speaker else "",
        topic=label.topic if label else "",
        stance=label.stance if label else "unclear",
        summary=" ".join(label.summary.split()) if label else "",
        kind=candidate.kind,
        evidence=list(candidate.sentences),
        spans=[(a, b) for a, b in spans],
        quotes=[text[a:b] for a, b in spans],
        source=candidate.source,
        stance_basis=_stance_basis(label),
        valid=not problems,
        reason="; ".join(problems) or None,
        provider=identity.provider,
        model=identity.model,
        prompt_id=identity.prompt_id,
        schema_hash=identity.schema_hash,
    )


def ground_candidates(
    article: Article,
    sentences: Sequence[Sentence],
    candidates: Sequence[Candidate],
    result: LabelResult,
    identity: Identity,
    worth: Callable[[str, Candidate], str | None] = not_a_position,
) -> list[Position]:
    """Positions from the labelled candidates, merged; unlabelled candidates kept for review.
    `worth`: `not_a_position`, or the same answers read once already."""
    by_index = {s.index: s for s in sentences}
    failed = {f.id: f.reason for f in result.failures if f.id is not None}
    positions = []
    for candidate in candidates:
        label = result.labels.get(candidate.index)
        if label is not None and not label.is_position:
            continue  # an event, a fact, a schedule: the model's call, not a failure
        if worth(article.text, candidate) is not None:
            continue  # no one's position by its structure (briefing.extract.worth)
        reason = failed.get(candidate.index)
        if label is None and reason is None:
            reason = "the model's answer did not cover this statement"
        positions.append(_position(article, by_index, candidate, label, reason, identity))
    return merge_statements(positions)


SAME_WORDS_RUN = 5  # words in a row two reports must share to be one statement


def _same_statement(a: Position, b: Position) -> bool:
    """The same speaker saying the same thing: shared words (a statement reported twice), or
    the same topic and stance in one sentence. Neighbouring sentences are not enough: two
    reported lines taking the same side ("membership is excluded", then "accession poses a
    threat") are two views, and which neighbours are one statement is briefing.track.merge's
    rule, which reads how each is attributed."""
    if not a.valid or not b.valid or speaker_key(a.speaker) != speaker_key(b.speaker):
        return False
    if a.kind != b.kind:
        return False  # a reported line is never shown as the quotation beside it
    if word_runs(a.quotes, SAME_WORDS_RUN) & word_runs(b.quotes, SAME_WORDS_RUN):
        return True
    return (
        bool(set(a.evidence) & set(b.evidence))
        and a.topic == b.topic
        and a.stance == b.stance
        and a.topic != "other"
    )


def _joined(a: Position, b: Position) -> Position:
    spans = sorted(set(a.spans) | set(b.spans))
    by_span = dict(zip(a.spans, a.quotes, strict=True)) | dict(zip(b.spans, b.quotes, strict=True))
    return a.model_copy(
        update={
            "evidence": sorted(set(a.evidence) | set(b.evidence)),
            "spans": spans,
            "quotes": [by_span[s] for s in spans],
            "role": a.role or b.role,
        }
    )


def merge_statements(positions: Sequence[Position]) -> list[Position]:
    """One position per statement: the first found keeps its labels, the evidence joins."""
    kept: list[Position] = []
    for position in positions:
        twin = next((i for i, k in enumerate(kept) if _same_statement(k, position)), None)
        if twin is None:
            kept.append(position)
        else:
            kept[twin] = _joined(kept[twin], position)
    return kept


def evidence_spans(
    by_index: dict[int, Sentence], quotes: list[QuoteSpan], evidence: list[int]
) -> tuple[SpeechKind, list[tuple[int, int]], list[int]]:
    """What the briefing quotes for this evidence, and the evidence that covers it.

    Direct speech when the cited sentences hold quoted words: each quotation they are part of,
    whole, even where it runs on into a sentence that was not cited ("Our approach is well
    known. However, this issue can be discussed." is one quotation: half of it can say the
    opposite of the whole), and those sentences join the evidence. Else reported speech: the
    sentences themselves."""
    whole: list[tuple[int, int]] = []
    for i in evidence:
        for start, end in quotes_in(by_index[i], quotes):
            span = next((q.start, q.end) for q in quotes if q.start <= start and end <= q.end)
            if span not in whole:
                whole.append(span)
    if not whole:
        return "reported", [(by_index[i].start, by_index[i].end) for i in evidence], evidence
    covered = {s.index for s in by_index.values() for a, b in whole if s.start < b and a < s.end}
    return "direct", sorted(whole), sorted(set(evidence) | covered)
