"""What a batch run is given: :class:`BatchConfig`, the :class:`Progress` callbacks and the :class:`StopFlag`.

Shared by ``ingest run`` (:mod:`ingest.batch.runner`), ``ingest watch`` (:mod:`ingest.batch.watch`)
and the run lifecycle both drive (:mod:`ingest.batch.lifecycle`); all three re-export nothing
of each other for these.
"""

from __future__ import annotations

import math
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..options import Options
from . import storage
from .exitcodes import EXIT_SIGNAL_BASE
from .layout import Layout

if TYPE_CHECKING:
    from .worker import Result

DEFAULT_INPUT_TIMEOUT = 60.0  # seconds one input may take (--input-timeout)


@dataclass(frozen=True)
class BatchConfig:
    """Everything a batch run needs. Options that change articles live in ``options``."""

    raw_dir: Path | str  # a str is an fsspec URL (see ingest.batch.storage.location)
    clean_dir: Path | str
    options: Options = field(default_factory=Options)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    force: bool = False
    retry_failed: bool = False
    prune: bool = False
    jsonl: Path | None = None
    wait: bool = False
    fail_on: str = "any"  # any: exit 1 when an input or record failed; none: exit 0 anyway
    durable: bool = True  # fsync every output (off only for throwaway benchmark trees)
    state_dir: Path | None = None  # manifest, lock, report; default CLEAN_DIR/.ingest (see layout.state_dir)
    # False (``--jsonl-only``): no article tree in CLEAN_DIR; the per-input articles an incremental
    # run needs live under the state folder (``articles/``) and the ``jsonl`` file is the output.
    tree: bool = True
    dedup: Any = None  # an ingest.dedup.DedupConfig: keep the near-duplicate index current (``--dedup``)
    # Seconds one input may take (``--input-timeout``); then it gets ``timeout`` (None: no limit).
    input_timeout: float | None = DEFAULT_INPUT_TIMEOUT
    parquet: bool = False  # ``--output parquet``: CLEAN_DIR/articles.parquet (see ingest.exports.parquet)
    parquet_row_group: int = 2048

    def __post_init__(self) -> None:
        t = self.input_timeout
        if t is not None and not (t > 0 and math.isfinite(t)):
            raise ValueError("input_timeout must be a finite number of seconds > 0 (or None for no limit)")

    def layout(self) -> Layout:
        """Where this run's articles and state live (see :mod:`ingest.batch.layout`)."""
        return Layout.of(self.clean_dir, self.state_dir, tree=self.tree)

    def tree_root(self) -> Path | str:
        """Where the per-input article files go: CLEAN_DIR, or the state folder without a tree."""
        return self.layout().tree_root

    def resolved(self) -> BatchConfig:
        """This config with every local path made absolute (URLs stay as they are).

        Workers may run in another directory (a Dask worker started elsewhere, a pool process
        after a ``chdir``): the paths a job carries are resolved on the driver.
        """

        def absolute(loc: Path | str) -> Path | str:
            return loc if storage.is_remote(loc) else Path(os.path.abspath(loc))

        return replace(
            self,
            raw_dir=absolute(self.raw_dir),
            clean_dir=absolute(self.clean_dir),
            state_dir=None if self.state_dir is None else Path(os.path.abspath(self.state_dir)),
            jsonl=None if self.jsonl is None else Path(os.path.abspath(self.jsonl)),
        )


@dataclass
class Progress:
    """Callbacks a front end may pass to follow the run."""

    on_result: Callable[[Result], None] | None = None
    on_skip: Callable[[str, str], None] | None = None


class StopFlag:
    """Set from a signal handler (or another thread) to stop a run cleanly.

    The run then takes no new input, lets the inputs in flight finish (each within its time
    budget), records them, writes the report with ``"status": "interrupted"`` and releases the lock
    last; the exit code is ``128 + signal`` (see :func:`install_stop_handlers`).
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self.reason: str | None = None

    def set(self, reason: str, signum: int | None = None) -> None:
        # Only plain attributes: safe inside a signal handler.
        if self.reason is None:
            self.reason, self.signum = reason, signum

    def __bool__(self) -> bool:
        return self.reason is not None


def install_stop_handlers(stop: StopFlag, on_second: Callable[[int], None]) -> None:
    """SIGINT and SIGTERM set ``stop`` the first time; the second calls ``on_second(128 + signum)``."""

    def handler(signum: int, frame: object) -> None:
        if stop:
            on_second(EXIT_SIGNAL_BASE + signum)
            return
        stop.set(signal.Signals(signum).name, signum)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


__all__ = ["DEFAULT_INPUT_TIMEOUT", "BatchConfig", "Progress", "StopFlag", "install_stop_handlers"]
