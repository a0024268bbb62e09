"""UTC offsets no time zone has (issue 20): never raise, never reach ``published``, warn."""

from __future__ import annotations

import json

import pytest

from ingest import clean_article, iter_articles
from ingest.metadata.dates import parse_date, parse_date_checked

IMPOSSIBLE = ["+9999", "+2400", "+99:99", "+05:60", "-2400", "+1500"]


@pytest.mark.parametrize("offset", IMPOSSIBLE)
@pytest.mark.parametrize(
    "template",
    ["2021-03-04T10:15:00{}", "2021-03-04 10:15{}", "4 March 2021 10:15 {}", "Thu, 04 Mar 2021 10:15:00 GMT{}"],
    ids=["ISO", "ISO with space", "prose", "RFC 2822 with GMT"],
)
def test_impossible_offset_is_dropped_and_reported(template: str, offset: str) -> None:
    value, dropped = parse_date_checked(template.format(offset))
    assert value == "2021-03-04T10:15:00"
    assert dropped == offset


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("2021-03-04T10:15:00+05:30", "2021-03-04T10:15:00+05:30", id="India +05:30 stays"),
        pytest.param("2021-03-04T10:15:00+14:00", "2021-03-04T10:15:00+14:00", id="Kiribati +14:00 stays"),
        pytest.param("2021-03-04T10:15:00-12:00", "2021-03-04T10:15:00-12:00", id="-12:00 stays"),
        pytest.param("4 March 2021 10:15 +0100", "2021-03-04T10:15:00+01:00", id="prose +0100 stays"),
        pytest.param("4 March 2021 10:15 GMT+0200", "2021-03-04T10:15:00+02:00", id="GMT+0200 is two hours east"),
        pytest.param("2021-03-04", "2021-03-04", id="date only has no offset"),
    ],
)
def test_possible_offsets_are_kept(raw: str, want: str) -> None:
    assert parse_date_checked(raw) == (want, None)
    assert parse_date(raw) == want


def test_json_record_with_huge_offset_keeps_its_article_and_warns() -> None:
    rec = {
        "title": "Harbour report",
        "published": "2021-03-04T10:15:00+9999",
        "text": "The harbour reopened today after the storm.",
    }
    art = clean_article(json.dumps(rec).encode(), path="a.json")
    assert art.published == "2021-03-04T10:15:00"
    assert [w.code for w in art.warnings if w.code == "bad_utc_offset"] == ["bad_utc_offset"]


def test_jsonl_file_keeps_every_record_when_one_has_a_bad_offset() -> None:
    lines = [
        {"title": "One", "published": "2021-03-04T10:15:00+02:00", "text": "First story text here."},
        {"title": "Two", "published": "May 1 2020 10:00 +2400", "text": "Second story text here."},
        {"title": "Three", "published": "2021-03-04T10:15:00+99:99", "text": "Third story text here."},
    ]
    data = "\n".join(json.dumps(x) for x in lines).encode()
    outs = list(iter_articles(data, path="batch.jsonl"))
    assert [o.error for o in outs] == [None, None, None]
    assert [o.article.published for o in outs if o.article] == [
        "2021-03-04T10:15:00+02:00",
        "2020-05-01T10:00:00",
        "2021-03-04T10:15:00",
    ]


def test_html_meta_with_impossible_offset() -> None:
    html = (
        "<html><head><title>Harbour reopens</title>"
        '<meta property="article:published_time" content="2021-03-04T10:15:00+05:60"></head>'
        "<body><article><h1>Harbour reopens</h1><p>The harbour reopened today after the storm closed it for a week.</p>"
        "<p>Boats left at dawn and the fish market was busy again by noon.</p></article></body></html>"
    )
    art = clean_article(html.encode(), path="a.html")
    assert art.published == "2021-03-04T10:15:00"
    assert "bad_utc_offset" in [w.code for w in art.warnings]
