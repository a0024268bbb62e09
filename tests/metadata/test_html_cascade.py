"""The HTML metadata cascade: URL as evidence, date stages, titles by agreement, plausible authors."""

from __future__ import annotations

import json

import pytest

from ingest import clean_article, iter_articles
from ingest.metadata import plausible_person
from ingest.metadata.dates import date_by_htmldate, date_from_url, dates_in_text

P1 = "The harbour board met on Monday and agreed to publish its findings before the end of the month."
P2 = "Members asked for a public hearing in the spring, and the chair promised to set a date soon."
P3 = "A final report is expected in the autumn, after the consultation closes and replies are read."


def page(head: str = "", body: str = "") -> bytes:
    # the footer prints the name the tests declare: a declared author the page never shows is left out
    body = (
        body
        or f"<article><h1>Harbour board backs the new quay</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>"
        + "<footer>Contact: Jane Doe</footer>"
    )
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'.encode()
    )


def article(head: str = "", body: str = "", **kw: object):
    return clean_article(page(head, body), path="p.html", **kw)


def source(a, field: str) -> str | None:
    return dict(a.field_sources).get(field)


# --- the URL -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "want"),
    [
        pytest.param("https://x.example/2019/05/31/quay-vote", "2019-05-31", id="/Y/M/D/"),
        pytest.param("https://x.example/news/2019-05-31-quay-vote", "2019-05-31", id="/Y-M-D-slug"),
        pytest.param("https://x.example/2019/5/31/quay", "2019-05-31", id="one-digit month"),
        pytest.param("https://x.example/local/20190531/quay-vote", "2019-05-31", id="/YYYYMMDD/"),
        pytest.param("https://x.example/quay_20190531.html", "2019-05-31", id="_YYYYMMDD."),
        pytest.param("https://x.example/2019/05/quay-vote", None, id="year and month only: no date"),
        pytest.param(
            "https://x.example/2023/10/3-questions-for-the-board", None, id="a number after the month is not a day"
        ),
        pytest.param("https://x.example/story/123456789", None, id="an id is not a date"),
        pytest.param("https://x.example/a?from=2019/05/31/", None, id="query strings are not read"),
        pytest.param("https://x.example/2019/02/30/x", None, id="impossible day"),
    ],
)
def test_date_from_url(url: str, want: str | None) -> None:
    assert date_from_url(url) == want


def test_url_argument_is_recorded_and_dates_the_page() -> None:
    a = article(url="https://x.example/2019/05/31/quay-vote")
    assert a.url == "https://x.example/2019/05/31/quay-vote"
    assert a.published == "2019-05-31"
    assert source(a, "published") == "url"
    assert source(a, "url") == "input:url"


def test_url_argument_beats_canonical_and_without_it_canonical_is_used() -> None:
    head = '<link rel="canonical" href="https://x.example/2020/01/02/quay">'
    assert article(head, url="https://x.example/2019/05/31/quay").url == "https://x.example/2019/05/31/quay"
    a = article(head)
    assert a.url == "https://x.example/2020/01/02/quay" and a.published == "2020-01-02"


def test_url_date_takes_time_from_a_declared_date_of_the_same_day() -> None:
    head = '<meta property="article:published_time" content="2019-05-31T10:12:00+02:00">'
    a = article(head, url="https://x.example/2019/05/31/quay")
    assert a.published == "2019-05-31T10:12:00+02:00"


def test_a_records_own_url_beats_the_callers() -> None:
    rec = {"url": "https://own.example/2021/03/04/a", "title": "Quay", "text": P1}
    outs = list(iter_articles(json.dumps(rec).encode(), path="r.json", url="https://caller.example/x"))
    assert outs[0].article is not None and outs[0].article.url == "https://own.example/2021/03/04/a"


def test_a_url_that_is_not_http_is_not_recorded() -> None:
    assert article(url="javascript:alert(1)").url is None


