"""The one Jinja environment for what brief writes from `templates/`: the Markdown briefing, the
email's HTML body and the review page.

Its settings are the project's (STYLE.md): a missing variable is an error, not an empty string
(StrictUndefined); block tags leave no blank lines behind and a file's last newline is kept,
which clean Markdown needs; escaping is chosen by the template's name, so `*.html.j2` is
autoescaped and `*.md.j2` is not (Markdown escaping is the renderer's job, HTML entities would
show as text there).

The prompts are not rendered here: the extraction stage loads its own templates from `prompts/`
with settings of its own, and a prompt's id is the hash of its text.

It sits beside `resources` (a base module) rather than in `render/`, because the review page
(a stage below rendering) uses it too.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from briefing.resources import TEMPLATES_DIR


@functools.cache
def environment() -> jinja2.Environment:
    """The environment, made once per process (it caches compiled templates)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2",), default_for_string=False, default=False
        ),
    )


def render_template(name: str, **context: Any) -> str:
    """Template `name` (a path below templates/) rendered with `context`."""
    return environment().get_template(name).render(**context)
