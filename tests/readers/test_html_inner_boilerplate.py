"""Boilerplate kept inside the chosen article container, by failure class: calls to action that end
the body, each with pages where the rule must NOT remove text (prose that mentions the same words)."""

from __future__ import annotations

import pytest

from ingest import clean_article

P1 = "The council met on Monday and agreed to publish its findings before the end of the month, officials said."
P2 = "Members asked for a public hearing in the spring, and the chair promised to set a date within two weeks."
P3 = "A final report is expected in the autumn, after the consultation closes and the responses have been read."
NAV = "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>{body}</body></html>'


def body_of(inner: str) -> str:
    return clean_article(page(NAV + f"<article>{inner}</article>"), path="t.html").body


# ---- calls to action that end the body ---------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        "For the latest stories download the Gazette app for iOS and Android.",
        "Do you want to be informed of our actions? Sign up here",
        "Síguenos en Telegram, Instagram y Twitter para recibir todas nuestras actualizaciones",
        "Möchten Sie den Artikel teilen?",
        "Abonnieren Sie unseren Newsletter und verpassen Sie nichts mehr.",
        "If you enjoyed reading this post, would you consider supporting our work? Thanks!",
    ],
)
def test_a_call_to_action_that_ends_the_body_goes(call: str) -> None:
    body = body_of(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{call}</p>")
    assert call not in body and body.endswith(P3)


def test_several_calls_and_their_title_at_the_end_go_together() -> None:
    body = body_of(
        f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>Stay in touch</p>"
        "<p>Subscribe to our newsletter for the week's news.</p><p>Follow us on Facebook and Instagram.</p>"
    )
    assert body.endswith(P3)


def test_a_paragraph_about_a_newsletter_in_the_middle_stays() -> None:
    # must not change: the article is about a newsletter; only the end of the body is trimmed
    text = "The newsletter, which readers can subscribe to for free, now reaches ten thousand homes in the valley."
    body = body_of(f"<p>{P1}</p><p>{text}</p><p>{P2}</p><p>{P3}</p>")
    assert text in body


def test_a_long_last_paragraph_that_mentions_subscribers_stays() -> None:
    # must not change: prose longer than a call to action, even at the end
    text = (
        "The service said it had signed up more subscribers in the first week than it expected for the whole year, "
        "and analysts who follow the company expect the figure to double once the offer reaches other countries, "
        "though the price of the subscription will rise in the spring and some families may then cancel it, "
        "as they did when the other services raised their prices last year."
    )
    body = body_of(f"<p>{P1}</p><p>{P2}</p><p>{text}</p>")
    assert body.endswith(text)


# ---- comment sections named in other languages, and their labels ---------------------------------------


@pytest.mark.parametrize("name", ["kommentare", "kommentarModul", "commentaires", "comentarios", "respond", "replys"])
def test_a_comment_section_named_in_another_language_goes(name: str) -> None:
    comment = "Danke für diesen schönen Bericht, ich war letztes Jahr auch dort und es hat mir sehr gefallen."
    body = body_of(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><section class='{name}'><p>{comment}</p></section>")
    assert comment not in body and P3 in body


def test_a_container_named_responsive_is_no_comment_section() -> None:
    # must not change: "responsive" is not "respond"
    body = body_of(f"<div class='story responsive'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>")
    assert P1 in body and P3 in body


@pytest.mark.parametrize(
    "label",
    [
        "3 Kommentare",
        "No comments",
        "Leave a reply",
        "Kommentar schreiben",
        "Kommentieren",
        "You must be logged in to post a comment.",
        "Sie sind aktuell nicht eingeloggt.",
        "(0 commentaires)",
    ],
)
def test_comment_labels_inside_the_article_go(label: str) -> None:
    body = body_of(f"<p>{P1}</p><p>{P2}</p><div>{label}</div><p>{P3}</p>")
    assert label not in body and P3 in body


def test_a_sentence_about_comments_stays() -> None:
    # must not change: a sentence that starts like a label is prose
    text = "No comments were received by the council before the deadline, the clerk told the meeting on Friday."
    body = body_of(f"<p>{P1}</p><p>{text}</p><p>{P2}</p>")
    assert text in body


# ---- picture credits and filing lines --------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Titelbild: Jane Doe/Agency/picture-alliance",
        "(Credit: John Smith / Harbour Gazette)",
        "Foto: dpa",
        "Jane Doe, photo: Archives of the Council",
        "Kategorie: News, Politik",
        "Veröffentlicht unter Allgemein, Film",
        "Posted in Travel | Tagged harbour, ferry",
        "This entry was posted on Monday, March 3rd, 2024 and is filed under Local news.",
        "Aktualisiert am 17.01.2021.",
    ],
)
def test_credit_and_filing_lines_inside_the_article_go(line: str) -> None:
    body = body_of(f"<p>{P1}</p><p>{line}</p><p>{P2}</p><p>{P3}</p>")
    assert line not in body and P1 in body and P2 in body


