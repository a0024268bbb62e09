"""A page that is no article and prints no date: its markup's date is not a publication date.

Guide, product, FAQ and wiki pages carry ``article:published_time``, ``<meta name=date>`` or
microdata stamped by the template, and htmldate reads them; the page shows its reader no date.
The rule (``metadata._unshown_date_on_non_article``) drops such a date with a ``date_not_shown``
warning. Each test has the case it must drop and the cases it must keep.
"""

from __future__ import annotations

import json

from ingest import clean_article
from ingest.metadata import Deferred, Hint, extract_metadata
from ingest.metadata.dates import prints_a_date

P = (
    "A fixed-rate loan keeps the monthly instalment the same for the whole term, which makes a budget easy "
    "to plan. A variable rate follows the market: it can fall, and it can rise when the central bank moves. "
    "Compare the effective annual rate, not the nominal one, and read what early repayment costs. "
)
GUIDE = "<main><h1>Car loan or leasing: what suits you</h1>" + "".join(f"<p>{P}</p>" for _ in range(4)) + "</main>"
STAMP = '<meta property="article:published_time" content="2015-05-07T10:00:00+00:00">'
WEBSITE = '<meta property="og:type" content="website">'


def page(body: str, head: str = "") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'.encode()
    )


def cleaned(body: str = GUIDE, head: str = WEBSITE + STAMP, url: str = "https://loans.example/car-loan/guide"):
    return clean_article(page(body, head), path="p.html", url=url)


def test_a_guide_page_that_prints_no_date_gets_no_markup_date() -> None:
    a = cleaned()
    assert a.published is None and "published" not in dict(a.field_sources)
    assert [w.code for w in a.warnings if w.code == "date_not_shown"] == ["date_not_shown"]
    # no og:type at all, the date in <meta name=date> or in microdata: the same
    assert cleaned(head='<meta name="date" content="2016-06-29">').published is None
    micro = '<meta itemprop="datePublished" content="2020-01-10">'
    assert cleaned(head=micro).published is None


def test_a_date_only_in_a_script_is_not_printed() -> None:
    script = '<script>var page = {"created": "2015-05-07", "label": "7 May 2015"};</script>'
    assert cleaned(body=GUIDE + script).published is None


def test_a_page_that_calls_itself_an_article_keeps_its_date() -> None:
    a = cleaned(head='<meta property="og:type" content="article">' + STAMP)
    assert a.published == "2015-05-07T10:00:00+00:00"
    assert dict(a.field_sources)["published"] == "meta:article:published_time"
    assert not [w for w in a.warnings if w.code == "date_not_shown"]
    ld = json.dumps({"@context": "https://schema.org", "@type": "BlogPosting", "datePublished": "2015-05-07"})
    a = cleaned(head=WEBSITE + f'<script type="application/ld+json">{ld}</script>')
    assert a.published == "2015-05-07"


def test_a_page_that_prints_a_date_anywhere_keeps_its_date() -> None:
    # the date the page prints need not be the declared one: a page that prints dates shows them
    footer = "<footer><p>Conditions as of 12.03.2020</p></footer>"
    assert cleaned(body=GUIDE + footer).published == "2015-05-07T10:00:00+00:00"
    comment = '<div class="comments"><p>Jane, 3 May 2016: thanks, very clear.</p></div>'
    assert cleaned(body=GUIDE + comment).published == "2015-05-07T10:00:00+00:00"


def test_a_short_page_keeps_its_date() -> None:
    # a body this short may be a page a script draws: that it prints no date says nothing
    short = f"<main><h1>Car loan</h1><p>{P}</p></main>"
    assert cleaned(body=short).published == "2015-05-07T10:00:00+00:00"


def test_a_date_in_the_url_is_kept() -> None:
    # the URL's day, with the declared time of that day: the URL vouches for the date
    a = cleaned(url="https://loans.example/2015/05/07/car-loan-guide")
    assert a.published == "2015-05-07T10:00:00+00:00"
    assert cleaned(url="https://loans.example/2016/06/29/car-loan-guide").published == "2016-06-29"


def test_htmldate_reading_on_a_page_that_prints_no_date_is_dropped() -> None:
    body = P * 6

    def meta(prints: bool, *page_type: Hint):
        hints = (
            *page_type,
            Hint("published", Deferred(lambda url: "2019-01-28"), "htmldate"),
            Hint("prints_date", Deferred(lambda url: prints), "html:visible_text"),
        )
        return extract_metadata(body, hints=hints, detect_lang=False)

    assert "published" not in meta(False).values
    assert meta(True).values["published"] == "2019-01-28"
    assert meta(False, Hint("page_type", "article", "meta:og:type")).values["published"] == "2019-01-28"
    assert meta(False, Hint("page_type", "NewsArticle", "jsonld:@type")).values["published"] == "2019-01-28"
    assert "published" not in meta(False, Hint("page_type", "product", "meta:og:type")).values


def test_prints_a_date_reads_only_visible_text() -> None:
    assert prints_a_date("<html><body><p>Posted 31 May 2019</p></body></html>")
    assert prints_a_date("<html><body><p>31.05.2019</p></body></html>")
    assert not prints_a_date("<html><body><p>Since 2019, in May.</p></body></html>")
    assert not prints_a_date("<html><head><title>31.05.2019</title></head><body><p>Loans</p></body></html>")
    assert not prints_a_date("<html><body><script>d='2019-05-31'</script><style>/* 31.05.2019 */</style></body></html>")
    assert not prints_a_date("<html><body><template><p>31.05.2019</p></template><p>Loans</p></body></html>")


def test_prints_a_date_reads_a_block_as_one_text() -> None:
    # a date split over inline elements is printed; numbers in separate cells or items are not a date
    assert prints_a_date("<html><body><p><span>31</span> <span>May</span> 2019</p></body></html>")
    assert prints_a_date("<html><body><div>As of <b>12.03.</b><i>2020</i></div></body></html>")
    calendar = "<table><tr><th>Dezember 2020</th></tr><tr><td>29</td><td>30</td><td>31</td></tr></table>"
    assert not prints_a_date(f"<html><body>{calendar}</body></html>")
    assert not prints_a_date("<html><body><ul><li>30</li><li>Dezember 2020</li></ul></body></html>")