# --- dates printed on the page -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param("Published 31 May 2019", "2019-05-31", id="English day month year"),
        pytest.param("May 31st, 2019 by Jane", "2019-05-31", id="English ordinal"),
        pytest.param("31.05.2019, 10:12 Uhr", "2019-05-31", id="German dotted with Uhr"),
        pytest.param("2019年5月31日 10:12", "2019-05-31", id="CJK"),
        pytest.param("1 de mayo de 2023", "2023-05-01", id="Spanish"),
        pytest.param("3. März 2021", "2021-03-03", id="German month name"),
        pytest.param("2019/05/31", "2019-05-31", id="year first with slashes"),
        pytest.param("25/06/2020", "2020-06-25", id="slashed day over 12"),
    ],
)
def test_dates_in_text_reads(text: str, want: str) -> None:
    assert next(dates_in_text(text))[1] == want


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("05/06/2020", id="ambiguous slashed date"),
        pytest.param("version 1.2.2019.3", id="a version number"),
        pytest.param("in May 2019", id="month and year only"),
        pytest.param("call 0800 31 05 2019", id="a phone number"),
        pytest.param("1234567890", id="digits"),
    ],
)
def test_dates_in_text_leaves_alone(text: str) -> None:
    assert list(dates_in_text(text)) == []


def test_visible_date_after_the_headline() -> None:
    body = (
        "<div><h1>Harbour board backs the new quay</h1><p class='x'>Published 31 May"
        f" 2019</p><p>{P1}</p><p>{P2}</p></div>"
    )
    a = article(body=body)
    assert a.published == "2019-05-31" and source(a, "published") == "text:near_headline"


def test_visible_date_confirmed_by_metadata_wins_over_the_url() -> None:
    head = '<meta name="date" content="2019-06-01">'
    body = f"<div><h1>Harbour board backs the new quay</h1><p>01.06.2019, 10:12 Uhr</p><p>{P1}</p><p>{P2}</p></div>"
    a = article(head, body, url="https://x.example/2019/05/31/quay")
    assert a.published == "2019-06-01"


def test_time_element_without_datetime() -> None:
    body = f"<article><h1>Harbour board</h1><time>31 May 2019</time><p>{P1}</p><p>{P2}</p></article>"
    assert article(body=body).published == "2019-05-31"


def test_abbr_published_title() -> None:
    body = (
        f'<article><p>{P1}</p><abbr class="published" title="2019-05-31T10:12:00+00:00">May'
        f" 31</abbr><p>{P2}</p></article>"
    )
    a = article(body=body)
    assert a.published == "2019-05-31T10:12:00+00:00" and source(a, "published") == "html:abbr_published"


def test_data_attribute_date() -> None:
    body = f'<article><div data-published="2019-05-31"></div><p>{P1}</p><p>{P2}</p></article>'
    assert article(body=body).published == "2019-05-31"


def test_jsonld_graph_webpage_date() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Harbour"},
            {"@type": "WebPage", "datePublished": "2019-05-31T08:00:00+00:00"},
        ],
    }
    a = article(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert a.published == "2019-05-31T08:00:00+00:00" and source(a, "published") == "jsonld:webpage_datePublished"


def test_a_page_with_no_date_anywhere_gets_none() -> None:
    assert article().published is None


def test_copyright_year_is_not_a_date() -> None:
    body = f"<article><h1>Harbour board</h1><p>{P1}</p><p>{P2}</p></article><footer>© 2019 Harbour Times</footer>"
    assert article(body=body).published is None


def test_htmldate_stage_never_fetches(monkeypatch: pytest.MonkeyPatch) -> None:
    import htmldate.utils

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("htmldate tried to download something")

    monkeypatch.setattr(htmldate.utils, "fetch_url", refuse)
    assert date_by_htmldate("https://example.com/2019/05/31/x") is None  # page text that looks like a URL
    assert date_by_htmldate("<html><body><p>nothing dated</p></body></html>", url="https://x.example/a") is None


# --- titles ----------------------------------------------------------------------------------------


def test_h1_confirmed_by_og_title_wins_with_its_typography() -> None:
    head = '<meta property="og:title" content="Harbour board backs the new quay - the vote">'
    body = f"<article><h1>Harbour board backs the new quay</h1><p>{P1}</p><p>{P2}</p></article>"
    a = article(head, body)
    assert a.title == "Harbour board backs the new quay" and source(a, "title") == "html:h1"


def test_h1_that_is_the_site_name_loses_to_title() -> None:
    head = "<title>Harbour board backs the new quay | Harbour Times</title>"
    body = f"<div><h1>Harbour Times</h1><p>{P1}</p><p>{P2}</p></div>"
    assert article(head, body).title == "Harbour board backs the new quay"


def test_short_h1_opening_a_long_title_is_a_section_name() -> None:
    head = "<title>Local news » Archive » Harbour board backs the new quay after a long debate</title>"
    body = f"<div><h1>Local news</h1><p>{P1}</p><p>{P2}</p></div>"
    assert article(head, body).title != "Local news"


# --- authors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Jane Doe",
        "Ludwig van Beethoven",
        "Perry Bacon Jr.",
        "Joe S.",
        "孔德明",
        "freeman1984",
        "MORITZ GATHMANN",
        "janedoe",
        "Jane.Doe",
    ],
)
def test_plausible_people(name: str) -> None:
    assert plausible_person(name)


