"""The metadata cascade: reader hints first, then what removed artifact lines said, then the body."""

from __future__ import annotations

import pytest

from ingest.metadata import Hint, extract_metadata
from ingest.model import Removed

BODY = (
    "The council approved the harbour budget on Tuesday after a long debate that ran well into the "
    "evening, the mayor said, and the opposition promised to raise the question again in the spring."
)


def meta(*removed: tuple[str, str], hints: tuple[Hint, ...] = (), body: str = BODY) -> dict[str, object]:
    m = extract_metadata(body, removed=[Removed(k, t) for k, t in removed], hints=hints)
    fields = {k: list(v) if isinstance(v, tuple) else v for k, v in m.values.items()}  # authors, tags
    return {**fields, "_sources": m.sources, "_warnings": [w.code for w in m.warnings]}


def test_date_header_gives_published_and_title() -> None:
    v = meta(("date_header", "date 2021-09-28 Belarus\u2019 Lukashenko pushes for constitutional changes."))
    assert v["published"] == "2021-09-28"
    assert v["title"] == "Belarus\u2019 Lukashenko pushes for constitutional changes"
    assert v["_sources"] == {
        "published": "text:date_header",
        "title": "text:date_header",
        "language": "detector:py3langid",
    }


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
        pytest.param(
            "Updated: 29 September 2021 10:15 GMT", "updated", "2021-09-29T10:15:00+00:00", id="Updated label"
        ),
        pytest.param("Ver\u00f6ffentlicht: 3. Mai 2023", "published", "2023-05-03", id="German label and month"),
        pytest.param(
            "\u041e\u043f\u0443\u0431\u043b\u0438\u043a\u043e\u0432\u0430\u043d\u043e: 12.05.2023",
            "published",
            "2023-05-12",
            id="Russian label dotted date",
        ),
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
        pytest.param(
            "Copyright 2021 The Associated Press. All rights reserved.", "The Associated Press", id="Copyright year"
        ),
    ],
)
def test_copyright_holder_is_the_publisher(line: str, want: str) -> None:
    assert meta(("copyright", line))["publisher"] == want


def test_the_last_trailer_names_the_reporters() -> None:
    v = meta(
        ("trailer", "(Reporting by Jane Doe; Editing by John Roe)"),
        ("trailer", "(Reporting by Ann Lee; Editing by Tom Roe)"),
    )
    assert v["authors"] == ["Ann Lee"]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("\u00a9 Regan", id="a bare name is as often a photo credit"),
        pytest.param("(c) Harbour Photo Desk", id="(c) and a name"),
    ],
)
def test_copyright_sign_and_a_name_alone_give_no_publisher(line: str) -> None:
    assert "publisher" not in meta(("copyright", line))


def test_copyright_sign_and_a_known_publisher_give_it() -> None:
    assert meta(("copyright", "\u00a9 Reuters"))["publisher"] == "Reuters"


def test_hints_win_over_text_lines() -> None:
    v = meta(("headline", "Text headline"), hints=(Hint("title", "Markup title", "meta:og:title"),))
    assert v["title"] == "Markup title"
    assert v["_sources"]["title"] == "meta:og:title"


def test_nothing_is_invented_for_a_bare_body() -> None:
    v = meta()
    for field in ("title", "published", "updated", "authors", "publisher", "dateline"):
        assert field not in v
    assert v["language"] == "en"


def test_a_title_gets_the_body_s_character_repairs() -> None:
    """Lost bytes a word decides and MacRoman letters are repaired in fields as in the body."""
    from ingest.metadata import clean_title

    damaged = "Если вы поставите эту скорость".encode("utf-8").decode("cp1252", "ignore")
    assert clean_title(damaged) == "Если вы поставите эту скорость"
    assert clean_title("Il caff\u221a\u00a9 pi\u221a\u03c0 buono") == "Il caff\u00e9 pi\u00f9 buono"
