"""Every hostile input through the library: a schema-valid article or the specific error code.

The articles are validated against the JSON Schema by the session fixture in tests/conftest.py
(``to_dict`` is checked), and their JSON must encode to UTF-8 strictly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import ERROR_CODES, IngestError, Options, clean_article, iter_articles
from .cases import CASES, GOOD, Case

pytestmark = pytest.mark.timeout(60)


def _article_dict(article: object) -> dict:
    d = article.to_dict()  # type: ignore[attr-defined]
    article.to_json().encode("utf-8")  # type: ignore[attr-defined]  # strict: a lone surrogate would raise
    return d


@pytest.mark.parametrize("case", [c for c in CASES if not c.records], ids=lambda c: c.id)
def test_single_input_outcome(case: Case, tmp_path: Path) -> None:
    data = case.build(tmp_path)
    if case.expect == "ok":
        article = clean_article(data, path=case.name)
        d = _article_dict(article)
        if case.check:
            case.check(d)
    else:
        with pytest.raises(IngestError) as info:
            clean_article(data, path=case.name)
        assert info.value.code == case.expect, info.value.message
        assert info.value.code in ERROR_CODES
        assert info.value.message and "\n" not in info.value.message


@pytest.mark.parametrize("case", [c for c in CASES if c.records], ids=lambda c: c.id)
def test_multi_record_input_outcomes(case: Case, tmp_path: Path) -> None:
    outcomes = list(iter_articles(case.build(tmp_path), path=case.name))
    got = tuple("ok" if o.article is not None else o.error.code for o in outcomes)  # type: ignore[union-attr]
    assert got == case.records
    assert [o.record for o in outcomes] == list(range(1, len(case.records) + 1))
    for o in outcomes:
        if o.article is not None:
            _article_dict(o.article)
        else:
            assert o.error is not None
            if case.name.endswith(".jsonl"):  # a JSONL reject names its line; a WARC one its byte offset
                assert f"line {o.record}" in o.error.message


def test_size_cap_applies_to_bytes_and_str_alike() -> None:
    small = Options(max_bytes=64)
    for data in (GOOD.encode(), GOOD):
        with pytest.raises(IngestError) as info:
            clean_article(data, options=small)
        assert info.value.code == "too_large"


def test_the_same_content_under_two_names_gives_the_same_article_but_its_own_source() -> None:
    a = clean_article(GOOD.encode(), path="one.txt")
    b = clean_article(GOOD.encode(), path="copy/two.txt")
    assert a.id == b.id and a.body == b.body
    assert (a.source.path, b.source.path) == ("one.txt", "copy/two.txt")
    assert json.loads(a.to_json())["source"]["sha256"] == json.loads(b.to_json())["source"]["sha256"]
