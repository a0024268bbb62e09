"""Time budgets for cleaning one input: interrupt it in-process, or run it in a child process.

* :func:`deadline` raises :class:`InputTimeout` in the calling thread once the budget is spent: a
  SIGALRM timer in the main thread (regular expressions check for signals, so a backtracking
  pattern is stopped too), an asynchronous exception in other threads (Python code only). Neither
  stops C code that never returns to the interpreter.
* :func:`outcomes_in_child` runs the whole pipeline in a child process and kills it when the
  budget is spent: nothing can outlast it. The library and ``ingest clean`` use it when a timeout
  is asked for (``Options(timeout=…)``, ``--input-timeout``); it costs a process start per call,
  so without a timeout everything stays in-process. ``ingest run`` and ``ingest watch`` instead
  keep long-lived workers and kill the one stuck on an input (see :mod:`ingest.batch.executors`).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from .errors import IngestError, Timeout


class InputTimeout(BaseException):
    """One input used up its time budget. A BaseException: no ``except Exception`` swallows it."""


def timeout_message(seconds: float) -> str:
    return f"cleaning this input took longer than its {seconds:g}-second budget (--input-timeout); nothing was written"


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`InputTimeout` in this thread once ``seconds`` have passed (None or 0: never)."""
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):

        def expired(signum: int, frame: object) -> None:
            raise InputTimeout()

        previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    import ctypes

    tid = ctypes.c_ulong(threading.get_ident())
    guard = threading.Lock()
    armed = [True]

    def fire() -> None:
        with guard:
            if armed[0]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(tid, ctypes.py_object(InputTimeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with guard:
            armed[0] = False
            ctypes.pythonapi.PyThreadState_SetAsyncExc(tid, None)  # drop one not raised yet


def _child(
    conn: Any,
    run: Callable[..., Iterable[Any]],
    data: str | bytes,
    path: str | None,
    options: Any,
    hooks: dict[str, str],
) -> None:
    from . import faults

    faults.adopt(hooks)  # the fork server keeps the environment it started with; the caller's test hooks come along

    out: list[tuple[int | None, Any, tuple[str, str] | None]] = []
    try:
        if path is not None:
            faults.inject("clean", input=path)  # the per-input test hooks, as in a batch worker
        for o in run(data, path=path, options=options):
            err = (o.error.code, o.error.message) if o.error is not None else None
            out.append((o.record, o.article, err))
        conn.send(("ok", out))
    except IngestError as e:
        conn.send(("error", (e.code, e.message)))
    except BaseException as e:  # a bug: re-raised in the caller as it would be in-process
        conn.send(("raise", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def outcomes_in_child(
    run: Callable[..., Iterable[Any]], data: str | bytes, path: str | None, options: Any, seconds: float
) -> list[Any]:
    """``list(run(data, path=path, options=options))`` computed in a child process killed after ``seconds``.

    ``run`` is :func:`ingest.pipeline.iter_articles` (passed in by the pipeline, so that this module
    does not import it back); it reaches the child pickled by name, as any module-level function.

    Raises:
        IngestError: the input's own error, or ``timeout`` when the budget ran out.
    """
    from .assemble import Outcome

    if "forkserver" in multiprocessing.get_all_start_methods():
        # The server imports the pipeline once; each call then forks a warm process.
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["ingest.pipeline"])
    else:  # pragma: no cover - Windows/macOS without forkserver
        ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    from .faults import carried

    hooks = carried()
    proc = ctx.Process(target=_child, args=(child, run, data, path, options, hooks), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise Timeout(timeout_message(seconds))
        try:
            kind, value = parent.recv()
        except EOFError:
            raise IngestError(
                "the process cleaning this input died (crash or out of memory)", code="worker_crashed"
            ) from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    if kind == "error":
        raise IngestError(value[1], code=value[0])
    if kind == "raise":
        raise RuntimeError(value)
    return [
        Outcome(rec, article=art, error=IngestError(err[1], code=err[0]) if err else None) for rec, art, err in value
    ]
