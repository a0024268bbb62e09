"""Fixtures for the Dask executor and fsspec storage tests: one generated corpus, one local reference run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ingest.batch import BatchConfig, make_executor, run_batch

ROOT = Path(__file__).resolve().parents[2]
CORPUS_SIZE = 500  # articles (JSONL records count one each): text, HTML and JSONL, five languages


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` except the run state, by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".ingest" not in p.relative_to(root).parts
    }


@pytest.fixture(name="tree", scope="session")
def tree_fixture() -> object:
    """:func:`tree` for the test modules (conftest modules are not importable by name)."""
    return tree


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 500-article mixed corpus from benchmarks/make_corpus.py (same seed, same bytes)."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(CORPUS_SIZE), str(out), "--seed", "8"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out / "raw"


@pytest.fixture(scope="session")
def local_reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path]:
    """The local executor's run of the corpus with 2 worker processes: (report, output folder)."""
    out = tmp_path_factory.mktemp("local") / "clean"
    report = run_batch(BatchConfig(corpus, out, durable=False), executor=make_executor("local", 2))
    return report, out
