"""Checks shared by every test package: schema validation of articles, the installed CLI.

Import with ``from checks import assert_valid_article, ingest_exe`` (``tests/`` is on sys.path);
conftest modules are not meant to be imported by name.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import jsonschema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schemas" / "article.schema.json").read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def assert_valid_article(obj: dict[str, Any]) -> None:
    """Fail with the first schema error, and check the JSON encodes to UTF-8."""
    errors = sorted(_VALIDATOR.iter_errors(obj), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        raise AssertionError(f"article does not validate at {list(e.path)}: {e.message}")
    json.dumps(obj, ensure_ascii=False).encode("utf-8")


def ingest_exe() -> list[str]:
    """The installed console script (end-to-end tests run it as a real process)."""
    exe = Path(sys.executable).parent / "ingest"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ingest")
    assert found, "the ingest console script is not installed"
    return [found]


def output_tree(clean: Path) -> dict[str, bytes]:
    """Every file of an output folder outside its ``.ingest`` state, by relative path, with its bytes.

    Temp files are included on purpose: a test comparing trees must see one that was left behind.
    """
    out = {}
    for p in sorted(clean.rglob("*")):
        rel = p.relative_to(clean).as_posix()
        if p.is_file() and not rel.startswith(".ingest/"):
            out[rel] = p.read_bytes()
    return out
