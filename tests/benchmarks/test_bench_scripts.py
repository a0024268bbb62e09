"""The bench scripts keep working: the shingle F1 is the benchmark's, and a tiny quality run renders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import _common as C  # noqa: E402
import bench_quality  # noqa: E402


def test_identical_texts_score_f1_one():
    text = "one two three four five six seven"
    assert C.f1_of([(text, text)])["f1"] == 1.0


def test_no_output_counts_against_recall_only():
    scores = C.f1_of([(None, "one two three four five"), ("one two three four five", "one two three four five")])
    assert scores["precision"] == 1.0 and scores["recall"] == 0.5


def test_disjoint_texts_score_f1_zero():
    assert C.f1_of([("alpha beta gamma delta", "one two three four")])["f1"] == 0.0


@pytest.mark.parametrize(
    ("pred", "gold", "same"),
    [("a “b”\n\nc", 'a "b" c', True), ("a b", "a  c", False)],
    ids=["paragraphs and quote style forgiven", "different words differ"],
)
def test_loose_comparison(pred, gold, same):
    assert (bench_quality.loose(pred) == bench_quality.loose(gold)) is same


def test_quality_run_on_a_tiny_corpus_renders_every_table(tmp_path):
    result = bench_quality.run(n=30, workdir=tmp_path)
    assert result["n"] == 30
    assert {"ingest", "ftfy"} <= set(result["bodies"])
    text = bench_quality.render(result)
    for heading in ("**Body**", "**Metadata**", "by damage type"):
        assert heading in text
