"""Prompts and topics: what the model is told, and the identity every stored result records.

Prompts are Jinja templates in `prompts/` (NAME_system.j2, NAME_user.j2); a prompt's id is the
hash of their text, so a changed prompt is a new extraction. The topic list is data
(`briefing/rules/topics.toml`, or the user's `topics_file`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import jinja2
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
        system = _prompt_env.get_template(f"{self.name}_system.j2").render(**context)
        user = _prompt_env.get_template(f"{self.name}_user.j2").render(**context)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]


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
