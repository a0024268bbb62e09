"""WARC inputs (issue 18): each HTML response/resource record is one article, in record order.

The WARC files are written here by hand (WARC/1.1 is a short text format), so the tests control
every byte: record-gzipped members, a damaged member, a truncated tail.
"""

from __future__ import annotations

import gzip
import json
import subprocess
from collections import Counter
from pathlib import Path

from checks import assert_valid_article, ingest_exe

from ingest import Options, iter_articles
from ingest.warc import warc_outcomes

PROSE = (
    "The harbour commission met again on {day} and agreed to publish its findings before the end "
    "of the month, officials said. Fishermen had asked for the report since the winter storms, "
    "and the mayor promised that every boat owner would get a copy."
)


def page(n: int, charset_meta: str = "", body_extra: str = "") -> bytes:
    head = f"<meta charset='{charset_meta}'>" if charset_meta else ""
    paras = "".join(f"<p>{PROSE.format(day=d)} Page {n}.</p>" for d in ("Monday", "Tuesday", "Friday"))
    return (
        f"<!doctype html><html><head>{head}<title>Harbour report {n}</title></head>"
        f"<body><article><h1>Harbour report {n}</h1>{paras}{body_extra}</article></body></html>"
    ).encode("utf-8")


def record(kind: str, uri: str, block: bytes, rid: str, date: str = "2024-03-05T10:20:30Z", extra: str = "") -> bytes:
    head = (
        f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{rid}>\r\n{extra}Content-Length: {len(block)}\r\n\r\n"
    )
    return head.encode("ascii") + block + b"\r\n\r\n"


def http(body: bytes, ctype: str = "text/html; charset=utf-8") -> bytes:
    return f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode("ascii") + body


def response(n: int, body: bytes | None = None, ctype: str = "text/html; charset=utf-8") -> bytes:
    return record(
        "response",
        f"https://news.example.org/2024/03/05/report-{n}",
        http(page(n) if body is None else body, ctype),
        f"00000000-0000-0000-0000-{n:012d}",
        extra="Content-Type: application/http; msgtype=response\r\n",
    )


def request(n: int) -> bytes:
    block = f"GET /2024/03/05/report-{n} HTTP/1.1\r\nHost: news.example.org\r\n\r\n".encode("ascii")
    return record(
        "request",
        f"https://news.example.org/2024/03/05/report-{n}",
        block,
        f"10000000-0000-0000-0000-{n:012d}",
        extra="Content-Type: application/http; msgtype=request\r\n",
    )


def warcinfo() -> bytes:
    return record("warcinfo", "", b"software: a test\r\n", "20000000-0000-0000-0000-000000000000").replace(
        b"WARC-Target-URI: \r\n", b""
    )


def gz_members(records: list[bytes]) -> bytes:
    return b"".join(gzip.compress(r, 6, mtime=0) for r in records)


def crawl(n: int) -> list[bytes]:
    out = [warcinfo()]
    for i in range(1, n + 1):
        out += [request(i), response(i)]
    return out


def articles(data: bytes, path: str = "crawl.warc.gz") -> list:
    return list(iter_articles(data, path=path))


def test_each_html_response_is_one_article_in_record_order_with_its_warc_fields() -> None:
    outs = articles(gz_members(crawl(3)))
    assert [o.record for o in outs] == [1, 2, 3]
    for i, o in enumerate(outs, 1):
        a = o.article.to_dict()
        assert_valid_article(a)
        assert a["url"] == f"https://news.example.org/2024/03/05/report-{i}"
        assert a["title"] == f"Harbour report {i}"
        assert f"Page {i}." in a["body"]
        assert a["source"]["record"] == i
        assert a["source"]["format"] == "html"
        assert a["source"]["compression"] == "gzip"
        assert a["source"]["warc_record_id"] == f"<urn:uuid:00000000-0000-0000-0000-{i:012d}>"
        assert a["source"]["fetched"] == "2024-03-05T10:20:30Z"
        assert a["source"]["path"] == "crawl.warc.gz"
        assert a["field_sources"]["doc_id"] == "source:warc_record_id"  # the archive's own id for the record
    assert len({o.article.doc_id for o in outs}) == 3
    # The same records under another file name keep their doc_ids: the id is the record's, not the path's.
    assert [o.article.doc_id for o in articles(gz_members(crawl(3)), "copy.warc.gz")] == [
        o.article.doc_id for o in outs
    ]


def test_a_plain_warc_is_read_the_same_as_the_gzipped_one_except_compression() -> None:
    plain = [o.article.to_dict() for o in articles(b"".join(crawl(2)), "crawl.warc")]
    packed = [o.article.to_dict() for o in articles(gz_members(crawl(2)))]
    assert [a["body"] for a in plain] == [a["body"] for a in packed]
    assert [a["source"]["compression"] for a in plain] == [None, None]


def test_a_warc_is_found_by_content_whatever_its_name() -> None:
    outs = articles(gz_members(crawl(2)), "download.bin")
    assert [o.article.url for o in outs] == [f"https://news.example.org/2024/03/05/report-{i}" for i in (1, 2)]


