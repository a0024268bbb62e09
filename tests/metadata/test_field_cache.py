"""clean_field keeps repaired strings (a page declares one string in several places): the cache
must answer per string *and* per set of fixes, exactly as the repair does."""

from __future__ import annotations

from ingest.metadata import FIELD_FIXES, clean_field, field_fixes


class Smart(str):
    """A string subclass, as lxml's text results are."""


def test_a_repeated_value_gets_the_same_answer() -> None:
    for raw in ("Caf&eacute; &amp; Bar", "  Ein  <b>Titel</b>\u00a0mit Leerraum ", "plain ascii", "Ã©tÃ© chaud"):
        first = clean_field(raw)
        assert clean_field(raw) == first
        assert clean_field(Smart(raw)) == first
    assert clean_field("Caf&eacute; &amp; Bar") == "Café & Bar"


def test_the_answer_depends_on_the_fixes() -> None:
    raw = "Tom &amp; Jerry"
    assert clean_field(raw) == "Tom & Jerry"
    without = field_fixes(frozenset({"decode_html_entities"}))
    assert clean_field(raw, fixes=without) == "Tom &amp; Jerry"
    assert clean_field(raw, fixes=FIELD_FIXES) == "Tom & Jerry"
    assert clean_field(raw, fixes=list(without)) == "Tom &amp; Jerry"  # a list of fixes works too


def test_the_limit_applies_after_the_repair() -> None:
    raw = "A &amp; B"
    assert clean_field(raw, 5) == "A & B"
    assert clean_field(raw, 4) is None
    assert clean_field(raw, 500) == "A & B"
    long = "&amp;" * 2000  # longer than what is cached: repaired all the same
    assert clean_field(long, 5000) == "&" * 2000
