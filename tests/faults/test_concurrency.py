"""Several processes on the same output folder: exactly one works, the others exit 3.

``ingest run`` and ``ingest watch`` share one lock, ``CLEAN_DIR/.ingest/lock`` (``flock``). The
runs here are real processes started together; the winner is held just after taking the lock
(``INGEST_TEST_PAUSE_AT=locked``, released through ``INGEST_TEST_PAUSE_SIGNAL`` once every
loser has exited), so they surely overlap however slowly the machine starts them.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from .helpers import assert_every_output_valid, env, ingest_exe, run, temp_files, tree, write_corpus

pytestmark = pytest.mark.timeout(180)


def _manifest(clean: Path) -> tuple[list[tuple[str, str]], int]:
    """(every input row as (path, status), number of runs recorded)."""
    db = sqlite3.connect(clean / ".ingest" / "manifest.sqlite")
    try:
        rows = [(os.fsdecode(p), s) for p, s in db.execute("SELECT path, status FROM inputs ORDER BY path")]
        (runs,) = db.execute("SELECT COUNT(*) FROM runs").fetchone()
        return rows, runs
    finally:
        db.close()


def test_four_runs_started_together_one_does_the_work_the_others_exit_3(tmp_path: Path) -> None:
    raw, clean, sig = tmp_path / "raw", tmp_path / "clean", tmp_path / "sig"
    write_corpus(raw, 30, bad=False)
    sig.mkdir()
    hold = env(INGEST_TEST_PAUSE_AT="locked:60", INGEST_TEST_PAUSE_SIGNAL=str(sig))
    procs = [
        subprocess.Popen(
            [*ingest_exe(), "run", str(raw), str(clean), "--workers", "2", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
            env=hold,
        )
        for _ in range(4)
    ]
    try:
        deadline = time.monotonic() + 90
        # Losers exit at once; the winner waits at "locked" until all three are gone.
        while sum(p.poll() is not None for p in procs) < 3 or not (sig / "paused").exists():
            assert time.monotonic() < deadline, [p.poll() for p in procs]
            time.sleep(0.02)
        (sig / "resume").touch()
        outs = [p.communicate(timeout=90) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 3, 3, 3], [(p.returncode, err) for p, (_, err) in zip(procs, outs)]
    for p, (out, err) in zip(procs, outs):
        if p.returncode == 3:
            assert out == "" and len(err.splitlines()) == 1 and err.startswith("error[locked]: "), err  # one line why
        else:
            report = json.loads(out)
            assert report["counts"]["ok"] == 30 and report["counts"]["seen"] == 30
    rows, runs = _manifest(clean)
    assert runs == 1  # one run ever started its bookkeeping
    assert len(rows) == 30 and {s for _, s in rows} == {"ok"}
    assert assert_every_output_valid(clean) == 30 and temp_files(clean) == []
    reference = tmp_path / "reference"
    assert run(raw, reference, "--workers", "1").returncode == 0
    assert tree(clean) == tree(reference)


def test_a_scheduled_run_while_a_watcher_works_exits_3_and_nothing_is_written_twice_or_half(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    write_corpus(raw / "early", 20, bad=False)  # found by the catch-up pass
    watcher = subprocess.Popen(
        [*ingest_exe(), "watch", str(raw), str(clean), "--settle", "0.2", "--workers", "1", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env(),
    )
    try:
        deadline = time.monotonic() + 90

        def outputs() -> int:
            return sum(1 for p in clean.rglob("*.json*") if ".ingest" not in p.parts) if clean.exists() else 0

        while outputs() == 0:
            assert watcher.poll() is None and time.monotonic() < deadline, watcher.poll()
            time.sleep(0.02)
        # Drops arrive while "cron" fires ingest run on the same folders, again and again.
        late = tmp_path / "late"
        write_corpus(late, 20, bad=False)
        runs = []
        for i, src in enumerate(sorted(p for p in late.rglob("*") if p.is_file())):
            dest = raw / "late" / src.relative_to(late)
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(dest.name + ".part")
            tmp.write_bytes(src.read_bytes())
            os.replace(tmp, dest)  # producers write, then rename
            if i % 5 == 0:
                runs.append(run(raw, clean, "--workers", "1"))
        assert runs and all(r.returncode == 3 and "error[locked]" in r.stderr for r in runs), [
            (r.returncode, r.stderr) for r in runs
        ]
        while outputs() < 40:
            assert watcher.poll() is None and time.monotonic() < deadline, (watcher.poll(), outputs())
            time.sleep(0.05)
        time.sleep(0.3)  # let the last results be recorded before asking it to stop
        watcher.send_signal(signal.SIGTERM)
        out, err = watcher.communicate(timeout=60)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
    assert watcher.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines() if line.strip()]
    written = [e["path"] for e in events if e["status"] == "ok"]
    assert len(written) == 40 and len(set(written)) == 40  # each input written exactly once
    assert assert_every_output_valid(clean) == 40 and temp_files(clean) == []
    rows, _ = _manifest(clean)
    assert len(rows) == 40 and {s for _, s in rows} == {"ok"}
    # With the watcher gone the scheduled run gets the lock and finds nothing left to do.
    after = run(raw, clean, "--workers", "1", "--json")
    assert after.returncode == 0, after.stderr
    report = json.loads(after.stdout)
    assert report["counts"]["ok"] == 0 and report["skipped_by_reason"] == {"unchanged": 40}
    reference = tmp_path / "reference"
    assert run(raw, reference, "--workers", "1").returncode == 0
    assert tree(clean) == tree(reference)
