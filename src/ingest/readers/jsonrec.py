"""JSON / JSONL scraper records: one draft per record, a bad record rejected alone.

Shapes: a ``.json`` file holding one object, a list of objects, or an API response wrapping the
list (``{"status": "ok", "articles": [...]}``; keys in :data:`_CONTAINER_KEYS`), or a ``.jsonl``
file holding one object per line (blank lines skipped, line numbers kept). A ``.json`` file that
turns out to hold several objects one per line is read as JSONL.

Fields are found through :data:`DEFAULT_FIELDS` (common scraper exports: news-please,
newspaper, trafilatura, schema.org dumps …) after the user's ``Options.field_map``
(``--map body=story_text``; dotted keys such as ``meta.headline`` reach into nested objects).
Every value becomes a :class:`Hint` sourced ``record:<key>``; a body holding HTML goes through
the HTML reader's extraction.

Hostile JSON has defined outcomes, each tested:

* invalid JSON, a record that is not an object, a body that is not text, no body → that record
  is rejected with ``bad_record`` and its line (JSONL) or index (list) number;
* nesting deeper than Python's parser allows (``RecursionError``) and numbers longer than
  Python's int-to-str limit → ``bad_record`` with a message saying so;
* ``NaN`` / ``Infinity`` (not JSON, but Python's own ``json.dumps`` writes them) → read as a
  missing value, with a ``non_standard_json`` warning;
* duplicate keys → the last value wins (as in most parsers), with a ``duplicate_key`` warning;
* lone surrogate escapes (``"\\ud800"``) → U+FFFD, with a ``lone_surrogate`` warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from ..errors import BadRecord
from ..model import Hint
from ..options import Options
from ..model import ArticleWarning
from . import Draft

# Field → record keys, in the order they are trusted. Keys match exactly first, then ignoring case.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "body": ("text", "body", "content", "maintext", "articleBody", "article", "full_text", "html", "raw_html"),
    "title": ("title", "headline"),
    "published": (
        "date",
        "published",
        "date_publish",
        "datePublished",
        "pubDate",
        "published_at",
        "publishedAt",
        "date_published",
    ),
    "updated": ("modified", "updated", "date_modify", "dateModified", "updated_at", "date_modified"),
    "authors": ("author", "authors", "byline", "creator"),
    "url": ("url", "link", "canonical_url"),
    "publisher": ("source", "publisher", "source_domain", "site_name"),
    "description": ("description", "summary"),
    "language": ("language", "lang"),
    "tags": ("tags", "keywords"),
    "image": ("image", "top_image", "image_url", "urlToImage"),
    # The record's own identity, for ``doc_id`` only (after these: the url keys). These keys
    # still go to ``extra``: doc_id hashes them, and a consumer joins on the value itself.
    "doc_id": ("id", "guid", "uuid"),
}
RECORD_FIELDS = tuple(DEFAULT_FIELDS)
# ``extra``: at most this many characters of compact JSON, values nested at most this deep.
EXTRA_MAX_CHARS = 16_384
EXTRA_MAX_DEPTH = 32
# Epoch stamps in date fields: seconds from 1973 to 2200, milliseconds over the same span.
_EPOCH_S = (100_000_000, 7_258_118_400)
_EPOCH_MS = (_EPOCH_S[0] * 1000, _EPOCH_S[1] * 1000)
# Linear: one optional sign-free digit run, then an optional fraction; anchored both ends.
_EPOCH_STR_RE = re.compile(r"^\d{9,13}(?:\.\d{1,9})?$")
# Linear: a single character class, no quantifier nesting.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DUPLICATES = object()  # a non-string dict key: cannot collide with anything JSON produces
_NON_STANDARD = object()  # what NaN / Infinity parse to before they become None
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_HTML_TAG_RE = re.compile(
    r"</?(?:p|div|br|span|a|h[1-6]|ul|ol|li|em|strong|b|i|blockquote|article|section|html|body|figure|img|table|tr|td)\b[^>]*>",
    re.I,
)
_HTML_BLOCK_TAG_RE = re.compile(r"<(?:p|div|br|li|h[1-6]|blockquote|article|section|table|ul|ol)\b[^>]*>", re.I)
_HTML_DOC_RE = re.compile(r"^\s*(?:<!doctype\s+html|<html\b|<head\b)", re.I)


def _pairs_hook(pairs: list[tuple[str, Any]]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    dups: list[str] = []
    for k, v in pairs:
        if k in out and k not in dups:
            dups.append(k)
        out[k] = v  # the last value wins, as in JavaScript and most JSON parsers
    if dups:
        out[_DUPLICATES] = tuple(dups)
    return out


def _loads(text: str) -> Any:
    """``json.loads`` with the hooks that make hostile input observable instead of surprising."""
    return json.loads(text, object_pairs_hook=_pairs_hook, parse_constant=lambda _name: _NON_STANDARD)


def _load_error(e: BaseException) -> str:
    """A message for a record that could not be parsed, saying what to do."""
    if isinstance(e, RecursionError):
        return "nested deeper than the JSON parser allows (about 1,000 levels); flatten the record"
    if isinstance(e, json.JSONDecodeError):
        return f"invalid JSON ({e.msg} at column {e.colno})"
    if "digits" in str(e):
        return "holds a number with more digits than Python converts (4,300); quote it as a string"
    return f"could not be read: {e}"


def _sanitise(value: Any, warnings: dict[str, str]) -> Any:
    """Replace lone surrogates and NaN/Infinity anywhere in a parsed value (iteratively: values may nest deeply)."""
    if isinstance(value, str):
        return _fix_str(value, warnings)
    if value is _NON_STANDARD:
        warnings.setdefault("non_standard_json", "NaN or Infinity (not JSON) read as a missing value")
        return None
    if not isinstance(value, (dict, list)):
        return value
    root: Any = value
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for k, v in items:
            if isinstance(k, str) and _SURROGATE_RE.search(k):
                warnings.setdefault("lone_surrogate", "lone surrogate escapes replaced with U+FFFD")
            if isinstance(v, str):
                node[k] = _fix_str(v, warnings)
            elif v is _NON_STANDARD:
                warnings.setdefault("non_standard_json", "NaN or Infinity (not JSON) read as a missing value")
                node[k] = None
            elif isinstance(v, (dict, list)):
                stack.append(v)
    return root


def _fix_str(s: str, warnings: dict[str, str]) -> str:
    if _SURROGATE_RE.search(s):
        # A valid pair escaped as two \u escapes is already one character; what is left is lone.
        warnings.setdefault("lone_surrogate", "lone surrogate escapes replaced with U+FFFD")
        return _SURROGATE_RE.sub("\ufffd", s)
    return s


def _loose(key: str) -> str:
    return "".join(c for c in key.lower() if c.isalnum())


def _lookup(record: dict[Any, Any], key: str) -> tuple[str, Any] | None:
    """(the key as spelled in the record, its value) for ``key``: exact, case-insensitive, ignoring
    ``_``/``-``, then dotted."""
    if key in record:
        return key, record[key]
    low = key.lower()
    for k, v in record.items():
        if isinstance(k, str) and k.lower() == low:
            return k, v
    # Then spelling-insensitive: article_body, Article-Body and articleBody name the same field.
    loose = _loose(key)
    for k, v in record.items():
        if isinstance(k, str) and _loose(k) == loose:
            return k, v
    if "." in key:
        node: Any = record
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return key, node
    return None


def _cascade(options: Options) -> dict[str, tuple[str, ...]]:
    """Field → keys: the user's mapping first, then the defaults."""
    user = options.field_map
    unknown = sorted({f for f, _ in user if f not in DEFAULT_FIELDS})
    if unknown:
        raise BadRecord(f"--map names unknown field(s) {', '.join(unknown)}; known: {', '.join(RECORD_FIELDS)}")
    out = {}
    for field, keys in DEFAULT_FIELDS.items():
        mine = tuple(k for f, k in user if f == field)
        out[field] = mine + tuple(k for k in keys if k not in mine)
    return out


