"""ingest run --executor dask: same outputs, manifest, report and exit code as the local executor.

Every cluster here is a distributed.LocalCluster bound to 127.0.0.1: no network beyond loopback.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")  # ingest[dask]; make test installs it
import cloudpickle  # noqa: E402  (comes with distributed)
import dask  # noqa: E402

from ingest.batch import BatchConfig, BatchError, Progress, run_batch  # noqa: E402
from ingest.batch.dask_executor import DaskExecutor  # noqa: E402
from ingest.batch.manifest import Manifest  # noqa: E402
from ingest.batch.worker import Job, Result, run_job  # noqa: E402


class _AnyStr(str):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(other)

    __hash__ = str.__hash__


ANY_STR = _AnyStr()
COMPARED = ("status", "exit_code", "counts", "errors", "fixes", "warnings", "skipped_by_reason", "fingerprint")


def _same_report(a: dict[str, object], b: dict[str, object]) -> None:
    assert {k: a[k] for k in COMPARED} == {k: b[k] for k in COMPARED}


def test_local_cluster_output_tree_byte_identical_to_local_executor_and_rerun_skips_all(
    corpus: Path,
    local_reference: tuple[dict[str, object], Path],
    tmp_path: Path,
    tree: Callable[[Path], dict[str, bytes]],
) -> None:
    ref_report, ref_out = local_reference
    out = tmp_path / "clean"
    said: list[str] = []
    executor = DaskExecutor(2, announce=said.append)
    report = run_batch(BatchConfig(corpus, out, durable=False), executor=executor)

    assert said and "local cluster with 2 worker processes" in said[0]
    assert report["executor"] == "dask" and report["workers"] == 2
    _same_report(report, ref_report)
    assert report["counts"]["ok"] == report["counts"]["seen"] > 400  # type: ignore[index]
    assert tree(out) == tree(ref_out)
    assert (out / ".ingest" / "rejected.ingest-jsonl").read_bytes() == (
        ref_out / ".ingest" / "rejected.ingest-jsonl"
    ).read_bytes()
    assert executor.client is None  # run_batch closed the cluster

    again = run_batch(BatchConfig(corpus, out, durable=False), executor=DaskExecutor(2, announce=None))
    counts = again["counts"]
    assert counts["ok"] == counts["failed"] == 0  # type: ignore[index]
    assert counts["skipped"] == counts["seen"] == report["counts"]["seen"]  # type: ignore[index]
    assert again["skipped_by_reason"] == {"unchanged": counts["seen"]}  # type: ignore[index]
    assert again["exit_code"] == 0
    assert tree(out) == tree(ref_out)


@pytest.fixture()
def cluster() -> object:
    """A 2-process LocalCluster on loopback that a test may damage (killed workers come back)."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=50,
    ) as c:
        yield c


def test_killed_worker_mid_run_every_article_written_exactly_once(
    corpus: Path,
    local_reference: tuple[dict[str, object], Path],
    tmp_path: Path,
    cluster: object,
    tree: Callable[[Path], dict[str, bytes]],
) -> None:
    ref_report, ref_out = local_reference
    out = tmp_path / "clean"
    executor = DaskExecutor(2, scheduler=cluster.scheduler_address, chunk_size=4, announce=None)  # type: ignore[attr-defined]
    seen: list[str] = []
    killed: list[int] = []

    def on_result(res: Result) -> None:
        seen.append(res.rel)
        if len(seen) == 40 and not killed:
            # SIGKILL one worker process while jobs are in flight on both (the nanny restarts it).
            pids = executor.client.run(os.getpid)
            killed.append(sorted(pids.values())[0])
            os.kill(killed[0], signal.SIGKILL)

    report = run_batch(
        BatchConfig(corpus, out, durable=False), executor=executor, progress=Progress(on_result=on_result)
    )

    assert killed, "the run finished before a worker could be killed"
    assert executor.workers_lost >= 1
    _same_report(report, ref_report)
    # Each input's result reached the driver once, and the tree holds each article once.
    assert len(seen) == len(set(seen)) == report["counts"]["seen"]  # type: ignore[index]
    assert tree(out) == tree(ref_out)  # also: no temp file of the killed worker is left
    manifest = Manifest(out / ".ingest" / "manifest.sqlite")
    try:
        assert manifest.counts() == {"ok": len(seen)}
    finally:
        manifest.close()


def test_local_cluster_listens_on_loopback_only() -> None:
    psutil = pytest.importorskip("psutil")
    said: list[str] = []
    executor = DaskExecutor(2, announce=said.append)
    try:
        executor.start()
        me = psutil.Process()
        ours = {me.pid} | {p.pid for p in me.children(recursive=True)}
        listening = [
            c.laddr for c in psutil.net_connections("inet") if c.status == psutil.CONN_LISTEN and c.pid in ours
        ]
    finally:
        executor.close()
    assert listening and all(addr.ip == "127.0.0.1" for addr in listening), listening
    assert all(addr.port != 8787 for addr in listening)
    assert len(said) == 1 and "2 worker processes" in said[0]


def test_unreachable_scheduler_is_an_environment_error(corpus: Path, tmp_path: Path) -> None:
    executor = DaskExecutor(2, scheduler="tcp://127.0.0.1:9", connect_timeout=1, announce=None)
    with pytest.raises(BatchError) as info:
        run_batch(BatchConfig(corpus, tmp_path / "clean"), executor=executor)
    assert info.value.exit_code == 4
    assert "tcp://127.0.0.1:9" in str(info.value)


