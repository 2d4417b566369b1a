"""Fitting the learned cue model's weights to annotated documents (see `train.py`).

This module owns the examples and the fit. Every word of an eligible sentence that the lexicon
does not make a cue is one example, positive when an annotator marked it as (part of) a cue. The
model is a logistic regression over `proposer.features`, fitted with AdaGrad in plain Python with
a fixed seed, so the same documents always give the same weights.
"""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hook import drafts_of
from proposer import CueModel, candidates, cue_marks, features

from briefing.evaluate.gold import GoldDocument
from briefing.evaluate.spans import WORD
from briefing.find.cues import find_cues
from briefing.find.layout import mark_exclusions
from briefing.find.lexicon import grammar
from briefing.find.tokens import Span, Token, build_layout

Example = tuple["array[int]", int]  # feature ids, label


@dataclass(frozen=True)
class Settings:
    epochs: int = 4
    rate: float = 0.1  # AdaGrad's step
    l2: float = 1e-5
    min_count: int = 2  # features seen fewer times in training are dropped
    skip_after: int = 300  # words seen this often with no positive are never scored
    heads: bool = False  # positives: the head word of each annotated cue, not all its words
    smallest: float = 0.01  # smaller weights are left out of the model file
    seed: int = 18


class Vocabulary:
    """Feature names to ids, and how often each was seen."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []

    def encode(self, names: list[str]) -> array[int]:
        out = array("i")
        for name in names:
            k = self.ids.get(name)
            if k is None:
                k = self.ids[name] = len(self.names)
                self.names.append(name)
            out.append(k)
        return out


@dataclass
class DocExamples:
    name: str
    examples: list[Example]
    words: list[str]  # the lower-cased word of each example


def _heads(tokens: list[Token], cues: Sequence[tuple[Span, ...]]) -> set[int]:
    """The head word of each annotated cue in a sentence: its last word that is not a function
    word ("is [expected]", "[referring] to", "[support] for"), else its last token."""
    g = grammar()
    function = g.prepositions | g.determiners | g.auxiliaries | {"that"}
    heads = set()
    for spans in cues:
        inside = [k for k, t in enumerate(tokens) for s, e in spans if s < t.end and t.start < e]
        if inside:
            words = [k for k in inside if tokens[k].is_word and tokens[k].lower not in function]
            heads.add(words[-1] if words else inside[-1])
    return heads


def document_examples(
    doc: GoldDocument, vocabulary: Vocabulary, heads: bool = False
) -> DocExamples:
    """One example per candidate word of the document's eligible sentences; positive when it is
    an annotated cue's head (`heads`) or any of its words."""
    cues = [a.cue for a in doc.attributions if a.cue]
    layout = build_layout(doc.text)
    mark_exclusions(layout)
    out = DocExamples(doc.name, [], [])
    for unit in layout.units:
        if unit.excluded is not None:
            continue
        tokens = unit.tokens
        found = find_cues(tokens)
        marks = cue_marks(tokens, found)
        positive = _heads(tokens, cues) if heads else set()
        for i in candidates(tokens, found, frozenset()):
            t = tokens[i]
            if heads:
                label = int(i in positive)
            else:
                label = int(any(s < t.end and t.start < e for c in cues for s, e in c))
            out.examples.append((vocabulary.encode(features(tokens, i, marks)), label))
            out.words.append(t.lower)
    return out


def fit(examples: Sequence[Example], size: int, settings: Settings) -> list[float]:
    """Logistic regression by AdaGrad: weights by feature id."""
    weights = [0.0] * size
    squares = [1e-8] * size
    order = list(range(len(examples)))
    rng = random.Random(settings.seed)
    rate, l2 = settings.rate, settings.l2
    for _ in range(settings.epochs):
        rng.shuffle(order)
        for n in order:
            ids, label = examples[n]
            z = sum(weights[k] for k in ids)
            p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
            g = p - label
            for k in ids:
                gk = g + l2 * weights[k]
                squares[k] += gk * gk
                weights[k] -= rate * gk / math.sqrt(squares[k])
    return weights


def skip_words(docs: Sequence[DocExamples], settings: Settings) -> frozenset[str]:
    """Words common in the training data that were never (part of) a cue."""
    seen: dict[str, int] = {}
    positive: set[str] = set()
    for doc in docs:
        for word, (_, label) in zip(doc.words, doc.examples):
            seen[word] = seen.get(word, 0) + 1
            if label:
                positive.add(word)
    return frozenset(w for w, n in seen.items() if n >= settings.skip_after and w not in positive)


def usable(docs: Sequence[DocExamples], skip: frozenset[str]) -> list[Example]:
    return [x for doc in docs for x, word in zip(doc.examples, doc.words) if word not in skip]


def fit_named(
    examples: Sequence[Example], vocabulary: Vocabulary, settings: Settings
) -> dict[str, float]:
    """Weights by feature name, features seen fewer than `min_count` times left out."""
    counts = [0] * len(vocabulary.names)
    for ids, _ in examples:
        for k in ids:
            counts[k] += 1
    keep = [n >= settings.min_count for n in counts]
    kept = [(array("i", [k for k in ids if keep[k]]), y) for ids, y in examples]
    weights = fit(kept, len(vocabulary.names), settings)
    return {vocabulary.names[k]: w for k, w in enumerate(weights) if abs(w) >= settings.smallest}


def train_cue_model(
    docs: Sequence[DocExamples], vocabulary: Vocabulary, settings: Settings
) -> CueModel:
    """The word model from the examples of `docs`; no statement model yet."""
    skip = skip_words(docs, settings)
    return CueModel(cues=fit_named(usable(docs, skip), vocabulary, settings), skip=skip)


def _covered(words: Sequence[Span], spans: Iterable[Span]) -> frozenset[int]:
    """The word tokens (by index) that character spans touch."""
    return frozenset(k for k, (a, b) in enumerate(words) for s, e in spans if a < e and s < b)


def statement_examples(doc: GoldDocument, model: CueModel, vocabulary: Vocabulary) -> list[Example]:
    """The statements `model`'s cues add to the document, positive when at least half of the
    content's words are in one gold content."""
    words = [m.span() for m in WORD.finditer(doc.text)]
    gold = [_covered(words, a.content) for a in doc.attributions]
    layout = build_layout(doc.text)
    mark_exclusions(layout)
    out: list[Example] = []
    for draft, feats in drafts_of(layout, model)[1]:
        found = _covered(words, draft.content)
        share = max((len(found & g) / len(found) for g in gold), default=0.0) if found else 0.0
        out.append((vocabulary.encode(feats), int(share >= 0.5)))
    return out


def auc(scored: Sequence[tuple[float, int]]) -> float:
    """The area under the ROC curve: the chance a positive outscores a negative."""
    ranked = sorted(scored)
    positives = sum(y for _, y in ranked)
    negatives = len(ranked) - positives
    if not positives or not negatives:
        return float("nan")
    rank_sum = 0.0
    i = 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        tied = sum(y for _, y in ranked[i:j])
        rank_sum += tied * (i + j + 1) / 2
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
