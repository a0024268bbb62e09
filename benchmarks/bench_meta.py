"""Metadata on real pages: ingest vs trafilatura vs htmldate, side by side in one process.

Every tool gets the page bytes and its URL (as the issue's benchmark does). Scored on
../shared/eval/meta-dev with its README's scoring (tests/quality/meta_scores.py):
date exact (htmldate and trafilatura labels), dates given where the page has none, title
exact/lenient, authors exact, authors given where none; and pages per second (CPU time of this
process, so other load on the machine does not count against a tool).

    .venv/bin/python benchmarks/bench_meta.py            # all 681 pages (~4 min on 2 cores)
    .venv/bin/python benchmarks/bench_meta.py --step 3   # the quality gate's sample

trafilatura and htmldate are imported here only; htmldate is also a runtime dependency of
ingest (one stage of its date cascade).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from quality.meta_scores import ingest_predict, pages, score  # noqa: E402


def trafilatura_extract(data: bytes, url: str | None) -> dict[str, Any]:
    """The whole of trafilatura: ``extract(with_metadata=True)`` (body and metadata)."""
    import trafilatura

    out = trafilatura.extract(data, url=url, with_metadata=True, output_format="json")
    d = json.loads(out) if out else {}
    return {"date": d.get("date"), "title": d.get("title"), "authors": d.get("author")}


def trafilatura_metadata(data: bytes, url: str | None) -> dict[str, Any]:
    """trafilatura's metadata pass alone: ``extract_metadata``."""
    from trafilatura import extract_metadata

    m = extract_metadata(data, default_url=url)
    return {"date": m.date, "title": m.title, "authors": m.author} if m else {}


def htmldate_default(data: bytes, url: str | None) -> dict[str, Any]:
    """htmldate's documented defaults (extensive search on), told the URL; dates only."""
    from htmldate import find_date

    return {"date": find_date(data, url=url)}


def htmldate_original(data: bytes, url: str | None) -> dict[str, Any]:
    """htmldate looking for the original (publication) date, extensive search on; dates only."""
    from htmldate import find_date

    return {"date": find_date(data, url=url, original_date=True)}


TOOLS = {
    "ingest clean_article": ingest_predict,
    "trafilatura extract(with_metadata=True)": trafilatura_extract,
    "trafilatura extract_metadata": trafilatura_metadata,
    "htmldate find_date": htmldate_default,
    "htmldate find_date(original_date=True)": htmldate_original,
}


def speed(predict: Any, step: int) -> float:
    """Pages per CPU second over the sample (one warm-up page first)."""
    items = [(d, u) for _, d, u, _ in pages(step)]
    try:
        predict(*items[0])
    except Exception:  # noqa: BLE001
        pass
    t = time.process_time()
    for d, u in items:
        try:
            predict(d, u)
        except Exception:  # noqa: BLE001 - a rejected page still took its time
            pass
    return len(items) / max(1e-9, time.process_time() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--step", type=int, default=1, help="score every N-th page (default: all 681)")
    args = ap.parse_args()
    rows = []
    for name, fn in TOOLS.items():
        s = score(fn, step=args.step)
        s["pages_per_s"] = round(speed(fn, args.step), 1)
        rows.append((name, s))
        print(f"{name}: {s}", file=sys.stderr)
    dates_only = {"htmldate find_date", "htmldate find_date(original_date=True)"}
    print(
        "| tool | date (htmldate labels) | date (trafilatura labels) | date given where none | title exact | title"
        " lenient | authors exact | authors given where none | pages/s (CPU) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, s in rows:
        na = "—" if name in dates_only else None
        print(
            f"| {name} | {s['date_htmldate_labels']:.3f} | {s['date_trafilatura_labels']:.3f} |"
            f" {s['date_given_where_none']:.0%} | {na or format(s['title_exact'], '.3f')} |"
            f" {na or format(s['title_lenient'], '.3f')} | {na or format(s['authors_exact'], '.3f')} |"
            f" {na or format(s['authors_given_where_none'], '.0%')} | {s['pages_per_s']} |"
        )


if __name__ == "__main__":
    main()
