"""The run lifecycle and what it guarantees whatever executor runs the jobs.

* paths are resolved on the driver: workers in another directory still find every input;
* a run whose inputs mostly vanished before the workers read them is not a success (exit 4);
* retried jobs carry every field of the job they came from;
* a process pool started from a script without ``if __name__ == "__main__":`` is refused once;
* every executor has what the ``Executor`` protocol names;
* one ``Layout`` says where every state file is.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.batch import BatchConfig, ProcessExecutor, SerialExecutor, run_batch
from ingest.batch.executors import Executor
from ingest.batch.layout import Layout
from ingest.batch.worker import Job, Result, Task, run_job
from ingest.dedup import DedupConfig
from ingest.options import Options

from .conftest import article_text, run_ingest


def chdir_then_run(job: Job) -> list[Result]:
    """A worker that runs in another directory (as a Dask worker started elsewhere does)."""
    os.chdir("/")
    return run_job(job)


def look_elsewhere(job: Job) -> list[Result]:
    """A worker that does not see the driver's files (another machine, other mounts)."""
    moved = tuple(dataclasses.replace(t, path="/nonexistent-mount/" + t.rel) for t in job.tasks)
    return run_job(job.with_tasks(moved))


def probe_or_die(job: Job) -> list[Result]:
    """Dies on a job of several inputs (so the pool retries them one by one); else reports the job's fields."""
    if len(job.tasks) > 1:
        os.kill(os.getpid(), signal.SIGKILL)
    fields = {f.name: repr(getattr(job, f.name)) for f in dataclasses.fields(job) if f.name != "tasks"}
    t = job.tasks[0]
    return [Result(t.rel, t.size, t.mtime_ns, "failed", error_code="probe", error_message=json.dumps(fields))]


def _corpus(root: Path, n: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"s{i}.txt").write_text(article_text(i), encoding="utf-8")


def test_relative_paths_reach_workers_in_another_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _corpus(tmp_path / "raw", 4)
    monkeypatch.chdir(tmp_path)
    report = run_batch(BatchConfig("raw", "clean"), executor=ProcessExecutor(2, small_run=0, function=chdir_then_run))
    assert report["counts"]["ok"] == 4 and report["exit_code"] == 0  # type: ignore[index]
    assert report["input_dir"] == "raw"  # the report keeps the paths as given
    assert sorted(p.name for p in (tmp_path / "clean").glob("*.json")) == [f"s{i}.txt.json" for i in range(4)]


def test_a_run_whose_inputs_vanished_for_the_workers_exits_4_not_0(tmp_path: Path) -> None:
    _corpus(tmp_path / "raw", 6)
    config = BatchConfig(tmp_path / "raw", tmp_path / "clean")
    report = run_batch(config, executor=ProcessExecutor(2, small_run=0, function=look_elsewhere))
    assert report["skipped_by_reason"] == {"vanished": 6}
    assert (report["status"], report["exit_code"]) == ("aborted", 4)
    assert "do the workers see the input folder at the same path" in str(report["environment_error"])
    # Nothing was blamed or recorded: the next run (workers that see the files) does everything.
    again = run_batch(config)
    assert (again["counts"]["ok"], again["exit_code"]) == (6, 0)  # type: ignore[index]


def test_one_file_deleted_between_listing_and_reading_is_an_ordinary_race(tmp_path: Path) -> None:
    _corpus(tmp_path / "raw", 1)

    def vanish(job: Job) -> list[Result]:
        for t in job.tasks:
            os.unlink(t.path)
        return run_job(job)

    class Vanishing(SerialExecutor):
        def run(self, jobs):  # type: ignore[no-untyped-def,override]
            for job in jobs:
                yield vanish(job)

    report = run_batch(BatchConfig(tmp_path / "raw", tmp_path / "clean"), executor=Vanishing())
    assert report["skipped_by_reason"] == {"vanished": 1} and report["exit_code"] == 0


def test_retried_jobs_carry_every_field_of_the_job(tmp_path: Path) -> None:
    job = Job(
        tuple(Task(f"s{i}.txt", str(tmp_path / f"s{i}.txt"), 10, 1) for i in range(3)),
        str(tmp_path / "out"),
        Options(ascii_quotes=True),
        durable=False,
        timeout=7.5,
        dedup=DedupConfig(threshold=0.7),
        state_names=True,
    )
    expected = {f.name: repr(getattr(job, f.name)) for f in dataclasses.fields(job) if f.name != "tasks"}
    defaults = {f.name: repr(f.default) for f in dataclasses.fields(Job) if f.default is not dataclasses.MISSING}
    assert all(expected[name] != value for name, value in defaults.items())  # no field is left at its default
    executor = ProcessExecutor(2, small_run=0, function=probe_or_die)
    try:
        results = [r for batch in executor.run([job]) for r in batch]
    finally:
        executor.close()
    assert executor.workers_lost >= 1  # the three-input job killed its worker: each input went again alone
    assert sorted(r.rel for r in results) == ["s0.txt", "s1.txt", "s2.txt"]
    for r in results:
        assert json.loads(r.error_message or "") == expected


