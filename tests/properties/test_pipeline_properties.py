"""clean_article on arbitrary input: an Article or an IngestError with a code, nothing else."""

from __future__ import annotations

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
