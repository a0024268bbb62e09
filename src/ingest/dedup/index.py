"""The near-duplicate index: one SQLite file in the state folder (``.ingest/dedup.sqlite``).

Tables:

* ``units``: one row per article file indexed (``a/b.txt.json``), with the *stamp* of what it held
  (the manifest's input sha256 and options fingerprint, or size and mtime for a tree without a
  manifest). A unit whose stamp differs from the listing is indexed again.
* ``docs``: one row per article: its key (:func:`doc_key`), body ``id``, cluster id, the sorted
  32-bit shingle hashes (to verify candidates exactly) and its LSH band keys.
* ``lsh``: (band key, doc) — the LSH buckets, looked up through the primary key.
* ``pairs``: verified duplicate pairs with their Jaccard similarity, stored in both directions.

**Clusters** are the connected components of the verified pairs (same body ``id``, or a shared
band key and Jaccard >= threshold). A pair's verdict depends on the two bodies only, never on
order, so the components, and with them the clusters, depend on the set of articles only. The
**cluster id** is the smallest document key of the component (code-point order); that member is
the cluster's canonical article.

**Crash safety**: every change (a unit's docs, their pairs, cluster relabels, the unit's stamp)
happens inside one SQLite transaction (WAL journal); a process killed mid-way leaves the index as
of the last commit, and the unit it was on keeps its old stamp, so the next update redoes it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .signatures import DedupConfig, Signature, jaccard, signatures

DEDUP_NAME = "dedup.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (unit BLOB PRIMARY KEY, stamp TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,        -- the document key (doc_key)
    unit BLOB NOT NULL,              -- the article file it is in
    line INTEGER NOT NULL,           -- its line in that file (1-based)
    body_id TEXT NOT NULL,           -- the article's content id: equal ids are exact duplicates
    cluster TEXT NOT NULL,           -- the smallest key of its connected component
    shingles BLOB NOT NULL,          -- sorted unique uint32 shingle hashes
    bands BLOB NOT NULL              -- its LSH band keys (int64), to delete its lsh rows
);
CREATE INDEX IF NOT EXISTS docs_unit ON docs(unit);
CREATE INDEX IF NOT EXISTS docs_body ON docs(body_id);
CREATE INDEX IF NOT EXISTS docs_cluster ON docs(cluster);
CREATE TABLE IF NOT EXISTS lsh (h INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (h, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairs (
    a INTEGER NOT NULL, b INTEGER NOT NULL, sim REAL NOT NULL, PRIMARY KEY (a, b)
) WITHOUT ROWID;
"""

_BATCH_DOCS = 512  # articles per transaction (a crash redoes at most this much)


def doc_key(unit: str, article: dict[str, object], line: int) -> str:
    """The key of an article read from a file (see :func:`doc_key_of`)."""
    source = article.get("source")
    record = source.get("record") if isinstance(source, dict) else None
    return doc_key_of(unit, record if isinstance(record, int) else None, line)


def doc_key_of(unit: str, record: int | None, line: int) -> str:
    """The key of an article: the one place to switch to the article's ``doc_id`` later.

    An article file holding one article (``a/b.txt.json``) is keyed by its path relative to the
    output folder; one holding records (``a/b.jsonl.jsonl``) by path ``#`` record number (the
    record's number in the input, else its line in the file).
    """
    if not unit.endswith(".jsonl"):
        return unit
    return f"{unit}#{line if record is None else record}"


@dataclass(frozen=True)
class Doc:
    """An article to index: key, line in its unit, body id and body."""

    key: str
    line: int
    body_id: str
    body: str


@dataclass
class SyncStats:
    """What one update of the index did."""

    units_indexed: int = 0
    units_removed: int = 0
    docs_added: int = 0
    docs_removed: int = 0
    signed_by_workers: int = 0  # units indexed from signatures the workers computed (stage)
    rebuilt: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "units_indexed": self.units_indexed,
            "units_removed": self.units_removed,
            "docs_added": self.docs_added,
            "docs_removed": self.docs_removed,
            "signed_by_workers": self.signed_by_workers,
            "rebuilt": self.rebuilt,
        }


