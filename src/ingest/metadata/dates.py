"""Dates: strict where the input is strict, forgiving where it is prose, never filled from today.

``dateutil.parser.parse`` fills missing parts from a default date. We parse twice with two
different defaults: any part that differs between the two results was not in the input, so it
is dropped instead of invented (missing year → no date; missing time → date only).
"""

from __future__ import annotations

import re
import warnings
from calendar import monthrange
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache

from dateutil import parser as _parser

# The date words (month and weekday names, fillers) live in patterns.py beside the other shared
# word lists: the text fixes read them too, and fixes must not import metadata.
from ..patterns import BARE_LETTERS, DIGITS_TO_ASCII
from ..patterns import DATE_FILLER as _DATE_FILLER
from ..patterns import MONTH_NAMES as _MONTH_NAMES
from ..patterns import MONTH_WORDS
from ..patterns import WEEKDAYS as _WEEKDAYS

_ISO_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
_DEFAULT_A = datetime(1904, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(1908, 2, 2, 1, 1, 1)
MIN_YEAR, MAX_YEAR = 1800, 2200
_MAX_LEN = 100
# Abbreviations newsrooms print; dateutil knows only UTC/GMT by itself.
_TZINFOS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 3600,
    "CET": 3600,
    "CEST": 7200,
    "EET": 7200,
    "EEST": 10800,
    "MSK": 10800,
    "EST": -18000,
    "EDT": -14400,
    "CST": -21600,
    "CDT": -18000,
    "MST": -25200,
    "MDT": -21600,
    "PST": -28800,
    "PDT": -25200,
    "IST": 19800,
    "JST": 32400,
    "KST": 32400,
    "AEST": 36000,
    "AEDT": 39600,
}
# Deliberately absent: "ET"/"PT" (the offset depends on daylight saving, which the abbreviation
# does not say) and "IST" (India, Ireland or Israel). A time with one of them keeps no offset.

_TOKEN_RE = re.compile(r"[^\W\d_]+\.?", re.U)
# "2023年5月12日" (Chinese, Japanese), "2023년 5월 12일" (Korean).
_CJK_DATE_RE = re.compile(r"^\s*(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
# "12.05.2023", "4. 2. 2022", "4.\u20092.\u20092022" (a space, no-break or thin space after each dot).
# Linear: bounded digit groups and single optional spaces between literal dots.
_DOTTED_RE = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b(.*)$", re.S)
_SLASHED_RE = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})\b")  # Linear: bounded digit groups.


_ENGLISH_MONTHS = "January February March April May June July August September October November December".split()
# Two-word month names ("كانون الثاني", "تشرين الأول"). Linear: one alternation of literal phrases.
_PHRASE_MONTH_RE = re.compile("|".join(sorted((re.escape(k) for k in _MONTH_NAMES if " " in k), key=len, reverse=True)))
# Vietnamese "ngày 7 tháng 10 năm 2020" / "7 tháng 10, 2020": the month is a number after "tháng".
# Linear: bounded digit groups and single optional separators between fixed words.
_VI_DATE_RE = re.compile(r"(?:ngày\s?)?(\d{1,2})\s?tháng\s?(\d{1,2})(?:\s?,\s?|\snăm\s)(?=\d{4})", re.I)
# Vietnamese weekdays ("Thứ Tư, ", "Chủ nhật"). Linear: literal alternatives, single optional separators.
_VI_WEEKDAY_RE = re.compile(r"(?:thứ\s(?:hai|ba|tư|năm|sáu|bảy)|chủ\snhật)\s?,?", re.I)
# One month in two calendars, "October/October" (Arabic pages print "أكتوبر/تشرين الأول"): one is
# enough. Linear: a bounded word, then its backreference.
_TWIN_MONTH_RE = re.compile(r"\b([A-Z][a-z]{2,8})\s?/\s?\1\b")


def _vi_month(m: re.Match[str]) -> str:
    month = int(m.group(2))
    return f"{m.group(1)} {_ENGLISH_MONTHS[month - 1]} " if 1 <= month <= 12 else m.group(0)


