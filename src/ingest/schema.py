"""The JSON Schema (2020-12) of an article.

``schemas/article.schema.json`` is this, rendered by ``python -m ingest.schema > schemas/article.schema.json``;
a test fails when the two differ, and another validates every article the suite produces.
"""

from __future__ import annotations

import json
from typing import Any

from .model import SCHEMA_VERSION

_NULLABLE_STR = {"type": ["string", "null"]}
# The date pattern: also what marks a property as a timestamp for the Arrow/Parquet output.
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2})?)?$"
_DATE = {
    "type": ["string", "null"],
    "pattern": DATE_PATTERN,
    "description": "ISO 8601: date only when the input gave only a date; a time keeps its offset when one was given.",
}
_PRECISION = {
    "enum": ["day", "minute", "second", None],
    "description": (
        "How much of the date beside it the input gave: day (date only), minute (seconds 00), second; null when the"
        " date is null."
    ),
}
_FIX_NAME_PATTERN = "^[a-z][a-z0-9_]*$"

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://github.com/ingest/ingest/schemas/article.schema.json",
    "title": "ingest article",
    "description": "One clean article produced by ingest. Fields the input does not support are null (or empty lists).",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "schema_version",
        "id",
        "doc_id",
        "title",
        "publisher",
        "published",
        "published_precision",
        "updated",
        "updated_precision",
        "authors",
        "dateline",
        "language",
        "url",
        "description",
        "tags",
        "image",
        "body",
        "stats",
        "source",
        "extra",
        "field_sources",
        "fixes",
        "removed",
        "warnings",
    ],
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "id": {
            "type": "string",
            "pattern": "^[0-9a-f]{24}$",
            "description": "sha256 of the body, first 24 hex digits.",
        },
        "doc_id": {
            "type": "string",
            "pattern": "^[0-9a-f]{24}$",
            "description": (
                "Stable id of the input document: sha256 (24 hex digits) of the record's own id/guid/url, else of its"
                " source path and record number."
            ),
        },
        "title": _NULLABLE_STR,
        "publisher": _NULLABLE_STR,
        "published": _DATE,
        "published_precision": _PRECISION,
        "updated": _DATE,
        "updated_precision": _PRECISION,
        "authors": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "dateline": _NULLABLE_STR,
        "language": {"type": ["string", "null"], "pattern": "^[a-z]{2}$", "description": "ISO 639-1."},
        "url": {"type": ["string", "null"], "pattern": "^https?://"},
        "description": _NULLABLE_STR,
        "tags": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "image": {"type": ["string", "null"], "pattern": "^https?://"},
        "body": {
            "type": "string",
            "minLength": 1,
            "description": "Paragraphs separated by exactly one blank line; no line breaks inside a paragraph.",
            "not": {"pattern": "(^|[^\\n])\\n([^\\n]|$)|\\n\\n\\n"},
        },
        "stats": {
            "type": "object",
            "additionalProperties": False,
            "required": ["paragraphs", "words", "characters"],
            "properties": {
                "paragraphs": {"type": "integer", "minimum": 1},
                "words": {"type": "integer", "minimum": 0},
                "characters": {"type": "integer", "minimum": 1},
            },
        },
        "source": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "path",
                "sha256",
                "bytes",
                "format",
                "encoding",
                "encoding_confidence",
                "record",
                "compression",
                "warc_record_id",
                "fetched",
            ],
            "properties": {
                "path": _NULLABLE_STR,
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "bytes": {"type": "integer", "minimum": 0},
                "format": {"enum": ["text", "html", "json", "jsonl"]},
                "encoding": _NULLABLE_STR,
                "encoding_confidence": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                "record": {"type": ["integer", "null"], "minimum": 1},
                "compression": {"enum": ["gzip", "bzip2", "xz", "zstd", None]},
                "warc_record_id": _NULLABLE_STR,
                "fetched": {
                    "type": ["string", "null"],
                    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z$",
                    "description": "WARC-Date of the record the article came from (UTC).",
                },
            },
        },
        "extra": {
            "type": ["object", "null"],
            "description": (
                "A JSON record's fields that no mapping reads, as they were (capped in size); null for text and HTML"
                " inputs."
            ),
        },
        "field_sources": {
            "type": "object",
            "description": (
                "For each filled metadata field, the source that won its cascade (e.g. jsonld:datePublished)."
            ),
            "additionalProperties": {"type": "string"},
        },
        "fixes": {
            "type": "array",
            "description": "Text fixes that changed something, in plan order, with how many places they changed.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "count"],
                "properties": {
                    "name": {"type": "string", "pattern": _FIX_NAME_PATTERN},
                    "count": {"type": "integer", "minimum": 1},
                },
            },
        },
        "removed": {
            "type": "array",
            "description": "Lines taken out of the body as artifacts (kind and original text).",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["kind", "text"],
                "properties": {"kind": {"type": "string"}, "text": {"type": "string"}},
            },
        },
        "warnings": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "message"],
                "properties": {"code": {"type": "string", "pattern": _FIX_NAME_PATTERN}, "message": {"type": "string"}},
            },
        },
    },
}


def schema_text() -> str:
    """The schema as the exact text of ``schemas/article.schema.json``."""
    return json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(schema_text())
