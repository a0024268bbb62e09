"""Plain-text dumps: the text is the document; there is no markup to read hints from."""

from __future__ import annotations

from collections.abc import Iterator

from . import Draft


def read_text(text: str) -> Iterator[Draft]:
    yield Draft(text=text, format="text")
