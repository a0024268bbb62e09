"""The built-in extractor's per-call shortcuts give the answers of the plain functions they stand for."""

from __future__ import annotations

import re

from lxml import etree

from ingest.extractors import builtin as B
from ingest.readers.htmltree import parse_html

PAGE = """<html><body>
<div class="page-wrapper" id="top">
  <header class="site-header"><a href="/">Home</a> <a href="/news">News</a></header>
  <main><article class="story">
    <div itemprop="articleBody" class="entry-content is-active">
      <p>The ferry will stop running in May, the council said, after <a href="/x">years of losses</a>.</p>
      <p>Residents   asked for a bus instead,
         and the council agreed to study one.</p>
    </div>
  </article></main>
  <aside class="sidebar"><p class="teaser">Other <b>stories</b></p></aside>
  <div class="ShareBar"><span class="share">Share</span></div>
  <div class="card has-shadow" role="navigation">x</div>
  <div class="card" style="display: none">hidden</div>
  <script type="text/template"><p>Rendered later</p></script>
  <script type="text/javascript">var p = 1;</script>
  <script>document.write("<p>no type</p>")</script>
</div>
</body></html>"""


def _body() -> etree._Element:
    root = parse_html(PAGE)
    body = root.find("body")
    assert body is not None
    return body


def _elements(body: etree._Element) -> list[etree._Element]:
    return [el for el in body.iter() if isinstance(el.tag, str)]


def test_tree_facts_text_and_link_lengths_are_the_plain_ones() -> None:
    body = _body()
    facts = B._TreeFacts()
    for el in _elements(body):
        assert facts.text_len(el) == B._text_len(el)
        assert facts.link_len(el) == B._link_len(el)
        assert facts.text_len(el) == B._text_len(el)  # asked again: the remembered answer


def test_prune_reason_with_facts_is_the_plain_verdict() -> None:
    body = _body()
    facts = B._TreeFacts()
    verdicts = [B._prune_reason(el) for el in _elements(body)]
    assert [B._prune_reason(el, facts) for el in _elements(body)] == verdicts
    assert [B._prune_reason(el, facts) for el in _elements(body)] == verdicts  # from the memo
    assert {"tag", "role", "hidden", "widget", "layout", None} >= set(verdicts)
    assert "widget" in verdicts and "layout" in verdicts and "hidden" in verdicts and "role" in verdicts


def test_role_names_of_raw_names_is_role_names() -> None:
    body = _body()
    for el in _elements(body):
        assert B._role_names_of(B._attrs(el)) == B._role_names(el)
    assert B._role_names_of("ShareBar is-active") == "Share-Bar"
    assert B._role_names_of(" ") == ""


def test_names_reason() -> None:
    assert B._names_reason("") is None
    assert B._names_reason("share-buttons") == "widget"
    assert B._names_reason("sidebar") == "layout"
    assert B._names_reason("sidebar content") is None  # named as content too
    assert B._names_reason("story-text") is None


def test_template_sources_are_the_typed_scripts_with_a_paragraph() -> None:
    body = _body()
    assert B._template_sources(body) == ["<p>Rendered later</p>"]
    html = (
        '<html><body><script type=" Text/X-Template "><p>One</p></script><div><script type="text/html">'
        '<p>Two</p></script></div><script type="text/template">no paragraph</script>'
        '<script type="application/json">{"a": "<p>"}</script></body></html>'
    )
    body = parse_html(html).find("body")
    assert body is not None
    assert B._template_sources(body) == ["<p>One</p>", "<p>Two</p>"]


def _read_leads(html: str) -> list[etree._Element]:
    """The standfirst candidates before the element of class "text", read as _lead_for reads them."""
    body = parse_html(html).find("body")
    assert body is not None
    removed = B._Removed(body)
    B._prune(body, removed)
    first = body.find(".//*[@class='text']")
    assert first is not None
    scope = [a for a in first.iterancestors() if a.tag not in ("body", "html")][: B._LEAD_LEVELS]
    return [c.el for c in B._leads_before(first, scope, removed).found]


def test_lead_candidates_repeat_names_answered_alike() -> None:
    lead = '<div class="story-summary">A lead paragraph of the story.</div>'
    html = f"<html><body><div class='wrap'>{lead * 3}<p class='text'>The body.</p></div></body></html>"
    assert len(_read_leads(html)) == 3