def test_prose_that_starts_like_a_credit_or_filing_line_stays() -> None:
    # must not change: a long caption that describes the picture, and prose about categories
    caption = "Cover image: an artist's impression of the new harbour wall and the lights along the ferry pier at night"
    text = "Categories of housing that the council will fund include social rent, shared ownership and care homes."
    body = body_of(f"<p>{P1}</p><p>{caption}</p><p>{text}</p><p>{P2}</p>")
    assert caption in body and text in body


# ---- an author box or further reading that ends the article's container ----------------------------------


@pytest.mark.parametrize(
    "title", ["Über den Autor", "About the author", "Das könnte Sie auch interessieren", "Lire aussi"]
)
def test_a_section_titled_as_author_box_or_further_reading_at_the_end_goes(title: str) -> None:
    bio = "Jane Doe has written about the harbour towns of the coast for twenty years and lives near the pier."
    body = body_of(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P1}</p><h3>{title}</h3><p>{bio}</p>")
    assert title not in body and bio not in body and P3 in body


@pytest.mark.parametrize("title", ["Bildnachweis", "Image credits", "Fotos", "Crédits photos"])
def test_a_picture_credits_section_at_the_end_goes_with_what_follows(title: str) -> None:
    shop = "Empfehlungen aus unserem Shop für den Garten"
    body = body_of(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P1}</p><h3>{title}</h3><p>Agency/J. Doe</p><div>{shop}</div>")
    assert title not in body and "Agency/J. Doe" not in body and shop not in body and body.endswith(P1)


def test_a_picture_credits_title_before_most_of_the_text_stays() -> None:
    # must not change: a "Fotos" heading followed by most of the article is a section of it
    body = body_of(f"<p>{P1}</p><h3>Fotos</h3><p>{P2}</p><p>{P3}</p><p>{P1} {P2}</p>")
    assert "Fotos" in body and P3 in body


def test_the_same_title_before_much_of_the_text_stays() -> None:
    # must not change: what follows the title is most of the article, so it is no box at the end
    body = body_of(f"<p>{P1}</p><h3>Weitere Informationen</h3><p>{P2}</p><p>{P3}</p><p>{P1} {P2}</p>")
    assert "Weitere Informationen" in body and P3 in body


# ---- a list of links titled by the list's own text ------------------------------------------------------------


def test_a_link_list_titled_in_its_own_text_goes_with_its_title() -> None:
    links = "".join(f"<li><a href='/s{i}'>Another story about the harbour, part {i}</a></li>" for i in range(3))
    body = body_of(f"<p>{P1}</p><p>{P2}</p><ul>Articles on this topic{links}</ul><p>{P3}</p>")
    assert "Articles on this topic" not in body and "Another story" not in body and P3 in body


def test_a_list_of_prose_items_keeps_its_own_text() -> None:
    # must not change: the list's items are kept, so the text above them stays too
    items = f"<li>{P2}</li><li>{P3}</li>"
    body = body_of(f"<p>{P1}</p><ul>What the council agreed{items}</ul>")
    assert "What the council agreed" in body and P3 in body


# ---- advertising labels, licence and source lines, citation suggestions, tables of contents ------------


@pytest.mark.parametrize(
    "line",
    [
        "*Werbung. Dieser Beitrag enthält Werbung für eine Modemarke.",
        "ANZEIGE - Heute mal ausgehen?",
        "Sponsored",
        "Dieser Text wurde veröffentlicht unter der Lizenz CC-BY-NC-ND-4.0-DE.",
        "Sofern nicht anders ausgewiesen, stehen Inhalte dieser Website unter CC-BY.",
        "Quelle: Deutscher Verband, 02. Februar 2022, Berlin",
        "SUGGESTED CITATION Doe, Jane: The harbour, Gazette, 2020/4/09, https://example.org/harbour/.",
    ],
)
def test_ad_labels_licence_source_and_citation_lines_go(line: str) -> None:
    body = body_of(f"<p>{P1}</p><p>{line}</p><p>{P2}</p><p>{P3}</p>")
    assert line not in body and P1 in body and P2 in body


def test_prose_that_starts_with_an_ad_word_stays() -> None:
    # must not change: a sentence about advertising is text
    text = "Werbung im Fernsehen wird teurer, sagen die Sender, und die Kunden buchen lieber Anzeigen im Netz."
    body = body_of(f"<p>{P1}</p><p>{text}</p><p>{P2}</p>")
    assert text in body


def test_a_table_of_contents_box_goes_with_its_title() -> None:
    toc = "<div class='ez-toc-container'><p>Inhaltsverzeichnis</p><ul><li><a href='#a'>Erstens</a></li></ul></div>"
    body = body_of(f"<p>{P1}</p>{toc}<p>{P2}</p><p>{P3}</p>")
    assert "Inhaltsverzeichnis" not in body and P2 in body


