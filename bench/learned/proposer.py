"""Learned cues: words the lexicon does not list that the annotated news uses as attribution cues.

This module owns the model of the experiment in this folder (see README.md: not shipped). The
rules find cues from the lexicon (`cues.find_cues`); a logistic model trained on PolNeAR's train
split (`train.py`) scores every other word of a sentence from the word itself and its neighbours ("referring to",
"is expected to", "seemed", "praises"), and the words it scores above its threshold become extra
verb cues. They go to the same reported-speech machinery as the lexicon's, so content and source
are still character spans of the article that the rules delimit.

The model file also holds the statement model of `learned.py` and both thresholds. Inference is
plain Python over the weights: a sum of the weights of a word's
features. The features are defined here once, for training and for inference alike.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.errors import RulesError
from briefing.find.cues import Cue
from briefing.find.lexicon import grammar, lexicon
from briefing.find.tokens import QUOTE_MARKS, Token

MODEL_FORMAT = "brief-cue-model"
MODEL_VERSION = 1
MODEL_PATH = Path(__file__).with_name("model.json")  # written by train.py; not kept in git
_CANDIDATE_MARKS = frozenset(":—―-")  # punctuation that can introduce what someone said


@dataclass(frozen=True)
class CueModel:
    """Two logistic models over binary features and their thresholds: one scores words as cues,
    the other the statements those cues introduce (empty: every statement is kept)."""

    cues: dict[str, float]  # weights of the word model
    statements: dict[str, float] = field(default_factory=dict)  # weights of the statement model
    cue_threshold: float = 0.5  # the probability above which a word is a cue
    statement_threshold: float = 0.5  # ... and a statement of a learned cue is kept
    skip: frozenset[str] = frozenset()  # words never scored (never a cue in the training data)
    info: dict[str, Any] = field(default_factory=dict)  # training data, date, settings, scores

    def cue_probability(self, features: list[str]) -> float:
        return _logistic(self.cues, features)

    def statement_probability(self, features: list[str]) -> float:
        return _logistic(self.statements, features) if self.statements else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT,
            "version": MODEL_VERSION,
            **self.info,
            "cue_threshold": self.cue_threshold,
            "statement_threshold": self.statement_threshold,
            "skip": sorted(self.skip),
            "cues": _rounded(self.cues),
            "statements": _rounded(self.statements),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], where: str = "model") -> CueModel:
        if data.get("format") != MODEL_FORMAT or data.get("version") != MODEL_VERSION:
            raise RulesError(
                f"{where} is not a {MODEL_FORMAT} version {MODEL_VERSION} file: "
                "retrain it with `python bench/learned/train.py`"
            )
        info = {k: v for k, v in data.items() if k not in _FIELDS}
        return cls(
            cues={str(k): float(v) for k, v in data["cues"].items()},
            statements={str(k): float(v) for k, v in data["statements"].items()},
            cue_threshold=float(data["cue_threshold"]),
            statement_threshold=float(data["statement_threshold"]),
            skip=frozenset(data["skip"]),
            info=info,
        )


_FIELDS = frozenset(("cue_threshold", "statement_threshold", "skip", "cues", "statements"))


def _logistic(weights: dict[str, float], features: list[str]) -> float:
    z = sum(weights.get(f, 0.0) for f in features)
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def _rounded(weights: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in sorted(weights.items()) if round(v, 3)}


def read_model(path: Path) -> CueModel:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return CueModel.from_json(data, str(path))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise RulesError(
            f"cannot read the cue model {path}: {error}; "
            "reinstall brief or retrain it with `python bench/learned/train.py`"
        ) from error


def _shape(token: Token) -> str:
    text = token.text
    if not token.is_word:
        return "p"
    if text.isdigit():
        return "d"
    if text.isupper() and len(text) > 1:
        return "X"
    return "C" if text[0].isupper() else "x"


def _word(tokens: list[Token], k: int) -> str:
    if k < 0:
        return "<s>"
    if k >= len(tokens):
        return "</s>"
    token = tokens[k]
    return "<q>" if token.quoted or token.text in QUOTE_MARKS else token.lower


def _context(tokens: list[Token], i: int, marks: list[bool]) -> Iterator[str]:
    """Features of what surrounds word `i`: the sentence's shape around it and its cues."""
    g, lex = grammar(), lexicon()
    prev = tokens[i - 1] if i > 0 else None
    words_before = [t for t in tokens[:i] if t.is_word]
    if not words_before:
        yield "first"
    if not any(t.is_word for t in tokens[i + 1 :]):
        yield "last"
    if prev is not None:
        yield "p1shape=" + _shape(prev)
        if prev.lower in lex.person_pronouns or prev.lower in lex.group_pronouns:
            yield "p1pron"
        if prev.lower.endswith(("’s", "'s")):
            yield "p1poss"
    k = i - 1
    while k >= 0 and tokens[k].lower.endswith("ly") and tokens[k].is_word:
        k -= 1
    if k >= 0 and tokens[k].lower in g.be:
        yield "be<"
    if k >= 0 and tokens[k].lower in g.auxiliaries:
        yield "aux<"
    ahead = [_word(tokens, i + d) for d in (1, 2, 3)]
    if "that" in ahead:
        yield "that>"
    if "<q>" in ahead:
        yield "q>"
    if any(t.quoted for t in tokens):
        yield "qsent"
    before = any(marks[:i])
    after = any(marks[i + 1 :])
    yield f"cues={int(before)}{int(after)}"


