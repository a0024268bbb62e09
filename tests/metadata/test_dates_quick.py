"""The date parser's shortcuts give exactly what the slow path gives.

``_quick_date`` reads the common day-month-year forms without dateutil; it must agree with
``_by_dateutil`` on every string it answers for, and leave the rest to dateutil. ``parse_date``
caches its answers per string; ``htmldate_day_stands`` asks XPath only for texts holding the year.
"""

from __future__ import annotations

import itertools

from lxml import html as lxml_html

from ingest.metadata.dates import (
    _DATEUTIL_INFO,
    _by_dateutil,
    _quick_date,
    dates_in_text,
    htmldate_day_stands,
    parse_date,
    parse_date_checked,
)


def agree(s: str, dayfirst: bool) -> bool:
    """The quick reading is dateutil's, or there is none (dateutil then decides)."""
    quick = _quick_date(s, dayfirst)
    return quick is None or quick == _by_dateutil(s, dayfirst)


def test_numeric_forms_read_as_dateutil_reads_them() -> None:
    answered = 0
    for a, b, sep, dayfirst in itertools.product(range(34), range(34), "./-", (True, False)):
        for s in (f"{a:02d}{sep}{b:02d}{sep}2020", f"{a}{sep}{b}{sep}1999"):
            assert agree(s, dayfirst), s
            answered += _quick_date(s, dayfirst) is not None
    assert answered > 2000  # the shortcut does answer most of them


def test_month_name_forms_read_as_dateutil_reads_them() -> None:
    names = sorted({w for t in _DATEUTIL_INFO.MONTHS for w in t} | {"MAY", "sept", "Juli", "Mon", "Sun", "abc"})
    answered = 0
    days = (0, 1, 9, 12, 13, 28, 29, 30, 31, 32)
    for day, name, suffix, year in itertools.product(days, names, ("", "th", "st"), ("1799", "2019", "2020", "2201")):
        for s in (
            f"{day}{suffix} {name} {year}",
            f"{day:02d}. {name}. {year}",
            f"{day} {name}, {year}",
            f"{name} {day}{suffix}, {year}",
            f"{name}. {day:02d} {year}",
        ):
            assert agree(s, False), s
            answered += _quick_date(s, False) is not None
    assert answered > 1000


def test_the_shortcut_declines_what_it_cannot_be_sure_of() -> None:
    assert _quick_date("05.13.2019", True) is None  # a month after 12: dateutil's swapping decides
    assert _quick_date("31.02.2019", True) is None  # no such day
    assert _quick_date("1. Juli 2018", False) is None  # not a month name dateutil knows (anglicised first)
    assert _quick_date("19 November 2019 10:15", False) is None  # a time: dateutil reads it
    assert _quick_date("May\xa016,\xa02020", False) is None  # only plain spaces
    assert _quick_date("12.05.1799", True) is None  # out of range
    assert _quick_date("٠١.٠٥.٢٠١٩", True) is None  # only ASCII digits (parse_date translates first)


def test_parse_date_gives_the_same_for_the_common_forms() -> None:
    assert parse_date("18.11.2019") == "2019-11-18"
    assert parse_date("27/09/2018") == "2018-09-27"
    assert parse_date("05/12/2023") is None  # day-month order unknown: never guessed
    assert parse_date("30. Juli 2018") == "2018-07-30"
    assert parse_date("Nov. 19, 2019") == "2019-11-19"
    assert parse_date("November 20th, 2019") == "2019-11-20"
    assert parse_date("31. Februar 2019") is None


class Smart(str):
    """A string subclass, as lxml's text results are."""


def test_the_cache_answers_as_the_parser_does() -> None:
    for raw in ("2019-11-19T13:03:00+02:00", "19 Nov 2019 05:44 GMT", "1988", "Tue, 19 Nov 2019 06:13:48 +9900"):
        first = parse_date_checked(raw)
        assert parse_date_checked(raw) == first
        assert parse_date_checked(Smart(raw)) == first
        assert type(parse_date_checked(Smart(raw))[0]) in (str, type(None))
    assert parse_date_checked("Tue, 19 Nov 2019 06:13:48 +9900") == ("2019-11-19T06:13:48", "+9900")
    # a long value (mostly spaces) is read as well, without being kept
    assert parse_date(" " * 3000 + "2019-05-01" + " " * 3000) == "2019-05-01"
    assert parse_date("x" * 3000) is None


def stands(body: str, day: str) -> bool:
    doc = f"<html><head><title>t</title></head><body>{body}</body></html>"
    return htmldate_day_stands(lxml_html.document_fromstring(doc), doc, day)


def test_only_visible_texts_with_the_year_are_places() -> None:
    side = '<aside class="sidebar"><p>Other story, 29. September 2020</p></aside>'
    article = "<article><h1>Quay</h1>{}<p>Body text.</p></article>"
    # printed only in the sidebar: not the page's date
    assert not stands(article.format("") + side, "2020-09-29")
    # a script or a style that writes it is no place; the visible article text is
    assert not stands(article.format('<script>var d = "29. September 2020";</script>') + side, "2020-09-29")
    assert not stands(article.format("<style>/* 29. September 2020 */</style>") + side, "2020-09-29")
    assert stands(article.format("<p>Posted 29. September 2020</p>") + side, "2020-09-29")
    # a tail text holds it: the tail's element is the place
    assert stands(article.format("<p><b>Posted</b> 29. September 2020</p>") + side, "2020-09-29")
    # the year alone, another day of that year: no place, a day that is not a month's 1st stands
    assert stands(article.format("<p>In 2020 we wrote 3. Mai 2020.</p>"), "2020-09-29")


def test_dates_in_text_translates_only_a_text_that_needs_it() -> None:
    assert list(dates_in_text("Posted May 5، 2019 by")) == [(7, "2019-05-05")]  # the Arabic comma alone
    assert list(dates_in_text("نشر ٠٣.٠٥.٢٠٢٢ ثم")) == [(4, "2022-05-03")]
    assert list(dates_in_text("Posted May 5, 2019 by")) == [(7, "2019-05-05")]
    assert list(dates_in_text("Posted in May, nothing else")) == []


def test_the_month_lookahead_reads_case_as_the_month_words_do() -> None:
    """``(?=[first letters])`` before the month words refuses exactly the positions no word can
    start at: under IGNORECASE, the class matches a character iff the letter as a literal does."""
    import re

    from ingest.metadata.dates import _MONTH_FIRSTS
    from ingest.patterns import MONTH_WORDS

    firsts = {m[0] for m in MONTH_WORDS}
    assert {re.sub(r"\\(.)", r"\1", c) for c in re.findall(r"\\.|.", _MONTH_FIRSTS)} == firsts
    cased = [chr(i) for i in range(0x110000) if chr(i).lower() != chr(i) or chr(i).upper() != chr(i)]
    for f in firsts:
        literal = re.compile(re.escape(f), re.I)
        klass = re.compile(f"[{re.escape(f)}]", re.I)
        for x in (*cased, *firsts, " ", "1", "."):
            assert bool(literal.match(x)) == bool(klass.match(x)), (f, x)


def test_text_dates_are_found_wherever_a_month_word_starts() -> None:
    text = "x 12 March 2019; Kasım 5, 2020; 3 ΜΑΪΟΥ 2021; 5 тра 2022, 1. září 2023; ocak 2 2019"
    found = list(dates_in_text(text))
    assert found == [(2, "2019-03-12"), (17, "2020-11-05"), (58, "2023-09-01"), (72, "2019-01-02")]
