"""Dates: ISO out, date-only stays date-only, nothing filled from today, implausible dates are null."""

from __future__ import annotations

import pytest

from ingest.metadata.dates import date_from_url, parse_date


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("2021-09-28", "2021-09-28", id="ISO date stays date-only"),
        pytest.param("2021-09-28T10:15:00Z", "2021-09-28T10:15:00+00:00", id="ISO with Z"),
        pytest.param("2021-09-28T10:15:30+03:00", "2021-09-28T10:15:30+03:00", id="ISO with offset"),
        pytest.param("2021-09-28 10:15", "2021-09-28T10:15:00", id="ISO with a space and no offset"),
        pytest.param("Sept. 28, 2021", "2021-09-28", id="Sept. with a dot"),
        pytest.param("Sep 28, 2021", "2021-09-28", id="Sep abbreviation"),
        pytest.param("28 September 2021", "2021-09-28", id="day month year"),
        pytest.param("September 28, 2021", "2021-09-28", id="month day comma year"),
        pytest.param("Tuesday, 28 September 2021 10:15 GMT", "2021-09-28T10:15:00+00:00", id="weekday date time GMT"),
        pytest.param("28 Sep 2021 10:15 CEST", "2021-09-28T10:15:00+02:00", id="CEST offset"),
        pytest.param(
            "May 5, 2021 at 3:30 p.m. ET", "2021-05-05T15:30:00", id="ET keeps no offset (depends on daylight saving)"
        ),
        pytest.param("12.05.2023", "2023-05-12", id="dotted date is day-first"),
        pytest.param("13/05/2023", "2023-05-13", id="slashed date with a day over 12"),
        pytest.param("3. Mai 2023", "2023-05-03", id="German month name"),
        pytest.param("Dienstag, 3. Mai 2023, 10:15 Uhr", "2023-05-03T10:15:00", id="German weekday and Uhr"),
        pytest.param("3 mars 2023", "2023-03-03", id="French month name"),
        pytest.param("1 de mayo de 2023", "2023-05-01", id="Spanish de-mayo-de"),
        pytest.param("12 \u043c\u0430\u044f 2023 \u0433.", "2023-05-12", id="Russian genitive month and g."),
        pytest.param("12 maja 2023", "2023-05-12", id="Polish genitive month"),
    ],
)
def test_parse_date_reads(raw: str, want: str) -> None:
    assert parse_date(raw) == want


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("March 5", id="no year is never filled from today"),
        pytest.param("Sept 28", id="month and day only"),
        pytest.param("September 2021", id="no day"),
        pytest.param("2021", id="year only"),
        pytest.param("0000-00-00", id="zero date"),
        pytest.param("2021-02-30", id="impossible day"),
        pytest.param("99999-01-01", id="five-digit year"),
        pytest.param("1492-10-12", id="before 1800 is not a publication date"),
        pytest.param("Chapter 12", id="Chapter 12 is not a date"),
        pytest.param("05/12/2023", id="ambiguous month and day"),
        pytest.param("", id="empty"),
        pytest.param("yesterday", id="relative word"),
        pytest.param("x" * 500, id="very long string"),
    ],
)
def test_parse_date_gives_null(raw: str) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    "value",
    [None, True, 1632787200, 1632787200.0, [], {}],
    ids=["None", "bool", "epoch int", "epoch float", "list", "dict"],
)
def test_parse_date_never_guesses_from_non_strings(value: object) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("url", "want"),
    [
        pytest.param("https://example.org/2021/09/28/story", "2021-09-28", id="slashed path"),
        pytest.param("https://example.org/news/2021-09-28-story.html", "2021-09-28", id="dashed path"),
        pytest.param("https://example.org/2021/9/8/story", "2021-09-08", id="single-digit month and day"),
        pytest.param("https://example.org/story/12345678", None, id="no date"),
        pytest.param("https://example.org/2021/13/45/story", None, id="impossible date"),
        pytest.param(None, None, id="no url"),
    ],
)
def test_date_from_url(url: str | None, want: str | None) -> None:
    assert date_from_url(url) == want