def test_request_warcinfo_metadata_revisit_and_non_html_records_are_skipped_and_counted() -> None:
    recs = crawl(1) + [
        record("metadata", "https://news.example.org/x", b"outlinks: none\r\n", "30000000-0000-0000-0000-000000000001"),
        record("revisit", "https://news.example.org/x", http(b""), "30000000-0000-0000-0000-000000000002"),
        response(7, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        response(8, b'{"a": 1}', "application/json"),
        response(9, page(9), "application/octet-stream"),  # a page mislabelled: sniffed, read
    ]
    skipped: Counter[str] = Counter()
    raw = gz_members(recs)
    outs = list(iter_articles(raw, path="c.warc.gz", skipped=skipped))
    assert [o.record for o in warc_outcomes(raw, "c.warc.gz", "0" * 64, "gzip", Options())] == [1, 2]
    assert [o.article.title for o in outs] == ["Harbour report 1", "Harbour report 9"]
    assert [o.record for o in outs] == [1, 2]
    assert skipped == Counter({"request": 1, "warcinfo": 1, "metadata": 1, "revisit": 1, "non_html": 2})


def test_a_resource_record_holding_a_page_is_an_article() -> None:
    rec = record(
        "resource",
        "https://news.example.org/saved",
        page(4),
        "40000000-0000-0000-0000-000000000004",
        extra="Content-Type: text/html\r\n",
    )
    outs = articles(rec, "saved.warc")
    assert outs[0].article.title == "Harbour report 4"
    assert outs[0].article.url == "https://news.example.org/saved"


def test_the_http_charset_is_the_declared_charset_and_a_lying_one_is_refuted() -> None:
    body = page(5).replace(b"Page 5.", "Zürich café naïve. Page 5.".encode("cp1252"))
    told = articles(response(5, body, "text/html; charset=windows-1252"), "a.warc")[0].article
    assert "Zürich café naïve" in told.body
    # The same rules as <meta charset>: the same page declaring it in markup decodes the same way.
    as_file = next(
        iter_articles(
            page(5, "windows-1252").replace(b"Page 5.", "Zürich café naïve. Page 5.".encode("cp1252")), path="p.html"
        )
    ).article
    assert (told.source.encoding, told.source.encoding_confidence) == (
        as_file.source.encoding,
        as_file.source.encoding_confidence,
    )
    assert told.source.encoding == "cp1252"
    # A header that says UTF-8 over cp1252 bytes is refuted by the strict decode, as <meta charset> is.
    lying = articles(response(5, body, "text/html; charset=utf-8"), "a.warc")[0].article
    assert "Zürich café" in lying.body
    assert "declared_charset_wrong" in [w.code for w in lying.warnings] or lying.source.encoding != "utf-8"


def test_a_damaged_member_keeps_the_records_before_and_after_it() -> None:
    members = [gzip.compress(r, 6, mtime=0) for r in crawl(3)]
    bad = bytearray(members[4])  # the response of page 2
    bad[20:40] = b"\xff" * 20
    members[4] = bytes(bad)
    outs = articles(b"".join(members))
    assert [o.article.title if o.article else o.error.code for o in outs] == [
        "Harbour report 1",
        "corrupt",
        "Harbour report 3",
    ]
    assert [o.record for o in outs] == [1, 2, 3]


def test_a_truncated_last_member_keeps_every_earlier_article() -> None:
    raw = gz_members(crawl(3))
    outs = articles(raw[: len(raw) - 300])
    assert [o.article.title for o in outs[:2]] == ["Harbour report 1", "Harbour report 2"]
    assert outs[-1].error is not None and outs[-1].error.code == "corrupt"
    assert "truncated" in outs[-1].error.message


def test_a_truncated_last_record_of_a_plain_warc_is_an_error_value() -> None:
    raw = b"".join(crawl(2))
    outs = articles(raw[: len(raw) - 200], "c.warc")
    assert outs[0].article.title == "Harbour report 1"
    assert outs[-1].error is not None and outs[-1].error.code == "corrupt"


def test_a_page_over_the_cap_is_too_large_alone() -> None:
    big = page(2, body_extra="<p>" + "word " * 40_000 + "</p>")
    raw = gz_members([response(1), response(2, big), response(3)])
    outs = list(iter_articles(raw, path="c.warc.gz", options=Options(max_bytes=100_000)))
    assert [o.article.title if o.article else o.error.code for o in outs] == [
        "Harbour report 1",
        "too_large",
        "Harbour report 3",
    ]


def test_reading_is_deterministic() -> None:
    raw = gz_members(crawl(3))
    assert [o.article.to_json() for o in articles(raw)] == [o.article.to_json() for o in articles(raw)]


def test_ingest_run_writes_one_jsonl_for_a_warc_and_one_json_for_a_gzipped_text(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (raw / "crawl.warc.gz").write_bytes(gz_members(crawl(3)))
    text = "Harbour report delayed\n\n" + PROSE.format(day="Monday") + "\n\n" + PROSE.format(day="Friday") + "\n"
    (raw / "wire.txt.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    proc = subprocess.run(
        [*ingest_exe(), "run", str(raw), str(clean), "-w", "2", "--json"], capture_output=True, text=True, timeout=180
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["counts"]["ok"] == 2
    assert report["records_skipped"] == {"request": 3, "warcinfo": 1}
    assert report["counts"]["articles_written"] == 3 + 1
    lines = (clean / "crawl.warc.gz.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["source"]["record"] for x in lines] == [1, 2, 3]
    assert lines == [
        o.article.to_json() for o in iter_articles((raw / "crawl.warc.gz").read_bytes(), path="crawl.warc.gz")
    ]
    wire = json.loads((clean / "wire.txt.gz.json").read_text(encoding="utf-8"))
    assert_valid_article(wire)
    assert wire["source"]["format"] == "text" and wire["source"]["compression"] == "gzip"
    assert wire["title"] == "Harbour report delayed"


def _encoded_response(n: int, headers: str, block: bytes) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n{headers}\r\n".encode("ascii")
    return record(
        "response",
        f"https://news.example.org/enc/{n}",
        head + block,
        f"50000000-0000-0000-0000-{n:012d}",
        extra="Content-Type: application/http; msgtype=response\r\n",
    )


def test_gzip_content_encoding_and_chunked_transfer_are_decoded() -> None:
    body = page(1)
    packed = gzip.compress(body, mtime=0)
    chunked = (
        b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (body[:300], body[300:])) + b"0\r\n\r\n"
    )
    raw = gz_members(
        [
            _encoded_response(1, f"Content-Encoding: gzip\r\nContent-Length: {len(packed)}\r\n", packed),
            _encoded_response(2, "Transfer-Encoding: chunked\r\n", chunked),
        ]
    )
    outs = articles(raw)
    assert [o.article.title if o.article else o.error.code for o in outs] == ["Harbour report 1", "Harbour report 1"]


def test_a_content_encoded_bomb_is_too_large_alone() -> None:
    bomb = gzip.compress(b"<p>" + b" " * (8 << 20), 9, mtime=0)
    raw = gz_members(
        [
            response(1),
            _encoded_response(2, f"Content-Encoding: gzip\r\nContent-Length: {len(bomb)}\r\n", bomb),
            response(3),
        ]
    )
    outs = list(iter_articles(raw, path="c.warc.gz", options=Options(max_bytes=1 << 20)))
    assert [o.article.title if o.article else o.error.code for o in outs] == [
        "Harbour report 1",
        "too_large",
        "Harbour report 3",
    ]


def test_a_warc_gzipped_as_one_stream_is_read_and_a_cut_keeps_the_earlier_pages() -> None:
    whole = gzip.compress(b"".join(crawl(3)), 6, mtime=0)  # `gzip crawl.warc`: one member for all records
    assert [o.article.title for o in articles(whole)] == [f"Harbour report {i}" for i in (1, 2, 3)]
    cut = articles(whole[:-12])  # the trailer and the last bytes of data
    assert [o.article.title for o in cut[:2]] == ["Harbour report 1", "Harbour report 2"]
    assert cut[-1].error is not None and cut[-1].error.code == "corrupt"


def test_damage_full_of_gzip_magic_ends_in_one_corrupt_record() -> None:
    raw = gz_members(crawl(1)) + b"\x1f\x8b\x08\x00" * 50_000
    assert [o.error.code if o.error else "ok" for o in articles(raw)] == ["ok", "corrupt"]


def test_a_warc_date_that_is_not_an_iso_utc_time_is_left_null_and_odd_ids_too() -> None:
    rec = response(1).replace(b"WARC-Date: 2024-03-05T10:20:30Z", b"WARC-Date: yesterday at noon")
    rec = rec.replace(
        b"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>", b"WARC-Record-ID: <bad\x1bid>"
    )
    a = articles(rec, "a.warc")[0].article.to_dict()
    assert_valid_article(a)
    assert a["source"]["fetched"] is None and a["source"]["warc_record_id"] is None


class _ShortReads:
    """A payload reader that hands out at most ``step`` bytes per call, as a decoding stream may."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.calls = data, step, []

    def read(self, n: int) -> bytes:
        self.calls.append(n)
        out, self.data = self.data[: min(n, self.step)], self.data[min(n, self.step) :]
        return out


def test_read_upto_reads_what_one_big_read_would() -> None:
    from ingest.warc import _read_upto

    data = bytes(range(256)) * 40  # 10,240 bytes
    for length in (0, 100, len(data), 50_000):  # the record's length: absent, short (decoded payload), exact, long
        for step in (7, 4096, 1 << 30):
            for limit in (1, 5000, len(data), len(data) + 1, 1 << 26):
                got = _read_upto(_ShortReads(data, step), limit, length)
                assert got == data[:limit], (length, step, limit)
    # never asks for the whole cap up front
    reader = _ShortReads(data, 1 << 30)
    _read_upto(reader, 50 * 1024 * 1024 + 1, len(data))
    assert reader.calls[0] == len(data) + 1
