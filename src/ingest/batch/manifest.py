"""The run state: one SQLite file (standard library ``sqlite3``) under the output folder.

Only the driver process (the one ``ingest run`` / ``ingest watch``) opens it. Paths are stored as
the file system's bytes so names that are not valid UTF-8 keep their identity.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (
    path BLOB PRIMARY KEY,           -- relative path under the input folder (file-system bytes)
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT,
    fingerprint TEXT NOT NULL,       -- tool version + options that change output
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
    output BLOB,                     -- output path relative to the output folder (file-system bytes)
    records_ok INTEGER NOT NULL DEFAULT 0,
    records_failed INTEGER NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT,
    first_processed TEXT NOT NULL,
    last_processed TEXT NOT NULL,
    last_seen_run TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejects (
    path BLOB NOT NULL,
    record INTEGER,                  -- NULL: the whole input; else the record number
    code TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rejects_path ON rejects(path);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,            -- running, finished, aborted
    report TEXT
);
"""


def path_key(rel: str) -> bytes:
    """The manifest key of a relative path (its file-system bytes)."""
    return os.fsencode(rel)


def _output_key(output: str | None) -> bytes | None:
    return None if output is None else os.fsencode(output)


def _output_rel(value: bytes | str | None) -> str | None:
    # Manifests written before outputs were stored as bytes hold TEXT; both read back the same.
    return os.fsdecode(value) if isinstance(value, bytes) else value


def display_path(key: bytes | str) -> str:
    """A printable, UTF-8-safe form of a path (bad bytes as \\x escapes)."""
    raw = key if isinstance(key, bytes) else os.fsencode(key)
    return raw.decode("utf-8", "backslashreplace")


def now_iso() -> str:
    """UTC wall-clock time for the run state (never written into articles)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass(frozen=True)
class Row:
    """One input's recorded state."""

    path: str
    size: int
    mtime_ns: int
    sha256: str | None
    fingerprint: str
    status: str
    output: str | None
    records_ok: int
    records_failed: int
    error_code: str | None
    error_message: str | None
    first_processed: str
    last_processed: str


_ROW_COLUMNS = (
    "path, size, mtime_ns, sha256, fingerprint, status, output, records_ok, records_failed,"
    " error_code, error_message, first_processed, last_processed"
)


def _row(r: tuple) -> Row:  # type: ignore[type-arg]
    return Row(os.fsdecode(r[0]), *r[1:6], _output_rel(r[6]), *r[7:])


