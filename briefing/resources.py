"""Where the package's own data lives: prompts, templates, rules and recorded fixtures.

The client's layout keeps `prompts/`, `templates/` and `fixtures/` at the top of the repository.
A wheel maps them into the package (`briefing/prompts`, ... through hatchling's `force-include`
in pyproject.toml), so an installed brief finds them next to its modules, and a checkout (an
editable install included) finds them one folder up. This module is the one place that knows
both; everything else asks it.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

PACKAGE_DIR = Path(str(importlib.resources.files("briefing")))
CHECKOUT_DIR = PACKAGE_DIR.parent


def resource_dir(name: str) -> Path:
    """The folder `name` (prompts, templates, fixtures) as installed, else as checked out."""
    installed = PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return CHECKOUT_DIR / name


def rules_file(name: str) -> Path:
    """A rules file shipped inside the package (`briefing/rules/NAME`)."""
    return PACKAGE_DIR / "rules" / name


PROMPTS_DIR = resource_dir("prompts")
TEMPLATES_DIR = resource_dir("templates")
FIXTURES_DIR = resource_dir("fixtures")
