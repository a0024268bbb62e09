"""The Parquet dataset: ``CLEAN_DIR/articles.parquet/part-*.parquet``, one row per current article.

The per-input article files (the JSON tree, or the state's ``articles/`` copy) stay the record of
what each input gave; the dataset is kept in step with them at the end of every run:

* **Part files per run, affected parts rewritten.** A run writes the articles of the inputs whose
  articles changed (the change feed's ``touched`` inputs) into one new part. Every older part
  holding a row of such an input — or of an input that failed or was pruned — is rewritten
  without those rows (deleted when none is left). Which parts hold which inputs is read from
  their ``source.path`` column, so the dataset needs no index of its own. Parquet always keeps
  ``source`` for this: with ``--fields``, the runner adds ``source`` to the selection.
* **Compaction.** When more than :data:`MAX_PARTS` parts exist, all parts are merged into one.
* **No-op runs** touch nothing: no new part, no rewrite.
* **Full rebuild** from the per-input articles when the dataset may not match them: the first
  run with ``--output parquet``, a run after one without it, after a killed sync (the state's
  ``parquet.state`` marker names the last run whose sync finished), or when ``--fields`` changed.

Writing is streamed: rows are converted and written one row group (``row_group_rows``) at a time,
so memory is bounded by the row-group size, not the dataset. Each part is written under a temp
name and renamed into place. Between the start and the end of a sync a reader may see an
article twice or not at all; after the run's report is written the dataset is exact.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..writers import TEMP_SUFFIX, remove_quietly, write_atomic
from .arrow_schema import article_schema, table_from_ndjson

DATASET_DIR = "articles.parquet"
MARKER = "parquet.state"
MAX_PARTS = 16
ROW_GROUP_ROWS = 2048


def parquet_fields(fields: tuple[str, ...]) -> tuple[str, ...] | None:
    """The columns written for ``--fields`` (None: all): the selection plus the kept ones and ``source``."""
    if not fields:
        return None
    return tuple(fields) + ("schema_version", "id", "doc_id", "source")


class PartWriter:
    """One part file written row group by row group, renamed into place on :meth:`close`."""

    def __init__(self, folder: Path, name: str, schema: pa.Schema, row_group_rows: int) -> None:
        self.path = folder / name
        self.tmp = folder / f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        self.schema = schema
        self.rows = 0
        self.row_group_rows = row_group_rows
        self._writer = pq.ParquetWriter(self.tmp, schema, compression="zstd")

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table, row_group_size=self.row_group_rows)
            self.rows += table.num_rows

    def close(self, durable: bool) -> Path | None:
        """Finish the file; it becomes visible only if it holds rows (else it is removed)."""
        self._writer.close()
        if self.rows == 0:
            remove_quietly(self.tmp)
            return None
        if durable:
            fd = os.open(self.tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.replace(self.tmp, self.path)
        return self.path

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            remove_quietly(self.tmp)


class ParquetDataset:
    """The dataset folder of one output folder."""

    def __init__(
        self,
        clean_dir: Path,
        state: Path,
        *,
        fields: tuple[str, ...] = (),
        row_group_rows: int = ROW_GROUP_ROWS,
        durable: bool = True,
    ) -> None:
        self.folder = clean_dir / DATASET_DIR
        self.marker = state / MARKER
        self.fields = tuple(fields)
        self.schema = article_schema(parquet_fields(self.fields))
        self.row_group_rows = row_group_rows
        self.durable = durable

    def parts(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.name.endswith(".parquet") and not p.name.startswith("."))

    # -- the marker: which run's sync finished last -------------------------------------------
    def _synced(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def needs_rebuild(self, previous_run: str | None) -> bool:
        mark = self._synced()
        return (
            mark is None
            or mark.get("run_id") != previous_run
            or mark.get("fields") != list(self.fields)
            or not self.folder.is_dir()
        )

    def _mark(self, run_id: str | None) -> None:
        if run_id is None:
            remove_quietly(self.marker)
            return
        body = json.dumps({"run_id": run_id, "fields": list(self.fields)}).encode("utf-8")
        write_atomic(self.marker, body, durable=self.durable)

    # -- syncing -------------------------------------------------------------------------------
    def sync(
        self,
        *,
        run_id: str,
        previous_run: str | None,
        touched: set[str],
        current: Callable[[], Iterable[tuple[str, str]]],
        lines_of: Callable[[str], Iterator[bytes]],
    ) -> dict[str, int]:
        """Bring the dataset in step with the per-input articles after run ``run_id``.

        ``touched``: inputs (display paths) whose articles changed or went away this run.
        ``current()``: (input, output) of every input with articles now, in path order.
        ``lines_of(output)``: the article JSON lines of one output file.
        """
        stats = {"parts_written": 0, "parts_rewritten": 0, "parts_deleted": 0, "rows_written": 0}
        rebuild = self.needs_rebuild(previous_run)
        if not rebuild and not touched:
            self._mark(run_id)  # nothing changed: no part is written
            return stats
        self._mark(None)  # from here until the end the dataset may not match: a crash rebuilds it
        self.folder.mkdir(parents=True, exist_ok=True)
        old_parts = self.parts()
        if rebuild:
            sources = ((inp, out) for inp, out in current())
            doomed, keep = old_parts, []
        else:
            sources = ((inp, out) for inp, out in current() if inp in touched)
            doomed, keep = [], []
            for part in old_parts:
                paths = set(_source_paths(part))
                if paths & touched:
                    doomed.append(part)
                else:
                    keep.append(part)
        new_parts: list[Path] = []
        written = self._write_part(f"part-{run_id}-0.parquet", self._rows(sources, lines_of))
        if written is not None:
            new_parts.append(written[0])
            stats["parts_written"] += 1
            stats["rows_written"] += written[1]
        for i, part in enumerate(doomed, start=1):
            if not rebuild:
                kept = self._write_part(
                    f"part-{run_id}-{i}.parquet", _rows_without(part, touched, self.schema, self.row_group_rows)
                )
                if kept is not None:
                    new_parts.append(kept[0])
                    stats["parts_rewritten"] += 1
            if part not in new_parts:
                remove_quietly(part)
                stats["parts_deleted"] += 1
        if len(keep) + len(new_parts) > MAX_PARTS:
            everything = keep + new_parts
            merged = self._write_part(
                f"part-{run_id}-all.parquet", _rows_of_parts(everything, self.schema, self.row_group_rows)
            )
            for part in everything:
                if merged is None or part != merged[0]:
                    remove_quietly(part)
            stats["compacted"] = len(everything)
        self._mark(run_id)
        return stats

    def _rows(
        self, sources: Iterable[tuple[str, str]], lines_of: Callable[[str], Iterator[bytes]]
    ) -> Iterator[pa.Table]:
        """Row groups of the articles of ``sources``: JSON lines parsed by Arrow's reader, a group at a time."""
        batch: list[bytes] = []
        for _, output in sources:
            for line in lines_of(output):
                if not line.strip():
                    continue
                batch.append(line if line.endswith(b"\n") else line + b"\n")
                if len(batch) >= self.row_group_rows:
                    yield table_from_ndjson(b"".join(batch), self.schema)
                    batch = []
        if batch:
            yield table_from_ndjson(b"".join(batch), self.schema)

    def _write_part(self, name: str, tables: Iterable[pa.Table]) -> tuple[Path, int] | None:
        writer = PartWriter(self.folder, name, self.schema, self.row_group_rows)
        try:
            for table in tables:
                writer.write(table)
        except BaseException:
            writer.abort()
            raise
        rows = writer.rows
        path = writer.close(self.durable)
        return None if path is None else (path, rows)


def _source_paths(part: Path) -> list[str | None]:
    table = pq.read_table(part, columns=["source"])
    return pc.struct_field(table.column("source"), "path").to_pylist()


def _rows_without(part: Path, touched: set[str], schema: pa.Schema, batch_rows: int) -> Iterator[pa.Table]:
    """The rows of ``part`` whose input is not in ``touched``, a row group at a time."""
    drop = pa.array(sorted(touched), type=pa.string())
    for batch in pq.ParquetFile(part).iter_batches(batch_size=batch_rows):
        table = pa.Table.from_batches([batch])
        paths = pc.struct_field(table.column("source"), "path")
        keep = pc.invert(pc.fill_null(pc.is_in(paths, value_set=drop), False))
        yield table.filter(keep).cast(schema)


def _rows_of_parts(parts: list[Path], schema: pa.Schema, batch_rows: int) -> Iterator[pa.Table]:
    for part in parts:
        for batch in pq.ParquetFile(part).iter_batches(batch_size=batch_rows):
            yield pa.Table.from_batches([batch]).cast(schema)
