"""Terminal front end of ``ingest run`` / ``ingest status``: progress bar, summary table.

A progress bar (rich, on stderr) only when stderr is a terminal; in cron or a pipe the run prints
nothing but its summary, so scheduled mail stays short.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from .batch.manifest import display_path
from .batch.runner import Progress
from .batch.worker import Result

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress


def _safe(text: str) -> str:
    """Control and bidi characters escaped so a file name cannot garble a terminal or a report."""
    out = []
    for ch in text:
        o = ord(ch)
        if (
            o < 0x20
            or o == 0x7F
            or 0x80 <= o < 0xA0
            or 0x202A <= o <= 0x202E
            or 0x2066 <= o <= 0x2069
            or o in (0x200E, 0x200F, 0x061C)
        ):
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


class RunUI:
    """Progress while running, then a summary."""

    def __init__(self, *, quiet: bool, verbose: bool) -> None:
        self.quiet = quiet
        self.verbose = verbose
        # soft_wrap: one event per line in a log or a pipe, never re-wrapped at 80 columns
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)
        self.out = Console(highlight=False, soft_wrap=True)
        self._bar: RichProgress | None = None
        self._task: Any = None
        self._done = 0
        self._skipped = 0
        self._failed = 0

    def __enter__(self) -> RunUI:
        if not self.quiet and sys.stderr.isatty():
            # Imported only here: a run without a bar (--quiet, --json, cron, a pipe) never loads it.
            from rich.progress import BarColumn, Progress as RichProgress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = RichProgress(
                SpinnerColumn(),
                TextColumn("[bold]ingest run"),
                BarColumn(bar_width=None),
                TextColumn("{task.fields[stats]}"),
                TimeElapsedColumn(),
                console=self.err,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("run", total=None, stats="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    @property
    def interactive(self) -> bool:
        """A progress bar is shown (stderr is a terminal and not --quiet)."""
        return self._bar is not None

    def set_total(self, total: int) -> None:
        """The number of entries the run will see, when the front end counted them first."""
        if self._bar is not None:
            self._bar.update(self._task, total=total)

    def _tick(self) -> None:
        if self._bar is not None:
            self._bar.update(
                self._task,
                completed=self._done + self._skipped,
                stats=f"{self._done} processed · {self._skipped} skipped · {self._failed} failed",
            )

    def progress(self) -> Progress:
        def on_result(res: Result) -> None:
            if res.status in ("unchanged", "skipped"):
                self._skipped += 1
                if res.status == "skipped" and self.verbose:
                    self.err.print(f"skipped[{res.error_code}]: {_safe(display_path(res.rel))}", markup=False)
            else:
                self._done += 1
            if res.status == "failed" and res.env_error is None:
                self._failed += 1
                if self.verbose:
                    self.err.print(
                        f"error[{res.error_code}]: {_safe(display_path(res.rel))}: {_safe(res.error_message or '')}",
                        markup=False,
                    )
            elif res.records_failed and self.verbose:
                for rec, code, msg in res.rejects:
                    self.err.print(
                        f"error[{code}]: {_safe(display_path(res.rel))}: record {rec}: {_safe(msg)}", markup=False
                    )
            self._tick()

        def on_skip(rel: str, reason: str) -> None:
            self._skipped += 1
            if self.verbose and reason not in ("unchanged", "unchanged_failed"):
                self.err.print(f"skipped[{reason}]: {_safe(display_path(rel))}", markup=False)
            self._tick()

        return Progress(on_result=on_result, on_skip=on_skip)

    def summary(self, report: dict[str, Any]) -> None:
        c = report["counts"]
        tp = report["throughput"]
        if self.out.is_terminal:
            table = Table(title=f"ingest run {report['run_id']} — {report['status']}", show_header=True)
            table.add_column("inputs", justify="left")
            table.add_column("count", justify="right")
            for key in (
                "seen",
                "ok",
                "failed",
                "skipped",
                "articles_written",
                "records_failed",
                "deleted_inputs",
                "pruned",
            ):
                if key in ("records_failed", "deleted_inputs", "pruned", "not_done") and not c.get(key):
                    continue
                table.add_row(key.replace("_", " "), str(c[key]))
            self.out.print(table)
        else:
            parts = [f"{k.replace('_', ' ')} {c[k]}" for k in ("seen", "ok", "failed", "skipped", "articles_written")]
            parts += [
                f"{k.replace('_', ' ')} {c[k]}"
                for k in ("records_failed", "deleted_inputs", "pruned", "not_done")
                if c.get(k)
            ]
            self.out.print(f"ingest run {report['run_id']} {report['status']}: " + ", ".join(parts), markup=False)
        if report["errors"]:
            self.out.print("errors: " + ", ".join(f"{k} {v}" for k, v in report["errors"].items()), markup=False)
        for f in report["failures"][:10]:
            self.out.print(f"  error[{f['code']}]: {_safe(str(f['path']))}: {_safe(str(f['message']))}", markup=False)
        if len(report["failures"]) > 10:
            self.out.print(
                f"  … and {len(report['failures']) - 10} more (ingest status {report['output_dir']})", markup=False
            )
        if report["skipped_by_reason"]:
            self.out.print(
                "skipped: " + ", ".join(f"{k} {v}" for k, v in report["skipped_by_reason"].items()), markup=False
            )
        if c["deleted_inputs"] and not c["pruned"]:
            self.out.print(
                f"{c['deleted_inputs']} input(s) deleted since an earlier run; --prune removes their outputs",
                markup=False,
            )
        rate = tp.get("articles_per_s") if c["ok"] + c["failed"] else None
        self.out.print(
            f"{report['duration_s']:.2f}s, {rate if rate is not None else '-'} articles/s, {report['workers']}"
            " worker(s); "
            + (
                f"report: {report['report_path']}"
                if report.get("report_path")
                else "no report could be written (see the error below)"
            ),
            markup=False,
        )


def print_status(info: dict[str, Any]) -> None:
    """Human-readable ``ingest status``."""
    out = Console(highlight=False, soft_wrap=True)
    inputs = info["inputs"]
    out.print(
        f"{info['output_dir']}: {inputs['total']} inputs known — {inputs['ok']} ok, {inputs['failed']} failed",
        markup=False,
    )
    last = info["last_run"]
    if last:
        counts = last.get("counts") or {}
        out.print(
            f"last run {last['run_id']}: {last['status']}, exit {last.get('exit_code')}, finished"
            f" {last.get('finished')}"
            + (
                f", {counts.get('ok', 0)} ok / {counts.get('failed', 0)} failed / {counts.get('skipped', 0)} skipped"
                if counts
                else ""
            ),
            markup=False,
        )
    for f in info["failed"]:
        out.print(f"  error[{f['code']}]: {_safe(str(f['path']))}: {_safe(str(f['message'] or ''))}", markup=False)
    for r in info.get("rejected_records", ()):
        shown = r["records"]
        reasons = "; ".join(
            ("" if x["record"] is None else f"record {x['record']} ")
            + f"error[{x['code']}]: {_safe(str(x['message']))}"
            for x in shown
        )
        more = r["records_failed"] - len(shown)
        reasons += f"; and {more} more (see rejected.ingest-jsonl)" if more > 0 else ""
        out.print(f"  {r['records_failed']} record(s) rejected: {_safe(str(r['path']))}: {reasons}", markup=False)
