"""Web archives: every HTML ``response`` or ``resource`` record of a WARC file is one article.

A WARC file is one input with many articles, like a JSONL file: :func:`warc_outcomes` yields one
:class:`~ingest.assemble.Outcome` per HTML record, numbered 1, 2, … in file order, each through
the same HTML path as a page read from a file. The record's WARC-Target-URI is the ``url``
evidence, its HTTP ``Content-Type`` charset the declared charset (verified by a strict decode, as
``<meta charset>`` is; the page's own declaration when the header has none), and its
WARC-Record-ID and WARC-Date go to ``source.warc_record_id`` and ``source.fetched``.

Records are parsed by FastWARC. A record-gzipped file (``.warc.gz``) is inflated member by member
here, so a damaged or truncated member is found where it is: every earlier article is kept, the
damage is one ``corrupt`` outcome, and reading goes on at the next member that starts a WARC
record. A WARC packed whole as one bzip2, xz, zstd (or gzip) stream is inflated as it is read, in
record order: it cannot be cut at byte offsets, so it is read in one part, and damage ends it (the
records before it are kept, the damage is one ``corrupt`` outcome). Request, metadata, revisit,
warcinfo and non-HTML records are skipped and counted.
"""

from __future__ import annotations

import bz2
import hashlib
import io
import lzma
import os
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, TYPE_CHECKING, Any

from .compression import BZIP2, GZIP, PACKED_HEAD, XZ, ZSTD, _gzip_head, detect, inflated_head
from .decode import decode_bytes
from .errors import Corrupt, IngestError, TooLarge, Unreadable
from .model import Source
from .options import Options
from .readers import _starts_like_html, declared_charset, read

if TYPE_CHECKING:
    from .assemble import Outcome

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Types that may hold a page mislabelled by the server: sniffed. Anything else is not a page.
_SNIFF_TYPES = ("", "text/plain", "application/octet-stream", "unknown/unknown")
# Linear: fixed-width digit fields, one optional fraction of digits, anchored at both ends.
_WARC_DATE_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?Z\Z")
# Linear: a literal line start, then one bounded run of digits; used on at most 64 KB of header.
_CONTENT_LENGTH_RE = re.compile(rb"\r?\nContent-Length:[ \t]{0,16}(\d{1,18})[ \t]{0,16}\r?\n", re.IGNORECASE)
_CHUNK = 1 << 16
_SCAN = 1 << 20  # bytes looked at per step when searching for the next record or member
_HEADER_MAX = 1 << 16  # a WARC header block longer than this is not a header
_MAX_RESYNC_TRIES = 10_000


# FastWARC's Rust panics arrive as pyo3's PanicException, a BaseException: caught by name only.
_Panic = BaseException


class Blob:
    """Random access to an input's bytes: the bytes themselves, or an open file (local or fsspec).

    Only ``read_at`` is used, so a WARC file is never held whole: a reader asks for the window it
    needs (at most 1 MB at a time).
    """

    def __init__(
        self, data: bytes | None = None, fh: IO[bytes] | None = None, size: int | None = None, base: int = 0
    ) -> None:
        self._data = memoryview(data) if data is not None else None
        self._fh = fh
        self._fd = _fileno(fh)
        self._base = base  # where the WARC begins in ``fh`` (a file object handed over mid-file)
        self.size = len(data) if data is not None else int(size or 0)

    def read_at(self, pos: int, n: int) -> bytes:
        if pos >= self.size or n <= 0:
            return b""
        if self._data is not None:
            return bytes(self._data[pos : pos + n])
        if self._fd is not None:
            return os.pread(self._fd, min(n, self.size - pos), self._base + pos)
        assert self._fh is not None
        self._fh.seek(self._base + pos)
        return self._fh.read(min(n, self.size - pos))


def _fileno(fh: IO[bytes] | None) -> int | None:
    """The descriptor to ``pread`` when ``fh`` is an OS file, else None (seek and read).

    Only a plain file: a ``gzip.open`` file (or another wrapper) hands out the descriptor of the
    file under it, whose bytes are not the ones it reads.
    """
    if fh is None or not hasattr(os, "pread") or not isinstance(getattr(fh, "raw", fh), io.FileIO):
        return None
    try:
        return fh.fileno()
    except (AttributeError, OSError, ValueError):
        return None


