"""The topic list's keywords: the optional [keywords] table of `topics.toml` (or `topics_file`).

Extraction labels positions with them and tracking checks the model's topic against them, so they
are read in the lower of the two stages. (The [topics] table itself is read by
`briefing.extract.prompts.load_topics`.)
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

from briefing.errors import BriefError
from briefing.resources import rules_file

DEFAULT_TOPICS = rules_file("topics.toml")


def read_topic_file(path: Path | None = None) -> dict[str, object]:
    """The topic list's tables, parsed; one clear error when the file cannot be read."""
    path = path or DEFAULT_TOPICS
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BriefError(
            f"cannot read the topic list {path} ({exc}): fix it or remove topics_file"
        ) from exc


def load_keywords(path: Path | None = None) -> dict[str, list[str]]:
    """The optional [keywords] table of the topic list; an empty dict when there is none."""
    path = path or DEFAULT_TOPICS
    table = read_topic_file(path).get("keywords", {})
    if not isinstance(table, dict):
        raise BriefError(f"{path}: [keywords] must map a topic key to a list of words")
    return {str(k): [str(w) for w in v] for k, v in table.items() if isinstance(v, list)}


def load_titles(topics: dict[str, str], path: Path | None = None) -> dict[str, str]:
    """Each topic's short heading: the optional [titles] table of the topic list, else the key
    in words ("foreign_troops": "Foreign troops"). The description is written for the model
    and is too long to head a section."""
    path = path or DEFAULT_TOPICS
    table = read_topic_file(path).get("titles", {})
    if not isinstance(table, dict):
        raise BriefError(f"{path}: [titles] must map a topic key to a short heading")
    return {key: str(table.get(key) or title_of_key(key)) for key in topics}


def title_of_key(key: str) -> str:
    """A topic key as words: "foreign_troops" reads "Foreign troops"."""
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def load_sideless(path: Path | None = None) -> frozenset[str]:
    """The topics of the optional [sides] table's `none` list: questions of how, not whether
    (how talks are held), on which "for" and "against" have no single reading. A position on
    one carries no stance, so two of them never make a shift."""
    path = path or DEFAULT_TOPICS
    table = read_topic_file(path).get("sides", {})
    keys = table.get("none", []) if isinstance(table, dict) else None
    if not isinstance(keys, list):
        raise BriefError(f"{path}: [sides] none must be a list of topic keys")
    return frozenset(str(k) for k in keys)


@functools.lru_cache(maxsize=256)
def _keyword_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a topic's keywords, each matched at the start of a word."""
    alternatives = "|".join(re.escape(w.replace("’", "'").casefold()) for w in words) or "(?!)"
    return re.compile(r"(?<!\w)(?:" + alternatives + ")")


def topics_mentioned(text: str, keywords: dict[str, list[str]]) -> list[str]:
    """The topics whose keywords occur in `text` (case and apostrophes folded, each keyword
    matched at the start of a word): what labelling and tracking both read."""
    folded = text.replace("’", "'").casefold()
    return [t for t, words in keywords.items() if _keyword_pattern(tuple(words)).search(folded)]
