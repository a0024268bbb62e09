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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Protocol

from .worker import Job, Result, run_job


class Executor(Protocol):
    """Runs jobs and yields each job's results as they finish (any order)."""

    name: str
    workers: int
    chunk_size: int

    def run(self, jobs: Iterable[Job]) -> Iterator[list[Result]]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """In-process, one job at a time: ``--workers 1`` (no pickling, no pool start-up)."""

    name = "serial"
    workers = 1
    chunk_size = 16  # outputs committed together: see writers.GroupCommit

    def run(self, jobs: Iterable[Job]) -> Iterator[list[Result]]:
        for job in jobs:
            yield run_job(job)

    def close(self) -> None:
        pass


def _mp_context() -> multiprocessing.context.BaseContext:
    # forkserver: workers start from a clean, single-threaded server (forking a process that runs
    # a progress-bar thread is unsafe); the pipeline is imported once in the server, not per worker.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["ingest.batch.worker"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows/macOS without forkserver


def _worker_init() -> None:
    # Ctrl-C reaches the whole foreground process group. Only the driver decides what an interrupt
    # means (stop taking work, let in-flight inputs finish); a worker interrupted mid-input would
    # turn into a spurious failure or a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


SMALL_RUN = 24  # inputs: below this, a run never starts a pool


class ProcessExecutor:
    """A local process pool with ``workers`` processes and at most ``3 × workers`` jobs in flight.

    A worker that dies (segfault in a C library, OOM kill) breaks the pool: the jobs that were in
    flight are retried one input at a time in a new pool, and an input that kills a worker again
    is recorded as ``worker_crashed`` — never lost, never retried forever.
    """

    name = "process"

    def __init__(
        self,
        workers: int,
        *,
        chunk_size: int = 16,
        in_flight_per_worker: int = 3,
        small_run: int = SMALL_RUN,
        function: Callable[[Job], list[Result]] = run_job,
    ) -> None:
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

    def _new_pool(self) -> ProcessPoolExecutor:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_mp_context(), initializer=_worker_init)
        return self._pool

    def _isolated(self, job: Job) -> Iterator[list[Result]]:
        for task in job.tasks:
            single = replace(job, tasks=(task,))
            pool = self._pool or self._new_pool()
            try:
                yield pool.submit(self.function, single).result()
            except BrokenProcessPool:
                self.workers_lost += 1
                self._new_pool()
                yield [
                    Result(
                        task.rel, task.size, task.mtime_ns, "failed",
                        error_code="worker_crashed",
                        error_message="the worker process died while cleaning this input (crash or out of memory)",
                        rejects=[(None, "worker_crashed", "the worker process died while cleaning this input")],
                    )
                ]

    def run(self, jobs: Iterable[Job]) -> Iterator[list[Result]]:
        source = iter(jobs)
        # A handful of inputs is done in-process before a pool would even have started (the
        # pool costs about a second); the outputs are the same either way.
        head: list[Job] = []
        for job in source:
            head.append(job)
            if sum(len(j.tasks) for j in head) >= self.small_run:
                break
        else:
            for job in head:
                yield run_job(job)
            return
        source = itertools.chain(head, source)
        pool = self._pool or self._new_pool()
        in_flight: dict[Future[list[Result]], Job] = {}
        exhausted = False
        try:
            while True:
                while not exhausted and len(in_flight) < self.max_in_flight:
                    job = next(source, None)
                    if job is None:
                        exhausted = True
                        break
                    in_flight[pool.submit(self.function, job)] = job
                if not in_flight:
                    return
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                broken: list[Job] = []
                for fut in done:
                    job = in_flight.pop(fut)
                    try:
                        results = fut.result()
                    except BrokenProcessPool:
                        broken.append(job)
                        continue
                    yield results
                if broken:
                    self.workers_lost += 1
                    broken.extend(in_flight.values())  # the pool is gone: every job in it failed
                    in_flight.clear()
                    pool = self._new_pool()
                    for job in broken:
                        yield from self._isolated(job)
                    pool = self._pool or self._new_pool()
        finally:
            # Let jobs already running finish their atomic writes; queued ones are dropped.
            for fut in in_flight:
                fut.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


def make_executor(name: str, workers: int, **kwargs: object) -> Executor:
    """``local`` (serial for one worker, a process pool otherwise) or ``dask``."""
    if name == "local":
        return SerialExecutor() if workers <= 1 else ProcessExecutor(workers)
    if name == "dask":
        from .dask_executor import DaskExecutor  # optional extra: ingest[dask]

        return DaskExecutor(workers=workers, **kwargs)  # type: ignore[arg-type]
    raise ValueError(f"unknown executor {name!r}: choose local or dask")