@pytest.mark.parametrize("guarded", [False, True], ids=["no guard", "guard"])
def test_a_pool_started_from_a_script_without_the_main_guard_is_one_clear_error(tmp_path: Path, guarded: bool) -> None:
    _corpus(tmp_path / "raw", 30)  # more than a small run: a pool is needed
    body = (
        "import multiprocessing\n"
        "from pathlib import Path\n"
        "from ingest.batch import BatchConfig, ProcessExecutor, run_batch\n"
        "def main():\n"
        "    multiprocessing.set_start_method({method!r})\n"
        "    report = run_batch(BatchConfig(Path('raw'), Path('clean')), executor=ProcessExecutor(2))\n"
        "    print('ok', report['counts']['ok'])\n"
    )
    tail = "if __name__ == '__main__':\n    main()\n" if guarded else "main()\n"
    for method in ("forkserver", "spawn") if not guarded else ("forkserver",):
        script = tmp_path / f"clean_{method}.py"
        script.write_text(body.format(method=method) + tail, encoding="utf-8")
        clean = tmp_path / "clean"
        proc = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        if guarded:
            assert proc.returncode == 0 and proc.stdout.strip() == "ok 30", proc.stderr
            assert len(list(clean.glob("*.json"))) == 30
            continue
        assert proc.returncode == 1
        assert proc.stderr.count('if __name__ == "__main__":') == 1, proc.stderr
        assert "BatchError: cannot start a process pool here" in proc.stderr
        assert "worker_crashed" not in proc.stderr + proc.stdout
        assert not (clean / ".ingest" / "manifest.sqlite").exists()  # refused before anything was touched


def test_every_executor_has_what_the_protocol_names() -> None:
    from ingest.batch.dask_executor import DaskExecutor

    members = [name for name in Executor.__annotations__] + ["run", "close"]
    assert {"workers_lost", "in_process", "chunk_size", "workers", "name"} <= set(members)
    for executor in (SerialExecutor(), ProcessExecutor(1), DaskExecutor(1, processes=False, announce=None)):
        for name in members:
            assert hasattr(executor, name), (type(executor).__name__, name)
        assert isinstance(executor.in_process, bool) and executor.workers_lost == 0
    assert SerialExecutor().in_process and not ProcessExecutor(1).in_process


def test_one_layout_names_every_state_path(tmp_path: Path) -> None:
    from ingest.dedup import index_path
    from ingest.exports.parquet import DATASET_DIR

    clean = tmp_path / "clean"
    layout = BatchConfig(tmp_path / "raw", clean).layout()
    state = clean / ".ingest"
    assert layout.state == state and layout.tree_root == clean and layout.sweep_root == clean
    assert layout.manifest == state / "manifest.sqlite" and layout.lock == state / "lock"
    assert layout.report == state / "report.ingest-json" and layout.rejects == state / "rejected.ingest-jsonl"
    assert layout.changes == state / "changes" and layout.dedup_index == index_path(state)
    assert layout.parquet_dataset == clean / DATASET_DIR
    no_tree = BatchConfig(tmp_path / "raw", clean, tree=False, state_dir=tmp_path / "st").layout()
    assert no_tree.tree_root == tmp_path / "st" / "articles" and no_tree.sweep_root == tmp_path / "st"
    assert Layout.of("memory://bucket/clean").state != Layout.of("memory://bucket/other").state


def test_status_names_the_reason_of_rejected_records_and_lists_only_failed_inputs_as_failed(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    good = json.dumps({"title": "Harbour reopens", "body": article_text(2)})
    other = good.replace("Harbour", "Quay")
    (raw / "export-21.jsonl").write_text(f"{good}\n{{not json\n{other}\n[1, 2]\n", encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    assert run_ingest("run", raw, clean, "-w", "1", "-q").returncode == 1
    info = json.loads(run_ingest("status", clean, "--json").stdout)
    assert [(f["path"], f["status"], f["code"]) for f in info["failed"]] == [("empty.txt", "failed", "empty")]
    [rejected] = info["rejected_records"]
    assert rejected["path"] == "export-21.jsonl" and rejected["records_failed"] == 2
    assert all(r["code"] and r["message"] for r in rejected["records"])
    text = run_ingest("status", clean).stdout
    line = next(x for x in text.splitlines() if "export-21.jsonl" in x)
    assert line.startswith("  2 record(s) rejected: export-21.jsonl: record 2 error[")
    assert "error[empty]: empty.txt" in text


def test_a_report_temp_file_left_by_a_run_killed_after_it_recorded_itself_finished_is_swept(tmp_path: Path) -> None:
    # The manifest says "finished" before the report is written (the report is the last step): a
    # run killed inside write_atomic of the report leaves its temp file although nothing looks
    # unfinished. Every run sweeps the state folder's own temp files.
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (raw / "a.txt").write_text(article_text(1), encoding="utf-8")
    config = BatchConfig(raw, clean, options=Options(detect_language=False))
    assert run_batch(config)["status"] == "finished"
    stale = Layout.of(clean).state / ".report.ingest-json.0badc0de.ingest-tmp"
    stale.write_bytes(b'{"status": "fin')
    report = run_batch(config)
    assert report["status"] == "finished"
    assert not stale.exists()
    assert not [p for p in clean.rglob("*") if p.name.endswith(".ingest-tmp")]