def test_lead_candidates_read_class_or_id_of_descendants_only() -> None:
    html = (
        '<html><body class="lead-page"><div class="wrap" id="intro-wrap"><div id="Intro">A lead paragraph named by'
        ' its id only.</div><div class="">No names at all.</div><p class="summary-box">Another lead paragraph.</p>'
        '<p class="text">The body.</p></div></body></html>'
    )
    found = _read_leads(html)
    assert [el.tag for el in found] == ["div", "p"]  # not the wrapper above the body, not the body


def test_tree_facts_holds_is_the_subtree_search() -> None:
    body = _body()
    facts = B._TreeFacts()
    for el in _elements(body):
        assert facts.holds_declared_body(el) == B._HOLDS_DECLARED_BODY(el)
        assert facts.holds_article(el) == B._HOLDS_ARTICLE(el)
    assert facts.holds_article(body) and not facts.holds_article(body.find(".//article"))
    assert facts.holds_declared_body(body.find(".//article")) and not facts.holds_declared_body(body.find(".//p"))


def test_names_flags_of_class_and_id_give_the_verdict_on_both_together() -> None:
    pairs = [
        ("share-buttons", None),
        ("sidebar", "main-content"),
        ("ArticleComments", "x"),
        ("is-sidebar widget-open", ""),
        ("card", "storyBody"),
        (None, "ad-slot"),
        ("non-ad-column", "head-ad-free"),
        ("story-text", "related"),
        ("  tools\tmenu ", None),
    ]
    for cls, ident in pairs:
        raw = f"{cls or ''} {ident or ''}"
        flags = B._role_flags(cls or "") | B._role_flags(ident or "")
        assert B._reason_of_flags(flags) == B._names_reason(B._role_names_of(raw))
        el = etree.Element("div")
        for key, value in (("class", cls), ("id", ident)):
            if value is not None:
                el.set(key, value)
        assert B._TreeFacts().names_reason(el) == B._names_reason(B._role_names(el))


def _flags_case_blind(names: str) -> int:
    """What B._flags says, straight from the case-blind patterns."""
    flags = B._WIDGET_NAME if B._STRONG_NEG_RE.search(names) or B._AD_RE.search(names) else 0
    if B._WEAK_NEG_RE.search(names):
        flags |= B._LAYOUT_NAME
    if B._POSITIVE_RE.search(names):
        flags |= B._CONTENT_NAME
    return flags


def test_ascii_twins_match_what_the_case_blind_patterns_match() -> None:
    names = [
        "SIDEBAR", "Share-Buttons", "AD-slot", "Ads", "NON-AD-COLUMN", "Main-Content", "nav_Bar", "ToolBar",
        "Kommentare_Liste", "RELATED_posts", "cookieBanner", "cookie_Consent", "Byline", "story-TEXT",
        "post-123", "x", "widget-Open", "IS-active", "js-Modal", "Related", "Prose", "mainContent",
        "Ember123", "yui_3_5", "Google-AdSense", "advertISEMENT", "ScreenReaderText", "Table-Of-Contents",
        "Côté-sidebar", "ſhare", "\u212aommentar",  # not ASCII: the case-blind patterns themselves
    ]  # fmt: skip
    for name in names:
        assert B._flags(name) == _flags_case_blind(name), name
        role = B._role_names_of(name)
        assert B._role_name_flags(name) == (_flags_case_blind(role) if role else 0), name
    for pattern in (*B._FLAG_PATTERNS, B._STATE_TOKEN_RE):
        # the twins are exact only while every letter of the pattern is a lower-case literal
        letters = re.sub(r"\\.", "", pattern.pattern)
        assert not any(c.isupper() for c in letters) and "a-z" not in letters


