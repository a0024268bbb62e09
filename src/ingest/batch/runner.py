"""The driver of a batch run: discovery → skip decision → executor → manifest → report.

Only this process touches the manifest and writes the report; workers only read inputs and commit
outputs. The run report is written last, atomically: its presence with ``"status": "finished"``
is the success marker for schedulers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from . import storage
from .executors import Executor, SerialExecutor
from .exitcodes import (
    EXIT_ENVIRONMENT,
    EXIT_FAILED_INPUTS,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_SIGNAL_BASE,
    EXIT_USAGE,
    BatchError,
)
from .layout import (  # re-exported: the state names used to live here
    ARTICLES_DIR,
    JSONL_NAME,
    LEGACY_STATE_NAMES,
    LOCK_NAME,
    MANIFEST_NAME,
    REJECTS_NAME,
    REPORT_NAME,
    STATE_DIR,
    Layout,
    state_dir,
)
from .lifecycle import RunSession, begin_run, lock_output, manifest_problem, open_manifest
from .manifest import Manifest
from .settings import DEFAULT_INPUT_TIMEOUT, BatchConfig, Progress, StopFlag, install_stop_handlers
from .warcparts import run_with_parts

if TYPE_CHECKING:
    from .report import RunReport


def run_batch(
    config: BatchConfig,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    stop: StopFlag | None = None,
) -> RunReport:
    """Run one batch and return its report (also saved as ``<clean>/.ingest/report.ingest-json``).

    ``config.raw_dir`` is the input folder, or one file: then that file is the run's one input,
    named by its name (its manifest row, output and ``source.path`` are those a run of its folder
    gives), and only it can count as deleted.

    ``stop``: set it (from a signal handler, see :func:`install_stop_handlers`) to end the run
    cleanly: no new input, the ones in flight finish and are recorded, the report says
    ``"status": "interrupted"`` with exit code ``128 + signal``, the workers are gone, and only
    then is the lock released.

    Raises:
        BatchError: exit code 2 (bad input folder, or a process pool started from a script
            without ``if __name__ == "__main__":``), 3 (another run holds the lock) or 4 (the
            output folder is not writable, the disk is full…). Failures of single inputs are
            never raised: they are in the report (``counts.failed``, ``errors``); a run whose
            inputs vanished before the workers could read them (most of them) ends with exit 4.
    """
    executor = executor or SerialExecutor()
    shared = (config.raw_dir, config.clean_dir)
    if any(storage.is_process_local(loc) for loc in shared) and not executor.in_process:
        raise BatchError(
            "memory:// folders exist only in this process: use --workers 1 (or an in-process executor)", EXIT_USAGE
        )
    lock = lock_output(config, one_file=True)  # `ingest run FILE OUT`: the file is the one input
    try:
        session = RunSession(config, executor, progress=progress, stop=stop, mode="run")
        return cast("RunReport", _run_locked(session))
    finally:
        executor.close()  # every worker has exited before the lock is released
        lock.release()


def _run_locked(session: RunSession) -> dict[str, object]:
    with session:
        on_result = session.progress.on_result
        # A big WARC input runs as parts on every worker; its results come back as one (warcparts).
        for results in run_with_parts(session.executor, session.jobs()):
            for res in results:
                session.record(res)
                if on_result:
                    on_result(res)
        session.finish()
        return session.save_report()


def read_status(clean_dir: Path | str, state: Path | None = None) -> dict[str, object]:
    """The manifest's summary for ``ingest status``: counts, the last run, failed inputs, rejected records.

    ``failed`` lists the inputs that gave no article (code, message); ``rejected_records`` the
    inputs that were written but had records rejected (how many, by code, the first reasons).
    """
    path = Layout.of(clean_dir, state).manifest
    if not path.is_file():
        raise BatchError(f"no ingest state in {clean_dir} (run `ingest run` first)", EXIT_USAGE)
    manifest = Manifest(path)
    try:
        last = manifest.last_run()
        counts = manifest.counts()
        last_run: dict[str, object] | None = None
        if last:
            report = last[2] or {}
            last_run = {"run_id": last[0], "status": last[1]}
            if report:
                last_run.update({k: report.get(k) for k in ("started", "finished", "counts", "exit_code")})
        return {
            "output_dir": str(clean_dir),
            "inputs": {"ok": counts.get("ok", 0), "failed": counts.get("failed", 0), "total": sum(counts.values())},
            "last_run": last_run,
            "failed": manifest.failed(),  # inputs with no article
            "rejected_records": manifest.rejected_records(),  # inputs written, some of their records rejected
        }
    finally:
        manifest.close()


__all__: Sequence[str] = (
    "ARTICLES_DIR",
    "BatchConfig",
    "BatchError",
    "DEFAULT_INPUT_TIMEOUT",
    "EXIT_ENVIRONMENT",
    "EXIT_FAILED_INPUTS",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_SIGNAL_BASE",
    "EXIT_USAGE",
    "JSONL_NAME",
    "LEGACY_STATE_NAMES",
    "LOCK_NAME",
    "MANIFEST_NAME",
    "Progress",
    "REJECTS_NAME",
    "REPORT_NAME",
    "STATE_DIR",
    "StopFlag",
    "begin_run",
    "install_stop_handlers",
    "lock_output",
    "manifest_problem",
    "open_manifest",
    "read_status",
    "run_batch",
    "state_dir",
)
