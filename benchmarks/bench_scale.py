#!/usr/bin/env python3
"""Outputs and the duplicate index at scale (issues 16 and 17): time, CPU and peak RSS as N grows.

Usage::

    .venv/bin/python benchmarks/bench_scale.py run N [--workers 2] [--workdir DIR] [--keep]
    .venv/bin/python benchmarks/bench_scale.py overhead N --variant dedup|parquet [--reps 3] [--workers 1]
    .venv/bin/python benchmarks/bench_scale.py rebuild CLEAN_DIR [--first K] [--workdir DIR]
    .venv/bin/python benchmarks/bench_scale.py parquet RAW CLEAN_DIR [--include GLOB ...] [--workers 2]
    .venv/bin/python benchmarks/bench_scale.py parquet-rows TREE COPIES [--workdir DIR]
    .venv/bin/python benchmarks/bench_scale.py report [--workdir DIR]

**run N** generates ``make_corpus.py N --seed 1`` (text, HTML and JSONL inputs), then:

1. ``ingest run RAW OUT -w W -q --fail-on none --output json,parquet --dedup`` into a fresh
   folder: wall seconds, CPU seconds (user + sys of the whole process tree), peak RSS (summed over
   the process tree, sampled every 0.5 s, and the largest single process); a sample of
   (seconds, articles recorded, RSS) every 30 s, so a run stopped early still shows its growth;
2. ``ingest dedup OUT --json`` after deleting ``.ingest/dedup.sqlite``: the index rebuilt from the
   article files alone, same measures, and the index size;
3. DuckDB ``read_parquet('OUT/**/*.parquet')``: rows against the run's articles written, and the
   column types;
4. a no-op rerun (same command): parts before and after, and the change set.

Each step's figures go to ``DIR/scale-N.json``; the corpus and the output are deleted afterwards
unless ``--keep``.

**overhead N** runs ``ingest run RAW OUT -w W -q --fail-on none`` without and with ``--dedup`` (or
``--output json`` against ``--output json,parquet``), alternating, each into a fresh folder, ``--reps``
times: the added share of wall and CPU per repetition (one ratio per pair of runs made back to
back, so the load of the shared machine hits both alike) and their median. Writes
``DIR/overhead-VARIANT-N.json``.

**rebuild CLEAN_DIR** measures ``ingest dedup`` building the index from the article files alone
(no manifest: a hard-linked copy of the article tree, or of its first ``K`` subfolders, so an
output of N articles gives the 10k point too). Writes ``DIR/rebuild-ARTICLES.json``.

**parquet RAW CLEAN_DIR** measures what the Parquet step costs on an existing output: the same
``run --output json,parquet --dedup`` command as a no-op rerun, then again after deleting
``.ingest/parquet.state`` (the run then rebuilds the whole dataset from the article files, which
is what the Parquet step of a first run does); the difference in CPU is the Parquet step for
every article of the output. ``--include`` limits the rerun to inputs already done (a run
stopped early). Writes ``DIR/parquet-ROWS.json``.

**parquet-rows TREE COPIES** measures the Parquet step alone as the dataset grows: in a fresh
process, ``ParquetDataset.sync`` (what a run's Parquet step calls) builds the dataset from the
article files of TREE listed COPIES times (as distinct inputs), so a 10,000-article tree gives
10k, 50k or 100k rows; wall, CPU and peak RSS of that process, then DuckDB's
``read_parquet``: rows and column types. Writes ``DIR/parquet-rows-ROWS.json``.

**report** prints the Markdown tables of every JSON result in DIR (for BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import _common as C

WORKDIR = Path("/tmp/ingest-bench-scale")


def _cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _articles_recorded(out: Path) -> int | None:
    """Articles the manifest has recorded so far (read-only; None while it cannot be read)."""
    db_path = out / ".ingest" / "manifest.sqlite"
    if not db_path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            (n,) = db.execute(
                "SELECT COALESCE(SUM(CASE WHEN records_ok > 0 THEN records_ok ELSE 1 END), 0)"
                " FROM inputs WHERE status = 'ok'"
            ).fetchone()
        finally:
            db.close()
        return int(n)
    except sqlite3.Error:
        return None


def _tree_cpu(pid: int, seen: dict[int, float]) -> None:
    """Record the CPU seconds (user + sys) of every process in ``pid``'s tree so far, by pid."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return
    for q in procs:
        try:
            t = q.cpu_times()
            seen[q.pid] = max(seen.get(q.pid, 0.0), t.user + t.system)
        except psutil.Error:
            pass


