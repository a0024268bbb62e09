"""Helpers for ``ingest watch`` tests: a real watcher process on temp folders, polled, never slept on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checks import assert_valid_article, ingest_exe

DEADLINE = 60.0  # generous: two busy cores shared with other test processes

TOWNS = ["Veldmark", "Brekka", "Saltholm", "Haldenburg", "Zarechye", "Tidewater", "Marrow", "Cape Vell"]
THINGS = ["bridge", "library", "tram depot", "ferry pier", "town hall", "market hall"]


def article_text(i: int) -> str:
    """A small, distinct article."""
    town, thing = TOWNS[i % len(TOWNS)], THINGS[i % len(THINGS)]
    return (
        f"{town} rebuilds its {thing}\n\n"
        f"The council of {town} voted on Tuesday to rebuild the old {thing}, ending a debate that had "
        f"lasted {i + 2} years. Residents had asked for the repair since the winter floods.\n\n"
        f"Work starts in spring, the mayor said, and the budget of {i + 3} million crowns is set aside.\n"
    )


def drop(path: Path, text: str) -> None:
    """Drop a file the way producers should: write a temp name, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def wait_for(cond: Callable[[], Any], what: str, deadline: float = DEADLINE, proc: "Watch | None" = None) -> Any:
    """Poll ``cond`` until it returns something truthy; fail with ``what`` after ``deadline`` s."""
    end = time.monotonic() + deadline
    while True:
        value = cond()
        if value:
            return value
        if proc is not None and proc.proc.poll() is not None:
            for t in proc._threads:  # the last lines may still be in the pipes
                t.join(timeout=10)
            value = cond()
            if value:
                return value
            raise AssertionError(
                f"watcher exited ({proc.proc.returncode}) while waiting for {what}\n{proc.stderr_text()}"
            )
        if time.monotonic() > end:
            extra = f"\nstderr:\n{proc.stderr_text()}" if proc is not None else ""
            raise AssertionError(f"timed out after {deadline:.0f}s waiting for {what}{extra}")
        time.sleep(0.05)


class Watch:
    """A running ``ingest watch`` with its stdout lines (and when each arrived) collected."""

    def __init__(
        self, raw: Path, clean: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> None:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
        full_env["PYTHONIOENCODING"] = "utf-8"
        full_env.update(env or {})
        self.raw, self.clean = raw, clean
        self.proc = subprocess.Popen(
            [*ingest_exe(), "watch", str(raw), str(clean), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=full_env,
            cwd=cwd,
        )
        self.lines: list[tuple[float, str]] = []
        self.err: list[str] = []
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, True), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, False), daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _pump(self, stream: Any, is_out: bool) -> None:
        for line in stream:
            with self._lock:
                if is_out:
                    self.lines.append((time.monotonic(), line.rstrip("\n")))
                else:
                    self.err.append(line.rstrip("\n"))

    def out(self) -> list[str]:
        with self._lock:
            return [line for _, line in self.lines]

    def stderr_text(self) -> str:
        with self._lock:
            return "\n".join(self.err[-40:])

    def ok_lines(self) -> list[str]:
        return [line for line in self.out() if line.startswith("ok ")]

    def wait_watching(self) -> None:
        wait_for(lambda: any("watching" in e for e in list(self.err)), "the watcher to start watching", proc=self)

    def wait_ok(self, n: int, deadline: float = DEADLINE) -> list[str]:
        return wait_for(lambda: len(self.ok_lines()) >= n and self.ok_lines(), f"{n} ok lines", deadline, proc=self)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = DEADLINE) -> int:
        """Send one signal and wait for the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.wait_exit(timeout)

    def wait_exit(self, timeout: float = DEADLINE) -> int:
        rc = self.proc.wait(timeout=timeout)
        for t in self._threads:
            t.join(timeout=10)
        return rc

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def report(self) -> dict[str, Any]:
        return json.loads((self.clean / ".ingest" / "report.ingest-json").read_text(encoding="utf-8"))


@pytest.fixture
def start_watch() -> Any:
    """Start watchers; any still running at the end of the test is killed."""
    started: list[Watch] = []

    def start(raw: Path, clean: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Watch:
        w = Watch(raw, clean, *args, env=env, cwd=cwd)
        started.append(w)
        return w

    yield start
    for w in started:
        w.kill()


def outputs(clean: Path) -> dict[str, Path]:
    """Article files under ``clean`` (state folder excluded), by path relative to it."""
    found = {}
    for p in clean.rglob("*.json"):
        rel = p.relative_to(clean).as_posix()
        if not rel.startswith(".ingest/"):
            found[rel] = p
    return found


def temp_files(clean: Path) -> list[Path]:
    return [p for p in clean.rglob("*") if p.name.endswith(".ingest-tmp")]


def load_valid(path: Path) -> dict[str, Any]:
    obj = json.loads(path.read_text(encoding="utf-8"))
    assert_valid_article(obj)
    return obj


__all__ = ["DEADLINE", "Watch", "article_text", "drop", "load_valid", "outputs", "temp_files", "wait_for", "sys"]
