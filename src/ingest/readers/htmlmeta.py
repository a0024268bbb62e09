"""Metadata hints from a page's markup, each field in an explicit cascade with its source named.

The reader never decides a value: it lists every candidate it finds as a :class:`Hint` whose
source says where it came from (``meta:og:title``, ``jsonld:headline``, ``html:h1`` …), ordered
by :data:`CASCADE`. ``ingest.metadata.extract_metadata`` takes the first candidate that parses,
so a malformed og:title falls through to the JSON-LD headline and so on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ..model import Hint
from .htmltree import MAX_SIDE_CHECKS, in_side_region

# Per field, the sources in the order they are trusted. Publisher-curated machine-readable
# markup (OpenGraph, JSON-LD) comes before what a template prints (h1, <time>, byline elements).
CASCADE: dict[str, tuple[str, ...]] = {
    "title": ("meta:og:title", "jsonld:headline", "meta:twitter:title", "html:h1", "html:title"),
    "published": (
        "meta:article:published_time",
        "jsonld:datePublished",
        "itemprop:datePublished",
        "meta:date",
        "jsonld:webpage_datePublished",
        "html:time",
        "html:abbr_published",
        "html:data_published",
        "html:time_text",
        "text:near_headline",
        "text:date_label",
        "html:date_class",
    ),
    "updated": (
        "meta:article:modified_time",
        "jsonld:dateModified",
        "itemprop:dateModified",
        "meta:og:updated_time",
        "meta:date_modified",
    ),
    "authors": (
        "jsonld:author",
        "meta:author",
        "meta:byline",
        "meta:twitter:data1",
        "itemprop:author",
        "html:rel_author",
        "html:byline",
        "text:byline_near_headline",
    ),
    "publisher": ("meta:og:site_name", "jsonld:publisher", "meta:publisher", "meta:application-name"),
    "url": ("html:canonical", "meta:og:url", "jsonld:url"),
    "description": ("meta:og:description", "meta:description", "jsonld:description", "meta:twitter:description"),
    "tags": ("meta:article:tag", "jsonld:keywords", "meta:news_keywords", "meta:keywords"),
    "language": ("html:lang", "meta:content-language", "jsonld:inLanguage", "meta:og:locale"),
    "image": ("meta:og:image", "jsonld:image", "meta:twitter:image"),
}

# <meta name=…> spellings that carry a publication date; all reported as ``meta:date``.
_DATE_META_NAMES = frozenset(
    """date pubdate publishdate publish-date publish_date publication_date dc.date dc.date.issued
    dcterms.date dcterms.created article.published sailthru.date parsely-pub-date
    citation_publication_date citation_date original-publish-date og:published_time article:published
    published_time""".split()
)
# <meta name=…> spellings of the author(s) (analytics and library-catalogue tags); ``meta:byline``.
_AUTHOR_META_NAMES = frozenset("byl parsely-author sailthru.author dc.creator dcterms.creator citation_author".split())
_MODIFIED_META_NAMES = frozenset("last-modified dc.date.modified dcterms.modified article.updated".split())
_PUBLISHER_META_NAMES = frozenset("publisher dc.publisher dcterms.publisher citation_publisher".split())
_MAX_JSONLD_BYTES = 2_000_000
_ARTICLE_TYPE_RE = re.compile(r"(?:Article|BlogPosting|Report|NewsArticle|Posting)$")
_BYLINE_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(?:byline|by-line|author|authors|author-name|contributor|writer)(?:$|[\s_-])", re.I
)
_REL_AUTHOR_XPATH = etree.XPath("//a[@rel]")
_SUFFIX_SEPS = (" | ", " - ", " – ", " — ", " :: ", " · ", " « ", " » ")


# Linear: literal alternatives anchored at both ends.
_WRITTEN_BY_RE = re.compile(
    r"^\s*(?:written by|verfasst von|geschrieben von|écrit par|escrito por|scritto da|auteur|autor|author)\s*$", re.I
)
# Linear: literal alternatives anchored at the end of a short JSON-LD type name.
_PAGE_TYPE_RE = re.compile(r"(?:Page|Article|BlogPosting|Report|Posting)$")
# data- attributes CMS templates put a publication date in.
_DATA_DATE_ATTRS = (
    "data-published",
    "data-publish-date",
    "data-date-published",
    "data-pubdate",
    "data-published-at",
    "data-datetime",
    "data-date",
)
# class/id words of the element that prints a page's date ("post-date", "entry-date", "datum").
_DATE_CLASS_WORDS = frozenset(
    "date dates datum fecha data published pubdate posted dateline timestamp meta byline time zeit".split()
)


def _has_date_class(el: etree._Element) -> bool:
    """Whether the element's class or id has a word that names a date (``post-date``, ``datum``)."""
    return _names_date(f"{el.get('class') or ''} {el.get('id') or ''}")


def _names_date(names: str) -> bool:
    """Whether ``"<class> <id>"`` has a word that names a date (:func:`_has_date_class`)."""
    if len(names) < 4:
        return False
    # "_" and "-" separate words ("post-date", "entry_date"); two replaces are far cheaper than str.translate
    return not _DATE_CLASS_WORDS.isdisjoint(names.lower().replace("_", " ").replace("-", " ").split())


def _own_time(scope: etree._Element, times: Iterable[etree._Element] | None = None) -> etree._Element | None:
    """The first ``<time datetime>`` in ``scope`` that is not in a side region (a comment's, a
    related post's), among the first 30. ``times``: the scope's ``<time>`` elements, when the caller has them."""
    dated = (t for t in (scope.iter("time") if times is None else times) if t.get("datetime"))
    return next((t for t in islice(dated, MAX_SIDE_CHECKS) if not in_side_region(t)), None)


_SKIP_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "button", "select", "option"})
_BEFORE_HEADLINE, _AFTER_HEADLINE = 300, 1200
_FAR_AFTER = 300