def _anglicise(s: str) -> str | None:
    """Localised month/weekday names → what dateutil reads (fillers dropped); None when there were none."""
    before = s
    s = s.translate(BARE_LETTERS)  # the table holds every name bare too ("ΜΑΪΟΥ" → "μαιου")
    s = _PHRASE_MONTH_RE.sub(lambda m: _MONTH_NAMES[m.group(0)], s)
    if "th" in s.lower():
        s = _VI_DATE_RE.sub(_vi_month, _VI_WEEKDAY_RE.sub(" ", s))
    tokens = _TOKEN_RE.findall(s)
    if s == before and not any(
        t.lower().rstrip(".") in _MONTH_NAMES or t.lower().rstrip(".") in _WEEKDAYS for t in tokens
    ):
        return None

    def sub(m: re.Match[str]) -> str:
        word = m.group(0)
        key = word.lower().rstrip(".")
        if key in _MONTH_NAMES:
            return _MONTH_NAMES[key]
        if key in _WEEKDAYS or key in _DATE_FILLER or word.lower() in _DATE_FILLER:
            return " "
        return word

    return _TWIN_MONTH_RE.sub(r"\1", re.sub(r"\s+", " ", _TOKEN_RE.sub(sub, s)).strip(" ,"))


# The widest UTC offsets any time zone uses are -12:00 and +14:00; minutes run 00-59.
MAX_OFFSET_MINUTES = 14 * 60
# A numeric offset written after a clock time ("10:15 +0200", "10:15:00 GMT+02:00"), at the end.
# Linear: bounded digit groups, no two adjacent quantifiers over the same characters, and the
# input is at most _MAX_LEN characters.
_TRAILING_OFFSET_RE = re.compile(
    r"(\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:(?:GMT|UTC)\s*)?)([+-])(\d{2}):?(\d{2})\s*$", re.I
)


_ZONE_WORD_RE = re.compile(r"GMT|UTC", re.I)  # Linear: literal alternatives.


def offset_ok(hours: int, minutes: int) -> bool:
    """A UTC offset some time zone could have: minutes 00-59, at most 14 h either way."""
    return 0 <= minutes < 60 and hours * 60 + minutes <= MAX_OFFSET_MINUTES


def _fmt_tz(tz: str | None) -> str | None:
    """``+0200`` → ``+02:00``; "" without an offset; None for an offset no zone has."""
    if not tz:
        return ""
    if tz == "Z":
        return "+00:00"
    tz = tz.replace(":", "")
    if not offset_ok(int(tz[1:3]), int(tz[3:5])):
        return None
    return f"{tz[:3]}:{tz[3:]}"


def parse_date(value: object) -> str | None:
    """An ISO 8601 string for ``value``, or None when it is not a complete, plausible date.

    Date-only input stays date-only; a time keeps its offset when one is given. An impossible
    offset (``+99:99``, ``+05:60``, ``+2400``) is dropped: see :func:`parse_date_checked`.
    """
    return parse_date_checked(value)[0]


def parse_date_checked(value: object) -> tuple[str | None, str | None]:
    """(ISO string or None, the impossible UTC offset that was dropped or None).

    Never raises: an offset of 24 h or more, or with 60+ minutes, is cut off and reported so the
    caller can warn; the date and time stay.
    """
    if isinstance(value, bool) or value is None:
        return None, None
    if isinstance(value, (int, float)):
        return None, None  # bare numbers are ids, counts or epoch stamps of unknown unit: never guess
    # str(): a plain string as the cache key (an lxml "smart" string would keep its whole tree alive);
    # a long one is not kept at all (it is no date unless it is mostly spaces)
    s = str(value)
    return _checked_text(s) if len(s) <= _MAX_CACHED else _checked_text.__wrapped__(s)


_MAX_CACHED = 200  # a date is at most _MAX_LEN characters once stripped; the cache stays small


@lru_cache(maxsize=2048)
def _checked_text(s: str) -> tuple[str | None, str | None]:
    """:func:`parse_date_checked` of a string; cached, since a page repeats its dates across sources
    (markup, JSON-LD, the text) and the stages of the cascade read the same value again."""
    s = s.strip().translate(DIGITS_TO_ASCII)
    if not s or len(s) > _MAX_LEN:
        return None, None
    dropped: str | None = None
    om = _TRAILING_OFFSET_RE.search(s)
    if om:
        clock = _ZONE_WORD_RE.sub("", om.group(1)).strip()
        if offset_ok(int(om.group(3)), int(om.group(4))):
            # "GMT+0200" means two hours east on web pages; dateutil would read the POSIX sign.
            s = f"{s[: om.start(1)]}{clock} {om.group(2)}{om.group(3)}{om.group(4)}"
        else:
            dropped = s[om.end(1) :].strip()
            s = f"{s[: om.start(1)]}{clock}"
    return _parse(s), dropped


