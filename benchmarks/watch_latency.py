#!/usr/bin/env python3
"""Drop-folder benchmark: how long from a file's drop to its article, with ``ingest watch``.

Usage::

    python benchmarks/watch_latency.py                       # burst of 2,000 + trickle of 100
    python benchmarks/watch_latency.py --burst 5000 --trickle 0 --workers 2 --settle 1

A real ``ingest watch`` process watches a fresh temp folder; inputs come from
``make_corpus.py`` (text, HTML and JSONL, damaged) and are dropped the way producers should drop
them (write ``name.part``, rename). The delay of a file is the time from its rename to the
watcher's ``ok``/``failed`` line for it on stdout, both read on this process's monotonic clock.

* **burst**: every file dropped as fast as possible — files/s from the first drop to the last
  line, delay median/p95 (mostly the queue behind the burst), peak RSS of the watcher alone and
  with its workers (psutil, sampled every 50 ms).
* **trickle**: one file every ``--interval`` seconds — the delay a single drop sees on an idle
  watcher: ``--settle`` plus the cleaning itself.

Nothing here asserts a time; the numbers are printed (and written as JSON with ``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
INGEST = str(Path(sys.executable).parent / "ingest")


class Watcher:
    """``ingest watch`` with a thread stamping each stdout line on arrival."""

    def __init__(self, raw: Path, clean: Path, workers: int, settle: float) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
        self.proc = subprocess.Popen(
            [INGEST, "watch", str(raw), str(clean), "-w", str(workers), "--settle", str(settle), "--json"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.done: dict[str, float] = {}
        self.ready = threading.Event()
        self._cond = threading.Condition()
        threading.Thread(target=self._out, daemon=True).start()
        threading.Thread(target=self._err, daemon=True).start()

    def _out(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            rec = json.loads(line)
            with self._cond:
                self.done[rec["path"]] = time.monotonic()
                self._cond.notify_all()

    def _err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if "watching" in line:
                self.ready.set()

    def wait_count(self, n: int, timeout: float) -> None:
        end = time.monotonic() + timeout
        with self._cond:
            while len(self.done) < n:
                left = end - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise SystemExit(f"only {len(self.done)} of {n} files came out")
                self._cond.wait(min(left, 0.5))

    def stop(self) -> dict[str, object]:
        self.proc.terminate()
        self.proc.wait(timeout=120)
        return {}


def _drop(src: Path, dest: Path) -> float:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dest)
    return time.monotonic()


def _rss(pid: int, peak: dict[str, int], stop: threading.Event) -> None:
    import psutil

    me = psutil.Process(pid)
    while not stop.is_set():
        try:
            driver = me.memory_info().rss
            total = driver + sum(c.memory_info().rss for c in me.children(recursive=True))
        except psutil.Error:
            return
        peak["driver"], peak["total"] = max(peak["driver"], driver), max(peak["total"], total)
        time.sleep(0.05)


def _delays(dropped: dict[str, float], done: dict[str, float]) -> dict[str, float]:
    d = sorted(done[k] - t for k, t in dropped.items())
    return {
        "median_s": round(statistics.median(d), 3),
        "p95_s": round(d[min(len(d) - 1, int(len(d) * 0.95))], 3),
        "max_s": round(d[-1], 3),
    }


def burst(files: list[Path], src_root: Path, work: Path, workers: int, settle: float) -> dict[str, object]:
    raw, clean = work / "burst-raw", work / "burst-clean"
    raw.mkdir()
    w = Watcher(raw, clean, workers, settle)
    if not w.ready.wait(120):
        raise SystemExit("the watcher did not start")
    peak = {"driver": 0, "total": 0}
    stop = threading.Event()
    sampler = threading.Thread(target=_rss, args=(w.proc.pid, peak, stop), daemon=True)
    sampler.start()
    dropped = {}
    t0 = time.monotonic()
    for f in files:
        rel = f.relative_to(src_root).as_posix()
        dropped[rel] = _drop(f, raw / rel)
    w.wait_count(len(files), timeout=3600)
    elapsed = max(w.done.values()) - t0
    stop.set()
    sampler.join()
    w.stop()
    return {
        "files": len(files),
        "workers": workers,
        "settle_s": settle,
        "seconds": round(elapsed, 2),
        "files_per_s": round(len(files) / elapsed, 1),
        "delay": _delays(dropped, w.done),
        "peak_rss_mb": {"watcher": round(peak["driver"] / 2**20), "with_workers": round(peak["total"] / 2**20)},
    }


def trickle(
    files: list[Path], src_root: Path, work: Path, workers: int, settle: float, interval: float
) -> dict[str, object]:
    raw, clean = work / "trickle-raw", work / "trickle-clean"
    raw.mkdir()
    w = Watcher(raw, clean, workers, settle)
    if not w.ready.wait(120):
        raise SystemExit("the watcher did not start")
    dropped = {}
    for f in files:
        rel = f.relative_to(src_root).as_posix()
        dropped[rel] = _drop(f, raw / rel)
        time.sleep(interval)
    w.wait_count(len(files), timeout=600)
    w.stop()
    return {"files": len(files), "interval_s": interval, "settle_s": settle, "delay": _delays(dropped, w.done)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--burst", type=int, default=2000, help="files dropped at once (0: skip)")
    ap.add_argument("--trickle", type=int, default=100, help="files dropped one by one (0: skip)")
    ap.add_argument("--interval", type=float, default=0.2, help="seconds between trickled files")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--settle", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)
    n = max(args.burst, args.trickle)
    with tempfile.TemporaryDirectory(prefix="ingest-watch-bench-") as tmp:
        work = Path(tmp)
        subprocess.run(
            [sys.executable, str(HERE / "make_corpus.py"), str(n), str(work / "corpus"), "--seed", str(args.seed)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        src = work / "corpus" / "raw"
        files = sorted(p for p in src.rglob("*") if p.is_file())
        results: dict[str, object] = {}
        if args.trickle:
            results["trickle"] = trickle(files[: args.trickle], src, work, args.workers, args.settle, args.interval)
            print(json.dumps({"trickle": results["trickle"]}), flush=True)
        if args.burst:
            results["burst"] = burst(files[: args.burst], src, work, args.workers, args.settle)
            print(json.dumps({"burst": results["burst"]}), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
