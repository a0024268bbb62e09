"""An input truncated, grown, rewritten, replaced or deleted between listing and reading.

A real ``ingest run -w 1`` stops at a checkpoint of the worker — ``input_listed`` (about to open
the input) or ``input_opened`` (opened and stat'ed, not yet read) — and signals it
(``INGEST_TEST_PAUSE_SIGNAL``); the test changes the file, then lets the run go on. Required:
no output from a torn read (``changed_during_read``), a vanished file is ``vanished`` (neither
failed nor unreadable), neither is recorded in the manifest, the accounting adds up, the manifest
holds the stat of what was actually read, and the next run takes the file as it now is, giving
the tree a fresh run of the current inputs gives.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import assert_every_output_valid, env, ingest_exe, run, temp_files, tree

pytestmark = pytest.mark.timeout(120)

TARGET = "a-target.txt"  # first in name order: the first input a -w 1 run reaches


def _story(n: int, town: str) -> str:
    return (
        f"Ferry line {n} in {town}\n\n"
        f"The harbour board of {town} agreed on Monday to keep ferry line {n} running through the winter, "
        f"after a petition signed by {n * 100} residents.\n\n"
        "“The island needs the boat,” said the board's chair, adding that fares would not change.\n"
    )


def _corpus(raw: Path) -> None:
    raw.mkdir(parents=True)
    (raw / TARGET).write_text(_story(1, "Brekka"), encoding="utf-8")
    (raw / "b.txt").write_text(_story(2, "Saltholm"), encoding="utf-8")
    (raw / "c.txt").write_text(_story(3, "Veldmark"), encoding="utf-8")


def _paused_run(
    raw: Path, clean: Path, signal_dir: Path, point: str, change: Callable[[], None], *args: str
) -> tuple[int, dict]:
    """``ingest run -w 1 --json`` held at ``point`` while ``change()`` runs; (exit code, report)."""
    signal_dir.mkdir()
    proc = subprocess.Popen(
        [*ingest_exe(), "run", str(raw), str(clean), "-w", "1", "--json", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env(INGEST_TEST_PAUSE_AT=f"{point}:60", INGEST_TEST_PAUSE_SIGNAL=str(signal_dir)),
    )
    try:
        deadline = time.monotonic() + 60
        while not (signal_dir / "paused").exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the run never reached the checkpoint"
            time.sleep(0.01)
        change()
        (signal_dir / "resume").touch()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, json.loads(out)


def _row(clean: Path, rel: str) -> tuple[int, int, str, str | None] | None:
    db = sqlite3.connect(clean / ".ingest" / "manifest.sqlite")
    try:
        r = db.execute(
            "SELECT size, mtime_ns, status, error_code FROM inputs WHERE path = ?", (rel.encode(),)
        ).fetchone()
        return tuple(r) if r else None
    finally:
        db.close()


def _accounting(report: dict) -> None:
    c = report["counts"]
    assert c["ok"] + c["failed"] + c["skipped"] + c["not_done"] == c["seen"]


def _truncate(p: Path) -> None:
    with open(p, "r+b") as fh:
        fh.truncate(40)


def _grow(p: Path) -> None:
    with open(p, "ab") as fh:
        fh.write("\nA late correction: the petition had 150 more names.\n".encode())


def _rewrite_in_place(p: Path) -> None:
    # Same length, new bytes, same inode: only the times show it.
    data = p.read_bytes()
    with open(p, "r+b") as fh:
        fh.write(data.replace(b"Brekka", b"Bremen"))


CHANGES = {"truncated": _truncate, "grown": _grow, "rewritten in place": _rewrite_in_place}


def _assert_next_run_takes_it(raw: Path, clean: Path, tmp_path: Path, ok: int, *args: str) -> None:
    code, report = _run_json(raw, clean, *args)
    assert code == 0, report
    _accounting(report)
    assert report["counts"]["ok"] == ok
    reference = tmp_path / "reference"
    assert run(raw, reference, "-w", "1").returncode == 0
    assert temp_files(clean) == []
    assert tree(clean) == tree(reference)
    assert_every_output_valid(clean)


def _run_json(raw: Path, clean: Path, *args: str) -> tuple[int, dict]:
    proc = run(raw, clean, "-w", "1", "--json", *args)
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.parametrize("how", list(CHANGES))
def test_a_file_changed_while_read_gives_no_output_and_the_next_run_takes_it(how: str, tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus(raw)
    code, report = _paused_run(raw, clean, tmp_path / "sig", "input_opened", lambda: CHANGES[how](raw / TARGET))
    assert code == 0, report
    _accounting(report)
    assert report["counts"]["seen"] == 3 and report["counts"]["ok"] == 2 and report["counts"]["skipped"] == 1
    assert report["skipped_by_reason"] == {"changed_during_read": 1}
    assert report["counts"]["failed"] == 0 and report["errors"] == {}
    assert [e["path"] for e in report["skipped_entries"]] == [TARGET]
    assert not (clean / f"{TARGET}.json").exists()  # nothing from the torn read
    assert _row(clean, TARGET) is None  # not recorded: the next run takes it
    _assert_next_run_takes_it(raw, clean, tmp_path, ok=1)


def test_a_known_file_changed_while_reread_keeps_its_old_output_and_is_not_pruned(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus(raw)
    assert run(raw, clean, "-w", "1").returncode == 0
    old_output = (clean / f"{TARGET}.json").read_bytes()
    old_row = _row(clean, TARGET)
    _grow(raw / TARGET)  # listed as changed: a task again
    code, report = _paused_run(raw, clean, tmp_path / "sig", "input_opened", lambda: _truncate(raw / TARGET), "--prune")
    assert code == 0, report
    _accounting(report)
    assert report["skipped_by_reason"] == {"changed_during_read": 1, "unchanged": 2}
    assert report["counts"]["deleted_inputs"] == 0 and report["counts"]["pruned"] == 0  # still there
    assert (clean / f"{TARGET}.json").read_bytes() == old_output
    assert _row(clean, TARGET) == old_row  # the manifest still describes what was last read
    _assert_next_run_takes_it(raw, clean, tmp_path, ok=1)


@pytest.mark.parametrize("known", [False, True], ids=["new file", "known file"])
def test_a_file_deleted_after_listing_is_skipped_as_vanished_not_failed(known: bool, tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus(raw)
    if known:
        assert run(raw, clean, "-w", "1").returncode == 0
        _grow(raw / TARGET)
    code, report = _paused_run(raw, clean, tmp_path / "sig", "input_listed", lambda: (raw / TARGET).unlink())
    assert code == 0, report  # a vanished file is nobody's failure
    _accounting(report)
    assert report["skipped_by_reason"].get("vanished") == 1
    assert report["counts"]["failed"] == 0 and "unreadable" not in report["errors"]
    assert report["counts"]["deleted_inputs"] == (1 if known else 0)  # gone: a deleted input, as next run will say
    if not known:
        assert _row(clean, TARGET) is None
    assert (clean / f"{TARGET}.json").exists() == known  # an old output stays until --prune
    _assert_next_run_takes_it(raw, clean, tmp_path, 0, "--prune")


def test_the_manifest_records_the_stat_of_what_was_read_not_the_listing(tmp_path: Path) -> None:
    """Replaced (by rename) after listing, before opening: the new file is read and its stat recorded."""
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus(raw)
    listed = os.stat(raw / TARGET)

    def replace() -> None:
        tmp = raw / ".swap"
        tmp.write_text(
            _story(1, "Brekka") + "\nAn update with more words than before, so the size moves.\n", encoding="utf-8"
        )
        os.replace(tmp, raw / TARGET)

    code, report = _paused_run(raw, clean, tmp_path / "sig", "input_listed", replace)
    assert code == 0 and report["counts"]["ok"] == 3, report
    now = os.stat(raw / TARGET)
    assert now.st_size != listed.st_size
    size, mtime_ns, status, _ = _row(clean, TARGET)
    assert (size, mtime_ns, status) == (now.st_size, now.st_mtime_ns, "ok")
    assert "more words than before" in json.loads((clean / f"{TARGET}.json").read_text(encoding="utf-8"))["body"]
    code, again = _run_json(raw, clean)  # the manifest matches the file: skipped without hashing
    assert code == 0 and again["counts"]["ok"] == 0 and again["skipped_by_reason"] == {"unchanged": 3}


def test_a_file_replaced_while_open_is_read_whole_as_it_was_and_redone_next_run(tmp_path: Path) -> None:
    """A rename over an open file leaves the open inode intact: a consistent old version, not a torn one."""
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus(raw)
    old_stat = os.stat(raw / TARGET)

    def replace() -> None:
        tmp = raw / ".swap"
        tmp.write_text(_story(1, "Bremen"), encoding="utf-8")
        os.replace(tmp, raw / TARGET)

    code, report = _paused_run(raw, clean, tmp_path / "sig", "input_opened", replace)
    assert code == 0 and report["counts"]["ok"] == 3, report
    assert "Brekka" in json.loads((clean / f"{TARGET}.json").read_text(encoding="utf-8"))["body"]
    assert _row(clean, TARGET)[:2] == (old_stat.st_size, old_stat.st_mtime_ns)  # what was read
    _assert_next_run_takes_it(raw, clean, tmp_path, ok=1)
    assert "Bremen" in json.loads((clean / f"{TARGET}.json").read_text(encoding="utf-8"))["body"]