def looks_like_html(text: str) -> bool:
    """True when a text field holds markup rather than prose (a page, or a fragment with block tags).

    A stray inline tag or a comparison sign is prose: the text repairs handle those.
    """
    if _HTML_DOC_RE.match(text):
        return True
    return bool(_HTML_BLOCK_TAG_RE.search(text, 0, 20_000)) and len(_HTML_TAG_RE.findall(text, 0, 20_000)) >= 2


def _body_text(value: Any, key: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(p, str) for p in value):
        return "\n\n".join(value)  # a list of paragraphs
    raise BadRecord(f"field {key!r} is {_type_name(value)}, expected a string (or a list of strings)")


def _type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def record_draft(record: Any, *, fmt: str, number: int | None, options: Options, warnings: dict[str, str]) -> Draft:
    """One parsed record → one draft (raises BadRecord when it cannot be an article)."""
    if not isinstance(record, dict):
        raise BadRecord(f"is {_type_name(record)}, expected a JSON object")
    dups = record.pop(_DUPLICATES, None)
    if dups:
        warnings.setdefault("duplicate_key", f"duplicate key(s) {', '.join(map(repr, dups))}: the last value was used")
    record = _sanitise(record, warnings)
    cascade = _cascade(options)
    body: str | None = None
    body_key = ""
    for key in cascade["body"]:
        found = _lookup(record, key)
        if found is None or found[1] in (None, ""):
            continue
        body_key, value = found
        body = _body_text(value, body_key)
        if body.strip():
            break
        body = None
    if body is None:
        raise BadRecord(
            f"has no text (looked for {', '.join(cascade['body'][:7])} …); map the body's key with --map body=KEY"
        )
    hints: list[Hint] = []
    for field, keys in cascade.items():
        if field in ("body", "doc_id"):
            continue
        for key in keys:
            found = _lookup(record, key)
            if found is not None and found[1] not in (None, "", [], {}):
                value = _checked(field, found[0], _hint_value(field, found[1]), warnings)
                if value not in (None, "", [], {}):
                    hints.append(Hint(field, value, f"record:{found[0]}"))
    parsed = looks_like_html(body)
    if parsed:
        from .html import extract_fragment, extract_html

        extractor = options.html_extractor
        if _HTML_DOC_RE.match(body):
            body, page_hints, _ = extract_html(body, extractor=extractor)
            hints.extend(page_hints)  # the record's own fields stay first in every cascade
        else:
            body = extract_fragment(body)
    extra = extra_fields(record, cascade, warnings)
    warns = tuple(ArticleWarning(code, msg) for code, msg in sorted(warnings.items()))
    return Draft(
        text=body,
        format=fmt,
        hints=tuple(hints),
        warnings=warns,
        record=number,
        markup_parsed=parsed,
        doc_key=doc_key(record, cascade),
        extra=extra,
    )


