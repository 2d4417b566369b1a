"""Chunks: runs of whole sentences up to a token budget, overlapping by a few sentences.

Sentence ids are global to the article, so the positions found in two overlapping chunks refer
to the same sentences and can be merged by id.
"""

from __future__ import annotations

from briefing.models import Chunk, Sentence
from briefing.text.tokens import count_tokens


def chunk_sentences(
    text: str, sentences: list[Sentence], budget: int, overlap: int = 1
) -> list[Chunk]:
    """Greedy packing: a chunk takes sentences until the next would pass `budget` tokens.

    A single sentence longer than the budget makes a chunk of its own (it is never cut: a
    quotation must stay whole). The next chunk starts `overlap` sentences before the end of the
    previous one, but always moves forward by at least one sentence.
    """
    if budget < 1:
        raise ValueError("budget must be positive")
    lines = [_line(text, s) for s in sentences]
    # A whole article that fits is one chunk: one count of what is sent instead of one per
    # sentence. (A token is rarely more than six characters, so longer texts cannot fit.)
    if sentences and sum(len(line) + 1 for line in lines) <= 6 * budget:
        total = count_tokens("\n".join(lines))
        if total <= budget:
            return [Chunk(index=0, sentences=list(sentences), tokens=total)]
    costs = [count_tokens(line) for line in lines]
    chunks: list[Chunk] = []
    start = 0
    while start < len(sentences):
        end = start
        total = 0
        while end < len(sentences) and (end == start or total + costs[end] <= budget):
            total += costs[end]
            end += 1
        chunks.append(Chunk(index=len(chunks), sentences=sentences[start:end], tokens=total))
        if end >= len(sentences):
            break
        start = max(start + 1, end - max(0, overlap))
    return chunks


def split_chunk(chunk: Chunk, text: str) -> list[Chunk]:
    """Halve a chunk (for an answer that was cut off); a one-sentence chunk cannot be split."""
    if len(chunk.sentences) < 2:
        return [chunk]
    middle = len(chunk.sentences) // 2
    halves = (chunk.sentences[:middle], chunk.sentences[middle:])
    return [
        Chunk(
            index=chunk.index,
            sentences=list(part),
            tokens=sum(count_tokens(_line(text, s)) for s in part),
        )
        for part in halves
    ]


def numbered(text: str, chunk: Chunk) -> str:
    """The chunk as the model sees it: one `[S12] sentence` line per sentence."""
    return "\n".join(_line(text, s) for s in chunk.sentences)


def _line(text: str, sentence: Sentence) -> str:
    body = " ".join(text[sentence.start : sentence.end].split())
    return f"[S{sentence.index}] {body}"
