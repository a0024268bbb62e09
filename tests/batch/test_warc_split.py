"""A big WARC input runs as parts on every worker and comes back as one output (ingest.batch.warcparts).

The WARC files are written here by hand; the split threshold and the smallest part are lowered
for the test, so a file of a few dozen pages is cut into several parts. Every split run must
write the same bytes as the unsplit run of the same file.
"""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from ingest import Options
from ingest.batch import warcparts
from ingest.batch.executors import ProcessExecutor, SerialExecutor
from ingest.batch.runner import BatchConfig, run_batch

TOPICS = ("harbour wall", "tram line", "library roof", "ferry timetable", "school kitchen", "bridge repair")


def page(n: int) -> bytes:
    topic = TOPICS[n % len(TOPICS)]
    paras = "".join(
        f"<p>The council debated the {topic} for the {k}th time on a wet Tuesday, and record {n} says the vote "
        f"was close: {n + k} in favour, {k} against, with the mayor abstaining once more.</p>"
        for k in range(1, 4)
    )
    return (
        f"<!doctype html><html><head><title>Council notes {n}</title></head><body><article>"
        f"<h1>Council notes {n}</h1>{paras}</article></body></html>"
    ).encode()


def record(kind: str, uri: str, block: bytes, rid: str | None, extra: str = "") -> bytes:
    rid_line = f"WARC-Record-ID: <urn:uuid:{rid}>\r\n" if rid else ""
    head = (
        f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-05T10:20:30Z\r\n"
        f"{rid_line}{extra}Content-Length: {len(block)}\r\n\r\n"
    )
    return head.encode("ascii") + block + b"\r\n\r\n"


def response(n: int, *, with_id: bool = True) -> bytes:
    body = page(n)
    block = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n\r\n"
    return record(
        "response",
        f"https://news.example.org/notes/{n}",
        block.encode("ascii") + body,
        f"00000000-0000-0000-0000-{n:012d}" if with_id else None,
        extra="Content-Type: application/http; msgtype=response\r\n",
    )


def request(n: int) -> bytes:
    return record(
        "request", f"https://news.example.org/notes/{n}", b"GET / HTTP/1.1\r\n\r\n", f"10000000-0000-0000-0000-{n:012d}"
    )


def crawl(n: int, *, ids: bool = True) -> list[bytes]:
    out = []
    for i in range(1, n + 1):
        # Every seventh response has no WARC-Record-ID: its doc_id comes from the path and the record number.
        out += [request(i), response(i, with_id=ids and i % 7 != 0)]
    return out


def write(folder: Path, name: str, records: list[bytes], gz: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = b"".join(gzip.compress(r, 6, mtime=0) for r in records) if gz else b"".join(records)
    (folder / name).write_bytes(data)
    return folder / name


def outputs(clean: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(clean)): p.read_bytes()
        for p in sorted(clean.rglob("*"))
        if p.is_file() and ".ingest" not in p.parts
    }


def feed(clean: Path) -> list[dict]:
    """The change feed's entries of the first run into ``clean``, without the run id."""
    first = sorted((clean / ".ingest" / "changes").glob("0*.ingest-jsonl"))[0]
    return [
        {k: v for k, v in json.loads(x).items() if k != "run_id"}
        for x in first.read_text(encoding="utf-8").splitlines()
    ]


def run(raw: Path | str, clean: Path, executor: object = None) -> dict:
    return run_batch(BatchConfig(raw, clean, durable=False), executor=executor or SerialExecutor())  # type: ignore[arg-type]


