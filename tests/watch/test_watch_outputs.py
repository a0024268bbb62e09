"""``ingest watch`` writes what ``ingest run`` writes: the change feed, Parquet, JSONL, the dedup index.

Both drive the same run lifecycle (ingest.batch.lifecycle.RunSession); these tests look at the
outputs a watcher leaves, and check that a run after it finds nothing to do.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ingest.batch import BatchConfig, Progress, run_batch
from ingest.batch.layout import Layout
from ingest.batch.watch import WatchConfig, Watcher
from ingest.dedup import DedupConfig, read_index
from ingest.exports.changes import read_changes

from .conftest import DEADLINE, article_text, drop, wait_for


class _Running:
    """A Watcher (in-process executor) on its own thread."""

    def __init__(self, config: WatchConfig) -> None:
        self.results: list[str] = []
        progress = Progress(on_result=lambda r: self.results.append(f"{r.status} {r.rel}"))
        self.watcher = Watcher(config, progress=progress)
        self.report: dict[str, object] | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.report = self.watcher.run()

    def stop(self) -> dict[str, object]:
        self.watcher.request_stop()
        self.thread.join(DEADLINE)
        assert not self.thread.is_alive() and self.report is not None
        return self.report


def _doc_ids_of_tree(clean: Path) -> set[str]:
    ids = set()
    for path in clean.rglob("*.json"):
        if ".ingest" not in path.parts:
            ids.add(json.loads(path.read_text(encoding="utf-8"))["doc_id"])
    return ids


def test_watch_writes_the_change_feed_parquet_jsonl_and_the_dedup_index(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    batch = BatchConfig(raw, clean, jsonl=clean / "articles.jsonl", parquet=True, dedup=DedupConfig())
    w = _Running(WatchConfig(batch, settle=0.1, rescan=0.5, publish=0.2))
    for i in range(3):
        drop(raw / f"s-{i}.txt", article_text(i))
    drop(raw / "copy-of-s-0.txt", article_text(0))  # the same story again: one duplicate cluster
    wait_for(lambda: len(w.results) == 4, "4 results")
    # While watching: the derived outputs are refreshed (publish), not only at the end.
    wait_for(lambda: (clean / "articles.parquet").is_dir() and (clean / "articles.jsonl").is_file(), "a publish")
    report = w.stop()
    assert report["exit_code"] == 0 and report["mode"] == "watch"
    state = Layout.of(clean).state

    changes = list(read_changes(state))
    assert {c["run_id"] for c in changes} == {report["run_id"]}
    assert sorted((c["change"], c["input"]) for c in changes) == sorted(
        [("added", f"s-{i}.txt") for i in range(3)] + [("added", "copy-of-s-0.txt")]
    )
    assert report["changes"]["added"] == 4  # type: ignore[index]

    table = pq.read_table(clean / "articles.parquet")
    assert table.num_rows == 4
    assert set(table.column("doc_id").to_pylist()) == _doc_ids_of_tree(clean)

    lines = [json.loads(line) for line in (clean / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {a["doc_id"] for a in lines} == _doc_ids_of_tree(clean)
    clusters = {a["cluster_id"] for a in lines}
    assert len(clusters) == 3 and sum(a["is_canonical"] for a in lines) == 3  # the copy joins s-0's cluster

    index = read_index(state)
    try:
        assert index.counts()["articles"] == 4 and index.counts()["clusters"] == 1
    finally:
        index.close()
    assert report["watch"]["publishes"] >= 1  # type: ignore[index]

    # A run after the watch finds everything current: no change, no new Parquet part.
    again = run_batch(batch)
    assert again["counts"]["ok"] == 0  # type: ignore[index]
    changes = again["changes"]
    assert changes["added"] == changes["changed"] == changes["removed"] == 0  # type: ignore[index]
    assert again["parquet"]["parts_written"] == 0  # type: ignore[index]
    assert pq.read_table(clean / "articles.parquet").num_rows == 4


def test_watch_and_run_put_articles_in_the_same_place_and_sweep_the_same_root(tmp_path: Path) -> None:
    """Without an article tree (--jsonl-only) both keep the articles in the state folder, and sweep there."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(article_text(1), encoding="utf-8")
    placed = {}
    for mode in ("run", "watch"):
        clean = tmp_path / f"clean-{mode}"
        batch = BatchConfig(raw, clean, jsonl=tmp_path / f"{mode}.jsonl", tree=False)
        layout = batch.layout()
        stale = layout.articles / ".old.0123abcd.ingest-tmp"  # left by a killed run
        stale.parent.mkdir(parents=True)
        stale.write_bytes(b"partial")
        if mode == "run":
            report = run_batch(batch)
        else:
            w = _Running(WatchConfig(batch, settle=0.05, rescan=0.5))
            wait_for(lambda: w.results, "the result")
            report = w.stop()
        assert report["counts"]["ok"] == 1 and report["temp_files_swept"] == 1  # type: ignore[index]
        assert not stale.exists()
        articles = [p for p in clean.rglob("*") if p.is_file() and "articles" in p.parts]
        placed[mode] = sorted(str(p.relative_to(clean)) for p in articles)
        assert not list(clean.glob("*.json")), mode  # no article tree in CLEAN_DIR
    assert placed["run"] == placed["watch"] == [".ingest/articles/a%2Etxt.ingest-json"]


def test_watch_cli_takes_the_output_and_dedup_flags(tmp_path: Path, start_watch: Any) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    for i in range(2):
        drop(raw / f"old-{i}.txt", article_text(i))
    w = start_watch(raw, clean, "--settle", "0.2", "--rescan", "5", "-w", "1", "--output", "jsonl,parquet", "--dedup")
    w.wait_ok(2)
    assert w.stop() == 0
    assert not list(clean.glob("*.json"))  # no json in --output: no article tree
    lines = (clean / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all("cluster_id" in json.loads(line) for line in lines)
    assert pq.read_table(clean / "articles.parquet").num_rows == 2
    assert (clean / ".ingest" / "dedup.sqlite").is_file()
    assert {c["change"] for c in read_changes(clean / ".ingest")} == {"added"}
