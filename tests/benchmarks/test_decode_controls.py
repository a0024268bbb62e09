"""decode's binary check counts control characters with one regex: the same count as the rule it states."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.decode import _CONTROL_RE, _check_text, _count_controls
from ingest.errors import BinaryInput


def _by_definition(text: str) -> int:
    """C0 controls except tab, newline, CR and form feed; DEL; C1 controls — one character at a time."""
    return sum(1 for c in text if (c < " " and c not in "\t\n\r\x0c") or "\x7f" <= c <= "\x9f")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=300))
def test_regex_count_equals_the_definition(text: str) -> None:
    assert len(_CONTROL_RE.findall(text)) == _by_definition(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=300) | st.text(max_size=100))
def test_byte_count_equals_the_definition(text: str) -> None:
    """The count _check_text uses (on UTF-8 bytes), lone surrogates and non-Latin text included."""
    assert _count_controls(text) == _by_definition(text)


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII with no control",
        "\x00\x08\x0b\x0e\x1f\x7f inside ASCII",
        "\x80 C1 \x9f and \xa0 no-break space, \xbf ¿ and © are not controls",
        "Ünïcödé \u0100\u0180 \x85 next line \ud800 surrogate",
    ],
)
def test_byte_count_examples(text: str) -> None:
    assert _count_controls(text) == _by_definition(text)


@pytest.mark.parametrize(
    ("controls", "rejected"),
    [
        pytest.param(10, False, id="10 controls in 100 characters: text"),
        pytest.param(11, True, id="11 controls in 100 characters: binary"),
    ],
)
def test_threshold_is_a_tenth(controls: int, rejected: bool) -> None:
    text = "\x01" * controls + "a" * (100 - controls)
    if rejected:
        with pytest.raises(BinaryInput):
            _check_text(text, "utf-8")
    else:
        _check_text(text, "utf-8")


def test_allowed_whitespace_controls_never_count() -> None:
    _check_text("\t\n\r\x0c" * 50, "utf-8")
