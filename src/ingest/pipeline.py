"""The one forward pass: bytes → decoded text → reader → text fixes → metadata → Article.

Every public entry point (library, ``ingest clean``, ``ingest run``, ``ingest watch``, the Dask
executor) goes through :func:`iter_articles`; nothing else builds an :class:`Article`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO, Union

# Draft → Article lives one level down (ingest.warc finishes its records there too); the names stay
# importable from here.
from .assemble import MAX_URL, Outcome, build_article, clean_field_text, clean_fields, with_doc_id
from .compression import open_input
from .decode import Decoded, decode_bytes
from .errors import (
    EmptyInput,
    IngestError,
    MultipleRecords,
    NoText,
    NotFound,
    NotRegular,
    TooLarge,
    Unreadable,
    UnsupportedFormat,
)
from .model import Article, Source
from .options import Options
from .readers import declared_charset, read, sniff_format, unsupported_format
from .warc import file_outcomes, head_size, sniff_warc, warc_compression, warc_outcomes

__all__ = [
    "MAX_URL",
    "Input",
    "Outcome",
    "build_article",
    "clean_article",
    "clean_field_text",
    "clean_fields",
    "iter_articles",
    "with_doc_id",
]

#: What the entry points take: text, bytes, a path (``pathlib.Path`` or any ``os.PathLike``; a
#: plain ``str`` is always text), or a binary file object opened for reading.
Input = Union[str, bytes, bytearray, memoryview, "os.PathLike[str]", BinaryIO]

_DEFAULT = Options()


def _to_bytes(data: str | bytes) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        # surrogatepass: a str with lone surrogates still has a stable byte identity.
        return data.encode("utf-8", "surrogatepass")
    raise TypeError(f"clean_article takes str or bytes, not {type(data).__name__}")


_SPOOL_CHUNK = 1 << 20


@dataclass
class _WarcFile:
    """A WARC file given as a path or file object: streamed record by record, never read whole."""

    fh: BinaryIO
    base: int  # where the WARC begins in ``fh``
    size: int
    compression: str | None
    owned: bool  # opened (or spooled) here: closed when its records are done


def _read_source(
    data: Input, path: str | None, max_bytes: int, *, stream_warc: bool
) -> tuple[str | bytes | _WarcFile, str | None]:
    """A path or binary file object becomes its bytes (at most ``max_bytes`` + 1 of them, so the
    size cap still rejects it), or a :class:`_WarcFile` when it holds a WARC file and
    ``stream_warc``; the path names the source when the caller gave none."""
    if isinstance(data, os.PathLike):
        where = os.fspath(data)
        try:
            if not os.path.isfile(where):
                if not os.path.lexists(where):
                    raise NotFound(f"{where}: no such file")
                raise NotRegular(f"{where}: not a regular file")
            f = open(where, "rb")
        except OSError as e:
            raise Unreadable(f"{where}: {e.strerror or e}") from None
        found: bytes | _WarcFile | None = None
        try:
            found = _read_stream(f, max_bytes, stream_warc=stream_warc)
        except OSError as e:
            raise Unreadable(f"{where}: {e.strerror or e}") from None
        finally:
            if not isinstance(found, _WarcFile):  # a streamed WARC owns the file from here on
                f.close()
        name = path if path is not None else where
        return (replace(found, owned=True) if isinstance(found, _WarcFile) else found), name
    if getattr(data, "read", None) is not None and not isinstance(data, (str, bytes, bytearray, memoryview)):
        name = getattr(data, "name", None)
        # A name in angle brackets (``<stdin>``) is Python's label for a stream, not a path.
        if path is None and isinstance(name, str) and not name.startswith("<"):
            path = name
        try:
            return _read_stream(data, max_bytes, stream_warc=stream_warc), path  # type: ignore[arg-type]
        except OSError as e:
            raise Unreadable(f"cannot read the input: {e.strerror or e}") from None
    return data, path  # type: ignore[return-value]


def _read_stream(fh: BinaryIO, max_bytes: int, *, stream_warc: bool) -> bytes | _WarcFile:
    """An open binary file's bytes (at most ``max_bytes`` + 1), or a :class:`_WarcFile` when it
    holds a WARC file and ``stream_warc`` (then ``fh`` is not closed here)."""
    head, kind = sniff_warc(fh)
    if stream_warc and kind is not False:
        return _warc_stream(fh, head, kind or None)
    if len(head) <= max_bytes:
        head += fh.read(max_bytes + 1 - len(head))
    return head


def _warc_stream(fh: BinaryIO, head: bytes, compression: str | None) -> _WarcFile:
    """A WARC file object whose first ``head`` bytes were just read: used in place when it can seek,
    else (a pipe, standard input) spooled to a temporary file, 1 MB at a time."""
    try:
        if fh.seekable():
            base = fh.tell() - len(head)
            end = fh.seek(0, os.SEEK_END)
            return _WarcFile(fh, base, end - base, compression, owned=False)
    except (AttributeError, OSError, ValueError):
        pass  # not seekable after all: spooled
    spool = tempfile.TemporaryFile(prefix="ingest-warc-")
    try:
        spool.write(head)
        while chunk := fh.read(_SPOOL_CHUNK):
            spool.write(chunk)
        spool.flush()
        return _WarcFile(spool, 0, spool.tell(), compression, owned=True)  # type: ignore[arg-type]
    except OSError as e:
        spool.close()
        raise Unreadable(f"cannot read the WARC stream: {e.strerror or e}") from None
    except BaseException:
        spool.close()
        raise


def _decode(data: str | bytes, raw: bytes, fmt: str, options: Options) -> Decoded:
    if isinstance(data, str):
        if len(raw) > options.max_bytes:
            raise TooLarge(f"input is {len(raw):,} bytes, over the {options.max_bytes:,}-byte cap")
        if not data.strip():
            raise EmptyInput("input is empty or only whitespace")
        return Decoded(data, "utf-8", 1.0)
    return decode_bytes(raw, declared=declared_charset(raw, fmt), max_bytes=options.max_bytes)


def iter_articles(
    data: Input,
    *,
    path: str | None = None,
    options: Options | None = None,
    url: str | None = None,
    skipped: Counter[str] | None = None,
) -> Iterator[Outcome]:
    """Clean every document in one input (a JSONL file holds many).

    ``data`` and ``path`` are as for :func:`clean_article`: bytes, text, a path or a binary file.
    ``url`` is where the input was fetched from (a scraper record, a WARC header): evidence for
    the article's ``url`` and ``published`` (``/2019/05/31/``). A record's own url field and the
    page's ``<link rel=canonical>``/``og:url`` are used as well. ``skipped``, when given, counts a
    WARC file's records that are not pages, by kind (``request``, ``non_html``, …).

    A WARC file (``.warc``, ``.warc.gz``, or packed whole as ``.warc.bz2``, ``.warc.xz``,
    ``.warc.zst``; told by its bytes) given as a path or a binary file object is streamed: hashed,
    then read record by record through 1 MB windows, inflating as it goes (a pipe is first
    spooled to a temporary file), so memory does not grow with the file. For a WARC
    file ``options.max_bytes`` caps each record's page, not the file, and ``options.timeout`` is
    each record's budget (as in ``ingest run``).

    Raises:
        IngestError: when the input as a whole is rejected (empty, binary, too large, …).
            Record-level rejections are yielded as ``Outcome(error=…)`` instead.
    """
    options = options or _DEFAULT
    data, path = _read_source(data, path, options.max_bytes, stream_warc=options.format is None)
    if isinstance(data, _WarcFile):  # a WARC file given as a path or file object: streamed
        try:
            yield from file_outcomes(data.fh, data.size, path, data.compression, options, skipped, base=data.base)
        finally:
            if data.owned:
                data.fh.close()
        return
    if options.format is None and isinstance(data, (bytes, bytearray, memoryview)):
        kind = warc_compression(bytes(data[: head_size(bytes(data[:16]))]))
        if kind is not False:  # a WARC file already in memory: the caps are per record, as when streamed
            raw = _to_bytes(data)
            budget = options.timeout
            sha = hashlib.sha256(raw).hexdigest()
            yield from warc_outcomes(raw, path, sha, kind or None, replace(options, timeout=None), skipped, budget)
            return
    if options.timeout is not None:  # in a child process killed at the deadline (see ingest.budget)
        from .budget import outcomes_in_child

        # The child runs this very function (passed in: ingest.budget does not import the pipeline).
        yield from outcomes_in_child(iter_articles, data, path, replace(options, timeout=None), options.timeout)
        return
    raw = _to_bytes(data)
    if len(raw) > options.max_bytes:
        raise TooLarge(
            f"input is {len(raw):,} bytes, over the {options.max_bytes:,}-byte cap (raise --max-bytes to accept it)"
        )
    sha, size, name, compression = hashlib.sha256(raw).hexdigest(), len(raw), path, None
    if not isinstance(data, str):  # compressed bytes inflate under the cap
        opened = open_input(raw, path, options.max_bytes)
        raw, data, name, compression = opened.data, opened.data, opened.path, opened.compression
    if options.format is None:
        why = unsupported_format(raw, name)
        if why is not None:
            raise UnsupportedFormat(why)
    fmt = options.format or sniff_format(raw, name)
    decoded = _decode(data, raw, fmt, options)
    for draft in read(decoded.text, fmt, options):
        if draft.error is not None:
            yield Outcome(draft.record, error=draft.error)
            continue
        source = Source(
            path=path,
            sha256=sha,
            bytes=size,
            format=draft.format,
            encoding=decoded.encoding,
            encoding_confidence=decoded.confidence,
            record=draft.record,
            compression=compression,
        )
        try:
            article = build_article(draft, source, decoded.warnings, options, url=url)
            yield Outcome(draft.record, article=with_doc_id(article, draft, sha))
        except IngestError as e:
            if draft.record is None:
                raise
            yield Outcome(draft.record, error=e)


def clean_article(
    data: Input,
    *,
    path: str | None = None,
    options: Options | None = None,
    url: str | None = None,
) -> Article:
    """Clean one article.

    Args:
        data: the raw input — bytes (decoded with BOM/UTF-8/declared charset/detection), an
            already decoded ``str``, a path (``pathlib.Path``/``os.PathLike``; a plain ``str`` is
            always text) or a binary file object, read up to the size cap.
        path: where the input came from; recorded in ``source.path`` and used to pick the reader
            by extension (a path or a file object's name is used when this is None). Nothing is
            read from it.
        options: an :class:`Options`; defaults to the default plan.
        url: the address the input was fetched from, if known. Recorded in ``url`` (unless a
            record names its own) and read for the publication date (``/2019/05/31/``).

    Returns:
        The :class:`Article`.

    Raises:
        IngestError: a subclass with a stable ``code`` (``empty``, ``binary``, ``too_large``,
            ``undecodable``, ``no_text``, ``bad_record``, ``bad_html``, …). A JSON/JSONL input
            holding more than one record raises ``IngestError(code="multiple_records")``:
            use :func:`iter_articles` for those.
    """
    outcomes = list(iter_articles(data, path=path, options=options, url=url))
    if len(outcomes) != 1:
        if not outcomes:
            raise NoText("the input holds no records")
        raise MultipleRecords(f"the input holds {len(outcomes)} records; use iter_articles() for multi-record inputs")
    only = outcomes[0]
    if only.error is not None:
        raise only.error
    assert only.article is not None
    return only.article
