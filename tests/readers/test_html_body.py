"""Body extraction by failure class: text in nested <div>s, articles cut into chunks, fallbacks
instead of no_text, pre/tables kept, and trees too large to analyse (bounded work, a warning)."""

from __future__ import annotations

import pytest
from lxml import etree

import ingest.readers.html as html_reader
from ingest import IngestError, clean_article
from ingest.model import Article
from ingest.readers.htmltree import count_elements, parse_html, plain_paragraphs, simplify_inline

SENTENCES = [
    f"Sentence {i} of the report says the harbour, the ferry and the old market were busy again this week."
    for i in range(50)
]
P1 = "The council met on Monday and agreed to publish its findings before the end of the month, officials said."
P2 = "Members asked for a public hearing in the spring, and the chair promised to set a date within two weeks."
P3 = "A final report is expected in the autumn, after the consultation closes and the responses have been read."
P4 = "Residents who wrote in asked mostly about parking, the bus timetable and the opening hours of the library."

NAV = "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
SIDEBAR_LINKS = (
    "<div class='col'><h3>Latest</h3><ul>"
    + "".join(f"<li><a href='/s{i}'>Another story about the town number {i} and its people</a></li>" for i in range(8))
    + "</ul></div>"
)


def page(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def article(html: str) -> Article:
    return clean_article(html, path="t.html")


# ---- paragraphs as text nodes of nested <div>s (issue: 50 sentences in, 2 kept) ------------------


def test_text_nodes_of_50_nested_divs_are_all_kept() -> None:
    html = page(NAV + "".join(f"<div>{s}" for s in SENTENCES) + "</div>" * 50)
    body = article(html).body
    assert all(s in body for s in SENTENCES)


def test_text_nodes_split_by_br_inside_nested_divs_are_all_kept() -> None:
    html = page(NAV + "<div class='c'>" + "".join(f"<div>{s}<br>" for s in SENTENCES) + "</div>" * 50 + "</div>")
    body = article(html).body
    assert all(s in body for s in SENTENCES)


def test_text_starting_with_inline_markup_counts_as_a_paragraph() -> None:
    # the text node of the <div> starts after a <b>: still the div's own text
    html = page(
        NAV
        + "<div class='forum-post'>"
        + "".join(f"<b>{i}.</b> {s}<br><br>" for i, s in enumerate(SENTENCES[:8]))
        + "</div>"
        + SIDEBAR_LINKS
    )
    body = article(html).body
    assert all(s in body for s in SENTENCES[:8])
    assert "Another story about the town" not in body


# ---- articles cut into sibling chunks ---------------------------------------------------------------


def test_article_split_into_chunks_by_an_ad_and_a_figure_is_kept_whole() -> None:
    chunks = (
        f"<div class='text-block'><p>{P1}</p><p>{P2}</p></div>"
        "<div class='ad-slot'>Advertisement</div>"
        f"<div class='text-block'><p>{P3}</p></div>"
        "<figure><img src='x.jpg'><figcaption>The harbour at dawn</figcaption></figure>"
        f"<div class='text-block'><p>{P4}</p></div>"
    )
    html = page(
        NAV
        + f"<main><div class='wrap'><div class='row'><div class='col'>{chunks}</div></div></div></main>"
        + SIDEBAR_LINKS
    )
    body = article(html).body
    for p in (P1, P2, P3, P4):
        assert p in body
    assert "Advertisement" not in body
    assert "Another story about the town" not in body


def test_chunks_in_separate_wrappers_several_levels_apart_are_merged() -> None:
    def block(p: str) -> str:
        return (
            "<section class='content-section'><div class='wrapper'><div class='row'><div"
            f" class='col'><p>{p}</p></div></div></div></section>"
        )

    html = page(NAV + "<main><div class='article'>" + "".join(block(p) for p in (P1, P2, P3, P4)) + "</div></main>")
    body = article(html).body
    for p in (P1, P2, P3, P4):
        assert p in body


def test_a_link_list_beside_the_article_is_not_merged_in() -> None:
    # must not change: widening takes prose, never a column of links
    html = page(f"<div class='page'><div class='story'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>{SIDEBAR_LINKS}</div>")
    body = article(html).body
    assert P1 in body and P3 in body
    assert "Another story about the town" not in body


# ---- code listings and tables in the article ------------------------------------------------------


def test_pre_listing_and_table_rows_inside_the_article_are_kept() -> None:
    html = page(
        NAV + f"<article><p>{P1}</p><pre>def area(r):\n    return 3.14 * r * r</pre><p>{P2}</p>"
        "<table><tr><th>Year</th><th>Visitors</th></tr><tr><td>2019</td><td>41,200</td></tr></table>"
        f"<p>{P3}</p></article>"
    )
    body = article(html).body
    assert "def area(r):" in body and "return 3.14 * r * r" in body
    assert "Year Visitors" in body and "2019 41,200" in body
    assert P3 in body


# ---- fallbacks instead of no_text ------------------------------------------------------------------


def test_post_shipped_as_an_html_template_script_is_extracted() -> None:
    template = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"
    html = page(NAV + f"<div class='post'><script type='text/template'>{template}</script></div>")
    a = article(html)
    assert P1 in a.body and P3 in a.body


def test_page_without_paragraphs_falls_back_to_its_readable_blocks() -> None:
    # a product page: short headings and list items, no <p>; the best "container" is a link bar
    features = [
        "A sealed steel case keeps the battery dry in heavy rain",
        "Three brightness levels, from a reading light to a beam for the trail",
        "Charges from any USB port in about four hours",
        "Weighs less than a cup of coffee and fits a jacket pocket",
    ]
    items = "".join(f"<li>{f}</li>" for f in features)
    html = page(
        "<div class='bar'><a href='/a'>Shop</a> <a href='/b'>Help</a></div>"
        f"<div class='product'><h2>Lantern X2</h2><ul>{items}</ul></div>"
    )
    body = article(html).body
    assert all(f in body for f in features)


def test_short_lines_outside_any_paragraph_are_kept_over_a_one_line_note() -> None:
    # lyrics/slideshow-like pages: every line is shorter than a paragraph; the only "paragraph"
    # is a one-line note, which must not become the whole body
    lines = [
        "Moonlight on the water",
        "I walk the road alone",
        "the lanterns burning low",
        "and every door is closed",
        "I hear the river call",
        "it sings of years ago",
        "the bridge and the bay",
        "and you are far away",
        "the gulls are asleep",
        "the tide is coming in",
        "a boat without a name",
        "drifts to the pier",
    ]
    html = page(
        "".join(f"<div class='line'>{x}</div>" for x in lines)
        + "<div class='note'><p>Lyrics shared for study and review only.</p></div>"
    )
    body, _, method = html_reader.extract_html(html)
    assert method == "readable"
    assert all(x in body for x in lines)


def test_page_with_no_body_text_uses_its_description_with_a_warning() -> None:
    head = '<meta name="description" content="A short summary of the story that the page itself declares.">'
    a = article(page("<div id='app'></div>", head=head))
    assert a.body == "A short summary of the story that the page itself declares."
    assert "body_from_description" in [w.code for w in a.warnings]


def test_page_with_no_text_at_all_is_still_no_text() -> None:
    # must not change: nothing readable, nothing declared
    with pytest.raises(IngestError) as e:
        article(page("<div id='app'></div>"))
    assert e.value.code == "no_text"


# ---- trees too large to analyse: bounded work, text kept, a warning --------------------------------


def test_count_elements_stops_at_the_limit() -> None:
    root = parse_html(page("<p>x</p>" * 500))
    assert count_elements(root, 100) == 101
    assert count_elements(root, 10_000) == 504  # html, head, meta, body + 500


def test_simplify_inline_keeps_the_text_and_merges_it() -> None:
    root = simplify_inline(parse_html(page("<div>" + "<i>ab</i>" * 1000 + "</div>")))
    div = root.find("body/div")
    assert div is not None and div.text == "ab" * 1000
    assert len(div) == 0


def test_plain_paragraphs_keeps_every_block_apart() -> None:
    text = plain_paragraphs(parse_html(page("<p>one</p><div>two<p>three</p>four</div><script>x()</script>")))
    assert text == "one\n\ntwo\n\nthree\n\nfour"


def test_a_flood_of_inline_elements_is_simplified_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_reader, "MAX_ELEMENTS", 1_000)
    html = page(f"<p>{P1}</p><p>" + "<i>word </i>" * 5_000 + "</p>")
    a = article(html)
    assert P1 in a.body and a.body.count("word") == 5_000
    assert "html_simplified" in [w.code for w in a.warnings]


