"""Header and trailer artifacts: lines that are not article text.

Each strip function is pure: ``str -> (str, removed)`` where ``removed`` lists what was taken out
(kind + original text). The metadata extractors read those entries later; nothing here decides
a metadata value. A line is only removed when a rule matches all of it; anything doubtful stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Removed
from .lines import _LIST_RE, _break_here, _wrap_width, join_lines
from ..patterns import (
    MONTH_WORDS,
    BOILERPLATE,
    BREADCRUMB_RE,
    BYLINE_PREFIX_RE,
    CONTRIBUTED_RE,
    COPYRIGHT_RE,
    copyright_holder,
    DATE_HEADER_RE,
    DATE_LABEL_RE,
    SECTION_LABELS,
    TRAILER_RE,
    is_person_name,
    is_publisher_name,
    match_byline_date,
    match_dateline,
    split_byline,
)

StripResult = tuple[str, tuple[Removed, ...]]
_BLOCK_SPLIT_RE = re.compile(r"\n[ \t]*\n")

_MAX_HEADER_LINES = 8
_TERMINAL_RE = re.compile("[.!?\u2026:;,\u3002\uff01\uff1f][\"'\u201d\u2019\u00bb)]*$")
_HAS_DATE_RE = re.compile(
    r"\d{4}|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.I,
)


# A day, a month and a year, in one of the shapes dates are printed in: "2021-09-28", "28.09.2021",
# "Sept 28, 2021", "28 September 2021", "3. Mai 2023", "2021年9月28日". "0 0000" or "Chapter 12,
# 2021" is no date.
_MONTH = "(?:" + "|".join(sorted({re.escape(m) for m in MONTH_WORDS}, key=len, reverse=True)) + r")\.?"
_FULL_DATE_RE = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\d{4}\s*[年년]\s*\d{1,2}\s*[月월]"
    rf"|\b\d{{1,2}}\.?\s+{_MONTH},?\s+\d{{4}}\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    re.I,
)


def _classify_header(line: str, index: int, rest_len: int | Callable[[], int], have_title: bool) -> str | None:
    """What a line at the top of a document is, or None when it is article text.

    ``rest_len`` (the visible characters of the text after the line) is read by the last rule
    only; a callable gives it when asked, so that most lines never count the whole text.
    """
    s = line.strip()
    if DATE_HEADER_RE.match(s):
        return "date_header"
    bd = match_byline_date(s)
    if bd and split_byline(bd[0]) and _FULL_DATE_RE.search(bd[1]):
        return "byline"
    m = DATE_LABEL_RE.match(s)
    if m and _HAS_DATE_RE.search(m.group(2)):
        return "date_line"
    if _looks_like_bare_date(s):
        return "date_line"
    if index <= 3 and is_publisher_name(s):
        return "publisher_line"
    bm = BYLINE_PREFIX_RE.match(s)
    if bm and split_byline(bm.group(1)):
        return "byline"
    if _is_name_comma_publisher(s):
        return "byline"
    kind = _boilerplate_match(s)
    if kind:
        return kind
    if index <= 2 and (s.lower() in SECTION_LABELS or BREADCRUMB_RE.match(s)):
        return "section_label"
    if not have_title and index <= 3 and _is_headline(s, rest_len):
        return "headline"
    return None


# Words that may stand next to a date on a date line: times and zones.
_TIME_WORDS = frozenset(
    (
        "at a m p am pm a.m p.m gmt utc bst cet cest eet eest msk est edt cst cdt mst mdt pst pdt et pt "
        "ist jst kst uhr h"
    ).split()
)


def _looks_like_bare_date(s: str) -> bool:
    if len(s) > 60 or not _HAS_DATE_RE.search(s):
        return False
    m = _FULL_DATE_RE.search(s)
    if not m:
        return False
    # Only the date, a weekday, a time and a zone: "Tuesday, 28 September 2021 10:15 GMT",
    # "September 28, 2021 at 10:15 a.m. EDT".
    words = [w for w in re.findall(r"[^\W\d_]+", s[: m.start()] + " " + s[m.end() :]) if w.lower() not in _TIME_WORDS]
    return len(words) <= 1 and all(len(w) <= 12 for w in words) and not _TERMINAL_RE.search(s.rstrip(".") + "x")


def _is_name_comma_publisher(s: str) -> bool:
    """``Jane Doe, Bloomberg News`` / ``Jane Doe | Reuters``."""
    m = re.match(r"^(.{3,60}?)\s*[,|]\s*(.{2,60})$", s)
    return bool(m) and is_person_name(m.group(1)) and is_publisher_name(m.group(2))


# Every character ``str.isspace`` (and so the regex class ``\s``) accepts: the ASCII ones, then the others.
_ASCII_BLANKS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_OTHER_BLANKS = (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _visible(s: str) -> int:
    """Characters that are not whitespace: the length less a count of each blank character.

    ``str.count`` scans in C and allocates nothing: a quarter of the time of deleting the
    whitespace with a regex and measuring what is left, on header lines and whole articles alike,
    and linear on a line of any length.
    """
    n = len(s)
    for c in _ASCII_BLANKS:
        n -= s.count(c)
    if not s.isascii():
        for c in _OTHER_BLANKS:
            n -= s.count(c)
    return n


# Linear: alternatives of fixed strings or bounded character classes, no nested repeats.
# A sentence end inside the line ("report. Then") makes it prose; "U.S. Senate", "Dr. Who" and
# "vs. Bayern" have fewer than three letters before the stop.
_NOT_HEADLINE_RE = re.compile(r"\s\|\s|\bwww\.|https?://|;\s|:[^:]{0,80}:\s|[^\W\d_]{3}[.!?][\"'\u201d\u2019]?\s+\S")


def _needs_corroboration(s: str) -> bool:
    """A question, an exclamation or a shouted line opens stories as often as it heads them:
    such a line is a headline only with a byline or date line under it."""
    letters = [c for c in s if c.isalpha()]
    shouted = len(letters) >= 8 and all(c.isupper() for c in letters)
    return shouted or s.rstrip("\u201d\"'\u2019").endswith(("?", "!"))


def _is_headline(s: str, rest_len: int | Callable[[], int]) -> bool:
    words = s.split()
    cjk = (
        len(words) <= 2
        and len(s) <= 60
        and any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in s)
        and not any(c in s for c in "\u3002\uff01\uff1f\u3001")  # a full stop or comma inside: prose
    )
    if not (3 <= len(words) <= 25 or cjk) or len(s) > 200:
        return False
    if _TERMINAL_RE.search(s) and not s.endswith(("?", "!", "?\u201d", "!\u201d")):
        return False
    if _NOT_HEADLINE_RE.search(s) or _LIST_RE.match(s):
        return False  # a pipe, a web address, a semicolon, two labels, a sentence end: data or prose
    if not (s[0].isupper() or s[0].isdigit() or s[0] in "\"'\u201c\u00ab\u2018" or cjk):
        return False
    if match_dateline(s + " x" * 10):
        return False
    return (rest_len() if callable(rest_len) else rest_len) >= 2 * _visible(s)


def _name_over_date(lines: list[str], i: int) -> bool:
    """A bare name right above a date line is a byline ("Иван Петров" / "28 сентября 2021")."""
    s = lines[i].strip()
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if not nxt or not (is_person_name(s) or (s.isupper() and is_person_name(s.title()))):
        return False
    return _classify_header(nxt, 1, len(nxt) * 3, True) == "date_line"


def _list_follows(lines: list[str], j: int, width: _Width) -> bool:
    """The text under ``lines[j - 1]`` is a list: an item marker, or three short lines.

    The lines are taken as join_broken_lines will leave them (each paragraph's breaks decided
    with the whole paragraph in view), and blank lines between them do not count: the verdict
    must be the same when the output, whose short lines are paragraphs by then, is cleaned again.
    """
    start = j
    while start > 0 and lines[start - 1].strip():
        start -= 1  # the paragraph that lines[j] belongs to starts here
    block: list[str] = []
    k = start
    while k < len(lines) and len(block) < 3 and k < j + 40:
        end = k
        while end < len(lines) and lines[end].strip():
            end += 1
        para = lines[k:end]
        first = 0
        for n in range(len(para)):
            if n == len(para) - 1 or _break_here(para, n, width.get()):
                if k + n >= j:
                    block.append(join_lines(para[max(first, j - k) : n + 1]).strip())
                first = n + 1
        k = end + 1
    block = [t for t in block if t][:3]
    if not block:
        return False
    if _LIST_RE.match(block[0]):
        return True
    for t in block:
        if len(t) > 60 or _classify_header(t, 1, 3 * len(t), True):
            return False  # a long line, or a header line (a standfirst over a byline)
    # Fewer than three lines left count too: the trailer strip may take the last lines away.
    return len(block) >= 3 or not any(line.strip() for line in lines[k:])


def _dated_header_follows(lines: list[str], i: int, between: int = 1) -> bool:
    """A byline or date line comes next, at most ``between`` other header lines (a headline) between."""
    seen = 0
    for line in lines[i + 1 : i + 8]:
        s = line.strip()
        if not s:
            continue
        kind = _classify_header(s, 1, len(s) * 3, seen > 0)
        if kind in ("byline", "date_line", "date_header"):
            return True
        if kind is None or seen >= between:
            return False
        seen += 1
    return False


def _header_follows(lines: list[str], i: int) -> bool:
    """The line after ``lines[i]`` is blank or itself a header line (a byline under a headline)."""
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    return not nxt or _classify_header(nxt, 1, len(nxt) * 3, True) is not None


_WIDTH_SAMPLE = 60


class _Width:
    """The document's wrap width, computed on first use (most header and trailer checks never need it)."""

    def __init__(self, text: str, *, tail: bool = False) -> None:
        self._text: str | None = text
        self._tail = tail
        self._width: int | None = None

    def get(self) -> int | None:
        if self._text is not None:
            # The width shows in the first (or last) lines as well as in all of them, at a
            # fraction of the cost on long articles.
            lines = self._text.split("\n")
            part = "\n".join(lines[-_WIDTH_SAMPLE:] if self._tail else lines[:_WIDTH_SAMPLE])
            self._width = _wrap_width([b.split("\n") for b in _BLOCK_SPLIT_RE.split(part) if b.strip()])
            self._text = None
        return self._width


