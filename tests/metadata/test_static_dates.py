"""Pages without a publication date of their own: the late date stages stay silent on them.

Each rule has a case it must change and a case it must leave alone (the page's own date kept).
"""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from ingest import clean_article
from ingest.metadata import Deferred, Hint, extract_metadata
from ingest.metadata.dates import date_by_htmldate, htmldate_day_stands
from ingest.readers.htmlmeta import html_hints, in_side_region

P = (
    "The harbour board met on Monday and agreed to publish its findings before the end of the month. "
    "Members asked for a public hearing in the spring, and the chair promised to set a date soon. "
    "A final report is expected in the autumn, after the consultation closes and replies are read. "
)
LONG = "".join(f"<p>{P}</p>" for _ in range(6))  # over 1,200 characters: past the near-headline window


def page(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def first(tree: lxml_html.HtmlElement, xpath: str) -> lxml_html.HtmlElement:
    return tree.xpath(xpath)[0]


# --- where a date is printed -------------------------------------------------------------------


@pytest.mark.parametrize(
    "wrapper",
    [
        pytest.param('<aside class="col">{}</aside>', id="aside"),
        pytest.param('<nav class="x">{}</nav>', id="nav"),
        pytest.param('<div id="secondary" class="sidebar widget-area">{}</div>', id="sidebar"),
        pytest.param('<section class="widget widget_recent_entries">{}</section>', id="wordpress widget"),
        pytest.param('<ol class="comment-list"><li class="x">{}</li></ol>', id="comment list"),
        pytest.param('<div class="mo-comments-list">{}</div>', id="comments word"),
        pytest.param('<div class="single-related-posts">{}</div>', id="related posts"),
        pytest.param('<ul class="ot-mega-menu">{}</ul>', id="menu"),
    ],
)
def test_side_regions(wrapper: str) -> None:
    tree = lxml_html.document_fromstring(page(wrapper.format('<span class="d">12.05.2021</span>')))
    assert in_side_region(first(tree, "//span[@class='d']"))


@pytest.mark.parametrize(
    "wrapper",
    [
        pytest.param('<main class="has-left-sidebar">{}</main>', id="layout class says what it has"),
        pytest.param('<div class="elementor-widget-container">{}</div>', id="page builder widget wraps all"),
        pytest.param('<div class="ArticleHeaderComment">{}</div>', id="a commentary's header"),
        pytest.param('<div id="sidebar"><h1>Harbour board backs the quay</h1>{}</div>', id="column holding the h1"),
        pytest.param('<article class="post">{}</article>', id="the article"),
    ],
)
def test_not_side_regions(wrapper: str) -> None:
    tree = lxml_html.document_fromstring(page(wrapper.format('<span class="d">12.05.2021</span>')))
    assert not in_side_region(first(tree, "//span[@class='d']"))


def test_body_classes_are_not_read() -> None:
    doc = page('<p><span class="d">12.05.2021</span></p>').replace("<body>", '<body class="no-sidebars comments">')
    tree = lxml_html.document_fromstring(doc)
    assert not in_side_region(first(tree, "//span[@class='d']"))


# --- htmldate's reading --------------------------------------------------------------------------


def stands(body: str, day: str) -> bool:
    doc = page(body)
    return htmldate_day_stands(lxml_html.document_fromstring(doc), doc, day)


def test_a_day_printed_only_in_a_sidebar_does_not_stand() -> None:
    side = '<aside class="sidebar"><ul><li>Other story <span>29. September 2020</span></li></ul></aside>'
    assert not stands(f"<article><h1>Quay</h1>{LONG}</article>{side}", "2020-09-29")
    # printed in the article as well: the page's own date
    assert stands(f"<article><h1>Quay</h1><p>Posted 29. September 2020</p>{LONG}</article>{side}", "2020-09-29")


def test_a_comment_date_does_not_stand() -> None:
    comments = '<ol class="commentlist"><li class="comment"><a>Juli 30, 2013 um 2:33 pm</a> Great recipe!</li></ol>'
    assert not stands(f"<article><h1>Muffins</h1>{LONG}</article>{comments}", "2013-07-30")


def test_a_day_printed_nowhere_stands_unless_it_is_a_completed_month() -> None:
    data = '<script>{"createdAt":"2022-01-31T15:58:43+01:00"}</script>'
    assert stands(f"<article><h1>Quay</h1>{LONG}</article>{data}", "2022-01-31")
    # "In der Ausgabe 8/2021" read as 1 August 2021: a day the page never writes
    assert not stands(f"<article><h1>Quay</h1><p>In der Ausgabe 8/2021</p>{LONG}</article>", "2021-08-01")
    assert stands(f"<article><h1>Quay</h1><p>Am 01.08.2021 erschienen</p>{LONG}</article>", "2021-08-01")
    assert stands(f'<article><h1>Quay</h1>{LONG}</article><script>{{"d":"2021-08-01"}}</script>', "2021-08-01")


def test_htmldate_reading_of_a_sidebar_date_is_dropped_but_the_articles_is_kept() -> None:
    side = (
        '<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><ul>'
        '<li><a href="/x">Another story</a> <span class="post-date">29. September 2020</span></li>'
        "</ul></section></aside>"
    )
    assert date_by_htmldate(page(f"<article><h1>Quay</h1>{LONG}</article>{side}")) is None
    own = '<p class="entry-meta"><span class="entry-date">12. Mai 2021</span></p>'
    assert date_by_htmldate(page(f"<article><h1>Quay</h1>{own}{LONG}</article>{side}")) == "2021-05-12"


# --- date hints the reader gives -----------------------------------------------------------------


def published_hints(body: str) -> dict[str, object]:
    hints = html_hints(lxml_html.document_fromstring(page(body)))
    return {h.source: h.value for h in hints if h.field == "published"}


def test_a_comments_time_element_is_not_the_pages() -> None:
    comments = (
        '<div id="comments" class="comments-area"><ol class="comment-list"><li>'
        '<time datetime="2020-11-01T03:32:06+01:00">3:32 am</time> Nice</li></ol></div>'
    )
    assert "html:time" not in published_hints(f"<article><h1>Settings</h1>{LONG}</article>{comments}")
    own = '<p class="byline"><time datetime="2020-10-09T10:00:00+02:00">9 October</time></p>'
    found = published_hints(f"<article><h1>Settings</h1>{own}{LONG}</article>{comments}")
    assert found["html:time"] == "2020-10-09T10:00:00+02:00"


def test_a_comments_date_classed_element_is_not_the_pages() -> None:
    comments = '<ul class="w-comments-list"><li><a class="w-comments-item-date">December 14, 2019 8:44 pm</a></li></ul>'
    assert "html:date_class" not in published_hints(f"<article><h1>Fonts</h1>{LONG}</article>{comments}")
    own = '<div class="post-date">14.12.2019</div>'
    assert published_hints(f"<article><h1>Fonts</h1>{LONG}{own}</article>{comments}")["html:date_class"] == "2019-12-14"


# --- the fallbacks: WebPage date, htmldate ---------------------------------------------------------

WEBPAGE_LD = json.dumps(
    {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Harbour"},
            {"@type": "WebPage", "datePublished": "2019-05-31T08:00:00"},
        ],
    }
)