def test_memory_store_with_dask_threads(tmp_path: Path) -> None:
    """memory:// input and output through the Dask executor (workers as threads: one process)."""
    import fsspec

    fs = fsspec.filesystem("memory")
    raw, clean = f"memory://dask-raw-{tmp_path.name}", f"memory://dask-clean-{tmp_path.name}"
    texts = {
        f"{'sub/' if i % 2 else ''}n{i}.txt": (
            f"Headline {i}\n\nThe ferry to Saltholm ran late on day {i}, officials said.\n"
        )
        for i in range(12)
    }
    for rel, text in texts.items():
        fs.pipe(f"{raw}/{rel}", text.encode())
    try:
        executor = DaskExecutor(2, processes=False, announce=None)
        report = run_batch(BatchConfig(raw, clean, state_dir=tmp_path / "state"), executor=executor)
        assert report["counts"]["ok"] == len(texts) and report["exit_code"] == 0  # type: ignore[index]
        assert sorted(p.split(f"dask-clean-{tmp_path.name}/", 1)[1] for p in fs.find(clean)) == sorted(
            [f"{rel}.json" for rel in texts] + [".ingest/rejected.ingest-jsonl", ".ingest/report.ingest-json"]
        )
        stored = json.loads(fs.cat(f"{clean}/.ingest/report.ingest-json"))
        assert stored["run_id"] == report["run_id"]
    finally:
        fs.rm(raw, recursive=True)
        fs.rm(clean, recursive=True)


def test_memory_store_refused_with_worker_processes(tmp_path: Path) -> None:
    with pytest.raises(BatchError) as info:
        run_batch(
            BatchConfig("memory://nowhere-raw", "memory://nowhere-clean"), executor=DaskExecutor(2, announce=None)
        )
    assert info.value.exit_code == 2
    assert "memory://" in str(info.value)


def die_on_poison(job: Job) -> list[Result]:
    """Runs on a worker: the process exits (as a segfault would) when a job holds poison.txt."""
    if any(t.rel.endswith("poison.txt") for t in job.tasks):
        os._exit(70)
    return run_job(job)


def test_input_that_keeps_killing_workers_is_recorded_worker_crashed(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    names = [f"n{i:02d}.txt" for i in range(7)] + ["poison.txt"]
    for i, name in enumerate(names):
        (raw / name).write_text(f"Headline {i}\n\nThe tram to Brekka ran late on day {i}, the operator said.\n")
    # One death per task is enough for KilledWorker here (the default allows 3).
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=50,
        ) as cluster,
    ):
        executor = DaskExecutor(2, scheduler=cluster.scheduler_address, announce=None, function=die_on_poison)
        report = run_batch(BatchConfig(raw, tmp_path / "clean", durable=False), executor=executor)
    assert report["counts"]["ok"] == 7 and report["counts"]["failed"] == 1  # type: ignore[index]
    assert report["errors"] == {"worker_crashed": 1}
    assert report["failures"] == [{"path": "poison.txt", "code": "worker_crashed", "message": ANY_STR}]  # type: ignore[comparison-overlap]
    assert report["exit_code"] == 1
    assert sorted(p.name for p in (tmp_path / "clean").iterdir() if p.name != ".ingest") == [
        f"{n}.json" for n in names[:-1]
    ]


def test_client_restart_mid_run_resubmits_cancelled_jobs(
    corpus: Path,
    local_reference: tuple[dict[str, object], Path],
    tmp_path: Path,
    cluster: object,
    tree: Callable[[Path], dict[str, bytes]],
) -> None:
    """client.restart() kills every worker and cancels every future: the jobs are sent again."""
    ref_report, ref_out = local_reference
    out = tmp_path / "clean"
    executor = DaskExecutor(2, scheduler=cluster.scheduler_address, announce=None)  # type: ignore[attr-defined]
    seen: list[str] = []

    def on_result(res: Result) -> None:
        seen.append(res.rel)
        if len(seen) == 40:
            executor.client.restart()

    report = run_batch(
        BatchConfig(corpus, out, durable=False), executor=executor, progress=Progress(on_result=on_result)
    )
    assert executor.workers_lost >= 1
    _same_report(report, ref_report)
    assert len(seen) == len(set(seen)) == report["counts"]["seen"]  # type: ignore[index]
    assert tree(out) == tree(ref_out)


def test_an_input_over_its_budget_gets_timeout_on_dask_workers_and_the_rest_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20: the time budget holds with the Dask executor, also for an input no timer can stop.

    ``hard``: the input's time is spent with every signal blocked (as C code that never returns to
    the interpreter); the Dask worker runs its jobs in a one-process pool that is killed then.
    """
    raw = tmp_path / "raw"
    raw.mkdir()
    names = [f"n{i:02d}.txt" for i in range(20)] + ["wedge.txt"]
    for i, name in enumerate(names):
        (raw / name).write_text(f"Headline {i}\n\nThe tram to Brekka ran late on day {i}, the operator said.\n")
    monkeypatch.setenv("INGEST_TEST_SLOW_INPUT", "wedge:600:hard")  # the worker processes inherit it
    executor = DaskExecutor(2, announce=None)
    report = run_batch(BatchConfig(raw, tmp_path / "clean", durable=False, input_timeout=3), executor=executor)
    assert report["errors"] == {"timeout": 1}
    assert report["failures"] == [{"path": "wedge.txt", "code": "timeout", "message": ANY_STR}]  # type: ignore[comparison-overlap]
    assert report["counts"]["ok"] == 20  # type: ignore[index]
    assert report["duration_s"] < 600  # type: ignore[operator]  # it did not wait for the wedge
    assert sorted(p.name for p in (tmp_path / "clean").iterdir() if p.name != ".ingest") == [
        f"{n}.json" for n in names[:-1]
    ]
