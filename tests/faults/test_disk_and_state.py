"""A full disk at every write point, a really full file system, and a lost or damaged manifest.

Expected everywhere: the run stops with exit 4 and a one-line reason, leaves no partial output
and no "finished" report, blames no input (the manifest never records an input as failed
because the disk was full), and the next run — once there is room — completes with the same
tree as a run that never failed.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .helpers import assert_every_output_valid, ingest_exe, run, temp_files, tree, write_corpus

pytestmark = pytest.mark.timeout(120)

N = 8  # inputs; with one worker the n-th write of the run is predictable
OUTPUTS = N  # every input but empty.txt gives one output file


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("disk")
    raw = base / "raw"
    write_corpus(raw, N)  # N good inputs + empty.txt
    ref = run(raw, base / "reference", "--workers", "1")
    assert ref.returncode == 1, ref.stderr  # empty.txt
    return {"raw": raw, "tree": tree(base / "reference")}


def _failed_inputs(clean: Path) -> list[str]:
    db = sqlite3.connect(clean / ".ingest" / "manifest.sqlite")
    try:
        return sorted(os.fsdecode(p) for (p,) in db.execute("SELECT path FROM inputs WHERE status = 'failed'"))
    finally:
        db.close()


def _report_status(clean: Path) -> str | None:
    path = clean / ".ingest" / "report.ingest-json"
    return json.loads(path.read_text(encoding="utf-8"))["status"] if path.exists() else None


# temp_written/fsynced/renamed: an article write; the (N+1)-th and (N+2)-th temp files are the
# rejects file and the report; manifest_updated: the SQLite commit; report_written: after the report.
POINTS = [
    "temp_written:1",
    "fsynced:2",
    "renamed:3",
    "manifest_updated:1",
    f"temp_written:{OUTPUTS + 1}",
    f"temp_written:{OUTPUTS + 2}",
    "report_written:1",
]


@pytest.mark.parametrize(
    "point",
    POINTS,
    ids=lambda p: {f"temp_written:{OUTPUTS + 1}": "rejects file", f"temp_written:{OUTPUTS + 2}": "report file"}.get(
        p, p
    ),
)
def test_disk_full_at_each_write_point(point: str, small: dict[str, Any], tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    failed = run(small["raw"], clean, "--workers", "1", INGEST_TEST_FAIL_IO=point)
    assert failed.returncode == 4, failed.stderr
    lines = [line for line in failed.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("error[environment]: ") and "No space left on device" in lines[-1]
    assert _report_status(clean) != "finished"  # no success marker for a run that did not finish
    assert temp_files(clean) == []  # the failed write cleaned up after itself
    assert_every_output_valid(clean)
    assert set(_failed_inputs(clean)) <= {"empty.txt"}  # the disk's fault is nobody's input's fault

    again = run(small["raw"], clean, "--workers", "1")
    assert again.returncode in (0, 1), again.stderr  # 1 when empty.txt had not been recorded yet
    assert _report_status(clean) == "finished"
    assert temp_files(clean) == []
    assert tree(clean) == small["tree"]


def _tmpfs_available(probe: Path) -> bool:
    """Whether this process may mount a tmpfs in a private mount namespace (root in most CI)."""
    probe.mkdir(exist_ok=True)
    unshare = shutil.which("unshare")
    if not unshare:
        return False
    res = subprocess.run(
        [unshare, "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{probe}'"], capture_output=True
    )
    return res.returncode == 0


def test_a_really_full_file_system(small: dict[str, Any], tmp_path: Path) -> None:
    """A 96 KB tmpfs as the output folder: SQLite or an article write hits ENOSPC for real.

    Where no tmpfs can be mounted (no privileges), the same run gets an injected ENOSPC on its
    first article write instead, so the test still proves the outcome.
    """
    out = tmp_path / "copy"
    if _tmpfs_available(tmp_path / "probe"):
        mnt = tmp_path / "mnt"
        mnt.mkdir()
        ing = " ".join(f"'{p}'" for p in ingest_exe())
        script = (
            f"mount -t tmpfs -o size=96k tmpfs '{mnt}' || exit 99\n{ing} run '{small['raw']}' '{mnt}/clean' --workers 1"
            f" --quiet 2>'{tmp_path}/err1'; echo $? >'{tmp_path}/rc1'\ncp -a '{mnt}/clean'"
            f" '{tmp_path}/after-full'\nmount -o remount,size=16m '{mnt}'\n{ing} run '{small['raw']}' '{mnt}/clean'"
            f" --workers 1 --quiet 2>'{tmp_path}/err2'; echo $? >'{tmp_path}/rc2'\ncp -a '{mnt}/clean' '{out}'\n"
        )
        res = subprocess.run(
            [shutil.which("unshare") or "unshare", "-m", "sh", "-c", script],
            capture_output=True,
            text=True,
            timeout=100,
        )
        assert res.returncode == 0, res.stderr
        rc1 = int((tmp_path / "rc1").read_text())
        err1 = (tmp_path / "err1").read_text(encoding="utf-8")
        after_full = tmp_path / "after-full"
    else:
        r1 = run(small["raw"], out, "--workers", "1", INGEST_TEST_FAIL_IO="temp_written:1")
        rc1, err1, after_full = r1.returncode, r1.stderr, out
        assert run(small["raw"], out, "--workers", "1").returncode in (0, 1)
    assert rc1 == 4, err1
    assert "Traceback" not in err1
    assert err1.strip().splitlines()[-1].startswith("error[environment]: ")
    assert ("No space left on device" in err1) or ("disk is full" in err1)
    assert temp_files(after_full) == []
    assert_every_output_valid(after_full)
    if (after_full / ".ingest" / "manifest.sqlite").exists():
        assert set(_failed_inputs(after_full)) <= {"empty.txt"}
    assert tree(out) == small["tree"]
    assert _report_status(out) == "finished"


def test_a_deleted_manifest_is_rebuilt_and_every_input_redone_to_the_same_bytes(
    small: dict[str, Any], tmp_path: Path
) -> None:
    clean = tmp_path / "clean"
    assert run(small["raw"], clean, "--workers", "1").returncode == 1
    for p in (clean / ".ingest").glob("manifest.sqlite*"):
        p.unlink()
    again = run(small["raw"], clean, "--workers", "1", "--json")
    report = json.loads(again.stdout)
    assert again.returncode == 1  # empty.txt, seen again
    assert report["counts"]["ok"] == N and report["counts"]["failed"] == 1  # all redone, none skipped
    assert tree(clean) == small["tree"]


@pytest.mark.parametrize("damage", ["random bytes", "pages overwritten"])
def test_a_damaged_manifest_stops_the_run_with_what_to_do(damage: str, small: dict[str, Any], tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    assert run(small["raw"], clean, "--workers", "1").returncode == 1
    before = tree(clean)
    path = clean / ".ingest" / "manifest.sqlite"
    size = path.stat().st_size
    data = path.read_bytes()
    if damage == "random bytes":
        path.write_bytes(bytes((i * 131 + 7) % 256 for i in range(size)))
    else:  # the header survives, the b-tree pages do not: found only when a table is read
        path.write_bytes(data[:4096] + bytes((i * 37 + 1) % 256 for i in range(size - 4096)))
    stopped = run(small["raw"], clean, "--workers", "1")
    assert stopped.returncode == 4, stopped.stderr
    msg = stopped.stderr.strip().splitlines()[-1]
    assert msg.startswith("error[environment]: the manifest ") and "damaged" in msg and "move it aside" in msg
    assert tree(clean) == before  # nothing touched
    # the user's way out, as the message says
    path.rename(tmp_path / "manifest.broken")
    assert run(small["raw"], clean, "--workers", "1").returncode == 1
    assert tree(clean) == small["tree"] and _report_status(clean) == "finished"
