"""Compressed inputs: gzip, bzip2, xz and zstd.

An input is recognised by its magic bytes, never by its name alone, and inflated under the size
cap: output is produced at most ``max_bytes + 1`` bytes at a time, so a decompression bomb stops
with ``too_large`` after that many bytes, never after filling memory. The inner name
(``x.jsonl.gz`` → ``x.jsonl``) then picks the reader, as the plain file's name would.

A compressed stream that inflates to a WARC record (``.warc.gz``, ``.warc.bz2``, ``.warc.xz``,
``.warc.zst``) is left packed: the WARC reader inflates it as it reads its records (a gzip file
member by member, so one damaged member costs only its own records), with no cap on the file.
"""

from __future__ import annotations

import bz2
import lzma
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from .errors import Corrupt, TooLarge

GZIP, BZIP2, XZ, ZSTD = "gzip", "bzip2", "xz", "zstd"
#: Leading bytes enough to inflate the first bytes of any compressed input: a bzip2 block (at most
#: 900 kB before packing, a little more after on incompressible bytes) inflates only whole.
PACKED_HEAD = 1 << 20

# Names a compressed input may carry; only the magic bytes decide that it is compressed.
_SUFFIXES = {".gz": GZIP, ".gzip": GZIP, ".bz2": BZIP2, ".xz": XZ, ".zst": ZSTD, ".zstd": ZSTD}


@dataclass(frozen=True)
class Opened:
    """An input's bytes as the readers see them."""

    data: bytes  # decompressed bytes (or the packed bytes of a WARC, see ``warc``)
    path: str | None  # the inner name (``x.jsonl`` for ``x.jsonl.gz``): picks the reader
    compression: str | None  # gzip, bzip2, xz, zstd, or None
    warc: bool = False  # a WARC file (plain or packed): read record by record by ingest.warc


def detect(head: bytes) -> str | None:
    """The compression the leading bytes announce, or None."""
    if head.startswith(b"\x1f\x8b\x08"):  # gzip, deflate method
        return GZIP
    # "BZh", block size 1-9, then a block's magic (pi) or the empty stream's end-of-stream magic.
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[3:4] != b"0" and head[4:10] in (b"1AY&SY", b"\x17rE8P\x90"):
        return BZIP2
    if head.startswith(b"\xfd7zXZ\x00"):
        return XZ
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return ZSTD
    if head[1:4] == b"\x2a\x4d\x18" and 0x50 <= head[0] <= 0x5F:  # a skippable frame first (pzstd writes one)
        return ZSTD
    return None


def inner_name(path: str | None) -> str | None:
    """``a/b.jsonl.gz`` → ``a/b.jsonl``; a name without a compression suffix stays as it is."""
    if not path:
        return path
    stem, ext = os.path.splitext(path)
    return stem if ext.lower() in _SUFFIXES and stem and not stem.endswith(("/", os.sep)) else path


def _is_warc_head(head: bytes) -> bool:
    return head.startswith((b"WARC/1.", b"WARC/0."))


def open_input(raw: bytes, path: str | None, max_bytes: int) -> Opened:
    """Detect and inflate ``raw`` (see the module doc).

    Raises:
        TooLarge: the inflated bytes pass ``max_bytes``.
        Corrupt: the stream announced by the magic bytes is damaged or truncated.
    """
    kind = detect(raw[:16])
    if kind is None:
        return Opened(raw, path, None, warc=_is_warc_head(raw))
    if _is_warc_head(inflated_head(raw[:PACKED_HEAD], kind)):
        return Opened(raw, inner_name(path), kind, warc=True)
    inflated = decompress(raw, kind, max_bytes)
    return Opened(inflated, inner_name(path), kind)