ARTICLE_OG = '<meta property="og:type" content="article">'


def cleaned(head: str = "", url: str | None = None):
    body = f"<article><h1>Harbour board backs the new quay</h1>{LONG}</article>"
    return clean_article(page(body, head).encode(), path="p.html", url=url)


def test_a_webpage_date_on_a_sites_home_page_is_not_given() -> None:
    ld = f'<script type="application/ld+json">{WEBPAGE_LD}</script>'
    assert cleaned(ld, url="https://harbour.example/").published is None
    assert cleaned(ld, url="https://harbour.example").published is None
    # og:type article: the page calls itself an article (a page that does not, and prints no date,
    # gets no date from its markup: test_a_non_article_page_that_prints_no_date_gets_no_markup_date)
    a = cleaned(ld + ARTICLE_OG, url="https://harbour.example/board/quay")
    assert a.published == "2019-05-31T08:00:00" and dict(a.field_sources)["published"] == "jsonld:webpage_datePublished"


def test_a_webpage_date_on_a_page_that_declares_only_its_modification_is_not_given() -> None:
    ld = f'<script type="application/ld+json">{WEBPAGE_LD}</script>'
    modified = '<meta property="article:modified_time" content="2020-10-20T14:04:48+00:00">'
    assert cleaned(ld + modified).published is None
    published = '<meta property="article:published_time" content="2019-05-30T08:00:00+00:00">'
    assert cleaned(ld + modified + published + ARTICLE_OG).published == "2019-05-30T08:00:00+00:00"
    assert cleaned(ld + ARTICLE_OG).published == "2019-05-31T08:00:00"


