"""The driver of a batch run: discovery → skip decision → executor → manifest → report.

Only this process touches the manifest and writes the report; workers only read inputs and commit
outputs. The run report is written last, atomically: its presence with ``"status": "finished"``
is the success marker for schedulers.
"""

from __future__ import annotations

import errno
import json
import math
import os
import signal
import sqlite3
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .. import __version__
from ..options import Options
from ..faults import inject
from ..writers import write_atomic
from . import storage
from .discovery import Found, Skipped, discover
from .executors import Executor, SerialExecutor
from .lock import FolderLock, LockHeld
from .warcparts import run_with_parts
from .manifest import Manifest, Row, display_path, now_iso
from .worker import Job, Result, Task

if TYPE_CHECKING:
    from .report import RunReport
    from ..exports.changes import ChangeFeed

STATE_DIR = ".ingest"
MANIFEST_NAME = "manifest.sqlite"
# State files end ``.ingest-json(l)``: no ``**/*.json*``, ``**/*.jsonl`` or ``**/*.parquet`` glob
# over the output folder matches them (the articles are all such a glob finds).
REPORT_NAME = "report.ingest-json"
REJECTS_NAME = "rejected.ingest-jsonl"
LEGACY_STATE_NAMES = ("report.json", "rejected.jsonl")  # before 1.1; removed by the next run
ARTICLES_DIR = "articles"
LOCK_NAME = "lock"

EXIT_OK = 0
EXIT_FAILED_INPUTS = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_ENVIRONMENT = 4

#: Exit code of a run stopped by a signal: 128 + the signal's number (130 SIGINT, 143 SIGTERM), the
#: shell's convention; the report says ``"status": "interrupted"``.
EXIT_SIGNAL_BASE = 128
DEFAULT_INPUT_TIMEOUT = 60.0  # seconds one input may take (--input-timeout)

_COMMIT_EVERY = 256  # results per manifest transaction (a crash loses at most this much bookkeeping)
_COMMIT_SECONDS = 2.0


