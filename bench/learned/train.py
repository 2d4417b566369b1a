"""Train the learned cue model: `python bench/learned/train.py [CORPUS] [--out FILE]`.

This module owns making `model.json` from an annotated corpus (brat, PolNeAR's layout; by
default `../shared/eval/polnear-train` beside the repository) and choosing how it is used: the
word model's and the statement model's thresholds are chosen by cross-validation by document
(5 folds, fixed seed) on that corpus, scoring the whole finder with the definitions of
`brief eval --finder-only`. The statement model learns from the statements that each fold's
word model adds to documents it did not see. The model file records the corpus, the date, the
settings and the cross-validated scores of the rules alone and of each setting tried. Never
train on the split the finder is judged on.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `briefing` from this checkout

from fitting import (
    DocExamples,
    Example,
    Settings,
    Vocabulary,
    auc,
    document_examples,
    fit_named,
    statement_examples,
    train_cue_model,
    usable,
)
from hook import find_with
from proposer import MODEL_PATH, CueModel

from briefing.evaluate.finder import candidate_position
from briefing.evaluate.gold import GoldDocument, read_brat
from briefing.evaluate.report import gold_article
from briefing.evaluate.scoring import DocumentResult, Items, items_of, score_documents
from briefing.text.segment import split_sentences

Scored = tuple[float, int]

DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "polnear-train"
CUE_THRESHOLDS = (0.2, 0.3, 0.4, 0.5)
STATEMENT_THRESHOLDS = (0.4, 0.5, 0.6, 0.7)
COLLECT = min(CUE_THRESHOLDS)  # the statement model learns from the statements of this many cues
Say = Callable[[str], None]


def finder_items(doc: GoldDocument, model: CueModel | None) -> Items:
    """The gold and the finder's items of one document, as `brief eval --finder-only` scores."""
    article = gold_article(doc)
    found = find_with(article.text, model)
    positions = [candidate_position(article.id, article.text, c) for c in found]
    return items_of(DocumentResult(doc, positions, split_sentences(article.text), as_found=True))


def summary(per_doc: Sequence[Items]) -> dict[str, float]:
    """Content P/R/F1 and source F1 by overlap, over all the documents."""
    scores = score_documents([], per_doc)
    content = scores["content"]["all"]["overlap"]
    source = scores["source"]["all"]["overlap"]
    return {
        "content_precision": content["precision"] or 0.0,
        "content_recall": content["recall"] or 0.0,
        "content_f1": content["f1"],
        "source_f1": source["f1"],
    }


def folds_of(names: Sequence[str], folds: int, seed: int) -> dict[str, int]:
    """Each document's fold: names shuffled with the seed, then dealt round."""
    order = sorted(names)
    random.Random(seed).shuffle(order)
    return {name: k % folds for k, name in enumerate(order)}


def variants(model: CueModel) -> dict[str, CueModel]:
    """Every setting tried: the word model alone at each cue threshold, and with the statement
    model at each pair of thresholds."""
    out = {}
    for t1 in CUE_THRESHOLDS:
        out[f"cues {t1:.2f}"] = replace(model, statements={}, cue_threshold=t1)
        for t2 in STATEMENT_THRESHOLDS if model.statements else ():
            name = f"cues {t1:.2f} statements {t2:.2f}"
            out[name] = replace(model, cue_threshold=t1, statement_threshold=t2)
    return out


def _scored(model: CueModel, examples: Iterable[Example], names: list[str]) -> list[Scored]:
    return [(model.cue_probability([names[i] for i in ids]), y) for ids, y in examples]


@dataclass
class Folds:
    """What cross-validation keeps per fold: the word model and the statement examples."""

    fold: dict[str, int]
    models: list[CueModel] = field(default_factory=list)
    statements: list[list[Example]] = field(default_factory=list)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    token_scores: list[Scored] = field(default_factory=list)


def _word_folds(
    docs: Sequence[GoldDocument],
    examples: Sequence[DocExamples],
    vocabulary: Vocabulary,
    settings: Settings,
    folds: int,
) -> Folds:
    """Per fold, the word model trained on the other folds, and the statements its cues add
    to the fold's documents (for training the statement model on what it will see)."""
    out = Folds(folds_of([d.name for d in docs], folds, settings.seed))
    for k in range(folds):
        model = train_cue_model(
            [e for e in examples if out.fold[e.name] != k], vocabulary, settings
        )
        held = [e for e in examples if out.fold[e.name] == k]
        out.token_scores += _scored(model, usable(held, model.skip), vocabulary.names)
        collect = replace(model, cue_threshold=COLLECT)
        found = [
            x
            for d in docs
            if out.fold[d.name] == k
            for x in statement_examples(d, collect, out.vocabulary)
        ]
        out.models.append(model)
        out.statements.append(found)
    return out


