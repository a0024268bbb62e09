"""``ingest watch``: the long-running form of ``ingest run`` on a drop folder.

Everything that decides *what* happens to an input is shared with ``ingest run``: the folder lock,
the manifest and its skip rules (:class:`~ingest.batch.runner._Run`), the executors, the worker
(:func:`~ingest.batch.worker.run_job`), output naming, atomic writes, the rejects file and the
report. This module only decides *when* a file is taken:

* at start, a catch-up pass lists the input folder exactly as ``ingest run`` does;
* then watchdog events (created, modified, closed after writing, moved in; recursive) and a full
  rescan every ``rescan`` seconds, which catches whatever the events missed (kernel queue
  overflow, network folders, a watch limit);
* a file is handed to the workers only once its size and mtime stayed the same for ``settle``
  seconds — a writer that is still appending keeps resetting that clock. Temporary names
  (``*.part``, ``*.tmp``, ``~$x``, dotfiles: :func:`~ingest.batch.discovery.is_partial_name`) are
  never inputs, so a file written under such a name is taken when it is renamed.

Stopping: :meth:`Watcher.request_stop` (from another thread; the CLI also calls it when stdout
is closed) stops taking files, lets the inputs already handed to the workers finish, records them
and writes the report. :meth:`Watcher.handle_signal`, the CLI's SIGINT/SIGTERM handler, does the
same on the first signal and exits at once on the second; atomic writes guarantee no partial
output either way.

Test hook (never set in production): ``INGEST_TEST_DROP_EVENTS=1`` in the environment of
``ingest watch`` (``WatchConfig.drop_events`` in the library) makes the watcher ignore every
watchdog event, as a lost event queue would, so only the rescans find new files.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import sqlite3
import stat
import statistics
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .discovery import Found, Skipped, classify, discover, is_partial_name
from .executors import Executor, ProcessExecutor, SerialExecutor
from .manifest import now_iso
from .runner import (
    EXIT_ENVIRONMENT,
    EXIT_OK,
    BatchConfig,
    BatchError,
    Progress,
    _Run,
    begin_run,
    build_report,
    lock_output,
    manifest_problem,
    open_manifest,
    save_report,
)
from .worker import Job, Result, Task

DROP_EVENTS_ENV = "INGEST_TEST_DROP_EVENTS"

_MAX_EVENT_PATHS = 100_000  # event paths buffered between two drains; beyond: forget them, rescan
_REJECTS_EVERY = 2.0  # seconds between two rewrites of rejected.ingest-jsonl while watching
_DELAYS_KEPT = 10_000  # drop-to-article delays kept for the report's median
_POLL = 0.2  # longest sleep of the main loop (a signal only sets a flag; see handle_signal)


@dataclass(frozen=True)
class WatchConfig:
    """A watch: the batch settings plus when files count as complete and how often to rescan."""

    batch: BatchConfig
    settle: float = 1.0  # seconds a file's size and mtime must stay unchanged
    rescan: float = 60.0  # seconds between two full listings of the input folder
    drop_events: bool = False  # test hook: ignore watchdog events (see INGEST_TEST_DROP_EVENTS)

    def __post_init__(self) -> None:
        if not (self.settle >= 0 and math.isfinite(self.settle)):
            raise ValueError("settle must be a finite number of seconds >= 0")
        if not (self.rescan > 0 and math.isfinite(self.rescan)):
            raise ValueError("rescan must be a finite number of seconds > 0")


def examine(
    root: Path,
    rel: str,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip_real: frozenset[str] = frozenset(),
    root_real: str | None = None,
) -> Found | Skipped | None:
    """One path under ``root`` judged by the rules :func:`discover` applies to a listing.

    None when the path is not an input: gone, a folder, a temporary or hidden name (in any part of
    the path), under a linked or skipped folder, or left out by ``include``/``exclude``.
    ``skip_real`` holds the real paths of folders never entered (the output folder).
    """
    parts = rel.split("/")
    if any(p in ("", ".", "..") or is_partial_name(p) for p in parts):
        return None
    root_real = root_real or os.path.realpath(root)
    folder, folder_real = str(root), root_real
    for part in parts[:-1]:
        # discover never enters a linked folder or the output folder: neither may an event. Every
        # parent is checked to be a real folder (not a link), so its real path is root_real/parts.
        folder = os.path.join(folder, part)
        folder_real = os.path.join(folder_real, part)
        try:
            st = os.lstat(folder)
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode) or folder_real in skip_real:
            return None
    path = os.path.join(folder, parts[-1])
    try:
        st = os.lstat(path)
    except OSError:
        return None  # gone already (moved on, deleted): nothing to do
    return classify(path, rel, st, root_real, include=include, exclude=exclude)


@dataclass
class _Pending:
    """A candidate input waiting to settle (or being processed)."""

    found: Found
    since: float  # monotonic time its current (size, mtime) was first seen
    first_seen: float  # monotonic time the watcher first saw it: the start of its delay
    counted: bool  # already counted in ``seen`` (by the catch-up pass)


@dataclass
class WatchStats:
    """What the watcher did besides processing files (goes into the report under ``watch``)."""

    overflows: int = 0
    rescans: int = 0
    found_by_rescan: int = 0
    delays: deque[float] = field(default_factory=lambda: deque(maxlen=_DELAYS_KEPT))


class _EventBuffer:
    """Paths reported by watchdog's thread, drained by the watcher's thread; bounded."""

    def __init__(self, wake: threading.Event, drop: bool) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, None] = {}  # insertion-ordered set
        self._dirs: dict[str, None] = {}
        self._overflow = False
        self._wake = wake
        self._drop = drop
        self.received = 0
        self.dropped = 0

    def add(self, path: str, is_dir: bool) -> None:
        with self._lock:
            self.received += 1
            if self._drop:
                self.dropped += 1
                return
            if len(self._files) + len(self._dirs) >= _MAX_EVENT_PATHS:
                # Like a kernel queue overflow: forget the paths, let a rescan find the files.
                self._files.clear()
                self._dirs.clear()
                self._overflow = True
            (self._dirs if is_dir else self._files)[path] = None
        self._wake.set()

    def drain(self) -> tuple[list[str], list[str], bool]:
        with self._lock:
            files, dirs, overflow = list(self._files), list(self._dirs), self._overflow
            self._files.clear()
            self._dirs.clear()
            self._overflow = False
        return files, dirs, overflow


def _start_observer(root: Path, buffer: _EventBuffer) -> object:
    """A recursive watchdog observer feeding ``buffer``; raises OSError (e.g. watch limit)."""
    from watchdog.events import (
        EVENT_TYPE_CLOSED,
        EVENT_TYPE_CREATED,
        EVENT_TYPE_MODIFIED,
        EVENT_TYPE_MOVED,
        DirCreatedEvent,
        DirMovedEvent,
        FileClosedEvent,
        FileCreatedEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileSystemEvent,
        FileSystemEventHandler,
    )
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def dispatch(self, event: FileSystemEvent) -> None:
            kind = event.event_type
            if kind == EVENT_TYPE_MOVED:
                path = event.dest_path  # moved in or renamed inside (x.part -> x)
            elif kind in (EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_CLOSED):
                path = event.src_path
            else:
                return
            if not path:
                return
            path = os.fsdecode(path)
            if event.is_directory:
                if kind != EVENT_TYPE_MODIFIED:  # a folder created or moved in: list it
                    buffer.add(path, True)
                return
            buffer.add(path, False)

    observer = Observer()
    # Only these event kinds reach the handler (and the kernel): our own reads of the inputs
    # (open, close without writing) never wake the watcher.
    kinds = [FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileMovedEvent, DirCreatedEvent, DirMovedEvent]
    try:
        observer.schedule(Handler(), str(root), recursive=True, event_filter=kinds)
    except TypeError:  # pragma: no cover - watchdog < 4.0 has no event_filter
        observer.schedule(Handler(), str(root), recursive=True)
    observer.start()
    return observer


def _alive(observer: object) -> bool:
    """The observer thread and every emitter thread still run."""
    emitters = getattr(observer, "emitters", ())
    return bool(observer.is_alive()) and all(e.is_alive() for e in emitters)  # type: ignore[attr-defined]


class Watcher:
    """Watch ``config.batch.raw_dir`` and clean every complete file into ``clean_dir`` until stopped.

    Args:
        config: the batch settings (only ``prune``, ``force``, ``retry_failed`` and ``jsonl`` of
            ``ingest run`` are not used) plus ``settle`` and ``rescan``.
        executor: runs the jobs (a process pool or in-process); default in-process.
        progress: ``on_result`` is called once for every processed file (``ok``, ``failed`` or
            ``unchanged``), ``on_skip`` for entries that are not inputs.
        notice: called with (code, message) for things an operator should see on stderr
            (watching started, events unavailable, environment errors).
    """

    def __init__(
        self,
        config: WatchConfig,
        *,
        executor: Executor | None = None,
        progress: Progress | None = None,
        notice: Callable[[str, str], None] | None = None,
    ) -> None:
        self.config = config
        self.batch = config.batch
        self.executor = executor or SerialExecutor()
        self.progress = progress or Progress()
        self.notice = notice or (lambda code, message: None)
        self.stats = WatchStats()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._signals = 0
        self._stop_reason = ""
        self._stop_why = ""
        self._stop_announced = False
        self._env_noticed = False
        self._observer: object | None = None
        self._root_missing = False
        self._events = _EventBuffer(self._wake, config.drop_events)
        self._pending: dict[str, _Pending] = {}  # seen, not settled yet
        self._ready: OrderedDict[str, _Pending] = OrderedDict()  # settled, waiting for a worker
        self._in_flight: dict[str, _Pending] = {}
        self._skipped_known: set[str] = set()  # non-inputs already recorded by this watcher
        self._skip_real = frozenset({os.path.realpath(self.batch.clean_dir)})
        self._root_real = os.path.realpath(self.batch.raw_dir)
        self._run: _Run | None = None
        self._last_tick = 0.0
        self._next_rescan = 0.0
        self._rejects_dirty = False
        self._rejects_written = 0.0

    # -- stopping ---------------------------------------------------------------------------------
    def request_stop(self, why: str = "stop requested") -> None:
        """Stop taking new files; inputs already handed to workers finish. Safe from any thread."""
        self._stop_why = self._stop_why or why
        self._stop.set()
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set() or bool(self._stop_reason) or (self._run is not None and self._run.env_error is not None)

    def handle_signal(self, signum: int, frame: object = None) -> None:
        """Signal handler: the first signal stops gracefully, the second exits at once."""
        self._signals += 1
        if self._signals == 1:
            # Only a plain attribute here: taking a lock (Event.set) or printing from a signal
            # handler can deadlock or fail with the main thread inside the same call. The main
            # loop never sleeps longer than _POLL, so it notices within that.
            self._stop_reason = signal.Signals(signum).name
            return
        abort_now(128 + signum)

    def _announce_stop(self) -> None:
        if self._stop_announced or self._run is None or self._run.env_error is not None:
            return
        self._stop_announced = True
        why = self._stop_reason or self._stop_why or "stop requested"
        busy = f"finishing {len(self._in_flight)} file(s) in flight" if self._in_flight else "nothing in flight"
        self.notice("stopping", f"{why}: {busy}, then writing the report (signal again to exit at once)")

    # -- the run ----------------------------------------------------------------------------------
    def run(self) -> dict[str, object]:
        """Watch until stopped; return the report (also saved as ``<clean>/.ingest/report.ingest-json``).

        Raises:
            BatchError: exit code 2 (bad input folder), 3 (another run or watcher holds the lock)
                or 4 (the output folder is not writable or the manifest is unusable).
        """
        lock = lock_output(self.batch)
        try:
            return self._run_locked()
        finally:
            self.executor.close()
            lock.release()

    def _run_locked(self) -> dict[str, object]:
        started_wall = now_iso()
        t0 = time.perf_counter()
        manifest = open_manifest(self.batch.clean_dir, self.batch.state_dir)
        try:
            try:
                run_id, swept = begin_run(manifest, self.batch.clean_dir, started_wall)
            except sqlite3.Error as e:
                raise BatchError(manifest_problem(e, manifest.path), EXIT_ENVIRONMENT) from None
            run = self._run = _Run(self.batch, manifest, run_id)
            try:
                self._observer = self._observe_folder()
                try:
                    self._warm_up()
                    self._next_rescan = time.monotonic() + self.config.rescan  # the catch-up is the first listing
                    self._catch_up()
                    if not self.stopping:
                        self.notice(
                            "watching",
                            f"watching {self.batch.raw_dir} -> {self.batch.clean_dir} "
                            f"(settle {self.config.settle:g} s, rescan every {self.config.rescan:g} s)",
                        )
                    self._loop()
                finally:
                    self._stop_observer()
                run._maybe_commit(force=True)
                if getattr(self.executor, "workers_lost", 0):
                    # A worker that died mid-commit left a temp file; its inputs were redone elsewhere.
                    swept += sum(1 for _ in run.out.sweep_temp_files())
                if run.env_error is None:
                    run.deleted_inputs()  # counted only: a watcher never prunes
                run.write_rejects()
            except OSError as e:
                run.note_os_error(e)
            except sqlite3.Error as e:  # a full disk reaches SQLite first
                run.env_error = run.env_error or manifest_problem(e, manifest.path)
            report = build_report(run, self.executor, started_wall, time.perf_counter() - t0, swept)
            # A watcher stops because it was asked to: failed inputs are in the report, not the exit code.
            report["exit_code"] = EXIT_ENVIRONMENT if run.env_error is not None else EXIT_OK
            report["mode"] = "watch"
            report["watch"] = self._watch_report()
            report = save_report(run, report)
            if report.get("environment_error"):
                self._notice_env(str(report["environment_error"]))
            return report
        finally:
            manifest.close()

    def _watch_report(self) -> dict[str, object]:
        s = self.stats
        delays = sorted(s.delays)
        return {
            "settle_s": self.config.settle,
            "rescan_s": self.config.rescan,
            "events": self._events.received - self._events.dropped,
            "events_ignored": self._events.dropped,
            "event_overflows": s.overflows,
            "rescans": s.rescans,
            "found_by_rescan": s.found_by_rescan,
            "delay_s": {
                "median": round(statistics.median(delays), 3) if delays else None,
                "p95": round(delays[min(len(delays) - 1, int(len(delays) * 0.95))], 3) if delays else None,
                "max": round(delays[-1], 3) if delays else None,
                "files": len(delays),
            },
        }

    def _stop_observer(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()  # type: ignore[attr-defined]
            observer.join(timeout=5)  # type: ignore[attr-defined]

    def _observe_folder(self) -> object | None:
        # Attached before the catch-up listing, so a file dropped while it runs is not missed.
        try:
            return _start_observer(self.batch.raw_dir, self._events)
        except OSError as e:  # inotify watch or instance limit, unsupported file system
            self.notice(
                "no_events",
                f"cannot watch {self.batch.raw_dir} for changes ({e.strerror or e}); "
                f"new files are found by the rescan every {self.config.rescan:g} s",
            )
            return None

    def _warm_up(self) -> None:
        """Start the worker processes now (about a second), not when the first drop is waiting for them."""
        if isinstance(self.executor, SerialExecutor):
            return
        cfg = self.batch
        empty = [Job((), str(cfg.clean_dir), cfg.options, cfg.durable) for _ in range(self.executor.workers)]
        for _ in self.executor.run(empty):
            pass

    def _catch_up(self) -> None:
        """List the folder as ``ingest run`` does; what needs work waits to settle, then runs."""
        run = self._run
        assert run is not None
        cfg = self.batch
        last_process = time.monotonic()
        for entry in discover(cfg.raw_dir, include=cfg.include, exclude=cfg.exclude, skip_dirs=[cfg.clean_dir]):
            if self.stopping:
                return
            if entry.rel in self._pending or entry.rel in self._ready or entry.rel in self._in_flight:
                continue  # dropped while the listing ran: its event got there first
            task = run.consider(entry, self.progress)  # counts and skips exactly like ingest run
            if isinstance(entry, Skipped):
                self._skipped_known.add(entry.rel)
            elif task is not None:
                now = time.monotonic()
                self._pending[entry.rel] = _Pending(entry, since=now, first_seen=now, counted=True)
            if time.monotonic() - last_process > max(self.config.settle, 0.5):
                # A long listing: start on the files that have settled meanwhile.
                self._process()
                last_process = time.monotonic()
        run._maybe_commit(force=True)

    def _loop(self) -> None:
        while not self.stopping:
            self._process()
            self._flush()
            if self.stopping:
                break
            self._wake.wait(timeout=min(_POLL, self._next_wakeup()))
            self._wake.clear()
        self._announce_stop()

    def _next_wakeup(self) -> float:
        now = time.monotonic()
        deadline = self._next_rescan
        if self._ready:
            return 0.01
        if self._pending:
            deadline = min(deadline, min(p.since for p in self._pending.values()) + self.config.settle)
        if self._rejects_dirty:
            deadline = min(deadline, self._rejects_written + _REJECTS_EVERY)
        return max(0.01, deadline - now)

    # -- finding candidates ---------------------------------------------------------------------
    def _refresh(self) -> None:
        """Take in new events, rescan when due, and let pending files settle."""
        now = time.monotonic()
        files, dirs, overflow = self._events.drain()
        if overflow:
            self.stats.overflows += 1
            self._next_rescan = now  # events were lost: list everything now
        root = str(self.batch.raw_dir)
        for path in files:
            rel = self._rel(root, path)
            if rel is not None:
                self._observe(self._examine(rel), now)
        for path in dirs:
            rel = self._rel(root, path)
            if rel is not None:
                self._scan_folder(rel, now)
        if now >= self._next_rescan:
            self._rescan(now)

    def _rel(self, root: str, path: str) -> str | None:
        rel = os.path.relpath(path, root)
        if rel == "." or rel.startswith(".." + os.sep) or rel == ".." or os.path.isabs(rel):
            return None  # moved out of the folder, or the folder itself
        return rel.replace(os.sep, "/")

    def _examine(self, rel: str) -> Found | Skipped | None:
        cfg = self.batch
        return examine(
            cfg.raw_dir, rel, include=cfg.include, exclude=cfg.exclude, skip_real=self._skip_real, root_real=self._root_real
        )

    def _scan_folder(self, rel_dir: str, now: float) -> None:
        """A folder created or moved in: every file below it is a candidate."""
        if any(p in ("", ".", "..") or is_partial_name(p) for p in rel_dir.split("/")):
            return  # a hidden or temporary folder: never listed, so never watched either
        for entry in discover(self.batch.raw_dir / rel_dir, skip_dirs=[self.batch.clean_dir]):
            self._observe(self._examine(f"{rel_dir}/{entry.rel}"), now)

    def _rescan(self, now: float) -> None:
        """The safety net for lost events: list everything, take what the manifest does not know."""
        cfg = self.batch
        self._next_rescan = time.monotonic() + self.config.rescan
        if not os.path.isdir(cfg.raw_dir):
            # Unmounted or deleted: nothing to list (and nothing to record); wait for it.
            if not self._root_missing:
                self._root_missing = True
                self.notice("no_input", f"the input folder {cfg.raw_dir} is gone; looking for it every {self.config.rescan:g} s")
            return
        if self._root_missing:
            # Back (remounted, recreated): its old watches died with it.
            self._root_missing = False
            self._stop_observer()
            self._observer = self._observe_folder()
            self.notice("watching", f"the input folder {cfg.raw_dir} is back; watching it again")
        elif self._observer is not None and not _alive(self._observer):
            # The event thread died (an error inside watchdog): this rescan covers the gap.
            self._stop_observer()
            self._observer = self._observe_folder()
            self.notice("watching", f"file events for {cfg.raw_dir} stopped; watching it again")
        self.stats.rescans += 1
        before = len(self._pending)
        known = set(self._pending) | set(self._ready) | set(self._in_flight)
        for entry in discover(cfg.raw_dir, include=cfg.include, exclude=cfg.exclude, skip_dirs=[cfg.clean_dir]):
            if self.stopping:
                break
            if entry.rel not in known:
                self._observe(entry, now)
        self.stats.found_by_rescan += max(0, len(self._pending) - before)
        self._next_rescan = time.monotonic() + self.config.rescan

    def _observe(self, entry: Found | Skipped | None, now: float) -> None:
        """A path seen by an event or a listing: start (or restart) its settle clock if it needs work."""
        run = self._run
        assert run is not None
        if entry is None:
            return
        if isinstance(entry, Skipped):
            if entry.rel not in self._skipped_known:
                self._skipped_known.add(entry.rel)
                run.counts["seen"] += 1
                run.record_skipped_entry(entry, self.progress)
            return
        rel = entry.rel
        if rel in self._in_flight:
            return  # looked at again when its result comes back (see _record)
        pending = self._pending.get(rel)
        if pending is not None:
            if (pending.found.size, pending.found.mtime_ns) != (entry.size, entry.mtime_ns):
                pending.found, pending.since = entry, now
            return
        settled = self._ready.get(rel)
        if settled is not None:
            if (settled.found.size, settled.found.mtime_ns) != (entry.size, entry.mtime_ns):
                # Written again while waiting for a worker: it has to settle again.
                del self._ready[rel]
                settled.found, settled.since = entry, now
                self._pending[rel] = settled
            return
        if run.skip_reason(entry, run.manifest.get(rel)) is not None:
            return  # the manifest already has this content (rescans see every file)
        self._pending[rel] = _Pending(entry, since=now, first_seen=now, counted=False)

    def _promote(self, now: float) -> None:
        """Move pending files whose size and mtime stayed the same for ``settle`` seconds to the ready queue."""
        settle = self.config.settle
        for rel, p in list(self._pending.items()):
            if now - p.since < settle:
                continue
            entry = self._examine(rel)
            if not isinstance(entry, Found):
                del self._pending[rel]  # gone, renamed away, or no longer an input
                if isinstance(entry, Skipped):
                    self._observe(entry, now)
                continue
            if (entry.size, entry.mtime_ns) != (p.found.size, p.found.mtime_ns):
                p.found, p.since = entry, now  # still being written: the clock starts again
                continue
            # mtime moves forward with every write, so equal stats now and ``settle`` ago mean
            # nothing was written in between.
            del self._pending[rel]
            self._ready[rel] = p

    # -- processing -------------------------------------------------------------------------------
    def _process(self) -> None:
        """Run every settled file through the executor, taking newly settled ones as slots free up."""
        if self.stopping:
            return
        from .warcparts import run_with_parts  # a big WARC file runs as parts, comes back as one result

        for results in run_with_parts(self.executor, self._jobs()):
            for res in results:
                self._record(res)

    def _jobs(self) -> Iterator[Job | None]:
        cfg = self.batch
        tick = min(max(self.config.settle / 4, 0.02), 0.25)
        while True:
            if self.stopping:
                self._announce_stop()
                return
            now = time.monotonic()
            if not self._ready or now - self._last_tick >= tick:
                self._refresh()
                self._promote(now)
                self._last_tick = now
            if not self._ready:
                if self._in_flight and not isinstance(self.executor, SerialExecutor):
                    # A slow file is in flight: keep watching, so a file dropped meanwhile goes to a
                    # free worker now instead of waiting behind it.
                    yield None
                    continue
                return
            # Spread a small batch over the workers; a burst goes in the executor's chunk size.
            size = max(1, min(self.executor.chunk_size, math.ceil(len(self._ready) / max(1, self.executor.workers))))
            tasks: list[Task] = []
            while self._ready and len(tasks) < size:
                _, p = self._ready.popitem(last=False)
                task = self._task(p)
                if task is not None:
                    tasks.append(task)
            if tasks:
                yield Job(tuple(tasks), str(cfg.clean_dir), cfg.options, cfg.durable, cfg.input_timeout)

    def _task(self, p: _Pending) -> Task | None:
        """The task for a settled file, or None when the manifest says it needs no work after all."""
        run = self._run
        assert run is not None
        rel = p.found.rel
        row = run.manifest.get(rel)
        reason = run.skip_reason(p.found, row)
        if reason is not None:
            if p.counted:  # the catch-up pass counted it: account for it as ingest run would
                run.note_skip(rel, reason, self.progress)
            return None
        if not p.counted:
            run.counts["seen"] += 1
        self._in_flight[rel] = p
        return run.task_for(p.found, row)

    def _record(self, res: Result) -> None:
        run = self._run
        assert run is not None
        p = self._in_flight.pop(res.rel, None)
        run.record(res)
        if res.env_error is not None:
            self._notice_env(res.env_error)
        if res.status != "unchanged":
            self._rejects_dirty = True
        if p is not None and res.env_error is None:
            self.stats.delays.append(time.monotonic() - p.first_seen)
        if self.progress.on_result:
            self.progress.on_result(res)
        if res.env_error is not None:
            return
        # Written again while it was being cleaned (an event said so, or its stat moved even if
        # the event was lost): the manifest holds the stat it was taken with, so it settles and
        # goes again — and comes out "unchanged" if the bytes turn out the same.
        now_entry = self._examine(res.rel)
        if isinstance(now_entry, Found) and (now_entry.size, now_entry.mtime_ns) != (res.size, res.mtime_ns):
            self._observe(now_entry, time.monotonic())

    def _flush(self) -> None:
        """Make the results visible: commit the manifest, refresh rejected.ingest-jsonl now and then."""
        run = self._run
        assert run is not None
        try:
            run._maybe_commit(force=True)
            if self._rejects_dirty and time.monotonic() - self._rejects_written >= _REJECTS_EVERY:
                run.write_rejects()
                self._rejects_dirty = False
                self._rejects_written = time.monotonic()
        except OSError as e:
            run.note_os_error(e)
            self._notice_env(run.env_error or str(e))
        except sqlite3.Error as e:
            run.env_error = run.env_error or manifest_problem(e, run.manifest.path)
            self._notice_env(run.env_error)

    def _notice_env(self, message: str) -> None:
        if not self._env_noticed:
            self._env_noticed = True
            self.notice("environment", message)


def watch_executor(workers: int) -> Executor:
    """The executor for a watcher: in-process for one worker, else a pool that is always used."""
    return SerialExecutor() if workers <= 1 else ProcessExecutor(workers, small_run=0)


def abort_now(code: int) -> None:
    """Exit at once (second signal): kill the workers, skip every cleanup.

    Outputs are written to a temp name and renamed, so this leaves complete articles and at most
    some temp files, which the next run or watch removes.
    """
    for child in multiprocessing.active_children():
        try:
            child.kill()
        except Exception:  # already gone
            pass
    os._exit(code)


def watch(
    config: WatchConfig,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    notice: Callable[[str, str], None] | None = None,
) -> dict[str, object]:
    """Watch until another thread calls ``request_stop`` (use :class:`Watcher` for that); see :class:`Watcher`."""
    return Watcher(config, executor=executor, progress=progress, notice=notice).run()


__all__ = ["WatchConfig", "Watcher", "WatchStats", "abort_now", "examine", "watch", "watch_executor", "DROP_EVENTS_ENV"]
