"""Draft → Article: repair one draft's text, extract its metadata, clean every field, give it a ``doc_id``.

The lower half of the forward pass (:mod:`ingest.pipeline` is the upper: bytes → decoded text →
reader → drafts). Both :mod:`ingest.pipeline` and :mod:`ingest.warc` (one draft per WARC record)
finish their drafts here, and :class:`Outcome` is what every entry point yields; so neither
:mod:`ingest.warc` nor :mod:`ingest.budget` needs to import the pipeline that calls them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from .errors import IngestError, NoText
from .fixes import repair_text
from .fixes.artifacts import boilerplate_kept
from .fixes.mojibake import mojibake_remaining
from .metadata import Metadata, extract_metadata
from .model import Article, ArticleWarning, Hint, Source, Stats, date_precision, make_doc_id
from .options import Options
from .readers import Draft

_MARKUP_FIXES = frozenset({"replace_html_tags", "decode_html_entities"})
_SINGLE_NL_RE = re.compile(r"(?<!\n)\n(?!\n)")


def _paragraphs(text: str) -> str:
    """Every lone line break doubled into a paragraph break, the text stripped.

    Without a run of three line breaks, a run is one (doubled) or two (kept): the non-empty
    lines joined by a blank line are the same text, without a regex pass over the article.
    """
    if "\n\n\n" in text:
        return _SINGLE_NL_RE.sub("\n\n", text).strip()
    return "\n\n".join(filter(None, text.split("\n"))).strip()


@dataclass(frozen=True)
class Outcome:
    """One record's result: an article, or the error that rejected it (never both)."""

    record: int | None
    article: Article | None = None
    error: IngestError | None = None


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
        draft.text,
        enabled=enabled,
        strip_artifacts=options.strip_artifacts,
        markup_parsed=draft.markup_parsed,
        titles=titles,
    )
    # The contract: paragraphs separated by exactly one blank line, no line breaks inside.
    body = _paragraphs(repaired.text)
    if not any(c.isalnum() for c in body):
        raise NoText("no article text left after decoding and cleaning")  # the outcome carries the record number
    hints = draft.hints
    if url:
        # The caller's URL: after a record's own url field (one JSONL file, many records), before
        # what the page says about itself (canonical, og:url).
        own = tuple(h for h in hints if h.source.startswith("record:"))
        hints = own + (Hint("url", url, "input:url"),) + hints[len(own) :]
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
            meta.warnings.append(
                ArticleWarning(
                    "mojibake_remaining", f"{left} place(s) still look like mojibake and were kept as written"
                )
            )
    if options.strip_artifacts and "strip_boilerplate_lines" in enabled:
        kept = boilerplate_kept(body)
        if kept:  # when in doubt a line stays, never silently
            meta.warnings.append(
                ArticleWarning("boilerplate_kept", f"{kept} paragraph(s) read like boilerplate and were kept as text")
            )
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
    if value.isascii() and value.isprintable() and "  " not in value:
        return value.strip()  # no control character, no blank but single spaces: only the edges change
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
            value = next(
                (h.value for h in hints if h.field == name and isinstance(h.value, str) and h.value.strip()), None
            )
        if isinstance(value, str):
            text = value.strip()  # a control character inside a URL rejects it, never repaired
            if text and _valid_url(text):
                changes[name] = text
            else:
                changes[name] = None
                shown = clean_field_text(text)[:80].encode("ascii", "backslashreplace").decode("ascii")
                warnings.append(
                    ArticleWarning(
                        "invalid_url",
                        f"{name} {shown!r} is not an absolute http(s) URL of printable characters: left out",
                    )
                )
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
    return replace(
        article, doc_id=make_doc_id(basis), field_sources=tuple(sorted((*article.field_sources, ("doc_id", where))))
    )
