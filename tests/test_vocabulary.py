"""Vocabulary with one owner (issue 19 item 15): the finder's closed-class words are data, each
class listed once in words.toml's [grammar] and read by every rule that needs it; the topic
list's default path, the progress callback and its quiet default are each defined once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import briefing
from briefing.find import find_attributions, lexicon

PACKAGE = Path(briefing.__file__).parent
# The finder's rule modules whose word lists were repeated with other contents (determiners in
# three, prepositions and possessives in two each).
RULE_MODULES = ("clauses.py", "nounphrase.py", "asides.py", "cues.py", "reported.py", "extent.py")
_WORD = re.compile(r"[A-Za-z][\w’'.-]*")


def word_lists(path: Path) -> list[str]:
    """The module-level constants of `path` that hold two words or more (a type such as
    Literal["verb", ...] is not a word list)."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        if isinstance(node.value, ast.Subscript):
            continue
        strings = [
            n.value
            for n in ast.walk(node.value)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ]
        if sum(len(_WORD.findall(s)) for s in strings) >= 2:
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_the_finders_rules_hold_no_word_lists_of_their_own() -> None:
    found = [hit for name in RULE_MODULES for hit in word_lists(PACKAGE / "find" / name)]
    assert found == [], "word lists belong in briefing/find/words.toml [grammar]"


CLAIM = "Dmitry Peskov met reporters in Moscow. His claim that the talks had failed surprised many."
LAWYER = "Prosecutor Ann Smith filed charges against Jo Bloggs. His prosecutor said it was strong."


def found(text: str) -> list[tuple[str, str | None]]:
    """(cue, speaker) of each statement the finder finds in `text`."""
    return [(text[c.cue[0] : c.cue[1]], c.speaker) for c in find_attributions(text) if c.cue]


def test_one_list_of_possessives_drives_every_rule_that_reads_one(finder_files: Path) -> None:
    # "His claim that ..." is a statement with its owner; "his prosecutor" is someone's
    # prosecutor, not the one the article named. Both rules read [grammar] possessives:
    # take "his" out of the list and both readings change.
    assert found(CLAIM) == [("claim", "Dmitry Peskov")]
    assert found(LAWYER) == [("said", None)]
    words_toml = finder_files / "words.toml"
    text = words_toml.read_text(encoding="utf-8")
    edited, count = re.subn(r'(?m)^possessives = \["his", ', "possessives = [", text)
    assert count == 1
    words_toml.write_text(edited, encoding="utf-8")
    lexicon.grammar.cache_clear()
    assert found(CLAIM) == []
    assert found(LAWYER) == [("said", "Ann Smith")]


def definitions(name: str) -> list[str]:
    """The modules of the package that define `name` at module level (assigned or def)."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = (
                [t.id for t in node.targets if isinstance(t, ast.Name)]
                if isinstance(node, ast.Assign)
                else [node.name]
                if isinstance(node, ast.FunctionDef)
                else []
            )
            if name in targets:
                out.append(path.relative_to(PACKAGE.parent).as_posix())
    return out


ELSEWHERE: set[str] = set()


@pytest.mark.parametrize(
    "name, owner",
    [
        ("DEFAULT_TOPICS", "briefing/extract/topics.py"),
        ("Progress", "briefing/progress.py"),
        ("quiet", "briefing/progress.py"),
        ("_quiet", None),
    ],
)
def test_shared_definitions_have_one_owner(name: str, owner: str | None) -> None:
    assert [m for m in definitions(name) if m not in ELSEWHERE] == ([owner] if owner else [])
