"""Helpers shared by the bench scripts: corpora, timing, memory, the shingle F1, the machine."""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
VENV_BIN = Path(sys.executable).parent
HTML_DEV = ROOT.parent / "shared" / "eval" / "html-dev"


def ingest_exe() -> str:
    """The ``ingest`` console script next to this interpreter (the project's venv)."""
    exe = VENV_BIN / "ingest"
    return str(exe) if exe.exists() else "ingest"


def corpus(workdir: Path, n: int, *, seed: int = 1, only: str | None = None, jobs: int = 2) -> Path:
    """``workdir/corpus-…`` generated once and reused by every measure (returns the corpus dir)."""
    name = f"corpus-{n}-s{seed}" + (f"-{only}" if only else "")
    out = workdir / name
    if (out / "gold.jsonl").exists() and (out / ".complete").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, str(BENCH / "make_corpus.py"), str(n), str(out), "--seed", str(seed), "--jobs", str(jobs)]
    if only:
        cmd += ["--only", only]
    subprocess.run(cmd, check=True)
    (out / ".complete").touch()
    return out


def median(xs: list[float]) -> float:
    return float(statistics.median(xs))


@dataclass(frozen=True)
class RunResult:
    """One external command: wall seconds, exit code, peak RSS (MB) of the process tree, stderr tail."""

    seconds: float
    returncode: int
    peak_rss_mb: float
    max_single_rss_mb: float  # GNU time's "Maximum resident set size" (largest single process)
    stderr_tail: str
    # User + system CPU seconds of the command and its children (GNU time), 0.0 when unknown. On a
    # shared, loaded machine wall time mostly measures the other users; CPU time much less so.
    cpu_seconds: float = 0.0


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for q in procs:
        try:
            total += q.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_cmd(cmd: list[str], *, env: dict[str, str] | None = None, sample_every: float | None = 0.05) -> RunResult:
    """Run ``cmd`` under ``/usr/bin/time -v``; sample the summed RSS of its process tree meanwhile.

    ``sample_every=None`` skips the sampling: walking the process tree every 50 ms costs CPU on
    the same cores, which a run using every core (``--workers 2`` on 2 cores) would pay for.
    """
    full = ["/usr/bin/time", "-v", *cmd] if Path("/usr/bin/time").exists() else cmd
    peak = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    done = threading.Event()

    def sampler() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(sample_every)

    th = threading.Thread(target=sampler, daemon=True)
    if sample_every is not None:
        th.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - t0
    done.set()
    if sample_every is not None:
        th.join()
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    single = int(m.group(1)) / 1024 if m else 0.0
    tail = "\n".join(line for line in err.splitlines() if not line.startswith("\t"))[-800:]
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", err))
    return RunResult(seconds, proc.returncode, max(peak / 2**20, single), single, tail, cpu)


def has_run_command() -> bool:
    """True once ``ingest run`` exists (another engineer builds it in ``ingest.batch``)."""
    p = subprocess.run([ingest_exe(), "run", "--help"], capture_output=True, text=True)
    return p.returncode == 0


# ---- the shingle F1 of the article-extraction benchmark (see ../shared/eval/html-dev/README.md) ----

_TOKEN_RE = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = _TOKEN_RE.findall(text or "")
    if len(toks) < n:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def prf(pred: str | None, gold: str) -> tuple[float | None, float]:
    """(precision or None when there is no output, recall) for one page, as the benchmark defines them."""
    g = shingles(gold)
    p = shingles(pred or "")
    tp = sum((p & g).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total == 0:
        return (1.0 if pred else None), 1.0
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if pred and (tp + fp) > 0 else None
    recall = tp / (tp + fn) if (tp + fn) > 0 else 0.0
    return precision, recall


def f1_of(pairs: list[tuple[str | None, str]]) -> dict[str, float]:
    """Mean precision over pages with output, mean recall over pages, F1 of the two means."""
    ps, rs = [], []
    for pred, gold in pairs:
        p, r = prf(pred, gold)
        if p is not None:
            ps.append(p)
        rs.append(r)
    P = sum(ps) / len(ps) if ps else 0.0
    R = sum(rs) / len(rs) if rs else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return {"precision": round(P, 4), "recall": round(R, 4), "f1": round(F, 4)}


# ---- the machine ------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        load = ""
    import ftfy

    versions = {"ftfy": ftfy.__version__}
    for mod in ("trafilatura", "unstructured"):
        try:
            versions[mod] = __import__(mod).__version__ if mod != "unstructured" else _unstructured_version()
        except Exception:
            versions[mod] = "not installed"
    from ingest import __version__ as ingest_version

    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""

    return {
        "cpu": cpu or platform.processor(),
        "cores": str(os.cpu_count()),
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "ingest": ingest_version + (f" (commit {commit})" if commit else ""),
        "load_at_start": load,
        **{k: str(v) for k, v in versions.items()},
    }


def _unstructured_version() -> str:
    """The version in this environment, else in ``INGEST_BENCH_UNSTRUCTURED_PYTHON``'s (see bench_quality)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("unstructured")
    except PackageNotFoundError:
        other = os.environ.get("INGEST_BENCH_UNSTRUCTURED_PYTHON")
        if other:
            got = subprocess.run(
                [other, "-c", "from importlib.metadata import version; print(version('unstructured'))"],
                capture_output=True,
                text=True,
            )
            if got.returncode == 0:
                return got.stdout.strip() + " (separate venv)"
        raise
