"""Safe HTML parsing: one lxml tree per page, no network, no external entities, no lost text.

libxml2's HTML parser stops at a nesting depth of 2,048 (256 without ``huge_tree``) and then
*silently* drops the rest of the document. A page nested deeper than :data:`MAX_DEPTH` is first
re-emitted by :func:`flatten_deep` (the standard library's event parser has no depth limit and
runs in linear time) with the excess levels' tags removed and their text kept, so the marker at
the end of a 100,000-deep page still reaches the body.
"""

from __future__ import annotations

import html as _html
import re
from html.parser import HTMLParser as _EventParser

import lxml.html
from lxml import etree

from ..errors import BadHtml

# Deeper than any real page (news pages nest 20–60 levels); low enough that libxml2's own
# limit and Python's recursion limit are never reached by anything that walks the tree.
MAX_DEPTH = 400
# Elements that never have content; they do not open a nesting level.
VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont bgsound frame keygen".split()
)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)")
_DEPTH_ERROR = "Excessive depth"


def _parser() -> lxml.html.HTMLParser:
    # no_network: never fetch a DTD or anything else. The HTML parser never loads external
    # entities (it has no DTD processing); remove_pis drops <?xml-stylesheet …?> instructions.
    return lxml.html.HTMLParser(
        no_network=True,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=False,
        default_doctype=False,
    )


# Tags whose end tag pages routinely omit: a new one closes the open one (<li>a<li>b).
AUTOCLOSE_TAGS = frozenset("p li dt dd tr td th option".split())


def _close(stack: list[str], tag: str) -> int:
    """Pop ``stack`` up to the nearest open ``tag`` (searching a bounded distance); how many."""
    for i in range(len(stack) - 1, max(-1, len(stack) - 64), -1):
        if stack[i] == tag:
            n = len(stack) - i
            del stack[i:]
            return n
    return 0


def _nests_deeper_than(text: str, limit: int) -> bool:
    """True when the page's tags nest deeper than ``limit`` (a cheap scan, no tree built)."""
    stack: list[str] = []
    for m in _TAG_RE.finditer(text):
        tag = m.group(2).lower()
        if tag in VOID_TAGS:
            continue
        if m.group(1):
            _close(stack, tag)
        else:
            if tag in AUTOCLOSE_TAGS and stack and stack[-1] == tag:
                stack.pop()
            stack.append(tag)
            if len(stack) > limit:
                return True
    return False


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


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse a decoded page into an lxml tree, safely and without losing deep text.

    Raises:
        BadHtml: when the page cannot be parsed into a document at all.
    """
    if "\x00" in text:
        text = text.replace("\x00", "")
    if _nests_deeper_than(text, MAX_DEPTH):
        text = flatten_deep(text)
    parser = _parser()
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise BadHtml(f"the HTML could not be parsed: {e}") from None
    if any(_DEPTH_ERROR in str(err.message) for err in parser.error_log):
        # Only reachable if the depth pre-check was fooled; refuse rather than lose text silently.
        raise BadHtml("the HTML nests deeper than the parser's limit; text would be lost")
    return root
