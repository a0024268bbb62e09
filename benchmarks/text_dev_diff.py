"""Per-file diffs of ingest's text-dev output against the gold (a working tool for issue 14).

Run from the project root: ``.venv/bin/python benchmarks/text_dev_diff.py [--all] [FILE_SUBSTRING]``.
Scores exactly like ../shared/tools/realcheck.py (paragraphs, whitespace runs collapsed, NFC) and
prints, for every file whose body or metadata is off, the differing paragraphs and fields.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import unicodedata
from pathlib import Path

import ingest

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "text-dev"
FIELDS = ("title", "publisher", "published", "authors", "dateline")


def norm(s: str | None) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", unicodedata.normalize("NFC", s or "")).strip()


def paras(body: str | None) -> list[str]:
    return [norm(p) for p in re.split(r"\n\s*\n", body or "") if norm(p)]


def field_ok(f: str, g: dict, a: dict) -> tuple[bool, bool]:
    """(scored, ok): ok False with scored False means an invented field."""
    gv, ov = g.get(f), a.get(f)
    if f == "publisher" and ov and norm(ov) == norm(g.get("publisher_alt")):
        gv = gv or ov
    if gv is None:
        return False, ov in (None, "", [])
    if f == "authors":
        return True, sorted(map(norm, ov or [])) == sorted(map(norm, gv))
    if f == "published":
        return True, str(ov or "").startswith(gv)
    if f == "title":
        t = lambda x: re.sub(r"\W+", " ", norm(x).lower().rstrip("."))  # noqa: E731
        return True, bool(ov) and t(ov) == t(gv)
    if f == "dateline":
        return True, bool(ov) and norm(gv).lower() in norm(ov).lower()
    return True, norm(ov) == norm(gv)


def main(argv: list[str]) -> None:
    show_all = "--all" in argv
    pick = [a for a in argv if not a.startswith("--")]
    golds = [json.loads(line) for line in open(EVAL / "gold.jsonl", encoding="utf-8")]
    exact = 0
    for g in golds:
        if pick and not any(p in g["file"] for p in pick):
            continue
        try:
            a = ingest.clean_article((EVAL / g["file"]).read_bytes(), path=g["file"]).to_dict()
        except Exception as e:  # noqa: BLE001 - a rejected input scores as empty
            a = {"error": repr(e)}
        gp, op = paras(g["body"]), paras(a.get("body"))
        ok_body = gp == op
        exact += ok_body
        bad_fields = []
        for f in FIELDS:
            scored, ok = field_ok(f, g, a)
            if not ok:
                bad_fields.append(f"{f}: gold={g.get(f)!r} out={a.get(f)!r}" + ("" if scored else " (invented)"))
        if ok_body and not bad_fields and not show_all:
            continue
        print(f"=== {g['file']} style={g.get('style')} body={'OK' if ok_body else 'DIFF'}")
        for b in bad_fields:
            print("  META", b)
        if not ok_body:
            for line in difflib.unified_diff(gp, op, "gold", "out", n=0, lineterm=""):
                print("  " + line[:400])
        if a.get("warnings"):
            print("  WARN", [w["code"] if isinstance(w, dict) else w for w in a["warnings"]])
    print(f"body exact {exact}/{len(golds)}")


if __name__ == "__main__":
    main(sys.argv[1:])
