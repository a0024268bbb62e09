"""kill -9 at random moments of ``ingest run --workers 2`` over a few hundred files.

The whole process group (driver, forkserver, workers) is killed, as a power cut or an OOM kill
of the session would. After each kill every output outside ``.ingest`` that is not a temp file
is complete and valid; after a rerun no temp file is left anywhere and the tree is byte-identical
to an uninterrupted run's. The delays come from fixed seeds (deterministic test, random moments).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from .helpers import assert_every_output_valid, env, ingest_exe, run, temp_files, tree, write_corpus

pytestmark = pytest.mark.timeout(240)

N_FILES = 200


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("kill")
    raw = base / "raw"
    write_corpus(raw, N_FILES, bad=False)
    ref = run(raw, base / "reference", "--workers", "2")
    assert ref.returncode == 0, ref.stderr
    return {"raw": raw, "tree": tree(base / "reference")}


def _outputs_so_far(clean: Path) -> int:
    if not clean.exists():
        return 0
    return sum(1 for p in clean.rglob("*.json*") if ".ingest" not in p.parts)


@pytest.mark.parametrize("seed", [11, 23, 37])
def test_kill_9_at_a_random_moment_then_rerun_gives_the_uninterrupted_tree(
    seed: int, corpus: dict[str, Any], tmp_path: Path
) -> None:
    clean = tmp_path / "clean"
    rnd = random.Random(seed)
    # The moment: once a seeded number of outputs exist (start-up takes most of a short run, so a
    # plain delay would mostly kill before the first write), plus a seeded few milliseconds so
    # the kill lands inside a batch's commit sequence rather than between batches.
    threshold = rnd.randrange(1, int(N_FILES * 0.8))
    extra = rnd.uniform(0, 0.05)
    proc = subprocess.Popen(
        [*ingest_exe(), "run", str(corpus["raw"]), str(clean), "--workers", "2", "--quiet"],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches every worker
    )
    deadline = time.monotonic() + 120
    while proc.poll() is None and _outputs_so_far(clean) < threshold and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(extra)
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    written = assert_every_output_valid(clean) if clean.exists() else 0
    assert written <= len(corpus["tree"])

    again = run(corpus["raw"], clean, "--workers", "2")
    assert again.returncode == 0, again.stderr
    assert temp_files(clean) == []
    assert tree(clean) == corpus["tree"]
