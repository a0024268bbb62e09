"""Authors and bylines: names split, By dropped, capitals normalised, organisations are not people."""

from __future__ import annotations

import pytest

from ingest.metadata import _names
from ingest.patterns import is_person_name, is_publisher_name, split_byline


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("Jane Doe", ["Jane Doe"], id="one name"),
        pytest.param("By Jane Doe", ["Jane Doe"], id="By dropped"),
        pytest.param("Jane Doe and John Roe", ["Jane Doe", "John Roe"], id="A and B"),
        pytest.param("Jane Doe, John Roe and Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"], id="A, B and C"),
        pytest.param("Jane Doe & John Roe", ["Jane Doe", "John Roe"], id="ampersand"),
        pytest.param("JANE DOE AND JOHN ROE", ["Jane Doe", "John Roe"], id="upper-case names normalised"),
        pytest.param("Jane Doe, Senior Writer", ["Jane Doe"], id="role dropped"),
        pytest.param("By Jane Doe | Reuters", ["Jane Doe"], id="publisher after a bar is not an author"),
        pytest.param("Ludwig van Beethoven", ["Ludwig van Beethoven"], id="particle in a name"),
        pytest.param("Jean-Luc Picard", ["Jean-Luc Picard"], id="hyphenated first name"),
        pytest.param("Anna Schmidt und Karl Weber", ["Anna Schmidt", "Karl Weber"], id="German und"),
        pytest.param(
            "\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432 \u0438 \u0410\u043d\u043d\u0430"
            " \u0421\u043c\u0438\u0440\u043d\u043e\u0432\u0430",
            [
                "\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432",
                "\u0410\u043d\u043d\u0430 \u0421\u043c\u0438\u0440\u043d\u043e\u0432\u0430",
            ],
            id="Russian i",
        ),
        pytest.param(
            ["Jane Doe", {"name": "John Roe"}], ["Jane Doe", "John Roe"], id="list of a string and a JSON-LD person"
        ),
        pytest.param(["Jane Doe", "Jane Doe"], ["Jane Doe"], id="duplicates once"),
        pytest.param("Madonna", ["Madonna"], id="single-word name from a structured field"),
    ],
)
def test_names(raw: object, want: list[str]) -> None:
    assert _names(raw) == want


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("Reuters", id="news agency"),
        pytest.param("Bloomberg News", id="known publisher"),
        pytest.param("The Associated Press", id="the Associated Press"),
        pytest.param("Staff Reporter", id="role only"),
        pytest.param("By Staff", id="By Staff"),
        pytest.param("Ministry of Defence", id="ministry"),
        pytest.param("European Commission", id="commission"),
        pytest.param("Apple Inc", id="company"),
        pytest.param({"@type": "Organization", "name": "Kestrel Weekly"}, id="JSON-LD Organization"),
        pytest.param("https://example.org/authors/jane", id="author URL"),
        pytest.param("", id="empty"),
        pytest.param(None, id="None"),
    ],
)
def test_names_never_makes_people_of_organisations(raw: object) -> None:
    assert _names(raw) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param("Jane Doe, Bloomberg News", (["Jane Doe"], "Bloomberg News"), id="name and publisher"),
        pytest.param(
            "Jane Doe and John Roe, Reuters", (["Jane Doe", "John Roe"], "Reuters"), id="two names and agency"
        ),
        pytest.param("By Jane Doe", (["Jane Doe"], None), id="By prefix"),
    ],
)
def test_split_byline(text: str, want: tuple[list[str], str | None]) -> None:
    assert split_byline(text) == want


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("the end of the year", id="lower-case words"),
        pytest.param("Monday, all was calm", id="a day and a clause"),
        pytest.param("Reuters", id="publisher alone"),
    ],
)
def test_split_byline_rejects_non_bylines(text: str) -> None:
    assert split_byline(text) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param("Jane Doe", True, id="two words"),
        pytest.param("Mary Ann de la Cruz", True, id="particles"),
        pytest.param("Jane", False, id="one word"),
        pytest.param("Jane Doe 2", False, id="digit"),
        pytest.param("European Commission", False, id="organisation word"),
        pytest.param("By Jane Doe", False, id="byline word first"),
    ],
)
def test_is_person_name(text: str, want: bool) -> None:
    assert is_person_name(text) is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param("Bloomberg", True, id="known name"),
        pytest.param("bloomberg", True, id="known name in lower case"),
        pytest.param("The Vifedor Gazette", True, id="masthead word"),
        pytest.param("Haldenburger Nachrichten", True, id="German masthead word"),
        pytest.param("example-news.com", True, id="domain"),
        pytest.param("The committee challenged the report", False, id="sentence ending in a masthead word"),
        pytest.param("Jane Doe", False, id="person"),
        pytest.param("A very long line that names no news organisation at all but goes on", False, id="long line"),
    ],
)
def test_is_publisher_name(text: str, want: bool) -> None:
    assert is_publisher_name(text) is want


def test_declared_authors_need_the_page_text_only_when_a_reader_gives_it() -> None:
    from ingest.metadata import Hint, extract_metadata

    declared = Hint("authors", "Jane Doe", "meta:author")
    # no page text (a JSON record, a text dump): the declared name stands (must NOT change)
    assert extract_metadata("x", hints=[declared], detect_lang=False).authors == ("Jane Doe",)
    shown = Hint("page_text", "News. By Jane Doe. Story.", "html:visible_text")
    assert extract_metadata("x", hints=[declared, shown], detect_lang=False).authors == ("Jane Doe",)
    hidden = Hint("page_text", "News. Story.", "html:visible_text")
    assert extract_metadata("x", hints=[declared, hidden], detect_lang=False).authors == ()
