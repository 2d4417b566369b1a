"""Measuring extraction against annotated gold: read the gold, map positions to spans, score.

This module owns the definitions behind `brief eval`, so that two runs are compared on the same
terms:

* Gold (`read_gold`): brat standoff, whose `E` lines join a Source, a Cue and a Content span (the
  PolNeAr layout `text/DOC.txt` + `attributions/DOC_ANNOTATOR.ann`, or `DOC.txt` next to
  `DOC.ann`); and brief's own gold JSON, made from reviewed positions (`gold_from_positions`,
  `write_gold`), so an analyst's decisions become a regression set.
* Predicted spans (`predicted_spans`): where a position's speaker and its words are in the text.
* Scores (`score_documents`): precision, recall and F1 over word tokens, exact and by overlap, for
  content and for source spans, for direct quotations and reported speech separately.
* The report: a versioned JSON-able dict (`build_report`) and a short table (`format_table`).

All of it is pure except `read_gold` (reads files) and `run_extraction` (runs the `Extractor` with
the store and model client the caller gives it, so tests can pass a simulated server).

Definitions, chosen so that annotation conventions do not decide the score:

* Spans are compared as sets of word tokens (`\\w+`). Quotation marks, punctuation and whitespace
  never count: PolNeAr's content spans include the quotation marks and brief's stop inside them,
  and a discontinuous span or a quotation split over sentences is the same set of words.
* exact: a predicted item matches when some gold item in the same document has the same words.
  P = matched predictions / predictions, R = matched gold items / gold items.
* overlap: soft precision and recall. Each prediction earns the largest share of its words that
  one gold item of the document covers, each gold item the largest share of its words one
  prediction covers; P and R are the means. A prediction half inside a gold span earns 0.5.
* direct / reported: an item is direct when every piece of its content is enclosed in quotation
  marks (inside or just outside the span), the same rule for gold and predictions. Recall for a
  kind is over the gold items of that kind, precision over the predictions of that kind, each
  compared with all items on the other side, so a kind mix-up does not count as a span error.
* A ratio with nothing to divide by (no predictions, no gold) is `None`; F1 is 0 when P or R is
  `None` or 0.
* Only valid positions are predictions (those that reach a briefing); the rest are counted.
"""

from __future__ import annotations

import bisect
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.config import Settings
from briefing.errors import GoldError
from briefing.ingest.articles import article_id
from briefing.models import Article, Position, Sentence
from briefing.pipeline import Extractor
from briefing.text.names import name_words_as_written
from briefing.text.segment import find_quotes, split_sentences

if TYPE_CHECKING:
    from briefing.llm.client import ModelClient
    from briefing.store.database import Store

Span = tuple[int, int]
Progress = Callable[[str], None]

REPORT_FORMAT = "brief-eval"
REPORT_VERSION = 1
GOLD_FORMAT = "brief-gold"
GOLD_VERSION = 1
KINDS = ("all", "direct", "reported")


def _quiet(_: str) -> None:
    pass


# gold -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribution:
    """One annotated statement: who (source), the verb or mark (cue), what (content)."""

    content: tuple[Span, ...]
    source: tuple[Span, ...] = ()
    cue: tuple[Span, ...] = ()


@dataclass(frozen=True)
class GoldDocument:
    name: str
    text: str
    attributions: tuple[Attribution, ...]
    annotator: str | None = None
    annotators: tuple[str, ...] = ()  # every annotator of this document, the chosen one included
    origin: str = ""


def _ranges(value: str) -> tuple[Span, ...]:
    spans = []
    for piece in value.split(";"):
        start, end = (int(x) for x in piece.split())
        if not 0 <= start <= end:
            raise ValueError(f"bad offsets {piece!r}")
        spans.append((start, end))
    return tuple(spans)


