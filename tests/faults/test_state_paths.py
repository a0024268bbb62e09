"""Issue 20: every path read from state must lie inside the output folder."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from ingest.batch.storage import LocalFolder, UnsafePath, inside

from .helpers import run, write_corpus

pytestmark = pytest.mark.timeout(240)


@pytest.mark.parametrize("rel", ["../victim/keep.txt", "/etc/passwd", "a/../../b", "", "a//b", "a/\x00"])
def test_paths_that_leave_the_folder_are_refused(rel: str, tmp_path: Path) -> None:
    assert not inside(rel)
    with pytest.raises(UnsafePath):
        LocalFolder(tmp_path).remove(rel)


@pytest.mark.parametrize("rel", ["a.txt.json", "a/b/c.jsonl.jsonl", "..x.json", "x..json", ". lead.json"])
def test_ordinary_paths_are_inside(rel: str) -> None:
    assert inside(rel)


def test_prune_never_deletes_outside_the_output_folder_whatever_the_manifest_says(tmp_path: Path) -> None:
    raw, clean, victim = tmp_path / "raw", tmp_path / "clean", tmp_path / "victim"
    write_corpus(raw, 6, bad=False)
    victim.mkdir()
    (victim / "keep.txt").write_text("precious", encoding="utf-8")
    assert run(raw, clean, "-w", "1").returncode == 0
    db = sqlite3.connect(clean / ".ingest" / "manifest.sqlite")
    cols = [r[1] for r in db.execute("PRAGMA table_info(inputs)")]
    assert "output" in cols, cols
    rel = db.execute("SELECT path FROM inputs ORDER BY path LIMIT 1").fetchone()[0]
    db.execute("UPDATE inputs SET output = ? WHERE path = ?", (b"../victim/keep.txt", rel))
    db.commit()
    db.close()
    (raw / os.fsdecode(rel)).unlink()  # a deleted input: --prune removes its output
    res = run(raw, clean, "-w", "1", "--prune", "--json")
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "precious"
    assert report["counts"]["pruned"] == 1 and report["unsafe_state_paths"] >= 1