class _Damaged(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class _Forward:
    """A forward-only file object for FastWARC: readable, not seekable; ``tell`` is the count of
    bytes handed out so far (``_given``), which FastWARC takes as record offsets."""

    _given = 0

    def tell(self) -> int:
        return self._given

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False


class _Members(_Forward):
    """A file object over a record-gzipped WARC: inflates one gzip member after another.

    A read never crosses the end of a member. Damage (a bad or truncated member) ends the stream
    there, as if the file ended, and is kept in ``damage`` with the member's offset: FastWARC
    parses every record it has whole, and the reader reports the damage after them. The first
    member at or after ``end`` that starts a WARC record is not read: the stream ends there and
    ``stopped_at`` keeps its offset (a part of a split file ends where the next part begins; a
    damaged member or the continuation of a record is read by the part it follows).
    """

    def __init__(self, blob: Blob, start: int, end: int) -> None:
        self._blob = blob
        self.pos = start
        self.end = end
        self.member_start = start
        self._d: zlib._Decompress | None = None
        self._tail = b""
        self._given = 0  # inflated bytes handed out: FastWARC's record offsets
        self.damage: _Damaged | None = None
        self.stopped_at: int | None = None

    def _stop(self, offset: int, message: str) -> bytes:
        """Damage ends the stream here: FastWARC still gets every record it has whole."""
        self.damage = _Damaged(offset, message)
        return b""

    def read(self, n: int = -1) -> bytes:
        n = _CHUNK if n is None or n <= 0 else n
        while self.damage is None and self.stopped_at is None:
            if self._d is None:
                head = self._blob.read_at(self.pos, _CHUNK)
                if not head or not head.strip(b"\x00\r\n\t "):
                    return b""  # the end (zero padding after the last member is allowed)
                if self.pos >= self.end and _starts_record(self._blob, self.pos):
                    self.stopped_at = self.pos  # the next part's first member (the one sync_point finds)
                    return b""
                if head[:2] != b"\x1f\x8b":
                    return self._stop(self.pos, "bytes after a gzip member are not a gzip member")
                self.member_start = self.pos
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data: bytes = self._tail
            if not data:
                data = self._blob.read_at(self.pos, _CHUNK)
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


#: Compressions a WARC file may be packed in whole, as one stream (gzip may be either).
PACKED = (BZIP2, XZ, ZSTD)


class _BlobFile(_Forward):
    """A blob's bytes as a plain sequential file object (what FastWARC's zstd reader reads)."""

    def __init__(self, blob: Blob) -> None:
        self._blob = blob
        self.pos = 0

    def tell(self) -> int:
        return self.pos

    def read(self, n: int = -1) -> bytes:
        n = _CHUNK if n is None or n <= 0 else min(n, _SCAN)
        out = self._blob.read_at(self.pos, n)
        self.pos += len(out)
        return out


class _Inflating(_Forward):
    """A file object over a WARC packed whole as bzip2, xz or zstd: inflated as FastWARC reads it.

    Each read inflates at most the bytes asked for (at most 1 MB) from at most 64 KB of packed
    input, so memory never grows with the file or with how far it inflates. Concatenated streams
    (pbzip2, ``xz -T``, zstd frames) are read one after another; bytes after the last stream are
    ignored, as the command-line tools do. Damage (a bad or truncated stream) ends the stream there
    and is kept in ``damage``, as :class:`_Members` does.
    """

    def __init__(self, blob: Blob, kind: str) -> None:
        self._blob = blob
        self._kind = kind
        self.pos = 0  # packed bytes fed to the decompressor
        self._given = 0
        self.damage: _Damaged | None = None
        self.stopped_at: int | None = None
        self._zstd: object | None = None
        self._file: _BlobFile | None = None
        self._d: bz2.BZ2Decompressor | lzma.LZMADecompressor | None = None
        self._done = False

    def _new(self) -> bz2.BZ2Decompressor | lzma.LZMADecompressor:
        return bz2.BZ2Decompressor() if self._kind == BZIP2 else lzma.LZMADecompressor(lzma.FORMAT_XZ)

    def _stop(self, message: str) -> bytes:
        self.damage = _Damaged(self.pos, f"the {self._kind} stream {message}")
        return b""

    def read(self, n: int = -1) -> bytes:
        n = _CHUNK if n is None or n <= 0 else min(n, _SCAN)
        if self.damage is not None or self._done:
            return b""
        out = self._read_zstd(n) if self._kind == ZSTD else self._read_buffered(n)
        self._given += len(out)
        return out

    def _read_zstd(self, n: int) -> bytes:
        if self._zstd is None:
            from fastwarc.stream_io import ZstdReader

            self._file = _BlobFile(self._blob)
            self._zstd = ZstdReader(self._file, fsspec_args=False)
        assert self._file is not None
        try:
            out = bytes(self._zstd.read(n))  # type: ignore[attr-defined]
        except OSError as e:
            self.pos = self._file.pos
            return self._stop(f"is damaged: {e}")
        if not out:
            self._done = True
            # FastWARC's zstd reader may end quietly at a cut frame: the frames are walked to tell.
            if not _zstd_frames_whole(self._blob):
                self.pos = self._blob.size
                return self._stop("is truncated")
        return out

    def _read_buffered(self, n: int) -> bytes:
        """bz2 and lzma decompressors keep unconsumed input inside: fed 64 KB only when they need it."""
        magic = b"BZh" if self._kind == BZIP2 else b"\xfd7zXZ\x00"
        try:
            while True:
                if self._d is None:
                    head = self._blob.read_at(self.pos, 8)
                    if not head.startswith(magic):
                        self._done = True  # the end, or trailing bytes after the last stream
                        return b""
                    self._d = self._new()
                if self._d.needs_input:
                    data = self._blob.read_at(self.pos, _CHUNK)
                    self.pos += len(data)
                    if not data:
                        return self._stop("is truncated")
                else:
                    data = b""
                out = self._d.decompress(data, max_length=n)
                if self._d.eof:
                    self.pos -= len(self._d.unused_data)  # those bytes start the next stream
                    self._d = None
                if out:
                    return out
                if not data and self._d is not None and not self._d.needs_input:
                    return self._stop("is damaged: the decompressor makes no progress")  # pragma: no cover
        except (OSError, EOFError, ValueError, lzma.LZMAError) as e:
            return self._stop(f"is damaged: {e}")


def _zstd_frames_whole(blob: Blob) -> bool:
    """True when the blob is whole zstd frames (skippable ones too), by their frame and block headers.

    Reads a few bytes per block (blocks are at most 128 kB), never a block's data; bytes that do
    not start a frame after the last one are allowed, as the reader ignores them.
    """
    pos = 0
    while pos < blob.size:
        head = blob.read_at(pos, 14)
        magic = int.from_bytes(head[:4], "little")
        if 0x184D2A50 <= magic <= 0x184D2A5F and len(head) >= 8:  # a skippable frame
            pos += 8 + int.from_bytes(head[4:8], "little")
            continue
        if magic != 0xFD2FB528 or len(head) < 5:
            return pos > 0
        flags = head[4]
        single = bool(flags & 0x20)
        fcs = (1 if single else 0, 2, 4, 8)[flags >> 6]
        pos += 5 + (0 if single else 1) + (0, 1, 2, 4)[flags & 3] + fcs
        while True:
            block = blob.read_at(pos, 3)
            if len(block) < 3:
                return False
            word = int.from_bytes(block, "little")
            kind, size = (word >> 1) & 3, word >> 3
            if kind == 3:
                return False
            pos += 3 + (1 if kind == 1 else size)
            if word & 1:
                break
        pos += 4 if flags & 0x04 else 0
        if pos > blob.size:
            return False
    return pos == blob.size


class _Plain(_Forward):
    """A plain WARC's bytes from ``start`` on, as a file object."""

    def __init__(self, blob: Blob, start: int) -> None:
        self._blob = blob
        self._pos = start
        self._given = 0

    def read(self, n: int = -1) -> bytes:
        n = _CHUNK if n is None or n <= 0 else n
        out = self._blob.read_at(self._pos, n)
        self._pos += len(out)
        self._given += len(out)
        return out


def _find(blob: Blob, needle: bytes, start: int) -> int:
    """Offset of the first ``needle`` at or after ``start`` (-1: none), read 1 MB at a time."""
    pos = max(0, start)
    while pos < blob.size:
        window = blob.read_at(pos, _SCAN + len(needle) - 1)
        at = window.find(needle)
        if at >= 0:
            return pos + at
        pos += _SCAN
    return -1


def _starts_record(blob: Blob, pos: int) -> bool:
    """True when the gzip member at ``pos`` inflates to the start of a WARC record."""
    return _gzip_head(blob.read_at(pos, 4096)).startswith(b"WARC/")


def next_member(blob: Blob, after: int) -> int | None:
    """Offset of the next gzip member after ``after`` that starts a WARC record, or None.

    Bounded: at most ``_MAX_RESYNC_TRIES`` false starts (the gzip magic inside compressed data),
    each inflating at most 16 bytes from 4 KB, so damaged input cannot make the search slow.
    """
    pos = after
    for _ in range(_MAX_RESYNC_TRIES):
        pos = _find(blob, b"\x1f\x8b\x08", pos + 1)
        if pos < 0:
            return None
        if _starts_record(blob, pos):
            return pos
    return None


def _header_block(blob: Blob, pos: int) -> bytes | None:
    """The WARC header block at ``pos`` (through its blank line), or None when none starts there."""
    head = blob.read_at(pos, _HEADER_MAX)
    if not head.startswith((b"WARC/1.0\r\n", b"WARC/1.1\r\n", b"WARC/1.0\n", b"WARC/1.1\n")):
        return None
    end = head.find(b"\r\n\r\n")
    end = end + 4 if end >= 0 else -1
    if end < 0:
        end = head.find(b"\n\n")
        end = end + 2 if end >= 0 else -1
    if end < 0 or b"\nWARC-Type:" not in head[:end] or not _CONTENT_LENGTH_RE.search(head[:end]):
        return None
    return head[:end]


def next_header(blob: Blob, at: int) -> int | None:
    """Offset of the first plain WARC record header at or after ``at`` (at a line start), or None.

    A header is ``WARC/1.0`` or ``WARC/1.1`` at a line start followed by a header block that names
    a WARC-Type and a Content-Length. Bounded like :func:`next_member`.
    """
    if at <= 0 and _header_block(blob, 0) is not None:
        return 0
    pos = max(at, 1) - 1
    for _ in range(_MAX_RESYNC_TRIES):
        pos = _find(blob, b"\nWARC/1.", pos)
        if pos < 0:
            return None
        pos += 1
        if _header_block(blob, pos) is not None:
            return pos
    return None


def _record_end(blob: Blob, start: int) -> int | None:
    """Where the plain record at ``start`` ends by its header's Content-Length (None: unknown)."""
    block = _header_block(blob, start)
    if block is None:
        return None
    match = _CONTENT_LENGTH_RE.search(block)
    return start + len(block) + int(match.group(1)) if match else None


def sync_point(blob: Blob, gzipped: bool, start: int) -> int | None:
    """The first record (plain) or record member (gzip) at or after ``start``: where a part begins."""
    if start <= 0:
        return 0
    return next_member(blob, start - 1) if gzipped else next_header(blob, start)


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
    record_timeout: float | None = None,
) -> Iterator[Outcome]:
    """One outcome per HTML record of the WARC file ``raw`` (see the module doc).

    ``skipped``, when given, counts the records that are not pages by kind (``request``,
    ``metadata``, ``revisit``, ``warcinfo``, ``non_html`` for a response that is not HTML).
    ``record_timeout``: seconds one record may take (then it is a ``timeout`` record).
    """
    yield from part_outcomes(Blob(raw), 0, None, path, sha, compression, options, skipped, None, record_timeout)


