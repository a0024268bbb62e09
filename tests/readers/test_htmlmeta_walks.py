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


_WALK_PAGE = """<html><body>
<div class="site-meta" id="top" data-track="x">Site 2020-01-01</div>
<article itemscope>
  <h1>Headline</h1>
  <span class="byline">Von <a class="author-name" href="/a">Jane Doe</a></span>
  <span data-id="7" data-published="">no date here</span>
  <time class="entry-date" data-datetime="2021-03-04">4 March 2021</time>
  <address>By John Roe</address><address>12 Main Street</address>
  <byline>Ann Poe</byline>
  <div class="Writer_Box">Max Moe</div>
  <meta itemprop="datePublished" content="2021-03-04">
  <span itemprop="author"><span itemprop="name">Jane Doe</span></span>
  <main class="date">main is never date-classed</main>
</article>
<aside class="post-date" data-pubdate="2019-01-01">1 January 2019
<span itemprop="dateModified">2021-03-05</span></aside>
</body></html>"""


def _walk_by_full_loops(root: etree._Element, scope: etree._Element) -> tuple[object, ...]:
    """What the separate whole-tree loops html_hints used to run collect."""
    data = None
    for el in scope.iter():
        if isinstance(el.tag, str) and any(k.startswith("data-") for k in el.keys()):
            data = next((el.get(a) for a in M._DATA_DATE_ATTRS if el.get(a)), None)
            if data:
                break
    classed = [
        el
        for el in scope.iter()
        if isinstance(el.tag, str) and el.attrib and el.tag not in ("body", "html", "article", "main")
        if M._has_date_class(el)
    ]
    props = [
        el
        for el in root.iter()
        if isinstance(el.tag, str) and el.get("itemprop") in ("datePublished", "dateModified", "author")
        if el.tag != "meta"
    ]
    return data, classed, props, M._byline_texts(scope)


@pytest.mark.parametrize("scope_path", [None, ".//article", ".//aside", ".//span"])
def test_page_walk_collects_what_the_separate_loops_did(scope_path: str | None) -> None:
    root = parse_html(_WALK_PAGE)
    scope = root if scope_path is None else root.find(scope_path)
    walk = M.page_walk(root, scope)
    got = (walk.data_published, walk.date_classed, walk.itemprops, M._byline_texts(scope, walk.bylines))
    assert got == _walk_by_full_loops(root, scope)


def test_page_walk_reads_the_page() -> None:
    root = parse_html(_WALK_PAGE)
    walk = M.page_walk(root, root.find(".//article"))
    assert walk.data_published == "2021-03-04"
    # "byline" is a date-class word too; the aside is outside the scope, <main> never counts
    assert [el.tag for el in walk.date_classed] == ["span", "time"]
    assert [el.get("itemprop") for el in walk.itemprops] == ["author", "dateModified"]  # the whole page, no <meta>
    # the first two: the postal <address> is not a byline, the <byline> element comes third
    assert M._byline_texts(root.find(".//article"), walk.bylines) == ["Von Jane Doe", "By John Roe"]


def test_page_walk_of_a_scope_from_another_tree() -> None:
    root, other = parse_html(_WALK_PAGE), parse_html(_WALK_PAGE)
    scope = other.find(".//article")
    walk = M.page_walk(root, scope)
    assert walk.data_published == "2021-03-04" and [el.tag for el in walk.date_classed] == ["span", "time"]
    assert [el.get("itemprop") for el in walk.itemprops] == ["author", "dateModified"]


def _scope_by_xpath(root: etree._Element) -> etree._Element | None:
    """The article scope as the XPath rule states it (what page_walk finds in its walk)."""
    for xpath in ("//*[@itemprop='articleBody']/ancestor::article[1]", "//article", "//main", "//*[@role='main']"):
        found = root.xpath(xpath)
        if found:
            return max(found, key=M._TEXT_LEN) if len(found) > 1 else found[0]  # type: ignore[no-any-return]
    return None


