"""Command line: a thin typer layer over the library. The only module that imports typer.

Typed errors become exit codes here and nowhere else.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from . import __version__
from .errors import ERROR_CODES, IngestError

if TYPE_CHECKING:  # the pipeline (ftfy, numpy, …) is imported by the commands that run it, not for --help
    from .config import IngestConfig
    from .dedup import DedupConfig
    from .options import Options

app = typer.Typer(
    name="ingest",
    help=(
        "Turn messy article files (text dumps, HTML pages, scraper JSON/JSONL) into clean, schema-valid JSON articles."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # click's plain help and usage errors: typer's rich panels import rich and markdown-it, which
    # cost more than the rest of `ingest --help` together (0.25 of 0.45 CPU s, issue 15).
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2


# Options shared by `run` and `watch` (None = not given: the config file or the default decides).
ConfigOpt = Annotated[
    Optional[Path],
    typer.Option("--config", help="Config file (default: ./ingest.toml or [tool.ingest] in ./pyproject.toml)."),
]
FormatOpt = Annotated[Optional[str], typer.Option("--format", help="Force the reader: text, html, json or jsonl.")]
AsciiQuotesOpt = Annotated[
    Optional[bool], typer.Option("--ascii-quotes", help="Turn typographic quotes into ASCII ones.")
]
KeepArtifactsOpt = Annotated[
    Optional[bool], typer.Option("--keep-artifacts", help="Do not remove header/trailer/boilerplate lines.")
]
NoLanguageOpt = Annotated[Optional[bool], typer.Option("--no-language", help="Do not run the language detector.")]
DisableFixOpt = Annotated[
    Optional[list[str]], typer.Option("--disable-fix", help="Skip a fix by its name (repeatable).")
]
MaxBytesOpt = Annotated[Optional[int], typer.Option("--max-bytes", help="Reject inputs larger than this many bytes.")]
HtmlExtractorOpt = Annotated[
    Optional[str], typer.Option("--html-extractor", help="HTML body extractor: builtin or trafilatura.")
]
FieldMapOpt = Annotated[Optional[list[str]], typer.Option("--map", help="JSON record mapping field=key (repeatable).")]
DedupThresholdOpt = Annotated[
    Optional[float],
    typer.Option(
        "--dedup-threshold",
        help="Jaccard similarity of word shingles at or above which two articles are near duplicates (default 0.7).",
    ),
]
IncludeOpt = Annotated[
    Optional[list[str]], typer.Option("--include", help="Only inputs matching this glob (repeatable).")
]
InputTimeoutOpt = Annotated[
    Optional[float],
    typer.Option(
        "--input-timeout",
        help=(
            "Seconds one input may take; a worker still on it then is stopped and replaced and the input gets `timeout`"
            " (default 60; 0: no limit)."
        ),
    ),
]
ExcludeOpt = Annotated[
    Optional[list[str]], typer.Option("--exclude", help="Leave out inputs matching this glob (repeatable).")
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ingest {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = None,
) -> None:
    """ingest: clean article files into normalised JSON."""


def build_options(
    *,
    ascii_quotes: bool = False,
    keep_artifacts: bool = False,
    no_language: bool = False,
    disable_fix: Optional[list[str]] = None,
    max_bytes: Optional[int] = None,
    html_extractor: str = "builtin",
    fmt: Optional[str] = None,
    field_map: Optional[list[str]] = None,
) -> Options:
    """Options from CLI flags alone (no config file); a bad value is a usage error (exit 2)."""
    from .config import IngestConfig

    return _options(
        IngestConfig(),
        ascii_quotes=ascii_quotes,
        keep_artifacts=keep_artifacts,
        no_language=no_language,
        disable_fix=disable_fix,
        max_bytes=max_bytes,
        html_extractor=html_extractor,
        fmt=fmt,
        field_map=field_map,
    )


def _options(cfg: IngestConfig, **flags: object) -> Options:
    """Options from the flags given over the config file over the defaults; a bad value is a usage error."""
    try:
        return cfg.options(**flags)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


def _write_utf8(text: str) -> None:
    """JSON on stdout is UTF-8 bytes, whatever encoding the locale gives sys.stdout."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def _error_line(code: str, message: str, where: str = "") -> str:
    from .cleancmd import error_line

    return error_line(code, message, where)


