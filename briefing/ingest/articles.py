"""Reading articles from files: decoding, metadata, normalisation, ids and publication dates.

This module owns everything between a path on disk and an `Article`:

* which file types are accepted (`.txt`, `.md`/`.markdown` with YAML front matter,
  `.html`/`.htm`, `.jsonl`) and how each is read;
* refusing bad input with a one-line `InputError` that says what to do;
* text normalisation, including page-furniture removal driven by `rules/furniture.toml`;
* the article id (a hash of the normalised text) and the publication date with its provenance.

Quotations are later copied character-exact out of `Article.text`, so normalisation changes only
layout (line endings, blank lines, trailing spaces), Unicode composition (NFC) and whole furniture
lines. Curly quotes, dashes, non-breaking spaces and the rest are left exactly as they were.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefing.errors import InputError
from briefing.models import Article, DateStatus
from briefing.resources import rules_file

# Read at call time (not bound as a default argument) so tests and callers can lower it.
MAX_BYTES = 2_000_000

TEXT_SUFFIXES = frozenset({".txt"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

DEFAULT_RULES_PATH = rules_file("furniture.toml")

# Share of control characters above which decoded text is treated as a binary file: real
# articles have essentially none, binary formats that happen to decode have many.
_BINARY_CONTROL_SHARE = 0.05
# Control characters (Unicode category Cc) other than tab, line feed, vertical tab, form feed, CR.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

_FRONT_MATTER_FIELDS = ("title", "source", "url", "language")


# --- furniture rules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FurnitureRule:
    name: str
    pattern: re.Pattern[str]
    drop_next: bool = False  # the marker's next non-blank line (a linked headline) goes too


@dataclass(frozen=True)
class FurnitureRules:
    """Which lines count as page furniture. Loaded from TOML so they can change without code."""

    rules: tuple[FurnitureRule, ...] = ()
    drop_repeated_lines: bool = True
    repeated_line_max_chars: int = 200
    source: str = field(default="", compare=False)

    @classmethod
    def load(cls, path: Path | None = None) -> FurnitureRules:
        path = path or DEFAULT_RULES_PATH
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"furniture rules file {path} not found; check the path") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"furniture rules file {path} is not valid TOML ({exc})") from None
        rules = []
        for number, entry in enumerate(data.get("rule", []), start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
                raise InputError(f"{path}: rule {number} needs a `pattern` string")
            name = str(entry.get("name") or f"rule-{number}")
            try:
                pattern = re.compile(entry["pattern"], re.IGNORECASE)
            except re.error as exc:
                raise InputError(
                    f"{path}: rule {name!r} has a bad regular expression ({exc})"
                ) from None
            rules.append(FurnitureRule(name, pattern, bool(entry.get("drop_next", False))))
        return cls(
            rules=tuple(rules),
            drop_repeated_lines=bool(data.get("drop_repeated_lines", True)),
            repeated_line_max_chars=int(data.get("repeated_line_max_chars", 200)),
            source=str(path),
        )

    def match(self, line: str) -> FurnitureRule | None:
        stripped = line.strip()
        if not stripped:
            return None
        for rule in self.rules:
            if rule.pattern.fullmatch(stripped):
                return rule
        return None


_default_rules: FurnitureRules | None = None


def _rules_or_default(rules: FurnitureRules | None) -> FurnitureRules:
    global _default_rules
    if rules is not None:
        return rules
    if _default_rules is None:
        _default_rules = FurnitureRules.load()
    return _default_rules


# --- normalisation --------------------------------------------------------------------------------


def normalise_text(raw: str, rules: FurnitureRules | None = None) -> tuple[str, list[str]]:
    """Return the normalised text and the furniture lines removed (as "rule-name: line").

    NFC; CRLF/CR to LF; trailing whitespace stripped; furniture lines removed; runs of blank lines
    collapsed to one; leading and trailing blank lines dropped. Nothing else changes.
    """
    rules = _rules_or_default(rules)
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]

    kept: list[str] = []
    removed: list[str] = []
    seen: set[str] = set()
    drop_next_for: str | None = None  # name of the marker rule waiting for its headline line
    for line in lines:
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        if drop_next_for is not None:
            removed.append(f"{drop_next_for}: {stripped}")
            drop_next_for = None
            continue
        rule = rules.match(stripped)
        if rule is not None:
            removed.append(f"{rule.name}: {stripped}")
            if rule.drop_next:
                drop_next_for = rule.name
            continue
        if rules.drop_repeated_lines and len(stripped) < rules.repeated_line_max_chars:
            if stripped in seen:
                removed.append(f"repeated-line: {stripped}")
                continue
            seen.add(stripped)
        kept.append(line)

    # Blank lines are collapsed after removal, so furniture between paragraphs leaves no gap.
    out: list[str] = []
    for line in kept:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out), removed


def article_id(text: str) -> str:
    """First 16 hex characters of the SHA-256 of the normalised text: same text, same article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- dates ----------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_MONTH_RE = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_RANGE_RE = r"(?P<day>\d{1,2})(?:\s*[-–—]\s*(?P<day2>\d{1,2}))?"
