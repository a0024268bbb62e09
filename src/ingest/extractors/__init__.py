"""Body extractors: one parsed page in, the article's own text (paragraphs kept) out.

An extractor is any callable ``(root, *, jsonld_body) -> Extracted``. ``root`` is the page as
:func:`ingest.readers.htmltree.parse_html` built it (safe parser, depth already capped); the
extractor owns it and may prune it. ``jsonld_body`` is the page's JSON-LD ``articleBody`` when
it has one, as a fallback the extractor may use.

Two are registered: ``builtin`` (lxml, the default, no extra dependency) and ``trafilatura``
(the ``ingest[trafilatura]`` extra). ``Options.html_extractor`` / ``--html-extractor`` picks one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Hint
from ..model import ArticleWarning


@dataclass(frozen=True)
class Extracted:
    """What an extractor found: the body text and any structural hints it noticed."""

    text: str  # paragraphs separated by blank lines; <br> kept as single newlines
    hints: tuple[Hint, ...] = ()
    warnings: tuple[ArticleWarning, ...] = ()
    method: str = ""  # which rule produced the body (``itemprop``, ``density``, ``jsonld`` …), for debugging


BodyExtractor = Callable[..., Extracted]
EXTRACTORS = ("builtin", "trafilatura")


def get_extractor(name: str) -> BodyExtractor:
    """The extractor registered under ``name`` (``builtin`` or ``trafilatura``)."""
    if name == "builtin":
        from .builtin import extract_body

        return extract_body
    if name == "trafilatura":
        from .trafilatura_extractor import extract_body as traf

        return traf
    raise ValueError(f"unknown HTML extractor {name!r}; known: {', '.join(EXTRACTORS)}")
