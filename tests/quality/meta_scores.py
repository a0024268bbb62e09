"""Metadata scores on a fixed sample of ../shared/eval/meta-dev (the scoring its README gives).

Shared by the quality gate (tests/quality/test_meta_gate.py) and benchmarks/bench_meta.py.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
META_DEV = REPO.parent / "shared" / "eval" / "meta-dev"


def norm(s: str | None) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", unicodedata.normalize("NFC", s or "")).strip()


def names(v: Any) -> set[str]:
    """The set of author names, case-insensitive ("A; B" and lists alike)."""
    if not v:
        return set()
    parts = v if isinstance(v, list) else re.split(r";|,| and ", v)
    return {norm(x).lower() for x in parts if norm(x)}


def pages(step: int = 1) -> Iterator[tuple[str, bytes, str | None, dict[str, Any]]]:
    """(key, page bytes, url, labels) of every ``step``-th page of meta-dev, in gold.json order."""
    gold = json.loads((META_DEV / "gold.json").read_text(encoding="utf-8"))
    for i, (key, g) in enumerate(gold.items()):
        if i % step == 0:
            yield key, gzip.decompress((META_DEV / "pages" / g["file"]).read_bytes()), g.get("url"), g["labels"]


def score(predict: Callable[[bytes, str | None], dict[str, Any]], step: int = 1) -> dict[str, float]:
    """Date/title/author scores of ``predict(page, url) -> {"date", "title", "authors"}``."""
    c: Counter[str] = Counter()
    for _key, data, url, labels in pages(step):
        try:
            p = predict(data, url)
        except Exception:  # noqa: BLE001 - a rejected page scores as empty output
            p = {}
        date = (p.get("date") or "")[:10] or None
        for who, lab in labels.items():
            src = "htmldate" if who.startswith("htmldate") else "trafilatura"
            if "date" in lab:
                if lab["date"]:
                    c[f"{src}_date_n"] += 1
                    c[f"{src}_date_ok"] += date == lab["date"][:10]
                else:
                    c["nodate_n"] += 1
                    c["nodate_given"] += date is not None
            if who != "trafilatura":
                continue
            if lab.get("title"):
                t, gt = norm(p.get("title")).lower(), norm(lab["title"]).lower()
                c["title_n"] += 1
                c["title_ok"] += t == gt
                c["title_len"] += bool(t) and (t in gt or gt in t)
            if "author" in lab:
                if lab["author"]:
                    c["author_n"] += 1
                    c["author_ok"] += names(p.get("authors")) == names(lab["author"])
                else:
                    c["noauthor_n"] += 1
                    c["noauthor_given"] += bool(p.get("authors"))

    def f(a: str, b: str) -> float:
        return round(c[a] / max(1, c[b]), 4)

    return {
        "date_htmldate_labels": f("htmldate_date_ok", "htmldate_date_n"),
        "date_trafilatura_labels": f("trafilatura_date_ok", "trafilatura_date_n"),
        "title_exact": f("title_ok", "title_n"),
        "title_lenient": f("title_len", "title_n"),
        "authors_exact": f("author_ok", "author_n"),
        "date_given_where_none": f("nodate_given", "nodate_n"),
        "authors_given_where_none": f("noauthor_given", "noauthor_n"),
    }


def ingest_predict(data: bytes, url: str | None) -> dict[str, Any]:
    from ingest import clean_article

    a = clean_article(data, path="page.html", url=url)
    return {"date": a.published, "title": a.title, "authors": list(a.authors)}
