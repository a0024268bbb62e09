"""Header, trailer and boilerplate artifacts: what is removed (and named in ``removed``), what stays."""

from __future__ import annotations

import textwrap

import pytest

from ingest.fixes import repair_text
from ingest.fixes.artifacts import (
    boilerplate_kept,
    is_copyright_notice,
    strip_boilerplate_lines,
    strip_dateline,
    strip_header_lines,
    strip_header_lines_markup,
    strip_trailer_lines,
)

BODY = (
    "The council approved the harbour budget on Tuesday after a long debate that ran well into the "
    "evening, the mayor said.\n\n"
    "Opposition members said the plan left too little money for schools and promised to raise the "
    "question again in the spring."
)


def kinds(removed: tuple) -> list[tuple[str, str]]:
    return [(r.kind, r.text) for r in removed]


# ---- header -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "want"),
    [
        pytest.param(
            " date 2021-09-28 Belarus\u2019 Lukashenko pushes for constitutional changes.\n\n",
            [("date_header", "date 2021-09-28 Belarus\u2019 Lukashenko pushes for constitutional changes.")],
            id="scraper date header with a title (seed 001)",
        ),
        pytest.param("Bloomberg\n", [("publisher_line", "Bloomberg")], id="publisher alone on line 1 (seed 000)"),
        pytest.param(
            "The Vifedor Gazette\n\n",
            [("publisher_line", "The Vifedor Gazette")],
            id="unknown masthead with a newspaper word",
        ),
        pytest.param(
            "Meduza\n", [("publisher_line", "Meduza")], id="one capitalised word on line 1 is a guessed publisher"
        ),
        pytest.param("By Jane Doe\n\n", [("byline", "By Jane Doe")], id="By byline"),
        pytest.param("By JANE DOE and JOHN ROE\n\n", [("byline", "By JANE DOE and JOHN ROE")], id="upper-case byline"),
        pytest.param(
            "Jane Doe, Bloomberg News\n\n", [("byline", "Jane Doe, Bloomberg News")], id="name comma publisher byline"
        ),
        pytest.param("Von Anna Schmidt\n\n", [("byline", "Von Anna Schmidt")], id="German Von byline"),
        pytest.param(
            "\u0410\u0432\u0442\u043e\u0440: \u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432\n\n",
            [
                (
                    "byline",
                    "\u0410\u0432\u0442\u043e\u0440: \u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432",
                )
            ],
            id="Russian author byline",
        ),
        pytest.param(
            "Published: Sept. 28, 2021\n\n", [("date_line", "Published: Sept. 28, 2021")], id="Published line"
        ),
        pytest.param(
            "Updated: 28 September 2021 10:15 GMT\n\n",
            [("date_line", "Updated: 28 September 2021 10:15 GMT")],
            id="Updated line with time",
        ),
        pytest.param(
            "Tuesday, 28 September 2021\n\n", [("date_line", "Tuesday, 28 September 2021")], id="bare date line"
        ),
        pytest.param(
            "Council approves harbour budget\n\n",
            [("headline", "Council approves harbour budget")],
            id="headline followed by a blank line",
        ),
        pytest.param(
            "Reuters\nCouncil approves harbour budget\nBy Jane Doe and John Roe\nPublished: Sept. 28, 2021\n\n",
            [
                ("publisher_line", "Reuters"),
                ("headline", "Council approves harbour budget"),
                ("byline", "By Jane Doe and John Roe"),
                ("date_line", "Published: Sept. 28, 2021"),
            ],
            id="publisher headline byline date stacked on single lines",
        ),
        pytest.param(
            "World\nCouncil approves harbour budget\n\n",
            [("section_label", "World"), ("headline", "Council approves harbour budget")],
            id="section label above a headline",
        ),
        pytest.param(
            "Will the harbour be ready by June?\n\nBy Jane Doe\n\n",
            [("headline", "Will the harbour be ready by June?"), ("byline", "By Jane Doe")],
            id="question headline with a byline under it",
        ),
        pytest.param(
            "Harbour Office\n\nCouncil approves the harbour budget\n\nBy Jane Doe\n\n",
            [
                ("publisher_line", "Harbour Office"),
                ("headline", "Council approves the harbour budget"),
                ("byline", "By Jane Doe"),
            ],
            id="unknown publisher above a headline and a byline",
        ),
        pytest.param(
            "\u0421\u043e\u0432\u0435\u0442 \u0443\u0442\u0432\u0435\u0440\u0434\u0438\u043b"
            " \u0431\u044e\u0434\u0436\u0435\u0442 \u0433\u0430\u0432\u0430\u043d\u0438\n\n",
            [
                (
                    "headline",
                    (
                        "\u0421\u043e\u0432\u0435\u0442 \u0443\u0442\u0432\u0435\u0440\u0434\u0438\u043b"
                        " \u0431\u044e\u0434\u0436\u0435\u0442 \u0433\u0430\u0432\u0430\u043d\u0438"
                    ),
                )
            ],
            id="Cyrillic headline",
        ),
        pytest.param(
            "\u0397 \u03b2\u03bf\u03c5\u03bb\u03ae \u03b5\u03bd\u03ad\u03ba\u03c1\u03b9\u03bd\u03b5 \u03c4\u03bf\u03bd"
            " \u03c0\u03c1\u03bf\u03cb\u03c0\u03bf\u03bb\u03bf\u03b3\u03b9\u03c3\u03bc\u03cc\n\n",
            [
                (
                    "headline",
                    (
                        "\u0397 \u03b2\u03bf\u03c5\u03bb\u03ae \u03b5\u03bd\u03ad\u03ba\u03c1\u03b9\u03bd\u03b5"
                        " \u03c4\u03bf\u03bd"
                        " \u03c0\u03c1\u03bf\u03cb\u03c0\u03bf\u03bb\u03bf\u03b3\u03b9\u03c3\u03bc\u03cc"
                    ),
                )
            ],
            id="Greek headline",
        ),
        pytest.param(
            "\u6e2f\u306e\u4e88\u7b97\u3092\u627f\u8a8d\n\n",
            [("headline", "\u6e2f\u306e\u4e88\u7b97\u3092\u627f\u8a8d")],
            id="CJK headline without spaces",
        ),
    ],
)
def test_strip_header_lines_removes(head: str, want: list[tuple[str, str]]) -> None:
    out, removed = strip_header_lines(head + BODY)
    assert kinds(removed) == want
    assert out == BODY


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "By the end of the year the council had approved the budget.\n\n" + BODY, id="sentence starting with By"
        ),
        pytest.param("By Monday, the harbour was calm again.\n\n" + BODY, id="By followed by a day"),
        pytest.param(BODY, id="plain body"),
        pytest.param("The council met on Tuesday.\n\n" + BODY, id="short first sentence with a full stop"),
        pytest.param(
            "the committee challenged the report of the harbour board\n\n" + BODY,
            id="lower-case first line is no headline",
        ),
        # Failure class 4 of issue 14: real text taken as header.
        pytest.param("Will the harbour be ready by June?\n\n" + BODY, id="a question opening the story"),
        pytest.param(
            "What a night it was for the harbour!\n\nNobody had expected the vote!\n\n" + BODY, id="two exclamations"
        ),
        pytest.param("CLICK FOR THE FULL HARBOUR RESULTS\n\n" + BODY, id="a shouted line"),
        pytest.param("Claim\n\n" + BODY, id="one common word on line one is no publisher"),
        pytest.param("Pittsburgh\n\n" + BODY, id="a place name on line one is no publisher"),
        pytest.param("Staff Reports\n\n" + BODY, id="two capitalised words on line one are no publisher"),
        pytest.param("Ferry timetable; winter changes\n\n" + BODY, id="two clauses joined by a semicolon"),
        pytest.param(
            "Tested by: Jane Doe Price: 40 euro More info: www.example.org | +49 40 123\n\n" + BODY, id="a line of data"
        ),
    ],
)
def test_strip_header_lines_keeps_article_text(text: str) -> None:
    out, removed = strip_header_lines(text)
    assert removed == ()
    assert out == text