@pytest.mark.parametrize(
    "name",
    [
        "Harbour Times Staff",
        "Redaktion",
        "admin",
        "Unknown",
        "Name (erforderlich)",
        "sarah sagt:",
        "facebook.com/harbour",
        "@harbour",
        "8. November 2021",
        "Donnerstag",
        "Harbour Verlag GmbH",
        "www.harbour.example",
        "selbst ist der Mann",
        "jane.doe",
        "jane_doe",
        "jane-doe",
        "Agencies",
    ],
)
def test_not_people(name: str) -> None:
    assert not plausible_person(name)


def test_one_word_meta_author_is_the_site_or_account() -> None:
    assert article('<meta name="author" content="Harbourblog">').authors == ()
    assert article('<meta name="author" content="Jane Doe">').authors == ("Jane Doe",)


def test_site_name_in_meta_author_is_not_an_author() -> None:
    head = '<meta property="og:site_name" content="Harbour Times"><meta name="author" content="Harbour Times Online">'
    assert article(head).authors == ()


def test_byline_labels_and_dates_are_cut() -> None:
    body = (
        '<article><h1>Harbour</h1><div class="byline">Veröffentlicht von Jane Doe am 21. April'
        f" 2020</div><p>{P1}</p><p>{P2}</p></article>"
    )
    assert article(body=body).authors == ("Jane Doe",)


def test_jsonld_author_id_reference_is_resolved() -> None:
    ld = {
        "@graph": [
            {"@type": "NewsArticle", "headline": "Harbour", "author": {"@id": "#jane"}},
            {"@type": "Person", "@id": "#jane", "name": "Jane Doe"},
        ]
    }
    a = article(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert a.authors == ("Jane Doe",) and source(a, "authors") == "jsonld:author"


def test_record_author_field_is_kept_as_given() -> None:
    rec = {"author": "harbourdesk", "title": "Quay", "text": P1}
    a = clean_article(json.dumps(rec).encode(), path="r.json")
    assert a.authors == ("harbourdesk",)


def test_h1_inside_a_title_with_a_site_prefix_wins() -> None:
    head = (
        '<meta property="og:title" content="Press releases">'
        "<title>HBT: Harbour board backs the new quay after debate</title>"
    )
    body = f"<div><h1>Harbour board backs the new quay after debate</h1><p>{P1}</p><p>{P2}</p></div>"
    assert article(head, body).title == "Harbour board backs the new quay after debate"


def test_a_short_h1_inside_a_long_title_does_not_win() -> None:
    head = '<meta property="og:title" content="Quay vote: the harbour board backs the plan after a long debate">'
    body = f"<div><h1>Quay vote</h1><p>{P1}</p><p>{P2}</p></div>"
    assert article(head, body).title == "Quay vote: the harbour board backs the plan after a long debate"


# --- the headline element and the confirmation of the date printed near it ----------------------


def test_date_after_the_heading_that_names_the_article_not_after_the_logo_heading() -> None:
    head = '<meta property="og:title" content="Harbour board backs the new quay">'
    body = (
        "<header><h1>Harbour Times</h1><nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav></header>"
        + "<p>menu item</p>" * 80
        + f"<main><h1>Harbour board backs the new quay</h1><p>Published 31 May 2019</p><p>{P1}</p><p>{P2}</p></main>"
    )
    a = article(head, body)
    assert a.published == "2019-05-31" and source(a, "published") == "text:near_headline"


def test_no_heading_agrees_with_the_title_keeps_the_first_h1() -> None:
    head = '<meta property="og:title" content="Something else entirely here">'
    body = f"<article><h1>Harbour board backs the new quay</h1><p>31 May 2019</p><p>{P1}</p><p>{P2}</p></article>"
    assert article(head, body).published == "2019-05-31"


def test_printed_date_confirmed_by_the_declared_update_beats_the_declared_publication() -> None:
    # the page prints its update date as its date: what a reader sees is that date
    head = (
        '<meta property="article:published_time" content="2018-02-01T08:00:00+00:00">'
        '<meta property="article:modified_time" content="2019-05-31T09:00:00+00:00">'
    )
    body = f"<article><h1>Harbour board backs the new quay</h1><p>31 May 2019</p><p>{P1}</p><p>{P2}</p></article>"
    a = article(head, body)
    assert a.published == "2019-05-31" and source(a, "published") == "text:near_headline"


def test_unconfirmed_printed_date_does_not_beat_the_declared_publication() -> None:
    head = '<meta property="article:published_time" content="2018-02-01T08:00:00+00:00">'
    body = f"<article><h1>Harbour board backs the new quay</h1><p>31 May 2019</p><p>{P1}</p><p>{P2}</p></article>"
    a = article(head, body)
    assert a.published == "2018-02-01T08:00:00+00:00" and source(a, "published") == "meta:article:published_time"


def test_a_birth_date_after_the_headline_loses_to_htmldate_confirmed_by_a_date_element() -> None:
    body = (
        f"<article><h1>Jane Doe</h1><p>Born 28 January 1975 in Leeds.</p><p>{P1}</p><p>{P2}</p>"
        '<div class="date">14 February 2020</div></article>'
    )
    a = article(body=body)
    assert a.published == "2020-02-14" and source(a, "published") == "htmldate"


def test_the_date_after_the_headline_stays_when_nothing_else_names_another() -> None:
    body = f"<article><h1>Jane Doe</h1><p>Born 28 January 1975 in Leeds.</p><p>{P1}</p><p>{P2}</p></article>"
    assert article(body=body).published == "1975-01-28"


def test_a_webpage_date_is_weaker_than_a_printed_time() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "WebPage", "datePublished": "2017-01-01T08:00:00+00:00"}],
    }
    body = (
        '<article><h1>Harbour board backs the new quay</h1><time datetime="2019-05-31">31 May</time>'
        f"<p>{P1}</p><p>{P2}</p></article>"
    )
    a = article(f'<script type="application/ld+json">{json.dumps(ld)}</script>', body)
    assert a.published == "2019-05-31" and source(a, "published") == "html:time"