def features(tokens: list[Token], i: int, marks: list[bool]) -> list[str]:
    """The binary features of word `i` of a sentence; `marks` flags the lexicon's cue words."""
    token = tokens[i]
    low = token.lower
    p1, p2 = _word(tokens, i - 1), _word(tokens, i - 2)
    n1, n2 = _word(tokens, i + 1), _word(tokens, i + 2)
    out = [
        "bias",
        "w=" + low,
        "s3=" + low[-3:],
        "s2=" + low[-2:],
        "shape=" + _shape(token),
        "p1=" + p1,
        "p2=" + p2,
        "n1=" + n1,
        "n2=" + n2,
        "p1w=" + p1 + "|" + low,
        "wn1=" + low + "|" + n1,
        "n1shape=" + (_shape(tokens[i + 1]) if i + 1 < len(tokens) else "</s>"),
    ]
    lex = lexicon()
    if low in lex.verb_forms or low in lex.quote_forms:
        out.append("lexverb")
    if low in lex.nouns:
        out.append("lexnoun")
    out.extend(_context(tokens, i, marks))
    return out


def candidates(tokens: list[Token], cues: list[Cue], skip: frozenset[str]) -> Iterator[int]:
    """The words that may be learned cues: not quoted, not part of a lexicon cue, not skipped."""
    marks = cue_marks(tokens, cues)
    for i, token in enumerate(tokens):
        if marks[i] or token.quoted:
            continue
        word = token.is_word and not token.text[0].isdigit()
        if (word or token.text in _CANDIDATE_MARKS) and token.lower not in skip:
            yield i


def cue_marks(tokens: list[Token], cues: list[Cue]) -> list[bool]:
    marks = [False] * len(tokens)
    for cue in cues:
        for k in range(cue.first, cue.last + 1):
            marks[k] = True
    return marks


def propose(tokens: list[Token], cues: list[Cue], model: CueModel) -> list[tuple[Cue, float]]:
    """Learned cues of a sentence (besides the lexicon's `cues`) with their probabilities: runs
    of words scored above the model's threshold, each one verb cue."""
    marks = cue_marks(tokens, cues)
    out: list[tuple[Cue, float]] = []
    for i in candidates(tokens, cues, model.skip):
        p = model.cue_probability(features(tokens, i, marks))
        if p < model.cue_threshold:
            continue
        if out and out[-1][0].last == i - 1:
            last, q = out.pop()
            form = last.form + " " + tokens[i].lower
            out.append((Cue(last.first, i, _lemma(tokens[i]), "verb", form), max(p, q)))
        else:
            out.append((Cue(i, i, _lemma(tokens[i]), "verb", tokens[i].lower), p))
    return out


def _lemma(token: Token) -> str:
    lex = lexicon()
    return lex.verb_forms.get(token.lower) or lex.quote_forms.get(token.lower) or token.lower