_DATE_PATTERNS = (
    # "June 23, 2025", "Dec. 14–15, 2025"
    re.compile(
        rf"\b{_MONTH_RE}\s+{_DAY_RANGE_RE}(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE
    ),
    # "23 June 2025", "14-15 December 2025"
    re.compile(
        rf"\b{_DAY_RANGE_RE}(?:st|nd|rd|th)?\s+{_MONTH_RE},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE
    ),
    # "2025-06-23"
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)


def infer_date(text: str) -> dt.date | None:
    """Guess a publication date from explicit full dates in the text, or None.

    Heuristic: collect every date written out with day, month and year ("June 23, 2025",
    "23 June 2025", "Dec. 14–15, 2025" (the later day of a range), "2025-06-23") and return the
    latest, since news reports on recent events and older dates are background. Dates without a
    year, weekdays and relative words ("yesterday") are ignored: too easy to get wrong silently.
    A date in the future of the article (a scheduled vote) would mislead it; the result is always
    marked `DateStatus.INFERRED` so readers see it is a guess.
    """
    found: list[dt.date] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
            day = int(match.groupdict().get("day2") or match.group("day"))
            try:
                found.append(dt.date(int(match.group("year")), month, day))
            except ValueError:
                continue  # "February 30": not a date, so not evidence
    return max(found) if found else None


def resolve_date(
    given: dt.date | None, metadata: dt.date | None, approximate: bool, text: str
) -> tuple[dt.date | None, DateStatus]:
    """Apply the precedence: given > metadata (maybe approximate) > inferred > undated."""
    if given is not None:
        return given, DateStatus.GIVEN
    if metadata is not None:
        return metadata, DateStatus.APPROXIMATE if approximate else DateStatus.METADATA
    inferred = infer_date(text)
    if inferred is not None:
        return inferred, DateStatus.INFERRED
    return None, DateStatus.UNDATED


def _parse_date(value: Any) -> dt.date | None:
    """A date from YAML/JSON/HTML metadata; None when it is not one (caller reports)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        candidate = value.strip()
        try:
            return dt.date.fromisoformat(candidate[:10])
        except ValueError:
            return None
    return None


# --- decoding -------------------------------------------------------------------------------------


def _check_size(where: str, size: int) -> None:
    if size > MAX_BYTES:
        raise InputError(
            f"{where} is {size / 1_000_000:.1f} MB, over the {MAX_BYTES / 1_000_000:.1f} MB limit "
            "for one article; split it into smaller files"
        )


def _wide_encoding(data: bytes) -> str | None:
    """The UTF-16 or UTF-32 encoding `data` is in, or None. A byte-order mark says so; without
    one, text in UTF-16 has a NUL byte in every other position for each ASCII character, on the
    odd bytes (little-endian) or the even ones (big-endian), which binary formats do not."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    if len(sample) < 8 or len(data) % 2:
        return None
    nul_even = sample[0::2].count(0) / len(sample[0::2])
    nul_odd = sample[1::2].count(0) / len(sample[1::2])
    if nul_odd > 0.3 and nul_even < 0.02:
        return "utf-16-le"
    if nul_even > 0.3 and nul_odd < 0.02:
        return "utf-16-be"
    return None


def _decode(data: bytes, where: str) -> str:
    """Bytes to str: UTF-8, or UTF-16/32 (with a byte-order mark, or UTF-16 without one);
    binary data and other encodings are refused with a message saying how to convert them."""
    wide = _wide_encoding(data)
    if wide is not None:
        try:
            return _not_binary(data.decode(wide).removeprefix("\ufeff"), where)
        except UnicodeDecodeError:
            raise InputError(
                f"{where} looks like {wide.upper()} text but does not decode as it; convert it "
                f"with `iconv -f {wide.upper()} -t UTF-8`"
            ) from None
    if b"\x00" in data:
        raise InputError(
            f"{where} looks like a binary file (it contains NUL bytes); give a text file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise InputError(
            f"{where} is not UTF-8 text (byte 0x{bad:02x} at offset {exc.start}); convert it with "
            "`iconv -f <its encoding, e.g. cp1252> -t utf-8`"
        ) from None
    return _not_binary(text, where)


def _not_binary(text: str, where: str) -> str:
    controls = len(_CONTROL_RE.findall(text))
    if text and controls / len(text) > _BINARY_CONTROL_SHARE:
        raise InputError(
            f"{where} looks like a binary file (many control characters); give a text file"
        )
    return text


