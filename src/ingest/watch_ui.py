"""Terminal front end of ``ingest watch``: one line per processed file, notices on stderr.

stdout carries only the per-file lines (text or JSON lines), flushed one by one so a pipe
(``ingest watch raw clean | …``) sees each file as soon as it is done. Everything else — the
"watching" notice, errors with their file name and code, rejected records, the final summary —
goes to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from .batch.manifest import display_path
from .batch.runner import Progress
from .batch.worker import Result
from .runner_ui import _safe


class WatchPrinter:
    """Formats the watcher's results and notices."""

    def __init__(
        self,
        raw_dir: Path,
        clean_dir: Path,
        *,
        as_json: bool,
        out: TextIO | None = None,
        err: TextIO | None = None,
        on_closed: Callable[[], None] | None = None,
    ) -> None:
        self.raw_dir = raw_dir
        self.clean_dir = clean_dir
        self.as_json = as_json
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.on_closed = on_closed  # the reader of stdout went away (``ingest watch … | head``)
        self._closed = False

    def _err(self, line: str) -> None:
        self.err.write(line + "\n")
        self.err.flush()

    def _input(self, rel: str) -> str:
        return str(self.raw_dir / display_path(rel))

    def _output(self, rel: str | None) -> str | None:
        return str(self.clean_dir / rel) if rel else None

    def on_result(self, res: Result) -> None:
        if res.env_error is not None:
            return  # not the file's fault: reported once as an environment error
        src = self._input(res.rel)
        if self.as_json:
            obj: dict[str, Any] = {
                "status": res.status,
                "input": src,
                "path": display_path(res.rel),
                "output": self._output(res.output),
            }
            if res.status == "ok":
                obj["articles"] = max(1, res.records_ok)
                obj["records_failed"] = res.records_failed
            if res.status in ("failed", "skipped"):
                obj["code"] = res.error_code
                obj["message"] = res.error_message
            line = json.dumps(obj, ensure_ascii=False, sort_keys=True)
        elif res.status in ("failed", "skipped"):  # skipped: changed while read or vanished; taken again
            line = f"{res.status}[{res.error_code}] {_safe(src)}: {_safe(res.error_message or '')}"
        else:
            line = f"{res.status} {_safe(src)} -> {_safe(self._output(res.output) or '')}"
        self._write(line)
        if res.status == "failed":
            self._err(f"error[{res.error_code}]: {_safe(src)}: {_safe(res.error_message or '')}")
        elif res.status == "ok":
            for rec, code, msg in res.rejects:
                self._err(f"error[{code}]: {_safe(src)}: record {rec}: {_safe(msg)}")

    def _write(self, line: str) -> None:
        if self._closed:
            return
        try:
            self.out.write(line + "\n")
            self.out.flush()
        except BrokenPipeError:
            # Whoever read our lines is gone: stop like on SIGTERM (the report is still written).
            self._closed = True
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, self.out.fileno())  # so the interpreter's final flush does not fail
                os.close(devnull)
            except (OSError, ValueError):
                pass
            if self.on_closed is not None:
                self.on_closed()

    def on_skip(self, rel: str, reason: str) -> None:
        if reason not in ("unchanged", "unchanged_failed"):
            self._err(f"skipped[{reason}]: {_safe(self._input(rel))}")

    def progress(self) -> Progress:
        return Progress(on_result=self.on_result, on_skip=self.on_skip)

    def notice(self, code: str, message: str) -> None:
        prefix = "error" if code in ("environment", "no_events", "no_input") else "ingest watch"
        self._err(f"{prefix}[{code}]: {_safe(message)}" if prefix == "error" else f"{prefix}: {_safe(message)}")

    def summary(self, report: dict[str, Any]) -> None:
        c = report["counts"]
        w = report.get("watch", {})
        delay = (w.get("delay_s") or {}).get("median")
        self._err(
            f"ingest watch {report['run_id']} {report['status']}: {c['ok']} ok, {c['failed']} failed, "
            f"{c['skipped']} skipped, {c['articles_written']} articles"
            + (f"; median delay {delay:.2f}s" if delay is not None else "")
            + f"; report: {report['output_dir']}/.ingest/report.ingest-json"
        )
