"""The run report's shape, for type checkers: what :func:`ingest.run_batch` returns.

At run time the report is a plain ``dict`` (it is also saved as JSON, in
``<state>/report.ingest-json``); these ``TypedDict`` classes only name its keys and their types,
so that ``report["counts"]["failed"]`` type-checks in a user's script.
"""

from __future__ import annotations

from typing import Any, TypedDict


class RunCounts(TypedDict):
    """``report["counts"]``: inputs by outcome, and the articles written."""

    seen: int
    ok: int
    failed: int
    skipped: int
    not_done: int
    articles_written: int
    records_failed: int
    deleted_inputs: int
    pruned: int


class RunOptions(TypedDict):
    """``report["options"]``: the run settings that are not article options (those make ``fingerprint``)."""

    force: bool
    retry_failed: bool
    prune: bool
    include: list[str]
    exclude: list[str]
    fail_on: str


class Throughput(TypedDict):
    """``report["throughput"]`` (None when the run took no measurable time)."""

    inputs_per_s: float | None
    articles_per_s: float | None


class _RunReportBase(TypedDict):
    tool: str
    version: str
    run_id: str
    status: str  # finished, interrupted or aborted
    exit_code: int
    started: str
    finished: str
    duration_s: float
    input_dir: str
    output_dir: str
    executor: str
    workers: int
    fingerprint: str
    options: RunOptions
    counts: RunCounts
    skipped_by_reason: dict[str, int]
    errors: dict[str, int]  # error code → inputs and records that got it
    fixes: dict[str, int]  # fix name → changes it made, summed over the run's articles
    warnings: dict[str, int]
    records_skipped: dict[str, int]
    throughput: Throughput
    temp_files_swept: int
    input_timeout_s: float | None
    workers_replaced: int
    stopped_by: str | None
    unsafe_state_paths: int
    changes: dict[str, int] | None
    parquet: dict[str, Any] | None
    environment_error: str | None
    failures: list[dict[str, Any]]
    skipped_entries: list[dict[str, str]]
    report_path: str | None


class RunReport(_RunReportBase, total=False):
    """What :func:`ingest.run_batch` returns (README "Batch runs" explains each key)."""

    dedup: dict[str, Any]  # only with ``BatchConfig.dedup``


__all__ = ["RunCounts", "RunOptions", "RunReport", "Throughput"]
