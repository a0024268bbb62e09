#!/usr/bin/env python3
"""Text-repair quality on real damaged bodies and on ftfy's own test cases (issue 14).

Usage: ``python benchmarks/bench_text_quality.py [--markdown]`` (from the project root, with the
project's venv). unstructured's column comes from this interpreter when it has unstructured, or
from the interpreter named by ``INGEST_BENCH_UNSTRUCTURED_PYTHON`` (a separate venv), as in
bench_quality.py; it is left out when neither has it.

Two measures, every tool on the same input in the same run:

* **text-dev** (``../shared/eval/text-dev``, 91 real article bodies damaged the way real dumps
  are): body exact and paragraph recall exactly as ``../shared/tools/realcheck.py`` scores them
  (paragraphs split on blank lines, whitespace runs collapsed, NFC). ingest reads the file bytes;
  ``ftfy.fix_text`` and unstructured's cleaners get the file decoded as UTF-8 (decoding is not
  their job). Metadata is scored for ingest only (the others extract none).
* **ftfy's test cases** (``benchmarks/data/ftfy-test-cases/``, vendored from python-ftfy with its
  licence): each ``original`` through ingest's character fixes (the default ``chars`` phase of the
  plan, no line or artifact passes), through ``ftfy.fix_text`` and through unstructured's
  cleaners, compared with the case's ``fixed``. A typographic quote ftfy would uncurl counts as
  equal (ingest keeps typography by default), as does a difference in runs of whitespace (ingest
  collapses them; the body contract), and a letter where ``fixed`` keeps U+FFFD for a letter a
  lost byte left unknown (``Русский`` for ``Ру\ufffd\ufffdкий``: the text that was written;
  listed apart). Cases ftfy itself expects to fail are counted separately.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_quality as Q  # noqa: E402  (the unstructured loader)
import _common as C  # noqa: E402

TEXT_DEV = C.ROOT.parent / "shared" / "eval" / "text-dev"
FTFY_CASES = C.BENCH / "data" / "ftfy-test-cases"
# The text-dev scoring (realcheck's rules) lives in one place: text_dev_diff.py.
from text_dev_diff import FIELDS, norm, paras  # noqa: E402,F401
from text_dev_diff import field_ok as _meta_ok  # noqa: E402


def _ingest_body(data: bytes, name: str) -> dict:
    import ingest

    try:
        return ingest.clean_article(data, path=name).to_dict()
    except Exception:  # noqa: BLE001 - a rejected input scores as empty output
        return {}


def text_dev(unstructured) -> dict:  # type: ignore[no-untyped-def]
    import ftfy

    golds = [json.loads(line) for line in open(TEXT_DEV / "gold.jsonl", encoding="utf-8")]
    raws = [(TEXT_DEV / g["file"]).read_bytes() for g in golds]
    texts = [r.decode("utf-8", "replace") for r in raws]
    outputs: dict[str, list[str]] = {
        "ingest": [],
        "ftfy.fix_text": [ftfy.fix_text(t) for t in texts],
    }
    meta_ok = meta_n = invented = 0
    warned = 0
    for g, raw in zip(golds, raws):
        a = _ingest_body(raw, g["file"])
        outputs["ingest"].append(a.get("body") or "")
        warned += any(w.get("code") == "mojibake_remaining" for w in a.get("warnings", []))
        for f in FIELDS:
            scored, ok = _meta_ok(f, g, a)
            meta_n += scored
            meta_ok += scored and ok
            invented += not scored and not ok
    if unstructured is not None:
        outputs["unstructured cleaners"] = unstructured(texts)
    rows = {}
    for tool, bodies in outputs.items():
        exact = recall = 0.0
        for g, body in zip(golds, bodies):
            gp, op = paras(g["body"]), paras(body)
            exact += gp == op
            recall += sum(p in set(op) for p in gp) / max(1, len(gp))
        rows[tool] = {"body_exact": exact / len(golds), "paragraph_recall": recall / len(golds)}
    rows["ingest"].update(metadata=meta_ok / max(1, meta_n), invented=invented, mojibake_remaining_warned=warned)
    return {"files": len(golds), "tools": rows}


_UNCURL = str.maketrans(
    {
        "\u02bc": "'",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
    }
)


def _same(out: str, case: dict) -> bool:
    """``out`` equals the case's expected text, a quote ftfy would uncurl and whitespace runs aside."""
    a = " ".join(out.split())
    return a.translate(_UNCURL) == " ".join(case["fixed"].split()).translate(_UNCURL) or (
        "fixed-encoding" in case and a == " ".join(case["fixed-encoding"].split())
    )