@app.command()
def clean(
    file: Annotated[str, typer.Argument(help="Article file to clean, or - for standard input.")],
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON output.")] = False,
    fmt: Annotated[
        Optional[str],
        typer.Option("--format", help="Force the reader: text, html, json or jsonl (default: by name and content)."),
    ] = None,
    ascii_quotes: AsciiQuotesOpt = None,
    keep_artifacts: KeepArtifactsOpt = None,
    no_language: NoLanguageOpt = None,
    disable_fix: Annotated[
        Optional[list[str]],
        typer.Option("--disable-fix", help="Skip a fix by its name (repeatable; see `ingest fixes`)."),
    ] = None,
    max_bytes: MaxBytesOpt = None,
    html_extractor: HtmlExtractorOpt = None,
    field_map: Annotated[
        Optional[list[str]], typer.Option("--map", help="JSON record mapping field=key, e.g. --map body=story_text.")
    ] = None,
    config: ConfigOpt = None,
    input_timeout: Annotated[
        Optional[float],
        typer.Option(
            "--input-timeout",
            help=(
                "Seconds cleaning may take, then exit 1 with error[timeout] (runs in a child process; default: no"
                " limit)."
            ),
        ),
    ] = None,
) -> None:
    """Clean one file (or stdin) and print the JSON article on stdout.

    Options not given as flags come from the config file (--config, ./ingest.toml or
    [tool.ingest] in ./pyproject.toml), as for `ingest run`; its input_timeout applies to runs only.

    A JSON/JSONL input with several records prints one JSON article per line. Exit codes:
    0 success, 1 the input (or a record) was rejected — `error[code]: message` on stderr —,
    2 usage error.
    """
    from .cleancmd import UsageProblem, clean_file

    try:
        code = clean_file(
            file,
            pretty=pretty,
            fmt=fmt,
            ascii_quotes=ascii_quotes,
            keep_artifacts=keep_artifacts,
            no_language=no_language,
            disable_fix=disable_fix,
            max_bytes=max_bytes,
            html_extractor=html_extractor,
            field_map=field_map,
            config=config,
            input_timeout=input_timeout,
        )
    except UsageProblem as e:
        raise typer.BadParameter(str(e)) from None
    raise typer.Exit(code)


