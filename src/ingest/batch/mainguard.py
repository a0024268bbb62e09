"""Refuse to start worker processes from a script that lacks ``if __name__ == "__main__":``.

The process pool starts its workers with ``forkserver`` (or ``spawn``): each worker imports the
main script again, as ``__mp_main__``. Code at the script's top level then runs again in every
worker — a ``run_batch(...)`` there tries to start a pool inside a worker that is still starting,
the worker dies, and every input would end up ``worker_crashed``. :func:`require_main_guard`
finds this before any process starts and raises one clear :class:`BatchError` (exit 2).

How: the script's module frame is on the call stack (the call happens while the script's top
level runs); the line it is on must lie inside an ``if __name__ == "__main__":`` block of the
script's source. Scripts multiprocessing does not import again (``python -m pkg`` running a
``__main__`` module, ``python -c``, an interactive session) are never refused.
"""

from __future__ import annotations

import ast
import os
import sys
from functools import lru_cache

from .exitcodes import EXIT_USAGE, BatchError

GUARD_HELP = (
    "worker processes import the main script again: put the code that starts the run under "
    '`if __name__ == "__main__":` (see README, "From Python")'
)


def _reimported_main() -> tuple[object, str] | None:
    """(the main module, its source path) when multiprocessing's workers import it again, else None."""
    main = sys.modules.get("__main__")
    if main is None:
        return None
    spec = getattr(main, "__spec__", None)
    name = getattr(spec, "name", None)
    if name is not None and (name == "__main__" or name.endswith(".__main__")):
        return None  # python -m pkg: multiprocessing does not run a package's __main__ again
    path = getattr(main, "__file__", None)
    if not path or os.path.splitext(os.path.basename(path))[0] == "ipython":
        return None  # python -c, the REPL, IPython
    return main, os.path.abspath(path)


@lru_cache(maxsize=8)
def _guarded_lines(path: str) -> tuple[tuple[int, int], ...] | None:
    """Line ranges of the ``if __name__ == "__main__":`` blocks of a source file (None: unreadable)."""
    try:
        with open(path, "rb") as fh:
            tree = ast.parse(fh.read(), filename=path)
    except (OSError, SyntaxError, ValueError):
        return None
    ranges = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_main_test(node.test) and node.body:
            ranges.append((node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno))
    return tuple(ranges)


def _is_main_test(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    consts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(consts) == 1


def guard_missing() -> bool:
    """True when this call comes from a main script's top level outside ``if __name__ == "__main__":``."""
    found = _reimported_main()
    if found is None:
        return False
    main, path = found
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals is getattr(main, "__dict__", None):
            ranges = _guarded_lines(path)
            if ranges is None:
                return False  # no source to judge by: let it run
            line = frame.f_lineno
            return not any(a <= line <= b for a, b in ranges)
        frame = frame.f_back
    return False  # the script's top level has finished: this runs later (a thread, a callback)


def require_main_guard(what: str = "a process pool") -> None:
    """Raise :class:`BatchError` (exit 2) when starting ``what`` now would re-run the script in every worker."""
    if guard_missing():
        raise BatchError(f"cannot start {what} here: {GUARD_HELP}", EXIT_USAGE)


__all__ = ["GUARD_HELP", "guard_missing", "require_main_guard"]