_SCOPE_PAGES = [
    pytest.param(_WALK_PAGE, id="one article"),
    pytest.param(
        "<html><body><article><p>teaser</p></article><article><h1>H</h1><p>the long article text here</p>"
        "</article><article>x</article></body></html>",
        id="the longest of several articles",
    ),
    pytest.param(
        "<html><body><article id=outer><article id=a><div itemprop=articleBody>b</div></article>"
        "<div itemprop=articleBody>c</div></article><article id=long>much longer text than the others</article>"
        "</body></html>",
        id="the articles around articleBody (nested), not the longest article",
    ),
    pytest.param(
        "<html><body><div itemprop=articleBody>no article around</div><article>a</article></body></html>",
        id="an articleBody outside any article",
    ),
    pytest.param("<html><body><main><p>m</p></main><main></main></body></html>", id="main elements"),
    pytest.param("<html><body><div role=main><p>r</p></div><p role=mainly>no</p></body></html>", id="role main"),
    pytest.param("<html><body><div>nothing marks the article</div></body></html>", id="no scope"),
    pytest.param("<html><body><main role=main><article/></main></body></html>", id="empty article in main"),
]


@pytest.mark.parametrize("page", _SCOPE_PAGES)
def test_page_walk_finds_the_scope_the_xpath_rule_names(page: str) -> None:
    root = parse_html(page)
    walk = M.page_walk(root)
    assert walk.scope is _scope_by_xpath(root)
    scope = walk.scope if walk.scope is not None else root
    assert tuple(walk[:4]) == tuple(M.page_walk(root, scope)[:4])
    got = (walk.data_published, walk.date_classed, walk.itemprops, M._byline_texts(scope, walk.bylines))
    assert got == _walk_by_full_loops(root, scope)


_AROUND_PAGES = [
    pytest.param(_WALK_PAGE, id="walk page"),
    pytest.param(
        "<html><body>lead<div>menu <a>one</a> <a>two</a></div>x<svg><a>icon</a><g>g</g></svg>tail"
        "<button><span>b</span>after span</button>btail<h1>Head <b>line</b></h1>h1 tail"
        "<p>By <a>Jane</a> on 3 May 2021</p><script>var d = '1 May 2020';</script>after script"
        "<noscript><p>ns <h2>inside</h2> ns tail</p></noscript>end</body>\nafter body</html>",
        id="skipped elements around the headline",
    ),
    pytest.param(
        "<html><body><p>a<!-- c -->b<?pi x?>c</p><h1>H</h1><p>d<!-- e -->f</p></body></html>",
        id="comments and processing instructions",
    ),
    pytest.param(
        "<html><body>" + "".join(f"<p>paragraph {i} with some words</p>" for i in range(120)) + "</body></html>",
        id="long page",
    ),
]


@pytest.mark.parametrize("page", _AROUND_PAGES)
@pytest.mark.parametrize("parser", ["ingest", "lxml with comments"])
def test_text_around_equals_the_walk_from_the_start(page: str, parser: str) -> None:
    root = parse_html(page) if parser == "ingest" else etree.fromstring(page, etree.HTMLParser())
    body = root.find(".//body")
    for target in root.iter(etree.Element):
        assert M._text_around(body, target) == M._text_around_by_walk(body, target)
    assert M._text_around(body, root) == M._text_around_by_walk(body, root)  # not inside body


@pytest.mark.parametrize("page", _PAGES + _AROUND_PAGES)
@pytest.mark.parametrize("parser", ["ingest", "lxml with comments"])
def test_body_and_scope_text_in_one_walk_equal_two_walks(page: str, parser: str) -> None:
    root = parse_html(page) if parser == "ingest" else etree.fromstring(page, etree.HTMLParser())
    body = root.find(".//body")
    for scope in root.iter(etree.Element):  # the whole page, the body, elements in it, ones in <head>
        shown, scope_text = M._body_and_scope_text(root, scope)
        assert shown == M.visible_text_pieces(body)
        assert scope_text in (None, M._visible_text(scope, M._MAX_LABEL_TEXT))
    assert M._body_and_scope_text(root, body)[1] == M._visible_text(body, M._MAX_LABEL_TEXT)
    assert M._body_and_scope_text(root, root)[1] is not None or parser != "ingest"


@pytest.mark.parametrize("page", _PAGES + _AROUND_PAGES + _SCOPE_PAGES)
def test_first_elements_by_xpath_equal_find_and_iter(page: str) -> None:
    root = parse_html(page)
    for el in root.iter(etree.Element):
        assert M._first(M._FIRST_BODY, el) is el.find(".//body")
        assert M._first(M._FIRST_TITLE, el) is el.find(".//title")
        assert M._first(M._FIRST_H1, el) is next(el.iter("h1"), None)


