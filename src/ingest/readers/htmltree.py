"""Safe HTML parsing: one lxml tree per page, no network, no external entities, no lost text.

libxml2's HTML parser stops at a nesting depth of 2,048 (256 without ``huge_tree``) and then
*silently* drops the rest of the document (it only says so in its error log). When that happens
the page is re-emitted by :func:`flatten_deep` (the standard library's event parser has no depth
limit and runs in linear time) with the tags deeper than :data:`MAX_DEPTH` removed and their
text kept, and parsed again, so the marker at the end of a 100,000-deep page still reaches the
body.
"""

from __future__ import annotations

import html as _html
import re
from html.parser import HTMLParser as _EventParser

from lxml import etree

from ..errors import BadHtml

# Deeper than any real page (news pages nest 20–60 levels); low enough that libxml2's own
# limit and Python's recursion limit are never reached by anything that walks the tree.
MAX_DEPTH = 400
# Elements that never have content; they do not open a nesting level.
VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont bgsound frame keygen".split()
)
_DEPTH_ERROR = "Excessive depth"


def _parser() -> etree.HTMLParser:
    # no_network: never fetch a DTD or anything else. libxml2's HTML parser has no DTD
    # processing, so it never loads an external entity (a test proves it). A plain
    # etree.HTMLParser, not lxml.html's: the latter looks up a Python class for every element,
    # a third of the parse time, for methods ingest does not use.
    return etree.HTMLParser(
        no_network=True,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=False,
        default_doctype=False,
    )


# Tags whose end tag pages routinely omit: a new one closes the open one (<li>a<li>b).
AUTOCLOSE_TAGS = frozenset("p li dt dd tr td th option".split())