def _parse(s: str) -> str | None:
    m = _ISO_RE.match(s)
    if m:
        y, mo, d, hh, mi, ss, tz = m.groups()
        try:
            datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
        except ValueError:
            return None
        if not MIN_YEAR <= int(y) <= MAX_YEAR:
            return None
        out = f"{y}-{mo}-{d}"
        if hh is not None:
            out += f"T{hh}:{mi}:{ss or '00'}{_fmt_tz(tz) or ''}"
        return out
    cm = _CJK_DATE_RE.match(s)
    if cm:
        return parse_date(f"{cm.group(1)}-{int(cm.group(2)):02d}-{int(cm.group(3)):02d}")
    if not re.search(r"\d", s) or not re.search(r"\d{4}", s):
        return None  # no year written: "Sept 28", "Chapter 12" — a date we would have to invent
    dayfirst = False
    dm = _DOTTED_RE.match(s)
    if dm:
        dayfirst = True  # "12.05.2023": the dotted form is day-first wherever it is written
        # spaces after the dots dropped: dateutil reads "4. 2. 2022" month-first even with dayfirst
        s = f"{dm.group(1)}.{dm.group(2)}.{dm.group(3)}{dm.group(4)}"
    else:
        sm = _SLASHED_RE.match(s)
        if (
            sm
            and int(sm.group(1)) <= 12
            and int(sm.group(2)) <= 12
            and sm.group(1).lstrip("0") != sm.group(2).lstrip("0")
        ):
            return None  # "05/12/2023": 5 December or May 12 depends on the country; never guess
    s = _anglicise(s) or s
    return _quick_date(s, dayfirst) or _by_dateutil(s, dayfirst)


