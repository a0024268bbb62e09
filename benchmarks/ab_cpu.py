#!/usr/bin/env python3
"""CPU A/B of the HTML path: ingest at a base commit against the working tree, in one process.

    .venv/bin/python benchmarks/ab_cpu.py --base COMMIT [--set html-dev|meta-dev] [--reps N] [--step N]

The base commit's ``src/ingest`` is extracted (``git archive``) into a temporary folder as the
package ``ingest_base`` (ingest imports itself relatively), so both versions run in this process.
Every page of the set goes through ``clean_article(page, url=its URL)`` by both, page by page, the
order alternating; CPU time is ``time.process_time`` (other load on the machine does not count).
The two ``to_json`` must be identical: a speed change must not change any output. Exit 1 if any
page differs.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


def load_base(commit: str, where: Path) -> object:
    """The ``ingest`` package of ``commit``, imported as ``ingest_base``."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "src/ingest"], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(where, filter="data")
    (where / "src" / "ingest").rename(where / "ingest_base")
    sys.path.insert(0, str(where))
    return importlib.import_module("ingest_base")


def pages(name: str, step: int) -> list[tuple[str, bytes, str | None]]:
    out = []
    if name == "html-dev":
        truth = json.loads((EVAL / "html-dev" / "ground-truth.json").read_text())
        for p in sorted((EVAL / "html-dev" / "html").glob("*.html.gz")):
            url = (truth.get(p.name.split(".")[0]) or {}).get("url")
            out.append((p.name, gzip.decompress(p.read_bytes()), url))
    else:
        gold = json.loads((EVAL / "meta-dev" / "gold.json").read_text())
        for key, v in sorted(gold.items()):
            out.append((key, gzip.decompress((EVAL / "meta-dev" / "pages" / v["file"]).read_bytes()), v.get("url")))
    return out[::step]


def run(mod: object, data: bytes, url: str | None) -> str:
    try:
        return mod.clean_article(data, url=url, path="page.html").to_json()  # type: ignore[attr-defined]
    except Exception as e:  # noqa: BLE001 - an error is an outcome too, compared like an article
        return f"error {getattr(e, 'code', None)} {e}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="the commit to compare the working tree against")
    ap.add_argument("--set", default="html-dev", choices=["html-dev", "meta-dev"])
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--step", type=int, default=1, help="every N-th page")
    args = ap.parse_args()
    import ingest

    with tempfile.TemporaryDirectory() as tmp:
        base = load_base(args.base, Path(tmp))
        items = pages(args.set, args.step)
        run(base, *items[0][1:]), run(ingest, *items[0][1:])  # warm-up: imports, tables
        # htmldate is imported lazily by whichever version first meets a page that needs it: import
        # it now, or that version pays ~170 ms of CPU inside the timing.
        importlib.import_module("htmldate.core")
        cpu = {"base": 0.0, "new": 0.0}
        differ = 0
        for r in range(args.reps):
            for i, (name, data, url) in enumerate(items):
                order = [("base", base), ("new", ingest)]
                if (i + r) % 2:
                    order.reverse()
                got = {}
                for label, mod in order:
                    t = time.process_time()
                    got[label] = run(mod, data, url)
                    cpu[label] += time.process_time() - t
                if r == 0 and got["base"] != got["new"]:
                    differ += 1
                    print(f"differs: {name}")
        n = len(items) * args.reps
        print(
            f"{args.set}: {len(items)} pages x {args.reps}; CPU per page: base {cpu['base'] / n * 1000:.2f} ms,"
            f" working tree {cpu['new'] / n * 1000:.2f} ms (ratio {cpu['new'] / cpu['base']:.3f});"
            f" pages with different output: {differ}"
        )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
