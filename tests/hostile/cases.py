"""The hostile inputs of issue 5, each with the outcome ingest promises for it.

One table drives both the library tests (``clean_article`` / ``iter_articles``) and the batch
test (one ``ingest run`` over a folder holding all of them plus good files), so the two can
never disagree about what a given input does. Inputs are generated on demand: nothing large is
checked in and nothing is built at collection time.
"""

from __future__ import annotations

import codecs
import gzip
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROSE = (
    "The harbour commission met again on Monday and agreed to publish its findings before the end "
    "of the month, officials said. Fishermen had asked for the report since the winter storms."
)
GOOD = f"Harbour report delayed again\n\n{PROSE}\n\n{PROSE.replace('Monday', 'Tuesday')}\n"
SECRET = "TOPSECRET-8d1f"  # written next to the XXE input; must never appear in any output


@dataclass(frozen=True)
class Case:
    """One hostile input.

    ``expect`` is the error code of a rejected input, or ``"ok"`` for one that must become a
    schema-valid article; ``records`` lists per-record outcomes of a multi-record input.
    """

    id: str
    name: str  # file name in the batch folder (its extension picks the reader)
    make: Callable[[], bytes]
    expect: str
    records: tuple[str, ...] = ()
    check: Callable[[dict], None] | None = None  # extra checks on the article dict (library and batch)
    tags: frozenset[str] = field(default_factory=frozenset)

    def build(self, side: Path) -> bytes:
        """The input's bytes; an input that names a local file gets a real one in ``side`` (not an input folder)."""
        data = self.make()
        if b"{secret}" in data:
            secret = side / "secret.txt"
            secret.write_text(SECRET, encoding="utf-8")
            data = data.replace(b"{secret}", str(secret.resolve()).encode())
        return data


# -- generators ------------------------------------------------------------------------------------


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(random.Random(1).randrange(256) for _ in range(2000))


def _pdf() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 4


def _random_bytes() -> bytes:
    rnd = random.Random(5)
    # high bytes only: no NULs (that would be `binary`) and no valid UTF-8 sequences to speak of
    return bytes(rnd.randrange(0x80, 0x100) for _ in range(6000))


def _billion_laughs() -> str:
    ents = "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">\n' for i in range(1, 10))
    return f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n{ents}]>\n'


def _xxe(secret_path: str) -> str:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE page [<!ENTITY xxe SYSTEM "file://{secret_path}"><!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]>\n'
    )


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>Harbour report</title></head><body>{body}</body></html>"


def _deep_html(depth: int, tag: str = "div") -> bytes:
    second = PROSE.replace("Monday", "Tuesday")
    deep = f"<{tag}>" * depth + "DEEPMARKER is the last sentence, and it closes the page." + f"</{tag}>" * depth
    return _page(f"<article><p>{PROSE}</p><p>{second}</p>{deep}</article>").encode()


def _record(**fields: object) -> bytes:
    return json.dumps({"title": "Harbour report", "text": PROSE, **fields}, ensure_ascii=False).encode()


