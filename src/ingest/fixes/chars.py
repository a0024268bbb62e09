"""Character-level repairs: line endings, HTML remnants, invisible characters, whitespace.

Each function is pure: ``str -> (str, count)`` where ``count`` is how many places it changed.
"""

from __future__ import annotations

import html
import re
from html.entities import html5 as _HTML5

# U+0085 (NEL) is not among them: in article text it is cp1252's "…" (byte 0x85) read as
# Latin-1, which fix_mojibake turns back into "…" (and remove_invisible_chars drops otherwise).
_NEWLINES_RE = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\u2028\u2029]")


# Any character _NEWLINES_RE can match: a quick search for one is cheaper than the alternation.
_NEWLINE_PROBE_RE = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\u2028\u2029]")


def normalize_newlines(text: str) -> tuple[str, int]:
    """CRLF, CR, form feeds and Unicode line/paragraph separators become ``\\n``."""
    if not _NEWLINE_PROBE_RE.search(text):
        return text, 0  # nothing to replace (the plan calls this at least twice per article)
    return _NEWLINES_RE.subn("\n", text)


# Only real HTML tag names are touched, so "a < b > c" or "<3" in prose survive.
_BLOCK_TAGS = (
    "p|div|h[1-6]|li|ul|ol|blockquote|section|article|header|footer|table|tr|td|th|pre|"
    "figure|figcaption|aside|nav|main|dl|dt|dd|hr"
)
_INLINE_TAGS = (
    "a|b|i|u|s|em|strong|span|font|small|big|sub|sup|abbr|cite|code|q|mark|time|ins|del|"
    "html|body|head|title|meta|link|img|center|tbody|thead|wbr"
)
# As in HTML, the tag name follows "<" or "</" directly: "a < b and b > c" is prose, not a <b> tag.
_BR_RE = re.compile(r"<br\s*/?\s*>", re.I)
_BLOCK_RE = re.compile(r"</?(?:" + _BLOCK_TAGS + r")(?=[\s/>])[^<>]{0,500}>", re.I)
_INLINE_RE = re.compile(r"</?(?:" + _INLINE_TAGS + r")(?=[\s/>])[^<>]{0,500}>", re.I)
_HAS_TAG_RE = re.compile(r"</?[a-zA-Z]")


def replace_html_tags(text: str) -> tuple[str, int]:
    """Stray tags in text dumps become the breaks they meant: ``<br>`` a line, ``<p>`` a paragraph."""
    if not _HAS_TAG_RE.search(text):
        return text, 0
    text, n1 = _BR_RE.subn("\n", text)
    text, n2 = _BLOCK_RE.subn("\n\n", text)
    text, n3 = _INLINE_RE.subn("", text)
    return text, n1 + n2 + n3


_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _entity(m: re.Match[str]) -> str:
    ent = m.group(0)
    if ent[1] != "#" and ent[1:] not in _HTML5:
        return ent  # not an entity HTML knows: leave "&foo;" as written
    if ent[1] == "#":
        # A numeric entity naming NUL, a surrogate, a C0 control or a code point beyond Unicode is
        # garbage, not text (html.unescape would turn it into U+FFFD).
        code = int(ent[3:-1], 16) if ent[2] in "xX" else int(ent[2:-1])
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or (code < 0x20 and code not in (9, 10)):
            return ""
    return html.unescape(ent)


def decode_html_entities(text: str) -> tuple[str, int]:
    """``&rsquo;``, ``&amp;``, ``&#8217;`` … become characters. One pass; the plan reruns to a fixed point."""
    if "&" not in text:
        return text, 0
    count = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal count
        out = _entity(m)
        if out != m.group(0):
            count += 1
        return out

    return _ENTITY_RE.sub(sub, text), count