def test_headline_words_ending_in_a_masthead_word_are_a_headline_not_a_publisher() -> None:
    out, removed = strip_header_lines("The committee challenged the report\n\n" + BODY)
    assert kinds(removed) == [("headline", "The committee challenged the report")]


@pytest.mark.parametrize("width", [60, 66, 72, 78])
def test_first_line_of_a_header_less_hard_wrapped_article_is_not_a_headline(width: int) -> None:
    text = "\n\n".join(textwrap.fill(p, width) for p in BODY.split("\n\n"))
    assert strip_header_lines(text) == (text, ())


def test_first_line_continued_in_lower_case_is_not_a_headline() -> None:
    text = "The council approved the harbour budget\nafter a long debate on Tuesday.\n\n" + BODY
    assert strip_header_lines(text) == (text, ())


def test_headline_over_a_hard_wrapped_body_without_a_blank_line() -> None:
    wrapped = textwrap.fill(BODY.split("\n\n")[0], 64)
    out, removed = strip_header_lines("Harbour budget approved\n" + wrapped)
    assert kinds(removed) == [("headline", "Harbour budget approved")]
    assert out == wrapped


def test_headline_over_one_line_paragraphs_without_a_blank_line() -> None:
    out, removed = strip_header_lines("Harbour budget approved\n" + BODY.replace("\n\n", "\n"))
    assert kinds(removed) == [("headline", "Harbour budget approved")]