def _warc_with_damage() -> bytes:
    """A record-gzipped WARC: pages 1, 2 (a damaged member), 3, 4 (its member cut short)."""

    def member(n: int) -> bytes:
        page = _page(f"<article><p>{PROSE} Page {n}.</p><p>{PROSE.replace('Monday', 'Friday')}</p></article>").encode()
        block = (
            f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(page)}\r\n\r\n".encode()
            + page
        )
        head = (
            f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example.org/{n}\r\n"
            f"WARC-Date: 2024-03-05T10:20:30Z\r\nWARC-Record-ID: <urn:uuid:{n:08d}-0000-0000-0000-000000000000>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
        ).encode()
        return gzip.compress(head + block + b"\r\n\r\n", 6, mtime=0)

    members = [member(n) for n in (1, 2, 3, 4)]
    members[1] = members[1][:20] + b"\xff" * 20 + members[1][40:]
    members[3] = members[3][: len(members[3]) // 2]
    return b"".join(members)


# -- checks on accepted articles ---------------------------------------------------------------------


def _no_nul(a: dict) -> None:
    assert "\x00" not in a["body"] and "\x00" not in (a["title"] or "")
    assert "harbour commission" in a["body"]


def _warns(code: str) -> Callable[[dict], None]:
    def check(a: dict) -> None:
        assert code in [w["code"] for w in a["warnings"]], a["warnings"]

    return check


def _encoding(enc: str, *, confidence: str) -> Callable[[dict], None]:
    def check(a: dict) -> None:
        assert a["source"]["encoding"] == enc
        c = a["source"]["encoding_confidence"]
        if confidence == "certain":
            assert c == 1.0
        elif confidence == "guessed":
            assert c is not None and c < 1.0
            assert "encoding_guessed" in [w["code"] for w in a["warnings"]]
        else:  # "unknown": too short to detect; recorded as no confidence plus a warning
            assert c is None
            assert "encoding_fallback" in [w["code"] for w in a["warnings"]]
            return
        assert "harbour commission" in a["body"]

    return check


def _cp1252_short(a: dict) -> None:
    _encoding("cp1252", confidence="unknown")(a)
    assert "Café – naïve" in a["body"]


def _invalid_utf8(a: dict) -> None:
    # a stray Latin-1 byte in UTF-8 prose: the text is kept, decoded by detection
    assert "harbour commission" in a["body"]
    assert a["source"]["encoding"] != "utf-8"


def _meta_lies_utf8(a: dict) -> None:
    assert a["title"] == "Café harbour"
    assert "crème brûlée" in a["body"]
    codes = [w["code"] for w in a["warnings"]]
    assert "declared_charset_wrong" in codes
    # short Western text fits several code pages equally: the guess is recorded as one
    assert a["source"]["encoding"] == "cp1252"
    assert a["source"]["encoding_confidence"] < 1.0 and "encoding_guessed" in codes


def _meta_lies_latin1(a: dict) -> None:
    # declared iso-8859-1 but the bytes are valid UTF-8: strict UTF-8 wins, no mojibake
    assert a["source"]["encoding"] == "utf-8"
    assert a["title"] == "Café harbour"
    assert "crème brûlée" in a["body"]


def _body_len_at_least(n: int, marker: str | None = None) -> Callable[[dict], None]:
    def check(a: dict) -> None:
        assert len(a["body"]) >= n
        if marker:
            assert marker in a["body"]

    return check


def _title_bounded(a: dict) -> None:
    # a 1 MB first line is not a title; it stays in the body
    assert a["title"] is None or len(a["title"]) <= 1000
    assert len(a["body"]) >= 1_000_000


def _deep_marker(a: dict) -> None:
    assert "DEEPMARKER is the last sentence, and it closes the page." in a["body"]
    assert "harbour commission" in a["body"]


def _only_deep_text(a: dict) -> None:
    assert "harbour commission" in a["body"]


def _not_expanded(a: dict) -> None:
    # the unknown reference stays as written (as browsers show it); the DOCTYPE is not text
    assert a["body"].endswith("&lol9;")
    assert "lollol" not in a["body"] and "ENTITY" not in a["body"] and "]>" not in a["body"]
    assert len(a["body"]) < 2 * len(PROSE) + 100


def _kept_as_text(a: dict) -> None:
    # a JSON body that is not HTML is plain text: the markup is kept literally, nothing expands
    assert "lollol" not in a["body"] and len(a["body"]) < 2000


def _not_fetched(a: dict) -> None:
    assert SECRET not in json.dumps(a)
    assert a["body"].endswith("&xxe; &remote;")  # unknown references stay as written
    assert "ENTITY" not in a["body"] and "]>" not in a["body"]
    assert "harbour commission" in a["body"]


def _published_null(a: dict) -> None:
    assert a["published"] is None
    assert "published" not in a["field_sources"]


def _bidi_title(a: dict) -> None:
    # embedding/override/isolate controls are stripped from the title itself
    assert a["title"] is not None and "Invoice" in a["title"]
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in a["title"])


def _lone_surrogate(a: dict) -> None:
    _warns("lone_surrogate")(a)
    assert "\ufffd" in a["title"]
    json.dumps(a, ensure_ascii=False).encode("utf-8")  # strict: raises on a surrogate


# -- the table ---------------------------------------------------------------------------------------

MEDIUM = frozenset({"medium"})  # ~1 s each in the library