def _config_or_exit(config: Optional[Path]) -> IngestConfig:
    """The config file's settings (none: an empty config); a bad file is a usage error (exit 2)."""
    from .config import ConfigError, load_config

    try:
        return load_config(config)
    except ConfigError as e:
        typer.echo(f"error[config]: {e}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _with_flags(cfg: IngestConfig, **flags: object) -> IngestConfig:
    """The config with the flags given laid over it; a malformed flag value is a usage error."""
    try:
        return cfg.with_flags(**flags)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


def _workers_from(cfg: IngestConfig) -> int:
    from .batch import default_workers

    n = cfg.workers if cfg.workers is not None else default_workers()
    if n < 1:
        raise typer.BadParameter("--workers must be at least 1")
    return n


_RUN_EPILOG = (
    "Exit codes: 0 all inputs ok (or --fail-on none); 1 some inputs or records were rejected; 2 usage or configuration"
    " error; 3 another run holds the output folder's lock; 4 environment error (output not writable, disk full) — no"
    " input is blamed for it; 130/143 stopped by SIGINT/SIGTERM (in-flight inputs finished and recorded, report written"
    " with status interrupted)."
)


@app.command(epilog=_RUN_EPILOG)
def run(
    raw_dir: Annotated[
        str,
        typer.Argument(
            help=(
                "Input folder (read only, searched recursively) or one file: a path or an fsspec URL (s3://, gs://, …)."
            )
        ),
    ] = "raw",
    clean_dir: Annotated[
        str, typer.Argument(help="Output folder (articles mirror the input tree): a path or an fsspec URL.")
    ] = "clean",
    workers: Annotated[
        Optional[int], typer.Option("--workers", "-w", help="Worker processes (default: number of cores).")
    ] = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Reprocess every input, changed or not.")] = False,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Also retry inputs that failed before.")] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove outputs of inputs deleted from the input folder.")
    ] = False,
    jsonl: Annotated[
        Optional[Path],
        typer.Option("--jsonl", help="Also write every article, in input-path order, to this JSON Lines file."),
    ] = None,
    jsonl_only: Annotated[
        bool,
        typer.Option(
            "--jsonl-only",
            help=(
                "Write only the --jsonl file: no article tree in CLEAN_DIR (the per-input articles incremental runs"
                " need stay in CLEAN_DIR/.ingest/articles)."
            ),
        ),
    ] = False,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait for another run on the same output folder instead of exiting 3.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the run report as JSON on stdout instead of the summary.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress and no summary; the exit code and report only.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="One line per failed input on stderr as it happens.")
    ] = False,
    fail_on: Annotated[
        Optional[str],
        typer.Option("--fail-on", help="any: exit 1 when an input or record was rejected; none: exit 0 anyway."),
    ] = None,
    config: ConfigOpt = None,
    executor: Annotated[
        Optional[str], typer.Option("--executor", help="local (process pool) or dask (needs ingest[dask]).")
    ] = None,
    scheduler: Annotated[
        Optional[str],
        typer.Option("--scheduler", help="Dask scheduler address; without it a local Dask cluster is started."),
    ] = None,
    state_dir: Annotated[
        Optional[Path],
        typer.Option(
            "--state-dir",
            help=(
                "Folder for the manifest, lock and report (default: CLEAN_DIR/.ingest; for a URL, a folder in the user"
                " cache)."
            ),
        ),
    ] = None,
    dedup: Annotated[
        Optional[bool],
        typer.Option(
            "--dedup",
            help=(
                "Keep the near-duplicate index current (see `ingest duplicates`); with --jsonl, each line gets"
                " cluster_id and is_canonical."
            ),
        ),
    ] = None,
    dedup_threshold: DedupThresholdOpt = None,
    fmt: FormatOpt = None,
    ascii_quotes: AsciiQuotesOpt = None,
    keep_artifacts: KeepArtifactsOpt = None,
    no_language: NoLanguageOpt = None,
    disable_fix: DisableFixOpt = None,
    max_bytes: MaxBytesOpt = None,
    html_extractor: HtmlExtractorOpt = None,
    field_map: FieldMapOpt = None,
    input_timeout: InputTimeoutOpt = None,
    output: Annotated[
        Optional[list[str]],
        typer.Option(
            "--output",
            help=(
                "What to write (repeatable): json (the article tree, default), jsonl (CLEAN_DIR/articles.jsonl, or"
                " --jsonl FILE), parquet (CLEAN_DIR/articles.parquet/, needs ingest[parquet])."
            ),
        ),
    ] = None,
    fields: Annotated[
        Optional[str],
        typer.Option(
            "--fields", help="Comma-separated article fields to write (id, doc_id and schema_version are always kept)."
        ),
    ] = None,
) -> None:
    """Clean every new or changed file of RAW_DIR into CLEAN_DIR (incremental, parallel, crash-safe).

    RAW_DIR may also be one file (a big WARC, a JSONL dump): it is the run's one input, as if its
    folder were given with only it selected.

    State lives in CLEAN_DIR/.ingest/: manifest.sqlite, report.ingest-json (written last: the success
    marker), rejected.ingest-jsonl and the lock. Outputs mirror the input tree: a/b.txt → a/b.txt.json;
    a record file (JSONL, JSON list) → a/b.jsonl.jsonl with one article per line.
    """
    from .batch import BatchError, make_executor, run_batch
    from .batch.storage import location

    cfg = _with_flags(
        _config_or_exit(config),
        workers=workers,
        fail_on=fail_on,
        include=include,
        exclude=exclude,
        jsonl=str(jsonl) if jsonl else None,
        jsonl_only=jsonl_only or None,
        output=output,
        fields=fields,
        executor=executor,
        scheduler=scheduler,
        dedup=dedup,
        dedup_threshold=dedup_threshold,
        fmt=fmt,
        ascii_quotes=ascii_quotes,
        keep_artifacts=keep_artifacts,
        no_language=no_language,
        disable_fix=disable_fix,
        max_bytes=max_bytes,
        html_extractor=html_extractor,
        field_map=field_map,
        input_timeout=input_timeout,
    )
    n_workers = _workers_from(cfg)
    _check_outputs(cfg)
    try:
        batch_config = cfg.batch_config(
            location(raw_dir),
            location(clean_dir),
            force=force,
            retry_failed=retry_failed,
            prune=prune,
            wait=wait,
            state_dir=state_dir,
        )
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    executor_name = cfg.executor or "local"
    sched = cfg.scheduler
    try:
        extra: dict[str, object] = {}
        if executor_name == "dask":
            extra = {"scheduler": sched, "announce": None if (quiet or as_json) else _echo_err}
        exe = make_executor(executor_name, n_workers, **extra)
    except ImportError as e:
        typer.echo(f"error[config]: the dask executor needs the extra: pip install 'ingest[dask]' ({e})", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None

    from .runner_ui import RunUI

    ui = RunUI(quiet=quiet or as_json, verbose=verbose)
    # SIGINT and SIGTERM (systemd, Airflow, kill): stop taking inputs, finish those in flight,
    # write the report, stop the workers, release the lock, exit 128 + signal. A second signal
    # kills the workers and exits at once (atomic writes: no partial output either way).
    from .batch import StopFlag, install_stop_handlers

    stop = StopFlag()

    def abort(code: int) -> None:
        kill = getattr(exe, "kill", None)
        if kill is not None:
            kill()
        import os

        os._exit(code)

    install_stop_handlers(stop, abort)
    try:
        with ui:
            if ui.interactive and isinstance(batch_config.raw_dir, Path):
                # Only for the bar on a terminal: one extra listing gives it a total.
                from .batch.discovery import discover

                entries = discover(
                    batch_config.raw_dir,
                    include=batch_config.include,
                    exclude=batch_config.exclude,
                    skip_dirs=[Path(batch_config.clean_dir)],
                )
                ui.set_total(sum(1 for _ in entries))
            report = run_batch(batch_config, executor=exe, progress=ui.progress(), stop=stop)
    except BatchError as e:
        typer.echo(f"error[{_BATCH_CODES.get(e.exit_code, 'run')}]: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    if as_json:
        _write_utf8(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    elif not quiet:
        ui.summary(report)
    if report.get("environment_error"):
        typer.echo(f"error[environment]: {report['environment_error']}", err=True)
    elif report.get("status") == "interrupted":
        typer.echo(
            f"error[interrupted]: stopped by {report.get('stopped_by')}; the inputs in flight were finished and"
            " recorded",
            err=True,
        )
    raise typer.Exit(int(report["exit_code"]))  # type: ignore[call-overload]


_BATCH_CODES = {2: "usage", 3: "locked", 4: "environment"}


def _check_outputs(cfg: IngestConfig) -> None:
    """A bad --output name is a usage error; parquet needs pyarrow (exit 2 with the install line)."""
    try:
        outputs = cfg.outputs()
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--output") from None
    if "parquet" in outputs:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            typer.echo("error[config]: --output parquet needs pyarrow: pip install 'ingest[parquet]'", err=True)
            raise typer.Exit(EXIT_USAGE) from None


def _echo_err(message: str) -> None:
    typer.echo(message, err=True)


_WATCH_EPILOG = (
    "Output: one line per processed file on stdout — `ok RAW -> OUT`, `unchanged RAW -> OUT`, "
    "`failed[code] RAW: message` — or JSON lines with --json; errors and notices on stderr. "
    "Stop with SIGINT/SIGTERM: files in flight finish, the report is written, exit 0; a second signal "
    "exits at once. Exit codes: 2 usage, 3 another run or watcher holds the output folder, 4 environment error."
)


@app.command(epilog=_WATCH_EPILOG)
def watch(
    raw_dir: Annotated[Path, typer.Argument(help="Drop folder to watch (recursively).")] = Path("raw"),
    clean_dir: Annotated[Path, typer.Argument(help="Output folder (articles mirror the input tree).")] = Path("clean"),
    workers: Annotated[
        Optional[int], typer.Option("--workers", "-w", help="Worker processes (default: number of cores).")
    ] = None,
    settle: Annotated[
        Optional[float],
        typer.Option(
            "--settle", help="Seconds a file's size and mtime must stay unchanged before it is read (default 1)."
        ),
    ] = None,
    rescan: Annotated[
        Optional[float],
        typer.Option("--rescan", help="Seconds between full rescans that catch missed events (default 60)."),
    ] = None,
    include: IncludeOpt = None,
    exclude: ExcludeOpt = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait for a run holding the output folder instead of exiting 3.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per processed file on stdout.")] = False,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    ascii_quotes: AsciiQuotesOpt = None,
    keep_artifacts: KeepArtifactsOpt = None,
    no_language: NoLanguageOpt = None,
    disable_fix: DisableFixOpt = None,
    max_bytes: MaxBytesOpt = None,
    html_extractor: HtmlExtractorOpt = None,
    field_map: FieldMapOpt = None,
    input_timeout: InputTimeoutOpt = None,
    output: Annotated[
        Optional[list[str]],
        typer.Option("--output", help="What to write, as for `ingest run`: json (default), jsonl, parquet."),
    ] = None,
    jsonl: Annotated[
        Optional[Path], typer.Option("--jsonl", help="Also keep every article in this JSON Lines file.")
    ] = None,
    dedup: Annotated[Optional[bool], typer.Option("--dedup", help="Keep the near-duplicate index current.")] = None,
    dedup_threshold: DedupThresholdOpt = None,
) -> None:
    """Watch RAW_DIR and clean every file dropped into it into CLEAN_DIR, until stopped.

    The long-running form of `ingest run`: a catch-up pass first, then watch events plus a rescan
    every --rescan seconds; a file is read only once it stopped changing for --settle seconds, and
    temporary names (*.part, *.tmp, *.crdownload, ~$*, dotfiles) wait until renamed. Same manifest,
    outputs, rejects file, change feed, report and lock as `ingest run`; the JSONL file, Parquet
    dataset and duplicate index are refreshed every 30 s while files arrive, and when it stops.
    """
    import signal

    from .batch import BatchError
    from .batch.watch import WatchConfig, Watcher, watch_executor
    from .faults import drop_watch_events
    from .watch_ui import WatchPrinter

    cfg = _with_flags(
        _config_or_exit(config),
        workers=workers,
        settle=settle,
        rescan=rescan,
        include=include,
        exclude=exclude,
        fmt=fmt,
        ascii_quotes=ascii_quotes,
        keep_artifacts=keep_artifacts,
        no_language=no_language,
        disable_fix=disable_fix,
        max_bytes=max_bytes,
        html_extractor=html_extractor,
        field_map=field_map,
        input_timeout=input_timeout,
        output=output,
        jsonl=str(jsonl) if jsonl else None,
        dedup=dedup,
        dedup_threshold=dedup_threshold,
    )
    if "://" in str(raw_dir):
        raise typer.BadParameter("ingest watch needs a local folder (use `ingest run` for URLs)")
    n_workers = _workers_from(cfg)
    _check_outputs(cfg)
    try:
        watch_config = WatchConfig(
            batch=cfg.batch_config(raw_dir, clean_dir, wait=wait),
            settle=1.0 if cfg.settle is None else cfg.settle,
            rescan=60.0 if cfg.rescan is None else cfg.rescan,
            drop_events=drop_watch_events(),
        )
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    printer = WatchPrinter(raw_dir, clean_dir, as_json=as_json)
    watcher = Watcher(
        watch_config, executor=watch_executor(n_workers), progress=printer.progress(), notice=printer.notice
    )
    printer.on_closed = lambda: watcher.request_stop("standard output closed")
    signal.signal(signal.SIGINT, watcher.handle_signal)
    signal.signal(signal.SIGTERM, watcher.handle_signal)
    try:
        report = watcher.run()
    except BatchError as e:
        typer.echo(f"error[{_BATCH_CODES.get(e.exit_code, 'run')}]: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    printer.summary(report)  # an environment error was already printed by the watcher, once
    raise typer.Exit(int(report["exit_code"]))  # type: ignore[call-overload]


@app.command()
def status(
    clean_dir: Annotated[
        str, typer.Argument(help="Output folder of earlier runs (a path or an fsspec URL).")
    ] = "clean",
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
    state_dir: Annotated[
        Optional[Path], typer.Option("--state-dir", help="The --state-dir the runs used, if any.")
    ] = None,
) -> None:
    """Show the manifest of CLEAN_DIR: counts, the last run, and every failed input with its reason."""
    from .batch import BatchError, read_status

    try:
        from .batch.storage import location

        info = read_status(location(clean_dir), state_dir)
    except BatchError as e:
        typer.echo(f"error[usage]: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    if as_json:
        _write_utf8(json.dumps(info, ensure_ascii=False, indent=2) + "\n")
        return
    from .runner_ui import print_status

    print_status(info)


def _dedup_config(threshold: Optional[float], cfg: IngestConfig) -> DedupConfig:
    """The near-duplicate settings from the flag or config file; a bad threshold is a usage error."""
    from .dedup import DedupConfig

    value = threshold if threshold is not None else cfg.dedup_threshold
    try:
        return DedupConfig() if value is None else DedupConfig(threshold=float(value))
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


@app.command("dedup")
def dedup_cmd(
    clean_dir: Annotated[
        str, typer.Argument(help="Output folder of earlier runs (its article files are read).")
    ] = "clean",
    threshold: DedupThresholdOpt = None,
    state_dir: Annotated[
        Optional[Path], typer.Option("--state-dir", help="The --state-dir the runs used, if any.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Build or refresh the near-duplicate index of CLEAN_DIR (CLEAN_DIR/.ingest/dedup.sqlite).

    Reads the article files that are new or changed since the last refresh (the manifest says
    which, else size and mtime do) and forgets those that are gone. Exit codes: 0 done, 2 usage,
    3 a run holds the output folder, 4 environment error.
    """
    import sqlite3

    from .batch.layout import Layout
    from .batch.lock import FolderLock, LockHeld
    from .batch.storage import is_remote, location
    from .dedup import refresh

    cfg = _config_or_exit(config)
    settings = _dedup_config(threshold, cfg)
    clean = location(clean_dir)
    if not is_remote(clean) and not Path(clean).is_dir():
        typer.echo(f"error[usage]: the output folder {clean_dir} does not exist or is not a folder", err=True)
        raise typer.Exit(EXIT_USAGE)
    layout = Layout.of(clean, state_dir)
    state = layout.state
    lock = FolderLock(layout.lock)
    try:
        lock.acquire()
    except LockHeld as e:
        typer.echo(f"error[locked]: {e}", err=True)
        raise typer.Exit(3) from None
    except OSError as e:
        typer.echo(f"error[environment]: cannot use the state folder {state}: {e.strerror or e}", err=True)
        raise typer.Exit(4) from None
    try:
        info = refresh(clean, state, settings)
    except (OSError, sqlite3.Error) as e:
        typer.echo(f"error[environment]: cannot update the duplicate index: {e}", err=True)
        raise typer.Exit(4) from None
    finally:
        lock.release()
    if as_json:
        _write_utf8(json.dumps(info, ensure_ascii=False, indent=2) + "\n")
        return
    typer.echo(
        f"{info['articles']} articles indexed ({info['docs_added']} added, {info['docs_removed']} removed"
        f"{', index rebuilt for new settings' if info['rebuilt'] else ''}); "
        f"{info['clusters']} duplicate clusters holding {info['clustered_articles']} articles"
    )


@app.command()
def duplicates(
    clean_dir: Annotated[str, typer.Argument(help="Output folder whose duplicate index to read.")] = "clean",
    state_dir: Annotated[
        Optional[Path], typer.Option("--state-dir", help="The --state-dir the runs used, if any.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the clusters as JSON.")] = False,
) -> None:
    """List the clusters of near-duplicate articles: members (canonical first is marked *) and verified pairs.

    Build the index first with `ingest dedup CLEAN_DIR` or `ingest run --dedup`. A cluster's id
    is its smallest document key (the output path, plus #record for record files), which is also
    its canonical article.
    """
    from .batch.layout import Layout
    from .batch.storage import location
    from .dedup import read_index

    state = Layout.of(location(clean_dir), state_dir).state
    try:
        index = read_index(state)
    except FileNotFoundError:
        typer.echo(f"error[usage]: no duplicate index in {state} (run `ingest dedup {clean_dir}` first)", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    try:
        counts = index.counts()
        if as_json:
            out = sys.stdout.buffer
            sys.stdout.flush()
            head = json.dumps({"counts": counts}, ensure_ascii=False)[:-1]
            out.write((head + ',"clusters":[').encode("utf-8"))
            for i, cluster in enumerate(index.clusters()):
                out.write((("," if i else "") + json.dumps(cluster.to_dict(), ensure_ascii=False)).encode("utf-8"))
            out.write(b"]}\n")
            out.flush()
            return
        for cluster in index.clusters():
            typer.echo(f"cluster {cluster.cluster_id} ({len(cluster.members)} articles)")
            best: dict[str, float] = {}
            for a, b, sim in cluster.pairs:
                best[a] = max(best.get(a, 0.0), sim)
                best[b] = max(best.get(b, 0.0), sim)
            for key in cluster.members:
                mark = "*" if key == cluster.cluster_id else " "
                typer.echo(f"  {mark} {key}  (best match {best.get(key, 0.0):.2f})")
        typer.echo(
            f"{counts['clusters']} clusters, {counts['clustered_articles']} of {counts['articles']} articles; "
            f"{counts['duplicates']} duplicates beyond one per cluster"
        )
    finally:
        index.close()


@app.command()
def changes(
    clean_dir: Annotated[Path, typer.Argument(help="Output folder of earlier runs.")] = Path("clean"),
    since: Annotated[
        Optional[str], typer.Option("--since", help="Print the changes of every run after this run id.")
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Print the changes of every recorded run.")] = False,
    state_dir: Annotated[
        Optional[Path], typer.Option("--state-dir", help="The --state-dir the runs used, if any.")
    ] = None,
) -> None:
    """Print which articles runs added, changed and removed: one JSON object per line.

    Without --since: the last run's changes. Each line: run_id, change (added, changed, removed),
    doc_id, id, input, output (relative to CLEAN_DIR), line (in output) and record.
    """
    from .batch.layout import Layout
    from .exports.changes import read_changes

    layout = Layout.of(clean_dir, state_dir)
    state = layout.state
    if not layout.changes.is_dir():
        typer.echo(f"error[usage]: no change feed in {clean_dir} (run `ingest run` first)", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        lines = [json.dumps(c, ensure_ascii=False) + "\n" for c in read_changes(state, since, every=every)]
    except KeyError:
        typer.echo(f"error[usage]: no run {since!r} in the change feed of {clean_dir}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    _write_utf8("".join(lines))


@app.command()
def explain(
    file: Annotated[str, typer.Argument(help="Article file to explain.")],
    record: Annotated[
        Optional[int], typer.Option("--record", help="Which record of a JSON/JSONL file (default: the first).")
    ] = None,
    fmt: FormatOpt = None,
    field_map: FieldMapOpt = None,
) -> None:
    """Show what cleaning did to FILE: each change with the fix that made it, removed lines, fields and their sources.

    A terminal gets colours (rich); a pipe or file gets plain text.
    """
    from .explain import explain_file

    options = build_options(fmt=fmt, field_map=field_map)
    try:
        data = Path(file).read_bytes()
    except OSError as e:
        typer.echo(_error_line("unreadable", f"{file}: {e.strerror or e}"), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    try:
        explain_file(data, path=file, options=options, record=record)
    except IngestError as e:
        typer.echo(_error_line(e.code, e.message, f"{file}: "), err=True)
        raise typer.Exit(EXIT_INPUT) from None


@app.command()
def schema() -> None:
    """Print the JSON Schema every article validates against."""
    from .schema import schema_text

    _write_utf8(schema_text())


@app.command()
def fixes() -> None:
    """List the text fixes in plan order, with their names (as used by --disable-fix and in articles)."""
    from .fixes import REGISTRY

    for f in REGISTRY:
        flag = "" if f.default else "  (off by default)"
        typer.echo(f"{f.name:26} {f.phase:6} {f.summary}{flag}")


@app.command("errors")
def error_codes() -> None:
    """List the error codes a rejected input can get, then the reasons an entry is skipped."""
    from .errors import SKIP_REASONS

    for code, doc in ERROR_CODES.items():
        typer.echo(f"{code:20} {doc}")
    typer.echo("\nskipped (not an input, or not this time; not a rejection):")
    for code, doc in SKIP_REASONS.items():
        typer.echo(f"{code:20} {doc}")


def main() -> None:
    """The typer app (the console script, :func:`ingest.console.main`, runs a plain `ingest clean` itself)."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["app", "main", "build_options", "json"]