def test_header_strip_never_empties_the_text() -> None:
    assert strip_header_lines("Bloomberg") == ("Bloomberg", ())


# ---- trailer ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tail", "kind"),
    [
        pytest.param(
            "(Reporting by Jane Doe; Editing by John Roe)", "trailer", id="Reuters reporting and editing trailer"
        ),
        pytest.param("Additional reporting by Anna Schmidt in Berlin.", "trailer", id="additional reporting"),
        pytest.param("Jane Doe contributed to this report.", "trailer", id="contributed to this report"),
        pytest.param("\u00a9 2021 Bloomberg L.P. All rights reserved.", "copyright", id="copyright sign line"),
        pytest.param(
            "Copyright 2021 The Associated Press. All rights reserved.", "copyright", id="Copyright year line"
        ),
        pytest.param("All rights reserved.", "copyright", id="all rights reserved alone"),
        pytest.param("By Jane Doe", "byline", id="byline at the bottom"),
        pytest.param("Updated: 28 September 2021", "date_line", id="date line at the bottom"),
    ],
)
def test_strip_trailer_lines_removes(tail: str, kind: str) -> None:
    out, removed = strip_trailer_lines(BODY + "\n\n" + tail)
    assert kinds(removed) == [(kind, tail)]
    assert out == BODY


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param("Copyright law was the topic of the day, she said.", id="sentence about copyright"),
        pytest.param("The reporting by the council was wrong, he said.", id="sentence with reporting by"),
        pytest.param("By the end of the year the harbour will reopen.", id="closing sentence starting with By"),
    ],
)
def test_strip_trailer_lines_keeps_sentences(tail: str) -> None:
    text = BODY + "\n\n" + tail
    assert strip_trailer_lines(text) == (text, ())


@pytest.mark.parametrize(
    "tail",
    [
        pytest.param("\u00a9 Harbour Office", id="sign and a name alone (a photo credit or signature)"),
        pytest.param("\u00a9 Reuters", id="sign and a known agency alone"),
        pytest.param(
            "\u00a9 2021 Harbour Press. All Rights Reserved. This material may not be published or redistributed.",
            id="notice followed by licence terms",
        ),
    ],
)
def test_doubtful_copyright_lines_stay_and_are_counted(tail: str) -> None:
    text = BODY + "\n\n" + tail
    assert strip_trailer_lines(text) == (text, ())
    assert boilerplate_kept(text) == 1


def test_a_kept_copyright_line_stops_the_trailer_scan() -> None:
    """The story's own trailer above a kept line stays; the appended one under it goes."""
    own = "(Reporting by Jane Doe; Editing by John Roe)"
    text = f"{BODY}\n\n{own}\n\n\u00a9 Reuters\n\n(Reporting by Ann Lee; Editing by Tom Fry)"
    out, removed = strip_trailer_lines(text)
    assert kinds(removed) == [("trailer", "(Reporting by Ann Lee; Editing by Tom Fry)")]
    assert out == f"{BODY}\n\n{own}\n\n\u00a9 Reuters"


@pytest.mark.parametrize(
    ("line", "notice"),
    [
        pytest.param("\u00a9 2021 Bloomberg L.P. All rights reserved.", True, id="sign, year, holder, rights"),
        pytest.param("Copyright 2021 Harbour Press", True, id="word, year, holder"),
        pytest.param("Harbour Press 2019. All rights reserved.", True, id="holder, year, rights, no sign"),
        pytest.param("\u00a9 Harbour Press", False, id="no year, no rights"),
        pytest.param(
            "\u00a9 2021 Harbour Press. All rights reserved. Do not copy this text.", False, id="more text after"
        ),
    ],
)
def test_is_copyright_notice(line: str, notice: bool) -> None:
    assert is_copyright_notice(line) is notice