_TAGS_PAGE = """<html><head><meta name="a" content="1"><link rel="canonical" href="/x"><meta property="b"></head>
<body><a href="/p">no rel</a><a rel="author" href="/j">Jane</a><article><a rel="">empty rel</a>
<meta itemprop="datePublished" content="2020"><link rel="x"></article></body></html>"""


@pytest.mark.parametrize(
    ("root_path", "scope_path"),
    # without a scope, root is the document's root element
    [(".", None), (".", "."), (".", ".//article"), (".//body", "."), (".//body", ".//article")],
)
def test_page_walk_collects_metas_links_and_rel_links(root_path: str, scope_path: str | None) -> None:
    page = parse_html(_TAGS_PAGE)
    root = page if root_path == "." else page.find(root_path)
    scope = None if scope_path is None else root.find(scope_path)
    walk = M.page_walk(root, scope)
    assert walk.metas == list(root.iter("meta")) and walk.links == list(root.iter("link"))
    assert walk.rel_links == M._REL_AUTHOR_XPATH(root)  # //a[@rel]: the whole document's


@pytest.mark.parametrize("page", _PAGES + _AROUND_PAGES + _SCOPE_PAGES)
@pytest.mark.parametrize("parser", ["ingest", "lxml with comments"])
def test_visible_pieces_by_subtrees_equal_the_walk(page: str, parser: str) -> None:
    root = parse_html(page) if parser == "ingest" else etree.fromstring(page, etree.HTMLParser())
    for el in root.iter(etree.Element):
        for inner in el.iter(etree.Element):
            pieces, run = M._visible_pieces_run(el, inner)
            assert pieces == M.visible_text_pieces(el)
            if run is not None:
                assert pieces[run[0] : run[1]] == M.visible_text_pieces(inner)


def test_page_walk_parses_the_json_ld_once_for_every_reader() -> None:
    page = parse_html(
        '<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebPage", "datePublished": "2020"},'
        '{"@type": "NewsArticle", "headline": "H"}]}</script><script type="application/ld+json">{broken</script>'
        '<script>var x = 1;</script></head><body><script type=" Application/LD+JSON ">'
        '{"@type": "SportsEvent", "startDate": "2021-05-01"}</script></body></html>'
    )
    walk = M.page_walk(page)
    assert walk.jsonld == M._jsonld_data(page.iter("script")) and len(walk.jsonld) == 2
    assert list(M._jsonld_objects(page, walk.jsonld)) == list(M._jsonld_objects(page))
    assert M.jsonld_article(page, walk.jsonld) == M.jsonld_article(page) == {"@type": "NewsArticle", "headline": "H"}
    assert M._event_start(page, walk.jsonld) == M._event_start(page) == "2021-05-01"


@pytest.mark.parametrize(
    "text",
    [
        "Published on 3 May 2021",
        "PUBLISHED: 3 May",
        "Erstmals veröffentlicht am 1.2.2020",
        "VERÖFFENTLICHT 1.2.2020",
        "ОПУБЛИКОВАНО 3 мая",
        "опубликᲂвано 3 мая",  # a narrow Cyrillic o: the regex's case folding reads it as "о"
        "publıshed today",  # a dotless i
        "PUBLİSHED today",  # a dotted capital I: lower() makes it two characters
        "firſt publiſhed",  # long s
        "a page with no label at all, public and publisher",
        "",
    ],
)
def test_the_label_pre_check_never_says_no_where_the_regex_matches(text: str) -> None:
    if M._PUBLISHED_LABEL_RE.search(text):
        assert M._may_have_label(text)
    if "label" in text:
        assert not M._may_have_label(text)  # the cheap answer where no label is written


@pytest.mark.parametrize("scope_path", [None, ".//article", ".//aside", ".//span"])
def test_page_walk_collects_the_time_and_abbr_elements(scope_path: str | None) -> None:
    page = _WALK_PAGE.replace("<h1>", "<abbr class='published' title='2021'>x</abbr><h1>").replace(
        "</aside>", "<time>5 March</time></aside>"
    )
    root = parse_html(page)
    scope = root if scope_path is None else root.find(scope_path)
    walk = M.page_walk(root, scope)
    assert walk.times == list(root.iter("time"))
    assert walk.scope_times == list(scope.iter("time")) and walk.scope_abbrs == list(scope.iter("abbr"))
    found = M.page_walk(root)
    where = found.scope if found.scope is not None else root
    assert found.scope_times == list(where.iter("time")) and found.scope_abbrs == list(where.iter("abbr"))


