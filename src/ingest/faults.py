"""Fault injection for the tests: crash, fail, pause, stall or bloat at a named point. Never set in production.

Production code has one entry point, :func:`inject`, called at each named point; it does
nothing unless an ``INGEST_TEST_*`` variable names that point. (:func:`carried` and
:func:`adopt` only hand the variables to a child process that started earlier.)

Points of the commit sequence (:data:`CHECKPOINTS`): ``temp_written → fsynced → renamed`` for
one output, then ``manifest_updated`` and, last, ``report_written``. Other points: ``locked`` (the
run holds the output lock), ``input_listed`` (a worker is about to open an input) and
``input_opened`` (opened and stat'ed, not yet read). For these:

* ``INGEST_TEST_CRASH_AT=point[:n]`` — the process kills itself with SIGKILL at the n-th time
  (default 1st) it reaches ``point``;
* ``INGEST_TEST_FAIL_IO=point[:n][:ERRNO]`` — raise ``OSError(ERRNO)`` there instead (an errno
  name: ``ENOSPC``, the default, as a full disk would; ``EIO``, a failing device; ``EROFS``, a file
  system remounted read-only);
* ``INGEST_TEST_PAUSE_AT=point:seconds`` — sleep there (e.g. ``locked``, to hold the lock in a test).
  With ``INGEST_TEST_PAUSE_SIGNAL=DIR`` the process creates ``DIR/paused`` on arriving and stops
  sleeping as soon as ``DIR/resume`` exists, so a test can act exactly while it waits.

Steps of one input (:data:`INPUT_STEPS`: ``inject(step, input=path)``), for an input whose path
contains ``NAME``:

* ``INGEST_TEST_FAIL_INPUT=NAME:step`` — raise ``RuntimeError`` at ``step``, as a bug would;
* ``INGEST_TEST_SLOW_INPUT=NAME:seconds[:hard]`` — spend ``seconds`` in the ``clean`` step, as a
  slow or wedged input would; with ``hard`` the time is spent with every signal blocked, as C code
  that never returns to the interpreter would (only killing the process stops it);
* ``INGEST_TEST_ALLOC_INPUT=NAME:megabytes`` — allocate that much in the ``clean`` step, as an
  input whose parse tree explodes would.

``ingest watch`` asks :func:`drop_watch_events` once at start: ``INGEST_TEST_DROP_EVENTS=1`` makes
it ignore every file-system event, so a test sees that the rescan alone still finds each file.
"""

from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

PREFIX = "INGEST_TEST_"
CHECKPOINTS = ("temp_written", "fsynced", "renamed", "manifest_updated", "report_written")
INPUT_STEPS = ("read", "clean", "name", "write", "commit")

_hits: dict[str, int] = {}  # per-process counters of the ``:n`` forms


DROP_EVENTS_ENV = PREFIX + "DROP_EVENTS"


def drop_watch_events() -> bool:
    """Whether a test asked ``ingest watch`` to ignore its file-system events (rescans only)."""
    return os.environ.get(DROP_EVENTS_ENV) == "1"


def inject(point: str, input: str | None = None) -> None:
    """The one call production code makes: at ``point`` (of ``input``, for a per-input step), do what a test asked.

    Without an ``INGEST_TEST_*`` variable naming the point this returns at once.

    Raises:
        OSError: ``INGEST_TEST_FAIL_IO`` names this point.
        RuntimeError: ``INGEST_TEST_FAIL_INPUT`` names this input and step.
    """
    if input is None:
        _at_point(point)
    else:
        _at_step(point, input)


def carried() -> dict[str, str]:
    """The ``INGEST_TEST_*`` variables of this process, to hand to a child started earlier."""
    return {k: v for k, v in os.environ.items() if k.startswith(PREFIX)}


def adopt(hooks: dict[str, str]) -> None:
    """Make ``hooks`` (from :func:`carried`) this process's test hooks, replacing its own."""
    for name in [k for k in os.environ if k.startswith(PREFIX)]:
        del os.environ[name]
    os.environ.update(hooks)


def _spec(var: str) -> tuple[str, int, str | None]:
    """``point[:n][:extra]`` from the environment variable ``var`` (an empty point when unset)."""
    parts = os.environ.get(var, "").split(":")
    nth, extra = 1, None
    for part in parts[1:3]:
        if part.isdigit():
            nth = int(part)
        elif part:
            extra = part
    return parts[0], nth, extra


def _hook(var: str, point: str) -> bool:
    name, nth, _ = _spec(var)
    if not name or name != point:
        return False
    _hits[var + point] = _hits.get(var + point, 0) + 1
    return _hits[var + point] == nth


def _pause(seconds: float) -> None:
    signal_dir = os.environ.get(PREFIX + "PAUSE_SIGNAL")
    if not signal_dir:
        time.sleep(seconds)
        return
    Path(signal_dir, "paused").touch()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not os.path.exists(os.path.join(signal_dir, "resume")):
        time.sleep(0.01)


def _at_point(point: str) -> None:
    if _hook(PREFIX + "CRASH_AT", point):
        os.kill(os.getpid(), signal.SIGKILL)
    pause = os.environ.get(PREFIX + "PAUSE_AT")
    if pause and pause.partition(":")[0] == point:
        _pause(float(pause.partition(":")[2] or 1))
    if _hook(PREFIX + "FAIL_IO", point):
        name = _spec(PREFIX + "FAIL_IO")[2] or "ENOSPC"
        code = getattr(errno, name, None)
        if not isinstance(code, int):
            raise ValueError(f"INGEST_TEST_FAIL_IO: unknown errno name {name!r}")
        raise OSError(code, f"{os.strerror(code)} (injected at {point})")


def _input_spec(var: str, name: str) -> list[str] | None:
    value = os.environ.get(var)
    if not value:
        return None
    parts = value.split(":")
    return parts if parts[0] and parts[0] in name else None


def _at_step(step: str, name: str) -> None:
    spec = _input_spec(PREFIX + "FAIL_INPUT", name)
    if spec is not None and spec[1:2] == [step]:
        raise RuntimeError(f"injected failure at {step}")
    if step != "clean":
        return
    spec = _input_spec(PREFIX + "SLOW_INPUT", name)
    if spec is not None:
        seconds = float(spec[1]) if len(spec) > 1 else 3600.0
        if spec[2:3] == ["hard"]:
            old = signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals))
            try:
                time.sleep(seconds)  # no signal handler can run: only SIGKILL stops this
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)
        else:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                time.sleep(0.01)
    spec = _input_spec(PREFIX + "ALLOC_INPUT", name)
    if spec is not None:
        block = bytearray(int(float(spec[1]) * (1 << 20)))
        del block
