"""Reading a WARC file in byte ranges and past bad records (ingest.warc.part_outcomes).

Parts cut at any offsets must read every record once, in the file's order; a plain WARC must go
on after a record FastWARC cannot parse. The files are written here by hand.
"""

from __future__ import annotations

import gzip
import itertools
import random
from pathlib import Path

import pytest
from test_warc import articles, crawl, gz_members, response, warcinfo

from ingest import Options
from ingest.warc import Blob, Seam, part_outcomes


def summary(outcomes: object) -> list[tuple[int | None, str]]:
    return [(o.record, o.article.title if o.article else o.error.code) for o in outcomes]  # type: ignore[attr-defined]


def read_in_parts(raw: bytes, cuts: list[int], compression: str | None) -> tuple[list[str], list[tuple[int, int]]]:
    bounds = [0, *cuts, len(raw)]
    titles, seams = [], []
    for start, end in itertools.pairwise(bounds):
        seam = Seam()
        outs = part_outcomes(Blob(raw), start, end, "c", "0" * 64, compression, Options(), seam=seam)
        titles += [o.article.title if o.article else o.error.code for o in outs]
        seams.append((seam.start, seam.stop))
    return titles, seams


@pytest.mark.parametrize("gz", [True, False], ids=["record-gzipped", "plain"])
def test_parts_cut_at_any_offsets_read_every_record_once_in_order(gz: bool) -> None:
    raw = gz_members(crawl(9)) if gz else b"".join(crawl(9))
    compression = "gzip" if gz else None
    whole = [t for _, t in summary(part_outcomes(Blob(raw), 0, None, "c", "0" * 64, compression, Options()))]
    assert whole == [f"Harbour report {i}" for i in range(1, 10)]
    rng = random.Random(18)
    for _ in range(12):
        cuts = sorted(rng.sample(range(1, len(raw)), rng.randint(1, 6)))
        titles, seams = read_in_parts(raw, cuts, compression)
        assert titles == whole, cuts
        assert all(a[1] == b[0] for a, b in itertools.pairwise(seams)), (cuts, seams)  # the seams meet


def test_a_damaged_member_is_reported_once_whichever_part_reads_it() -> None:
    members = [gzip.compress(r, 6, mtime=0) for r in crawl(6)]
    bad = bytearray(members[6])  # the response of page 3
    bad[20:40] = b"\xff" * 20
    members[6] = bytes(bad)
    raw = b"".join(members)
    whole = [t for _, t in summary(part_outcomes(Blob(raw), 0, None, "c", "0" * 64, "gzip", Options()))]
    assert whole.count("corrupt") == 1 and "Harbour report 3" not in whole
    start = sum(len(m) for m in members[:6])
    for cut in (start - 1, start, start + 1, start + len(members[6]) - 1, start + len(members[6])):
        assert read_in_parts(raw, [cut], "gzip")[0] == whole, cut


def test_a_part_with_no_record_start_reads_nothing_and_passes_its_range_on() -> None:
    raw = gz_members([response(1)])  # one member only: a part starting after its first byte has none
    seam = Seam()
    assert list(part_outcomes(Blob(raw), 5, len(raw), "c", "0" * 64, "gzip", Options(), seam=seam)) == []
    assert (seam.start, seam.stop) == (len(raw), len(raw))


def test_a_file_read_through_a_blob_of_an_open_file_is_read_as_the_bytes(tmp_path: Path) -> None:
    raw = gz_members(crawl(4))
    (tmp_path / "c.warc.gz").write_bytes(raw)
    with open(tmp_path / "c.warc.gz", "rb") as fh:
        from_file = [
            o.article.to_json()
            for o in part_outcomes(Blob(fh=fh, size=len(raw)), 0, None, "c", "0" * 64, "gzip", Options())
        ]
    from_bytes = [o.article.to_json() for o in part_outcomes(Blob(raw), 0, None, "c", "0" * 64, "gzip", Options())]
    assert from_file == from_bytes and len(from_file) == 4


# -- a plain WARC goes on after a record it cannot parse ---------------------------------------------

RECS = [warcinfo(), response(1), response(2), response(3), response(4)]


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        pytest.param(
            RECS[0] + RECS[1] + b"GARBAGE LINE\r\n" + RECS[2] + RECS[3],
            ["Harbour report 1", "corrupt", "Harbour report 2", "Harbour report 3"],
            id="a stray line between two records",
        ),
        pytest.param(
            RECS[0] + RECS[1] + RECS[2].replace(b"WARC/1.1", b"WARC/9.9", 1) + RECS[3],
            ["Harbour report 1", "corrupt", "Harbour report 3"],
            id="a record with an unknown version line",
        ),
        pytest.param(
            RECS[0] + RECS[1] + RECS[2][:500] + RECS[3] + RECS[4],
            ["Harbour report 1", "Harbour report 2", "corrupt", "Harbour report 4"],
            id="a record cut short in the middle of the file",
        ),
    ],
)
def test_a_plain_warc_keeps_earlier_articles_records_the_error_and_resyncs(damaged: bytes, expected: list[str]) -> None:
    outs = articles(damaged, "c.warc")
    assert [o.article.title if o.article else o.error.code for o in outs] == expected
    assert [o.record for o in outs] == list(range(1, len(expected) + 1))
    bad = next(o for o in outs if o.error)
    assert "records before it are kept" in bad.error.message


def test_an_intact_plain_warc_is_unchanged_by_the_resync_rule() -> None:
    outs = articles(b"".join(RECS), "c.warc")
    assert [o.article.title for o in outs] == [f"Harbour report {i}" for i in range(1, 5)]


def test_a_plain_warc_of_garbage_after_the_first_record_ends_in_one_error() -> None:
    outs = articles(RECS[0] + RECS[1] + b"\nWARC/1.1 not a header\r\n" * 2000, "c.warc")
    assert [o.article.title if o.article else o.error.code for o in outs] == ["Harbour report 1", "corrupt"]


def test_a_record_over_its_time_budget_is_one_timeout_record_and_the_others_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from ingest import warc

    real = warc._record_outcome

    def slow_on_page_two(record, number, *args):  # type: ignore[no-untyped-def]
        if record.headers.get("WARC-Target-URI", "").endswith("report-2"):
            time.sleep(60)  # stands for a page that never finishes; the budget below stops it
        return real(record, number, *args)

    raw = gz_members(crawl(3))
    list(part_outcomes(Blob(raw), 0, None, "c", "0" * 64, "gzip", Options()))  # warm: models load outside the budget
    monkeypatch.setattr(warc, "_record_outcome", slow_on_page_two)
    outs = list(part_outcomes(Blob(raw), 0, None, "c", "0" * 64, "gzip", Options(), record_timeout=4))
    assert summary(outs) == [(1, "Harbour report 1"), (2, "timeout"), (3, "Harbour report 3")]
    assert "record took longer than its 4-second budget" in outs[1].error.message
