"""Modules over 400 lines and functions over 60 in a folder (default: briefing/).

A long module usually holds several jobs and a long function several steps; both are easier to
read split. Exit 1 when one is found, naming it; `ALLOWED` lists the modules whose one job needs
the length, each with the reason.

    python .ci/sizes.py [FOLDER]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
ALLOWED = {
    # The settings: every key with its type, default and check, and the only reader of the
    # environment (tests/test_config.py pins that no other module reads it).
    "briefing/config.py": "settings",
}


def oversized(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        name = path.as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_MODULE_LINES and name not in ALLOWED:
            found.append(f"{name}: {lines} lines")
        for node in ast.walk(ast.parse(text, filename=name)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(f"{name}:{node.lineno}: {node.name} is {length} lines")
    return found


def main() -> int:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "briefing")
    found = oversized(folder)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
