"""Atomic writes: a reader sees the old file or the whole new one, and no temp file survives."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from ingest import faults
from ingest.writers import GroupCommit, is_temp_name, sweep_temp_files, write_atomic


@pytest.fixture(autouse=True)
def _fresh_hook_counters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faults, "_hits", {})  # the test hooks count hits per process


def _temps(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if is_temp_name(p.name)]


def test_write_atomic_replaces_the_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.json"
    write_atomic(target, b"old\n")
    write_atomic(target, [b"new ", b"content\n"])
    assert target.read_bytes() == b"new content\n"
    assert _temps(tmp_path) == []


def test_write_atomic_failing_midway_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "b.json"
    write_atomic(target, b"old\n")
    monkeypatch.setenv("INGEST_TEST_FAIL_IO", "fsynced")
    with pytest.raises(OSError) as info:
        write_atomic(target, b"new\n")
    assert info.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"old\n" and _temps(tmp_path) == []


def test_group_commit_makes_every_file_visible_only_at_commit(tmp_path: Path) -> None:
    group = GroupCommit()
    for i in range(5):
        group.write(tmp_path / "sub" / f"{i}.json", f"{i}\n".encode())
    assert len(group) == 5
    assert sorted(p.name for p in (tmp_path / "sub").iterdir() if not is_temp_name(p.name)) == []
    group.commit()
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == [f"{i}.json" for i in range(5)]
    assert (tmp_path / "sub" / "3.json").read_bytes() == b"3\n"


@pytest.mark.parametrize("point", ["fsynced", "renamed:3"])
def test_group_commit_failing_leaves_whole_files_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    for i in range(5):
        (tmp_path / f"{i}.json").write_bytes(b"old\n")
    group = GroupCommit()
    for i in range(5):
        group.write(tmp_path / f"{i}.json", b"new\n")
    monkeypatch.setenv("INGEST_TEST_FAIL_IO", point)
    with pytest.raises(OSError):
        group.commit()
    contents = {(tmp_path / f"{i}.json").read_bytes() for i in range(5)}
    assert contents <= {b"old\n", b"new\n"}  # each file is the whole old or the whole new one
    assert _temps(tmp_path) == []


def test_group_abort_and_sweep_remove_temp_files(tmp_path: Path) -> None:
    group = GroupCommit(durable=False)
    group.write(tmp_path / "x.json", b"x")
    group.abort()
    assert _temps(tmp_path) == [] and not (tmp_path / "x.json").exists()
    stale = tmp_path / "deep" / ".y.json.0badc0de.ingest-tmp"
    stale.parent.mkdir()
    stale.write_bytes(b"half")
    keep = tmp_path / "deep" / "y.json"
    keep.write_bytes(b"{}")
    assert list(sweep_temp_files(tmp_path)) == [stale]
    assert keep.exists() and not stale.exists()
