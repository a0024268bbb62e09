"""Near-duplicate and syndicated articles: clusters over a whole output folder, kept incrementally.

* :mod:`.signatures` — what is compared: cleaned word shingles, their MinHash and LSH band keys.
* :mod:`.index` — the SQLite index in the state folder: candidates, verified pairs, clusters.

This module holds the three entry points the rest of ingest uses: :func:`refresh` (``ingest
dedup``), :func:`update_after_run` (``ingest run --dedup``) and :func:`annotate_lines` (the
``cluster_id`` / ``is_canonical`` fields of the JSONL export).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .index import (
    DEDUP_NAME,
    Cluster,
    DedupIndex,
    Doc,
    SyncStats,
    doc_key_of,
    manifest_listing,
    parse_unit,
    tree_listing,
)
from .signatures import DedupConfig, Signature, signatures

MANIFEST_NAME = "manifest.sqlite"  # the batch manifest (same name as ingest.batch.runner's)


def index_path(state: Path) -> Path:
    """The index file inside a state folder."""
    return Path(state) / DEDUP_NAME


def _loader(folder: Any) -> Any:
    """``unit → [Doc]`` reading article files from a storage folder (local or fsspec)."""

    def load(unit: str) -> list[Doc]:
        try:
            with folder.open_read(unit) as fh:
                data = fh.read()
        except OSError:
            return []  # gone since listed: indexed as empty; the next update sees it gone
        return parse_unit(unit, data)

    return load


def refresh(clean_dir: Path, state: Path, config: DedupConfig | None = None) -> dict[str, object]:
    """Build or bring up to date the index of an output folder from its article files.

    The list of article files comes from the manifest when there is one (no stat per file),
    else from walking the folder (size and mtime tell what changed).
    """
    from ..batch import storage

    folder = storage.folder(clean_dir)
    if (Path(state) / "articles").is_dir():  # a --jsonl-only output keeps its article files there
        folder = storage.folder(Path(state) / "articles")
    manifest = Path(state) / MANIFEST_NAME
    with DedupIndex(index_path(state), config) as index:
        if manifest.is_file():
            mdb = sqlite3.connect(f"file:{manifest}?mode=ro", uri=True, timeout=30)
            try:
                stats = index.sync(manifest_listing(mdb), _loader(folder))
            finally:
                mdb.close()
        else:
            stats = index.sync(tree_listing(Path(clean_dir)), _loader(folder))
        return {**stats.to_dict(), **index.counts()}


def update_after_run(manifest_db: sqlite3.Connection, out_folder: Any, index: DedupIndex) -> SyncStats:
    """Keep the index current after a run: index what the manifest says is new or changed, drop what is gone.

    Compares the manifest's (output, sha256, fingerprint) with what the index holds, so it also
    catches up after a run that was killed before this step. Articles whose signatures the
    workers sent (:func:`sign_articles`, indexed as results arrive) are not read again.
    """
    return index.sync(manifest_listing(manifest_db), _loader(out_folder))


def sign_articles(unit: str, articles: Sequence[Any], config: DedupConfig) -> list[tuple[str, int, Signature]]:
    """On a worker: ``(key, line, Signature)`` of the articles just written to ``unit``, from memory.

    ``articles`` are the :class:`~ingest.model.Article` objects of the unit, in the order of its
    lines; keys, lines and body ids are those :func:`~ingest.dedup.index.parse_unit` would read
    back from the file, so an index built from the files (``ingest dedup``) is the same. Nothing
    is read again: the run pays for the signatures only. Never raises: an empty list sends the
    driver back to reading the file.
    """
    try:
        docs = [
            Doc(doc_key_of(unit, a.source.record, line), line, a.id or f"nobodyid:{unit}:{line}", a.body)
            for line, a in enumerate(articles, start=1)
        ]
        sigs = signatures([(d.body_id, d.body) for d in docs], config)
        return [(d.key, d.line, sig) for d, sig in zip(docs, sigs)]
    except Exception:  # noqa: BLE001 - a shortcut only; the driver falls back to reading the file
        return []


def annotate_lines(index: DedupIndex, unit: str, lines: Iterable[bytes]) -> Iterator[bytes]:
    """The article lines of one unit with ``cluster_id`` and ``is_canonical`` appended to each object.

    An article the index does not hold (it was not indexed) is its own cluster.
    """
    import json

    known = index.unit_clusters(unit)
    for i, line in enumerate(lines, start=1):
        body = line.rstrip(b"\r\n")
        if not body.endswith(b"}"):
            yield line
            continue
        key, cluster = known.get(i, (None, None))
        extra = b',"cluster_id":' + json.dumps(cluster, ensure_ascii=False).encode("utf-8")
        extra += b',"is_canonical":' + (b"true" if key is None or key == cluster else b"false")
        yield body[:-1] + extra + b"}\n"


def open_index(state: Path, config: DedupConfig | None = None) -> DedupIndex:
    """The index of a state folder (created empty when missing)."""
    return DedupIndex(index_path(state), config)


def read_index(state: Path) -> DedupIndex:
    """The existing index of a state folder, with the settings it was built with."""
    path = index_path(state)
    if not path.is_file():
        raise FileNotFoundError(path)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    finally:
        db.close()
    config = DedupConfig(
        threshold=float(meta.get("threshold", DedupConfig.threshold)),
        shingle=int(meta.get("shingle", DedupConfig.shingle)),
        num_perm=int(meta.get("num_perm", DedupConfig.num_perm)),
        seed=int(meta.get("seed", DedupConfig.seed)),
    )
    return DedupIndex(path, config)


__all__ = [
    "Cluster",
    "DedupConfig",
    "DedupIndex",
    "Doc",
    "SyncStats",
    "annotate_lines",
    "index_path",
    "open_index",
    "read_index",
    "refresh",
    "sign_articles",
    "update_after_run",
]
