"""`examine`: one event path judged by the same rules `ingest run`'s listing applies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.batch.discovery import Found, Skipped, discover
from ingest.batch.watch import WatchConfig, examine
from ingest.batch.runner import BatchConfig


def _tree(root: Path) -> None:
    for rel in (
        "a.txt",
        "sub/b.html",
        "sub/deep/c.jsonl",
        "x.txt.part",
        ".hidden.txt",
        "~$lock.txt",
        ".git/config.txt",
        "sub/.cache/d.txt",
        "dl.crdownload",
    ):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("text", encoding="utf-8")


@pytest.mark.parametrize(
    "rel, expected",
    [
        ("a.txt", "found"),
        ("sub/deep/c.jsonl", "found"),
        ("x.txt.part", None),
        (".hidden.txt", None),
        ("~$lock.txt", None),
        ("dl.crdownload", None),
        (".git/config.txt", None),
        ("sub/.cache/d.txt", None),
        ("sub", None),
        ("missing.txt", None),
        ("../outside.txt", None),
    ],
    ids=lambda v: str(v),
)
def test_examine_takes_exactly_what_a_listing_takes(tmp_path: Path, rel: str, expected: str | None) -> None:
    _tree(tmp_path)
    got = examine(tmp_path, rel)
    if expected is None:
        assert got is None
    else:
        assert isinstance(got, Found) and got.rel == rel and got.size == 4


def test_examine_agrees_with_discover_on_every_file(tmp_path: Path) -> None:
    _tree(tmp_path)
    listed = {e.rel: e for e in discover(tmp_path)}
    every = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()]
    judged = {rel: examine(tmp_path, rel) for rel in every}
    assert {rel for rel, e in judged.items() if e is not None} == set(listed)
    for rel, e in listed.items():
        assert judged[rel] == e


def test_examine_never_enters_the_output_folder_inside_the_input(tmp_path: Path) -> None:
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "a.txt.json").write_text("{}", encoding="utf-8")
    skip = frozenset({os.path.realpath(tmp_path / "clean")})
    assert examine(tmp_path, "clean/a.txt.json", skip_real=skip) is None


def test_examine_applies_include_and_exclude(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert examine(tmp_path, "sub/b.html", include=("*.txt",)) is None
    assert examine(tmp_path, "a.txt", exclude=("a.*",)) is None
    assert isinstance(examine(tmp_path, "a.txt", include=("*.txt",)), Found)


def test_examine_skips_links_out_of_the_folder_and_special_files(tmp_path: Path) -> None:
    root = tmp_path / "raw"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    (root / "inside.txt").write_text("yes", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", root / "out.txt")
    os.symlink(root / "inside.txt", root / "alias.txt")
    os.symlink(tmp_path, root / "linked")
    os.mkfifo(root / "pipe.txt")
    out = examine(root, "out.txt")
    assert isinstance(out, Skipped) and out.reason == "symlink_outside"
    alias = examine(root, "alias.txt")
    assert isinstance(alias, Found) and alias.path == os.path.realpath(root / "inside.txt")
    pipe = examine(root, "pipe.txt")
    assert isinstance(pipe, Skipped) and pipe.reason == "not_regular"
    assert examine(root, "linked/secret.txt") is None  # never through a linked folder


@pytest.mark.parametrize("settle, rescan", [(-1, 60), (float("nan"), 60), (1, 0), (1, float("inf"))])
def test_watch_config_rejects_bad_intervals(tmp_path: Path, settle: float, rescan: float) -> None:
    with pytest.raises(ValueError):
        WatchConfig(BatchConfig(tmp_path, tmp_path / "clean"), settle=settle, rescan=rescan)