@pytest.fixture
def split_small(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """Split files of a few KB into parts of at least 2 KB; says how many parts each assembly had."""
    monkeypatch.setattr(warcparts, "SPLIT_BYTES", 1)
    monkeypatch.setattr(warcparts, "MIN_PART", 2048)
    seen: dict[str, list[int]] = {"parts": [], "read_whole_again": []}
    assemble, again = warcparts.assemble, warcparts._whole_again

    def counting_assemble(split: warcparts._Split) -> warcparts.Result:
        seen["parts"].append(len(split.parts))
        return assemble(split)

    def counting_again(split: warcparts._Split, out_root: warcparts.Folder) -> warcparts.Result:
        seen["read_whole_again"].append(len(split.parts))
        return again(split, out_root)

    monkeypatch.setattr(warcparts, "assemble", counting_assemble)
    monkeypatch.setattr(warcparts, "_whole_again", counting_again)
    return seen


def unsplit(tmp_path: Path, raw: Path) -> tuple[dict[str, bytes], dict]:
    report = run(raw, tmp_path / "whole")
    return outputs(tmp_path / "whole"), report


@pytest.mark.parametrize("gz", [True, False], ids=["record-gzipped", "plain"])
def test_a_split_run_on_two_processes_writes_the_bytes_of_the_unsplit_run(tmp_path: Path, gz: bool) -> None:
    raw = tmp_path / "raw"
    write(raw, "crawl.warc.gz" if gz else "crawl.warc", crawl(30), gz)
    whole, whole_report = unsplit(tmp_path, raw)
    with pytest.MonkeyPatch.context() as mp:
        seen = split_small.__wrapped__(mp)  # type: ignore[attr-defined]
        report = run(raw, tmp_path / "split", ProcessExecutor(2, small_run=0))
    assert seen == {"parts": [8], "read_whole_again": []}  # 2 workers × 4 parts each, seams all met
    assert outputs(tmp_path / "split") == whole
    assert len(next(iter(whole.values())).splitlines()) == 30
    for key in ("counts", "records_skipped", "errors", "fixes"):
        assert report[key] == whole_report[key], key
    assert report["counts"]["ok"] == 1  # one input in the manifest, however many parts it ran as
    assert feed(tmp_path / "split") == feed(tmp_path / "whole")  # the change feed names the same documents


def _task(path: Path) -> warcparts.Task:
    st = path.stat()
    return warcparts.Task(rel=path.name, path=str(path), size=st.st_size, mtime_ns=st.st_mtime_ns)


def test_a_split_run_on_dask_writes_the_bytes_of_the_unsplit_run(tmp_path: Path, split_small: dict) -> None:
    from ingest.batch.dask_executor import DaskExecutor

    raw = tmp_path / "raw"
    write(raw, "crawl.warc.gz", crawl(24), True)
    monkey_whole = outputs_unsplit(tmp_path, raw)
    run(raw, tmp_path / "dask", DaskExecutor(2, processes=False, announce=None))
    assert outputs(tmp_path / "dask") == monkey_whole
    assert split_small["read_whole_again"] == [] and split_small["parts"][0] >= 4


def outputs_unsplit(tmp_path: Path, raw: Path) -> dict[str, bytes]:
    """The unsplit run's outputs, with the split threshold back at its default."""
    saved = warcparts.SPLIT_BYTES
    warcparts.SPLIT_BYTES = 1 << 40
    try:
        return unsplit(tmp_path, raw)[0]
    finally:
        warcparts.SPLIT_BYTES = saved


def test_damage_in_a_split_file_gives_the_same_records_and_errors_as_unsplit(tmp_path: Path, split_small: dict) -> None:
    members = [gzip.compress(r, 6, mtime=0) for r in crawl(20)]
    for i in (9, 23):  # two responses' members damaged, in different parts
        bad = bytearray(members[i])
        bad[30:60] = b"\xff" * 30
        members[i] = bytes(bad)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "crawl.warc.gz").write_bytes(b"".join(members)[:-40])  # and a truncated last member
    whole = outputs_unsplit(tmp_path, raw)
    report = run(raw, tmp_path / "split", ProcessExecutor(2, small_run=0))
    assert outputs(tmp_path / "split") == whole
    assert report["errors"] == {"corrupt": 3}
    assert report["counts"]["records_failed"] == 3
    assert split_small["read_whole_again"] == [] and split_small["parts"][0] >= 4