CASES: tuple[Case, ...] = (
    Case("empty file", "empty.txt", lambda: b"", "empty"),
    Case("whitespace only", "blank.txt", lambda: b" \n\t \r\n  \n", "empty"),
    Case("UTF-8 BOM only", "bom.txt", lambda: codecs.BOM_UTF8, "empty"),
    Case(
        "UTF-16 BOM and whitespace only", "bom16.txt", lambda: codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "empty"
    ),
    Case("PNG renamed .txt", "photo.txt", _png, "binary"),
    Case("PDF renamed .html", "paper.html", _pdf, "binary"),
    Case("PNG renamed .html", "photo.html", _png, "binary"),
    Case(
        "a few NUL bytes in text",
        "nul-few.txt",
        lambda: GOOD.replace("Monday", "Mon\x00day\x00").encode(),
        "ok",
        check=_no_nul,
    ),
    Case("mostly NUL bytes", "nul-most.txt", lambda: b"\x00" * 4000 + GOOD.encode(), "binary"),
    Case(
        "invalid UTF-8 in prose",
        "latin-stray.txt",
        lambda: GOOD.encode().replace(b"Monday", b"Monday caf\xe9 \xff"),
        "ok",
        check=_invalid_utf8,
    ),
    Case("random high bytes", "noise.txt", _random_bytes, "undecodable"),
    Case(
        "UTF-16 with BOM",
        "utf16-bom.txt",
        lambda: GOOD.encode("utf-16"),
        "ok",
        check=_encoding("utf-16-le", confidence="certain"),
    ),
    Case(
        "UTF-16LE without BOM",
        "utf16le.txt",
        lambda: GOOD.encode("utf-16-le"),
        "ok",
        check=_encoding("utf-16-le", confidence="guessed"),
    ),
    Case(
        "UTF-16BE without BOM",
        "utf16be.txt",
        lambda: GOOD.encode("utf-16-be"),
        "ok",
        check=_encoding("utf-16-be", confidence="guessed"),
    ),
    Case(
        "short cp1252 text",
        "short-cp1252.txt",
        lambda: "Harbour: Café – naïve résumé".encode("cp1252"),
        "ok",
        check=_cp1252_short,
    ),
    Case(
        "meta charset utf-8 over cp1252 bytes",
        "meta-lies.html",
        lambda: (
            _page(f"<p>{PROSE} Café crème brûlée.</p>", '<meta charset="utf-8">')
            .replace("Harbour report</title>", "Café harbour</title>")
            .encode("cp1252")
        ),
        "ok",
        check=_meta_lies_utf8,
    ),
    Case(
        "meta charset latin-1 over UTF-8 bytes",
        "meta-lies-latin1.html",
        lambda: (
            _page(f"<p>{PROSE} Café crème brûlée.</p>", '<meta charset="iso-8859-1">')
            .replace("Harbour report</title>", "Café harbour</title>")
            .encode()
        ),
        "ok",
        check=_meta_lies_latin1,
    ),
    Case(
        "10-million-character single line",
        "one-line.txt",
        lambda: ("harbour " * 1_250_000).encode(),
        "ok",
        check=_body_len_at_least(9_999_999),
        tags=MEDIUM,
    ),
    Case(
        "1 MB title line",
        "huge-title.txt",
        lambda: ("Harbour " * 131_072 + "\n\n" + GOOD).encode(),
        "ok",
        check=_title_bounded,
    ),
    Case("HTML nested 100,000 deep", "deep.html", lambda: _deep_html(100_000), "ok", check=_deep_marker, tags=MEDIUM),
    Case(
        "HTML text node over 10 MB",
        "big-node.html",
        lambda: _page("<p>" + "harbour " * 1_400_000 + "</p>").encode(),
        "ok",
        check=_body_len_at_least(10_000_000),
        tags=MEDIUM,
    ),
    Case(
        "only text below depth 256",
        "deep-300.html",
        lambda: _page("<div>" * 300 + f"<p>{PROSE}</p>" + "</div>" * 300).encode(),
        "ok",
        check=_only_deep_text,
    ),
    Case(
        "only text below libxml2's depth limit",
        "deep-3000.html",
        lambda: _page("<div>" * 3000 + f"<p>{PROSE}</p>" + "</div>" * 3000).encode(),
        "ok",
        check=_only_deep_text,
    ),
    Case(
        "billion laughs in HTML",
        "laughs.html",
        lambda: (_billion_laughs() + _page(f"<p>{PROSE}</p><p>&lol9;</p>")).encode(),
        "ok",
        check=_not_expanded,
    ),
    Case(
        "billion laughs in XHTML",
        "laughs.xhtml",
        lambda: (
            _billion_laughs()
            + f'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>{PROSE}</p><p>&lol9;</p></body></html>'
        ).encode(),
        "ok",
        check=_not_expanded,
    ),
    Case(
        "billion laughs as JSON text",
        "laughs.json",
        lambda: _record(text=_billion_laughs() + "<lolz>&lol9;</lolz>"),
        "ok",
        check=_kept_as_text,
    ),
    Case(
        "external entities",
        "xxe.html",
        lambda: (_xxe("{secret}") + _page(f"<p>{PROSE}</p><p>&xxe; &remote;</p>")).encode(),
        "ok",
        check=_not_fetched,
    ),
    Case(
        "JSON nested 100,000 deep",
        "deep.json",
        lambda: ('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}").encode(),
        "bad_record",
    ),
    Case(
        "JSON with NaN",
        "nan.json",
        lambda: _record().replace(b'"text"', b'"score": NaN, "text"'),
        "ok",
        check=_warns("non_standard_json"),
    ),
    Case(
        "JSON with duplicate keys",
        "dup.json",
        lambda: _record().replace(b'{"title": "Harbour report"', b'{"title": "First", "title": "Harbour report"'),
        "ok",
        check=_warns("duplicate_key"),
    ),
    Case(
        "JSON with lone surrogates",
        "surrogate.json",
        lambda: _record(title="Harbour \\ud800 report").replace(b"\\\\ud800", b"\\ud800"),
        "ok",
        check=_lone_surrogate,
    ),
    Case(
        "JSON with a 5,000-digit integer",
        "bigint.json",
        lambda: _record().replace(b'"text"', b'"views": ' + b"9" * 5000 + b', "text"'),
        "bad_record",
    ),
    Case(
        "JSONL with one bad line",
        "export.jsonl",
        lambda: b"\n".join([_record(), b'{"title": "cut off", "text": ', _record(title="Second story")]) + b"\n",
        "ok",
        records=("ok", "bad_record", "ok"),
    ),
    Case("date 0000-00-00", "date-zero.json", lambda: _record(date="0000-00-00"), "ok", check=_published_null),
    Case("year 99999", "date-99999.json", lambda: _record(date="99999-01-01"), "ok", check=_published_null),
    Case("'Chapter 12' is not a date", "chapter.json", lambda: _record(date="Chapter 12"), "ok", check=_published_null),
    Case(
        "'Chapter 12' line in text",
        "chapter.txt",
        lambda: f"Harbour report\nChapter 12\n\n{PROSE}\n".encode(),
        "ok",
        check=_published_null,
    ),
    Case(
        "bidi controls in a title",
        "bidi-title.json",
        lambda: _record(title="Invoice \u202egnp.exe\u202c and \u2066isolate\u2069 \u200fmark"),
        "ok",
        check=_bidi_title,
    ),
    Case(
        "gzip input (inflated under the size cap, read by its inner name)",
        "article.txt.gz",
        lambda: gzip.compress(GOOD.encode()),
        "ok",
    ),
    # 64 members of 1 MiB of zeros each: 64 MiB inflated, over the default 50 MB cap, never held whole.
    Case("gzip bomb", "bomb.gz", lambda: gzip.compress(b"\x00" * (1 << 20), 9) * 64, "too_large"),
    Case(
        "WARC with a damaged gzip member and a truncated last one",
        "crawl.warc.gz",
        _warc_with_damage,
        "ok",
        records=("ok", "corrupt", "ok", "corrupt"),
    ),
    Case("punctuation only", "dots.txt", lambda: b"... --- ... *** ///\n", "no_text"),
    Case(
        "HTML without text",
        "blank.html",
        lambda: _page("<script>var x = 1;</script><div>   </div>").encode(),
        "no_text",
    ),
)