def cross_validate(
    docs: Sequence[GoldDocument],
    examples: Sequence[DocExamples],
    vocabulary: Vocabulary,
    settings: Settings,
    folds: int,
    say: Say = print,
) -> tuple[dict[str, Any], dict[str, float]]:
    """Scores of the rules alone and of every setting, each document scored by the models that
    did not see it, with the AUCs of both models; and the statement model trained on the
    statements of every fold."""
    per: dict[str, list[Items]] = {"rules": [finder_items(d, None) for d in docs]}
    say(f"rules alone: {summary(per['rules'])}")
    cv = _word_folds(docs, examples, vocabulary, settings, folds)
    say(f"word model: token AUC {auc(cv.token_scores):.4f}")
    statement_scores: list[Scored] = []
    for k in range(folds):
        others = [x for j, found in enumerate(cv.statements) if j != k for x in found]
        model = replace(cv.models[k], statements=fit_named(others, cv.vocabulary, settings))
        statement_scores += [
            (model.statement_probability([cv.vocabulary.names[i] for i in ids]), y)
            for ids, y in cv.statements[k]
        ]
        held = [d for d in docs if cv.fold[d.name] == k]
        for name, variant in variants(model).items():
            per.setdefault(name, []).extend(finder_items(d, variant) for d in held)
        say(f"fold {k + 1}/{folds} scored")
    every = [x for found in cv.statements for x in found]
    report = {
        "folds": folds,
        "token_auc": round(auc(cv.token_scores), 4),
        "statement_auc": round(auc(statement_scores), 4),
        "statements": len(every),
        "scores": {name: summary(items) for name, items in per.items()},
    }
    return report, fit_named(every, cv.vocabulary, settings)


def choose(results: dict[str, dict[str, float]]) -> str:
    """The setting with the best content F1 whose source F1 is no lower than the rules'."""
    floor = results["rules"]["source_f1"]
    fair = [n for n, r in results.items() if n != "rules" and r["source_f1"] >= floor]
    return max(fair or ["rules"], key=lambda n: results[n]["content_f1"])


def _chosen(model: CueModel, name: str) -> CueModel:
    """The model with the thresholds of a setting's name ("cues 0.30 statements 0.50")."""
    words = name.split()
    if words[0] != "cues":
        return model
    model = replace(model, cue_threshold=float(words[1]))
    if len(words) < 4:
        return replace(model, statements={})
    return replace(model, statement_threshold=float(words[3]))


def train(
    corpus: Path, out: Path, settings: Settings, folds: int, limit: int = 0, say: Say = print
) -> CueModel:
    """Train on every document of `corpus` (the first `limit`), cross-validating first when
    `folds` > 1."""
    docs = read_brat(corpus, warn=lambda m: print(f"warning: {m}", file=sys.stderr))
    docs = docs[: limit or None]
    vocabulary = Vocabulary()
    examples = [document_examples(d, vocabulary, settings.heads) for d in docs]
    model = train_cue_model(examples, vocabulary, settings)
    info: dict[str, Any] = {
        "data": {
            "corpus": corpus.name,
            "documents": len(docs),
            "attributions": sum(len(d.attributions) for d in docs),
            "words": sum(len(e.examples) for e in examples),
            "cue_words": sum(y for e in examples for _, y in e.examples),
        },
        "trained": datetime.date.today().isoformat(),
        "settings": asdict(settings),
    }
    if folds > 1:
        report, statements = cross_validate(docs, examples, vocabulary, settings, folds, say)
        chosen = choose(report["scores"])
        info["cross_validation"] = {**report, "chosen": chosen}
        model = _chosen(replace(model, statements=statements), chosen)
    else:  # no held-out statements: the statement model learns from the word model's own
        statements = Vocabulary()
        collect = replace(model, cue_threshold=COLLECT)
        found = [x for d in docs for x in statement_examples(d, collect, statements)]
        model = replace(model, statements=fit_named(found, statements, settings))
    model = replace(model, info=info)
    out.write_text(json.dumps(model.to_json(), indent=1, ensure_ascii=False) + "\n", "utf-8")
    return model


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="the model file to write")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: none)")
    parser.add_argument("--epochs", type=int, default=Settings.epochs)
    parser.add_argument("--seed", type=int, default=Settings.seed)
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--heads", action="store_true", help="label cue heads, not all words")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"no corpus at {args.corpus}: give the path of PolNeAR's train split")
    settings = Settings(epochs=args.epochs, seed=args.seed, heads=args.heads)
    model = train(args.corpus, args.out, settings, args.folds, args.limit)
    print(
        f"wrote {args.out}: {len(model.cues)} word and {len(model.statements)} statement"
        f" weights, thresholds {model.cue_threshold} and {model.statement_threshold}"
    )


if __name__ == "__main__":
    main()