def head_size(head: bytes) -> int:
    """How many leading bytes :func:`warc_compression` needs, given the first few (a compressed input
    needs more: a bzip2 block inflates only whole)."""
    return PACKED_HEAD if detect(head[:16]) is not None else len(head)


WARC_HEAD = 65536  # bytes first read of an open input to tell a WARC file (streamed) from one read whole


def sniff_warc(fh: IO[bytes]) -> tuple[bytes, str | None | bool]:
    """The leading bytes of an open binary input, as many as :func:`warc_compression` needs (a pipe
    may give fewer per read), and its verdict on them (False: not a WARC file)."""
    head = fh.read(WARC_HEAD)
    if not isinstance(head, (bytes, bytearray)):
        raise TypeError("a file object given to ingest must be opened in binary mode ('rb')")
    head = bytes(head)
    while len(head) < (want := head_size(head[:16])) and (more := fh.read(want - len(head))):
        head += more
    return head, warc_compression(head)


def warc_compression(head: bytes) -> str | None | bool:
    """The compression of a WARC file from its leading bytes (:func:`head_size` of them): None for a
    plain WARC, ``gzip``, ``bzip2``, ``xz`` or ``zstd`` for one packed so, False for any other input."""
    if head.startswith((b"WARC/1.", b"WARC/0.")):
        return None
    kind = detect(head[:16])
    if kind is not None and inflated_head(head, kind).startswith(b"WARC/"):
        return kind
    return False