def _text_around_by_walk(body: etree._Element, target: etree._Element) -> tuple[str, str]:
    """The page text just before and just after ``target`` (its own text excluded), in reading order,
    by one walk of ``body`` from its start."""
    before: list[str] = []
    after: list[str] = []
    n_after = 0
    state = 0  # 0 before target, 1 inside, 2 after
    skip_depth = 0
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):
            tag = ""
        if event == "start":
            if el is target:
                state = 1
            if tag in _SKIP_TEXT_TAGS or not tag:
                skip_depth += 1
            elif skip_depth == 0 and state != 1:
                text = el.text  # read once: each read builds a new string
                if text:
                    if state == 0:
                        before.append(text)
                    else:
                        after.append(text)
                        n_after += len(text)
        else:
            if tag in _SKIP_TEXT_TAGS or not tag:
                skip_depth -= 1
            if el is target:
                state = 2
            if state != 1:
                if skip_depth == 0:
                    tail = el.tail
                    if tail:
                        if state == 0:
                            before.append(tail)
                        else:
                            after.append(tail)
                            n_after += len(tail)
                if tag in _BLOCK_TAGS:
                    (before if state == 0 else after).append("\n")
        if n_after > _AFTER_HEADLINE:
            break
    b = " ".join("".join(before).split(" "))[-_BEFORE_HEADLINE:]
    a = "".join(after)[:_AFTER_HEADLINE]
    return b, a


def _pieces_forward(el: etree._Element, hidden: bool) -> Iterator[str]:
    """The pieces :func:`_text_around_by_walk` takes from ``el``'s subtree and its tail, in
    document order; ``hidden``: ``el`` is inside a skipped element. Comments and processing
    instructions, which the walk does not report, give nothing (nor do their tails)."""
    walk = etree.iterwalk(el, events=("start", "end"))
    depth = 1 if hidden else 0  # skipped elements open around the current one
    for event, e in walk:
        tag = e.tag
        if event == "start":
            if tag in _SKIP_TEXT_TAGS:
                depth += 1
            elif depth == 0:
                text = e.text
                if text:
                    yield text
        else:
            if tag in _SKIP_TEXT_TAGS:
                depth -= 1
            if depth == 0:
                tail = e.tail
                if tail:
                    yield tail
            if tag in _BLOCK_TAGS:
                yield "\n"


def _pieces_backward(el: etree._Element, hidden: bool) -> Iterator[str]:
    """The pieces of :func:`_pieces_forward` in reverse order, read from the end of the subtree."""
    stack: list[tuple[etree._Element, bool, bool]] = [(el, hidden, False)]
    while stack:
        e, hid, opened = stack.pop()
        if opened:  # all its children are done: its own text is next (backwards)
            if not hid:
                text = e.text
                if text:
                    yield text
            continue
        tag = e.tag
        if tag in _BLOCK_TAGS:
            yield "\n"
        if not hid:
            tail = e.tail
            if tail:
                yield tail
        inner = hid or tag in _SKIP_TEXT_TAGS
        stack.append((e, inner, True))
        stack.extend((c, inner, False) for c in e if isinstance(c.tag, str))


def _take(pieces: Iterator[str], out: list[str], size: int, limit: int) -> int:
    """Appends ``pieces`` to ``out`` until their length (with ``size`` before) reaches ``limit``; the new size."""
    for piece in pieces:
        out.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return size


def _text_around(body: etree._Element, target: etree._Element) -> tuple[str, str]:
    """The page text just before and just after ``target`` (its own text excluded), in reading
    order: what :func:`_text_around_by_walk` gives, read outwards from ``target`` (only the last
    300 characters before it and the first 1,200 after it are kept)."""
    path: list[etree._Element] = []  # target's ancestors up to ``body``, nearest first
    for a in target.iterancestors():
        path.append(a)
        if a is body:
            break
    else:
        return _text_around_by_walk(body, target)  # not inside ``body``: the walk never meets it
    hidden = [False] * len(path)  # per ancestor: whether it or one above it (up to body) is skipped
    above = False
    for i in range(len(path) - 1, -1, -1):
        above = above or path[i].tag in _SKIP_TEXT_TAGS
        hidden[i] = above
    before: list[str] = []  # backwards
    size = 0
    node = target
    for a, hid in zip(path, hidden):
        for sib in node.itersiblings(preceding=True):
            if isinstance(sib.tag, str):
                size = _take(_pieces_backward(sib, hid), before, size, _BEFORE_HEADLINE)
                if size >= _BEFORE_HEADLINE:
                    break
        if size >= _BEFORE_HEADLINE:
            break
        if not hid:
            size = _take(iter((a.text or "",)), before, size, _BEFORE_HEADLINE)
        node = a
    after: list[str] = []
    size = 0
    if not hidden[0]:
        size = _take(iter((target.tail or "",)), after, size, _AFTER_HEADLINE)
    if target.tag in _BLOCK_TAGS:
        size = _take(iter(("\n",)), after, size, _AFTER_HEADLINE)
    node = target
    for i, (a, hid) in enumerate(zip(path, hidden)):
        for sib in node.itersiblings():
            if size >= _AFTER_HEADLINE:
                break
            if isinstance(sib.tag, str):
                size = _take(_pieces_forward(sib, hid), after, size, _AFTER_HEADLINE)
        if size >= _AFTER_HEADLINE:
            break
        if not (i + 1 < len(path) and hidden[i + 1]):
            size = _take(iter((a.tail or "",)), after, size, _AFTER_HEADLINE)
        if a.tag in _BLOCK_TAGS:
            size = _take(iter(("\n",)), after, size, _AFTER_HEADLINE)
        node = a
    return "".join(reversed(before))[-_BEFORE_HEADLINE:], "".join(after)[:_AFTER_HEADLINE]


# Tags whose end separates pieces of text (a date must not run across them).
_BLOCK_TAGS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 td tr section article header footer time span dd dt br a em strong".split()
)


def element_block(tag: str) -> bool:
    """Tags whose end separates pieces of text (a date must not run across them)."""
    return tag in _BLOCK_TAGS


# The first <body> below an element, the first <title>, the first <h1> in or at it: ``el.find(".//body")``
# and ``next(el.iter("h1"))`` without their cost (lxml's iterator looks one match ahead, so finding
# the only match walks the rest of the tree; libxml2's XPath stops at the first).
_FIRST_BODY = etree.XPath("descendant::body[1]")
_FIRST_TITLE = etree.XPath("descendant::title[1]")
_FIRST_H1 = etree.XPath("descendant-or-self::h1[1]")


def _first(xpath: etree.XPath, el: etree._Element) -> etree._Element | None:
    """The element ``xpath`` (one of the ``_FIRST_…``) finds from ``el``, or None."""
    found = xpath(el)
    return found[0] if found else None  # type: ignore[index,no-any-return]


def text_near_headline(root: etree._Element, h1: etree._Element | None) -> tuple[str, str]:
    """(text just before, text just after) the page's headline; empty without an ``<h1>``."""
    if h1 is None:
        return "", ""
    body = _first(_FIRST_BODY, root)
    return _text_around(body if body is not None else root, h1)