def test_a_flood_of_block_elements_is_rendered_plainly_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_reader, "MAX_ELEMENTS", 1_000)
    html = page(f"<p>{P1}</p>" + "<p>tiny</p>" * 5_000)
    a = article(html)
    assert P1 in a.body and a.body.count("tiny") == 5_000
    assert "html_too_complex" in [w.code for w in a.warnings]


def test_an_xpath_limit_error_degrades_instead_of_escaping(monkeypatch: pytest.MonkeyPatch) -> None:
    # libxml2 raises XPathEvalError past 10 M nodes in one node-set; whatever raises it, the page
    # still gives its text, never a traceback or internal_error
    def boom(root: etree._Element) -> None:
        raise etree.XPathEvalError("XPath node set limit exceeded")

    monkeypatch.setattr(html_reader, "page_hints", boom)
    a = article(page(f"<p>{P1}</p><p>{P2}</p>"))
    assert a.body == f"{P1}\n\n{P2}"
    assert "html_too_complex" in [w.code for w in a.warnings]


def test_work_on_a_large_inline_flood_grows_linearly() -> None:
    # n vs 4n elements over the real limit: a ratio, not an absolute time
    import time

    def run(n: int) -> float:
        html = page(f"<p>{P1}</p><div>" + "<b>a</b> " * n + "</div>")
        start = time.perf_counter()
        html_reader.extract_html(html)
        return time.perf_counter() - start

    small, large = run(html_reader.MAX_ELEMENTS + 10_000), run(4 * (html_reader.MAX_ELEMENTS + 10_000))
    assert large < 12 * small


