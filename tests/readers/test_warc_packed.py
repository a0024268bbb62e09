"""A WARC packed whole as one bzip2, xz, zstd or gzip stream (``crawl.warc.bz2``, ``crawl.warc.zst``, a
``crawl.warc.gz`` that is one gzip stream rather than a member per record) is read record by record
while it inflates, in ``iter_articles``, ``ingest clean`` and ``ingest run``.

The WARC files are written here with the WARC tests' helpers, then packed here (bz2, lzma, and
FastWARC's zstd writer). Memory is checked as a ratio (n vs 4n records), never as a time.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import random
import subprocess
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from checks import ingest_exe
from test_warc import crawl, gz_members, response
from test_warc_stream import CAP
from test_warc_stream import crawl as binary_crawl

from ingest import Options, iter_articles
from ingest.batch import warcparts
from ingest.batch.executors import SerialExecutor
from ingest.batch.runner import BatchConfig, run_batch
from ingest.batch.worker import Task
from ingest.warc import head_size, splittable, warc_compression


def zstd(data: bytes) -> bytes:
    from fastwarc.stream_io import ZstdWriter

    out = io.BytesIO()
    writer = ZstdWriter(out)
    done = 0
    while done < len(data):
        done += writer.write(data[done : done + (1 << 20)])  # a write may take less than it is given
    writer.close()
    return out.getvalue()


PACK: dict[str, Callable[[bytes], bytes]] = {
    "bzip2": lambda b: bz2.compress(b, 1),  # 100 kB blocks: a file of several blocks
    "xz": lambda b: lzma.compress(b, preset=1),
    "zstd": zstd,
    "gzip": lambda b: gzip.compress(b, 6, mtime=0),  # one gzip stream over the whole file
}
SUFFIX = {"bzip2": ".bz2", "xz": ".xz", "zstd": ".zst", "gzip": ".gz"}
KINDS = list(PACK)


def padded(n: int) -> bytes:
    """``crawl(n)`` with a 4 kB binary response after each page: several bzip2 blocks, cheap to skip."""
    rng = random.Random(n)
    out = []
    for rec in crawl(n):
        out.append(rec)
        if b"WARC-Type: response" in rec:
            out.append(response(10_000 + len(out), rng.randbytes(4096), "application/pdf"))
    return b"".join(out)


def outcomes(data: object, path: str, options: Options | None = None) -> list[tuple[int | None, object]]:
    """(record, article dict) or (record, error code) per outcome."""
    return [
        (o.record, o.article.to_dict() if o.article is not None else o.error.code)  # type: ignore[union-attr]
        for o in iter_articles(data, path=path, options=options)  # type: ignore[arg-type]
    ]


def without_packing(article: dict) -> dict:
    """The article less what tells the packed file from the plain one (its bytes and compression)."""
    out = json.loads(json.dumps(article))
    for key in ("sha256", "bytes", "compression"):
        out["source"].pop(key)
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_a_packed_warc_gives_the_articles_of_the_plain_warc(tmp_path: Path, kind: str) -> None:
    plain = b"".join(crawl(40))
    packed = PACK[kind](plain)
    assert warc_compression(packed[: head_size(packed[:16])]) == kind
    expected = outcomes(plain, "crawl.warc")
    assert len(expected) == 40 and all(isinstance(a, dict) for _, a in expected)
    path = tmp_path / f"crawl.warc{SUFFIX[kind]}"
    path.write_bytes(packed)
    for given in (packed, path):  # in memory, and streamed from a path
        got = outcomes(given, "crawl.warc")
        assert [n for n, _ in got] == [n for n, _ in expected]
        assert [without_packing(a) for _, a in got] == [without_packing(a) for _, a in expected]  # type: ignore[arg-type]
        assert {a["source"]["compression"] for _, a in got} == {kind}  # type: ignore[index]
        assert {a["source"]["bytes"] for _, a in got} == {len(packed)}  # type: ignore[index]
    with open(path, "rb") as fh:  # a file object, read through its own reads
        assert outcomes(fh, "crawl.warc") == got


@pytest.mark.parametrize("kind", KINDS)
def test_a_truncated_packed_warc_keeps_every_earlier_article(kind: str) -> None:
    packed = PACK[kind](padded(100))
    whole = outcomes(packed, "crawl.warc")
    for cut in (len(packed) // 2, len(packed) - 40):
        got = outcomes(packed[:cut], "crawl.warc")
        *kept, (last, code) = got
        assert code == "corrupt" and last == len(kept) + 1
        assert 0 < len(kept) <= len(whole)  # (the lost tail may hold only binary records)
        same = [(n, without_packing(a)) for n, a in whole[: len(kept)]]  # type: ignore[arg-type]
        assert [(n, without_packing(a)) for n, a in kept] == same  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["bzip2", "xz"])
def test_a_damaged_packed_warc_keeps_every_earlier_article_and_says_where(kind: str) -> None:
    packed = bytearray(PACK[kind](padded(100)))
    at = len(packed) * 2 // 3
    packed[at : at + 64] = bytes(64)
    got = list(iter_articles(bytes(packed), path="crawl.warc"))
    assert got[-1].error is not None and got[-1].error.code == "corrupt"
    assert f"the {kind} stream" in got[-1].error.message and "the records before it are kept" in got[-1].error.message
    assert len(got) > 10 and all(o.article is not None for o in got[:-1])


def test_a_page_that_inflates_past_the_cap_is_one_too_large_record_and_reading_goes_on() -> None:
    """A bomb inside: 64 MiB of blanks in one HTML record, packed to a few kB."""
    blanks = 64 << 20
    body_head = b"<!doctype html><html><body><p>"
    http_head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len(body_head) + blanks}\r\n\r\n"
    length = len(http_head) + len(body_head) + blanks
    head = (
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example.org/bomb\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n{http_head}"
    ).encode("ascii")
    packer = bz2.BZ2Compressor(9)
    parts = [packer.compress(response(1) + head + body_head)]
    chunk = b" " * (1 << 20)
    parts += [packer.compress(chunk) for _ in range(blanks >> 20)]
    parts += [packer.compress(b"\r\n\r\n" + response(2)), packer.flush()]
    packed = b"".join(parts)
    assert len(packed) < blanks // 1000
    tracemalloc.start()
    try:
        got = outcomes(packed, "bomb.warc.bz2", Options(max_bytes=1 << 20))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(n, a if isinstance(a, str) else "ok") for n, a in got] == [(1, "ok"), (2, "too_large"), (3, "ok")]
    assert peak < blanks // 8  # never held whole: the record's page is read up to the cap + 1


def write_binary_crawl(folder: Path, binaries: int, kind: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crawl.warc{SUFFIX[kind]}"
    path.write_bytes(PACK[kind](b"".join(binary_crawl(binaries))))
    return path


@pytest.mark.parametrize("kind", ["bzip2", "zstd"])
def test_peak_memory_of_a_packed_warc_does_not_grow_with_the_file(tmp_path: Path, kind: str) -> None:
    small, big = write_binary_crawl(tmp_path / "n", 8, kind), write_binary_crawl(tmp_path / "4n", 32, kind)
    options = Options(max_bytes=CAP)
    outcomes(small, "crawl.warc", options)  # warm up: imports, the language model
    peaks = {}
    for path in (small, big):
        tracemalloc.start()
        try:
            assert len(outcomes(path, "crawl.warc", options)) == 5
            peaks[path] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert big.stat().st_size > 3.5 * small.stat().st_size
    assert peaks[big] < 1.25 * peaks[small]
    assert peaks[big] < big.stat().st_size / 2  # reading it whole would take its size at least


def test_splittable_tells_a_stream_packed_whole_from_members() -> None:
    plain = b"".join(crawl(100))
    assert splittable(plain[:65536], None)
    assert splittable(gz_members(crawl(100))[: 1 << 20], "gzip")  # a member per record
    assert not splittable(PACK["gzip"](plain)[: 1 << 20], "gzip")  # one gzip stream
    for kind in ("bzip2", "xz", "zstd"):
        assert not splittable(PACK[kind](plain)[: 1 << 20], kind)


@pytest.mark.parametrize("kind", KINDS)
def test_run_reads_a_big_packed_warc_in_one_part(tmp_path: Path, kind: str) -> None:
    path = write_binary_crawl(tmp_path / "raw", 12, kind)
    assert path.stat().st_size > CAP  # over --max-bytes: read per record, never whole
    task = Task(path.name, str(path), path.stat().st_size, path.stat().st_mtime_ns)
    parts = warcparts.plan(task, Options(max_bytes=CAP), 2, None)
    assert parts is not None and len(parts) == 1 and parts[0].compression == kind
    clean = tmp_path / "clean"
    report = run_batch(
        BatchConfig(tmp_path / "raw", clean, options=Options(max_bytes=CAP), durable=False), executor=SerialExecutor()
    )
    lines = (clean / f"{path.name}.jsonl").read_text(encoding="utf-8").splitlines()
    expected = [
        json.dumps(a, ensure_ascii=False)
        for _, a in outcomes(path, path.name, Options(max_bytes=CAP))
        if isinstance(a, dict)
    ]
    assert [json.loads(x) for x in lines] == [json.loads(x) for x in expected] and len(lines) == 4
    assert {json.loads(x)["source"]["compression"] for x in lines} == {kind}
    assert dict(report)["errors"] == {"too_large": 1}  # the cap is each record's


def test_run_reads_a_small_packed_warc_as_records(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "crawl.warc.xz").write_bytes(PACK["xz"](b"".join(crawl(5))))
    (raw / "crawl.warc.bz2").write_bytes(PACK["bzip2"](b"".join(crawl(3))))
    report = run_batch(BatchConfig(raw, tmp_path / "clean", durable=False), executor=SerialExecutor())
    assert dict(report)["errors"] == {}
    for name, n in (("crawl.warc.xz", 5), ("crawl.warc.bz2", 3)):
        lines = (tmp_path / "clean" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(x)["source"]["record"] for x in lines] == list(range(1, n + 1))


def test_ingest_clean_reads_a_packed_warc_from_a_file_and_from_a_pipe(tmp_path: Path) -> None:
    path = write_binary_crawl(tmp_path, 12, "zstd")
    expected = [a for _, a in outcomes(path, "crawl.warc.zst", Options(max_bytes=CAP)) if isinstance(a, dict)]
    args = [*ingest_exe(), "clean", "--max-bytes", str(CAP)]
    proc = subprocess.run([*args, "crawl.warc.zst"], cwd=tmp_path, capture_output=True, timeout=180)
    assert proc.returncode == 1  # one record rejected (over the cap), the rest written
    assert [json.loads(x) for x in proc.stdout.decode("utf-8").splitlines()] == expected
    assert proc.stderr.decode("utf-8").startswith("error[too_large]: crawl.warc.zst: record 5: ")
    packed = PACK["bzip2"](b"".join(crawl(4)))
    piped = subprocess.run([*args, "-"], input=packed, capture_output=True, timeout=180)
    assert piped.returncode == 0, piped.stderr
    got = [json.loads(x) for x in piped.stdout.decode("utf-8").splitlines()]
    assert [(a["source"]["record"], a["source"]["compression"], a["source"]["path"]) for a in got] == [
        (n, "bzip2", None) for n in range(1, 5)
    ]


def test_a_zstd_file_cut_anywhere_is_told_from_whole_frames() -> None:
    """At the end of a zstd stream ingest walks the frame headers, so a cut frame is never taken for the end."""
    from ingest.warc import Blob, _zstd_frames_whole

    packed = zstd(padded(30))
    assert _zstd_frames_whole(Blob(packed)) and _zstd_frames_whole(Blob(packed + packed))
    assert _zstd_frames_whole(Blob(packed + b"\x00" * 9))  # bytes after the last frame: ignored, as zstd does
    assert not any(_zstd_frames_whole(Blob(packed[:cut])) for cut in range(1, len(packed)))
    *kept, (last, code) = outcomes(packed[:-3], "crawl.warc")
    assert code == "corrupt" and last == len(kept) + 1 and len(kept) > 10


def test_a_zstd_file_that_starts_with_a_skippable_frame_is_zstd() -> None:
    """pzstd writes a skippable frame before each frame; the magic of either starts a zstd file."""
    skippable = b"\x50\x2a\x4d\x18" + (4).to_bytes(4, "little") + b"size"
    packed = skippable + zstd(padded(5)) + skippable + zstd(b"".join(crawl(2)))
    got = outcomes(packed, "crawl.warc.zst")
    assert [(n, a["source"]["compression"]) for n, a in got] == [(n, "zstd") for n in range(1, 8)]  # type: ignore[index]
    text = b"Ferry notes\n\nThe ferry board met on Monday and agreed the new timetable for the spring.\n"
    [only] = outcomes(skippable + zstd(text), "notes.txt.zst")
    assert only[1]["source"]["compression"] == "zstd" and "ferry board" in only[1]["body"]  # type: ignore[index]
