#!/usr/bin/env python3
"""Measure 2: HTML pages/s of ingest (whole pipeline) vs ``trafilatura.extract`` and readability-lxml, with F1s.

Usage: ``python benchmarks/bench_html.py [--min-pages 1000] [--reps 3]``.

The pages are the html-dev set (``../shared/eval/html-dev``), decompressed into memory first and
repeated until there are at least ``--min-pages``. Both tools run in this one process on the same
bytes, alternating, so interpreter start-up and disk are outside the timing. ingest does
everything it does for a page (decoding, body, metadata, repairs, the Article); trafilatura
extracts the text (``include_comments=False``, as in the html-dev reference figures). F1 is the
benchmark's shingle F1 over the 91 distinct pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def _pages() -> list[tuple[str, bytes, str]]:
    truth = json.loads((C.HTML_DEV / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for p in sorted((C.HTML_DEV / "html").glob("*.html.gz")):
        pid = p.name.split(".")[0]
        if pid in truth:
            out.append((pid, gzip.decompress(p.read_bytes()), truth[pid]["articleBody"]))
    return out


def _ingest_body(pid: str, data: bytes) -> str | None:
    from ingest import clean_article
    from ingest.errors import IngestError

    try:
        return clean_article(data, path=f"{pid}.html").body
    except IngestError:
        return None


def _trafilatura_body(data: bytes) -> str | None:
    import trafilatura

    return trafilatura.extract(data, include_comments=False)


def _readability_body(data: bytes) -> str | None:
    from readability import Document  # readability-lxml, the bench-html extra

    from ingest.readers.htmltree import parse_html, plain_paragraphs

    return plain_paragraphs(parse_html(Document(data).summary())) or None


def run(*, min_pages: int = 1000, reps: int = 3) -> dict:
    pages = _pages()
    if not pages:
        return {"error": f"no pages under {C.HTML_DEV}"}
    copies = -(-min_pages // len(pages))
    stream = pages * copies
    res: dict = {"distinct_pages": len(pages), "pages_timed": len(stream), "reps": reps}

    ours = [_ingest_body(pid, data) for pid, data, _ in pages]  # also warms lazy imports and models
    res["ingest_failed_pages"] = sum(1 for b in ours if b is None)
    res["f1_ingest"] = C.f1_of([(b, g) for b, (_, _, g) in zip(ours, pages)])
    try:
        theirs = [_trafilatura_body(data) for _, data, _ in pages]
        res["f1_trafilatura"] = C.f1_of([(b, g) for b, (_, _, g) in zip(theirs, pages)])
        have_traf = True
    except ImportError:
        have_traf = False
    try:
        theirs_r = [_readability_body(data) for _, data, _ in pages]
        res["f1_readability"] = C.f1_of([(b, g) for b, (_, _, g) in zip(theirs_r, pages)])
        have_read = True
    except ImportError:
        have_read = False
    if res["ingest_failed_pages"] == len(pages):
        res["note"] = "ingest rejected every page (no HTML reader yet?): speed not measured"
        have_ours = False
    else:
        have_ours = True

    t_ours: list[float] = []
    t_traf: list[float] = []
    t_read: list[float] = []
    for _ in range(reps):
        if have_read:
            t0 = time.perf_counter()
            for _, data, _ in stream:
                _readability_body(data)
            t_read.append(time.perf_counter() - t0)
        if have_ours:
            t0 = time.perf_counter()
            for pid, data, _ in stream:
                _ingest_body(pid, data)
            t_ours.append(time.perf_counter() - t0)
        if have_traf:
            t0 = time.perf_counter()
            for _, data, _ in stream:
                _trafilatura_body(data)
            t_traf.append(time.perf_counter() - t0)
    if t_ours:
        res["ingest_seconds"] = [round(x, 2) for x in t_ours]
        res["ingest_pages_per_s"] = round(len(stream) / C.median(t_ours), 1)
    if t_traf:
        res["trafilatura_seconds"] = [round(x, 2) for x in t_traf]
        res["trafilatura_pages_per_s"] = round(len(stream) / C.median(t_traf), 1)
    if t_read:
        res["readability_seconds"] = [round(x, 2) for x in t_read]
        res["readability_pages_per_s"] = round(len(stream) / C.median(t_read), 1)
    if t_ours and t_traf:
        res["speed_ratio"] = round(res["ingest_pages_per_s"] / res["trafilatura_pages_per_s"], 2)
    return res


def render(r: dict) -> str:
    if "error" in r:
        return f"Not measured: {r['error']}."
    out = [
        (
            f"{r['distinct_pages']} html-dev pages repeated to {r['pages_timed']} pages, in memory, one process, "
            f"median of {r['reps']} passes per tool (alternating)."
        ),
        "",
        "| tool | pages/s | passes (s) | F1 | precision | recall |",
        "|---|---:|---|---:|---:|---:|",
    ]
    fi = r.get("f1_ingest", {})
    if "ingest_pages_per_s" in r:
        out.append(
            f"| ingest `clean_article` (built-in extractor, whole pipeline) | {r['ingest_pages_per_s']} |"
            f" {', '.join(map(str, r['ingest_seconds']))} | {fi.get('f1', 0):.3f} | {fi.get('precision', 0):.3f} |"
            f" {fi.get('recall', 0):.3f} |"
        )
    else:
        out.append(
            f"| ingest `clean_article` | — | {r.get('note', '')} | {fi.get('f1', 0):.3f} | {fi.get('precision', 0):.3f}"
            f" | {fi.get('recall', 0):.3f} |"
        )
    ft = r.get("f1_trafilatura")
    if ft and "trafilatura_pages_per_s" in r:
        out.append(
            f"| `trafilatura.extract` | {r['trafilatura_pages_per_s']} |"
            f" {', '.join(map(str, r['trafilatura_seconds']))} | {ft['f1']:.3f} | {ft['precision']:.3f} |"
            f" {ft['recall']:.3f} |"
        )
    fr = r.get("f1_readability")
    if fr and "readability_pages_per_s" in r:
        out.append(
            f"| readability-lxml `Document.summary` | {r['readability_pages_per_s']} |"
            f" {', '.join(map(str, r['readability_seconds']))} | {fr['f1']:.3f} | {fr['precision']:.3f} |"
            f" {fr['recall']:.3f} |"
        )
    out.append("")
    if "speed_ratio" in r:
        ok = "met" if r["speed_ratio"] >= 1.0 else "**not met**"
        out.append(f"- Measure 2: ingest / trafilatura pages/s = **{r['speed_ratio']}×** (target ≥ 1.0×: {ok}).")
    else:
        out.append("- Measure 2: ingest speed not measured (see the table).")
    if r.get("ingest_failed_pages"):
        out.append(
            f"- ingest rejected {r['ingest_failed_pages']} of {r['distinct_pages']} pages (counted as no output in F1)."
        )
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-pages", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    r = run(min_pages=args.min_pages, reps=args.reps)
    print(render(r) if args.markdown else json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
