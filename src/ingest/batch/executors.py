"""Executors run :func:`~ingest.batch.worker.run_job` over a stream of jobs.

The interface is one method: ``run(jobs) -> iterator of result lists``. An executor pulls jobs
lazily and keeps a bounded number in flight, so memory does not grow with the corpus. The
driver (manifest, report, exit code) is the same whatever executor runs the jobs.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from .mainguard import require_main_guard
from .worker import Job, Result, Task, run_job, run_tracked, timeout_message


class Executor(Protocol):
    """Runs jobs and yields each job's results as they finish (any order).

    Everything the run lifecycle (:mod:`ingest.batch.lifecycle`) and ``ingest watch`` use:

    * ``name``, ``workers``: for the report;
    * ``chunk_size``: inputs per job;
    * ``in_process``: True when jobs run in this process (``memory://`` folders are usable);
    * ``workers_lost``: workers that died or were replaced so far; after a run that lost one, the
      driver sweeps the temp files it may have left;
    * ``run(jobs)``: pull jobs lazily, keep a bounded number in flight, yield each job's results.
      The local executors also accept ``None`` from the source ("nothing to do right now, ask
      again soon", ``ingest watch``);
    * ``close()``: stop every worker (the run releases its lock only after this).
    """

    name: str
    workers: int
    chunk_size: int
    in_process: bool
    workers_lost: int

    def run(self, jobs: Iterable[Job]) -> Iterator[list[Result]]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """In-process, one job at a time: ``--workers 1`` (no pickling, no pool start-up)."""

    name = "serial"
    workers = 1
    chunk_size = 16  # outputs committed together: see writers.GroupCommit
    in_process = True
    workers_lost = 0

    def run(self, jobs: Iterable[Job | None]) -> Iterator[list[Result]]:
        for job in jobs:
            if job is not None:  # None: nothing ready now (ingest watch); the source is asked again
                yield run_job(job)

    def close(self) -> None:
        pass


def _mp_context() -> multiprocessing.context.BaseContext:
    # forkserver: workers start from a clean, single-threaded server (forking a process that runs
    # a progress-bar thread is unsafe); the pipeline is imported and warmed once in the server, not
    # per worker (a worker replaced after a timeout starts warm too). Warming runs the pipeline, so
    # the language model is loaded there too and its pages are shared copy-on-write by the workers.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["ingest.batch.warm"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows/macOS without forkserver


def _die_with_parent() -> None:
    """Linux: the kernel kills this process when the process that started it exits."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _watch_parent(driver: int) -> None:
    """A thread that ends this worker when the driver is gone (a backstop for PR_SET_PDEATHSIG).

    Workers are forked by the forkserver, whose exit (it follows the driver's) triggers their
    PR_SET_PDEATHSIG; this thread also covers platforms without it.
    """
    import threading
    import time

    def gone() -> bool:
        try:
            with open(f"/proc/{driver}/stat", "rb") as fh:
                return fh.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")  # exited, not yet reaped
        except FileNotFoundError:
            return True
        except (OSError, IndexError):  # pragma: no cover - no /proc
            try:
                os.kill(driver, 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                return True
            return False

    def watch() -> None:
        while not gone():
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="ingest-parent-watch", daemon=True).start()


def _worker_init(board: object = None, counter: object = None, driver: int = 0) -> None:
    # Ctrl-C reaches the whole foreground process group, and systemd's stop sends SIGTERM to the
    # whole control group. Only the driver decides what a stop means (stop taking work, let
    # in-flight inputs finish, write the report); a worker interrupted mid-input would turn into a
    # spurious failure or a traceback. A worker never outlives the driver: see _die_with_parent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    if driver:
        _watch_parent(driver)
    if board is not None and counter is not None:
        from .worker import attach_board

        with counter.get_lock():  # type: ignore[attr-defined]
            slot = counter.value  # type: ignore[attr-defined]
            counter.value += 1  # type: ignore[attr-defined]
        attach_board(board, slot % max(1, len(board) // 4))  # type: ignore[arg-type]


SMALL_RUN = 24  # inputs: below this, a run never starts a pool
POLL = 0.2  # seconds between two looks at the board (stuck workers) and at the job source


def grace_for(timeout: float) -> float:
    """How long after its budget a worker still on the same input is killed (its own timer failed)."""
    return min(5.0, max(1.0, 0.1 * timeout))


def _timed_out(task: Task, timeout: float) -> Result:
    message = timeout_message(timeout) + "; the worker was stopped and replaced"
    return Result(
        task.rel,
        task.size,
        task.mtime_ns,
        "failed",
        error_code="timeout",
        error_message=message,
        rejects=[(None, "timeout", message)],
    )


def _crashed(task: Task) -> Result:
    return Result(
        task.rel,
        task.size,
        task.mtime_ns,
        "failed",
        error_code="worker_crashed",
        error_message="the worker process died while cleaning this input (crash or out of memory)",
        rejects=[(None, "worker_crashed", "the worker process died while cleaning this input")],
    )


class ProcessExecutor:
    """A local process pool with ``workers`` processes and at most ``3 × workers`` jobs in flight.

    A worker that dies (segfault in a C library, OOM kill) breaks the pool: the jobs that were in
    flight are retried one input at a time in a new pool, and an input that kills a worker again
    is recorded as ``worker_crashed`` — never lost, never retried forever.

    Time budget: each worker posts on a shared board which input it is on and since when. A worker
    still on one input ``grace_for(job.timeout)`` seconds after that input's budget ran out (its
    own timer could not stop it: C code that never returns to the interpreter) is killed; the
    input gets ``timeout``, and every other input that was in flight is sent again to a new pool.

    The job source may yield ``None`` for "nothing to do right now, ask again soon" (``ingest
    watch``): the executor keeps collecting results and asks again every :data:`POLL` seconds.
    """

    name = "process"
    in_process = False

    def __init__(
        self,
        workers: int,
        *,
        chunk_size: int = 16,
        in_flight_per_worker: int = 3,
        small_run: int = SMALL_RUN,
        function: Callable[[Job], list[Result]] = run_job,
    ) -> None:
        # Workers import the main script again: refuse at once (exit 2) when its top level would
        # start this pool in every worker too (no ``if __name__ == "__main__":``).
        require_main_guard("a process pool")
        self.workers = max(1, workers)
        self.function = function  # what a worker runs per job (a picklable wrapper of run_job)
        # Pools broken by a dying worker: the driver then sweeps the temp files the killed
        # workers left (their inputs were redone and committed by others).
        self.workers_lost = 0
        # A long-lived driver (ingest watch) passes 0: its pool is started once and stays warm,
        # and in-process work would block it and run a burst that arrives in slices on one core.
        self.small_run = small_run
        self.chunk_size = chunk_size
        self.max_in_flight = self.workers * in_flight_per_worker
        self._pool: ProcessPoolExecutor | None = None
        self._board: object = None
        self._tokens = itertools.count(1)
        self._longest: float | None = None  # the longest time budget of any job submitted

    def _new_pool(self) -> ProcessPoolExecutor:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        ctx = _mp_context()
        self._board = ctx.Array("d", 4 * self.workers, lock=False)
        counter = ctx.Value("i", 0)
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=ctx,
            initializer=_worker_init,
            initargs=(self._board, counter, os.getpid()),
        )
        return self._pool

    def processes(self) -> list[int]:
        """The pids of the current pool's worker processes."""
        pool = self._pool
        procs = getattr(pool, "_processes", None) or {}
        return list(procs)

    def _overdue(self, in_flight: dict[Future[list[Result]], _InFlight]) -> tuple[int, int, int] | None:
        """(pid, token, task index) of a worker past its input's budget plus grace, if any."""
        board = self._board
        if board is None:
            return None
        by_token = {f.token: f for f in in_flight.values()}
        now = time.monotonic()
        for slot in range(len(board) // 4):  # type: ignore[arg-type]
            base = slot * 4
            start = board[base + 3]  # type: ignore[index]
            if not start:
                continue
            pid, token, index = int(board[base]), int(board[base + 1]), int(board[base + 2])  # type: ignore[index]
            entry = by_token.get(token)
            if entry is None or entry.job.timeout is None:
                continue
            if now - start < entry.job.timeout + grace_for(entry.job.timeout):
                continue
            if board[base + 3] != start:  # type: ignore[index]  # moved on meanwhile
                continue
            if pid in self.processes():
                return pid, token, index
        return None

    def run(self, jobs: Iterable[Job | None]) -> Iterator[list[Result]]:
        source = iter(jobs)
        # A handful of inputs is done in-process before a pool would even have started (the
        # pool costs about a second); the outputs are the same either way.
        head: list[Job] = []
        if self.small_run > 0:
            for job in source:
                if job is None:
                    continue
                head.append(job)
                # A part of a big WARC file is a big input: the pool starts (see batch.warcparts).
                if sum(len(j.tasks) for j in head) >= self.small_run or any(t.part is not None for t in job.tasks):
                    break
            else:
                for job in head:
                    yield run_job(job)
                return
        source = itertools.chain(head, source)
        pool = self._pool or self._new_pool()
        in_flight: dict[Future[list[Result]], _InFlight] = {}
        retry: deque[Job] = deque()  # innocent jobs of a pool that broke: sent again as they are
        suspects: deque[Job] = deque()  # one-input jobs that were in flight when a worker died
        exhausted = False
        next_look = 0.0
        try:
            while True:
                idle = False
                while len(in_flight) < self.max_in_flight and not idle:
                    alone = False
                    if suspects:
                        if in_flight:
                            break  # a suspect runs alone, so that a crash can be blamed on it
                        job, alone = suspects.popleft(), True
                    elif retry:
                        job = retry.popleft()
                    elif exhausted:
                        break
                    else:
                        nxt = next(source, _END)
                        if nxt is _END:
                            exhausted = True
                            break
                        if nxt is None:
                            idle = True  # nothing ready now; look again after the next poll
                            break
                        job = nxt  # type: ignore[assignment]
                    if job.timeout is not None:
                        self._longest = max(self._longest or 0.0, job.timeout)
                    token = next(self._tokens)
                    fut = pool.submit(run_tracked, self.function, job, token)
                    in_flight[fut] = _InFlight(job, token, alone)
                    if alone:
                        break
                if not in_flight:
                    if exhausted and not retry and not suspects:
                        return
                    if idle:
                        time.sleep(POLL / 4)
                    continue
                done, _ = wait(in_flight, timeout=POLL, return_when=FIRST_COMPLETED)
                broken: list[_InFlight] = []
                for fut in done:
                    entry = in_flight.pop(fut)
                    try:
                        results = fut.result()
                    except BrokenProcessPool:
                        broken.append(entry)
                        continue
                    yield results
                if broken:
                    self.workers_lost += 1
                    broken.extend(in_flight.values())  # the pool is gone: every job in it failed
                    in_flight.clear()
                    pool = self._new_pool()
                    for entry in broken:
                        if entry.alone:  # it ran alone and the worker died: this input did it
                            yield [_crashed(entry.job.tasks[0])]
                        else:
                            suspects.extend(entry.job.with_tasks((t,)) for t in entry.job.tasks)
                    continue
                if in_flight and time.monotonic() >= next_look:
                    next_look = time.monotonic() + POLL
                    stuck = self._overdue(in_flight)
                    if stuck is not None:
                        yield from self._replace_stuck(stuck, in_flight, retry)
                        pool = self._new_pool()
        finally:
            # Let jobs already running finish their atomic writes; queued ones are dropped.
            for fut in in_flight:
                fut.cancel()

    def _replace_stuck(
        self, stuck: tuple[int, int, int], in_flight: dict[Future[list[Result]], _InFlight], retry: deque[Job]
    ) -> Iterator[list[Result]]:
        """Kill the worker stuck on one input: that input gets ``timeout``, the other in-flight inputs go again."""
        pid, token, index = stuck
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        wait(in_flight, timeout=30)  # the pool notices the death and fails what it still held
        self.workers_lost += 1
        for fut, entry in list(in_flight.items()):
            try:
                finished = fut.result(timeout=0)  # it finished before the pool went down
            except Exception:
                finished = None
            if finished is not None:
                yield finished
                continue
            if entry.token == token:
                yield [_timed_out(entry.job.tasks[index], float(entry.job.timeout or 0))]
            rest = tuple(t for i, t in enumerate(entry.job.tasks) if entry.token != token or i != index)
            if rest:
                retry.append(entry.job.with_tasks(rest))
        in_flight.clear()

    def close(self) -> None:
        """Stop the pool: queued jobs are dropped, running ones finish — within their time budget.

        A worker still busy when the longest budget seen (plus grace) has passed is killed, so
        closing never hangs on one input either.
        """
        pool, self._pool = self._pool, None
        if pool is None:
            return
        procs = list((getattr(pool, "_processes", None) or {}).values())
        if self._longest is None:
            pool.shutdown(wait=True, cancel_futures=True)
            return
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + self._longest + grace_for(self._longest)
        for proc in procs:
            proc.join(max(0.0, deadline - time.monotonic()))
        for proc in procs:
            if proc.is_alive():
                proc.kill()
                proc.join(5)

    def kill(self) -> None:
        """Kill every worker at once (a second signal): no input is finished, none is recorded."""
        for pid in self.processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


class _InFlight:
    __slots__ = ("job", "token", "alone")

    def __init__(self, job: Job, token: int, alone: bool) -> None:
        self.job, self.token, self.alone = job, token, alone


_END = object()


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)
