"""Issue 20: a time budget per input, and a memory budget per worker, by design.

A slow input is simulated with ``INGEST_TEST_SLOW_INPUT=NAME:seconds[:hard]`` (see
``ingest.writers``): plain, the time is spent in Python code (the worker's own timer stops it);
``hard``, with every signal blocked, as C code that never returns to the interpreter (only killing
the worker stops it). The sleeps are far longer than the tests may take: a test that finishes
shows the run did not wait for the input.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from checks import ingest_exe
from ingest import Options, clean_article
from ingest.batch import BatchConfig, SerialExecutor, run_batch
from ingest.batch.worker import MEMORY_FLOOR, memory_budget
from ingest.errors import IngestError

from .helpers import assert_every_output_valid, env, run, temp_files, write_corpus

pytestmark = pytest.mark.timeout(300)


def _report(clean: Path) -> dict:
    return json.loads((clean / ".ingest" / "report.ingest-json").read_text(encoding="utf-8"))


def _corpus_with(raw: Path, n: int, *names: str) -> None:
    write_corpus(raw, n, bad=False)
    for name in names:
        (raw / name).write_text(
            "Slow harbour\n\nThe harbour master said the ferry would run late again today.\n", encoding="utf-8"
        )


@pytest.mark.parametrize("mode", ["soft", "hard"])
def test_an_input_over_its_budget_gets_timeout_and_every_batch_mate_commits(mode: str, tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus_with(raw, 40, "part1/slowpoke.txt")
    spec = "slowpoke:600" + (":hard" if mode == "hard" else "")
    res = run(raw, clean, "-w", "2", "--input-timeout", "2", "--json", timeout=240, INGEST_TEST_SLOW_INPUT=spec)
    assert res.returncode == 1, res.stderr
    report = json.loads(res.stdout)
    assert report["errors"] == {"timeout": 1}
    assert report["failures"] == [
        {"path": "part1/slowpoke.txt", "code": "timeout", "message": report["failures"][0]["message"]}
    ]
    counts = report["counts"]
    assert counts["ok"] == 40 and counts["failed"] == 1 and counts["seen"] == 41
    assert report["input_timeout_s"] == 2
    # hard: the worker could not stop itself; it was killed and replaced
    assert (report["workers_replaced"] >= 1) == (mode == "hard")
    assert assert_every_output_valid(clean) == 40
    assert not temp_files(clean)
    again = run(raw, clean, "-w", "2", "--input-timeout", "2", "--json", INGEST_TEST_SLOW_INPUT=spec)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["skipped_by_reason"] == {"unchanged": 40, "unchanged_failed": 1}


def test_in_process_runs_stop_a_slow_input_with_the_timer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus_with(raw, 6, "slowpoke.txt")
    monkeypatch.setenv("INGEST_TEST_SLOW_INPUT", "slowpoke:600")
    report = run_batch(BatchConfig(raw, clean, durable=False, input_timeout=1), executor=SerialExecutor())
    assert report["errors"] == {"timeout": 1} and report["counts"]["ok"] == 6  # type: ignore[index]


def test_input_timeout_comes_from_the_config_file_and_0_means_none(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    write_corpus(raw, 2, bad=False)
    (tmp_path / "ingest.toml").write_text("input_timeout = 7.5\n", encoding="utf-8")
    res = subprocess.run(
        [*ingest_exe(), "run", str(raw), str(clean), "--json", "-w", "1"],
        capture_output=True,
        text=True,
        env=env(),
        cwd=tmp_path,
        timeout=120,
    )
    assert json.loads(res.stdout)["input_timeout_s"] == 7.5
    res = run(raw, tmp_path / "c2", "--json", "-w", "1", "--input-timeout", "0")
    assert json.loads(res.stdout)["input_timeout_s"] is None
    bad = run(raw, tmp_path / "c3", "--input-timeout", "-1")
    assert bad.returncode == 2


def test_a_memory_hungry_input_gets_too_large_in_its_worker_and_the_rest_commit(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus_with(raw, 30, "part2/balloon.txt")
    # With --max-bytes 1 MB the budget is the 512 MB floor over the start-up size: 1 GB of zeroed
    # (untouched, so cheap) memory is refused by the limit, while an unlimited process gets it.
    assert memory_budget(1_000_000) == MEMORY_FLOOR and memory_budget(50_000_000) == 64 * 50_000_000
    bytearray(1 << 30)  # this (unlimited) test process can allocate it
    res = run(raw, clean, "-w", "2", "--json", "--max-bytes", "1000000", INGEST_TEST_ALLOC_INPUT="balloon:1024")
    report = json.loads(res.stdout)
    assert report["errors"] == {"too_large": 1}, report["failures"]
    assert report["failures"][0]["path"] == "part2/balloon.txt"
    assert "memory" in report["failures"][0]["message"]
    assert report["counts"]["ok"] == 30


def test_library_and_clean_take_a_timeout_and_run_in_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = b"Harbour\n\nThe harbour master said the ferry would run late again today, and tomorrow too.\n"
    # Without a timeout: in-process, as before; with one: same article from a child process.
    assert (
        clean_article(text, path="a.txt", options=Options(timeout=120)).to_json()
        == clean_article(text, path="a.txt").to_json()
    )
    assert Options(timeout=5).fingerprint() == Options().fingerprint()  # a budget never changes an article
    monkeypatch.setenv("INGEST_TEST_SLOW_INPUT", "wedge:600:hard")
    with pytest.raises(IngestError) as info:
        clean_article(text, path="wedge.txt", options=Options(timeout=1))
    assert info.value.code == "timeout"
    f = tmp_path / "wedge.txt"
    f.write_bytes(text)
    res = subprocess.run(
        [*ingest_exe(), "clean", str(f), "--input-timeout", "1"],
        capture_output=True,
        text=True,
        env=env(INGEST_TEST_SLOW_INPUT="wedge:600:hard"),
        timeout=120,
    )
    assert res.returncode == 1 and res.stderr.startswith("error[timeout]: "), res.stderr
    assert res.stdout == ""


def _pool_workers(pid: int) -> set[int]:
    """Grandchildren of ``pid``: the pool's workers (children of its fork server)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    return {g for c in children.get(pid, []) for g in children.get(c, [])}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except OSError:
        return False


