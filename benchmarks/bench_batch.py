#!/usr/bin/env python3
"""Measures 4 and 5: peak RSS of ``ingest run`` on a big vs a small corpus; no-op rerun time.

Usage: ``python benchmarks/bench_batch.py [--small 10000] [--big 100000] [--reps 3] [--big-reps 1]
[--workers 1]``.

Peak memory is read two ways for every run: GNU ``/usr/bin/time -v`` ("Maximum resident set
size", the largest single process) and the summed RSS of the whole process tree sampled every
50 ms with psutil (what the machine has to hold; it matters once workers are processes). The
ratio uses the tree figure. The no-op rerun runs ``ingest run`` again on the big corpus into the
same output folder, unchanged, and is compared with the first (full) run of the big corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def _cmd(raw: Path, out: Path, workers: int) -> list[str]:
    return [C.ingest_exe(), "run", str(raw), str(out), "--workers", str(workers), "--quiet"]


def run(
    *,
    small: int = 10000,
    big: int = 100000,
    reps: int = 3,
    big_reps: int = 1,
    noop_reps: int = 3,
    workers: int = 1,
    workdir: Path,
) -> dict:
    if not C.has_run_command():
        return {"error": "`ingest run` is not available yet"}
    res: dict = {
        "small": small,
        "big": big,
        "reps": reps,
        "big_reps": big_reps,
        "noop_reps": noop_reps,
        "workers": workers,
    }
    failures: dict[str, str] = {}
    runs: dict[str, list[dict]] = {"small": [], "big": [], "noop": []}
    for label, n, k in (("small", small, reps), ("big", big, big_reps)):
        raw = C.corpus(workdir, n) / "raw"
        out = workdir / f"out-batch-{label}"
        for i in range(k):
            shutil.rmtree(out, ignore_errors=True)
            os.sync()  # the next run does not pay for writing back the previous one's deletions
            r = C.run_cmd(_cmd(raw, out, workers))
            if r.returncode != 0:
                failures[label] = f"exit {r.returncode}: {r.stderr_tail[-300:]}"
                break
            runs[label].append(
                {
                    "seconds": round(r.seconds, 2),
                    "tree_mb": round(r.peak_rss_mb, 1),
                    "single_mb": round(r.max_single_rss_mb, 1),
                }
            )
        if label == "big" and runs["big"]:
            for _ in range(noop_reps):  # the output of the last full run is still there: rerun over it
                r = C.run_cmd(_cmd(raw, out, workers))
                if r.returncode != 0:
                    failures["noop"] = f"exit {r.returncode}: {r.stderr_tail[-300:]}"
                    break
                runs["noop"].append(
                    {
                        "seconds": round(r.seconds, 2),
                        "tree_mb": round(r.peak_rss_mb, 1),
                        "single_mb": round(r.max_single_rss_mb, 1),
                    }
                )
        if label == "small":
            shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(workdir / "out-batch-big", ignore_errors=True)
    res["runs"] = runs
    res["failures"] = failures
    res["commands"] = [
        " ".join(_cmd(Path(f"$WORK/corpus-{n}-s1/raw"), Path(f"$WORK/out-batch-{lb}"), workers)).replace(
            str(C.ROOT) + "/", ""
        )
        for lb, n in (("small", small), ("big", big))
    ]

    def med(label: str, key: str) -> float | None:
        xs = [x[key] for x in runs[label]]
        return C.median(xs) if xs else None

    for label in runs:
        for key in ("seconds", "tree_mb", "single_mb"):
            v = med(label, key)
            if v is not None:
                res[f"{label}_{key}"] = round(v, 2)
    if res.get("small_tree_mb") and res.get("big_tree_mb"):
        res["memory_ratio"] = round(res["big_tree_mb"] / res["small_tree_mb"], 2)
    if res.get("big_seconds") and res.get("noop_seconds") is not None:
        res["noop_fraction"] = round(res["noop_seconds"] / res["big_seconds"], 4)
    return res


def render(r: dict) -> str:
    if "error" in r:
        return f"Not measured: {r['error']}."
    out = [
        f"`ingest run --workers {r['workers']}` on mixed generated corpora (`make_corpus.py N --seed 1`): "
        f"{r['small']:,} articles × {r['reps']} runs, {r['big']:,} articles × {r['big_reps']} run(s)"
        + (" (one run of the big corpus only: it takes long on this machine)" if r["big_reps"] < 3 else "")
        + f", then {r['noop_reps']} no-op reruns over the unchanged big corpus.",
        "",
        "| run | articles | median s | articles/s | peak RSS, process tree (MB) | largest process (MB, `time -v`) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, n in (("small", r["small"]), ("big", r["big"]), ("noop", r["big"])):
        if f"{label}_seconds" not in r:
            why = r["failures"].get(label, "not measured")
            out.append(f"| {label} | {n:,} | — | — | — | {why} |")
            continue
        name = {"small": "first run", "big": "first run", "noop": "no-op rerun"}[label]
        out.append(
            f"| {name} | {n:,} | {r[label + '_seconds']:.1f} | {n / r[label + '_seconds']:,.0f} | "
            f"{r[label + '_tree_mb']:.0f} | {r[label + '_single_mb']:.0f} |"
        )
    out.append("")
    if "memory_ratio" in r:
        ok = "met" if r["memory_ratio"] <= 1.2 else "**not met**"
        out.append(
            f"- Measure 4: peak RSS {r['big']:,} / {r['small']:,} articles = **{r['memory_ratio']}×** (target ≤ 1.2×:"
            f" {ok})."
        )
    if "noop_fraction" in r:
        ok = "met" if r["noop_fraction"] <= 0.05 else "**not met**"
        out.append(f"- Measure 5: no-op rerun / first run = **{r['noop_fraction']:.1%}** (target ≤ 5 %: {ok}).")
    for k, v in r["failures"].items():
        out.append(f"- {k} failed: `{v}`")
    out += ["", "Commands:", ""] + [f"    {c}" for c in r["commands"]]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", type=int, default=10000)
    ap.add_argument("--big", type=int, default=100000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--big-reps", type=int, default=1)
    ap.add_argument("--noop-reps", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/ingest-bench"))
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    r = run(
        small=args.small,
        big=args.big,
        reps=args.reps,
        big_reps=args.big_reps,
        noop_reps=args.noop_reps,
        workers=args.workers,
        workdir=args.workdir,
    )
    print(render(r) if args.markdown else json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
