"""Metadata extractors: every field from an explicit cascade, the winning source recorded.

Inputs flow forward only: reader hints (markup, record fields) come first, then what the
removed artifact lines said, then the body itself (language). Nothing is invented: a field no
source supports stays ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import ArticleWarning, Removed
from ..patterns import (
    BYLINE_DATE_RE,
    BYLINE_PREFIX_RE,
    COPYRIGHT_HOLDER_RE,
    DATE_HEADER_RE,
    DATE_LABEL_RE,
    ORG_WORDS,
    REPORTERS_RE,
    UPDATED_LABELS,
    is_publisher_name,
    match_dateline,
    split_byline,
)
from .dates import date_from_url, parse_date
from .language import detect_language, normalise_language

__all__ = ["Hint", "Metadata", "extract_metadata", "parse_date", "detect_language"]

MAX_TITLE = 500
MAX_NAME = 120


@dataclass(frozen=True)
class Hint:
    """A candidate value for a field, from a reader, with where it came from (``jsonld:headline``)."""

    field: str
    value: object
    source: str


@dataclass
class Metadata:
    values: dict[str, object] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[ArticleWarning] = field(default_factory=list)

    def offer(self, name: str, value: object, source: str) -> bool:
        """Set ``name`` unless a higher-priority source already did; empty values never win."""
        if name in self.values or value in (None, "", [], ()):
            return False
        self.values[name] = value
        self.sources[name] = source
        return True


_SPACE_RE = re.compile(r"\s+")


def clean_field(value: object, limit: int = MAX_TITLE) -> str | None:
    """A one-line, repaired string for a metadata field, or None."""
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        else:
            return None
    from ..fixes import repair_text

    if not value.isascii() or "&" in value or "<" in value:
        value = repair_text(
            value,
            enabled=(
                "normalize_newlines",
                "replace_html_tags",
                "decode_html_entities",
                "fix_mojibake",
                "fix_lossy_mojibake",
                "remove_invisible_chars",
            ),
            strip_artifacts=False,
        ).text
    value = _SPACE_RE.sub(" ", value).strip()
    if not value or len(value) > limit:
        return None
    return value


def clean_title(value: object) -> str | None:
    t = clean_field(value)
    if t is None:
        return None
    # Headlines do not end with a full stop; drop one after a plain word (keep "U.S.", "etc.").
    if re.search(r"[^\W\d_]{3,}\.$", t) and not re.search(r"\b(?:etc|Inc|Ltd|Co|Corp|Jr|Sr)\.$", t):
        t = t[:-1]
    return t


def _names(value: object) -> list[str]:
    """Author names from a string ("By A and B"), a list of strings, or a list of dicts."""
    items: Iterable[object]
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, dict):
            kind = item.get("@type")
            if isinstance(kind, str) and kind.lower() in ("organization", "newsmediaorganization", "corporation"):
                continue  # JSON-LD says outright that this author is not a person
            item = item.get("name")
        s = clean_field(item, MAX_NAME)
        if not s:
            continue
        m = BYLINE_PREFIX_RE.match(s)
        if m:
            s = m.group(1)
        split = split_byline(s)
        names = split[0] if split else [s.strip(" ,;")] if _could_be_person(s.strip(" ,;")) else []
        for n in names:
            if n and n not in out and not n.lower().startswith(("http://", "https://")):
                out.append(n)
    return out


def _could_be_person(s: str) -> bool:
    """A structured author value that did not parse as a byline: kept unless it names an organisation."""
    if not s or is_publisher_name(s) or len(s.split()) > 6:
        return False
    return not any(w.lower().strip(".,") in ORG_WORDS for w in s.split())


def _from_removed(meta: Metadata, removed: Sequence[Removed]) -> None:
    reporters: list[str] = []
    for r in removed:
        kind, text = r.kind, r.text
        if kind == "date_header":
            m = DATE_HEADER_RE.match(text)
            if m:
                meta.offer("published", parse_date(m.group(1)), "text:date_header")
                if m.group(2):
                    meta.offer("title", clean_title(m.group(2)), "text:date_header")
        elif kind == "headline":
            meta.offer("title", clean_title(text), "text:headline")
        elif kind == "publisher_line":
            if not is_publisher_name(text):
                meta.warnings.append(ArticleWarning("publisher_guessed", f"first line {text!r} taken as the publisher's name"))
            meta.offer("publisher", clean_field(text.rstrip("."), MAX_NAME), "text:publisher_line")
        elif kind == "byline":
            bd = BYLINE_DATE_RE.match(text)
            if bd and split_byline(bd.group("names")):
                meta.offer("published", parse_date(bd.group("date")), "text:byline")
                text = "By " + bd.group("names")
            m = BYLINE_PREFIX_RE.match(text)
            body = m.group(1) if m else text
            split = split_byline(body)
            if split is None:
                pm = re.match(r"^(.{3,60}?)\s*[,|]\s*(.{2,60})$", text)
                split = ([pm.group(1)], pm.group(2)) if pm else None
            if split:
                meta.offer("authors", split[0], "text:byline")
                if split[1]:
                    meta.offer("publisher", split[1], "text:byline")
        elif kind == "date_line":
            m = DATE_LABEL_RE.match(text)
            label, value = (m.group(1).lower(), m.group(2)) if m else ("", text)
            target = "updated" if label in UPDATED_LABELS else "published"
            meta.offer(target, parse_date(value), "text:date_line")
        elif kind == "dateline":
            meta.offer("dateline", clean_field(text, MAX_NAME), "text:dateline")
            dm = match_dateline(text + " — " + "x " * 12)
            if dm and dm.group("agency"):
                meta.offer("publisher", clean_field(dm.group("agency"), MAX_NAME), "text:dateline")
        elif kind == "trailer":
            for m in REPORTERS_RE.finditer(text):
                for n in _names(m.group(1)):
                    if n not in reporters:
                        reporters.append(n)
        elif kind == "copyright":
            m = COPYRIGHT_HOLDER_RE.match(text)
            holder = m.group(1).strip(" .,") if m else ""
            if holder and len(holder) <= 60 and not re.search(r"\d", holder):
                meta.offer("publisher", holder, "text:copyright")
    if reporters:
        meta.offer("authors", reporters, "text:trailer")


def extract_metadata(
    body: str,
    *,
    removed: Sequence[Removed] = (),
    hints: Sequence[Hint] = (),
    detect_lang: bool = True,
) -> Metadata:
    """Fill the metadata fields from reader hints, removed artifact lines and the body."""
    meta = Metadata()
    unread: dict[str, tuple[object, str]] = {}  # date field → the first value that could not be read
    for h in hints:
        f = h.field
        if f == "title":
            meta.offer("title", clean_title(h.value), h.source)
        elif f in ("published", "updated"):
            iso = parse_date(h.value)
            if iso is None and h.value not in (None, "", [], {}):
                unread.setdefault(f, (h.value, h.source))
            meta.offer(f, iso, h.source)
        elif f == "authors":
            meta.offer("authors", _names(h.value), h.source)
        elif f == "tags":
            vals = h.value if isinstance(h.value, (list, tuple)) else str(h.value).split(",") if isinstance(h.value, str) else []
            tags: list[str] = []
            for v in vals:
                t = clean_field(v, MAX_NAME)
                if t and t not in tags:
                    tags.append(t)
            meta.offer("tags", tags, h.source)
        elif f == "language":
            if not detect_lang or "language" not in meta.values:
                meta.offer("language_hint", normalise_language(h.value), h.source)
        elif f in ("url", "image"):
            v = clean_field(h.value, 2000)
            if v and re.match(r"^https?://\S+$", v):
                meta.offer(f, v, h.source)
        elif f == "description":
            meta.offer("description", clean_field(h.value, 2000), h.source)
        elif f in ("publisher", "dateline"):
            meta.offer(f, clean_field(h.value, MAX_NAME), h.source)
    _from_removed(meta, removed)
    if "published" not in meta.values:
        for h in hints:
            if h.field == "url":
                meta.offer("published", date_from_url(str(h.value)), "url")
    # Language: the body says what language it is in more reliably than a template's lang attribute.
    lang_hint = meta.values.pop("language_hint", None)
    hint_source = meta.sources.pop("language_hint", None)
    if detect_lang:
        found = detect_language(body)
        if found:
            meta.offer("language", found[0], "detector:py3langid")
    if lang_hint and hint_source:
        meta.offer("language", lang_hint, hint_source)
    for f, (value, source) in unread.items():
        if f not in meta.values:  # a value nothing else replaced: say so rather than leave a silent null
            shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
            meta.warnings.append(ArticleWarning("unreadable_date", f"{f}: {source} value {shown} is not a date ingest can read"))
    return meta
