#!/usr/bin/env python3
"""Throughput of ``ingest run`` with the Dask executor against the local process pool.

Usage::

    python benchmarks/dask_throughput.py [N] [--workers 2] [--seed S]

Generates an N-article mixed corpus (benchmarks/make_corpus.py), then runs it once with the local
executor (a process pool of ``--workers``) and once with the Dask executor on a LocalCluster of
``--workers`` processes, each into a fresh output folder, and prints inputs/s, articles/s and the
ratio. The Dask time is given with and without the cluster start-up. One run each: on a shared
machine, repeat it before trusting a difference of a few percent.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest.batch import BatchConfig, make_executor, run_batch
from ingest.batch.dask_executor import DaskExecutor

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, nargs="?", default=3000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ingest-dask-bench-") as tmp:
        root = Path(tmp)
        subprocess.run(
            [sys.executable, str(HERE / "make_corpus.py"), str(args.n), str(root / "corpus"), "--seed", str(args.seed)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        raw = root / "corpus" / "raw"

        local = run_batch(BatchConfig(raw, root / "local"), executor=make_executor("local", args.workers))

        dask = DaskExecutor(args.workers, announce=None)
        t0 = time.perf_counter()
        dask.start()
        startup = time.perf_counter() - t0
        remote = run_batch(BatchConfig(raw, root / "dask"), executor=dask)

        same = all(
            (root / "dask" / p.relative_to(root / "local")).read_bytes() == p.read_bytes()
            for p in (root / "local").rglob("*.json*")
            if ".ingest" not in p.parts
        )
        lt, dt = float(local["duration_s"]), float(remote["duration_s"])  # type: ignore[arg-type]
        inputs = local["counts"]["ok"] + local["counts"]["failed"]  # type: ignore[index]
        articles = local["counts"]["articles_written"]  # type: ignore[index]
        print(f"corpus: {args.n} articles in {inputs} inputs; {args.workers} workers each; outputs identical: {same}")
        print(f"local process pool : {lt:7.2f} s  {inputs / lt:7.1f} inputs/s  {articles / lt:7.1f} articles/s")
        print(
            f"dask LocalCluster  : {dt:7.2f} s  {inputs / dt:7.1f} inputs/s  {articles / dt:7.1f} articles/s"
            f"  (+{startup:.2f} s cluster start)"
        )
        print(f"ratio dask/local throughput: {lt / dt:.2f} without start-up, {lt / (dt + startup):.2f} with it")


if __name__ == "__main__":
    main()
