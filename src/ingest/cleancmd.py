"""``ingest clean``: the command's work, without typer (the console script is :mod:`ingest.console`).

A shell loop, a file-manager action or a per-file hook starts one process per file, so
``ingest clean FILE`` must be ready fast (issue 15: at most 3× the ftfy CLI). Typer costs about
0.25 CPU s before any work: its import, and a pydantic validator built for every parameter on
each call. So the console script (:func:`ingest.console.main`) parses a plain ``ingest clean …`` command line
itself with :data:`OPTIONS` and runs :func:`clean_file`; everything else — other commands,
``--help``, an unknown or malformed option, a value :func:`clean_file` rejects as a usage
error — goes to the typer app in :mod:`ingest.cli`, which prints its usual message. The typer
command ``clean`` calls the same :func:`clean_file`; a test checks that :data:`OPTIONS` and the
typer command declare the same options.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NoReturn

if TYPE_CHECKING:
    from .options import Options

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2

#: ``ingest clean``'s options: (flag, parameter name, type, repeatable). bool: a flag.
OPTIONS: tuple[tuple[str, str, type, bool], ...] = (
    ("--pretty", "pretty", bool, False),
    ("--format", "fmt", str, False),
    ("--ascii-quotes", "ascii_quotes", bool, False),
    ("--keep-artifacts", "keep_artifacts", bool, False),
    ("--no-language", "no_language", bool, False),
    ("--disable-fix", "disable_fix", str, True),
    ("--max-bytes", "max_bytes", int, False),
    ("--html-extractor", "html_extractor", str, False),
    ("--map", "field_map", str, True),
    ("--config", "config", Path, False),
    ("--input-timeout", "input_timeout", float, False),
)


class UsageProblem(ValueError):
    """A bad option value (exit 2); raised before anything is read or written."""


def error_line(code: str, message: str, where: str = "") -> str:
    """The one stderr line of a rejected input: ``error[code]: where message`` (newlines escaped)."""
    safe = message.replace("\n", "\\n")
    return f"error[{code}]: {where}{safe}"


def _say(line: str) -> None:
    sys.stdout.flush()
    print(line, file=sys.stderr, flush=True)


def clean_file(
    file: str,
    *,
    pretty: bool = False,
    fmt: str | None = None,
    ascii_quotes: bool | None = None,
    keep_artifacts: bool | None = None,
    no_language: bool | None = None,
    disable_fix: list[str] | None = None,
    max_bytes: int | None = None,
    html_extractor: str | None = None,
    field_map: list[str] | None = None,
    config: Path | None = None,
    input_timeout: float | None = None,
) -> int:
    """Clean ``file`` (``-``: standard input) and write the JSON article(s) to stdout; returns the exit code.

    Options not given (None) come from the config file, then the defaults (see
    :mod:`ingest.config`). Rejections print ``error[code]: …`` lines on stderr (exit 1); a bad
    config file prints ``error[config]: …`` (exit 2).

    Raises:
        UsageProblem: a bad option value, before anything is read.
    """
    from dataclasses import replace

    from .config import ConfigError, load_config

    try:
        cfg = load_config(config)
    except ConfigError as e:
        _say(f"error[config]: {e}")
        return EXIT_USAGE
    try:
        options = cfg.options(
            ascii_quotes=ascii_quotes,
            keep_artifacts=keep_artifacts,
            no_language=no_language,
            disable_fix=disable_fix,
            max_bytes=max_bytes,
            html_extractor=html_extractor,
            fmt=fmt,
            field_map=field_map,
        )
        if input_timeout is not None and input_timeout > 0:
            options = replace(options, timeout=input_timeout)
    except ValueError as e:
        raise UsageProblem(str(e)) from None
    # A file object, not its bytes: iter_articles reads at most --max-bytes + 1 of an input, but
    # streams a WARC file record by record (the cap is then each record's).
    data: BinaryIO
    if file == "-":
        data = sys.stdin.buffer
        path: str | None = None
    else:
        p = Path(file)
        try:
            if not p.exists():
                _say(error_line("not_found", f"{file}: no such file"))
                return EXIT_INPUT
            if not p.is_file():
                _say(error_line("not_a_file", f"{file}: not a regular file"))
                return EXIT_USAGE
            data = open(p, "rb")  # noqa: SIM115 - closed below, after its articles are written
            size = os.fstat(data.fileno()).st_size
            if size > options.max_bytes and not (options.format is None and _is_warc(data)):
                data.close()
                _say(
                    error_line(
                        "too_large", f"input is {size:,} bytes, over the {options.max_bytes:,}-byte cap", f"{file}: "
                    )
                )
                return EXIT_INPUT
        except OSError as e:
            _say(error_line("unreadable", f"{file}: {e.strerror or e}"))
            return EXIT_INPUT
        path = file
    try:
        return _write_articles(data, file, path, options, pretty)
    finally:
        if data is not sys.stdin.buffer:
            data.close()


def _is_warc(fh: BinaryIO) -> bool:
    """True when the open file is a WARC file (read in records, not whole); leaves it at its start."""
    from .warc import sniff_warc

    kind = sniff_warc(fh)[1]
    fh.seek(0)
    return kind is not False


def _write_articles(data: BinaryIO, file: str, path: str | None, options: Options, pretty: bool) -> int:
    """Write the articles of ``data`` to stdout, its rejections to stderr; returns the exit code."""
    from .errors import IngestError
    from .pipeline import iter_articles

    failed = False
    out = sys.stdout.buffer  # JSON is UTF-8 whatever the locale says stdout is
    sys.stdout.flush()
    try:
        for outcome in iter_articles(data, path=path, options=options):
            if outcome.error is not None:
                failed = True
                where = f"{file}: record {outcome.record}: " if outcome.record else f"{file}: "
                out.flush()
                _say(error_line(outcome.error.code, outcome.error.message, where))
                continue
            assert outcome.article is not None
            out.write(outcome.article.to_json(indent=2 if pretty else None).encode("utf-8"))
            out.write(b"\n")
    except IngestError as e:
        out.flush()
        _say(error_line(e.code, e.message, f"{file}: "))
        return EXIT_INPUT
    out.flush()
    return EXIT_INPUT if failed else EXIT_OK


class _Declined(Exception):
    """The command line is not a plain ``ingest clean …``: typer takes it."""


def parse_clean(argv: list[str]) -> dict[str, object] | None:
    """``clean_file``'s arguments from the words after ``clean``; None when typer must parse them."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise _Declined(message)

    parser = Parser(prog="ingest clean", add_help=False, allow_abbrev=False)
    parser.add_argument("file", type=str)
    for flag, name, kind, many in OPTIONS:
        if kind is bool:
            parser.add_argument(flag, dest=name, action="store_const", const=True, default=None)
        else:
            parser.add_argument(flag, dest=name, type=kind, action="append" if many else "store", default=None)
    try:
        return {k: v for k, v in vars(parser.parse_args(argv)).items() if v is not None}
    except _Declined:
        return None


__all__ = ["EXIT_INPUT", "OPTIONS", "UsageProblem", "clean_file", "error_line", "parse_clean"]