# ---- boilerplate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        pytest.param("Advertisement", "advertisement", id="Advertisement"),
        pytest.param("ADVERTISEMENT", "advertisement", id="ADVERTISEMENT in capitals"),
        pytest.param("Story continues below advertisement", "advertisement", id="story continues below"),
        pytest.param("Anzeige", "advertisement", id="German Anzeige"),
        pytest.param("Read more: Council approves harbour budget", "read_more", id="Read more with a headline"),
        pytest.param("Lesen Sie auch: Neue F\u00e4hre f\u00fcr Haldenburg", "read_more", id="German Lesen Sie auch"),
        pytest.param(
            "\u0427\u0438\u0442\u0430\u0439\u0442\u0435 \u0442\u0430\u043a\u0436\u0435: \u041d\u043e\u0432\u044b\u0439"
            " \u043c\u043e\u0441\u0442",
            "read_more",
            id="Russian read also",
        ),
        pytest.param("Share this article", "share", id="Share this article"),
        pytest.param("Photo: Jane Doe/Getty Images", "photo_credit", id="photo credit with agency"),
        pytest.param("(AP Photo/Lena Korr)", "photo_credit", id="AP Photo credit"),
        pytest.param("Sign up for our daily newsletter", "promo", id="newsletter promo"),
        pytest.param("5 min read", "reading_time", id="reading time"),
    ],
)
def test_strip_boilerplate_lines_removes(line: str, kind: str) -> None:
    paras = BODY.split("\n\n")
    out, removed = strip_boilerplate_lines(paras[0] + "\n\n" + line + "\n\n" + paras[1])
    assert kinds(removed) == [(kind, line)]
    assert out == paras[0] + "\n\n\n" + paras[1]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(
            "The Advertisement Standards Authority fined the company on Monday.", id="sentence containing Advertisement"
        ),
        pytest.param("Advertisement revenue fell by a third last year.", id="sentence starting with Advertisement"),
        pytest.param("Read more about it in the report, she said.", id="sentence starting with Read more"),
        pytest.param("Share prices fell sharply.", id="sentence starting with Share"),
        pytest.param("Photographs of the bridge were shown at the meeting.", id="sentence starting with Photographs"),
    ],
)
def test_strip_boilerplate_lines_keeps_sentences(line: str) -> None:
    text = BODY + "\n\n" + line
    assert strip_boilerplate_lines(text) == (text, ())


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("Click here to get more information or download this game.", id="link to the story's own matter"),
        pytest.param("Click here for the full list of winners", id="link to a list"),
    ],
)
def test_click_here_lines_of_the_story_stay_and_are_counted(line: str) -> None:
    text = BODY + "\n\n" + line + "\n\n" + BODY
    assert strip_boilerplate_lines(text) == (text, ())
    assert boilerplate_kept(text) == 1


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("Click here to subscribe", id="subscription"),
        pytest.param("Click here to sign up for our newsletter.", id="newsletter"),
        pytest.param("Click here to download the app", id="app"),
        pytest.param("Get the latest news straight to your phone with the Harbour app.", id="promo sentence"),
    ],
)
def test_click_here_widgets_still_go(line: str) -> None:
    out, removed = strip_boilerplate_lines(BODY + "\n\n" + line + "\n\n" + BODY)
    assert kinds(removed) == [("promo", line)]
    assert boilerplate_kept(out) == 0


def test_boilerplate_kept_is_zero_on_plain_text() -> None:
    assert boilerplate_kept(BODY) == 0


def test_wrapped_read_more_line_takes_its_continuation() -> None:
    text = BODY + "\n\nRead more: The research institute suspended the recon-\nstruction of the bridge\n\n" + BODY
    out, removed = strip_boilerplate_lines(text)
    assert kinds(removed) == [
        ("read_more", "Read more: The research institute suspended the reconstruction of the bridge")
    ]
    assert "struction" not in out


def test_boilerplate_strip_never_empties_the_text() -> None:
    assert strip_boilerplate_lines("Advertisement") == ("Advertisement", ())


