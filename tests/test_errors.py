"""The exception tree: one module holds every exception, and a failed answer says what it cost."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import httpx2
import pytest

import briefing
from briefing import errors
from briefing.config import load_settings
from briefing.llm.client import open_client
from briefing.store.database import Store

from .fakes import Sentences as SummaryDraft

PACKAGE = Path(briefing.__file__).parent


def _exception_classes(path: Path) -> list[str]:
    """Classes in `path` whose bases look like exceptions (a name ending in Error or Exception,
    or one of the package's own exceptions)."""
    ours = {name for name, _ in inspect.getmembers(errors, inspect.isclass)}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases}
        if any(b.endswith(("Error", "Exception")) or b in ours for b in bases):
            found.append(node.name)
    return found


def test_every_exception_is_defined_in_errors() -> None:
    elsewhere = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "errors.py"
        for name in _exception_classes(path)
        if not name.startswith("_")  # a private signal that never leaves its module
    }
    # Move each one into briefing/errors.py, draw it in that module's docstring, and import it
    # from there (it stays importable from the old module through the import).
    assert elsewhere == set(), "exceptions defined outside briefing/errors.py"


def test_the_docstring_draws_every_exception() -> None:
    defined = [
        name
        for name, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.BriefError)
    ]
    assert len(defined) >= 15
    drawn = set(
        re.findall(r"^ {4}(?:[│ ]   )*(?:[├└]── )?(\w+) ", errors.__doc__ or "", re.MULTILINE)
    )
    assert drawn >= set(defined)


def test_old_import_paths_still_work() -> None:
    from briefing.evaluate.gold import GoldError
    from briefing.llm.client import ModelInvalidOutput, ReplayMiss, Usage

    assert GoldError is errors.GoldError and ReplayMiss is errors.ReplayMiss
    assert ModelInvalidOutput is errors.ModelInvalidOutput
    assert Usage.__module__ == "briefing.models"


def _answer(finish_reason: str, content: str) -> dict[str, object]:
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 70, "completion_tokens": 400, "total_tokens": 470},
    }


@pytest.mark.parametrize(
    "finish_reason, content, expected",
    [
        ("length", '{"sentences": [', errors.ModelTruncated),
        ("stop", '{"sentences": 3}', errors.ModelInvalidOutput),
    ],
)
def test_an_unusable_answer_still_reports_its_cost(
    tmp_path: Path, finish_reason: str, content: str, expected: type[errors.ModelError]
) -> None:
    settings = load_settings(home=tmp_path)
    server = httpx2.MockTransport(
        lambda request: httpx2.Response(200, json=_answer(finish_reason, content))
    )
    with (
        Store(settings.store_path) as store,
        open_client(settings, store, "openai", server) as client,
        pytest.raises(expected) as info,
    ):
        client.parse([{"role": "user", "content": "hi"}], SummaryDraft)
    usage = info.value.usage
    assert usage is not None
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens) == (1, 70, 400)
    assert "\n" not in str(info.value)


def test_an_error_before_any_answer_cost_nothing() -> None:
    assert errors.ModelUnavailable("cannot reach the model").usage is None
