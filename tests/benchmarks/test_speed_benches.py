"""The issue-15 bench scripts: the real-text corpus is the text-dev dumps copied, and the tables render."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_throughput  # noqa: E402
import cli_latency  # noqa: E402


def test_real_corpus_is_the_dumps_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "text-dev"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).write_text(f"body of {name}\n", encoding="utf-8")
    (src / "notes.md").write_text("not a dump", encoding="utf-8")
    monkeypatch.setattr(bench_throughput, "TEXT_DEV", src)
    out = bench_throughput.real_corpus(tmp_path / "work", 2)
    files = sorted(str(p.relative_to(out / "raw")) for p in (out / "raw").rglob("*") if p.is_file())
    assert files == ["c01/a.txt", "c01/b.txt", "c01/c.txt", "c02/a.txt", "c02/b.txt", "c02/c.txt"]
    assert (out / "raw" / "c02" / "b.txt").read_text(encoding="utf-8") == "body of b.txt\n"
    (src / "d.txt").write_text("new", encoding="utf-8")
    assert bench_throughput.real_corpus(tmp_path / "work", 2) == out  # built once, reused
    assert not (out / "raw" / "c01" / "d.txt").exists()


def test_throughput_render_names_the_real_corpus() -> None:
    r = {
        "corpus": "real",
        "copies": 20,
        "n": 1820,
        "megabytes": 14.0,
        "reps": 3,
        "seconds": {"baseline": [10.0, 11.0, 12.0], "run_w1": [9.0, 10.0, 11.0]},
        "median": {"baseline": 11.0, "run_w1": 10.0},
        "commands": {"baseline": "python baseline_etl.py"},
        "failures": {},
        "run_available": True,
        "ratio_run_w1": 0.91,
    }
    text = bench_throughput.render(r)
    assert "real text articles" in text and "--corpus real --copies 20" in text
    assert "target ≤ 1.0: met" in text


def test_cli_latency_render() -> None:
    keys = ("python", "ingest_help", "ingest_version", "ingest_clean", "ingest_clean_nolang", "ftfy")
    r = {
        "file": "/x/a.txt",
        "bytes": 5000,
        "reps": 3,
        "no_cache": False,
        "load_avg": [1.0, 1.0, 1.0],
        "wall_median": dict.fromkeys(keys, 0.2) | {"ftfy": 0.1},
        "cpu_median": dict.fromkeys(keys, 0.1),
        "clean_vs_ftfy_wall": 2.0,
        "clean_vs_ftfy_cpu": 1.0,
    }
    text = cli_latency.render(r)
    assert "| `ingest clean FILE` | 0.200 | 0.100 | 2.0× |" in text
    assert "(target ≤ 3: met)" in text and "(target ≤ 0.25 s: met)" in text
