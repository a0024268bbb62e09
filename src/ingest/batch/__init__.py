"""Batch runs: ``raw/`` → ``clean/``, incremental, parallel, crash-safe (``ingest run``).

Library use::

    from pathlib import Path
    from ingest.batch import BatchConfig, run_batch
    report = run_batch(BatchConfig(Path("raw"), Path("clean")))
    print(report["counts"])
"""

from __future__ import annotations

from .executor_choice import make_executor
from .executors import Executor, ProcessExecutor, SerialExecutor, default_workers
from .lifecycle import RunSession
from .report import RunReport
from .runner import (
    EXIT_ENVIRONMENT,
    EXIT_FAILED_INPUTS,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_USAGE,
    BatchConfig,
    BatchError,
    Progress,
    StopFlag,
    install_stop_handlers,
    read_status,
    run_batch,
)
from .worker import Job, Result, Task, output_name, process_task, run_job

__all__ = [
    "BatchConfig",
    "BatchError",
    "EXIT_ENVIRONMENT",
    "EXIT_FAILED_INPUTS",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Executor",
    "Job",
    "ProcessExecutor",
    "Progress",
    "Result",
    "RunReport",
    "RunSession",
    "SerialExecutor",
    "StopFlag",
    "install_stop_handlers",
    "Task",
    "default_workers",
    "make_executor",
    "output_name",
    "process_task",
    "read_status",
    "run_batch",
    "run_job",
]
