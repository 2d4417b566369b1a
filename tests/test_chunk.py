from __future__ import annotations

import itertools

from briefing.text.chunk import chunk_sentences, numbered, split_chunk
from briefing.text.segment import split_sentences
from briefing.text.tokens import count_tokens

TEXT = "\n".join(
    f"Sentence number {i} says something about the talks in Berlin." for i in range(1, 21)
)


def test_chunks_respect_the_budget_and_overlap() -> None:
    sentences = split_sentences(TEXT)
    chunks = chunk_sentences(TEXT, sentences, budget=60, overlap=1)
    assert len(chunks) > 2
    for chunk in chunks:
        assert chunk.tokens <= 60
    for first, second in itertools.pairwise(chunks):
        assert first.sentences[-1] == second.sentences[0]  # one sentence shared
    covered = {s.index for c in chunks for s in c.sentences}
    assert covered == {s.index for s in sentences}


def test_a_sentence_longer_than_the_budget_is_never_cut() -> None:
    text = "This one sentence is far longer than the tiny budget allows for a chunk."
    (chunk,) = chunk_sentences(text, split_sentences(text), budget=3)
    assert chunk.tokens == count_tokens(numbered(text, chunk))


def test_numbered_lines_use_global_ids() -> None:
    sentences = split_sentences(TEXT)
    chunks = chunk_sentences(TEXT, sentences, budget=60, overlap=1)
    assert numbered(TEXT, chunks[1]).startswith(
        f"[S{chunks[1].sentences[0].index}] Sentence number"
    )


def test_split_chunk_halves() -> None:
    sentences = split_sentences(TEXT)
    (chunk,) = chunk_sentences(TEXT, sentences, budget=10_000)
    first, second = split_chunk(chunk, TEXT)
    assert first.sentences + second.sentences == chunk.sentences
    assert (
        split_chunk(first.model_copy(update={"sentences": first.sentences[:1]}), TEXT)[0].sentences
        == first.sentences[:1]
    )