class BatchError(Exception):
    """The run could not start or had to stop; ``exit_code`` says why (2, 3 or 4)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


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
    state_dir: Path | None = None  # manifest, lock, report; default CLEAN_DIR/.ingest (see state_dir)
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

    def tree_root(self) -> Path | str:
        """Where the per-input article files go: CLEAN_DIR, or the state folder without a tree."""
        if self.tree:
            return self.clean_dir
        return state_dir(self.clean_dir, self.state_dir) / ARTICLES_DIR


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


def state_dir(clean_dir: Path | str, override: Path | None = None) -> Path:
    """Where the manifest, lock and report live: ``override``, else ``CLEAN_DIR/.ingest``.

    SQLite and the lock need a local file system, so a remote output folder (an fsspec URL) keeps
    its state in a local folder of the user's cache, one per destination URL.
    """
    if override is not None:
        return Path(override)
    if storage.is_remote(clean_dir):
        return storage.default_state_dir(str(clean_dir))
    return Path(clean_dir) / STATE_DIR


def _check_writable(clean_dir: Path | str, override: Path | None = None) -> None:
    state = state_dir(clean_dir, override)
    try:
        state.mkdir(parents=True, exist_ok=True)
        probe = state / f".probe.{os.getpid()}"
        with open(probe, "wb") as fh:
            fh.write(b"ok")
        os.unlink(probe)
        if storage.is_remote(clean_dir):
            storage.RemoteFolder(str(clean_dir)).check_writable()
    except OSError as e:
        raise BatchError(f"the output folder {clean_dir} is not writable: {e.strerror or e}", EXIT_ENVIRONMENT) from None


class _Run:
    """Mutable bookkeeping of one run (lives only inside :func:`run_batch`)."""

    def __init__(self, config: BatchConfig, manifest: Manifest, run_id: str) -> None:
        self.config = config
        self.manifest = manifest
        self.run_id = run_id
        self.fingerprint = config.options.fingerprint()
        self.counts: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.skip_reasons: Counter[str] = Counter()
        self.fixes: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()
        self.records_skipped: Counter[str] = Counter()  # WARC records that are not pages, by kind
        self.failures: list[dict[str, object]] = []
        self.skipped_entries: list[dict[str, str]] = []
        self.env_error: str | None = None
        self.stop: StopFlag = StopFlag()
        self.unsafe_paths = 0  # outputs read from the manifest that point outside the output folder
        self.out = storage.folder(config.tree_root())
        self.feed: ChangeFeed | None = None  # set by _run_locked once the state folder is known
        self._pending = 0
        self._last_commit = time.monotonic()
        self.dedup_stats: dict[str, object] | None = None
        self._dedup_index: Any = None  # the open near-duplicate index while signatures arrive

    # -- deciding what to do with each found input --------------------------------------------
    def skip_reason(self, found: Found, row: Row | None) -> str | None:
        cfg = self.config
        if row is None or cfg.force or row.fingerprint != self.fingerprint:
            return None
        if row.size != found.size or row.mtime_ns != found.mtime_ns:
            return None  # maybe changed: the worker hashes it and says "unchanged" if not
        if row.status == "failed":
            return None if cfg.retry_failed else "unchanged_failed"
        if row.status == "ok" and row.output and self.safe_output(row.output) and self._output_exists(row.output):
            return "unchanged"
        return None

    def safe_output(self, rel: str | None) -> str | None:
        """``rel`` if it names a place inside the output folder, else None (and counted).

        Every output path read from state (the manifest) goes through here before anything opens,
        tests or deletes it: a tampered or corrupted row such as ``../victim/keep.txt`` never
        reaches outside the output folder.
        """
        if rel is None or storage.inside(rel):
            return rel
        self.unsafe_paths += 1
        return None

    def _output_exists(self, rel: str) -> bool:
        if isinstance(self.out, storage.RemoteFolder):
            return self.out.is_file(rel, listing=True)  # one listing per folder, not a request per file
        return self.out.is_file(rel)

    def consider(self, entry: Found | Skipped, progress: Progress) -> Task | None:
        """Account for one discovered entry and return its task, or None when it is skipped."""
        self.counts["seen"] += 1
        if isinstance(entry, Skipped):
            self.record_skipped_entry(entry, progress)
            return None
        row = self.manifest.get(entry.rel)
        reason = self.skip_reason(entry, row)
        if reason is not None:
            self.note_skip(entry.rel, reason, progress)
            return None
        return self.task_for(entry, row)

    def record_skipped_entry(self, entry: Skipped, progress: Progress) -> None:
        """A found entry that is not an input (FIFO, symlink out of the folder…): recorded as skipped."""
        self.counts["skipped"] += 1
        self.skip_reasons[entry.reason] += 1
        if len(self.skipped_entries) < 1000:
            self.skipped_entries.append({"path": display_path(entry.rel), "reason": entry.reason, "detail": entry.detail})
        self.manifest.begin()
        self.manifest.record(
            rel=entry.rel, size=0, mtime_ns=0, sha256=None, fingerprint=self.fingerprint, status="skipped",
            output=None, records_ok=0, records_failed=0, error_code=entry.reason, error_message=entry.detail,
            rejects=[], run_id=self.run_id,
        )
        self._maybe_commit()
        if progress.on_skip:
            progress.on_skip(entry.rel, entry.reason)

    def note_skip(self, rel: str, reason: str, progress: Progress) -> None:
        """An input the manifest says needs no work (``reason`` from :meth:`skip_reason`)."""
        self.counts["skipped"] += 1
        self.skip_reasons[reason] += 1
        self.manifest.begin()
        self.manifest.mark_seen(rel, self.run_id)
        self._maybe_commit()
        if progress.on_skip:
            progress.on_skip(rel, reason)

    def task_for(self, found: Found, row: Row | None) -> Task:
        """The task for an input that needs work; ``row`` is its manifest row, if any."""
        same_plan = row is not None and row.fingerprint == self.fingerprint and not self.config.force
        return Task(
            rel=found.rel,
            path=found.path,
            size=found.size,
            mtime_ns=found.mtime_ns,
            prev_sha=row.sha256 if same_plan and row else None,
            prev_output=self.safe_output(row.output) if row else None,
            prev_status=row.status if same_plan and row else None,
        )

    def jobs(self, executor: Executor, progress: Progress) -> Iterator[Job]:
        cfg = self.config
        chunk: list[Task] = []
        skip_dirs = [cfg.clean_dir]
        for entry in discover(cfg.raw_dir, include=cfg.include, exclude=cfg.exclude, skip_dirs=skip_dirs):
            if self.env_error is not None or self.stop:
                self.counts["not_done"] += len(chunk)  # seen, never handed to a worker
                return  # stop taking new work; what is in flight still finishes
            task = self.consider(entry, progress)
            if task is None:
                continue
            chunk.append(task)
            if len(chunk) >= executor.chunk_size:
                yield Job(
                    tuple(chunk), str(cfg.tree_root()), cfg.options, cfg.durable, cfg.input_timeout,
                    dedup=cfg.dedup, state_names=not cfg.tree,
                )
                chunk = []
        if chunk and (self.env_error is not None or self.stop):
            self.counts["not_done"] += len(chunk)
        elif chunk:
            yield Job(
                tuple(chunk), str(cfg.tree_root()), cfg.options, cfg.durable, cfg.input_timeout,
                dedup=cfg.dedup, state_names=not cfg.tree,
            )

    # -- recording results ----------------------------------------------------------------------
    def _maybe_commit(self, force: bool = False) -> None:
        self._pending += 1
        if force or self._pending >= _COMMIT_EVERY or time.monotonic() - self._last_commit > _COMMIT_SECONDS:
            if self.feed is not None:
                self.feed.flush()  # the feed first: a crash may repeat a change, never lose one
            self.manifest.commit()
            inject("manifest_updated")
            self._pending = 0
            self._last_commit = time.monotonic()

    def record(self, res: Result) -> None:
        if res.env_error is not None:
            # Not the input's fault: nothing recorded for it; the run stops.
            self.env_error = self.env_error or res.env_error
            self.counts["not_done"] += 1
            return
        m = self.manifest
        m.begin()
        if res.status == "skipped":
            # Changed while read, or gone since listed: no output, its manifest row left as it was,
            # so the next run takes it again (a vanished input is then a deleted one).
            self.counts["skipped"] += 1
            self.skip_reasons[res.error_code or "unknown"] += 1
            if len(self.skipped_entries) < 1000:
                self.skipped_entries.append(
                    {"path": display_path(res.rel), "reason": res.error_code or "unknown", "detail": res.error_message or ""}
                )
            if res.error_code != "vanished":
                m.mark_seen(res.rel, self.run_id)  # still there: not a deleted input, nothing to prune
        elif res.status == "unchanged":
            self.counts["skipped"] += 1
            self.skip_reasons["unchanged"] += 1
            m.touch(res.rel, res.size, res.mtime_ns, self.run_id)
        else:
            self.counts[res.status] += 1
            if res.status == "ok" and res.signatures:
                self.stage_signatures(res)
            if res.status == "ok":
                self.counts["articles"] += max(1, res.records_ok)
                self.counts["records_failed"] += res.records_failed
                self.errors.update(code for _, code, _ in res.rejects)
                self.fixes.update(res.fixes)
                self.warnings.update(res.warnings)
                self.records_skipped.update(res.records_skipped)
            else:
                if res.records_failed:
                    self.counts["records_failed"] += res.records_failed
                self.errors[res.error_code or "unknown"] += 1
                if len(self.failures) < 1000:
                    self.failures.append(
                        {"path": display_path(res.rel), "code": res.error_code, "message": res.error_message}
                    )
            m.record(
                rel=res.rel,
                size=res.size,
                mtime_ns=res.mtime_ns,
                sha256=res.sha256,
                fingerprint=self.fingerprint,
                status=res.status,
                output=res.output,
                records_ok=res.records_ok,
                records_failed=res.records_failed,
                error_code=res.error_code,
                error_message=res.error_message,
                rejects=res.rejects,
                run_id=self.run_id,
            )
            self.note_changes(res)
        self._maybe_commit()

    def note_changes(self, res: Result) -> None:
        """Feed what this result did to the input's articles (written anew, or gone)."""
        if self.feed is None:
            return
        if res.status == "ok" and res.output:
            self.feed.written(display_path(res.rel), display_path(res.output), res.docs)
        elif res.status == "failed" and res.removed_output:
            self.feed.gone(display_path(res.rel))

    # -- after the last input -------------------------------------------------------------------
    def deleted_inputs(self) -> None:
        cfg = self.config
        rows = list(self.manifest.unseen(self.run_id))
        # With include/exclude filters, an input outside the selection is not "deleted".
        from .discovery import selected

        rows = [r for r in rows if selected(r.path, cfg.include, cfg.exclude)]
        self.counts["deleted"] = len(rows)
        if not cfg.prune:
            return
        self.manifest.begin()
        for row in rows:
            if row.output and self.safe_output(row.output):
                try:
                    self.out.remove(row.output)
                except OSError as e:
                    self.env_error = self.env_error or f"cannot prune {row.output}: {e.strerror or e}"
                    break
            self.manifest.forget(row.path)
            if self.feed is not None:
                self.feed.gone(display_path(row.path))
            self.counts["pruned"] += 1
        self._maybe_commit(force=True)

    def note_os_error(self, e: OSError) -> None:
        """An OS error outside any single input (manifest, rejects file): the run is aborted."""
        self.env_error = self.env_error or f"{e.strerror or e}"
        if e.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO):
            self.env_error = f"{type(e).__name__}: {e}"

    def write_rejects(self) -> None:
        lines = (json.dumps(r, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n" for r in self.manifest.all_rejects())
        write_atomic(state_dir(self.config.clean_dir, self.config.state_dir) / REJECTS_NAME, lines, durable=self.config.durable)

    def stage_signatures(self, res: Result) -> None:
        """``--dedup``: index the articles a worker signed now (committed in batches; see DedupIndex.stage)."""
        from ..dedup import open_index

        if self._dedup_index is None:
            self._dedup_index = open_index(state_dir(self.config.clean_dir, self.config.state_dir), self.config.dedup)
        assert res.output is not None
        self._dedup_index.stage(res.output, f"{res.sha256}:{self.fingerprint}", res.signatures)

    def update_dedup(self) -> None:
        """``--dedup``: bring the near-duplicate index in line with the manifest (see ingest.dedup)."""
        from ..dedup import open_index, update_after_run

        state = state_dir(self.config.clean_dir, self.config.state_dir)
        index, self._dedup_index = self._dedup_index or open_index(state, self.config.dedup), None
        with index:
            self.dedup_stats = update_after_run(self.manifest.db, self.out, index).to_dict()

    def open_feed(self, previous_run: str | None) -> None:
        """Start this run's change feed (and drop state files of the pre-1.1 layout)."""
        from ..exports.changes import ChangeFeed

        state = state_dir(self.config.clean_dir, self.config.state_dir)
        for name in LEGACY_STATE_NAMES:
            (state / name).unlink(missing_ok=True)
        self.previous_run = previous_run
        self.feed = ChangeFeed(state, self.run_id, durable=self.config.durable)

    def close_feed(self) -> None:
        """Flush and close the feed (idempotent: also called when the run was aborted)."""
        feed, self.feed = self.feed, None
        if feed is not None:
            self.changes = feed.summary()
            feed.close()

    def write_parquet(self) -> None:
        """Bring CLEAN_DIR/articles.parquet in step with the per-input articles (see ingest.exports.parquet)."""
        from ..exports.parquet import ParquetDataset

        cfg = self.config
        assert self.feed is not None
        self.feed.flush()
        dataset = ParquetDataset(
            Path(cfg.clean_dir), state_dir(cfg.clean_dir, cfg.state_dir), fields=cfg.options.fields,
            row_group_rows=cfg.parquet_row_group, durable=cfg.durable,
        )

        def lines_of(output: str) -> Iterator[bytes]:
            try:
                with self.out.open_read(output) as fh:
                    yield from fh
            except FileNotFoundError:
                return

        def current() -> Iterator[tuple[str, str]]:
            for rel, output in self.manifest.ok_outputs():
                if self.safe_output(output):  # a path from state is used only inside the output folder
                    yield display_path(rel), output

        self.parquet = dataset.sync(
            run_id=self.run_id, previous_run=self.previous_run, touched=set(self.feed.touched),
            current=current, lines_of=lines_of,
        )

    def write_jsonl(self) -> None:
        target = self.config.jsonl
        assert target is not None
        index = None
        if self.config.dedup is not None:  # each line also gets cluster_id and is_canonical
            from ..dedup import annotate_lines, open_index

            index = open_index(state_dir(self.config.clean_dir, self.config.state_dir), self.config.dedup)

        def lines() -> Iterator[bytes]:
            for _, output in self.manifest.ok_outputs():
                if not self.safe_output(output):
                    continue
                try:
                    with self.out.open_read(output) as fh:
                        yield from (fh if index is None else annotate_lines(index, output, fh))
                except FileNotFoundError:
                    continue

        try:
            write_atomic(target, lines(), durable=self.config.durable)
        finally:
            if index is not None:
                index.close()


def _counts_dict(run: _Run) -> dict[str, int]:
    c = run.counts
    return {
        "seen": c["seen"],
        "ok": c["ok"],
        "failed": c["failed"],
        "skipped": c["skipped"],
        "not_done": c["not_done"],
        "articles_written": c["articles"],
        "records_failed": c["records_failed"],
        "deleted_inputs": c["deleted"],
        "pruned": c["pruned"],
    }


def lock_output(config: BatchConfig) -> FolderLock:
    """Check both folders and take the output folder's lock (held by ``ingest run`` and ``ingest watch``).

    Raises:
        BatchError: exit code 2 (bad input folder), 3 (lock held) or 4 (output not writable).
    """
    raw_dir, clean_dir = config.raw_dir, config.clean_dir
    try:
        remote = {loc: storage.RemoteFolder(str(loc)) for loc in (raw_dir, clean_dir) if storage.is_remote(loc)}
    except storage.LocationError as e:
        raise BatchError(e.strerror or str(e), EXIT_USAGE) from None
    raw_is_dir = remote[raw_dir].is_dir() if raw_dir in remote else Path(raw_dir).is_dir()
    if not raw_is_dir:
        raise BatchError(f"the input folder {raw_dir} does not exist or is not a folder", EXIT_USAGE)
    if not config.tree and config.jsonl is None and not config.parquet:
        raise BatchError("--jsonl-only needs --jsonl FILE (the file the articles go to)", EXIT_USAGE)
    if config.parquet and storage.is_remote(clean_dir):
        raise BatchError("--output parquet needs a local output folder", EXIT_USAGE)
    if storage.same_location(raw_dir, clean_dir):
        raise BatchError("the input and output folders must differ", EXIT_USAGE)
    _check_writable(clean_dir, config.state_dir)
    lock = FolderLock(state_dir(clean_dir, config.state_dir) / LOCK_NAME)
    try:
        lock.acquire(wait=config.wait)
    except LockHeld as e:
        raise BatchError(str(e), EXIT_LOCKED) from None
    inject("locked")
    return lock


def run_batch(
    config: BatchConfig,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    stop: StopFlag | None = None,
) -> RunReport:
    """Run one batch and return its report (also saved as ``<clean>/.ingest/report.ingest-json``).

    ``stop``: set it (from a signal handler, see :func:`install_stop_handlers`) to end the run
    cleanly: no new input, the ones in flight finish and are recorded, the report says
    ``"status": "interrupted"`` with exit code ``128 + signal``, the workers are gone, and only
    then is the lock released.

    Raises:
        BatchError: exit code 2 (bad input folder), 3 (another run holds the lock) or 4 (the
            output folder is not writable, the disk is full…). Failures of single inputs are
            never raised: they are in the report (``counts.failed``, ``errors``).
    """
    executor = executor or SerialExecutor()
    fields = config.options.fields
    if config.parquet and fields and "source" not in fields:
        # Parquet replaces an input's rows by source.path: with --fields, source is written too.
        config = replace(config, options=replace(config.options, fields=(*fields, "source")))
    shared = (config.raw_dir, config.clean_dir)
    if any(storage.is_process_local(loc) for loc in shared) and not _in_process(executor):
        raise BatchError(
            "memory:// folders exist only in this process: use --workers 1 (or an in-process executor)", EXIT_USAGE
        )
    lock = lock_output(config)
    progress = progress or Progress()
    try:
        return cast("RunReport", _run_locked(config, executor, progress, stop if stop is not None else StopFlag()))
    finally:
        executor.close()  # every worker has exited before the lock is released
        lock.release()


def _in_process(executor: Executor) -> bool:
    return executor.name == "serial" or bool(getattr(executor, "in_process", False))


def open_manifest(clean_dir: Path | str, state: Path | None = None) -> Manifest:
    """The output folder's manifest; an unusable one is an environment error (exit 4)."""
    try:
        return Manifest(state_dir(clean_dir, state) / MANIFEST_NAME)
    except Exception as e:  # sqlite3.Error or OSError: the state is unusable
        raise BatchError(manifest_problem(e, state_dir(clean_dir, state) / MANIFEST_NAME), EXIT_ENVIRONMENT) from None


def manifest_problem(e: BaseException, path: Path | str) -> str:
    """What went wrong with the manifest, and what to do about it."""
    if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError):
        # "file is not a database", "database disk image is malformed": never repaired or
        # replaced silently (it is the only record of what was done); the user decides.
        return (
            f"the manifest {path} is damaged ({e}); move it aside (or delete it) and run again: "
            "a new one is built and every input is processed again, rewriting the same outputs"
        )
    return f"cannot use the manifest {path}: {e}"


def begin_run(manifest: Manifest, clean_dir: Path | str, started_wall: str) -> tuple[str, int]:
    """Register a new run; sweep temp files when the last one did not finish. Returns (run_id, swept)."""
    run_id = f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{uuid.uuid4().hex[:8]}"
    swept = 0
    last = manifest.last_run()
    if last is None or last[1] != "finished":
        # A previous run died (or this is the first): remove temp files it may have left.
        swept = sum(1 for _ in storage.folder(clean_dir).sweep_temp_files())
    manifest.start_run(run_id, started_wall)
    return run_id, swept


def _run_locked(config: BatchConfig, executor: Executor, progress: Progress, stop: StopFlag) -> dict[str, object]:
    clean_dir = config.clean_dir
    started_wall = now_iso()
    t0 = time.perf_counter()
    manifest = open_manifest(clean_dir, config.state_dir)
    try:
        try:
            # Without a tree the articles live in the state folder: sweep that one.
            sweep_root = config.clean_dir if config.tree else state_dir(config.clean_dir, config.state_dir)
            last = manifest.last_run()
            run_id, swept = begin_run(manifest, sweep_root, started_wall)
        except sqlite3.Error as e:
            raise BatchError(manifest_problem(e, manifest.path), EXIT_ENVIRONMENT) from None
        run = _Run(config, manifest, run_id)
        run.stop = stop
        try:
            run.open_feed(previous_run=last[0] if last else None)
            # A big WARC input runs as parts on every worker; its results come back as one (warcparts).
            for results in run_with_parts(executor, run.jobs(executor, progress)):
                for res in results:
                    run.record(res)
                    if progress.on_result:
                        progress.on_result(res)
            run._maybe_commit(force=True)
            if getattr(executor, "workers_lost", 0):
                # A worker that died mid-commit left a temp file; its inputs were redone elsewhere.
                swept += sum(1 for _ in run.out.sweep_temp_files())
            if run.env_error is None and not stop:
                run.deleted_inputs()  # an interrupted run has not seen every input: nothing is deleted
            run.write_rejects()
            if config.dedup is not None and run.env_error is None and not stop:
                run.update_dedup()
            if config.parquet and run.env_error is None:
                run.write_parquet()  # also after a stop: what was committed is current and goes in
            if config.jsonl is not None and run.env_error is None and not stop:
                run.write_jsonl()
            run.close_feed()
        except OSError as e:
            run.note_os_error(e)
        except sqlite3.Error as e:  # a full disk reaches SQLite first: "database or disk is full"
            run.env_error = run.env_error or manifest_problem(e, manifest.path)
        try:
            run.close_feed()
        except (OSError, sqlite3.Error) as e:
            run.env_error = run.env_error or f"cannot write the change feed: {e}"
        report = build_report(run, executor, started_wall, time.perf_counter() - t0, swept)
        if run.dedup_stats is not None:
            report["dedup"] = run.dedup_stats
        return save_report(run, report)
    finally:
        manifest.close()


def build_report(run: _Run, executor: Executor, started_wall: str, elapsed: float, swept: int) -> dict[str, object]:
    """The run report (status, exit code, counts, errors, fixes, throughput) of ``run`` so far."""
    config = run.config
    counts = _counts_dict(run)
    failed_any = counts["failed"] > 0 or counts["records_failed"] > 0
    if run.env_error is not None:
        exit_code, status = EXIT_ENVIRONMENT, "aborted"
    elif run.stop:
        exit_code, status = EXIT_SIGNAL_BASE + (run.stop.signum or signal.SIGINT), "interrupted"
    elif failed_any and config.fail_on == "any":
        exit_code, status = EXIT_FAILED_INPUTS, "finished"
    else:
        exit_code, status = EXIT_OK, "finished"
    processed = counts["ok"] + counts["failed"]
    return {
        "tool": "ingest",
        "version": __version__,
        "run_id": run.run_id,
        "status": status,
        "exit_code": exit_code,
        "started": started_wall,
        "finished": now_iso(),
        "duration_s": round(elapsed, 3),
        "input_dir": str(config.raw_dir),
        "output_dir": str(config.clean_dir),
        "executor": executor.name,
        "workers": executor.workers,
        "fingerprint": run.fingerprint,
        "options": {
            "force": config.force,
            "retry_failed": config.retry_failed,
            "prune": config.prune,
            "include": list(config.include),
            "exclude": list(config.exclude),
            "fail_on": config.fail_on,
        },
        "counts": counts,
        "skipped_by_reason": dict(sorted(run.skip_reasons.items())),
        "errors": dict(sorted(run.errors.items())),
        "fixes": dict(sorted(run.fixes.items())),
        "warnings": dict(sorted(run.warnings.items())),
        "records_skipped": dict(sorted(run.records_skipped.items())),
        "throughput": {
            "inputs_per_s": round(processed / elapsed, 2) if elapsed > 0 else None,
            "articles_per_s": round(counts["articles_written"] / elapsed, 2) if elapsed > 0 else None,
        },
        "temp_files_swept": swept,
        "input_timeout_s": config.input_timeout,
        "workers_replaced": int(getattr(executor, "workers_lost", 0)),
        "stopped_by": run.stop.reason,
        "unsafe_state_paths": run.unsafe_paths,
        "changes": getattr(run, "changes", None),
        "parquet": getattr(run, "parquet", None),
        "environment_error": run.env_error,
        "failures": run.failures,
        "skipped_entries": run.skipped_entries,
    }


def save_report(run: _Run, report: dict[str, object]) -> dict[str, object]:
    """Record the run as finished in the manifest, then write report.ingest-json (last: the success marker)."""
    manifest = run.manifest
    try:
        manifest.begin()
        manifest.finish_run(run.run_id, str(report["status"]), report)
        manifest.commit()
    except sqlite3.Error as e:
        _abort(report, manifest_problem(e, manifest.path))
    report_path = state_dir(run.config.clean_dir, run.config.state_dir) / REPORT_NAME
    report["report_path"] = str(report_path)
    try:
        body = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        write_atomic(report_path, body, durable=run.config.durable)
        if isinstance(run.out, storage.RemoteFolder):
            # A copy next to the articles for whoever reads the store; the report goes last.
            rejects = state_dir(run.config.clean_dir, run.config.state_dir) / REJECTS_NAME
            if rejects.is_file():
                run.out.write_atomic(f"{STATE_DIR}/{REJECTS_NAME}", rejects.read_bytes())
            run.out.write_atomic(f"{STATE_DIR}/{REPORT_NAME}", body)
        inject("report_written")
    except OSError as e:
        _abort(report, f"cannot write the report: {e.strerror or e}")
        report["report_path"] = None
        # No report is the "not finished" marker: never leave a report that says otherwise.
        try:
            os.unlink(report_path)
        except OSError:
            pass
        try:
            manifest.begin()
            manifest.finish_run(run.run_id, "aborted", report)
            manifest.commit()
        except sqlite3.Error:
            pass  # the disk is full: the run stays "running" in the manifest, which also means "not finished"
    return report


def _abort(report: dict[str, object], message: str) -> None:
    report["status"] = "aborted"
    report["exit_code"] = EXIT_ENVIRONMENT
    report["environment_error"] = report["environment_error"] or message


def read_status(clean_dir: Path | str, state: Path | None = None) -> dict[str, object]:
    """The manifest's summary for ``ingest status``: counts, the last run, failed inputs."""
    path = state_dir(clean_dir, state) / MANIFEST_NAME
    if not path.is_file():
        raise BatchError(f"no ingest state in {clean_dir} (run `ingest run` first)", EXIT_USAGE)
    manifest = Manifest(path)
    try:
        last = manifest.last_run()
        counts = manifest.counts()
        return {
            "output_dir": str(clean_dir),
            "inputs": {"ok": counts.get("ok", 0), "failed": counts.get("failed", 0), "total": sum(counts.values())},
            "last_run": (
                {"run_id": last[0], "status": last[1], **({k: last[2].get(k) for k in ("started", "finished", "counts", "exit_code")} if last[2] else {})}
                if last
                else None
            ),
            "failed": manifest.failed(),
        }
    finally:
        manifest.close()


__all__: Sequence[str] = (
    "BatchConfig",
    "StopFlag",
    "install_stop_handlers",
    "EXIT_SIGNAL_BASE",
    "BatchError",
    "Progress",
    "run_batch",
    "read_status",
    "EXIT_OK",
    "EXIT_FAILED_INPUTS",
    "EXIT_USAGE",
    "EXIT_LOCKED",
    "EXIT_ENVIRONMENT",
)
