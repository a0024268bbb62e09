"""Writing output that is never half-there: temp file in the same folder, fsync, atomic rename.

The commit sequence for one output is ``temp_written → fsynced → renamed``; the batch runner then
records the result (``manifest_updated``) and, last, writes its report (``report_written``). A
process killed anywhere in that sequence leaves either the old file or the new one, plus at most a
temp file whose name :func:`is_temp_name` recognises and :func:`sweep_temp_files` removes.

Test hooks (read from the environment only by :func:`checkpoint`, never set in production):

* ``INGEST_TEST_CRASH_AT=point[:n]`` — the process kills itself with SIGKILL at the n-th time
  (default 1st) it reaches ``point``;
* ``INGEST_TEST_FAIL_IO=point[:n]`` — raise ``OSError(ENOSPC)`` there instead, as a full disk would;
* ``INGEST_TEST_PAUSE_AT=point:seconds`` — sleep there (e.g. ``locked``, to hold the lock in a test).
"""

from __future__ import annotations

import errno
import os
import secrets
import signal
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

TEMP_SUFFIX = ".ingest-tmp"
CHECKPOINTS = ("temp_written", "fsynced", "renamed", "manifest_updated", "report_written")

_hits: dict[str, int] = {}  # per-process counters for the test hooks only


def _hook(var: str, point: str) -> bool:
    spec = os.environ.get(var)
    if not spec:
        return False
    name, _, nth = spec.partition(":")
    if name != point:
        return False
    _hits[var + point] = _hits.get(var + point, 0) + 1
    return _hits[var + point] == (int(nth) if nth else 1)


def checkpoint(point: str) -> None:
    """A named point of the commit sequence; the test hooks may crash or fail here."""
    if _hook("INGEST_TEST_CRASH_AT", point):
        os.kill(os.getpid(), signal.SIGKILL)
    pause = os.environ.get("INGEST_TEST_PAUSE_AT")
    if pause and pause.partition(":")[0] == point:
        time.sleep(float(pause.partition(":")[2] or 1))
    if _hook("INGEST_TEST_FAIL_IO", point):
        raise OSError(errno.ENOSPC, f"No space left on device (injected at {point})")


def is_temp_name(name: str) -> bool:
    """True for the temp names :func:`write_atomic` uses (``.<name>.<random>.ingest-tmp``)."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, chunks: bytes | Iterable[bytes], *, durable: bool = True) -> None:
    """Write ``chunks`` to ``path`` so that readers see the old file or the whole new one.

    The temp file lives in the destination folder (same file system, so the rename is atomic) and
    is removed if anything fails before the rename.

    Raises:
        OSError: from the file system (disk full, permission, name too long, …).
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    # The temp name is short and bounded so a long final name cannot make it too long.
    tmp = folder / f".{path.name[:80]}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(chunks, bytes):
                fh.write(chunks)
            else:
                for chunk in chunks:
                    fh.write(chunk)
            fh.flush()
            checkpoint("temp_written")
            if durable:
                os.fsync(fh.fileno())
            checkpoint("fsynced")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _fsync_dir(folder)
    checkpoint("renamed")


def sweep_temp_files(root: Path) -> Iterator[Path]:
    """Remove temp files a killed run left under ``root``; yields each path removed."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif is_temp_name(entry.name):
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    continue
                yield Path(entry.path)


def remove_quietly(path: Path) -> bool:
    """Delete ``path`` if it exists; True when something was removed."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True