def _by_dateutil(s: str, dayfirst: bool) -> str | None:
    """What dateutil reads in ``s`` (parsed twice: a part the two defaults change was not written)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = _parser.parse(s, default=_DEFAULT_A, fuzzy=False, tzinfos=_TZINFOS, dayfirst=dayfirst)
            b = _parser.parse(s, default=_DEFAULT_B, fuzzy=False, tzinfos=_TZINFOS, dayfirst=dayfirst)
    except (ValueError, OverflowError, TypeError, _parser.ParserError):
        return None
    if a.year != b.year or a.month != b.month or a.day != b.day:
        return None  # day or month missing ("September 2021"): not a publication date
    if not MIN_YEAR <= a.year <= MAX_YEAR:
        return None
    out = f"{a.year:04d}-{a.month:02d}-{a.day:02d}"
    if (a.hour, a.minute) == (b.hour, b.minute):
        out += f"T{a.hour:02d}:{a.minute:02d}:{a.second if a.second == b.second else 0:02d}"
        if a.tzinfo is not None:
            try:
                off = a.utcoffset()
            except ValueError:  # datetime refuses offsets of 24 h or more: keep the time without it
                off = None
            if off is not None and offset_ok(*divmod(abs(int(off.total_seconds() // 60)), 60)):
                mins = int(off.total_seconds() // 60)
                sign = "+" if mins >= 0 else "-"
                mins = abs(mins)
                out += f"{sign}{mins // 60:02d}:{mins % 60:02d}"
    return out


# The forms most pages write, read without dateutil (which tokenises, and is parsed twice):
# "18.11.2019", "27/09/2018", "19 November 2019", "30. July 2018", "Nov. 19, 2019", "November 20th, 2019".
# Linear: fullmatch of bounded digit groups, one bounded letter run and single optional literals.
_QUICK_NUMERIC_RE = re.compile(r"([0-9]{1,2})([./-])([0-9]{1,2})\2([0-9]{4})")
_QUICK_DMY_RE = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?\.? ([A-Za-z]{3,9})\.?,? ([0-9]{4})")
_QUICK_MDY_RE = re.compile(r"([A-Za-z]{3,9})\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{4})")
_DATEUTIL_INFO = _parser.parserinfo()  # dateutil's own month names, so the quick path reads the same ones


def _quick_date(s: str, dayfirst: bool) -> str | None:
    """The date :func:`_by_dateutil` reads in ``s`` when ``s`` is a plain day, month and year that
    reads one way only; None when unsure (dateutil then decides). A date-only answer, as dateutil's
    is for these forms; tests/metadata/test_dates_quick.py compares the two over every form."""
    m = _QUICK_NUMERIC_RE.fullmatch(s)
    if m:
        a, b = int(m.group(1)), int(m.group(3))
        if b <= 12 and (dayfirst or a > 12):
            day, month = a, b
        elif not dayfirst and a <= 12:
            day, month = b, a
        else:
            return None  # a month after 12 where the day should be: dateutil's swapping decides
        year = int(m.group(4))
    else:
        m = _QUICK_DMY_RE.fullmatch(s)
        if m:
            day, name = int(m.group(1)), m.group(2)
        else:
            m = _QUICK_MDY_RE.fullmatch(s)
            if not m:
                return None
            name, day = m.group(1), int(m.group(2))
        month = _DATEUTIL_INFO.month(name)
        if month is None:
            return None
        year = int(m.group(3))
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 and 1 <= day <= monthrange(year, month)[1]):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# A full date in a URL path: /2019/05/31/, /2019-05-31-slug, /2019/5/31/, /20190531/, _20190531.
# Linear: fixed or bounded digit groups between single separators; no nested quantifiers.
_URL_DATE_RES = (
    re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{2}|\d(?=/))(?=[/_.-]|$)"),
    re.compile(r"[/_-]((?:19|20)\d{2})(\d{2})(\d{2})(?=[/_.-]|$)"),
)


def date_from_url(url: str | None) -> str | None:
    """The publication date a URL's path spells out in full (year, month and day), or None.

    A year and month alone (``/2019/05/slug``) are not a date; nothing is completed.
    """
    if not url or len(url) > 2000:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    for rx in _URL_DATE_RES:
        m = rx.search(path)
        if m:
            found = parse_date(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
            if found:
                return found
    return None


# The month words, longest first, behind a lookahead on their first letters: the engine tries the
# 250 words one by one, so a position no month word can start at is refused with one class test
# (same matches; tests/metadata/test_dates_quick.py checks the class and the words agree on case).
_MONTH_FIRSTS = "".join(sorted({re.escape(m[0]) for m in MONTH_WORDS}))
_MONTH_WORDS_ALT = "|".join(sorted({re.escape(m) for m in MONTH_WORDS}, key=len, reverse=True))
_MONTH_ALT = f"(?=[{_MONTH_FIRSTS}])(?:{_MONTH_WORDS_ALT})"
# Dates as pages print them near a headline or byline. Each alternative is a fixed sequence of
# bounded digit groups, month words (literal alternatives) and single optional separators:
# linear, no quantifier can overlap its neighbour.
_TEXT_DATE_RE = re.compile(
    r"(?<![\d.])(?:"
    r"(?P<dot>\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)\d{2})(?![\d.]\d)"  # 31.05.2019, 31. 5. 2019
    r"|(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})(?!\d)"  # 2019-05-31
    # 2019/05/31, 2019.05.31, 2019. 05. 31. (Hungarian: a space and a closing dot)
    r"|(?P<ymd>(?:19|20)\d{2}(?:[/.]\d{1,2}[/.]\d{1,2}|\.\s\d{1,2}\.\s\d{1,2}\.))(?![\d/.]\d)"
    r"|(?P<cjk>(?:19|20)\d{2}\s?[年년]\s?\d{1,2}\s?[月월]\s?\d{1,2}\s?[日일])"  # 2019年5月31日
    r"|(?P<dmy>\d{1,2}(?:st|nd|rd|th|er|º)?\.?\s(?:de\s)?(?:" + _MONTH_ALT + r")\.?,?\s(?:de\s)?(?:19|20)\d{2})(?!\d)"
    r"|(?P<mdy>(?:" + _MONTH_ALT + r")\.?\s\d{1,2}(?:st|nd|rd|th)?,?\s(?:19|20)\d{2})(?!\d)"
    r"|(?P<slash>\d{1,2}/\d{1,2}/(?:19|20)\d{2})(?![\d/])"  # 31/05/2019 (only when unambiguous)
    r"|(?P<ymon>(?:19|20)\d{2}\.\s(?:" + _MONTH_ALT + r")\.?\s\d{1,2}\.)(?!\d)"  # 2019. május 31. (Hungarian)
    r"|(?P<vi>\d{1,2}\stháng\s\d{1,2}(?:,\s?|\snăm\s)(?:19|20)\d{2})(?!\d)"  # 31 tháng 5 năm 2019
    r")",
    re.I,
)


# Every alternative of _TEXT_DATE_RE holds a four-digit year ((19|20) and two digits) that starts
# at most _YEAR_REACH characters after the match does (a day, an ordinal, "de", the longest month
# word and separators come first). An alternative without a year, or with more before it, must
# raise this reach; tests/metadata/test_dates_speed.py checks it on generated text.
_YEAR_REACH = 20 + max(len(m) for m in MONTH_WORDS)
_DIGIT_RUN_RE = re.compile(r"\d{4,}")  # Linear: one quantifier over one character class.
_DIGITS_RE = re.compile(r"\d+")  # Linear: one quantifier over one character class.


def text_date_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_TEXT_DATE_RE.finditer(text)``, the pattern tried only where one can start.

    A match holds a year, so it starts at most :data:`_YEAR_REACH` characters before a run of
    four or more digits; other positions are never tried (most text has few such runs). Like
    ``finditer``, the matches do not overlap and come in order.
    """
    pos = 0  # every position before it is decided: inside a match, or tried
    for run in _DIGIT_RUN_RE.finditer(text):
        pos = max(pos, run.start() - _YEAR_REACH)
        stop = run.end() - 3  # the run's last year starts at run.end() - 4
        while pos < stop:
            m = _TEXT_DATE_RE.match(text, pos)
            if m is None:
                pos += 1
            else:
                yield m
                pos = max(m.end(), pos + 1)


