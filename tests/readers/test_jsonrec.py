"""JSON / JSONL records: shapes, field mapping, HTML bodies, and every hostile input's outcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest import IngestError, Options, clean_article, iter_articles
from ingest.readers.jsonrec import looks_like_html, read_records

DATA = Path(__file__).resolve().parent.parent / "data" / "jsonl"
TEXT = "The harbour master said the new pontoon will be ready before the sailing season starts in April."
TEXT2 = "Boat owners will be able to book berths online from next week, with priority for local residents."


def outcomes(data: str | bytes, path: str = "x.jsonl", **opts: Any) -> list[Any]:
    return list(iter_articles(data, path=path, options=Options(**opts)))


def line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


# ---- golden exports ---------------------------------------------------------------------------

NESTED_MAP = (
    ("body", "story_text"),
    ("title", "meta.headline"),
    ("authors", "meta.writer"),
    ("publisher", "meta.outlet"),
)


def test_golden_newsplease_export() -> None:
    outs = outcomes((DATA / "newsplease-export.jsonl").read_bytes())
    assert [o.record for o in outs] == [1, 2, 3]
    assert all(o.error is None for o in outs)
    first, second, third = (o.article for o in outs)
    assert first.title == "Ferry Timetable Changes for Winter"
    assert first.published == "2021-10-08T11:20:00"
    assert first.updated == "2021-10-08T15:02:00"
    assert first.authors == ("Elin Strand",)
    assert first.publisher == "islandnews.example"
    assert first.url == "https://islandnews.example/2021/10/08/ferry-winter-timetable"
    assert first.language == "en"
    assert first.image == "https://islandnews.example/img/ferry.jpg"
    assert first.description == "Fewer sailings from November."
    assert first.body.startswith("The island ferry will run four times a day")
    assert first.body.endswith("an extra sailing before Christmas.")
    assert first.stats.paragraphs == 3
    assert dict(first.field_sources)["published"] == "record:date_publish"
    assert first.source.format == "jsonl" and first.source.record == 1
    assert second.authors == ("Omar Reyes", "Kate Lowe")
    assert second.updated is None  # null in the record stays null
    assert third.authors == ()
    assert third.body.endswith("the inner berths again from today.")


def test_golden_custom_nested_export_needs_the_map() -> None:
    data = (DATA / "custom-nested.jsonl").read_bytes()
    unmapped = outcomes(data)
    assert [o.error.code for o in unmapped] == ["bad_record", "bad_record"]
    assert "--map body=KEY" in unmapped[0].error.message
    a, b = (o.article for o in outcomes(data, field_map=NESTED_MAP))
    assert a.title == "Bibliothek öffnet länger"
    assert a.authors == ("Anna Keller",)
    assert a.publisher == "Stadtanzeiger"
    assert a.published == "2023-01-09T08:00:00+01:00"
    assert a.language == "de"
    assert dict(a.field_sources)["title"] == "record:meta.headline"
    assert a.body.startswith("Die Stadtbibliothek verlängert ab Montag")
    assert a.body.endswith("einen ruhigen Arbeitsplatz suchen.")
    assert a.stats.paragraphs == 2
    assert b.published == "2023-02-14"


def test_golden_mixed_export_rejects_bad_lines_alone() -> None:
    outs = outcomes((DATA / "mixed-html-and-bad.jsonl").read_bytes())
    by_line = {o.record: o for o in outs}
    assert sorted(by_line) == [1, 2, 4, 5, 6, 7]  # line 3 is blank
    assert {n: o.error.code for n, o in by_line.items() if o.error} == {
        2: "bad_record",
        5: "bad_record",
        6: "bad_record",
    }
    assert by_line[2].error.message.startswith("line 2: invalid JSON")
    assert "has no text" in by_line[5].error.message
    assert "field 'content' is a number" in by_line[6].error.message

    fragment = by_line[1].article  # an HTML fragment in "content"
    assert (
        fragment.body
        == "The old stone bridge reopened to traffic on Wednesday after engineers found no damage from last month's"
        " flood."
        "\n\nBuses will return to their usual route from Monday, the transport office said."
    )
    assert fragment.authors == ("Sam Ortega",)
    assert fragment.published == "2020-02-12"
    assert fragment.url == "https://crier.example/2020/02/12/bridge-reopens"

    page = by_line[4].article  # a whole page in "html": the record's fields first, then the page's
    assert page.title == "Bakery Marks Fifty Years"
    assert page.publisher == "Town Crier wire"
    assert dict(page.field_sources)["publisher"] == "record:source"
    assert page.published == "2020-03-02"
    assert page.body.startswith("The family bakery on Mill Street")
    assert "Home" not in page.body and "Town Crier 2020" not in page.body

    nan = by_line[7].article
    assert nan.published is None
    assert nan.tags == ("council", "budget")
    assert [w.code for w in nan.warnings] == ["non_standard_json"]


# ---- shapes -----------------------------------------------------------------------------------


def test_single_object_json_is_one_article_without_a_record_number() -> None:
    a = clean_article(line(title="One", text=TEXT), path="one.json")
    assert a.title == "One" and a.body == TEXT
    assert a.source.format == "json" and a.source.record is None


def test_json_list_numbers_records_from_one() -> None:
    data = json.dumps([{"text": TEXT}, {"text": 7}, {"text": TEXT2}])
    outs = outcomes(data, path="list.json")
    assert [(o.record, o.error.code if o.error else "ok") for o in outs] == [(1, "ok"), (2, "bad_record"), (3, "ok")]
    # the outcome carries the number; the message says what is wrong, once (issue 20)
    assert outs[1].error.message == "field 'text' is a number, expected a string (or a list of strings)"


def test_api_response_wrapping_its_records_is_unwrapped() -> None:
    # the NewsAPI shape: records under "articles", publisher as an object, publishedAt, urlToImage
    rec = {
        "source": {"id": "x", "name": "Harbour News"},
        "author": "Ann Lee",
        "title": "Pontoon",
        "publishedAt": "2020-04-01T10:00:00Z",
        "urlToImage": "https://h.example/p.jpg",
        "url": "https://h.example/pontoon",
        "content": TEXT,
    }
    outs = outcomes(
        json.dumps({"status": "ok", "totalResults": 2, "articles": [rec, {"title": "no text"}]}), path="api.json"
    )
    assert [o.record for o in outs] == [1, 2]
    a = outs[0].article
    assert (a.publisher, a.authors, a.published, a.image) == (
        "Harbour News",
        ("Ann Lee",),
        "2020-04-01T10:00:00+00:00",
        "https://h.example/p.jpg",
    )
    assert outs[1].error.code == "bad_record"


def test_an_object_with_a_body_is_not_mistaken_for_a_wrapper() -> None:
    a = clean_article(json.dumps({"text": TEXT, "items": [{"text": "other"}]}), path="o.json")
    assert a.body == TEXT


def test_jsonl_saved_as_json_is_read_line_by_line() -> None:
    outs = outcomes(line(text=TEXT) + "\n" + line(text=TEXT2) + "\n", path="export.json")
    assert [o.article.body for o in outs] == [TEXT, TEXT2]


def test_jsonl_is_sniffed_without_an_extension() -> None:
    outs = outcomes(line(text=TEXT) + "\n" + line(text=TEXT2) + "\n", path=None)
    assert [o.record for o in outs] == [1, 2]


def test_invalid_json_document_is_rejected_as_a_whole() -> None:
    with pytest.raises(IngestError) as e:
        clean_article('{"text": "unterminated', path="bad.json")
    assert e.value.code == "bad_record"


def test_empty_list_is_rejected() -> None:
    with pytest.raises(IngestError) as e:
        clean_article("[]", path="empty.json")
    assert e.value.code == "bad_record"


def test_a_record_that_is_not_an_object_is_rejected() -> None:
    (o,) = outcomes('["a", "list"]\n', path="x.jsonl")
    assert o.error.code == "bad_record"
    assert "is a list, expected a JSON object" in o.error.message


def test_list_of_paragraph_strings_is_a_body() -> None:
    a = clean_article(json.dumps({"paragraphs": 1, "body": [TEXT, TEXT2]}), path="p.json")
    assert a.body == f"{TEXT}\n\n{TEXT2}"


def test_keys_match_ignoring_case() -> None:
    a = clean_article(json.dumps({"Title": "Cased", "Text": TEXT}), path="c.json")
    assert a.title == "Cased"


def test_default_field_cascade_order_prefers_text_over_body() -> None:
    a = clean_article(json.dumps({"body": TEXT2, "text": TEXT}), path="o.json")
    assert a.body == TEXT


# ---- field map ----------------------------------------------------------------------------------


def test_map_puts_the_users_key_first() -> None:
    a = clean_article(
        json.dumps({"text": TEXT2, "story_text": TEXT}),
        path="m.json",
        options=Options(field_map=(("body", "story_text"),)),
    )
    assert a.body == TEXT


def test_map_reaches_into_nested_objects() -> None:
    rec = {"payload": {"content": {"plain": TEXT}}, "info": {"when": "2021-02-03"}}
    a = clean_article(
        json.dumps(rec),
        path="n.json",
        options=Options(field_map=(("body", "payload.content.plain"), ("published", "info.when"))),
    )
    assert a.body == TEXT and a.published == "2021-02-03"
    assert dict(a.field_sources)["published"] == "record:info.when"


def test_map_with_an_unknown_field_is_a_clear_error() -> None:
    with pytest.raises(IngestError) as e:
        clean_article(json.dumps({"text": TEXT}), path="u.json", options=Options(field_map=(("bdy", "x"),)))
    assert e.value.code == "bad_record"
    assert "unknown field" in e.value.message and "body" in e.value.message


# ---- HTML inside records ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>One.</p><p>Two.</p>", True),
        ("<!DOCTYPE html><html><body>x</body></html>", True),
        ("Prices rose 3% while 2 < 3 and 5 > 4 in the table.", False),
        ("He wrote <b>bold</b> once.", False),
    ],
    ids=["paragraph tags", "whole page", "comparison signs", "one inline tag"],
)
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


def test_html_body_goes_through_the_html_extraction() -> None:
    html = f"<div><p>{TEXT}</p><p>{TEXT2}</p><div class='related-links'><a href='/x'>More news</a></div></div>"
    a = clean_article(json.dumps({"content": html}), path="h.json")
    assert a.body == f"{TEXT}\n\n{TEXT2}"


# ---- hostile JSON -------------------------------------------------------------------------------


def test_deeply_nested_line_is_a_bad_record_and_the_next_line_still_works() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    outs = outcomes(deep + "\n" + line(text=TEXT) + "\n")
    assert outs[0].error.code == "bad_record"
    assert "nested deeper" in outs[0].error.message
    assert outs[1].article.body == TEXT


def test_deeply_nested_json_document_is_rejected_with_a_message() -> None:
    with pytest.raises(IngestError) as e:
        clean_article('{"text": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}", path="deep.json")
    assert e.value.code == "bad_record"
    assert "nested deeper" in e.value.message


def test_nesting_below_the_parser_limit_in_an_unused_field_is_harmless() -> None:
    rec = '{"text": "%s", "extra": %s}' % (TEXT, "[" * 500 + "]" * 500)
    assert clean_article(rec, path="d.json").body == TEXT


def test_5000_digit_integer_is_a_bad_record_with_a_clear_message() -> None:
    outs = outcomes('{"text": "%s", "id": %s}\n%s\n' % (TEXT, "9" * 5000, line(text=TEXT2)))
    assert outs[0].error.code == "bad_record"
    assert "digits" in outs[0].error.message
    assert outs[1].article.body == TEXT2


def test_large_integer_under_the_limit_is_fine() -> None:
    assert clean_article('{"text": "%s", "id": %s}' % (TEXT, "9" * 300), path="i.json").body == TEXT


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_missing_values_with_a_warning(constant: str) -> None:
    a = clean_article('{"text": "%s", "date": %s, "title": "T"}' % (TEXT, constant), path="n.json")
    assert a.published is None
    assert [w.code for w in a.warnings] == ["non_standard_json"]


def test_nan_as_the_only_body_is_no_text() -> None:
    (o,) = outcomes('{"text": NaN}\n')
    assert o.error.code == "bad_record"


def test_duplicate_keys_keep_the_last_value_and_warn() -> None:
    a = clean_article('{"text": "first", "text": "%s"}' % TEXT, path="d.json")
    assert a.body == TEXT
    assert [w.code for w in a.warnings] == ["duplicate_key"]
    assert "'text'" in a.warnings[0].message


def test_lone_surrogates_become_replacement_characters_and_the_article_encodes() -> None:
    a = clean_article('{"text": "%s \\ud800", "title": "A \\udfff title"}' % TEXT, path="s.json")
    assert "\ud800" not in a.body and "\ufffd" in a.body
    assert a.title == "A \ufffd title"
    assert "lone_surrogate" in [w.code for w in a.warnings]
    a.to_json().encode("utf-8")  # would raise on a lone surrogate


def test_escaped_surrogate_pair_is_one_character_not_a_warning() -> None:
    a = clean_article('{"text": "%s \\ud83d\\ude00"}' % TEXT, path="e.json")
    assert a.body.endswith("\U0001f600")
    assert a.warnings == ()


def test_u2028_inside_a_jsonl_string_does_not_split_the_line() -> None:
    outs = outcomes('{"text": "%s\u2028%s"}\n' % (TEXT, TEXT2))
    assert len(outs) == 1 and outs[0].error is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", 5), ("authors", {"id": 3}), ("published", [1, 2]), ("tags", 42), ("url", ["x"]), ("image", {"w": 1})],
    ids=["number title", "author object without name", "list date", "number tags", "list url", "image without url"],
)
def test_wrong_types_in_metadata_fields_are_ignored_not_fatal(field: str, value: Any) -> None:
    a = clean_article(json.dumps({"text": TEXT, field: value}), path="w.json")
    assert a.body == TEXT


def test_reader_yields_drafts_with_line_numbers() -> None:
    drafts = list(read_records("\n\n" + line(text=TEXT) + "\nnot json\n", "jsonl", Options()))
    assert [(d.record, d.error is None) for d in drafts] == [(3, True), (4, False)]


@pytest.mark.parametrize("key", ["article_body", "Article-Body", "ARTICLEBODY", "full-text", "main_text"])
def test_body_keys_match_whatever_their_spelling(key: str) -> None:
    record = {"title": "Ferry returns", key: "The ferry returned to the harbour on Monday after a long repair. " * 3}
    a = clean_article(json.dumps(record).encode(), path="r.json")
    assert a.body.startswith("The ferry returned")
    assert a.title == "Ferry returns"
