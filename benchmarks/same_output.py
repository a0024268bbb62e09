#!/usr/bin/env python3
"""Behaviour check for speed work: the ``to_json`` of every article of fixed input sets, before vs after.

Usage::

    python benchmarks/same_output.py snapshot FILE [--workdir DIR]   # write one line per article
    python benchmarks/same_output.py compare OLD NEW                  # exit 1 if anything differs

The sets: the golden samples (``raw/``), the html-dev pages, the text-dev dumps, the meta-dev
pages and 2,000 generated articles of every format (``make_corpus.py 2000 --seed 5``). Each line
holds the input's set and name, the record number, the ``language`` field and a SHA-256 of the
article's ``to_json`` (or of the error). ``compare`` counts the articles whose language changed
apart from those where anything else changed, and lists both.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

EVAL = C.ROOT.parent / "shared" / "eval"


def inputs(workdir: Path) -> Iterator[tuple[str, str, bytes]]:
    """(set, name, bytes) for every input of the fixed sets, in a stable order."""
    for p in sorted((C.ROOT / "raw").iterdir()):
        if p.is_file():
            yield "golden", p.name, p.read_bytes()
    for p in sorted((EVAL / "html-dev" / "html").glob("*.html.gz")):
        yield "html-dev", p.name[: -len(".gz")], gzip.decompress(p.read_bytes())
    for p in sorted((EVAL / "text-dev" / "raw").glob("*.txt")):
        yield "text-dev", p.name, p.read_bytes()
    for p in sorted((EVAL / "meta-dev" / "pages").glob("*.gz")):
        yield "meta-dev", "page.html:" + p.name, gzip.decompress(p.read_bytes())
    raw = C.corpus(workdir, 2000, seed=5) / "raw"
    for p in sorted(raw.rglob("*")):
        if p.is_file():
            yield "generated", str(p.relative_to(raw)), p.read_bytes()


def snapshot(out: Path, workdir: Path) -> int:
    from ingest import IngestError, iter_articles

    n = 0
    with out.open("w", encoding="utf-8") as f:
        for kind, name, data in inputs(workdir):
            path = name.split(":", 1)[0]
            try:
                outcomes = [(o.record, o.article, o.error) for o in iter_articles(data, path=path)]
            except IngestError as e:
                outcomes = [(None, None, e)]
            for record, article, error in outcomes:
                if article is not None:
                    text = article.to_json()
                    lang = article.language
                else:
                    text = f"error {getattr(error, 'code', None)} {getattr(error, 'message', '')}"
                    lang = None
                row = {
                    "set": kind,
                    "name": name,
                    "record": record,
                    "language": lang,
                    "sha": hashlib.sha256(text.encode("utf-8")).hexdigest()[:20],
                }
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
    print(f"{n} articles -> {out}")
    return 0


def compare(old: Path, new: Path) -> int:
    def load(p: Path) -> dict[tuple[str, str, object], dict]:
        rows = (json.loads(line) for line in p.read_text(encoding="utf-8").splitlines())
        return {(r["set"], r["name"], r["record"]): r for r in rows}

    a, b = load(old), load(new)
    missing = sorted(set(a) ^ set(b), key=str)
    lang_only: list[str] = []
    other: list[str] = []
    for key in sorted(set(a) & set(b), key=str):
        x, y = a[key], b[key]
        if x["sha"] == y["sha"]:
            continue
        where = f"{key[0]}/{key[1]}" + (f" record {key[2]}" if key[2] else "")
        if x["language"] != y["language"]:
            lang_only.append(f"{where}: language {x['language']} -> {y['language']}")
        else:
            other.append(where)
    sets: dict[str, int] = {}
    for k in a:
        sets[k[0]] = sets.get(k[0], 0) + 1
    print("articles per set:", ", ".join(f"{k} {v}" for k, v in sets.items()))
    print(
        f"identical: {len(a) - len(lang_only) - len(other) - len(missing)}; language changed: {len(lang_only)}; "
        f"other changes: {len(other)}; only in one snapshot: {len(missing)}"
    )
    for line in lang_only + [f"{w}: changed" for w in other] + [f"{m}: only in one" for m in missing]:
        print("  " + line)
    return 1 if (lang_only or other or missing) else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("file", type=Path)
    s.add_argument("--workdir", type=Path, default=Path("/tmp/ingest-bench"))
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = ap.parse_args()
    if args.cmd == "snapshot":
        args.workdir.mkdir(parents=True, exist_ok=True)
        return snapshot(args.file, args.workdir)
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