def parse_brat(ann: str, text: str | None = None, where: str = "annotation") -> list[Attribution]:
    """The attributions in a brat `.ann` file: one per `E` line that has a Content argument.

    Argument roles ending in digits (`Content2`) add more spans to the same role. Entities that
    no event uses (Discuss, Discard) and `A`, `R`, `N` and `#` lines are ignored. When `text` is
    given, every text-bound span must lie inside it and show the words the `.ann` file records
    (brat joins the fragments of a discontinuous span with one space), which catches a text file
    that is not the one annotated (another encoding, other line endings).
    """
    bounds: dict[str, tuple[Span, ...]] = {}
    events: list[tuple[int, list[tuple[str, str]]]] = []
    for number, line in enumerate(ann.splitlines(), start=1):
        if not line.strip() or line[0] not in "TE":
            continue
        try:
            if line[0] == "T":
                ident, middle, *recorded = line.split("\t")
                _label, offsets = middle.split(" ", 1)
                spans = _ranges(offsets)
                if text is not None:
                    _check_span_text(text, spans, recorded[0] if recorded else None)
                bounds[ident] = spans
            else:
                _ident, arguments = line.split("\t")[:2]
                pairs = []
                for argument in arguments.split()[1:]:  # [0] is the trigger, Attribution:T4
                    role, ref = argument.split(":", 1)
                    pairs.append((role.rstrip("0123456789"), ref))
                events.append((number, pairs))
        except ValueError as exc:
            raise GoldError(
                f"{where} line {number}: not valid brat standoff ({exc}): fix the line"
            ) from None
    attributions = []
    for number, event in events:
        roles: dict[str, list[Span]] = {"Content": [], "Source": [], "Cue": []}
        for role, ref in event:
            if ref not in bounds:
                raise GoldError(
                    f"{where} line {number}: refers to {ref}, which is not defined: fix the line"
                )
            if role in roles:
                roles[role].extend(bounds[ref])
        if roles["Content"]:
            attributions.append(
                Attribution(
                    content=tuple(sorted(roles["Content"])),
                    source=tuple(sorted(roles["Source"])),
                    cue=tuple(sorted(roles["Cue"])),
                )
            )
    return sorted(attributions, key=lambda a: a.content)


def _check_span_text(text: str, spans: tuple[Span, ...], recorded: str | None) -> None:
    if any(end > len(text) for _, end in spans):
        raise ValueError(f"offsets {spans} are past the end of the text ({len(text)} characters)")
    if recorded is not None and " ".join(text[a:b] for a, b in spans) != recorded:
        raise ValueError(
            f"the text at {spans} is not {recorded[:40]!r}; "
            "is the .txt the file that was annotated?"
        )


def _read_utf8(path: Path) -> str:
    # Bytes, not text mode: brat offsets count the characters of the file as it is, and text
    # mode would turn CRLF into LF and shift every offset after it.
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise GoldError(f"cannot read {path} ({exc.strerror}): check the path") from None
    except UnicodeDecodeError:
        raise GoldError(f"{path} is not UTF-8: convert it and its annotations") from None


def read_brat(folder: Path, annotator: str | None = None) -> list[GoldDocument]:
    """Every annotated document under `folder`, with one annotator's attributions each.

    An `.ann` file belongs to the `.txt` of the same name anywhere under `folder`; failing that,
    its name is `DOC_ANNOTATOR.ann` and it belongs to `DOC.txt`. A document annotated by several
    annotators is scored on one: `annotator` when it is one of them, else the first by name.
    """
    texts: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.txt")):
        texts.setdefault(path.stem, path)
    by_doc: dict[str, dict[str, Path]] = {}
    for ann in sorted(folder.rglob("*.ann")):
        if ann.stem in texts:
            doc, who = ann.stem, ""
        else:
            doc, _, who = ann.stem.rpartition("_")
            if not doc or doc not in texts:
                raise GoldError(
                    f"{ann}: no text file for it; expected {ann.stem}.txt or, for a file named "
                    "DOC_ANNOTATOR.ann, DOC.txt somewhere under the corpus folder"
                )
        by_doc.setdefault(doc, {})[who] = ann
    everyone = {who for files in by_doc.values() for who in files if who}
    if annotator is not None and annotator not in everyone:
        known = ", ".join(sorted(everyone)) or "none are named"
        raise GoldError(f"annotator {annotator!r} is not in {folder}: choose one of {known}")
    documents = []
    for doc, files in sorted(by_doc.items()):
        who = annotator if annotator in files else min(files)
        text = _read_utf8(texts[doc])
        attributions = parse_brat(_read_utf8(files[who]), text, where=str(files[who]))
        documents.append(
            GoldDocument(
                name=doc,
                text=text,
                attributions=tuple(attributions),
                annotator=who or None,
                annotators=tuple(sorted(w for w in files if w)),
                origin=str(texts[doc]),
            )
        )
    return documents


