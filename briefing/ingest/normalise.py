"""Text normalisation and the article id.

Quotations are later copied character-exact out of `Article.text`, so normalisation changes only
layout (line endings, blank lines, trailing spaces), Unicode composition (NFC) and whole furniture
lines ("Read more: ...", "RELATED:", driven by `rules/furniture.toml`, each removal recorded).
Curly quotes, dashes, non-breaking spaces and the rest are left exactly as they were. The article
id is a hash of the normalised text, so the same text is one article.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from briefing.errors import InputError
from briefing.resources import rules_file
from briefing.rulefiles import RuleFile, read_rules

DEFAULT_RULES_PATH = rules_file("furniture.toml")


@dataclass(frozen=True)
class FurnitureRule:
    name: str
    pattern: re.Pattern[str]
    drop_next: bool = False  # the marker's next non-blank line (a linked headline) goes too


class _RuleEntry(RuleFile):
    pattern: str  # a regular expression a whole line must match (case ignored)
    name: str | None = None  # recorded with each removal; default rule-N
    drop_next: bool = False


class FurnitureFile(RuleFile):
    """furniture.toml: [[rule]] tables, and how repeated lines are treated."""

    drop_repeated_lines: bool = True
    repeated_line_max_chars: int = 200
    rule: list[_RuleEntry] = Field(default_factory=list)


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
        data = read_rules(FurnitureFile, path, "the furniture rules")
        rules = []
        for number, entry in enumerate(data.rule, start=1):
            name = entry.name or f"rule-{number}"
            try:
                pattern = re.compile(entry.pattern, re.IGNORECASE)
            except re.error as exc:
                raise InputError(
                    f"{path}: rule {name!r} has a bad regular expression ({exc})"
                ) from None
            rules.append(FurnitureRule(name, pattern, entry.drop_next))
        return cls(
            rules=tuple(rules),
            drop_repeated_lines=data.drop_repeated_lines,
            repeated_line_max_chars=data.repeated_line_max_chars,
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


def rules_or_default(rules: FurnitureRules | None) -> FurnitureRules:
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
    rules = rules_or_default(rules)
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
