"""Schema 1.1: doc_id, extra, published/updated precision, epoch dates, unreadable-date warnings."""

from __future__ import annotations

import json

import pytest
from checks import SCHEMA, assert_valid_article

from ingest import Options, clean_article, iter_articles
from ingest.model import ALWAYS_KEPT, SCHEMA_VERSION, date_precision
from ingest.readers.jsonrec import EXTRA_MAX_CHARS, epoch_iso
from ingest.schema import SCHEMA as CODE_SCHEMA

BODY = "The harbour board met on Monday to agree the new timetable for the ferries."


def _rec(**fields: object) -> str:
    return json.dumps({"text": BODY, **fields})


def _articles(text: str, path: str | None = "in/feed.jsonl", **opts: object) -> list:
    outs = list(iter_articles(text.encode(), path=path, options=Options(**opts)))  # type: ignore[arg-type]
    assert all(o.error is None for o in outs), [o.error for o in outs]
    for o in outs:
        assert_valid_article(o.article.to_dict())
    return [o.article for o in outs]


# -- schema and code agree -----------------------------------------------------------------------


def test_the_schema_file_is_the_code_schema_and_lists_every_article_key_in_order() -> None:
    a = clean_article(_rec(guid="g-1", section="Local"), path="x.json")
    assert SCHEMA == CODE_SCHEMA
    assert list(a.to_dict()) == SCHEMA["required"] == list(SCHEMA["properties"])
    assert SCHEMA["properties"]["schema_version"]["const"] == SCHEMA_VERSION == "1.1"
    assert set(ALWAYS_KEPT) <= set(SCHEMA["required"])
    for prop in ("published_precision", "updated_precision"):
        assert SCHEMA["properties"][prop]["enum"] == ["day", "minute", "second", None]


# -- doc_id --------------------------------------------------------------------------------------


def test_doc_id_differs_for_two_records_with_the_same_text_and_id_does_not() -> None:
    a, b = _articles(_rec() + "\n" + _rec() + "\n")
    assert a.id == b.id
    assert a.doc_id != b.doc_id
    assert dict(a.field_sources)["doc_id"] == "source:path"


def test_doc_id_comes_from_the_records_own_id_guid_or_url_whatever_the_file() -> None:
    (by_guid,) = _articles(_rec(guid="urn:story:77"), path="one.jsonl")
    (moved,) = _articles("\n" + _rec(guid="urn:story:77"), path="elsewhere/two.jsonl")
    assert by_guid.doc_id == moved.doc_id  # the same document, re-exported under another name and line
    assert dict(by_guid.field_sources)["doc_id"] == "record:guid"
    (by_id,) = _articles(_rec(id=4411, guid="urn:x"))
    assert dict(by_id.field_sources)["doc_id"] == "record:id"  # id first, then guid
    (by_url,) = _articles(_rec(url="https://news.example/a/1"))
    assert dict(by_url.field_sources)["doc_id"] == "record:url"
    (empty_id,) = _articles(_rec(id="  ", link="https://news.example/b"))
    assert dict(empty_id.field_sources)["doc_id"] == "record:link"


def test_doc_id_key_can_be_mapped() -> None:
    (a,) = _articles(_rec(id=1, story_uid="S-9"), field_map=(("doc_id", "story_uid"),))
    (b,) = _articles(_rec(id=2, story_uid="S-9"), field_map=(("doc_id", "story_uid"),))
    assert a.doc_id == b.doc_id
    assert dict(a.field_sources)["doc_id"] == "record:story_uid"


def test_doc_id_of_text_inputs_is_the_path_and_of_stdin_the_bytes() -> None:
    a = clean_article(BODY, path="raw/a.txt")
    b = clean_article(BODY, path="raw/b.txt")
    assert a.id == b.id and a.doc_id != b.doc_id
    assert a.doc_id == clean_article(BODY, path="raw/a.txt").doc_id
    s1, s2 = clean_article(BODY), clean_article(BODY + " More.")
    assert s1.doc_id != s2.doc_id and dict(s1.field_sources)["doc_id"] == "source:sha256"


# -- extra ---------------------------------------------------------------------------------------


def test_extra_keeps_unmapped_fields_in_record_order_and_mapped_ones_out() -> None:
    (a,) = _articles(_rec(title="T", guid="g", section="Local", category=["a", "b"], crawl={"id": 5}, html="<p>x</p>"))
    assert a.to_dict()["extra"] == {"guid": "g", "section": "Local", "category": ["a", "b"], "crawl": {"id": 5}}
    assert list(a.to_dict()["extra"]) == ["guid", "section", "category", "crawl"]


