"""Web archives: every HTML ``response`` or ``resource`` record of a WARC file is one article.

A WARC file is one input with many articles, like a JSONL file: :func:`warc_outcomes` yields one
:class:`~ingest.pipeline.Outcome` per HTML record, numbered 1, 2, … in file order, each through
the same HTML path as a page read from a file. The record's WARC-Target-URI is the ``url``
evidence, its HTTP ``Content-Type`` charset the declared charset (verified by a strict decode, as
``<meta charset>`` is; the page's own declaration when the header has none), and its
WARC-Record-ID and WARC-Date go to ``source.warc_record_id`` and ``source.fetched``.

Records are parsed by FastWARC. A record-gzipped file (``.warc.gz``) is inflated member by member
here, so a damaged or truncated member is found where it is: every earlier article is kept, the
damage is one ``corrupt`` outcome, and reading goes on at the next member that starts a WARC
record. Request, metadata, revisit, warcinfo and non-HTML records are skipped and counted.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from .compression import GZIP, _gzip_head
from .decode import decode_bytes
from .errors import Corrupt, IngestError, TooLarge
from .model import Source
from .options import Options
from .readers import _starts_like_html, declared_charset, read

if TYPE_CHECKING:
    from .pipeline import Outcome

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Types that may hold a page mislabelled by the server: sniffed. Anything else is not a page.
_SNIFF_TYPES = ("", "text/plain", "application/octet-stream", "unknown/unknown")
# Linear: fixed-width digit fields, one optional fraction of digits, anchored at both ends.
_WARC_DATE_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?Z\Z")
_CHUNK = 1 << 16
_MAX_RESYNC_TRIES = 10_000


# FastWARC's Rust panics arrive as pyo3's PanicException, a BaseException: caught by name only.
_Panic = BaseException


class _Damaged(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class _Members:
    """A file object over a record-gzipped WARC: inflates one gzip member after another.

    A read never crosses the end of a member. Damage (a bad or truncated member) ends the stream
    there, as if the file ended, and is kept in ``damage`` with the member's offset: FastWARC
    parses every record it has whole, and the reader reports the damage after them.
    """

    def __init__(self, raw: bytes, start: int) -> None:
        self._view = memoryview(raw)
        self.pos = start
        self.member_start = start
        self._d: zlib._Decompress | None = None
        self._tail = b""
        self._given = 0  # inflated bytes handed out: FastWARC's record offsets
        self.damage: _Damaged | None = None

    def tell(self) -> int:
        return self._given

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def _stop(self, offset: int, message: str) -> bytes:
        """Damage ends the stream here: FastWARC still gets every record it has whole."""
        self.damage = _Damaged(offset, message)
        return b""

    def read(self, n: int = -1) -> bytes:
        n = _CHUNK if n is None or n <= 0 else n
        while self.damage is None:
            if self._d is None:
                rest = self._view[self.pos :]
                if not rest or not bytes(rest[:_CHUNK]).strip(b"\x00\r\n\t "):
                    return b""  # the end (zero padding after the last member is allowed)
                if bytes(rest[:2]) != b"\x1f\x8b":
                    return self._stop(self.pos, "bytes after a gzip member are not a gzip member")
                self.member_start = self.pos
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data: bytes | memoryview = self._tail
            if not data:
                data = self._view[self.pos : self.pos + _CHUNK]
                self.pos += len(data)
            try:
                out = self._d.decompress(data, n)  # with no input left: output zlib still holds
            except zlib.error as e:
                return self._stop(self.member_start, f"a gzip member is damaged: {e}")
            if not data and not out and not self._d.eof:
                return self._stop(self.member_start, "the last gzip member is truncated")
            self._tail = self._d.unconsumed_tail
            if self._d.eof:
                self.pos -= len(self._d.unused_data)  # those bytes start the next member
                self._d, self._tail = None, b""
            if out:
                self._given += len(out)
                return out
        return b""


def _next_member(raw: bytes, after: int) -> int | None:
    """Offset of the next gzip member after ``after`` that starts a WARC record, or None.

    Bounded: at most ``_MAX_RESYNC_TRIES`` false starts (the gzip magic inside compressed data),
    each inflating at most 16 bytes from 4 KB, so damaged input cannot make the search slow.
    """
    view = memoryview(raw)
    pos = after
    for _ in range(_MAX_RESYNC_TRIES):
        pos = raw.find(b"\x1f\x8b\x08", pos + 1)
        if pos < 0:
            return None
        if _gzip_head(view[pos : pos + 4096]).startswith(b"WARC/"):
            return pos
    return None


def _kind_of(record: object) -> str:
    kind = getattr(record, "record_type", None)
    return str(getattr(kind, "name", None) or kind or "unknown").rsplit(".", 1)[-1]


def _clean_header(value: object, limit: int = 512) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and len(value) <= limit and value.isprintable() else None


def _is_page(record: object, payload_head: bytes) -> bool:
    ctype = (getattr(record, "http_content_type", None) or "").split(";", 1)[0].strip().lower()
    if ctype in _HTML_TYPES:
        return True
    return ctype in _SNIFF_TYPES and _starts_like_html(payload_head.lstrip(b"\xef\xbb\xbf"))


def warc_outcomes(
    raw: bytes,
    path: str | None,
    sha: str,
    compression: str | None,
    options: Options,
    skipped: Counter[str] | None = None,
) -> Iterator[Outcome]:
    """One outcome per HTML record of the WARC file ``raw`` (see the module doc).

    ``skipped``, when given, counts the records that are not pages by kind (``request``,
    ``metadata``, ``revisit``, ``warcinfo``, ``non_html`` for a response that is not HTML).
    """
    from fastwarc.warc import ArchiveIterator

    skipped = skipped if skipped is not None else Counter()
    number = 0
    start: int | None = 0
    while start is not None:
        members = _Members(raw, start) if compression == GZIP else None
        stream = members if members is not None else _BytesStream(raw)
        failure: str | None = None
        last_corrupt = False
        try:
            for record in ArchiveIterator(
                stream, parse_http=True, auto_decode="all", stream_detect=False, fsspec_args=False
            ):
                kind = _kind_of(record)
                if kind not in ("response", "resource"):
                    skipped[kind] += 1
                    continue
                outcome = _record_outcome(record, number + 1, raw, path, sha, compression, options)
                if outcome is None:
                    skipped["non_html"] += 1
                    continue
                number += 1
                last_corrupt = outcome.error is not None and outcome.error.code == "corrupt"
                yield outcome
        except (OSError, _Panic) as e:  # FastWARC: a record it cannot parse
            if isinstance(e, _Panic) and type(e).__name__ != "PanicException":
                raise
            failure = f"a WARC record cannot be parsed: {e}"
        damage = members.damage if members is not None else None
        if failure is not None or (damage is not None and not last_corrupt):
            number += 1
            message = f"{damage.message} (at byte {damage.offset:,})" if damage is not None else failure
            yield _damaged(number, f"{message}; the records before it are kept")
        if damage is not None:
            start = _next_member(raw, damage.offset)
        elif failure is not None and members is not None:
            start = _next_member(raw, members.member_start)  # a plain WARC cannot be resynchronised
        else:
            start = None


def _damaged(number: int, message: str) -> Outcome:
    from .pipeline import Outcome

    return Outcome(number, error=Corrupt(message))


class _BytesStream:
    """A plain WARC's bytes as a file object."""

    def __init__(self, raw: bytes) -> None:
        self._view = memoryview(raw)
        self._pos = 0

    def tell(self) -> int:
        return self._pos

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, n: int = -1) -> bytes:
        n = _CHUNK if n is None or n <= 0 else n
        out = bytes(self._view[self._pos : self._pos + n])
        self._pos += len(out)
        return out