def doc_key(record: dict[Any, Any], cascade: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """(``record:<key>``, value) of the record's own id, guid or url — the basis of ``doc_id`` — or None."""
    for key in cascade["doc_id"] + cascade["url"]:
        found = _lookup(record, key)
        if found is None:
            continue
        value = _hint_value("url", found[1]) if key in cascade["url"] else found[1]
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value.strip() and len(value) <= 2048:
            return f"record:{found[0]}", value.strip()
    return None


def extra_fields(
    record: dict[Any, Any], cascade: dict[str, tuple[str, ...]], warnings: dict[str, str]
) -> tuple[tuple[str, Any], ...]:
    """The record's fields no mapping reads, in its order, capped (``extra_capped`` warning).

    A key a mapping names is read whether or not its value won (``html`` beside ``text``); a
    dotted mapping (``meta.headline``) removes only that leaf from its object. ``doc_id`` keys
    stay: doc_id is only their hash.
    """
    read: set[str] = set()
    rest = dict(record)
    # The record's keys by each spelling _lookup accepts, built once (the first key of a spelling wins, as there).
    lower: dict[str, str] = {}
    loose: dict[str, str] = {}
    for k in record:
        if isinstance(k, str):
            lower.setdefault(k.lower(), k)
            loose.setdefault(_loose(k), k)
    for field, keys in cascade.items():
        if field == "doc_id":
            continue
        for key in keys:
            hit = key if key in record else lower.get(key.lower()) or loose.get(_loose(key))
            if hit is not None:
                read.add(hit)
            elif "." in key:
                found = _lookup(record, key)
                if found is not None:
                    _drop_leaf(rest, found[0].split("."))
    kept: list[tuple[str, Any]] = []
    size = 2
    dropped = 0
    for k, v in rest.items():
        if (
            k in read
            or not isinstance(k, str)
            or (isinstance(v, dict) and not v and isinstance(record.get(k), dict) and record[k])
        ):
            continue  # read, or an object emptied by dotted mappings
        if _depth_over(v, EXTRA_MAX_DEPTH):
            dropped += 1
            continue
        key, value = _clean_control(k), _clean_control(v)
        cost = len(json.dumps(key, ensure_ascii=False)) + len(json.dumps(value, ensure_ascii=False)) + 2
        if size + cost > EXTRA_MAX_CHARS:
            dropped += 1
            continue
        size += cost
        kept.append((key, value))
    if dropped:
        warnings.setdefault(
            "extra_capped",
            f"{dropped} unmapped field(s) left out of extra (over {EXTRA_MAX_CHARS:,} characters or nested over"
            f" {EXTRA_MAX_DEPTH} levels)",
        )
    return tuple(kept)


def _drop_leaf(rest: dict[Any, Any], parts: list[str]) -> None:
    """Remove ``a.b.c`` from ``rest``, copying each object on the way (the record is not changed)."""
    node = rest
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            return
        child = dict(child)
        node[part] = child
        node = child
    node.pop(parts[-1], None)


def _depth_over(value: Any, limit: int) -> bool:
    """True when ``value`` nests deeper than ``limit`` (iterative: records may nest ~1,000 deep)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (node.values() if isinstance(node, dict) else node))
    return False


def _clean_control(value: Any) -> Any:
    """``value`` with control characters (not tab, newline) removed from every string (depth is capped)."""
    if isinstance(value, str):
        return _CONTROL_RE.sub("", value) if _CONTROL_RE.search(value) else value
    if isinstance(value, list):
        return [_clean_control(v) for v in value]
    if isinstance(value, dict):
        return {_clean_control(k) if isinstance(k, str) else k: _clean_control(v) for k, v in value.items()}
    return value


def epoch_iso(value: Any) -> str | None:
    """An epoch stamp (seconds or milliseconds, number or digit string) as ISO 8601 UTC, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _EPOCH_STR_RE.match(value.strip()):
        value = float(value.strip())
    if not isinstance(value, (int, float)) or value != value:
        return None
    if _EPOCH_MS[0] <= value < _EPOCH_MS[1]:
        value = value / 1000
    elif not _EPOCH_S[0] <= value < _EPOCH_S[1]:
        return None
    stamp = datetime.fromtimestamp(int(value), tz=timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S+00:00")


# What a metadata field may hold in a record (after _hint_value); anything else is ignored with a
# ``wrong_type`` warning instead of being turned into text (``"author": [..., 5]`` is no author "5").
_SCALAR_TYPES: dict[str, tuple[type, ...]] = {
    "title": (str,),
    "description": (str,),
    "publisher": (str,),
    "language": (str,),
    "url": (str,),
    "image": (str,),
    "published": (str, int, float),  # epoch timestamps are dates
    "updated": (str, int, float),
}
_MARKUP_FIELDS = frozenset({"title", "description", "publisher", "authors", "tags"})
# Linear: a fixed two-character probe for a tag, comment or declaration.
_MARKUP_RE = re.compile(r"<[A-Za-z!/?]")


def _checked(field: str, key: str, value: Any, warnings: dict[str, str]) -> Any:
    """A record field's value with the wrong types left out and markup stripped, each with a warning."""
    if isinstance(value, bool) or (field in _SCALAR_TYPES and not isinstance(value, _SCALAR_TYPES[field])):
        warnings.setdefault("wrong_type", f"field {key!r} is {_type_name(value)}, not text: ignored")
        return None
    if field == "authors" and isinstance(value, list):
        kept = [v for v in value if isinstance(v, (str, dict))]
        if len(kept) != len(value):
            bad = next(v for v in value if not isinstance(v, (str, dict)))
            warnings.setdefault("wrong_type", f"field {key!r} holds {_type_name(bad)} among its names: ignored")
        value = kept
    elif field == "tags" and isinstance(value, list):
        kept = [v for v in value if isinstance(v, str)]
        if len(kept) != len(value):
            bad = next(v for v in value if not isinstance(v, str))
            warnings.setdefault("wrong_type", f"field {key!r} holds {_type_name(bad)} among its tags: ignored")
        value = kept
    elif field in ("authors", "tags") and not isinstance(value, (str, dict)):
        warnings.setdefault("wrong_type", f"field {key!r} is {_type_name(value)}, not text: ignored")
        return None
    if field in _MARKUP_FIELDS:
        if isinstance(value, str):
            value = _without_markup(value, key, warnings)
        elif isinstance(value, list):
            value = [_without_markup(v, key, warnings) if isinstance(v, str) else v for v in value]
    return value


_SCRIPTING = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math")


def _without_markup(text: str, key: str, warnings: dict[str, str]) -> str:
    """Text of a metadata value that holds markup, read as an HTML page's text is (scripts dropped)."""
    if not _MARKUP_RE.search(text):
        return text
    from .htmltree import parse_html

    root = parse_html(f"<html><body><div>{text}</div></body></html>")
    for el in root.xpath("|".join(f"//{tag}" for tag in _SCRIPTING)):
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail:  # keep the text after the element
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)
    warnings.setdefault("markup_in_field", f"field {key!r} holds markup: its text was kept, tags and scripts dropped")
    return str(root.xpath("string(//body)"))


def _hint_value(field: str, value: Any) -> Any:
    """Scraper shapes of a value reduced to what the metadata cascade reads."""
    if isinstance(value, dict):
        if field in ("image", "url"):
            return value.get("url") or value.get("contentUrl") or value.get("href")
        if field in ("publisher", "language", "title", "description"):
            return value.get("name") or value.get("value")
        if field == "authors":
            return [value]
    if field == "image" and isinstance(value, list) and value:
        return _hint_value(field, value[0])
    if field in ("published", "updated"):
        if isinstance(value, dict) and "$date" in value:  # MongoDB extended JSON
            value = value["$date"]
            if isinstance(value, dict):
                value = value.get("$numberLong", value)
        return epoch_iso(value) or value  # what is neither an epoch nor a date gets a warning later
    return value


# Keys API exports put their list of records under ({"status": "ok", "articles": [...]}).
_CONTAINER_KEYS = (
    "articles",
    "items",
    "data",
    "results",
    "records",
    "entries",
    "docs",
    "documents",
    "posts",
    "stories",
)


def _records_from(data: Any, cascade: dict[str, tuple[str, ...]]) -> list[tuple[int | None, Any]]:
    """The records of a parsed .json document: a list, one object, or a list inside a wrapper object."""
    if isinstance(data, list):
        return [(i + 1, item) for i, item in enumerate(data)]
    if isinstance(data, dict) and not any(_lookup(data, k) for k in cascade["body"]):
        # no body at the top: an API response wrapping the records
        for key in _CONTAINER_KEYS:
            found = _lookup(data, key)
            if found and isinstance(found[1], list) and any(isinstance(x, dict) for x in found[1]):
                return [(i + 1, item) for i, item in enumerate(found[1])]
    return [(None, data)]


def _one(record: Any, fmt: str, number: int | None, options: Options, where: str) -> Draft:
    warnings: dict[str, str] = {}
    try:
        return record_draft(record, fmt=fmt, number=number, options=options, warnings=warnings)
    except BadRecord as e:
        # The record number travels with the outcome (and every report prints it): a list item's
        # message does not repeat it; a JSONL line keeps its line number, a coordinate of its own.
        err = BadRecord(
            f"line {number}: {e.message}"
            if where == "line"
            else e.message
            if number is not None
            else f"the JSON object: {e.message}"
        )
    except RecursionError:
        problem = _load_error(RecursionError())
        err = BadRecord(
            f"line {number}: {problem}"
            if where == "line"
            else problem
            if number is not None
            else f"the JSON object is {problem}"
        )
    if number is None:
        raise err
    return Draft(text="", format=fmt, record=number, error=err)


# Linear: one alternation of literals. JSON strings cannot hold a raw CR or LF (they must be
# escaped), so every CR, LF and CRLF ends a line: a CR-only file (old Mac tools) reads as JSONL too.
_LINE_END_RE = re.compile(r"\r\n|\r|\n")


def _read_lines(text: str, options: Options) -> Iterator[Draft]:
    # Not str.splitlines(): U+2028 and friends may appear raw inside JSON strings.
    for i, line in enumerate(_LINE_END_RE.split(text), start=1):
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        try:
            record = _loads(line)
        except (ValueError, RecursionError) as e:
            yield Draft(text="", format="jsonl", record=i, error=BadRecord(f"line {i}: {_load_error(e)}"))
            continue
        yield _one(record, "jsonl", i, options, "line")


def read_records(text: str, fmt: str, options: Options) -> Iterator[Draft]:
    """Drafts for every record of a JSON or JSONL document, rejected records as ``Draft(error=…)``.

    Raises:
        BadRecord: a ``.json`` document that is not JSON at all (nothing in it is readable), or
            a single-object document that cannot be an article.
    """
    _cascade(options)  # a bad --map is the whole input's problem, reported once
    if fmt == "jsonl":
        yield from _read_lines(text, options)
        return
    try:
        data = _loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and ("\n" in text.strip() or "\r" in text.strip()):
            yield from _read_lines(text, options)  # JSONL saved as .json
            return
        raise BadRecord(f"the JSON document is not valid: {_load_error(e)}") from None
    except (ValueError, RecursionError) as e:
        raise BadRecord(f"the JSON document {_load_error(e)}") from None
    records = _records_from(data, _cascade(options))
    if not records:
        raise BadRecord("the JSON document is an empty list: no records")
    for number, record in records:
        yield _one(record, fmt, number, options, "record")
