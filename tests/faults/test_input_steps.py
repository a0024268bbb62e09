"""Issue 20: any exception inside one input's processing is recorded for that input.

``INGEST_TEST_FAIL_INPUT=NAME:step`` raises at one step (read, clean, name, write, commit) for the
input whose path contains NAME; the rest of its batch (same 16-input group commit) must commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.batch import BatchConfig, SerialExecutor, run_batch
from ingest.faults import INPUT_STEPS

from .helpers import assert_every_output_valid, run, temp_files, write_corpus

pytestmark = pytest.mark.timeout(300)


@pytest.mark.parametrize("step", INPUT_STEPS)
def test_a_failure_at_any_step_is_recorded_for_that_input_and_its_batch_mates_commit(
    step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    write_corpus(raw, 30, bad=False)  # story-0005.txt is in part1 with 7 others, one group commit
    monkeypatch.setenv("INGEST_TEST_FAIL_INPUT", f"story-0005:{step}")
    report = run_batch(BatchConfig(raw, clean, durable=False), executor=SerialExecutor())
    assert report["environment_error"] is None and report["exit_code"] == 1
    assert report["errors"] == {"internal_error": 1}
    [failure] = report["failures"]  # type: ignore[misc]
    assert failure["path"] == "part1/story-0005.txt" and f"at {step}" in failure["message"]
    assert report["counts"]["ok"] == 29  # type: ignore[index]
    assert assert_every_output_valid(clean) == 29
    assert not (clean / "part1" / "story-0005.txt.json").exists()
    assert not temp_files(clean)


def test_long_names_and_folders_in_the_way_are_input_failures_in_a_real_run(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    write_corpus(raw, 40, bad=False)
    text = "Ferry\n\nThe ferry to Brekka ran late on Monday, the operator said in a statement.\n"
    long_name = "n" * 247 + ".txt"  # 251 bytes: the output name (+ ".json") is over 255
    (raw / long_name).write_text(text, encoding="utf-8")
    (raw / "x.txt").write_text(text, encoding="utf-8")
    (raw / "x.txt.json").mkdir()
    (raw / "x.txt.json" / "inner.txt").write_text(text.replace("Monday", "Tuesday"), encoding="utf-8")
    res = run(raw, clean, "-w", "2", "--json")
    assert res.returncode == 1, res.stderr  # never 4: no environment error
    report = json.loads(res.stdout)
    assert report["environment_error"] is None
    codes = {f["path"]: f["code"] for f in report["failures"]}
    assert codes.pop(long_name) == "name_too_long"
    # x.txt (a file x.txt.json) and x.txt.json/inner.txt (a folder x.txt.json): one of them is first.
    assert list(codes.values()) == ["output_conflict"] and set(codes) <= {"x.txt", "x.txt.json/inner.txt"}
    assert report["counts"]["ok"] == 41
    assert assert_every_output_valid(clean) == 41
    assert not temp_files(clean)
    again = run(raw, clean, "-w", "2", "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["counts"]["ok"] == 0
