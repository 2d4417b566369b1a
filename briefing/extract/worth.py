"""Which of the finder's attributions can be an actor's position, before the model is asked.

The finder reports every attribution, as PolNeAR annotators do; a briefing shows what actors
hold. Some attributions are no one's position, and the model, asked, calls nearly every
attributed statement one. So the program sets them aside by their structure
(`briefing/rules/positions.toml`, data, not code) and never sends them:

* the writer's reading of a thing: an evidential verb whose subject is no one ("The statement
  suggests that ...", "Peskov's remarks underscore ...": the head is "remarks", not Peskov);
* a thing that speaks with no actor behind it ("a draft document proposing ...", "amid reports
  that ..."): the model must not guess who;
* a topic, not a view: "discussed the progress of the talks", "commented on reports that ...".

Every rule reads only the source's head word, the cue's lemma and the content's first word, so
it holds in any English news article.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefing.errors import BriefError
from briefing.find import Candidate
from briefing.find.extent import infinitive
from briefing.find.lexicon import inflect, lexicon
from briefing.find.speakers import GENERIC, START_WORDS
from briefing.find.tokens import tokenize
from briefing.resources import rules_file

DEFAULT_RULES = rules_file("positions.toml")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
# A source's head phrase ends where a complement or an apposition starts.
_COMPLEMENT = frozenset("of from by with in at for on about to that who which".split())


_QUANTIFIERS = frozenset(
    "one some many several most all none each either neither few both two three four five half".split()
)
_AUXILIARY = re.compile(
    r"^(?:do|does|did|is|are|was|were|has|have|had|will|would|can|could)(?:n['’]t)?$|.*n['’]t$"
)


@dataclass(frozen=True)
class WorthRules:
    evidential: frozenset[str]  # every form of the evidential verbs
    things: frozenset[str]
    actors: frozenset[str]  # lower-case head words that name someone: roles, groups, people
    topic_only: frozenset[str]  # every form of the topic verbs
    prepositions: frozenset[str]


@lru_cache(maxsize=4)
def load_rules(path: Path = DEFAULT_RULES) -> WorthRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        verbs = data["evidential"]["verbs"]
        topic = data["topic_only"]
        return WorthRules(
            evidential=frozenset(f for v in verbs for f in inflect(v)),
            things=frozenset(data["things"]["words"]),
            actors=_actor_words(frozenset(data["people"]["words"])),
            topic_only=frozenset(f for v in topic["verbs"] for f in inflect(v)),
            prepositions=frozenset(topic["prepositions"]),
        )
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise BriefError(f"cannot read the position rules {path}: {exc}") from None


def _actor_words(people: frozenset[str]) -> frozenset[str]:
    """The finder's roles, institutions, groups and personal pronouns, and the people nouns."""
    lex = lexicon()
    return (
        lex.roles | lex.institutions | lex.person_pronouns | lex.group_pronouns | GENERIC | people
    )


def source_head(source: str) -> str:
    """The head word of a source phrase: the last word before a complement or an apposition,
    and after a possessive ("the Kremlin's remarks on X" -> "remarks"; "Russia's Defense
    Ministry" -> "Ministry"); the possessor itself when nothing follows it."""
    words = _WORD.findall(source.split(",")[0])
    head: list[str] = []
    for word in words:
        low = word.casefold()
        if head and low == "of" and len(head) == 1 and head[0].casefold() in _QUANTIFIERS:
            head = []  # "one of the advisers": the advisers
            continue
        if head and low in _COMPLEMENT:
            break
        head.append(word)
    while len(head) > 1 and _AUXILIARY.match(head[-1].casefold()):
        head.pop()  # "He didn't", "Trump has"
    for i in range(len(head) - 1, -1, -1):
        if _POSSESSIVE.search(head[i]) and i + 1 < len(head):
            head = head[i + 1 :]
            break
    return _POSSESSIVE.sub("", head[-1]) if head else ""


def is_actor_word(word: str, rules: WorthRules) -> bool:
    """Whether a source's head word can name someone: a capitalised word (a name, an
    institution), a role, a group of people, an institution noun or a personal pronoun."""
    if not word:
        return False
    lower = word.casefold()
    if lower in rules.things:
        return False
    if word[0].isupper():
        return True
    # "officers", "witnesses": the plural of a role or a people noun is people too
    return bool(_singulars(lower) & rules.actors)


def _singulars(word: str) -> set[str]:
    """A noun and the singulars it may be the plural of ("countries" -> "country")."""
    if not word.endswith("s"):
        return {word}
    return {word, word[:-1], word[:-2], word[:-3] + "y"}


def is_thing_word(word: str, rules: WorthRules) -> bool:
    """Whether a source's head names a thing that carries words (a statement, a report, a
    letter) or is no noun at all ("amid" in "amid reports that ..."): never an actor."""
    lower = word.casefold()
    return not word or lower in START_WORDS or bool(_singulars(lower) & rules.things)


def _first_word(text: str, span: tuple[int, int] | None) -> str:
    if span is None:
        return ""
    found = _WORD.search(text[span[0] : span[1]])
    return found.group(0).casefold() if found else ""


def _infinitive(text: str, span: tuple[int, int]) -> bool:
    """Whether the content is an infinitive ("to lift the regulations": what was promised),
    not a prepositional phrase ("to questions about ...": what was answered)."""
    tokens = tokenize(text, span[0], span[1], [])
    return bool(tokens) and infinitive(tokens, 0, len(tokens))


def not_a_position(text: str, candidate: Candidate, rules: WorthRules | None = None) -> str | None:
    """Why a candidate cannot be an actor's position, or None when it can."""
    rules = rules or load_rules()
    if candidate.kind != "reported":
        return None  # a quotation is someone's words; who says them is the finder's business
    cue = _first_word(text, candidate.cue)
    content = _first_word(text, candidate.content[0] if candidate.content else None)
    if content in rules.prepositions and not _infinitive(text, candidate.content[0]):
        return "names what was talked about, not what was said"
    if cue in rules.topic_only:
        return "reports a subject of talks, not a view"
    if candidate.resolution == "pronoun" or candidate.source is None:
        return None
    head = source_head(text[candidate.source[0] : candidate.source[1]])
    if is_actor_word(head, rules):
        return None
    if cue in rules.evidential:
        return "the writer's reading of what a thing shows, not anyone's statement"
    if candidate.resolution == "unresolved" and is_thing_word(head, rules):
        return "a thing speaks, with no actor the article names behind it"
    return None