def test_a_record_start_faked_inside_a_payload_makes_the_file_read_whole(tmp_path: Path, split_small: dict) -> None:
    # A text resource holding a whole WARC record as text: a part cut inside it starts at the fake
    # header, its seam does not meet the part before, and the file is read again in one part.
    fake = response(99)
    holder = record(
        "resource",
        "https://news.example.org/notes.txt",
        fake * 12,
        "30000000-0000-0000-0000-000000000001",
        extra="Content-Type: text/plain\r\n",
    )
    records = crawl(6) + [holder] + crawl(6)
    raw = tmp_path / "raw"
    write(raw, "crawl.warc", records, False)
    whole = outputs_unsplit(tmp_path, raw)
    run(raw, tmp_path / "split", ProcessExecutor(2, small_run=0))
    assert outputs(tmp_path / "split") == whole
    titles = [json.loads(x)["title"] for x in next(iter(whole.values())).splitlines()]
    assert "Council notes 99" not in titles
    assert split_small["read_whole_again"] == split_small["parts"] == [8]


def test_no_part_file_is_left_in_the_output_and_a_rerun_skips_the_input(
    tmp_path: Path, split_small: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warcparts, "MAX_PART", 2048)  # one worker: parts only as big as this
    raw = tmp_path / "raw"
    write(raw, "crawl.warc.gz", crawl(12), True)
    run(raw, tmp_path / "clean")
    names = [p.name for p in (tmp_path / "clean").rglob("*") if p.is_file() and ".ingest" not in p.parts]
    assert names == ["crawl.warc.gz.jsonl"]
    assert split_small["parts"][0] >= 3
    again = run(raw, tmp_path / "clean")
    assert again["skipped_by_reason"] == {"unchanged": 1}


def test_an_input_folder_given_by_fsspec_url_is_split_the_same_way(
    tmp_path: Path, split_small: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fsspec

    monkeypatch.setattr(warcparts, "MAX_PART", 2048)  # one worker (memory:// is in-process), several parts

    raw = tmp_path / "raw"
    path = write(raw, "crawl.warc.gz", crawl(16), True)
    whole = outputs_unsplit(tmp_path, raw)
    fs = fsspec.filesystem("memory")
    fs.pipe_file("/warc-split-test/raw/crawl.warc.gz", path.read_bytes())
    try:
        run("memory://warc-split-test/raw", tmp_path / "remote")
    finally:
        fs.rm("/warc-split-test", recursive=True)
    assert outputs(tmp_path / "remote") == whole
    assert split_small["parts"][0] >= 4 and split_small["read_whole_again"] == []  # each part read by range


def test_a_warc_over_max_bytes_is_streamed_not_rejected(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    path = write(raw, "crawl.warc.gz", crawl(10), True)
    small = Options(max_bytes=path.stat().st_size // 3)  # the file is over the cap, each page under it
    report = run_batch(BatchConfig(raw, tmp_path / "clean", options=small, durable=False))
    assert report["counts"]["ok"] == 1
    assert report["counts"]["articles_written"] == 10


def test_only_a_big_warc_is_planned_in_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warcparts, "SPLIT_BYTES", 4096)
    monkeypatch.setattr(warcparts, "MIN_PART", 512)
    warc = write(tmp_path, "c.warc.gz", crawl(12), True)
    small = write(tmp_path, "s.warc.gz", crawl(1), True)
    text = tmp_path / "notes.txt"
    text.write_bytes(b"Council notes\n\n" + b"The council met again. " * 400)
    parts = warcparts.plan(_task(warc), Options(), 2, 60.0)
    assert parts is not None and [p.index for p in parts] == list(range(len(parts))) and len(parts) == 8
    assert parts[0].start == 0 and parts[-1].end == warc.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))  # the ranges tile the file
    assert {p.compression for p in parts} == {"gzip"} and {p.record_timeout for p in parts} == {60.0}
    assert warcparts.plan(_task(small), Options(), 2, 60.0) is None  # under the threshold: read whole
    assert warcparts.plan(_task(text), Options(), 2, 60.0) is None  # big, but not a WARC file
    assert warcparts.plan(_task(warc), Options(format="html"), 2, 60.0) is None  # --format forces a reader