# ---- the title of a dropped link list goes with it ---------------------------------------------------


def test_title_of_a_related_links_list_inside_the_article_goes_with_the_list() -> None:
    links = (
        "<ul>"
        + "".join(f"<li><a href='/r{i}'>Another story about the harbour number {i}</a></li>" for i in range(4))
        + "</ul>"
    )
    html = page(NAV + f"<article><p>{P1}</p><p>{P2}</p><h3>More on this topic</h3>{links}<p>{P3}</p></article>")
    body = article(html).body
    assert "More on this topic" not in body and "Another story" not in body
    assert P1 in body and P3 in body


def test_a_subheading_before_prose_stays() -> None:
    # must not change: only a title directly before a dropped list goes
    html = page(NAV + f"<article><p>{P1}</p><h3>What the residents said</h3><p>{P4}</p><p>{P2}</p></article>")
    assert "What the residents said" in article(html).body


# ---- a standfirst styled apart from the body --------------------------------------------------------

LEAD = "The town will rebuild its harbour wall after the winter storms, the council decided on Monday."


def test_a_standfirst_just_before_the_body_is_kept_first() -> None:
    html = page(
        NAV + "<article><h1>Harbour wall to be rebuilt</h1><div class='story'>"
        f"<div class='article-lead'>{LEAD}</div><div class='article-text'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
        "</div></article>" + SIDEBAR_LINKS
    )
    body = article(html).body
    assert body.startswith(LEAD) and P1 in body and P3 in body


def test_a_standfirst_pruned_with_its_header_is_recovered() -> None:
    # the lead sits in a <header> that pruning removes, beside the body inside the same <article>
    html = page(
        NAV + f"<article><header><p class='intro'>{LEAD}</p></header>"
        f"<div class='entry'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></article>"
    )
    body = article(html).body
    assert body.startswith(LEAD) and P3 in body


def test_a_standfirst_grouped_with_the_headline_stays_out() -> None:
    # must not change: the headline's own block (h1 + dek) is the page header, not the body
    tags = ("Harbour news", "Council meetings", "Storm season", "Weather reports")
    labels = "".join(f"<a href='/tag/{x}'>{x}</a> " for x in tags)
    html = page(
        NAV + "<div class='page'><div class='head'><h1>Harbour wall to be rebuilt</h1>"
        f"<p class='dek'>{LEAD}</p><div class='labels'>{labels}</div></div>"
        f"<div class='article-text'><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p></div></div>"
    )
    body = article(html).body
    assert LEAD not in body and body.startswith(P1)


def test_a_teaser_of_another_story_is_no_standfirst() -> None:
    # must not change: a teaser inside a list of links to other stories is not this article's lead
    teasers = (
        "<ul>"
        + "".join(
            f"<li><a href='/t{i}'>Story {i}</a>"
            f"<p class='teaser'>A quite different story about the county fair number {i}.</p></li>"
            for i in range(2)
        )
        + "</ul>"
    )
    text = f"<div class='article-text'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
    html = page(NAV + f"<div class='main'>{teasers}{text}</div>")
    body = article(html).body
    assert "county fair" not in body and body.startswith(P1)


def test_a_standfirst_already_in_the_body_is_not_repeated() -> None:
    html = page(
        NAV + f"<article><div class='body'><p class='lead'>{LEAD}</p><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></article>"
    )
    assert article(html).body.count(LEAD) == 1


# ---- notices about scripts ----------------------------------------------------------------------------


def test_a_notice_that_a_widget_needs_javascript_is_dropped() -> None:
    html = page(NAV + f"<article><p>{P1}</p><p>This slideshow requires JavaScript.</p><p>{P2}</p><p>{P3}</p></article>")
    body = article(html).body
    assert "JavaScript" not in body and P2 in body


