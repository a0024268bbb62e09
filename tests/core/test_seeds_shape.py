"""Smoke test so the suite is never empty; the real core tests live beside it."""

from ingest import clean_article


def test_clean_article_returns_valid_article() -> None:
    art = clean_article(b"Bloomberg\nA sentence that is long enough to be a paragraph of an article.\n")
    assert art.publisher == "Bloomberg"
    assert art.body.startswith("A sentence")
