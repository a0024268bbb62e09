"""JSON / JSONL scraper records (placeholder until the JSON reader lands)."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import UnsupportedFormat
from . import Draft


def read_records(text: str, fmt: str, options: object) -> Iterator[Draft]:
    raise UnsupportedFormat("JSON input is not supported yet")
    yield  # pragma: no cover
