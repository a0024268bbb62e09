"""The HTML reader's rules, one case each: body extraction, metadata cascade, charset, extractors."""

from __future__ import annotations

import pytest

from ingest import Options, clean_article
from ingest.extractors import get_extractor
from ingest.readers import declared_charset, read, sniff_format
from ingest.readers.html import extract_fragment, extract_html
from ingest.readers.htmlmeta import strip_title_suffix

P1 = "The council met on Monday and agreed to publish its findings before the end of the month, officials said."
P2 = "Members asked for a public hearing in the spring, and the chair promised to set a date within two weeks."
P3 = "A final report is expected in the autumn, after the consultation closes and the responses have been read."


def page(body: str, head: str = "", lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def body_of(html: str, **opts: object) -> str:
    return clean_article(html, path="t.html", options=Options(**opts)).body  # type: ignore[arg-type]


# ---- body extraction ----------------------------------------------------------------------------


def test_draft_keeps_paragraphs_apart_and_br_as_a_single_newline() -> None:
    (draft,) = read(page(f"<article><p>{P1}</p><p>first line<br>second line</p></article>"), "html", Options())
    assert draft.format == "html"
    assert draft.text == f"{P1}\n\nfirst line\nsecond line"


def test_headline_h1_is_metadata_not_body() -> None:
    a = clean_article(page(f"<article><h1>The Headline Itself</h1><p>{P1}</p><p>{P2}</p></article>"), path="t.html")
    assert a.title == "The Headline Itself"
    assert "The Headline Itself" not in a.body


@pytest.mark.parametrize(
    "junk",
    [
        '<div class="share-buttons"><a href="#">Share on Facebook</a></div>',
        '<div class="related-posts"><p>You may also like this other story about something else.</p></div>',
        '<div id="newsletter"><p>Sign up for the morning briefing delivered to your inbox.</p></div>',
        '<section class="comments"><p>Great article, thanks for writing this wonderful piece!</p></section>',
        "<figure><img src='x.jpg'><figcaption>The harbour at dawn. Photo: Agency</figcaption></figure>",
        "<aside><p>Read also: the other story that the editors want you to click on now.</p></aside>",
        '<div style="display:none"><p>Hidden promotional text that no reader ever sees here.</p></div>',
        "<script>var tracking = 'script text never reaches the body';</script>",
        "<noscript>Please enable JavaScript to view the comments powered by a widget.</noscript>",
        '<div role="navigation"><a href="/a">Section A</a> <a href="/b">Section B</a></div>',
    ],
    ids=[
        "share",
        "related",
        "newsletter",
        "comments",
        "figure caption",
        "aside",
        "hidden",
        "script",
        "noscript",
        "role navigation",
    ],
)
def test_boilerplate_blocks_inside_the_article_are_dropped(junk: str) -> None:
    body = body_of(page(f"<article><p>{P1}</p>{junk}<p>{P2}</p><p>{P3}</p></article>"))
    assert body == f"{P1}\n\n{P2}\n\n{P3}"


def test_link_dense_list_inside_the_article_is_dropped() -> None:
    links = "<ul>" + "".join(f"<li><a href='/{i}'>Another story number {i}</a></li>" for i in range(5)) + "</ul>"
    body = body_of(page(f"<article><p>{P1}</p>{links}<p>{P2}</p></article>"))
    assert "Another story" not in body


def test_state_classes_do_not_make_the_article_a_widget() -> None:
    # "modal-enabled" describes the page's state; the element is still the article
    body = body_of(
        page(
            f'<div class="story modal-enabled has-comments"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div><div'
            ' class="sidebar"><p>Sidebar text with enough words to count here.</p></div>'
        )
    )
    assert body == f"{P1}\n\n{P2}\n\n{P3}"


@pytest.mark.parametrize(
    "wrapper",
    [
        '<div class="hidden md:block">',
        '<div class="non-ad-column">',
        '<div class="paywall">',
        '<div class="card"><div class="card-body">',
    ],
    ids=["utility-class hidden", "non-ad column", "paywall wrapper", "bootstrap card"],
)
def test_misleading_wrapper_names_keep_the_article(wrapper: str) -> None:
    closing = "</div>" * wrapper.count("<div")
    side = "<div class='sidebar'>" + " ".join(f"<a href='/{i}'>Other story {i}</a>" for i in range(30)) + "</div>"
    body = body_of(page(f"{wrapper}<p>{P1}</p><p>{P2}</p><p>{P3}</p>{closing}{side}"))
    assert body == f"{P1}\n\n{P2}\n\n{P3}"


def test_a_page_built_only_of_widget_named_blocks_still_gives_its_text() -> None:
    # every block is a "card": pruning by name would leave nothing, so names are not trusted here
    body = body_of(page(f"<div class='card'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"))
    assert body == f"{P1}\n\n{P2}\n\n{P3}"


def test_comments_named_after_the_post_are_still_comments() -> None:
    comments = (
        "<div class='comments-area post-comments'>"
        + "".join(f"<div class='comment-body'><p>{P3} Comment {i}.</p><p>{P2}</p></div>" for i in range(6))
        + "</div>"
    )
    body = body_of(page(f"<div class='entry-content'><p>{P1}</p><p>{P2}</p></div>{comments}"))
    assert body == f"{P1}\n\n{P2}"


def test_comment_thread_of_article_elements_is_removed() -> None:
    comments = (
        "<div id='comments'>"
        + "".join(f"<article class='c'><p>{P3} Comment {i}.</p></article>" for i in range(6))
        + "</div>"
    )
    body = body_of(page(f"<main><div class='story'><p>{P1}</p><p>{P2}</p></div>{comments}</main>"))
    assert body == f"{P1}\n\n{P2}"


def test_a_form_wrapping_the_whole_page_does_not_take_the_article_with_it() -> None:
    # ASP.NET pages put all of <body> inside one <form>
    body = body_of(page(f"<form id='aspnetForm'><div class='main'><p>{P1}</p><p>{P2}</p></div></form>"))
    assert body == f"{P1}\n\n{P2}"


def test_density_fallback_finds_the_text_block_without_article_markup() -> None:
    nav = "<div>" + " ".join(f"<a href='/{i}'>Link {i}</a>" for i in range(20)) + "</div>"
    body = body_of(page(f"{nav}<div><div>{P1}</div><div>{P2}</div><div>{P3}</div></div>{nav}"))
    assert body == f"{P1}\n\n{P2}\n\n{P3}"


def test_article_split_by_an_ad_is_kept_whole() -> None:
    body = body_of(
        page(
            f"<div class='content'><div><p>{P1}</p><p>{P2}</p></div><div"
            f" class='ad-slot'>Advertisement</div><div><p>{P3}</p><p>{P1.replace('Monday', 'Tuesday')}</p></div></div>"
        )
    )
    assert P1 in body and P3 in body and "Tuesday" in body
    assert "Advertisement" not in body


def test_itemprop_article_body_wins_over_a_longer_block() -> None:
    other = " ".join([P3] * 6)
    body = body_of(page(f"<div itemprop='articleBody'><p>{P1}</p><p>{P2}</p></div><div class='x'><p>{other}</p></div>"))
    assert body == f"{P1}\n\n{P2}"


def test_jsonld_article_body_is_the_fallback_for_an_empty_page() -> None:
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","articleBody":"%s\\n\\n%s"}</script>' % (P1, P2)
    assert body_of(page("<div id='root'>Loading</div>", head=ld)) == f"{P1}\n\n{P2}"


def test_subheadings_inside_the_article_stay() -> None:
    body = body_of(page(f"<article><p>{P1}</p><h2>What happens next</h2><p>{P2}</p></article>"))
    assert body == f"{P1}\n\nWhat happens next\n\n{P2}"


def test_preformatted_text_keeps_its_lines() -> None:
    (draft,) = read(page(f"<article><p>{P1}</p><pre>line one\nline two</pre></article>"), "html", Options())
    assert draft.text.endswith("line one\nline two")


def test_html_fragment_keeps_every_block_but_drops_widgets() -> None:
    text = extract_fragment(f"<p>{P1}</p><p>Short one.</p><div class='share'>Share</div><script>x()</script>")
    assert text == f"{P1}\n\nShort one."


# ---- metadata cascade ---------------------------------------------------------------------------


def _sources(html: str) -> dict[str, str]:
    return dict(clean_article(html, path="t.html").field_sources)


def test_og_title_beats_jsonld_headline_beats_title_unless_h1_is_confirmed() -> None:
    ld = '<script type="application/ld+json">{"@type":"Article","headline":"LD headline"}</script>'
    og = '<meta property="og:title" content="OG title">'
    art = f"<article><h1>H1 title</h1><p>{P1}</p><p>{P2}</p></article>"
    head_title = "<title>The title element here | Site</title>"
    assert clean_article(page(art, og + ld + head_title), path="t.html").title == "OG title"
    assert clean_article(page(art, ld + head_title), path="t.html").title == "LD headline"
    # an <h1> nothing else confirms is as often the site's name: the <title> wins
    assert clean_article(page(art, head_title), path="t.html").title == "The title element here"
    # the visible headline wins when another source names the same article
    assert clean_article(page(art, og.replace("OG title", "H1 title: brief")), path="t.html").title == "H1 title"
    assert (
        clean_article(page(f"<article><p>{P1}</p><p>{P2}</p></article>", head_title), path="t.html").title
        == "The title element here"
    )


def test_og_title_loses_a_suffix_naming_the_jsonld_publisher() -> None:
    head = (
        '<meta property="og:title" content="Reviews are in - and they are mixed - Digg">'
        '<script type="application/ld+json">{"@type":"NewsArticle","publisher":{"name":"Digg"}}</script>'
    )
    a = clean_article(page(f"<article><p>{P1}</p><p>{P2}</p></article>", head), path="t.html")
    assert a.title == "Reviews are in - and they are mixed"


def test_a_malformed_first_candidate_falls_through_to_the_next() -> None:
    head = (
        '<meta property="article:published_time" content="not a date"><script'
        ' type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-05-06"}</script>'
    )
    a = clean_article(page(f"<article><p>{P1}</p><p>{P2}</p></article>", head), path="t.html")
    assert a.published == "2020-05-06"
    assert dict(a.field_sources)["published"] == "jsonld:datePublished"


def test_date_in_the_url_is_the_last_resort() -> None:
    head = '<link rel="canonical" href="https://news.example/2019/07/21/moon-landing-anniversary">'
    a = clean_article(page(f"<article><p>{P1}</p><p>{P2}</p></article>", head), path="t.html")
    assert a.published == "2019-07-21"
    assert dict(a.field_sources)["published"] == "url"


def test_relative_canonical_is_resolved_against_og_url() -> None:
    head = '<link rel="canonical" href="/a/story"><meta property="og:url" content="https://site.example/a/story?utm=1">'
    a = clean_article(page(f"<article><p>{P1}</p><p>{P2}</p></article>", head), path="t.html")
    assert a.url == "https://site.example/a/story"


def test_jsonld_author_list_and_graph() -> None:
    ld = (
        "<script"
        ' type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":["NewsArticle"],"author":[{"name":"A.'
        ' One"},{"name":"B. Two"}],"publisher":{"name":"Paper"}}]}</script>'
    )
    # the page prints the names too (a declared author the page never shows is left out)
    shown = "<footer>A. One and B. Two</footer>"
    a = clean_article(page(f"<article><p>{P1}</p><p>{P2}</p>{shown}</article>", ld), path="t.html")
    assert a.authors == ("A. One", "B. Two")
    assert a.publisher == "Paper"


def test_broken_jsonld_is_ignored_not_fatal() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    a = clean_article(page(f"<article><h1>Real headline</h1><p>{P1}</p><p>{P2}</p></article>", ld), path="t.html")
    assert a.title == "Real headline"


def test_byline_element_gives_authors_without_by() -> None:
    a = clean_article(
        page(f"<article><div class='byline'>By Jane Roe and John Doe</div><p>{P1}</p><p>{P2}</p></article>"),
        path="t.html",
    )
    assert a.authors == ("Jane Roe", "John Doe")
    assert dict(a.field_sources)["authors"] == "html:byline"
    assert "Jane Roe" not in a.body


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ('<div class="byline">By Jane Doe | Updated 3 hours ago</div>', ("Jane Doe",)),
        ('<div class="byline">By Jane Doe · 5 min read</div>', ("Jane Doe",)),
        ('<p class="byline">By Jane Doe Published 5:00 PM EST, March 4, 2024</p>', ("Jane Doe",)),
        ('<a class="author" href="/jd">Jane Doe</a>', ("Jane Doe",)),
        ('<span class="author-name">Jane Doe, Staff Writer</span>', ("Jane Doe",)),
        ('<p class="byline__authors">Jane Doe, John Roe and Ann Lee</p>', ("Jane Doe", "John Roe", "Ann Lee")),
    ],
    ids=[
        "pipe and updated",
        "middle dot read time",
        "published stamp",
        "author link",
        "name comma role",
        "three names",
    ],
)
def test_byline_element_forms(byline: str, expected: tuple[str, ...]) -> None:
    a = clean_article(page(f"<article>{byline}<p>{P1}</p><p>{P2}</p></article>"), path="t.html")
    assert a.authors == expected


