"""The vectorised n-gram count gives py3langid's own scores, float for float, on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from py3langid.langid import LanguageIdentifier

from ingest.metadata.language import _identifier


def _reference_scores(text: str) -> bytes:
    ident = _identifier()
    return LanguageIdentifier._raw_score(ident, LanguageIdentifier._encode(text)).tobytes()


def _fast_scores(text: str) -> bytes:
    ident = _identifier()
    return ident._raw_score(LanguageIdentifier._encode(text)).tobytes()


def test_the_fast_identifier_is_in_use() -> None:
    assert type(_identifier()).__name__ == "FastIdentifier"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("a", id="one byte"),
        pytest.param("   \n\n  ", id="whitespace only: no features"),
        pytest.param("The council approved the harbour budget on Tuesday after a long debate.", id="English"),
        pytest.param("Der Stadtrat hat am Dienstag den Haushalt f\u00fcr den Hafen beschlossen.", id="German umlaut"),
        pytest.param(
            "\u6771\u4eac\u306e\u56f3\u66f8\u9928\u306f\u6708\u66dc\u65e5\u306b\u518d\u958b\u3057\u305f\u3002" * 20,
            id="Japanese repeated",
        ),
        pytest.param(
            "\u0413\u043e\u0440\u043e\u0434\u0441\u043a\u043e\u0439 \u0441\u043e\u0432\u0435\u0442 " * 50,
            id="Russian repeated",
        ),
        pytest.param("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", id="one letter repeated"),
        pytest.param("ALL CAPS HEADLINE ABOUT THE FERRY", id="upper case (lower-cased by py3langid)"),
        pytest.param("e\u0301t\u00e9 \U0001f600 \ud800 x", id="combining accent, emoji, lone surrogate"),
    ],
)
def test_same_scores_as_py3langid(text: str) -> None:
    assert _fast_scores(text) == _reference_scores(text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_same_scores_on_any_text(text: str) -> None:
    assert _fast_scores(text) == _reference_scores(text)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "the ",
                "harbour ",
                "ferry ",
                "und ",
                "der ",
                "\u0441\u043e\u0432\u0435\u0442 ",
                "\u00e9t\u00e9 ",
                ". ",
                "\n",
            ]
        ),
        max_size=300,
    )
)
def test_same_scores_on_word_salad(words: list[str]) -> None:
    text = "".join(words)
    assert _fast_scores(text) == _reference_scores(text)
