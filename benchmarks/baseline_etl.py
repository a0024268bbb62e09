#!/usr/bin/env python3
"""The minimal ETL every article tool must at least do: read -> ``ftfy.fix_text`` -> JSON -> write.

Usage: ``python benchmarks/baseline_etl.py RAW OUT`` — one ``OUT/<relative path>.json`` per input
file holding ``{"body": text}``. Single process, no metadata, no structure: the floor that
``ingest run --workers 1`` is compared with.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import ftfy


def main(argv: list[str]) -> int:
    raw, out = Path(argv[1]), Path(argv[2])
    for dirpath, dirnames, filenames in os.walk(raw):
        dirnames.sort()
        rel_dir = Path(dirpath).relative_to(raw)
        (out / rel_dir).mkdir(parents=True, exist_ok=True)
        for name in sorted(filenames):
            text = (Path(dirpath) / name).read_bytes().decode("utf-8", "replace")
            body = ftfy.fix_text(text)  # default configuration: what "just call ftfy" means
            (out / rel_dir / (name + ".json")).write_text(json.dumps({"body": body}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