_MAX_LOGICAL = 1000  # longer than any header or trailer line the classifiers accept


def _logical_line(lines: list[str], i: int, width: _Width) -> tuple[str, int]:
    """``lines[i]`` joined with the lines :func:`join_broken_lines` would join to it, and how many there are."""
    # A header line is short: once the joined line is longer than any header can be, the rest
    # of a (possibly very long) paragraph need not be read.
    block = [lines[i]]
    size = len(lines[i])
    for line in lines[i + 1 :]:
        if not line.strip() or size > _MAX_LOGICAL:
            break
        block.append(line)
        size += len(line) + 1
    j = 0
    while j + 1 < len(block) and not _break_here(block, j, width.get()):
        j += 1
    return join_lines(block[: j + 1]), j + 1


def _is_guessed_publisher(s: str, max_words: int = 1) -> bool:
    """A lone capitalised name on the very first line (``Meduza``).

    Two or three capitalised words are as likely an author's name as a masthead: the caller
    accepts those only above another header line, and never when they read as a person's name.
    """
    if len(s) > 40:
        return False
    words = s.split()
    if len(words) > 1 and is_person_name(s):
        return False
    return (
        1 <= len(words) <= max_words
        and len(s) <= 40
        and sum(c.isalpha() for c in s) >= 2
        and not any(c in s for c in ',;()[]"\u201c\u201d')
        and all(w[:1].isupper() for w in words)
        and not any(c.isdigit() for c in s)
        and not _TERMINAL_RE.search(s)
        and s.lower() not in SECTION_LABELS
    )