def read_gold(path: Path, annotator: str | None = None) -> list[GoldDocument]:
    """A brat folder, or a brief gold JSON file (or a folder of them, with no .ann file), sorted
    by name."""
    if not path.exists():
        raise GoldError(
            f"{path} does not exist: give a folder of .txt and .ann files or a gold .json file"
        )
    if path.is_file():
        if path.suffix.lower() != ".json":
            raise GoldError(
                f"{path}: give a folder of brat .txt and .ann files or a gold .json file"
            )
        return read_gold_json(path)
    if any(path.rglob("*.ann")):
        documents = read_brat(path, annotator)
    else:
        documents = [d for f in sorted(path.rglob("*.json")) for d in read_gold_json(f)]
    if not documents:
        raise GoldError(
            f"no annotated documents in {path}: expected .txt with .ann files, or gold .json"
        )
    return sorted(documents, key=lambda d: d.name)


def select_documents(
    documents: Sequence[GoldDocument], names: Sequence[str] = (), limit: int | None = None
) -> list[GoldDocument]:
    """The documents named (by name, file name or unique prefix), then the first `limit`."""
    chosen = list(documents)
    if names:
        picked: list[GoldDocument] = []
        for raw in names:
            name = Path(raw.strip()).name.removesuffix(".txt").removesuffix(".ann")
            exact = [d for d in documents if d.name == name]
            found = exact or [d for d in documents if d.name.startswith(name)]
            if len(found) != 1:
                what = "matches no document" if not found else f"matches {len(found)} documents"
                raise GoldError(
                    f"--docs {raw!r} {what}: give a document's file name without suffix"
                )
            if found[0] not in picked:
                picked.append(found[0])
        chosen = picked
    return chosen[:limit] if limit is not None else chosen


# gold made from reviewed positions ----------------------------------------------------------------


def gold_from_positions(
    name: str, text: str, sentences: Sequence[Sentence], positions: Iterable[Position]
) -> GoldDocument:
    """Reviewed positions (the ones an analyst approved or corrected) as a gold document.

    The spans are the ones `predicted_spans` gives, so re-scoring the same positions is perfect
    and a new prompt or model is scored against what the analyst accepted.
    """
    by_index = {s.index: s for s in sentences}
    quotes = [(q.start, q.end) for q in find_quotes(text)]
    attributions = []
    for position in positions:
        predicted = predicted_spans(text, by_index, position, quotes)
        if predicted.content:
            attributions.append(Attribution(content=predicted.content, source=predicted.source))
    return GoldDocument(name=name, text=text, attributions=tuple(attributions))


def gold_json(documents: Iterable[GoldDocument]) -> dict[str, Any]:
    return {
        "format": GOLD_FORMAT,
        "version": GOLD_VERSION,
        "documents": [
            {
                "name": d.name,
                "text": d.text,
                "attributions": [
                    {
                        "content": [list(s) for s in a.content],
                        "source": [list(s) for s in a.source],
                        "cue": [list(s) for s in a.cue],
                    }
                    for a in d.attributions
                ],
            }
            for d in documents
        ],
    }


