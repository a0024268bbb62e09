#!/usr/bin/env python3
"""Profile ``ingest run -w 1 -q`` (in this process) with cProfile on generated or real text articles.

Usage: ``python benchmarks/profile_pipeline.py [--corpus generated|real] [--n 1500] [--copies 20]
[--workdir DIR] [--top 25]``. ``--corpus real`` profiles the 91 text-dev dumps copied ``--copies``
times (the real-text corpus of ``bench_throughput.py --corpus real``).
The run goes through the CLI entry point exactly as ``ingest run RAW OUT -w 1 -q`` does (one
worker is in-process), into a fresh output folder each time: once unprofiled for its time, once
under cProfile. The language model is loaded before either (a one-off per process, not a
per-article cost). Also times ``ftfy.fix_text`` (default configuration) over the same texts,
the core of the minimal ETL the throughput target is measured against.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def _ingest_run(raw: Path, out: Path) -> None:
    """``ingest run RAW OUT -w 1 -q`` through the CLI entry point, in this process."""
    from ingest.cli import app

    shutil.rmtree(out, ignore_errors=True)
    try:
        app(["run", str(raw), str(out), "--workers", "1", "--quiet"], standalone_mode=False)
    except SystemExit as e:  # typer may still exit for a rejected input: that is a result, not an error
        if e.code not in (0, 1, None):
            raise


def run(
    *, n: int = 1500, workdir: Path, top: int = 25, seed: int = 1, corpus: str = "generated", copies: int = 20
) -> dict:
    import ftfy

    from ingest import clean_article

    if corpus == "real":
        from bench_throughput import real_corpus

        cdir = real_corpus(workdir, copies)
    else:
        cdir = C.corpus(workdir, n, seed=seed, only="text")
    raw = cdir / "raw"
    out = workdir / "out-profile"
    files = sorted(p for p in raw.rglob("*.txt"))
    data = [(str(p.relative_to(raw)), p.read_bytes()) for p in files]
    mb = sum(len(d) for _, d in data) / 1e6
    clean_article(data[0][1], path=data[0][0])  # warm caches (language model, lazy imports) outside the timing

    t0 = time.perf_counter()
    _ingest_run(raw, out)
    plain = time.perf_counter() - t0
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    for _, d in data:
        ftfy.fix_text(d.decode("utf-8"))
    ftfy_s = time.perf_counter() - t0

    prof = cProfile.Profile()
    prof.enable()
    _ingest_run(raw, out)
    prof.disable()
    shutil.rmtree(out, ignore_errors=True)
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _) in stats.stats.items():  # type: ignore[attr-defined]
        short = file.replace(str(C.ROOT) + "/", "").split("site-packages/")[-1]
        rows.append(
            {"function": f"{short}:{line}({func})", "calls": nc, "tottime": round(tt, 3), "cumtime": round(ct, 3)}
        )
    by_tot = sorted(rows, key=lambda r: -r["tottime"])[:top]
    by_cum = sorted(
        (r for r in rows if "ingest/" in r["function"] or "ftfy/" in r["function"]), key=lambda r: -r["cumtime"]
    )[:top]
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    return {
        "corpus": corpus,
        "articles": len(data),
        "megabytes": round(mb, 1),
        "run_seconds": round(plain, 3),
        "ms_per_article": round(1000 * plain / len(data), 3),
        "ftfy_fix_text_seconds": round(ftfy_s, 3),
        "ratio_to_ftfy": round(plain / ftfy_s, 2) if ftfy_s else None,
        "profiled_total_tottime": round(total, 3),
        "top_tottime": by_tot,
        "top_cumtime": by_cum,
    }


def render(r: dict) -> str:
    out = [
        (
            f"`ingest run RAW OUT --workers 1 --quiet` (in-process, through the CLI entry point) on {r['articles']}"
            f" {'real (text-dev dumps, copied)' if r.get('corpus') == 'real' else 'generated'} text articles"
            f" ({r['megabytes']} MB): {r['run_seconds']} s ({r['ms_per_article']} ms/article) unprofiled;"
            f" `ftfy.fix_text` alone on the same texts, already in memory: {r['ftfy_fix_text_seconds']} s (ratio"
            f" {r['ratio_to_ftfy']})."
        ),
        "",
        "Top functions by own time (cProfile; times include profiler overhead):",
        "",
        "| function | calls | own s | cumulative s |",
        "|---|---:|---:|---:|",
    ]
    for row in r["top_tottime"][:15]:
        out.append(f"| `{row['function']}` | {row['calls']} | {row['tottime']} | {row['cumtime']} |")
    out += [
        "",
        "ingest / ftfy functions by cumulative time:",
        "",
        "| function | calls | own s | cumulative s |",
        "|---|---:|---:|---:|",
    ]
    for row in r["top_cumtime"][:15]:
        out.append(f"| `{row['function']}` | {row['calls']} | {row['tottime']} | {row['cumtime']} |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=("generated", "real"), default="generated")
    ap.add_argument("--n", type=int, default=1500, help="generated corpus: number of articles")
    ap.add_argument("--copies", type=int, default=20, help="real corpus: copies of the 91 text-dev dumps")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/ingest-bench"))
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    r = run(n=args.n, workdir=args.workdir, top=args.top, corpus=args.corpus, copies=args.copies)
    print(render(r) if args.markdown else json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