# A byline line after the headline: "By Jane Doe", "von Klaus Stanjek", "Text: Jane Doe".
# Linear: one alternation of literal labels, then one bounded run of any characters to the end.
_TEXT_BYLINE_RE = re.compile(
    r"^\W{0,3}(?:by|von|par|por|door|av|af|przez|text|texto|autor|autorin|author|auteur|written by|geschrieben von|"
    r"eine kolumne von|ein kommentar von|ein beitrag von)\s?:?\s(?P<names>.{3,100})$",
    re.I,
)


# A byline label alone on its line ("von", "By:"): the names are on the next line (a label and a
# name in two elements). Linear: the literal labels of _TEXT_BYLINE_RE, anchored at both ends.
_BARE_BYLINE_LABEL_RE = re.compile(
    r"^\W{0,3}(?:by|von|par|por|door|av|af|przez|text|texto|autor|autorin|author|auteur|written by|geschrieben von)"
    r"\s?:?$",
    re.I,
)


def byline_near_headline(after: str) -> str | None:
    """The first line after the headline that reads as a byline (its names part); a bare label
    line ("von") reads with the line after it."""
    lines = [" ".join(line.split()) for line in after.split("\n")]
    lines = [line for line in lines if line][:12]
    for i, line in enumerate(lines):
        if _BARE_BYLINE_LABEL_RE.match(line) and i + 1 < len(lines):
            line = f"{line} {lines[i + 1]}"
        m = _TEXT_BYLINE_RE.match(line)
        if m:
            return byline_names_part(m.group("names"))
    return None


# A label that says the date after it is the publication date ("Published on", "Mise en ligne", "Written:").
# Plain words and spaces (no regex syntax): the regex below and _may_have_label read the same list.
_PUBLISHED_LABEL_LIST = (
    "published",
    "first published",
    "written",
    "publié",
    "publiée",
    "mise en ligne",
    "veröffentlicht",
    "erschienen",
    "erstellt",
    "publicado",
    "pubblicato",
    "gepubliceerd",
    "opublikowano",
    "опубликовано",
)
# Linear: one alternation of literal phrases, then single optional words and separators.
_PUBLISHED_LABEL_RE = re.compile(
    r"\b(?:" + "|".join(_PUBLISHED_LABEL_LIST) + r")(?:\s(?:on|am|le|el|il|op|the))?\s?:?", re.I
)


def _label_case_extras() -> tuple[str, ...] | None:
    """The characters ``re``'s case-insensitive matching takes for a label's letter besides what
    ``str.lower`` gives (dotless "ı" for "i", long "ſ" for "s" …), from ``re``'s own table; None where
    that table is not there (then no pre-check)."""
    try:
        from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        return None
    letters = {c.lower() for label in _PUBLISHED_LABEL_LIST for c in label}
    extras = {chr(x) for c in letters for x in _EXTRA_CASES.get(ord(c), ())}
    return tuple(sorted(extras))


_LABEL_CASE_EXTRAS = _label_case_extras()


def _may_have_label(text: str) -> bool:
    """False only when :data:`_PUBLISHED_LABEL_RE` cannot match ``text``: no label is in its lower
    case (the regex's every match starts with one), and no character the regex's case folding
    reads differently from ``str.lower`` is in it (:func:`_label_case_extras`; "İ", which the regex
    reads as "i" and ``lower()`` as two characters). Plain substring searches, far cheaper than the regex."""
    if _LABEL_CASE_EXTRAS is None or "\u0130" in text:
        return True
    low = text.lower()
    return any(c in low for c in _LABEL_CASE_EXTRAS) or any(label in low for label in _PUBLISHED_LABEL_LIST)


def _label_matches(text: str) -> Iterator[re.Match[str]]:
    """What ``_PUBLISHED_LABEL_RE.finditer(text)`` gives, found from where a label starts in the text's
    lower case (plain substring searches) instead of trying the case-insensitive regex at every position:
    every match starts with a label, and where no character reads differently to ``str.lower`` and the
    regex's case folding (:func:`_may_have_label`) the two find labels at the same places."""
    low = text.lower()
    if (
        _LABEL_CASE_EXTRAS is None
        or "\u0130" in text
        or len(low) != len(text)
        or any(c in low for c in _LABEL_CASE_EXTRAS)
    ):
        yield from _PUBLISHED_LABEL_RE.finditer(text)
        return
    starts: set[int] = set()
    for label in _PUBLISHED_LABEL_LIST:
        at = low.find(label)
        while at >= 0:
            starts.add(at)
            at = low.find(label, at + 1)
    end = 0
    for at in sorted(starts):
        if at >= end:  # finditer's matches do not overlap: the next search starts where one ends
            m = _PUBLISHED_LABEL_RE.match(text, at)  # the regex's \b reads the character before ``at``
            if m is not None:
                yield m
                end = m.end()


_LABEL_GAP = 40
_MAX_LABEL_TEXT = 30_000


_VISIBLE_TEXT_XPATH = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]",
    smart_strings=False,
)


_HIDDEN_TEXT_TAGS = frozenset({"script", "style", "noscript", "template"})


def visible_text_pieces(el: etree._Element, limit: int | None = None) -> list[str]:
    """The text nodes of ``el`` a reader sees, in document order: the list ``_VISIBLE_TEXT_XPATH``
    gives (nothing inside script, style, noscript or template), walked without its per-node
    ancestor tests. With ``limit``, the list ends once its pieces joined by newlines reach
    ``limit`` characters (a prefix of the full list, long enough for ``[:limit]``).
    """
    if next(el.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity), None) is not None:
        # iterwalk does not report these nodes, so it would lose the text after them
        pieces: list[str] = _VISIBLE_TEXT_XPATH(el)
        return pieces
    if any(a.tag in _HIDDEN_TEXT_TAGS for a in el.iterancestors()):
        return []
    out: list[str] = []
    size = -1  # the length of the pieces joined by newlines
    walk = etree.iterwalk(el, events=("start", "end"))
    for event, e in walk:
        if event == "start":
            if e.tag in _HIDDEN_TEXT_TAGS:
                walk.skip_subtree()  # its "end" still comes: the tail after it is visible
                continue
            piece = e.text
        elif e is el:
            break
        else:
            piece = e.tail
        if piece:
            out.append(piece)
            size += len(piece) + 1
            if limit is not None and size >= limit:
                break
    return out


def _visible_text(el: etree._Element, limit: int) -> str:
    """The element's text as a reader sees it (no script/style), pieces on their own lines, at most ``limit``."""
    return "\n".join(_visible_pieces_run(el, el)[0])[:limit]


_TEXT_NODES = etree.XPath("descendant::text()", smart_strings=False)


