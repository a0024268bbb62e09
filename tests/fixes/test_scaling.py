"""The text passes take time linear in their input: time at 4n is about 4x the time at n.

No absolute speed is asserted. Each case times a pass on an input of size n and 4n (best of
three runs, so a scheduler hiccup does not count) and fails when the ratio is near what a
quadratic pass gives (16x). Linear passes measure 4-7x here (allocation and cache effects
grow with size); the bound of 10 leaves room for a busy machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from ingest.fixes import repair_text
from ingest.fixes.artifacts import boilerplate_kept, strip_header_lines, strip_trailer_lines
from ingest.fixes.chars import mark_indented_paragraphs
from ingest.fixes.lines import join_broken_lines
from ingest.fixes.mojibake import complete_lost_bytes_by_word, fix_lossy_mojibake, fix_macroman_mojibake

MAX_RATIO = 10.0


def _best(func: Callable[[str], object], text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func(text)
        best = min(best, time.perf_counter() - start)
    return best


def _ratio(func: Callable[[str], object], make: Callable[[int], str], n: int, attempts: int = 5) -> float:
    """The smallest of a few measured ratios: load from other processes only ever inflates one
    (a quadratic pass cannot measure under the bound by chance: it sits near 16)."""
    small, large = make(n), make(4 * n)
    func(small)  # warm caches (compiled patterns, lazily built tables)
    ratio = float("inf")
    for _ in range(attempts):
        ratio = min(ratio, _best(func, large) / max(_best(func, small), 1e-6))
        if ratio < MAX_RATIO:
            break
    return ratio


def one_long_paragraph(n: int) -> str:
    """A hard-wrapped paragraph of n lines with no blank line anywhere."""
    a = "the council said on Monday that it would approve the budget"
    b = "and the harbour office agreed with the plan for the next year"
    return "\n".join(a if i % 2 else b for i in range(n))


def one_long_line(n: int) -> str:
    return " ".join(["word"] * (10 * n)) + "."


def many_short_lines(n: int) -> str:
    return "\n".join(f"Item {i}" for i in range(n))


def many_daggers(n: int) -> str:
    """One paragraph, an open quotation, and n remnants whose context must be read."""
    return "\u201cIt began " + " ".join("resign,\u2020he said. \u201cAnd then" for _ in range(n))


def many_lossy_euros(n: int) -> str:
    return "\u201cIt began " + " ".join(
        "the country\u00e2\u20acs way,\u00e2\u20ac he said \u00e2\u20ac" for _ in range(n)
    )


def many_lost_cyrillic_bytes(n: int) -> str:
    """n damaged Russian words whose lost bytes only the word decides (and U+FFFD ones)."""
    return " ".join(("\u043f\u043e\u00d1\u043b\u0435" if i % 2 else "\u0415\ufffd\u043b\u0438") for i in range(n))


def many_short_paragraphs(n: int) -> str:
    return "\n\n".join("\u00a9 Harbour Office" if i % 3 == 0 else "Click here for the list" for i in range(n))


def many_root_signs(n: int) -> str:
    return " ".join("pi\u221a\u03c0 2\u221a\u03c0" for _ in range(n))


def long_space_run(n: int) -> str:
    """A sentence end, then a long run of spaces that is not followed by a paragraph start."""
    return "It ended.\n" + " " * (50 * n) + ".\nIt ended.\n" + "\u00a0" * (50 * n) + "-"


@pytest.mark.parametrize(
    ("func", "make", "n"),
    [
        pytest.param(lambda t: join_broken_lines(t), one_long_paragraph, 4000, id="join_broken_lines-long-paragraph"),
        pytest.param(lambda t: join_broken_lines(t), many_short_lines, 4000, id="join_broken_lines-short-lines"),
        pytest.param(
            lambda t: strip_header_lines(t), one_long_paragraph, 16000, id="strip_header_lines-long-paragraph"
        ),
        pytest.param(
            lambda t: strip_trailer_lines(t), one_long_paragraph, 16000, id="strip_trailer_lines-long-paragraph"
        ),
        pytest.param(lambda t: strip_header_lines(t), one_long_line, 4000, id="strip_header_lines-long-line"),
        pytest.param(lambda t: fix_lossy_mojibake(t), many_daggers, 4000, id="fix_lossy_mojibake-daggers"),
        pytest.param(lambda t: fix_lossy_mojibake(t), many_lossy_euros, 4000, id="fix_lossy_mojibake-lossy-euro"),
        pytest.param(
            lambda t: mark_indented_paragraphs(t), long_space_run, 2000, id="mark_indented_paragraphs-space-run"
        ),
        pytest.param(
            lambda t: complete_lost_bytes_by_word(t), many_lost_cyrillic_bytes, 2000, id="complete_lost_bytes_by_word"
        ),
        pytest.param(lambda t: boilerplate_kept(t), many_short_paragraphs, 4000, id="boilerplate_kept"),
        pytest.param(lambda t: fix_macroman_mojibake(t), many_root_signs, 4000, id="fix_macroman_mojibake"),
    ],
)
def test_pass_is_linear(func: Callable[[str], object], make: Callable[[int], str], n: int) -> None:
    assert _ratio(func, make, n) < MAX_RATIO


@pytest.mark.parametrize(
    ("make", "n"),
    [
        pytest.param(one_long_paragraph, 1000, id="long-paragraph"),
        pytest.param(one_long_line, 1000, id="long-line"),
        pytest.param(many_short_lines, 1000, id="short-lines"),
        pytest.param(many_daggers, 500, id="daggers"),
        pytest.param(long_space_run, 500, id="space-run"),
    ],
)
def test_whole_plan_is_linear(make: Callable[[int], str], n: int) -> None:
    assert _ratio(lambda t: repair_text(t), make, n) < MAX_RATIO
