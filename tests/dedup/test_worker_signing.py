"""`run --dedup` signs articles from memory on the workers: the index equals one rebuilt from the files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ingest.batch import BatchConfig, make_executor, run_batch
from ingest.dedup import DedupConfig, refresh

from .conftest import story, syndicated


def _corpus(raw: Path) -> None:
    raw.mkdir()
    base = story(700)
    (raw / "wire.txt").write_text(base)
    (raw / "outlet.txt").write_text(syndicated(base))
    (raw / "alone.txt").write_text(story(701))
    records = [
        {"id": "r-1", "title": "One", "text": story(702)},
        {"id": "r-2", "title": "Two", "text": syndicated(story(702))},  # a copy of record 1
        {"id": "r-3", "title": "Three", "text": base},  # the wire story again
    ]
    (raw / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))


def _index_rows(state: Path) -> list[tuple[object, ...]]:
    db = sqlite3.connect(state / "dedup.sqlite")
    try:
        docs = db.execute("SELECT key, unit, line, body_id, cluster, shingles, bands FROM docs ORDER BY key").fetchall()
        units = db.execute("SELECT unit FROM units ORDER BY unit").fetchall()
        pairs = db.execute(
            "SELECT x.key, y.key, p.sim FROM pairs AS p JOIN docs AS x ON x.id = p.a JOIN docs AS y ON y.id = p.b"
            " ORDER BY x.key, y.key"
        ).fetchall()
    finally:
        db.close()
    return [tuple(docs), tuple(units), tuple(pairs)]


def test_signatures_from_memory_equal_signatures_read_back_from_the_files(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus(raw)
    report = run_batch(BatchConfig(raw, clean, durable=False, dedup=DedupConfig()), executor=make_executor("local", 1))
    assert report["dedup"]["signed_by_workers"] == 4  # type: ignore[index]  # every unit, none read back
    assert report["dedup"]["docs_added"] == 6  # type: ignore[index]
    from_run = _index_rows(clean / ".ingest")
    assert any(key == "feed.jsonl.jsonl#2" for key, *_ in from_run[0])  # record keys as the files give them

    (clean / ".ingest" / "dedup.sqlite").unlink()  # rebuilt from the article files alone
    info = refresh(clean, clean / ".ingest")
    assert info["units_indexed"] == 4 and info["signed_by_workers"] == 0
    assert _index_rows(clean / ".ingest") == from_run


def test_a_run_that_writes_no_bodies_indexes_nothing(tmp_path: Path) -> None:
    from dataclasses import replace

    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus(raw)
    cfg = BatchConfig(raw, clean, durable=False, dedup=DedupConfig())
    cfg = replace(cfg, options=replace(cfg.options, fields=("title",)))
    report = run_batch(cfg, executor=make_executor("local", 1))
    assert report["dedup"]["signed_by_workers"] == 0  # type: ignore[index]
    assert report["dedup"]["docs_added"] == 0  # type: ignore[index]  # as `ingest dedup` would read the files
