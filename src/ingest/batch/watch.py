"""``ingest watch``: the long-running form of ``ingest run`` on a drop folder.

Everything that decides *what* happens to an input is shared with ``ingest run``: the folder lock,
the run lifecycle (:class:`~ingest.batch.lifecycle.RunSession`: manifest, skip rules, change feed,
dedup index, Parquet, JSONL), the executors, the worker
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

The parts: event intake (:mod:`ingest.batch.watch_events`: the observer, its bounded buffer,
:func:`examine`), settling (:mod:`ingest.batch.watch_settle`: pending → ready → in flight) and,
here, the loop that joins them to the executor and the run session.

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
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .discovery import discover
from .entries import Found, Skipped
from .executors import Executor, ProcessExecutor, SerialExecutor
from .lifecycle import RunSession, lock_output
from .settings import BatchConfig, Progress
from .watch_events import MAX_EVENT_PATHS, EventBuffer, EventIntake, examine, hidden_folder, relative
from .watch_settle import Candidate, Settler
from .worker import Job, Result, Task

# Re-exported for tests: the watch's test hook lives in ingest.faults with the others.
from ..faults import DROP_EVENTS_ENV as DROP_EVENTS_ENV

_REJECTS_EVERY = 2.0  # seconds between two rewrites of rejected.ingest-jsonl while watching
_DELAYS_KEPT = 10_000  # drop-to-article delays kept for the report's median
_POLL = 0.2  # longest sleep of the main loop (a signal only sets a flag; see handle_signal)


@dataclass(frozen=True)
class WatchConfig:
    """A watch: the batch settings plus when files count as complete and how often to rescan.

    ``publish``: seconds between two refreshes of the derived outputs a run writes at its end —
    the near-duplicate index (``batch.dedup``), the Parquet dataset (``batch.parquet``) and the
    JSONL file (``batch.jsonl``) — while new results arrive; they are refreshed once more when
    the watcher stops. The change feed and the manifest are current at every commit.
    """

    batch: BatchConfig
    settle: float = 1.0  # seconds a file's size and mtime must stay unchanged
    rescan: float = 60.0  # seconds between two full listings of the input folder
    drop_events: bool = False  # test hook: ignore watchdog events (see INGEST_TEST_DROP_EVENTS)
    publish: float = 30.0

    def __post_init__(self) -> None:
        if not (self.settle >= 0 and math.isfinite(self.settle)):
            raise ValueError("settle must be a finite number of seconds >= 0")
        if not (self.rescan > 0 and math.isfinite(self.rescan)):
            raise ValueError("rescan must be a finite number of seconds > 0")
        if not (self.publish > 0 and math.isfinite(self.publish)):
            raise ValueError("publish must be a finite number of seconds > 0")


@dataclass
class WatchStats:
    """What the watcher did besides processing files (goes into the report under ``watch``)."""

    overflows: int = 0
    rescans: int = 0
    found_by_rescan: int = 0
    publishes: int = 0
    delays: deque[float] = field(default_factory=lambda: deque(maxlen=_DELAYS_KEPT))


class Watcher:
    """Watch ``config.batch.raw_dir`` and clean every complete file into ``clean_dir`` until stopped.

    Args:
        config: the batch settings (``prune``, ``force`` and ``retry_failed`` of ``ingest run``
            are not used: a watcher never prunes) plus ``settle``, ``rescan`` and ``publish``.
        executor: runs the jobs (a process pool or in-process); default in-process.
        progress: ``on_result`` is called once for every processed file (``ok``, ``failed`` or
            ``unchanged``), ``on_skip`` for entries that are not inputs.
        notice: called with (code, message) for things an operator should see on stderr
            (watching started, events unavailable, environment errors).

    The run itself (manifest, skip rules, recording, change feed, dedup, Parquet, JSONL, report)
    is a :class:`~ingest.batch.lifecycle.RunSession` in ``watch`` mode; events come from
    :class:`~ingest.batch.watch_events.EventIntake`, the settle clock is a
    :class:`~ingest.batch.watch_settle.Settler`; this class is the loop between them.
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
        self._root_missing = False
        self._intake = EventIntake(self.batch.raw_dir, self._wake, drop=config.drop_events)  # type: ignore[arg-type]
        self._settler = Settler(config.settle)
        self._skipped_known: set[str] = set()  # non-inputs already recorded by this watcher
        self._skip_real = frozenset({os.path.realpath(self.batch.clean_dir)})
        self._root_real = os.path.realpath(self.batch.raw_dir)
        self._session: RunSession | None = None
        self._last_tick = 0.0
        self._next_rescan = 0.0
        self._rejects_dirty = False
        self._rejects_written = 0.0
        self._publish_dirty = False
        self._published = 0.0

    # -- stopping ---------------------------------------------------------------------------------
    def request_stop(self, why: str = "stop requested") -> None:
        """Stop taking new files; inputs already handed to workers finish. Safe from any thread."""
        self._stop_why = self._stop_why or why
        self._stop.set()
        self._wake.set()

    @property
    def stopping(self) -> bool:
        session = self._session
        return self._stop.is_set() or bool(self._stop_reason) or (session is not None and session.env_error is not None)

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
        if self._stop_announced or self._session is None or self._session.env_error is not None:
            return
        self._stop_announced = True
        why = self._stop_reason or self._stop_why or "stop requested"
        in_flight = self._settler.in_flight
        busy = f"finishing {len(in_flight)} file(s) in flight" if in_flight else "nothing in flight"
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
        session = self._session = RunSession(self.batch, self.executor, progress=self.progress, mode="watch")
        with session:
            self._observe_folder()
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
                self._intake.stop()
            session.finish()  # counts deleted inputs (a watcher never prunes), rejects, dedup, Parquet, JSONL
            report = session.save_report({"watch": self._watch_report()})
        if report.get("environment_error"):
            self._notice_env(str(report["environment_error"]))
        return report

    def _watch_report(self) -> dict[str, object]:
        s = self.stats
        delays = sorted(s.delays)
        return {
            "settle_s": self.config.settle,
            "rescan_s": self.config.rescan,
            "events": self._intake.received,
            "events_ignored": self._intake.ignored,
            "event_overflows": s.overflows,
            "rescans": s.rescans,
            "found_by_rescan": s.found_by_rescan,
            "publishes": s.publishes,
            "delay_s": {
                "median": round(statistics.median(delays), 3) if delays else None,
                "p95": round(delays[min(len(delays) - 1, int(len(delays) * 0.95))], 3) if delays else None,
                "max": round(delays[-1], 3) if delays else None,
                "files": len(delays),
            },
        }

    def _observe_folder(self) -> None:
        # Attached before the catch-up listing, so a file dropped while it runs is not missed.
        error = self._intake.restart()
        if error is not None:  # inotify watch or instance limit, unsupported file system
            self.notice(
                "no_events",
                f"cannot watch {self.batch.raw_dir} for changes ({error.strerror or error}); "
                f"new files are found by the rescan every {self.config.rescan:g} s",
            )

    def _warm_up(self) -> None:
        """Start the worker processes now (about a second), not when the first drop is waiting for them."""
        if isinstance(self.executor, SerialExecutor):
            return
        session = self._live()
        for _ in self.executor.run([session.job(()) for _ in range(self.executor.workers)]):
            pass

    def _live(self) -> RunSession:
        session = self._session
        assert session is not None
        return session

    def _catch_up(self) -> None:
        """List the folder as ``ingest run`` does; what needs work waits to settle, then runs."""
        session = self._live()
        cfg = self.batch
        last_process = time.monotonic()
        for entry in discover(cfg.raw_dir, include=cfg.include, exclude=cfg.exclude, skip_dirs=[cfg.clean_dir]):
            if self.stopping:
                return
            if entry.rel in self._settler:
                continue  # dropped while the listing ran: its event got there first
            if isinstance(entry, Skipped):
                self._skipped_known.add(entry.rel)
                session.skip_entry(entry)
            elif session.admit(entry):  # counted and skipped exactly like ingest run
                self._settler.add(entry, time.monotonic(), counted=True)  # waits to settle, then runs
            if time.monotonic() - last_process > max(self.config.settle, 0.5):
                # A long listing: start on the files that have settled meanwhile.
                self._process()
                last_process = time.monotonic()
        session.commit(force=True)

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
        if self._settler.ready:
            return 0.01
        settles = self._settler.next_deadline()
        if settles is not None:
            deadline = min(deadline, settles)
        if self._rejects_dirty:
            deadline = min(deadline, self._rejects_written + _REJECTS_EVERY)
        if self._publish_dirty:
            deadline = min(deadline, self._published + self.config.publish)
        return max(0.01, deadline - now)

    # -- finding candidates ---------------------------------------------------------------------
    def _refresh(self) -> None:
        """Take in new events, rescan when due, and let pending files settle."""
        now = time.monotonic()
        files, dirs, overflow = self._intake.drain()
        if overflow:
            self.stats.overflows += 1
            self._next_rescan = now  # events were lost: list everything now
        root = str(self.batch.raw_dir)
        for path in files:
            rel = relative(root, path)
            if rel is not None:
                self._observe(self._examine(rel), now)
        for path in dirs:
            rel = relative(root, path)
            if rel is not None:
                self._scan_folder(rel, now)
        if now >= self._next_rescan:
            self._rescan(now)

    def _examine(self, rel: str) -> Found | Skipped | None:
        cfg = self.batch
        return examine(
            cfg.raw_dir,
            rel,
            include=cfg.include,
            exclude=cfg.exclude,  # type: ignore[arg-type]
            skip_real=self._skip_real,
            root_real=self._root_real,
        )

    def _scan_folder(self, rel_dir: str, now: float) -> None:
        """A folder created or moved in: every file below it is a candidate."""
        if hidden_folder(rel_dir):
            return  # a hidden or temporary folder: never listed, so never watched either
        for entry in discover(self.batch.raw_dir / rel_dir, skip_dirs=[self.batch.clean_dir]):  # type: ignore[operator]
            self._observe(self._examine(f"{rel_dir}/{entry.rel}"), now)

    def _rescan(self, now: float) -> None:
        """The safety net for lost events: list everything, take what the manifest does not know."""
        cfg = self.batch
        self._next_rescan = time.monotonic() + self.config.rescan
        if not os.path.isdir(cfg.raw_dir):
            # Unmounted or deleted: nothing to list (and nothing to record); wait for it.
            if not self._root_missing:
                self._root_missing = True
                self.notice(
                    "no_input", f"the input folder {cfg.raw_dir} is gone; looking for it every {self.config.rescan:g} s"
                )
            return
        if self._root_missing:
            # Back (remounted, recreated): its old watches died with it.
            self._root_missing = False
            self._observe_folder()
            self.notice("watching", f"the input folder {cfg.raw_dir} is back; watching it again")
        elif self._intake.dead:
            # The event thread died (an error inside watchdog): this rescan covers the gap.
            self._observe_folder()
            self.notice("watching", f"file events for {cfg.raw_dir} stopped; watching it again")
        self.stats.rescans += 1
        before = len(self._settler.pending)
        known = self._settler.known()
        for entry in discover(cfg.raw_dir, include=cfg.include, exclude=cfg.exclude, skip_dirs=[cfg.clean_dir]):
            if self.stopping:
                break
            if entry.rel not in known:
                self._observe(entry, now)
        self.stats.found_by_rescan += max(0, len(self._settler.pending) - before)
        self._next_rescan = time.monotonic() + self.config.rescan

    def _observe(self, entry: Found | Skipped | None, now: float) -> None:
        """A path seen by an event or a listing: start (or restart) its settle clock if it needs work."""
        if entry is None:
            return
        session = self._live()
        if isinstance(entry, Skipped):
            if entry.rel not in self._skipped_known:
                self._skipped_known.add(entry.rel)
                session.skip_entry(entry)
            return
        if self._settler.seen_again(entry, now):
            return
        if not session.needs_work(entry):
            return  # the manifest already has this content (rescans see every file)
        self._settler.add(entry, now, counted=False)

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
        session = self._live()
        settler = self._settler
        tick = min(max(self.config.settle / 4, 0.02), 0.25)
        while True:
            if self.stopping:
                self._announce_stop()
                return
            now = time.monotonic()
            if not settler.ready or now - self._last_tick >= tick:
                self._refresh()
                for entry in settler.promote(now, self._examine):
                    self._observe(entry, now)
                self._last_tick = now
            if not settler.ready:
                if settler.in_flight and not isinstance(self.executor, SerialExecutor):
                    # A slow file is in flight: keep watching, so a file dropped meanwhile goes to a
                    # free worker now instead of waiting behind it.
                    yield None
                    continue
                return
            # Spread a small batch over the workers; a burst goes in the executor's chunk size.
            workers = max(1, self.executor.workers)
            size = max(1, min(self.executor.chunk_size, math.ceil(len(settler.ready) / workers)))
            tasks: list[Task] = []
            while len(tasks) < size:
                p = settler.next_ready()
                if p is None:
                    break
                task = self._task(p)
                if task is not None:
                    tasks.append(task)
            if tasks:
                yield session.job(tasks)

    def _task(self, p: Candidate) -> Task | None:
        """The task for a settled file, or None when the manifest says it needs no work after all."""
        task = self._live().take(p.found, seen_already=p.counted)
        if task is not None:
            self._settler.start(p)
        return task

    def _record(self, res: Result) -> None:
        session = self._live()
        p = self._settler.done(res.rel)
        session.record(res)
        if res.env_error is not None:
            self._notice_env(res.env_error)
        if res.status != "unchanged":
            self._rejects_dirty = True
            self._publish_dirty = True
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
        """Make the results visible: commit now, the rejects file every 2 s, the derived outputs every ``publish`` s."""
        session = self._live()
        try:
            session.commit(force=True)
            now = time.monotonic()
            if self._publish_dirty and now - self._published >= self.config.publish and self._publishes_something():
                session.publish()  # rejects too
                self.stats.publishes += 1
                self._publish_dirty = self._rejects_dirty = False
                self._published = self._rejects_written = time.monotonic()
            elif self._rejects_dirty and now - self._rejects_written >= _REJECTS_EVERY:
                session.write_rejects()
                self._rejects_dirty = False
                self._rejects_written = time.monotonic()
        except (OSError, sqlite3.Error) as e:
            session.note_error(e)
        if session.env_error is not None:
            self._notice_env(session.env_error)

    def _publishes_something(self) -> bool:
        cfg = self.batch
        return cfg.dedup is not None or cfg.parquet or cfg.jsonl is not None

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


__all__ = [
    "DROP_EVENTS_ENV",
    "EventBuffer",
    "MAX_EVENT_PATHS",
    "WatchConfig",
    "WatchStats",
    "Watcher",
    "abort_now",
    "examine",
    "watch",
    "watch_executor",
]
