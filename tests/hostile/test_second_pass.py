"""Issue 20, single-input reproducers: control characters in metadata, JSON type confusion and
markup, CR-only JSONL, UTF-32 without a BOM, record messages, mixed encodings in one file.

Every article is validated against the schema by tests/conftest.py; here each outcome is checked.
"""

from __future__ import annotations

import json
import unicodedata

import pytest

from ingest import clean_article, iter_articles
from ingest.decode import decode_bytes

from .cases import GOOD, PROSE

pytestmark = pytest.mark.timeout(60)


def _controls(s: str) -> list[str]:
    return [c for c in s if unicodedata.category(c) == "Cc" and c != "\n"]  # the body has line breaks


def _strings(d: object) -> list[str]:
    if isinstance(d, str):
        return [d]
    if isinstance(d, dict):
        return [s for v in d.values() for s in _strings(v)]
    if isinstance(d, list):
        return [s for v in d for s in _strings(v)]
    return []


def _codes(d: dict) -> set[str]:
    return {w["code"] for w in d["warnings"]}


# -- 5. control characters in metadata ---------------------------------------------------------


def test_controls_from_a_json_record_never_reach_metadata() -> None:
    record = {
        "title": "Harbour\u0000report \u001b[2J",
        "author": ["Jane\u0007 Doe", "John\u009b Roe"],
        "description": "Findings\u0000 due\u001b soon",
        "publisher": "Harbour\u0085Gazette",
        "tags": ["ports\u0000", "\u001b", "fishing"],
        "image": "https://img.example.org/a\u0000.png",
        "url": "https://news.example.org/harbour\u001b",
        "text": PROSE,
    }
    d = clean_article(json.dumps(record).encode(), path="rec.json").to_dict()
    assert all(not _controls(s) for s in _strings(d)), [s for s in _strings(d) if _controls(s)]
    assert d["title"] == "Harbourreport [2J"  # ESC and NUL gone (the body treats them alike)
    assert d["description"] == "Findings due soon"
    assert d["tags"] == ["ports", "fishing"]  # an item left empty is dropped
    assert d["url"] is None and d["image"] is None  # a URL with a control is rejected, not repaired
    assert "invalid_url" in _codes(d)


def test_controls_from_html_entities_never_reach_metadata() -> None:
    page = (
        "<html><head><title>Harbour&#0;report &#27;[2J</title>"
        "<meta name='description' content='due&#27; soon&#7;'>"
        "<meta name='author' content='Jane&#0; Doe'>"
        "<meta property='og:image' content='https://img.example.org/&#27;x.png'>"
        f"</head><body><article><h1>Harbour&#0;report</h1><p>{PROSE}</p><p>{PROSE}</p></article></body></html>"
    )
    d = clean_article(page.encode(), path="page.html").to_dict()
    assert all(not _controls(s) for s in _strings(d))
    assert d["title"] and d["title"].startswith("Harbour")  # &#0; is U+FFFD to the HTML parser
    assert d["description"] == "due soon"
    assert d["image"] is None


@pytest.mark.parametrize(
    "url, kept",
    [
        ("https://news.example.org/a?b=1#c", True),
        ("http://news.example.org", True),
        ("javascript:alert(1)", False),
        ("ftp://news.example.org/a", False),
        ("/relative/path", False),
        ("https://news.example.org/a b", False),
        ("https://", False),
        ("https://news.example.org:99999999/", False),
        ("https://news.example.org/" + "a" * 3000, False),
    ],
)
def test_urls_are_validated(url: str, kept: bool) -> None:
    d = clean_article(json.dumps({"url": url, "text": PROSE}).encode(), path="u.json").to_dict()
    assert (d["url"] == url) is kept
    assert ("invalid_url" in _codes(d)) is (not kept)


# -- 9. JSON type confusion, markup, CR-only JSONL, messages -----------------------------------------


