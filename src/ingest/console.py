"""The ``ingest`` console script: a plain ``ingest clean …`` runs without typer, the rest in typer.

Kept apart from :mod:`ingest.cleancmd` (the work of ``clean``) and :mod:`ingest.cli` (the typer
app, which calls ``cleancmd``) so that neither imports the other back.
"""

from __future__ import annotations

import sys

from .cleancmd import EXIT_INPUT, UsageProblem, clean_file, parse_clean


def main() -> None:
    """Run the command line in ``sys.argv``: ``ingest clean …`` here when it can, else the typer app."""
    argv = sys.argv[1:]
    if argv[:1] == ["clean"]:
        args = parse_clean(argv[1:])
        if args is not None:
            try:
                code = clean_file(**args)  # type: ignore[arg-type]
            except UsageProblem:
                code = None  # typer checks the same value again and prints its usage error
            except BrokenPipeError:  # the reader went away (`| head`): quiet, exit 1
                import os

                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                code = EXIT_INPUT
            except KeyboardInterrupt:  # pragma: no cover - interactive
                code = 130
            if code is not None:
                sys.exit(code)
    from .cli import main as typer_main

    typer_main()
