#!/usr/bin/env python3
"""Which meta-dev pages fail the snippet rule, and why (a diagnostic, not a score).

Usage::

    .venv/bin/python benchmarks/snippet_failures.py [--meta-dev ../shared/eval/meta-dev] [--verbose] [--only CLASS]

For every page with ``with``/``without`` snippets, the page goes through :func:`ingest.clean_article`
(with its URL). A failing page is put in one or both of two groups:

- *recall* (a ``with`` snippet missing): ``rejected`` (an error such as ``no_text``), ``pruned``
  (the snippet's element was removed as boilerplate), ``outside`` (kept by pruning, but another
  container was chosen), ``inside`` (in the chosen container but dropped while rendering),
  ``not_in_page`` (the snippet's text is not in the page's text as we parse it: encoding or
  whitespace differences), with the tags around the snippet (table, list, pre, heading …);
- *precision* (a ``without`` snippet present), with the class/id of the element that holds it
  (comments, related, navigation, consent …).

Counts per class are printed last; ``--verbose`` prints one line per failing snippet.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_META_DEV = ROOT.parent / "shared" / "eval" / "meta-dev"
_WS_RE = re.compile(r"\s+")  # linear: one character class


def _norm(s: str) -> str:
    return _WS_RE.sub(" ", s).strip()


def _holder(root, snippet: str):  # type: ignore[no-untyped-def]
    """The deepest element whose text holds the snippet (None when no element does)."""
    want = _norm(snippet)
    best = None
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if want in _norm("".join(el.itertext())):
            best = el  # iter() is document order: a later hit is a descendant or a later sibling
    return best


def _path(el) -> str:  # type: ignore[no-untyped-def]
    parts = []
    while el is not None and len(parts) < 6:
        names = " ".join(filter(None, ((el.get("class") or "")[:40], (el.get("id") or "")[:30])))
        parts.append(f"{el.tag}[{names}]" if names else str(el.tag))
        el = el.getparent()
    return " < ".join(parts)


def _kinds(el) -> set[str]:  # type: ignore[no-untyped-def]
    out = set()
    while el is not None:
        tag = el.tag
        if tag in ("table", "td", "th", "tr"):
            out.add("table")
        elif tag in ("ul", "ol", "li", "dl", "dd", "dt"):
            out.add("list")
        elif tag == "pre":
            out.add("pre")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            out.add("heading")
        elif tag == "blockquote":
            out.add("quote")
        el = el.getparent()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--meta-dev", type=Path, default=DEFAULT_META_DEV)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument(
        "--only", default=None, help="print only failures of this class (pruned, outside …) or group (recall, without)"
    )
    args = ap.parse_args()

    from ingest import IngestError, clean_article
    from ingest.extractors import builtin
    from ingest.readers.htmltree import parse_html

    gold = json.loads((args.meta_dev / "gold.json").read_text(encoding="utf-8"))
    counts: Counter[str] = Counter()
    pages = passed = 0
    for key in sorted(gold):
        g = gold[key]
        if not g.get("with"):
            continue
        pages += 1
        data = gzip.decompress((args.meta_dev / "pages" / g["file"]).read_bytes())
        try:
            art = clean_article(data, path="page.html", url=g.get("url"))
            body, error, text = art.body, None, None
        except IngestError as e:
            body, error = "", e.code
        missing = [s for s in g["with"] if s not in body]
        present = [s for s in g.get("without") or [] if s in body]
        if not missing and not present:
            passed += 1
            continue
        # the decoded page, parsed as the reader does, pruned as the extractor does
        from ingest.decode import decode_bytes
        from ingest.readers import declared_charset

        text = decode_bytes(data, declared=declared_charset(data, "html")).text
        root = parse_html(text)
        whole = root
        pruned = copy.deepcopy(root)
        pbody = pruned.find("body") if pruned.find("body") is not None else pruned
        builtin._prune(pbody)
        declared = builtin._declared_containers(pbody)
        containers = declared or builtin._density_containers(pbody)[0]
        groups = set()
        for s in missing:
            if error:
                cls = f"rejected:{error}"
            else:
                el = _holder(whole, s)
                if el is None:
                    cls = "not_in_page"
                elif _holder(pbody, s) is None:
                    cls = "pruned"
                elif not any(_holder(c, s) is not None for c in containers):
                    cls = "outside"
                else:
                    cls = "inside"
                kinds = _kinds(el) if el is not None else set()
                if kinds:
                    cls += "+" + ",".join(sorted(kinds))
            groups.add("recall")
            counts["with:" + cls.split("+")[0]] += 1
            if args.verbose and (args.only is None or args.only == "recall" or args.only in cls):
                where = _path(_holder(whole, s)) if not error else ""
                print(f"MISS {key[:60]} [{cls}] {s[:70]!r}\n      at {where}")
        for s in present:
            el = _holder(root, s)
            where = _path(el) if el is not None else "?"
            groups.add("precision")
            counts["without"] += 1
            if args.verbose and (args.only is None or args.only == "without"):
                print(f"KEPT {key[:60]} {s[:70]!r}\n      at {where}")
        for grp in groups:
            counts["pages:" + grp] += 1
    print(f"{passed}/{pages} pages pass ({passed / max(1, pages):.1%})")
    for k, v in sorted(counts.items()):
        print(f"  {k:28} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
