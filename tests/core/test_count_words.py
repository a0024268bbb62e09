"""Stats.words counts the maximal runs of \\w: count_words reads them off the UTF-8 bytes, same count as the regex."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.model import Stats, count_words

_WORD_START_RE = re.compile(r"(?<!\w)\w")


def _by_regex(text: str) -> int:
    return len(_WORD_START_RE.findall(text))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("one", 1),
        ("  two words  ", 2),
        ("it’s", 2),  # a curly apostrophe is no word character: two runs, as the regex counts
        ("«Привет, мир»", 2),
        ("Fährbetrieb — endet.", 2),
        ("snake_case and 12,50 €", 4),
        ("東京の図書館", 1),
        ("a\u00a0b\u2009c", 3),  # no-break and thin spaces separate words
        ("cafe\u0301", 1),  # a combining accent (not \w) ends the run: the regex says so too
        ("x\u00b2", 1),  # a superscript digit is \w
        ("\ud800lone surrogate", 2),
    ],
)
def test_examples_match_the_regex(text: str, words: int) -> None:
    assert _by_regex(text) == words
    assert count_words(text) == words


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aZ_9 .,’é—\u00a0东\u0301\u200b-\n²«»", max_size=40) | st.text(max_size=60))
def test_count_words_equals_the_regex(text: str) -> None:
    assert count_words(text) == _by_regex(text)


def test_stats_use_it() -> None:
    body = "First paragraph’s words.\n\nSecond — «one» more"
    assert Stats.of(body).words == _by_regex(body) == 7
