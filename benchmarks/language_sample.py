#!/usr/bin/env python3
"""How much of the body the language detector reads: verdicts and cost per sample strategy.

Usage: ``python benchmarks/language_sample.py [--workdir DIR] [--markdown]``.

Bodies: what ingest extracts (language detection off) from the golden samples, the html-dev and
meta-dev pages, the text-dev dumps and 2,000 generated articles of every format
(``make_corpus.py 2000 --seed 5``: eight languages). For each strategy: how many verdicts differ
from the 3,000-character prefix ingest used before issue 15, how many text-dev verdicts agree
with the gold (the full-text verdict on the gold body of ``text-dev/gold.jsonl``: every body
there has a known language), and the detector's CPU time per body (best of 3).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import same_output as S  # noqa: E402


def bodies(workdir: Path) -> list[tuple[str, str, str]]:
    """(set, name, body) for every article of the fixed sets, with language detection off."""
    from ingest import IngestError, Options, iter_articles

    opts = Options(detect_language=False)
    out = []
    for kind, name, data in S.inputs(workdir):
        try:
            for o in iter_articles(data, path=name.split(":", 1)[0], options=opts):
                if o.article is not None:
                    out.append((kind, f"{name}#{o.record or ''}", o.article.body))
        except IngestError:
            continue
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/ingest-bench"))
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)

    from ingest.metadata import language as L

    ident = L._identifier()

    def verdict(sample: str) -> str | None:
        if next(islice(filter(str.isalpha, sample), L.MIN_CHARS - 1, None), None) is None:
            return None
        label, prob = ident.classify(sample)
        return L.iso639_1(str(label)) if float(prob) >= L.MIN_PROBABILITY else None

    def spread(body: str, total: int = 2000, parts: int = 5) -> str | None:
        paras = [p for p in body.split("\n\n") if p.strip()]
        if len(body) <= total or len(paras) < 2:
            return verdict(body[:total])
        picks = sorted({round(i * (len(paras) - 1) / (parts - 1)) for i in range(parts)})
        return verdict("\n\n".join(paras[i][: total // parts] for i in picks))

    strategies: dict[str, Callable[[str], str | None]] = {
        "prefix 3,000 (before)": lambda b: verdict(b[: L._SAMPLE]),
        "two-stage 500 → 3,000 (now)": lambda b: (L.detect_language(b) or (None,))[0],
        "prefix 500": lambda b: verdict(b[:500]),
        "5 paragraphs × 400, spread": spread,
        "whole body": verdict,
    }
    rows = bodies(args.workdir)
    gold: dict[str, str | None] = {}
    for line in (S.EVAL / "text-dev" / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        gold[Path(g["file"]).name] = verdict(g["body"])
    sets = sorted({k for k, _, _ in rows})
    results: dict[str, dict] = {}
    before = [strategies["prefix 3,000 (before)"](b) for _, _, b in rows]
    for name, fn in strategies.items():
        got = [fn(b) for _, _, b in rows]
        changed = {s: sum(1 for (k, _, _), x, y in zip(rows, got, before) if k == s and x != y) for s in sets}
        text_dev = [(n.split("#")[0], v) for (k, n, _), v in zip(rows, got) if k == "text-dev"]
        agree = sum(1 for n, v in text_dev if v == gold.get(n))
        cpu: dict[str, float] = {}
        for s in ("text-dev", "generated"):
            sel = [b for k, _, b in rows if k == s]
            best = float("inf")
            for _ in range(3):
                t = time.process_time()
                for b in sel:
                    fn(b)
                best = min(best, time.process_time() - t)
            cpu[s] = round(best / len(sel) * 1e3, 3)
        results[name] = {
            "changed_vs_before": changed,
            "text_dev_agree": agree,
            "text_dev_n": len(text_dev),
            "cpu_ms": cpu,
        }
    counts = {s: sum(1 for k, _, _ in rows if k == s) for s in sets}
    if not args.markdown:
        print(json.dumps({"bodies": counts, "results": results}, indent=1))
        return 0
    print(
        f"Bodies: {', '.join(f'{s} {n}' for s, n in counts.items())}. Gold: the whole-body verdict on text-dev's gold"
        " bodies.\n"
    )
    print(
        "| strategy | verdicts changed vs before ("
        + ", ".join(sets)
        + ") | text-dev agrees with gold | CPU ms/body text-dev | generated |"
    )
    print("|---|---|---:|---:|---:|")
    for name, r in results.items():
        ch = " / ".join(str(r["changed_vs_before"][s]) for s in sets)
        print(
            f"| {name} | {ch} | {r['text_dev_agree']}/{r['text_dev_n']} | {r['cpu_ms']['text-dev']} |"
            f" {r['cpu_ms']['generated']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
