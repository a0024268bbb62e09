"""The fast path of fix_mojibake: whenever it says "ftfy would change nothing", ftfy agrees.

The gate exists for speed only (see BENCHMARKS.md); a wrong "keep" verdict would silently leave
mojibake in articles, so it is checked against ftfy itself on generated and adversarial text.
"""

from __future__ import annotations

import ftfy
import ftfy.bad_codecs  # noqa: F401  registers sloppy-windows-1252
import pytest
from hypothesis import HealthCheck, given, settings
from ftfy.badness import BADNESS_RE as _BADNESS_RE
from hypothesis import strategies as st

from ingest.fixes.mojibake import _FTFY_CONFIG, _ftfy_keeps, fix_mojibake

# Characters that matter to ftfy's heuristics: Latin-1/cp1252 lookalikes, quotes, ligatures,
# C1 controls, Cyrillic, Greek, box drawing, combining marks, ANSI escape, NBSP, newlines.
_ALPHABET = st.sampled_from(
    list(
        "abcxyzABC"
        " ,.\n\u00a0\u00c2\u00c3\u00e2\u20ac\u2122\u0153\u2019\u201c\u201d"
        "\u2020\u00a9\u00ae\u00b0\u00e9\u00e8\u00fc\u00df"
    )
    + list(
        "\ufb01\ufb02\u0080\u0085\u009d\u001b[31m\u0410\u0436\u044f\u03b1\u2500\u2502\u0301\u00c0\u00d0\u00f0\u00bf\u00ab\u00bb"
    )
)


def _sloppy(s: str) -> str:
    return s.encode("utf-8").decode("sloppy-windows-1252")


@pytest.mark.parametrize(
    "text",
    [
        "clean text with \u201ccurly quotes\u201d and the council\u2019s plan",
        "caf\u00e9 na\u00efve \u00fcber \u0441\u043b\u043e\u0432\u043e",
        "line one\n\u00c2 starts with a lone A-circumflex",
        "line one\n\u00c3 starts with A-tilde",
        "\u00c2 at the very start",
        "a \ufb01ne ligature",
        "a C1 control \u0085 here",
        "ansi \x1b[31mred\x1b[0m",
        "decomposed e\u0301",
        _sloppy("the council\u2019s \u201cplan\u201d \u2014 caf\u00e9"),
        _sloppy("\u0432 \u043f\u043e\u043d\u0435\u0434\u0435\u043b\u044c\u043d\u0438\u043a"),
    ],
    ids=[
        "clean curly quotes",
        "clean accents and cyrillic",
        "A-circumflex at a line start",
        "A-tilde at a line start",
        "A-circumflex at the text start",
        "ligature",
        "C1 control",
        "ANSI escape",
        "decomposed accent",
        "cp1252 mojibake",
        "cyrillic mojibake",
    ],
)
def test_gate_agrees_with_ftfy_on_known_cases(text):
    if _ftfy_keeps(text):
        assert ftfy.fix_text(text, _FTFY_CONFIG) == text


def test_gate_lets_clean_non_ascii_text_through():
    assert _ftfy_keeps("the council\u2019s \u201cplan\u201d \u2014 caf\u00e9 \u0441\u043b\u043e\u0432\u043e")


def test_gate_sends_mojibake_to_ftfy():
    broken = _sloppy("the council\u2019s plan, caf\u00e9")
    assert not _ftfy_keeps(broken)
    assert fix_mojibake(broken)[0] == "the council\u2019s plan, caf\u00e9"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=60).map("".join), st.booleans())
def test_gate_never_keeps_text_ftfy_would_change(text, mangle):
    if mangle:
        text = _sloppy(text)
    if _ftfy_keeps(text):
        assert ftfy.fix_text(text, _FTFY_CONFIG) == text


def test_badness_scan_is_windowed_on_this_ftfy():
    from ingest.fixes.mojibake import _BADNESS_WINDOW

    assert _BADNESS_WINDOW is not None and 1 <= _BADNESS_WINDOW <= 64


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_ALPHABET | st.sampled_from(["the ", "word ", "x" * 9, "\n\n"]), max_size=80).map("".join), st.booleans()
)
def test_windowed_badness_scan_finds_exactly_what_a_full_scan_finds(text, mangle):
    from ftfy.badness import BADNESS_RE

    from ingest.fixes.mojibake import _looks_bad

    if mangle:
        text = _sloppy(text)
    assert _looks_bad(text) == bool(BADNESS_RE.search(text))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_ALPHABET | st.sampled_from(["the ", "word ", "\n", "\n\n", "\x1b[1m", "\r\n"]), max_size=80).map("".join),
    st.booleans(),
)
def test_segment_by_segment_fix_equals_ftfy_fix_text(text, mangle):
    from ingest.fixes.mojibake import _fix_text_by_segment

    if mangle:
        text = _sloppy(text)
    assert _fix_text_by_segment(text) == ftfy.fix_text(text, _FTFY_CONFIG)


@pytest.mark.parametrize(
    "text",
    [
        _sloppy("clean line\nthe council\u2019s \u201cplan\u201d\nanother clean line\n"),
        "ascii line with an escape \x1b[31mred\x1b[0m\n" + _sloppy("caf\u00e9\n"),
        _sloppy("no final newline \u2014 caf\u00e9"),
        "\n\n" + _sloppy("\u0432 \u043f\u043e\u043d\u0435\u0434\u0435\u043b\u044c\u043d\u0438\u043a") + "\n\n",
    ],
    ids=["mojibake on one line of three", "ASCII line with an ANSI escape", "no final newline", "blank lines around"],
)
def test_segment_by_segment_fix_on_known_cases(text):
    from ingest.fixes.mojibake import _fix_text_by_segment

    assert _fix_text_by_segment(text) == ftfy.fix_text(text, _FTFY_CONFIG)


