"""Shared test fixtures.

Every article the suite builds in-process is validated against the JSON Schema: ``to_dict`` is
wrapped for the whole session, so any test that produces an article also checks the contract.
Articles produced by subprocesses are checked with :func:`assert_valid_article`.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

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


@pytest.fixture(autouse=True, scope="session")
def _validate_every_article() -> Any:
    from ingest import model

    original = model.Article.to_dict

    def checked(self: model.Article) -> dict[str, Any]:
        out = original(self)
        assert_valid_article(out)
        return out

    model.Article.to_dict = checked  # type: ignore[method-assign]
    yield
    model.Article.to_dict = original  # type: ignore[method-assign]


def ingest_exe() -> list[str]:
    """The installed console script (end-to-end tests run it as a real process)."""
    exe = Path(sys.executable).parent / "ingest"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ingest")
    assert found, "the ingest console script is not installed"
    return [found]


@pytest.fixture
def ingest_cmd() -> list[str]:
    return ingest_exe()


@pytest.fixture
def clean_env() -> dict[str, str]:
    """Environment for subprocesses: no test hooks inherited, UTF-8 I/O."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env
