"""``fixes[].count`` counts changes (sequences repaired, lines joined, lines removed), never characters.

One case per fix of the registry, written so the number of changes is known; the run report sums
these counts, so they must not grow with the length of what changed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import FIX_NAMES, repair_text
from ingest.fixes import REGISTRY
from ingest.fixes.mojibake import count_repairs, fix_mojibake

MOJI_QUOTE = "\u00e2\u20ac\u2122"  # ’ read as cp1252
MOJI_E = "\u00c3\u00a9"  # é read as cp1252
# Russian read as cp1252 by a decoder that dropped the bytes cp1252 lacks, then the character fixes:
# "с", "э" and "я" lost the same byte; nine words hold such a letter.
LOST_BY_WORD = (
    "\u0415\u00d1\u043b\u0438 \u0432\u044b \u043f\u043e\u00d1\u0442\u0430\u0432\u0438\u0442\u0435 "
    "\u00d1\u0442\u0443 \u00d1\u043a\u043e\u0440\u043e\u00d1\u0442\u044c, \u043f\u043e\u00d1\u043b\u0435 "
    "\u0437\u0430\u043f\u0443\u00d1\u043a\u0430 \u0438\u0433\u0440\u044b \u043e\u043d\u0430 "
    "\u00d1\u0442\u0430\u043d\u0435\u0442 \u0442\u0430\u043a\u043e\u0439 "
    "\u00d0\u00b4\u00d0\u00bb\u00d1 \u00d0\u00b2\u00d1\u0435\u0445."
)

# fix name → (input, expected count when only that fix runs)
CASES: dict[str, tuple[str, int]] = {
    "normalize_newlines": ("a\r\nb\rc\r\nd", 3),
    "replace_html_tags": ("one<br>two</p><p>three <b>bold</b>", 5),
    "decode_html_entities": ("it&rsquo;s &amp; &#233;t&eacute;", 4),
    "fix_mojibake": (
        f"The caf{MOJI_E} is open and it{MOJI_QUOTE}s busy; caf{MOJI_E} again, r{MOJI_E}sum{MOJI_E} too.",
        5,
    ),
    "fix_macroman_mojibake": ("pi\u221a\u03c0 e caf\u221a\u00a9", 2),  # più, café: one per letter
    "complete_lost_bytes_by_word": (LOST_BY_WORD, 9),  # one per word completed
    "fix_lossy_mojibake": ("He said \u00e2\u20ac\u0153yes,\u00e2\u20ac Pavel added.", 2),  # both quotes
    "remove_invisible_chars": ("consti\u00adtution zero\u200bwidth \ufeffbom", 3),
    "normalize_whitespace": ("a\tb  c", 2),
    "uncurl_quotes": ("\u201cIt\u2019s\u201d", 3),
    "join_hyphenated_words": ("The consti-\ntution and the gov-\nernment were changed by the people of the land.", 2),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_fix_counts_changes(name: str) -> None:
    text, expected = CASES[name]
    fix = next(f for f in REGISTRY if f.name == name)
    out, n = fix.func(text)  # type: ignore[misc]
    assert out != text
    assert n == expected, (name, out)


def test_a_long_mojibake_span_is_one_repair_per_sequence_not_its_length() -> None:
    text = f"{MOJI_QUOTE} " * 3 + "plain words " * 20 + f"{MOJI_E}\n" + "more text\n" * 5 + f"end{MOJI_QUOTE}"
    out, n = fix_mojibake(text)
    assert "\u2019" in out and "\u00e9" in out
    assert n == 5  # three quotes, one é, one more quote: not the ~300 characters between them


def test_count_repairs_counts_runs_that_changed_per_line() -> None:
    assert count_repairs(f"a{MOJI_E}b{MOJI_E}", "a\u00e9b\u00e9") == 2
    assert count_repairs(f"x {MOJI_QUOTE}\ny", "x \u2019\ny") == 1
    assert count_repairs("same\nline", "same\nline!") == 1  # a change without a vanished run still counts once


def test_strip_fixes_count_the_lines_they_remove() -> None:
    text = (
        "Advertisement\n\nThe council met on Tuesday to decide the budget for the coming year.\n\n"
        "Read more: other news\n\nAdvertisement\n"
    )
    r = repair_text(text, enabled=["strip_boilerplate_lines"])
    counts = {f.name: f.count for f in r.fixes}
    assert counts["strip_boilerplate_lines"] == len(r.removed) == 3


def test_the_plan_sums_counts_across_rounds_and_clean_text_counts_nothing() -> None:
    r = repair_text(f"Le caf{MOJI_E} et le th{MOJI_E}.\n\nUn autre caf{MOJI_E}.")
    assert {f.name: f.count for f in r.fixes}.get("fix_mojibake") == 3
    assert repair_text("Plain clean text.\n\nA second paragraph.").fixes == ()


def test_every_character_fix_has_a_count_case() -> None:
    untested = {f.name for f in REGISTRY if f.phase == "chars"} - set(CASES) - {"mark_indented_paragraphs"}
    assert not untested
    assert set(CASES) <= set(FIX_NAMES)


def test_the_run_report_sums_the_article_counts(tmp_path: Path) -> None:
    from ingest import BatchConfig, Options, run_batch

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(f"Le caf{MOJI_E} ouvre.\n\nIl est l{MOJI_QUOTE}heure du th{MOJI_E}.\n", encoding="utf-8")
    (raw / "b.txt").write_text(f"R{MOJI_E}sum{MOJI_E} of the day, it{MOJI_QUOTE}s late.\n", encoding="utf-8")
    report = run_batch(BatchConfig(raw, tmp_path / "clean", options=Options(detect_language=False)))
    per_article = [
        {f["name"]: f["count"] for f in json.loads(Path(p).read_text(encoding="utf-8"))["fixes"]}
        for p in sorted((tmp_path / "clean").glob("*.json"))
    ]
    assert [a["fix_mojibake"] for a in per_article] == [3, 3]
    assert report["fixes"]["fix_mojibake"] == 6
