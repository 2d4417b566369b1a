"""Resolving a source span to an actor: names, institutions, role nouns and pronouns.

This module owns the order of the resolution rules (see `briefing.find.speakers` for the
registry of what the article names): a name resolves to the fullest form of it, an institution
to its fullest mention, a role noun ("the Kremlin spokesman", "the ministry") to the actor the
article last named with that role or head, a pronoun to the nearest earlier speaker (or named
actor) of a compatible kind. Anything else ("sources", "officials") stays unresolved.
"""

from __future__ import annotations

from briefing.find.lexicon import lexicon
from briefing.find.speakers import GENERIC, START_WORDS, Kind, Registry, Speaker, bare_name
from briefing.find.tokens import Token


def _pronoun(word: str, at: int, registry: Registry, history: list[Speaker]) -> Speaker:
    """He, she, they, it: the nearest earlier speaker of a compatible kind, else the nearest
    earlier named actor of that kind (a quoted name is someone spoken about, not a speaker)."""
    lex = lexicon()
    if word in lex.person_pronouns:
        kinds: set[str] = {"person"}
    elif word in lex.group_pronouns:
        kinds = {"institution", "group", "person"}
    else:
        kinds = {"institution", "group"}
    recent = [s for s in history if s.name and s.kind in kinds and s.at < at and at - s.at < 900]
    if word in lex.group_pronouns:
        plural = [s for s in recent if s.kind != "person"]
        recent = plural or []
    if recent:
        return Speaker(recent[-1].name, "pronoun", recent[-1].kind, at)
    mention = registry.nearest(kinds - {"group"}, at)
    if mention is not None:
        return Speaker(mention.name, "pronoun", mention.kind, at)
    return Speaker(None, "unresolved", None, at)


def _named(words: list[Token], at: int, registry: Registry) -> Speaker | None:
    """A source that names its actor: a person's name or an institution's."""
    lex = lexicon()
    last = words[-1]
    if last.bare in lex.roles:
        return None  # "the Kremlin spokesman", "Russian President": a role, see `_role`
    capitalised = [t for t in words if t.capitalised and t.bare not in START_WORDS]
    if not capitalised:
        return None
    if last.capitalised and last.bare not in lex.institutions:
        person = registry.person(last.bare)
        if person is not None:
            return Speaker(person.name, "name", "person", at)
    heads = [t for t in words if t.bare in lex.institutions]
    if heads:
        head = heads[-1]
        named = {t.bare for t in capitalised if t.start <= head.start} - {head.bare}
        found = registry.institution(head.bare, named, at) if head.capitalised else None
        if found is not None:
            return Speaker(found.name, "institution", "institution", at)
        # "A Bloomberg poll", "the Kremlin press service": named by its capitalised modifier.
        name = bare_name(registry.text[capitalised[0].start : last.end])
        return Speaker(name, "institution", "institution", at)
    if not last.capitalised:
        return None
    name = bare_name(registry.text[capitalised[0].start : last.end])
    if len(capitalised) == 1:
        # One capitalised word the article never gives as part of a person's name: a country,
        # a city or an organisation ("Moscow said", "Bloomberg reports").
        return Speaker(name, "institution", "institution", at)
    return Speaker(name, "name", "person", at)


def _role(words: list[Token], at: int, registry: Registry) -> Speaker | None:
    """ "the Kremlin spokesman" -> the person with that role; "the ministry" -> the last one."""
    lex = lexicon()
    head = words[-1].bare
    modifiers = {t.bare for t in words[:-1] if t.bare not in START_WORDS and t.is_word}
    if head in lex.institutions:
        found = registry.institution(head, set(), at)
        if found is not None:
            return Speaker(found.name, "role", "institution", at)
        return None
    if head in lex.roles and head not in GENERIC:
        person = registry.with_role(head, modifiers & _role_words(registry), at)
        if person is None and modifiers:
            person = registry.with_role(head, set(), at)
        if person is not None:
            return Speaker(person.name, "role", "person", at)
    return None


def _role_words(registry: Registry) -> set[str]:
    return {w for m in registry.mentions for w in m.role.split()}


def _outside_brackets(tokens: list[Token]) -> list[Token]:
    """The words of a source outside brackets: "Mike Pence (R-IN)" -> Mike Pence."""
    words: list[Token] = []
    depth = 0
    for token in tokens:
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and token.is_word:
            words.append(token)
    return words


def _parts(tokens: list[Token]) -> list[list[Token]]:
    """A source split at its commas (outside brackets)."""
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token.text == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if any(t.is_word for t in p)]


def resolve(words: list[Token], registry: Registry, history: list[Speaker]) -> Speaker:
    """The actor a source span names (see the module docstring for the order of the rules)."""
    lex = lexicon()
    parts = _parts(words)
    if len(parts) > 1:
        # "Trump, speaking to veterans," / "A lawyer for the outlets, David Schulz": the part
        # that names someone decides.
        found = [resolve(part, registry, history) for part in parts]
        return next((f for f in found if f.resolution == "name"), found[0])
    words = _outside_brackets(words)
    if not words:
        return Speaker(None, "unresolved")
    at = words[0].start
    if (
        len(words) == 1
        and words[0].lower in lex.person_pronouns | lex.group_pronouns | lex.thing_pronouns
    ):
        return _pronoun(words[0].lower, at, registry, history)
    if words[-1].bare in GENERIC:
        return Speaker(None, "unresolved", "group", at)
    named = _named(words, at, registry)
    if named is not None:
        return named
    role = _role(words, at, registry)
    if role is not None:
        return role
    kind: Kind = "group" if words[-1].lower.endswith("s") else "person"
    return Speaker(None, "unresolved", kind, at)