def test_deferred_is_computed_once_per_url() -> None:
    from ingest.metadata import Deferred

    calls: list[object] = []
    d = Deferred(lambda url: calls.append(url) or "2019-05-31")
    assert d.get("u") == d.get("u") == "2019-05-31" and calls == ["u"]


# --- authors: declared names checked against the byline the page shows ---------------------------


def ld_author(author: object, extra: str = "") -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Harbour board backs the new quay",
        "author": author,
    }
    return f'<script type="application/ld+json">{json.dumps(ld)}</script>{extra}'


def test_declared_first_name_is_completed_by_the_byline_shown() -> None:
    body = f"<article><h1>Harbour board backs the new quay</h1><p>By Jane Doe</p><p>{P1}</p><p>{P2}</p></article>"
    a = article(ld_author({"@type": "Person", "name": "Jane"}), body)
    assert a.authors == ("Jane Doe",) and source(a, "authors") == "text:byline_near_headline"


def test_declared_author_gets_the_coauthor_the_byline_shows() -> None:
    body = (
        "<article><h1>Harbour board backs the new quay</h1><p>By Jane Doe and John Roe</p>"
        f"<p>{P1}</p><p>{P2}</p></article>"
    )
    assert article(ld_author({"@type": "Person", "name": "Jane Doe"}), body).authors == ("Jane Doe", "John Roe")


def test_role_before_a_declared_name_goes_when_a_link_names_the_person() -> None:
    body = f'<article><h1>Harbour</h1><a rel="author" href="/jane">Jane Doe</a><p>{P1}</p><p>{P2}</p></article>'
    a = article(ld_author({"@type": "Person", "name": "Harbour-Times-Expertin Jane Doe"}), body)
    assert a.authors == ("Jane Doe",)


def test_related_story_authors_in_rel_links_are_not_coauthors() -> None:
    body = (
        f"<article><h1>Harbour</h1><p>{P1}</p><p>{P2}</p></article>"
        '<aside><a rel="author" href="/jane">Jane Doe</a> <a rel="author" href="/john">John Roe</a></aside>'
    )
    assert article(ld_author({"@type": "Person", "name": "Jane Doe"}), body).authors == ("Jane Doe",)