def write_gold(path: Path, documents: Iterable[GoldDocument]) -> None:
    data = gold_json(documents)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_gold_json(path: Path) -> list[GoldDocument]:
    try:
        data = json.loads(_read_utf8(path))
    except ValueError as exc:
        raise GoldError(f"{path} is not valid JSON ({exc}): fix or re-export it") from None
    if not isinstance(data, dict) or data.get("format") != GOLD_FORMAT:
        raise GoldError(
            f'{path} is not a brief gold file (no "format": "{GOLD_FORMAT}"): re-export it'
        )
    if data.get("version") != GOLD_VERSION:
        raise GoldError(
            f"{path} is gold version {data.get('version')}, this brief reads {GOLD_VERSION}"
        )
    documents = []
    try:
        for entry in data["documents"]:
            text = str(entry["text"])
            attributions = []
            for a in entry["attributions"]:
                spans = {
                    role: tuple((int(s), int(e)) for s, e in a.get(role, []))
                    for role in ("content", "source", "cue")
                }
                for start, end in (s for group in spans.values() for s in group):
                    if not 0 <= start <= end <= len(text):
                        raise ValueError(
                            f"span {start}-{end} is outside the text of {entry['name']}"
                        )
                attributions.append(Attribution(**spans))
            documents.append(
                GoldDocument(
                    name=str(entry["name"]),
                    text=text,
                    attributions=tuple(attributions),
                    origin=str(path),
                )
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise GoldError(f"{path} is not a valid gold file ({exc}): re-export it") from None
    return documents


# where a position's speaker and words are -------------------------------------------------------


@dataclass(frozen=True)
class PredictedSpans:
    content: tuple[Span, ...]
    source: tuple[Span, ...]


_WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"[\w’'-]+")
_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)
# Reporting verbs and phrases: what joins a speaker to their words in news English.
_CUES = (
    "said|says|say|told|tells|tell|added|adds|stated|states|argued|argues|claimed|claims|warned|"
    "warns|noted|notes|insisted|insists|explained|explains|wrote|writes|asked|asks|announced|"
    "announces|declared|declares|suggested|suggests|believes|believed|thinks|thought|stressed|"
    "stresses|emphasi[sz]ed|emphasi[sz]es|acknowledged|acknowledges|admitted|admits|denied|denies|"
    "confirmed|confirms|reported|reports|predicted|predicts|urged|urges|vowed|vows|promised|"
    "promises|pledged|pledges|accused|accuses|charged|complained|complains|conceded|concedes|"
    "revealed|reveals|indicated|indicates|estimated|estimates|concluded|concludes|agreed|agrees|"
    "maintained|maintains|contended|contends|replied|responded|countered|tweeted|posted|recalled|"
    "recalls|continued|pointed out|points out|has learned|according to"
)
# "Peskov, the Kremlin spokesman, has said ..." and "Peskov: ..." after the source. A "that"
# after the verb stays with the content, as in PolNeAr ("said [that the talks would resume]").
_CUE_AFTER = re.compile(
    rf"\s*:|(?:\s*,[^,.;!?]{{1,80}},)?\s+(?:\w+\s+){{0,2}}?(?:{_CUES})\b\s*[,:]?",
    re.IGNORECASE,
)
# "..., said Peskov.", "..., said the Kremlin spokesman Dmitry Peskov." and "According to the
# ministry, ..." before the source:
_CUE_BEFORE = re.compile(rf"\b(?:{_CUES})(?:\s+[\w’'-]+){{0,3}}?\s+$", re.IGNORECASE)
_EDGE = " \t\n\u00a0,;:—–-"


def _strip(text: str, start: int, end: int, edge: str = _EDGE) -> Span:
    while start < end and text[start] in edge:
        start += 1
    while end > start and text[end - 1] in edge:
        end -= 1
    return start, end


def _overlaps(span: Span, others: Iterable[Span]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in others)


def _speaker_patterns(speaker: str, role: str) -> list[tuple[re.Pattern[str], bool]]:
    """Ways the text may name the speaker, best first; the flag says: expand to the full name."""
    patterns: list[tuple[re.Pattern[str], bool]] = []
    if speaker.strip():
        patterns.append(
            (re.compile(rf"(?<!\w){re.escape(speaker.strip())}(?!\w)", re.IGNORECASE), False)
        )
    words = [w for w in name_words_as_written(speaker) if len(w) > 2]
    for word in reversed(words):  # the last name first: "Peskov" names Dmitry Peskov
        flags = 0 if word[:1].isupper() else re.IGNORECASE
        patterns.append((re.compile(rf"\b{re.escape(word)}\b", flags), True))
    if len(role.strip()) > 3:
        patterns.append(
            (re.compile(rf"(?<!\w){re.escape(role.strip())}(?!\w)", re.IGNORECASE), False)
        )
    return patterns


def _expand_name(text: str, span: Span, speaker: str, lo: int, hi: int) -> Span:
    """Widen a last-name hit over the neighbouring words of the speaker's name and initials, so
    "Trump" in "Donald J. Trump" gives the whole name the text uses."""
    own = {w.casefold() for w in _NAME_WORD.findall(speaker)}
    tokens = [m.span() for m in _WORD.finditer(text, lo, hi)]
    starts = [s for s, _ in tokens]
    i = j = bisect.bisect_left(starts, span[0])
    if i >= len(tokens):
        return span

    def joins(word: str, gap: str) -> bool:
        initial = len(word) == 1 and word.isupper()
        return (word.casefold() in own or initial) and gap.strip(" .\u00a0") == ""

    while i > 0 and joins(
        text[tokens[i - 1][0] : tokens[i - 1][1]], text[tokens[i - 1][1] : tokens[i][0]]
    ):
        i -= 1
    while j + 1 < len(tokens) and joins(
        text[tokens[j + 1][0] : tokens[j + 1][1]], text[tokens[j][1] : tokens[j + 1][0]]
    ):
        j += 1
    return tokens[i][0], max(span[1], tokens[j][1])