def splittable(head: bytes, compression: str | None) -> bool:
    """True when a WARC file can be read in parts cut at byte offsets: a plain WARC, or a gzip file
    of many members (one per record or a few). A stream packed whole (bzip2, xz, zstd, or one gzip
    member holding many records, told from its first ``PACKED_HEAD`` bytes) is read in one part."""
    if compression is None:
        return True
    if compression != GZIP:
        return False
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        inflated = d.decompress(head[:PACKED_HEAD], 4 * PACKED_HEAD)
    except zlib.error:
        return True  # damaged at once: the parts find where it goes on
    if d.eof:  # the first member ended: members can be found if more follow
        return bool(d.unused_data.strip(b"\x00"))
    match = _CONTENT_LENGTH_RE.search(inflated[:_HEADER_MAX])
    block = inflated.find(b"\r\n\r\n")
    if match is None or block < 0:
        return True
    first_end = block + 4 + int(match.group(1))
    # The first member goes on past its first record: one stream for the whole file.
    return len(inflated) <= first_end + 4


def file_outcomes(
    fh: IO[bytes],
    size: int,
    path: str | None,
    compression: str | None,
    options: Options,
    skipped: Counter[str] | None = None,
    *,
    base: int = 0,
) -> Iterator[Outcome]:
    """The outcomes of the WARC file open as ``fh`` (``size`` bytes from offset ``base``), streamed.

    Memory does not grow with the file: it is hashed 1 MB at a time (``source.sha256`` is the
    file's), then its records are read through 1 MB windows, as a part of a split file is
    (:func:`part_outcomes`). ``--max-bytes`` caps each record's page, not the file, and
    ``options.timeout`` is each record's budget (a record over it is one ``timeout`` record).

    Raises:
        Unreadable: the file cannot be read.
    """
    blob = Blob(fh=fh, size=size, base=base)
    digest = hashlib.sha256()
    done = 0
    try:
        while done < size:
            chunk = blob.read_at(done, _SCAN)
            if not chunk:
                break  # shorter than it said: read what is there
            digest.update(chunk)
            done += len(chunk)
    except OSError as e:
        raise Unreadable(f"cannot read the WARC file: {e.strerror or e}") from None
    blob.size = done
    budget, options = options.timeout, replace(options, timeout=None)
    yield from part_outcomes(
        blob, 0, None, path, digest.hexdigest(), compression, options, skipped, record_timeout=budget
    )