# ---- dateline ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        pytest.param(
            "MINSK, Belarus (AP) \u2014 The president said on Tuesday", "MINSK, Belarus (AP)", id="AP dateline"
        ),
        pytest.param(
            "MINSK, Sept 28 (Reuters) - The president said on Tuesday",
            "MINSK, Sept 28 (Reuters)",
            id="Reuters dateline with date",
        ),
        pytest.param("LONDON \u2014 The government said on Monday it would go", "LONDON", id="capitals place alone"),
        pytest.param(
            "HARBOURTON -- The government said on Monday it would go",
            "HARBOURTON",
            id="capitals place and a double hyphen",
        ),
        pytest.param(
            "MINSK, Belarus (AP) \u2014 GIRLS BASKETBALL",
            "MINSK, Belarus (AP)",
            id="agency dateline over a short heading",
        ),
        pytest.param(
            "MINSK, Belarus (AP) \u2014 HARBOURTON, Veldmark \u2013 The council met on Monday and approved the budget.",
            "MINSK, Belarus (AP)",
            id="agency dateline before the story's own en-dash opening",
        ),
        pytest.param(
            "HALDENBURG (dpa) \u2013 Die F\u00e4hre f\u00e4hrt ab Montag wieder nach Plan",
            "HALDENBURG (dpa)",
            id="German dpa dateline",
        ),
        pytest.param(
            "\u0417\u0410\u0420\u0415\u0427\u042c\u0415, 12 \u043c\u0430\u044f"
            " (\u0418\u043d\u0442\u0435\u0440\u0444\u0430\u043a\u0441) \u2014 \u0412\u043b\u0430\u0441\u0442\u0438"
            " \u0433\u043e\u0440\u043e\u0434\u0430 \u043d\u0430\u0447\u0430\u043b\u0438"
            " \u0440\u0435\u043c\u043e\u043d\u0442",
            "\u0417\u0410\u0420\u0415\u0427\u042c\u0415, 12 \u043c\u0430\u044f"
            " (\u0418\u043d\u0442\u0435\u0440\u0444\u0430\u043a\u0441)",
            id="Cyrillic dateline with agency",
        ),
    ],
)
def test_strip_dateline_removes(text: str, dateline: str) -> None:
    out, removed = strip_dateline(text)
    assert kinds(removed) == [("dateline", dateline)]
    assert text.endswith(out) and out[:1].isupper()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "NATO - the alliance said on Monday it would send more troops.", id="acronym before a lower-case sentence"
        ),
        pytest.param(
            "Minsk \u2014 not in capitals and no agency, so this is prose.", id="mixed-case place without agency"
        ),
        pytest.param("Update: the council said on Monday it would meet again.", id="label with a colon"),
        pytest.param("The council met \u2014 and agreed on the budget for the year.", id="dash inside a sentence"),
        pytest.param(
            "HARBOURTON \u2013 The council met on Monday and approved the budget.",
            id="spaced en dash without an agency is the site's typography",
        ),
        pytest.param(
            "PORT ELLERY, Veldmark \u2013 The council met on Monday and approved it.",
            id="place and region before an en dash",
        ),
    ],
)
def test_strip_dateline_keeps_prose(text: str) -> None:
    assert strip_dateline(text) == (text, ())


def test_header_strip_keeps_the_lines_that_would_empty_the_text() -> None:
    out, removed = strip_header_lines("Bloomberg\nTuesday, 28 September 2021")
    assert kinds(removed) == [("publisher_line", "Bloomberg")]
    assert out == "Tuesday, 28 September 2021"


def test_trailer_strip_keeps_the_lines_that_would_empty_the_text() -> None:
    out, removed = strip_trailer_lines("All rights reserved.\n(Reporting by Jane Doe)")
    assert kinds(removed) == [("trailer", "(Reporting by Jane Doe)")]
    assert out == "All rights reserved."


def test_two_datelines_in_a_row_are_both_kept() -> None:
    text = "MINSK (AP) \u2014 LONDON (Reuters) \u2014 The story starts here and goes on for a while."
    assert strip_dateline(text) == (text, ())


