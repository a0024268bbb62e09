"""The exit codes of ``ingest run`` and ``ingest watch``, and the error that carries one.

A module of its own (no imports): the runner, the executors and the CLI all use it, and none
of them has to import another for it.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED_INPUTS = 1  # some inputs or records failed (with fail_on="any"); their errors are in the report
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_ENVIRONMENT = 4  # the environment failed (disk, state, workers, inputs out of reach): no input blamed

#: Exit code of a run stopped by a signal: 128 + the signal's number (130 SIGINT, 143 SIGTERM), the
#: shell's convention; the report says ``"status": "interrupted"``.
EXIT_SIGNAL_BASE = 128


class BatchError(Exception):
    """The run could not start or had to stop; ``exit_code`` says why (2, 3 or 4)."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


__all__ = [
    "BatchError",
    "EXIT_ENVIRONMENT",
    "EXIT_FAILED_INPUTS",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_SIGNAL_BASE",
    "EXIT_USAGE",
]
