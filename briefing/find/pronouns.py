"""Pronouns as sources: "he", "she", "they", "it" point back to an actor the article named.

The nearest earlier speaker of a compatible kind, else the nearest earlier named actor of that
kind; a person introduced after the last speaker's paragraph takes "he said" (`_newcomer`); "it"
after a source that names no one ("the report says. It also points out ...") is that source's,
so no one's. Split from `briefing.find.resolve`, which calls `pronoun` in its order of rules.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from briefing.find.gender import gender_of, pronoun_gender
from briefing.find.lexicon import lexicon
from briefing.find.speakers import Mention, Registry, Speaker


def pronoun(word: str, at: int, registry: Registry, history: list[Speaker]) -> Speaker:
    """He, she, they, it: the nearest earlier speaker of a compatible kind, else the nearest
    earlier named actor of that kind (a quoted name is someone spoken about, not a speaker)."""
    lex = lexicon()
    if word in lex.person_pronouns:
        kinds: set[str] = {"person"}
    elif word in lex.group_pronouns:
        kinds = {"institution", "group", "person"}
    else:
        kinds = {"institution", "group"}
    wanted = pronoun_gender(word)
    if word in lex.thing_pronouns and _after_a_nameless_thing(at, history):
        return Speaker(None, "unresolved", None, at)

    def fits(name: str, kind: str | None) -> bool:
        """ "She" is never a man, nor "he" a woman; a person of unknown gender fits either."""
        if wanted is None or kind != "person":
            return True
        return gender_of(name, registry.text) in (None, wanted)

    recent = [
        s
        for s in history
        if s.name and s.kind in kinds and s.at < at and at - s.at < 900 and fits(s.name, s.kind)
    ]
    if word in lex.group_pronouns:
        plural = [s for s in recent if s.kind != "person"]
        recent = plural or []
    if recent and word in lex.person_pronouns:
        newcomer = _newcomer(recent, at, registry, lambda m: fits(m.name, m.kind))
        if newcomer is not None:
            return Speaker(newcomer, "pronoun", "person", at)
    if recent:
        return Speaker(recent[-1].name, "pronoun", recent[-1].kind, at)
    mention = registry.nearest(kinds - {"group"}, at, lambda m: fits(m.name, m.kind))
    if mention is not None:
        return Speaker(mention.name, "pronoun", mention.kind, at)
    return Speaker(None, "unresolved", None, at)


def _after_a_nameless_thing(at: int, history: list[Speaker]) -> bool:
    """Whether "it" follows a source nobody is named for, with no speaker between: "..., the
    report says. It also points out that ..." is the report's, not the institution its
    quotation mentions. (A source that names no one and is no group, "the report", "a study",
    reads as a thing: "it" never stands for a person.)"""
    before = [s for s in history if s.at < at]
    if not before:
        return False
    last = max(before, key=lambda s: s.at)
    return last.name is None and at - last.at < 900


def _newcomer(
    history: list[Speaker], at: int, registry: Registry, fits: Callable[[Mention], bool]
) -> str | None:
    """A person introduced after the last speaker's paragraph, before "he said": "... which
    concerns Henry Crespo, president of the caucus. 'No one is writing songs ...,' he said"
    is Crespo's, not the speaker of the paragraph before. Only the first mention of a full
    name with its role after a comma (a new person brought in to speak), with a paragraph
    break between it and the last speaker's source; the last such one before the pronoun."""
    last = history[-1]
    for mention in reversed(registry.mentions):
        if not last.at < mention.start < at or mention.kind != "person" or mention.quoted:
            continue
        if "\n" in registry.text[last.at : mention.start] and fits(mention):
            person = _introduced(mention, registry)
            if _opening_word(registry, mention.start) in _SUBJECT_PRONOUNS:
                # "He later met Keir Starmer, the prime minister": someone the last speaker
                # met or named, not a new voice; "he said" is still the last speaker's
                return None
            if person is not None and person != last.name:
                again = _named_again(person, mention.end, at, registry, history)
                return None if again else person
    return None


_SUBJECT_PRONOUNS = frozenset({"he", "she", "they"})


def _opening_word(registry: Registry, at: int) -> str:
    """The first word of the sentence holding the offset `at` ("" before the first)."""
    k = bisect.bisect_right(registry.sentences, (at, "\uffff")) - 1
    return registry.sentences[k][1] if k >= 0 else ""


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _named_again(
    newcomer: str, start: int, at: int, registry: Registry, history: list[Speaker]
) -> bool:
    """Whether an earlier speaker is named after the newcomer, outside quotation marks, before
    the pronoun ("Preceded by Joe Arpaio, the sheriff, Trump launched into ... 'We will build
    ...,' he said": Trump's)."""
    between = _QUOTED.sub(" ", registry.text[start:at])
    words = set(re.findall(r"[^\W\d_][\w'’-]*", between))
    others = {s.name.split()[-1] for s in history if s.name and s.kind == "person"}
    return bool((others - set(newcomer.split())) & words)


def _introduced(mention: Mention, registry: Registry) -> str | None:
    """The person's name when this is their first mention, a full name with a role after a
    comma ("Henry Crespo, president of ...")."""
    person = registry.person(mention.head)
    if person is None or len(person.name.split()) < 2:
        return None
    first = next(
        (m for m in registry.mentions if m.kind == "person" and registry.person(m.head) == person),
        None,
    )
    if first is None or first.start != mention.start:
        return None
    after = registry.text[mention.end : mention.end + 60]
    if not after.startswith(","):
        return None
    words = [w.strip(".,;:").lower() for w in after[1:].split()[:4]]
    return person.name if set(words) & lexicon().roles else None