@pytest.mark.parametrize(
    ("head", "want"),
    [
        pytest.param(
            "Posted by Jane Doe on September 28, 2021\n\n",
            [("byline", "Posted by Jane Doe on September 28, 2021")],
            id="posted by name on date",
        ),
        pytest.param("By Jane Doe | 28 Sep 2021\n\n", [("byline", "By Jane Doe | 28 Sep 2021")], id="byline bar date"),
        pytest.param(
            "By Jane Doe and John Roe\nSeptember 28, 2021 at 10:15 a.m. EDT\n\n",
            [("byline", "By Jane Doe and John Roe"), ("date_line", "September 28, 2021 at 10:15 a.m. EDT")],
            id="date line with a time and zone is no headline",
        ),
        pytest.param(
            "Home > World > Europe\nHarbour budget approved\n\n",
            [("section_label", "Home > World > Europe"), ("headline", "Harbour budget approved")],
            id="breadcrumb above a headline",
        ),
        pytest.param(
            "Harbour budget approved\nListen to this article\n5 min read\n\n",
            [
                ("headline", "Harbour budget approved"),
                ("share", "Listen to this article"),
                ("reading_time", "5 min read"),
            ],
            id="audio widget and reading time under a headline",
        ),
        pytest.param(
            "\u0421\u043e\u0432\u0435\u0442 \u0443\u0442\u0432\u0435\u0440\u0434\u0438\u043b"
            " \u0431\u044e\u0434\u0436\u0435\u0442\n\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432\n28"
            " \u0441\u0435\u043d\u0442\u044f\u0431\u0440\u044f 2021\n\n",
            [
                (
                    "headline",
                    (
                        "\u0421\u043e\u0432\u0435\u0442 \u0443\u0442\u0432\u0435\u0440\u0434\u0438\u043b"
                        " \u0431\u044e\u0434\u0436\u0435\u0442"
                    ),
                ),
                ("byline", "\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432"),
                ("date_line", "28 \u0441\u0435\u043d\u0442\u044f\u0431\u0440\u044f 2021"),
            ],
            id="bare name above a date line is a byline",
        ),
    ],
)
def test_strip_header_lines_reads_combined_and_stacked_lines(head: str, want: list[tuple[str, str]]) -> None:
    out, removed = strip_header_lines(head + BODY)
    assert kinds(removed) == want
    assert out == BODY


def test_standfirst_stays_while_the_byline_under_it_goes() -> None:
    standfirst = "The council ended a two-year debate on Tuesday."
    out, removed = strip_header_lines(
        "Harbour budget approved\n" + standfirst + "\n\nBy Jane Doe\nUpdated: September 28, 2021\n\n" + BODY
    )
    assert kinds(removed) == [
        ("headline", "Harbour budget approved"),
        ("byline", "By Jane Doe"),
        ("date_line", "Updated: September 28, 2021"),
    ]
    assert out == standfirst + "\n\n" + BODY


def test_a_bare_name_without_a_date_under_it_is_no_byline() -> None:
    _, removed = strip_header_lines("Harbour budget approved\nJane Doe\n" + BODY)
    assert kinds(removed) == [("headline", "Harbour budget approved")]


@pytest.mark.parametrize(
    ("head", "want"),
    [
        pytest.param(
            "Harbour Office\nBy Linnea Strand\n\n",
            [("publisher_line", "Harbour Office"), ("byline", "By Linnea Strand")],
            id="institution over a byline",
        ),
        pytest.param(
            "The Bell\nBy Jane Doe\n\n",
            [("publisher_line", "The Bell"), ("byline", "By Jane Doe")],
            id="two-word masthead over a byline",
        ),
    ],
)
def test_several_word_publisher_guess_needs_a_header_line_under_it(head: str, want: list[tuple[str, str]]) -> None:
    out, removed = strip_header_lines(head + BODY)
    assert kinds(removed) == want
    assert out == BODY


def test_a_person_name_on_line_one_is_not_a_publisher() -> None:
    _, removed = strip_header_lines("Jane Doe\nBy Linnea Strand\n\n" + BODY)
    assert "publisher_line" not in [r.kind for r in removed]


def test_a_headline_is_one_line_a_section_heading_under_it_stays() -> None:
    text = (
        " date 2021-09-28 Council approves the harbour budget\n\nFerry timetable for the winter 2021\n\n- Monday:"
        " 8:00\n- Tuesday: 9:00\n\n" + BODY
    )
    out, removed = strip_header_lines(text)
    assert kinds(removed) == [("date_header", "date 2021-09-28 Council approves the harbour budget")]
    assert out.startswith("Ferry timetable for the winter 2021\n\n- Monday")


def test_boilerplate_kept_is_a_warning_in_the_article() -> None:
    import ingest

    text = (BODY + "\n\n\u00a9 Harbour Office\n").encode()
    article = ingest.clean_article(text, path="kept.txt")
    assert "\u00a9 Harbour Office" in article.body
    assert [w.code for w in article.warnings if w.code == "boilerplate_kept"] == ["boilerplate_kept"]
    clean = ingest.clean_article(BODY.encode(), path="clean.txt")
    assert not [w for w in clean.warnings if w.code == "boilerplate_kept"]