# ---- a call to the reader in the middle of the body ---------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    ["Werden Sie Mitglied und erhalten Sie exklusive Angebote!", "Subscribe to our newsletter for the week's news."],
)
def test_a_short_call_to_the_reader_in_the_middle_goes(call: str) -> None:
    body = body_of(f"<p>{P1}</p><p>{call}</p><p>{P2}</p><p>{P3}</p>")
    assert call not in body and P2 in body


def test_a_sentence_about_subscribers_in_the_middle_stays() -> None:
    # must not change: the words of a call to action, but nobody is addressed
    text = "The company continued to sign up new subscribers throughout the week, the chief executive said."
    body = body_of(f"<p>{P1}</p><p>{text}</p><p>{P2}</p><p>{P3}</p>")
    assert text in body


# ---- author boxes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["author-box", "saboxplugin-wrap", "about-the-author", "row authorbox"])
def test_an_author_box_inside_the_article_goes(name: str) -> None:
    bio = "Jane Doe has written about the harbour towns of the coast for twenty years and lives near the pier."
    body = body_of(f"<p>{P1}</p><div class='{name}'><p>{bio}</p></div><p>{P2}</p><p>{P3}</p>")
    assert bio not in body and P3 in body


def test_a_description_in_an_author_box_is_no_standfirst() -> None:
    bio = "Jane Doe leads the politics desk of the Gazette and reported from the capital for many years."
    html = page(
        NAV + f"<div class='main'><div class='author-box'><div class='description'><p>{bio}</p></div></div>"
        f"<div class='text'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></div>"
    )
    body = clean_article(html, path="t.html").body
    assert bio not in body and P1 in body


def test_a_container_whose_name_only_starts_like_author_box_stays() -> None:
    # must not change: "author-boxing-news" is no author box
    body = body_of(f"<div class='author-boxing-news'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>")
    assert P1 in body and P3 in body


# ---- numbered figure captions and app-store promos --------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Abbildung 4: klassische Schwachschicht. Der Unterschied der Schichten ist klar ersichtlich.",
        "Figure 2: the harbour wall before the storm",
        "Lesen Sie das Magazin digital in der App (iTunes und Google Play) oder bestellen Sie es im Shop.",
    ],
)
def test_figure_captions_and_app_promos_inside_the_article_go(line: str) -> None:
    body = body_of(f"<p>{P1}</p><p>{line}</p><p>{P2}</p><p>{P3}</p>")
    assert line not in body and P2 in body


def test_a_sentence_that_refers_to_a_figure_stays() -> None:
    # must not change: prose that points at a figure is text
    text = "Figures from the council show that the ferry carried more people in March than in any month since 2019."
    body = body_of(f"<p>{P1}</p><p>{text}</p><p>{P2}</p>")
    assert text in body


# ---- picture wrappers, newsletter boxes and flyouts by name ---------------------------------------------------


@pytest.mark.parametrize(
    "box",
    [
        "<div class='imginline'><img src='a.jpg'><span>Farbige Darstellung der Schneehöhen im Tal</span></div>",
        "<div class='visual inline'><div class='description'>Eine kleine Aussparung für die Kamera</div></div>",
        "<div class='news-letter-section'><p>News, Tipps und Trends: wir haben spannende Themen für dich!</p></div>",
        "<div class='c-flyout'><p>Helfen Sie mit! Jede kleine Gabe hilft den Menschen vor Ort.</p></div>",
    ],
)
def test_picture_wrappers_newsletter_boxes_and_flyouts_go(box: str) -> None:
    body = body_of(f"<p>{P1}</p>{box}<p>{P2}</p><p>{P3}</p>")
    assert body == "\n\n".join((P1, P2, P3))


def test_a_text_block_beside_a_picture_stays() -> None:
    # must not change: a module named for text and image holds article text
    body = body_of(f"<p>{P1}</p><div class='text-image'><p>{P2}</p></div><p>{P3}</p>")
    assert P2 in body


def test_a_live_blog_update_paragraph_stays() -> None:
    # must not change: an update with its news is text, only a bare time stamp line goes
    text = "Updated on 3 March at 5pm: the council said the ferry will run again on Monday after the storm."
    body = body_of(f"<p>{P1}</p><p>{text}</p><p>{P2}</p>")
    assert text in body


def test_a_quoted_call_at_the_end_stays() -> None:
    # must not change: the call is someone's words, reported in the article
    text = "“Come and join us on Saturday,” the chair of the harbour society said."
    body = body_of(f"<p>{P1}</p><p>{P2}</p><p>{text}</p>")
    assert body.endswith(text)


def test_a_last_sentence_with_follow_them_stays() -> None:
    # must not change: "follow them" without "on" (a network) is prose
    text = "Officers asked the drivers to follow them to the station, where the cars were checked."
    body = body_of(f"<p>{P1}</p><p>{P2}</p><p>{text}</p>")
    assert body.endswith(text)
