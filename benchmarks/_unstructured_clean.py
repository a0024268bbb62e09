#!/usr/bin/env python3
"""unstructured's three text cleaners, the baseline column of the quality table.

Imported by ``bench_quality.py`` when unstructured is installed in the project's environment;
otherwise run as a script by another interpreter that has it (``INGEST_BENCH_UNSTRUCTURED_PYTHON``,
e.g. a separate venv, which keeps unstructured's heavy dependencies out of the project's):
``python _unstructured_clean.py < texts.json > cleaned.json`` (a JSON list of strings each way).
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DO_NOT_TRACK", "true")  # unstructured pings an analytics endpoint on import otherwise
os.environ.setdefault("SCARF_NO_ANALYTICS", "true")

from unstructured.cleaners.core import (
    clean_extra_whitespace,
    group_broken_paragraphs,
    replace_unicode_quotes,
)  # noqa: E402


def clean(text: str) -> str:
    # unstructured applies clean_extra_whitespace to one element (paragraph) at a time;
    # applied to a whole document it would also flatten the paragraph breaks.
    grouped = group_broken_paragraphs(replace_unicode_quotes(text))
    return "\n\n".join(p for p in (clean_extra_whitespace(x) for x in grouped.split("\n\n")) if p)


def main() -> int:
    texts = json.load(sys.stdin)
    json.dump([clean(t) for t in texts], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