def test_visible_count_skips_exactly_what_the_regex_whitespace_class_matches():
    import re
    import sys

    from ingest.fixes.artifacts import _ASCII_BLANKS, _OTHER_BLANKS, _visible

    blanks = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if re.match(r"\s", c))
    assert sorted(_ASCII_BLANKS + _OTHER_BLANKS) == sorted(blanks) == sorted(c for c in blanks if c.isspace())
    sample = "By Jane\u00a0Doe,\tStaff\u2003Writer\n\nx" + blanks + "y\u200bz"  # U+200B is no whitespace
    assert _visible(sample) == len(re.sub(r"\s+", "", sample)) == len("ByJaneDoe,StaffWriterxy\u200bz")
    assert _visible("plain ascii line\r\n") == 14


# --- rendered HTML: headline-like lines at the top are subheadings and stay -------------------------


def test_markup_variant_keeps_a_subheading_the_plain_strip_takes_for_a_headline() -> None:
    text = "New Ferry Timetable Starts in Spring\n\n" + BODY
    assert strip_header_lines(text)[0] == BODY  # plain text: the headline goes
    out, removed = strip_header_lines_markup(text)
    assert out == text and removed == ()


def test_markup_variant_still_reads_the_byline_under_a_kept_subheading() -> None:
    text = "New Ferry Timetable Starts in Spring\n\nBy Jane Doe\n\n" + BODY
    out, removed = strip_header_lines_markup(text)
    assert out == "New Ferry Timetable Starts in Spring\n\n" + BODY
    assert [r.kind for r in removed] == ["byline"]


def test_markup_variant_reads_the_byline_under_a_repeated_heading() -> None:
    head = "New Ferry Timetable Starts in Spring"
    text = f"{head}\n\n{head}\n\nBy Jane Doe\n\n" + BODY
    out, removed = strip_header_lines_markup(text)
    assert [r.kind for r in removed] == ["byline"]
    assert out == f"{head}\n\n{head}\n\n" + BODY


def test_markup_variant_removes_date_lines_and_keeps_plain_bodies() -> None:
    out, removed = strip_header_lines_markup("Published: 28 September 2021\n\n" + BODY)
    assert out == BODY and [r.kind for r in removed] == ["date_line"]
    assert strip_header_lines_markup(BODY) == (BODY, ())  # must not change
    # a short line with no byline under it is not taken with the subheading
    text = "New Ferry Timetable Starts in Spring\n\nA quick look.\n\n" + BODY
    assert strip_header_lines_markup(text) == (text, ())


def test_repair_text_uses_the_markup_variant_under_the_same_fix_name() -> None:
    text = "New Ferry Timetable Starts in Spring\n\nBy Jane Doe\n\n" + BODY
    html = repair_text(text, markup_parsed=True)
    assert html.text.startswith("New Ferry Timetable Starts in Spring\n\n")
    assert [f.name for f in html.fixes if f.name.startswith("strip_header")] == ["strip_header_lines"]
    plain = repair_text(text)
    assert not plain.text.startswith("New Ferry")


def test_markup_variant_removes_the_declared_headline_and_reads_the_byline() -> None:
    head = "Night Trains Return to the Valley Line"
    text = f"{head}\n\nBy Jane Doe\n\n" + BODY
    out, removed = strip_header_lines_markup(text, titles=(f"{head} | The Valley Courier",))
    assert out == BODY
    assert [r.kind for r in removed] == ["headline", "byline"]
    # another page's title, or none, leaves the line as a subheading
    assert strip_header_lines_markup(text, titles=("Harbour Budget Approved",))[0].startswith(head)


@pytest.mark.parametrize("line", ["Reading time: 4 min", "Lesezeit: ca. 3 Minuten", "Tempo de leitura: 1 minuto"])
def test_labelled_reading_time_lines_are_removed(line: str) -> None:
    out, removed = strip_boilerplate_lines(f"{line}\n\n{BODY}")
    assert out.strip() == BODY.strip() and [r.kind for r in removed] == ["reading_time"]


def test_a_sentence_about_reading_time_stays() -> None:
    text = f"Reading time matters for 4 min of attention, the study says.\n\n{BODY}"
    assert strip_boilerplate_lines(text) == (text, ())
