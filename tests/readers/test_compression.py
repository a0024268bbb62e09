"""Compressed inputs (issue 18): inflated while read, under the size cap, found by magic bytes."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import zlib

import pytest
from checks import assert_valid_article

from ingest import IngestError, Options, clean_article, iter_articles
from ingest.compression import detect, inner_name, open_input

PROSE = (
    "The harbour commission met again on Monday and agreed to publish its findings before the end "
    "of the month, officials said. Fishermen had asked for the report since the winter storms."
)
TEXT = f"Harbour report delayed again\n\n{PROSE}\n\n{PROSE.replace('Monday', 'Tuesday')}\n".encode()
PAGE = (
    "<!doctype html><html><head><title>Harbour report</title></head><body><article>"
    f"<h1>Harbour report</h1><p>{PROSE}</p><p>{PROSE.replace('Monday', 'Friday')}</p></article></body></html>"
).encode()


def zstd(data: bytes) -> bytes:
    from fastwarc.stream_io import ZstdWriter

    out = io.BytesIO()
    writer = ZstdWriter(out)
    writer.write(data)
    writer.close()  # ends the frame; leaves the inner stream open
    return out.getvalue()


PACKERS = {
    "gzip": lambda b: gzip.compress(b, mtime=0),
    "bzip2": bz2.compress,
    "xz": lzma.compress,
    "zstd": zstd,
}
SUFFIX = {"gzip": ".gz", "bzip2": ".bz2", "xz": ".xz", "zstd": ".zst"}


@pytest.mark.parametrize("kind", sorted(PACKERS))
def test_a_compressed_text_gives_the_plain_files_article_with_its_compression(kind: str) -> None:
    plain = clean_article(TEXT, path="wire.txt").to_dict()
    packed = clean_article(PACKERS[kind](TEXT), path=f"wire.txt{SUFFIX[kind]}").to_dict()
    assert_valid_article(packed)
    assert packed["source"]["compression"] == kind
    assert packed["source"]["path"] == f"wire.txt{SUFFIX[kind]}"
    for key in ("body", "title", "id", "fixes"):
        assert packed[key] == plain[key]
    assert plain["source"]["compression"] is None


@pytest.mark.parametrize("kind", sorted(PACKERS))
def test_the_inner_name_picks_the_reader_for_jsonl_and_html(kind: str) -> None:
    lines = b"".join(json.dumps({"title": f"Report {i}", "text": PROSE}).encode() + b"\n" for i in (1, 2))
    outs = list(iter_articles(PACKERS[kind](lines), path=f"export.jsonl{SUFFIX[kind]}"))
    assert [(o.record, o.article.title, o.article.source.format) for o in outs] == [
        (1, "Report 1", "jsonl"),
        (2, "Report 2", "jsonl"),
    ]
    page = clean_article(PACKERS[kind](PAGE), path=f"page.html{SUFFIX[kind]}")
    assert page.source.format == "html" and page.title == "Harbour report"


def test_compression_is_found_by_magic_bytes_not_by_name() -> None:
    art = clean_article(gzip.compress(TEXT, mtime=0), path="wire.txt")  # no .gz in the name
    assert art.source.compression == "gzip" and art.title == "Harbour report delayed again"
    # A text file named .gz is read as the text it is.
    assert clean_article(TEXT, path="notes.gz").source.compression is None


def test_detect_needs_the_whole_magic_so_text_starting_with_BZh_is_text() -> None:
    assert detect(b"BZh, said the sign, was the town's old name.") is None
    assert detect(bz2.compress(b"x")) == "bzip2"
    assert detect(bz2.compress(b"")) == "bzip2"


def test_inner_names() -> None:
    assert inner_name("a/b.jsonl.gz") == "a/b.jsonl"
    assert inner_name("x.HTML.BZ2") == "x.HTML"
    assert inner_name("x.txt") == "x.txt"
    assert inner_name(".gz") == ".gz"
    assert inner_name(None) is None


def test_concatenated_members_are_all_read() -> None:
    half = len(TEXT) // 2
    data = gzip.compress(TEXT[:half], mtime=0) + gzip.compress(TEXT[half:], mtime=0)
    assert open_input(data, "a.txt.gz", 10**6).data == TEXT
    assert open_input(bz2.compress(TEXT[:half]) + bz2.compress(TEXT[half:]), None, 10**6).data == TEXT


@pytest.mark.parametrize("kind", sorted(PACKERS))
def test_the_cap_applies_to_the_inflated_size(kind: str) -> None:
    data = PACKERS[kind](TEXT)
    assert len(data) < 300 < len(TEXT)
    with pytest.raises(IngestError) as e:
        clean_article(data, path="a.txt.gz", options=Options(max_bytes=300))
    assert e.value.code == "too_large"
    assert clean_article(data, path="a.txt.gz", options=Options(max_bytes=len(TEXT))).body


@pytest.mark.parametrize("kind", sorted(PACKERS))
def test_a_truncated_or_damaged_stream_is_corrupt(kind: str) -> None:
    data = PACKERS[kind](TEXT * 20)
    with pytest.raises(IngestError) as e:
        clean_article(data[: len(data) // 2], path="a.txt")
    assert e.value.code == "corrupt"


def _gzip_bomb(inflated: int) -> bytes:
    """One gzip stream of ``inflated`` zero bytes, compressed a megabyte at a time (never held inflated)."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    parts = [packer.compress(zeros) for _ in range(inflated >> 20)]
    parts.append(packer.flush())
    return b"".join(parts)


def test_a_gzip_bomb_is_too_large_after_at_most_the_cap_is_inflated() -> None:
    bomb = _gzip_bomb(64 << 20)  # one stream, 64 MiB of zeros in about 300 KB
    with pytest.raises(IngestError) as e:
        clean_article(bomb, path="bomb.txt.gz", options=Options(max_bytes=1 << 20))
    assert e.value.code == "too_large"
    assert "inflates to more than" in e.value.message


def test_a_one_gib_bomb_of_concatenated_members_is_too_large_under_the_default_cap() -> None:
    member = gzip.compress(bytes(16 << 20), 9, mtime=0)
    bomb = member * 64  # 1 GiB inflated, about 1 MB packed: far under the 50 MB file cap
    assert len(bomb) < 2 << 20
    with pytest.raises(IngestError) as e:
        clean_article(bomb, path="bomb.gz")
    assert e.value.code == "too_large"


def test_a_bomb_inside_a_bz2_and_an_xz_stream_is_too_large() -> None:
    zeros = bytes(20 << 20)
    for data in (bz2.compress(zeros), lzma.compress(zeros)):
        with pytest.raises(IngestError) as e:
            clean_article(data, path="bomb.txt", options=Options(max_bytes=1 << 20))
        assert e.value.code == "too_large"


def test_a_str_input_is_never_inflated() -> None:
    art = clean_article(TEXT.decode(), path="wire.txt.gz")
    assert art.source.compression is None and art.title == "Harbour report delayed again"
