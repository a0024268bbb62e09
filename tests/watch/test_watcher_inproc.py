"""The Watcher class in-process: fallbacks that a subprocess cannot easily provoke."""

from __future__ import annotations

import errno
import threading
from pathlib import Path

import pytest

import ingest.batch.watch_events as events_mod
from ingest.batch.runner import BatchConfig, Progress
from ingest.batch.watch import WatchConfig, Watcher
from ingest.batch.watch_events import EventBuffer

from .conftest import DEADLINE, article_text, drop, load_valid, outputs, wait_for


class _Running:
    """A Watcher on its own thread, with its notices and results collected."""

    def __init__(self, raw: Path, clean: Path, **kw: object) -> None:
        self.notices: list[tuple[str, str]] = []
        self.results: list[str] = []
        self.watcher = Watcher(
            WatchConfig(BatchConfig(raw, clean), **kw),  # type: ignore[arg-type]
            progress=Progress(on_result=lambda r: self.results.append(f"{r.status} {r.rel}")),
            notice=lambda code, msg: self.notices.append((code, msg)),
        )
        self.report: dict[str, object] | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.report = self.watcher.run()

    def stop(self) -> dict[str, object]:
        self.watcher.request_stop()
        self.thread.join(DEADLINE)
        assert not self.thread.is_alive()
        assert self.report is not None
        return self.report


def test_without_file_events_the_rescans_still_take_every_drop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_inotify(root: Path, buffer: object) -> object:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(events_mod, "start_observer", no_inotify)
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    w = _Running(raw, clean, settle=0.2, rescan=0.3)
    wait_for(lambda: any(code == "watching" for code, _ in w.notices), "watching")
    assert [code for code, _ in w.notices][0] == "no_events"
    for i in range(3):
        drop(raw / f"r-{i}.txt", article_text(i))
    wait_for(lambda: len(w.results) == 3, "3 results")
    report = w.stop()
    assert sorted(w.results) == [f"ok r-{i}.txt" for i in range(3)]
    assert report["watch"]["found_by_rescan"] == 3  # type: ignore[index]
    for path in outputs(clean).values():
        load_valid(path)


def test_an_overflowing_event_buffer_forgets_paths_and_asks_for_a_rescan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events_mod, "MAX_EVENT_PATHS", 3)
    buf = EventBuffer(threading.Event(), drop=False)
    for i in range(5):
        buf.add(f"/x/{i}.txt", False)
    files, dirs, overflow = buf.drain()
    assert overflow and files == ["/x/3.txt", "/x/4.txt"] and dirs == []
    assert buf.drain() == ([], [], False)


def test_dead_event_threads_are_restarted_by_the_next_rescan(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    w = _Running(raw, clean, settle=0.2, rescan=0.3)
    wait_for(lambda: any(code == "watching" for code, _ in w.notices), "watching")
    first = w.watcher._intake.observer
    assert first is not None
    for emitter in list(first.emitters):  # type: ignore[attr-defined]
        emitter.stop()  # as if watchdog's thread had died
    wait_for(lambda: any("stopped; watching it again" in msg for _, msg in w.notices), "the restart notice")
    assert w.watcher._intake.observer is not first
    drop(raw / "after.txt", article_text(4))
    wait_for(lambda: w.results == ["ok after.txt"], "the result")
    w.stop()
