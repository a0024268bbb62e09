"""The one forward pass: bytes → decoded text → reader → text fixes → metadata → Article.

Every public entry point (library, ``ingest clean``, ``ingest run``, ``ingest watch``, the Dask
executor) goes through :func:`iter_articles`; nothing else builds an :class:`Article`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .decode import Decoded, decode_bytes
from .errors import EmptyInput, IngestError, MultipleRecords, NoText, TooLarge
from .fixes import repair_text
from .metadata import Hint, extract_metadata
from .model import Article, ArticleWarning, Source, Stats
from .options import Options
from .readers import Draft, declared_charset, read, sniff_format

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


def _decode(data: str | bytes, raw: bytes, fmt: str, options: Options) -> Decoded:
    if isinstance(data, str):
        if len(raw) > options.max_bytes:
            raise TooLarge(f"input is {len(raw):,} bytes, over the {options.max_bytes:,}-byte cap")
        if not data.strip():
            raise EmptyInput("input is empty or only whitespace")
        return Decoded(data, "utf-8", 1.0)
    return decode_bytes(raw, declared=declared_charset(raw, fmt), max_bytes=options.max_bytes)


def iter_articles(
    data: str | bytes,
    *,
    path: str | None = None,
    options: Options | None = None,
    url: str | None = None,
) -> Iterator[Outcome]:
    """Clean every document in one input (a JSONL file holds many).

    ``url`` is where the input was fetched from (a scraper record, a WARC header): evidence for
    the article's ``url`` and ``published`` (``/2019/05/31/``). A record's own url field and the
    page's ``<link rel=canonical>``/``og:url`` are used as well.

    Raises:
        IngestError: when the input as a whole is rejected (empty, binary, too large, …).
            Record-level rejections are yielded as ``Outcome(error=…)`` instead.
    """
    options = options or _DEFAULT
    raw = _to_bytes(data)
    if len(raw) > options.max_bytes:
        raise TooLarge(f"input is {len(raw):,} bytes, over the {options.max_bytes:,}-byte cap (raise --max-bytes to accept it)")
    fmt = options.format or sniff_format(raw, path)
    decoded = _decode(data, raw, fmt, options)
    sha = hashlib.sha256(raw).hexdigest()
    for draft in read(decoded.text, fmt, options):
        if draft.error is not None:
            yield Outcome(draft.record, error=draft.error)
            continue
        source = Source(
            path=path,
            sha256=sha,
            bytes=len(raw),
            format=draft.format,
            encoding=decoded.encoding,
            encoding_confidence=decoded.confidence,
            record=draft.record,
        )
        try:
            yield Outcome(draft.record, article=build_article(draft, source, decoded.warnings, options, url=url))
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
    repaired = repair_text(draft.text, enabled=enabled, strip_artifacts=options.strip_artifacts)
    # The contract: paragraphs separated by exactly one blank line, no line breaks inside.
    body = _SINGLE_NL_RE.sub("\n\n", repaired.text).strip()
    if not any(c.isalnum() for c in body):
        raise NoText("no article text left after decoding and cleaning" + (f" (record {draft.record})" if draft.record else ""))
    hints = draft.hints
    if url:
        # The caller's URL: after a record's own url field (one JSONL file, many records), before
        # what the page says about itself (canonical, og:url).
        own = tuple(h for h in hints if h.source.startswith("record:"))
        hints = own + (Hint("url", url, "input:url"),) + hints[len(own):]
    meta = extract_metadata(body, removed=repaired.removed, hints=hints, detect_lang=options.detect_language)
    v = meta.values
    return Article(
        id=hashlib.sha256(body.encode("utf-8")).hexdigest()[:24],
        body=body,
        source=source,
        title=v.get("title"),  # type: ignore[arg-type]
        publisher=v.get("publisher"),  # type: ignore[arg-type]
        published=v.get("published"),  # type: ignore[arg-type]
        updated=v.get("updated"),  # type: ignore[arg-type]
        authors=tuple(v.get("authors", ())),  # type: ignore[arg-type]
        dateline=v.get("dateline"),  # type: ignore[arg-type]
        language=v.get("language"),  # type: ignore[arg-type]
        url=v.get("url"),  # type: ignore[arg-type]
        description=v.get("description"),  # type: ignore[arg-type]
        tags=tuple(v.get("tags", ())),  # type: ignore[arg-type]
        image=v.get("image"),  # type: ignore[arg-type]
        field_sources=tuple(sorted(meta.sources.items())),
        fixes=repaired.fixes,
        removed=repaired.removed,
        warnings=tuple(decode_warnings) + tuple(draft.warnings) + tuple(meta.warnings),
        stats=Stats.of(body),
    )


def clean_article(
    data: str | bytes,
    *,
    path: str | None = None,
    options: Options | None = None,
    url: str | None = None,
) -> Article:
    """Clean one article.

    Args:
        data: the raw input — bytes (decoded with BOM/UTF-8/declared charset/detection) or an
            already decoded ``str``.
        path: where the input came from; recorded in ``source.path`` and used to pick the reader
            by extension. Nothing is read from it.
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
