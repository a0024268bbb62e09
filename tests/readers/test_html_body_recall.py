"""Body extraction, recall by failure class: article text that the container choice or pruning
lost (an intro set apart before the body, …), each with cases that must not change."""

from __future__ import annotations

from ingest import clean_article

P1 = "The council met on Monday and agreed to publish its findings before the end of the month, officials said."
P2 = "Members asked for a public hearing in the spring, and the chair promised to set a date within two weeks."
P3 = "A final report is expected in the autumn, after the consultation closes and the responses have been read."
P4 = "Residents who wrote in asked mostly about parking, the bus timetable and the opening hours of the library."
# the body: long enough that a short element beside it is not merged in by widening
TEXT = "".join(f"<p>{p}</p>" for p in (P1, P2, P3, P4) * 3)
NAV = "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def body_of(html: str) -> str:
    return clean_article(html, path="t.html").body


# ---- an intro paragraph set apart before the body's wrapper ----------------------------------------

INTRO = (
    "The harbour wall that the winter storms broke in three places will be rebuilt by the end of next year. "
    "The council found the money in its reserves, and the work is to start as soon as the spring tides allow."
)
DECK = "The council finds the money for the harbour wall in its reserves, and work starts in the spring."


def _with_intro(intro: str) -> str:
    return page(
        NAV + "<div class='page'><div class='top'><h2>Harbour wall to be rebuilt</h2>"
        f"<div class='box'><p><strong>{intro}</strong></p></div></div>"
        f"<div class='row'><div class='col'><div class='text'>{TEXT}</div></div></div></div>"
    )


def test_an_intro_of_sentences_before_the_body_wrapper_is_kept_first() -> None:
    body = body_of(_with_intro(INTRO))
    assert body.startswith(INTRO) and P4 in body
    assert "Harbour wall to be rebuilt" not in body  # the heading beside it stays out


def test_a_one_sentence_deck_before_the_body_stays_out() -> None:
    # must not change: a deck under the headline is no part of the body
    body = body_of(_with_intro(DECK))
    assert DECK not in body and body.startswith(P1)


def test_an_intro_that_repeats_the_opening_paragraph_is_not_added() -> None:
    # must not change: a summary copy of the first paragraphs is not said twice
    copy = f"{P1} {P2}"
    body = body_of(_with_intro(copy))
    assert body.startswith(P1) and body.count(P2) == 3  # as often as the body itself has it


def test_a_byline_between_an_intro_and_the_body_stops_the_search() -> None:
    # must not change: the nearest text before the body is a byline, not prose: nothing is added
    html = page(
        NAV + f"<div class='page'><div class='box'><p>{INTRO}</p></div><div class='by'>By Anna Berg, 3 May</div>"
        f"<div class='text'>{TEXT}</div></div>"
    )
    body = body_of(html)
    assert INTRO not in body and body.startswith(P1)


# ---- a page built of name-pruned parts: overlays stay out when the names are given back -------------

LOGIN = (
    "<div class='login-modal'><form><h2>Log in</h2><p>Log in with your account to save articles, follow topics and "
    "comment, and to see the newsletters you subscribed to, the recordings you saved and the settings of your "
    "profile on every device you use, at home, at work and on the road.</p>"
    "<p>Please fill in every field marked with a star, and check that the address you give is one that you can "
    "read, since the confirmation is sent there and is valid for one day only, after which you must start again."
    "</p></form></div>"
)
CARD = (
    "<div class='card'><div class='card-caption'><p>The ferry to the islands runs again from Monday, after the "
    "storm damage to the pier was repaired. Extra sailings are planned for the weekend.</p></div></div>"
)


def test_a_page_of_cards_keeps_its_cards_and_drops_a_login_dialog() -> None:
    body = body_of(page(NAV + f"<main>{CARD}</main>{LOGIN}"))
    assert "The ferry to the islands runs again" in body and "Log in with your account" not in body


def test_a_page_of_cards_without_overlays_keeps_its_cards() -> None:
    # must not change: names that would take all the text are given back
    body = body_of(page(NAV + f"<main>{CARD}</main>"))
    assert "The ferry to the islands runs again" in body


# ---- a standfirst grouped with the headline that reads as an intro ---------------------------------