def test_time_and_h1_come_from_the_main_article_not_a_teaser_card() -> None:
    teaser = "<article class='teaser'><h1>Other story</h1><time datetime='2001-01-01'>old</time></article>"
    main = f"<article><h1>Main story</h1><time datetime='2022-02-02'>now</time><p>{P1}</p><p>{P2}</p></article>"
    a = clean_article(page(teaser + main), path="t.html")
    assert (a.title, a.published) == ("Main story", "2022-02-02")


@pytest.mark.parametrize(
    ("metas", "field", "expected", "source"),
    [
        ('<meta name="byl" content="By JANE DOE and JOHN ROE">', "authors", ("Jane Doe", "John Roe"), "meta:byline"),
        (
            '<meta name="citation_author" content="Ann Lee"><meta name="citation_author" content="Bo Kim">',
            "authors",
            ("Ann Lee", "Bo Kim"),
            "meta:byline",
        ),
        ('<meta name="parsely-author" content="Ann Lee">', "authors", ("Ann Lee",), "meta:byline"),
        ('<meta name="dc.date.modified" content="2021-03-04">', "updated", "2021-03-04", "meta:date_modified"),
        ('<meta name="publisher" content="The Weekly">', "publisher", "The Weekly", "meta:publisher"),
        ('<meta property="og:published_time" content="2020-01-02">', "published", "2020-01-02", "meta:date"),
    ],
    ids=["NYT byl", "citation authors", "parsely author", "dc modified", "meta publisher", "og published_time"],
)
def test_other_meta_spellings(metas: str, field: str, expected: object, source: str) -> None:
    shown = "<footer>Jane Doe, John Roe, Ann Lee, Bo Kim</footer>"  # declared authors the page also prints
    a = clean_article(page(f"<article><p>{P1}</p><p>{P2}</p>{shown}</article>", metas), path="t.html")
    assert getattr(a, field) == expected
    assert dict(a.field_sources)[field] == source


