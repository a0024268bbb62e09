"""Properties: whatever the markup or the JSON, the readers end in a draft or a coded error."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import IngestError, Options, iter_articles
from ingest.readers.html import extract_html

TAGS = [
    "p",
    "div",
    "span",
    "br",
    "article",
    "main",
    "nav",
    "script",
    "a",
    "h1",
    "li",
    "ul",
    "table",
    "td",
    "b",
    "figure",
    "pre",
]
ATTRS = [
    "",
    ' class="share"',
    ' class="content"',
    ' itemprop="articleBody"',
    " hidden",
    ' style="display:none"',
    ' role="navigation"',
]
WORDS = st.sampled_from(
    ["the", "council", "said", "on", "Monday,", "&amp;", "&#8217;", "<", ">", "café", "\u2028", "\x00", "]]>", "<!--"]
)


@st.composite
def tag_soup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 2))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}{draw(st.sampled_from(ATTRS))}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(" ".join(draw(st.lists(WORDS, max_size=12))))
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tag_soup())
def test_any_tag_soup_extracts_or_is_rejected_with_a_code(soup: str) -> None:
    try:
        text, hints, _ = extract_html(soup)
    except IngestError as e:
        assert e.code in ("bad_html", "no_text")
        return
    assert "\x00" not in text
    assert "<script" not in text


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=30),
            st.dictionaries(
                st.sampled_from(["text", "title", "date", "author", "tags", "url"]),
                st.recursive(
                    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
                    max_leaves=6,
                ),
                max_size=6,
            ).map(lambda d: json.dumps(d, allow_nan=True)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_jsonl_gives_one_outcome_per_nonblank_line(lines: list[str]) -> None:
    data = "\n".join(line.replace("\n", " ").replace("\r", " ") for line in lines)
    if not data.strip():
        return
    try:
        outs = list(iter_articles(data, path="x.jsonl", options=Options()))
    except IngestError:
        return  # the input as a whole (e.g. only control characters) may be rejected
    nonblank = [i for i, line in enumerate(data.split("\n"), start=1) if line.strip().lstrip("\ufeff")]
    assert [o.record for o in outs] == nonblank
    for o in outs:
        assert (o.article is None) != (o.error is None)
        if o.error is not None:
            assert o.error.code in ("bad_record", "no_text")
        else:
            o.article.to_json().encode("utf-8")
