"""A worker process that dies (segfault, OOM kill) costs one input, never the run."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from ingest.batch import BatchConfig, ProcessExecutor, run_batch
from ingest.batch.worker import Job, Result, run_job

from .conftest import article_text, tree


def die_on_poison(job: Job) -> list[Result]:
    """Runs in a pool process: it is killed (as by a segfault) when its job holds poison.txt."""
    if any(t.rel.endswith("poison.txt") for t in job.tasks):
        os.kill(os.getpid(), signal.SIGKILL)
    return run_job(job)


def test_an_input_that_kills_its_worker_is_recorded_worker_crashed_and_the_rest_is_done(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(40):
        (raw / f"n{i:02d}.txt").write_text(article_text(i), encoding="utf-8")
    (raw / "poison.txt").write_text(article_text(99), encoding="utf-8")
    executor = ProcessExecutor(2, function=die_on_poison)
    report = run_batch(BatchConfig(raw, tmp_path / "clean"), executor=executor)
    counts = report["counts"]
    assert (counts["ok"], counts["failed"]) == (40, 1)
    assert counts["ok"] + counts["failed"] + counts["skipped"] == counts["seen"]
    assert [(f["path"], f["code"]) for f in report["failures"]] == [("poison.txt", "worker_crashed")]
    reference = run_batch(BatchConfig(raw, tmp_path / "ref", exclude=("poison.txt",)))
    assert reference["counts"]["ok"] == 40
    assert tree(tmp_path / "clean") == tree(tmp_path / "ref")