def strip_header_lines(text: str) -> StripResult:
    """Remove the date header, publisher line, headline, bylines and date lines at the top.

    The scan repeats on what is left until the top line is article text, so that cleaning the
    output again removes nothing more (a rerun sees the remaining first line as line 1).
    """
    return _strip_header(text, keep_headlines=False)


def strip_header_lines_markup(text: str, titles: tuple[str, ...] = ()) -> StripResult:
    """:func:`strip_header_lines` for text an HTML parser rendered: only the declared headline goes.

    The page declares its headline in markup (``<h1>``, ``<title>``, ``og:title``: ``titles``); a
    headline-like line at the top of a rendered body that is none of them is a subheading, a
    standfirst or a quoted line of the article, and stays. Bylines, date lines and the other
    header lines under it are still read and removed.
    """
    declared = tuple(t for t in (_title_key(t) for t in titles) if t)
    return _strip_header(text, keep_headlines=True, titles=declared)


def _title_key(s: str) -> str:
    return " ".join(s.split()).casefold()


def _is_declared_title(line: str, titles: tuple[str, ...]) -> bool:
    """The line is one of the page's declared titles, or all of one's text before a site suffix."""
    key = _title_key(line)
    return len(key) >= 8 and any(key == t or (t.startswith(key) and len(key) * 2 >= len(t)) for t in titles)


