#!/usr/bin/env python3
"""CPU per page of the whole HTML pipeline, this checkout vs another revision vs trafilatura, in one process.

Usage::

    git archive <rev> src | tar -x -C /tmp/base          # the revision to compare against
    python benchmarks/ab_html_cpu.py html-dev --base /tmp/base/src --reps 3
    python benchmarks/ab_html_cpu.py meta-dev --base /tmp/base/src --step 3

The base's ``ingest`` package is copied under another name (``ingest_base``; its imports are
relative) so both run in this process. Each page goes through every tool in turn, the order
rotating page by page, and CPU time (``time.process_time``) is summed per tool: on a loaded
machine that is fairer than wall time or separate runs. html-dev pages are compared with
``trafilatura.extract`` (issue 18's benchmark), meta-dev pages with
``trafilatura.extract(with_metadata=True)`` told the URL (issue 13's).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402


def _pages(which: str, step: int) -> list[tuple[bytes, str | None]]:
    if which == "html-dev":
        truth = json.loads((C.HTML_DEV / "ground-truth.json").read_text(encoding="utf-8"))
        return [
            (gzip.decompress(p.read_bytes()), (truth.get(p.name.split(".")[0]) or {}).get("url"))
            for p in sorted((C.HTML_DEV / "html").glob("*.html.gz"))
        ][::step]
    sys.path.insert(0, str(C.ROOT / "tests"))
    from quality.meta_scores import pages

    return [(d, u) for _, d, u, _ in pages(step)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", choices=("html-dev", "meta-dev"))
    ap.add_argument("--base", type=Path, help="the src/ folder of the revision to compare against")
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--step", type=int, default=1, help="every n-th page")
    args = ap.parse_args()

    import trafilatura

    import ingest

    def pipeline(mod):  # type: ignore[no-untyped-def]
        def run(data: bytes, url: str | None) -> None:
            try:
                mod.clean_article(data, url=url, path="page.html")
            except mod.IngestError:
                pass  # a rejected page still took its time

        return run

    tools = {"ingest": pipeline(ingest)}
    tmp = None
    if args.base:
        tmp = Path(tempfile.mkdtemp(prefix="ab-html-"))
        shutil.copytree(args.base / "ingest", tmp / "ingest_base")
        sys.path.insert(0, str(tmp))
        import ingest_base  # type: ignore[import-not-found]

        tools["ingest (base)"] = pipeline(ingest_base)
    if args.set == "html-dev":
        tools["trafilatura.extract"] = lambda d, u: trafilatura.extract(d, include_comments=False)
    else:
        tools["trafilatura.extract(with_metadata=True)"] = lambda d, u: trafilatura.extract(
            d, url=u, with_metadata=True, output_format="json"
        )
    pages = _pages(args.set, args.step)
    try:
        for d, u in pages[:3]:  # warm-up: lazy imports, models
            for f in tools.values():
                f(d, u)
        cpu = dict.fromkeys(tools, 0.0)
        names = list(tools)
        for rep in range(args.reps):
            for i, (d, u) in enumerate(pages):
                k = (i + rep) % len(names)
                for name in names[k:] + names[:k]:
                    t = time.process_time()
                    tools[name](d, u)
                    cpu[name] += time.process_time() - t
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    n = args.reps * len(pages)
    print(f"{args.set}: {len(pages)} pages x {args.reps}, CPU ms per page")
    for name, v in cpu.items():
        print(f"  {name:42s} {1000 * v / n:7.2f}   {v / cpu['ingest']:.2f}x ingest's CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
