"""Where a batch output folder keeps its state: every path computed once, from the config.

``ingest run``, ``ingest watch``, ``ingest status``, ``ingest changes``, ``ingest dedup`` and
``ingest duplicates`` all find the manifest, lock, report, rejects file, the article copies of a
``--jsonl-only`` output, the change feed, the duplicate index and the Parquet dataset through
one :class:`Layout` (``BatchConfig.layout()``, or :meth:`Layout.of` from a folder and an
optional ``--state-dir``).

The state folder is ``CLEAN_DIR/.ingest`` for a local output folder, ``--state-dir`` when
given, and for a remote output folder (an fsspec URL) a local folder of the user's cache, one
per destination URL: SQLite and the lock need a local file system.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import storage

STATE_DIR = ".ingest"
MANIFEST_NAME = "manifest.sqlite"
# State files end ``.ingest-json(l)``: no ``**/*.json*``, ``**/*.jsonl`` or ``**/*.parquet`` glob
# over the output folder matches them (the articles are all such a glob finds).
REPORT_NAME = "report.ingest-json"
REJECTS_NAME = "rejected.ingest-jsonl"
LEGACY_STATE_NAMES = ("report.json", "rejected.jsonl")  # before 1.1; removed by the next run
ARTICLES_DIR = "articles"
LOCK_NAME = "lock"
JSONL_NAME = "articles.jsonl"  # ``--output jsonl`` without ``--jsonl FILE``


def state_dir(clean_dir: Path | str, override: Path | None = None) -> Path:
    """Where the manifest, lock and report live: ``override``, else ``CLEAN_DIR/.ingest``.

    A remote output folder (an fsspec URL) keeps its state in a local folder of the user's cache.
    """
    if override is not None:
        return Path(override)
    if storage.is_remote(clean_dir):
        return storage.default_state_dir(str(clean_dir))
    return Path(clean_dir) / STATE_DIR


@dataclass(frozen=True)
class Layout:
    """The places of one output folder's articles and state.

    Attributes:
        clean_dir: the output folder (a Path, or an fsspec URL string).
        state: the state folder (always local).
        tree: True when the per-input articles go to ``clean_dir`` (``--jsonl-only``: False,
            they go to ``state/articles``).
    """

    clean_dir: Path | str
    state: Path
    tree: bool = True

    @classmethod
    def of(cls, clean_dir: Path | str, state_override: Path | None = None, *, tree: bool = True) -> Layout:
        return cls(clean_dir, state_dir(clean_dir, state_override), tree)

    @property
    def tree_root(self) -> Path | str:
        """Where the per-input article files go: CLEAN_DIR, or the state folder without a tree."""
        return self.clean_dir if self.tree else self.articles

    @property
    def sweep_root(self) -> Path | str:
        """The folder whose temp files a run sweeps: where the articles are committed."""
        return self.clean_dir if self.tree else self.state

    @property
    def articles(self) -> Path:
        return self.state / ARTICLES_DIR

    @property
    def manifest(self) -> Path:
        return self.state / MANIFEST_NAME

    @property
    def report(self) -> Path:
        return self.state / REPORT_NAME

    @property
    def rejects(self) -> Path:
        return self.state / REJECTS_NAME

    @property
    def lock(self) -> Path:
        return self.state / LOCK_NAME

    @property
    def legacy_state_files(self) -> tuple[Path, ...]:
        return tuple(self.state / name for name in LEGACY_STATE_NAMES)

    @property
    def changes(self) -> Path:
        """The change feed's folder (one file per run; see :mod:`ingest.exports.changes`)."""
        from ..exports.changes import CHANGES_DIR

        return self.state / CHANGES_DIR

    @property
    def dedup_index(self) -> Path:
        """The near-duplicate index (see :mod:`ingest.dedup`)."""
        from ..dedup.index import DEDUP_NAME

        return self.state / DEDUP_NAME

    @property
    def parquet_dataset(self) -> Path:
        """The Parquet dataset folder (``--output parquet``; a local output folder only)."""
        return Path(self.clean_dir) / "articles.parquet"  # ingest.exports.parquet.DATASET_DIR (pyarrow-free here)

    @property
    def default_jsonl(self) -> Path:
        """Where ``--output jsonl`` writes without ``--jsonl FILE``."""
        return Path(self.clean_dir) / JSONL_NAME


__all__ = [
    "ARTICLES_DIR",
    "JSONL_NAME",
    "LEGACY_STATE_NAMES",
    "LOCK_NAME",
    "MANIFEST_NAME",
    "REJECTS_NAME",
    "REPORT_NAME",
    "STATE_DIR",
    "Layout",
    "state_dir",
]
