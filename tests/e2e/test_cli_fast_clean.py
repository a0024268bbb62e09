"""The console script: a plain ``ingest clean`` runs without typer; help and usage errors are plain text.

Everything runs the installed ``ingest`` script as a real process with stdout a pipe (as cron,
a file-manager action or a CI log sees it).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import typer
import typer.main

from checks import ingest_exe

from ingest import iter_articles
from ingest.cleancmd import OPTIONS
from ingest.cli import app, clean

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "raw" / "ap-marrow-down-hillfort.txt"
BOX = re.compile("[\u2500-\u257f]")  # rich's panel borders


def _run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    full = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    full.update(env or {})
    return subprocess.run(
        [*ingest_exe(), *map(str, args)],
        capture_output=True,
        text=True,
        env=full,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


def test_the_fast_parser_declares_exactly_the_typer_commands_options() -> None:
    command = typer.main.get_command(app).commands["clean"]  # type: ignore[attr-defined]
    declared = {
        (p.opts[0], p.name, bool(getattr(p, "is_flag", False)), p.multiple) for p in command.params if p.name != "file"
    }
    assert declared == {(flag, name, kind is bool, many) for flag, name, kind, many in OPTIONS}
    hints = typing.get_type_hints(clean, include_extras=True)
    for _, name, kind, _ in OPTIONS:
        shown = repr(typing.get_args(hints[name])[0])
        assert kind.__name__ in shown, (name, shown)


def test_a_plain_clean_imports_neither_typer_nor_pydantic() -> None:
    code = (
        "import atexit, sys\n"
        "heavy = ('typer', 'pydantic', 'click')\n"
        "atexit.register(lambda: sys.stderr.write('loaded: %s\\n' % sorted(m for m in heavy if m in sys.modules)))\n"
        f"sys.argv = ['ingest', 'clean', '--no-language', {str(SAMPLE)!r}]\n"
        "from ingest.console import main\nmain()\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stderr
    assert "loaded: []" in p.stderr
    assert json.loads(p.stdout)["title"]


def test_the_console_script_prints_the_library_article() -> None:
    p = _run("clean", SAMPLE, "--no-language", "--disable-fix", "strip_dateline")
    assert p.returncode == 0, p.stderr
    from ingest import Options

    options = Options(detect_language=False, disabled_fixes=frozenset({"strip_dateline"}))
    [expected] = [o.article for o in iter_articles(SAMPLE.read_bytes(), path=str(SAMPLE), options=options)]
    assert expected is not None
    assert json.loads(p.stdout) == json.loads(expected.to_json())


def test_usage_errors_are_typer_messages_in_plain_text() -> None:
    for args, words in [
        (("clean", SAMPLE, "--bogus"), "No such option: --bogus"),
        (("clean", "--disable-fix", "nope", SAMPLE), "unknown fix name(s): nope"),
        (("clean",), "Missing argument"),
        (("clean", SAMPLE, "--max-bytes", "many"), "--max-bytes"),
        (("run", "--bogus"), "No such option: --bogus"),
    ]:
        p = _run(*args)
        assert p.returncode == 2, (args, p.stderr)
        assert words in p.stderr and p.stderr.startswith("Usage: ingest "), p.stderr
        assert not BOX.search(p.stderr) and "\x1b[" not in p.stderr and not p.stdout


def test_help_keeps_bracketed_text_and_whole_paragraphs() -> None:
    p = _run("run", "--help", env={"COLUMNS": "80"})
    assert p.returncode == 0 and not BOX.search(p.stdout)
    flat = " ".join(p.stdout.split())
    assert "needs ingest[dask])" in flat and "needs ingest[parquet])" in flat
    doc = (clean.__doc__ or "") + (typer.main.get_command(app).commands["run"].help or "")  # type: ignore[attr-defined]
    for para in re.split(r"\n\s*\n", doc):
        words = " ".join(para.split())
        if words and "`" not in words:
            assert words in flat or words in " ".join(_run("clean", "--help", env={"COLUMNS": "80"}).stdout.split()), (
                words
            )
    lines = p.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80  # re-wrapped to the terminal, never cut mid-word
    # A paragraph of the docstring starts on a line of its own, not glued to the previous one.
    assert any(line.strip().startswith("State lives in CLEAN_DIR/.ingest/") for line in lines)
