"""``ingest explain FILE``: what cleaning did to one input, for a person to check.

The input is read as the pipeline reads it (decode → reader); then the fix plan is replayed one
fix at a time over the reader's text, and every fix that changed something is shown with its
changes (``-old`` / ``+new`` words, per line). The replay is one pass of the plan in plan order,
so a change is attributed to the fix that made it; the article itself (fields, their sources,
removed lines, warnings) is the real one from :func:`ingest.iter_articles`. A terminal gets rich
colours; anything else gets plain text.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from typing import TextIO

from .fixes import REGISTRY, strip_func
from .model import Article
from .options import Options
from .pipeline import _decode, iter_articles
from .readers import read, sniff_format

MAX_CHANGES_PER_FIX = 12
_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")  # linear: three single-token alternatives, no nesting
_PHASES = ("chars", "strip", "lines", "final")


@dataclass(frozen=True)
class Change:
    fix: str
    before: str  # the line (or lines) before
    after: str


def trace_fixes(
    text: str, options: Options, *, markup_parsed: bool = False, titles: tuple[str, ...] = ()
) -> list[Change]:
    """Replay the plan one fix at a time; the line-level changes each fix made."""
    enabled = set(options.enabled_fixes())
    if markup_parsed:
        enabled -= {"replace_html_tags", "decode_html_entities"}
    changes: list[Change] = []
    for phase in _PHASES:
        for fix in REGISTRY:
            if fix.phase != phase or fix.name not in enabled:
                continue
            if fix.strips and not options.strip_artifacts:
                continue
            out = strip_func(fix, markup_parsed=markup_parsed, titles=titles)(text)[0]  # type: ignore[misc,operator]
            if out != text:
                changes.extend(_line_changes(fix.name, text, out))
                text = out
    return changes


def _line_changes(name: str, before: str, after: str) -> list[Change]:
    a, b = before.split("\n"), after.split("\n")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
        if old.strip() or new.strip():
            out.append(Change(name, old, new))
    return out


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, text) pieces: ``=`` kept, ``-`` removed, ``+`` added."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("+", "".join(b[j1:j2])))
    return pieces


def _visible(s: str) -> str:
    """Invisible and control characters shown as escapes, so a change to them can be seen."""
    return "".join(
        (
            c
            if (c.isprintable() or c == " ") and c not in "\u00a0\u00ad\u200b\u200c\u200d\ufeff"
            else f"\\u{ord(c):04x}"
            if c != "\n"
            else "⏎"
        )
        for c in s
    )


def explain_file(
    data: bytes, *, path: str | None, options: Options, record: int | None = None, out: TextIO | None = None
) -> None:
    """Print the explanation of one input (one record of a JSON/JSONL file).

    Raises:
        IngestError: the input (or the chosen record) is rejected.
    """
    out = out or sys.stdout
    fmt = options.format or sniff_format(data, path)
    decoded = _decode(data, data, fmt, options)
    drafts = [d for d in read(decoded.text, fmt, options) if record is None or d.record == record]
    if not drafts:
        from .errors import BadRecord

        raise BadRecord(f"no record {record}")
    draft = drafts[0]
    if draft.error is not None:
        raise draft.error
    article = next(
        o.article
        for o in iter_articles(data, path=path, options=options)
        if o.article is not None and o.record == draft.record
    )
    changes = trace_fixes(
        draft.text,
        options,
        markup_parsed=draft.markup_parsed,
        titles=tuple(h.value for h in draft.hints if h.field == "title" and isinstance(h.value, str)),
    )
    if out.isatty():
        _render_rich(article, changes, out)
    else:
        out.write(render_plain(article, changes))


def _field_rows(article: Article) -> list[tuple[str, str, str]]:
    d = article.to_dict()
    sources = dict(article.field_sources)
    rows = []
    for key in (
        "doc_id",
        "title",
        "publisher",
        "published",
        "updated",
        "authors",
        "dateline",
        "language",
        "url",
        "description",
        "tags",
        "image",
    ):
        value = d[key]
        if value in (None, []):
            continue
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        if key in ("published", "updated"):
            shown += f"  ({d[key + '_precision']})"
        rows.append((key, shown, sources.get(key, "")))
    return rows


def render_plain(article: Article, changes: list[Change]) -> str:
    """The explanation as plain text (what a pipe or a file gets)."""
    src = article.source
    lines = [
        f"{src.path or '<stdin>'}" + (f" record {src.record}" if src.record else ""),
        f"format {src.format}, encoding {src.encoding} (confidence {src.encoding_confidence}), {src.bytes:,} bytes",
        f"id {article.id}, doc_id {article.doc_id}; {article.stats.paragraphs} paragraphs, {article.stats.words} words",
        "",
        "FIELDS (value, source)",
    ]
    lines += [f"  {k:12} {v}    <- {s}" for k, v, s in _field_rows(article)] or ["  (none)"]
    lines += ["", "FIXES (count)"]
    lines += [f"  {f.name} x{f.count}" for f in article.fixes] or ["  (none changed anything)"]
    lines += ["", "CHANGES (-removed +added, by the fix that made them)"]
    shown: dict[str, int] = {}
    for c in changes:
        if c.fix.startswith("strip_") and not c.after.strip():
            continue  # removed lines: listed below with their kind
        shown[c.fix] = shown.get(c.fix, 0) + 1
        if shown[c.fix] > MAX_CHANGES_PER_FIX:
            continue
        text = "".join(t if k == "=" else f"[{k}{t}]" for k, t in word_diff(c.before, c.after))
        lines.append(f"  [{c.fix}] {_visible(text)}")
    for name, n in shown.items():
        if n > MAX_CHANGES_PER_FIX:
            lines.append(f"  [{name}] … {n - MAX_CHANGES_PER_FIX} more")
    if not shown:
        lines.append("  (none)")
    lines += ["", "REMOVED LINES (kind: text)"]
    lines += [f"  {r.kind}: {_visible(r.text)}" for r in article.removed] or ["  (none)"]
    lines += ["", "WARNINGS"]
    lines += [f"  {w.code}: {w.message}" for w in article.warnings] or ["  (none)"]
    return "\n".join(lines) + "\n"


def _render_rich(article: Article, changes: list[Change], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=out, highlight=False)
    src = article.source
    console.rule(f"[bold]{src.path or '<stdin>'}" + (f" record {src.record}" if src.record else ""))
    console.print(
        f"format [cyan]{src.format}[/], encoding [cyan]{src.encoding}[/] (confidence {src.encoding_confidence}), "
        f"{src.bytes:,} bytes · id {article.id} · doc_id {article.doc_id}"
    )
    fields = Table(title="Fields", show_lines=False)
    for col in ("field", "value", "source"):
        fields.add_column(col)
    for k, v, s in _field_rows(article):
        fields.add_row(k, v, Text(s, style="dim"))
    console.print(fields)
    console.rule("Changes by fix")
    shown: dict[str, int] = {}
    for c in changes:
        if c.fix.startswith("strip_") and not c.after.strip():
            continue
        shown[c.fix] = shown.get(c.fix, 0) + 1
        if shown[c.fix] > MAX_CHANGES_PER_FIX:
            continue
        line = Text(f"{c.fix:24} ", style="bold magenta")
        for kind, piece in word_diff(c.before, c.after):
            style = {"=": "", "-": "red strike", "+": "green"}[kind]
            line.append(_visible(piece), style=style)
        console.print(line)
    for name, n in shown.items():
        if n > MAX_CHANGES_PER_FIX:
            console.print(Text(f"{name:24} … {n - MAX_CHANGES_PER_FIX} more", style="dim"))
    removed = Table(title="Removed lines")
    removed.add_column("kind", style="yellow")
    removed.add_column("text")
    for r in article.removed:
        removed.add_row(r.kind, _visible(r.text))
    console.print(removed)
    for w in article.warnings:
        console.print(f"[yellow]warning[/] {w.code}: {w.message}")