@dataclass
class Cluster:
    """A cluster of two or more articles, with its verified pairs."""

    cluster_id: str
    members: list[str]
    pairs: list[tuple[str, str, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "cluster_id": self.cluster_id,
            "size": len(self.members),
            "members": [{"key": k, "is_canonical": k == self.cluster_id} for k in self.members],
            "pairs": [{"a": a, "b": b, "similarity": round(s, 4)} for a, b, s in self.pairs],
        }


def _pack(values: Iterable[int]) -> bytes:
    v = list(values)
    return struct.pack(f"<{len(v)}q", *v)


def _unpack(blob: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(blob) // 8}q", blob)


class DedupIndex:
    """The near-duplicate index of one output folder (see the module doc)."""

    def __init__(self, path: Path, config: DedupConfig | None = None) -> None:
        self.path = Path(path)
        self.config = config or DedupConfig()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA cache_size=-32768")  # 32 MiB: bounded, the index stays on disk
        self.db.execute("PRAGMA temp_store=FILE")
        self.db.executescript(SCHEMA)
        self.rebuilt = self._check_meta()
        self._signed = SyncStats()  # what stage() indexed since the last sync
        self._pending = 0

    # -- transactions --------------------------------------------------------------------------
    def begin(self) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    def close(self) -> None:
        try:
            self.rollback()  # an update not committed is redone next time (stamps say so)
        finally:
            self.db.close()

    def __enter__(self) -> DedupIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_meta(self) -> bool:
        """Empty the index when it was built with other settings; True when it did."""
        want = self.config.as_meta()
        have = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        if have == want:
            return False
        self.begin()
        for table in ("units", "docs", "lsh", "pairs", "meta"):
            self.db.execute(f"DELETE FROM {table}")
        self.db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", sorted(want.items()))
        self.commit()
        return bool(have)

    # -- one article in, one article out -----------------------------------------------------------
    def _add(self, unit: bytes, doc: Doc, sig: Signature) -> None:
        db = self.db
        cfg = self.config
        neighbours: dict[int, float] = {}
        for (other,) in db.execute("SELECT id FROM docs WHERE body_id = ?", (sig.body_id,)):
            neighbours[other] = 1.0
        if sig.bands:
            marks = ",".join("?" * len(sig.bands))
            cands = [d for (d,) in db.execute(f"SELECT DISTINCT doc FROM lsh WHERE h IN ({marks})", sig.bands)]
            cands = [d for d in cands if d not in neighbours]
            mine = sig.shingle_array()
            for i in range(0, len(cands), 500):
                chunk = cands[i : i + 500]
                rows = db.execute(
                    f"SELECT id, shingles FROM docs WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
                for other, blob in rows:
                    sim = jaccard(mine, np.frombuffer(blob, dtype="<u4"))
                    if sim >= cfg.threshold:
                        neighbours[other] = sim
        clusters = {doc.key}
        if neighbours:
            ids = list(neighbours)
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join("?" * len(chunk))
                clusters.update(c for (c,) in db.execute(f"SELECT cluster FROM docs WHERE id IN ({marks})", chunk))
        target = min(clusters)
        cur = db.execute(
            "INSERT INTO docs (key, unit, line, body_id, cluster, shingles, bands) VALUES (?,?,?,?,?,?,?)",
            (doc.key, unit, doc.line, sig.body_id, target, sig.shingles, _pack(sig.bands)),
        )
        new_id = cur.lastrowid
        if sig.bands:
            db.executemany("INSERT OR IGNORE INTO lsh (h, doc) VALUES (?, ?)", [(h, new_id) for h in sig.bands])
        if neighbours:
            rows = []
            for other, sim in neighbours.items():
                rows.append((new_id, other, sim))
                rows.append((other, new_id, sim))
            db.executemany("INSERT OR REPLACE INTO pairs (a, b, sim) VALUES (?,?,?)", rows)
        for c in sorted(clusters - {target, doc.key}):
            db.execute("UPDATE docs SET cluster = ? WHERE cluster = ?", (target, c))

    def _remove_doc(self, doc_id: int, cluster: str, bands: bytes) -> None:
        db = self.db
        neighbours = [b for (b,) in db.execute("SELECT b FROM pairs WHERE a = ?", (doc_id,))]
        db.execute("DELETE FROM pairs WHERE a = ?", (doc_id,))
        db.executemany("DELETE FROM pairs WHERE a = ? AND b = ?", [(n, doc_id) for n in neighbours])
        db.executemany("DELETE FROM lsh WHERE h = ? AND doc = ?", [(h, doc_id) for h in _unpack(bands)])
        db.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
        if neighbours:
            self._recluster(cluster)

    def _recluster(self, cluster: str) -> None:
        """Split a cluster that lost a member into its connected components, each named anew."""
        db = self.db
        members = dict(db.execute("SELECT id, key FROM docs WHERE cluster = ?", (cluster,)).fetchall())
        parent = {m: m for m in members}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        ids = list(members)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for a, b in db.execute(f"SELECT a, b FROM pairs WHERE a IN ({','.join('?' * len(chunk))})", chunk):
                if b in parent:
                    ra, rb = find(a), find(b)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
        smallest: dict[int, str] = {}
        for m, key in members.items():
            r = find(m)
            if r not in smallest or key < smallest[r]:
                smallest[r] = key
        updates = [(smallest[find(m)], m) for m in members if smallest[find(m)] != cluster]
        db.executemany("UPDATE docs SET cluster = ? WHERE id = ?", updates)

    def _remove_unit_docs(self, unit: bytes) -> int:
        rows = self.db.execute("SELECT id, cluster, bands FROM docs WHERE unit = ? ORDER BY id", (unit,)).fetchall()
        for doc_id, cluster, bands in rows:
            # The cluster may have been renamed by an earlier removal in this loop: read it again.
            current = self.db.execute("SELECT cluster FROM docs WHERE id = ?", (doc_id,)).fetchone()
            self._remove_doc(doc_id, current[0] if current else cluster, bands)
        return len(rows)

    # -- whole units -------------------------------------------------------------------------------
    def replace_units(self, batch: list[tuple[str, str, list[Doc]]]) -> tuple[int, int]:
        """Index the given units' articles anew (inside the caller's transaction). Returns (added, removed)."""
        items = [(d.body_id, d.body) for _, _, docs in batch for d in docs]
        sigs = iter(signatures(items, self.config))
        signed = [(unit, stamp, [(d, next(sigs)) for d in docs]) for unit, stamp, docs in batch]
        return self._replace_signed(signed)

    def _replace_signed(self, batch: list[tuple[str, str, list[tuple[Doc, Signature]]]]) -> tuple[int, int]:
        added = removed = 0
        for unit, stamp, docs in batch:
            ukey = os.fsencode(unit)
            removed += self._remove_unit_docs(ukey)
            seen: set[str] = set()
            for d, sig in docs:
                if d.key in seen:
                    continue  # two lines claiming one record number: the first one counts
                seen.add(d.key)
                self._add(ukey, d, sig)
                added += 1
            self.db.execute(
                "INSERT INTO units (unit, stamp) VALUES (?, ?) ON CONFLICT(unit) DO UPDATE SET stamp = excluded.stamp",
                (ukey, stamp),
            )
        return added, removed

    def stage(self, unit: str, stamp: str, signed: list[tuple[str, int, Signature]]) -> None:
        """Index ``unit`` at ``stamp`` now, from signatures computed elsewhere (a worker, during a run).

        Units are added inside one transaction committed every :data:`_BATCH_DOCS` articles and by
        the next :meth:`sync`, never one per article. A crash (or :meth:`close` without a sync)
        loses the uncommitted units only; the next :meth:`sync` reads them from their files.
        The stamp is stored before the manifest's own commit: a unit the manifest then never
        records has a stamp no listing matches and is indexed again or removed by the next sync.
        """
        self.begin()
        added, removed = self._replace_signed(
            [(unit, stamp, [(Doc(key, line, sig.body_id, ""), sig) for key, line, sig in signed])]
        )
        self._signed.units_indexed += 1
        self._signed.signed_by_workers += 1
        self._signed.docs_added += added
        self._signed.docs_removed += removed
        self._pending += max(1, len(signed))
        if self._pending >= _BATCH_DOCS:
            self.commit()
            self._pending = 0

    def remove_unit(self, unit: str) -> int:
        """Forget a unit and its articles (inside the caller's transaction)."""
        ukey = os.fsencode(unit)
        n = self._remove_unit_docs(ukey)
        self.db.execute("DELETE FROM units WHERE unit = ?", (ukey,))
        return n

    def sync(
        self,
        listing: Iterable[tuple[str, str]],
        load: Callable[[str], list[Doc]],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> SyncStats:
        """Bring the index in line with ``listing`` (every current unit and stamp), reading changed units with ``load``.

        Units not in the listing are removed; units new or with another stamp are indexed again.
        Commits every few hundred articles; memory stays bounded whatever the corpus size.
        """
        self.commit()  # what stage() indexed during the run: those units' stamps now match the listing
        stats, self._signed, self._pending = self._signed, SyncStats(), 0
        stats.rebuilt = self.rebuilt
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS listing (unit BLOB PRIMARY KEY, stamp TEXT NOT NULL)")
        db.execute("DELETE FROM temp.listing")
        chunk: list[tuple[bytes, str]] = []
        for unit, stamp in listing:
            chunk.append((os.fsencode(unit), stamp))
            if len(chunk) >= 5000:
                db.executemany("INSERT OR REPLACE INTO temp.listing (unit, stamp) VALUES (?, ?)", chunk)
                chunk = []
        if chunk:
            db.executemany("INSERT OR REPLACE INTO temp.listing (unit, stamp) VALUES (?, ?)", chunk)
        while True:
            gone = [
                u
                for (u,) in db.execute(
                    "SELECT unit FROM units WHERE unit NOT IN (SELECT unit FROM temp.listing) ORDER BY unit LIMIT 256"
                )
            ]
            if not gone:
                break
            self.begin()
            for u in gone:
                stats.docs_removed += self.remove_unit(os.fsdecode(u))
                stats.units_removed += 1
            self.commit()
        while True:
            todo = db.execute(
                "SELECT l.unit, l.stamp FROM temp.listing AS l LEFT JOIN units AS u ON u.unit = l.unit"
                " WHERE u.stamp IS NULL OR u.stamp != l.stamp ORDER BY l.unit LIMIT 256"
            ).fetchall()
            if not todo:
                break
            unread: list[tuple[str, str, list[Doc]]] = []
            n_docs = 0
            for ukey, stamp in todo:
                unit = os.fsdecode(ukey)
                docs = load(unit)
                unread.append((unit, stamp, docs))
                n_docs += len(docs)
                if n_docs >= _BATCH_DOCS:
                    break
            items = [(d.body_id, d.body) for _, _, docs in unread for d in docs]
            sigs = iter(signatures(items, self.config))
            ready = [(unit, stamp, [(d, next(sigs)) for d in docs]) for unit, stamp, docs in unread]
            self.begin()
            added, removed = self._replace_signed(ready)
            self.commit()
            stats.units_indexed += len(ready)
            stats.docs_added += added
            stats.docs_removed += removed
            if progress is not None:
                progress(stats.units_indexed)
        db.execute("DELETE FROM temp.listing")
        return stats

    # -- reading ---------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Articles, clusters of two or more, and articles in them."""
        docs = self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
        clusters, members = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM docs GROUP BY cluster HAVING n > 1)"
        ).fetchone()
        return {"articles": docs, "clusters": clusters, "clustered_articles": members, "duplicates": members - clusters}

    def clusters(self) -> Iterator[Cluster]:
        """Every cluster of two or more articles, by cluster id; members and pairs sorted."""
        cur = self.db.execute("SELECT cluster FROM docs GROUP BY cluster HAVING COUNT(*) > 1 ORDER BY cluster")
        for (cid,) in cur.fetchall():
            rows = self.db.execute("SELECT id, key FROM docs WHERE cluster = ? ORDER BY key", (cid,)).fetchall()
            keys = dict(rows)
            pairs = []
            ids = list(keys)
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                for a, b, sim in self.db.execute(
                    f"SELECT a, b, sim FROM pairs WHERE a IN ({','.join('?' * len(chunk))})", chunk
                ):
                    if b in keys and keys[a] < keys[b]:
                        pairs.append((keys[a], keys[b], sim))
            yield Cluster(cid, [k for _, k in rows], sorted(pairs))

    def assignments(self) -> dict[str, str]:
        """key → cluster id of every article (for tests and small corpora: all in memory)."""
        return dict(self.db.execute("SELECT key, cluster FROM docs ORDER BY key").fetchall())

    def unit_clusters(self, unit: str) -> dict[int, tuple[str, str]]:
        """line → (key, cluster id) of the articles of one unit."""
        rows = self.db.execute("SELECT line, key, cluster FROM docs WHERE unit = ?", (os.fsencode(unit),))
        return {line: (key, cluster) for line, key, cluster in rows}


# -- reading article files ---------------------------------------------------------------------------


def parse_unit(unit: str, data: bytes) -> list[Doc]:
    """The articles of one article file (``.json``: one article; ``.jsonl``: one per line).

    Lines that are not JSON objects with a string ``body`` are left out (not articles).
    """
    docs: list[Doc] = []
    if unit.endswith(".jsonl"):
        lines: list[bytes] = data.split(b"\n")
    else:
        lines = [data]
    for i, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            article = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(article, dict) or not isinstance(article.get("body"), str):
            continue
        body = article["body"]
        body_id = article.get("id") if isinstance(article.get("id"), str) else ""
        docs.append(Doc(doc_key(unit, article, i), i, body_id or f"nobodyid:{unit}:{i}", body))
    return docs


def tree_listing(root: Path) -> Iterator[tuple[str, str]]:
    """(unit, size:mtime stamp) of every article file under ``root`` (state folder and temp files left out)."""
    from ..writers import is_temp_name

    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in sorted(entries, key=lambda e: e.name):
            if e.is_dir(follow_symlinks=False):
                if not (folder == root and e.name == ".ingest"):
                    stack.append(Path(e.path))
                continue
            if not e.is_file(follow_symlinks=False) or is_temp_name(e.name) or e.name.startswith("."):
                continue
            if not (e.name.endswith(".json") or e.name.endswith(".jsonl")):
                continue
            st = e.stat(follow_symlinks=False)
            yield os.path.relpath(e.path, root).replace(os.sep, "/"), f"{st.st_size}:{st.st_mtime_ns}"


def manifest_listing(manifest_db: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    """(unit, sha256:fingerprint stamp) of every output the manifest records as ok.

    The output of an input is a function of its bytes and the options, so the stamp changes
    exactly when the article file does, and no file needs a stat.
    """
    cur = manifest_db.execute(
        "SELECT output, sha256, fingerprint FROM inputs WHERE status = 'ok' AND output IS NOT NULL"
    )
    for output, sha, fingerprint in cur:
        rel = os.fsdecode(output) if isinstance(output, bytes) else str(output)
        yield rel, f"{sha}:{fingerprint}"


__all__ = [
    "DEDUP_NAME",
    "Cluster",
    "DedupIndex",
    "Doc",
    "SyncStats",
    "doc_key",
    "doc_key_of",
    "manifest_listing",
    "parse_unit",
    "tree_listing",
]
