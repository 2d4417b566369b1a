"""The topic list (`briefing/rules/topics.toml`, or the user's `topics_file`): its schema, and
the tables besides [topics] that the program reads.

[topics] is what the model chooses from (`briefing.extract.prompts.load_topics`); [titles] head
the briefing's sections; [propositions] phrase each topic for the labelling model; [sides] lists
the topics without sides; [keywords] are read by labelling and by tracking, which checks the
model's topic against them, so the file is read in the lower of the two stages. It is parsed
once (`briefing.rulefiles`), and a key of another table that names no topic is refused: a
misspelt `[keywords] foreign_troop` would otherwise turn that topic's keywords off.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from pydantic import Field

from briefing.config import did_you_mean
from briefing.errors import RulesError
from briefing.resources import rules_file
from briefing.rulefiles import RuleFile, read_rules

DEFAULT_TOPICS = rules_file("topics.toml")


class Sides(RuleFile):
    none: list[str] = Field(default_factory=list)  # topics on which a stance has no reading


class TopicFile(RuleFile):
    """topics.toml: every table but [topics] is optional and keyed by the topics' keys."""

    topics: dict[str, str] = Field(default_factory=dict)  # key = description, for the model
    titles: dict[str, str] = Field(default_factory=dict)
    propositions: dict[str, str] = Field(default_factory=dict)
    sides: Sides = Field(default_factory=Sides)
    keywords: dict[str, list[str]] = Field(default_factory=dict)


def topic_file(path: Path | None = None) -> TopicFile:
    """The topic list, checked; one clear error naming the file, table and key when it is not
    one."""
    path = path or DEFAULT_TOPICS
    data = read_rules(TopicFile, path, "the topic list")
    if not data.topics:
        raise RulesError(
            f'{path} has no [topics] table: add one line `key = "description"` per topic'
        )
    for table in ("titles", "propositions", "keywords"):
        _only_topics(path, f"[{table}]", getattr(data, table), data.topics)
    _only_topics(path, "[sides] none", data.sides.none, data.topics)
    return data


def _only_topics(path: Path, where: str, keys: Iterable[str], topics: dict[str, str]) -> None:
    for key in keys:
        if key not in topics:
            hint = did_you_mean(key, topics, "topics")
            raise RulesError(f"{path}: {where} {key!r} is not a topic of [topics]{hint}")


def load_keywords(path: Path | None = None) -> dict[str, list[str]]:
    """The optional [keywords] table of the topic list; an empty dict when there is none."""
    return {topic: list(words) for topic, words in topic_file(path).keywords.items()}


def load_titles(topics: dict[str, str], path: Path | None = None) -> dict[str, str]:
    """Each topic's short heading: the optional [titles] table of the topic list, else the key
    in words ("foreign_troops": "Foreign troops"). The description is written for the model
    and is too long to head a section."""
    table = topic_file(path).titles
    return {key: table.get(key) or title_of_key(key) for key in topics}


def title_of_key(key: str) -> str:
    """A topic key as words: "foreign_troops" reads "Foreign troops"."""
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def load_sideless(path: Path | None = None) -> frozenset[str]:
    """The topics of the optional [sides] table's `none` list: questions of how, not whether
    (how talks are held), on which "for" and "against" have no single reading. A position on
    one carries no stance, so two of them never make a shift."""
    return frozenset(topic_file(path).sides.none)


def _names_one(folded: str, words: tuple[str, ...]) -> bool:
    """Whether one of `words` (folded) occurs in `folded` at the start of a word: where the
    character before it, if any, is no word character (a letter, a digit or "_", as `\\w`)."""
    for word in words:
        at = folded.find(word)
        while at != -1:
            if at == 0 or not (folded[at - 1].isalnum() or folded[at - 1] == "_"):
                return True
            at = folded.find(word, at + 1)
    return False


def topics_mentioned(text: str, keywords: dict[str, list[str]]) -> list[str]:
    """The topics whose keywords occur in `text` (case and apostrophes folded, each keyword
    matched at the start of a word): what labelling and tracking both read."""
    table = _table(keywords)
    with _LOCK:
        found = table.found.get(text)
    if found is None:
        folded = text.replace("’", "'").casefold()
        found = tuple(t for t, words in table.words if _names_one(folded, words))
        with _LOCK:
            if len(table.found) >= 1024:
                del table.found[next(iter(table.found))]
            table.found[text] = found
    return list(found)


class _Table:
    """A [keywords] table as matched: each topic's words folded, and what the last texts matched.
    Labelling reads a candidate's content and sentence several times over (to decide, to
    narrow the model's choice, to check its answer) and tracking again, 200 times an article:
    the table is made once per keywords dict, not at each call."""

    def __init__(self, keywords: dict[str, list[str]]) -> None:
        self.keywords = keywords
        # What the dict held, its lists copied, to tell when it changes (`_table`).
        self.items = [(t, w.copy() if isinstance(w, list) else w) for t, w in keywords.items()]
        self.words = [
            (t, tuple(w.replace("’", "'").casefold() for w in ws)) for t, ws in self.items
        ]
        self.found: dict[str, tuple[str, ...]] = {}


_TABLES: dict[int, _Table] = {}
_LOCK = threading.Lock()


def _table(keywords: dict[str, list[str]]) -> _Table:
    """The table made from this very dict, if it holds what it held then (in the same order),
    else a new one."""
    with _LOCK:
        table = _TABLES.get(id(keywords))
    if table is None or table.keywords is not keywords or list(keywords.items()) != table.items:
        table = _Table(keywords)
        with _LOCK:
            if len(_TABLES) >= 16:
                del _TABLES[next(iter(_TABLES))]
            _TABLES[id(keywords)] = table
    return table


def keyword_choices(
    content: str, sentence: str, mode: str, keywords: dict[str, list[str]]
) -> list[str] | None:
    """The topics the model may choose from when the keywords of several occur (in the content,
    or, with `mode` "context" and none in the content, in its sentence): words of the statement
    narrow the choice, the model decides among them. None: every topic is open."""
    if mode == "none":
        return None
    matched = topics_mentioned(content, keywords)
    if not matched and mode == "context":
        matched = topics_mentioned(sentence, keywords)
    return matched if len(matched) > 1 else None


def keyword_topic(
    content: str, sentence: str, mode: str, keywords: dict[str, list[str]]
) -> str | None:
    """The one topic whose keywords occur in the content (or, with `mode` "context", failing
    that, in its sentence); None when none or several do."""
    if mode == "none":
        return None
    matched = topics_mentioned(content, keywords)
    if len(matched) != 1 and mode == "context":
        matched = topics_mentioned(sentence, keywords)
    return matched[0] if len(matched) == 1 else None
