"""The built-in body extractor: prune boilerplate, find the article's container, render its text.

1. **Prune**: elements that are never article text (scripts, navigation, forms, captions …) go by
   tag; widgets (share, related, newsletter, comments …) go by class/id/role patterns; hidden
   elements go. A pattern never removes an element holding most of the page's text, so a
   wrapper named ``page-with-sidebar`` cannot take the article with it.
2. **Container**: the structure the page declares (``itemprop="articleBody"``) when it holds
   real text, else a content-density score: every paragraph-like block gives its parent and
   grandparent points for its length and commas, damped by link density; the best container
   is widened to siblings that score nearly as well (articles split by ads and widgets).
3. **Render**: block elements become paragraphs, ``<br>`` a line break; link-dense blocks
   (related-story lists inside the article) and the headline are dropped, and so is boilerplate
   written as paragraphs: short lines by class (calls to action, comment labels, credits, filing
   lines, ad labels) and an author box or further reading that ends the body.
4. **Fallback**: the JSON-LD ``articleBody`` when the markup gave much less text than it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from . import Extracted

BLOCK_TAGS = frozenset(
    """address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary
    table tbody tfoot thead tr ul caption""".split()
)
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Never article text, whatever they are called: removed first, before any text is measured.
HARD_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
    "applet",
    "button",
    "input",
    "select",
    "textarea",
    "option",
    "audio",
    "video",
    "map",
    "picture",
    "source",
    "math",
    "head",
    "title",
    "meta",
    "link",
)
# Page furniture: removed unless it wraps most of the page (ASP.NET pages put all of <body> in a <form>).
DROP_TAGS = frozenset("form label nav aside footer header figcaption figure dialog menu".split())
DROP_ROLES = frozenset("navigation banner complementary contentinfo search menu menubar dialog alert".split())
# Widgets removed even when the name also sounds like content ("article-comments").
_STRONG_NEG_RE = re.compile(
    r"(?:^|[\s_-])(?:comments?|comment-list|disqus|kommentar\w*|commentaires?|commenti|comentarios?|reacties|"
    r"respond|replys|replies|toc|table-of-contents|share|sharing|sharebar|sharedaddy|social|socials|related\w*|"
    r"ratings?|post-ratings|"
    r"recommend\w*|newsletter|news-letter\w*|flyout|subscribe|signup|sign-up|promo|sponsor\w*|"
    r"outbrain|taboola|cookie\w*|consent|gdpr|popup|modal|"
    r"most-popular|most-read|popular|trending|read-more|readmore|also-read|more-stories|"
    r"related-articles|next-article|newsletter-signup|print-only|visually-hidden|sr-only|screen-reader\w*|"
    r"skip-link|author-bio|about-author|about-the-author|author-box|authorbox|author-info|author-card|autorbox|"
    r"saboxplugin-wrap|bio|tags|tag-list|taglist|keywords|breadcrumbs?|pagination|pager)"
    r"(?:$|[\s_-])",
    re.I,
)
# Ad slots: "ad"/"ads" only as a whole class or its first part ("ad-slot"), never inside another
# name ("non-ad-column", "head-ad-free").
_AD_RE = re.compile(r"(?:^|\s)(?:ads?|advert\w*|adslot|dfp|gpt-ad|google-ad\w*)(?:$|\s|[_-])", re.I)
# Layout parts removed unless the name also says "content". Not "hidden": utility-class CSS
# writes "hidden md:block" for things that are shown on a desktop.
_WEAK_NEG_RE = re.compile(
    r"(?:^|[\s_-])(?:sidebar|side-bar|rail|footer|foot|masthead|header|nav|navbar|navigation|menu|"
    r"banner|widget|byline|author|authors|dateline|timestamp|meta|caption|credit|credits|toolbar|"
    r"utility|tools|actions|topics|categories|teaser|teasers|card|cards|overlay|lightbox|gallery|"
    r"slideshow|video|player|embed|image|img|imginline|image-box|visual|disclaimer|copyright|legal|subnav|jump|paywall|subscription)(?:$|[\s_-])",
    re.I,
)
_POSITIVE_RE = re.compile(r"article|body|content|entry|main|post|story|text|prose|blog|news", re.I)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE_RE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_BR = "\x1e"  # stands for <br> while whitespace is collapsed
PARA_TAGS = frozenset("p pre blockquote td li dd".split())
_MIN_PARA = 25


def _attrs(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


_TEXT_LEN = etree.XPath("string-length(normalize-space())")


# XPath's whitespace (normalize-space): space, tab, line feed, carriage return; linear: one character class
_XPATH_SPACE_RE = re.compile(r"[ \t\n\r]+")


def _text_len(el: etree._Element) -> int:
    """Characters of text under ``el``, whitespace runs counted once (XPath's ``normalize-space``)."""
    if not len(el):
        # no children (most links and paragraphs): the same count from the element's text, without
        # the cost of an XPath call
        text = el.text
        return len(_XPATH_SPACE_RE.sub(" ", text).strip(" ")) if text else 0
    return int(_TEXT_LEN(el))


_STRING = etree.XPath("string()", smart_strings=False)


def _string(el: etree._Element) -> str:
    """``"".join(el.itertext())``: the text of ``el`` and of everything below it (its XPath string value),
    read in C, about half the cost of the Python iterator."""
    if not len(el):  # no children: just its text
        return el.text or ""
    return _STRING(el)  # type: ignore[no-any-return]


def _link_len(el: etree._Element) -> int:
    return sum(_text_len(a) for a in el.iter("a"))


class _TreeFacts:
    """Facts about one tree that several rules ask for, each computed once per element.

    Made per call and dropped with it: the answers hold only while the tree is not changed, so
    a pass that removes elements (the prune) and the passes after it each make their own.
    """

    def __init__(self) -> None:
        self._text: dict[etree._Element, int] = {}
        self._links: dict[etree._Element, int] = {}
        self._holders: tuple[set[etree._Element], set[etree._Element]] | None = None
        # the elements whose itemprop is "articleBody", in document order, once the holders are read
        self.declared_bodies: list[etree._Element] | None = None

    def text_len(self, el: etree._Element) -> int:
        """:func:`_text_len`, remembered."""
        n = self._text.get(el)
        if n is None:
            n = self._text[el] = _text_len(el)
        return n

    def link_len(self, el: etree._Element) -> int:
        """:func:`_link_len`, remembered."""
        n = self._links.get(el)
        if n is None:
            n = self._links[el] = sum(self.text_len(a) for a in el.iter("a"))
        return n

    def holds_declared_body(self, el: etree._Element) -> bool:
        """:data:`_HOLDS_DECLARED_BODY`: one read of the tree gives every declared body's and
        ``<main>``'s ancestors, instead of a search below each ``el``."""
        return el in self._holder_sets(el)[0]

    def holds_article(self, el: etree._Element) -> bool:
        """:data:`_HOLDS_ARTICLE`, from the same read."""
        return el in self._holder_sets(el)[1]

    def _holder_sets(self, el: etree._Element) -> tuple[set[etree._Element], set[etree._Element]]:
        if self._holders is None:
            root = el.getroottree().getroot()
            declared: set[etree._Element] = set()
            articles: set[etree._Element] = set()
            # the attributes, then their elements: cheaper than a test on each element
            self.declared_bodies = [attr.getparent() for attr in _ITEMPROPS(root) if attr == "articleBody"]
            for found in self.declared_bodies:
                declared.update(found.iterancestors())
            for found in root.iter("main", "article"):
                (declared if found.tag == "main" else articles).update(found.iterancestors())
            self._holders = (declared, articles)
        return self._holders

    def names_reason(self, el: etree._Element) -> str | None:
        """:func:`_names_reason` of the element's class and id, from what each says (remembered per
        distinct value and name: pages repeat the same few class names on hundreds of elements)."""
        cls, ident = el.get("class"), el.get("id")
        if cls is None and ident is None:
            return None  # no names: nothing to say (most elements)
        return _reason_of_flags(_role_flags(cls or "") | _role_flags(ident or ""))


# What one attribute's names say, as bits. Every pattern below matches inside one whitespace-separated
# name (none spans a space), so the names of "class id" say what the class's and the id's say together.
_WIDGET_NAME, _LAYOUT_NAME, _CONTENT_NAME = 1, 2, 4
_NAMES_CACHE = 1 << 15  # distinct names remembered (a few MB at most); templates share most of them


def _ascii_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` without IGNORECASE, for ASCII text lower-cased first: the same matches, several times
    faster (re tries every case-blind alternative at every position; a plain literal it skips at once).
    Only for patterns whose letters are all lower-case literals (no letter ranges, no upper-case escapes).
    Linear as the pattern is: the same expression, only the flag differs."""
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


_FLAG_PATTERNS = (_STRONG_NEG_RE, _AD_RE, _WEAK_NEG_RE, _POSITIVE_RE)
_FLAG_TWINS = tuple(_ascii_twin(p) for p in _FLAG_PATTERNS)


def _flags(names: str) -> int:
    """The bits of the widget, layout and content patterns that match in ``names``."""
    if not names:
        return 0
    if names.isascii():  # names almost always are: the same patterns, case-blind by lower-casing
        names = names.lower()
        strong, ad, weak, positive = _FLAG_TWINS
    else:
        strong, ad, weak, positive = _FLAG_PATTERNS
    flags = _WIDGET_NAME if strong.search(names) or ad.search(names) else 0
    if weak.search(names):
        flags |= _LAYOUT_NAME
    if positive.search(names):
        flags |= _CONTENT_NAME
    return flags


@lru_cache(maxsize=_NAMES_CACHE)
def _role_flags(attr: str) -> int:
    """:func:`_flags` of the role names (:func:`_role_names_of`) of one class or id value; a pure
    function of the string, remembered (bounded) across elements and pages that share a template.
    Asked name by name: the camelCase split and the state test also stay inside one name."""
    flags = 0
    for name in attr.split():
        flags |= _role_name_flags(name)
    return flags


@lru_cache(maxsize=_NAMES_CACHE)
def _role_name_flags(name: str) -> int:
    """:func:`_role_flags` of one name (no whitespace); pages and sites share most names."""
    role = name if name.islower() else _CAMEL_RE.sub("-", name)  # no capital: no camelCase boundary
    state = _STATE_TWIN.search(role.lower()) if role.isascii() else _STATE_TOKEN_RE.search(role)
    return 0 if state else _flags(role)  # what _flags(_role_names_of(name)) says


@lru_cache(maxsize=_NAMES_CACHE)
def _raw_flags(attr: str) -> int:
    """:func:`_flags` of one class or id value as written (no name split or left out)."""
    flags = 0
    for name in attr.split():
        flags |= _raw_name_flags(name)
    return flags


@lru_cache(maxsize=_NAMES_CACHE)
def _raw_name_flags(name: str) -> int:
    """:func:`_raw_flags` of one name (no whitespace)."""
    return _flags(name)


def _reason_of_flags(flags: int) -> str | None:
    """:func:`_names_reason` from the names' :func:`_flags`."""
    if flags & _WIDGET_NAME:
        return "widget"
    if flags & _LAYOUT_NAME and not flags & _CONTENT_NAME:
        return "layout"
    return None


# Class tokens that describe a state or a script hook, not what the element is ("modal-enabled").
_STATE_TOKEN_RE = re.compile(
    r"^(?:has|is|with|no|non|not|js|can)-|-(?:enabled|disabled|open|active|visible|loaded|expanded|ready|init)$", re.I
)


_STATE_TWIN = _ascii_twin(_STATE_TOKEN_RE)


# camelCase word boundaries ("PostCommentsLink" names comments like "post-comments-link");
# linear: one character of look-behind and look-ahead, no quantifier
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _role_names(el: etree._Element) -> str:
    """The class and id tokens that say what an element is (state modifiers left out)."""
    return _role_names_of(f"{el.get('class') or ''} {el.get('id') or ''}")


def _role_names_of(raw: str) -> str:
    """:func:`_role_names` of an element whose class and id read ``raw`` (``"class id"``)."""
    tokens = _CAMEL_RE.sub("-", raw).split()
    return " ".join(t for t in tokens if not _STATE_TOKEN_RE.search(t))


_NEAR_PARAGRAPHS = etree.XPath("./p | ./*/p | ./*/*/p")  # compiled once, not on every call


def _is_prose(el: etree._Element) -> bool:
    """Several paragraphs of its own, few links: article text whatever the element is called."""
    para = _NEAR_PARAGRAPHS(el)
    if len(para) < 2:
        return False
    n = sum(_text_len(p) for p in para)
    return n >= 400 and sum(_link_len(p) for p in para) < 0.2 * n


def _prune_reason(el: etree._Element, facts: _TreeFacts | None = None) -> str | None:
    """Why ``el`` is boilerplate (``tag``, ``role``, ``hidden``, ``widget``, ``layout``), or None."""
    tag = el.tag
    if tag in DROP_TAGS:
        return "tag"
    if facts is not None:
        keys = el.keys()  # one read of the attribute names instead of four lookups
        if "role" not in keys and "style" not in keys and "hidden" not in keys and "aria-hidden" not in keys:
            return facts.names_reason(el) if keys else None  # only the names can say; no attribute, no names
    role = el.get("role")
    if role and role.lower() in DROP_ROLES:
        return "role"
    aria_hidden, style = el.get("aria-hidden"), el.get("style")
    if (
        el.get("hidden") is not None
        or (aria_hidden and aria_hidden.lower() == "true")
        or (style and _HIDDEN_STYLE_RE.search(style))
    ):
        return "hidden"
    return facts.names_reason(el) if facts is not None else _names_reason(_role_names(el))


def _names_reason(names: str) -> str | None:
    """``widget`` or ``layout`` when an element's role names (:func:`_role_names`) say so, else None."""
    if names:
        if _STRONG_NEG_RE.search(names) or _AD_RE.search(names):
            return "widget"
        if _WEAK_NEG_RE.search(names) and not _POSITIVE_RE.search(names):
            return "layout"
    return None


_INLINE_TAGS = frozenset("a span b i em strong small abbr time sup sub".split())
# Phrasing elements: their text belongs to the block around them.
_INLINE_ALL = _INLINE_TAGS | frozenset(
    (
        "font u s strike big tt code kbd samp var cite q mark ins del dfn bdi bdo label br img wbr nobr ruby rt rp data"
    ).split()
)
_HOLDS_DECLARED_BODY = etree.XPath("boolean(.//*[@itemprop='articleBody'] | .//main)")
_HOLDS_ARTICLE = etree.XPath("boolean(.//article)")
# Every itemprop attribute of a tree (for :meth:`_TreeFacts.holds_declared_body`).
_ITEMPROPS = etree.XPath("descendant-or-self::*/@itemprop")
_ITEMPROPS_BELOW = etree.XPath("descendant::*/@itemprop")


def _content_token(el: etree._Element) -> bool:
    """True when one of the element's own class/id tokens names content and no widget
    ("entry-content" next to "entry-content-read-more"; not "post-comments")."""
    return any(
        _POSITIVE_RE.search(t) and not _STRONG_NEG_RE.search(f" {t} ") and not _AD_RE.search(t)
        for t in _role_names(el).split()
    )


def _protected(el: etree._Element, reason: str, total: int, facts: _TreeFacts | None = None) -> bool:
    """True when a name or tag match must not remove ``el``: it holds the article.

    Widgets (comments, share, related …) are removed even when long, unless they wrap the
    declared body or are named as content too and hold the page's prose; layout parts (sidebar,
    card, header …), furniture tags and hidden elements are kept when they hold much of the
    page's text or several paragraphs of prose (a misnamed wrapper), except an element named
    exactly "sidebar", which is protected only when it holds the declared body or an ``<article>``.
    """
    if facts is not None:
        text_len = facts.text_len
        holds_declared, holds_article = facts.holds_declared_body(el), facts.holds_article(el)
    else:
        text_len = _text_len
        holds_declared, holds_article = _HOLDS_DECLARED_BODY(el), _HOLDS_ARTICLE(el)
    if holds_declared:
        return True
    if reason == "widget":
        # comment threads often mark each comment as an <article>: that does not protect them
        return _content_token(el) and (text_len(el) > 0.6 * total or _is_prose(el))
    if holds_article:
        return True
    if _is_sidebar(el):
        return False  # its prose (a disclaimer, an "about this blog" box) is the sidebar's, however long
    if text_len(el) > 0.35 * total:
        return True
    return reason in ("layout", "role") and _is_prose(el)


def _is_sidebar(el: etree._Element) -> bool:
    """Whether one of the element's class or id tokens is exactly ``sidebar`` (not a wrapper named
    ``page-with-sidebar`` or ``has-sidebar``: those hold the article beside the sidebar)."""
    return any(t.lower() in ("sidebar", "side-bar") for t in _attrs(el).split())


def _prune(body: etree._Element, removed: _Removed | None = None) -> None:
    """Remove boilerplate elements in place (tails are kept: they belong to the parent); what is
    removed is noted in ``removed`` when given."""
    if removed is not None:
        removed.note_stripped(body)
    etree.strip_elements(body, *HARD_DROP_TAGS, with_tail=False)
    facts = _TreeFacts()  # nothing is removed until the loop below has decided
    total = max(1, _text_len(body))
    gallery = _is_gallery(body, total)
    doomed: list[tuple[etree._Element, str]] = []
    # depth first in document order, skipping the subtree of anything removed (walked in C: a
    # Python stack of children costs more than the rules it feeds)
    walk = etree.iterwalk(body, events=("start", "comment", "pi"))
    next(walk)  # body itself
    for _, el in walk:
        if not isinstance(el.tag, str):  # comments / processing instructions
            doomed.append((el, "tag"))
            continue
        reason = _prune_reason(el, facts)
        if gallery and el.tag in ("figure", "figcaption") and reason == "tag":
            reason = None  # a slideshow page: the captions are its text
        if reason is not None and el.tag not in _INLINE_TAGS and _protected(el, reason, total, facts):
            reason = None
        if reason is not None:
            doomed.append((el, reason))
            walk.skip_subtree()
    doomed = _relax_name_guesses(doomed, total, facts)
    if removed is not None:
        removed.note(doomed)
        removed.declared_bodies = facts.declared_bodies
    for el, _ in doomed:
        _drop(el)


class _Removed:
    """Where pruning removed elements (whole, with their subtrees): each parent's children before, enough
    to read the page below an element as it was before pruning (:func:`_leads_before`)."""

    def __init__(self, body: etree._Element) -> None:
        self.body = body
        self._children: dict[etree._Element, list[etree._Element]] = {}  # each parent's children before
        self._positions: dict[etree._Element, dict[etree._Element, int]] = {}
        # the elements whose itemprop is "articleBody", before the removal (when pruning read them)
        self.declared_bodies: list[etree._Element] | None = None

    def note_stripped(self, body: etree._Element) -> None:
        """Note the parents of the elements the strip of :data:`HARD_DROP_TAGS` is about to remove."""
        children = self._children
        for el in body.iter(*HARD_DROP_TAGS):
            parent = el.getparent()
            if parent is not None and parent not in children:
                children[parent] = list(parent)

    def note(self, doomed: list[tuple[etree._Element, str]]) -> None:
        """Note the parents of the elements about to be removed (comments and processing instructions
        need not be: their removal changes no other element's order)."""
        children = self._children
        for el, _ in doomed:
            parent = el.getparent()
            if parent is not None and isinstance(el.tag, str) and parent not in children:
                children[parent] = list(parent)

    def children(self, parent: etree._Element) -> list[etree._Element]:
        """``parent``'s children before pruning (see :meth:`positions`)."""
        kids = self._children.get(parent)
        return kids if kids is not None else list(parent)

    def positions(self, parent: etree._Element) -> dict[etree._Element, int]:
        """The positions of ``parent``'s children before pruning (any parent: one that lost no child
        to pruning, or that pruning removed whole, has its children still)."""
        found = self._positions.get(parent)
        if found is None:
            kids = self._children.get(parent)
            found = self._positions[parent] = {child: i for i, child in enumerate(kids if kids is not None else parent)}
        return found


# Widgets that lie over the page (a login dialog, a consent notice): never the article, whatever
# the page looks like. Linear: one alternation between fixed boundaries.
_OVERLAY_RE = re.compile(r"(?:^|[\s_-])(?:modal|popup|cookie\w*|consent|gdpr)(?:$|[\s_-])", re.I)


def _relax_name_guesses(
    doomed: list[tuple[etree._Element, str]], total: int, facts: _TreeFacts | None = None
) -> list[tuple[etree._Element, str]]:
    """The removals to make when names would take away nearly all the page's text.

    Names are a guess. If they would take away nearly all the text (a page built of "card"s),
    the guess is wrong for this page: prune by tag only and let density decide, except for
    overlays (a login dialog, a consent notice), which would otherwise be all that is left.
    """
    if not any(reason in ("widget", "layout") for _, reason in doomed):
        return doomed
    text_len = facts.text_len if facts is not None else _text_len
    remaining = total - sum(text_len(el) for el, _ in doomed if isinstance(el.tag, str))
    if remaining >= 200 or remaining >= 0.2 * total:
        return doomed
    return [
        (el, reason)
        for el, reason in doomed
        if reason not in ("widget", "layout") or (reason == "widget" and _OVERLAY_RE.search(_role_names(el)))
    ]


_GALLERY_MIN_CAPTIONS = 3
_GALLERY_CAPTION_MIN = 60  # characters: a caption that tells something, not a credit line
_GALLERY_SHARE = 0.5


def _is_gallery(body: etree._Element, total: int) -> bool:
    """A slideshow page: its text is mostly in several real captions (``<figcaption>``)."""
    sizes = [n for n in (_text_len(c) for c in body.iter("figcaption")) if n >= _GALLERY_CAPTION_MIN]
    return len(sizes) >= _GALLERY_MIN_CAPTIONS and sum(sizes) >= _GALLERY_SHARE * total


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


@dataclass
class _Block:
    text: str
    tag: str
    links: int


def _render_blocks(container: etree._Element) -> list[_Block]:
    """The container's text as blocks: one per block element, <br> as a line break."""
    blocks: list[_Block] = []
    buf: list[str] = []
    links = 0
    in_link = 0
    in_pre = 0
    block_tag = container.tag if isinstance(container.tag, str) else "div"
    tag_stack: list[str] = []

    def flush() -> None:
        nonlocal links
        if buf:
            raw = "".join(buf)
            buf.clear()
            if _BR in raw:
                lines = [_SPACE_RE.sub(" ", line).strip() for line in raw.split(_BR)]
                text = "\n".join(line for line in lines if line)
            else:  # one line (most blocks): what the lines above make of it
                text = _SPACE_RE.sub(" ", raw).strip()
            if text:
                blocks.append(_Block(text, block_tag, links))
        links = 0

    def add(s: str | None) -> None:
        nonlocal links
        if not s:
            return
        if in_pre:
            s = s.replace("\n", _BR)
        buf.append(s)
        if in_link:
            links += len(s.strip())

    for event, node in etree.iterwalk(container, events=("start", "end")):
        tag = node.tag  # read once: each read builds a new string
        if not isinstance(tag, str):
            tag = ""
        if event == "start":
            if tag in BLOCK_TAGS:
                flush()
                tag_stack.append(block_tag)
                block_tag = tag
            if tag == "br":
                buf.append(_BR)
            elif tag in ("td", "th"):
                buf.append(" ")
            elif tag == "a":
                in_link += 1
            elif tag == "pre":
                in_pre += 1
            add(node.text)
        else:
            if tag == "a":
                in_link -= 1
            elif tag == "pre":
                in_pre -= 1
            if tag in BLOCK_TAGS:
                flush()
                block_tag = tag_stack.pop() if tag_stack else "div"
            if node is not container:
                add(node.tail)
    flush()
    return blocks


_BLOCK_OR_CELL = BLOCK_TAGS | PARA_TAGS | frozenset(("th", "td", "table"))


def _own_text(el: etree._Element) -> str:
    """The text that belongs to ``el`` itself: its text and everything inline in it, not the
    text of block children (a ``<div>`` of text nodes split by ``<br>`` and nested ``<div>``s)."""
    if not len(el):  # no children (most elements): the walk below would give just this
        return el.text or ""
    parts = [el.text or ""]
    stack = list(reversed(el))
    while stack:  # depth first through inline children only
        child = stack.pop()
        if isinstance(child, str):
            parts.append(child)
            continue
        if isinstance(child.tag, str) and child.tag not in _BLOCK_OR_CELL:
            if child.tail:
                stack.append(child.tail)
            stack.extend(reversed(child))
            parts.append(child.text or "")
        else:
            parts.append(child.tail or "")
    return "".join(parts)


def _paragraph_like(body: etree._Element) -> list[tuple[etree._Element, str]]:
    """Paragraph-like elements and their text: <p>/<pre>/… whole, and any other block element
    with text of its own (text nodes of a <div>, however deeply such <div>s nest)."""
    out = []
    for el in body.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag in PARA_TAGS:
            out.append((el, _string(el)))
        elif tag in BLOCK_TAGS or tag not in _INLINE_ALL:
            own = _own_text(el)
            if len(own) >= _MIN_PARA and len(own.strip()) >= _MIN_PARA:
                out.append((el, own))
    return out


def _class_weight(el: etree._Element) -> float:
    flags = _raw_flags(el.get("class") or "") | _raw_flags(el.get("id") or "")  # the patterns in _attrs(el)
    w = 0.0
    if flags & _CONTENT_NAME:
        w += 25
    if flags & (_WIDGET_NAME | _LAYOUT_NAME):
        w -= 25
    if el.get("itemprop") == "articleBody":
        w += 50
    return w


def _declared_containers(body: etree._Element, seen: list[etree._Element] | None = None) -> list[etree._Element]:
    """The outermost ``itemprop="articleBody"`` elements, when they hold real text; ``seen``: those of
    the page before pruning removed elements (:attr:`_Removed.declared_bodies`), when known."""
    if seen is not None:  # those still below the body: what the search below finds, without a walk
        declared = [el for el in seen if body in el.iterancestors()]
    else:  # what .//*[@itemprop='articleBody'] finds, in the same order, from the attributes (cheaper)
        declared = [attr.getparent() for attr in _ITEMPROPS_BELOW(body) if attr == "articleBody"]
    declared = [el for el in declared if not any(a in declared for a in el.iterancestors())]
    # pages repeat the declared body (a crawler copy next to the visible one): keep one of each text
    unique: dict[str, etree._Element] = {}
    for el in declared:
        unique.setdefault(" ".join(_string(el).split()), el)
    declared = list(unique.values())
    if declared and sum(_text_len(el) for el in declared) >= 200:
        return declared  # type: ignore[no-any-return]
    return []


def _density_containers(body: etree._Element) -> tuple[list[etree._Element], str]:
    """The element(s) holding most of the page's prose, by content density, and the rule used."""
    facts = _TreeFacts()  # the tree is not changed from here on
    scores: dict[etree._Element, float] = {}
    prose: dict[etree._Element, int] = {}  # characters of prose paragraphs in each subtree
    own_prose: dict[etree._Element, int] = {}  # … in the element's own text nodes
    for el, text in _paragraph_like(body):
        if len(text) < _MIN_PARA:
            continue  # collapsing whitespace never lengthens a text: too short either way
        n = len(_SPACE_RE.sub(" ", text).strip())
        if n < _MIN_PARA:
            continue
        points = 1 + text.count(",") + text.count("\uff0c") + text.count("\u3001") + min(n / 100, 3)
        parent = el.getparent()
        for depth, anc in enumerate((parent, parent.getparent() if parent is not None else None)):
            if anc is None or not isinstance(anc.tag, str):
                break
            if anc not in scores:
                scores[anc] = _class_weight(anc) + (5 if anc.tag in ("div", "article", "section", "main") else 0)
            scores[anc] += points / (1 + depth)
        if el.tag in PARA_TAGS and facts.link_len(el) > 0.3 * n:
            continue  # a list of links is not prose
        prose[el] = prose.get(el, 0) + n
        if el.tag not in PARA_TAGS:
            own_prose[el] = n
        for anc in el.iterancestors():
            prose[anc] = prose.get(anc, 0) + n
    if not scores:
        return [body], "body"
    final = {}
    for el, s in scores.items():
        n = facts.text_len(el)
        density = facts.link_len(el) / n if n else 1.0
        final[el] = s * (1 - density)
    top = max(final, key=lambda e: final[e])
    best = final[top]
    top = _common_container(top, final)
    widened = _widen(top, prose, own_prose, facts)
    if widened is not top:
        return [widened], "density"
    parent = top.getparent()
    if parent is None:
        return [top], "density"
    threshold = max(10.0, best * 0.2)
    chosen = []
    for sib in parent:
        if sib is top:
            chosen.append(sib)
            continue
        if not isinstance(sib.tag, str):
            continue
        if final.get(sib, -1) >= threshold:
            chosen.append(sib)
            continue
        if sib.tag == "p":
            n = facts.text_len(sib)
            density = facts.link_len(sib) / n if n else 1.0
            text = _string(sib).strip()
            if (n > 80 and density < 0.25) or (0 < n <= 80 and density == 0 and re.search(r"[.!?]['\"\u201d]?$", text)):
                chosen.append(sib)
    return chosen, "density"


def _widen(
    top: etree._Element,
    prose: dict[etree._Element, int],
    own_prose: dict[etree._Element, int],
    facts: _TreeFacts | None = None,
) -> etree._Element:
    """Climb from ``top`` to an ancestor when what the ancestor adds is more of the same prose.

    Articles cut into sibling chunks (by ads, figures, inline boxes, one wrapper per paragraph
    or nested text ``<div>``s) leave the best-scoring container holding only part of the text:
    an ancestor whose extra text is mostly prose paragraphs, with few links, holds the rest.
    Wrappers that add (almost) nothing are climbed through; the climb is kept only up to the
    last ancestor that added prose.
    """
    text_len, link_len = (facts.text_len, facts.link_len) if facts is not None else (_text_len, _link_len)
    node = best = top
    node_text, node_links = text_len(top), link_len(top)
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        text, links = text_len(parent), link_len(parent)
        extra_text = text - node_text
        extra_prose = prose.get(parent, 0) - prose.get(node, 0)
        if extra_text > _WRAPPER_SLACK:
            if extra_prose < _WIDEN_PROSE_SHARE * extra_text or links - node_links > _WIDEN_MAX_LINKS * extra_text:
                break
        node, node_text, node_links = parent, text, links
        # prose of the parent's own (nested text <div>s) counts whatever its size; prose from
        # siblings only when it is a real share of the article (not a one-line box beside it)
        own = own_prose.get(node, 0)
        if (own and own >= extra_prose - _WRAPPER_SLACK) or extra_prose >= _WIDEN_MIN_GAIN * max(1, prose.get(best, 0)):
            best = node
    return best


_WRAPPER_SLACK = 80  # characters a wrapper may add (a heading, a label) and still be a wrapper
_WIDEN_MIN_GAIN = 0.25
_WIDEN_PROSE_SHARE = 0.5
_WIDEN_MAX_LINKS = 0.3


def _common_container(top: etree._Element, final: dict[etree._Element, float]) -> etree._Element:
    """Widen ``top`` to the ancestor it shares with other near-best candidates.

    Templates that cut an article into chunks (one wrapper per few paragraphs, ads between
    them) give several containers that score almost alike; the article is their common
    ancestor, a few levels up, not the best single chunk.
    """
    best = final[top]
    ancestors_of_top = set(top.iterancestors())
    alternatives = [
        el
        for el, s in final.items()
        if el is not top and s >= 0.6 * best and el not in ancestors_of_top and top not in set(el.iterancestors())
    ]
    if not alternatives:
        return top
    node = top
    for _ in range(3):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        node = parent
        inside = sum(1 for el in alternatives if node in set(el.iterancestors()))
        if inside >= 1:
            return node
    return top


def _render(containers: list[etree._Element]) -> list[_Block]:
    """The kept blocks of the containers, in document order.

    A short title right before a dropped list of links is that list's title ("Related
    stories", "More on this topic"; also when written as the ``<ul>``'s own text): it goes with
    the list. Headings left at the very end, with
    no text under them, are the titles of widgets pruned away ("You might also like",
    "Comments"): they go too, unless they end a sentence.
    """
    out: list[_Block] = []
    previous_kept = False
    for c in containers:
        for b in _render_blocks(c):
            if _keep(b):
                out.append(b)
                previous_kept = True
                continue
            if previous_kept and out and _is_list_title(out[-1]):
                out.pop()
            previous_kept = False
    _drop_trailing_calls(out)
    _cut_trailing_section(out)
    while len(out) > 1 and out[-1].tag in HEADINGS and not out[-1].text.endswith("."):
        out.pop()
    return out


def _is_list_title(block: _Block) -> bool:
    text = block.text
    return (
        len(text) <= _LIST_TITLE_MAX
        and "\n" not in text
        and text[-1:] not in '.!?"”)'
        and (block.tag in HEADINGS or block.tag in ("div", "p", "span", "strong", "dt", "ul", "ol"))
    )


_LIST_TITLE_MAX = 60


# A notice that a widget needs scripts ("This slideshow requires JavaScript.", "Bitte aktivieren
# Sie JavaScript"): the widget is not there, its notice is no article text. Linear: fixed
# alternations, one bounded gap.
_SCRIPT_NOTICE_RE = re.compile(
    r"\b(?:requires?|enable|enabled|activate|aktivieren|aktiviert|activer|activez|habilita|habilitar|turn on)\b"
    r".{0,60}\bjavascript\b"
    r"|\bjavascript\b.{0,60}\b(?:required|enabled?|disabled|aktivieren|aktiviert|activ\w*|habilit\w*)\b",
    re.I,
)
_NOTICE_MAX = 160
# Rights notices and share prompts inside the article container ("This document is subject to
# copyright.", "Alle Rechte vorbehalten", "Like this story? Share it with a friend!"). Only short
# blocks: a paragraph of prose that quotes such a phrase stays. Linear: fixed alternations.
_RIGHTS_NOTICE_RE = re.compile(
    r"all rights reserved|subject to copyright|may be reproduced|copyrighted property|"
    r"without (?:the )?(?:prior )?written permission|"
    r"alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|riproduzione riservata|무단전재|"
    # one word boundary before all the phrases that need one: the same matches, and re then tests the
    # boundary once per position instead of once per phrase
    r"\b(?:share (?:it|this(?: story| article| post)?) with (?:a|your) friends?\b|"
    r"unter der lizenz\b|licensed under\b|under a creative commons\b|sous licence\b|bajo (?:una )?licencia\b|"
    r"inhalte dieser (?:website|webseite|seite)\b|content on this (?:site|website)\b)",
    re.I,
)
_RIGHTS_NOTICE_MAX = 300
# "Citation: <title> (2019, November 18) retrieved … from https://…", "Cite this article: …": how
# to cite the page, not its text. Linear: a fixed alternation anchored at the start.
_CITE_RE = re.compile(
    r"^(?:citation|cite this(?: article| page| story)?|how to cite(?: this(?: article| page))?)\s{0,3}:"
    r"|^suggested citation\b",
    re.I,
)
_CITE_MAX = 400
_SCRIPT_NOTICE_TWIN, _RIGHTS_NOTICE_TWIN = _ascii_twin(_SCRIPT_NOTICE_RE), _ascii_twin(_RIGHTS_NOTICE_RE)


_LINKED_SENTENCE_MIN = 60


def _linked_sentence(block: _Block) -> bool:
    """A paragraph of prose whose words are mostly links (names and sources linked in a
    sentence): a ``<p>`` of one line that ends a sentence, with some text outside the links."""
    text = block.text
    return (
        block.tag == "p"
        and len(text) >= _LINKED_SENTENCE_MIN
        and "\n" not in text
        and text[-1:] in ".!?"
        and block.links <= 0.9 * len(text)
    )


def _keep(block: _Block) -> bool:
    n = len(block.text)
    if block.tag == "h1":
        return False  # the headline is metadata, not body
    if block.links and block.links / max(1, n) > 0.5 and not _linked_sentence(block):
        return False  # lists of links to other stories
    if n <= _NOTICE_MAX and _finds(_SCRIPT_NOTICE_RE, _SCRIPT_NOTICE_TWIN, block.text):
        return False
    if n <= _RIGHTS_NOTICE_MAX and _finds(_RIGHTS_NOTICE_RE, _RIGHTS_NOTICE_TWIN, block.text):
        return False
    if n <= _CITE_MAX and _CITE_RE.match(block.text):
        return False
    if _is_comment_label(block.text):
        return False
    if _is_call_to_reader(block.text):
        return False
    if _is_credit_line(block.text) or _is_filing_line(block.text) or _is_ad_label(block.text):
        return False
    if _is_caption_line(block.text):
        return False
    return True


def extract_body(root: etree._Element, *, jsonld_body: str | None = None) -> Extracted:
    """The article text of a parsed page (the tree is pruned in place)."""
    body = root.find("body")
    if body is None:
        body = root
    templates = _template_sources(body)
    removed = _Removed(body)  # the lead search reads the page as it was before pruning (_leads_before)
    _prune(body, removed)
    declared = _declared_containers(body, removed.declared_bodies)
    if declared:
        containers, method = declared, "itemprop"
    else:
        containers, method = _density_containers(body)
    blocks = _render(containers)
    lead = _lead_for(containers, removed)
    if not lead and method == "density":
        lead = _intro_before(containers, blocks)
    if lead:
        blocks = lead + blocks
    text = "\n\n".join(b.text for b in blocks)
    if jsonld_body and isinstance(jsonld_body, str):
        jl = jsonld_body.strip()
        if len(jl) > 2 * max(len(text), 100):
            return Extracted(text=_jsonld_text(jl), method="jsonld")
    if method == "itemprop":
        return Extracted(text=text, method=method)  # the page said where its body is
    if len(text) < _SHORT_BODY and templates:
        # the post ships as an HTML template that a script renders (blog engines do this)
        page = etree.fromstring(f"<html><body>{''.join(templates)}</body></html>", _FRAGMENT_PARSER)
        if page is not None:
            found = extract_body(page)
            if len(found.text) >= max(_SHORT_BODY, 3 * len(text)):
                return Extracted(text=found.text, method="template")
    if len(text) < _SHORT_BODY:
        # The chosen block is (nearly) empty: a slideshow, a product or a legal page whose text
        # is not in paragraphs. The page's readable blocks, when they hold clearly more, are a
        # better answer than nothing.
        whole = "\n\n".join(b.text for b in _render_blocks(body) if _keep(b) and _readable(b))
        if len(whole) >= max(_SHORT_BODY, 3 * len(text)):
            return Extracted(text=whole, method="readable")
    return Extracted(text=text, method=method)


_SHORT_BODY = 250

# Class/id names of a standfirst: the one-paragraph summary between the headline and the body
# ("article-lead", "field-perex", "dig-vorspann", "entry-summary"). Linear: one alternation
# between fixed boundaries.
_LEAD_RE = re.compile(
    r"(?:^|[\s_-])(?:lead|lede|intro|teaser|summary|excerpt|abstract|perex|chapo|standfirst|deck|dek|description|"
    r"preface|vorspann|subtitle|subheadline|subhead|strapline)(?:$|[\s_-])",
    re.I,
)
# The same words anywhere in a lower-cased name: a cheap test before the names are split into
# words. Linear: one alternation of literals.
_LEAD_HINT_RE = re.compile(
    r"lead|lede|intro|teaser|summary|excerpt|abstract|perex|chapo|standfirst|deck|dek|description|"
    r"preface|vorspann|subtitle|subhead|strapline",
)
_LEAD_MIN, _LEAD_MAX = 40, 1500
_NOT_LEAD_TAGS = frozenset("h1 a img body figure figcaption picture".split())
# A lead image or video ("lead-asset", "lead-media") is no standfirst. Linear: one alternation.
_MEDIA_RE = re.compile(r"asset|image|img|media|photo|picture|video|figure|caption|credit", re.I)
# An author box ("author-box", "author-info", "bio"): its "description" is about the writer. Linear:
# one alternation between fixed boundaries.
_AUTHOR_BOX_RE = re.compile(r"(?:^|[\s_-])(?:author|authors|bio|biography|profile)(?:$|[\s_-])", re.I)
_LEAD_LEVELS = 4  # the standfirst and the body share an ancestor at most this far above the body


@dataclass
class _Lead:
    el: etree._Element
    ancestors: frozenset[etree._Element]
    chain: tuple[etree._Element, ...]  # the same ancestors, nearest first, before pruning


@dataclass
class _Leads:
    found: list[_Lead]  # in document order
    # the body's ancestors in scope: their children's positions before pruning (which removes children;
    # a lead, or the branch that holds it, may be among them)
    positions: dict[etree._Element, dict[etree._Element, int]]
    headline_groups: set[etree._Element]  # the elements that hold an <h1>


def _names_lead(el: etree._Element) -> bool:
    """Whether the tag and names of ``el``, whose class or id holds a standfirst's word, make it one."""
    if not isinstance(el.tag, str) or el.tag in _NOT_LEAD_TAGS:
        return False
    names = _role_names(el)
    return _LEAD_RE.search(names) is not None and _MEDIA_RE.search(names) is None


def _hinted(el: etree._Element, hints: dict[str, bool]) -> bool:
    """Whether the class or id of ``el`` holds a standfirst's word (``hints``: the answers so far)."""
    cls = el.get("class")
    if cls is not None:
        hinted = hints.get(cls)
        if hinted is None:
            hinted = hints[cls] = _lead_hint(cls)
        if hinted:
            return True
    ident = el.get("id")
    if ident is not None:
        hinted = hints.get(ident)
        if hinted is None:
            hinted = hints[ident] = _lead_hint(ident)
        return hinted
    return False


def _leads_before(first: etree._Element, scope: list[etree._Element], removed: _Removed) -> _Leads:
    """The standfirst candidates (a class or id that names one, :func:`_hinted` and :func:`_names_lead`)
    below the top of ``scope`` (the ancestors of ``first``, nearest first) and before ``first``, in the
    page as it was before pruning (what pruning removed included), in document order, with their
    ancestors then; and the ``<h1>`` holders among the elements read. No other candidate can count: a
    standfirst shares an ancestor in scope with the body and precedes it."""
    leads: list[_Lead] = []
    hints: dict[str, bool] = {}
    headline_groups: set[etree._Element] = set()
    path = [first, *scope]  # path[i + 1] is the parent of path[i]
    outer = tuple(scope[-1].iterancestors())
    for i in range(len(path) - 1, 0, -1):
        parent, near = path[i], path[i - 1]
        chain = (*path[i:], *outer)  # the ancestors of parent's children
        positions = removed.positions(parent)
        siblings = removed.children(parent)
        stack = [(kid, chain) for kid in reversed(siblings[: positions[near]])]
        if near is not first:
            stack.insert(0, (near, chain))  # read after the siblings before it, as in document order
        while stack:  # depth first, in document order, through the children each element had before
            el, ancestors = stack.pop()
            if _hinted(el, hints) and _names_lead(el):
                leads.append(_Lead(el, frozenset(ancestors), ancestors))
            if el.tag == "h1":
                headline_groups.update(ancestors)
            if el is near:
                continue  # its children are read at the next level down
            kids = removed.children(el)
            if kids:
                below = (el, *ancestors)
                stack.extend((kid, below) for kid in reversed(kids))
    positions_of = {a: removed.positions(a) for a in scope}
    return _Leads(leads, positions_of, headline_groups)


@lru_cache(maxsize=_NAMES_CACHE)
def _lead_hint(attr: str) -> bool:
    """Whether one class or id value holds a word of :data:`_LEAD_HINT_RE` (none spans a space, so
    the class's and the id's answers together are the answer for both); remembered, bounded."""
    return _LEAD_HINT_RE.search(attr.lower()) is not None


def _precedes(lead: _Lead, first: etree._Element, shared: etree._Element, near: etree._Element, found: _Leads) -> bool:
    """Whether ``lead`` came before ``first`` in document order before pruning (an ancestor comes
    before its descendants). ``shared`` is their nearest common ancestor (not either of them) and
    ``near`` its child that is or holds ``first``; pruning removed neither ``first`` nor its ancestors."""
    chain = lead.chain
    at = chain.index(shared)
    branch = chain[at - 1] if at else lead.el  # the child of ``shared`` that is or holds the lead
    if branch is near:  # one holds the other: the lead (before ``first``) or ``first`` (not before)
        return near is not first
    siblings = found.positions[shared]
    return siblings[branch] < siblings[near]


def _lead_for(containers: list[etree._Element], removed: _Removed) -> list[_Block]:
    """The standfirst just before the chosen body, when the body left it out.

    A lead paragraph styled apart (its own class, often inside the page header) sits outside
    the container of the body paragraphs. It is taken when it precedes the body, shares an
    ancestor with it at most a few levels up, is not inside another list or the body itself,
    reads as prose (40–1,500 characters, few links, a sentence's end in it) and is the nearest
    such element. A standfirst grouped with the ``<h1>`` (in the element that holds the headline, below the
    level it shares with the body) belongs to the page header and stays out.
    """
    if not containers:
        return []
    first = containers[0]
    if first is not removed.body and removed.body not in first.iterancestors():
        return []  # not in the page's body (the root)
    scope = []
    node = first
    for _ in range(_LEAD_LEVELS):
        node = node.getparent()
        if node is None or node.tag in ("body", "html"):
            break
        scope.append(node)
    if not scope:
        return []
    found = _leads_before(first, scope, removed)  # no lead elsewhere can count
    leads, headline_groups = found.found, found.headline_groups
    for lead in reversed(leads):  # the nearest before the body first
        at = next((i for i, a in enumerate(scope) if a in lead.ancestors), None)
        if at is None or any(lead.el is c or c in lead.ancestors for c in containers):
            continue
        shared = scope[at]
        if not _precedes(lead, first, shared, scope[at - 1] if at else first, found):
            continue
        below = lead.chain[: lead.chain.index(shared)]  # the lead's ancestors under the shared one
        if any(a.tag in ("li", "a", "nav", "footer", "aside") for a in below):
            continue  # a teaser in a list of other stories
        if any(_AUTHOR_BOX_RE.search(_role_names(a)) for a in below):
            continue  # the author's description in a bio box
        if any(a in headline_groups for a in below) and not _trailing_prose(lead.el):
            continue  # grouped with the headline: the page header's deck, unless it reads as an intro
        if any(_prune_reason(a) == "widget" for a in below):
            continue  # a description inside a widget (an author box, a teaser of related stories)
        n = _text_len(lead.el)
        if not _LEAD_MIN <= n <= _LEAD_MAX or _link_len(lead.el) > 0.25 * n:
            continue
        blocks = [b for b in _render_blocks(lead.el) if _keep(b)]
        if not _reads_as_lead(blocks):
            continue  # labels, a date, a title: the names say standfirst, the text does not
        return blocks
    return []


def _reads_as_lead(blocks: list[_Block]) -> bool:
    """Whether a standfirst's kept blocks read as prose: a sentence's end in them (a breadcrumb,
    a date and a title under a "teaser" name have none)."""
    return any(b.text.endswith(_INTRO_END) for b in blocks)


_INTRO_LEVELS = 3  # the intro is the body's preceding sibling, or that of an ancestor at most this far up
_INTRO_MIN, _INTRO_MAX = 200, 1500
_INTRO_END = tuple('.!?…"»”')


def _intro_before(containers: list[etree._Element], body: list[_Block]) -> list[_Block]:
    """The intro paragraph that the template set apart just before the chosen body.

    Templates put the first paragraph (a bold intro, a "the facts" box) in its own element
    before the body's wrapper, often with the headline: the nearest element with text before
    the body, at most a few levels up, ends in paragraphs of prose. Those trailing paragraphs
    are taken when together they read as an intro (200–1,500 characters, two sentences or
    more, few links) and do not repeat the body's opening; a one-sentence deck under the
    headline stays out. Anything else in between (a byline, a date, a heading of its own)
    means there is no such intro.
    """
    node = containers[0]
    for _ in range(_INTRO_LEVELS):
        sib = node.getprevious()
        while sib is not None and (not isinstance(sib.tag, str) or _text_len(sib) == 0):
            sib = sib.getprevious()
        if sib is not None:
            intro = _trailing_prose(sib)
            return intro if intro and not _repeats(intro, body) else []
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        node = parent
    return []


def _trailing_prose(el: etree._Element) -> list[_Block]:
    """The run of prose paragraphs that ends ``el`` when it reads as an intro, else nothing."""
    run: list[_Block] = []
    for b in reversed(_render_blocks(el)):
        if b.tag in HEADINGS or not _keep(b) or not b.text.endswith(_INTRO_END) or b.links > 0.2 * len(b.text):
            break
        run.insert(0, b)
    n = sum(len(b.text) for b in run)
    sentences = sum(len(_SENTENCE_END_RE.findall(b.text)) + 1 for b in run)
    return run if _INTRO_MIN <= n <= _INTRO_MAX and sentences >= 2 else []


# a sentence's end inside a text: linear, one character class and an optional closing quote
_SENTENCE_END_RE = re.compile(r"[.!?…][\"»”)]?\s")
_WORD_RE = re.compile(r"\w+")  # linear: one character class


def _repeats(intro: list[_Block], body: list[_Block]) -> bool:
    """True when the intro says again what the body's first paragraphs say (a summary copy)."""
    words = set(_WORD_RE.findall(" ".join(b.text for b in intro).lower()))
    opening = set(_WORD_RE.findall(" ".join(b.text for b in body[:3]).lower()))
    return len(words & opening) >= 0.6 * max(1, len(words))


# <script type="text/template"> and kin: HTML that a script will render (blog engines ship the
# whole post this way); the browser shows it, so it is page text.
_TEMPLATE_TYPES = frozenset(("text/template", "text/x-template", "text/html", "text/x-handlebars-template"))


def _template_sources(body: etree._Element) -> list[str]:
    """The HTML of the page's template scripts (read before pruning removes all scripts)."""
    out = []
    for script in body.iterdescendants("script"):  # found in C; cheaper than an XPath over every node
        if (script.get("type") or "").strip().lower() not in _TEMPLATE_TYPES:
            continue  # asked first: reading a script's text copies it (inline data runs to megabytes)
        source = script.text
        if source and "<p" in source:
            out.append(source)
    return out


_FRAGMENT_PARSER = etree.HTMLParser(no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)


def _readable(block: _Block) -> bool:
    """A block a person would read as text: a sentence or a line of some length, not a label."""
    return len(block.text) >= 15 or block.tag in ("pre", "td", "li")


def prune_and_render(root: etree._Element) -> str:
    """All of a page's text after pruning, no container chosen (for fragments already cut out)."""
    body = root.find("body")
    if body is None:
        body = root
    _prune(body)
    return "\n\n".join(b.text for b in _render_blocks(body) if _keep(b))


def _jsonld_text(value: str) -> str:
    """JSON-LD articleBody as body text (some sites put HTML in it)."""
    if "<p" in value or "<br" in value:
        from lxml import html as lhtml

        frag = lhtml.fragment_fromstring(value, create_parent="div")
        return "\n\n".join(b.text for b in _render_blocks(frag))
    return value


# A call to action addressed to the reader: subscribe, sign up for the newsletter, follow us,
# download the app, support or join us, share this ("Siguenos en Telegram", "Abonnieren Sie unseren
# Newsletter", "Do you want to be informed? Sign up here"). Linear: fixed alternations, one bounded gap.
_CALL_TO_ACTION_RE = re.compile(
    r"\bsubscribe\b|\bsubscri(?:ption|bers?)\b|\bsign up (?:for|here|now|to|today)\b|"
    r"\bfollow us\b|\bfollow (?:me|him|her|them) on\b|"
    r"\bdownload (?:the|our)\b[\w ]{0,30}\bapps?\b|\b(?:for|für|para|pour) ios\b|\bgoogle play\b|\bapp store\b|"
    r"\bsupport (?:our|us)\b|\bconsider supporting\b|"
    r"\bdonate (?:now|today|here)\b|\bbecome a (?:member|subscriber)\b|\bjoin (?:us|now|our)\b|\bemail updates\b|"
    r"\bstay (?:up[ -]to[ -]date|informed|in touch)\b|\bshare (?:this|the) (?:article|story|post)\b|"
    r"\babonnieren\b|\bim abo\b|\bnewsletter\w*|\bfolgen? (?:sie )?uns\b|\bunterstützen? (?:sie )?(?:uns|unser)\w*|"
    r"\bspenden sie\b|\bjetzt spenden\b|\bmitglied werden\b|\bwerden sie mitglied\b|"
    r"\bjetzt (?:kostenlos )?(?:anmelden|registrieren|herunterladen|bestellen|abonnieren)\b|"
    r"\bartikel teilen\b|\bfindest du hier\b|\bfinden sie hier\b|"
    r"\bsuscr[ií]b\w*|\bs[ií]guenos\b|\b[uú]nete\b|\bhazte (?:miembro|socio)\b|\bbolet[ií]n\b|"
    r"\bsuivez-nous\b|\binscrivez-vous\b|\babonnez-vous\b|\bsoutenez\b|\biscriviti\b|\bseguici\b|\babbonati\b|"
    r"\bsostienici\b|\bassine\b|\bsiga-nos\b|\binscreva-se\b|\bvolg ons\b|\bwesprzyj\b|\bsubskrybuj\b|"
    r"\bzapisz si[eę]\b",
    re.I,
)
_CALL_TO_ACTION_MAX = 350


# Quotation marks: a call inside a quotation ("Come and join us," she said) is reported, not made.
# Linear: one character class.
_QUOTE_MARK_RE = re.compile(r"[\"\u201c\u201d\u201e\u00ab\u00bb]")


def _is_call_to_action(text: str) -> bool:
    """A short block that asks the reader to subscribe, follow, join, download or donate (a call
    outside any quotation: an odd number of quotation marks before it means it is quoted)."""
    if len(text) > _CALL_TO_ACTION_MAX:
        return False
    low = _lowered(text)
    calls = _CALL_TO_ACTION_TWIN.finditer(low) if low is not None else _CALL_TO_ACTION_RE.finditer(text)
    return any(len(_QUOTE_MARK_RE.findall(text, 0, m.start())) % 2 == 0 for m in calls)


_CALL_TO_ACTION_TWIN = _ascii_twin(_CALL_TO_ACTION_RE)  # same match positions: _lowered keeps every character in place


def _finds(pattern: re.Pattern[str], twin: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` (case-blind) finds something in ``text``; by its :func:`_ascii_twin` when
    :func:`_lowered` allows."""
    low = _lowered(text)
    if low is not None:
        return twin.search(low) is not None
    return pattern.search(text) is not None


# The characters whose str.lower() is not what a case-blind pattern compares: U+0130 lower-cases to two
# characters, and the dotless i and the long s match "i" and "s" case-blind but lower-case to themselves.
# For every other character, the lower-cased text reads to a twin as the text to its case-blind pattern,
# as long as the pattern's own letters are lower-case (tests/readers/test_builtin_facts.py checks each
# cased character against the letters of the patterns read this way). Linear: one character class.
_LOWER_UNLIKE_RE = re.compile("[\u0130\u0131\u017f]")


def _lowered(text: str) -> str | None:
    """``text.lower()``, character for character, when the :func:`_ascii_twin` patterns may read it in
    place of their case-blind originals reading ``text``; None when a character of ``text`` forbids."""
    if text.isascii():
        return text.lower()
    if _LOWER_UNLIKE_RE.search(text) is not None:
        return None
    low = text.lower()
    return low if len(low) == len(text) else None


# The reader or the publication addressed ("you", "Sie", "uns", "nous", "nas" …): a call to action
# anywhere in the body also speaks to the reader, where a sentence about a company's subscribers does
# not. Linear: one alternation of literals between word boundaries.
_ADDRESSED_RE = re.compile(
    r"\b(?:you|your|us|our|du|dich|dir|dein\w*|euch|sie|ihr\w*|uns|unser\w*|nous|vous|votre|nos|notre|usted|"
    r"tu|te|nuestr\w*|ti|ci|nas|nasz\w*|cię)\b",
    re.I,
)
_ADDRESSED_TWIN = _ascii_twin(_ADDRESSED_RE)
_CALL_TO_READER_MAX = 200


def _is_call_to_reader(text: str) -> bool:
    """A short block anywhere in the body that asks the reader to subscribe, follow, join or donate,
    addressing the reader or speaking for the publication ("Werden Sie Mitglied", "Wesprzyj nas")."""
    return (
        len(text) <= _CALL_TO_READER_MAX
        and _is_call_to_action(text)
        and _finds(_ADDRESSED_RE, _ADDRESSED_TWIN, text)
    )


def _drop_trailing_calls(out: list[_Block]) -> None:
    """Drop the calls to action that end the body (subscribe, follow us, download the app), and the
    short title right above them ("Newsletter", "Stay in touch"). Only at the end, after the
    article's last paragraph: a paragraph in the middle that mentions a newsletter stays."""
    dropped = False
    while len(out) > 1 and _is_call_to_action(out[-1].text):
        out.pop()
        dropped = True
    if dropped and len(out) > 1 and _is_list_title(out[-1]):
        out.pop()


def _short_line_starts(text: str, pattern: re.Pattern[str], limit: int) -> bool:
    """Whether ``text`` is at most ``limit`` characters and ``pattern`` matches at its start: the
    test every short-line class below makes (a comment label, a filing line, an ad label …)."""
    return len(text) <= limit and pattern.match(text) is not None


# The labels of a comment section left inside the article: counts ("3 Kommentare", "No comments"),
# prompts ("Leave a reply", "Kommentar schreiben") and log-in notices ("You must be logged in to post
# a comment"). A count is the whole line (with at most a note in brackets), a prompt starts it.
# Linear: fixed alternations anchored at the start, one bounded gap before the anchored end.
_COMMENT_LABEL_RE = re.compile(
    r"^(?:\(?(?:\d+|no|keine|kein|aucun|sin|nessun) (?:comments?|kommentare?|commentaires?|comentarios?|commenti|"
    r"reacties|antworten|replies|responses)\)?[.:!]?(?: \(.{0,100}\))?$"
    r"|(?:leave|write|post|add) (?:a|your) (?:comment|reply|response)|comments? (?:are )?closed"
    r"|kommentare? (?:schreiben|verfassen|hinterlassen|abgeben)|kommentieren|jetzt kommentieren"
    r"|(?:laisser|écrire|ajouter) un commentaire|(?:deja|escribe|añade) (?:un|tu) comentario|lascia un commento"
    r"|you must be (?:logged|signed) in|sie müssen (?:sich )?(?:eingeloggt|angemeldet|einloggen|anmelden)"
    r"|sie sind (?:aktuell |derzeit )?nicht (?:eingeloggt|angemeldet)|was denkst du\?|was meinen sie\?"
    r"|what do you think\?)",
    re.I,
)
_COMMENT_LABEL_MAX = 120


def _is_comment_label(text: str) -> bool:
    """A short line that labels a comment section (count, prompt, log-in notice), not text."""
    return _short_line_starts(text, _COMMENT_LABEL_RE, _COMMENT_LABEL_MAX)


# A picture's credit or source line left in the text ("Titelbild: …/picture-alliance", "(Credit: Jane
# Doe / Agency)", "Foto: dpa", "Roman Prymula, photo: Archives"): the picture is gone, its credit is
# no text. Linear: fixed alternations anchored at the start (or after a short name), no nested quantifier.
_CREDIT_RE = re.compile(
    r"^[(\[]?(?:[^\W\d][\w.\- ]{0,40}, )?"
    r"(?:(?:title|header|featured|cover|top|lead|main) )?"
    r"(?:photos?|images?|pictures?|fotos?|bild|bilder|titelbild|beitragsbild|headerbild|aufmacherbild|bildquelle|"
    r"fotoquelle|fotonachweis|bildnachweis|credits?|crédits?(?: photo)?|crédit|imagen|imágenes|immagine|"
    r"afbeelding|zdjęcie|foto de|photo credit|image credit|image source|photo source|picture credit|"
    r"quelle|source|sources|fuente|fonte|bron|źródło)"
    r"(?: (?:credits?|source|by))?\s?:",
    re.I,
)
_CREDIT_MAX = 100


def _is_credit_line(text: str) -> bool:
    """A short line that credits a picture ("Foto: dpa", "(Credit: …)")."""
    if len(text) > _CREDIT_MAX or "\n" in text:
        return False
    return bool(_CREDIT_RE.match(text))


# Where the post was filed and when it was updated, in a blog template's words ("Kategorie: News",
# "Veröffentlicht unter Allgemein", "Posted in Travel | Tagged …", "This entry was posted on … and is
# filed under …", "Aktualisiert am 17.01.2021."). Linear: fixed alternations anchored at the start.
_FILING_RE = re.compile(
    r"^(?:(?:categor(?:y|ies)|kategorien?|catégories?|categorías?|categorie|tags?|schlagw(?:ö|oe)rter|"
    r"stichw(?:ö|oe)rter|etiquetas|étiquettes) ?:"
    r"|(?:tagged(?: with)?|filed under|posted in|veröffentlicht (?:unter|in)|abgelegt unter|publié dans|publicado en|"
    r"this entry was posted|der beitrag wurde am|dieser beitrag wurde am)\b)",
    re.I,
)
_FILING_MAX = 500
# "Aktualisiert am 17.01.2021.", "Last updated: 3 March": a time stamp, not an update's text (a live
# blog's "Updated on 3 March: the council said …" is longer). Linear: fixed alternation at the start.
_UPDATED_RE = re.compile(r"^(?:aktualisiert am|zuletzt aktualisiert|last updated|updated on|mis à jour le)\b", re.I)
_UPDATED_MAX = 60


def _is_filing_line(text: str) -> bool:
    """A short line saying under which category or tags the post was filed, or when it was updated."""
    if len(text) <= _UPDATED_MAX and _UPDATED_RE.match(text):
        return True
    return _short_line_starts(text, _FILING_RE, _FILING_MAX)


# The title of a section that follows the article inside its container: the author's bio, further
# reading, related stories, the pictures' credits ("Über den Autor", "Das könnte Sie auch
# interessieren", "Lire aussi", "Bildnachweis").
# The whole line, with at most closing punctuation. Linear: fixed alternations anchored at both ends.
_TAIL_SECTION_RE = re.compile(
    r"^(?:about the authors?|the authors?|author bio|related(?: articles| stories| posts| content| reading)?|"
    r"read more|read also|also read|further reading|more on this (?:topic|story)|you (?:may|might) also like|"
    r"recommended(?: for you)?|see also|more stories|"
    r"über (?:den autor|die autorin|die autoren)|zum autor|zur autorin|der autor|die autorin|autoreninfo|"
    r"weitere artikel|weitere informationen|mehr zum thema|mehr themen|mehr dazu|lesetipps?|zum weiterlesen|"
    r"das könnte (?:sie|dich) auch interessieren|auch interessant|passend dazu|"
    r"ähnliche (?:artikel|beiträge)|verwandte (?:artikel|beiträge)|"
    r"à propos de l'auteur|l'auteur|(?:à )?lire aussi|voir aussi|sur le même sujet|articles similaires|"
    r"sobre el autor|el autor|lee también|leer más|ver también|te puede interesar|noticias relacionadas|"
    r"artículos relacionados|l'autore|leggi anche|articoli correlati|over de auteur|lees ook|"
    r"o autorze|czytaj (?:też|także)|zobacz (?:też|także)|"
    r"(?:vorschau auf den )?nächsten? (?:artikel|beitrag)|next (?:article|post|story)|previous (?:article|post)|"
    r"zusatzinformationen|additional information|more information|mehr informationen|plus d'informations|"
    r"más información|"
    r"bildnachweise?|bildquellen?|fotonachweise?|fotos|bilder|(?:image|photo|picture) credits?|"
    r"crédits? photos?|créditos)[:.!…]?$",
    re.I,
)
_TAIL_SECTION_WINDOW = 8  # blocks from the end where such a title may start the tail
_TAIL_SECTION_SHARE = 0.3  # … and what it cuts is at most this share of the body


def _cut_trailing_section(out: list[_Block]) -> None:
    """Cut the body at the title of an author box or further-reading section near its end, when
    what follows the title is a small share of the body (the article itself never is)."""
    total = sum(len(b.text) for b in out)
    start = max(1, len(out) - _TAIL_SECTION_WINDOW)
    for i in range(start, len(out)):
        if len(out[i].text) <= 60 and _TAIL_SECTION_RE.match(out[i].text):
            if sum(len(b.text) for b in out[i:]) <= _TAIL_SECTION_SHARE * total:
                del out[i:]
            return


# An advertising label or disclosure ("Anzeige", "*Werbung. Dieser Beitrag enthält Werbung",
# "Sponsored", "ANZEIGE - Heute mal ausgehen?"): the word then a delimiter or the end, in a short
# line; prose that starts with the word ("Werbung im Fernsehen …") stays. Linear: fixed alternation.
_AD_LABEL_RE = re.compile(
    r"^[*\[(]{0,2}(?:anzeige|werbung|advertisement|advertorial|sponsored(?: content| post)?|paid content|"
    r"publicidad|publicité|pubblicità|reklama)(?:[*\])]{0,2}(?:$|\s?[.:|–—-]))",
    re.I,
)
_AD_LABEL_MAX = 150


def _is_ad_label(text: str) -> bool:
    """A short line that labels or discloses advertising, not article text."""
    return _short_line_starts(text, _AD_LABEL_RE, _AD_LABEL_MAX)


# A numbered figure caption written as a paragraph ("Abbildung 4: …", "Figure 2: …", "Fig. 3 – …"):
# the figure is gone, its caption is no running text. Linear: fixed alternation, bounded digits.
_CAPTION_LINE_RE = re.compile(
    r"^(?:abbildung|abb\.|figure|fig\.|grafik|illustration|ilustración|illustrazione|afbeelding|rycina)"
    r" ?\d{0,3}[a-z]?\s?[:–—-]",
    re.I,
)
_CAPTION_LINE_MAX = 300


def _is_caption_line(text: str) -> bool:
    """A short paragraph that is a numbered figure's caption."""
    return _short_line_starts(text, _CAPTION_LINE_RE, _CAPTION_LINE_MAX)
