"""brief: daily briefings of who said what in the news, quotations copied from the sources.

The pipeline's stages are the sub-packages, each importing only the stages below it:

    text -> ingest -> fetch -> find -> llm -> extract -> review -> track -> render -> deliver
    (store sits beside them: only it touches SQLite; pipeline drives them; cli parses and prints;
    tests/test_imports.py checks the order, and that there is no import cycle)

The names below are the small public API. They load on first use, so `import briefing` (and
`brief --help`) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = {
    "Settings": "briefing.config",
    "load_settings": "briefing.config",
    "Store": "briefing.store.database",
    "Extractor": "briefing.pipeline",
    "build_briefing": "briefing.pipeline",
    "ingest": "briefing.pipeline",
    "BriefError": "briefing.errors",
    "InputError": "briefing.errors",
    "ModelError": "briefing.errors",
}

__all__ = [
    "BriefError",
    "Extractor",
    "InputError",
    "ModelError",
    "Settings",
    "Store",
    "__version__",
    "build_briefing",
    "ingest",
    "load_settings",
]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'briefing' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
