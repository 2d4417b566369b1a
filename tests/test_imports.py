"""The package's import graph: no cycles, and each stage imports only the stages below it.

Imports are read with `ast` from every module of briefing/, wherever they sit: at module level,
under `if TYPE_CHECKING:`, or inside a function (a function-level import is still a dependency:
it only hides a cycle until the function runs). Relative imports are resolved against the
importing module's package. An import of a package's own `__init__` is not an edge from its
modules: those files are kept nearly empty, and `briefing/__init__.py` loads its public names
lazily by string.
"""

from __future__ import annotations

import ast
from pathlib import Path

import briefing

PACKAGE_DIR = Path(briefing.__file__).parent

# Who may import whom. A module may import modules of its own layer or of lower layers only.
# Base modules (data, errors, settings, resource paths, the progress callback, the rule files'
# reader, the Jinja environment, the context-manager mixin) are importable by everyone and import only each
# other; the store imports only them and is imported by the stages. The stages are the pipeline in order. Fetching reads pages into
# articles as ingest does; finding attributions needs no model; review comes before track
# because tracking counts positions with the analysts' decisions applied (a rejected position is
# in nobody's timeline). The pipeline drives the stages; the fixture recorder and the unattended
# day (`brief run`: fetch, build, deliver) run the pipeline; evaluate runs it over gold data; the
# CLI sits on top.
BASE = {
    "briefing.errors",
    "briefing.models",
    "briefing.config",
    "briefing.resources",
    "briefing.progress",
    "briefing.rulefiles",
    "briefing.templates",
    "briefing.closing",
}
STAGES = (
    "text", "ingest", "fetch", "find", "llm", "extract", "review", "track", "render", "deliver"
)  # fmt: skip
ABOVE_STAGES = ("pipeline", "recording", "daily", "evaluate", "cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def _imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The briefing modules this module imports, anywhere in its body."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                # `from briefing.text import names` imports the module briefing.text.names
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
    edges = set()
    for target in found:
        # `import briefing.text.names` names a module; an unknown dotted name (an attribute
        # path) falls back to the longest module prefix.
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name and not name.startswith(target + "."):
            edges.add(target)
    return edges


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imported(name, path, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def layer(module: str) -> tuple[int, str]:
    """The module's rank (higher may import lower) and the name of its layer."""
    if module in BASE:
        return 0, "base"
    part = module.split(".")[1] if module.count(".") else ""
    if part == "store":
        return 1, "store"
    if part in STAGES:
        return 2 + STAGES.index(part), part
    if part in ABOVE_STAGES:
        return 2 + len(STAGES) + ABOVE_STAGES.index(part), part
    raise AssertionError(
        f"{module} is in no layer: add its folder to STAGES or ABOVE_STAGES in tests/test_imports.py"
    )


def test_the_graph_sees_function_level_and_relative_imports(tmp_path: Path) -> None:
    source = tmp_path / "briefing" / "track"
    source.mkdir(parents=True)
    (source / "mod.py").write_text(
        "from . import other\n"
        "from ..review import decisions\n"
        "def f():\n"
        "    from briefing.pipeline import build\n"
        "    import briefing.render.briefing\n",
        encoding="utf-8",
    )
    known = {
        "briefing.track.mod",
        "briefing.track.other",
        "briefing.review.decisions",
        "briefing.pipeline",
        "briefing.render.briefing",
    }
    found = _imported("briefing.track.mod", source / "mod.py", known)
    assert found == known - {"briefing.track.mod"}


def test_find_cycle_names_the_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 20  # the walk found the package
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_stages_import_only_lower_layers() -> None:
    upward = []
    for module, imports in sorted(import_graph().items()):
        if module == "briefing":  # the lazy public API, loaded by string (see the docstring)
            continue
        rank, name = layer(module)
        for target in sorted(imports):
            target_rank, target_name = layer(target)
            # The store and the base modules are one-way: the store imports only the base.
            if target_rank > rank or (name == "base" and target_name == "store"):
                upward.append(f"{module} ({name}) imports {target} ({target_name})")
    assert not upward, "imports against the layering:\n" + "\n".join(upward)
