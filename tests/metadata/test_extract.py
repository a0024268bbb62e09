"""The metadata cascade: reader hints first, then what removed artifact lines said, then the body."""

from __future__ import annotations

import re

import pytest

from ingest.metadata import Hint, extract_metadata
from ingest.metadata.language import detect_language, normalise_language
from ingest.model import Removed

BODY = (
    "The council approved the harbour budget on Tuesday after a long debate that ran well into the "
    "evening, the mayor said, and the opposition promised to raise the question again in the spring."
)


def meta(*removed: tuple[str, str], hints: tuple[Hint, ...] = (), body: str = BODY) -> dict[str, object]:
    m = extract_metadata(body, removed=[Removed(k, t) for k, t in removed], hints=hints)
    return {**m.values, "_sources": m.sources, "_warnings": [w.code for w in m.warnings]}


def test_date_header_gives_published_and_title() -> None:
    v = meta(("date_header", "date 2021-09-28 Belarus\u2019 Lukashenko pushes for constitutional changes."))
    assert v["published"] == "2021-09-28"
    assert v["title"] == "Belarus\u2019 Lukashenko pushes for constitutional changes"
    assert v["_sources"] == {"published": "text:date_header", "title": "text:date_header", "language": "detector:py3langid"}


def test_headline_line_gives_title() -> None:
    assert meta(("headline", "Council approves harbour budget"))["title"] == "Council approves harbour budget"


def test_known_publisher_line_gives_publisher_without_warning() -> None:
    v = meta(("publisher_line", "Bloomberg"))
    assert v["publisher"] == "Bloomberg"
    assert v["_warnings"] == []


def test_guessed_publisher_line_is_flagged() -> None:
    v = meta(("publisher_line", "Meduza Weekly Digest"))
    assert v["publisher"] == "Meduza Weekly Digest"
    assert v["_warnings"] == ["publisher_guessed"]


def test_byline_gives_authors_and_publisher() -> None:
    v = meta(("byline", "Jane Doe and John Roe, Reuters"))
    assert v["authors"] == ["Jane Doe", "John Roe"]
    assert v["publisher"] == "Reuters"


def test_by_byline_in_capitals() -> None:
    assert meta(("byline", "By JANE DOE"))["authors"] == ["Jane Doe"]


@pytest.mark.parametrize(
    ("line", "field", "want"),
    [
        pytest.param("Published: Sept. 28, 2021", "published", "2021-09-28", id="Published label"),
        pytest.param("Updated: 29 September 2021 10:15 GMT", "updated", "2021-09-29T10:15:00+00:00", id="Updated label"),
        pytest.param("Ver\u00f6ffentlicht: 3. Mai 2023", "published", "2023-05-03", id="German label and month"),
        pytest.param("\u041e\u043f\u0443\u0431\u043b\u0438\u043a\u043e\u0432\u0430\u043d\u043e: 12.05.2023", "published", "2023-05-12", id="Russian label dotted date"),
        pytest.param("Tuesday, 28 September 2021", "published", "2021-09-28", id="bare date line"),
    ],
)
def test_date_lines(line: str, field: str, want: str) -> None:
    assert meta(("date_line", line))[field] == want


def test_date_line_without_a_year_gives_no_date() -> None:
    v = meta(("date_line", "Published: March 5"))
    assert "published" not in v


def test_dateline_gives_dateline_and_agency_publisher() -> None:
    v = meta(("dateline", "MINSK, Belarus (AP)"))
    assert v["dateline"] == "MINSK, Belarus (AP)"
    assert v["publisher"] == "AP"


def test_dateline_date_without_year_is_not_a_published_date() -> None:
    v = meta(("dateline", "MINSK, Sept 28 (Reuters)"))
    assert v["dateline"] == "MINSK, Sept 28 (Reuters)"
    assert "published" not in v


def test_reuters_trailer_gives_reporters_not_editors() -> None:
    v = meta(("trailer", "(Reporting by Jane Doe and John Roe; Editing by Ann Lee)"))
    assert v["authors"] == ["Jane Doe", "John Roe"]


