"""Helpers for batch-run tests: real `ingest` processes on real folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checks import output_tree

INGEST = shutil.which("ingest", path=str(Path(sys.executable).parent)) or str(Path(sys.executable).parent / "ingest")

BODY = (
    "The council of {town} voted on Tuesday to rebuild the old {thing}, ending a debate that\n"
    "had lasted almost {n} years. Residents had asked for the repair since the winter floods.\n\n"
    "“We listened to everyone,” said the mayor, adding that work would start in spring and that\n"
    "the budget of {n} million crowns was already set aside.\n\n"
    "Critics said the plan ignored the {thing} near the harbour, which also needs repairs.\n"
)
TOWNS = ["Veldmark", "Brekka", "Saltholm", "Haldenburg", "Zarechye", "Cape Vell", "Tidewater", "Marrow"]
THINGS = ["bridge", "library", "tram depot", "ferry pier", "town hall", "market hall"]


def article_text(i: int) -> str:
    """A small, distinct, valid article (some with a header and mojibake, to exercise fixes)."""
    body = BODY.format(town=TOWNS[i % len(TOWNS)], thing=THINGS[i % len(THINGS)], n=i + 2)
    if i % 3 == 0:
        body = f"Daily Courier\nCouncil backs {THINGS[i % len(THINGS)]} plan in {TOWNS[i % len(TOWNS)]}\n\n" + body
    if i % 4 == 1:
        body = body.replace("“", "â€œ").replace("”", "â€\x9d")
    return body


def make_corpus(root: Path, n: int, *, nested: bool = True) -> list[Path]:
    """Write ``n`` valid text articles under ``root`` (some in subfolders)."""
    paths = []
    for i in range(n):
        sub = root / f"batch{i % 3}" if nested and i % 2 else root
        sub.mkdir(parents=True, exist_ok=True)
        p = sub / f"story-{i:04d}.txt"
        p.write_bytes(article_text(i).encode("utf-8"))
        paths.append(p)
    return paths


def run_ingest(
    *args: str | os.PathLike[str], env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script as a real process (no TTY: the cron-mail form)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_TEST_")}
    full_env.update(env or {})
    return subprocess.run(
        [INGEST, *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def run_json(*args: str | os.PathLike[str], **kw: object) -> tuple[int, dict]:
    """``ingest run … --json``: (exit code, report)."""
    proc = run_ingest("run", *args, "--json", **kw)  # type: ignore[arg-type]
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


tree = output_tree


def accounting_holds(report: dict) -> bool:
    c = report["counts"]
    return c["ok"] + c["failed"] + c["skipped"] + c["not_done"] == c["seen"]


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    raw = tmp_path / "raw"
    make_corpus(raw, 12)
    return raw, tmp_path / "clean"