class Manifest:
    """The SQLite run state of one output folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    # -- transactions: the runner groups many updates into one commit --------------------------
    # SQLite's own flag, not a copy: a failed COMMIT (disk full) rolls the transaction back.
    def begin(self) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    def close(self) -> None:
        try:
            self.commit()
        except sqlite3.Error:
            pass  # the run already failed on this (disk full) and says so; what is committed stays
        finally:
            self.db.close()

    # -- inputs ---------------------------------------------------------------------------------
    def get(self, rel: str) -> Row | None:
        r = self.db.execute(f"SELECT {_ROW_COLUMNS} FROM inputs WHERE path = ?", (path_key(rel),)).fetchone()
        return None if r is None else _row(r)

    def mark_seen(self, rel: str, run_id: str) -> None:
        self.db.execute("UPDATE inputs SET last_seen_run = ? WHERE path = ?", (run_id, path_key(rel)))

    def record(
        self,
        *,
        rel: str,
        size: int,
        mtime_ns: int,
        sha256: str | None,
        fingerprint: str,
        status: str,
        output: str | None,
        records_ok: int,
        records_failed: int,
        error_code: str | None,
        error_message: str | None,
        rejects: list[tuple[int | None, str, str]],
        run_id: str,
    ) -> None:
        key = path_key(rel)
        stamp = now_iso()
        self.db.execute(
            "INSERT INTO inputs (path, size, mtime_ns, sha256, fingerprint, status, output, records_ok, records_failed,"
            " error_code, error_message, first_processed, last_processed, last_seen_run)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(path) DO UPDATE SET size=excluded.size, mtime_ns=excluded.mtime_ns, sha256=excluded.sha256,"
            " fingerprint=excluded.fingerprint, status=excluded.status, output=excluded.output,"
            " records_ok=excluded.records_ok, records_failed=excluded.records_failed, error_code=excluded.error_code,"
            " error_message=excluded.error_message, last_processed=excluded.last_processed,"
            " last_seen_run=excluded.last_seen_run",
            (
                key,
                size,
                mtime_ns,
                sha256,
                fingerprint,
                status,
                _output_key(output),
                records_ok,
                records_failed,
                error_code,
                error_message,
                stamp,
                stamp,
                run_id,
            ),
        )
        self.db.execute("DELETE FROM rejects WHERE path = ?", (key,))
        if rejects:
            self.db.executemany(
                "INSERT INTO rejects (path, record, code, message) VALUES (?,?,?,?)",
                [(key, rec, code, msg) for rec, code, msg in rejects],
            )

    def touch(self, rel: str, size: int, mtime_ns: int, run_id: str) -> None:
        """Same content, new stat (e.g. ``touch``): remember the stat so the next run skips cheaply."""
        self.db.execute(
            "UPDATE inputs SET size = ?, mtime_ns = ?, last_seen_run = ? WHERE path = ?",
            (size, mtime_ns, run_id, path_key(rel)),
        )

    def unseen(self, run_id: str) -> Iterator[Row]:
        """Inputs recorded earlier that this run did not find (deleted from the input folder)."""
        cur = self.db.execute(f"SELECT {_ROW_COLUMNS} FROM inputs WHERE last_seen_run != ? ORDER BY path", (run_id,))
        for r in cur.fetchall():
            yield _row(r)

    def forget(self, rel: str) -> None:
        key = path_key(rel)
        self.db.execute("DELETE FROM inputs WHERE path = ?", (key,))
        self.db.execute("DELETE FROM rejects WHERE path = ?", (key,))

    def ok_outputs(self) -> Iterator[tuple[str, str]]:
        """(input path, output path) of every input with output, in path order (deterministic)."""
        cur = self.db.execute(
            "SELECT path, output FROM inputs WHERE status = 'ok' AND output IS NOT NULL ORDER BY path"
        )
        for key, output in cur:
            yield os.fsdecode(key), _output_rel(output)  # type: ignore[misc]

    def all_rejects(self) -> Iterator[dict[str, object]]:
        """Every current rejection (whole inputs and single records), in path/record order."""
        cur = self.db.execute("SELECT path, record, code, message FROM rejects ORDER BY path, record")
        for key, record, code, message in cur:
            yield {"path": display_path(key), "record": record, "code": code, "message": message}

    def counts(self) -> dict[str, int]:
        cur = self.db.execute("SELECT status, COUNT(*) FROM inputs GROUP BY status")
        return {status: n for status, n in cur}

    def failed(self) -> list[dict[str, object]]:
        """The inputs that failed as a whole (no article), each with its code and message."""
        cur = self.db.execute(
            "SELECT path, error_code, error_message, records_failed, status FROM inputs"
            " WHERE status = 'failed' ORDER BY path"
        )
        return [
            {"path": display_path(k), "code": c, "message": m, "records_failed": rf, "status": s}
            for k, c, m, rf, s in cur
        ]

    def rejected_records(self, per_input: int = 5) -> list[dict[str, object]]:
        """The inputs written with some records rejected: how many, by code, and the first ``per_input`` reasons."""
        out: list[dict[str, object]] = []
        cur = self.db.execute(
            "SELECT path, records_failed FROM inputs WHERE status = 'ok' AND records_failed > 0 ORDER BY path"
        )
        for key, n in cur.fetchall():
            rows = self.db.execute(
                "SELECT record, code, message FROM rejects WHERE path = ? ORDER BY record", (key,)
            ).fetchall()
            codes: dict[str, int] = {}
            for _, code, _ in rows:
                codes[code] = codes.get(code, 0) + 1
            out.append(
                {
                    "path": display_path(key),
                    "records_failed": n,
                    "codes": dict(sorted(codes.items())),
                    "records": [{"record": r, "code": c, "message": m} for r, c, m in rows[:per_input]],
                }
            )
        return out

    # -- runs -----------------------------------------------------------------------------------
    def last_run(self) -> tuple[str, str, dict[str, object] | None] | None:
        """(run_id, status, report) of the most recent run, if any."""
        r = self.db.execute(
            "SELECT run_id, status, report FROM runs ORDER BY started DESC, rowid DESC LIMIT 1"
        ).fetchone()
        if r is None:
            return None
        return r[0], r[1], (json.loads(r[2]) if r[2] else None)

    def start_run(self, run_id: str, started: str) -> None:
        self.db.execute("INSERT INTO runs (run_id, started, status) VALUES (?, ?, 'running')", (run_id, started))

    def finish_run(self, run_id: str, status: str, report: dict[str, object]) -> None:
        self.db.execute(
            "UPDATE runs SET finished = ?, status = ?, report = ? WHERE run_id = ?",
            (report.get("finished"), status, json.dumps(report, sort_keys=True), run_id),
        )