def _strip_header(text: str, *, keep_headlines: bool, titles: tuple[str, ...] = ()) -> StripResult:
    removed: list[Removed] = []
    width = _Width(text)  # removing header lines does not change how the body was wrapped
    while len(removed) < 2 * _MAX_HEADER_LINES:
        # Each pass judges what is left as a fresh document, exactly as cleaning the output
        # again would: so no line is removed only on the second cleaning.
        text, taken = _strip_header_once(text, width, keep_headlines=keep_headlines, titles=titles)
        if not taken:
            break
        removed.extend(taken)
    return text, tuple(removed)


def _strip_header_once(
    text: str, width: _Width, *, keep_headlines: bool = False, titles: tuple[str, ...] = ()
) -> StripResult:
    lines = text.split("\n")
    removed: list[Removed] = []
    starts: list[int] = []  # where each removed line began
    kept: list[str] = []  # a standfirst kept while the header goes on under it
    have_title = False
    i = 0
    index = 0
    # Sizes count visible characters only, so the verdict does not depend on the line layout.
    # The whole text's count is taken when a rule first needs it (most documents: never).
    totals: list[int] = []

    def rest_after(line: str, consumed: int) -> Callable[[], int]:
        def rest() -> int:
            if not totals:
                totals.append(_visible(text))
            return totals[0] - consumed - _visible(line)

        return rest

    consumed = 0
    while i < len(lines) and index < _MAX_HEADER_LINES:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        span = 1
        kind = _classify_header(line, index, rest_after(line, consumed), have_title)
        if kind is None or (kind == "headline" and not _header_follows(lines, i)):
            # Judge the line as join_broken_lines will leave it: with the lines that continue it.
            # Otherwise a headline-looking line would be kept here only to become one (or to stop
            # being one) once joined, and cleaning the output again would change it.
            line, span = _logical_line(lines, i, width)
            if span > 1:
                too_long = len(line) > _MAX_LOGICAL  # a paragraph, not a header line
                kind = None if too_long else _classify_header(line, index, rest_after(line, consumed), have_title)
            elif kind is None and _name_over_date(lines, i):
                kind = "byline"
            elif (
                kind is None
                and index == 0
                and _is_guessed_publisher(line.strip(), max_words=3)
                and _dated_header_follows(lines, i)
            ):
                # A name that is no known publisher is taken as one only on the very first
                # line and above a byline or date line ("Harbour Office" / "By …"); a lone word
                # above the story ("Claim", "Pittsburgh") is kept as text.
                kind = "publisher_line"
        if (
            kind == "headline"
            and not _dated_header_follows(lines, i + span - 1, between=0)
            and (_needs_corroboration(line.strip()) or _list_follows(lines, i + span, width))
        ):
            kind = None  # when in doubt the line stays (a heading over a list is the list's)
        if kind == "headline" and keep_headlines and not _is_declared_title(line, titles):
            # A rendered page's subheading: it stays as text; the header lines under it are still read.
            kept.extend(lines[i : i + span] + [""])
            have_title = True
            i += span
            index += 1
            continue
        if kind is None and keep_headlines and kept and len(kept) <= 4 and _visible(line) <= 300:
            # A second short line under a kept subheading (a standfirst, the heading repeated)
            # with a byline or date line right under it: it stays, the byline is still read.
            nxt = _header_after_line(lines, i + span, index)
            if nxt is not None:
                kept.extend(lines[i : i + span] + [""])
                i = nxt
                continue
        if kind is None:
            nxt = _header_after_standfirst(lines, i, span, index) if removed and not kept else None
            if nxt is None:
                break
            # A standfirst between the headline and the byline is article text: it stays, and
            # the byline or date line under it is still read and removed.
            kept.extend(lines[i : i + span] + [""])
            i = nxt
            continue
        consumed += _visible(line)
        if kind == "date_header":
            have_title = have_title or bool(DATE_HEADER_RE.match(line.strip()).group(2))  # type: ignore[union-attr]
        if kind == "headline":
            have_title = True
        removed.append(Removed(kind, line.strip()))
        starts.append(i)
        i += span
        index += 1
    # Never strip an article down to nothing: the lines that would have emptied it are the text.
    while removed and not any(line.strip() for line in kept + lines[i:]):
        removed.pop()
        i = starts.pop()
    if not removed:
        return text, ()
    return "\n".join(kept + lines[i:]).strip("\n"), tuple(removed)


