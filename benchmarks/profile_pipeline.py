#!/usr/bin/env python3
"""Profile ``ingest.clean_article`` with cProfile on generated text articles; print the top functions.

Usage: ``python benchmarks/profile_pipeline.py [--n 2000] [--workdir DIR] [--top 25]``.
Also times ``ftfy.fix_text`` (default configuration) over the same texts, the floor the
throughput target is measured against.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def run(*, n: int = 2000, workdir: Path, top: int = 25, seed: int = 1) -> dict:
    import ftfy

    from ingest import clean_article

    cdir = C.corpus(workdir, n, seed=seed, only="text")
    files = sorted(p for p in (cdir / "raw").rglob("*.txt"))
    data = [(str(p.relative_to(cdir / "raw")), p.read_bytes()) for p in files]
    mb = sum(len(d) for _, d in data) / 1e6
    clean_article(data[0][1], path=data[0][0])  # warm caches (language model, lazy imports) outside the profile

    t0 = time.perf_counter()
    for rel, d in data:
        clean_article(d, path=rel)
    plain = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _, d in data:
        ftfy.fix_text(d.decode("utf-8"))
    ftfy_s = time.perf_counter() - t0

    prof = cProfile.Profile()
    prof.enable()
    for rel, d in data:
        clean_article(d, path=rel)
    prof.disable()
    stats = pstats.Stats(prof)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _) in stats.stats.items():  # type: ignore[attr-defined]
        short = file.replace(str(C.ROOT) + "/", "").split("site-packages/")[-1]
        rows.append({"function": f"{short}:{line}({func})", "calls": nc, "tottime": round(tt, 3), "cumtime": round(ct, 3)})
    by_tot = sorted(rows, key=lambda r: -r["tottime"])[:top]
    by_cum = sorted((r for r in rows if "ingest/" in r["function"] or "ftfy/" in r["function"]), key=lambda r: -r["cumtime"])[:top]
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    return {
        "articles": len(data),
        "megabytes": round(mb, 1),
        "clean_article_seconds": round(plain, 3),
        "ms_per_article": round(1000 * plain / len(data), 3),
        "ftfy_fix_text_seconds": round(ftfy_s, 3),
        "ratio_to_ftfy": round(plain / ftfy_s, 2) if ftfy_s else None,
        "profiled_total_tottime": round(total, 3),
        "top_tottime": by_tot,
        "top_cumtime": by_cum,
    }


def render(r: dict) -> str:
    out = [
        f"`clean_article` on {r['articles']} generated text articles ({r['megabytes']} MB), in one process: "
        f"{r['clean_article_seconds']} s ({r['ms_per_article']} ms/article); `ftfy.fix_text` alone on the same texts: "
        f"{r['ftfy_fix_text_seconds']} s (ratio {r['ratio_to_ftfy']}).",
        "",
        "Top functions by own time (cProfile; times include profiler overhead):",
        "",
        "| function | calls | own s | cumulative s |",
        "|---|---:|---:|---:|",
    ]
    for row in r["top_tottime"][:15]:
        out.append(f"| `{row['function']}` | {row['calls']} | {row['tottime']} | {row['cumtime']} |")
    out += ["", "ingest / ftfy functions by cumulative time:", "", "| function | calls | own s | cumulative s |", "|---|---:|---:|---:|"]
    for row in r["top_cumtime"][:15]:
        out.append(f"| `{row['function']}` | {row['calls']} | {row['tottime']} | {row['cumtime']} |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/ingest-bench"))
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    r = run(n=args.n, workdir=args.workdir, top=args.top)
    print(render(r) if args.markdown else json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
