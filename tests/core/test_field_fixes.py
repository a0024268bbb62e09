"""``--disable-fix`` / ``Options.disabled_fixes`` reach the metadata fields, not only the body."""

from __future__ import annotations

import json

from ingest import Options, clean_article
from ingest.metadata import FIELD_FIXES, clean_field, field_fixes

MOJI_E = "\u00c3\u00a9"  # é read as cp1252
RECORD = json.dumps(
    {
        "title": f"Caf{MOJI_E} reopens &amp; thrives",
        "author": f"Ren{MOJI_E}e Dupont",
        "body": f"The caf{MOJI_E} on the harbour reopened this week after a long winter of repairs to its roof.",
    },
    ensure_ascii=False,
)


def test_by_default_fields_and_body_are_repaired() -> None:
    a = clean_article(RECORD, path="r.json")
    assert a.title == "Caf\u00e9 reopens & thrives" and a.authors == ("Ren\u00e9e Dupont",)
    assert "caf\u00e9" in a.body


def test_a_disabled_fix_is_off_for_the_fields_too() -> None:
    a = clean_article(RECORD, path="r.json", options=Options(disabled_fixes=frozenset({"fix_mojibake"})))
    assert a.title == f"Caf{MOJI_E} reopens & thrives"  # entities still decoded: only the one fix is off
    assert a.authors == (f"Ren{MOJI_E}e Dupont",)
    assert MOJI_E in a.body
    b = clean_article(RECORD, path="r.json", options=Options(disabled_fixes=frozenset({"decode_html_entities"})))
    assert b.title == "Caf\u00e9 reopens &amp; thrives"


def test_field_fixes_keeps_plan_order_and_clean_field_takes_them() -> None:
    assert field_fixes(frozenset({"fix_mojibake"})) == tuple(f for f in FIELD_FIXES if f != "fix_mojibake")
    assert clean_field(f"caf{MOJI_E}") == "caf\u00e9"
    assert clean_field(f"caf{MOJI_E}", fixes=field_fixes(frozenset({"fix_mojibake"}))) == f"caf{MOJI_E}"