def _visible_pieces_run(el: etree._Element, inner: etree._Element) -> tuple[list[str], tuple[int, int] | None]:
    """(``visible_text_pieces(el)``, where in that list ``visible_text_pieces(inner)`` is) for an
    ``inner`` element inside ``el`` or ``el`` itself; None for the second when it cannot tell (``inner``
    is hidden, or ``el`` holds comments and is read by the XPath).

    Only the elements on the way to a hidden element (script, style …) or to ``inner`` are visited
    one by one; every other subtree's text nodes come from one XPath (libxml2 lists them at once:
    its text and its descendants' texts and tails in document order, not its own tail).
    """
    # one scan for both: the hidden elements, and any comment (the lists hold the proxies: stable ids)
    hidden = list(el.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity, *_HIDDEN_TEXT_TAGS))
    if any(not isinstance(h.tag, str) for h in hidden):
        return visible_text_pieces(el), None
    if el.tag in _HIDDEN_TEXT_TAGS or any(a.tag in _HIDDEN_TEXT_TAGS for a in el.iterancestors()):
        return [], None
    hidden_ids = {id(h) for h in hidden}
    on_way: list[etree._Element] = []  # el, and the elements between it and a hidden element or inner
    on_way_ids: set[int] = set()
    for target in (*hidden, inner):
        for a in (target, *target.iterancestors()) if target is inner else target.iterancestors():
            if id(a) in on_way_ids:
                break
            on_way.append(a)
            on_way_ids.add(id(a))
            if a is el:
                break
    out: list[str] = []
    start = stop = -1
    if el is inner:
        start = 0
    if el.text:
        out.append(el.text)
    stack = [(el, iter(el))]
    while stack:
        e, children = stack[-1]
        c = next(children, None)
        if c is None:
            stack.pop()
            if e is inner:
                stop = len(out)
            if stack and e.tail:
                out.append(e.tail)
            continue
        if id(c) in hidden_ids:
            pass  # nothing inside it is visible; its tail is
        elif id(c) in on_way_ids:
            if c is inner:
                start = len(out)
            if c.text:
                out.append(c.text)
            stack.append((c, iter(c)))
            continue
        elif len(c):
            out.extend(_TEXT_NODES(c))
        else:  # no child node: its one text node, if any (the parser joins adjacent text), without an XPath call
            text = c.text
            if text:
                out.append(text)
        if c.tail:
            out.append(c.tail)
    if "" in out:  # (no parsed page has an empty text node)
        return visible_text_pieces(el), None
    return out, (start, stop) if 0 <= start <= stop else None


def _body_and_scope_text(root: etree._Element, scope: etree._Element) -> tuple[list[str], str | None]:
    """(the visible text pieces of the page's ``<body>``, the visible text of ``scope`` as
    :func:`labelled_date` reads it, or None), from one walk when one of the two holds the other."""
    body = _first(_FIRST_BODY, root)
    if body is None:
        body = root
    if scope is body or any(a is scope for a in body.iterancestors()):
        outer, inner = scope, body
    elif any(a is body for a in scope.iterancestors()):
        outer, inner = body, scope
    else:
        return _visible_pieces_run(body, body)[0], None
    pieces, run = _visible_pieces_run(outer, inner)
    if run is None:
        if outer is body:
            return pieces, "\n".join(pieces)[:_MAX_LABEL_TEXT] if scope is body else None
        return _visible_pieces_run(body, body)[0], "\n".join(pieces)[:_MAX_LABEL_TEXT]
    if outer is body:
        return pieces, "\n".join(pieces[run[0] : run[1]])[:_MAX_LABEL_TEXT]
    return pieces[run[0] : run[1]], "\n".join(pieces)[:_MAX_LABEL_TEXT]


def labelled_date(scope: etree._Element, text: str | None = None) -> str | None:
    """The first date written right after a publication label ("Veröffentlicht am 31.05.2019",
    "Mise en ligne" over "23 mai 2019"); a date an "updated" label introduces is not one.
    ``text``: the scope's visible text (its first 30,000 characters) when the caller has it, or
    another text already read (the text after the headline, when the scope does not hold its date line)."""
    from ..metadata.dates import dates_in_text

    if text is None:
        text = _visible_text(scope, _MAX_LABEL_TEXT)
    if not _may_have_label(text):
        return None
    for m in _label_matches(text):
        window = text[m.end() : m.end() + _LABEL_GAP]
        for offset, found in dates_in_text(window):
            if not window[:offset].strip(" \t\n\r\xa0:,.-–|"):
                return found
            break
    return None


# A photo or copyright credit on the date's line: "© Kurt Wessolek, 31.05.2013", "Foto: dpa / 2.3.2020".
# Linear: one literal alternation, searched in one short line.
_CREDIT_RE = re.compile(r"©|\(c\)|\b(?:foto|fotos|photo|photos|bild|image|credit|copyright)\b\s?:?", re.I)


_CREDIT_GAP = 60


def _credit_date(text: str, at: int) -> bool:
    """Whether a photo or copyright credit comes before the date at ``at``, on its line and at most
    60 characters before it (a picture's date, not the article's; ``text_near_headline`` ends every
    block with a line break)."""
    line = text[max(text.rfind("\n", 0, at) + 1, at - _CREDIT_GAP) : at]
    return _CREDIT_RE.search(line) is not None


# The start of a period just before a date: "vom 9.1. -10.2.2023", "3. bis 5.5.2023", "14. – 20. Januar 2022"
# (a day's dot: "Seite 2 - 12.05.2023" is no period). Linear: a digit, a dot, single optional literals and one
# alternation, searched in a 12-character slice.
_RANGE_START_RE = re.compile(r"\d\.\s?(?:[-–—]|bis)\s?$")
_RANGE_GAP = 12


def _range_end(text: str, at: int) -> bool:
    """Whether the date at ``at`` ends a period whose start is written just before it (an event's
    or an offer's dates, not when the page was published)."""
    return _RANGE_START_RE.search(text[max(0, at - _RANGE_GAP) : at]) is not None


def date_near_headline(before: str, after: str) -> str | None:
    """The first complete date printed after the headline, else the nearest one before it; the
    one before when the one after is far down (over 300 characters) and the one before is nearer.
    A photo credit's date and the end of a period (:func:`_range_end`) are not read."""
    from ..metadata.dates import dates_in_text

    first = next(
        ((at, d) for at, d in dates_in_text(after) if not _credit_date(after, at) and not _range_end(after, at)), None
    )
    last = None
    for at, found in dates_in_text(before):
        if not _credit_date(before, at) and not _range_end(before, at):
            last = (len(before) - at, found)
    if first is not None and last is not None and first[0] > _FAR_AFTER and last[0] < first[0]:
        return last[1]  # a date just above the headline, the one below is far down the page
    if first is not None:
        return first[1]
    return last[1] if last else None


