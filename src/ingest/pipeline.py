"""The one forward pass: bytes → decoded text → reader → text fixes → metadata → Article.

Every public entry point (library, ``ingest clean``, ``ingest run``, ``ingest watch``, the Dask
executor) goes through :func:`iter_articles`; nothing else builds an :class:`Article`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO, Union

from .compression import open_input
from .decode import Decoded, decode_bytes
from .errors import (
    EmptyInput, IngestError, MultipleRecords, NoText, NotFound, NotRegular, TooLarge, Unreadable, UnsupportedFormat,
)
from .fixes import repair_text
from .fixes.artifacts import boilerplate_kept
from .fixes.mojibake import mojibake_remaining
from .metadata import Metadata, extract_metadata
from .model import Article, ArticleWarning, Hint, Source, Stats, date_precision, make_doc_id
from .options import Options
from .readers import Draft, declared_charset, read, sniff_format, unsupported_format

#: What the entry points take: text, bytes, a path (``pathlib.Path`` or any ``os.PathLike``; a
#: plain ``str`` is always text), or a binary file object opened for reading.
Input = Union[str, bytes, bytearray, memoryview, "os.PathLike[str]", BinaryIO]

_DEFAULT = Options()
_MARKUP_FIXES = frozenset({"replace_html_tags", "decode_html_entities"})
_SINGLE_NL_RE = re.compile(r"(?<!\n)\n(?!\n)")


@dataclass(frozen=True)
class Outcome:
    """One record's result: an article, or the error that rejected it (never both)."""

    record: int | None
    article: Article | None = None
    error: IngestError | None = None


