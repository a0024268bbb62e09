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