# A character DIGITS_TO_ASCII replaces. Linear: one character class.
_TO_ASCII_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in DIGITS_TO_ASCII) + "]")


def dates_in_text(text: str) -> Iterator[tuple[int, str]]:
    """(offset, ISO date) of every complete date written in ``text``, in order."""
    if _TO_ASCII_RE.search(text):  # translating a text that has none of them copies it char by char
        text = text.translate(DIGITS_TO_ASCII)  # same length: offsets stay
    for m in text_date_matches(text):
        raw = m.group(0)
        if m.group("ymd"):
            y, mo, d = _DIGITS_RE.findall(raw)[:3]  # Linear: one class on a matched short date
            raw = f"{y}-{int(mo):02d}-{int(d):02d}"
        elif m.group("dot"):
            raw = "".join(raw.split())  # every space the pattern's \s took (no-break, thin), not only " "
        found = parse_date(raw)
        if found:
            yield m.start(), found[:10]


def date_by_htmldate(html: str, *, url: str | None = None) -> str | None:
    """htmldate's reading of a page (markup analysis, no opportunistic text search), or None.

    The tree is parsed here and handed over as a tree: htmldate fetches a *string* that looks
    like a URL, and input text must never make us fetch anything. ``max_date`` is fixed instead
    of htmldate's default "today" so that the output never depends on the day it is run.
    """
    try:
        from htmldate import find_date
        from lxml import html as lxml_html

        tree = lxml_html.document_fromstring(html)
        found = find_date(
            tree,
            url=url,
            original_date=True,
            extensive_search=False,
            outputformat="%Y-%m-%d",
            max_date=_HTMLDATE_MAX,
        )
    except Exception:  # noqa: BLE001 - a third-party heuristic must never cost the article
        return None
    day = parse_date(found) if found else None
    if day and not htmldate_day_stands(tree, html, day[:10]):
        return None
    return day


# The page's visible texts: not scripts, styles, noscript fallbacks or templates.
_VISIBLE_TEXTS = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
# The visible texts that hold the year ``$year``: the cheap string test comes first, so the
# ancestor tests (and a Python string for each result) are spent only on the few texts it keeps.
_VISIBLE_YEAR_TEXTS = (
    "//body//text()[contains(., $year)]"
    "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
)


