"""Stance evidence read by the program from a statement's own words.

The embedded model leans to "supports" whatever it reads (measured in issue 10), so the words of
the content are read first: a lexicon of negative, positive and opening words and phrases
(`briefing/rules/stance.toml`, data, not code), with negation scope. `read_stance` decides only
when the evidence agrees; mixed or absent evidence returns no stance and the model decides.
The lexicon assumes what it reads is said about the statement's topic: the content span is the
speaker's own clause, not the whole sentence, which keeps that assumption mostly true.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefing.errors import BriefError
from briefing.models import Stance
from briefing.resources import rules_file

DEFAULT_LEXICON = rules_file("stance.toml")

GAP = "..."  # in a phrase: up to MAX_GAP words of anything
MAX_GAP = 6
NEGATION_REACH = 3  # a negator this many words before an entry turns it round

# A word, with an inner apostrophe (don't, Russia's); clause punctuation ends negation scope.
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[,;:.!?()\u2013\u2014]")
_SUFFIXES = ("", "s", "es", "d", "ed", "ing", "ly")


@dataclass(frozen=True)
class StanceLexicon:
    negative: tuple[tuple[str, ...], ...]
    positive: tuple[tuple[str, ...], ...]
    opening: tuple[tuple[str, ...], ...]
    negators: frozenset[str]
    alternatives: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class StanceEvidence:
    """What the content's words say: the decided stance (None: leave it to the model) and the
    entries that matched, as `+word`, `-word`, `?word` (an opening), `not+word` (negated)."""

    stance: Stance | None
    cues: tuple[str, ...]


@lru_cache(maxsize=8)
def load_lexicon(path: Path | None = None) -> StanceLexicon:
    path = path or DEFAULT_LEXICON
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BriefError(
            f"cannot read the stance lexicon {path} ({exc}): fix or restore it"
        ) from exc

    def entries(table: str) -> tuple[tuple[str, ...], ...]:
        section = data.get(table, {})
        listed = [*section.get("words", []), *section.get("phrases", [])]
        return tuple(tuple(_tokens(str(entry))) for entry in listed if _tokens(str(entry)))

    negators = data.get("negators", {}).get("words", [])
    return StanceLexicon(
        negative=entries("negative"),
        positive=entries("positive"),
        opening=entries("open"),
        negators=frozenset(str(w).casefold() for w in negators),
        alternatives=tuple(
            tuple(_tokens(str(p))) for p in data.get("alternatives", {}).get("phrases", [])
        ),
    )


def _tokens(text: str) -> list[str]:
    lowered = text.casefold().replace("\u2019", "'").replace("\u2018", "'")
    # "..." in a lexicon entry is one gap token, not three full stops.
    parts = lowered.split(GAP)
    out: list[str] = []
    for i, part in enumerate(parts):
        if i:
            out.append(GAP)
        out.extend(_TOKEN.findall(part))
    return out


def _word_matches(entry: str, word: str) -> bool:
    if word == entry:
        return True
    stems = [entry]
    if entry.endswith("e"):
        stems.append(entry[:-1])  # oppose -> opposing
    if entry.endswith("y"):
        stems.append(entry[:-1] + "i")  # worry -> worried
    return any(word.startswith(stem) and word[len(stem) :] in _SUFFIXES for stem in stems)


def _match_at(entry: tuple[str, ...], words: list[str], at: int) -> int | None:
    """The index after `entry` matched from words[at], or None."""
    i = at
    for k, part in enumerate(entry):
        if part == GAP:
            continue
        if k and entry[k - 1] == GAP:
            for j in range(i, min(i + MAX_GAP + 1, len(words))):
                if _word_matches(part, words[j]):
                    i = j + 1
                    break
            else:
                return None
            continue
        if i >= len(words) or not _word_matches(part, words[i]):
            return None
        i += 1
    return i


def _negated(words: list[str], at: int, negators: frozenset[str]) -> bool:
    for j in range(at - 1, max(-1, at - 1 - NEGATION_REACH), -1):
        word = words[j]
        if not word[0].isalnum():
            return False  # punctuation closes the scope
        if word in negators or word.endswith("n't"):
            return True
    return False


def read_stance(content: str, lexicon: StanceLexicon | None = None) -> StanceEvidence:
    """The stance the content's own words show, or None where they are silent or mixed."""
    lexicon = lexicon or load_lexicon()
    words = _tokens(content)
    cues: list[str] = []
    polarity: list[str] = []  # "+", "-", "?" per matched entry, after negation
    covered = _set_aside(words, lexicon.alternatives)
    # Openings first (they hold negators of their own: "not ruled out"), then negative, positive.
    for sign, table in (("?", lexicon.opening), ("-", lexicon.negative), ("+", lexicon.positive)):
        for at in range(len(words)):
            if at in covered:
                continue
            for entry in table:
                end = _match_at(entry, words, at)
                if end is None or covered.intersection(range(at, end)):
                    continue
                covered.update(range(at, end))
                own_negator = any(w in lexicon.negators or w.endswith("n't") for w in entry)
                negated = not own_negator and _negated(words, at, lexicon.negators)
                label = " ".join(entry)
                cues.append(("not" if negated else "") + sign + label)
                polarity.append(_turned(sign) if negated else sign)
                break
    return StanceEvidence(stance=_decide(polarity), cues=tuple(cues))


def _set_aside(words: list[str], alternatives: tuple[tuple[str, ...], ...]) -> set[int]:
    """The word positions of alternatives the speaker sets aside: from "rather than" to the next
    punctuation."""
    aside: set[int] = set()
    for at in range(len(words)):
        for entry in alternatives:
            if tuple(words[at : at + len(entry)]) == entry:
                end = at
                while end < len(words) and (end < at + len(entry) or words[end][0].isalnum()):
                    end += 1
                aside.update(range(at, end))
    return aside


def _turned(sign: str) -> str:
    # not supporting is opposing; not rejecting is leaving it open; not open is a refusal
    return {"+": "-", "-": "?", "?": "-"}[sign]


def _decide(polarity: list[str]) -> Stance | None:
    signs = set(polarity)
    if not signs:
        return None
    if signs == {"-"}:
        return "opposes"
    if signs == {"+"}:
        return "supports"
    if "?" in signs and "-" not in signs:
        return "conditional"  # an opening, possibly with welcoming words: open, on terms
    return None  # mixed: the model reads it in context