def locate_source(
    text: str,
    by_index: dict[int, Sentence],
    position: Position,
    avoid: Sequence[Span] = (),
    near: Sequence[Span] = (),
) -> Span | None:
    """Where the text names the speaker of a position: its source span.

    Looked for in the evidence sentences, then in the three sentences before them (a quotation
    often runs on after "Peskov said:"), never inside `avoid` (the quotations: a name quoted is
    rarely the one speaking). In each, in order: the speaker as the model wrote it, a word of the
    name (last first, widened to the full name the text uses), the role, then (in the evidence
    only) "he", "she" or "they". Among several hits in one sentence, the one nearest `near`
    (the quoted words, for direct speech), else the first.
    """
    evidence = [by_index[i] for i in sorted(set(position.evidence)) if i in by_index]
    if not evidence:
        return None
    first = evidence[0].index
    before = [by_index[i] for i in range(first - 1, first - 4, -1) if i in by_index]
    patterns = _speaker_patterns(position.speaker, position.role)
    searches = [(p, expand, evidence) for p, expand in patterns]
    searches.append((_PRONOUN, False, evidence))
    searches += [(p, expand, before) for p, expand in patterns]
    for pattern, expand, window in searches:
        for sentence in window:
            hits = [
                m.span()
                for m in pattern.finditer(text, sentence.start, sentence.end)
                if not _overlaps(m.span(), avoid)
            ]
            if not hits:
                continue
            if near:
                hit = min(
                    hits,
                    key=lambda h: min(
                        abs(h[0] - b) if h[0] >= b else abs(a - h[1]) for a, b in near
                    ),
                )
            else:
                hit = hits[0]
            return (
                _expand_name(text, hit, position.speaker, sentence.start, sentence.end)
                if expand
                else hit
            )
    return None


def reported_content(text: str, sentence: Sentence, source: Span | None) -> Span:
    """A reported-speech sentence without its attribution ("Peskov said that", ", he added").

    The attribution is the source plus a reporting verb next to it; the content is the longer
    side of the sentence around it. Without a source in the sentence or a verb next to it, the
    whole sentence (trimmed of its final stop) is the content.
    """
    s_start, s_end = sentence.start, sentence.end
    whole = _strip(text, s_start, s_end, _EDGE + ".")
    if source is None or not (s_start <= source[0] and source[1] <= s_end):
        return whole
    attribution: Span | None = None
    after = _CUE_AFTER.match(text, source[1], s_end)
    if after is not None:
        attribution = (source[0], after.end())
    else:
        before = _CUE_BEFORE.search(text, s_start, source[0])
        if before is not None:
            attribution = (before.start(), source[1])
    if attribution is None:
        return whole
    left = _strip(text, s_start, attribution[0], _EDGE + ".")
    right = _strip(text, attribution[1], s_end, _EDGE + ".")
    words = [len(_WORD.findall(text[a:b])) for a, b in (left, right)]
    if not any(words):
        return whole
    return left if words[0] > words[1] else right


def predicted_spans(
    text: str,
    by_index: dict[int, Sentence],
    position: Position,
    quotes: Sequence[Span] | None = None,
) -> PredictedSpans:
    """The content and source spans a position claims, for scoring.

    Direct speech: the quoted words brief copied (`Position.spans`). Reported speech: each
    evidence sentence, the one naming the speaker without its attribution. Source: see
    `locate_source`; none when the speaker cannot be found near the evidence. `quotes` are the
    article's quotation spans (found here when not given).
    """
    evidence = [by_index[i] for i in sorted(set(position.evidence)) if i in by_index]
    if position.source is not None:
        # Found by the attribution finder: its spans are the content, its source the source.
        return PredictedSpans(content=tuple(sorted(position.spans)), source=(position.source,))
    if position.kind == "direct" and position.spans:
        content = tuple(sorted(position.spans))
        source = locate_source(text, by_index, position, avoid=content, near=content)
        return PredictedSpans(content=content, source=(source,) if source else ())
    if quotes is None:
        quotes = [(q.start, q.end) for q in find_quotes(text)]
    source = locate_source(text, by_index, position, avoid=quotes)
    pieces = [reported_content(text, s, source) for s in evidence]
    return PredictedSpans(
        content=tuple(p for p in pieces if p[0] < p[1]), source=(source,) if source else ()
    )


