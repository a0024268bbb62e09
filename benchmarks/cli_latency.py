#!/usr/bin/env python3
"""CLI latency: ``ingest --help`` and ``ingest clean FILE`` vs the ftfy CLI on the same file.

Usage: ``python benchmarks/cli_latency.py [--file F] [--reps 7] [--markdown]``.

Every command is a new process (what a shell loop, a file-manager action or a per-file hook
pays), run ``--reps`` times, the commands interleaved; the table gives the median wall time and
the median CPU time (user + system, from ``getrusage`` of the child), which a busy shared machine
disturbs less than wall time. The file defaults to the text-dev dump of median size. The language-model
cache (``<user cache>/ingest/langid-…``) is filled by one untimed ``ingest clean`` first, as any
earlier use of ingest on the machine fills it; ``--no-cache`` times the first-ever run instead
(``INGEST_CACHE_DIR=""``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

TEXT_DEV = C.ROOT.parent / "shared" / "eval" / "text-dev" / "raw"


def median_dump() -> Path | None:
    """The text-dev dump of median size (a typical real article), or None without text-dev."""
    dumps = sorted(TEXT_DEV.glob("*.txt"), key=lambda p: (p.stat().st_size, p.name))
    return dumps[len(dumps) // 2] if dumps else None


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.returncode


def run(*, file: Path, reps: int = 7, no_cache: bool = False) -> dict:
    bindir = Path(sys.executable).parent
    ingest = C.ingest_exe()
    ftfy = str(bindir / "ftfy") if (bindir / "ftfy").exists() else "ftfy"
    env = dict(os.environ)
    if no_cache:
        env["INGEST_CACHE_DIR"] = ""
    cmds = {
        "python": [sys.executable, "-c", "pass"],
        "ingest_help": [ingest, "--help"],
        "ingest_version": [ingest, "--version"],
        "ingest_clean": [ingest, "clean", str(file)],
        "ingest_clean_nolang": [ingest, "clean", "--no-language", str(file)],
        "ftfy": [ftfy, str(file)],
    }
    subprocess.run(cmds["ingest_clean"], stdout=subprocess.DEVNULL, env=env, check=True)  # fills the model cache
    wall: dict[str, list[float]] = {k: [] for k in cmds}
    cpu: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(reps):
        for k, cmd in cmds.items():
            w, c, rc = _timed(cmd, env)
            if rc != 0:
                raise SystemExit(f"{' '.join(cmd)} exited {rc}")
            wall[k].append(w)
            cpu[k].append(c)
    med = {k: round(statistics.median(v), 3) for k, v in wall.items()}
    cmed = {k: round(statistics.median(v), 3) for k, v in cpu.items()}
    return {
        "file": str(file),
        "bytes": file.stat().st_size,
        "reps": reps,
        "no_cache": no_cache,
        "wall_median": med,
        "cpu_median": cmed,
        "clean_vs_ftfy_wall": round(med["ingest_clean"] / med["ftfy"], 2),
        "clean_vs_ftfy_cpu": round(cmed["ingest_clean"] / cmed["ftfy"], 2),
        "load_avg": [round(x, 1) for x in os.getloadavg()],
        "commands": {k: " ".join(v).replace(str(C.ROOT) + "/", "") for k, v in cmds.items()},
    }


def render(r: dict) -> str:
    labels = {
        "python": "`python -c pass` (interpreter start, the floor)",
        "ingest_help": "`ingest --help`",
        "ingest_version": "`ingest --version`",
        "ingest_clean": "`ingest clean FILE`",
        "ingest_clean_nolang": "`ingest clean --no-language FILE`",
        "ftfy": "`ftfy FILE` (ftfy's CLI)",
    }
    out = [
        f"One file ({Path(r['file']).name}, {r['bytes']:,} bytes), every command a new process, "
        f"median of {r['reps']} interleaved runs"
        + (", language-model cache off (first-ever run)" if r["no_cache"] else ", language-model cache filled")
        + f"; load average after: {r['load_avg'][0]}.",
        "",
        "| command | wall s | CPU s | wall vs ftfy |",
        "|---|---:|---:|---:|",
    ]
    for k, label in labels.items():
        out.append(
            f"| {label} | {r['wall_median'][k]:.3f} | {r['cpu_median'][k]:.3f} |"
            f" {r['wall_median'][k] / r['wall_median']['ftfy']:.1f}× |"
        )
    out.append("")
    out.append(
        f"- `ingest clean` / ftfy CLI: **{r['clean_vs_ftfy_wall']}×** wall, {r['clean_vs_ftfy_cpu']}× CPU "
        f"(target ≤ 3: {'met' if r['clean_vs_ftfy_wall'] <= 3 else '**not met**'})."
    )
    out.append(
        f"- `ingest --help`: **{r['wall_median']['ingest_help']:.3f} s** (target ≤ 0.25 s: "
        f"{'met' if r['wall_median']['ingest_help'] <= 0.25 else '**not met**'})."
    )
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", type=Path, default=median_dump())
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    if args.file is None:
        ap.error("no --file and no text-dev dump to default to")
    r = run(file=args.file, reps=args.reps, no_cache=args.no_cache)
    print(render(r) if args.markdown else json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
