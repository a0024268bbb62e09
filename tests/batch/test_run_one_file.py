"""``ingest run FILE OUT``: one file as the input, with the manifest and state of a folder run.

The file is the run's one input, named by its name: its output, manifest row and
``source.path`` are the ones a run of its folder gives, a rerun skips it, and only it can be
"deleted" (``--prune`` never touches the outputs of other inputs in the same output folder).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import Options
from ingest.batch import warcparts
from ingest.batch.executors import SerialExecutor
from ingest.batch.runner import BatchConfig, run_batch

from .conftest import article_text, run_ingest, run_json, tree
from .test_warc_split import crawl, write


def folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    write(raw, "crawl.warc.gz", crawl(9), True)
    (raw / "notes.txt").write_text(article_text(1), encoding="utf-8")
    (raw / "sub").mkdir()
    (raw / "sub" / "other.txt").write_text(article_text(2), encoding="utf-8")
    return raw


def test_one_file_as_the_input_is_processed_incrementally_like_its_folder(tmp_path: Path) -> None:
    raw = folder(tmp_path)
    code, whole_report = run_json(raw, tmp_path / "whole", "-w", "1")
    assert code == 0 and whole_report["counts"]["ok"] == 3
    whole = tree(tmp_path / "whole")
    out = tmp_path / "one"
    for name in ("crawl.warc.gz", "notes.txt"):
        code, report = run_json(raw / name, out, "-w", "1")
        assert code == 0, report
        assert report["counts"]["seen"] == report["counts"]["ok"] == 1
        assert report["input_dir"] == str(raw / name)
    one = tree(out)
    assert one == {k: whole[k] for k in ("crawl.warc.gz.jsonl", "notes.txt.json")}  # byte for byte
    assert json.loads(one["notes.txt.json"])["source"]["path"] == "notes.txt"
    code, again = run_json(raw / "crawl.warc.gz", out, "-w", "1")
    assert code == 0 and again["skipped_by_reason"] == {"unchanged": 1} and again["counts"]["ok"] == 0
    # The folder run into the same output finds the two files done: only the third is new.
    code, rest = run_json(raw, out, "-w", "1")
    assert code == 0 and rest["counts"]["ok"] == 1 and rest["skipped_by_reason"] == {"unchanged": 2}
    assert tree(out) == whole


def test_prune_with_one_file_never_touches_other_inputs(tmp_path: Path) -> None:
    raw = folder(tmp_path)
    out = tmp_path / "clean"
    run_json(raw, out, "-w", "1")
    before = tree(out)
    code, report = run_json(raw / "notes.txt", out, "-w", "1", "--prune", "--force")
    assert code == 0 and report["counts"]["ok"] == 1
    assert report["counts"]["deleted_inputs"] == report["counts"]["pruned"] == 0
    assert tree(out) == before


def test_a_big_warc_file_as_the_input_runs_in_parts_on_two_workers(tmp_path: Path) -> None:
    raw = folder(tmp_path)
    path = raw / "crawl.warc.gz"
    cap = str(path.stat().st_size // 3)  # over --max-bytes: read in parts, each page under the cap
    code, report = run_json(path, tmp_path / "one", "-w", "2", "--max-bytes", cap)
    assert code == 0 and report["counts"]["articles_written"] == 9
    code, _ = run_json(raw, tmp_path / "whole", "-w", "1", "--include", "*.warc.gz")
    assert tree(tmp_path / "one") == tree(tmp_path / "whole")


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_ingest("run", tmp_path / "nope.warc.gz", tmp_path / "clean")
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert not (tmp_path / "clean").exists() or not any((tmp_path / "clean").iterdir())


@pytest.mark.parametrize("split", [False, True], ids=["read whole", "in parts"])
def test_one_file_given_by_fsspec_url(tmp_path: Path, split: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import fsspec

    raw = folder(tmp_path)
    run_batch(BatchConfig(raw, tmp_path / "whole", durable=False), executor=SerialExecutor())
    expected = (tmp_path / "whole" / "crawl.warc.gz.jsonl").read_bytes()
    if split:
        monkeypatch.setattr(warcparts, "SPLIT_BYTES", 1)
        monkeypatch.setattr(warcparts, "MIN_PART", 2048)
        monkeypatch.setattr(warcparts, "MAX_PART", 2048)
        planned: list[int] = []
        plan = warcparts.plan

        def counting_plan(*args: object) -> list[warcparts.Part] | None:
            parts = plan(*args)  # type: ignore[arg-type]
            planned.append(len(parts or []))
            return parts

        monkeypatch.setattr(warcparts, "plan", counting_plan)
    fs = fsspec.filesystem("memory")
    fs.pipe_file("/one-file-test/raw/crawl.warc.gz", (raw / "crawl.warc.gz").read_bytes())
    fs.pipe_file("/one-file-test/raw/notes.txt", (raw / "notes.txt").read_bytes())
    url = "memory://one-file-test/raw/crawl.warc.gz"
    try:
        report = run_batch(BatchConfig(url, tmp_path / "one", durable=False), executor=SerialExecutor())
        assert report["counts"]["seen"] == report["counts"]["ok"] == 1
        again = run_batch(BatchConfig(url, tmp_path / "one", durable=False), executor=SerialExecutor())
        assert again["skipped_by_reason"] == {"unchanged": 1}
    finally:
        fs.rm("/one-file-test", recursive=True)
    assert tree(tmp_path / "one") == {"crawl.warc.gz.jsonl": expected}
    if split:
        assert planned and planned[0] >= 3


def test_the_library_reads_a_one_file_input_with_options(tmp_path: Path) -> None:
    raw = folder(tmp_path)
    options = Options(max_bytes=(raw / "crawl.warc.gz").stat().st_size // 3)
    report = run_batch(BatchConfig(raw / "crawl.warc.gz", tmp_path / "one", options=options, durable=False))
    assert report["counts"]["ok"] == 1 and report["counts"]["articles_written"] == 9
    assert sorted(tree(tmp_path / "one")) == ["crawl.warc.gz.jsonl"]


def test_a_symlink_given_as_the_input_is_followed_and_named_by_the_link(tmp_path: Path) -> None:
    raw = folder(tmp_path)
    links = tmp_path / "links"
    links.mkdir()
    (links / "today.txt").symlink_to(raw / "notes.txt")  # outside the links folder: named on purpose
    report = run_batch(BatchConfig(links / "today.txt", tmp_path / "one", durable=False))
    assert report["counts"]["ok"] == 1
    article = json.loads(tree(tmp_path / "one")["today.txt.json"])
    assert article["source"]["path"] == "today.txt"