def test_html_lang_is_used_when_detection_is_off() -> None:
    a = clean_article(
        page(f"<article><p>{P1}</p></article>", lang="en-GB"), path="t.html", options=Options(detect_language=False)
    )
    assert a.language == "en"
    assert dict(a.field_sources)["language"] == "html:lang"


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Storm hits the coast | The Daily", None, "Storm hits the coast"),
        ("Storm hits the coast - The Daily", "The Daily", "Storm hits the coast"),
        ("The Daily | Storm hits the coast today", "The Daily", "Storm hits the coast today"),
        ("Q&A - what we know", None, "Q&A - what we know"),
    ],
    ids=["pipe suffix", "dash suffix naming the site", "site first", "short headline with a dash kept"],
)
def test_title_suffix(title: str, site: str | None, expected: str) -> None:
    assert strip_title_suffix(title, site=site) == expected


# ---- charset and format --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<!DOCTYPE html><html><head><meta charset="windows-1252">', "windows-1252"),
        (b"<html><head><meta charset=iso-8859-1>", "iso-8859-1"),
        (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">', "Shift_JIS"),
        (b'<?xml version="1.0" encoding="ISO-8859-15"?><html xmlns="http://www.w3.org/1999/xhtml">', "ISO-8859-15"),
        (b"<html><head><title>none</title>", None),
    ],
    ids=["meta charset", "unquoted", "http-equiv", "xml declaration", "nothing declared"],
)
def test_declared_charset(head: bytes, expected: str | None) -> None:
    assert declared_charset(head + b"</head><body></body></html>", "html") == expected