def test_block_pattern_twins_find_what_the_case_blind_patterns_find() -> None:
    texts = [
        "All Rights Reserved.", "SUBSCRIBE to our Newsletter", "Please ENABLE JavaScript to view the slideshow.",
        '"Come and JOIN US," she said. Then: Follow Us on Mastodon', "Share This Article with a Friend!",
        "Licensed under a Creative Commons licence", "You can Support Our work", "The council met on Monday.",
        "Tous droits réservés", "Abonnez-vous", "\u212aOMMENTAR",  # not ASCII: the case-blind patterns themselves
    ]  # fmt: skip
    pairs = [
        (B._SCRIPT_NOTICE_RE, B._SCRIPT_NOTICE_TWIN),
        (B._RIGHTS_NOTICE_RE, B._RIGHTS_NOTICE_TWIN),
        (B._ADDRESSED_RE, B._ADDRESSED_TWIN),
        (B._CALL_TO_ACTION_RE, B._CALL_TO_ACTION_TWIN),
    ]
    for text in texts:
        for pattern, twin in pairs:
            assert B._finds(pattern, twin, text) == (pattern.search(text) is not None), (text, pattern.pattern[:30])
        calls = B._CALL_TO_ACTION_RE.finditer(text)
        quoted = [len(B._QUOTE_MARK_RE.findall(text, 0, m.start())) % 2 == 0 for m in calls]
        assert B._is_call_to_action(text) == (len(text) <= B._CALL_TO_ACTION_MAX and any(quoted)), text
    for pattern, _ in pairs:
        letters = re.sub(r"\\.", "", pattern.pattern)
        assert not any(c.isupper() for c in letters) and "a-z" not in letters


def test_tree_facts_declared_body_is_the_exact_itemprop_value() -> None:
    html = (
        '<html><body><div id="a"><section itemprop="articleBody"><p>x</p></section></div>'
        '<div id="b"><section itemprop="articlebody"><p>y</p></section></div>'
        '<div id="c"><span itemprop="name">z</span></div></body></html>'
    )
    body = parse_html(html).find("body")
    assert body is not None
    facts = B._TreeFacts()
    for el in _elements(body):
        assert facts.holds_declared_body(el) == B._HOLDS_DECLARED_BODY(el)
    assert [el.get("id") for el in body if facts.holds_declared_body(el)] == ["a"]


LEAD_PAGE = """<html><body><div class="page">
  <header class="site-header"><nav><a href="/">Home</a></nav>
    <p class="intro">A pruned deck, before the body.</p></header>
  <article class="story">
    <header class="entry-header"><h1>Title</h1>
      <div class="article-lead">The lead, in a header pruning removes.</div></header>
    <aside class="related"><p class="teaser">Another story's teaser.</p></aside>
    <div class="Lead-Wrap"><div class="body"><p>First paragraph of the body, long enough.</p>
      <p class="summary">A summary inside the body.</p></div></div>
    <div class="story-summary">After the body.</div>
  </article>
  <footer><p class="description">Footer description.</p></footer>
</div></body></html>"""


def test_lead_hint_is_the_words_in_any_case() -> None:
    assert B._lead_hint("Article-LEAD") and B._lead_hint("storyDek") and B._lead_hint("x-Intro")
    assert not B._lead_hint("story-body") and not B._lead_hint("")


def test_lowered_text_reads_to_the_twins_as_the_text_to_their_case_blind_patterns() -> None:
    # every cased character but the three _lowered refuses lower-cases to one character that each
    # letter of the patterns read through _lowered matches exactly when the case-blind pattern
    # matches the character, and that is a word character, digit or space exactly when it is
    patterns = (B._SCRIPT_NOTICE_RE, B._RIGHTS_NOTICE_RE, B._CALL_TO_ACTION_RE, B._ADDRESSED_RE)
    letters = sorted({c for p in patterns for c in p.pattern if c == c.lower()})
    blind = [(p, re.compile(re.escape(p), re.I)) for p in letters]
    classes = [re.compile(r) for r in (r"\w", r"\d", r"\s")]
    refused = []
    for cp in range(0x110000):
        c = chr(cp)
        low = c.lower()
        if low == c and c.upper() == c:
            continue  # no case: lower() keeps it, and no case-blind match differs
        alike = len(low) == 1 and all((blind_p.fullmatch(c) is not None) == (low == p) for p, blind_p in blind)
        alike = alike and all((r.match(c) is None) == (r.match(low) is None) for r in classes)
        if not alike:
            refused.append(c)
            assert B._lowered(f"x{c}y") is None
    assert refused  # the check can fail: U+0130 lower-cases to two characters
    assert B._lowered("Ünterstützen Sie uns") == "ünterstützen sie uns"
    assert B._lowered("ſubscribe") is None