def test_parts_are_small_with_several_workers_and_big_with_one(tmp_path: Path) -> None:
    # Only the plan is read here: a 1 GiB size with a real WARC head (parts are byte ranges).
    warc = write(tmp_path, "c.warc.gz", crawl(3), True)
    st = warc.stat()
    task = warcparts.Task(rel=warc.name, path=str(warc), size=1 << 30, mtime_ns=st.st_mtime_ns)
    several = warcparts.plan(task, Options(), 2, None)
    assert several is not None and len(several) == (1 << 30) // warcparts.BALANCED_PART  # 256 parts of 4 MB
    assert max(p.end - p.start for p in several) <= warcparts.BALANCED_PART  # the workers end close together
    one = warcparts.plan(task, Options(), 1, None)
    assert one is not None and len(one) == (1 << 30) // warcparts.MAX_PART  # one worker: big parts, fewer files


def test_ingest_watch_runs_a_big_warc_as_parts_too(
    tmp_path: Path, split_small: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import threading
    import time

    from ingest.batch.runner import Progress
    from ingest.batch.watch import WatchConfig, Watcher

    monkeypatch.setattr(warcparts, "MAX_PART", 2048)
    raw = tmp_path / "raw"
    write(tmp_path / "staging", "crawl.warc.gz", crawl(12), True)
    whole = outputs_unsplit(tmp_path, tmp_path / "staging")
    raw.mkdir()
    results: list[str] = []
    watcher = Watcher(
        WatchConfig(BatchConfig(raw, tmp_path / "watched", durable=False), settle=0.2, rescan=0.3),
        progress=Progress(on_result=lambda r: results.append(f"{r.status} {r.rel}")),
        notice=lambda c, m: None,
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    os.replace(tmp_path / "staging" / "crawl.warc.gz", raw / "crawl.warc.gz")
    end = time.monotonic() + 120
    while not results and time.monotonic() < end:
        time.sleep(0.1)
    watcher.request_stop()
    thread.join(60)
    assert results == ["ok crawl.warc.gz"]
    assert outputs(tmp_path / "watched") == whole
    assert split_small["parts"][0] >= 3


def test_a_split_input_touched_but_unchanged_is_not_read_again_and_a_changed_byte_is(
    tmp_path: Path, split_small: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    monkeypatch.setattr(warcparts, "MAX_PART", 2048)  # one worker: parts only as big as this
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    records = crawl(12)
    warc = write(raw, "crawl.warc.gz", records, True)
    notes = raw / "notes.txt"  # a small input read whole: the worker's own "unchanged" shortcut
    notes.write_text("Council notes\n\n" + "The council met again on a wet Tuesday. " * 20 + "\n", encoding="utf-8")
    first = run(raw, clean)
    assert first["counts"]["ok"] == 2 and len(split_small["parts"]) == 1 and split_small["parts"][0] >= 3
    parts = list(split_small["parts"])
    before = outputs(clean)

    def touch(path: Path) -> None:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 7_000_000_000))

    touch(warc)
    touch(notes)
    again = run(raw, clean, ProcessExecutor(2, small_run=0))  # the stand-in for the parts goes to a worker
    assert again["skipped_by_reason"] == {"unchanged": 2}
    assert again["counts"]["ok"] == 0 and again["counts"]["skipped"] == 2
    assert split_small["parts"] == parts  # no part ran, nothing was assembled
    assert outputs(clean) == before
    third = run(raw, clean)  # the manifest took the new mtime: not even hashed now
    assert third["skipped_by_reason"] == {"unchanged": 2} and split_small["parts"] == parts

    records[5] = records[5].replace(b"wet Tuesday", b"dry Tuesday", 1)  # one byte of one page, same length
    write(raw, "crawl.warc.gz", records, True)
    changed = run(raw, clean)
    assert changed["counts"]["ok"] == 1 and changed["skipped_by_reason"] == {"unchanged": 1}
    assert split_small["parts"] == parts * 2
    text = (clean / "crawl.warc.gz.jsonl").read_text(encoding="utf-8")
    assert "dry Tuesday" in text and text != before["crawl.warc.gz.jsonl"].decode("utf-8")
