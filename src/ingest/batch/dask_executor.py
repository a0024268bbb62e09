"""Run batch jobs on a Dask distributed cluster (``ingest run --executor dask``; needs ``ingest[dask]``).

The driver stays the one ``ingest run`` process: it discovers inputs, decides what to skip, ships
jobs (batches of input *references*, never file contents), and records every result in its
manifest. Workers read inputs from the store and commit outputs to it with the same atomic
discipline as local workers (see :mod:`ingest.batch.storage`).

Failures: when a worker process dies, the scheduler reruns the jobs it held on another worker
(a rerun rewrites the same bytes to the same names, and the manifest records each input once,
when its result reaches the driver). A job that keeps killing workers (Dask's
``allowed-failures``, 3 by default) comes back as ``KilledWorker``; it is then split into one job
per input. An input whose own job is killed is a suspect: once nothing else is in flight it runs
alone, and only if it kills a worker then is it recorded as ``worker_crashed`` (a worker's death
also fails the innocent jobs queued on it, so blame needs the input to be alone), as the local
process pool does.
"""

from __future__ import annotations

import logging
import sys
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .. import __version__
from .exitcodes import EXIT_ENVIRONMENT, BatchError
from .worker import Job, Result, run_job

_guard: Any = None  # per worker process: the one-process pool jobs run in (see run_job_guarded)
_guard_lock = threading.Lock()


def run_job_guarded(job: Job) -> list[Result]:
    """What a Dask worker runs: the job in a local one-process pool, so its time budget holds.

    A Dask task runs in a thread of the worker process, where the per-input timer can only stop
    Python code (signals reach the main thread alone, so a backtracking regex or C code would hold
    the worker). Run through a :class:`~ingest.batch.executors.ProcessExecutor` of one process,
    an input over its budget gets ``timeout`` and that process is killed and replaced, as in
    ``ingest run``; the pool process also has the memory budget. It needs a worker that may start
    processes: the local cluster this executor starts has non-daemonic workers; on a daemonic
    worker (the default of ``dask worker``: set ``distributed.worker.daemon: false`` in its
    config) the job runs in the thread with the timer only.
    """
    import multiprocessing

    from .storage import is_process_local

    in_worker_process = multiprocessing.parent_process() is not None  # not the driver's threads
    if (
        job.timeout is None
        or not in_worker_process
        or multiprocessing.current_process().daemon
        or is_process_local(job.out_root)
    ):
        return run_job(job)
    global _guard
    with _guard_lock:
        if _guard is None:
            from .executors import ProcessExecutor

            _guard = ProcessExecutor(1, small_run=0)
        lost = _guard.workers_lost
        out: list[Result] = []
        for results in _guard.run([job]):
            out.extend(results)
        if _guard.workers_lost != lost:
            from .worker import sweep_job_temp_files

            sweep_job_temp_files(job)  # the killed process's staged outputs (the job is done now)
        return out


_RESUBMITS = 3  # a job cancelled under us (client.restart, scheduler failover) is sent again this often


def _worker_version() -> str:
    """Runs on each worker: the ingest version it imports (outputs depend on it).

    Importing the worker module also loads the pipeline (lxml, ftfy, language data) now, at
    start-up, rather than inside the first job of every worker.
    """
    import ingest
    import ingest.batch.worker  # noqa: F401

    return str(ingest.__version__)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _crashed(job: Job) -> list[Result]:
    task = job.tasks[0]
    message = "the worker process died while cleaning this input (crash or out of memory)"
    return [
        Result(
            task.rel,
            task.size,
            task.mtime_ns,
            "failed",
            error_code="worker_crashed",
            error_message=message,
            rejects=[(None, "worker_crashed", "the worker process died while cleaning this input")],
        )
    ]