def test_declared_charset_after_a_long_script_block_is_still_found() -> None:
    data = b"<html><head><script>" + b"x" * 5000 + b"</script><meta charset='koi8-r'></head>"
    assert declared_charset(data, "html") == "koi8-r"


def test_latin1_label_decodes_cp1252_punctuation() -> None:
    # browsers treat iso-8859-1 as windows-1252: the curly quotes must survive
    raw = (
        page(f"<article><p>{P1} \u201cquoted\u201d</p></article>")
        .replace('charset="utf-8"', 'charset="iso-8859-1"')
        .encode("cp1252")
    )
    a = clean_article(raw, path="t.html")
    assert "\u201cquoted\u201d" in a.body


def test_a_wrong_declared_charset_loses_to_valid_utf8() -> None:
    raw = (
        page(f"<article><p>{P1} café</p></article>")
        .replace('charset="utf-8"', 'charset="windows-1252"')
        .encode("utf-8")
    )
    a = clean_article(raw, path="t.html")
    assert "café" in a.body
    assert a.source.encoding == "utf-8"


def test_html_is_sniffed_by_content_without_an_extension() -> None:
    assert sniff_format(b"<!doctype html><html><body>x</body></html>", "download.bin") == "html"


# ---- pluggable extractors ------------------------------------------------------------------------


