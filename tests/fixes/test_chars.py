"""Character-level repairs: line endings, HTML remnants, invisible characters, whitespace, quotes."""

from __future__ import annotations

import pytest

from ingest.fixes.chars import (
    decode_html_entities,
    mark_indented_paragraphs,
    normalize_newlines,
    normalize_whitespace,
    remove_invisible_chars,
    replace_html_tags,
    uncurl_quotes,
)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("a\r\nb", "a\nb", id="CRLF becomes LF"),
        pytest.param("a\rb", "a\nb", id="lone CR (old Mac) becomes LF"),
        pytest.param("a\r\n\r\nb", "a\n\nb", id="CRLF blank line stays one blank line"),
        pytest.param("a\u2028b\u2029c", "a\nb\nc", id="Unicode line and paragraph separators"),
        pytest.param("a\x0cb\x0bc", "a\nb\nc", id="form feed and vertical tab"),
    ],
)
def test_normalize_newlines_changes(raw: str, want: str) -> None:
    out, n = normalize_newlines(raw)
    assert out == want
    assert n >= 1


def test_normalize_newlines_leaves_lf_text_alone() -> None:
    assert normalize_newlines("one\ntwo\n\nthree") == ("one\ntwo\n\nthree", 0)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("one<br>two", "one\ntwo", id="br is a line break"),
        pytest.param("one<br />two<BR/>three", "one\ntwo\nthree", id="self-closing and upper-case br"),
        pytest.param("one</p><p>two", "one\n\n\n\ntwo", id="p tags are paragraph breaks"),
        pytest.param('<p class="x">one</p>', "\n\none\n\n", id="p with attributes"),
        pytest.param("a <b>bold</b> and <em>em</em> word", "a bold and em word", id="inline tags dropped, text kept"),
        pytest.param(
            'see <a href="https://x.org/">the report</a>.', "see the report.", id="link tag dropped, anchor text kept"
        ),
    ],
)
def test_replace_html_tags_changes(raw: str, want: str) -> None:
    out, n = replace_html_tags(raw)
    assert out == want
    assert n >= 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("if a < b and b > c then", id="comparison signs in prose"),
        pytest.param("I <3 this town", id="heart emoticon"),
        pytest.param("the <Ministry> said", id="angle-bracketed word that is not an HTML tag"),
        pytest.param("x <= y >= z", id="less-or-equal signs"),
    ],
)
def test_replace_html_tags_keeps_prose(text: str) -> None:
    assert replace_html_tags(text) == (text, 0)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("it&rsquo;s", "it\u2019s", id="named entity"),
        pytest.param("it&#8217;s", "it\u2019s", id="decimal entity"),
        pytest.param("it&#x2019;s", "it\u2019s", id="hex entity"),
        pytest.param("Holm &amp; S&oslash;nner", "Holm & S\u00f8nner", id="amp and a letter entity"),
        pytest.param("a&nbsp;b", "a\u00a0b", id="nbsp becomes the character (whitespace fix turns it into a space)"),
        pytest.param("&amp;amp;", "&amp;", id="double-escaped amp decoded exactly once"),
        pytest.param("&amp;rsquo;", "&rsquo;", id="double-escaped rsquo decoded exactly once"),
        pytest.param("a&#0;b&#xD800;c", "abc", id="NUL and surrogate numeric entities are dropped"),
    ],
)
def test_decode_html_entities_changes(raw: str, want: str) -> None:
    out, n = decode_html_entities(raw)
    assert out == want
    assert n >= 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("AT&T and P&G", id="ampersand in company names"),
        pytest.param("Q&A: what &foo; means", id="unknown entity name left as written"),
        pytest.param("R&D; spending", id="ampersand word with semicolon that is not an entity"),
        pytest.param("Tom & Jerry", id="spaced ampersand"),
    ],
)
def test_decode_html_entities_keeps_text(text: str) -> None:
    assert decode_html_entities(text) == (text, 0)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("zero\u200bwidth", "zerowidth", id="zero-width space"),
        pytest.param("consti\u00adtution", "constitution", id="soft hyphen"),
        pytest.param("\ufeffText", "Text", id="BOM inside text"),
        pytest.param("bell\x07 and\x00nul", "bell andnul", id="C0 control characters"),
        pytest.param("c1\x85\x9f", "c1", id="C1 control characters"),
        pytest.param("a\u202eevil\u202cb", "aevilb", id="bidi override controls"),
        pytest.param("word\u2060joiner", "wordjoiner", id="word joiner"),
    ],
)
def test_remove_invisible_chars_changes(raw: str, want: str) -> None:
    out, n = remove_invisible_chars(raw)
    assert out == want
    assert n >= 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\U0001f468\u200d\U0001f469\u200d\U0001f467", id="ZWJ in an emoji family sequence"),
        pytest.param("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", id="ZWNJ in Persian text"),
        pytest.param("\u0915\u094d\u200d\u0937", id="ZWJ in Devanagari"),
        pytest.param("tab\there\nnew line", id="tab and newline are not control characters here"),
        pytest.param("\u05e9\u05dc\u05d5\u05dd \u200f!", id="right-to-left mark kept"),
    ],
)
def test_remove_invisible_chars_keeps(text: str) -> None:
    assert remove_invisible_chars(text) == (text, 0)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("a\tb", "a b", id="tab becomes a space"),
        pytest.param("a\u00a0b", "a b", id="NBSP becomes a space"),
        pytest.param("a\u2009b\u202fc", "a b c", id="thin and narrow no-break spaces"),
        pytest.param("a    b", "a b", id="runs of spaces collapse"),
        pytest.param("line  \nnext", "line\nnext", id="trailing spaces removed"),
        pytest.param("  indented", "indented", id="leading spaces removed"),
        pytest.param("a\n\n\n\n\nb", "a\n\nb", id="runs of blank lines become one"),
        pytest.param("\n\nbody\n\n", "body", id="leading and trailing blank lines"),
        pytest.param("a\n \t \nb", "a\n\nb", id="whitespace-only line is a blank line"),
    ],
)
def test_normalize_whitespace_changes(raw: str, want: str) -> None:
    out, n = normalize_whitespace(raw)
    assert out == want
    assert n >= 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\u6771\u4eac\u3000\u5927\u962a", id="ideographic space in CJK kept"),
        pytest.param("one\ntwo\n\nthree", id="single and double newlines kept"),
    ],
)
def test_normalize_whitespace_keeps(text: str) -> None:
    assert normalize_whitespace(text) == (text, 0)


