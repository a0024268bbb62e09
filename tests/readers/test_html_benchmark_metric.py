"""benchmarks/html_extraction.py: the metric as html-dev's README defines it, and the table."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "html_extraction.py"
spec = importlib.util.spec_from_file_location("html_extraction", SCRIPT)
assert spec and spec.loader
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_shingles_are_overlapping_4_token_multisets_of_word_tokens() -> None:
    s = bench.shingles("a b, c d e a b c d")
    assert s[("a", "b", "c", "d")] == 2
    assert sum(s.values()) == 6


def test_identical_text_scores_one() -> None:
    assert bench.page_scores("one two three four five", "one two three four five") == (1.0, 1.0)


def test_no_output_has_no_precision_and_zero_recall() -> None:
    assert bench.page_scores(None, "one two three four five") == (None, 0.0)


def test_half_extra_text_halves_precision_not_recall() -> None:
    gold = "w1 w2 w3 w4 w5 w6 w7"  # 4 shingles
    pred = gold + " x1 x2 x3 x4"  # 4 more shingles that are all wrong
    p, r = bench.page_scores(pred, gold)
    assert p == pytest.approx(0.5)
    assert r == 1.0


def test_precision_and_recall_are_averaged_over_pages_then_combined() -> None:
    gold = {"a": "w1 w2 w3 w4 w5", "b": "v1 v2 v3 v4 v5"}
    preds = {"a": "w1 w2 w3 w4 w5", "b": None}
    m = bench.score(preds, gold)
    assert m["precision"] == 1.0  # only page a has output
    assert m["recall"] == 0.5
    assert m["f1"] == pytest.approx(2 / 3)


def test_the_script_prints_its_table_on_a_tiny_dev_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "html").mkdir()
    body = "The council met on Monday and agreed to publish its findings before the end of the month."
    page = f"<html><body><nav><a href='/'>Home</a></nav><article><p>{body}</p><p>{body}</p></article></body></html>"
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(page.encode()))
    (tmp_path / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": f"{body}\n{body}", "url": "u"}}))
    assert bench.main(["--dev", str(tmp_path), "--reps", "1"]) == 0
    out = capsys.readouterr().out
    assert "ingest builtin (pipeline)" in out and "trafilatura.extract (reference)" in out
    row = next(line for line in out.splitlines() if line.startswith("ingest builtin (pipeline)"))
    assert row.split()[5] == "1.000"  # F1 column


def test_the_quality_gate_fails_below_its_floor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "html").mkdir()
    kept = "The council met on Monday and agreed to publish its findings before the end of the month."
    page = f"<html><body><article><p>{kept}</p><p>{kept}</p></article></body></html>"
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(page.encode()))
    # the labelled body is text the page does not have: F1 0
    (tmp_path / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": "w1 w2 w3 w4 w5 w6", "url": "u"}}))
    assert bench.main(["--dev", str(tmp_path), "--reps", "1", "--min-f1", "0.5"]) == 1
    assert "FAIL: builtin F1 0.000" in capsys.readouterr().out


def test_snippet_rows_count_pages_passing_all_snippets(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    body = "The council met on Monday and agreed to publish its findings before the end of the month."
    page = (
        "<html><body><nav><a href='/'>Home page"
        f" link</a></nav><article><p>{body}</p><p>{body}</p></article></body></html>"
    )
    (tmp_path / "pages" / "a.html.gz").write_bytes(gzip.compress(page.encode()))
    gold = {
        "k": {
            "file": "a.html.gz",
            "url": None,
            "labels": {},
            "with": ["agreed to publish"],
            "without": ["Home page link"],
        }
    }
    (tmp_path / "gold.json").write_text(json.dumps(gold))
    rows = bench.run_snippets(tmp_path)
    ours = rows[0]
    assert ours["name"] == "ingest clean_article (builtin)"
    assert (ours["pages"], ours["passed"], ours["pass_rate"]) == (1, 1, 1.0)
