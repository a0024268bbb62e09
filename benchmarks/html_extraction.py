"""HTML body extraction quality and speed: ingest's built-in extractor vs trafilatura, same run.

Usage::

    .venv/bin/python benchmarks/html_extraction.py [--dev ../shared/eval/html-dev] [--reps 2] [--worst 5] [--min-f1 0.95]

Quality is the article-extraction benchmark's shingle metric (see ``html-dev/README.md``):
``\\w+`` tokens, overlapping 4-token shingles counted as multisets; per page the true/false
positives and false negatives are normalised to sum 1; precision is the mean over pages with
output, recall the mean over pages with ground truth, F1 the harmonic mean of the two means.

Speed is pages per second over the whole set, in memory, one process, after one warm-up pass:
``pipeline`` is :func:`ingest.clean_article` on the page bytes (decode, parse, metadata, body,
text repairs, Article) with the extractor chosen by ``Options.html_extractor``; ``extract`` is
the body extractor alone on the decoded page (parse + extraction). ``trafilatura.extract`` on
the raw string is measured as the reference the pipeline should keep up with.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "html-dev"
_TOKEN_RE = re.compile(r"\w+")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """Overlapping ``n``-token shingles of the ``\\w+`` tokens, as a multiset."""
    toks = _TOKEN_RE.findall(text or "")
    return Counter(tuple(toks[i : i + n]) for i in range(max(0, len(toks) - n + 1)))


def page_scores(pred: str | None, gold: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where the benchmark leaves the page out of the mean."""
    p, g = shingles(pred), shingles(gold)
    tp = sum((p & g).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total  # normalised: long pages weigh no more
    precision = tp / (tp + fp) if (tp + fp) > 0 else None  # no output: not in the precision mean
    recall = tp / (tp + fn) if (tp + fn) > 0 else None  # no ground truth: not in the recall mean
    return precision, recall


def score(preds: dict[str, str | None], gold: dict[str, str]) -> dict[str, float]:
    """Mean precision, mean recall and their harmonic mean over the labelled pages."""
    ps, rs = [], []
    for pid, g in gold.items():
        p, r = page_scores(preds.get(pid), g)
        if p is not None:
            ps.append(p)
        if r is not None:
            rs.append(r)
    precision = sum(ps) / len(ps) if ps else 0.0
    recall = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def load_dev(dev: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """The pages (raw bytes) and their ground-truth bodies."""
    truth = json.loads((dev / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {p.name.split(".")[0]: gzip.decompress(p.read_bytes()) for p in sorted((dev / "html").glob("*.html.gz"))}
    gold = {pid: truth[pid]["articleBody"] for pid in pages if pid in truth}
    return pages, gold


def _timed(fn: Callable[[bytes], str | None], pages: dict[str, bytes], reps: int) -> tuple[dict[str, str | None], float]:
    """Outputs of ``fn`` per page, and pages/s over ``reps`` timed passes after a warm-up."""
    out = {pid: fn(data) for pid, data in pages.items()}  # warm-up, and the outputs scored
    t0 = time.perf_counter()
    for _ in range(reps):
        for data in pages.values():
            fn(data)
    elapsed = time.perf_counter() - t0
    return out, len(pages) * reps / elapsed if elapsed else float("inf")


def _pipeline(extractor: str) -> Callable[[bytes], str | None]:
    from ingest import IngestError, Options, clean_article

    opts = Options(html_extractor=extractor)

    def run(data: bytes) -> str | None:
        try:
            return clean_article(data, path="page.html", options=opts).body
        except IngestError:
            return None

    return run


def _extract_only(extractor: str) -> Callable[[bytes], str | None]:
    from ingest.readers.html import extract_html

    def run(data: bytes) -> str | None:
        return extract_html(data.decode("utf-8", "replace"), extractor=extractor)[0] or None

    return run


def _trafilatura_raw(data: bytes) -> str | None:
    import trafilatura

    return trafilatura.extract(data.decode("utf-8", "replace"), include_comments=False)  # type: ignore[no-any-return]


def run(dev: Path, *, reps: int = 2) -> list[dict[str, object]]:
    """One row per (extractor, stage): precision, recall, F1 and pages/s."""
    pages, gold = load_dev(dev)
    rows: list[dict[str, object]] = []
    cases: list[tuple[str, Callable[[bytes], str | None]]] = [
        ("ingest builtin (pipeline)", _pipeline("builtin")),
        ("ingest trafilatura (pipeline)", _pipeline("trafilatura")),
        ("ingest builtin (extract only)", _extract_only("builtin")),
        ("ingest trafilatura (extract only)", _extract_only("trafilatura")),
        ("trafilatura.extract (reference)", _trafilatura_raw),
    ]
    for name, fn in cases:
        out, pps = _timed(fn, pages, reps)
        rows.append({"name": name, **score(out, gold), "pages_per_s": pps, "pages": len(pages), "outputs": out})
    return rows


def render(rows: list[dict[str, object]]) -> str:
    lines = [
        f"{'extractor':<36} {'precision':>9} {'recall':>7} {'F1':>6} {'pages/s':>8}",
        "-" * 70,
    ]
    for r in rows:
        lines.append(
            f"{r['name']:<36} {r['precision']:>9.3f} {r['recall']:>7.3f} {r['f1']:>6.3f} {r['pages_per_s']:>8.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="the html-dev folder (ground-truth.json, html/)")
    ap.add_argument("--reps", type=int, default=2, help="timed passes over the set (after one warm-up)")
    ap.add_argument("--worst", type=int, default=0, help="also list the N pages where the builtin extractor scores worst")
    ap.add_argument(
        "--min-f1", type=float, default=None,
        help="quality gate: exit 1 when the builtin pipeline's F1 is below this floor (CI uses 0.95)",
    )
    args = ap.parse_args(argv)
    rows = run(args.dev, reps=args.reps)
    pages = rows[0]["pages"]
    print(f"html-dev: {pages} pages, {args.reps} timed passes each, one process\n")
    print(render(rows))
    if args.worst:
        _, gold = load_dev(args.dev)
        outs = rows[0]["outputs"]
        assert isinstance(outs, dict)
        worst = []
        for pid, g in gold.items():
            p, r = page_scores(outs.get(pid), g)
            f = 2 * (p or 0) * (r or 0) / ((p or 0) + (r or 0)) if (p or 0) + (r or 0) else 0.0
            worst.append((f, p, r, pid))
        print("\nworst pages (builtin pipeline): F1 precision recall id")
        for f, p, r, pid in sorted(worst)[: args.worst]:
            print(f"  {f:.3f} {p if p is None else round(p, 3)} {r if r is None else round(r, 3)} {pid}")
    if args.min_f1 is not None:
        f1 = float(rows[0]["f1"])  # type: ignore[arg-type]
        if f1 < args.min_f1:
            print(f"\nFAIL: builtin F1 {f1:.3f} is below the floor {args.min_f1:.3f}")
            return 1
        print(f"\nok: builtin F1 {f1:.3f} >= floor {args.min_f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