# scoring ----------------------------------------------------------------------------------------

_OPENERS = "“\"«„‘'"
_CLOSERS = "”\"»“’'"


def _merged(spans: Iterable[Span], text: str) -> list[Span]:
    """Spans sorted and joined where only whitespace separates them."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and not text[out[-1][1] : start].strip():
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def is_quoted(text: str, spans: Iterable[Span]) -> bool:
    """Whether every piece of a content span is enclosed in quotation marks.

    A mark counts inside the piece (the gold convention: “…,”) or just outside it (brief's
    convention: the words between the marks); a comma or stop between the words and the
    closing mark does not matter.
    """
    pieces = _merged(spans, text)
    if not pieces:
        return False
    for start, end in pieces:
        start, end = _strip(text, start, end, " \t\n\u00a0")
        if start >= end:
            return False
        before = text[:start].rstrip(" \t\u00a0")
        opened = text[start] in _OPENERS or (before[-1:] != "" and before[-1] in _OPENERS)
        inner = text[start:end].rstrip(",.;:!?…")
        after = text[end:].lstrip(",.;:!?… \t\u00a0")
        closed = (inner[-1:] != "" and inner[-1] in _CLOSERS and len(inner) > 1) or (
            after[:1] != "" and after[0] in _CLOSERS
        )
        if not (opened and closed):
            return False
    return True


@dataclass(frozen=True)
class Item:
    """One span to score: the word tokens (by index into the document's tokens) it covers."""

    document: str
    tokens: frozenset[int]
    kind: str  # direct or reported


class _Tokens:
    """A document's word tokens, for turning spans into token sets quickly."""

    def __init__(self, text: str) -> None:
        found = [m.span() for m in _WORD.finditer(text)]
        self.starts = [s for s, _ in found]
        self.ends = [e for _, e in found]

    def covered(self, spans: Iterable[Span]) -> frozenset[int]:
        """Tokens touched by any span: a span cut inside a word still counts the word."""
        out: set[int] = set()
        for start, end in spans:
            first = bisect.bisect_right(self.ends, start)
            last = bisect.bisect_left(self.starts, end)
            out.update(range(first, last))
        return frozenset(out)


@dataclass
class DocumentResult:
    """What one document gives the scorer: its gold, and what brief extracted from it."""

    gold: GoldDocument
    positions: list[Position]
    sentences: list[Sentence]
    error: str | None = None


@dataclass
class Items:
    gold_content: list[Item] = field(default_factory=list)
    gold_source: list[Item] = field(default_factory=list)
    predicted_content: list[Item] = field(default_factory=list)
    predicted_source: list[Item] = field(default_factory=list)


def items_of(result: DocumentResult) -> Items:
    doc = result.gold
    tokens = _Tokens(doc.text)
    items = Items()
    for a in doc.attributions:
        kind = "direct" if is_quoted(doc.text, a.content) else "reported"
        content = tokens.covered(a.content)
        if content:
            items.gold_content.append(Item(doc.name, content, kind))
            source = tokens.covered(a.source)
            if source:
                items.gold_source.append(Item(doc.name, source, kind))
    by_index = {s.index: s for s in result.sentences}
    quotes = [(q.start, q.end) for q in find_quotes(doc.text)]
    for position in result.positions:
        if not position.valid:
            continue
        spans = predicted_spans(doc.text, by_index, position, quotes)
        content = tokens.covered(spans.content)
        if not content:
            continue
        kind = "direct" if is_quoted(doc.text, spans.content) else "reported"
        items.predicted_content.append(Item(doc.name, content, kind))
        source = tokens.covered(spans.source)
        if source:
            items.predicted_source.append(Item(doc.name, source, kind))
    return items


def _ratio(part: float, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(precision: float | None, recall: float | None) -> float:
    if not precision or not recall:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def _by_document(items: Iterable[Item]) -> dict[str, list[Item]]:
    out: dict[str, list[Item]] = {}
    for item in items:
        out.setdefault(item.document, []).append(item)
    return out


def _exact(item: Item, others: dict[str, list[Item]]) -> float:
    return 1.0 if any(o.tokens == item.tokens for o in others.get(item.document, ())) else 0.0


def _overlap(item: Item, others: dict[str, list[Item]]) -> float:
    best = max((len(item.tokens & o.tokens) for o in others.get(item.document, ())), default=0)
    return best / len(item.tokens)


def score(gold: Sequence[Item], predicted: Sequence[Item]) -> dict[str, dict[str, Any]]:
    """P, R and F1, exact and by overlap, for all items and for each kind (see module doc)."""
    gold_by_doc, predicted_by_doc = _by_document(gold), _by_document(predicted)
    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        g = [x for x in gold if kind == "all" or x.kind == kind]
        p = [x for x in predicted if kind == "all" or x.kind == kind]
        entry: dict[str, Any] = {"gold": len(g), "predicted": len(p)}
        for name, match in (("exact", _exact), ("overlap", _overlap)):
            precision = _ratio(sum(match(x, gold_by_doc) for x in p), len(p))
            recall = _ratio(sum(match(x, predicted_by_doc) for x in g), len(g))
            entry[name] = {
                "precision": _round(precision),
                "recall": _round(recall),
                "f1": _round(_f1(precision, recall)),
            }
        out[kind] = entry
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score_documents(
    results: Sequence[DocumentResult], per_result: Sequence[Items] | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """Scores for content and source spans over all documents (`per_result`: their items, when
    already computed)."""
    every = Items()
    for items in per_result if per_result is not None else [items_of(r) for r in results]:
        every.gold_content += items.gold_content
        every.gold_source += items.gold_source
        every.predicted_content += items.predicted_content
        every.predicted_source += items.predicted_source
    return {
        "content": score(every.gold_content, every.predicted_content),
        "source": score(every.gold_source, every.predicted_source),
    }


# running and reporting --------------------------------------------------------------------------


@dataclass
class RunCost:
    """What producing the predictions cost. `model_calls` reached a model in this run; tokens are
    those recorded for the scored extractions, so a re-run from the cache reports the same."""

    provider: str = ""
    model: str = ""
    prompt_id: str = ""
    schema_hash: str = ""
    model_calls: int = 0
    cached_calls: int = 0
    recorded_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0


def gold_article(document: GoldDocument) -> Article:
    """The gold text as an article, unnormalised: ingest would tidy line endings and remove
    furniture lines, which shifts the gold offsets, so the text is taken exactly as annotated."""
    return Article(
        id=article_id(document.text), text=document.text, origin=document.origin or document.name
    )


def run_extraction(
    store: Store,
    client: ModelClient,
    settings: Settings,
    documents: Sequence[GoldDocument],
    progress: Progress = _quiet,
) -> tuple[list[DocumentResult], RunCost]:
    """Extract every gold document with `client` (cached like every model call) and collect the
    positions; documents already extracted with the same model, prompt and schema are not asked
    again."""
    started = time.perf_counter()
    articles = [gold_article(d) for d in documents]
    for article in articles:
        store.add_article(article, split_sentences(article.text))
    extractor = Extractor(store, client, settings, progress)
    outcomes = {o.article.id: o for o in extractor.extract(articles)}
    cost = RunCost(
        provider=client.provider,
        model=client.model,
        prompt_id=extractor.prompt.id,
        schema_hash=extractor.schema_hash,
    )
    results = []
    for document, article in zip(documents, articles):
        outcome = outcomes.get(article.id)
        if outcome is not None:
            positions, error = outcome.positions, outcome.error
            cost.model_calls += outcome.usage.calls
            cost.cached_calls += outcome.usage.cached
        else:
            positions, error = extractor.positions_of(article)
        record = store.get_extraction(
            article.id, client.model, extractor.prompt.id, extractor.schema_hash
        )
        if record is not None:
            cost.recorded_calls += record.calls
            cost.prompt_tokens += record.prompt_tokens
            cost.completion_tokens += record.completion_tokens
        elif outcome is not None:  # not saved (a transient failure): count what it did use
            cost.prompt_tokens += outcome.usage.prompt_tokens
            cost.completion_tokens += outcome.usage.completion_tokens
        results.append(DocumentResult(document, positions, store.sentences(article.id), error))
    cost.seconds = time.perf_counter() - started
    return results, cost


def build_report(
    results: Sequence[DocumentResult], cost: RunCost, corpus: str = "", annotator: str | None = None
) -> dict[str, Any]:
    """The report as plain data: what was scored, the scores, the cost, and a line per document."""
    per_result = [items_of(r) for r in results]
    scores = score_documents(results, per_result)
    per_document = []
    gold_kinds = {"direct": 0, "reported": 0}
    with_source = 0
    predicted_kinds = {"direct": 0, "reported": 0}
    valid = invalid = located = 0
    for result, items in zip(results, per_result):
        for item in items.gold_content:
            gold_kinds[item.kind] += 1
        for item in items.predicted_content:
            predicted_kinds[item.kind] += 1
        with_source += len(items.gold_source)
        located += len(items.predicted_source)
        doc_valid = sum(p.valid for p in result.positions)
        valid += doc_valid
        invalid += len(result.positions) - doc_valid
        doc_scores = score(items.gold_content, items.predicted_content)["all"]["overlap"]
        per_document.append(
            {
                "name": result.gold.name,
                "annotator": result.gold.annotator,
                "gold": len(items.gold_content),
                "predicted": len(items.predicted_content),
                "invalid": len(result.positions) - doc_valid,
                "content_overlap_f1": doc_scores["f1"],
                "error": result.error,
            }
        )
    annotators = sorted({r.gold.annotator for r in results if r.gold.annotator})
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "corpus": corpus,
        "annotator": annotator,
        "annotators": annotators,
        "documents": len(results),
        "run": {
            "provider": cost.provider,
            "model": cost.model,
            "prompt_id": cost.prompt_id,
            "schema_hash": cost.schema_hash,
        },
        "counts": {
            "gold": {
                "attributions": sum(gold_kinds.values()),
                **gold_kinds,
                "with_source": with_source,
            },
            "predicted": {
                "positions": valid + invalid,
                "valid": valid,
                "invalid": invalid,
                **predicted_kinds,
                "with_source": located,
            },
            "documents_with_errors": sum(1 for r in results if r.error),
        },
        "cost": {
            "model_calls": cost.model_calls,
            "cached_calls": cost.cached_calls,
            "recorded_calls": cost.recorded_calls,
            "prompt_tokens": cost.prompt_tokens,
            "completion_tokens": cost.completion_tokens,
            "seconds": round(cost.seconds, 2),
        },
        "scores": scores,
        "per_document": per_document,
    }


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _cell(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def _cells(prf: dict[str, float | None]) -> str:
    return f"{_cell(prf['precision'])} {_cell(prf['recall']):>6} {_cell(prf['f1']):>6}"


def format_table(report: dict[str, Any]) -> str:
    """A short fixed-width table of the scores, and one line of counts and cost."""
    lines = [
        f"{'':18}{'exact':^19}   {'overlap':^19}  {'gold':>5} {'pred':>5}",
        f"{'':18}{'P':>5} {'R':>6} {'F1':>6}   {'P':>5} {'R':>6} {'F1':>6}",
    ]
    for what in ("content", "source"):
        for kind in KINDS:
            entry = report["scores"][what][kind]
            lines.append(
                f"{what:8}{kind:10}{_cells(entry['exact'])}   {_cells(entry['overlap'])}"
                f"  {entry['gold']:>5} {entry['predicted']:>5}"
            )
    counts, cost, run = report["counts"], report["cost"], report["run"]
    lines.append(
        f"{report['documents']} documents, {counts['gold']['attributions']} gold attributions, "
        f"{counts['predicted']['valid']} positions ({counts['predicted']['invalid']} for review); "
        f"{run['provider']} {run['model']}, prompt {run['prompt_id']}; "
        f"{cost['model_calls']} model calls ({cost['cached_calls']} cached), "
        f"{cost['prompt_tokens']}+{cost['completion_tokens']} tokens, {cost['seconds']:.1f} s"
    )
    if counts["documents_with_errors"]:
        lines.append(
            f"{counts['documents_with_errors']} documents not fully extracted: "
            "see per_document in --json"
        )
    return "\n".join(lines) + "\n"


def evaluate(
    store: Store,
    client: ModelClient,
    settings: Settings,
    documents: Sequence[GoldDocument],
    *,
    corpus: str = "",
    annotator: str | None = None,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Extract the documents and score them: `run_extraction` then `build_report`."""
    results, cost = run_extraction(store, client, settings, documents, progress)
    return build_report(results, cost, corpus=corpus, annotator=annotator)


def eval_store_path(settings: Settings) -> Path:
    """Gold articles live in a store of their own, so they never appear in a user's briefings,
    and its cache makes a re-run of the same corpus, model and prompt free."""
    return settings.home / "eval.sqlite3"
