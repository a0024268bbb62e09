"""Every regular expression in the ``ingest`` package, for the static ReDoS checks.

Two sources, so that neither a pattern built at import time (``_FULL_DATE_RE`` is assembled from
month names) nor one written inline in a function (``re.match(r"...", s)``) escapes:

* the compiled ``re.Pattern`` objects reachable from every module's globals (inside tuples,
  lists and dicts too, e.g. ``BOILERPLATE``);
* every string literal regexploit's Python visitor finds as the argument of an ``re`` call in
  the source files.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path

import ingest

SRC = Path(ingest.__file__).resolve().parent


@dataclass(frozen=True)
class Found:
    where: str  # module.NAME or path:line
    pattern: str
    flags: int


def _walk(obj: object, where: str, out: dict[tuple[str, int], Found], depth: int = 0) -> None:
    if isinstance(obj, re.Pattern):
        src = obj.pattern.decode("latin-1") if isinstance(obj.pattern, bytes) else obj.pattern
        flags = obj.flags & ~re.UNICODE if isinstance(obj.pattern, bytes) else obj.flags
        out.setdefault((src, flags), Found(where, src, flags))
    elif depth < 4 and isinstance(obj, (tuple, list, frozenset, set)):
        for i, x in enumerate(obj):
            _walk(x, f"{where}[{i}]", out, depth + 1)
    elif depth < 4 and isinstance(obj, dict):
        for k, x in obj.items():
            _walk(x, f"{where}[{k!r}]", out, depth + 1)


def compiled_patterns() -> list[Found]:
    out: dict[tuple[str, int], Found] = {}
    for mod in pkgutil.walk_packages(ingest.__path__, "ingest."):
        if mod.name.endswith("__main__"):
            continue  # importing it runs the CLI
        module = importlib.import_module(mod.name)
        for name, value in vars(module).items():
            _walk(value, f"{mod.name}.{name}", out)
    return sorted(out.values(), key=lambda f: f.where)


def literal_patterns() -> list[Found]:
    from regexploit.languages.python_node_visitor import PythonNodeVisitor

    out: list[Found] = []
    for path in sorted(SRC.rglob("*.py")):
        visitor = PythonNodeVisitor()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        for r in visitor.patterns:
            try:
                re.compile(r.pattern, r.flags)
            except (re.error, TypeError, ValueError):
                continue  # the visitor also reports strings that are not regexes
            out.append(Found(f"{path.relative_to(SRC.parent)}:{r.lineno}", r.pattern, r.flags))
    return out


def all_patterns() -> list[Found]:
    return compiled_patterns() + literal_patterns()
