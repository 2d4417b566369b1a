"""The day's summary: a few model-written opening sentences, each resting on briefed positions.

A sentence is dropped when it rests on no position, when it puts in quotation marks words that
are not the evidence of the positions it cites, or when it is not the briefing's own voice: a
sentence in the first person ("Our position is well known") or one that copies eight or more
words of the evidence in a row without quotation marks passes a speaker's words off as the
summary's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.extract.prompts import Prompt
from briefing.llm.client import ModelClient
from briefing.models import Position, SummaryDraft, Usage
from briefing.text.segment import invented_quotation, quoted_passages
from briefing.text.words import word_runs


@dataclass
class SummaryLine:
    text: str
    refs: list[int]  # 1-based numbers of the positions it rests on


def summarize(
    client: ModelClient,
    prompt: Prompt,
    day: str,
    positions: list[Position],
    usage: Usage,
) -> list[SummaryLine]:
    """Ask for the day's opening sentences; keep only those resting on real positions."""
    if not positions:
        return []
    answer = client.parse(prompt.messages(day=day, positions=positions), SummaryDraft)
    usage.add(answer.usage)
    lines: list[SummaryLine] = []
    for sentence in answer.parsed.sentences[:3]:
        refs = sorted({n for n in sentence.positions if 1 <= n <= len(positions)})
        text = " ".join(sentence.text.split())
        if not refs or not text:
            continue  # a sentence that rests on no position is not allowed in the briefing
        cited = [quote for n in refs for quote in positions[n - 1].quotes]
        if invented_quotation(text, cited) is not None:
            continue  # it quotes words that are not the evidence of the positions it cites
        if not own_voice(text, cited):
            continue
        lines.append(SummaryLine(text=text, refs=refs))
    return lines


_FIRST_PERSON = re.compile(r"\b(?:I|we|our|us|my|me|ours)\b", re.IGNORECASE)
COPIED_RUN = 8  # words in a row that make a sentence a copy rather than a summary


def own_voice(text: str, cited: Sequence[str]) -> bool:
    """Whether a summary sentence speaks as the briefing: third person, and not a run of
    COPIED_RUN words of the evidence in a row outside quotation marks."""
    unquoted = text
    for passage in quoted_passages(text):
        unquoted = unquoted.replace(passage, " ")
    if _FIRST_PERSON.search(unquoted):
        return False
    return not (word_runs([unquoted], COPIED_RUN) & word_runs(cited, COPIED_RUN))
