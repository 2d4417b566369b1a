"""Prompts and topics: what the model is told, and the identity every stored result records.

Prompts are Jinja templates in `prompts/` (NAME_system.j2, NAME_user.j2); a prompt's id is the
hash of their text, so a changed prompt is a new extraction. The topic list is data
(`briefing/rules/topics.toml`, or the user's `topics_file`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta
from pydantic import BaseModel

from briefing.errors import BriefError
from briefing.extract.topics import topic_file
from briefing.resources import PROMPTS_DIR

_prompt_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PROMPTS_DIR),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
    autoescape=False,
)


@dataclass(frozen=True)
class Prompt:
    name: str
    id: str  # hash of the templates' text: every stored position records it

    def messages(self, **context: object) -> list[dict[str, str]]:
        system = _render(f"{self.name}_system.j2", context)
        user = _render(f"{self.name}_user.j2", context)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]


@functools.lru_cache(maxsize=64)
def _variables(template: jinja2.Template) -> frozenset[str] | None:
    """The context variables a template reads, or None when that cannot be told."""
    name = template.name
    loader = _prompt_env.loader
    if name is None or loader is None:
        return None
    source = loader.get_source(_prompt_env, name)[0]
    return frozenset(jinja2.meta.find_undeclared_variables(_prompt_env.parse(source)))


class _NotPlain(Exception):
    pass


def _plain(value: object) -> object:
    """A value of plain data (text, whole numbers, lists and tables of them) as a hashable key."""
    if value is None or isinstance(value, (str, int)):
        return (type(value), value)
    if isinstance(value, dict):
        pairs = tuple(value.items())
        if all(type(k) is str and type(v) is str for k, v in pairs):
            return (dict, pairs)  # a table of text (the topics): the common case, made fast
        return (dict, tuple((_plain(k), _plain(v)) for k, v in pairs))
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_plain(v) for v in value))
    raise _NotPlain


_RENDERED: dict[tuple[object, ...], str] = {}
_RENDERED_LOCK = threading.Lock()


def _render(name: str, context: dict[str, object]) -> str:
    """A template rendered with `context`. One that reads only plain data (the system message:
    the topics and their propositions) is rendered once for each such context, not once per
    request (a day of 1,000 articles sends 20,000)."""
    template = _prompt_env.get_template(name)
    used = _variables(template)
    if used is None or not used <= context.keys():
        return template.render(**context)
    try:
        key = (template, tuple((k, _plain(context[k])) for k in sorted(used)))
    except _NotPlain:
        return template.render(**context)
    with _RENDERED_LOCK:
        found = _RENDERED.get(key)
    if found is None:
        found = template.render(**context)
        with _RENDERED_LOCK:
            if len(_RENDERED) >= 64:
                del _RENDERED[next(iter(_RENDERED))]
            _RENDERED[key] = found
    return found


def load_prompt(name: str) -> Prompt:
    digest = hashlib.sha256()
    for part in ("system", "user"):
        path = PROMPTS_DIR / f"{name}_{part}.j2"
        if not path.exists():
            raise BriefError(f"prompt template {path} is missing: restore it from the repository")
        digest.update(path.read_bytes())
    return Prompt(name=name, id=digest.hexdigest()[:12])


def schema_hash(schema: type[BaseModel]) -> str:
    text = json.dumps(schema.model_json_schema(), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def load_topics(path: Path | None = None) -> dict[str, str]:
    """The [topics] table of the topic list: key = description."""
    return dict(topic_file(path).topics)