def htmldate_day_stands(tree: object, html: str, day: str) -> bool:
    """Whether htmldate's reading ``day`` can be the page's own date. Two readings cannot:

    - ``htmldate_side_date``: every place the page prints that day is in a sidebar, widget, list of
      other posts, menu or comment thread (a recent post's or a comment's date, not the page's);
    - ``htmldate_completed_month``: the 1st of a month the page never writes out ("03.2015",
      "Ausgabe 8/2021" read as a day; ingest never completes a date).
    A day printed nowhere (a timestamp in the page's data) stands otherwise.
    """
    from ..readers.htmltree import MAX_SIDE_CHECKS, in_side_region

    try:
        texts = tree.xpath(_VISIBLE_YEAR_TEXTS, year=day[:4])  # type: ignore[attr-defined]
        times = list(tree.iter("time"))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - an odd tree: keep htmldate's reading
        return True
    # where the page prints the day: a text that reads as it, a <time datetime> that says it
    places = [t.getparent() for t in texts if any(found == day for _, found in dates_in_text(t[:2000]))]
    places += [el for el in times if (parse_date(el.get("datetime")) or "")[:10] == day]
    if places:
        # the first places decide (each check may walk a region: bounded work on any page)
        return any(el is not None and not in_side_region(el) for el in places[:MAX_SIDE_CHECKS])
    return not day.endswith("-01") or day in html


_HTMLDATE_MAX = f"{MAX_YEAR}-12-31"


_MAX_PRINTED_SCAN = 500_000  # characters of visible text read for a printed date: bounded work on any page
# Elements that start a new line of text: a date is read inside one of them, never across two
# (``<span>31</span> <span>May 2019</span>`` is a date; a calendar's cells "30" and "Dezember 2020" are none).
_TEXT_BLOCKS = frozenset(
    "address article aside blockquote body dd div dl dt figcaption footer h1 h2 h3 h4 h5 h6 header li "
    "main nav ol p pre section table td th tr ul".split()
)


def _text_block(node: object) -> object:
    """The nearest block element holding a text node (a tail's text is its element's parent's)."""
    el = node.getparent()  # type: ignore[attr-defined]
    if el is not None and node.is_tail:  # type: ignore[attr-defined]
        el = el.getparent()
    while el is not None and el.tag not in _TEXT_BLOCKS:
        el = el.getparent()
    return el


def prints_a_date(html: str) -> bool:
    """Whether the page's visible text (``<body>``, not scripts, styles or templates) writes out a
    complete date anywhere: byline, teaser, footer or comment. A page that writes none shows its
    reader no publication date, whatever its markup declares. The text of each block element is
    read as one (a date split over inline elements counts), at most :data:`_MAX_PRINTED_SCAN`
    characters in all; a page that cannot be parsed or is longer counts as printing one.
    """
    from lxml import etree

    from ..errors import BadHtml
    from ..readers.htmltree import parse_html

    try:  # the reader's parser: its limits on hostile pages (no network, deep text kept) hold here too
        texts = parse_html(html).xpath(_VISIBLE_TEXTS)
    except (BadHtml, etree.LxmlError, ValueError):  # an odd page (unparsable, XPath limits): claim nothing
        return True
    read = 0
    run: list[str] = []
    digits = False  # whether a piece of ``run`` has a digit: a run without one writes no date
    block = None
    for t in texts:
        b = _text_block(t)
        if b is not block:
            if digits and _has_date(run):
                return True
            run, block, digits = [], b, False
        piece = str(t)
        run.append(piece)
        if not digits and _ANY_DIGIT_RE.search(piece):
            digits = True
        read += len(piece)
        if read > _MAX_PRINTED_SCAN:
            return True  # a page this long is not read to its end: do not claim it prints none
    return digits and _has_date(run)


# A decimal digit (\d is every Unicode decimal digit, so every digit DIGITS_TO_ASCII translates):
# a written date has four in a row. Linear: one character class.
_ANY_DIGIT_RE = re.compile(r"\d")


def _has_date(pieces: list[str]) -> bool:
    text = " ".join("".join(pieces).split())  # inline pieces as rendered, one space for each run of spaces
    return any(c.isdigit() for c in text) and next(dates_in_text(text), None) is not None