class Seam:
    """Where a part's records began and ended: ``start`` (its first record) and ``stop`` (the next part's)."""

    def __init__(self) -> None:
        self.start: int | None = None
        self.stop: int | None = None


def part_outcomes(
    blob: Blob,
    start: int,
    end: int | None,
    path: str | None,
    sha: str,
    compression: str | None,
    options: Options,
    skipped: Counter[str] | None = None,
    seam: Seam | None = None,
    record_timeout: float | None = None,
) -> Iterator[Outcome]:
    """The outcomes of the records that *start* in ``[start, end)`` of a WARC file, numbered from 1.

    The first record is the first one at or after ``start`` (:func:`sync_point`); the last is the
    one before the first record that starts at or after ``end`` (None: the end of the file), so
    parts cut at any offsets together read every record once, in the same order as the whole
    file. ``seam`` receives where this part's records began and where the next part's begin.
    ``record_timeout``: seconds one record may take (then it is a ``timeout`` record).
    """
    from fastwarc.warc import ArchiveIterator

    skipped = skipped if skipped is not None else Counter()
    seam = seam if seam is not None else Seam()
    gzipped = compression == GZIP
    packed = compression in PACKED  # one stream: read from its start, never resynchronised
    limit = blob.size if end is None else min(end, blob.size)
    number = 0
    pos = (0 if start <= 0 else None) if packed else sync_point(blob, gzipped, start)
    seam.start = pos if pos is not None else blob.size
    while pos is not None and pos < limit:
        members: _Members | _Inflating | None = None
        if packed:
            members = _Inflating(blob, compression)  # type: ignore[arg-type]
        elif gzipped:
            members = _Members(blob, pos, limit)
        stream = members if members is not None else _Plain(blob, pos)
        failure: str | None = None
        last_corrupt = False
        last_start: int | None = None  # plain: where the last record read began
        stopped = False
        try:
            for record in ArchiveIterator(
                stream, parse_http=True, auto_decode="all", stream_detect=False, fsspec_args=False
            ):
                if members is None:
                    at = pos + int(getattr(record, "stream_pos", 0) or 0)
                    # The next part begins at the first header sync_point accepts; a record
                    # FastWARC reads at a place sync_point would not is still this part's.
                    if at >= limit and _header_block(blob, at) is not None:
                        seam.stop, stopped = at, True
                        break
                    last_start = at
                kind = _kind_of(record)
                if kind not in ("response", "resource"):
                    skipped[kind] += 1
                    continue
                outcome = _timed_record(record, number + 1, blob.size, path, sha, compression, options, record_timeout)
                if outcome is None:
                    skipped["non_html"] += 1
                    continue
                number += 1
                last_corrupt = outcome.error is not None and outcome.error.code == "corrupt"
                yield outcome
        except (OSError, _Panic) as e:  # FastWARC: a record it cannot parse
            if not isinstance(e, OSError) and type(e).__name__ != "PanicException":
                raise  # KeyboardInterrupt, the per-input timeout…: not the record's doing
            failure = f"a WARC record cannot be parsed: {e}"
        if stopped:
            return
        damage = members.damage if members is not None else None
        if failure is not None or (damage is not None and not last_corrupt):
            number += 1
            message = f"{damage.message} (at byte {damage.offset:,})" if damage is not None else failure
            yield _damaged(number, f"{message}; the records before it are kept")
        if packed:
            pos = None  # a stream packed whole cannot be entered again after damage
        elif isinstance(members, _Members):
            if damage is not None:
                pos = next_member(blob, damage.offset)
            elif failure is not None:
                pos = next_member(blob, members.member_start)
            else:
                pos = members.stopped_at  # None: the end of the file
        elif failure is not None:
            # Resynchronise after the last record read whole (by its Content-Length), else after
            # the point the failed attempt began: the next line that starts a WARC header.
            after = _record_end(blob, last_start) if last_start is not None else None
            # (+ 1: the header there is the one that failed.)
            pos = next_header(blob, (after if after is not None and after > pos else pos) + 1)
        else:
            pos = None
    seam.stop = pos if pos is not None else blob.size