def test_a_number_among_the_authors_is_not_an_author() -> None:
    d = clean_article(
        json.dumps({"author": ["Jane Doe", 5, True, None], "text": PROSE}).encode(), path="a.json"
    ).to_dict()
    assert d["authors"] == ["Jane Doe"]
    assert "wrong_type" in _codes(d)


@pytest.mark.parametrize("value", [5, 2.5, True, ["a list"], {"x": 1}])
def test_a_title_that_is_not_text_is_ignored_with_a_warning(value: object) -> None:
    d = clean_article(json.dumps({"title": value, "text": PROSE}).encode(), path="t.json").to_dict()
    assert d["title"] != str(value)
    assert "wrong_type" in _codes(d) or d["title"] is None


def test_markup_in_record_metadata_is_stripped_like_page_text() -> None:
    record = {
        "title": "Harbour <script>alert(1)</script>report <b>delayed</b>",
        "description": "<p>Findings <style>p{}</style>due</p>",
        "tags": ["<i>ports</i>"],
        "text": PROSE,
    }
    d = clean_article(json.dumps(record).encode(), path="m.json").to_dict()
    assert d["title"] == "Harbour report delayed"
    assert d["description"] == "Findings due"
    assert d["tags"] == ["ports"]
    assert "markup_in_field" in _codes(d)
    # a comparison sign is not markup
    d = clean_article(json.dumps({"title": "Prices < 5 dollars", "text": PROSE}).encode(), path="c.json").to_dict()
    assert d["title"] == "Prices < 5 dollars" and "markup_in_field" not in _codes(d)


def test_a_cr_only_jsonl_file_reads_every_record() -> None:
    lines = [json.dumps({"title": f"Report {i}", "text": PROSE}) for i in range(3)]
    for name in ("cr.jsonl", "cr.json"):
        outs = list(iter_articles(("\r".join(lines) + "\r").encode(), path=name))
        assert [o.article.title for o in outs if o.article] == ["Report 0", "Report 1", "Report 2"], name
        assert [o.record for o in outs] == [1, 2, 3]


def test_record_messages_say_what_is_wrong_once() -> None:
    outs = list(
        iter_articles(json.dumps([{"text": PROSE}, {"text": PROSE}, {"text": PROSE}, None]).encode(), path="l.json")
    )
    err = outs[3].error
    assert outs[3].record == 4 and err is not None
    assert err.message == "is null, expected a JSON object"
    assert "NoneType" not in err.message and "record 4" not in err.message


# -- UTF-32 without a BOM ------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_without_a_bom_is_detected_not_binary(codec: str) -> None:
    text = GOOD.replace("report", "rapport – naïve, Привет")
    a = clean_article(text.encode(codec), path="u32.txt")
    assert a.source.encoding == codec and a.source.encoding_confidence == 0.9
    assert "Привет" in a.body
    assert any(w.code == "encoding_guessed" for w in a.warnings)


# -- 10. mixed encodings in one file ------------------------------------------------------------------


UTF8_PART = "Der Bürgermeister sagte, die Straße über den Fluss bleibt gesperrt. " * 3
CP1252_PART = "Die Brücke wird im Frühjahr für 2 Millionen € repariert, hieß es. " * 3


def test_a_file_mixing_utf8_and_cp1252_sentences_decodes_both() -> None:
    data = UTF8_PART.encode() + b"\n\n" + CP1252_PART.encode("cp1252")
    a = clean_article(data, path="mixed.txt")
    assert a.source.encoding == "utf-8"
    assert "Bürgermeister" in a.body and "Straße" in a.body  # the UTF-8 half
    assert "Brücke" in a.body and "Frühjahr" in a.body and "€" in a.body and "hieß" in a.body  # the cp1252 half
    assert any(w.code == "mixed_encoding" for w in a.warnings)


def test_mixed_runs_take_the_single_byte_code_page_detection_prefers() -> None:
    cyr = "Пресс-служба сообщила, что заседание комиссии перенесли на вторник. " * 3
    d = decode_bytes(UTF8_PART.encode() + cyr.encode("cp1251"))
    assert d.encoding == "utf-8" and cyr in d.text and UTF8_PART in d.text
    assert "cp1251" in d.warnings[0].message


