"""Format readers: decoded text in, one or more :class:`Draft` documents out.

A reader knows one input format. It returns the article text (paragraphs separated by blank
lines where the format tells them) and metadata *hints* with their sources; it never repairs
text and never decides a metadata value — the fixes and extractors do that, the same way for
every format.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import IngestError
from ..model import Hint
from ..options import Options
from ..model import ArticleWarning


@dataclass(frozen=True)
class Draft:
    """One document as a reader saw it, before any repair."""

    text: str
    format: str
    hints: tuple[Hint, ...] = ()
    warnings: tuple[ArticleWarning, ...] = ()
    record: int | None = None  # 1-based record (JSON list index / JSONL line number)
    error: IngestError | None = None  # a record the reader had to reject, alone
    # True when the text came out of an HTML parser: its entities and tags are already resolved,
    # so the text-dump repairs for them must not run again (``&amp;amp;`` on a page means "&amp;").
    markup_parsed: bool = False
    # A record's own identity for ``doc_id``: (where it came from, e.g. ``record:guid``; its value).
    doc_key: tuple[str, str] | None = None
    # A record's fields no mapping reads, as (key, value) pairs (None: the input is not a record).
    extra: tuple[tuple[str, object], ...] | None = None


_EXT_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
# Linear: anchored with .match at a position the caller chose, one alternation of literals.
_HTML_START_RE = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|article|div|p)\b", re.I)
_ASCII_SPACE = b" \t\n\r\x0b\x0c"


def _starts_like_html(head: bytes) -> bool:
    """True when ``head`` (leading comments and whitespace skipped) opens an HTML document.

    Comments are skipped with ``find`` (each byte looked at once), not a regex: a backtracking
    ``(?:<!--.*?-->\\s*)*`` is exponential on ``<!---->`` repeated and then text.
    """
    pos = 0
    while True:
        while pos < len(head) and head[pos] in _ASCII_SPACE:
            pos += 1
        if not head.startswith(b"<!--", pos):
            return _HTML_START_RE.match(head, pos) is not None
        end = head.find(b"-->", pos + 4)
        if end < 0:
            return False
        pos = end + 3


# Formats no reader takes: rejected with ``unsupported_format``, never read as prose.
_UNSUPPORTED_EXT = {
    ".xml": "an XML document",
    ".rss": "an RSS feed",
    ".atom": "an Atom feed",
    ".rdf": "an RSS (RDF) feed",
    ".csv": "a CSV table",
    ".tsv": "a TSV table",
}
# Linear: anchored with .match at a position the caller chose; literals, then one character.
_FEED_ROOT_RE = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")


def _skip_prolog(head: bytes) -> int:
    """Position after leading whitespace, the ``<?xml …?>`` declaration and comments (each byte looked at once)."""
    pos = 0
    while True:
        while pos < len(head) and head[pos] in _ASCII_SPACE:
            pos += 1
        for opening, closing in ((b"<?", b"?>"), (b"<!--", b"-->")):
            if head.startswith(opening, pos):
                end = head.find(closing, pos + len(opening))
                if end < 0:
                    return pos
                pos = end + len(closing)
                break
        else:
            return pos


def unsupported_format(head: bytes, path: str | None = None) -> str | None:
    """Why no reader takes this input (a message for ``unsupported_format``), or None when one does.

    An RSS/Atom feed is recognised by its root element whatever its name; other XML documents,
    CSV and TSV tables by their extension (a comma is no evidence of a table). A page that
    starts like HTML is HTML even under one of those names.
    """
    head = head[:2048]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if _starts_like_html(head):
        return None
    kind = None
    if _FEED_ROOT_RE.match(head, _skip_prolog(head)):
        kind = "an RSS/Atom feed"
    elif path:
        kind = _UNSUPPORTED_EXT.get(os.path.splitext(path)[1].lower())
    if kind is None:
        return None
    return (
        f"this is {kind}, not an article; ingest reads text, HTML and JSON/JSONL "
        "(turn the feed's items or the table's rows into JSONL records, or force a reader with --format)"
    )


def format_from_name(path: str | None) -> str | None:
    """The format an input's file name says, or None."""
    if not path:
        return None
    return _EXT_FORMATS.get(os.path.splitext(path)[1].lower())


def sniff_format(head: bytes | str, path: str | None = None) -> str:
    """Pick the reader by extension and content: content wins where it is unambiguous."""
    if isinstance(head, str):
        head = head[:2048].encode("utf-8", "surrogatepass")
    else:
        head = head[:2048]
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom) :]
    by_name = format_from_name(path)
    if _starts_like_html(head):
        return "html"
    if by_name in ("json", "jsonl", "html"):
        return by_name
    stripped = head.lstrip()
    if by_name is None and stripped[:1] in (b"{", b"["):
        stripped = stripped.replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # CR-only files too
        first_line = stripped.split(b"\n", 1)[0].rstrip()
        return "jsonl" if stripped[:1] == b"{" and first_line.endswith(b"}") and b"\n{" in stripped else "json"
    return "text"


def read(text: str, fmt: str, options: Options) -> Iterator[Draft]:
    """Dispatch to the reader for ``fmt``."""
    if fmt == "text":
        from .text import read_text

        yield from read_text(text)
    elif fmt == "html":
        from .html import read_html

        yield from read_html(text, options)
    elif fmt in ("json", "jsonl"):
        from .jsonrec import read_records

        yield from read_records(text, fmt, options)
    else:  # pragma: no cover - guarded by Options
        from ..errors import UnsupportedFormat

        raise UnsupportedFormat(f"no reader for format {fmt!r}")


_META_CHARSET_RE = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]{2,40})", re.I)
_XML_ENCODING_RE = re.compile(rb"^\s*<\?xml[^>]{0,100}?encoding\s*=\s*[\"']([a-zA-Z0-9_.:-]{2,40})[\"']", re.I)


def declared_charset(data: bytes, fmt: str) -> str | None:
    """The charset an HTML document declares (``<meta charset>``, http-equiv, XHTML's XML declaration).

    Looks at the first 8 KB: the standard asks for the first 1 KB, but real pages put long
    scripts and styles before the meta tag. The pipeline verifies it by a strict decode.
    """
    if fmt != "html":
        return None
    head = data[:8192]
    m = _META_CHARSET_RE.search(head) or _XML_ENCODING_RE.match(head)
    return m.group(1).decode("ascii") if m else None