def test_a_byline_that_differs_does_not_replace_the_declared_author() -> None:
    body = f"<article><h1>Harbour board backs the new quay</h1><p>By John Roe</p><p>{P1}</p><p>{P2}</p></article>"
    body += "<footer>Contact: Jane Doe</footer>"
    assert article(ld_author({"@type": "Person", "name": "Jane Doe"}), body).authors == ("Jane Doe",)


def test_declared_person_named_like_the_site_is_not_an_author() -> None:
    a = article(ld_author({"@type": "Person", "name": "Harbourtimes"}), url="https://www.harbourtimes.example/quay")
    assert a.authors == ()
    body = f'<article><h1>Harbour</h1><div class="byline">Jane Doe</div><p>{P1}</p><p>{P2}</p></article>'
    site = '<meta property="og:site_name" content="Harbour-Times">'
    a = article(ld_author({"@type": "Person", "name": "HarbourTimes"}, site), body)
    assert a.authors == ("Jane Doe",) and source(a, "authors") == "html:byline"


def test_a_person_whose_site_bears_their_name_keeps_it() -> None:
    a = article(ld_author({"@type": "Person", "name": "Jane Doe"}), url="https://janedoe.example/quay")
    assert a.authors == ("Jane Doe",)


def test_many_author_metas_are_references_not_the_byline() -> None:
    head = "".join(f'<meta name="author" content="{n}">' for n in ("A. Smith", "B. Jones", "C. Brown", "D. White"))
    head += '<meta name="citation_author" content="Jane Doe">'
    a = article(head)
    assert a.authors == ("Jane Doe",) and source(a, "authors") == "meta:byline"
    assert article('<meta name="author" content="Jane Doe">').authors == ("Jane Doe",)


def test_login_name_falls_through_to_the_display_name() -> None:
    a = article(ld_author({"@type": "Person", "name": "jane.doe"}, '<meta name="author" content="Jane Doe">'))
    assert a.authors == ("Jane Doe",) and source(a, "authors") == "meta:author"


def test_author_written_as_json_text_in_a_string() -> None:
    assert article(ld_author('{ "@type": "Person", "name": "Jane Doe" }')).authors == ("Jane Doe",)


@pytest.mark.parametrize(
    ("byline", "want"),
    [
        ("Von Jane.Doe am Samstag, 19. Oktober 2019 um 11:14 Uhr", ("Jane.Doe",)),
        ("Jane Doe Alle Artikel", ("Jane Doe",)),
        ("Jane Doe im Gespräch mit John Roe", ("Jane Doe", "John Roe")),
        ("Jane Doe", ("Jane Doe",)),
    ],
)
def test_byline_element_decorations(byline: str, want: tuple[str, ...]) -> None:
    body = f'<article><h1>Harbour</h1><div class="byline">{byline}</div><p>{P1}</p><p>{P2}</p></article>'
    assert article(body=body).authors == want


# --- dates: labels, headings below h2, the date just above the headline, same-text witnesses ------


def test_date_after_a_publication_label_anywhere_in_the_article() -> None:
    body = (
        f"<article><h1>Harbour board backs the new quay</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
        + f"<p>{P1}</p>" * 12
        + "<ul><li><p>Mise en ligne</p><p>23 mai 2019</p></li></ul></article>"
    )
    a = article(body=body)
    assert a.published == "2019-05-23" and source(a, "published") == "text:date_label"


def test_an_updated_label_or_a_distant_date_is_not_a_publication_label() -> None:
    body = (
        f"<article><h1>Harbour board backs the new quay</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
        + f"<p>{P1}</p>" * 12
        + "<p>Updated 23 May 2019</p>"
        + "<p>Published in the harbour section, a story first told in print on 1 May 2019</p>"
        + "</article>"
    )
    assert article(body=body).published is None


def test_headline_in_an_h4_that_names_the_article() -> None:
    head = "<title>Harbour board backs the new quay</title>"
    body = f"<div><p><em>31.05.2019 11:35</em></p><h4>Harbour board backs the new quay</h4><p>{P1}</p><p>{P2}</p></div>"
    a = article(head, body)
    assert a.published == "2019-05-31" and source(a, "published") == "text:near_headline"


