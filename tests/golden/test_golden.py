"""Golden files: every sample in ``raw/`` against its reviewed expected output, field by field.

``tests/golden/<sample>.json`` is the spec for ``raw/<sample>``: the article object for a text or
HTML file, a list of outcomes (article or error, one per record) for a JSON/JSONL file. A
mismatch names every differing field (and, for the body, the first differing paragraph).

``UPDATE_GOLDEN=1 .venv/bin/pytest tests/golden`` rewrites the goldens from the current output
instead of comparing; review the diff line by line before committing it (see README.md here).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ingest import iter_articles

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
GOLDEN = Path(__file__).resolve().parent
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
SAMPLES = sorted(p.name for p in RAW.iterdir() if p.is_file() and not p.name.startswith("."))
MULTI_RECORD = (".json", ".jsonl", ".ndjson")


def outcomes_of(name: str) -> Any:
    """The current output for ``raw/<name>``, in the golden's shape (path relative to the project)."""
    data = (RAW / name).read_bytes()
    results: list[dict[str, Any]] = []
    for outcome in iter_articles(data, path=f"raw/{name}"):
        if outcome.error is not None:
            results.append({"record": outcome.record, "error": outcome.error.to_dict()})
        else:
            assert outcome.article is not None
            results.append(outcome.article.to_dict())
    if name.endswith(MULTI_RECORD):
        return results
    assert len(results) == 1, f"{name}: a single-document sample gave {len(results)} outcomes"
    return results[0]


def golden_path(name: str) -> Path:
    return GOLDEN / f"{name}.json"


def dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def _first_paragraph_diff(expected: str, got: str) -> str:
    exp, out = expected.split("\n\n"), got.split("\n\n")
    for i, (a, b) in enumerate(zip(exp, out)):
        if a != b:
            col = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            return (
                f"paragraph {i + 1} differs at column {col}:\n"
                f"      expected …{a[max(0, col - 40) : col + 60]!r}\n"
                f"      got      …{b[max(0, col - 40) : col + 60]!r}"
            )
    return f"{len(exp)} paragraphs expected, {len(out)} produced"


def field_diffs(expected: dict[str, Any], got: dict[str, Any], where: str = "") -> list[str]:
    """One readable line per field that differs (nested mappings compared key by key)."""
    lines: list[str] = []
    for key in list(expected) + [k for k in got if k not in expected]:
        label = f"{where}{key}"
        if key not in got:
            lines.append(f"  {label}: missing from the output (expected {expected[key]!r})")
        elif key not in expected:
            lines.append(f"  {label}: not in the golden (got {got[key]!r})")
        elif expected[key] != got[key]:
            e, g = expected[key], got[key]
            if key == "body" and isinstance(e, str) and isinstance(g, str):
                lines.append(f"  body: {_first_paragraph_diff(e, g)}")
            elif isinstance(e, dict) and isinstance(g, dict):
                lines.extend(field_diffs(e, g, f"{label}."))
            else:
                lines.append(f"  {label}: expected {e!r}, got {g!r}")
    return lines


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_matches_its_golden(name: str) -> None:
    got = outcomes_of(name)
    path = golden_path(name)
    if UPDATE:
        path.write_text(dump(got), encoding="utf-8")
        assert json.loads(path.read_text(encoding="utf-8")) == got
        return
    assert path.exists(), f"raw/{name} has no golden: run UPDATE_GOLDEN=1 .venv/bin/pytest tests/golden and review it"
    expected = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(expected, list):
        assert isinstance(got, list), f"{name}: golden holds a list of records, output is one article"
        problems = [] if len(expected) == len(got) else [f"  {len(expected)} records expected, {len(got)} produced"]
        for i, (e, g) in enumerate(zip(expected, got), start=1):
            problems.extend(field_diffs(e, g, f"record[{i}]."))
    else:
        problems = field_diffs(expected, got)
    assert not problems, f"raw/{name} differs from tests/golden/{name}.json:\n" + "\n".join(problems)


def test_every_golden_has_a_sample() -> None:
    orphans = sorted(p.name for p in GOLDEN.glob("*.json") if p.name[: -len(".json")] not in SAMPLES)
    assert not orphans, f"goldens without a raw/ sample (delete them): {orphans}"


def test_goldens_are_valid_articles_and_every_output_is_too() -> None:
    from checks import assert_valid_article

    for name in SAMPLES:
        path = golden_path(name)
        if not path.exists():
            continue  # reported by test_sample_matches_its_golden
        golden = json.loads(path.read_text(encoding="utf-8"))
        for item in golden if isinstance(golden, list) else [golden]:
            if "error" not in item:
                assert_valid_article(item)


def test_the_samples_are_what_make_samples_writes() -> None:
    """The checked-in text samples carry exactly the damage the generator documents."""
    p = subprocess.run(
        [sys.executable, str(GOLDEN / "make_samples.py"), "--check"], capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 0, p.stdout + p.stderr


def test_samples_cover_the_formats_and_encodings_the_issue_asks_for() -> None:
    """At least 8 text samples, one cp1252 (not UTF-8), one UTF-8 with BOM, one non-English, plus HTML and JSONL."""
    texts = [n for n in SAMPLES if n.endswith(".txt")]
    assert len(texts) >= 8
    encodings: dict[str, str | None] = {}
    languages: set[str | None] = set()
    for n in texts:
        art = outcomes_of(n)
        encodings[n] = art["source"]["encoding"]
        languages.add(art["language"])
    raw_texts = {n: (RAW / n).read_bytes() for n in texts}
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw_texts.values()), "no UTF-8 sample with a BOM"
    not_utf8 = []
    for n, b in raw_texts.items():
        try:
            b.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8.append(n)
    assert not_utf8, "no sample in a legacy single-byte encoding"
    assert languages - {"en", None}, f"only English samples: {languages}"
    assert any(n.endswith(".html") for n in SAMPLES) and any(n.endswith(".jsonl") for n in SAMPLES)