class DaskExecutor:
    """Jobs on a Dask cluster: an existing one (``scheduler`` address) or a local one it starts.

    Args:
        workers: worker processes of the local cluster (ignored with ``scheduler``; ``workers``
            then reports the cluster's size).
        scheduler: address of a running scheduler, e.g. ``tcp://10.0.0.5:8786``.
        chunk_size: inputs per job (16, as the local pool: a job's local outputs are committed
            together).
        in_flight_per_worker: jobs submitted ahead per worker (bounds the driver's memory and the
            scheduler's queue whatever the corpus size).
        processes: False runs the local cluster's workers as threads of this process (only for
            in-process stores such as ``memory://``, and for tests).
        announce: where to print the one line about the cluster (None: nowhere).
        connect_timeout: seconds to wait for the scheduler and for its first worker.
        function: what runs a job on a worker (default :func:`run_job_guarded`; a wrapper of
            :func:`run_job`, e.g. for profiling; it must be importable or picklable by value on
            the workers).
    """

    name = "dask"

    def __init__(
        self,
        workers: int = 2,
        *,
        scheduler: str | None = None,
        chunk_size: int = 16,
        in_flight_per_worker: int = 3,
        processes: bool = True,
        announce: Callable[[str], None] | None = _stderr,
        connect_timeout: float = 30.0,
        function: Callable[[Job], list[Result]] = run_job_guarded,
    ) -> None:
        if scheduler is None and processes:
            from .mainguard import require_main_guard

            require_main_guard("a local Dask cluster")  # its worker processes import the main script again
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.chunk_size = chunk_size
        self.in_flight_per_worker = in_flight_per_worker
        self.processes = processes
        self.announce = announce
        self.connect_timeout = connect_timeout
        self.function = function
        #: True when workers share this process's memory (memory:// stores are usable).
        self.in_process = scheduler is None and not processes
        #: Workers that left the cluster during the run; the runner then sweeps temp files.
        self.workers_lost = 0
        self.client: Any = None
        self._cluster: Any = None
        self._started_workers: set[str] = set()

    # -- cluster ----------------------------------------------------------------------------------
    def start(self) -> Any:
        """Connect to the scheduler or start the local cluster (done by :meth:`run` when needed)."""
        if self.client is not None:
            return self.client

        try:
            from distributed import Client, LocalCluster
        except ImportError as e:  # pragma: no cover - the extra is installed by make test
            raise BatchError(
                f"the dask executor needs the extra: pip install 'ingest[dask]' ({e})", EXIT_ENVIRONMENT
            ) from None
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout=self.connect_timeout, set_as_default=False)
                self.client.wait_for_workers(1, timeout=self.connect_timeout)
                self.workers = max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))
                self._say(
                    f"dask: connected to {self.scheduler} ({self.workers} workers, dashboard"
                    f" {self.client.dashboard_link})"
                )
            else:
                # Processes talk TCP on loopback only, on free ports; threads talk in memory. The
                # scheduler's HTTP server (dashboard, health) runs even without bokeh: left alone
                # it takes the fixed port 8787 on every interface, so it gets a free loopback port.
                network = {"host": "127.0.0.1", "scheduler_port": 0} if self.processes else {}
                if self.processes:
                    # Workers that may start processes (run_job_guarded), also when the nanny
                    # restarts one later: set for this process, not only around the start.
                    import dask

                    dask.config.set({"distributed.worker.daemon": False})
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=self.processes,
                    dashboard_address="127.0.0.1:0",
                    silence_logs=logging.ERROR,
                    **network,
                )
                self.client = Client(self._cluster, set_as_default=False)
                kind = "processes" if self.processes else "threads"
                self._say(f"dask: local cluster with {self.workers} worker {kind}; {self._dashboard_note()}")
        except BatchError:
            raise
        except Exception as e:  # OSError, TimeoutError, CommClosedError…
            self.close()
            where = self.scheduler or "a local cluster"
            raise BatchError(
                f"cannot start the dask executor on {where}: {type(e).__name__}: {e}", EXIT_ENVIRONMENT
            ) from None
        self._check_versions()
        self._started_workers = self._worker_addresses()
        return self.client

    def _dashboard_note(self) -> str:
        try:
            import bokeh  # noqa: F401  the dashboard pages need it
        except ImportError:
            return "no dashboard (pip install 'bokeh>=3.1' to get one)"
        return f"dashboard {self.client.dashboard_link}"

    def _say(self, message: str) -> None:
        if self.announce is not None:
            self.announce(message)

    def _check_versions(self) -> None:

        try:
            versions = self.client.run(_worker_version)
        except Exception as e:
            raise BatchError(
                f"the dask workers cannot run ingest ({type(e).__name__}: {e}); install ingest {__version__} on every"
                " worker",
                EXIT_ENVIRONMENT,
            ) from None
        wrong = sorted(f"{addr} has {v}" for addr, v in versions.items() if v != __version__)
        if wrong:
            raise BatchError(
                f"dask workers run another ingest version than this driver ({__version__}): {', '.join(wrong)}",
                EXIT_ENVIRONMENT,
            )

    def _worker_addresses(self) -> set[str]:
        try:
            return set(self.client.scheduler_info(n_workers=-1)["workers"])
        except Exception:
            return set()

    # -- running ----------------------------------------------------------------------------------
    def run(self, jobs: Iterable[Job]) -> Iterator[list[Result]]:
        from distributed import as_completed
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        client = self.start()
        max_in_flight = self.workers * self.in_flight_per_worker
        source = iter(jobs)
        exhausted = False
        pending = as_completed(loop=client.loop)
        # key -> (future, job, times resubmitted, running alone)
        in_flight: dict[str, tuple[Any, Job, int, bool]] = {}
        retry: list[tuple[Job, int]] = []
        suspects: deque[Job] = deque()  # one-input jobs killed along with a worker: rerun alone

        def submit(job: Job, attempt: int, alone: bool = False) -> None:
            key = f"ingest-job-{uuid.uuid4().hex}"  # unique: a rerun of the same inputs is new work
            fut = client.submit(self.function, job, key=key, pure=False)
            in_flight[key] = (fut, job, attempt, alone)
            pending.add(fut)

        def fill() -> None:
            nonlocal exhausted
            if suspects:
                if not in_flight:
                    submit(suspects.popleft(), 0, alone=True)
                return  # nothing else starts while suspects wait: their worker must be theirs alone
            while retry:
                submit(*retry.pop())
            while not exhausted and len(in_flight) < max_in_flight:
                job = next(source, None)  # the driver's generator: manifest lookups happen here
                if job is None:
                    exhausted = True
                    return
                submit(job, 0)

        try:
            fill()
            for fut in pending:
                _, job, attempt, alone = in_flight.pop(fut.key)
                try:
                    results = fut.result()
                except KilledWorker:
                    self.workers_lost += 1
                    if len(job.tasks) > 1:  # find the input that kills workers: one job per input
                        retry.extend((job.with_tasks((t,)), 0) for t in job.tasks)
                    elif alone:
                        yield _crashed(job)
                    else:
                        suspects.append(job)
                except FutureCancelledError:
                    # Cancelled by someone else (client.restart(), a scheduler restart): not done.
                    self.workers_lost += 1
                    if attempt >= _RESUBMITS:
                        raise
                    retry.append((job, attempt + 1))
                else:
                    yield results
                finally:
                    fut.release()
                fill()
        finally:
            leftover = [f for f, _, _, _ in in_flight.values()]
            if leftover:
                try:
                    client.cancel(leftover)
                except Exception:  # the connection is gone: nothing left to cancel
                    pass
            if self._started_workers - self._worker_addresses():
                self.workers_lost += 1  # a worker died and was replaced: its jobs were rerun

    def close(self) -> None:
        client, cluster = self.client, self._cluster
        self.client = self._cluster = None
        if client is not None:
            try:
                client.close()
            except Exception:  # pragma: no cover - closing a broken connection
                pass
        if cluster is not None:
            try:
                cluster.close()
            except Exception:  # pragma: no cover
                pass
