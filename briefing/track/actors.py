"""Actors: who a speaker is, from the alias files.

A speaker as the text names it ("Kremlin spokesperson Dmitry Peskov", "Peskov", "the Kremlin
spokesman") resolves to one actor, after spelling variants (Kiev/Kyiv) are written one way; a
speaker no alias file names is an actor of its own, keyed by `briefing.text.names`. The alias
files are data: `briefing/rules/actors.toml` (or `actors_file` in config.toml), with
`BRIEF_HOME/actors.toml` read on top of it, which is where merges made in review go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field

from briefing.config import Settings
from briefing.errors import BriefError, RulesError
from briefing.resources import rules_file
from briefing.rulefiles import RuleFile, read_rules
from briefing.text.names import name_in_text, normalise_name, speaker_key

DEFAULT_ACTORS = rules_file("actors.toml")
USER_ACTORS = "actors.toml"  # in BRIEF_HOME: aliases added in review


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str  # person, institution, or unlisted (a speaker no alias file names)
    speaks_for: str | None = None
    aliases: tuple[str, ...] = ()
    # Names of a place that stand for this institution ("Moscow", "Russia" for the Kremlin)
    # in an article where the institution or one of its spokespeople speaks.
    metonyms: tuple[str, ...] = ()

    @property
    def voice(self) -> str:
        """Whose line this actor states: the institution a spokesperson speaks for, else itself."""
        return self.speaks_for or self.id


@dataclass
class ActorBook:
    actors: dict[str, Actor]
    variants: dict[str, str]
    index: dict[str, str] = field(default_factory=dict)  # normalised alias: actor id
    metonym_index: dict[str, str] = field(default_factory=dict)  # normalised metonym: actor id
    _resolved: dict[str, Actor] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for actor in self.actors.values():
            for name in (actor.id, actor.name, *actor.aliases):
                key = self.normalise(name)
                if key:
                    self.index.setdefault(key, actor.id)
            for name in actor.metonyms:
                if key := self.normalise(name):
                    self.metonym_index.setdefault(key, actor.id)

    def resolve_in(self, speaker: str, text: str) -> Actor:
        """The actor a speaker names in this article: as `resolve`, except that a place named
        as an institution's metonym ("Moscow") is that institution's voice where the article
        names the institution or one of its spokespeople ("Kremlin spokesman Dmitry Peskov"),
        and stays an actor of its own elsewhere."""
        actor = self.resolve(speaker)
        if actor.kind != "unlisted":
            return actor
        institution = self.metonym_index.get(self.normalise(speaker))
        if institution is None:
            return actor
        voices = [a for a in self.actors.values() if a.voice == institution]
        names = {n for a in voices for n in (a.name, *a.aliases) if len(n) > 3}
        if any(name_in_text(n, text) for n in names):
            return self.actors[institution]
        return actor

    def normalise(self, name: str) -> str:
        """The name as aliases are matched (`names.normalise_name`), with this book's
        spelling variants."""
        return normalise_name(name, self.variants)

    def resolve(self, speaker: str) -> Actor:
        """The actor a speaker names; an unlisted speaker is an actor of its own, by the speaker
        key review uses too: "Jo Bloggs" and "Bloggs" are one actor, "Health Minister" and
        "Finance Minister" are two."""
        if speaker not in self._resolved:
            self._resolved[speaker] = self._resolve(speaker)
        return self._resolved[speaker]

    def _resolve(self, speaker: str) -> Actor:
        key = self.normalise(speaker)
        if key in self.index:
            return self.actors[self.index[key]]
        # The longest alias inside the name wins ("Kremlin spokesperson Dmitry Peskov" holds
        # "kremlin spokesman", "dmitry peskov" and "kremlin"); on a tie the later one, because
        # the name comes after the title.
        padded = f" {key} "
        best: tuple[int, int, str] | None = None
        for alias, actor_id in self.index.items():
            at = padded.rfind(f" {alias} ")
            if at >= 0:
                rank = (len(alias.split()), at, actor_id)
                if best is None or rank[:2] > best[:2]:
                    best = rank
        if best is not None:
            return self.actors[best[2]]
        own = speaker_key(speaker, self.variants)
        return Actor(id=f"unlisted:{own}", name=speaker.strip(), kind="unlisted")

    def find(self, query: str) -> Actor | None:
        """An actor by id, name or alias, for `brief timeline --actor`; None when unknown."""
        if query in self.actors:
            return self.actors[query]
        actor = self.resolve(query)
        return None if actor.kind == "unlisted" else actor


class _ActorEntry(RuleFile):
    name: str | None = None  # default: the id
    kind: Literal["person", "institution"] = "person"
    speaks_for: str | None = None  # the id of the institution a spokesperson speaks for
    aliases: list[str] = Field(default_factory=list)
    metonyms: list[str] = Field(default_factory=list)


class ActorsFile(RuleFile):
    """An alias file: the shipped actors.toml (or `actors_file`), and BRIEF_HOME/actors.toml
    with the merges made in review. [aliases] adds names to actors of either file."""

    actors: dict[str, _ActorEntry] = Field(default_factory=dict)  # [actors.ID]
    variants: dict[str, str] = Field(default_factory=dict)  # spelling: "kiev" = "kyiv"
    aliases: dict[str, str] = Field(default_factory=dict)  # "name in the text" = "actor id"


def _actors_from(data: ActorsFile) -> dict[str, Actor]:
    return {
        actor_id: Actor(
            id=actor_id,
            name=spec.name or actor_id,
            kind=spec.kind,
            speaks_for=spec.speaks_for or None,
            aliases=tuple(spec.aliases),
            metonyms=tuple(spec.metonyms),
        )
        for actor_id, spec in data.actors.items()
    }


def load_actors(settings: Settings) -> ActorBook:
    """The shipped alias file (or `actors_file`), then BRIEF_HOME/actors.toml on top of it."""
    files = [(settings.actors_file or DEFAULT_ACTORS, "the actor list")]
    user_path = settings.home / USER_ACTORS
    if user_path.exists():
        files.append((user_path, "the actor aliases"))
    actors: dict[str, Actor] = {}
    variants: dict[str, str] = {}
    for path, what in files:
        data = read_rules(ActorsFile, path, what)
        actors.update(_actors_from(data))
        variants.update({k.casefold(): v.casefold() for k, v in data.variants.items()})
        for alias, actor_id in data.aliases.items():
            if actor_id not in actors:
                raise RulesError(
                    f"{path}: [aliases] {alias!r} points at unknown actor {actor_id!r};"
                    f" fix the line or add [actors.{actor_id}]"
                )
            a = actors[actor_id]
            actors[actor_id] = Actor(
                a.id, a.name, a.kind, a.speaks_for, (*a.aliases, alias), a.metonyms
            )
    return ActorBook(actors, variants)


def merge_actors(settings: Settings, alias: str, into: str) -> Actor:
    """Make `alias` (a speaker name, or the id of another actor) name the actor `into`, by
    adding it to BRIEF_HOME/actors.toml: a review action, kept as data the user can edit."""
    book = load_actors(settings)
    target = book.find(into)
    if target is None:
        known = ", ".join(sorted(book.actors))
        raise BriefError(f"unknown actor {into!r}: use one of {known}, or add it to the alias file")
    names = [alias]
    if alias in book.actors:  # merging a whole actor: every way it is named goes along
        other = book.actors[alias]
        names = [other.name, *other.aliases]
    if not alias.strip() or book.normalise(alias) == "":
        raise BriefError("an alias must contain a word")
    path = settings.home / USER_ACTORS
    existing = read_rules(ActorsFile, path, "the actor aliases") if path.exists() else None
    text = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else (
            "# Actor aliases added in review (`brief review merge-actors`), read on top of the shipped\n"
            '# list. Edit freely: "name as the text writes it" = "actor id".\n'
        )
    )
    if existing is None or "aliases" not in existing.model_fields_set:
        text = text.rstrip("\n") + "\n\n[aliases]\n"
        added = names
    else:
        added = [n for n in names if n not in existing.aliases]
        # Appending keys works only while [aliases] is the file's last table; otherwise rewrite
        # that table from what was read.
        if re.search(r"^\[(?!aliases\])", text.split("[aliases]", 1)[1], re.MULTILINE):
            raise BriefError(f"{path}: put the [aliases] table last, then merge again")
    for name in added:
        text += f"{_toml_string(name)} = {_toml_string(target.id)}\n"
    settings.home.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return target


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    # Control characters would break the line; TOML reads them back from \uXXXX.
    chars = (c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped)
    return '"' + "".join(chars) + '"'
