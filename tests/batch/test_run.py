"""`ingest run`: incremental, crash-safe, locked, parallel — through real processes and folders."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from ingest.batch.lock import FolderLock
from checks import assert_valid_article as validate_article_dict
from ingest.faults import CHECKPOINTS
from ingest.writers import is_temp_name

from .conftest import INGEST, accounting_holds, article_text, make_corpus, run_ingest, run_json, tree


def _validate_tree(clean: Path, *, allow_temp: bool = False) -> int:
    """Every article file parses and validates; temp files (hidden, swept later) only if allowed."""
    n = 0
    for rel, data in tree(clean).items():
        if is_temp_name(rel.rsplit("/", 1)[-1]):
            assert allow_temp, f"temp file left visible: {rel}"
            continue
        for line in data.decode("utf-8").splitlines():
            validate_article_dict(json.loads(line))
            n += 1
    return n


def test_first_run_writes_one_article_per_input_mirroring_the_tree(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    code, report = run_json(raw, clean, "--workers", "1")
    assert code == 0
    assert report["counts"]["ok"] == 12 and report["counts"]["failed"] == 0
    assert accounting_holds(report)
    out = tree(clean)
    expected = {p.relative_to(raw).as_posix() + ".json" for p in raw.rglob("*.txt")}
    assert set(out) == expected
    assert _validate_tree(clean) == 12
    article = json.loads(out["story-0000.txt.json"])
    assert article["source"]["path"] == "story-0000.txt"  # relative: trees built anywhere are identical
    assert (clean / ".ingest" / "report.ingest-json").is_file()
    assert json.loads((clean / ".ingest" / "report.ingest-json").read_text())["run_id"] == report["run_id"]


def test_rerun_with_nothing_changed_processes_nothing(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    run_json(raw, clean, "-w", "1")
    before = {p: p.stat().st_mtime_ns for p in clean.rglob("*.json") if ".ingest" not in p.parts}
    code, report = run_json(raw, clean, "-w", "1")
    assert code == 0
    assert (report["counts"]["ok"], report["counts"]["skipped"]) == (0, 12)
    assert report["skipped_by_reason"] == {"unchanged": 12}
    assert {p: p.stat().st_mtime_ns for p in before} == before  # not even rewritten


def test_changed_content_reprocesses_only_that_file(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    run_json(raw, clean, "-w", "1")
    target = raw / "story-0002.txt"
    target.write_text(article_text(2) + "\nA new closing paragraph was added by the editor.\n", encoding="utf-8")
    code, report = run_json(raw, clean, "-w", "1")
    assert (report["counts"]["ok"], report["counts"]["skipped"]) == (1, 11)
    assert "new closing paragraph" in (clean / "story-0002.txt.json").read_text(encoding="utf-8")


def test_touched_but_identical_file_is_hashed_and_skipped(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    run_json(raw, clean, "-w", "1")
    os.utime(raw / "story-0004.txt", ns=(1_000_000_000, 1_000_000_000))
    _, report = run_json(raw, clean, "-w", "1")
    assert (report["counts"]["ok"], report["counts"]["skipped"]) == (0, 12)
    _, report = run_json(raw, clean, "-w", "1")  # the new mtime was remembered
    assert report["skipped_by_reason"] == {"unchanged": 12}


def test_option_change_reprocesses_everything_and_force_redoes_all(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    run_json(raw, clean, "-w", "1")
    _, report = run_json(raw, clean, "-w", "1", "--ascii-quotes")
    assert report["counts"]["ok"] == 12
    assert "“" not in (clean / "story-0000.txt.json").read_text(encoding="utf-8")
    _, report = run_json(raw, clean, "-w", "1", "--ascii-quotes")
    assert report["counts"]["skipped"] == 12
    _, report = run_json(raw, clean, "-w", "1", "--ascii-quotes", "--force")
    assert report["counts"]["ok"] == 12


def test_config_file_sets_defaults_flags_override_and_it_is_part_of_the_fingerprint(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    raw, clean = corpus
    (tmp_path / "ingest.toml").write_text('workers = 1\nascii_quotes = true\nexclude = ["story-001*"]\n')
    code, report = run_json(raw, clean, cwd=tmp_path)
    assert code == 0 and report["workers"] == 1
    assert not (clean / "story-0010.txt.json").exists()
    assert "“" not in (clean / "story-0000.txt.json").read_text(encoding="utf-8")
    (tmp_path / "ingest.toml").write_text('workers = 1\nexclude = ["story-001*"]\n')
    _, report = run_json(raw, clean, cwd=tmp_path)
    assert report["counts"]["ok"] == report["counts"]["seen"]  # option change: all redone
    (tmp_path / "ingest.toml").write_text("wrokers = 2\n")
    proc = run_ingest("run", raw, clean, cwd=tmp_path)
    assert proc.returncode == 2 and "unknown key 'wrokers'" in proc.stderr


def test_pyproject_tool_ingest_table_is_read(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    raw, clean = corpus
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ingest]\ninclude = ["batch1/*"]\nworkers = 1\n'
    )
    _, report = run_json(raw, clean, cwd=tmp_path)
    assert report["counts"]["ok"] == len(list((raw / "batch1").glob("*.txt")))


def test_bad_inputs_are_rejected_with_distinct_codes_and_the_batch_goes_on(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (raw / "good.txt").write_text(article_text(1), encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (raw / "garbage.txt").write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xC3, 0xFF, 0xFE] * 400))
    code, report = run_json(raw, clean, "-w", "1")
    assert code == 1
    assert report["counts"]["ok"] == 1 and report["counts"]["failed"] == 3
    assert accounting_holds(report)
    assert set(report["errors"]) == {"empty", "binary", "undecodable"}
    assert set(tree(clean)) == {"good.txt.json"}
    rejects = [json.loads(line) for line in (clean / ".ingest" / "rejected.ingest-jsonl").read_text().splitlines()]
    assert {(r["path"], r["code"]) for r in rejects} == {
        ("empty.txt", "empty"),
        ("photo.txt", "binary"),
        ("garbage.txt", "undecodable"),
    }
    # The manifest keeps the reasons; `ingest status` shows them.
    proc = run_ingest("status", clean)
    assert proc.returncode == 0
    assert "error[binary]: photo.txt" in proc.stdout and "1 ok, 3 failed" in proc.stdout
    # --fail-on none: same run, exit 0 (for pipelines that alert on the report instead).
    code, _ = run_json(raw, clean, "-w", "1", "--force", "--fail-on", "none")
    assert code == 0


def test_failed_inputs_are_not_retried_unless_asked(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (raw / "good.txt").write_text(article_text(1), encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"   \n")
    run_json(raw, clean, "-w", "1")
    code, report = run_json(raw, clean, "-w", "1")
    assert code == 0 and report["skipped_by_reason"] == {"unchanged": 1, "unchanged_failed": 1}
    code, report = run_json(raw, clean, "-w", "1", "--retry-failed")
    assert code == 1 and report["counts"]["failed"] == 1 and report["counts"]["skipped"] == 1


def test_a_record_file_gives_a_jsonl_output_and_bad_records_are_rejected_alone(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    good = {"title": "Ferry returns", "text": article_text(3)}
    lines = [json.dumps(good), "{not json", json.dumps({"title": "Second", "text": article_text(5)})]
    (raw / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, report = run_json(raw, clean, "-w", "1")
    assert code == 1  # one record rejected
    assert (
        report["counts"]["ok"] == 1
        and report["counts"]["articles_written"] == 2
        and report["counts"]["records_failed"] == 1
    )
    out = (clean / "export.jsonl.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["source"]["record"] for x in out] == [1, 3]
    rejects = [json.loads(x) for x in (clean / ".ingest" / "rejected.ingest-jsonl").read_text().splitlines()]
    assert rejects == [{"path": "export.jsonl", "record": 2, "code": "bad_record", "message": rejects[0]["message"]}]


def test_same_stem_different_extensions_never_overwrite_each_other(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    (raw / "b.txt").write_text(article_text(1), encoding="utf-8")
    (raw / "b.html").write_text(
        f"<html><body><article><p>{article_text(2)}</p></article></body></html>", encoding="utf-8"
    )
    (raw / "b").write_text(article_text(3), encoding="utf-8")
    run_json(raw, clean, "-w", "1")
    assert set(tree(clean)) == {"b.txt.json", "b.html.json", "b.json"}


def test_deleted_inputs_are_reported_and_pruned_only_with_prune(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    run_json(raw, clean, "-w", "1")
    (raw / "story-0000.txt").unlink()
    _, report = run_json(raw, clean, "-w", "1")
    assert report["counts"]["deleted_inputs"] == 1 and (clean / "story-0000.txt.json").exists()
    _, report = run_json(raw, clean, "-w", "1", "--prune")
    assert report["counts"]["pruned"] == 1 and not (clean / "story-0000.txt.json").exists()
    _, report = run_json(raw, clean, "-w", "1")
    assert report["counts"]["deleted_inputs"] == 0


def test_deleted_output_is_rebuilt(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    run_json(raw, clean, "-w", "1")
    (clean / "story-0000.txt.json").unlink()
    _, report = run_json(raw, clean, "-w", "1")
    assert report["counts"]["ok"] == 1 and (clean / "story-0000.txt.json").exists()


def test_workers_1_and_2_give_byte_identical_trees(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    make_corpus(raw, 40)
    (raw / "empty.txt").write_bytes(b"")
    c1, r1 = run_json(raw, tmp_path / "c1", "--workers", "1")
    c2, r2 = run_json(raw, tmp_path / "c2", "--workers", "2")
    assert (c1, c2) == (1, 1)
    assert r2["workers"] == 2 and r2["executor"] == "process"
    assert tree(tmp_path / "c1") == tree(tmp_path / "c2")
    assert (tmp_path / "c1/.ingest/rejected.ingest-jsonl").read_bytes() == (
        tmp_path / "c2/.ingest/rejected.ingest-jsonl"
    ).read_bytes()


def test_jsonl_option_writes_every_article_in_input_path_order(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    raw, clean = corpus
    all_path = tmp_path / "all.jsonl"
    run_json(raw, clean, "-w", "2", "--jsonl", all_path)
    paths = [json.loads(line)["source"]["path"] for line in all_path.read_text(encoding="utf-8").splitlines()]
    assert paths == sorted(paths) and len(paths) == 12
    first = all_path.read_bytes()
    run_json(raw, clean, "-w", "1", "--jsonl", all_path)  # nothing to do, same file
    assert all_path.read_bytes() == first


def test_symlinks_out_of_the_input_fifos_and_dotfiles_are_skipped_not_opened(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    make_corpus(raw, 2, nested=False)
    secret = tmp_path / "secret.txt"
    secret.write_text(article_text(7), encoding="utf-8")
    (raw / "leak.txt").symlink_to(secret)
    (raw / "inside.txt").symlink_to(raw / "story-0000.txt")
    os.mkfifo(raw / "pipe.txt")
    (raw / ".hidden.txt").write_text(article_text(1), encoding="utf-8")
    (raw / "draft.txt.part").write_text(article_text(1), encoding="utf-8")
    code, report = run_json(raw, clean, "-w", "1", timeout=60)
    assert code == 0
    assert report["skipped_by_reason"] == {"not_regular": 1, "symlink_outside": 1}
    assert report["counts"]["ok"] == 3  # two stories + the in-folder link
    assert accounting_holds(report)
    assert set(tree(clean)) == {"story-0000.txt.json", "story-0001.txt.json", "inside.txt.json"}


def test_a_browser_saved_page_folder_gives_one_article_and_its_assets_are_counted_skips(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    (raw / "page_files").mkdir(parents=True)
    (raw / "page.html").write_text(
        "<html><head><title>Harbour report</title></head><body><article>"
        + "".join(f"<p>{article_text(i)}</p>" for i in range(3))
        + "</article></body></html>",
        encoding="utf-8",
    )
    (raw / "page_files" / "app.js").write_text("function go() { return 'The harbour reopened on Monday.'; }\n" * 20)
    (raw / "page_files" / "style.css").write_text("body { font-family: serif; color: #222; }\n" * 20)
    (raw / "page_files" / "logo.PNG").write_bytes(b"\x89PNG\r\n" + bytes(200))
    (raw / "page_files" / "font.woff2").write_bytes(b"wOF2" + bytes(200))
    code, report = run_json(raw, clean, "-w", "1", timeout=60)
    assert code == 0
    assert report["skipped_by_reason"] == {"asset": 4}
    assert report["counts"]["ok"] == 1
    assert accounting_holds(report)
    assert set(tree(clean)) == {"page.html.json"}
    # An explicit --include is the user's word: it may name an asset.
    code, report = run_json(raw, tmp_path / "clean2", "-w", "1", "--include", "*.js", timeout=60)
    assert report["counts"]["ok"] + report["counts"]["failed"] == 1


def test_output_folder_not_writable_exits_4_before_touching_inputs(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    raw, _ = corpus
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    proc = run_ingest("run", raw, blocker / "clean")
    assert proc.returncode == 4
    assert "error[environment]" in proc.stderr and "not writable" in proc.stderr
    assert proc.stdout == ""


def test_disk_full_stops_the_run_with_exit_4_and_blames_no_input(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    proc = run_ingest("run", raw, clean, "-w", "1", "--json", env={"INGEST_TEST_FAIL_IO": "temp_written:3"})
    assert proc.returncode == 4, proc.stderr
    report = json.loads(proc.stdout)
    assert report["status"] == "aborted" and report["counts"]["failed"] == 0
    assert "No space left on device" in report["environment_error"]
    assert "No space left" in proc.stderr
    _validate_tree(clean)  # the failed write removed its own temp file
    code, report = run_json(raw, clean, "-w", "1")
    assert code == 0 and report["counts"]["ok"] + report["counts"]["skipped"] == 12


def test_missing_input_folder_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_ingest("run", tmp_path / "nope", tmp_path / "clean")
    assert proc.returncode == 2 and "does not exist" in proc.stderr


def test_a_second_run_on_the_same_output_exits_3_and_wait_waits(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    lock = FolderLock(clean / ".ingest" / "lock")
    lock.acquire()
    try:
        proc = run_ingest("run", raw, clean, "-w", "1")
        assert proc.returncode == 3
        assert "error[locked]" in proc.stderr and f"pid {os.getpid()}" in proc.stderr
    finally:
        lock.release()
    # Two runs started together: exactly one does the work, the other exits 3.
    env = {"INGEST_TEST_PAUSE_AT": "locked:3"}
    procs = [
        subprocess.Popen(
            [INGEST, "run", str(raw), str(clean), "-w", "1", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, **env},
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 3], outs
    # --wait: the second waits for the first instead of failing.
    procs = [
        subprocess.Popen(
            [INGEST, "run", str(raw), str(clean), "-w", "1", "--wait", "--force", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "INGEST_TEST_PAUSE_AT": "locked:1"},
        )
        for _ in range(2)
    ]
    reports = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert [r["counts"]["ok"] for r in reports] == [12, 12]


def test_the_lock_is_released_by_the_kernel_after_kill_9(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    proc = run_ingest("run", raw, clean, "-w", "1", env={"INGEST_TEST_CRASH_AT": "locked"})
    assert proc.returncode == -9
    code, report = run_json(raw, clean, "-w", "1")
    assert code == 0 and report["counts"]["ok"] == 12


@pytest.mark.parametrize("point", CHECKPOINTS + ("temp_written:7", "renamed:5"))
def test_kill_9_at_each_commit_point_then_rerun_gives_the_uninterrupted_tree(tmp_path: Path, point: str) -> None:
    raw = tmp_path / "raw"
    make_corpus(raw, 10)
    (raw / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    run_json(raw, tmp_path / "reference", "-w", "1")
    clean = tmp_path / "clean"
    proc = run_ingest("run", raw, clean, "-w", "1", env={"INGEST_TEST_CRASH_AT": point})
    assert proc.returncode == -9, (point, proc.stderr)
    # After the crash: every article file there is whole and validates (a temp file may remain,
    # hidden; the next run sweeps it).
    _validate_tree(clean, allow_temp=True)
    code, report = run_json(raw, clean, "-w", "1")
    # exit 1 if this run met bad.txt, 0 if the killed run had already recorded it as failed
    assert code in (0, 1) and accounting_holds(report)
    status = json.loads(run_ingest("status", clean, "--json").stdout)
    assert [f["path"] for f in status["failed"]] == ["bad.txt"]
    assert status["inputs"] == {"ok": 10, "failed": 1, "total": 11}
    assert tree(clean) == tree(tmp_path / "reference")
    _validate_tree(clean)
    leftovers = [p for p in clean.rglob("*") if is_temp_name(p.name)]
    assert leftovers == []
    assert report["status"] == "finished"


def test_stale_temp_files_of_a_killed_run_are_swept(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    proc = run_ingest("run", raw, clean, "-w", "1", env={"INGEST_TEST_CRASH_AT": "fsynced"})
    assert proc.returncode == -9
    temps = [p for p in clean.rglob("*") if is_temp_name(p.name)]
    assert len(temps) == 12  # the group being committed when killed (hidden, never *.json)
    assert not [p for p in clean.rglob("*.json") if ".ingest" not in p.parts]
    _, report = run_json(raw, clean, "-w", "1")
    assert report["temp_files_swept"] == 12
    assert [p for p in clean.rglob("*") if is_temp_name(p.name)] == []


def test_manifest_records_the_state_of_each_input(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    (raw / "empty.txt").write_bytes(b"")
    run_json(raw, clean, "-w", "1")
    db = sqlite3.connect(clean / ".ingest" / "manifest.sqlite")
    rows = {
        bytes(r[0]).decode(): (r[1], bytes(r[2]).decode() if r[2] is not None else None, *r[3:])
        for r in db.execute(
            "SELECT path, status, output, error_code, length(sha256), fingerprint, first_processed FROM inputs"
        )
    }
    assert rows["story-0000.txt"][:4] == ("ok", "story-0000.txt.json", None, 64)
    assert rows["empty.txt"][:3] == ("failed", None, "empty")
    assert len({r[4] for r in rows.values()}) == 1


def test_human_summary_when_not_on_a_terminal_is_short(corpus: tuple[Path, Path]) -> None:
    raw, clean = corpus
    proc = run_ingest("run", raw, clean, "-w", "1")
    assert proc.returncode == 0
    lines = proc.stdout.strip().splitlines()
    assert len(lines) <= 3, lines
    assert "ok 12" in lines[0] and "failed 0" in lines[0]
    assert proc.stderr == ""
    assert run_ingest("run", raw, clean, "-q").stdout == ""


def test_run_help_documents_the_exit_codes() -> None:
    proc = run_ingest("run", "--help")
    assert proc.returncode == 0
    for code in ("0 all inputs ok", "1 some inputs", "2 usage", "3 another run", "4 environment"):
        assert code in " ".join(proc.stdout.split()), code


def test_cron_line_from_the_readme_runs_in_a_bare_environment(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    raw, clean = corpus
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("*/15 * * * *"))
    command = line.split(None, 5)[5]
    # The README line uses /srv/ingest; run it against this test's folders, with cron's bare env.
    command = command.replace("/srv/ingest", str(tmp_path)).replace(".venv/bin/ingest", INGEST)
    (tmp_path / "raw").exists() or raw.rename(tmp_path / "raw")
    proc = subprocess.run(
        ["/bin/sh", "-c", command],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "clean" / ".ingest" / "report.ingest-json").read_text())["status"] == "finished"


def test_jsonl_only_writes_the_jsonl_file_and_no_article_tree(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    raw, clean = corpus
    run_json(raw, tmp_path / "with-tree", "-w", "1", "--jsonl", tmp_path / "tree.jsonl")
    code, report = run_json(raw, clean, "-w", "1", "--jsonl", tmp_path / "only.jsonl", "--jsonl-only")
    assert code == 0 and report["counts"]["ok"] == 12
    assert tree(clean) == {}  # nothing but the state folder
    assert (tmp_path / "only.jsonl").read_bytes() == (tmp_path / "tree.jsonl").read_bytes()
    (raw / "story-0002.txt").write_text(article_text(2) + "\nOne more paragraph for the record.\n", encoding="utf-8")
    _, report = run_json(raw, clean, "-w", "1", "--jsonl", tmp_path / "only.jsonl", "--jsonl-only")
    assert (report["counts"]["ok"], report["counts"]["skipped"]) == (1, 11)  # still incremental
    assert "One more paragraph" in (tmp_path / "only.jsonl").read_text(encoding="utf-8")
    proc = run_ingest("run", raw, clean, "--jsonl-only")
    assert proc.returncode == 2 and "--jsonl-only needs --jsonl" in proc.stderr


def test_readme_lists_exactly_the_config_keys() -> None:
    import re

    from ingest.batch.config import KEYS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    para = readme[readme.index("**Config file**") :]
    para = para[: para.index("\n\n")]
    listed = set(re.findall(r"`([a-z]+(?:_[a-z]+)*)`", para.split("Keys are", 1)[1]))
    assert listed == set(KEYS)


def test_library_run_batch_is_the_same_job_as_the_cli(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    import ingest

    raw, clean = corpus
    report = ingest.run_batch(ingest.BatchConfig(raw, tmp_path / "lib"))
    assert report["counts"]["ok"] == 12 and report["exit_code"] == 0
    run_json(raw, clean, "-w", "2")
    assert tree(tmp_path / "lib") == tree(clean)