def test_byline_wins_over_trailer() -> None:
    v = meta(("byline", "By Ann Lee"), ("trailer", "(Reporting by Jane Doe; Editing by John Roe)"))
    assert v["authors"] == ["Ann Lee"]


@pytest.mark.parametrize(
    ("line", "want"),
    [
        pytest.param("\u00a9 2021 Bloomberg L.P. All rights reserved.", "Bloomberg L.P", id="copyright sign"),
        pytest.param("Copyright 2021 The Associated Press. All rights reserved.", "The Associated Press", id="Copyright year"),
    ],
)
def test_copyright_holder_is_the_publisher(line: str, want: str) -> None:
    assert meta(("copyright", line))["publisher"] == want


def test_hints_win_over_text_lines() -> None:
    v = meta(("headline", "Text headline"), hints=(Hint("title", "Markup title", "meta:og:title"),))
    assert v["title"] == "Markup title"
    assert v["_sources"]["title"] == "meta:og:title"


def test_nothing_is_invented_for_a_bare_body() -> None:
    v = meta()
    for field in ("title", "published", "updated", "authors", "publisher", "dateline"):
        assert field not in v
    assert v["language"] == "en"


# ---- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param(BODY, "en", id="English"),
        pytest.param("Der Stadtrat hat am Dienstag nach einer langen Debatte den Haushalt f\u00fcr den Hafen beschlossen.", "de", id="German"),
        pytest.param(
            "\u0397 \u03ba\u03c5\u03b2\u03ad\u03c1\u03bd\u03b7\u03c3\u03b7 \u03b1\u03bd\u03ad\u03b8\u03b5\u03c3\u03b5 \u03c4\u03b7\u03bd "
            "\u03b5\u03c0\u03b9\u03c3\u03ba\u03b5\u03c5\u03ae \u03c4\u03b7\u03c2 \u03b3\u03ad\u03c6\u03c5\u03c1\u03b1\u03c2 \u03c3\u03c4\u03bf "
            "\u03bb\u03b9\u03bc\u03ac\u03bd\u03b9 \u03c4\u03b7\u03c2 \u03c0\u03cc\u03bb\u03b7\u03c2 \u03c4\u03b7\u03bd \u03a4\u03c1\u03af\u03c4\u03b7.",
            "el",
            id="Greek",
        ),
        pytest.param(
            "\u6771\u4eac\u90fd\u306f\u706b\u66dc\u65e5\u3001\u65b0\u3057\u3044\u6a4b\u306e\u5efa\u8a2d\u8a08\u753b\u3092\u767a\u8868\u3057\u305f\u3002"
            "\u5de5\u4e8b\u306f\u6765\u5e74\u59cb\u307e\u308b\u4e88\u5b9a\u3067\u3001\u5b8c\u6210\u306f\u4e09\u5e74\u5f8c\u306b\u306a\u308b\u898b\u8fbc\u307f\u3060\u3068\u3044\u3046\u3002",
            "ja",
            id="Japanese",
        ),
    ],
)
def test_detect_language(text: str, code: str) -> None:
    found = detect_language(text)
    assert found is not None
    assert found[0] == code
    assert re.fullmatch(r"[a-z]{2}", found[0])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Hello there.", id="too short to judge"),
        pytest.param("12345 67890 !!! ??? 2021-09-28", id="no letters"),
        pytest.param("", id="empty"),
    ],
)
def test_detect_language_gives_null_rather_than_a_guess(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("tag", "want"),
    [("en-US", "en"), ("EN", "en"), ("pt_BR", "pt"), ("zh-Hant-TW", "zh"), ("english", None), ("", None), (None, None), ("x-klingon", None)],
    ids=["region", "upper case", "underscore", "script and region", "language name", "empty", "None", "private use"],
)
def test_normalise_language(tag: object, want: str | None) -> None:
    assert normalise_language(tag) == want


def test_short_body_gets_no_language() -> None:
    assert "language" not in meta(body="Short note.")