def _damaged(number: int, message: str) -> Outcome:
    from .assemble import Outcome

    return Outcome(number, error=Corrupt(message))


def _timed_record(
    record: object,
    number: int,
    size: int,
    path: str | None,
    sha: str,
    compression: str | None,
    options: Options,
    timeout: float | None,
) -> Outcome | None:
    """:func:`_record_outcome` within ``timeout`` seconds; past it, the record is a ``timeout`` error."""
    if not timeout:
        return _record_outcome(record, number, size, path, sha, compression, options)
    from .assemble import Outcome
    from .budget import InputTimeout, deadline

    try:
        with deadline(timeout):
            return _record_outcome(record, number, size, path, sha, compression, options)
    except InputTimeout:
        message = f"cleaning this record took longer than its {timeout:g}-second budget (--input-timeout)"
        return Outcome(number, error=IngestError(message, code="timeout"))


_READ_CHUNK = 1 << 20


def _read_upto(reader: Any, limit: int, length: int) -> bytes:
    """The payload's next ``limit`` bytes, or all of it when shorter (``reader.read(limit)``).

    Read as the record's length promises, then on until the end: asking FastWARC for the whole
    cap (``--max-bytes``, 50 MB) at once cost a buffer of that size for every page. A payload
    decoded (gzip, chunked) to more than the record's length is read on 1 MB at a time.
    """
    first = reader.read(min(limit, length + 1) if length > 0 else min(limit, _READ_CHUNK))
    parts, size = [first], len(first)
    while size < limit:
        more = reader.read(min(limit - size, _READ_CHUNK))
        if not more:
            break
        parts.append(more)
        size += len(more)
    return first if len(parts) == 1 else b"".join(parts)


