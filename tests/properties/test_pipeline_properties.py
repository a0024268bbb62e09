"""clean_article on arbitrary input: an Article or an IngestError with a code, nothing else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import IngestError, Options, clean_article

from .test_fix_properties import article_text, document_text

PROFILE = settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
TEXT_OPTIONS = Options(format="text")


def _clean(data: str | bytes, options: Options | None = None) -> None:
    try:
        article = clean_article(data, options=options)
    except IngestError as e:
        assert isinstance(e.code, str) and e.code
        return
    assert article.body.strip()
    assert "\n\n\n" not in article.body
    assert all("\n" not in p for p in article.body.split("\n\n"))
    article.to_dict()  # validated against the schema by tests/conftest.py


@PROFILE
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _clean(data)


@PROFILE
@given(text=st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    _clean(text, TEXT_OPTIONS)


@PROFILE
@given(text=article_text())
def test_article_shaped_text(text: str) -> None:
    _clean(text, TEXT_OPTIONS)


@PROFILE
@given(text=article_text())
def test_article_shaped_text_as_cp1252_bytes(text: str) -> None:
    _clean(text.encode("cp1252", "replace"), TEXT_OPTIONS)


@PROFILE
@given(text=article_text())
def test_cleaning_the_body_again_changes_nothing(text: str) -> None:
    try:
        first = clean_article(text, options=TEXT_OPTIONS)
    except IngestError:
        return
    if "&" in first.body:
        return  # entities are decoded exactly once: a literal "&amp;" left in the body would decode again
    again = clean_article(first.body, options=TEXT_OPTIONS)
    assert again.body == first.body


@PROFILE
@given(text=document_text())
def test_cleaning_a_line_dump_again_changes_nothing(text: str) -> None:
    """Header, trailer and boilerplate lines are all removed on the first pass, not the second."""
    try:
        first = clean_article(text, options=TEXT_OPTIONS)
    except IngestError:
        return
    again = clean_article(first.body, options=TEXT_OPTIONS)
    assert again.body == first.body


@pytest.mark.parametrize(
    "text",
    [
        # Found by the line-dump generator (each was removed only on the second cleaning).
        (
            "Calend\u00e1rio da temporada 2018\nIt was the first vote of the year.\nShe said the plan was"
            " \u201cfair\u201d and\nIt was the first vote of the year.\nADVERTISEMENT\nADVERTISEMENT\nWhat a day for"
            " the harbour!\n"
        ),
        "Another short line\nAll rights reserved.\nAnother short line\nPublished: Sept. 28, 2021\n",
        "MINSK, Belarus (AP) \u2014 By Jane Doe\n\n; \n\n\n\nAdvertisement\nthe Read more: na\u00efve ",
        "1. first item\nBloomberg\n\u00d0\u00bf\u00d0\u00be\u00d1\u00d1\u201a\n\n1. first item\n",
        "Monday,\n\u00a9 2021 Reuters\n\nna\u00efve\ntwo-budget. budget.\n\n\u200c\n\nStra\u00dfedayMonday,\n",
        (
            "28 September 2021\n\nPhoto: Jane Doe\n28 September 2021\n28 September 2021\nWorld\nWe won the vote!\n\n1."
            " first item\ncaf\u00c3\u00a9\n\n28 September 2021\n\n"
        ),
        "Leggi anche: il porto\ncountr\u00e2\u20acs\nLeggi anche: il porto\n",
        "A>A\rAA\rBY A A\r0",
        "0 0 0\r0000\r0\r0",
    ],
)
def test_found_idempotence_cases(text: str) -> None:
    first = clean_article(text, options=TEXT_OPTIONS)
    assert clean_article(first.body, options=TEXT_OPTIONS).body == first.body
