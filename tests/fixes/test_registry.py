"""The registry and the plan: names, order, audit trail, options, and the README table kept true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest import Options, clean_article
from ingest.fixes import FIX_NAMES, REGISTRY, fixes_table, repair_text

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_fixes_table_is_the_generated_one() -> None:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- fixes-table:[^\n]*-->\n(.*?)\n<!-- /fixes-table -->", text, re.S)
    assert m, "README.md lost its generated fixes table markers"
    assert m.group(1) == fixes_table(), (
        "regenerate the table: python -c 'from ingest.fixes import fixes_table; print(fixes_table())'"
    )


def test_readme_table_lists_exactly_the_registry_names() -> None:
    text = README.read_text(encoding="utf-8")
    table = re.search(r"<!-- fixes-table:[^\n]*-->\n(.*?)\n<!-- /fixes-table -->", text, re.S)
    assert table
    assert re.findall(r"^\| `(\w+)` \|", table.group(1), re.M) == list(FIX_NAMES)


def test_names_are_unique_snake_case_and_documented() -> None:
    assert len(set(FIX_NAMES)) == len(FIX_NAMES)
    for f in REGISTRY:
        assert re.fullmatch(r"[a-z]+(?:_[a-z]+)+", f.name)
        assert f.summary and f.example
        assert f.phase in ("chars", "strip", "lines", "final")


def test_phases_are_in_plan_order() -> None:
    order = ["chars", "strip", "lines", "final"]
    phases = [f.phase for f in REGISTRY]
    assert phases == sorted(phases, key=order.index)


def test_only_fixes_that_changed_something_are_recorded() -> None:
    r = repair_text("Clean text.")
    assert r.fixes == ()
    assert r.removed == ()


def test_fixes_are_recorded_in_plan_order_with_counts() -> None:
    r = repair_text("Bloomberg\r\nThe council\u2019s zero\u200bwidth plan &amp; more.\r\nIt passed.")
    assert [(f.name, f.count) for f in r.fixes] == [
        ("normalize_newlines", 2),
        ("decode_html_entities", 1),
        ("remove_invisible_chars", 1),
        ("strip_header_lines", 1),
        ("join_broken_lines", 1),
    ]
    assert [(x.kind, x.text) for x in r.removed] == [("publisher_line", "Bloomberg")]


def test_disabled_fix_does_not_run() -> None:
    on = [n for n in FIX_NAMES if n != "remove_invisible_chars"]
    assert "\u200b" in repair_text("zero\u200bwidth", enabled=on).text


def test_unknown_fix_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown fix"):
        repair_text("x", enabled=["no_such_fix"])
    with pytest.raises(ValueError, match="unknown fix"):
        Options(disabled_fixes=frozenset({"no_such_fix"}))


def test_strip_artifacts_off_keeps_every_line() -> None:
    text = "Bloomberg\nAdvertisement\nThe council met on Tuesday.\n(Reporting by Jane Doe)"
    r = repair_text(text, strip_artifacts=False)
    assert r.removed == ()
    assert "Bloomberg" in r.text and "Advertisement" in r.text and "Jane Doe" in r.text


def test_ascii_quotes_option_runs_uncurl_quotes() -> None:
    a = clean_article("\u201cIt\u2019s done,\u201d the mayor said on Tuesday.", options=Options(ascii_quotes=True))
    assert a.body == '"It\'s done," the mayor said on Tuesday.'
    assert "uncurl_quotes" in [f.name for f in a.fixes]


def test_every_removed_line_is_in_the_article_audit_trail() -> None:
    raw = (
        "Reuters\nCouncil approves harbour budget\nBy Jane Doe\n\n"
        "MINSK, Sept 28 (Reuters) - The council approved the harbour budget on Tuesday.\n\n"
        "Advertisement\n\nThe opposition said it would fight on.\n\n(Reporting by Jane Doe; Editing by John Roe)\n"
    )
    a = clean_article(raw, options=Options(format="text"))
    assert [(r.kind, r.text) for r in a.removed] == [
        ("advertisement", "Advertisement"),
        ("publisher_line", "Reuters"),
        ("headline", "Council approves harbour budget"),
        ("byline", "By Jane Doe"),
        ("trailer", "(Reporting by Jane Doe; Editing by John Roe)"),
        ("dateline", "MINSK, Sept 28 (Reuters)"),
    ]
    assert a.body == "The council approved the harbour budget on Tuesday.\n\nThe opposition said it would fight on."
    assert (a.title, a.publisher, a.authors, a.dateline) == (
        "Council approves harbour budget",
        "Reuters",
        ("Jane Doe",),
        "MINSK, Sept 28 (Reuters)",
    )