def _header_after_line(lines: list[str], end: int, index: int) -> int | None:
    """Where a byline or date line starts after the blank lines at ``lines[end:]``, or None."""
    if end < len(lines) and lines[end].strip():
        return None  # the paragraph goes on
    j = end
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j >= len(lines):
        return None
    return j if _classify_header(lines[j], index, 0, True) in ("byline", "date_line") else None


def _header_after_standfirst(lines: list[str], i: int, span: int, index: int) -> int | None:
    """Where a byline or date line starts right under a one-paragraph standfirst, or None.

    The standfirst is the whole paragraph at ``lines[i:i + span]`` and reads as sentences.
    """
    end = i + span
    if end < len(lines) and lines[end].strip():
        return None  # the paragraph goes on: not a standfirst
    text = " ".join(line.strip() for line in lines[i:end])
    if len(text) > 400 or not _TERMINAL_RE.search(text):
        return None
    j = end
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j >= len(lines):
        return None
    return j if _classify_header(lines[j], index, 0, True) in ("byline", "date_line") else None


def strip_dateline(text: str) -> StripResult:
    """``MINSK, Belarus (AP) — Text`` → ``Text``, the dateline kept in the audit trail."""
    m = match_dateline(text[:200].split("\n", 1)[0])  # the story must go on in the same paragraph
    if not m:
        return text, ()
    if match_dateline(text[m.end() : m.end() + 200].split("\n", 1)[0]):
        return text, ()  # two datelines in a row: neither is one we can trust (keep the text)
    rest = text[m.end() : m.end() + 400].split("\n", 1)[0].strip()
    if len(rest) <= 250 and (_classify_header(rest, 0, 10 * len(rest), True) or _boilerplate_kind(rest)):
        # What follows reads as a byline or a widget, not a story: cleaning the output again
        # would take it for a header, so the dateline is not one either (the text stays).
        return text, ()
    return text[m.end() :], (Removed("dateline", m.group("dateline").strip()),)


# Widgets whose text can run on to a wrapped second line ("Read more: <a long headline>").
_RUNS_ON = frozenset({"read_more", "promo", "photo_credit"})


def strip_boilerplate_lines(text: str) -> StripResult:
    """Remove whole lines that are ads, share/read-more widgets, photo credits, newsletter promos.

    A wrapped widget line takes its continuation with it: the next line, when it starts in lower
    case right under a widget line that has no final punctuation.
    """
    out, removed = _strip_boilerplate(text, runs_on=True)
    if not removed and out is None:
        # Taking the widgets with their continuations would empty the text: the lines read as
        # continuations are the text, so the widget lines alone go.
        out, removed = _strip_boilerplate(text, runs_on=False)
    if not removed or out is None:
        return text, ()
    return out, removed


