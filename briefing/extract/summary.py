"""The day's summary: a few model-written opening sentences, each resting on briefed positions.

A sentence that rests on no position, or that puts in quotation marks words that are not the
evidence of the positions it cites, is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.extract.prompts import Prompt
from briefing.llm.client import ModelClient
from briefing.models import Position, SummaryDraft, Usage
from briefing.text.segment import invented_quotation


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
        lines.append(SummaryLine(text=text, refs=refs))
    return lines