def measure(cmd: list[str], *, out: Path | None = None, every: float = 30.0) -> dict[str, object]:
    """Run ``cmd``: wall and CPU seconds, peak RSS (tree sum and largest process), samples every ``every`` s.

    ``cpu_s`` is what the kernel accounts to reaped children (exact for ``-w 1``; a process pool's
    workers, children of the fork server, may not be counted); ``cpu_tree_s`` sums the CPU seen
    per process of the tree, sampled every 0.5 s (misses at most the last 0.5 s of each process).
    """
    samples: list[tuple[float, int | None, float]] = []
    cpu_seen: dict[int, float] = {}
    peak = 0
    cpu0 = _cpu_children()
    t0 = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-v", *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sampler() -> None:
        nonlocal peak
        last = 0.0
        while not done.is_set():
            rss = C._tree_rss(proc.pid)
            _tree_cpu(proc.pid, cpu_seen)
            peak = max(peak, rss)
            now = time.perf_counter() - t0
            if out is not None and now - last >= every:
                samples.append((round(now, 1), _articles_recorded(out), round(rss / 2**20, 1)))
                last = now
            done.wait(0.5)

    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    stdout, err = proc.communicate()
    seconds = time.perf_counter() - t0
    done.set()
    th.join()
    single = 0.0
    for line in err.splitlines():
        if "Maximum resident set size (kbytes)" in line:
            single = int(line.rsplit(":", 1)[1]) / 1024
    return {
        "cmd": " ".join(cmd),
        "returncode": proc.returncode,
        "wall_s": round(seconds, 2),
        "cpu_s": round(_cpu_children() - cpu0, 2),
        "cpu_tree_s": round(sum(cpu_seen.values()), 2),
        "peak_rss_mb": round(max(peak / 2**20, single), 1),
        "max_single_rss_mb": round(single, 1),
        "samples": samples,
        "stdout": stdout,
        "stderr_tail": "\n".join(x for x in err.splitlines() if not x.startswith("\t"))[-600:],
    }


def _ingest() -> list[str]:
    return [C.ingest_exe()]


