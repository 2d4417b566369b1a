"""Gold for `brief eval`: brat standoff attributions (PolNeAr's layout, or DOC.txt next to
DOC.ann) and brief's own gold JSON made from reviewed positions, read into `GoldDocument`s.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.errors import GoldError

Span = tuple[int, int]
GOLD_FORMAT = "brief-gold"
GOLD_VERSION = 1
Warn = Callable[[str], None]


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
    outlet: str = ""  # the publisher, where the corpus says (PolNeAR's metadata.tsv)


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


def _outlets(folder: Path) -> dict[str, str]:
    """Each document's outlet, from the corpus's `metadata.tsv` (PolNeAR's: `filename` and
    `publisher` columns), when it has one."""
    path = folder / "metadata.tsv"
    if not path.is_file():
        return {}
    try:
        rows = list(csv.DictReader(io.StringIO(_read_utf8(path)), delimiter="\t"))
    except (GoldError, csv.Error):
        return {}
    return {r["filename"]: r["publisher"] for r in rows if r.get("filename") and r.get("publisher")}


def _pair_files(
    folder: Path, warn: Warn | None
) -> tuple[dict[str, Path], dict[str, dict[str, Path]]]:
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
                problem = GoldError(
                    f"{ann}: no text file for it; expected {ann.stem}.txt or, for a file named "
                    "DOC_ANNOTATOR.ann, DOC.txt somewhere under the corpus folder"
                )
                if warn is None:
                    raise problem
                warn(f"skipped: {problem}")
                continue
        by_doc.setdefault(doc, {})[who] = ann
    return texts, by_doc


def read_brat(
    folder: Path, annotator: str | None = None, warn: Warn | None = None
) -> list[GoldDocument]:
    """Every annotated document under `folder`, with one annotator's attributions each.

    An `.ann` file belongs to the `.txt` of the same name anywhere under `folder`; failing that,
    its name is `DOC_ANNOTATOR.ann` and it belongs to `DOC.txt`. A document annotated by several
    annotators is scored on one: `annotator` when it is one of them, else the first by name.
    With `warn`, a file that cannot be read or does not match its text is named through `warn`
    and left out (the document's next annotator is used, if it has one), and the rest is read;
    without it, the first such file stops the reading.
    """
    texts, by_doc = _pair_files(folder, warn)
    everyone = {who for files in by_doc.values() for who in files if who}
    if annotator is not None and annotator not in everyone:
        known = ", ".join(sorted(everyone)) or "none are named"
        raise GoldError(f"annotator {annotator!r} is not in {folder}: choose one of {known}")
    outlets = _outlets(folder)
    documents = []
    for doc, files in sorted(by_doc.items()):
        order = sorted(files, key=lambda w: (w != annotator, w))
        for who in order:
            try:
                text = _read_utf8(texts[doc])
                attributions = parse_brat(_read_utf8(files[who]), text, where=str(files[who]))
            except GoldError as exc:
                if warn is None:
                    raise
                warn(f"skipped {files[who]}: {exc}")
                continue
            documents.append(
                GoldDocument(
                    name=doc,
                    text=text,
                    attributions=tuple(attributions),
                    annotator=who or None,
                    annotators=tuple(sorted(w for w in files if w)),
                    origin=str(texts[doc]),
                    outlet=outlets.get(doc, ""),
                )
            )
            break
    return documents


def read_gold(
    path: Path, annotator: str | None = None, warn: Warn | None = None
) -> list[GoldDocument]:
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
        documents = read_brat(path, annotator, warn)
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