def _to_bytes(data: str | bytes) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, (bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        # surrogatepass: a str with lone surrogates still has a stable byte identity.
        return data.encode("utf-8", "surrogatepass")
    raise TypeError(f"clean_article takes str or bytes, not {type(data).__name__}")


def _read_source(data: Input, path: str | None, max_bytes: int) -> tuple[str | bytes, str | None]:
    """A path or binary file object becomes its bytes (at most ``max_bytes`` + 1 of them, so the
    size cap still rejects it); the path names the source when the caller gave none."""
    if isinstance(data, os.PathLike):
        where = os.fspath(data)
        try:
            if not os.path.isfile(where):
                if not os.path.lexists(where):
                    raise NotFound(f"{where}: no such file")
                raise NotRegular(f"{where}: not a regular file")
            with open(where, "rb") as f:
                return f.read(max_bytes + 1), path if path is not None else where
        except OSError as e:
            raise Unreadable(f"{where}: {e.strerror or e}") from None
    read_fn = getattr(data, "read", None)
    if read_fn is not None and not isinstance(data, (str, bytes, bytearray, memoryview)):
        chunk = read_fn(max_bytes + 1)
        if not isinstance(chunk, (bytes, bytearray)):
            raise TypeError("a file object given to ingest must be opened in binary mode ('rb')")
        name = getattr(data, "name", None)
        return bytes(chunk), path if path is not None else (name if isinstance(name, str) else None)
    return data, path  # type: ignore[return-value]


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

    Raises:
        IngestError: when the input as a whole is rejected (empty, binary, too large, …).
            Record-level rejections are yielded as ``Outcome(error=…)`` instead.
    """
    options = options or _DEFAULT
    data, path = _read_source(data, path, options.max_bytes)
    if options.timeout is not None:  # in a child process killed at the deadline (see ingest.budget)
        from dataclasses import replace

        from .budget import outcomes_in_child

        yield from outcomes_in_child(data, path, replace(options, timeout=None), options.timeout)
        return
    raw = _to_bytes(data)
    if len(raw) > options.max_bytes:
        raise TooLarge(f"input is {len(raw):,} bytes, over the {options.max_bytes:,}-byte cap (raise --max-bytes to accept it)")
    sha, size, name, compression = hashlib.sha256(raw).hexdigest(), len(raw), path, None
    if not isinstance(data, str):  # compressed bytes inflate under the cap; a WARC file holds many pages
        opened = open_input(raw, path, options.max_bytes)
        if opened.warc and options.format is None:
            from .warc import warc_outcomes

            yield from warc_outcomes(raw, path, sha, opened.compression, options, skipped)
            return
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


def build_article(
    draft: Draft,
    source: Source,
    decode_warnings: tuple[ArticleWarning, ...],
    options: Options,
    *,
    url: str | None = None,
) -> Article:
    """Repair one draft's text, extract its metadata and assemble the Article."""
    enabled = options.enabled_fixes()
    if draft.markup_parsed:
        # The HTML parser already decoded entities and turned tags into structure: exactly once.
        enabled = tuple(name for name in enabled if name not in _MARKUP_FIXES)
    # The page's declared titles: the one headline line a rendered body may start with.
    titles = tuple(h.value for h in draft.hints if h.field == "title" and isinstance(h.value, str))
    repaired = repair_text(
        draft.text, enabled=enabled, strip_artifacts=options.strip_artifacts, markup_parsed=draft.markup_parsed,
        titles=titles,
    )
    # The contract: paragraphs separated by exactly one blank line, no line breaks inside.
    body = _SINGLE_NL_RE.sub("\n\n", repaired.text).strip()
    if not any(c.isalnum() for c in body):
        raise NoText("no article text left after decoding and cleaning")  # the outcome carries the record number
    hints = draft.hints
    if url:
        # The caller's URL: after a record's own url field (one JSONL file, many records), before
        # what the page says about itself (canonical, og:url).
        own = tuple(h for h in hints if h.source.startswith("record:"))
        hints = own + (Hint("url", url, "input:url"),) + hints[len(own):]
    meta = extract_metadata(
        body,
        removed=repaired.removed,
        hints=hints,
        detect_lang=options.detect_language,
        disabled_fixes=options.disabled_fixes,
    )
    if "fix_mojibake" in enabled or "fix_lossy_mojibake" in enabled:
        left = mojibake_remaining(body)
        if left:  # kept as written, never silently: mojibake no rule could decide
            meta.warnings.append(ArticleWarning("mojibake_remaining", f"{left} place(s) still look like mojibake and were kept as written"))
    if options.strip_artifacts and "strip_boilerplate_lines" in enabled:
        kept = boilerplate_kept(body)
        if kept:  # when in doubt a line stays, never silently
            meta.warnings.append(ArticleWarning("boilerplate_kept", f"{kept} paragraph(s) read like boilerplate and were kept as text"))
    v, field_warnings = clean_fields(meta, hints=hints)
    return Article(
        id=hashlib.sha256(body.encode("utf-8")).hexdigest()[:24],
        body=body,
        source=source,
        title=v.title,
        publisher=v.publisher,
        published=v.published,
        updated=v.updated,
        authors=v.authors,
        dateline=v.dateline,
        language=v.language,
        url=v.url,
        description=v.description,
        tags=v.tags,
        image=v.image,
        field_sources=tuple(sorted(v.sources.items())),
        fixes=repaired.fixes,
        removed=repaired.removed,
        warnings=tuple(decode_warnings) + tuple(draft.warnings) + tuple(meta.warnings) + field_warnings,
        stats=Stats.of(body),
        published_precision=date_precision(v.published),
        updated_precision=date_precision(v.updated),
        extra=draft.extra,
    )


# Linear (single character classes). Controls that are blanks become a space; every other C0/C1
# control (NUL, ESC, DEL, …) is dropped.
_FIELD_BLANK_CONTROL_RE = re.compile("[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
_FIELD_SPACE_RE = re.compile(r"\s+")
_TEXT_FIELDS = ("title", "publisher", "dateline", "description", "published", "updated", "language")
_LIST_FIELDS = ("authors", "tags")
_URL_FIELDS = ("url", "image")
MAX_URL = 2048


def clean_field_text(value: str) -> str:
    """One metadata string as the body's characters are: no C0/C1 control, no invisible or bidi
    control character, blanks collapsed to single spaces, no surrounding space."""
    from .fixes.chars import remove_invisible_chars

    value = _FIELD_BLANK_CONTROL_RE.sub(" ", value)
    value = remove_invisible_chars(value)[0]
    return _FIELD_SPACE_RE.sub(" ", value).strip()


def _valid_url(value: str) -> bool:
    from urllib.parse import urlsplit

    if len(value) > MAX_URL or not value.isprintable() or " " in value:
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  raises on a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def clean_fields(meta: Metadata, hints: tuple[Hint, ...] = ()) -> tuple[Metadata, tuple[ArticleWarning, ...]]:
    """Every string field of an Article cleaned in one place, whatever reader or extractor set it.

    Text fields lose control characters and extra blanks (a value left empty becomes null); list
    fields lose the items left empty and repeats; ``url`` and ``image`` must be absolute http(s)
    URLs of printable characters without blanks, at most 2,048 characters — otherwise null, with
    an ``invalid_url`` warning. Returns a cleaned copy whose ``sources`` name only fields left set.
    """
    changes: dict[str, object] = {}
    warnings: list[ArticleWarning] = []
    for name in _TEXT_FIELDS:
        value = getattr(meta, name)
        if isinstance(value, str):
            changes[name] = clean_field_text(value) or None
    for name in _LIST_FIELDS:
        kept: list[str] = []
        for item in getattr(meta, name):
            text = clean_field_text(item)
            if text and text not in kept:
                kept.append(text)
        changes[name] = tuple(kept)
    for name in _URL_FIELDS:
        value = getattr(meta, name)
        if value is None:  # the metadata cascade refused every candidate: say so for the first
            value = next((h.value for h in hints if h.field == name and isinstance(h.value, str) and h.value.strip()), None)
        if isinstance(value, str):
            text = value.strip()  # a control character inside a URL rejects it, never repaired
            if text and _valid_url(text):
                changes[name] = text
            else:
                changes[name] = None
                shown = clean_field_text(text)[:80].encode("ascii", "backslashreplace").decode("ascii")
                warnings.append(ArticleWarning("invalid_url", f"{name} {shown!r} is not an absolute http(s) URL of printable characters: left out"))
    out = replace(meta, **changes)
    out.sources = {k: src for k, src in meta.sources.items() if getattr(out, k) not in (None, ())}
    return out, tuple(warnings)


def with_doc_id(article: Article, draft: Draft, sha: str) -> Article:
    """``article`` with its ``doc_id``: the record's own id/guid/url, else source path + record number."""
    record = draft.record or 0
    if draft.doc_key is not None:
        where, basis = draft.doc_key[0], "record:" + draft.doc_key[1]
    elif article.source.path is not None:
        where, basis = "source:path", f"path:{article.source.path}#{record}"
    else:
        where, basis = "source:sha256", f"sha256:{sha}#{record}"
    return replace(article, doc_id=make_doc_id(basis), field_sources=tuple(sorted((*article.field_sources, ("doc_id", where)))))


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