def _headed(lead: str) -> str:
    return page(
        NAV + "<div class='page'><div class='head'><h1>Harbour wall to be rebuilt</h1>"
        f"<p class='dek'>{lead}</p></div><div class='by'>By Anna Berg</div><div class='article-text'>{TEXT}</div></div>"
    )


def test_an_intro_of_sentences_grouped_with_the_headline_is_kept_first() -> None:
    body = body_of(_headed(INTRO))
    assert body.startswith(INTRO) and "Harbour wall to be rebuilt" not in body


def test_a_one_sentence_deck_grouped_with_the_headline_stays_out() -> None:
    # must not change: the headline's deck is the page header's
    body = body_of(_headed(DECK))
    assert DECK not in body and body.startswith(P1)


BIO = "Anna Berg writes about the harbour, the ferries and the town council for the paper since 2009."


def test_an_author_description_is_no_standfirst_the_lead_before_it_is() -> None:
    html = page(
        NAV + f"<article><div class='top'><p class='lead'>{DECK}</p></div>"
        f"<div class='author-box'><p class='description'>{BIO}</p></div><div class='text'>{TEXT}</div></article>"
    )
    body = body_of(html)
    assert body.startswith(DECK) and BIO not in body


def test_a_lone_author_description_before_the_body_is_not_taken() -> None:
    # must not change: with no standfirst, nothing is put before the body
    html = page(
        NAV + f"<article><div class='author-box'><p class='description'>{BIO}</p></div>"
        f"<div class='text'>{TEXT}</div></article>"
    )
    body = body_of(html)
    assert body.startswith(P1) and BIO not in body


# ---- a standfirst four levels above the body; a "teaser" that holds no sentence --------------------


def _deep_body(lead_html: str) -> str:
    # the standfirst sits in the page's <header> under <main>; the body four wrappers down from <main>
    return page(
        NAV + f"<main><header class='entry-header'>{lead_html}</header>"
        f"<div class='main-content'><article class='post'><div class='entry-content'>"
        f"<div class='article-text'>{TEXT}</div></div></article></div></main>"
    )


def test_a_standfirst_four_levels_above_the_body_is_kept_first() -> None:
    body = body_of(_deep_body(f"<div class='lead'>{DECK}</div>"))
    assert body.startswith(DECK) and P4 in body


def test_a_teaser_of_a_date_and_a_title_is_no_standfirst() -> None:
    # must not change: a "teaser" element that holds labels and a title, no sentence, is not put first
    teaser = (
        "<div class='teaser'><span>Home</span> / <span>News</span>"
        "<div>12.03.2021 | Open day at the harbour</div></div>"
    )
    body = body_of(_deep_body(teaser))
    assert body.startswith(P1) and "Open day at the harbour" not in body


def test_a_standfirst_five_levels_above_the_body_stays_out() -> None:
    # must not change: further up than that, a "lead" element is another part of the page
    html = page(
        NAV + f"<main><div class='lead'>{DECK}</div><div class='wrap'><div class='main-content'>"
        f"<article class='post'><div class='entry-content'><div class='article-text'>{TEXT}</div></div></article>"
        "</div></div></main>"
    )
    body = body_of(html)
    assert DECK not in body and body.startswith(P1)


# ---- a sidebar of long boxes beside a short post ---------------------------------------------------

NOTICE = (
    "<p>The copyright of all texts and photos on this blog stays with the author, and anyone who wants to use "
    "them elsewhere is asked to write first and to name the source wherever they appear.</p>"
    "<p>This blog links to other sites now and then. The author has no influence on what those sites say or on "
    "how they change, and takes no responsibility for their content at the time of reading or later.</p>"
)
SHORT_POST = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"


def test_a_long_sidebar_beside_a_short_post_stays_out() -> None:
    html = page(
        NAV + f"<div class='wrapper'><div class='content'><div class='entry'>{SHORT_POST}</div></div>"
        f"<div class='sidebar'><div class='widget widget_text'>{NOTICE}{NOTICE}</div></div></div>"
    )
    body = body_of(html)
    assert P3 in body and "copyright of all texts" not in body


def test_a_wrapper_named_with_sidebar_keeps_the_post() -> None:
    # must not change: "page-with-sidebar" names the page layout that holds the article, not a sidebar
    html = page(NAV + f"<div class='page-with-sidebar'><div class='entry'>{SHORT_POST}{TEXT}</div></div>")
    body = body_of(html)
    assert body.startswith(P1) and P4 in body