def _record_outcome(
    record: object, number: int, raw: bytes, path: str | None, sha: str, compression: str | None, options: Options
) -> Outcome | None:
    from .pipeline import Outcome, build_article, with_doc_id

    length = getattr(record, "content_length", 0) or 0
    http = getattr(record, "http_headers", None)
    # A Content-Encoding (gzip, br) or chunked payload is decoded by FastWARC (auto_decode): its
    # length is not the record's, so only an identity payload is checked for truncation here.
    encoded = http is not None and any(
        (http.get(name) or "identity").strip().lower() != "identity" for name in ("Content-Encoding", "Transfer-Encoding")
    )
    try:
        payload = record.reader.read(options.max_bytes + 1)  # type: ignore[attr-defined]
    except OSError as e:  # a damaged gzip/br/chunked payload: this record only
        return Outcome(number, error=Corrupt(f"the record's payload cannot be decoded: {e}"))
    if not _is_page(record, payload[:2048]):
        return None
    headers = record.headers  # type: ignore[attr-defined]
    uri = _clean_header(headers.get("WARC-Target-URI"), 2048)
    fetched = _clean_header(headers.get("WARC-Date"), 40)
    if fetched is not None and not _WARC_DATE_RE.match(fetched):
        fetched = None
    record_id = _clean_header(headers.get("WARC-Record-ID"))
    try:
        if len(payload) > options.max_bytes:
            raise TooLarge(f"the record's page is over the {options.max_bytes:,}-byte cap (raise --max-bytes to accept it)")
        if not encoded and len(payload) < length:
            raise Corrupt(f"the record is truncated: {len(payload):,} of {length:,} bytes; the records before it are kept")
        charset = _clean_header(getattr(record, "http_charset", None), 40)
        decoded = decode_bytes(payload, declared=charset or declared_charset(payload, "html"), max_bytes=options.max_bytes)
        for draft in read(decoded.text, "html", options):
            if draft.error is not None:
                raise draft.error
            source = Source(
                path=path,
                sha256=sha,
                bytes=len(raw),
                format=draft.format,
                encoding=decoded.encoding,
                encoding_confidence=decoded.confidence,
                record=number,
                compression=compression,
                warc_record_id=record_id,
                fetched=fetched,
            )
            article = build_article(draft, source, decoded.warnings, options, url=uri)
            # doc_id: the archive's own id for the record (WARC-Record-ID), else path + record number.
            keyed = replace(draft, record=number, doc_key=("source:warc_record_id", record_id) if record_id else None)
            return Outcome(number, article=with_doc_id(article, keyed, sha))
        raise Corrupt("the record's page gave no document")  # pragma: no cover - the HTML reader yields one
    except IngestError as e:
        return Outcome(number, error=e)
    except RecursionError:
        from .errors import TooComplex

        return Outcome(number, error=TooComplex("the page nests too deeply to process"))
