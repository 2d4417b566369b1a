"""Reading articles from files: the formats, their metadata, and the public entry points.

This module owns the way from a path on disk to an `Article`:

* which file types are accepted (`.txt`, `.md`/`.markdown` with YAML front matter,
  `.html`/`.htm`, `.jsonl`) and how each is read;
* the metadata fields front matter and JSON records may hold (`META_FIELDS`), with a warning
  naming any other field rather than ignoring it silently;
* refusing bad input with a one-line `InputError` that says what to do.

The parts it uses sit beside it: `decode` (bytes to text), `normalise` (normalisation, furniture
removal and the article id) and `dates` (the publication date with its provenance).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing.errors import InputError
from briefing.ingest.dates import parse_date, resolve_date
from briefing.ingest.decode import (
    check_file,
    check_size,
    decode_bytes,
    read_text_file,
    wide_encoding,
)
from briefing.ingest.normalise import FurnitureRules, article_id, normalise_text, rules_or_default
from briefing.models import Article

TEXT_SUFFIXES = frozenset({".txt"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

# The metadata fields front matter and JSON records may hold; `outlet` is another name for
# `source`. A field not listed here is ignored with a warning (`unknown_fields_warning`).
_TEXT_FIELDS = ("title", "source", "url", "language")
META_FIELDS = ("title", "source", "outlet", "url", "published", "language", "date_approximate")

Warn = Callable[[str], None]


# --- per-format readers ---------------------------------------------------------------------------


@dataclass
class _Meta:
    title: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    published: dt.date | None = None
    approximate: bool = False


def _text_field(data: dict[str, Any], name: str, where: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise InputError(f"{where}: field `{name}` must be a single text value")
    return unicodedata.normalize("NFC", str(value)).strip() or None


def _meta_from_mapping(data: dict[str, Any], where: str) -> _Meta:
    """Metadata fields from front matter or a JSON record; `where` names the file (and line)."""
    meta = _Meta()
    for name in _TEXT_FIELDS:
        setattr(meta, name, _text_field(data, name, where))
    outlet = _text_field(data, "outlet", where)
    if outlet is not None:
        if meta.source not in (None, outlet):
            raise InputError(
                f"{where}: `source` ({meta.source!r}) and `outlet` ({outlet!r}) name different"
                " outlets; keep one of them"
            )
        meta.source = outlet
    if data.get("published") is not None:
        meta.published = parse_date(data["published"])
        if meta.published is None:
            raise InputError(
                f"{where}: field `published` is {data['published']!r}, not a date; "
                "write it as YYYY-MM-DD"
            )
    approximate = data.get("date_approximate", False)
    if not isinstance(approximate, bool):
        raise InputError(f"{where}: field `date_approximate` must be true or false")
    meta.approximate = approximate
    return meta


def unknown_fields_warning(where: str, kind: str, names: list[str], known: Sequence[str]) -> str:
    """The one-line warning for fields brief does not read: each named (with the known field it
    resembles, if one does), then the known ones."""
    named = []
    for name in names:
        close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.7)
        named.append(f"`{name}`" + (f" (did you mean `{close[0]}`?)" if close else ""))
    if len(named) == 1:
        what, it = f"field {named[0]} is", "it"
    else:
        what, it = f"fields {', '.join(named)} are", "them"
    return (
        f"{where}: {kind} {what} unknown to brief and ignored; rename or remove {it}"
        f" (known fields: {', '.join(known)})"
    )


# libyaml's safe loader when PyYAML was built with it (its wheels are): the same documents,
# about ten times faster than the pure-Python one, which was a tenth of ingest time.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """Split YAML front matter off a Markdown file; ({}, text) when there is none."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}, text
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            end = number
            break
    else:
        raise InputError(
            f"{path}: front matter opened with `---` on line 1 is never closed; "
            "add a `---` line after it"
        )
    source = "\n".join(lines[1:end])
    try:
        if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(source, Loader=_YAML_LOADER)):
            # "billion laughs": a few lines of aliases expand to gigabytes when loaded
            raise InputError(
                f"{path}: front matter uses a YAML alias (`*name`), which brief refuses;"
                " write each value out"
            )
        data = yaml.load(source, Loader=_YAML_LOADER)
    except (ValueError, OverflowError) as exc:
        # YAML reads an unquoted 2025-02-30 as a date, and the date does not exist.
        raise InputError(
            f"{path}: front matter holds an impossible value ({exc}); fix it, for example"
            " `published: 2025-02-28`"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        at = f" at line {mark.line + 2}" if mark is not None else ""  # +2: 0-based, after `---`
        raise InputError(
            f"{path}: front matter is not valid YAML ({problem}{at}); fix it"
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: front matter must be `key: value` lines, not a {type(data).__name__}"
        )
    return data, "\n".join(lines[end + 1 :])


def _read_html(raw: str, path: Path) -> tuple[_Meta, str]:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    body = trafilatura.extract(raw, include_comments=False, include_images=False)
    if not body or not body.strip():
        raise InputError(
            f"{path}: no article text found in the HTML; save the article as .txt or .md instead"
        )
    # extensive=False: take dates the page declares, not ones htmldate guesses from the text
    # (guesses are ours to make, marked as inferred).
    metadata = trafilatura.extract_metadata(raw, extensive=False)
    meta = _Meta()
    if metadata is not None:
        if metadata.title:
            meta.title = unicodedata.normalize("NFC", metadata.title).strip() or None
        meta.url = metadata.url or None
        meta.source = metadata.sitename or None
        meta.language = getattr(metadata, "language", None) or None
        meta.published = parse_date(metadata.date) if metadata.date else None
    return meta, body


def _plain(line: str) -> str:
    return " ".join(line.casefold().split()).strip(" .!?:;\"'“”‘’«»")


def _without_title_line(text: str, title: str | None, removed: list[str]) -> tuple[str, list[str]]:
    """The text without a first line that repeats the article's title (the page printed its
    headline above the body, with or without a final stop): a headline is no statement, and
    one with a stop reads as a sentence."""
    first, _, rest = text.partition("\n")
    if not title or not first.strip() or _plain(first) != _plain(title):
        return text, removed
    return rest.lstrip("\n"), [*removed, f"title repeated: {first.strip()}"]


def _build_article(
    body: str,
    meta: _Meta,
    origin: str,
    published: dt.date | None,
    rules: FurnitureRules,
    where: str,
) -> Article:
    text, removed = normalise_text(body, rules)
    text, removed = _without_title_line(text, meta.title, removed)
    if not text:
        raise InputError(
            f"{where} has no article text"
            + (" after removing page furniture" if removed else "")
            + "; give a file with the article body"
        )
    date, status = resolve_date(published, meta.published, meta.approximate, text)
    return Article(
        id=article_id(text),
        text=text,
        title=meta.title,
        source=meta.source,
        url=meta.url,
        language=meta.language,
        published=date,
        date_status=status,
        origin=origin,
        removed=removed,
    )


def _read_record(
    data: bytes, where: str, unknown: dict[str, int], line_no: int
) -> tuple[dict[str, Any], str] | None:
    """One JSON Lines record and its text, None for a blank line; its unknown fields are noted
    in `unknown` with the first line they are on."""
    check_size(where, len(data))  # per record: a feed file may hold many articles
    line = decode_bytes(data, where).strip()
    if not line:
        return None  # blank lines between records are harmless
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); fix or remove the line"
        ) from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object with a `text` field")
    for name in record:
        if name != "text" and name not in META_FIELDS:
            unknown.setdefault(name, line_no)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: missing or empty `text` field; add the article text")
    return record, text


