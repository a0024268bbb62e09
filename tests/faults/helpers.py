"""Helpers for the fault tests: a corpus, real ``ingest run`` processes, tree snapshots."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from checks import assert_valid_article, ingest_exe, output_tree

from ingest.writers import is_temp_name

TOWNS = ["Veldmark", "Brekka", "Saltholm", "Haldenburg", "Zarechye", "Cape Vell", "Tidewater"]


def write_corpus(raw: Path, n: int, *, bad: bool = True) -> None:
    """``n`` small distinct articles in a few subfolders (text, HTML, JSONL), plus one empty file."""
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        folder = raw / f"part{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        prose = (
            f"The council of {town} voted on Tuesday to rebuild the old bridge number {i}, ending a debate "
            f"that had lasted {i % 9 + 2} years. Residents had asked for the repair since the floods.\n\n"
            "“We listened to everyone,” said the mayor, adding that work would start in spring."
        )
        if i % 10 == 3:
            page = (
                f"<html><head><title>Bridge {i} in"
                f" {town}</title></head><body><article><p>{prose}</p></article></body></html>"
            )
            (folder / f"story-{i:04d}.html").write_text(page, encoding="utf-8")
        elif i % 10 == 7:
            recs = [{"title": f"Bridge {i}.{k}", "text": prose.replace("bridge", f"pier {k}")} for k in range(3)]
            (folder / f"export-{i:04d}.jsonl").write_text(
                "\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8"
            )
        else:
            (folder / f"story-{i:04d}.txt").write_text(f"Bridge {i} in {town}\n\n{prose}\n", encoding="utf-8")
    if bad:
        (raw / "empty.txt").write_bytes(b"")


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    e["PYTHONIOENCODING"] = "utf-8"
    e.update(extra)
    return e


def run(raw: Path, clean: Path, *args: str, timeout: float = 120, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ingest_exe(), "run", str(raw), str(clean), "--quiet", *args],
        capture_output=True,
        text=True,
        env=env(**extra_env),
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


tree = output_tree


def temp_files(clean: Path) -> list[str]:
    return sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*") if is_temp_name(p.name))


def assert_every_output_valid(clean: Path) -> int:
    """Every file outside ``.ingest`` that is not a temp file is complete, valid JSON articles."""
    n = 0
    for rel, data in tree(clean).items():
        if is_temp_name(rel.rsplit("/", 1)[-1]):
            continue
        lines = data.decode("utf-8").splitlines()
        assert lines, f"{rel} is empty"
        for line in lines:
            assert_valid_article(json.loads(line))
        n += 1
    return n
