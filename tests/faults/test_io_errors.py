"""A write, an fsync or a rename failing with ENOSPC, EIO or EROFS inside a real ``ingest run``.

The fault is injected in the subprocess (``INGEST_TEST_FAIL_IO=point:n:ERRNO``) at the n-th
time it reaches the point of the commit sequence: an article's temp file written
(``temp_written``), the group's file-system sync (``fsynced``), a rename (``renamed``), the
manifest commit (``manifest_updated``). Expected for every errno and point: exit 4 with one
``error[environment]:`` line naming the error, no temp file and no invalid file in the output,
no success marker, no input recorded as failed because of it, and a next run that completes
with the tree an undisturbed run gives.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from .helpers import assert_every_output_valid, run, temp_files, tree, write_corpus

pytestmark = pytest.mark.timeout(120)

N = 6

ERRNOS = ["ENOSPC", "EIO", "EROFS"]
# The second temp write (write), the group's sync (fsync), the third rename (rename: two outputs
# are already visible, unrecorded — the next run rewrites the same bytes over them).
POINTS = {"write": "temp_written:2", "fsync": "fsynced:1", "rename": "renamed:3"}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("io")
    raw = base / "raw"
    write_corpus(raw, N)
    ref = run(raw, base / "reference", "--workers", "1")
    assert ref.returncode == 1, ref.stderr  # empty.txt
    return {"raw": raw, "tree": tree(base / "reference")}


def _rows(clean: Path) -> dict[str, str]:
    path = clean / ".ingest" / "manifest.sqlite"
    if not path.exists():
        return {}
    db = sqlite3.connect(path)
    try:
        return {os.fsdecode(p): s for p, s in db.execute("SELECT path, status FROM inputs")}
    finally:
        db.close()


def _assert_stopped_cleanly(proc: Any, clean: Path, name: str) -> None:
    assert proc.returncode == 4, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error[environment]: "), proc.stderr
    assert os.strerror(getattr(errno, name)) in lines[0]  # "Input/output error", "Read-only file system", …
    assert temp_files(clean) == []
    assert_every_output_valid(clean)
    report = clean / ".ingest" / "report.ingest-json"
    assert not report.exists() or json.loads(report.read_text(encoding="utf-8"))["status"] != "finished"
    # The environment failed: no input is blamed (empty.txt is genuinely empty).
    assert {p for p, s in _rows(clean).items() if s == "failed"} <= {"empty.txt"}


@pytest.mark.parametrize("name", ERRNOS)
@pytest.mark.parametrize("op", list(POINTS))
def test_an_io_error_stops_the_run_blames_no_input_and_the_next_run_completes(
    op: str, name: str, small: dict[str, Any], tmp_path: Path
) -> None:
    clean = tmp_path / "clean"
    failed = run(small["raw"], clean, "--workers", "1", INGEST_TEST_FAIL_IO=f"{POINTS[op]}:{name}")
    _assert_stopped_cleanly(failed, clean, name)

    again = run(small["raw"], clean, "--workers", "1", "--json")
    assert again.returncode in (0, 1), again.stderr  # 1 when empty.txt had not been recorded yet
    report = json.loads(again.stdout)
    assert report["status"] == "finished"
    c = report["counts"]
    assert c["ok"] + c["failed"] + c["skipped"] + c["not_done"] == c["seen"] == N + 1
    assert temp_files(clean) == []
    assert tree(clean) == small["tree"]


@pytest.mark.parametrize("name", ["EIO", "EROFS"])
def test_an_io_error_in_the_manifest_commit_stops_the_run_and_the_next_run_completes(
    name: str, small: dict[str, Any], tmp_path: Path
) -> None:
    clean = tmp_path / "clean"
    failed = run(small["raw"], clean, "--workers", "1", INGEST_TEST_FAIL_IO=f"manifest_updated:1:{name}")
    _assert_stopped_cleanly(failed, clean, name)
    again = run(small["raw"], clean, "--workers", "1")
    assert again.returncode in (0, 1), again.stderr
    assert tree(clean) == small["tree"]


def test_an_io_error_in_a_pool_worker_stops_the_run_the_same_way(tmp_path: Path) -> None:
    """With ``--workers 2`` the fault hits inside a pool process (each counts its own writes)."""
    raw = tmp_path / "raw"
    write_corpus(raw, 40, bad=False)  # over the small-run threshold: a real pool
    reference = tmp_path / "reference"
    assert run(raw, reference, "--workers", "2").returncode == 0
    clean = tmp_path / "clean"
    failed = run(raw, clean, "--workers", "2", INGEST_TEST_FAIL_IO="temp_written:3:EIO")
    _assert_stopped_cleanly(failed, clean, "EIO")
    assert not any(s == "failed" for s in _rows(clean).values())
    again = run(raw, clean, "--workers", "2")
    assert again.returncode == 0, again.stderr
    assert tree(clean) == tree(reference)


def test_the_errno_of_an_injected_fault_is_chosen_by_name_and_defaults_to_enospc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ingest import faults

    for spec, expected in [
        ("probe_a", errno.ENOSPC),
        ("probe_b:2", errno.ENOSPC),
        ("probe_c:EIO", errno.EIO),
        ("probe_d:2:EROFS", errno.EROFS),
    ]:
        point = spec.split(":")[0]
        monkeypatch.setenv("INGEST_TEST_FAIL_IO", spec)
        if ":2" in spec:
            faults.inject(point)  # the first time passes
        with pytest.raises(OSError) as info:
            faults.inject(point)
        assert info.value.errno == expected
        assert f"injected at {point}" in str(info.value)
        faults.inject(point)  # only the n-th time fails
    monkeypatch.setenv("INGEST_TEST_FAIL_IO", "probe_e:EWHATEVER")
    with pytest.raises(ValueError, match="unknown errno name"):
        faults.inject("probe_e")