def test_unknown_extractor_name_is_refused() -> None:
    with pytest.raises(ValueError):
        get_extractor("nope")
    with pytest.raises(ValueError):
        Options(html_extractor="nope")


def test_trafilatura_extractor_through_options() -> None:
    html = page(
        "<nav><a"
        f" href='/'>Home</a></nav><article><h1>Head</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article><footer>Footer text"
        " here</footer>"
    )
    a = clean_article(html, path="t.html", options=Options(html_extractor="trafilatura"))
    assert P1 in a.body and P3 in a.body
    assert "Footer text" not in a.body
    assert a.title == "Head"  # metadata comes from ingest's own cascade whatever the extractor


def test_both_extractors_agree_on_a_plain_article() -> None:
    html = page(f"<article><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>")
    builtin, _, _ = extract_html(html, extractor="builtin")
    traf, _, _ = extract_html(html, extractor="trafilatura")
    assert builtin == traf == f"{P1}\n\n{P2}\n\n{P3}"


def test_entities_in_a_page_are_decoded_exactly_once_by_the_parser() -> None:
    # On the page the reader sees "&amp;" and "<br>" as text: the parser decoded them once already.
    body = (
        "<article><p>The menu lists &amp;amp; and the tag &lt;br&gt; as plain text, as the author wrote them.</p>"
        + f"<p>{P2}</p></article>"
    )
    a = clean_article(page(body), path="t.html")
    assert "lists &amp; and the tag <br> as plain text" in a.body
    assert "decode_html_entities" not in [f.name for f in a.fixes]


def test_a_json_record_with_an_html_body_is_decoded_once_too() -> None:
    import json

    record = {
        "title": "Menu",
        "html": (
            "<p>The menu lists &amp;amp; as text, as the author wrote it, twice over.</p><p>Second paragraph of the"
            " record body.</p>"
        ),
    }
    a = clean_article(json.dumps(record).encode(), path="r.json")
    assert "lists &amp; as text" in a.body