def _record_outcome(
    record: object, number: int, size: int, path: str | None, sha: str, compression: str | None, options: Options
) -> Outcome | None:
    from .assemble import Outcome, build_article, with_doc_id

    length = getattr(record, "content_length", 0) or 0
    http = getattr(record, "http_headers", None)
    # A Content-Encoding (gzip, br) or chunked payload is decoded by FastWARC (auto_decode): its
    # length is not the record's, so only an identity payload is checked for truncation here.
    encoded = http is not None and any(
        (http.get(name) or "identity").strip().lower() != "identity"
        for name in ("Content-Encoding", "Transfer-Encoding")
    )
    ctype = (getattr(record, "http_content_type", None) or "").split(";", 1)[0].strip().lower()
    if ctype not in _HTML_TYPES and ctype not in _SNIFF_TYPES:
        return None  # an image, a PDF…: its payload is never read (FastWARC skips it)
    try:
        # A type that may hide a page is sniffed from its first 2 KB before the rest is read.
        reader = record.reader  # type: ignore[attr-defined]
        if ctype in _HTML_TYPES:
            payload = _read_upto(reader, options.max_bytes + 1, length)
        else:
            payload = reader.read(2048)
            if not _is_page(record, payload):
                return None
            if len(payload) <= options.max_bytes:
                payload += _read_upto(reader, options.max_bytes + 1 - len(payload), length)
    except OSError as e:  # a damaged gzip/br/chunked payload: this record only
        return Outcome(number, error=Corrupt(f"the record's payload cannot be decoded: {e}"))
    headers = record.headers  # type: ignore[attr-defined]
    uri = _clean_header(headers.get("WARC-Target-URI"), 2048)
    fetched = _clean_header(headers.get("WARC-Date"), 40)
    if fetched is not None and not _WARC_DATE_RE.match(fetched):
        fetched = None
    record_id = _clean_header(headers.get("WARC-Record-ID"))
    try:
        if len(payload) > options.max_bytes:
            raise TooLarge(
                f"the record's page is over the {options.max_bytes:,}-byte cap (raise --max-bytes to accept it)"
            )
        if not encoded and len(payload) < length:
            raise Corrupt(
                f"the record is truncated: {len(payload):,} of {length:,} bytes; the records before it are kept"
            )
        charset = _clean_header(getattr(record, "http_charset", None), 40)
        decoded = decode_bytes(
            payload, declared=charset or declared_charset(payload, "html"), max_bytes=options.max_bytes
        )
        for draft in read(decoded.text, "html", options):
            if draft.error is not None:
                raise draft.error
            source = Source(
                path=path,
                sha256=sha,
                bytes=size,
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
