"""One run over a locked output folder, from opening its manifest to saving its report.

``ingest run`` (:func:`ingest.batch.runner.run_batch`) and ``ingest watch``
(:class:`ingest.batch.watch.Watcher`) drive the same :class:`RunSession`; they differ only in
*when* an input is handed to the executor. The order of a session::

    session = RunSession(config, executor, progress=..., stop=..., mode="run")  # or "watch"
    with session:                         # open(): manifest, begin_run (+ temp-file sweep), change feed
        task = session.consider(entry)    # per found entry: count, skip (unchanged…) or a Task
        job = session.job([task, ...])    # a Job carrying every setting of the config
        for results in executor.run(jobs):
            for res in results:
                session.record(res)       # manifest row, counts, change feed, dedup signatures
        session.commit(force=True)        # make the results durable (else every 256 results / 2 s)
        session.publish()                 # watch only, now and then: rejects, dedup, Parquet, JSONL
        session.finish()                  # deleted inputs (+ prune), rejects, dedup, Parquet, JSONL, feed
        report = session.save_report()    # build the report, record the run as finished, write it last
    # close(): the manifest is closed

Only the driver process uses a session. Paths in jobs are absolute (:meth:`BatchConfig.resolved`):
a worker may run in another directory, or on another machine with the same mounts. Errors of the
environment (disk full, the manifest unusable) never raise out of ``record``/``finish``: they set
:attr:`RunSession.env_error`, the run stops taking inputs and the report says ``aborted`` (exit 4).
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sqlite3
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..faults import inject
from ..writers import sweep_temp_files, write_atomic
from . import storage
from .discovery import discover, selected, single_input
from .entries import Found, Skipped
from .exitcodes import (
    EXIT_ENVIRONMENT,
    EXIT_FAILED_INPUTS,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_SIGNAL_BASE,
    EXIT_USAGE,
    BatchError,
)
from .layout import REJECTS_NAME, REPORT_NAME, STATE_DIR, Layout
from .lock import FolderLock, LockHeld
from .manifest import Manifest, Row, display_path, now_iso
from .settings import BatchConfig, Progress, StopFlag
from .worker import Job, Result, Task

if TYPE_CHECKING:
    from ..exports.changes import ChangeFeed
    from .executors import Executor

COMMIT_EVERY = 256  # results per manifest transaction (a crash loses at most this much bookkeeping)
COMMIT_SECONDS = 2.0
#: A run whose inputs vanished before a worker could read them — more than this share of the
#: inputs handed to workers, and at least VANISHED_MIN of them — did not reach its inputs (workers
#: that see another file system, the folder moved away mid-run): exit 4, status ``aborted``, never a
#: quiet success. One or two files deleted between listing and reading are an ordinary race.
VANISHED_SHARE = 0.5
VANISHED_MIN = 3


# -- the output folder: checks, lock, manifest --------------------------------------------------
def check_writable(layout: Layout) -> None:
    """The state folder (and a remote output folder) can be written; else exit 4."""
    state = layout.state
    try:
        state.mkdir(parents=True, exist_ok=True)
        probe = state / f".probe.{os.getpid()}"
        with open(probe, "wb") as fh:
            fh.write(b"ok")
        os.unlink(probe)
        if storage.is_remote(layout.clean_dir):
            storage.RemoteFolder(str(layout.clean_dir)).check_writable()
    except OSError as e:
        message = f"the output folder {layout.clean_dir} is not writable: {e.strerror or e}"
        raise BatchError(message, EXIT_ENVIRONMENT) from None


def lock_output(config: BatchConfig, *, one_file: bool = False) -> FolderLock:
    """Check both folders and take the output folder's lock (held by ``ingest run`` and ``ingest watch``).

    ``one_file``: the input may also be one file (``ingest run FILE OUT``), not only a folder.

    Raises:
        BatchError: exit code 2 (bad input folder), 3 (lock held) or 4 (output not writable).
    """
    raw_dir, clean_dir = config.raw_dir, config.clean_dir
    try:
        remote = {loc: storage.RemoteFolder(str(loc)) for loc in (raw_dir, clean_dir) if storage.is_remote(loc)}
    except storage.LocationError as e:
        raise BatchError(e.strerror or str(e), EXIT_USAGE) from None
    raw_is_dir = remote[raw_dir].is_dir() if raw_dir in remote else Path(raw_dir).is_dir()
    if not raw_is_dir and not (one_file and single_input(raw_dir) is not None):
        what = "a folder or a file" if one_file else "a folder"
        raise BatchError(f"the input {raw_dir} does not exist or is not {what}", EXIT_USAGE)
    if not config.tree and config.jsonl is None and not config.parquet:
        raise BatchError("--jsonl-only needs --jsonl FILE (the file the articles go to)", EXIT_USAGE)
    if config.parquet and storage.is_remote(clean_dir):
        raise BatchError("--output parquet needs a local output folder", EXIT_USAGE)
    if storage.same_location(raw_dir, clean_dir):
        raise BatchError("the input and output folders must differ", EXIT_USAGE)
    layout = config.layout()
    check_writable(layout)
    lock = FolderLock(layout.lock)
    try:
        lock.acquire(wait=config.wait)
    except LockHeld as e:
        raise BatchError(str(e), EXIT_LOCKED) from None
    inject("locked")
    return lock


def open_manifest(layout: Layout) -> Manifest:
    """The output folder's manifest; an unusable one is an environment error (exit 4)."""
    try:
        return Manifest(layout.manifest)
    except Exception as e:  # sqlite3.Error or OSError: the state is unusable
        raise BatchError(manifest_problem(e, layout.manifest), EXIT_ENVIRONMENT) from None


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