def _gzip_head(raw: bytes | memoryview) -> bytes:
    """The first few inflated bytes of a gzip stream (empty when they cannot be had)."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw[:65536], 16)
    except zlib.error:
        return b""


def inflated_head(head: bytes | memoryview, kind: str | None, n: int = 16) -> bytes:
    """At most ``n`` inflated bytes from the leading bytes ``head`` of a ``kind`` stream (empty when
    they cannot be had; ``head`` itself when ``kind`` is None)."""
    if kind is None:
        return bytes(head[:n])
    try:
        if kind == GZIP:
            return _gzip_head(head)[:n]
        if kind == BZIP2:
            return bz2.BZ2Decompressor().decompress(bytes(head), max_length=n)
        if kind == XZ:
            return lzma.LZMADecompressor(lzma.FORMAT_XZ).decompress(bytes(head), max_length=n)
        if kind == ZSTD:
            import io

            from fastwarc.stream_io import ZstdReader

            return bytes(ZstdReader(io.BytesIO(bytes(head)), fsspec_args=False).read(n))
    except (OSError, EOFError, ValueError, lzma.LZMAError):
        return b""
    return b""


def _too_large(max_bytes: int, kind: str) -> TooLarge:
    return TooLarge(
        f"the {kind} input inflates to more than the {max_bytes:,}-byte cap (raise --max-bytes to accept it)"
    )


def decompress(raw: bytes, kind: str, max_bytes: int) -> bytes:
    """All members/streams of ``raw`` inflated, never more than ``max_bytes`` + 1 bytes held."""
    if kind == GZIP:
        return _inflate_zlib(raw, max_bytes)
    if kind == BZIP2:
        return _inflate_buffered(raw, bz2.BZ2Decompressor, b"BZh", max_bytes, kind)
    if kind == XZ:
        return _inflate_buffered(raw, lambda: lzma.LZMADecompressor(lzma.FORMAT_XZ), b"\xfd7zXZ\x00", max_bytes, kind)
    if kind == ZSTD:
        return _inflate_zstd(raw, max_bytes)
    raise ValueError(f"unknown compression {kind!r}")  # pragma: no cover


def _inflate_zlib(raw: bytes, max_bytes: int) -> bytes:
    out = bytearray()
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data: bytes = raw
    try:
        while True:
            out += d.decompress(data, max_bytes + 1 - len(out))  # max_length >= 1: never unbounded
            if len(out) > max_bytes:
                raise _too_large(max_bytes, GZIP)
            if d.eof:
                rest = d.unused_data
                if not rest.startswith(b"\x1f\x8b"):
                    break  # trailing zero padding or garbage after the last member: ignored, as gzip does
                d, data = zlib.decompressobj(16 + zlib.MAX_WBITS), rest  # concatenated members
            elif d.unconsumed_tail:
                data = d.unconsumed_tail
            else:
                raise Corrupt("the gzip stream is truncated")
    except zlib.error as e:
        raise Corrupt(f"the gzip stream is damaged: {e}") from None
    return bytes(out)


def _inflate_buffered(raw: bytes, make: Callable[[], object], magic: bytes, max_bytes: int, kind: str) -> bytes:
    """bz2 and lzma decompressors keep unconsumed input inside; feed once, then drain with b""."""
    out = bytearray()
    d = make()
    data: bytes = raw
    try:
        while True:
            out += d.decompress(data, max_length=max_bytes + 1 - len(out))  # type: ignore[attr-defined]
            data = b""
            if len(out) > max_bytes:
                raise _too_large(max_bytes, kind)
            if d.eof:  # type: ignore[attr-defined]
                rest = d.unused_data  # type: ignore[attr-defined]
                if not rest.startswith(magic):
                    break
                d, data = make(), rest  # concatenated streams (pbzip2, xz -T)
            elif d.needs_input:  # type: ignore[attr-defined]
                raise Corrupt(f"the {kind} stream is truncated")
    except (OSError, lzma.LZMAError, EOFError, ValueError) as e:
        raise Corrupt(f"the {kind} stream is damaged: {e}") from None
    return bytes(out)


def _inflate_zstd(raw: bytes, max_bytes: int) -> bytes:
    """zstd through FastWARC's reader (already a dependency for WARC files): no second package."""
    import io

    from fastwarc.stream_io import ZstdReader

    out = bytearray()
    try:
        reader = ZstdReader(io.BytesIO(raw), fsspec_args=False)
        while len(out) <= max_bytes:
            more = reader.read(min(1 << 20, max_bytes + 1 - len(out)))
            if not more:
                break
            out += more
    except OSError as e:
        raise Corrupt(f"the zstd stream is damaged: {e}") from None
    if len(out) > max_bytes:
        raise _too_large(max_bytes, ZSTD)
    return bytes(out)