def _strip_boilerplate(text: str, *, runs_on: bool) -> tuple[str | None, tuple[Removed, ...]]:
    """The text without its widget lines; ``(None, ())`` when that would leave nothing."""
    lines = text.split("\n")
    removed: list[Removed] = []
    keep: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        s = line.strip()
        kind = _boilerplate_kind(s)
        if kind is None:
            keep.append(line)
            i += 1
            continue
        i += 1
        while (
            runs_on
            and kind in _RUNS_ON
            and i < len(lines)
            and lines[i].strip()[:1].islower()
            and not _TERMINAL_RE.search(s)
            and len(s) + len(lines[i]) <= 400
        ):
            nxt = lines[i].strip()
            s = s[:-1] + nxt if s.endswith("-") and s[-2:-1].isalpha() else f"{s} {nxt}"
            i += 1
        removed.append(Removed(kind, s))
    if not removed:
        return text, ()
    if not any(k.strip() for k in keep):
        return None, ()
    return "\n".join(keep), tuple(removed)


def _boilerplate_kind(s: str) -> str | None:
    if not s or len(s) > 250:
        return None
    return _boilerplate_match(s)


def _boilerplate_any() -> re.Pattern[str] | None:
    """The BOILERPLATE patterns as one alternation, each a named group in order; None if they cannot be.

    At the start of a line an alternation tries its branches in order, each to the end, as the
    loop over the patterns did: the first branch that matches names the same kind as the first
    pattern that matches. One match call per line instead of one per pattern.
    """
    flags = {rx.flags for _, rx in BOILERPLATE}
    if len(flags) != 1 or any(rx.groups for _, rx in BOILERPLATE):
        return None  # groups of their own (back-references would shift): keep them apart
    try:
        return re.compile("|".join(f"(?P<b{i}>{rx.pattern})" for i, (_, rx) in enumerate(BOILERPLATE)), flags.pop())
    except re.error:  # pragma: no cover - patterns that do not combine
        return None


# Each BOILERPLATE pattern is linear (patterns.py); an alternation of them is too.
_BOILERPLATE_ANY_RE = _boilerplate_any()


def _boilerplate_match(s: str) -> str | None:
    """The kind of widget line ``s`` is, or None; a "click here" link to the article's own matter is text."""
    if _BOILERPLATE_ANY_RE is not None:
        m = _BOILERPLATE_ANY_RE.match(s)
        if m is None:
            return None
        kind = BOILERPLATE[int(m.lastgroup[1:])][0]  # type: ignore[index]
        return None if kind == "promo" and _is_text_link(s) else kind
    for kind, rx in BOILERPLATE:
        if rx.match(s):
            return None if kind == "promo" and _is_text_link(s) else kind
    return None


# The site's own services, which a "click here" widget sells: literals, so the search is linear.
_SERVICE_RE = re.compile(
    r"\b(?:subscri\w*|sign(?:ing)?[- ]?up|register|newsletters?|apps?|follow|join|donate|log ?in|our|us|free trial)\b",
    re.I,
)


def _is_text_link(s: str) -> bool:
    """A "click here" line that offers none of the site's services is a link in the story's own
    text ("Click here to get more information or download this game."): widgets sell a
    subscription, a newsletter or an app ("Click here to subscribe"). When in doubt the line stays,
    and :func:`boilerplate_kept` counts it for a ``boilerplate_kept`` warning."""
    return s[:10].lower() == "click here" and not _SERVICE_RE.search(s, 10)


def strip_trailer_lines(text: str) -> StripResult:
    """Remove agency trailers, copyright lines and bylines/date lines at the bottom.

    Like the header, the last line is judged alone and then as join_broken_lines will leave it
    (with the lines it continues), so that cleaning the output again removes nothing more.
    """
    lines = text.split("\n")
    removed: list[Removed] = []
    end = len(lines)
    ends: list[int] = []  # where the text ended before each removed line
    width = _Width(text, tail=True)
    while end > 0:
        s = lines[end - 1].strip()
        if not s:
            end -= 1
            continue
        span = 1
        kind = _classify_trailer(s)
        if kind is None:
            s, span = _logical_line_ending(lines, end, width)
            kind = _classify_trailer(s.strip()) if span > 1 else None
        if kind is None:
            break
        removed.append(Removed(kind, s.strip()))
        ends.append(end)
        end -= span
    # Never strip an article down to nothing: the lines that would have emptied it are the text.
    while removed and not any(line.strip() for line in lines[:end]):
        removed.pop()
        end = ends.pop()
    if not removed:
        return text, ()
    removed.reverse()
    return "\n".join(lines[:end]).strip("\n"), tuple(removed)


