"""Reading the rule files: TOML checked against a schema that refuses what it does not know.

The rule files are data the program's behaviour depends on: the topic list, the stance lexicon,
the position rules, the furniture rules and the actor list in `briefing/rules/`, the finder's
cues and words in `briefing/find/`, and the user's own `topics_file`, `actors_file` and
`BRIEF_HOME/actors.toml`. A misspelt table (`[keyword]`) or key used to be read as an absent
one, which silently turns a rule off. Each file now has a pydantic model (a `RuleFile`: unknown
keys forbidden, no type coercion), and the first mistake stops the program with one line naming
the file, the table and the key, and what was probably meant, as `config.toml`'s mistakes are
reported (`briefing.config`).

A file is parsed once per process for each text it has: the cache is keyed by the text, so the
same file is never parsed twice, and a file edited while the program runs (the alias file that
`brief review merge-actors` writes) is read again.
"""

from __future__ import annotations

import functools
import tomllib
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from briefing.config import did_you_mean, reason
from briefing.errors import RulesError

M = TypeVar("M", bound="RuleFile")


class RuleFile(BaseModel):
    """The base of every rule file's schema and of its tables: an unknown table or key is an
    error, and a value of the wrong type is not converted (TOML has types; "4" is a mistake)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def read_rules(model: type[M], path: Path, what: str) -> M:
    """The rule file at `path`, checked against `model`; `what` names the file in an error
    ("the topic list")."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"cannot read {what} {path} ({exc}): fix or restore it") from None
    return _parsed(model, str(path), text, what)


@functools.lru_cache(maxsize=64)
def _parsed(model: type[M], path: str, text: str, what: str) -> M:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"cannot read {what} {path} ({exc}): fix or restore it") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RulesError(f"{path}: {describe(model, exc, data)}") from None


def describe(model: type[BaseModel], exc: ValidationError, data: dict[str, Any]) -> str:
    """The first mistake in words, naming the table and the key. A table or key the schema does
    not know comes first: a misspelt table is also a missing one, and the misspelling is the
    mistake to report."""
    errors = exc.errors(include_url=False)
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = error["loc"]
    tables, key = _split(loc, data)
    where = _table(tables)
    if error["type"] == "extra_forbidden":
        name, parent = str(loc[-1]), loc[:-1]
        known = _fields(model, parent)

        def shown(k: str) -> str:  # as the file writes it: a table as [verbs.irregular], [[rule]]
            return _shown(model, parent, k)

        if list(parent) == tables and _is_table(error["input"]):
            written = _header(parent, name, isinstance(error["input"], list))
            return f"unknown table {written}{did_you_mean(name, known, 'tables', shown)}"
        inside = f" in {where}" if where else ""
        return f"unknown key {name!r}{inside}{did_you_mean(name, known, 'keys', shown)}"
    if error["type"] == "missing" and _is_model(_at(model, loc)):
        return f"{_table(list(loc))} is missing"
    subject = " ".join(part for part in (where, key) if part)
    return f"{subject}{_value(error)} {reason(error)}"


def _is_table(value: object) -> bool:
    """A table, or an array of tables ([[rule]])."""
    listed = isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
    return isinstance(value, dict) or listed


def _split(loc: tuple[int | str, ...], data: object) -> tuple[list[int | str], str]:
    """The location as TOML writes it: the tables (the longest prefix naming tables in `data`)
    and the key below them, with the item of a list ("words item 3")."""
    tables: list[int | str] = []
    value = data
    rest: tuple[int | str, ...] = ()
    for at, part in enumerate(loc):
        value = _child(value, part)
        after = loc[at + 1] if at + 1 < len(loc) else None
        listed = isinstance(after, int) and isinstance(_child(value, after), dict)  # [[table]]
        if after is None or not (isinstance(value, dict) or listed):
            rest = loc[at:]
            break
        tables.append(part)
    words = [f"item {part + 1}" if isinstance(part, int) else str(part) for part in rest]
    return tables, " ".join(words)


def _child(value: object, part: int | str) -> object:
    if isinstance(value, dict):
        return value.get(part)
    if isinstance(value, list) and isinstance(part, int) and part < len(value):
        return value[part]
    return None


def _table(tables: list[int | str]) -> str:
    """`["actors", "kremlin"]` as "[actors.kremlin]"; `["rule", 2]` as "[[rule]] 3"."""
    if not tables:
        return ""
    if isinstance(tables[-1], int):
        names = ".".join(str(t) for t in tables[:-1])
        return f"[[{names}]] {tables[-1] + 1}"
    return "[" + ".".join(str(t) for t in tables) + "]"


def _value(error: ErrorDetails) -> str:
    """` = value` for a short scalar value, as config.toml's errors show it; nothing else."""
    value = error.get("input")
    if error["type"] == "missing" or isinstance(value, dict | list):
        return ""
    shown = repr(value)
    return f" = {shown}" if len(shown) <= 40 else ""


def _header(parent: tuple[int | str, ...], key: str, many: bool) -> str:
    dotted = ".".join(str(t) for t in (*parent, key))
    return f"[[{dotted}]]" if many else f"[{dotted}]"


def _shown(model: type[BaseModel], parent: tuple[int | str, ...], key: str) -> str:
    """A key the schema allows, as the file would write it: a table as its header."""
    kind = _at(model, (*parent, key))
    if _is_model(kind) or _is_dict(kind) or _is_many(kind):
        return _header(parent, key, _is_many(kind))
    return repr(key)


def _is_many(kind: object) -> bool:
    """A list of tables ([[rule]])."""
    args = typing.get_args(kind)
    return typing.get_origin(kind) is list and bool(args) and _is_model(args[0])


def _is_dict(kind: object) -> bool:
    return typing.get_origin(kind) is dict


def _fields(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The keys the schema allows at `loc`: the fields of the model found there."""
    kind = _at(model, loc)
    return list(kind.model_fields) if _is_model(kind) else []


def _at(model: type[BaseModel], loc: tuple[int | str, ...]) -> object:
    """The type the schema expects at `loc`."""
    kind: object = model
    for part in loc:
        kind = _inner(kind, part)
    return kind


def _inner(kind: object, part: int | str) -> object:
    """The type one step down from `kind`: a model's field, a list's item, a table's value."""
    if _is_model(kind) and isinstance(part, str):
        field = kind.model_fields.get(part)
        return _unwrapped(field.annotation) if field is not None else None
    args = typing.get_args(kind)
    return _unwrapped(args[-1]) if args else None


def _unwrapped(kind: object) -> object:
    """`X | None` as X."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return options[0] if len(options) == 1 else kind
    return kind


def _is_model(kind: object) -> typing.TypeGuard[type[BaseModel]]:
    return isinstance(kind, type) and issubclass(kind, BaseModel)