def test_extra_with_map_takes_out_only_what_the_mapping_reads() -> None:
    rec = json.dumps({"story": BODY, "meta": {"headline": "H", "desk": "metro"}, "text": "not the body here"})
    (a,) = _articles(rec, field_map=(("body", "story"), ("title", "meta.headline")))
    assert a.title == "H"
    assert a.to_dict()["extra"] == {"meta": {"desk": "metro"}}  # text is a default body key: read


def test_extra_is_capped_with_a_warning_and_drops_deep_values() -> None:
    deep: object = 1
    for _ in range(40):
        deep = [deep]
    rec = json.dumps({"text": BODY, "small": "s", "big": "x" * (EXTRA_MAX_CHARS + 10), "deep": deep, "after": 2})
    (a,) = _articles(rec)
    assert a.to_dict()["extra"] == {"small": "s", "after": 2}
    assert [w.code for w in a.warnings] == ["extra_capped"]
    assert "2 unmapped field(s)" in a.warnings[0].message
    assert len(json.dumps(a.to_dict()["extra"])) <= EXTRA_MAX_CHARS


def test_extra_strings_carry_no_control_characters() -> None:
    (a,) = _articles(_rec(note="a\x00b\x1bc\u0085d\te"))
    assert a.to_dict()["extra"] == {"note": "abcd\te"}


def test_extra_is_null_for_text_and_html_and_empty_for_a_record_without_unmapped_fields() -> None:
    assert clean_article(BODY, path="a.txt").to_dict()["extra"] is None
    assert clean_article(f"<html><body><p>{BODY}</p></body></html>", path="a.html").to_dict()["extra"] is None
    (a,) = _articles(_rec(title="T"))
    assert a.to_dict()["extra"] == {}


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "precision"),
    [
        (None, None),
        ("2021-09-28", "day"),
        ("2021-09-28T14:03:00", "minute"),
        ("2021-09-28T14:03:00+02:00", "minute"),
        ("2021-09-28T14:03:07", "second"),
        ("2021-09-28T14:03:07-05:00", "second"),
    ],
)
def test_date_precision(iso: str | None, precision: str | None) -> None:
    assert date_precision(iso) == precision


def test_article_precision_fields_follow_the_dates() -> None:
    (a,) = _articles(_rec(date="2021-09-28", modified="2021-09-29T08:15:42Z"))
    assert (a.published, a.published_precision) == ("2021-09-28", "day")
    assert (a.updated, a.updated_precision) == ("2021-09-29T08:15:42+00:00", "second")
    (b,) = _articles(_rec())
    assert (b.published, b.published_precision, b.updated_precision) == (None, None, None)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        (1632837780, "2021-09-28T14:03:00+00:00"),
        (1632837780123, "2021-09-28T14:03:00+00:00"),
        (1632837787.9, "2021-09-28T14:03:07+00:00"),
        ("1632837780", "2021-09-28T14:03:00+00:00"),
        ("1632837780123", "2021-09-28T14:03:00+00:00"),
        ({"$date": 1632837780123}, "2021-09-28T14:03:00+00:00"),
        ({"$date": {"$numberLong": "1632837780123"}}, "2021-09-28T14:03:00+00:00"),
    ],
)
def test_epoch_seconds_and_milliseconds_in_record_fields_are_utc(value: object, iso: str) -> None:
    (a,) = _articles(_rec(published_at=value))
    assert a.published == iso
    assert not a.warnings


@pytest.mark.parametrize("value", [2021, 12, True, "20210928", 99_999_999, 10**16, "1632837780x"])
def test_numbers_that_are_not_epoch_stamps_are_not_read_as_dates(value: object) -> None:
    if isinstance(value, str) or isinstance(value, bool):
        assert epoch_iso(value) is None
    else:
        assert epoch_iso(value) is None


@pytest.mark.parametrize("value", ["next Tuesday", 2021, "Sept 28", "1632837780x"])
def test_a_date_value_that_cannot_be_read_gives_a_warning(value: object) -> None:
    (a,) = _articles(_rec(date=value))
    assert a.published is None
    codes = [w.code for w in a.warnings]
    assert codes == ["unreadable_date"], a.warnings
    assert "published: record:date" in a.warnings[0].message


def test_a_date_field_holding_an_object_is_a_wrong_type_with_a_warning() -> None:
    (a,) = _articles(_rec(date={"when": "soon"}))
    assert a.published is None
    assert [w.code for w in a.warnings] == ["wrong_type"], a.warnings


def test_no_unreadable_date_warning_when_another_source_gives_the_date() -> None:
    (a,) = _articles(_rec(date="next Tuesday", published="2020-01-02"))
    assert a.published == "2020-01-02"
    assert not a.warnings


def test_an_unreadable_updated_value_warns_about_updated() -> None:
    (a,) = _articles(_rec(published="2020-01-02", modified="yesterday-ish"))
    assert a.updated is None and a.published == "2020-01-02"
    assert [w.message.split(":")[0] for w in a.warnings] == ["updated"]