def test_segments_longer_than_ftfys_cut_are_cut_as_ftfy_cuts_them(monkeypatch):
    from ingest.fixes import mojibake

    text = _sloppy("caf\u00e9 " * 50) + "\n" + "plain " * 40
    small = mojibake._FTFY_CONFIG._replace(max_decode_length=37)
    monkeypatch.setattr(mojibake, "_FTFY_CONFIG", small)
    assert mojibake._fix_text_by_segment(text) == ftfy.fix_text(text, small)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(max_codepoint=0x2FFF, blacklist_categories=("Cs",)), max_size=60), st.booleans())
def test_windowed_badness_scan_on_any_bmp_text(text, mangle):
    from ftfy.badness import BADNESS_RE

    from ingest.fixes.mojibake import _looks_bad

    if mangle:
        text = _sloppy(text)
    assert _looks_bad(text) == bool(BADNESS_RE.search(text))


def test_badness_anchor_skips_common_clean_punctuation():
    from ingest.fixes.mojibake import _BADNESS_ANCHOR_RE

    assert not _BADNESS_ANCHOR_RE.search("the council\u2019s plan \u2014 at 9\u00a0a.m.\u2026")
    assert _BADNESS_ANCHOR_RE.search(_sloppy("the council\u2019s plan"))


_LINES = st.lists(st.lists(_ALPHABET | st.sampled_from(["the ", "word "]), max_size=12).map("".join), max_size=8).map(
    "\n".join
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _LINES,
    st.integers(0, 3),
    st.lists(_ALPHABET | st.just("\n"), max_size=6).map("".join),
    st.integers(0, 80),
    st.booleans(),
)
def test_recheck_after_an_edit_never_keeps_text_ftfy_would_change(cleared, kind, piece, at, mangle):
    """The incremental re-check (lines changed since the last cleared text) agrees with ftfy."""
    from ingest.fixes import mojibake

    if not mojibake._ftfy_keeps(cleared):
        return
    at = min(at, len(cleared))
    if mangle:
        piece = _sloppy(piece)
    edited = [
        cleared[:at] + piece + cleared[at:],  # insertion
        cleared[:at] + cleared[at + len(piece) :],  # deletion
        cleared[:at] + piece + cleared[at + len(piece) :],  # replacement
        cleared.strip("\n") + piece,  # the end changed (the common case: a final newline stripped)
    ][kind]
    if mojibake._kept_since_clear(edited, cleared):
        assert ftfy.fix_text(edited, _FTFY_CONFIG) == edited


def test_recheck_looks_at_the_changed_line_only():
    from ingest.fixes import mojibake

    clean = "caf\u00e9 one\n" * 20 + "last line\n"
    assert mojibake._kept_since_clear(clean.rstrip("\n"), clean)
    assert not mojibake._kept_since_clear(clean[:30] + _sloppy("\u2019") + clean[30:], clean)


# Characters around the lost-byte repair: UTF-8 lead bytes read as cp1252 (Ã Ð Ñ â ð), continuation
# bytes (© ‚ ¸ NBSP), Latin letters that are no lead of a run (é is a three-byte lead alone), Cyrillic.
_LEAD_ALPHABET = st.sampled_from(
    list("ab \n\u00c3\u00d0\u00d1\u00e2\u00f0\u00a9\u201a\u00b8\u00a0\u00e9\u00ff\u2019\u043e\u0442")
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_LEAD_ALPHABET, max_size=40))
def test_lost_byte_repair_skips_only_runs_that_decode_to_nothing(text):
    """The runs complete_lost_bytes no longer looks at are runs its decoder rejected anyway."""
    from ingest.fixes import mojibake as M

    kept = {m.span() for m in M._CP1252_LEAD_RUN_RE.finditer(text)}
    runs = {m.span(): m.group(0) for m in M._CP1252_RUN_RE.finditer(text)}
    assert kept <= set(runs)  # whole runs, never a part of one
    for span, run in runs.items():
        raw = bytes(M._CP1252_BYTE[c] for c in run)
        usable = any(M._seq_len(b) for b in raw) and M._decode_with_gaps(raw) is not None
        if usable:
            assert span in kept


# Every character BADNESS_RE's classes name, and plain text around them.
_BADNESS_CHARS = st.sampled_from(
    sorted(
        {
            chr(c)
            for c in range(0x80, 0x2600)
            if _BADNESS_RE.search("a" + chr(c) + chr(c) + "a")
            or chr(c) in "\u00c2\u00c3\u00d8\u00d9\u0412\u0413\u0420\u0421\u0153\u00e0\u221a\u201a"
        }
    )
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        _BADNESS_CHARS | _ALPHABET | st.sampled_from(["the ", "\u00e9", "\u043e", "\u00bb", "-"]), max_size=40
    ).map("".join)
)
def test_badness_prefilter_matches_wherever_badness_matches(text):
    from ftfy.badness import BADNESS_RE

    from ingest.fixes.mojibake import _BADNESS_PREFILTER_RE, _looks_bad

    assert _BADNESS_PREFILTER_RE is not None
    if BADNESS_RE.search(text):
        assert _BADNESS_PREFILTER_RE.search(text)
    assert _looks_bad(text) == bool(BADNESS_RE.search(text))


def test_badness_anchor_skips_letters_of_clean_prose():
    from ingest.fixes.mojibake import _BADNESS_ANCHOR_RE

    # Lower-case Cyrillic, Greek and accented Latin letters are no anchors: only rarer classes.
    assert not _BADNESS_ANCHOR_RE.search(
        "\u0441\u043b\u043e\u0432\u043e \u03bb\u03cc\u03b3\u03bf\u03c2 caf\u00e9 \u00fcber"
    )
