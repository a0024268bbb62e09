"""Finding the inputs of a batch run: regular files under the input folder, nothing else.

Streaming (one directory listing in memory at a time), never following a symlink out of the
input folder, never opening FIFOs, sockets or devices. Hidden names (``.*``) and the temporary
names producers use while still writing (``*.part``, ``*.tmp``, ``*.crdownload``, ``~$*``) are
not inputs. Neither are the assets a browser saves beside a page (scripts, styles, images,
fonts, media): they are skipped with the reason ``asset`` and counted, so a saved page folder does
not turn ``app.js`` into an "article".
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from .entries import (  # re-exported: the entry types and name rules used to live here
    ASSET_SUFFIXES,
    PARTIAL_SUFFIXES,
    Found,
    Skipped,
    asset_skip,
    is_asset_name,
    is_partial_name,
    selected,
)

__all__ = [
    "ASSET_SUFFIXES",
    "PARTIAL_SUFFIXES",
    "Found",
    "Skipped",
    "asset_skip",
    "classify",
    "discover",
    "is_asset_name",
    "is_partial_name",
    "selected",
    "single_input",
]


def _inside(path: str, root_real: str) -> bool:
    return path == root_real or path.startswith(root_real.rstrip(os.sep) + os.sep)


def classify(
    path: str,
    rel: str,
    st: os.stat_result,
    root_real: str,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Found | Skipped | None:
    """Judge one entry that is not a real folder: an input, a skipped entry, or None (left out).

    ``st`` is its ``lstat``; ``root_real`` the input folder's real path. Shared by the listing
    (:func:`discover`) and by ``ingest watch`` for the single paths its events name.
    """
    target = path
    if stat.S_ISLNK(st.st_mode):
        real = os.path.realpath(path)
        if not _inside(real, root_real):
            return Skipped(rel, "symlink_outside", "symbolic link pointing outside the input folder")
        try:
            st = os.stat(real)
        except OSError:
            return Skipped(rel, "broken_symlink", "symbolic link to nothing")
        if stat.S_ISDIR(st.st_mode):
            # A link to a folder inside the input would list the same files twice.
            return Skipped(rel, "symlink_dir", "symbolic link to a folder already in the input")
        target = real
    if stat.S_ISDIR(st.st_mode):
        return None  # folders are walked by the caller, never inputs
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "FIFO" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "device or special file"
        )
        return Skipped(rel, "not_regular", f"{kind}, not a regular file (never opened)")
    if not selected(rel, include, exclude):
        return None
    return asset_skip(rel, include) or Found(rel=rel, path=target, size=st.st_size, mtime_ns=st.st_mtime_ns)


def single_input(root: Path | str) -> str | None:
    """The name of the one input when ``root`` names a file, not a folder (``ingest run FILE OUT``).

    Its relative path is its name, as when its folder is the input: the manifest row, the output
    (``OUT/NAME.json``/``.jsonl``) and ``source.path`` are the ones a run of the folder gives. None
    for a folder or nothing.
    """
    from .storage import is_remote

    if is_remote(root):  # type: ignore[arg-type]
        from .storage import RemoteFolder

        return RemoteFolder(str(root)).file_name()
    path = os.fspath(root)
    return os.path.basename(os.path.abspath(path)) if os.path.isfile(path) else None


def _one_file(path: str, include: Sequence[str], exclude: Sequence[str]) -> Iterator[Found | Skipped]:
    """The entry of an input given as one file: the name rules of a listing (hidden, partial) do
    not apply to a file named on purpose; include/exclude and the asset rule do."""
    rel = os.path.basename(os.path.abspath(path))
    try:
        st = os.stat(path)  # a symbolic link named on purpose is followed
    except OSError as e:
        yield Skipped(rel, "unreadable", e.strerror or str(e))
        return
    item = classify(path, rel, st, os.path.dirname(os.path.realpath(path)), include=include, exclude=exclude)
    if item is not None:
        yield item


def discover(
    root: Path,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip_dirs: Sequence[Path] = (),
) -> Iterator[Found | Skipped]:
    """Walk ``root`` depth-first in name order and yield every candidate input or skipped entry.

    Args:
        root: the input folder (a Path, or an fsspec URL string: see :mod:`ingest.batch.storage`),
            or one file (then the one entry is that file, named by its name: :func:`single_input`).
        include, exclude: glob patterns on the relative path (or the file name).
        skip_dirs: folders never entered (the output folder when it lives inside the input).
    """
    from .storage import is_remote  # a URL input folder is listed through fsspec

    if is_remote(root):  # type: ignore[arg-type]
        from .storage import RemoteFolder

        yield from RemoteFolder(str(root)).discover(include=include, exclude=exclude, skip_dirs=skip_dirs)
        return
    if os.path.isfile(root):
        yield from _one_file(os.fspath(root), include, exclude)
        return
    root_real = os.path.realpath(root)
    skip_real = {os.path.realpath(p) for p in skip_dirs}
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            yield Skipped(prefix.rstrip("/") or ".", "unreadable_dir", e.strerror or str(e))
            continue
        subdirs: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            if is_partial_name(name):
                continue
            rel = prefix + name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as e:
                yield Skipped(rel, "unreadable", e.strerror or str(e))
                continue
            if stat.S_ISDIR(st.st_mode):  # a real folder (a link to one is judged by classify)
                if os.path.realpath(entry.path) in skip_real:
                    continue
                subdirs.append((entry.path, rel + "/"))
                continue
            item = classify(entry.path, rel, st, root_real, include=include, exclude=exclude)
            if item is not None:
                yield item
        stack.extend(reversed(subdirs))