def test_sigterm_finishes_in_flight_inputs_writes_the_report_and_no_worker_outlives_the_lock(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    write_corpus(raw, 300, bad=False)
    # Each input takes 0.2 s, so the run is surely mid-way when the signal comes.
    proc = subprocess.Popen(
        [*ingest_exe(), "run", str(raw), str(clean), "--quiet", "-w", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(INGEST_TEST_SLOW_INPUT="story:0.2"),
    )
    deadline = time.monotonic() + 120
    while sum(1 for _ in clean.rglob("*.json")) < 20:
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.05)
    workers = _pool_workers(proc.pid)
    assert len(workers) == 2, workers
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    gone_at_exit = {pid for pid in workers if not _alive(pid)}
    assert proc.returncode == 143, err
    assert "error[interrupted]: stopped by SIGTERM" in err
    assert gone_at_exit == workers, "a pool worker outlived the run (and its lock)"
    report = _report(clean)
    assert report["status"] == "interrupted" and report["exit_code"] == 143 and report["stopped_by"] == "SIGTERM"
    c = report["counts"]
    assert 0 < c["ok"] < 300 and c["failed"] == 0
    assert c["ok"] + c["failed"] + c["skipped"] + c["not_done"] == c["seen"]
    assert not temp_files(clean)
    # What the report says was written is on disk, whole, and nothing else is.
    assert assert_every_output_valid(clean) == c["ok"]
    # The lock is free and a rerun completes the rest.
    res = run(raw, clean, "-w", "2", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["counts"]["ok"] == 300 - c["ok"]
    assert assert_every_output_valid(clean) == 300
