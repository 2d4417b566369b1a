"""A person's grammatical gender, so that "she" is never resolved to a man nor "he" to a woman.

Read from the article first: a title before the surname ("Mr. Trump", "Mrs. Clinton") or a
gendered role word before the name ("spokeswoman Hope Hicks"); else from a common given name
(`[gender]` of `words.toml`). Unknown is the answer whenever the signs disagree or are absent,
and an unknown person fits any pronoun: the rule only ever removes a wrong candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from briefing.find.wordfiles import words_file

Gender = Literal["f", "m"]
_NAME = r"([A-Z][\w'’-]+)"


@dataclass(frozen=True)
class GenderWords:
    pronouns: dict[str, Gender]
    titles: re.Pattern[str]  # a title, then a name; group 1 the title, group 2 the surname
    roles: re.Pattern[str]  # a role word, then up to three capitalised words
    title_gender: dict[str, Gender]
    role_gender: dict[str, Gender]
    given: dict[str, Gender]


@lru_cache(maxsize=1)
def gender_words() -> GenderWords:
    data = words_file().gender

    def table(f: list[str], m: list[str]) -> dict[str, Gender]:
        out: dict[str, Gender] = {w: "f" for w in f}
        out.update({w: "m" for w in m})
        return out

    titles = table(data.feminine_titles, data.masculine_titles)
    roles = table(data.feminine_roles, data.masculine_roles)
    title_words = "|".join(re.escape(t) for t in titles)
    role_words = "|".join(re.escape(r) for r in sorted(roles, key=len, reverse=True))
    return GenderWords(
        pronouns=table(data.feminine_pronouns, data.masculine_pronouns),
        titles=re.compile(rf"\b({title_words})\.?\s+(?:[A-Z]\.\s+)?{_NAME}", re.IGNORECASE),
        roles=re.compile(rf"\b({role_words})\s+((?:[A-Z][\w.'’-]*\s+){{0,2}}[A-Z][\w'’-]+)"),
        title_gender=titles,
        role_gender=roles,
        given=table(data.feminine_names, data.masculine_names),
    )


@lru_cache(maxsize=8)
def surname_genders(text: str) -> dict[str, Gender | None]:
    """Surname (lower case) -> the gender the article's titles and role words give it; None
    where they disagree ("Mr. Clinton" and "Mrs. Clinton")."""
    words = gender_words()
    seen: dict[str, set[Gender]] = {}
    for found in words.titles.finditer(text):
        if found.group(2)[0].isupper():
            title = found.group(1).casefold()
            seen.setdefault(found.group(2).casefold(), set()).add(words.title_gender[title])
    for found in words.roles.finditer(text):
        surname = found.group(2).split()[-1].casefold()
        seen.setdefault(surname, set()).add(words.role_gender[found.group(1).casefold()])
    return {name: next(iter(g)) if len(g) == 1 else None for name, g in seen.items()}


def gender_of(name: str, text: str) -> Gender | None:
    """The gender of the person `name` (as the finder writes it) in this article, or None."""
    parts = re.findall(r"[\w'’-]+", name)
    if not parts:
        return None
    words = gender_words()
    if len(parts) > 1 and parts[0].casefold() in words.given:
        return words.given[parts[0].casefold()]
    return surname_genders(text).get(parts[-1].casefold())


def pronoun_gender(word: str) -> Gender | None:
    return gender_words().pronouns.get(word.casefold())