def _fills_unknown(out: str, case: dict) -> bool:
    """``out`` is the expected text with letters where it has U+FFFD, and equal everywhere else.

    ftfy's expected output keeps U+FFFD where a lost byte left the letter unknown to it
    ("Ру\ufffd\ufffdкий"); the letter itself ("Русский") is the text that was written, not a loss.
    """
    a, b = " ".join(out.split()), " ".join(case["fixed"].split())
    if "\ufffd" not in b or len(a) != len(b):
        return False
    return all(x == y or (y == "\ufffd" and x.isalpha()) for x, y in zip(a, b))


def ftfy_cases(unstructured) -> dict:  # type: ignore[no-untyped-def]
    import ftfy

    from ingest.fixes import REGISTRY, repair_text

    chars = [f.name for f in REGISTRY if f.phase == "chars" and f.default]
    cases = [c for p in sorted(FTFY_CASES.glob("*.json")) for c in json.loads(p.read_text(encoding="utf-8"))]
    originals = [c["original"] for c in cases]
    outputs = {
        "ingest (character fixes)": [repair_text(t, enabled=chars, strip_artifacts=False).text for t in originals],
        "ftfy.fix_text": [ftfy.fix_text(t) for t in originals],
    }
    if unstructured is not None:
        outputs["unstructured cleaners"] = unstructured(originals)
    rows: dict[str, dict] = {}
    passed_by: dict[str, set[int]] = {}
    filled: dict[str, list[str]] = {}
    for tool, outs in outputs.items():
        ok = {i for i, (c, o) in enumerate(zip(cases, outs)) if _same(o, c)}
        fills = {i for i, (c, o) in enumerate(zip(cases, outs)) if i not in ok and _fills_unknown(o, c)}
        filled[tool] = [cases[i]["label"] for i in sorted(fills)]
        ok |= fills
        passed_by[tool] = ok
        rows[tool] = {
            "passed": len(ok),
            "of_expected_pass": sum(1 for i in ok if cases[i]["expect"] == "pass"),
            "of_known_failures": sum(1 for i in ok if cases[i]["expect"] == "fail"),
        }
    ours, theirs = passed_by["ingest (character fixes)"], passed_by["ftfy.fix_text"]
    return {
        "cases": len(cases),
        "expected_pass": sum(c["expect"] == "pass" for c in cases),
        "tools": rows,
        "ftfy_passes_lost_by_ingest": [cases[i]["label"] for i in sorted(theirs - ours)],
        "ingest_passes_ftfy_fails": [cases[i]["label"] for i in sorted(ours - theirs)],
        "ingest_fills_expected_fffd": filled["ingest (character fixes)"],
    }


def render(r: dict) -> str:
    td, fc = r["text_dev"], r["ftfy_cases"]
    lines = [
        f"**text-dev** ({td['files']} real article bodies damaged as dumps; scored as realcheck.py scores them)",
        "",
        "| tool | body exact | paragraph recall | metadata accuracy | invented fields |",
        "|---|---|---|---|---|",
    ]
    for tool, v in td["tools"].items():
        meta = f"{v['metadata']:.1%}" if "metadata" in v else "—"
        inv = str(v["invented"]) if "invented" in v else "—"
        lines.append(f"| {tool} | {v['body_exact']:.1%} | {v['paragraph_recall']:.1%} | {meta} | {inv} |")
    lines += [
        "",
        (
            f"**ftfy's test cases** ({fc['cases']} cases of python-ftfy's tests/test-cases, {fc['expected_pass']} of"
            " them expected to pass by ftfy; a quote ftfy would uncurl and whitespace runs count as equal, and so does"
            " a letter where the expected text has U+FFFD)"
        ),
        "",
        "| tool | cases passed | of ftfy's expected passes | of ftfy's known failures |",
        "|---|---|---|---|",
    ]
    for tool, v in fc["tools"].items():
        lines.append(f"| {tool} | {v['passed']} | {v['of_expected_pass']} | {v['of_known_failures']} |")
    lost = fc["ftfy_passes_lost_by_ingest"]
    lines += [
        "",
        f"ftfy passes that ingest's character fixes lose: {len(lost)}" + (": " + "; ".join(lost) if lost else "") + ".",
    ]
    gained = fc["ingest_passes_ftfy_fails"]
    lines += [
        f"Cases ingest passes and ftfy.fix_text does not: {len(gained)}"
        + (": " + "; ".join(gained) if gained else "")
        + "."
    ]
    fills = fc["ingest_fills_expected_fffd"]
    lines += [
        f"Of ingest's passes, {len(fills)} put the lost letter where the expected text has U+FFFD"
        + (": " + "; ".join(fills) if fills else "")
        + "."
    ]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--markdown", action="store_true", help="print the markdown tables instead of JSON")
    args = ap.parse_args()
    unstructured = Q._unstructured_loader()
    result = {"text_dev": text_dev(unstructured), "ftfy_cases": ftfy_cases(unstructured)}
    if unstructured is not None:
        result["unstructured_version"] = Q.unstructured_version()
    print(render(result) if args.markdown else json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
