"""HTML pages: a safe parse, metadata hints from the markup, the body from the chosen extractor."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..model import ArticleWarning, Hint
from ..options import Options
from . import Draft
from .htmlmeta import html_hints, jsonld_article, page_walk
from .htmltree import MAX_ELEMENTS, count_elements, parse_html, plain_paragraphs, simplify_inline


def _article_scope(root: etree._Element) -> etree._Element | None:
    """Where the headline, byline and <time> of the article most likely are (not a sidebar's):
    what :func:`page_walk` finds in the whole document."""
    return page_walk(root.getroottree().getroot()).scope


def page_hints(root: etree._Element) -> tuple[tuple[Hint, ...], str | None]:
    """The metadata hints of a parsed page and its JSON-LD ``articleBody`` (if any)."""
    # A whole page: the article's scope is found in the one walk of it, which html_hints reuses.
    walk = page_walk(root) if root.getparent() is None else None
    art = jsonld_article(root, walk.jsonld if walk is not None else None)
    jsonld_body = art.get("articleBody") if art else None
    scope = walk.scope if walk is not None else _article_scope(root)
    hints = html_hints(root, article_root=scope, walk=walk)
    return hints, jsonld_body if isinstance(jsonld_body, str) else None


def extract_html(text: str, *, extractor: str = "builtin") -> tuple[str, tuple[Hint, ...], str]:
    """(body text, hints, extraction method) of one HTML document.

    Raises:
        BadHtml: the page cannot be parsed within the safety limits.
    """
    from ..extractors import get_extractor

    root = parse_html(text)
    simplified = False
    if count_elements(root, MAX_ELEMENTS) > MAX_ELEMENTS:
        # Bounded work by design: a tree this large is no real page's; shrink it, or render it plainly.
        root = simplify_inline(root)
        simplified = True
        if count_elements(root, MAX_ELEMENTS) > MAX_ELEMENTS:
            return plain_paragraphs(root), (), "plain"
    try:
        hints, jsonld_body = page_hints(root)  # before the extractor prunes the tree
        found = get_extractor(extractor)(root, jsonld_body=jsonld_body)
    except etree.XPathError:
        # libxml2's XPath limits (node-set size, depth) on a pathological tree: degrade, never crash
        return plain_paragraphs(parse_html(text)), (), "plain"
    hints = hints + (_htmldate_hint(text), _prints_date_hint(text))
    if simplified:
        return found.text, hints + found.hints, found.method + "+simplified"
    if not any(c.isalnum() for c in found.text):
        # No readable block at all (the text is drawn by a script from data we do not run):
        # the page's own summary is its only prose; better than rejecting the page as no_text.
        summary = _description(hints)
        if summary:
            return summary, hints + found.hints, "description"
    return found.text, hints + found.hints, found.method


def _htmldate_hint(text: str) -> Hint:
    """htmldate as the date cascade's late stage: run on the page text only if needed."""
    from ..model import Deferred
    from ..metadata.dates import date_by_htmldate

    return Hint("published", Deferred(lambda url: date_by_htmldate(text, url=url)), "htmldate")


def _prints_date_hint(text: str) -> Hint:
    """Whether the page's visible text writes out any date, read only if the date cascade asks
    (the pruned tree no longer has the whole page: the text is parsed again then)."""
    from ..model import Deferred
    from ..metadata.dates import prints_a_date

    return Hint("prints_date", Deferred(lambda _url: prints_a_date(text)), "html:visible_text")


def _description(hints: tuple[Hint, ...]) -> str | None:
    """The longest description the page declares (JSON-LD or meta), for a page without body text."""
    found = [h.value for h in hints if h.field == "description" and isinstance(h.value, str) and h.value.strip()]
    return max(found, key=len).strip() if found else None


def extract_fragment(text: str) -> str:
    """Body text of an HTML *fragment* a scraper already cut out (a record's ``content``).

    The scraper chose the article, so no container is picked: boilerplate is pruned and every
    remaining block is kept.
    """
    from ..extractors.builtin import prune_and_render

    root = parse_html(f"<html><body><div>{text}</div></body></html>")
    return prune_and_render(root)


def read_html(text: str, options: Options) -> Iterator[Draft]:
    """One HTML page → one draft (paragraphs separated by blank lines, <br> as a newline)."""
    name = options.html_extractor
    body, hints, method = extract_html(text, extractor=name)
    warnings: tuple[ArticleWarning, ...] = ()
    if method == "description":
        warnings = (
            ArticleWarning(
                "body_from_description",
                "the page has no readable body text; its declared description is used as the body",
            ),
        )
    elif method == "plain":
        warnings = (
            ArticleWarning(
                "html_too_complex",
                f"the page has over {MAX_ELEMENTS:,} elements: all its text is kept as plain paragraphs, without"
                " boilerplate removal or metadata",
            ),
        )
    elif method.endswith("+simplified"):
        warnings = (
            ArticleWarning(
                "html_simplified",
                f"the page has over {MAX_ELEMENTS:,} elements: inline markup (links, <br>, emphasis) was removed before"
                " extraction",
            ),
        )
    yield Draft(text=body, format="html", hints=hints, warnings=warnings, markup_parsed=True)
