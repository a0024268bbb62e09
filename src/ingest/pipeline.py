"""The one forward pass: bytes → decoded text → reader → text fixes → metadata → Article.

Every public entry point (library, ``ingest clean``, ``ingest run``, ``ingest watch``, the Dask
executor) goes through :func:`iter_articles`; nothing else builds an :class:`Article`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .decode import Decoded, decode_bytes
from .errors import EmptyInput, IngestError, MultipleRecords, NoText, TooLarge
from .fixes import repair_text
from .metadata import extract_metadata
from .model import Article, ArticleWarning, Source, Stats, date_precision, make_doc_id
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
) -> Iterator[Outcome]:
    """Clean every document in one input (a JSONL file holds many).

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
            article = build_article(draft, source, decoded.warnings, options)
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
    meta = extract_metadata(body, removed=repaired.removed, hints=draft.hints, detect_lang=options.detect_language)
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
        published_precision=date_precision(v.get("published")),  # type: ignore[arg-type]
        updated_precision=date_precision(v.get("updated")),  # type: ignore[arg-type]
        extra=draft.extra,
    )


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
    data: str | bytes,
    *,
    path: str | None = None,
    options: Options | None = None,
) -> Article:
    """Clean one article.

    Args:
        data: the raw input — bytes (decoded with BOM/UTF-8/declared charset/detection) or an
            already decoded ``str``.
        path: where the input came from; recorded in ``source.path`` and used to pick the reader
            by extension. Nothing is read from it.
        options: an :class:`Options`; defaults to the default plan.

    Returns:
        The :class:`Article`.

    Raises:
        IngestError: a subclass with a stable ``code`` (``empty``, ``binary``, ``too_large``,
            ``undecodable``, ``no_text``, ``bad_record``, ``bad_html``, …). A JSON/JSONL input
            holding more than one record raises ``IngestError(code="multiple_records")``:
            use :func:`iter_articles` for those.
    """
    outcomes = list(iter_articles(data, path=path, options=options))
    if len(outcomes) != 1:
        if not outcomes:
            raise NoText("the input holds no records")
        raise MultipleRecords(f"the input holds {len(outcomes)} records; use iter_articles() for multi-record inputs")
    only = outcomes[0]
    if only.error is not None:
        raise only.error
    assert only.article is not None
    return only.article
