"""Who speaks, as a briefing may show it: whether the article names a speaker, and whether it
gives them a role beside the name. A briefing shows only roles the article gives the speaker
(or an analyst wrote), never a guess.
"""

from __future__ import annotations

import functools

from briefing.models import Position
from briefing.text.names import name_in_text, name_words, speaker_key, text_words


def speaker_in_text(speaker: str, text: str) -> bool:
    """Whether the article names the speaker as the model wrote it (`names.name_in_text`): a
    first name the model made up ("Vladimir Peskov") is not found."""
    return name_in_text(speaker, text)


_ROLE_FILLER = {"the", "of", "and", "for", "in", "on", "to", "a", "an", "at", "s"}
_ROLE_REACH = 6  # words either side of the speaker's name


def role_in_text(role: str, speaker: str, text: str) -> bool:
    """Whether the article gives the speaker this role: every word of it ("Kremlin
    spokesperson"; a plural or possessive counts) is within a few words of the speaker's name
    ("Kremlin spokesman Dmitry Peskov", "Peskov, the Kremlin's spokesman, said"). A briefing
    shows only such roles, never a small model's guess ("Peskov, foreign minister") or the
    title of someone named in the same sentence."""
    wanted = [w for w in name_words(role) if len(w) > 2 and w not in _ROLE_FILLER]
    key = speaker_key(speaker).split()
    if not wanted or not key:
        return False
    found, where = text_words(text), _word_places(text)
    near: set[str] = set()
    for at in where.get(key[-1], ()):
        # the speaker's whole key ("health minister") ends here
        if list(found[at + 1 - len(key) : at + 1]) == key:
            near.update(found[max(0, at - _ROLE_REACH) : at + _ROLE_REACH + 1])
    return all(w in near or w + "s" in near or w.removesuffix("s") in near for w in wanted)


@functools.lru_cache(maxsize=64)
def _word_places(text: str) -> dict[str, list[int]]:
    """Where each of an article's `text_words` is (its positions are checked one after
    another: read it once)."""
    places: dict[str, list[int]] = {}
    for at, word in enumerate(text_words(text)):
        places.setdefault(word, []).append(at)
    return places


def checked_role(position: Position, text: str) -> Position:
    """The position as a briefing shows it: its role kept when the article gives it to the
    speaker or an analyst wrote it, else left out (still stored, and shown for review)."""
    if not position.role or "role" in position.edited:
        return position
    if role_in_text(position.role, position.speaker, text):
        return position
    return position.model_copy(update={"role": ""})
