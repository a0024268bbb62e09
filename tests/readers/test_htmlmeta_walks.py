"""The hint reader's faster walks give exactly what the plain XPath / full-tree versions give."""

from __future__ import annotations

import pytest
from lxml import etree

from ingest.readers import htmlmeta as M
from ingest.readers.htmltree import parse_html

_PAGES = [
    pytest.param("<html><body><p>One <b>two</b> three</p><p>four</p></body></html>", id="plain paragraphs"),
    pytest.param(
        "<html><body><div>a<script>var x = 1;</script>b<style>p{}</style>c<noscript><p>n</p></noscript>d"
        "<template><p>t</p></template>e</div></body></html>",
        id="hidden elements and the text after them",
    ),
    pytest.param(
        "<html><body><noscript><div><p>deep <i>inside</i></p></div></noscript>after</body></html>", id="nested"
    ),
    pytest.param("<html><head><title>T</title></head><body><p></p><p>x</p>tail</body></html>", id="empty elements"),
]


@pytest.mark.parametrize("page", _PAGES)
def test_visible_text_pieces_equal_the_xpath(page: str) -> None:
    root = parse_html(page)
    for el in root.iter():
        assert M.visible_text_pieces(el) == M._VISIBLE_TEXT_XPATH(el)


@pytest.mark.parametrize("page", _PAGES)
def test_visible_text_pieces_with_comments_kept_by_the_parser(page: str) -> None:
    # A tree from another parser keeps comments and processing instructions: the text after them counts.
    page = page.replace("<p>", "<p><!-- note -->").replace("</b>", "</b><?pi x?>")
    root = etree.fromstring(page, etree.HTMLParser())
    for el in root.iter(tag=etree.Element):
        assert M.visible_text_pieces(el) == M._VISIBLE_TEXT_XPATH(el)


def test_visible_text_pieces_limit_keeps_a_long_enough_prefix() -> None:
    root = parse_html("<html><body>" + "".join(f"<p>paragraph {i}</p>" for i in range(200)) + "</body></html>")
    full = M._VISIBLE_TEXT_XPATH(root)
    for limit in (1, 11, 12, 13, 100, 5000):
        pieces = M.visible_text_pieces(root, limit)
        assert full[: len(pieces)] == pieces
        assert "\n".join(pieces)[:limit] == "\n".join(full)[:limit]
    assert len(M.visible_text_pieces(root, 100)) < len(full)  # it stopped early


def test_visible_text_pieces_inside_a_hidden_ancestor_are_none() -> None:
    root = parse_html("<html><body><noscript><p>hidden</p></noscript></body></html>")
    p = root.find(".//p")
    assert M.visible_text_pieces(p) == [] == M._VISIBLE_TEXT_XPATH(p)
