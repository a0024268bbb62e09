"""``ingest watch``, event intake: which paths under the drop folder may hold a new input.

* :class:`EventIntake` runs a recursive watchdog observer (created, modified, closed after
  writing, moved in) and keeps the paths its thread reports in a bounded :class:`EventBuffer`,
  which the watcher drains; past :data:`MAX_EVENT_PATHS` paths it forgets them and asks for a
  rescan, as after a kernel queue overflow.
* :func:`examine` judges one such path by the rules a listing applies
  (:func:`~ingest.batch.discovery.discover`).

The settle clock is :mod:`ingest.batch.watch_settle`; the loop, :mod:`ingest.batch.watch`.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Sequence
from pathlib import Path

from .discovery import classify
from .entries import Found, Skipped, is_partial_name

MAX_EVENT_PATHS = 100_000  # event paths buffered between two drains; beyond: forget them, rescan


def examine(
    root: Path,
    rel: str,
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip_real: frozenset[str] = frozenset(),
    root_real: str | None = None,
) -> Found | Skipped | None:
    """One path under ``root`` judged by the rules :func:`discover` applies to a listing.

    None when the path is not an input: gone, a folder, a temporary or hidden name (in any part of
    the path), under a linked or skipped folder, or left out by ``include``/``exclude``.
    ``skip_real`` holds the real paths of folders never entered (the output folder).
    """
    parts = rel.split("/")
    if any(p in ("", ".", "..") or is_partial_name(p) for p in parts):
        return None
    root_real = root_real or os.path.realpath(root)
    folder, folder_real = str(root), root_real
    for part in parts[:-1]:
        # discover never enters a linked folder or the output folder: neither may an event. Every
        # parent is checked to be a real folder (not a link), so its real path is root_real/parts.
        folder = os.path.join(folder, part)
        folder_real = os.path.join(folder_real, part)
        try:
            st = os.lstat(folder)
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode) or folder_real in skip_real:
            return None
    path = os.path.join(folder, parts[-1])
    try:
        st = os.lstat(path)
    except OSError:
        return None  # gone already (moved on, deleted): nothing to do
    return classify(path, rel, st, root_real, include=include, exclude=exclude)


class EventBuffer:
    """Paths reported by watchdog's thread, drained by the watcher's thread; bounded."""

    def __init__(self, wake: threading.Event, drop: bool) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, None] = {}  # insertion-ordered set
        self._dirs: dict[str, None] = {}
        self._overflow = False
        self._wake = wake
        self._drop = drop
        self.received = 0
        self.dropped = 0

    def add(self, path: str, is_dir: bool) -> None:
        with self._lock:
            self.received += 1
            if self._drop:
                self.dropped += 1
                return
            if len(self._files) + len(self._dirs) >= MAX_EVENT_PATHS:
                # Like a kernel queue overflow: forget the paths, let a rescan find the files.
                self._files.clear()
                self._dirs.clear()
                self._overflow = True
            (self._dirs if is_dir else self._files)[path] = None
        self._wake.set()

    def drain(self) -> tuple[list[str], list[str], bool]:
        with self._lock:
            files, dirs, overflow = list(self._files), list(self._dirs), self._overflow
            self._files.clear()
            self._dirs.clear()
            self._overflow = False
        return files, dirs, overflow


def start_observer(root: Path, buffer: EventBuffer) -> object:
    """A recursive watchdog observer feeding ``buffer``; raises OSError (e.g. watch limit)."""
    from watchdog.events import (
        EVENT_TYPE_CLOSED,
        EVENT_TYPE_CREATED,
        EVENT_TYPE_MODIFIED,
        EVENT_TYPE_MOVED,
        DirCreatedEvent,
        DirMovedEvent,
        FileClosedEvent,
        FileCreatedEvent,
        FileModifiedEvent,
        FileMovedEvent,
        FileSystemEvent,
        FileSystemEventHandler,
    )
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def dispatch(self, event: FileSystemEvent) -> None:
            kind = event.event_type
            if kind == EVENT_TYPE_MOVED:
                path = event.dest_path  # moved in or renamed inside (x.part -> x)
            elif kind in (EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_CLOSED):
                path = event.src_path
            else:
                return
            if not path:
                return
            path = os.fsdecode(path)
            if event.is_directory:
                if kind != EVENT_TYPE_MODIFIED:  # a folder created or moved in: list it
                    buffer.add(path, True)
                return
            buffer.add(path, False)

    observer = Observer()
    # Only these event kinds reach the handler (and the kernel): our own reads of the inputs
    # (open, close without writing) never wake the watcher.
    kinds = [FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileMovedEvent, DirCreatedEvent, DirMovedEvent]
    try:
        observer.schedule(Handler(), str(root), recursive=True, event_filter=kinds)
    except TypeError:  # pragma: no cover - watchdog < 4.0 has no event_filter
        observer.schedule(Handler(), str(root), recursive=True)
    observer.start()
    return observer


def observer_alive(observer: object) -> bool:
    """The observer thread and every emitter thread still run."""
    emitters = getattr(observer, "emitters", ())
    return bool(observer.is_alive()) and all(e.is_alive() for e in emitters)  # type: ignore[attr-defined]


def relative(root: str, path: str) -> str | None:
    """``path`` (from an event) as a POSIX path under ``root``; None for the folder itself or outside it."""
    rel = os.path.relpath(path, root)
    if rel == "." or rel.startswith(".." + os.sep) or rel == ".." or os.path.isabs(rel):
        return None  # moved out of the folder, or the folder itself
    return rel.replace(os.sep, "/")


def hidden_folder(rel_dir: str) -> bool:
    """A folder with a hidden or temporary name in its path: never listed, so never watched either."""
    return any(p in ("", ".", "..") or is_partial_name(p) for p in rel_dir.split("/"))


class EventIntake:
    """The drop folder's observer and event buffer: started, drained, restarted by the watcher.

    ``drop``: the test hook that ignores every event (see ``INGEST_TEST_DROP_EVENTS``).
    """

    def __init__(self, root: Path, wake: threading.Event, *, drop: bool = False) -> None:
        self.root = root
        self.buffer = EventBuffer(wake, drop)
        self.observer: object | None = None

    def start(self) -> OSError | None:
        """Attach the observer (before a listing, so a file dropped meanwhile is not missed).

        Returns the error when the folder cannot be watched (inotify limit, unsupported file
        system): then only rescans find new files.
        """
        try:
            self.observer = start_observer(self.root, self.buffer)
        except OSError as e:
            self.observer = None
            return e
        return None

    def stop(self) -> None:
        observer, self.observer = self.observer, None
        if observer is not None:
            observer.stop()  # type: ignore[attr-defined]
            observer.join(timeout=5)  # type: ignore[attr-defined]

    def restart(self) -> OSError | None:
        self.stop()
        return self.start()

    @property
    def dead(self) -> bool:
        """The observer was started and one of its threads has died since."""
        return self.observer is not None and not observer_alive(self.observer)

    def drain(self) -> tuple[list[str], list[str], bool]:
        """(file paths, folder paths, overflowed) reported since the last drain."""
        return self.buffer.drain()

    @property
    def received(self) -> int:
        return self.buffer.received - self.buffer.dropped

    @property
    def ignored(self) -> int:
        return self.buffer.dropped


__all__ = ["EventBuffer", "EventIntake", "MAX_EVENT_PATHS", "examine", "hidden_folder", "relative", "start_observer"]