def test_prose_that_mentions_javascript_stays() -> None:
    # must not change: a sentence about JavaScript in a longer paragraph is article text
    text = (
        "Developers who enable JavaScript modules in the new build tool report that pages load faster, "
        "and the maintainers say more of the old plugins will be ported over the next releases."
    )
    html = page(NAV + f"<article><p>{P1}</p><p>{text}</p><p>{P2}</p></article>")
    assert text in article(html).body


# ---- rights notices and citation lines ---------------------------------------------------------------


@pytest.mark.parametrize(
    "notice",
    [
        "This document is subject to copyright. No part may be reproduced without the written permission.",
        "Copyright 2024 The Harbour Gazette. All rights reserved.",
        "Like this story? Share it with a friend!",
        "Citation: Harbour wall to be rebuilt (2024, March 3) retrieved 4 March 2024 from https://example.org/n/wall",
    ],
)
def test_short_rights_notices_share_prompts_and_citation_lines_are_dropped(notice: str) -> None:
    html = page(NAV + f"<article><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{notice}</p></article>")
    body = article(html).body
    assert notice not in body and P3 in body


def test_a_long_paragraph_quoting_a_rights_phrase_stays() -> None:
    # must not change: prose about copyright is article text
    text = (
        "The publisher argued in court that the old maps were still subject to copyright, while the museum said "
        "the drawings had been in the public domain for decades and could be shown to anyone who asked for them, "
        "and the judge will decide in June after hearing from both sides and from the historians they called."
    )
    html = page(NAV + f"<article><p>{P1}</p><p>{text}</p><p>{P2}</p></article>")
    assert text in article(html).body


# ---- headings left at the end with nothing under them ------------------------------------------------


def test_a_heading_left_at_the_end_of_the_body_goes() -> None:
    # the widget under "You might also like" was pruned; its title must not end the article
    html = page(
        NAV + f"<article><p>{P1}</p><p>{P2}</p><p>{P3}</p><h3>You might also like</h3>"
        "<div class='related-posts'><a href='/x'>Another story about the harbour</a></div><h4>Comments</h4></article>"
    )
    body = article(html).body
    assert body.endswith(P3)


def test_a_heading_followed_by_text_or_ending_a_sentence_stays() -> None:
    # must not change: a subheading with text under it, and a last heading that is a sentence
    html = page(
        NAV + f"<article><p>{P1}</p><h2>What the residents said</h2><p>{P4}</p>"
        "<h2>The council will decide in May.</h2></article>"
    )
    body = article(html).body
    assert "What the residents said" in body and body.endswith("The council will decide in May.")


# ---- slideshow pages: the captions are the text ------------------------------------------------------


def _figure(i: int, caption: str) -> str:
    return f"<figure class='slide'><img src='/p{i}.jpg'><figcaption>{caption}</figcaption></figure>"


CAPTIONS = [
    f"Costume {i}: an old sheet, two safety pins and a marker make a ghost that any child can wear to school."
    for i in range(5)
]


def test_a_slideshow_page_keeps_its_captions() -> None:
    slides = "".join(_figure(i, c) for i, c in enumerate(CAPTIONS))
    html = page(NAV + f"<article class='gallery'>{slides}</article>")
    body = article(html).body
    assert all(c in body for c in CAPTIONS)


def test_captions_beside_an_article_stay_out() -> None:
    # must not change: an article with two photo captions keeps its prose, not the captions
    figures = _figure(1, CAPTIONS[0]) + _figure(2, CAPTIONS[1])
    html = page(NAV + f"<article><p>{P1}</p>{figures}<p>{P2}</p><p>{P3}</p><p>{P4}</p></article>")
    body = article(html).body
    assert CAPTIONS[0] not in body and P4 in body


# ---- a sentence whose words are mostly links ----------------------------------------------------------


def test_a_sentence_of_mostly_linked_names_stays() -> None:
    linked = (
        "<p>The report was written by <a href='/a'>Anna Berg of the Harbour Trust</a> and "
        "<a href='/b'>the County Engineering Office in Brekka</a>.</p>"
    )
    html = page(NAV + f"<article><p>{P1}</p>{linked}<p>{P2}</p><p>{P3}</p></article>")
    assert "the County Engineering Office in Brekka." in article(html).body


def test_a_paragraph_that_is_a_linked_headline_still_goes() -> None:
    # must not change: a link to another story, no sentence end, is not article text
    html = page(
        NAV + f"<article><p>{P1}</p><p>More: <a href='/x'>Harbour wall to be rebuilt after the winter storms</a></p>"
        f"<p>{P2}</p><p>{P3}</p></article>"
    )
    assert "Harbour wall to be rebuilt" not in article(html).body
