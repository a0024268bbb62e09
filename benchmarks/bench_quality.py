#!/usr/bin/env python3
"""Measure 6: quality on the generated gold — ingest vs ``ftfy.fix_text`` alone vs unstructured's cleaners.

Usage: ``python benchmarks/bench_quality.py [--n 2000] [--workdir DIR]`` prints the result as JSON.

Every tool sees the same input. For ``.txt`` files that is the file's text; for a JSONL record the
baselines get the record's body field (reading JSON is not cleaning), ingest gets the file. HTML
pages are compared between ingest and ``trafilatura.extract`` (the baselines are not extractors).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

FIELDS = ("title", "published", "authors", "publisher", "dateline", "language")
BODY_KEYS = ("text", "content", "body", "article_body")
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'}
)


def loose(s: str | None) -> str:
    """Whitespace- and quote-style-insensitive form, so paragraphing and uncurling are forgiven."""
    return " ".join((s or "").translate(_QUOTES).split())


def _ftfy_alone(text: str) -> str:
    import ftfy

    # Default configuration on purpose: this column is "what ftfy does when you just call it".
    return ftfy.fix_text(text).strip()


def _unstructured_loader() -> Callable[[list[str]], list[str]] | None:
    """unstructured's cleaners over a list of texts, or None when no interpreter here has unstructured.

    In this process when the package is installed (``pip install -e '.[bench]'``); else through
    the interpreter named by ``INGEST_BENCH_UNSTRUCTURED_PYTHON`` (a separate venv), in one
    subprocess for the whole list.
    """
    try:
        import _unstructured_clean as U
    except Exception:
        other = os.environ.get("INGEST_BENCH_UNSTRUCTURED_PYTHON")
        if not other:
            return None
        script = str(C.BENCH / "_unstructured_clean.py")
        env = {**os.environ, "DO_NOT_TRACK": "true", "SCARF_NO_ANALYTICS": "true"}
        probe = subprocess.run([other, script], input="[]", capture_output=True, text=True, env=env)
        if probe.returncode != 0:
            return None

        def clean_elsewhere(texts: list[str]) -> list[str]:
            done = subprocess.run(
                [other, script], input=json.dumps(texts), capture_output=True, text=True, env=env, check=True
            )
            return list(json.loads(done.stdout))

        return clean_elsewhere

    return lambda texts: [U.clean(t) for t in texts]


def unstructured_version() -> str:
    """The unstructured version the quality table used, or ``not installed``."""
    try:
        return C._unstructured_version()
    except Exception:
        return "not installed"


def _ingest_outputs(raw: Path, paths: list[str]) -> dict[tuple[str, int | None], dict | str]:
    """Article dicts by (path, record), or the error code for inputs/records ingest rejected."""
    from ingest.errors import IngestError
    from ingest.pipeline import iter_articles

    out: dict[tuple[str, int | None], dict | str] = {}
    for rel in paths:
        data = (raw / rel).read_bytes()
        try:
            for o in iter_articles(data, path=rel):
                out[(rel, o.record)] = o.article.to_dict() if o.article else getattr(o.error, "code", "error")
        except IngestError as e:
            out[(rel, None)] = e.code
        except Exception as e:  # a crash is a finding, not a reason to stop measuring
            out[(rel, None)] = f"crash:{type(e).__name__}"
    return out


def _field_ok(name: str, pred: object, gold: object) -> bool:
    if name == "published":
        return (pred[:10] if isinstance(pred, str) else None) == gold
    if name == "authors":
        return list(pred or []) == list(gold or [])
    return pred == gold


def _present(name: str, gold: object) -> bool:
    return bool(gold) if name == "authors" else gold is not None


def _score_bodies(pairs: list[tuple[str | None, str]]) -> dict[str, float]:
    n = len(pairs)
    exact = sum(1 for p, g in pairs if p is not None and p == g)
    lo = sum(1 for p, g in pairs if p is not None and loose(p) == loose(g))
    f1 = C.f1_of(pairs)["f1"]
    return {"n": n, "exact": round(exact / n, 4) if n else 0.0, "loose": round(lo / n, 4) if n else 0.0, "f1": f1}


def run(*, n: int = 2000, workdir: Path, seed: int = 1) -> dict:
    cdir = C.corpus(workdir, n, seed=seed)
    raw = cdir / "raw"
    gold = [json.loads(line) for line in (cdir / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    paths = sorted({g["path"] for g in gold})
    ours = _ingest_outputs(raw, paths)
    unstructured = _unstructured_loader()

    texts: dict[tuple[str, int | None], str] = {}
    for g in gold:
        if g["format"] == "text":
            texts[(g["path"], None)] = (raw / g["path"]).read_text(encoding="utf-8")
        elif g["format"] == "jsonl":
            line = (raw / g["path"]).read_text(encoding="utf-8").splitlines()[g["record"] - 1]
            rec = json.loads(line)
            texts[(g["path"], g["record"])] = next(str(rec[k]) for k in BODY_KEYS if k in rec)

    bodies: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
    fields: dict[str, dict[str, list[int]]] = {
        f: {"ok": [], "ok_present": [], "wrong_absent": [], "null_ok": []} for f in FIELDS
    }
    by_damage: dict[str, list[int]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    misses: list[dict] = []
    html_pages: list[tuple[str, dict]] = []
    pending_unstructured: list[tuple[tuple[str, int | None], str]] = []
    for g in gold:
        key = (g["path"], g["record"])
        got = ours.get(key)
        if got is None and g["record"] is None:
            got = ours.get((g["path"], None))
        if got is None or isinstance(got, str):
            errors[got or "missing"] += 1
            art: dict = {}
        else:
            art = got
        pred = art.get("body")
        if g["format"] == "html":
            bodies["ingest/html"].append((pred, g["body"]))
            html_pages.append((g["path"], g))
        else:
            bodies["ingest"].append((pred, g["body"]))
            bodies["ftfy"].append((_ftfy_alone(texts[key]), g["body"]))
            if unstructured:
                pending_unstructured.append((key, g["body"]))
        ok = pred == g["body"]
        for d in g["damage"] or ["none"]:
            by_damage[d].append(int(ok))
        by_damage["all"].append(int(ok))
        if not ok and len(misses) < 200:
            misses.append(
                {
                    "path": g["path"],
                    "record": g["record"],
                    "damage": g["damage"],
                    "error": got if isinstance(got, str) else None,
                    "gold_head": g["body"][:200],
                    "got_head": (pred or "")[:200],
                }
            )
        for f in FIELDS:
            gv, pv = g[f], art.get(f)
            good = _field_ok(f, pv, gv)
            fields[f]["ok"].append(int(good))
            fields[f]["null_ok"].append(int(not _present(f, gv)))
            if _present(f, gv):
                fields[f]["ok_present"].append(int(good))
            elif _present(f, pv):
                fields[f]["wrong_absent"].append(1)

    if unstructured and pending_unstructured:
        cleaned = unstructured([texts[key] for key, _ in pending_unstructured])
        bodies["unstructured"] = [(out, gold_body) for out, (_, gold_body) in zip(cleaned, pending_unstructured)]

    # trafilatura on the generated HTML pages (its body only: the reference for the HTML row).
    try:
        import trafilatura

        def traf(page: str) -> str | None:
            out = trafilatura.extract(page, include_comments=False)
            # trafilatura prints one paragraph per line; the gold separates them with a blank line.
            return "\n\n".join(x for x in out.split("\n") if x.strip()) if out else None

        bodies["trafilatura/html"] = [(traf((raw / p).read_text(encoding="utf-8")), g["body"]) for p, g in html_pages]
    except ImportError:
        pass

    (workdir / "quality-misses.jsonl").write_text(
        "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in misses), encoding="utf-8"
    )
    return {
        "n": len(gold),
        "corpus": f"make_corpus.py {n} --seed {seed}",
        "formats": {fmt: sum(1 for g in gold if g["format"] == fmt) for fmt in ("text", "html", "jsonl")},
        "bodies": {k: _score_bodies(v) for k, v in bodies.items()},
        "unstructured": unstructured is not None,
        "unstructured_version": unstructured_version() if unstructured else None,
        "fields": {
            f: {
                "accuracy": round(sum(v["ok"]) / len(v["ok"]), 4),
                "accuracy_present": round(sum(v["ok_present"]) / len(v["ok_present"]), 4) if v["ok_present"] else None,
                "present": len(v["ok_present"]),
                "invented": sum(v["wrong_absent"]),
                "null_baseline": round(sum(v["null_ok"]) / len(v["null_ok"]), 4),
            }
            for f, v in fields.items()
        },
        "by_damage": {d: {"n": len(v), "exact": round(sum(v) / len(v), 4)} for d, v in sorted(by_damage.items())},
        "errors": dict(sorted(errors.items())),
        "misses_file": str(workdir / "quality-misses.jsonl"),
    }


def render(r: dict) -> str:
    b = r["bodies"]

    def row(name: str, key: str) -> str:
        if key not in b:
            return f"| {name} | — | — | — | — |"
        s = b[key]
        return f"| {name} | {s['n']} | {s['exact']:.1%} | {s['loose']:.1%} | {s['f1']:.3f} |"

    out = [
        (
            f"Corpus: `{r['corpus']}` — {r['n']} articles ({r['formats']['text']} text, {r['formats']['html']} HTML, "
            f"{r['formats']['jsonl']} JSONL records)."
        ),
        "",
        (
            "**Body** (text + JSONL articles; *exact* = byte-identical to the gold body, *loose* = equal after "
            "collapsing whitespace and quote styles, *F1* = 4-token-shingle F1 as in the html-dev benchmark)"
        ),
        "",
        "| tool | articles | exact | loose | F1 |",
        "|---|---:|---:|---:|---:|",
        row("ingest", "ingest"),
        row("`ftfy.fix_text` alone", "ftfy"),
        row("unstructured cleaners" if r["unstructured"] else "unstructured cleaners (not installed)", "unstructured"),
        "",
        "**Body of the generated HTML pages**",
        "",
        "| tool | pages | exact | loose | F1 |",
        "|---|---:|---:|---:|---:|",
        row("ingest (built-in extractor)", "ingest/html"),
        row("`trafilatura.extract`", "trafilatura/html"),
        "",
        (
            "**Metadata** (all formats; *accuracy* over every article, a field the input does not have must be null; "
            "*when present* = accuracy over articles whose gold has the field; *invented* = a value where the gold has "
            "none; `ftfy` and unstructured extract no metadata, so their score is the *null baseline*; `published` "
            "is compared on the date)"
        ),
        "",
        (
            "| field | ingest accuracy | when present | articles with field | invented | null baseline (ftfy,"
            " unstructured) |"
        ),
        "|---|---:|---:|---:|---:|---:|",
    ]
    for f, v in r["fields"].items():
        ap = f"{v['accuracy_present']:.1%}" if v["accuracy_present"] is not None else "—"
        out.append(
            f"| {f} | {v['accuracy']:.1%} | {ap} | {v['present']} | {v['invented']} | {v['null_baseline']:.1%} |"
        )
    out += [
        "",
        "**ingest body exact-match by damage type** (an article usually carries several)",
        "",
        "| damage | articles | exact |",
        "|---|---:|---:|",
    ]
    for d, v in r["by_damage"].items():
        out.append(f"| {d} | {v['n']} | {v['exact']:.1%} |")
    if r["errors"]:
        out += [
            "",
            "Articles ingest rejected or could not read: "
            + ", ".join(f"`{k}` {v}" for k, v in r["errors"].items())
            + ".",
        ]
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/ingest-bench"))
    ap.add_argument("--markdown", action="store_true", help="print the markdown section instead of JSON")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    r = run(n=args.n, workdir=args.workdir, seed=args.seed)
    print(render(r) if args.markdown else json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