def _read_jsonl(
    path: Path, published: dt.date | None, rules: FurnitureRules, warn: Warn | None
) -> tuple[list[Article], list[str]]:
    check_file(path)
    with path.open("rb") as handle:
        wide = wide_encoding(handle.read(4096))
    if wide is not None:  # records are read line by line, as bytes: UTF-8 only
        raise InputError(
            f"{path} is {wide.upper()} text; JSON Lines must be UTF-8: convert it with"
            f" `iconv -f {wide.upper()} -t UTF-8`"
        )
    articles: list[Article] = []
    problems: list[str] = []
    unknown: dict[str, int] = {}
    with path.open("rb") as handle:
        for line_no, data in enumerate(handle, start=1):
            where = f"{path} line {line_no}"
            try:
                read = _read_record(data, where, unknown, line_no)
                if read is not None:
                    meta = _meta_from_mapping(read[0], where)
                    origin = f"{path}#{line_no}"
                    articles.append(_build_article(read[1], meta, origin, published, rules, where))
            except InputError as exc:
                problems.append(str(exc))
    if not articles and not problems:
        raise InputError(f"{path} has no records; give one JSON object per line")
    if unknown and warn is not None:
        where = f"{path} (from line {min(unknown.values())})"
        warn(unknown_fields_warning(where, "JSON", list(unknown), ("text", *META_FIELDS)))
    return articles, problems