class _Flattener(_EventParser):
    """Re-emits a page with tags below ``max_depth`` dropped (their text and attributes-free)."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=False)
        self.max_depth = max_depth
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, emitted)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in AUTOCLOSE_TAGS and self.stack and self.stack[-1][0] == tag:
            self.handle_endtag(tag)
        keep = len(self.stack) < self.max_depth
        if keep:
            self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag not in VOID_TAGS:
            self.stack.append((tag, keep))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(self.stack) < self.max_depth:
            self.out.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        # Close up to the nearest matching open tag, as browsers do; an unmatched end tag is ignored.
        for i in range(len(self.stack) - 1, max(-1, len(self.stack) - 64), -1):
            if self.stack[i][0] == tag:
                for t, emitted in reversed(self.stack[i:]):
                    if emitted:
                        self.out.append(f"</{t}>")
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.out.append(_html.escape(data, quote=False))

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")


def flatten_deep(text: str, *, max_depth: int = MAX_DEPTH) -> str:
    """The page with every tag nested deeper than ``max_depth`` removed and all text kept."""
    f = _Flattener(max_depth)
    f.feed(text)
    f.close()
    return "".join(f.out)


_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
# An XML-style DOCTYPE with an internal subset (<!DOCTYPE x [<!ENTITY …>]>): the HTML parser ends
# the doctype at the first ">" and would leave the rest ("]>") as page text. Entities declared
# there are never expanded either way; the whole declaration is dropped.
_DOCTYPE_SUBSET_RE = re.compile(r"^\s*<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.I | re.S)


def _parse(text: str) -> tuple[etree._Element | None, bool]:
    """(root, whether libxml2 hit its depth limit and dropped text)."""
    parser = _parser()
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError) as e:
        raise BadHtml(f"the HTML could not be parsed: {e}") from None
    too_deep = any(_DEPTH_ERROR in str(err.message) for err in parser.error_log)
    return root, too_deep


def parse_html(text: str) -> etree._Element:
    """Parse a decoded page into an lxml tree, safely and without losing deep text.

    Raises:
        BadHtml: when the page cannot be parsed into a document at all.
    """
    # lxml refuses a str that carries an XML encoding declaration (XHTML pages); the text is
    # already decoded, so the declaration has nothing left to say.
    text = _XML_DECL_RE.sub("", text.replace("\x00", ""), count=1)
    text = _DOCTYPE_SUBSET_RE.sub("", text, count=1)
    root, too_deep = _parse(text)
    if too_deep:
        # libxml2 stopped at its depth limit and silently dropped the rest: re-emit the page
        # with the excess levels flattened (text kept) and parse again.
        root, too_deep = _parse(flatten_deep(text))
        if too_deep:  # pragma: no cover - flatten_deep caps depth far below the limit
            raise BadHtml("the HTML nests deeper than the parser's limit; text would be lost")
    if root is None:
        raise BadHtml("the HTML holds no document (only comments or declarations)")
    return root


# Real pages have at most a few ten thousand elements (the largest dev page: ~10,000). Far
# beyond that, per-element work and libxml2's XPath node-set limit (10 M) are the risk, not the
# text: such a tree is simplified, and past that rendered as plain paragraphs (see html.py).
MAX_ELEMENTS = 200_000
# Phrasing and empty elements: removing them (text kept) shrinks a flood of <i>/<br>/<span>.
INLINE_TAGS = (
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "big",
    "br",
    "cite",
    "code",
    "data",
    "dfn",
    "em",
    "font",
    "i",
    "img",
    "kbd",
    "mark",
    "nobr",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "time",
    "tt",
    "u",
    "var",
    "wbr",
)
_PLAIN_BLOCKS = frozenset(
    "address article aside blockquote body dd div dl dt figcaption footer h1 h2 h3 h4 h5 h6 header li "
    "main nav ol p pre section table td th tr ul".split()
)


def count_elements(root: etree._Element, limit: int) -> int:
    """Elements in the tree, counted up to ``limit + 1`` (stops early: linear, never XPath)."""
    n = 0
    for _ in root.iter():
        n += 1
        if n > limit:
            break
    return n


def simplify_inline(root: etree._Element) -> etree._Element:
    """The tree without phrasing elements, their text kept.

    Removing the tags leaves their text as thousands of adjacent text nodes, which lxml joins
    again on every ``.text`` read (quadratic); serialising and parsing once merges them.
    """
    etree.strip_tags(root, *INLINE_TAGS)
    merged = etree.fromstring(etree.tostring(root, encoding="unicode"), parser=_parser())
    return merged if merged is not None else root


def plain_paragraphs(root: etree._Element) -> str:
    """All text of the page, a paragraph per block element, no boilerplate removal: the
    degraded rendering for trees too large to analyse. Linear in the tree size."""
    body = root.find("body")
    if body is None:
        body = root
    etree.strip_elements(body, "script", "style", "noscript", "template", with_tail=False)
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag in _PLAIN_BLOCKS:
            el.tail = "\n\n" + (el.tail or "")
            el.text = "\n\n" + (el.text or "")
    text = etree.tostring(body, method="text", encoding="unicode")
    paras = (" ".join(p.split()) for p in text.split("\n\n"))
    return "\n\n".join(p for p in paras if p)


# Where a page prints the dates of *other* items: sidebars and widgets (recent posts, most read),
# lists of other posts, menus, comment threads. A date printed only there is not the page's own.
_SIDE_CLASS_WORDS = frozenset(
    """menu dropdown navigation nav posts related recent comment comments commentlist
    carousel slider events""".split()
)
# Layout classes say what a container *has* ("has-sidebar", "no-sidebars", "with-navigation").
_LAYOUT_PREFIXES = ("has-", "has_", "with-", "with_", "no-", "no_", "without-")
_MAX_SIDE_DEPTH = 40
MAX_SIDE_CHECKS = 30  # elements checked for a side region per search (each check can walk a region)


def _side_names(names: str) -> str | None:
    """What side region a class/id value names: ``"other"`` for a class with a word of
    :data:`_SIDE_CLASS_WORDS` (``related-posts``, ``mega-menu``, ``comment-body``) or one that
    starts with ``widget`` (WordPress' ``widget widget_recent_entries``; a page builder's
    ``elementor-widget`` wraps the article too); ``"sidebar"`` for a word that starts with
    ``sidebar`` or is ``aside``; None for neither."""
    found = None
    for token in names.split():
        if token.startswith(_LAYOUT_PREFIXES):
            continue
        words = token.replace("_", " ").replace("-", " ").split()  # class-name words: "related-posts" → related, posts
        if token.startswith("widget") or not _SIDE_CLASS_WORDS.isdisjoint(words):
            return "other"
        if any(w.startswith("sidebar") or w == "aside" for w in words):
            found = "sidebar"
    return found


def in_side_region(el: etree._Element) -> bool:
    """Whether ``el`` sits in a sidebar, widget, list of related posts, menu or comment thread
    (``<aside>``, ``<nav>``, class/id ``sidebar``, ``widget``, ``related-posts``, ``comment-list``
    …), up to 40 levels up; ``<body>``'s classes describe the whole page and are not read. A
    region that holds an ``<h1>`` holds the page's headline (a theme's misnamed main column); a
    sidebar inside the ``<article>`` is the article's own fact box (its date, its author)."""
    depth = 0
    while el is not None and depth < _MAX_SIDE_DEPTH and el.tag not in ("body", "html"):
        kind = "other" if el.tag == "nav" else _side_names(f"{el.get('class') or ''} {el.get('id') or ''}".lower())
        if kind is None and el.tag == "aside":
            kind = "sidebar"
        if kind == "sidebar" and any(a.tag == "article" for a in el.iterancestors()):
            kind = None
        if kind is not None:
            return next(el.iter("h1"), None) is None
        el = el.getparent()
        depth += 1
    return False
