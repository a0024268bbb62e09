#!/usr/bin/env python3
"""Start-up cost of ``ingest run``: CPU seconds on an empty folder and on a small text-only folder.

Usage: ``python benchmarks/run_startup.py [--reps 5] [--ingest PATH] [--files 6] [--src DIR ...]``.

``--src`` (repeatable) compares source trees, e.g. two git worktrees, run interleaved with the same
``ingest`` script: each is put first on ``PYTHONPATH`` (before vs after in one run).

Every run is a new process into a fresh output folder (``--quiet``), the two folders interleaved;
the table gives the median CPU time (user + system of the process and the children it waited for,
what GNU time's ``%U+%S`` reports) and the median wall time. On a tiny run start-up is nearly all
of the cost: imports, the config, the manifest, and the warm-up of the pipeline.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_TEXT = (
    "Harbour council meets, part {n}\n\nThe council of the small harbour town met on Tuesday evening to "
    "discuss the new ferry timetable, which residents had asked for since spring. The mayor said the plan "
    "would be ready before winter.\n\nFishermen welcomed the decision.\n"
)


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.decode(errors='replace')[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--files", type=int, default=6)
    ap.add_argument("--ingest", default=str(Path(sys.executable).parent / "ingest"))
    ap.add_argument("--src", action="append", default=[], help="a source tree to put first on PYTHONPATH")
    args = ap.parse_args()
    trees = args.src or [""]
    with tempfile.TemporaryDirectory(prefix="ingest-startup-") as tmp:
        root = Path(tmp)
        (root / "empty").mkdir()
        (root / "text").mkdir()
        for n in range(args.files):
            (root / "text" / f"a{n}.txt").write_text(_TEXT.format(n=n), encoding="utf-8")
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for rep in range(-1, args.reps):  # -1: untimed, fills __pycache__ and the language-model cache
            for tree_no, tree in enumerate(trees):
                env = dict(os.environ)
                env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte code cached
                if tree:
                    env["PYTHONPATH"] = os.pathsep.join(filter(None, [tree, env.get("PYTHONPATH", "")]))
                for name in ("empty", "text"):
                    out = root / f"out-{tree_no}-{name}-{rep}"
                    cmd = [args.ingest, "run", str(root / name), str(out), "--quiet"]
                    timed = _timed(cmd, env)
                    if rep >= 0:
                        times.setdefault((tree, name), []).append(timed)
    print(f"{args.ingest}, median of {args.reps}")
    print("| source | folder | median CPU s | median wall s | CPU runs (s) |")
    print("|---|---|---:|---:|---|")
    for (tree, name), runs in times.items():
        cpu = [c for _, c in runs]
        wall = [w for w, _ in runs]
        shown = ", ".join(f"{c:.2f}" for c in cpu)
        med_cpu, med_wall = statistics.median(cpu), statistics.median(wall)
        print(f"| {tree or 'installed'} | {name} | {med_cpu:.3f} | {med_wall:.3f} | {shown} |")


if __name__ == "__main__":
    main()
