"""The modules of src/ingest import each other without a loop.

The graph is built from the source with ``ast`` (nothing is imported): every ``import`` and
``from … import`` anywhere in a module counts — at module level, inside functions (the lazy
imports) and under ``if TYPE_CHECKING:`` — because a loop hidden in a function is still two
modules that each need the other. An edge goes to the module named: ``from . import storage``
is an edge to ``ingest.batch.storage``, ``from ..dedup import open_index`` one to the package
``ingest.dedup`` (its ``__init__``).

Left out: an edge from a module to a package that contains it (``from .. import __version__``
in ``ingest.batch.runner``, a reader importing its package's shared types). Python initialises
every parent package before the module anyway, so that edge is always there and no change to
the module could remove it; counting it would make every package that re-exports its own
modules a "loop".
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "ingest"


def _modules() -> dict[str, Path]:
    mods: dict[str, Path] = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(mod, is_package, node.level, node.module)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in mods else base)
            for target in targets:
                while target and target not in mods:  # `import ingest.batch.x.y` → the longest known module
                    target = target.rpartition(".")[0]
                if not target or not target.startswith(PACKAGE) or target == mod:
                    continue
                if mod.startswith(target + "."):
                    continue  # a parent package of this module: see the module docstring
                graph[mod].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_function_level_and_relative_imports() -> None:
    graph = import_graph()
    assert "ingest.batch.storage" in graph["ingest.batch.runner"]  # `from . import storage`
    assert "ingest.dedup" in graph["ingest.batch.lifecycle"]  # `from ..dedup import …` inside a method
    assert "ingest.batch.dask_executor" in graph["ingest.batch.executor_choice"]  # lazy, in a function
    assert "ingest" not in graph["ingest.batch.lifecycle"]  # `from .. import __version__`: a parent package


def test_the_finder_reports_a_loop() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_loop() -> None:
    loops = cycles(import_graph())
    assert loops == [], f"import loops: {loops}"


def test_the_pipeline_hands_its_callbacks_down() -> None:
    """The pipeline runs ingest.budget (a child with a deadline) and ingest.warc (records); neither
    imports it back: budget is given the function to run, warc finishes records in ingest.assemble."""
    graph = import_graph()
    assert {"ingest.budget", "ingest.warc", "ingest.assemble"} <= graph["ingest.pipeline"]
    assert "ingest.pipeline" not in graph["ingest.budget"] | graph["ingest.warc"] | graph["ingest.assemble"]