def test_a_utf8_page_with_a_few_damaged_bytes_stays_utf8() -> None:
    page = (
        (
            "<html><head><meta charset='utf-8'><title>Zürich: Brücke gesperrt</title></head><body><article>"
            f"<p>{UTF8_PART}</p><img alt='Mitgef\x00hl'><p>{UTF8_PART}</p></article></body></html>"
        )
        .encode()
        .replace(b"\x00", b"\xfc")
    )  # one Latin-1 byte in an attribute
    a = clean_article(page, path="page.html")
    assert a.source.encoding == "utf-8"
    assert a.title == "Zürich: Brücke gesperrt" and "Bürgermeister" in a.body
    assert {w.code for w in a.warnings} >= {"mixed_encoding"}
    assert "declared_charset_wrong" not in {w.code for w in a.warnings}
    # a truncated sequence is replaced locally, the rest stays UTF-8
    d = decode_bytes(UTF8_PART.encode() + "é".encode()[:1] + b" " + UTF8_PART.encode())
    assert d.encoding == "utf-8" and d.text.count("Bürgermeister") == 6


def test_single_byte_text_with_no_utf8_is_still_detected_as_before() -> None:
    data = (CP1252_PART * 2).encode("cp1252")
    d = decode_bytes(data)
    assert d.encoding == "cp1252" and d.text == CP1252_PART * 2
    assert not any(w.code == "mixed_encoding" for w in d.warnings)


def test_random_high_bytes_are_not_mistaken_for_mixed_utf8() -> None:
    import random

    rnd = random.Random(3)
    noise = bytes(rnd.randrange(0x80, 0x100) for _ in range(4000))
    with pytest.raises(Exception) as info:
        decode_bytes(noise)
    assert getattr(info.value, "code", None) == "undecodable"


def test_a_page_declared_utf8_with_no_other_utf8_and_a_stray_byte_decodes_that_byte_locally() -> None:
    # only ASCII besides one stray byte: that byte is decoded by itself (cp1252, the web's Western
    # default), never by a whole-page guess a single byte cannot support (was: cp1250 for the page);
    # with no UTF-8 character at all, the declaration is refuted and the code page named as a guess
    body = "The ferry leaves the harbour at nine and returns before dark, the timetable says. " * 20
    page = f"<html><head><meta charset='utf-8'></head><body><p>{body}</p><p>Price: 5\x00 a ticket.</p></body></html>"
    d = decode_bytes(page.encode().replace(b"\x00", b"\xa3"), declared="utf-8")
    assert d.encoding == "cp1252" and body in d.text and "Price: 5£ a ticket." in d.text
    assert [w.code for w in d.warnings] == ["declared_charset_wrong", "encoding_guessed"]
    assert d.confidence < 1.0


def test_a_page_declared_utf8_with_utf8_and_a_stray_byte_stays_utf8() -> None:
    # UTF-8 characters and one foreign byte: UTF-8 stays the page's encoding, the byte is repaired locally
    body = "The ferry leaves the harbour at nine and returns before dark, says the café owner. " * 20
    page = f"<html><head><meta charset='utf-8'></head><body><p>{body}</p><p>Price: 5\x00 a ticket.</p></body></html>"
    d = decode_bytes(page.encode().replace(b"\x00", b"\xa3"), declared="utf-8")
    assert d.encoding == "utf-8" and body in d.text and "Price: 5£ a ticket." in d.text
    assert [w.code for w in d.warnings] == ["mixed_encoding"]


def test_an_undeclared_ascii_page_with_a_stray_byte_is_decoded_as_before() -> None:
    # must not change: without a declaration nothing says UTF-8, detection decides
    body = "The ferry leaves the harbour at nine and returns before dark, the timetable says. " * 20
    d = decode_bytes((body + "Price: 5\x00.").encode().replace(b"\x00", b"\xa3"))
    assert d.encoding != "utf-8" and body in d.text
