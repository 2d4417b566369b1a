"""Resolving a source span to an actor: names, institutions, role nouns and pronouns.

This module owns the order of the resolution rules (see `briefing.find.speakers` for the
registry of what the article names): a name resolves to the fullest form of it, an institution
to its fullest mention, a role noun ("the Kremlin spokesman", "the ministry") to the actor the
article last named with that role or head, a pronoun to the nearest earlier speaker (or named
actor) of a compatible kind. Anything else ("sources", "officials") stays unresolved.

A place is never a speaker: a source is resolved on the words before a phrase that says where
its head is ("officials in Kyiv", "Dan McLaughlin at the National Review", "a voter from Des
Moines"); a role of a place is the person named with a role of those words ("the mayor of
Cleveland" after "Cleveland Mayor Frank Jackson") or no one, a role of an institution speaks for
it ("the head of the union"). Where the finder cannot tell, the speaker stays None (the model
chooses), rather than a guess: "his lawyer", "the foreign minister" after "Prime Minister X".
"""

from __future__ import annotations

from briefing.find.lexicon import Lexicon, grammar, lexicon
from briefing.find.pronouns import pronoun
from briefing.find.speakers import (
    GENERIC,
    START_WORDS,
    TITLES,
    Kind,
    Registry,
    Speaker,
    bare_name,
)
from briefing.find.tokens import Token


def _named(
    words: list[Token], at: int, registry: Registry, speakers: tuple[str, ...] = ()
) -> Speaker | None:
    """A source that names its actor: a person's name or an institution's."""
    lex = lexicon()
    last = words[-1]
    before = words[-2] if len(words) > 1 else None
    titled = (
        before is not None
        and last.capitalised
        and (before.bare in TITLES or (len(before.text) == 1 and before.capitalised))
    )  # "Mr. King", "Peter T. King": a name that is also a role word
    if last.bare in lex.roles and not titled:
        return None  # "the Kremlin spokesman", "Russian President": a role, see `_role`
    capitalised = [
        t
        for t in words
        if t.capitalised and t.bare not in START_WORDS and t.start not in registry.openers
    ]
    if not capitalised:
        return None  # "Rather than ...", "Health worries ...": a sentence's first word
    if last.capitalised and last.bare not in lex.institutions:
        given = frozenset(t.bare.lower() for t in capitalised if t is not last)
        person = registry.person(last.bare, given, at, speakers)
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
    if words[0].lower in grammar().possessives:
        return None  # "his lawyer": someone's, whoever he is
    if head in lex.roles and head not in GENERIC:
        required = modifiers & _role_words(registry)
        person = registry.with_role(head, required, at)
        if person is None and modifiers:
            person = registry.with_role(head, set(), at)
        if person is not None and not required and _other_role(head, modifiers, registry, at):
            person = None  # "the foreign minister" after "Australian Prime Minister X"
        if person is not None:
            return Speaker(person.name, "role", "person", at)
    return None


def _other_role(head: str, modifiers: set[str], registry: Registry, at: int) -> bool:
    """Whether the person last named with a role of this head holds another role of that head:
    "the foreign minister" is not the "Australian Prime Minister" named before, nor "the
    president" the "Vice President" (roles of several words are phrases of the lexicon)."""
    found = [
        m
        for m in registry.mentions
        if m.kind == "person" and m.role and m.role.split()[-1] == head and m.start < at
    ]
    if not found:
        return False
    role = found[-1].role
    phrase = next((p for p in lexicon().role_phrases if role == p or role.endswith(" " + p)), "")
    extra = set(phrase.split()[:-1])
    return bool(extra) and not extra <= modifiers


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


def _bare_name(tokens: list[Token], lex: Lexicon) -> bool:
    """Whether an appositive is a name alone ("David Schulz"), not a description of something
    ("a division of Immigration and Customs Enforcement")."""
    words, _ = _head_part([t for t in tokens if t.is_word and t.lower not in START_WORDS], lex)
    return bool(words) and all(t.capitalised for t in words)


def _parts(tokens: list[Token]) -> list[list[Token]]:
    """A source split at its commas and dashes ("Jason Sims -- a teacher from Ohio --")."""
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token.text in (",", "—", "–", "-"):
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if any(t.is_word for t in p)]


# Prepositions that attach a place or an organisation to the person who speaks ("officials in
# Kyiv", "Dan McLaughlin at the National Review", "a voter from Des Moines").
_LOCATIVES = frozenset(["in", "at", "from", "near", "on", "outside", "inside", "across"])


