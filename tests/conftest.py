"""Shared test fixtures.

Every article the suite builds in-process is validated against the JSON Schema: ``to_dict`` is
wrapped for the whole session, so any test that produces an article also checks the contract.
Articles produced by subprocesses are checked with :func:`assert_valid_article`.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import settings


from checks import ROOT, SCHEMA, assert_valid_article, ingest_exe  # noqa: F401 (re-exported for old imports)

# Every property test is reproducible in CI: the same examples on every run (a test may still
# set its own max_examples); no deadline, since shared CI machines are noisy.
settings.register_profile("ingest", derandomize=True, deadline=None)
settings.load_profile("ingest")


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


@pytest.fixture
def ingest_cmd() -> list[str]:
    return ingest_exe()


@pytest.fixture
def clean_env() -> dict[str, str]:
    """Environment for subprocesses: no test hooks inherited, UTF-8 I/O."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env
