"""Choosing an executor by name (``--executor local|dask``).

Apart from :mod:`ingest.batch.executors` because the Dask executor itself runs each job in a
one-process :class:`~ingest.batch.executors.ProcessExecutor`: the two modules must not import
each other.
"""

from __future__ import annotations

from .executors import Executor, ProcessExecutor, SerialExecutor


def make_executor(name: str, workers: int, **kwargs: object) -> Executor:
    """``local`` (serial for one worker, a process pool otherwise) or ``dask``."""
    if name == "local":
        return SerialExecutor() if workers <= 1 else ProcessExecutor(workers)
    if name == "dask":
        from .dask_executor import DaskExecutor  # optional extra: ingest[dask]

        return DaskExecutor(workers=workers, **kwargs)  # type: ignore[arg-type]
    raise ValueError(f"unknown executor {name!r}: choose local or dask")


__all__ = ["make_executor"]