def begin_run(
    manifest: Manifest, sweep_root: Path | str, started_wall: str, state: Path | None = None
) -> tuple[str, int]:
    """Register a new run; sweep temp files under ``sweep_root`` when the last one did not finish.

    The state folder's own temp files (``state``, top level only: report, rejects) are swept on
    every run: a run killed while writing its report has already recorded itself as finished.
    Returns (run_id, temp files swept).
    """
    run_id = f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{uuid.uuid4().hex[:8]}"
    swept = 0
    last = manifest.last_run()
    if last is None or last[1] != "finished":
        # A previous run died (or this is the first): remove temp files it may have left.
        swept = sum(1 for _ in storage.folder(sweep_root).sweep_temp_files())
    if state is not None:
        # we hold the lock: no other writer's temp file is here
        swept += sum(1 for _ in sweep_temp_files(state, recursive=False))
    manifest.start_run(run_id, started_wall)
    return run_id, swept


def _for_outputs(config: BatchConfig) -> BatchConfig:
    fields = config.options.fields
    if config.parquet and fields and "source" not in fields:
        # Parquet replaces an input's rows by source.path: with --fields, source is written too.
        return replace(config, options=replace(config.options, fields=(*fields, "source")))
    return config


# -- the session --------------------------------------------------------------------------------
class RunSession:
    """One run (``mode="run"``) or one watch (``mode="watch"``) over a locked output folder.

    Args:
        config: the batch settings (paths are made absolute: see :meth:`BatchConfig.resolved`).
        executor: what runs the jobs (the session reads its ``name``, ``workers``, ``chunk_size``
            and ``workers_lost``; it never starts or closes it).
        progress: ``on_result`` / ``on_skip`` callbacks (``on_result`` is the caller's: the
            session calls ``on_skip`` only).
        stop: set to end a run early (``ingest run``'s SIGINT/SIGTERM): no input is taken, nothing
            is pruned, and the report says ``interrupted``. A watcher's normal stop is not this.
        mode: ``run`` or ``watch``; a watch never prunes, exits 0 when it stops (failed inputs are
            in the report), and refreshes the derived outputs while it runs (:meth:`publish`).

    Attributes (read them, never set them): ``run_id``, ``manifest``, ``layout``, ``out`` (the
    article folder), ``counts`` (seen, ok, failed, skipped, not_done, articles, records_failed,
    deleted, pruned), ``env_error`` (set: the run is aborting).
    """

    def __init__(
        self,
        config: BatchConfig,
        executor: Executor,
        *,
        progress: Progress | None = None,
        stop: StopFlag | None = None,
        mode: str = "run",
    ) -> None:
        if mode not in ("run", "watch"):
            raise ValueError(f"mode must be run or watch, not {mode!r}")
        self.given = config  # the paths as the user gave them (for the report)
        self.config = _for_outputs(config.resolved())
        self.layout = self.config.layout()
        self.executor = executor
        self.progress = progress or Progress()
        self.stop = stop if stop is not None else StopFlag()
        self.mode = mode
        self.fingerprint = self.config.options.fingerprint()
        self.counts: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.skip_reasons: Counter[str] = Counter()
        self.fixes: Counter[str] = Counter()
        self.warnings: Counter[str] = Counter()
        self.records_skipped: Counter[str] = Counter()  # WARC records that are not pages, by kind
        self.failures: list[dict[str, object]] = []
        self.skipped_entries: list[dict[str, str]] = []
        self.env_error: str | None = None
        self.unsafe_paths = 0  # outputs read from the manifest that point outside the output folder
        self.out = storage.folder(self.layout.tree_root)
        self.run_id = ""
        self.swept = 0
        self.manifest: Manifest | None = None
        self.feed: ChangeFeed | None = None
        self.previous_run: str | None = None
        self.changes: dict[str, object] | None = None
        self.parquet: dict[str, int] | None = None
        self.dedup_stats: dict[str, object] | None = None
        self.handed_out = 0  # inputs handed to a worker (the base of the vanished check)
        # ``ingest run FILE OUT``: the file's name (its relative path); decided once, so a file
        # deleted mid-run makes its own row "deleted", never every other row of the manifest.
        self.single = single_input(self.config.raw_dir) if mode == "run" else None
        self._started_wall = ""
        self._t0 = 0.0
        self._pending = 0
        self._last_commit = time.monotonic()
        self._dedup_index: Any = None  # the open near-duplicate index while signatures arrive
        self._parquet_synced: str | None = None  # the sync id the dataset matches (watch: several per run)
        self._publishes = 0
        self._finished = False

    # -- opening and closing ---------------------------------------------------------------------
    def open(self) -> RunSession:
        """Open the manifest, register the run (sweeping temp files after an unfinished one), start the feed.

        Raises:
            BatchError: exit 4, the manifest is unusable.
        """
        self._started_wall = now_iso()
        self._t0 = time.perf_counter()
        manifest = self.manifest = open_manifest(self.layout)
        try:
            last = manifest.last_run()
            self.run_id, self.swept = begin_run(manifest, self.layout.sweep_root, self._started_wall, self.layout.state)
        except sqlite3.Error as e:
            manifest.close()
            raise BatchError(manifest_problem(e, manifest.path), EXIT_ENVIRONMENT) from None
        self.previous_run = last[0] if last else None
        self._parquet_synced = self.previous_run
        try:
            self._open_feed()
        except (OSError, sqlite3.Error) as e:
            self.note_error(e)
        return self

    def close(self) -> None:
        """Close the feed and the manifest (idempotent)."""
        try:
            self._close_feed()
        except (OSError, sqlite3.Error) as e:
            self.env_error = self.env_error or f"cannot write the change feed: {e}"
        finally:
            if self._dedup_index is not None:
                self._dedup_index.close()
                self._dedup_index = None
            if self.manifest is not None:
                self.manifest.close()

    def __enter__(self) -> RunSession:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open_feed(self) -> None:
        from ..exports.changes import ChangeFeed

        for path in self.layout.legacy_state_files:  # state files of the pre-1.1 layout
            path.unlink(missing_ok=True)
        self.feed = ChangeFeed(self.layout.state, self.run_id, durable=self.config.durable)

    def _close_feed(self) -> None:
        feed, self.feed = self.feed, None
        if feed is not None:
            self.changes = feed.summary()
            feed.close()

    def _manifest(self) -> Manifest:
        if self.manifest is None:
            raise RuntimeError("the session is not open")
        return self.manifest

    # -- deciding what to do with each found input -----------------------------------------------
    def skip_reason(self, found: Found, row: Row | None) -> str | None:
        """Why ``found`` needs no work (``unchanged``, ``unchanged_failed``), or None."""
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

    def needs_work(self, found: Found) -> bool:
        """True when the manifest does not already hold this content (nothing is counted)."""
        return self.skip_reason(found, self._manifest().get(found.rel)) is None

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

    def consider(self, entry: Found | Skipped) -> Task | None:
        """Count one discovered entry and return its task, or None when it is skipped."""
        if isinstance(entry, Skipped):
            self.skip_entry(entry)
            return None
        return self.take(entry, seen_already=False)

    def admit(self, found: Found) -> bool:
        """Count ``found`` as seen; True when it needs work (its task comes later from
        ``take(found, seen_already=True)``: a watcher lets it settle first), False when the
        manifest says it needs none (then counted as skipped, as :meth:`consider` does)."""
        self.counts["seen"] += 1
        reason = self.skip_reason(found, self._manifest().get(found.rel))
        if reason is None:
            return True
        self.note_skip(found.rel, reason)
        return False

    def take(self, found: Found, *, seen_already: bool) -> Task | None:
        """The task for ``found``, or None when the manifest says it needs no work (then counted as skipped).

        ``seen_already``: it was counted in ``seen`` before (a watcher's catch-up listing). A
        watcher's file that never was (an event) and needs no work is not counted at all.
        """
        row = self._manifest().get(found.rel)
        reason = self.skip_reason(found, row)
        if reason is not None:
            if seen_already or self.mode == "run":
                if not seen_already:
                    self.counts["seen"] += 1
                self.note_skip(found.rel, reason)
            return None
        if not seen_already:
            self.counts["seen"] += 1
        self.handed_out += 1
        same_plan = row is not None and row.fingerprint == self.fingerprint and not self.config.force
        return Task(
            rel=found.rel,
            path=found.path if storage.is_url(found.path) else os.path.abspath(found.path),  # workers may be elsewhere
            size=found.size,
            mtime_ns=found.mtime_ns,
            prev_sha=row.sha256 if same_plan and row else None,
            prev_output=self.safe_output(row.output) if row else None,
            prev_status=row.status if same_plan and row else None,
        )

    def skip_entry(self, entry: Skipped) -> None:
        """A found entry that is not an input (FIFO, symlink out of the folder…): counted, recorded as skipped."""
        try:
            self._skip_entry(entry)
        except (OSError, sqlite3.Error) as e:
            self.note_error(e)

    def _skip_entry(self, entry: Skipped) -> None:
        self.counts["seen"] += 1
        self.counts["skipped"] += 1
        self.skip_reasons[entry.reason] += 1
        if len(self.skipped_entries) < 1000:
            entry_info = {"path": display_path(entry.rel), "reason": entry.reason, "detail": entry.detail}
            self.skipped_entries.append(entry_info)
        m = self._manifest()
        m.begin()
        m.record(
            rel=entry.rel,
            size=0,
            mtime_ns=0,
            sha256=None,
            fingerprint=self.fingerprint,
            status="skipped",
            output=None,
            records_ok=0,
            records_failed=0,
            error_code=entry.reason,
            error_message=entry.detail,
            rejects=[],
            run_id=self.run_id,
        )
        self._changed()
        if self.progress.on_skip:
            self.progress.on_skip(entry.rel, entry.reason)

    def note_skip(self, rel: str, reason: str) -> None:
        """An input the manifest says needs no work (``reason`` from :meth:`skip_reason`)."""
        self.counts["skipped"] += 1
        self.skip_reasons[reason] += 1
        m = self._manifest()
        try:
            m.begin()
            m.mark_seen(rel, self.run_id)
        except (OSError, sqlite3.Error) as e:
            self.note_error(e)
        self._changed()
        if self.progress.on_skip:
            self.progress.on_skip(rel, reason)

    def job(self, tasks: Iterable[Task]) -> Job:
        """A job of ``tasks`` carrying every setting of the config (output root, options, budget, dedup)."""
        cfg = self.config
        return Job(
            tuple(tasks),
            str(self.layout.tree_root),
            cfg.options,
            cfg.durable,
            cfg.input_timeout,
            dedup=cfg.dedup,
            state_names=not cfg.tree,
        )

    def not_done(self, n: int) -> None:
        """``n`` inputs were seen but never handed to a worker (the run stopped first)."""
        self.counts["not_done"] += n

    def jobs(self) -> Iterator[Job]:
        """``ingest run``: list the input folder and yield the jobs of what needs work, lazily."""
        cfg = self.config
        chunk: list[Task] = []
        size = self.executor.chunk_size
        for entry in discover(cfg.raw_dir, include=cfg.include, exclude=cfg.exclude, skip_dirs=[cfg.clean_dir]):
            if self.env_error is not None or self.stop:
                self.not_done(len(chunk))  # seen, never handed to a worker
                return  # stop taking new work; what is in flight still finishes
            task = self.consider(entry)
            if task is None:
                continue
            chunk.append(task)
            if len(chunk) >= size:
                yield self.job(chunk)
                chunk = []
        if chunk and (self.env_error is not None or self.stop):
            self.not_done(len(chunk))
        elif chunk:
            yield self.job(chunk)

    # -- recording results -----------------------------------------------------------------------
    def _changed(self) -> None:
        self._pending += 1
        self.commit()

    def commit(self, force: bool = False) -> None:
        """Commit the manifest (the change feed first) when ``force``d or due (256 results or 2 s).

        An OS or SQLite error sets :attr:`env_error` instead of raising.
        """
        try:
            self._commit(force)
        except (OSError, sqlite3.Error) as e:
            self.note_error(e)

    def _commit(self, force: bool) -> None:
        due = self._pending >= COMMIT_EVERY or time.monotonic() - self._last_commit > COMMIT_SECONDS
        if not (force or (self._pending and due)):
            return
        if self.feed is not None:
            self.feed.flush()  # the feed first: a crash may repeat a change, never lose one
        self._manifest().commit()
        inject("manifest_updated")
        self._pending = 0
        self._last_commit = time.monotonic()

    def record(self, res: Result) -> None:
        """Record one input's result: manifest row, counts, change feed, staged dedup signatures.

        An OS or SQLite error on the way (disk full) sets :attr:`env_error` instead of raising.
        """
        try:
            self._record(res)
        except (OSError, sqlite3.Error) as e:
            self.note_error(e)

    def _record(self, res: Result) -> None:
        if res.env_error is not None:
            # Not the input's fault: nothing recorded for it; the run stops.
            self.env_error = self.env_error or res.env_error
            self.counts["not_done"] += 1
            return
        m = self._manifest()
        m.begin()
        if res.status == "skipped":
            # Changed while read, or gone since listed: no output, its manifest row left as it was,
            # so the next run takes it again (a vanished input is then a deleted one).
            self.counts["skipped"] += 1
            self.skip_reasons[res.error_code or "unknown"] += 1
            if len(self.skipped_entries) < 1000:
                reason, detail = res.error_code or "unknown", res.error_message or ""
                self.skipped_entries.append({"path": display_path(res.rel), "reason": reason, "detail": detail})
            if res.error_code != "vanished":
                m.mark_seen(res.rel, self.run_id)  # still there: not a deleted input, nothing to prune
        elif res.status == "unchanged":
            self.counts["skipped"] += 1
            self.skip_reasons["unchanged"] += 1
            m.touch(res.rel, res.size, res.mtime_ns, self.run_id)
        else:
            self.counts[res.status] += 1
            if res.status == "ok" and res.signatures:
                self._stage_signatures(res)
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
            self._note_changes(res)
        self._changed()

    def _note_changes(self, res: Result) -> None:
        """Feed what this result did to the input's articles (written anew, or gone)."""
        if self.feed is None:
            return
        if res.status == "ok" and res.output:
            self.feed.written(display_path(res.rel), display_path(res.output), res.docs)
        elif res.status == "failed" and res.removed_output:
            self.feed.gone(display_path(res.rel))

    def _stage_signatures(self, res: Result) -> None:
        """``--dedup``: index the articles a worker signed now (committed in batches; see DedupIndex.stage)."""
        from ..dedup import open_index

        if self._dedup_index is None:
            self._dedup_index = open_index(self.layout.state, self.config.dedup)
        assert res.output is not None
        self._dedup_index.stage(res.output, f"{res.sha256}:{self.fingerprint}", res.signatures)

    def note_error(self, e: BaseException) -> None:
        """An OS or SQLite error outside any single input (manifest, rejects file, feed): the run aborts."""
        if isinstance(e, sqlite3.Error):  # a full disk reaches SQLite first: "database or disk is full"
            self.env_error = self.env_error or manifest_problem(e, self.layout.manifest)
            return
        if isinstance(e, OSError):
            first = self.env_error is None
            self.env_error = self.env_error or f"{e.strerror or e}"
            if first and e.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO):
                self.env_error = f"{type(e).__name__}: {e}"
            return
        raise e

    # -- derived outputs ---------------------------------------------------------------------------
    def write_rejects(self) -> None:
        """Rewrite ``rejected.ingest-jsonl`` from the manifest (every known rejected input and record)."""
        rows = self._manifest().all_rejects()
        lines = (json.dumps(r, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n" for r in rows)
        write_atomic(self.layout.rejects, lines, durable=self.config.durable)

    def publish(self) -> None:
        """Bring the derived outputs in step with what is committed so far (``ingest watch``, now and then).

        The rejects file, the near-duplicate index (``dedup``), the Parquet dataset (``parquet``)
        and the JSONL file (``jsonl``), as :meth:`finish` does at the end. Errors set
        :attr:`env_error` (and abort the watch), as everywhere else.
        """
        try:
            self.commit(force=True)
            self.write_rejects()
            self._derived(final=False)
            self.commit(force=True)
        except (OSError, sqlite3.Error) as e:
            self.note_error(e)

    def _derived(self, *, final: bool) -> None:
        cfg = self.config
        complete = self.env_error is None and not self.stop
        if cfg.dedup is not None and complete:
            self._update_dedup()
        if cfg.parquet and self.env_error is None:
            self._write_parquet(final)  # also after a stop: what was committed is current and goes in
        if cfg.jsonl is not None and complete:
            self._write_jsonl()

    def finish(self) -> None:
        """After the last result: commit, sweep a lost worker's temp files, count (and prune) deleted inputs,
        write the rejects file, the dedup index, Parquet and JSONL, and close the change feed.

        A run stopped early (:attr:`stop`) or aborting (:attr:`env_error`) deletes nothing and
        leaves the dedup index and the JSONL file as they were.
        """
        if self._finished:
            return
        self._finished = True
        try:
            self.commit(force=True)
            if self.executor.workers_lost:
                # A worker that died mid-commit left a temp file; its inputs were redone elsewhere.
                self.swept += sum(1 for _ in self.out.sweep_temp_files())
            if self.env_error is None and not self.stop:
                self._deleted_inputs(prune=self.config.prune and self.mode == "run")
            self.write_rejects()
            self._derived(final=True)
            self._close_feed()
        except (OSError, sqlite3.Error) as e:
            self.note_error(e)
        try:
            self._close_feed()
        except (OSError, sqlite3.Error) as e:
            self.env_error = self.env_error or f"cannot write the change feed: {e}"

    def _deleted_inputs(self, *, prune: bool) -> None:
        cfg = self.config
        m = self._manifest()
        # With include/exclude filters, an input outside the selection is not "deleted"; with one
        # file as the input, only that file is selected.
        rows = [
            r
            for r in m.unseen(self.run_id)
            if selected(r.path, cfg.include, cfg.exclude) and self.single in (None, r.path)
        ]
        self.counts["deleted"] = len(rows)
        if not prune:
            return
        m.begin()
        for row in rows:
            if row.output and self.safe_output(row.output):
                try:
                    self.out.remove(row.output)
                except OSError as e:
                    self.env_error = self.env_error or f"cannot prune {row.output}: {e.strerror or e}"
                    break
            m.forget(row.path)
            if self.feed is not None:
                self.feed.gone(display_path(row.path))
            self.counts["pruned"] += 1
        self.commit(force=True)

    def _update_dedup(self) -> None:
        """Bring the near-duplicate index in line with the manifest (see ingest.dedup)."""
        from ..dedup import open_index, update_after_run

        index, self._dedup_index = self._dedup_index or open_index(self.layout.state, self.config.dedup), None
        with index:
            self.dedup_stats = update_after_run(self._manifest().db, self.out, index).to_dict()

    def _write_parquet(self, final: bool) -> None:
        """Bring CLEAN_DIR/articles.parquet in step with the per-input articles (see ingest.exports.parquet).

        A watch syncs several times in one run: each sync before the last gets its own id
        (``RUN_ID.N``, which names its part files), the last one the run's id, so the next run
        finds the dataset in step with this one.
        """
        from ..exports.parquet import ParquetDataset

        cfg = self.config
        feed = self.feed
        assert feed is not None
        feed.flush()
        dataset = ParquetDataset(
            Path(cfg.clean_dir),
            self.layout.state,
            fields=cfg.options.fields,
            row_group_rows=cfg.parquet_row_group,
            durable=cfg.durable,
        )
        manifest = self._manifest()

        def lines_of(output: str) -> Iterator[bytes]:
            try:
                with self.out.open_read(output) as fh:
                    yield from fh
            except FileNotFoundError:
                return

        def current() -> Iterator[tuple[str, str]]:
            for rel, output in manifest.ok_outputs():
                if self.safe_output(output):  # a path from state is used only inside the output folder
                    yield display_path(rel), output

        if not final:
            self._publishes += 1
        sync_id = self.run_id if final else f"{self.run_id}.{self._publishes}"
        touched = set(feed.touched)
        stats = dataset.sync(
            run_id=sync_id,
            previous_run=self._parquet_synced,
            touched=touched,
            current=current,
            lines_of=lines_of,
        )
        feed.touched.difference_update(touched)  # synced: the next sync of this run starts from here
        self._parquet_synced = sync_id
        if self.parquet is None:
            self.parquet = dict(stats)
        else:
            for key, value in stats.items():
                self.parquet[key] = self.parquet.get(key, 0) + value

    def _write_jsonl(self) -> None:
        target = self.config.jsonl
        assert target is not None
        index = None
        if self.config.dedup is not None:  # each line also gets cluster_id and is_canonical
            from ..dedup import annotate_lines, open_index

            index = open_index(self.layout.state, self.config.dedup)
        manifest = self._manifest()

        def lines() -> Iterator[bytes]:
            for _, output in manifest.ok_outputs():
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

    # -- the report --------------------------------------------------------------------------------
    def counts_dict(self) -> dict[str, int]:
        c = self.counts
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

    def nothing_read(self) -> str | None:
        """``ingest run``: the message when most inputs handed to workers vanished before they were read."""
        vanished = self.skip_reasons.get("vanished", 0)
        if self.mode != "run" or vanished < VANISHED_MIN or vanished <= VANISHED_SHARE * self.handed_out:
            return None
        return (
            f"{vanished} of the {self.handed_out} inputs handed to the workers were gone when they looked "
            f"(listed in {self.given.raw_dir}, not found by the workers): do the workers see the input "
            "folder at the same path? (a Dask cluster needs the same mounts, or an fsspec URL)"
        )

    def build_report(self) -> dict[str, object]:
        """The run report (status, exit code, counts, errors, fixes, throughput) so far."""
        config, executor = self.config, self.executor
        elapsed = time.perf_counter() - self._t0
        counts = self.counts_dict()
        failed_any = counts["failed"] > 0 or counts["records_failed"] > 0
        if self.env_error is None:
            self.env_error = self.nothing_read()
        if self.env_error is not None:
            exit_code, status = EXIT_ENVIRONMENT, "aborted"
        elif self.mode == "watch":
            # A watcher stops because it was asked to: failed inputs are in the report, not the exit code.
            exit_code, status = EXIT_OK, "finished"
        elif self.stop:
            exit_code, status = EXIT_SIGNAL_BASE + (self.stop.signum or signal.SIGINT), "interrupted"
        elif failed_any and config.fail_on == "any":
            exit_code, status = EXIT_FAILED_INPUTS, "finished"
        else:
            exit_code, status = EXIT_OK, "finished"
        processed = counts["ok"] + counts["failed"]
        report: dict[str, object] = {
            "tool": "ingest",
            "version": __version__,
            "run_id": self.run_id,
            "status": status,
            "exit_code": exit_code,
            "started": self._started_wall,
            "finished": now_iso(),
            "duration_s": round(elapsed, 3),
            "input_dir": str(self.given.raw_dir),
            "output_dir": str(self.given.clean_dir),
            "executor": executor.name,
            "workers": executor.workers,
            "fingerprint": self.fingerprint,
            "options": {
                "force": config.force,
                "retry_failed": config.retry_failed,
                "prune": config.prune,
                "include": list(config.include),
                "exclude": list(config.exclude),
                "fail_on": config.fail_on,
            },
            "counts": counts,
            "skipped_by_reason": dict(sorted(self.skip_reasons.items())),
            "errors": dict(sorted(self.errors.items())),
            "fixes": dict(sorted(self.fixes.items())),
            "warnings": dict(sorted(self.warnings.items())),
            "records_skipped": dict(sorted(self.records_skipped.items())),
            "throughput": {
                "inputs_per_s": round(processed / elapsed, 2) if elapsed > 0 else None,
                "articles_per_s": round(counts["articles_written"] / elapsed, 2) if elapsed > 0 else None,
            },
            "temp_files_swept": self.swept,
            "input_timeout_s": config.input_timeout,
            "workers_replaced": int(executor.workers_lost),
            "stopped_by": self.stop.reason,
            "unsafe_state_paths": self.unsafe_paths,
            "changes": self.changes,
            "parquet": self.parquet,
            "environment_error": self.env_error,
            "failures": self.failures,
            "skipped_entries": self.skipped_entries,
        }
        if self.dedup_stats is not None:
            report["dedup"] = self.dedup_stats
        if self.mode == "watch":
            report["mode"] = "watch"
        return report

    def save_report(self, extra: dict[str, object] | None = None) -> dict[str, object]:
        """Build the report (plus ``extra`` keys), record the run as finished, write the report last.

        The report file is the success marker: it is written only after the manifest says how
        the run ended, and removed again when it cannot be written whole.
        """
        report = self.build_report()
        report.update(extra or {})
        manifest = self._manifest()
        try:
            manifest.begin()
            manifest.finish_run(self.run_id, str(report["status"]), report)
            manifest.commit()
        except sqlite3.Error as e:
            _abort(report, manifest_problem(e, manifest.path))
        report_path = self.layout.report
        report["report_path"] = str(report_path)
        try:
            body = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            write_atomic(report_path, body, durable=self.config.durable)
            if isinstance(self.out, storage.RemoteFolder):
                # A copy next to the articles for whoever reads the store; the report goes last.
                if self.layout.rejects.is_file():
                    self.out.write_atomic(f"{STATE_DIR}/{REJECTS_NAME}", self.layout.rejects.read_bytes())
                self.out.write_atomic(f"{STATE_DIR}/{REPORT_NAME}", body)
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
                manifest.finish_run(self.run_id, "aborted", report)
                manifest.commit()
            except sqlite3.Error:
                pass  # the disk is full: the run stays "running" in the manifest, which also means "not finished"
        return report


def _abort(report: dict[str, object], message: str) -> None:
    report["status"] = "aborted"
    report["exit_code"] = EXIT_ENVIRONMENT
    report["environment_error"] = report["environment_error"] or message


__all__ = [
    "COMMIT_EVERY",
    "RunSession",
    "begin_run",
    "check_writable",
    "lock_output",
    "manifest_problem",
    "open_manifest",
]
