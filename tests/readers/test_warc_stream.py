"""A WARC file given to ``iter_articles`` or ``ingest clean`` as a path or file is streamed, not read whole.

The WARC files are written here: a few pages among many big binary records (incompressible, so
the gzip members are as big as the records), with ``--max-bytes`` below the file's size. Memory
is checked as a ratio (the same pages among n and 4n binary records), never as a time.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import subprocess
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from checks import ingest_exe

from ingest import Options, iter_articles
from ingest.batch.executors import SerialExecutor
from ingest.batch.runner import BatchConfig, run_batch

BINARY = 256 << 10  # each binary record's payload
CAP = 600 << 10  # --max-bytes: over every page but one, under the files


def page(n: int, extra: str = "") -> bytes:
    paras = "".join(
        f"<p>The ferry board met on day {k} and record {n} says the new timetable starts in spring, with two "
        f"extra crossings on Sundays and a night boat in July.</p>"
        for k in range(1, 4)
    )
    return (
        f"<!doctype html><html><head><title>Ferry notes {n}</title></head><body><article>"
        f"<h1>Ferry notes {n}</h1>{paras}{extra}</article></body></html>"
    ).encode()


def record(kind: str, n: int, block: bytes) -> bytes:
    head = (
        f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://ferry.example.org/{kind}/{n}\r\n"
        f"WARC-Date: 2024-05-06T07:08:09Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012d}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode("ascii") + block + b"\r\n\r\n"


def response(n: int, body: bytes, ctype: str) -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode("ascii")
    return record("response", n, http + body)


def crawl(binaries: int) -> list[bytes]:
    """Five pages (one over the cap) spread among ``binaries`` big application/pdf responses."""
    rng = random.Random(binaries)
    pages = [response(n, page(n), "text/html; charset=utf-8") for n in range(1, 5)]
    pages.append(response(5, page(5, "<p>" + "long words here " * 45_000 + "</p>"), "text/html"))
    out: list[bytes] = []
    for i in range(binaries):
        if i % max(1, binaries // len(pages)) == 0 and pages:
            out.append(pages.pop(0))
        out.append(response(1000 + i, rng.randbytes(BINARY), "application/pdf"))
    return out + pages


def write(folder: Path, binaries: int, gz: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    records = crawl(binaries)
    path = folder / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(b"".join(gzip.compress(r, 1, mtime=0) for r in records) if gz else b"".join(records))
    return path


def streamed(data: object, path: str | None, skipped: Counter[str] | None = None) -> list[str]:
    """Articles as JSON lines, errors as ``code@record``."""
    return [
        o.article.to_json() if o.article is not None else f"{o.error.code}@{o.record}"  # type: ignore[union-attr]
        for o in iter_articles(data, path=path, options=Options(max_bytes=CAP), skipped=skipped)  # type: ignore[arg-type]
    ]


def run_output(raw: Path, clean: Path) -> tuple[list[str], dict]:
    config = BatchConfig(raw, clean, options=Options(max_bytes=CAP), durable=False)
    report = run_batch(config, executor=SerialExecutor())
    [out] = [p for p in clean.iterdir() if p.is_file()]
    return out.read_text(encoding="utf-8").splitlines(), dict(report)


@pytest.mark.parametrize("gz", [True, False], ids=["record-gzipped", "plain"])
def test_a_warc_over_max_bytes_gives_the_articles_of_ingest_run(tmp_path: Path, gz: bool) -> None:
    path = write(tmp_path / "raw", 12, gz)
    assert path.stat().st_size > 4 * CAP  # run reads it in parts; iter_articles must stream it
    lines, report = run_output(tmp_path / "raw", tmp_path / "clean")
    skipped: Counter[str] = Counter()
    got = streamed(path, path.name, skipped)
    assert [x for x in got if not x.startswith("{")] == ["too_large@5"]  # the cap is each record's
    assert [x for x in got if x.startswith("{")] == lines
    assert len(lines) == 4 and report["errors"] == {"too_large": 1}
    assert dict(skipped) == report["records_skipped"] == {"non_html": 12}


def test_a_file_object_is_streamed_from_where_it_stands(tmp_path: Path) -> None:
    path = write(tmp_path, 4, True)
    expected = streamed(path, "crawl.warc.gz")
    with open(tmp_path / "held.bin", "wb") as fh:
        fh.write(b"some other bytes first " * 100)
        fh.write(path.read_bytes())
    with open(tmp_path / "held.bin", "rb") as fh:
        fh.seek(2300)
        assert streamed(fh, "crawl.warc.gz") == expected
    held = io.BytesIO(b"x" * 77 + path.read_bytes())  # no fileno: read by seek and read
    held.seek(77)
    assert streamed(held, "crawl.warc.gz") == expected
    assert streamed(path.read_bytes(), "crawl.warc.gz") == expected  # bytes over the cap: per record too


def test_a_wrapped_file_object_is_read_through_its_own_reads(tmp_path: Path) -> None:
    plain = write(tmp_path, 4, False)
    packed = tmp_path / "whole.warc.gz"  # one gzip stream over the whole file, opened by gzip.open
    packed.write_bytes(gzip.compress(plain.read_bytes(), 1, mtime=0))
    expected = [json.loads(x) for x in streamed(plain, "crawl.warc") if x.startswith("{")]
    with gzip.open(packed, "rb") as fh:  # its fileno() is the packed file's: never pread
        got = [json.loads(x) for x in streamed(fh, "crawl.warc") if x.startswith("{")]
    assert [a["body"] for a in got] == [a["body"] for a in expected] and len(got) == 4
    assert got == expected  # the same bytes as the plain file: the same articles


class CountingReader(io.RawIOBase):
    """A seekable file object without a file descriptor that remembers the biggest read it served."""

    def __init__(self, data: bytes) -> None:
        self._data, self._pos = data, 0
        self.largest = 0
        self.served = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, pos: int, whence: int = 0) -> int:
        self._pos = pos if whence == 0 else (self._pos + pos if whence == 1 else len(self._data) + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, n: int = -1) -> bytes:
        end = len(self._data) if n is None or n < 0 else self._pos + n
        out = self._data[self._pos : end]
        self._pos += len(out)
        self.largest = max(self.largest, len(out))
        self.served += len(out)
        return out


@pytest.mark.parametrize("gz", [True, False], ids=["record-gzipped", "plain"])
def test_no_read_grows_with_the_file(tmp_path: Path, gz: bool) -> None:
    seen = {}
    for binaries in (8, 32):
        reader = CountingReader(write(tmp_path / str(binaries), binaries, gz).read_bytes())
        assert len(streamed(reader, "crawl.warc.gz")) == 5
        seen[binaries] = reader.largest
        assert reader.largest <= (1 << 20) + (1 << 16)  # 1 MB windows, never the file
    assert seen[32] == seen[8]


def test_peak_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    small, big = write(tmp_path / "n", 8, True), write(tmp_path / "4n", 32, True)
    streamed(small, "crawl.warc.gz")  # warm up: imports, the language model
    peaks = {}
    for path in (small, big):
        tracemalloc.start()
        try:
            assert len(streamed(path, "crawl.warc.gz")) == 5
            peaks[path] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert big.stat().st_size > 3.5 * small.stat().st_size
    assert peaks[big] < 1.25 * peaks[small]
    assert peaks[big] < big.stat().st_size / 2  # reading it whole would take its size at least


def test_ingest_clean_streams_a_warc_over_max_bytes_from_a_file_and_from_a_pipe(tmp_path: Path) -> None:
    path = write(tmp_path / "raw", 12, True)
    lines, _ = run_output(tmp_path / "raw", tmp_path / "clean")
    args = [*ingest_exe(), "clean", "--max-bytes", str(CAP)]
    proc = subprocess.run([*args, "crawl.warc.gz"], cwd=tmp_path / "raw", capture_output=True, timeout=180)
    assert proc.returncode == 1  # one record rejected, the rest written
    assert proc.stdout.decode("utf-8").splitlines() == lines
    assert proc.stderr.decode("utf-8").splitlines() == [
        f"error[too_large]: crawl.warc.gz: record 5: the record's page is over the {CAP:,}-byte cap "
        "(raise --max-bytes to accept it)"
    ]
    piped = subprocess.run([*args, "-"], input=path.read_bytes(), capture_output=True, timeout=180)
    assert piped.returncode == 1
    from_pipe = [json.loads(x) for x in piped.stdout.decode("utf-8").splitlines()]
    assert [a["source"]["path"] for a in from_pipe] == [None] * 4
    for a in from_pipe:
        a["source"]["path"] = "crawl.warc.gz"
    assert from_pipe == [json.loads(x) for x in lines]


def test_a_non_warc_file_over_max_bytes_is_still_too_large(tmp_path: Path) -> None:
    big = tmp_path / "notes.txt"
    big.write_bytes(b"Ferry notes\n\n" + b"The ferry board met again. " * 40_000)
    proc = subprocess.run([*ingest_exe(), "clean", "--max-bytes", str(CAP), str(big)], capture_output=True, timeout=120)
    assert proc.returncode == 1 and proc.stdout == b""
    assert b"error[too_large]" in proc.stderr
    with pytest.raises(Exception, match="over the") as info:
        streamed(big, None)
    assert getattr(info.value, "code", None) == "too_large"