def _save(path: Path, data: dict[str, object]) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def run_scale(n: int, workers: int, workdir: Path, keep: bool) -> dict[str, object]:
    import duckdb

    corpus = C.corpus(workdir, n, seed=1, jobs=1)
    raw, out = corpus / "raw", workdir / f"out-{n}"
    shutil.rmtree(out, ignore_errors=True)
    result: dict[str, object] = {
        "n": n,
        "workers": workers,
        "machine": C.machine(),
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    target = workdir / f"scale-{n}.json"
    cmd = [
        *_ingest(),
        "run",
        str(raw),
        str(out),
        "-w",
        str(workers),
        "--json",
        "--fail-on",
        "none",
        "--output",
        "json,parquet",
        "--dedup",
    ]
    run = measure(cmd, out=out)
    report = json.loads(run.pop("stdout") or "{}")
    run["articles_written"] = report.get("counts", {}).get("articles_written")
    run["dedup"] = report.get("dedup")
    run["parquet"] = report.get("parquet")
    result["run_dedup_parquet"] = run
    _save(target, result)

    index = out / ".ingest" / "dedup.sqlite"
    result["index_mb"] = round(sum(p.stat().st_size for p in index.parent.glob("dedup.sqlite*")) / 1e6, 1)
    for p in index.parent.glob("dedup.sqlite*"):
        p.unlink()
    rebuild = measure([*_ingest(), "dedup", str(out), "--json"])
    rebuild["info"] = json.loads(rebuild.pop("stdout") or "{}")
    result["dedup_rebuild"] = rebuild
    _save(target, result)

    glob = f"{out}/**/*.parquet"
    (rows,) = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall()[0]
    (distinct,) = duckdb.sql(f"SELECT count(DISTINCT doc_id) FROM read_parquet('{glob}')").fetchall()[0]
    types = {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{glob}')").fetchall()}
    result["duckdb"] = {
        "rows": rows,
        "distinct_doc_ids": distinct,
        "types": {
            k: types.get(k) for k in ("published", "updated", "authors", "source", "stats", "field_sources", "extra")
        },
        "parquet_mb": round(sum(p.stat().st_size for p in (out / "articles.parquet").iterdir()) / 1e6, 1),
    }
    parts_before = sorted(p.name for p in (out / "articles.parquet").iterdir())
    noop = measure(cmd)
    noop_report = json.loads(noop.pop("stdout") or "{}")
    parts_after = sorted(p.name for p in (out / "articles.parquet").iterdir())
    result["noop"] = {
        "wall_s": noop["wall_s"],
        "cpu_s": noop["cpu_s"],
        "new_parts": sorted(set(parts_after) - set(parts_before)),
        "changes": noop_report.get("changes"),
    }
    _save(target, result)
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(corpus, ignore_errors=True)
    return result


def run_overhead(n: int, variant: str, reps: int, workers: int, workdir: Path, keep: bool) -> dict[str, object]:
    corpus = C.corpus(workdir, n, seed=1, jobs=1)
    raw = corpus / "raw"
    base = [*_ingest(), "run", str(raw), "OUT", "-w", str(workers), "-q", "--fail-on", "none", "--output", "json"]
    with_it = [*base, "--dedup"] if variant == "dedup" else [*base[:-1], "json,parquet"]
    pairs = []
    for rep in range(reps):
        got = {}
        order = (("without", base), ("with", with_it)) if rep % 2 == 0 else (("with", with_it), ("without", base))
        for name, cmd in order:
            out = workdir / f"ovh-{name}"
            shutil.rmtree(out, ignore_errors=True)
            m = measure([str(out) if x == "OUT" else x for x in cmd])
            m.pop("stdout")
            got[name] = m
            shutil.rmtree(out, ignore_errors=True)
        pairs.append(
            {
                "without": {k: got["without"][k] for k in ("wall_s", "cpu_s", "cpu_tree_s", "peak_rss_mb")},
                "with": {k: got["with"][k] for k in ("wall_s", "cpu_s", "cpu_tree_s", "peak_rss_mb")},
                "added_wall": round(got["with"]["wall_s"] / got["without"]["wall_s"] - 1, 4),
                "added_cpu": round(got["with"]["cpu_s"] / got["without"]["cpu_s"] - 1, 4),
            }
        )
        print(json.dumps(pairs[-1]), flush=True)
    result = {
        "n": n,
        "variant": variant,
        "reps": reps,
        "workers": workers,
        "machine": C.machine(),
        "cmd_without": " ".join(base),
        "cmd_with": " ".join(with_it),
        "pairs": pairs,
        "median_added_wall": statistics.median(p["added_wall"] for p in pairs),
        "median_added_cpu": statistics.median(p["added_cpu"] for p in pairs),
        "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    _save(workdir / f"overhead-{variant}-{n}.json", result)
    if not keep:
        shutil.rmtree(corpus, ignore_errors=True)
    return result


def run_rebuild(clean: Path, first: int | None, workdir: Path) -> dict[str, object]:
    tree = workdir / "rebuild-tree"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    folders = sorted(p for p in clean.iterdir() if p.is_dir() and not p.name.startswith(".") and p.suffix != ".parquet")
    for folder in folders[:first] if first else folders:
        subprocess.run(["cp", "-al", str(folder), str(tree / folder.name)], check=True)
    m = measure([*_ingest(), "dedup", str(tree), "--json"])
    m["info"] = json.loads(m.pop("stdout") or "{}")
    m["index_mb"] = round(sum(p.stat().st_size for p in (tree / ".ingest").glob("dedup.sqlite*")) / 1e6, 1)
    m["machine"] = C.machine()
    _save(workdir / f"rebuild-{m['info'].get('articles')}.json", m)
    shutil.rmtree(tree, ignore_errors=True)
    return m


def run_parquet(raw: Path, clean: Path, include: list[str], workers: int, workdir: Path) -> dict[str, object]:
    cmd = [
        *_ingest(),
        "run",
        str(raw),
        str(clean),
        "-w",
        str(workers),
        "--json",
        "--fail-on",
        "none",
        "--output",
        "json,parquet",
        "--dedup",
        *(x for g in include for x in ("--include", g)),
    ]
    noop = measure(cmd)
    noop_report = json.loads(noop.pop("stdout") or "{}")
    (clean / ".ingest" / "parquet.state").unlink()
    rebuild = measure(cmd)
    rebuild_report = json.loads(rebuild.pop("stdout") or "{}")
    rows = (rebuild_report.get("parquet") or {}).get("rows_written") or 0
    result = {
        "cmd": " ".join(cmd),
        "machine": C.machine(),
        "noop": {**noop, "parquet": noop_report.get("parquet"), "changes": noop_report.get("changes")},
        "rebuild": {**rebuild, "parquet": rebuild_report.get("parquet")},
        "rows": rows,
        "parquet_cpu_s": round(rebuild["cpu_tree_s"] - noop["cpu_tree_s"], 2),
        "parquet_cpu_ms_per_article": round((rebuild["cpu_tree_s"] - noop["cpu_tree_s"]) / max(rows, 1) * 1000, 3),
    }
    _save(workdir / f"parquet-{rows}.json", result)
    return result


def _parquet_child(tree: Path, copies: int, out: Path) -> None:
    """In a fresh process: the Parquet step over ``copies`` listings of every article file of ``tree``."""
    from ingest.exports.parquet import ParquetDataset

    files = sorted(str(p.relative_to(tree)) for p in tree.rglob("*.json*") if ".ingest" not in p.parts)

    def current() -> Iterator[tuple[str, str]]:
        for j in range(copies):
            for rel in files:
                yield f"copy{j:03d}/{rel}", rel

    def lines_of(rel: str) -> Iterator[bytes]:
        with open(tree / rel, "rb") as fh:
            yield from fh

    dataset = ParquetDataset(out, out / ".ingest", durable=False)
    (out / ".ingest").mkdir(parents=True, exist_ok=True)
    stats = dataset.sync(run_id="bench", previous_run=None, touched=set(), current=current, lines_of=lines_of)
    print(json.dumps(stats))


def run_parquet_rows(tree: Path, copies: int, workdir: Path) -> dict[str, object]:
    import duckdb

    out = workdir / f"pq-{copies}"
    shutil.rmtree(out, ignore_errors=True)
    m = measure([sys.executable, __file__, "_parquet-child", str(tree), str(copies), str(out)])
    m["stats"] = json.loads(m.pop("stdout") or "{}")
    glob = f"{out}/**/*.parquet"
    (rows,) = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall()[0]
    types = {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{glob}')").fetchall()}
    kinds = {k: types.get(k) for k in ("published", "updated", "authors", "source", "stats")}
    m["duckdb"] = {"rows": rows, "types": kinds}
    m["parquet_mb"] = round(sum(p.stat().st_size for p in (out / "articles.parquet").iterdir()) / 1e6, 1)
    m["machine"] = C.machine()
    _save(workdir / f"parquet-rows-{rows}.json", m)
    shutil.rmtree(out, ignore_errors=True)
    return m


def report(workdir: Path) -> str:
    lines = []
    for path in sorted(workdir.glob("overhead-*.json")):
        r = json.loads(path.read_text())
        lines += [
            (
                f"**{r['variant']}** on {r['n']:,} articles, `-w {r['workers']}`, {r['reps']} pairs"
                f" (finished {r['finished']}, load at start {r['machine']['load_at_start']}):"
            ),
            "",
            "| pair | wall without | wall with | added wall | CPU without | CPU with | added CPU |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for i, p in enumerate(r["pairs"], 1):
            lines.append(
                f"| {i} | {p['without']['wall_s']:.1f} s | {p['with']['wall_s']:.1f} s |"
                f" {p['added_wall'] * 100:+.1f} % |"
                f" {p['without']['cpu_s']:.1f} s | {p['with']['cpu_s']:.1f} s | {p['added_cpu'] * 100:+.1f} % |"
            )
        wall, cpu = r["median_added_wall"] * 100, r["median_added_cpu"] * 100
        lines += [f"| **median** | | | **{wall:+.1f} %** | | | **{cpu:+.1f} %** |", ""]
    rows = []
    for path in sorted(workdir.glob("scale-*.json"), key=lambda p: int(p.stem.split("-")[1])):
        r = json.loads(path.read_text())
        run, reb = r.get("run_dedup_parquet", {}), r.get("dedup_rebuild", {})
        rows.append(r)
        run_keys = ("wall_s", "cpu_s", "cpu_tree_s", "peak_rss_mb", "max_single_rss_mb", "articles_written")
        reb_keys = ("wall_s", "cpu_s", "cpu_tree_s", "peak_rss_mb")
        lines.append(
            f"- {r['n']:,}: run {json.dumps({k: run.get(k) for k in run_keys})},"
            f" rebuild {json.dumps({k: reb.get(k) for k in reb_keys})}, index {r.get('index_mb')} MB,"
            f" duckdb {json.dumps(r.get('duckdb'))}, noop {json.dumps(r.get('noop'))}"
        )
    for path in sorted(workdir.glob("rebuild-*.json"), key=lambda p: int(p.stem.split("-")[1] or 0)):
        r = json.loads(path.read_text())
        lines.append(
            f"- rebuild {r['info'].get('articles')}: wall {r['wall_s']} s, CPU {r['cpu_s']} s,"
            f" peak RSS {r['peak_rss_mb']} MB,"
            f" index {r['index_mb']} MB, {json.dumps(r['info'])}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("n", type=int)
    r.add_argument("--workers", type=int, default=2)
    o = sub.add_parser("overhead")
    o.add_argument("n", type=int)
    o.add_argument("--variant", choices=("dedup", "parquet"), required=True)
    o.add_argument("--reps", type=int, default=3)
    o.add_argument("--workers", type=int, default=1)
    b = sub.add_parser("rebuild")
    b.add_argument("clean", type=Path)
    b.add_argument("--first", type=int, help="only the first K subfolders of the tree")
    q = sub.add_parser("parquet")
    q.add_argument("raw", type=Path)
    q.add_argument("clean", type=Path)
    q.add_argument("--include", action="append", default=[])
    q.add_argument("--workers", type=int, default=2)
    pr = sub.add_parser("parquet-rows")
    pr.add_argument("tree", type=Path)
    pr.add_argument("copies", type=int)
    child = sub.add_parser("_parquet-child")
    child.add_argument("tree", type=Path)
    child.add_argument("copies", type=int)
    child.add_argument("out", type=Path)
    p = sub.add_parser("report")
    for s in (r, o, b, q, pr, p):
        s.add_argument("--workdir", type=Path, default=WORKDIR)
        s.add_argument("--keep", action="store_true", help="keep the generated corpus and outputs")
    args = ap.parse_args(argv)
    if hasattr(args, "workdir"):
        args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ.pop("INGEST_CONFIG", None)
    if args.cmd == "run":
        print(json.dumps(run_scale(args.n, args.workers, args.workdir, args.keep), indent=1))
    elif args.cmd == "overhead":
        result = run_overhead(args.n, args.variant, args.reps, args.workers, args.workdir, args.keep)
        print(json.dumps(result, indent=1))
    elif args.cmd == "_parquet-child":
        _parquet_child(args.tree, args.copies, args.out)
    elif args.cmd == "parquet-rows":
        print(json.dumps(run_parquet_rows(args.tree, args.copies, args.workdir), indent=1))
    elif args.cmd == "parquet":
        print(json.dumps(run_parquet(args.raw, args.clean, args.include, args.workers, args.workdir), indent=1))
    elif args.cmd == "rebuild":
        print(json.dumps(run_rebuild(args.clean, args.first, args.workdir), indent=1))
    else:
        print(report(args.workdir))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