def test_uncurl_quotes_makes_ascii() -> None:
    out, n = uncurl_quotes("\u201cIt\u2019s\u201d, \u2018quoted\u2019 \u201elow\u201c")
    assert out == '"It\'s", \'quoted\' "low"'
    assert n == 7


def test_uncurl_quotes_leaves_guillemets_and_ascii() -> None:
    text = "\u00abbonjour\u00bb said \"plain\" 'ascii'"
    assert uncurl_quotes(text) == (text, 0)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param(
            "First line\nends here.\n    Second starts\nand ends.\n    Third one.",
            "First line\nends here.\n\nSecond starts\nand ends.\n\nThird one.",
            id="indented first lines after sentence ends start paragraphs",
        ),
        pytest.param("One.\n\tTwo.\n\tThree.", "One.\n\nTwo.\n\nThree.", id="tab indents"),
        pytest.param(
            "\u00abOne.\u00bb\n  \u00abTwo.\u00bb\n  \u201cThree.\u201d",
            "\u00abOne.\u00bb\n\n\u00abTwo.\u00bb\n\n\u201cThree.\u201d",
            id="quoted paragraph openings",
        ),
    ],
)
def test_mark_indented_paragraphs_changes(raw: str, want: str) -> None:
    out, n = mark_indented_paragraphs(raw)
    assert out == want
    assert n == 2


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("One sentence.\n    Only one indented line.", id="a convention needs two indented starts"),
        pytest.param(
            "- item one that\n  continues here.\n- item two that\n  continues too.", id="hanging indent of list items"
        ),
        pytest.param(
            "The road goes on\n    and on, and on\nThe road goes on\n    and on again", id="indented verse lines"
        ),
        pytest.param(
            "Results:\n  Alpha 12\n  Beta 7", id="indented table rows: only one indented start follows a sentence end"
        ),
    ],
)
def test_mark_indented_paragraphs_keeps(text: str) -> None:
    out, n = mark_indented_paragraphs(text)
    assert (out, n) == (text, 0)
