"""Writing output that is never half-there: temp file in the same folder, fsync, atomic rename.

The commit sequence for one output is ``temp_written → fsynced → renamed``; the batch runner then
records the result (``manifest_updated``) and, last, writes its report (``report_written``). A
process killed anywhere in that sequence leaves either the old file or the new one, plus at most a
temp file whose name :func:`is_temp_name` recognises and :func:`sweep_temp_files` removes.

Fault injection for the tests happens at these named points through :func:`ingest.faults.inject`.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from .faults import inject

TEMP_SUFFIX = ".ingest-tmp"

#: errno values that concern one output name, not the output folder: the input gets a code of
#: its own (``name_too_long``, ``output_conflict``) and the run goes on.
INPUT_ERRNOS = frozenset(
    {errno.ENAMETOOLONG, errno.EISDIR, errno.ENOTDIR, errno.ENOTEMPTY, errno.EEXIST, errno.EILSEQ, errno.EINVAL}
)


def is_input_errno(e: OSError) -> bool:
    """True when ``e`` is about one output's name or place (see :data:`INPUT_ERRNOS`)."""
    return e.errno in INPUT_ERRNOS


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


def _write_temp(path: Path, chunks: bytes | Iterable[bytes], *, fsync: bool) -> Path:
    """Write the hidden temp file that will become ``path``; removed again if anything fails."""
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
            inject("temp_written")
            if fsync:
                os.fsync(fh.fileno())
    except BaseException:
        remove_quietly(tmp)
        raise
    return tmp


def write_atomic(path: Path, chunks: bytes | Iterable[bytes], *, durable: bool = True) -> None:
    """Write ``chunks`` to ``path`` so that readers see the old file or the whole new one.

    The temp file lives in the destination folder (same file system, so the rename is atomic) and
    is removed if anything fails before the rename.

    Raises:
        OSError: from the file system (disk full, permission, name too long, …).
    """
    folder = path.parent
    tmp = _write_temp(path, chunks, fsync=durable)
    try:
        inject("fsynced")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _fsync_dir(folder)
    inject("renamed")


_syncfs_fn: object = None


def _syncfs(folder: Path) -> None:
    """Flush the whole file system holding ``folder`` (one journal commit for many files)."""
    global _syncfs_fn
    if _syncfs_fn is None:
        try:
            import ctypes

            fn = ctypes.CDLL(None, use_errno=True).syncfs
            fn.argtypes = [ctypes.c_int]
            _syncfs_fn = fn
        except (OSError, AttributeError, ImportError):  # pragma: no cover - not Linux
            _syncfs_fn = False
    if _syncfs_fn is False:  # pragma: no cover - not Linux
        os.sync()
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if _syncfs_fn(fd) != 0:  # type: ignore[operator]
            import ctypes

            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
    finally:
        os.close(fd)


class GroupCommit:
    """Commit many outputs at once: every temp file written, one sync, the renames, one sync.

    The same guarantee as :func:`write_atomic` (a reader sees the old file or the whole new one,
    also after a power cut, because every temp file is durable before any rename) for two
    file-system syncs per group instead of two fsyncs per file — an fsync costs more than
    cleaning an article on common disks. Checkpoints: ``temp_written`` per file, ``fsynced`` once
    per group, ``renamed`` per file.
    """

    def __init__(self, *, durable: bool = True) -> None:
        self.durable = durable
        self._staged: list[tuple[Path, Path]] = []

    def __len__(self) -> int:
        return len(self._staged)

    def write(self, path: Path, chunks: bytes | Iterable[bytes]) -> None:
        """Write the temp file for ``path``; it becomes ``path`` at :meth:`commit`."""
        self._staged.append((_write_temp(path, chunks, fsync=False), path))

    def commit(self) -> dict[Path, Exception]:
        """Make every staged file durable, then visible. On error no temp file is left.

        Returns the outputs that failed for a reason of their own (a name too long for the file
        system, a folder in the way, a bug): path → exception; the others are committed. Raises
        OSError for a failure of the folder itself (disk full, read-only, I/O error).
        """
        staged, self._staged = self._staged, []
        failed: dict[Path, Exception] = {}
        if not staged:
            return failed
        done = 0
        try:
            # One folder per file system: a sync flushes the whole device.
            devices: dict[int, Path] = {}
            if self.durable:
                for tmp, _ in staged:
                    devices.setdefault(os.stat(tmp.parent).st_dev, tmp.parent)
                for folder in devices.values():
                    _syncfs(folder)
            inject("fsynced")
            for tmp, path in staged:
                try:
                    inject("commit", input=str(path))
                    os.replace(tmp, path)
                except Exception as e:
                    if isinstance(e, OSError) and not is_input_errno(e):
                        raise
                    remove_quietly(tmp)  # this output only: the others are committed
                    failed[path] = e
                done += 1
                inject("renamed")
            for folder in devices.values():
                _syncfs(folder)  # the renames (directory entries) are durable too
        except BaseException:
            for tmp, _ in staged[done:]:
                remove_quietly(tmp)
            raise
        return failed

    def abort(self) -> None:
        """Drop every staged temp file."""
        staged, self._staged = self._staged, []
        for tmp, _ in staged:
            remove_quietly(tmp)


def sweep_temp_files(root: Path, *, recursive: bool = True) -> Iterator[Path]:
    """Remove temp files a killed run left under ``root`` (or directly in it); yields each path removed."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if recursive:
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