def _check_file(path: Path) -> int:
    """The file's size, after refusing paths that are not a non-empty regular file."""
    if not path.exists():
        raise InputError(f"{path} does not exist; check the path")
    if path.is_dir():
        raise InputError(f"{path} is a directory; pass the files in it instead")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path} is empty; give a file with article text")
    return size


def _read_text(path: Path) -> str:
    _check_size(str(path), _check_file(path))
    return _decode(path.read_bytes(), str(path))


# --- per-format readers ---------------------------------------------------------------------------


@dataclass
class _Meta:
    title: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    published: dt.date | None = None
    approximate: bool = False


def _meta_from_mapping(data: dict[str, Any], where: str) -> _Meta:
    """Metadata fields from front matter or a JSON record; `where` names the file (and line)."""
    meta = _Meta()
    for name in _FRONT_MATTER_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise InputError(f"{where}: field `{name}` must be a single text value")
        setattr(meta, name, unicodedata.normalize("NFC", str(value)).strip() or None)
    if data.get("published") is not None:
        meta.published = _parse_date(data["published"])
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
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=_YAML_LOADER)
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
        meta.published = _parse_date(metadata.date) if metadata.date else None
    return meta, body


def _build_article(
    body: str,
    meta: _Meta,
    origin: str,
    published: dt.date | None,
    rules: FurnitureRules,
    where: str,
) -> Article:
    text, removed = normalise_text(body, rules)
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


def _read_jsonl(
    path: Path, published: dt.date | None, rules: FurnitureRules
) -> tuple[list[Article], list[str]]:
    _check_file(path)
    with path.open("rb") as handle:
        wide = _wide_encoding(handle.read(4096))
    if wide is not None:  # records are read line by line, as bytes: UTF-8 only
        raise InputError(
            f"{path} is {wide.upper()} text; JSON Lines must be UTF-8: convert it with"
            f" `iconv -f {wide.upper()} -t UTF-8`"
        )
    articles: list[Article] = []
    problems: list[str] = []
    with path.open("rb") as handle:
        for line_no, data in enumerate(handle, start=1):
            where = f"{path} line {line_no}"
            try:
                _check_size(where, len(data))  # per record: a feed file may hold many articles
                line = _decode(data, where).strip()
                if not line:
                    continue  # blank lines between records are harmless
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(
                        f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); "
                        "fix or remove the line"
                    ) from None
                if not isinstance(record, dict):
                    raise InputError(f"{where}: expected a JSON object with a `text` field")
                text = record.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise InputError(
                        f"{where}: missing or empty `text` field; add the article text"
                    )
                meta = _meta_from_mapping(record, where)
                articles.append(
                    _build_article(text, meta, f"{path}#{line_no}", published, rules, where)
                )
            except InputError as exc:
                problems.append(str(exc))
    if not articles and not problems:
        raise InputError(f"{path} has no records; give one JSON object per line")
    return articles, problems


# --- public entry points --------------------------------------------------------------------------


def read_articles_report(
    path: Path, published: dt.date | None = None, rules: FurnitureRules | None = None
) -> tuple[list[Article], list[str]]:
    """Read one file; return (articles, problems).

    A whole-file problem raises `InputError`. Only `.jsonl` files have per-record problems: bad
    lines are reported (one line each, naming the line number) and the good records still returned.
    """
    path = Path(path)
    rules = _rules_or_default(rules)
    suffix = path.suffix.lower()
    if suffix not in KNOWN_SUFFIXES:
        known = ", ".join(sorted(KNOWN_SUFFIXES))
        kind = suffix or "(no suffix)"
        raise InputError(f"{path}: unknown file type {kind!r}; use one of {known}")
    if suffix in JSONL_SUFFIXES:
        return _read_jsonl(path, published, rules)

    raw = _read_text(path)
    meta = _Meta()
    body = raw
    if suffix in MARKDOWN_SUFFIXES:
        data, body = _split_front_matter(raw, path)
        meta = _meta_from_mapping(data, str(path))
    elif suffix in HTML_SUFFIXES:
        meta, body = _read_html(raw, path)
    return [_build_article(body, meta, str(path), published, rules, str(path))], []


def read_html_article(raw: str, origin: str, defaults: dict[str, Any] | None = None) -> Article:
    """One article from a downloaded HTML page: main text and the metadata the page declares,
    `defaults` (title, source, url, language, published) filling what it does not say."""
    meta, body = _read_html(raw, Path(origin))
    for name, value in (defaults or {}).items():
        if getattr(meta, name) is None:
            setattr(meta, name, value)
    return _build_article(body, meta, origin, None, _rules_or_default(None), origin)


def read_articles(
    path: Path, published: dt.date | None = None, rules: FurnitureRules | None = None
) -> list[Article]:
    """Read one file into articles; raise `InputError` when nothing readable is in it.

    Bad `.jsonl` lines next to good ones are skipped here; use `read_articles_report` to see them.
    """
    articles, problems = read_articles_report(path, published, rules)
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
