"""The one model of an article. ``schemas/article.schema.json`` describes exactly this shape.

Everything here is a frozen dataclass so an :class:`Article` can be shared between threads and
pickled between processes; ``to_dict`` gives the JSON-ready mapping in a fixed key order and
``to_json`` the byte-stable serialisation that writers use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"

_WORD_RE = re.compile(r"\w+")


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
        return cls(paragraphs=len(paras), words=len(_WORD_RE.findall(body)), characters=len(body))

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

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready mapping, in the schema's key order."""
        return {
            "schema_version": self.schema_version,
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published,
            "updated": self.updated,
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
            "field_sources": dict(sorted(self.field_sources)),
            "fixes": [f.to_dict() for f in self.fixes],
            "removed": [r.to_dict() for r in self.removed],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """Byte-stable JSON (UTF-8 safe: no lone surrogates can reach here)."""
        if indent is None:
            return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
