"""The one model of an article. ``schemas/article.schema.json`` describes exactly this shape.

Everything here is a frozen dataclass so an :class:`Article` can be shared between threads and
pickled between processes; ``to_dict`` gives the JSON-ready mapping in a fixed key order and
``to_json`` the byte-stable serialisation that writers use.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.1"

# A word is a maximal run of \w; counted by its first character (a char not after one: linear),
# which findall returns as one-character strings instead of a copy of every word.
_WORD_START_RE = re.compile(r"(?<!\w)\w")
# count_words reads the UTF-8 bytes through this table: an ASCII word character (\w: letters,
# digits, "_") becomes "a", any other ASCII byte " ", and every byte of a non-ASCII character "a".
_WORD_BYTES = bytes((0x61 if chr(i).isalnum() or i == 0x5F else 0x20) if i < 0x80 else 0x61 for i in range(256))
# The non-ASCII characters that are not word characters (’ — « » no-break space …), in runs.
# Linear: one character class, each run matched once.
_NON_WORD_HIGH_RE = re.compile(r"[^\x00-\x7f\w]+")


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what \w matches in a str pattern


def count_words(text: str) -> int:
    """``len(_WORD_START_RE.findall(text))``: the maximal runs of word characters, counted without a regex
    step per character.

    The UTF-8 bytes mapped through :data:`_WORD_BYTES` count the runs as if every non-ASCII
    character were a word character (C's ``translate`` and ``count``); each run of non-ASCII
    characters that are not then corrects the count where it sits: a word the text does not start
    at the run's first character, and one it does start right after the run.
    """
    marked = text.encode("utf-8", "surrogatepass").translate(_WORD_BYTES)
    n = marked.count(b" a") + marked.startswith(b"a")
    if text.isascii():
        return n
    size = len(text)
    for m in _NON_WORD_HIGH_RE.finditer(text):
        start, end = m.span()
        n += (end < size and _is_word_char(text[end])) - (start == 0 or not _is_word_char(text[start - 1]))
    return n


# Fields every selection keeps (``--fields``): the two ids and the version a consumer parses by.
ALWAYS_KEPT = ("schema_version", "id", "doc_id")
PRECISIONS = ("day", "minute", "second")


# ---- What readers tell the metadata cascade.


@dataclass(frozen=True)
class Hint:
    """A candidate value for a field, from a reader, with where it came from (``jsonld:headline``)."""

    field: str
    value: object
    source: str


@dataclass(frozen=True)
class Deferred:
    """A candidate too costly to compute unless every cheaper source failed (htmldate's reading).

    ``compute(url)`` gets the article's URL (or None) and returns the raw value.
    """

    compute: Callable[[str | None], object]
    _memo: dict[str | None, object] = field(default_factory=dict, compare=False, repr=False)

    def get(self, url: str | None) -> object:
        """``compute(url)``, computed once per URL (several stages may ask)."""
        if url not in self._memo:
            self._memo[url] = self.compute(url)
        return self._memo[url]


def date_precision(iso: str | None) -> str | None:
    """How much of ``iso`` (an ISO 8601 value the date parsers wrote) the input gave.

    ``day`` for a date alone; ``second`` when the seconds are not zero; ``minute`` otherwise —
    the parsers write ``12:30`` as ``12:30:00``, so a time whose seconds are ``00`` promises only
    its minute (an input that wrote ``12:30:00`` loses nothing by it).
    """
    if not iso:
        return None
    if len(iso) <= 10:
        return "day"
    return "minute" if iso[17:19] == "00" else "second"


def make_doc_id(basis: str) -> str:
    """The stable per-document id: the first 24 hex digits of the sha256 of ``basis``.

    ``basis`` is ``record:<value>`` (the record's own id, guid or url) or
    ``path:<source path>#<record>`` (``sha256:<input hash>#<record>`` for stdin).
    """
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:24]


@dataclass(frozen=True)
class Source:
    """Where the article came from and how its bytes were decoded."""

    path: str | None
    sha256: str
    bytes: int
    format: str
    encoding: str | None
    encoding_confidence: float | None
    record: int | None = None  # 1-based record number inside a JSON/JSONL/WARC file
    compression: str | None = None  # gzip, bzip2, xz, zstd: how the input's bytes were packed
    warc_record_id: str | None = None  # WARC-Record-ID of the record the article came from
    fetched: str | None = None  # WARC-Date: when the crawler fetched the page (ISO 8601, UTC)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "format": self.format,
            "encoding": self.encoding,
            "encoding_confidence": self.encoding_confidence,
            "record": self.record,
            "compression": self.compression,
            "warc_record_id": self.warc_record_id,
            "fetched": self.fetched,
        }


@dataclass(frozen=True)
class FixApplied:
    """One text repair that changed something, and how many times it did."""

    name: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "count": self.count}


@dataclass(frozen=True)
class Removed:
    """A line (or line prefix) taken out of the body as an artifact, kept for the audit trail."""

    kind: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class ArticleWarning:
    """Something the pipeline was unsure about; the article is still produced."""

    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Stats:
    paragraphs: int
    words: int
    characters: int

    @classmethod
    def of(cls, body: str) -> Stats:
        paras = [p for p in body.split("\n\n") if p.strip()]
        return cls(paragraphs=len(paras), words=count_words(body), characters=len(body))

    def to_dict(self) -> dict[str, Any]:
        return {"paragraphs": self.paragraphs, "words": self.words, "characters": self.characters}


@dataclass(frozen=True)
class Article:
    """A clean article. Fields the input does not support are ``None`` (or empty lists)."""

    id: str
    body: str
    source: Source
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    updated: str | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None
    language: str | None = None
    url: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    image: str | None = None
    field_sources: tuple[tuple[str, str], ...] = ()
    fixes: tuple[FixApplied, ...] = ()
    removed: tuple[Removed, ...] = ()
    warnings: tuple[ArticleWarning, ...] = ()
    stats: Stats = field(default_factory=lambda: Stats(0, 0, 0))
    schema_version: str = SCHEMA_VERSION
    # Per input document (see make_doc_id); empty only for Articles built by hand.
    doc_id: str = ""
    published_precision: str | None = None
    updated_precision: str | None = None
    # A JSON record's fields no mapping reads, as (key, value) pairs in the record's order; None
    # for inputs that are not records (text, HTML).
    extra: tuple[tuple[str, Any], ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready mapping, in the schema's key order."""
        return {
            "schema_version": self.schema_version,
            "id": self.id,
            "doc_id": self.doc_id,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published,
            "published_precision": self.published_precision,
            "updated": self.updated,
            "updated_precision": self.updated_precision,
            "authors": list(self.authors),
            "dateline": self.dateline,
            "language": self.language,
            "url": self.url,
            "description": self.description,
            "tags": list(self.tags),
            "image": self.image,
            "body": self.body,
            "stats": self.stats.to_dict(),
            "source": self.source.to_dict(),
            "extra": None if self.extra is None else dict(self.extra),
            "field_sources": dict(sorted(self.field_sources)),
            "fixes": [f.to_dict() for f in self.fixes],
            "removed": [r.to_dict() for r in self.removed],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def to_json(self, *, indent: int | None = None, fields: tuple[str, ...] | None = None) -> str:
        """Byte-stable JSON (UTF-8 safe: no lone surrogates can reach here).

        ``fields``: only these keys (schema order kept; :data:`ALWAYS_KEPT` always written).
        """
        d = self.to_dict() if fields is None else select_fields(self.to_dict(), fields)
        if indent is None:
            return json.dumps(d, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(d, ensure_ascii=False, indent=indent)


def select_fields(d: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """``d`` with only the keys in ``fields`` and :data:`ALWAYS_KEPT`, in ``d``'s order."""
    keep = set(fields) | set(ALWAYS_KEPT)
    return {k: v for k, v in d.items() if k in keep}
