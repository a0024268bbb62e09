"""HTML body extraction quality and speed: ingest vs trafilatura vs readability-lxml, same run.

Usage::

    .venv/bin/python benchmarks/html_extraction.py [--dev ../shared/eval/html-dev] [--reps 2] [--worst 5] \
        [--min-f1 0.95]
        [--meta-dev ../shared/eval/meta-dev] [--snippet-step 1]

The reference tools are benchmark-only extras: ``pip install -e '.[bench-html]'`` (trafilatura,
readability-lxml); a tool that is not installed is left out of the tables.

Quality is the article-extraction benchmark's shingle metric (see ``html-dev/README.md``):
``\\w+`` tokens, overlapping 4-token shingles counted as multisets; per page the true/false
positives and false negatives are normalised to sum 1; precision is the mean over pages with
output, recall the mean over pages with ground truth, F1 the harmonic mean of the two means.

Speed is pages per second over the whole set, in memory, one process, after one warm-up pass:
``pipeline`` is :func:`ingest.clean_article` on the page bytes (decode, parse, metadata, body,
text repairs, Article) with the extractor chosen by ``Options.html_extractor``; ``extract`` is
the body extractor alone on the decoded page (parse + extraction). ``trafilatura.extract`` on
the raw string is measured as the reference the pipeline should keep up with, and
readability-lxml's ``Document(...).summary()`` (its HTML rendered as text paragraphs).

Snippets (meta-dev): the share of pages whose body contains every ``with`` snippet and no
``without`` snippet (navigation, comments, related stories), per tool, given the page URL where
the tool takes one (as a real pipeline would have it).
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
DEFAULT_META_DEV = ROOT.parent / "shared" / "eval" / "meta-dev"
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


def _timed(
    fn: Callable[[bytes], str | None], pages: dict[str, bytes], reps: int
) -> tuple[dict[str, str | None], float]:
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


def _readability_raw(data: bytes) -> str | None:
    from readability import Document  # readability-lxml

    from ingest.readers.htmltree import parse_html, plain_paragraphs

    summary = Document(data.decode("utf-8", "replace")).summary()
    return plain_paragraphs(parse_html(summary)) or None


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def run(dev: Path, *, reps: int = 2) -> list[dict[str, object]]:
    """One row per (extractor, stage): precision, recall, F1 and pages/s."""
    pages, gold = load_dev(dev)
    rows: list[dict[str, object]] = []
    cases: list[tuple[str, Callable[[bytes], str | None]]] = [
        ("ingest builtin (pipeline)", _pipeline("builtin")),
        ("ingest builtin (extract only)", _extract_only("builtin")),
    ]
    if _installed("trafilatura"):
        cases += [
            ("ingest trafilatura (pipeline)", _pipeline("trafilatura")),
            ("ingest trafilatura (extract only)", _extract_only("trafilatura")),
            ("trafilatura.extract (reference)", _trafilatura_raw),
        ]
    if _installed("readability"):
        cases.append(("readability-lxml (reference)", _readability_raw))
    for name, fn in cases:
        out, pps = _timed(fn, pages, reps)
        rows.append({"name": name, **score(out, gold), "pages_per_s": pps, "pages": len(pages), "outputs": out})
    return rows


def run_snippets(meta_dev: Path, *, step: int = 1) -> list[dict[str, object]]:
    """Per tool: meta-dev pages passing all their ``with``/``without`` snippets, and pages/s."""
    gold = json.loads((meta_dev / "gold.json").read_text(encoding="utf-8"))
    sample = [gold[k] for k in sorted(gold) if gold[k].get("with")][::step]
    pages = [(gzip.decompress((meta_dev / "pages" / g["file"]).read_bytes()), g) for g in sample]
    from ingest import IngestError, clean_article

    def ingest_body(data: bytes, url: str | None) -> str | None:
        try:
            return clean_article(data, path="page.html").body
        except IngestError:
            return None

    def traf_body(data: bytes, url: str | None) -> str | None:
        import trafilatura

        return trafilatura.extract(data, url=url, include_comments=False)  # type: ignore[no-any-return]

    def readability_body(data: bytes, url: str | None) -> str | None:
        from readability import Document

        from ingest.readers.htmltree import parse_html, plain_paragraphs

        return plain_paragraphs(parse_html(Document(data, url=url).summary())) or None

    tools: list[tuple[str, Callable[[bytes, str | None], str | None]]] = [
        ("ingest clean_article (builtin)", ingest_body)
    ]
    if _installed("trafilatura"):
        tools.append(("trafilatura.extract", traf_body))
    if _installed("readability"):
        tools.append(("readability-lxml", readability_body))
    rows: list[dict[str, object]] = []
    for name, fn in tools:
        passed = 0
        t0 = time.perf_counter()
        for data, g in pages:
            try:
                body = fn(data, g.get("url")) or ""
            except Exception:  # a tool that crashes on a page gives no body for it
                body = ""
            passed += all(s in body for s in g["with"]) and not any(s in body for s in g.get("without") or [])
        elapsed = time.perf_counter() - t0
        rows.append(
            {
                "name": name,
                "pages": len(pages),
                "passed": passed,
                "pass_rate": passed / max(1, len(pages)),
                "pages_per_s": len(pages) / elapsed if elapsed else float("inf"),
            }
        )
    return rows


def render_snippets(rows: list[dict[str, object]]) -> str:
    lines = [f"{'tool':<36} {'passed':>7} {'rate':>6} {'pages/s':>8}", "-" * 60]
    for r in rows:
        lines.append(f"{r['name']:<36} {r['passed']:>7} {r['pass_rate']:>6.3f} {r['pages_per_s']:>8.1f}")
    return "\n".join(lines)


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
    ap.add_argument(
        "--worst", type=int, default=0, help="also list the N pages where the builtin extractor scores worst"
    )
    ap.add_argument(
        "--min-f1",
        type=float,
        default=None,
        help="quality gate: exit 1 when the builtin pipeline's F1 is below this floor (CI uses 0.95)",
    )
    ap.add_argument(
        "--meta-dev",
        type=Path,
        default=None,
        help="the meta-dev folder (gold.json, pages/); default: ../shared/eval/meta-dev when --dev is the default",
    )
    ap.add_argument("--snippet-step", type=int, default=1, help="every Nth snippet-labelled meta-dev page (0: skip)")
    args = ap.parse_args(argv)
    rows = run(args.dev, reps=args.reps)
    pages = rows[0]["pages"]
    print(f"html-dev: {pages} pages, {args.reps} timed passes each, one process\n")
    print(render(rows))
    meta_dev = args.meta_dev or (DEFAULT_META_DEV if args.dev == DEFAULT_DEV else None)
    if args.snippet_step > 0 and meta_dev is not None and meta_dev.exists():
        snip = run_snippets(meta_dev, step=args.snippet_step)
        print(f"\nmeta-dev snippets: {snip[0]['pages']} pages with with/without snippets, one pass each\n")
        print(render_snippets(snip))
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