@pytest.mark.parametrize(
    ("after_h1", "expected"),
    [
        ("<div><strong>von</strong> <span>Jane Doe</span></div>", ("Jane Doe",)),
        ("<p>By:</p><p>Jane Doe</p>", ("Jane Doe",)),
        ("<p>By Jane Doe</p>", ("Jane Doe",)),
    ],
    ids=["label and name in two elements", "label line then name line", "one line unchanged"],
)
def test_byline_label_alone_on_its_line_reads_with_the_next_line(after_h1: str, expected: tuple[str, ...]) -> None:
    a = clean_article(page(f"<div><h1>Headline here</h1>{after_h1}<p>{P1}</p><p>{P2}</p></div>"), path="t.html")
    assert a.authors == expected


def test_bare_label_before_prose_is_not_a_byline() -> None:
    # "By" alone, then a sentence: no name comes out of it (must NOT change)
    a = clean_article(page(f"<div><h1>Headline here</h1><p>By</p><p>{P1}</p><p>{P2}</p></div>"), path="t.html")
    assert a.authors == ()


def test_second_byline_element_when_the_first_is_only_a_date_label() -> None:
    meta = "<div class='byline'><span class='date-byline'>Published on</span> 3 May 2021</div>"
    meta += "<span class='author vcard'>Jane Doe</span>"
    a = clean_article(page(f"<article>{meta}<p>{P1}</p><p>{P2}</p></article>"), path="t.html")
    assert a.authors == ("Jane Doe",)
    assert dict(a.field_sources)["authors"] == "html:byline"


def test_part_of_the_first_byline_element_is_not_a_second_byline() -> None:
    # the inner "Von" of "Von Redaktion" must not become a name of its own
    byline = "<div class='byline'><span class='author-label'>Von</span> Redaktion</div>"
    a = clean_article(page(f"<article>{byline}<p>{P1}</p><p>{P2}</p></article>"), path="t.html")
    assert a.authors == ()


LD_JANE = (
    '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}'
    "</script>"
)


def test_declared_author_the_page_never_shows_is_left_out() -> None:
    ld = LD_JANE
    paras = "".join(f"<p>{P1}</p><p>{P2}</p>" for _ in range(6))
    a = clean_article(page(f"<article><h1>Headline here</h1>{paras}</article>", ld), path="t.html")
    assert a.authors == ()


def test_declared_author_stays_on_a_page_that_shows_almost_nothing() -> None:
    # must NOT change: a page a script draws (little visible text) cannot confirm or refute the name
    ld = LD_JANE
    a = clean_article(page(f"<article><h1>Headline here</h1><p>{P1}</p><p>{P2}</p></article>", ld), path="t.html")
    assert a.authors == ("Jane Doe",)


@pytest.mark.parametrize(
    "shown",
    ["<p class='credit'>Jane Doe</p>", "<footer>Text: JANE DOE</footer>", "<p>Jane&nbsp;Doe</p>"],
    ids=["in a paragraph", "other case", "non-breaking space"],
)
def test_declared_author_the_page_shows_is_kept(shown: str) -> None:
    # must NOT change: a declared name printed anywhere in the page's body stays
    ld = LD_JANE
    paras = "".join(f"<p>{P1}</p><p>{P2}</p>" for _ in range(6))  # enough text for the check to apply
    body = f"<article><h1>Headline here</h1>{paras}{shown}</article>"
    a = clean_article(page(body, ld), path="t.html")
    assert a.authors == ("Jane Doe",)
    assert dict(a.field_sources)["authors"] == "jsonld:author"


def test_meta_author_not_shown_falls_through_to_the_visible_byline() -> None:
    head = '<meta name="author" content="Site Admin Person">'
    paras = "".join(f"<p>{P1}</p><p>{P2}</p>" for _ in range(6))
    body = f"<article><h1>Headline here</h1><div class='byline'>By John Roe</div>{paras}</article>"
    a = clean_article(page(body, head), path="t.html")
    assert a.authors == ("John Roe",)