_MAX_HEADINGS = 50


def headline_element(
    root: etree._Element,
    scope: etree._Element,
    titles: list[str],
    walk: PageWalk | None = None,
) -> etree._Element | None:
    """The page's headline element: the first ``<h1>`` (in the article's scope first, then the
    page) whose text names the same article as one of the declared ``titles``, else the first
    such ``<h2>``, ``<h3>``, ``<h4>``; None when no heading agrees with a title. ``walk``: the
    :func:`page_walk` of ``root`` with ``scope``, whose heading lists are read instead of walking again.
    """
    from ..metadata import clean_title, headline_agrees

    titles = [t for t in dict.fromkeys(clean_title(t) for t in titles) if t]
    if not titles:
        return None
    for tag in _HEADING_TAGS:
        # the scope's headings that did not agree are not read again in the page's list (the same test)
        held: list[etree._Element] = []  # keeps their proxies alive: stable ids
        disagree: set[int] = set()
        for where in (scope, root) if scope is not root else (root,):
            if walk is None:
                found: Iterable[etree._Element] = where.iter(tag)
            else:
                found = (walk.scope_tagged if where is scope else walk.tagged)[tag]
            for i, el in enumerate(found):
                if i >= _MAX_HEADINGS:
                    break
                if id(el) in disagree:
                    continue
                text = _text(el)
                if 0 < len(text) <= 500 and any(headline_agrees(text, t) for t in titles):
                    return el
                if where is scope:
                    held.append(el)
                    disagree.add(id(el))
    return None


def _meta_key(el: etree._Element) -> str | None:
    for attr in ("property", "name", "itemprop", "http-equiv"):
        v = el.get(attr)
        if v:
            return v.strip().lower()
    return None