def test_call_to_action_reads_non_ascii_text_alike() -> None:
    for text, expected in [
        ("Unterstützen Sie unseren Journalismus!", True),
        ("Abonnez-vous à notre NEWSLETTER", True),
        ("Sie sagte: \u201eUnterstützen Sie uns\u201c, und ging.", False),
        ("Die Gemeinde prüft eine Busverbindung über den Fluss.", False),
    ]:
        assert B._is_call_to_action(text) is expected


def _whole_page(body: etree._Element) -> tuple[list[etree._Element], dict[etree._Element, int], set[etree._Element]]:
    """The reference, read before pruning: every standfirst candidate of the page, the document order,
    and the elements that hold an <h1>."""
    order = {el: i for i, el in enumerate(body.iter())}
    found = [el for el in body.iterdescendants() if B._hinted(el, {}) and B._names_lead(el)]
    holders: set[etree._Element] = set()
    for h1 in body.iter("h1"):
        holders.update(h1.iterancestors())
    return found, order, holders


HIDDEN = (
    "<div class='deck'><h1>Title</h1></div>",
    "<noscript><div class='deck'><h1>Title</h1><p class='intro'>A lead in a noscript.</p></div></noscript>"
    "<button class='summary-toggle'>Summary</button>",
)


def test_leads_read_after_pruning_are_those_of_the_page_before_it_before_the_body() -> None:
    # _leads_before finds, after pruning (and the strip of scripts, buttons, noscript …), the candidates
    # the page had before, below the top of the scope and before the body, in document order, with
    # the ancestors and <h1> holders they had; each precedes the body by _precedes
    read = 0
    for replacement in HIDDEN:
        body = parse_html(LEAD_PAGE.replace("<h1>Title</h1>", replacement)).find("body")
        assert body is not None
        candidates, order, holders = _whole_page(body)
        chains = {el: tuple(el.iterancestors()) for el in candidates}
        removed = B._Removed(body)
        B._prune(body, removed)
        for first in [el for el in body.iter() if isinstance(el.tag, str)]:
            scope = [a for a in first.iterancestors() if a.tag not in ("body", "html")][: B._LEAD_LEVELS]
            if not scope:
                continue
            found = B._leads_before(first, scope, removed)
            expected = [el for el in candidates if scope[-1] in chains[el] and order[el] < order[first]]
            assert [c.el for c in found.found] == expected
            for c in found.found:
                assert c.chain == chains[c.el] and c.ancestors == frozenset(chains[c.el])
                at = next(i for i, a in enumerate(scope) if a in c.ancestors)
                near = scope[at - 1] if at else first
                assert B._precedes(c, first, scope[at], near, found)
                below = [a for a in c.chain if order.get(a, -1) > order[scope[-1]]]
                assert [a in found.headline_groups for a in below] == [a in holders for a in below]
            read += len(found.found)
    assert read > 20


def test_declared_containers_from_what_pruning_read_are_those_found_after() -> None:
    text = "<p>" + "The council met on Monday, and the ferry was the only item. " * 5 + "</p>"
    pages = [
        PAGE,
        f"<html><body><div itemprop='articleBody' class='share'>{text}</div><main><div itemprop='articleBody'>"
        f"{text}</div></main><template><div itemprop='articleBody'>{text}</div></template></body></html>",
        f"<html><body><div class='story'>{text}{text}</div><aside><p>Other</p></aside></body></html>",
    ]
    for page in pages:
        body = parse_html(page).find("body")
        assert body is not None
        removed = B._Removed(body)
        B._prune(body, removed)
        assert removed.declared_bodies is not None  # the prune asked who holds a declared body
        assert B._declared_containers(body, removed.declared_bodies) == B._declared_containers(body)
    assert B._declared_containers(body) == []  # the last page declares none


def test_string_is_the_joined_itertext() -> None:
    html = (
        "<html><body><p>One <b>two <i>three</i></b> four<!-- a note --> five<br/>six</p><p>Only text</p><p></p>"
        "<li><p>Nested</p> tail <span>inline</span><?pi x?> after</li><td>  spaced\n out  </td></body></html>"
    )
    body = parse_html(html).find("body")
    assert body is not None
    for el in _elements(body):
        assert B._string(el) == "".join(el.itertext())
    assert B._string(body.find("p")) == "One two three four fivesix"  # not the comment