def _head_part(words: list[Token], lex: Lexicon) -> tuple[list[Token], list[Token]]:
    """A source split before the phrase that says where or whose its head is: "officials in
    Kyiv" -> officials, "the mayor of Cleveland" -> the mayor + Cleveland, "Tim Kaine of
    Virginia" -> Tim Kaine, "a voter from Des Moines" -> a voter; not "Secretary of State John
    Kerry" (a title), "the Bank of America" or "an ad from the Trump campaign" (a thing from its
    maker). The second part is kept only after a role ("of"/"from"): whose role it is."""
    for k, token in enumerate(words[1:-1], start=1):
        low = token.lower
        if low == "for" and _name_run(words[:k]):
            return words[:k], []  # "Cameron Easley for Morning Consult": the writer
        if low not in _LOCATIVES and low != "of" or _proportion(words, k):
            continue
        before, head, after = words[:k], words[k - 1], words[k + 1 :]
        if head.bare in lex.institutions and low in ("of", "from"):
            return words, []  # "the Bank of America", "the U.S. Department of Justice"
        titled = head.capitalised and len(after) > 1 and all(t.capitalised for t in after)
        if head.bare in lex.roles and titled and low == "of":
            return words, []  # "Secretary of State John Kerry", "RNC Chief of Staff Katie Walsh"
        if _name_run(before) and head.bare not in lex.institutions:
            return before, []
        if low in _LOCATIVES and low != "from":
            return before, []
        if head.bare not in lex.roles:
            # "an ad from the Trump campaign": a thing from its maker; "Secretary of State
            # John Kerry": a title before the name
            return words, []
        return before, after
    return words, []


def _role_of(words: list[Token], whose: list[Token], registry: Registry) -> Speaker:
    """A role with its holder's institution or place: "the head of the Service Employees
    International Union" speaks for the union; "the mayor of Cleveland" is the person named
    with a role of those words ("Cleveland Mayor Frank Jackson"), else unresolved."""
    lex = lexicon()
    at = words[0].start
    if any(t.bare in lex.institutions and t.capitalised for t in whose):
        return resolve(whose, registry, [])
    required = {t.bare for t in whose if t.capitalised and t.bare not in START_WORDS}
    person = registry.with_role(words[-1].bare, required, at) if required else None
    if person is None:
        return Speaker(None, "unresolved", "person", at)
    return Speaker(person.name, "role", "person", at)


_NUMBERS = frozenset("one two three four five six seven eight nine ten".split())


def _proportion(words: list[Token], k: int) -> bool:
    """ "Nine in 10 voters", "One in three": a share, not a place."""
    after = words[k + 1]
    return words[k].lower == "in" and (after.lower in _NUMBERS or after.text.isdigit())


def _name_run(words: list[Token]) -> bool:
    """Whether the words end in a name of two capitalised words or more ("Sen. Tim Kaine")."""
    run = 0
    for token in reversed(words):
        if not token.capitalised or token.lower in START_WORDS:
            break
        run += 1
    return run >= 2


def resolve(words: list[Token], registry: Registry, history: list[Speaker]) -> Speaker:
    """The actor a source span names (see the module docstring for the order of the rules)."""
    lex = lexicon()
    parts = _parts(words)
    if len(parts) > 1:
        # "Trump, speaking to veterans," / "A lawyer for the outlets, David Schulz": the part
        # that names someone decides.
        found = [resolve(part, registry, history) for part in parts]
        names = [
            f
            for f, part in zip(found, parts)
            if f.resolution == "name" and (f is found[0] or _bare_name(part, lex))
        ]
        return names[0] if names else found[0]
    words, whose = _head_part(_outside_brackets(words), lex)
    if not words:
        return Speaker(None, "unresolved")
    if whose:
        return _role_of(words, whose, registry)
    at = words[0].start
    if (
        len(words) == 1
        and words[0].lower in lex.person_pronouns | lex.group_pronouns | lex.thing_pronouns
    ):
        return pronoun(words[0].lower, at, registry, history)
    if all(t.lower in lex.adverbial_words or t.lower in START_WORDS for t in words):
        return Speaker(None, "unresolved", None, at)  # "In January": a date
    if words[-1].bare in GENERIC:
        return Speaker(None, "unresolved", "group", at)
    named = _named(words, at, registry, tuple(s.name for s in history if s.name))
    if named is not None:
        return named
    role = _role(words, at, registry)
    if role is not None:
        return role
    subject = _person_before_verb(words, at, registry, history)
    if subject is not None:
        return subject
    kind: Kind = "group" if words[-1].lower.endswith("s") else "person"
    return Speaker(None, "unresolved", kind, at)


def _person_before_verb(
    words: list[Token], at: int, registry: Registry, history: list[Speaker]
) -> Speaker | None:
    """'Trump also struck', 'President Obama spent', 'Donald Trump began': a source span that
    ran past its subject into the verb. The capitalised run that opens it is the speaker when
    it names a person of the article, holds no possessive ('Mrs. Clinton's tax proposals') and
    the next word is a verb in the past or an adverb; a noun after it ('Sanders protesters',
    'Clinton allies') keeps the span unresolved."""
    run = 0
    while run < len(words) and (words[run].capitalised or words[run].text == "."):
        run += 1
    if run == 0 or run >= len(words) or any(t.bare != t.lower for t in words[:run]):
        return None
    after = words[run]
    lex = lexicon()
    adverb = after.manner_adverb or after.lower in lex.adverbial_words
    past = after.lower.endswith("ed") or after.lower in grammar().irregular_past
    if not (adverb or past):
        return None
    named = _named(words[:run], at, registry, tuple(s.name for s in history if s.name))
    return named if named is not None and named.kind == "person" else None
