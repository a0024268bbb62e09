"""The change feed: which articles each run added, changed and removed.

Every run writes ``<state>/changes/<seq>-<run_id>.ingest-jsonl`` (``seq`` orders runs that start
in the same second), one JSON object per changed article::

    {"run_id": "...", "change": "added"|"changed"|"removed", "doc_id": "...", "id": "...",
     "input": "a/b.jsonl", "output": "a/b.jsonl.jsonl", "line": 3, "record": 3}

``output`` is relative to the article tree (CLEAN_DIR, or the state's ``articles/`` folder when
there is no tree), ``line`` the article's line in it (null for a removed article). A no-op run
writes an empty file. ``ingest changes CLEAN_DIR [--since RUN_ID]`` prints the feed.

What each input wrote last is kept in ``<state>/changes/index.sqlite``: one row per article, keyed
by (input, doc_id, n) where n counts repeats of a doc_id inside one input, with a hash of the
article's JSON. An article whose JSON did not change is not in the feed, even when its input was
processed again. Lines reach the feed file before the manifest commits the results they describe,
so a killed run can repeat a change in the next run's feed but never lose one.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

CHANGES_DIR = "changes"
FEED_SUFFIX = ".ingest-jsonl"
_INDEX = "index.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    input TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    id TEXT NOT NULL,
    hash TEXT NOT NULL,
    output TEXT,
    record INTEGER,
    PRIMARY KEY (input, doc_id, n)
);
"""

Doc = tuple[str, str, "int | None", str]  # (doc_id, id, record, hash of the JSON line)


class ChangeFeed:
    """This run's feed file and the index it is computed from (driver process only)."""

    def __init__(self, state: Path, run_id: str, *, durable: bool = True) -> None:
        self.folder = state / CHANGES_DIR
        self.folder.mkdir(parents=True, exist_ok=True)
        self.run_id = run_id
        self.durable = durable
        self.db = sqlite3.connect(self.folder / _INDEX, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)
        seq = 1 + max((_seq(p.name) for p in self.folder.iterdir() if p.name.endswith(FEED_SUFFIX)), default=0)
        self.path = self.folder / f"{seq:06d}-{run_id}{FEED_SUFFIX}"
        self._fh = open(self.path, "ab")
        self._pending: list[bytes] = []
        self.counts = {"added": 0, "changed": 0, "removed": 0}
        self.touched: set[str] = set()  # inputs with at least one change this run

    def _begin(self) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")

    def _old(self, input_rel: str) -> dict[tuple[str, int], tuple[str, str, str | None]]:
        cur = self.db.execute("SELECT doc_id, n, id, hash, output FROM docs WHERE input = ?", (input_rel,))
        return {(d, n): (i, h, o) for d, n, i, h, o in cur}

    def written(self, input_rel: str, output: str, docs: list[Doc]) -> None:
        """``input_rel`` was (re)written to ``output`` with these articles, in output order."""
        old = self._old(input_rel)
        seen: dict[str, int] = {}
        new_keys = set()
        self._begin()
        rows = []
        for line, (doc_id, aid, record, digest) in enumerate(docs, start=1):
            n = seen.get(doc_id, 0)
            seen[doc_id] = n + 1
            key = (doc_id, n)
            new_keys.add(key)
            before = old.get(key)
            if before is None:
                self._emit("added", doc_id, aid, input_rel, output, line, record)
            elif before[1] != digest or before[2] != output:
                self._emit("changed", doc_id, aid, input_rel, output, line, record)
            rows.append((input_rel, doc_id, n, aid, digest, output, record))
        for key, (aid, _, out) in old.items():
            if key not in new_keys:
                self._emit("removed", key[0], aid, input_rel, out, None, None)
        self.db.execute("DELETE FROM docs WHERE input = ?", (input_rel,))
        self.db.executemany(
            "INSERT INTO docs (input, doc_id, n, id, hash, output, record) VALUES (?,?,?,?,?,?,?)", rows
        )

    def gone(self, input_rel: str) -> None:
        """Every article of ``input_rel`` left the output (the input failed, or was pruned)."""
        old = self._old(input_rel)
        if not old:
            return
        self._begin()
        for (doc_id, _), (aid, _, out) in old.items():
            self._emit("removed", doc_id, aid, input_rel, out, None, None)
        self.db.execute("DELETE FROM docs WHERE input = ?", (input_rel,))

    def _emit(
        self,
        change: str,
        doc_id: str,
        aid: str,
        input_rel: str,
        output: str | None,
        line: int | None,
        record: int | None,
    ) -> None:
        self.counts[change] += 1
        self.touched.add(input_rel)
        entry = {
            "run_id": self.run_id,
            "change": change,
            "doc_id": doc_id,
            "id": aid,
            "input": input_rel,
            "output": output,
            "line": line,
            "record": record,
        }
        self._pending.append(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")

    def flush(self) -> None:
        """Feed lines to disk, then the index (call before the manifest commits the same results)."""
        if self._pending:
            self._fh.write(b"".join(self._pending))
            self._pending = []
            self._fh.flush()
            if self.durable:
                os.fsync(self._fh.fileno())
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._fh.close()
            self.db.close()

    def summary(self) -> dict[str, object]:
        return {**self.counts, "feed": str(self.path)}


def _seq(name: str) -> int:
    head = name.split("-", 1)[0]
    return int(head) if head.isdigit() else 0


def feed_files(state: Path) -> list[Path]:
    """Every run's feed file, oldest first."""
    folder = state / CHANGES_DIR
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.endswith(FEED_SUFFIX)), key=lambda p: (_seq(p.name), p.name))


def run_id_of(path: Path) -> str:
    return path.name.split("-", 1)[1][: -len(FEED_SUFFIX)]


def read_changes(state: Path, since: str | None = None, *, every: bool = False) -> Iterator[dict[str, object]]:
    """The feed entries of the last run, of every run after ``since``, or of every run (``every``).

    Raises:
        KeyError: ``since`` names no recorded run.
    """
    files = feed_files(state)
    if since is not None:
        ids = [run_id_of(p) for p in files]
        if since not in ids:
            raise KeyError(since)
        files = files[ids.index(since) + 1 :]
    elif not every:
        files = files[-1:]
    for p in files:
        with open(p, "rb") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)