def _text(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def _jsonld_data(scripts: Iterable[etree._Element]) -> list[Any]:
    """The parsed JSON of each JSON-LD script among ``scripts``, in their order."""
    out = []
    for script in scripts:
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > _MAX_JSONLD_BYTES:
            continue
        try:
            out.append(json.loads(raw))
        except (ValueError, RecursionError):
            continue  # a broken JSON-LD block is the site's problem; other sources remain
    return out


def _jsonld_objects(root: etree._Element, data: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts, breadth first (@graph and lists opened).
    ``data``: the page's parsed JSON-LD (:class:`PageWalk`'s ``jsonld``), when the caller has it."""
    for parsed in _jsonld_data(root.iter("script")) if data is None else data:
        queue: list[Any] = [parsed]
        seen = 0
        while queue and seen < 500:
            item = queue.pop(0)
            seen += 1
            if isinstance(item, list):
                queue.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    queue.extend(graph)
                main = item.get("mainEntity")
                if isinstance(main, dict):
                    queue.append(main)


def _is_article(obj: dict[str, Any]) -> bool:
    t = obj.get("@type")
    types = t if isinstance(t, list) else [t]
    return any(isinstance(x, str) and _ARTICLE_TYPE_RE.search(x) for x in types)


def jsonld_article(root: etree._Element, data: list[Any] | None = None) -> dict[str, Any] | None:
    """The page's JSON-LD article object (NewsArticle, BlogPosting, …), or None; ``data`` as for
    :func:`_jsonld_objects`."""
    for obj in _jsonld_objects(root, data):
        if _is_article(obj):
            return obj
    return None


def _event_start(root: etree._Element, data: list[Any] | None = None) -> Any:
    """The start date of the event a page without an article object describes (JSON-LD ``Event``,
    ``SportsEvent``, ``MusicEvent`` …): the match's or concert's day, not a publication date."""
    for obj in _jsonld_objects(root, data):
        t = obj.get("@type")
        if any(isinstance(x, str) and x.endswith("Event") for x in (t if isinstance(t, list) else [t])):
            start = _date_of(obj.get("startDate"))
            if isinstance(start, str):
                return start
    return None


def _name_of(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("name")
    if isinstance(value, list) and value:
        return _name_of(value[0])
    return value


def _url_of(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("url") or value.get("contentUrl")
    if isinstance(value, list) and value:
        return _url_of(value[0])
    return value


def _date_of(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def strip_title_suffix(title: str, *, site: str | None = None, only_site: bool = False) -> str:
    """``"Headline | Site"`` → ``"Headline"``; with ``only_site`` only a suffix naming the site goes."""
    for sep in _SUFFIX_SEPS:
        if sep not in title:
            continue
        head, _, tail = title.rpartition(sep)
        tail_l = tail.strip().lower()
        site_l = (site or "").strip().lower()
        names_site = bool(site_l) and (tail_l == site_l or tail_l in site_l or site_l in tail_l)
        looks_like_site = len(tail.split()) <= 4 and len(tail) < len(head) and len(head.split()) >= 3
        if names_site or (not only_site and looks_like_site):
            return strip_title_suffix(head.strip(), site=site, only_site=only_site)
        # "Site | Headline": the site name first
        first, _, rest = title.partition(sep)
        if site_l and first.strip().lower() == site_l:
            return rest.strip()
    return title


_BYLINE_CUT_RE = re.compile(
    r"\s+(?:[|\u00b7\u2022\u2014\u2013]|-\s)\s*.*$|"  # "By A | Updated 3 hours ago", "By A · 5 min read"
    r"\s*\b(?:updated|published|posted|last modified)\b.*$",
    re.I,
)


def byline_names_part(text: str) -> str:
    """The names part of a byline element's text (what follows a separator or "Updated" goes)."""
    return _BYLINE_CUT_RE.sub("", text).strip(" ,;")


def _absolute(url: str, base: str | None) -> str:
    url = url.strip()
    if base and not urlsplit(url).scheme:
        return urljoin(base, url)
    return url


# Author markup a template fills in without printing it; checked against the page's visible text.
_DECLARED_AUTHOR_SOURCES = ("jsonld:author", "meta:author", "meta:byline", "meta:twitter:data1")
_MAX_SHOWN_TEXT = 2_000_000
_MIN_SHOWN_TEXT = 1_000
_MAX_BYLINE_ELEMENTS = 2  # a third would make the source "crowded" (a list of comments, not a byline)


def _byline_texts(scope: etree._Element, candidates: list[etree._Element] | None = None) -> list[str]:
    """The names parts of the first byline elements in ``scope`` (class/id ``byline``, ``author`` …).

    Two, not one: a template's first "byline" element is often only its date line ("Published
    on"); the metadata cascade takes the first that holds a person's name. ``candidates``: the
    elements of ``scope`` the test below can pass, in document order (:func:`page_walk`'s
    ``bylines``), so that the scope is not walked again.
    """
    out: list[str] = []
    parts_of_first: set[int] = set()  # ids of the first byline element's descendants (one walk, not per element)
    held: list[etree._Element] = []
    for el in scope.iter() if candidates is None else candidates:
        if id(el) in parts_of_first:
            continue  # a part of the first byline element ("Von" of "Von Jane Doe") is not another byline
        if (
            isinstance(el.tag, str)
            and el.tag not in ("body", "html", "article", "main", "meta", "link")
            and (
                el.tag == "byline"
                # <address> is also a postal address: only one that reads as a byline ("By Jane Doe")
                or el.tag == "address"
                and _TEXT_BYLINE_RE.match(_text(el)[:120]) is not None
                or _BYLINE_CLASS_RE.search(f"{el.get('class') or ''} {el.get('id') or ''}")
            )
        ):
            t = byline_names_part(_text(el))
            if 2 < len(t) <= 120 and t not in out:
                out.append(t)
                if len(out) == 1:
                    # the list holds the proxies alive, so lxml hands back these same objects (stable ids)
                    held = list(el.iterdescendants())
                    parts_of_first = {id(d) for d in held}
                if len(out) == _MAX_BYLINE_ELEMENTS:
                    break
    return out


_ITEMPROPS = frozenset({"datePublished", "dateModified", "author"})
_NOT_BYLINE_TAGS = frozenset({"body", "html", "article", "main", "meta", "link"})
_NOT_DATE_CLASS_TAGS = frozenset({"body", "html", "article", "main"})
_HEADING_TAGS = ("h1", "h2", "h3", "h4")
_SCOPE_TAGS = frozenset({"time", "abbr", *_HEADING_TAGS})  # the tags page_walk collects in the scope
_TEXT_LEN = etree.XPath("string-length(normalize-space())")


class PageWalk(NamedTuple):
    """What :func:`html_hints` reads off every element, collected in one walk of the page."""

    data_published: str | None  # the first date data- attribute in the scope (``data-published``, …)
    date_classed: list[etree._Element]  # the scope's elements whose class/id names a date, in order
    bylines: list[etree._Element]  # the scope's elements that may be byline elements, in order
    itemprops: list[etree._Element]  # the page's non-<meta> itemprop datePublished/dateModified/author
    scope: etree._Element | None = None  # the article's scope the walk found (``scope=None``), else None
    metas: list[etree._Element] = []  # the page's <meta> elements (``root.iter("meta")``)
    links: list[etree._Element] = []  # the page's <link> elements
    rel_links: list[etree._Element] = []  # the document's <a rel> elements (``//a[@rel]``)
    jsonld: list[Any] = []  # the page's parsed JSON-LD scripts (:func:`_jsonld_data`)
    times: list[etree._Element] = []  # the page's <time> elements (``root.iter("time")``)
    scope_times: list[etree._Element] = []  # the scope's <time> elements (``scope.iter("time")``)
    scope_abbrs: list[etree._Element] = []  # the scope's <abbr> elements
    tagged: dict[str, list[etree._Element]] = {}  # the page's h1 … h4 elements by tag (``root.iter(tag)``)
    scope_tagged: dict[str, list[etree._Element]] = {}  # the scope's h1 … h4 elements by tag


# class or id value → :func:`_name_kinds`; templates repeat their class names on a page and across the
# pages of a site. Bounded: emptied when full; a value too long to be a template's is not kept.
_NAME_KINDS: dict[str, tuple[bool, bool]] = {}
_MAX_NAME_KINDS = 20_000
_MAX_KEPT_NAME = 200
_NO_KINDS = (False, False)


def _name_kinds(names: str) -> tuple[bool, bool]:
    """(whether a class or id value names a date, whether it names a byline)."""
    kinds = _NAME_KINDS.get(names)
    if kinds is None:
        kinds = (_names_date(names), _BYLINE_CLASS_RE.search(names) is not None)
        if len(names) <= _MAX_KEPT_NAME:
            if len(_NAME_KINDS) >= _MAX_NAME_KINDS:
                _NAME_KINDS.clear()
            _NAME_KINDS[names] = kinds
    return kinds


# The attributes page_walk reads, found by libxml2 in C: a Python loop over every element pays a
# proxy object (and a list of attribute names) per element, and an XPath predicate on every element
# (``//*[@itemprop]``) costs more than both; an attribute step lists only the attributes there are
# (their elements by ``getparent()``), in document order.
_ITEMPROP_ATTRS = etree.XPath("descendant-or-self::*/@itemprop")
_ROLE_ATTRS = etree.XPath("descendant-or-self::*/@role")
_REL_ATTRS = etree.XPath("//a/@rel")  # ``//a[@rel]``: the whole document's
_DATA_DATE_VALUES = etree.XPath(" | ".join(f"descendant-or-self::*/@{a}" for a in _DATA_DATE_ATTRS))


def page_walk(root: etree._Element, scope: etree._Element | None = None) -> PageWalk:
    """:class:`PageWalk` of ``root`` with the scope tests on ``scope`` (``root`` or an element inside it).

    Without ``scope``, the walk also finds where the headline, byline and <time> of the article
    most likely are (not a sidebar's) and uses that as the scope (``root`` when there is none): the
    nearest ``<article>`` around an ``itemprop=articleBody``, else the ``<article>``s, else the
    ``<main>``s, else the ``role=main`` elements; of several, the one with the most text (teaser
    cards and related stories are shorter than the article). ``root`` is then the document's root
    element (where ``//article`` searches). libxml2 walks the page (tag-filtered iterators, attribute
    steps); Python walks only the scope, each list in document order.
    """
    itemprops: list[etree._Element] = []
    bodies: list[etree._Element] = []  # itemprop=articleBody
    for prop in _ITEMPROP_ATTRS(root):
        if prop in _ITEMPROPS:
            el = prop.getparent()
            if el.tag != "meta":
                itemprops.append(el)
        elif prop == "articleBody":
            bodies.append(prop.getparent())
    metas: list[etree._Element] = []
    links: list[etree._Element] = []
    scripts: list[etree._Element] = []
    times: list[etree._Element] = []
    articles: list[etree._Element] = []
    mains: list[etree._Element] = []
    tagged: dict[str, list[etree._Element]] = {tag: [] for tag in _HEADING_TAGS}
    by_tag = {"meta": metas, "link": links, "script": scripts, "time": times, "article": articles, "main": mains}
    by_tag.update(tagged)
    for el in root.iter(*by_tag):
        by_tag[el.tag].append(el)
    rel_links = [rel.getparent() for rel in _REL_ATTRS(root)]
    found_scope = None
    if scope is None:
        found: list[etree._Element] = []
        if bodies and articles:
            # the nearest <article> around each articleBody, in document order, each once
            at = {id(a): i for i, a in enumerate(articles)}  # the list holds the proxies: stable ids
            near = {at.get(id(a)) for a in (next(b.iterancestors("article"), None) for b in bodies) if a is not None}
            found = [articles[i] for i in sorted(near - {None})]
        found = found or articles or mains or [role.getparent() for role in _ROLE_ATTRS(root) if role == "main"]
        if found:
            found_scope = max(found, key=_TEXT_LEN) if len(found) > 1 else found[0]
        scope = found_scope if found_scope is not None else root
    date_classed: list[etree._Element] = []
    bylines: list[etree._Element] = []
    scope_tagged: dict[str, list[etree._Element]] = {tag: [] for tag in _SCOPE_TAGS}
    for el in scope.iter(*scope_tagged):
        scope_tagged[el.tag].append(el)
    # The tests of "<class> <id>" are those of the class or of the id: their words never run across the two.
    kinds_of = _NAME_KINDS.get
    for el in scope.iter(etree.Element):
        cls, ident = el.get("class"), el.get("id")
        if cls is None and ident is None:
            if el.tag in ("byline", "address"):
                bylines.append(el)
            continue
        tag = el.tag
        kinds = _NO_KINDS if cls is None else kinds_of(cls) or _name_kinds(cls)
        if ident is not None:
            ident_kinds = kinds_of(ident) or _name_kinds(ident)
            kinds = (kinds[0] or ident_kinds[0], kinds[1] or ident_kinds[1])
        if kinds[0] and tag not in _NOT_DATE_CLASS_TAGS:
            date_classed.append(el)
        if tag in ("byline", "address") or kinds[1] and tag not in _NOT_BYLINE_TAGS:
            bylines.append(el)
    # the first element with a date data- attribute that is not empty; its first such attribute by name
    dated = next((v.getparent() for v in _DATA_DATE_VALUES(scope) if v), None)
    data_published = None if dated is None else next(dated.get(a) for a in _DATA_DATE_ATTRS if dated.get(a))
    jsonld = _jsonld_data(scripts)
    return PageWalk(
        data_published,
        date_classed,
        bylines,
        itemprops,
        found_scope,
        metas,
        links,
        rel_links,
        jsonld,
        times,
        scope_tagged["time"],
        scope_tagged["abbr"],
        tagged,
        scope_tagged,
    )


def html_hints(
    root: etree._Element, *, article_root: etree._Element | None = None, walk: PageWalk | None = None
) -> tuple[Hint, ...]:
    """Every metadata candidate in the page, ordered by :data:`CASCADE` field by field. ``walk``: the
    page's :func:`page_walk` for ``article_root`` when the caller has it (not walked again)."""
    found: dict[str, list[object]] = {}

    def add(source: str, value: object) -> None:
        if value not in (None, "", [], {}):
            found.setdefault(source, []).append(value)

    head_meta = {}
    scope = article_root if article_root is not None else root
    if walk is None:
        walk = page_walk(root, scope)
    for el in walk.metas:
        key = _meta_key(el)
        content = el.get("content")
        if not key or content is None:
            continue
        content = content.strip()
        head_meta.setdefault(key, content)
        if key in (
            "og:title",
            "twitter:title",
            "article:published_time",
            "article:modified_time",
            "og:updated_time",
            "og:site_name",
            "application-name",
            "og:url",
            "og:description",
            "description",
            "twitter:description",
            "og:image",
            "twitter:image",
            "og:locale",
            "content-language",
            "author",
            "news_keywords",
            "keywords",
        ):
            add(f"meta:{key}", content)
        elif key == "article:tag":
            add("meta:article:tag", content)
        elif key == "article:author" and not content.lower().startswith(("http://", "https://")):
            add("meta:author", content)
        elif el.get("itemprop") in ("datePublished", "dateModified"):
            add(f"itemprop:{el.get('itemprop')}", content)
        elif key in _DATE_META_NAMES:
            add("meta:date", content)
        elif key in _AUTHOR_META_NAMES and not content.lower().startswith(("http://", "https://")):
            add("meta:byline", content)
        elif key in _MODIFIED_META_NAMES:
            add("meta:date_modified", content)
        elif key in _PUBLISHER_META_NAMES and not content.lower().startswith(("http://", "https://")):
            add("meta:publisher", content)

    # Yoast and similar: <meta name=twitter:label1 content="Written by"> + twitter:data1 = the name
    if _WRITTEN_BY_RE.match(head_meta.get("twitter:label1", "")):
        add("meta:twitter:data1", head_meta.get("twitter:data1"))
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    add("html:lang", (lang or "").strip())
    for link in walk.links:
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel:
            add("html:canonical", link.get("href"))

    art = jsonld_article(root, walk.jsonld)
    if art is None or not art.get("datePublished"):
        # The date on the page's WebPage object (an @graph of WebPage + Article often puts it there).
        # Its own source: SEO plugins stamp one on every page, static ones and product pages too.
        for obj in _jsonld_objects(root, walk.jsonld):
            t = obj.get("@type")
            if any(isinstance(x, str) and _PAGE_TYPE_RE.search(x) for x in (t if isinstance(t, list) else [t])):
                if obj.get("datePublished"):
                    add("jsonld:webpage_datePublished", _date_of(obj.get("datePublished")))
                    break
    if art is None:
        add("jsonld:event_startDate", _event_start(root, walk.jsonld))
    # What the page says it is: the date cascade does not take a date from the markup of a page that
    # calls itself no article and prints no date (metadata._unshown_date_on_non_article).
    add("meta:og:type", head_meta.get("og:type"))
    if art is not None:
        kinds = art.get("@type") if isinstance(art.get("@type"), list) else [art.get("@type")]
        add("jsonld:@type", next((k for k in kinds if isinstance(k, str) and _ARTICLE_TYPE_RE.search(k)), None))
    if art is not None:
        add("jsonld:headline", art.get("headline") or art.get("name"))
        add("jsonld:datePublished", _date_of(art.get("datePublished") or art.get("dateCreated")))
        add("jsonld:dateModified", _date_of(art.get("dateModified")))
        author = art.get("author") or art.get("creator")
        if isinstance(author, dict):
            author = [author]
        if isinstance(author, list) and any(isinstance(a, dict) and "name" not in a and a.get("@id") for a in author):
            # {"@id": "…#/schema/person/…"}: the Person object is elsewhere in the @graph
            objects = _jsonld_objects(root, walk.jsonld)
            by_id = {o.get("@id"): o for o in objects if isinstance(o.get("@id"), str) and "name" in o}
            author = [by_id.get(a.get("@id"), a) if isinstance(a, dict) and "name" not in a else a for a in author]
        add("jsonld:author", author)
        add("jsonld:publisher", _name_of(art.get("publisher")) or _name_of(art.get("sourceOrganization")))
        add("jsonld:url", art.get("url") if isinstance(art.get("url"), str) else None)
        add("jsonld:description", art.get("description"))
        kw = art.get("keywords")
        add("jsonld:keywords", kw if isinstance(kw, (list, str)) else None)
        add("jsonld:inLanguage", _name_of(art.get("inLanguage")))
        add("jsonld:image", _url_of(art.get("image") or art.get("thumbnailUrl")))

    # Titles carry the site's name as a suffix; the site is whatever the page calls itself.
    site = next((str(found[src][0]) for src in CASCADE["publisher"] if src in found), None)
    title_el = _first(_FIRST_TITLE, root)
    if title_el is not None:
        add("html:title", strip_title_suffix(_text(title_el), site=site))
    for src in ("meta:og:title", "meta:twitter:title"):
        if src in found:
            found[src] = [strip_title_suffix(str(v), site=site, only_site=True) for v in found[src]]

    h1 = _first(_FIRST_H1, scope)
    if h1 is None and scope is not root:
        h1 = _first(_FIRST_H1, root)
    # The headline is the heading that names the article; the first <h1> may be the site's logo.
    titles = [
        str(v)
        for src in ("meta:og:title", "jsonld:headline", "meta:twitter:title", "html:title")
        for v in found.get(src, ())
    ]
    headline = headline_element(root, scope, titles, walk)
    if headline is not None and headline.tag == "h1":
        h1 = headline
    if h1 is not None:
        add("html:h1", _text(h1))
    # a comment's or a related post's <time> is not the page's (in_side_region)
    time_el = _own_time(scope, walk.scope_times)
    if time_el is None and scope is not root:
        time_el = _own_time(root, walk.times)
    if time_el is not None:
        add("html:time", time_el.get("datetime"))
    for t in islice(walk.scope_times, MAX_SIDE_CHECKS):
        if not t.get("datetime") and not in_side_region(t):
            add("html:time_text", _text(t)[:100])
            break
    for el in walk.scope_abbrs:
        cls = (el.get("class") or "").lower()
        if "published" in cls or "updated" not in cls and "date" in cls:
            add("html:abbr_published", el.get("title") or _text(el)[:100])
            break
    if walk.data_published:
        add("html:data_published", walk.data_published[:100])
    title_h1 = headline if headline is not None else _first(_FIRST_H1, scope)
    if title_h1 is None:
        title_h1 = _first(_FIRST_H1, root)
    before_h1, after_h1 = text_near_headline(root, title_h1)
    add("text:near_headline", date_near_headline(before_h1, after_h1))
    # the page's visible text and the scope's, read in one walk when both are needed
    shown_pieces: list[str] | None = None
    scope_text: str | None = None
    if any(src in found for src in _DECLARED_AUTHOR_SOURCES):
        shown_pieces, scope_text = _body_and_scope_text(root, scope)
    add("text:date_label", labelled_date(scope, scope_text) or labelled_date(scope, after_h1))
    add("text:byline_near_headline", byline_near_headline(after_h1))
    from ..metadata.dates import dates_in_text

    side_checks = 0
    for el in walk.date_classed:
        printed = next(dates_in_text(_text(el)[:300]), None)
        if printed is None:
            continue
        side_checks += 1
        if side_checks > MAX_SIDE_CHECKS:
            break
        if not in_side_region(el):  # not a comment's or a sidebar teaser's date
            add("html:date_class", printed[1])
            break
    for el in walk.itemprops:
        ip = el.get("itemprop")
        if ip in ("datePublished", "dateModified") and el.tag != "meta":
            add(f"itemprop:{ip}", el.get("datetime") or el.get("content") or _text(el))
        elif ip == "author" and el.tag != "meta":
            name = el.find(".//*[@itemprop='name']")
            add(
                "itemprop:author",
                (name.get("content") or _text(name)) if name is not None else el.get("content") or _text(el),
            )
    for a in walk.rel_links:
        if "author" in (a.get("rel") or "").lower().split():
            add("html:rel_author", _text(a))
    for text in _byline_texts(scope, walk.bylines):
        add("html:byline", text)

    if any(src in found for src in _DECLARED_AUTHOR_SOURCES):
        # What the reader of the page sees, for the metadata step to check a declared author against.
        if shown_pieces is None:
            body_el = _first(_FIRST_BODY, root)
            body_el = body_el if body_el is not None else root
            shown_pieces = _visible_pieces_run(body_el, body_el)[0]
        shown = " ".join(shown_pieces)
        shown = " ".join(shown.split())
        if len(shown) >= _MIN_SHOWN_TEXT:  # a page a script draws shows nothing to check against
            found["html:visible_text"] = [shown[:_MAX_SHOWN_TEXT]]

    base = (found.get("meta:og:url") or [None])[0]
    hints: list[Hint] = []
    for field, sources in CASCADE.items():
        for source in sources:
            for value in found.get(source, ()):
                if field in ("url", "image") and isinstance(value, str):
                    value = _absolute(value, base if isinstance(base, str) else None)
                if (field, source) in (
                    ("authors", "html:rel_author"),
                    ("authors", "itemprop:author"),
                    ("authors", "meta:byline"),
                    ("tags", "meta:article:tag"),
                ):
                    # several rel=author links / article:tag metas are several values of one source
                    value = found[source]
                    hints.append(Hint(field, value, source))
                    break
                hints.append(Hint(field, value, source))
    for value in found.get("html:visible_text", ()):
        hints.append(Hint("page_text", value, "html:visible_text"))
    for source in ("meta:og:type", "jsonld:@type"):
        for value in found.get(source, ()):
            hints.append(Hint("page_type", value, source))
    for value in found.get("jsonld:event_startDate", ()):
        hints.append(Hint("event_date", value, "jsonld:event_startDate"))  # what a late date stage must not take
    return tuple(hints)