# Invisible characters that carry no meaning in article text. ZWJ (U+200D) and ZWNJ (U+200C)
# are kept: they change how Persian, Indic scripts and emoji render. Bidi marks LRM/RLM/ALM are
# kept too; the explicit embedding/override/isolate controls are dropped because in plain text
# they only reorder what follows them (and are a known spoofing vector).
_INVISIBLE_RE = re.compile(
    "[\u00ad\u180e\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)
# C0 controls except \t and \n, DEL, C1 controls, non-characters and lone surrogates.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


# Both sets in one character class (both patterns above are one class): they are disjoint, and
# dropping one kind cannot make the other, so one pass removes what the two passes removed.
_INVISIBLE_OR_CONTROL_RE = re.compile("[" + _INVISIBLE_RE.pattern[1:-1] + _CONTROL_RE.pattern[1:-1] + "]")


def remove_invisible_chars(text: str) -> tuple[str, int]:
    """Drop zero-width spaces, soft hyphens, BOMs, bidi overrides and stray control characters."""
    if text.isascii():  # every invisible character is non-ASCII (isascii is O(1))
        return _CONTROL_RE.subn("", text)
    return _INVISIBLE_OR_CONTROL_RE.subn("", text)


# A line indented after a line that ends a sentence: the first line of a paragraph in files that
# mark paragraphs by indentation instead of a blank line (typewritten and e-mailed text).
# Linear: the indent is one run of a single character class, its shape checked by a lookahead
# first (the old "[ ]{2,}[ \t]*" let two overlapping quantifiers split a long run of spaces
# every possible way: quadratic). A failed match backtracks over the run once, one
# constant-time lookahead per character.
_INDENTED_START_RE = re.compile(
    "(?<=[.!?\u2026:;\"'\u201d\u2019\u00bb)\\]\u3002\uff01\uff1f])\n(?=[ \u00a0]{2}|\t|\u3000)[ \t\u00a0\u3000]+"
    "(?=[\"'\u201c\u2018\u00ab\u201e(\\[]?[^\\W_])"
)


def mark_indented_paragraphs(text: str) -> tuple[str, int]:
    """``end.\\n    Next`` → ``end.\\n\\nNext`` when the text marks paragraphs by indenting their first line.

    Only a convention the document follows at least twice counts, and only after a line that
    ends a sentence, so hanging indents and indented verse lines are left alone.
    """
    if "\n " not in text and "\n\t" not in text and "\n\u3000" not in text and "\n\u00a0" not in text:
        return text, 0
    found = _INDENTED_START_RE.findall(text)
    if len(found) < 2:
        return text, 0
    return _INDENTED_START_RE.subn("\n\n", text)


# Every Unicode space except the ideographic space U+3000, which is real CJK typography.
_SPACES_RE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f]")
_MULTI_SPACE_RE = re.compile(r" {2,}")
# Linear: (?<! ) tries a trailing run only from its first blank (`` +$`` alone rescanned the run
# from each of its positions: quadratic on a long run of spaces inside a line).
_EDGE_SPACE_RE = re.compile(r"^ +|(?<! ) +$", re.M)
_BLANK_RUN_RE = re.compile(r"\n{3,}")


def normalize_whitespace(text: str) -> tuple[str, int]:
    """Tabs and exotic spaces become one space; no trailing spaces; at most one blank line."""
    count = 0
    # Each substitution runs only when the text holds what it could match; the `in` probes are
    # memchr-fast, the regexes (^ +| +$ under re.M above all) cost far more on clean text.
    if "\t" in text or not text.isascii():  # the only ASCII character _SPACES_RE matches is the tab
        text, n = _SPACES_RE.subn(" ", text)
        count += n
    if "  " in text:
        text, n = _MULTI_SPACE_RE.subn(" ", text)
        count += n
    if "\n " in text or " \n" in text or text.startswith(" ") or text.endswith(" "):
        text, n = _EDGE_SPACE_RE.subn("", text)
        count += n
    if "\n\n\n" in text:
        text, n = _BLANK_RUN_RE.subn("\n\n", text)
        count += n
    stripped = text.strip("\n")
    if stripped != text:
        count += 1
    return stripped, count


_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)


def uncurl_quotes(text: str) -> tuple[str, int]:
    """Typographic quotes become ASCII ``'`` and ``"`` (off by default: typography is kept)."""
    out = text.translate(_QUOTES)
    if out == text:
        return text, 0
    return out, sum(1 for a, b in zip(text, out) if a != b)
