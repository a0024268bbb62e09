"""Properties of the text fixes and the whole plan, on arbitrary and on article-shaped text.

Each property runs a modest, derandomized number of examples so the suite stays fast and CI is
deterministic.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.fixes import FIX_NAMES, REGISTRY, repair_text

PROFILE = settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

TOKENS = st.sampled_from(
    [
        "the",
        "council",
        "said",
        "Monday,",
        "approved",
        "budget.",
        "It",
        "Harbour",
        "and",
        "of",
        "consti-",
        "tution",
        "two-",
        "day",
        "well-known",
        "café",
        "naïve",
        "Straße",
        "\u043c\u043e\u0441\u0442",
        "\u0413\u043e\u0440\u043e\u0434",
        "\u03b3\u03ad\u03c6\u03c5\u03c1\u03b1",
        "\u6771\u4eac\u90fd",
        "\u3002",
        "\u201cQuote",
        "end,\u201d",
        "changes,\u2020Pavel",
        "resign,\u2020he",
        "\u2020",
        "1901",
        "â€™",
        "countryâ€s",
        "Ã©",
        "Â",
        "&amp;",
        "&amp;amp;",
        "&rsquo;",
        "&#8217;",
        "&nbsp;",
        "<br>",
        "</p><p>",
        "<b>",
        "a < b",
        "\u200b",
        "\u00ad",
        "\u200d",
        "\u200c",
        "\u00a0",
        "\t",
        "\x07",
        "\r\n",
        "\r",
        "\n",
        "\n\n",
        " ",
        "By Jane Doe",
        "Advertisement",
        "Read more:",
        "Published: Sept. 28, 2021",
        "(Reporting by Ann Lee)",
        "\u00a9 2021 Reuters",
        "MINSK, Belarus (AP) \u2014",
        "- item",
        "1. first",
        "Bloomberg",
        ":",
        ";",
        "?",
        "!",
    ]
)


@st.composite
def article_text(draw: st.DrawFn) -> str:
    """Text made of article-ish tokens: words of several scripts, damage, artifacts, breaks."""
    parts = draw(st.lists(TOKENS, min_size=1, max_size=80))
    seps = draw(st.lists(st.sampled_from([" ", " ", " ", "\n", "", "\n\n"]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps))


# Whole lines of the kinds a dump is made of: header lines, boilerplate, article sentences,
# list items, short verse-like lines. Stacked in any order, with single or double breaks, they
# reach the line-level decisions (header, trailer, boilerplate, joins) that token soup rarely does.
LINES = st.sampled_from(
    [
        "Bloomberg",
        "Harbour Office",
        "Meduza",
        "Claim",
        "Pittsburgh",
        "Staff Reports",
        "Council approves the harbour budget",
        "What a day for the harbour!",
        "We won the vote!",
        "By Jane Doe",
        "By Jane Doe and John Roe, Reuters",
        "Jane Doe",
        "Published: Sept. 28, 2021",
        "Updated 28 September 2021 10:15 GMT",
        "28 September 2021",
        " date 2021-09-28 Council approves budget",
        "Home > World > Europe",
        "News > Local",
        "World",
        "Advertisement",
        "ADVERTISEMENT",
        "Share this article",
        "Read more: Council approves budget",
        "Listen to this article",
        "Photo: Jane Doe",
        "(AP Photo/Jane Doe)",
        "Click here to subscribe",
        "Leggi anche: il porto",
        "© 2021 Reuters",
        "© Regan",
        "All rights reserved.",
        "(Reporting by Ann Lee; Editing by Tom Roe)",
        "Ann Lee contributed to this report.",
        "MINSK, Belarus (AP) — The council met on Monday and approved the budget for the harbour.",
        "LONDON — The council met on Monday and approved the budget.",
        "WASHINGTON – The council met on Monday.",
        "The council said on Monday that it would approve the budget for the",
        "harbour and the ferry, which the office had asked for in March.",
        "It was the first vote of the year.",
        "“We are done,†he said.",
        "She said the plan was “fair” and",
        "- first item",
        "1. first item",
        "2) second item",
        "Calendário da temporada 2018",
        "Short line",
        "Another short line",
        "A line that ends without punctuation and goes on",
        "　東京都の図書館は再開した。",
        "엘제이의 리벤지인가",
        "    Indented first line of a paragraph.",
        "countrâ€s",
        "Ð¿Ð¾ÑÑ‚",
        "cafÃ©",
        "�",
    ]
)


@st.composite
def document_text(draw: st.DrawFn) -> str:
    """A dump made of whole lines, stacked with single or double breaks."""
    lines = draw(st.lists(LINES, min_size=1, max_size=14))
    seps = draw(st.lists(st.sampled_from(["\n", "\n", "\n\n"]), min_size=len(lines), max_size=len(lines)))
    return "".join(line + sep for line, sep in zip(lines, seps))


ANY_TEXT = st.one_of(st.text(max_size=300), article_text(), document_text())

REPAIRS = [f for f in REGISTRY if not f.strips]
STRIPS = [f for f in REGISTRY if f.strips]
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_WORD_RE = re.compile(r"[^\W_]+")


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD_RE.findall(text)}


# ---- every fix on its own -----------------------------------------------------------------------


@pytest.mark.parametrize("fix", REPAIRS, ids=[f.name for f in REPAIRS])
@PROFILE
@given(text=ANY_TEXT)
def test_each_repair_never_raises_and_is_idempotent(fix, text: str) -> None:
    out, n = fix.func(text)
    assert isinstance(out, str) and n >= 0
    if fix.name == "decode_html_entities" and _ENTITY_RE.search(out):
        return  # decoded exactly once by design: "&amp;amp;" -> "&amp;", which a second run would decode
    again, n2 = fix.func(out)
    assert again == out
    assert n2 == 0


@pytest.mark.parametrize("fix", STRIPS, ids=[f.name for f in STRIPS])
@PROFILE
@given(text=ANY_TEXT)
def test_each_strip_removes_only_what_it_names(fix, text: str) -> None:
    out, removed = fix.func(text)
    assert isinstance(out, str)
    if not removed:
        assert out == text
        return
    # Every word that left the text is in a removed line.
    gone = words(text) - words(out)
    named = set().union(*(words(r.text) for r in removed))
    assert gone <= named
    assert out.strip(), "a strip never empties the text"


# ---- the whole plan ------------------------------------------------------------------------------


@PROFILE
@given(text=ANY_TEXT)
def test_repair_text_never_raises(text: str) -> None:
    r = repair_text(text)
    assert isinstance(r.text, str)
    assert [f.name for f in r.fixes] == [n for n in FIX_NAMES if n in {f.name for f in r.fixes}]


@PROFILE
@given(text=ANY_TEXT)
def test_repair_text_is_idempotent(text: str) -> None:
    once = repair_text(text).text
    if _ENTITY_RE.search(once):
        return  # a literal entity left by the exactly-once decoding would be decoded by a second run
    twice = repair_text(once)
    assert twice.text == once
    assert twice.fixes == ()


def reference_words(text: str) -> set[str]:
    """Words of ``text`` after the character repairs alone — which legitimately change spellings.

    Mojibake decoding can also happen once broken lines are joined (ftfy works line by line), so
    a word counts when the character repairs give it both with the line breaks as they are and
    with every break read as a space.
    """
    chars_only = [f.name for f in REGISTRY if f.phase == "chars" and f.default]
    as_is = repair_text(text, enabled=chars_only, strip_artifacts=False).text
    joined = repair_text(
        re.sub(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+", " ", text), enabled=chars_only, strip_artifacts=False
    ).text
    # A word split across a line break ("consti-\ntution") comes out whole: its halves count as kept.
    return words(as_is) & words(joined)


@PROFILE
@given(text=ANY_TEXT)
def test_repair_text_loses_no_word_outside_removed_lines(text: str) -> None:
    """Every word of the input is in the output or in a line the audit trail names."""
    r = repair_text(text)
    named = set().union(*(words(x.text) for x in r.removed)) if r.removed else set()
    out_words = words(r.text)
    for w in reference_words(text) - out_words - named:
        # only the halves of a rejoined hyphenated word may disappear, into the whole word
        assert any(w in j and j != w for j in out_words | named), f"lost {w!r}"


@PROFILE
@given(text=ANY_TEXT)
def test_repair_text_with_artifacts_kept_loses_no_word(text: str) -> None:
    out_words = words(repair_text(text, strip_artifacts=False).text)
    for w in reference_words(text) - out_words:
        assert any(w in j and j != w for j in out_words), f"lost {w!r}"
