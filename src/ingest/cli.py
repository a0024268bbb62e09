"""Command line: a thin typer layer over the library. The only module that imports typer.

Typed errors become exit codes here and nowhere else.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import ERROR_CODES, IngestError
from .fixes import REGISTRY
from .options import Options

app = typer.Typer(
    name="ingest",
    help="Turn messy article files (text dumps, HTML pages, scraper JSON/JSONL) into clean, schema-valid JSON articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2


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
    """Options from CLI flags; a bad value is a usage error (exit 2)."""
    pairs: list[tuple[str, str]] = []
    for item in field_map or []:
        if "=" not in item:
            raise typer.BadParameter(f"--map takes field=key, got {item!r}")
        k, v = item.split("=", 1)
        pairs.append((k.strip(), v.strip()))
    kwargs: dict[str, object] = dict(
        ascii_quotes=ascii_quotes,
        strip_artifacts=not keep_artifacts,
        detect_language=not no_language,
        disabled_fixes=frozenset(disable_fix or ()),
        html_extractor=html_extractor,
        format=fmt,
        field_map=tuple(pairs),
    )
    if max_bytes is not None:
        kwargs["max_bytes"] = max_bytes
    try:
        return Options(**kwargs)  # type: ignore[arg-type]
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


def _error_line(code: str, message: str, where: str = "") -> str:
    safe = message.replace("\n", "\\n")
    return f"error[{code}]: {where}{safe}"


@app.command()
def clean(
    file: Annotated[str, typer.Argument(help="Article file to clean, or - for standard input.")],
    pretty: Annotated[bool, typer.Option("--pretty", help="Indent the JSON output.")] = False,
    fmt: Annotated[
        Optional[str], typer.Option("--format", help="Force the reader: text, html, json or jsonl (default: by name and content).")
    ] = None,
    ascii_quotes: Annotated[bool, typer.Option("--ascii-quotes", help="Turn typographic quotes into ASCII ones.")] = False,
    keep_artifacts: Annotated[
        bool, typer.Option("--keep-artifacts", help="Do not remove header/trailer/boilerplate lines.")
    ] = False,
    no_language: Annotated[bool, typer.Option("--no-language", help="Do not run the language detector.")] = False,
    disable_fix: Annotated[
        Optional[list[str]], typer.Option("--disable-fix", help="Skip a fix by its name (repeatable; see `ingest fixes`).")
    ] = None,
    max_bytes: Annotated[Optional[int], typer.Option("--max-bytes", help="Reject inputs larger than this many bytes.")] = None,
    html_extractor: Annotated[
        str, typer.Option("--html-extractor", help="HTML body extractor: builtin or trafilatura (extra).")
    ] = "builtin",
    field_map: Annotated[
        Optional[list[str]], typer.Option("--map", help="JSON record mapping field=key, e.g. --map body=story_text.")
    ] = None,
) -> None:
    """Clean one file (or stdin) and print the JSON article on stdout.

    A JSON/JSONL input with several records prints one JSON article per line. Exit codes:
    0 success, 1 the input (or a record) was rejected — `error[code]: message` on stderr —,
    2 usage error.
    """
    from .pipeline import iter_articles

    options = build_options(
        ascii_quotes=ascii_quotes,
        keep_artifacts=keep_artifacts,
        no_language=no_language,
        disable_fix=disable_fix,
        max_bytes=max_bytes,
        html_extractor=html_extractor,
        fmt=fmt,
        field_map=field_map,
    )
    if file == "-":
        data = sys.stdin.buffer.read(options.max_bytes + 1)
        path: str | None = None
    else:
        p = Path(file)
        try:
            if not p.is_file():
                typer.echo(_error_line("not_a_file", f"{file}: not a regular file"), err=True)
                raise typer.Exit(EXIT_USAGE)
            size = p.stat().st_size
            if size > options.max_bytes:
                typer.echo(
                    _error_line("too_large", f"input is {size:,} bytes, over the {options.max_bytes:,}-byte cap", f"{file}: "), err=True
                )
                raise typer.Exit(EXIT_INPUT)
            data = p.read_bytes()
        except OSError as e:
            typer.echo(_error_line("unreadable", f"{file}: {e.strerror or e}"), err=True)
            raise typer.Exit(EXIT_INPUT) from None
        path = file
    failed = False
    out = sys.stdout
    try:
        for outcome in iter_articles(data, path=path, options=options):
            if outcome.error is not None:
                failed = True
                where = f"{file}: record {outcome.record}: " if outcome.record else f"{file}: "
                typer.echo(_error_line(outcome.error.code, outcome.error.message, where), err=True)
                continue
            assert outcome.article is not None
            out.write(outcome.article.to_json(indent=2 if pretty else None))
            out.write("\n")
    except IngestError as e:
        typer.echo(_error_line(e.code, e.message, f"{file}: "), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    out.flush()
    raise typer.Exit(EXIT_INPUT if failed else EXIT_OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema every article validates against."""
    from .schema import schema_text

    sys.stdout.write(schema_text())


@app.command()
def fixes() -> None:
    """List the text fixes in plan order, with their names (as used by --disable-fix and in articles)."""
    for f in REGISTRY:
        flag = "" if f.default else "  (off by default)"
        typer.echo(f"{f.name:26} {f.phase:6} {f.summary}{flag}")


@app.command("errors")
def error_codes() -> None:
    """List the error codes a rejected input can get."""
    for code, doc in ERROR_CODES.items():
        typer.echo(f"{code:20} {doc}")


def main() -> None:
    """Console-script entry point: usage errors exit 2, as click does."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["app", "main", "build_options", "json"]
