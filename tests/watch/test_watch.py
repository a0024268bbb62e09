"""`ingest watch`: a real watcher process on temp drop folders (the tests listed in issue 7)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest

from .conftest import DEADLINE, article_text, drop, load_valid, outputs, temp_files, wait_for

FAST = ("--settle", "0.3", "--rescan", "30")


def test_fifty_dropped_files_in_nested_folders_become_fifty_valid_articles(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    w = start_watch(raw, clean, *FAST, "-w", "2")
    w.wait_watching()
    names = []
    for i in range(50):
        rel = f"story-{i:02d}.txt" if i % 3 == 0 else f"desk{i % 3}/day{i % 5}/story-{i:02d}.txt"
        names.append(rel)
        drop(raw / rel, article_text(i))
    w.wait_ok(50)
    assert w.stop() == 0
    found = outputs(clean)
    assert sorted(found) == sorted(f"{n}.json" for n in names)
    for rel, path in found.items():
        article = load_valid(path)
        assert article["source"]["path"].endswith(rel[: -len(".json")])
    report = w.report()
    assert report["mode"] == "watch" and report["status"] == "finished" and report["exit_code"] == 0
    assert report["counts"]["ok"] == 50 and report["counts"]["failed"] == 0
    assert sorted(line.split(" -> ")[1] for line in w.ok_lines()) == sorted(str(clean / f"{n}.json") for n in names)


def test_slow_writer_is_processed_once_after_it_finishes_with_the_full_text(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    # Settle 1 s: ten times the writer's 100 ms cadence, so a briefly descheduled writer on a
    # loaded machine still never looks finished.
    w = start_watch(raw, clean, "--settle", "1", "--rescan", "30", "-w", "1")
    w.wait_watching()
    target = raw / "slow.txt"
    with open(target, "w", encoding="utf-8") as fh:  # written in place, under its final name
        fh.write("Harbour report written slowly\n\n")
        for i in range(30):  # 1 KB every 100 ms for 3 s
            para = (
                f"Paragraph {i:02d} of the slow report describes the harbour, the ferry and the weather in plain"
                " words. "
            )
            fh.write((para * 12)[:1000] + "\n\n")
            fh.flush()
            time.sleep(0.1)
    finished = time.monotonic()
    lines = w.wait_ok(1)
    assert w.stop() == 0
    slow = [(t, line) for t, line in w.lines if "slow.txt" in line]
    assert len(slow) == 1, slow
    assert slow[0][0] >= finished, "the article was written before the writer finished"
    body = load_valid(clean / "slow.txt.json")["body"]
    for i in range(30):
        assert f"Paragraph {i:02d} of the slow report" in body
    assert lines[0].startswith("ok ")
    assert w.report()["counts"]["ok"] == 1


def test_part_file_renamed_to_its_final_name_is_processed_once_under_that_name(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    w = start_watch(raw, clean, *FAST, "-w", "1")
    w.wait_watching()
    part = raw / "x.txt.part"
    part.write_text(article_text(7), encoding="utf-8")
    # A marker dropped after the .part file: once it is done, the .part file had every chance.
    drop(raw / "marker.txt", article_text(8))
    w.wait_ok(1)
    assert not any("x.txt" in line for line in w.out())
    os.replace(part, raw / "x.txt")
    w.wait_ok(2)
    assert w.stop() == 0
    assert [line for line in w.out() if "x.txt" in line] == [f"ok {raw / 'x.txt'} -> {clean / 'x.txt.json'}"]
    assert sorted(outputs(clean)) == ["marker.txt.json", "x.txt.json"]


def test_lost_events_are_caught_by_the_rescan(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    w = start_watch(raw, clean, "--settle", "0.3", "--rescan", "1", "-w", "1", env={"INGEST_TEST_DROP_EVENTS": "1"})
    w.wait_watching()
    for i in range(5):
        drop(raw / f"sub/lost-{i}.txt", article_text(i))
    w.wait_ok(5)
    assert w.stop() == 0
    assert sorted(outputs(clean)) == [f"sub/lost-{i}.txt.json" for i in range(5)]
    watch = w.report()["watch"]
    assert watch["events_ignored"] > 0 and watch["events"] == 0
    assert watch["found_by_rescan"] == 5 and watch["rescans"] >= 1


def test_redropped_file_is_reprocessed_only_when_its_content_changed(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    w = start_watch(raw, clean, *FAST, "-w", "1")
    w.wait_watching()
    drop(raw / "a.txt", article_text(1))
    w.wait_ok(1)
    drop(raw / "a.txt", article_text(1))  # same bytes, new mtime and inode
    wait_for(lambda: any(line.startswith("unchanged ") for line in w.out()), "the unchanged line", proc=w)
    drop(raw / "a.txt", article_text(1).replace("Tuesday", "Wednesday"))
    w.wait_ok(2)
    assert w.stop() == 0
    assert [line.split(" ")[0] for line in w.out()] == ["ok", "unchanged", "ok"]
    assert "Wednesday" in load_valid(clean / "a.txt.json")["body"]


def test_files_present_at_start_are_caught_up_and_json_lines_describe_each_file(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    for i in range(3):
        drop(raw / f"old-{i}.txt", article_text(i))
    (raw / "empty.txt").write_bytes(b"")
    w = start_watch(raw, clean, *FAST, "-w", "1", "--json")
    wait_for(lambda: len(w.out()) >= 4, "4 JSON lines", proc=w)
    assert w.stop() == 0
    records = sorted((json.loads(line) for line in w.out()), key=lambda r: r["path"])
    assert [(r["path"], r["status"]) for r in records] == [
        ("empty.txt", "failed"),
        ("old-0.txt", "ok"),
        ("old-1.txt", "ok"),
        ("old-2.txt", "ok"),
    ]
    assert records[0]["code"] and records[0]["output"] is None
    assert records[1]["output"] == str(clean / "old-0.txt.json") and records[1]["articles"] == 1
    assert any(f"error[{records[0]['code']}]" in e and "empty.txt" in e for e in w.err)
    rejected = (clean / ".ingest" / "rejected.ingest-jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(r)["path"] for r in rejected] == ["empty.txt"]


def test_a_watcher_holds_the_output_lock_so_a_run_exits_3(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    w = start_watch(raw, clean, *FAST, "-w", "1")
    w.wait_watching()
    env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    for cmd in (["run", str(raw), str(clean)], ["watch", str(raw), str(clean)]):
        proc = subprocess.run(
            [*w.proc.args[:1], *cmd],
            capture_output=True,
            text=True,
            env=env,
            timeout=DEADLINE,
            stdin=subprocess.DEVNULL,
        )
        assert proc.returncode == 3, (cmd, proc.stderr)
        assert "error[locked]" in proc.stderr
    assert w.stop() == 0


def test_burst_of_2000_small_files_all_processed_with_bounded_memory(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    n = 2000
    w = start_watch(raw, clean, *FAST, "-w", "2")
    w.wait_watching()
    me = psutil.Process(w.proc.pid)
    peak = {"driver": 0, "total": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            try:
                driver = me.memory_info().rss
                total = driver + sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                break
            peak["driver"] = max(peak["driver"], driver)
            peak["total"] = max(peak["total"], total)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.monotonic()
    for i in range(n):
        drop(raw / f"d{i % 10}" / f"b-{i:04d}.txt", article_text(i))
    w.wait_ok(n, deadline=240)
    elapsed = time.monotonic() - t0
    done.set()
    sampler.join()
    assert w.stop() == 0
    report = w.report()
    c = report["counts"]
    assert c["ok"] == n and c["failed"] == 0 and c["articles_written"] == n
    assert c["seen"] == c["ok"] + c["failed"] + c["skipped"] + c["not_done"]
    assert len(outputs(clean)) == n and not temp_files(clean)
    assert len(set(w.ok_lines())) == n
    delay = report["watch"]["delay_s"]
    print(
        f"\nwatch burst: {n} files in {elapsed:.1f}s ({n / elapsed:.0f} files/s), median drop-to-article "
        f"{delay['median']}s (p95 {delay['p95']}s), peak RSS driver {peak['driver'] / 2**20:.0f} MB, "
        f"with workers {peak['total'] / 2**20:.0f} MB"
    )
    # A memory bound, not a timing one: the watcher keeps per-file state small and bounded.
    assert 0 < peak["driver"] < 400 * 2**20


def _stop_during_processing(tmp_path: Path, start_watch, signals: int) -> tuple[Path, Path, int, int]:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    n = 200
    for i in range(n):
        drop(raw / f"s{i % 4}" / f"t-{i:04d}.txt", article_text(i))
    # Every output commit pauses 100 ms (a test hook in the writers), so the stop lands mid-way.
    w = start_watch(raw, clean, "--settle", "0.3", "-w", "2", env={"INGEST_TEST_PAUSE_AT": "renamed:0.1"})
    w.wait_ok(20)
    helpers = psutil.Process(w.proc.pid).children(recursive=True)  # the pool's workers, the forkserver
    assert helpers
    w.proc.send_signal(signal.SIGTERM)
    if signals == 2:
        # The second signal once the first one is being handled (the watcher says so on stderr).
        wait_for(lambda: any("signal again" in e for e in list(w.err)), "the stop notice", proc=w)
        w.proc.send_signal(signal.SIGTERM)
    rc = w.wait_exit()
    _, alive = psutil.wait_procs(helpers, timeout=DEADLINE)
    assert not alive, f"helper processes outlived the watcher: {alive}"
    for path in outputs(clean).values():  # no partial output: every article file is whole
        load_valid(path)
    return raw, clean, rc, len(w.ok_lines())


def test_sigterm_finishes_in_flight_files_and_a_restart_processes_the_rest(tmp_path: Path, start_watch) -> None:
    raw, clean, rc, first = _stop_during_processing(tmp_path, start_watch, signals=1)
    assert rc == 0
    assert not temp_files(clean)
    assert len(outputs(clean)) == first < 200
    report = json.loads((clean / ".ingest" / "report.ingest-json").read_text(encoding="utf-8"))
    assert report["status"] == "finished" and report["counts"]["ok"] == first
    again = start_watch(raw, clean, "--settle", "0.3", "-w", "2")
    again.wait_ok(200 - first)
    assert again.stop() == 0
    assert len(outputs(clean)) == 200
    assert len(again.ok_lines()) == 200 - first  # nothing done twice


def test_second_signal_exits_at_once_without_partial_output_and_a_restart_completes(
    tmp_path: Path, start_watch
) -> None:
    raw, clean, rc, first = _stop_during_processing(tmp_path, start_watch, signals=2)
    assert rc == 128 + signal.SIGTERM
    assert len(outputs(clean)) < 200
    again = start_watch(raw, clean, "--settle", "0.3", "-w", "2")
    wait_for(lambda: len(outputs(clean)) == 200 and not temp_files(clean), "all 200 articles", proc=again)
    again.wait_ok(200 - first)  # at least what the first watcher never finished
    assert again.stop() == 0
    for path in outputs(clean).values():
        load_valid(path)
    report = again.report()
    assert report["status"] == "finished" and report["counts"]["ok"] == len(again.ok_lines())


def test_folder_moved_in_and_fifo_dropped(tmp_path: Path, start_watch) -> None:
    raw, clean, staging = tmp_path / "raw", tmp_path / "clean", tmp_path / "staging"
    raw.mkdir()
    for i in range(3):
        drop(staging / "batch" / "inner" / f"m-{i}.txt", article_text(i))
    w = start_watch(raw, clean, *FAST, "-w", "1")
    w.wait_watching()
    os.mkfifo(raw / "pipe.txt")  # never opened: a reader would block forever
    os.rename(staging / "batch", raw / "batch")  # one event for the folder, none for its files
    w.wait_ok(3)
    wait_for(
        lambda: any("skipped[not_regular]" in e and "pipe.txt" in e for e in list(w.err)), "the FIFO notice", proc=w
    )
    assert w.stop() == 0
    assert sorted(outputs(clean)) == [f"batch/inner/m-{i}.txt.json" for i in range(3)]
    report = w.report()
    assert report["skipped_by_reason"] == {"not_regular": 1}
    c = report["counts"]
    assert c["seen"] == c["ok"] + c["failed"] + c["skipped"] + c["not_done"] == 4


@pytest.mark.parametrize("args", [("--settle", "-1"), ("--rescan", "0"), ("-w", "0")], ids=" ".join)
def test_bad_intervals_are_usage_errors(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "raw").mkdir()
    from .conftest import Watch

    w = Watch(tmp_path / "raw", tmp_path / "clean", *args)
    assert w.wait_exit() == 2
    assert not (tmp_path / "clean" / ".ingest" / "lock").exists()


def test_full_disk_stops_the_watcher_with_exit_4_and_blames_no_input(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    for i in range(3):
        drop(raw / f"f-{i}.txt", article_text(i))
    w = start_watch(raw, clean, *FAST, "-w", "1", env={"INGEST_TEST_FAIL_IO": "fsynced"})
    assert w.wait_exit() == 4
    assert sum(e.startswith("error[environment]: ") for e in w.err) == 1, w.err  # once, with the reason
    assert not any(line.startswith("failed") for line in w.out())
    report = w.report()
    assert report["status"] == "aborted" and report["exit_code"] == 4 and report["counts"]["failed"] == 0
    assert not temp_files(clean)


def test_closed_stdout_stops_the_watcher_cleanly(tmp_path: Path, clean_env: dict[str, str]) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    for i in range(30):
        drop(raw / f"p-{i:02d}.txt", article_text(i))
    from checks import ingest_exe

    proc = subprocess.Popen(
        [*ingest_exe(), "watch", str(raw), str(clean), *FAST, "-w", "1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().startswith(b"ok ")
        proc.stdout.close()  # the reader goes away, as with `ingest watch … | head -1`
        _, err = proc.communicate(timeout=DEADLINE)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert b"standard output closed" in err
    assert json.loads((clean / ".ingest" / "report.ingest-json").read_text(encoding="utf-8"))["status"] == "finished"
    for path in outputs(clean).values():
        load_valid(path)


def test_input_folder_gone_and_back_is_watched_again(tmp_path: Path, start_watch) -> None:
    raw, clean, away = tmp_path / "raw", tmp_path / "clean", tmp_path / "away"
    raw.mkdir()
    w = start_watch(raw, clean, "--settle", "0.3", "--rescan", "0.5", "-w", "1")
    w.wait_watching()
    os.rename(raw, away)
    wait_for(lambda: any("is gone" in e for e in list(w.err)), "the gone notice", proc=w)
    os.rename(away, raw)
    wait_for(lambda: any("is back" in e for e in list(w.err)), "the back notice", proc=w)
    drop(raw / "after.txt", article_text(3))
    w.wait_ok(1)
    assert w.stop() == 0
    assert sorted(outputs(clean)) == ["after.txt.json"]
    assert w.report()["skipped_by_reason"] == {}


def test_ctrl_c_to_the_whole_process_group_stops_cleanly(tmp_path: Path, clean_env: dict[str, str]) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    for i in range(120):
        drop(raw / f"c-{i:03d}.txt", article_text(i))
    from conftest import ingest_exe

    env = {**clean_env, "INGEST_TEST_PAUSE_AT": "renamed:0.05"}
    proc = subprocess.Popen(
        [*ingest_exe(), "watch", str(raw), str(clean), *FAST, "-w", "2"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().startswith(b"ok ")
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends: the watcher, its pool, the forkserver
        out, err = proc.communicate(timeout=DEADLINE)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, err
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err
    assert b"failed[" not in out  # no input blamed for the interrupt
    assert json.loads((clean / ".ingest" / "report.ingest-json").read_text(encoding="utf-8"))["status"] == "finished"
    for path in outputs(clean).values():
        load_valid(path)


def test_files_dropped_while_the_catch_up_runs_are_processed_once(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    for i in range(150):
        drop(raw / f"old/o-{i:03d}.txt", article_text(i))
    w = start_watch(raw, clean, *FAST, "-w", "2")
    for i in range(50):  # no waiting for "watching": these race the start, the listing and the events
        drop(raw / f"new/n-{i:03d}.txt", article_text(i + 150))
    lines = w.wait_ok(200)
    assert w.stop() == 0
    assert len(lines) == len(set(lines)) == 200
    c = w.report()["counts"]
    assert c["ok"] == c["seen"] == 200 and c["skipped"] == 0


def test_settle_rescan_and_article_options_come_from_the_config_file(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    toml = "settle = 0.2\nrescan = 0.5\nworkers = 1\nascii_quotes = true\n"
    (tmp_path / "ingest.toml").write_text(toml, encoding="utf-8")
    w = start_watch(raw, clean, cwd=tmp_path, env={"INGEST_TEST_DROP_EVENTS": "1"})
    w.wait_watching()
    drop(raw / "conf.txt", article_text(2) + "\n\nThe mayor said \u201cwe will see\u201d and left.\n")
    w.wait_ok(1)  # only a rescan can find it: events are ignored
    assert w.stop() == 0
    report = w.report()
    assert (report["watch"]["settle_s"], report["watch"]["rescan_s"], report["workers"]) == (0.2, 0.5, 1)
    body = json.loads((clean / "conf.txt.json").read_text(encoding="utf-8"))["body"]
    assert '"we will see"' in body  # the article options come from the file too


def test_a_file_rewritten_while_being_cleaned_is_cleaned_again_even_without_events(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    drop(raw / "a.txt", article_text(1))
    # In-process worker that pauses 0.8 s after committing each output; events ignored and no
    # rescan in sight, so only the stat check after the result can notice the rewrite.
    env = {"INGEST_TEST_DROP_EVENTS": "1", "INGEST_TEST_PAUSE_AT": "renamed:0.8"}
    w = start_watch(raw, clean, "--settle", "0.3", "--rescan", "600", "-w", "1", env=env)
    wait_for(lambda: (clean / "a.txt.json").exists(), "the first article", proc=w)
    drop(raw / "a.txt", article_text(1).replace("Tuesday", "Wednesday"))  # before its result is recorded
    w.wait_ok(2)
    assert w.stop() == 0
    assert "Wednesday" in load_valid(clean / "a.txt.json")["body"]
    assert w.report()["watch"]["rescans"] == 0


def test_a_slow_file_does_not_hold_back_files_dropped_after_it(tmp_path: Path, start_watch) -> None:
    """Issue 20: with a worker free, a file dropped after a slow one is written while the slow one runs."""
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    w = start_watch(
        raw, clean, *FAST, "-w", "2", "--input-timeout", "120", env={"INGEST_TEST_SLOW_INPUT": "slowpoke:40"}
    )
    w.wait_watching()
    drop(raw / "slowpoke.txt", article_text(1))
    time.sleep(1.5)  # settled and handed to a worker
    for i in range(3):
        drop(raw / f"quick-{i}.txt", article_text(i + 2))
    w.wait_ok(3)
    assert sorted(line.split(" ")[1] for line in w.ok_lines()) == sorted(str(raw / f"quick-{i}.txt") for i in range(3))
    assert not (clean / "slowpoke.txt.json").exists()  # still being cleaned: the quick ones did not wait for it
    assert w.stop() == 0


def test_an_input_over_its_time_budget_gets_timeout_and_the_watcher_goes_on(tmp_path: Path, start_watch) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    w = start_watch(
        raw, clean, *FAST, "-w", "2", "--input-timeout", "2", env={"INGEST_TEST_SLOW_INPUT": "wedge:600:hard"}
    )
    w.wait_watching()
    drop(raw / "wedge.txt", article_text(1))
    drop(raw / "fine.txt", article_text(2))
    wait_for(lambda: any(line.startswith("failed[timeout]") for line in w.out()), "the timeout line", proc=w)
    drop(raw / "after.txt", article_text(3))
    w.wait_ok(2)
    assert w.stop() == 0
    report = w.report()
    assert report["errors"] == {"timeout": 1} and report["counts"]["ok"] == 2
    assert sorted(outputs(clean)) == ["after.txt.json", "fine.txt.json"]
    assert not temp_files(clean)
