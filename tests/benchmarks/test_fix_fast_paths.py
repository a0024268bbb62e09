"""The character fixes skip their regexes when a cheap probe shows nothing to match: same result as running them.

Each reference below is the unconditional form of the fix (every substitution always run); the
fast forms exist for speed only (see BENCHMARKS.md), so they must agree on any text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.fixes.chars import (
    _BLANK_RUN_RE,
    _CONTROL_RE,
    _EDGE_SPACE_RE,
    _INVISIBLE_RE,
    _MULTI_SPACE_RE,
    _NEWLINES_RE,
    _SPACES_RE,
    normalize_newlines,
    normalize_whitespace,
    remove_invisible_chars,
)
from ingest.fixes.lines import _SPLIT_WORD_RE

# Characters every one of these fixes reacts to, plus plain prose.
_PIECES = st.sampled_from(
    [
        "word",
        "Word.",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\n\n\n",
        "\r",
        "\r\n",
        "\x0b",
        "\x0c",
        "\x1c",
        "\x85",
        "\u2028",
        "\u2029",
        "\u00a0",
        "\u2009",
        "\u3000",
        "\u200b",
        "\u00ad",
        "\ufeff",
        "\u202e",
        "\x01",
        "\x7f",
        "\u200d",
        "\u00e9",
        "\u2019",
        "x",
    ]
)
_TEXT = st.lists(_PIECES, max_size=40).map("".join)


def _whitespace_reference(text: str) -> tuple[str, int]:
    count = 0
    for rx, rep in ((_SPACES_RE, " "), (_MULTI_SPACE_RE, " "), (_EDGE_SPACE_RE, ""), (_BLANK_RUN_RE, "\n\n")):
        text, n = rx.subn(rep, text)
        count += n
    stripped = text.strip("\n")
    return stripped, count + (stripped != text)


def _invisible_reference(text: str) -> tuple[str, int]:
    text, n1 = _INVISIBLE_RE.subn("", text)
    text, n2 = _CONTROL_RE.subn("", text)
    return text, n1 + n2


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_normalize_whitespace_equals_every_substitution_run(text: str) -> None:
    assert normalize_whitespace(text) == _whitespace_reference(text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_normalize_newlines_equals_the_plain_substitution(text: str) -> None:
    assert normalize_newlines(text) == _NEWLINES_RE.subn("\n", text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_remove_invisible_chars_equals_both_substitutions(text: str) -> None:
    assert remove_invisible_chars(text) == _invisible_reference(text)


def test_edge_spaces_at_text_start_and_end_are_still_found() -> None:
    assert normalize_whitespace(" a\nb ") == ("a\nb", 2)
    assert normalize_whitespace("a \n b") == ("a\nb", 2)


# The split-word pattern of join_hyphenated_words as first written (lazy prefix, backtracking):
# the faster form must find the very same matches and groups.
_SPLIT_WORD_ORIGINAL = re.compile(r"(^|[ ])(\S*?)([^\W\d_]+)-\n([^\W\d_]+)", re.M)
_WORDY = st.lists(
    st.sampled_from(
        [
            "a",
            "bc",
            "word",
            "\u00dcber",
            "x1",
            "_",
            "3",
            "-",
            "-\n",
            "--\n",
            "\n",
            " ",
            "  ",
            "\t",
            "\u00e9",
            "\u0436",
            "co-",
            "self-",
            "'",
            ".",
            "\u00a0",
            "well-known-\n",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(_WORDY)
def test_split_word_pattern_matches_as_the_original(text: str) -> None:
    def spans(rx: re.Pattern[str]) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
        return [(m.span(), m.groups()) for m in rx.finditer(text)]

    assert spans(_SPLIT_WORD_RE) == spans(_SPLIT_WORD_ORIGINAL)