def _logical_line_ending(lines: list[str], end: int, width: _Width) -> tuple[str, int]:
    """The line ``lines[end - 1]`` belongs to once wraps are joined, and how many lines it spans."""
    start = end - 1
    size = len(lines[start])
    while start > 0 and lines[start - 1].strip() and size <= _MAX_LOGICAL:
        start -= 1
        size += len(lines[start]) + 1
    block = lines[start:end]
    first = 0
    for j in range(len(block) - 1):
        if _break_here(block, j, width.get()):
            first = j + 1
    return join_lines(block[first:]), len(block) - first


def _classify_trailer(s: str) -> str | None:
    if len(s) > 400:
        return None
    if TRAILER_RE.match(s) or CONTRIBUTED_RE.match(s):
        return "trailer"
    if COPYRIGHT_RE.match(s):
        return "copyright" if is_copyright_notice(s) else None
    m = DATE_LABEL_RE.match(s)
    if m and _HAS_DATE_RE.search(m.group(2)):
        return "date_line"
    bm = BYLINE_PREFIX_RE.match(s)
    if bm and split_byline(bm.group(1)) and len(s) <= 120:
        return "byline"
    return None


_YEAR_RE = re.compile(r"\b(?:1[89]|20)\d\d\b")  # fixed-width: linear
# A sentence ends inside the holder ("Press. This material may not be …"): two letters, a stop, a
# blank, more text. Fixed-width pieces: linear. "L.P." and "U.S." have one letter before the stop.
_SENTENCE_BREAK_RE = re.compile(r"[^\W\d_]{2}[.!?]\s+\S")
_MAX_HOLDER = 80
_RIGHTS = "all rights reserved"


def is_copyright_notice(s: str) -> bool:
    """A copyright notice and nothing more: the sign or word, a year, a holder, "All rights reserved".

    It needs a year or "All rights reserved": "© Name" alone is as often a photo credit or the
    author's signature under a recipe. A notice followed by more text (licence terms) is more
    than a notice. Both stay in the body (when in doubt the line stays, with a
    ``boilerplate_kept`` warning).
    """
    s = s.strip()
    core = s[:-1] if s.endswith(".") else s
    rights = core.lower().endswith(_RIGHTS)
    if not rights and not _YEAR_RE.search(s):
        return False
    holder = copyright_holder(s)  # None: no sign or word in front ("Name. All rights reserved.")
    if holder is None:
        holder = core[: len(core) - len(_RIGHTS)] if rights else core
    holder = holder.strip(" .,")
    return len(holder) <= _MAX_HOLDER and not _SENTENCE_BREAK_RE.search(holder)


def boilerplate_kept(body: str) -> int:
    """How many paragraphs of ``body`` read like boilerplate the strips kept as text (0 for most).

    Counted: a copyright line that is not a bare notice (``© Name``, a notice with licence terms)
    and a "click here" line that offers none of the site's services. The pipeline reports the count as a
    ``boilerplate_kept`` warning, so a doubtful line kept is never kept silently.
    """
    n = 0
    for para in body.split("\n\n"):
        if len(para) > 250:  # most paragraphs: no widget is that long
            continue
        p = para.strip()
        if not p:
            continue
        # Cheap substring probes first: the patterns need one of these to match.
        if any(k in p for k in _COPYRIGHT_PROBES) and COPYRIGHT_RE.match(p):
            n += 1
        elif p[:10].lower() == "click here" and _PROMO_RE.match(p) and _is_text_link(p):
            n += 1
    return n


_COPYRIGHT_PROBES = ("\u00a9", "opyright", "OPYRIGHT", "(c)", "(C)", "eserved", "ESERVED")


_PROMO_RE = dict(BOILERPLATE)["promo"]
