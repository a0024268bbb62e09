#!/usr/bin/env python3
"""Run every benchmark and write ``BENCHMARKS.md`` (and ``benchmarks/results.json``).

Usage (``make bench`` runs the first)::

    python benchmarks/run_all.py                 # the sizes the issue asks for (long: see BENCHMARKS.md)
    python benchmarks/run_all.py --quick         # smaller corpora, same measures, a few minutes
    python benchmarks/run_all.py --only quality,html

Corpora are generated once into ``--workdir`` (default ``/tmp/ingest-bench``) and reused.
Nothing here asserts a time: the numbers are written down, the targets compared, that is all.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402
import bench_batch  # noqa: E402
import bench_html  # noqa: E402
import bench_quality  # noqa: E402
import bench_throughput  # noqa: E402
import cli_latency  # noqa: E402
import profile_pipeline  # noqa: E402

SIZES = {
    "full": {
        "quality": 2000,
        "throughput": 20000,
        "throughput_reps": 3,
        "library_loop": False,
        "html_pages": 1000,
        "html_reps": 3,
        "small": 10000,
        "big": 100000,
        "batch_reps": 3,
        "big_reps": 1,
        "noop_reps": 3,
        "profile": 1500,
        "real_copies": 20,
        "cli_reps": 7,
        "profile_real_copies": 5,
    },
    "quick": {
        "quality": 1000,
        "throughput": 2000,
        "throughput_reps": 3,
        "library_loop": True,
        "html_pages": 300,
        "html_reps": 3,
        "small": 1000,
        "big": 10000,
        "batch_reps": 3,
        "big_reps": 1,
        "noop_reps": 3,
        "profile": 1000,
        "real_copies": 5,
        "cli_reps": 5,
        "profile_real_copies": 2,
    },
}
MEASURES = ("quality", "throughput", "throughput_real", "cli", "html", "batch", "profile", "profile_real")
NOTES = C.BENCH / "notes.md"


def _status(value: float | None, target: float, *, at_most: bool) -> str:
    if value is None:
        return "not measured"
    ok = value <= target if at_most else value >= target
    return "met" if ok else "**not met**"


def summary(results: dict) -> list[str]:
    t = results.get("throughput", {})
    h = results.get("html", {})
    b = results.get("batch", {})
    q = results.get("quality", {})
    tr = results.get("throughput_real", {})
    cl = results.get("cli", {})
    rows = [
        (
            "1. throughput: `ingest run --workers 1` / minimal ETL, generated text",
            "≤ 0.9",
            t.get("ratio_run_w1"),
            0.9,
            True,
            "{:.2f}",
        ),
        ("1r. the same on real text (text-dev dumps copied)", "≤ 1.0", tr.get("ratio_run_w1"), 1.0, True, "{:.2f}"),
        ("1r (CPU). the same in CPU seconds", "≤ 1.0", tr.get("ratio_run_w1_cpu"), 1.0, True, "{:.2f}"),
        (
            "1'. library loop (`iter_articles`) / minimal ETL",
            "(≤ 1.3)",
            t.get("ratio_library_loop"),
            1.3,
            True,
            "{:.2f}",
        ),
        ("2. HTML pages/s: ingest / trafilatura", "≥ 1.0×", h.get("speed_ratio"), 1.0, False, "{:.2f}×"),
        ("3. scaling: 2 workers / 1 worker", "≥ 1.8×", t.get("scaling_2v1"), 1.8, False, "{:.2f}×"),
        ("3r. the same on real text", "≥ 1.8×", tr.get("scaling_2v1"), 1.8, False, "{:.2f}×"),
        ("7. `ingest clean FILE` / ftfy CLI, wall", "≤ 3×", cl.get("clean_vs_ftfy_wall"), 3.0, True, "{:.2f}×"),
        (
            "8. `ingest --help`, wall seconds",
            "≤ 0.25",
            (cl.get("wall_median") or {}).get("ingest_help"),
            0.25,
            True,
            "{:.3f}",
        ),
        ("4. peak RSS: big / small corpus", "≤ 1.2×", b.get("memory_ratio"), 1.2, True, "{:.2f}×"),
        ("5. no-op rerun / first run", "≤ 5 %", b.get("noop_fraction"), 0.05, True, "{:.1%}"),
    ]
    out = ["| measure | target | result | status |", "|---|---|---:|---|"]
    for name, target, value, tv, at_most, fmt in rows:
        if value is None and name.startswith(("1'", "1r (CPU)")):
            continue  # optional rows: the library loop; CPU seconds (recorded since 2026-11-30)
        out.append(
            f"| {name} | {target} | {fmt.format(value) if value is not None else '—'} |"
            f" {_status(value, tv, at_most=at_most)} |"
        )
    if q.get("bodies"):
        bq = q["bodies"]
        parts = [f"ingest {bq['ingest']['exact']:.1%}"]
        if "ftfy" in bq:
            parts.append(f"ftfy alone {bq['ftfy']['exact']:.1%}")
        if "unstructured" in bq:
            parts.append(f"unstructured {bq['unstructured']['exact']:.1%}")
        out.append(f"| 6. quality: body exact-match on the generated gold | (table) | {', '.join(parts)} | reported |")
    return out


def render(results: dict, meta: dict) -> str:
    m = meta["machine"]
    lines = [
        "# Benchmarks",
        "",
        (
            "Generated by `make bench` (`benchmarks/run_all.py`); do not edit by hand — the closing note comes from"
            " `benchmarks/notes.md`. Nothing here is a test: numbers are measured and compared with the targets of"
            " issues 6 and 15."
        ),
        "",
        (
            f"- Last run: {meta['started']} (UTC), mode **{meta['mode']}**, {meta['elapsed_min']:.1f} min,"
            f" `{meta['command']}` (each section says when and how it was measured)."
        ),
        (
            f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, {m['os']}, Python {m['python']}; load"
            f" average at start {m['load_at_start']} (the machine is shared: absolute numbers are noisy, ratios from"
            " one run less so)."
        ),
        (
            f"- Versions: ingest {m['ingest']}, ftfy {m['ftfy']}, trafilatura {m['trafilatura']}, unstructured"
            f" {m['unstructured']}."
        ),
        f"- Sizes: `{json.dumps(meta['sizes'])}`",
        "",
        "## Targets",
        "",
        *summary(results),
        "",
    ]
    sections = [
        ("quality", "6. Quality on the generated gold", bench_quality.render),
        ("throughput", "1 and 3. Throughput vs the minimal ETL, and scaling", bench_throughput.render),
        ("throughput_real", "1r and 3r. The same on real text", bench_throughput.render),
        ("cli", "7 and 8. CLI latency: `ingest clean FILE`, `ingest --help`", cli_latency.render),
        ("html", "2. HTML: ingest vs trafilatura", bench_html.render),
        ("batch", "4 and 5. Memory and the no-op rerun", bench_batch.render),
        ("profile", "Profile of `ingest run --workers 1`", profile_pipeline.render),
        ("profile_real", "Profile of `ingest run --workers 1` on real text", profile_pipeline.render),
    ]
    for key, title, fn in sections:
        lines += [f"## {title}", ""]
        if key in results:
            run = results[key].get("_run")
            if run:
                lines += [f"_Measured {run['started']} UTC by `{run['command']}` (mode {run['mode']})._", ""]
            lines.append(fn(results[key]))
        else:
            lines.append("Not run in this invocation.")
        lines.append("")
    lines += [
        "## Reproduce",
        "",
        "    make bench                                   # full sizes",
        "    .venv/bin/python benchmarks/run_all.py --quick",
        "    .venv/bin/python benchmarks/make_corpus.py 20000 /tmp/c --seed 1 --only text",
        "    .venv/bin/python benchmarks/bench_throughput.py --n 20000 --markdown   # each measure alone",
        "    .venv/bin/python benchmarks/bench_throughput.py --corpus real --copies 20 --markdown",
        "    .venv/bin/python benchmarks/cli_latency.py --markdown",
        "    .venv/bin/python benchmarks/profile_pipeline.py --corpus real --copies 5 --markdown",
        "    .venv/bin/python benchmarks/language_sample.py --markdown   # detector sample: verdicts and cost",
        "",
        (
            "unstructured is optional (`pip install -e '.[bench]'`, or in a separate venv named by"
            " `INGEST_BENCH_UNSTRUCTURED_PYTHON=/path/to/venv/bin/python`, which keeps its heavy dependencies out of"
            " the project's); its column is left out when neither has it. The bench sets `DO_NOT_TRACK=true` before"
            " importing it, because unstructured otherwise sends an analytics ping on import; nothing it uses here"
            " downloads models or data."
        ),
        "",
    ]
    if NOTES.exists():
        lines += ["## Closing note", "", NOTES.read_text(encoding="utf-8").strip(), ""]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller corpora (minutes instead of an hour or more)")
    ap.add_argument("--only", default=",".join(MEASURES), help=f"comma-separated subset of {','.join(MEASURES)}")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/ingest-bench"))
    ap.add_argument("--out", type=Path, default=C.ROOT / "BENCHMARKS.md")
    ap.add_argument("--results", type=Path, default=C.BENCH / "results.json")
    ap.add_argument("--render-only", action="store_true", help="rewrite --out from --results without measuring")
    args = ap.parse_args()
    if args.render_only:
        saved = json.loads(args.results.read_text(encoding="utf-8"))
        args.out.write_text(render(saved["results"], saved["meta"]), encoding="utf-8")
        return 0
    mode = "quick" if args.quick else "full"
    sizes = SIZES[mode]
    wanted = [m for m in args.only.split(",") if m]
    unknown = set(wanted) - set(MEASURES)
    if unknown:
        ap.error(f"unknown measure(s): {', '.join(sorted(unknown))}")
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    meta = {
        "started": started,
        "mode": mode,
        "sizes": sizes,
        "machine": C.machine(),
        "command": (
            "python benchmarks/run_all.py"
            + (" --quick" if args.quick else "")
            + (f" --only {args.only}" if set(wanted) != set(MEASURES) else "")
        ),
    }
    t0 = time.perf_counter()
    results: dict = {}
    # Keep earlier results of measures not rerun now, so `--only` updates one section at a time.
    if args.results.exists() and set(wanted) != set(MEASURES):
        try:
            saved = json.loads(args.results.read_text(encoding="utf-8"))
            results = saved.get("results", {})
            old = saved.get("meta", {})
            for section in results.values():  # remember when the kept sections were measured
                section.setdefault("_run", {k: old.get(k, "?") for k in ("started", "mode", "command")})
        except (ValueError, AttributeError):
            results = {}
    for name in wanted:
        print(f"[bench] {name} …", file=sys.stderr, flush=True)
        s = time.perf_counter()
        if name == "quality":
            results[name] = bench_quality.run(n=sizes["quality"], workdir=args.workdir)
        elif name == "throughput":
            results[name] = bench_throughput.run(
                n=sizes["throughput"],
                reps=sizes["throughput_reps"],
                workdir=args.workdir,
                library_loop=sizes["library_loop"],
            )
        elif name == "throughput_real":
            results[name] = bench_throughput.run(
                reps=sizes["throughput_reps"], workdir=args.workdir, corpus="real", copies=sizes["real_copies"]
            )
        elif name == "cli":
            results[name] = cli_latency.run(file=cli_latency.median_dump(), reps=sizes["cli_reps"])
        elif name == "html":
            results[name] = bench_html.run(min_pages=sizes["html_pages"], reps=sizes["html_reps"])
        elif name == "batch":
            results[name] = bench_batch.run(
                small=sizes["small"],
                big=sizes["big"],
                reps=sizes["batch_reps"],
                big_reps=sizes["big_reps"],
                noop_reps=sizes["noop_reps"],
                workdir=args.workdir,
            )
        elif name == "profile":
            results[name] = profile_pipeline.run(n=sizes["profile"], workdir=args.workdir)
        elif name == "profile_real":
            results[name] = profile_pipeline.run(
                workdir=args.workdir, corpus="real", copies=sizes["profile_real_copies"]
            )
        print(f"[bench] {name} done in {time.perf_counter() - s:.0f} s", file=sys.stderr, flush=True)
    meta["elapsed_min"] = (time.perf_counter() - t0) / 60
    for name in wanted:
        results[name]["_run"] = {"started": started, "mode": mode, "command": meta["command"]}
    args.results.write_text(
        json.dumps({"meta": meta, "results": results}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    args.out.write_text(render(results, meta), encoding="utf-8")
    print(f"[bench] wrote {args.out} and {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