@pytest.mark.parametrize("scope_path", [None, ".//article", ".//aside"])
def test_page_walk_collects_the_headings_and_the_headline_is_the_same(scope_path: str | None) -> None:
    page = _WALK_PAGE.replace("<body>", "<body><h1>Site</h1><h2>Headline</h2>").replace(
        "</aside>", "<h3>Headline</h3><h1>Other</h1></aside>"
    )
    root = parse_html(page)
    scope = root if scope_path is None else root.find(scope_path)
    walk = M.page_walk(root, scope)
    for tag in M._HEADING_TAGS:
        assert walk.tagged[tag] == list(root.iter(tag)) and walk.scope_tagged[tag] == list(scope.iter(tag))
    for titles in (["Headline"], ["Other"], ["Site"], ["Nothing alike"]):
        assert M.headline_element(root, scope, titles, walk) is M.headline_element(root, scope, titles)


_ATTR_PAGE = """<html><body><div data-date="" data-published="">empty values do not count</div>
<p id="x"><span data-date="2020-02-02" data-pubdate="2020-01-01" class="a b">two dates</span></p>
<div role="main"><a rel="nofollow" href="/a">a</a><a href="/b">b</a><a rel="" href="/c">c</a>
<span itemprop="author">Ann</span><meta itemprop="dateModified" content="2021"><time itemprop="datePublished">t</time>
<div itemprop="articleBody" data-published="2022-03-03">body</div></div><p role="Main">no</p></body></html>"""


def test_page_walk_reads_the_attributes_as_the_element_loop_did() -> None:
    root = parse_html(_ATTR_PAGE)
    walk = M.page_walk(root)
    # no <article> or <main>: the role=main element is the scope; its first element with a date data- value
    assert walk.scope is root.find(".//div[@role='main']")
    assert walk.data_published == "2022-03-03"
    # the whole page: the first element with a value, and of its attributes the first in _DATA_DATE_ATTRS
    assert M.page_walk(root, root).data_published == "2020-01-01"
    assert walk.rel_links == [a for a in root.iter("a") if "rel" in a.keys()] and len(walk.rel_links) == 2
    assert [el.tag for el in walk.itemprops] == ["span", "time"]  # no <meta>, no articleBody


def test_name_kinds_are_the_tests_and_their_memory_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(M, "_NAME_KINDS", {})
    monkeypatch.setattr(M, "_MAX_NAME_KINDS", 5)
    names = ["entry-date", "post_author", "Byline", "menu", "zeit x", "updated", "dat", "a-writer-box", "x" * 300]
    for _ in range(2):  # the second time from memory (or computed again after it was emptied)
        for n in names:
            assert M._name_kinds(n) == (M._names_date(n), M._BYLINE_CLASS_RE.search(n) is not None)
            assert len(M._NAME_KINDS) <= 5
    assert "x" * 300 not in M._NAME_KINDS


@pytest.mark.parametrize(
    "text",
    [
        "Published on 3 May 2021. First published: 1 May. unpublished draft, republished",
        "PUBLISHED PUBLISHED: publishedpublished Published the 3rd",
        "Erstmals veröffentlicht am 1.2.2020 / VERÖFFENTLICHT 1.2.2020 / Erschienen: heute",
        "mise en ligne le 23 mai, Mise  en ligne, publié le 2, PUBLIÉE",
        "ОПУБЛИКОВАНО 3 мая; опубликᲂвано 3 мая",  # a narrow Cyrillic o: the regex reads it as "о"
        "publıshed today",  # a dotless i
        "PUBLİSHED today",  # a dotted capital I: lower() makes it two characters
        "firſt publiſhed",  # long s
        "written: 2020, Written on, writtenby, x-written",
        "ΣΣ published Σ",  # a final sigma lowers by its place
        "no label at all",
        "",
    ],
)
def test_label_matches_are_the_regex_matches(text: str) -> None:
    spans = [m.span() for m in M._PUBLISHED_LABEL_RE.finditer(text)]
    assert [m.span() for m in M._label_matches(text)] == spans
    assert [m.group() for m in M._label_matches(text)] == [m.group() for m in M._PUBLISHED_LABEL_RE.finditer(text)]