def test_date_just_above_the_headline_beats_one_far_below() -> None:
    head = '<meta property="og:title" content="Harbour board backs the new quay">'
    body = (
        "<div><span class='when'>03.02.2022</span><h3>Harbour board backs the new quay</h3></div>"
        + f"<p>{P1}</p>" * 6
        + f"<p>Next meeting: 11 February 2022.</p><p>{P2}</p>"
    )
    assert article(head, body).published == "2022-02-03"


def test_date_right_below_the_headline_still_wins_over_one_above() -> None:
    body = (
        "<div><span>03.02.2022</span><h1>Harbour board backs the new quay</h1><p>11 February 2022</p>"
        f"<p>{P1}</p><p>{P2}</p></div>"
    )
    assert article(body=body).published == "2022-02-11"


def test_url_and_declared_date_outvote_a_date_only_the_printed_text_confirms() -> None:
    head = '<meta property="article:published_time" content="2020-06-23T16:45:52-03:00">'
    body = (
        '<article><h1>Harbour board backs the new quay</h1><p class="date">16/06/2020</p>'
        f"<p>{P1}</p><p>{P2}</p></article>"
    )
    a = article(head, body, url="https://x.example/videos/2020/06/23/quay")
    assert a.published[:10] == "2020-06-23"
    # one declared date alone does not outvote the printed one
    assert article(head, body).published[:10] == "2020-06-16"


def test_htmldate_is_only_asked_when_another_date_competes() -> None:
    from ingest.metadata import Deferred, Hint, extract_metadata

    calls: list[object] = []

    def hints(*extra: Hint) -> tuple[Hint, ...]:
        read = Deferred(lambda url: calls.append(url) or "2019-05-31")
        return (Hint("published", "2019-05-31", "text:near_headline"), *extra, Hint("published", read, "htmldate"))

    m = extract_metadata("x", hints=hints(), detect_lang=False)
    assert m.values["published"] == "2019-05-31" and calls == []
    m = extract_metadata("x", hints=hints(Hint("published", "2018-01-02", "meta:date")), detect_lang=False)
    assert m.values["published"] == "2019-05-31" and m.sources["published"] == "text:near_headline" and calls == [None]


def _label_hint(html: str) -> list[object]:
    from lxml import etree

    from ingest.readers.html import page_hints

    hints, _ = page_hints(etree.HTML(html))
    return [h.value for h in hints if h.source == "text:date_label"]


def test_a_written_label_after_a_headline_outside_the_article_scope() -> None:
    # the page's only <article> is a short teaser box; the headline and its date line are outside it
    html = (
        "<html><body><div><h1>Harbour board backs the new quay</h1>"
        "<p>Written: 2023-11-07 15:03 / Updated: 2023-11-07 15:30</p>"
        f"<p>{P1}</p><p>{P2}</p></div><article><p>Read also: the ferry timetable</p></article></body></html>"
    )
    assert _label_hint(html) == ["2023-11-07"]


def test_the_label_in_the_article_scope_still_comes_first() -> None:
    html = (
        "<html><body><h1>Harbour board backs the new quay</h1><p>Published: 2 May 2019</p>"
        f"<article><p>{P1}</p><p>Published on 3 May 2019</p></article></body></html>"
    )
    assert _label_hint(html) == ["2019-05-03"]


def test_a_written_by_line_without_a_date_gives_no_label_date() -> None:
    html = (
        "<html><body><h1>Harbour board backs the new quay</h1><p>Written by Jane Doe</p>"
        f"<p>{P1} It closed on 4 May 2019.</p></body></html>"
    )
    assert _label_hint(html) == []


def test_the_end_of_a_period_after_the_headline_is_not_its_date() -> None:
    from ingest.readers.htmlmeta import date_near_headline

    assert date_near_headline("06.12.2022\n", "Shares are on offer vom 9.1. -10.2.2023 to residents.") == "2022-12-06"
    assert date_near_headline("", "The fair runs 14. – 20. Januar 2022 in the hall.") is None
    assert date_near_headline("", "Sale 3. bis 5.5.2023 only") is None


def test_dates_that_are_no_period_end_are_read_as_before() -> None:
    from ingest.readers.htmlmeta import date_near_headline

    assert date_near_headline("", "Seite 2 - 12.05.2023") == "2023-05-12"
    assert date_near_headline("", "Berlin, 12.05.2023 - 14:00 Uhr") == "2023-05-12"
    assert date_near_headline("", "By Jane Doe, 4 May 2023 – updated 5 May 2023") == "2023-05-04"
