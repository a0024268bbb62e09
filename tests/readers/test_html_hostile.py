"""Hostile HTML: deep nesting, external entities, network access, odd documents."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from ingest import IngestError, clean_article
from ingest.readers.htmltree import MAX_DEPTH, flatten_deep, parse_html

PROSE = "The committee met again on Monday and agreed to publish its findings before the end of the month."


def _nested(depth: int, tag: str = "div") -> str:
    return (
        f"<html><body><p>{PROSE}</p>"
        + f"<{tag}>" * depth
        + "DEEPMARKER is the last sentence of this page."
        + f"</{tag}>" * depth
        + "</body></html>"
    )


@pytest.mark.parametrize("tag", ["div", "span", "section"])
def test_marker_at_the_end_of_a_5000_deep_document_survives(tag: str) -> None:
    # libxml2 stops at depth 2,048 and silently drops everything after; the reader must not.
    a = clean_article(_nested(5000, tag), path="deep.html")
    assert "DEEPMARKER is the last sentence of this page." in a.body


def test_text_after_a_deep_subtree_survives_too() -> None:
    page = "<html><body>" + "<div>" * 3000 + "inner" + "</div>" * 3000 + f"<p>{PROSE} AFTERMARKER.</p></body></html>"
    root = parse_html(page)
    assert "AFTERMARKER" in "".join(root.itertext())


def test_100000_deep_document_finishes_with_output() -> None:
    start = time.monotonic()
    try:
        a = clean_article(_nested(100_000), path="deeper.html")
    except IngestError as e:  # an explicit rejection is an acceptable outcome; a hang or a crash is not
        assert e.code == "bad_html"
    else:
        assert "DEEPMARKER" in a.body
    # a generous budget: the point is "finishes", not a speed measurement
    assert time.monotonic() - start < 60


def test_flatten_deep_caps_depth_and_keeps_all_text() -> None:
    flat = flatten_deep("<div>" * 1000 + "x &amp; y" + "</div>" * 1000, max_depth=10)
    assert flat.count("<div>") == 10
    assert flat.count("</div>") == 10
    assert "x &amp; y" in flat


def test_unclosed_paragraphs_do_not_count_as_nesting() -> None:
    flat = flatten_deep("<body>" + "<p>para" * (MAX_DEPTH + 50) + "</body>")
    assert flat.count("<p>") == MAX_DEPTH + 50


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETCONTENT", encoding="utf-8")
    page = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM'
        f' "file://{secret}">]><html><body><article><p>{PROSE}</p><p>Entity here: &xxe; end of the story, as'
        " promised.</p></article></body></html>"
    )
    a = clean_article(page, path="xxe.html")
    assert "TOPSECRETCONTENT" not in a.body
    assert "committee met again" in a.body


def test_nothing_is_fetched_from_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the HTML reader tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    page = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">'
        '<html><head><link rel="stylesheet" href="http://example.invalid/a.css">'
        '<script src="http://example.invalid/a.js"></script></head>'
        f'<body><article><p>{PROSE}</p><img src="http://example.invalid/x.png"></article></body></html>'
    )
    assert "committee met again" in clean_article(page, path="net.html").body


def test_xhtml_with_an_xml_declaration_parses() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html'
        f' xmlns="http://www.w3.org/1999/xhtml"><body><p>{PROSE}</p></body></html>'
    )
    assert clean_article(page, path="x.xhtml").body == PROSE


def test_nul_bytes_inside_markup_are_dropped() -> None:
    assert (
        "committee"
        in clean_article(f"<html><body><p>{PROSE[:20]}\x00{PROSE[20:]}</p></body></html>", path="n.html").body
    )


def test_a_page_without_text_is_no_text() -> None:
    with pytest.raises(IngestError) as e:
        clean_article(
            "<html><head><title>Only a title</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
            path="e.html",
        )
    assert e.value.code == "no_text"


def test_a_page_of_only_comments_is_rejected_with_a_code() -> None:
    with pytest.raises(IngestError) as e:
        clean_article("<!-- nothing but a comment -->", path="c.html")
    assert e.value.code in ("bad_html", "no_text")


@pytest.mark.parametrize(
    "jsonld",
    [
        '{"@type": "NewsArticle", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"@type": "NewsArticle", "id": ' + "9" * 5000 + "}",
        '{"@type": "NewsArticle", "headline": NaN}',
        '{"@type": "NewsArticle", "headline": "\\ud800"}',
    ],
    ids=["100,000-deep JSON-LD", "5,000-digit number", "NaN headline", "lone surrogate headline"],
)
def test_hostile_jsonld_never_breaks_the_page(jsonld: str) -> None:
    page = (
        f'<html><head><script type="application/ld+json">{jsonld}</script></head><body><article><h1>Markup'
        f" headline</h1><p>{PROSE}</p></article></body></html>"
    )
    a = clean_article(page, path="ld.html")
    assert a.body == PROSE
    a.to_json().encode("utf-8")
