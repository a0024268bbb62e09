"""HTML pages (placeholder until the HTML reader lands)."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import UnsupportedFormat
from . import Draft


def read_html(text: str, options: object) -> Iterator[Draft]:
    raise UnsupportedFormat("HTML input is not supported yet")
    yield  # pragma: no cover
