#!/usr/bin/env python3
"""The library path without the batch machinery: read -> ``iter_articles`` -> ``to_json`` -> write.

Usage: ``python benchmarks/ingest_loop.py RAW OUT``. Same shape as ``baseline_etl.py`` (one
process, one output file per input, JSONL for multi-record inputs), so the two differ only in
what is done to the text. Rejected inputs are counted, not written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ingest.errors import IngestError
from ingest.pipeline import iter_articles


def main(argv: list[str]) -> int:
    raw, out = Path(argv[1]), Path(argv[2])
    rejected = 0
    for dirpath, dirnames, filenames in os.walk(raw):
        dirnames.sort()
        rel_dir = Path(dirpath).relative_to(raw)
        (out / rel_dir).mkdir(parents=True, exist_ok=True)
        for name in sorted(filenames):
            rel = str(rel_dir / name)
            try:
                lines = [
                    o.article.to_json()
                    for o in iter_articles((Path(dirpath) / name).read_bytes(), path=rel)
                    if o.article
                ]
            except IngestError:
                rejected += 1
                continue
            (out / rel_dir / (name + ".json")).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"rejected {rejected}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