# --- public entry points --------------------------------------------------------------------------


def read_articles_report(
    path: Path,
    published: dt.date | None = None,
    rules: FurnitureRules | None = None,
    warn: Warn | None = None,
) -> tuple[list[Article], list[str]]:
    """Read one file; return (articles, problems).

    A whole-file problem raises `InputError`. Only `.jsonl` files have per-record problems: bad
    lines are reported (one line each, naming the line number) and the good records still returned.
    Metadata fields brief does not read are passed to `warn`, one line per file.
    """
    path = Path(path)
    rules = rules_or_default(rules)
    suffix = path.suffix.lower()
    if suffix not in KNOWN_SUFFIXES:
        known = ", ".join(sorted(KNOWN_SUFFIXES))
        kind = suffix or "(no suffix)"
        raise InputError(f"{path}: unknown file type {kind!r}; use one of {known}")
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(path, published, rules, warn)

    raw = read_text_file(path)
    meta = _Meta()
    body = raw
    unknown: list[str] = []
    if suffix in MARKDOWN_SUFFIXES:
        data, body = _split_front_matter(raw, path)
        meta = _meta_from_mapping(data, str(path))
        unknown = [str(name) for name in data if name not in META_FIELDS]
    elif suffix in HTML_SUFFIXES:
        meta, body = _read_html(raw, path)
    article = _build_article(body, meta, str(path), published, rules, str(path))
    if unknown and warn is not None:
        warn(unknown_fields_warning(str(path), "front matter", unknown, META_FIELDS))
    return [article], []


def read_html_article(raw: str, origin: str, defaults: dict[str, Any] | None = None) -> Article:
    """One article from a downloaded HTML page: main text and the metadata the page declares,
    `defaults` (title, source, url, language, published) filling what it does not say."""
    meta, body = _read_html(raw, Path(origin))
    for name, value in (defaults or {}).items():
        if getattr(meta, name) is None:
            setattr(meta, name, value)
    return _build_article(body, meta, origin, None, rules_or_default(None), origin)


def read_articles(
    path: Path,
    published: dt.date | None = None,
    rules: FurnitureRules | None = None,
    warn: Warn | None = None,
) -> list[Article]:
    """Read one file into articles; raise `InputError` when nothing readable is in it.

    Bad `.jsonl` lines next to good ones are skipped here; use `read_articles_report` to see them.
    """
    articles, problems = read_articles_report(path, published, rules, warn)
    if not articles and problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InputError(f"{problems[0]}{more}")
    return articles


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, directories walked for known suffixes (recursively, sorted).

    Inside directories, README files and hidden or underscore-prefixed files are skipped: they
    document a folder of articles rather than being articles. Files named explicitly are kept
    whatever their suffix, so `read_articles` can say why one is refused.
    """
    out: list[Path] = []
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"{path} does not exist; check the path")
        if not path.is_dir():
            out.append(path)
            continue
        found = [
            child
            for child in path.rglob("*")
            if child.is_file()
            and child.suffix.lower() in KNOWN_SUFFIXES
            and not child.name.startswith((".", "_"))
            and child.stem.lower() != "readme"
            and not any(part.startswith(".") for part in child.relative_to(path).parts)
        ]
        out.extend(sorted(found))
    return out
