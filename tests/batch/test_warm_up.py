"""The in-process warm-up loads only the readers a job's inputs need (issue 15: start-up cost)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from ingest import pipeline
from ingest.batch import worker
from ingest.batch.worker import Task, kinds_needed


def _tasks(tmp_path: Path, files: dict[str, bytes]) -> tuple[Task, ...]:
    out = []
    for name, data in files.items():
        p = tmp_path / name
        p.write_bytes(data)
        out.append(Task(rel=name, path=str(p), size=len(data), mtime_ns=0))
    return tuple(out)


TEXT = b"Ferry timetable changes\n\nThe ferry will leave at eight from Monday, the harbour office said.\n"
HTML = b"<!doctype html><html><body><p>The ferry will leave at eight.</p></body></html>"


def test_a_text_only_job_needs_only_the_text_sample(tmp_path: Path) -> None:
    assert kinds_needed(_tasks(tmp_path, {"a.txt": TEXT, "b.md": TEXT})) == {"text"}


def test_html_by_content_or_name_and_records_need_the_html_sample(tmp_path: Path) -> None:
    assert kinds_needed(_tasks(tmp_path, {"a.txt": TEXT, "b.txt": HTML})) == {"text", "html"}  # content wins
    assert kinds_needed(_tasks(tmp_path, {"a.html": b"The ferry leaves at eight."})) == {"text", "html"}
    records = b'{"title": "Ferry", "html": "<p>The ferry leaves at eight.</p>"}\n'
    assert kinds_needed(_tasks(tmp_path, {"r.jsonl": records})) == {"text", "html", "json"}


@pytest.mark.parametrize(
    "name, data",
    [
        pytest.param("a.txt.gz", gzip.compress(TEXT), id="compressed"),
        pytest.param("a.warc", b"WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n", id="warc"),
    ],
)
def test_an_input_whose_reader_cannot_be_told_from_its_head_needs_everything(
    tmp_path: Path, name: str, data: bytes
) -> None:
    assert kinds_needed(_tasks(tmp_path, {"a.txt": TEXT, name: data})) is None


def test_a_missing_input_or_a_fifo_needs_everything_and_never_blocks(tmp_path: Path) -> None:
    assert kinds_needed((Task(rel="gone.txt", path=str(tmp_path / "gone.txt"), size=1, mtime_ns=0),)) is None
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.txt")
        assert kinds_needed((Task(rel="pipe.txt", path=str(tmp_path / "pipe.txt"), size=0, mtime_ns=0),)) is None


def test_warm_up_runs_each_sample_once_and_only_the_kinds_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(worker, "_warmed", set())
    monkeypatch.setattr(pipeline, "iter_articles", lambda data, path: seen.append(path) or iter(()))
    worker.warm_up(frozenset({"text"}))
    worker.warm_up(frozenset({"text"}))
    assert seen == ["warm-up.txt"]
    worker.warm_up()  # all of them: the fork server's warm-up
    assert seen == ["warm-up.txt", "warm-up.html", "warm-up.jsonl"]