def test_htmldate_reading_the_modification_day_is_not_the_publication() -> None:
    def meta(read: str, *extra: Hint):
        hints = (*extra, Hint("updated", "2020-10-20T14:04:48", "meta:article:modified_time"))
        return extract_metadata(
            "x", hints=(*hints, Hint("published", Deferred(lambda url: read), "htmldate")), detect_lang=False
        )

    assert "published" not in meta("2020-10-20").values
    m = meta("2019-05-31")
    assert m.values["published"] == "2019-05-31" and m.sources["published"] == "htmldate"
    # a page that declares its publication keeps the cascade as it was
    m = meta("2020-10-20", Hint("published", "not a date", "meta:article:published_time"))
    assert m.values["published"] == "2020-10-20"


def test_a_sidebar_inside_the_article_is_its_fact_box() -> None:
    doc = page(
        '<article><h2>x</h2><div class="sidebar__item"><time datetime="2022-01-28">28.01.2022</time></div></article>'
    )
    tree = lxml_html.document_fromstring(doc)
    assert not in_side_region(first(tree, "//time"))
    doc = page('<article><h2>x</h2></article><div class="sidebar"><time datetime="2022-01-28">28.01.2022</time></div>')
    assert in_side_region(first(lxml_html.document_fromstring(doc), "//time"))


def test_a_time_element_in_a_carousel_of_events_is_a_place_the_day_is_printed() -> None:
    carousel = (
        '<ul class="owl-carousel"><li><span class="time"><time datetime="2023-1-26">26. Januar</time></span></li></ul>'
    )
    assert not stands(f"<article><h1>Offshore wind</h1>{LONG}</article>{carousel}", "2023-01-26")
    assert stands(
        f'<article><h1>Offshore wind</h1><time datetime="2023-01-26">26. Januar</time>{LONG}</article>', "2023-01-26"
    )


def test_a_photo_credits_date_under_the_headline_is_not_the_articles() -> None:
    credit = (
        "<figure><img src='a.jpg'><figcaption>Wind farm "
        "<span class='copy'>© Kurt Muster, 31.05.2013</span></figcaption></figure>"
    )
    assert "text:near_headline" not in published_hints(f"<article><h1>Offshore wind</h1>{credit}{LONG}</article>")
    byline = "<p class='meta'>Von Kurt Muster, 31.05.2013</p>"
    found = published_hints(f"<article><h1>Offshore wind</h1>{byline}{credit}{LONG}</article>")
    assert found["text:near_headline"] == "2013-05-31"


def test_an_event_pages_start_date_is_not_its_publication() -> None:
    ld = json.dumps(
        {"@context": "https://schema.org", "@type": "SportsEvent", "name": "Final", "startDate": "2020-09-28"}
    )
    head = f'<script type="application/ld+json">{ld}</script>'
    assert "event_date" in {h.field for h in html_hints(lxml_html.document_fromstring(page("<p>x</p>", head)))}

    def meta(read: str):
        hints = (Hint("event_date", "2020-09-28T18:00", "jsonld:event_startDate"),)
        hints += (Hint("published", Deferred(lambda url: read), "htmldate"),)
        return extract_metadata("x", hints=hints, detect_lang=False)

    assert "published" not in meta("2020-09-28").values
    assert meta("2020-09-01").values["published"] == "2020-09-01"
