"""Quality gate (trafilatura's habit): metadata accuracy on a fixed sample of meta-dev.

Every 3rd page of ../shared/eval/meta-dev (227 of 681, in gold.json order) goes through
``clean_article`` with its URL. The test fails when an accuracy falls below its floor, or a
"given where the page has none" rate rises above its ceiling, in tests/quality/floors-meta.json.
Floors only move up and ceilings only move down: raise them when a change improves the scores.
The dev set is read from ../shared/eval beside the repository (CI keeps a copy there); a missing
set fails the test rather than skipping it.
"""

from __future__ import annotations

import json
from pathlib import Path

from quality.meta_scores import META_DEV, ingest_predict, score

FLOORS = json.loads((Path(__file__).with_name("floors-meta.json")).read_text(encoding="utf-8"))
STEP = FLOORS["sample_every"]


def test_meta_dev_is_present() -> None:
    assert (META_DEV / "gold.json").is_file(), (
        f"the quality gate needs {META_DEV} (a copy of shared/eval beside the clone)"
    )


def test_metadata_scores_hold_their_floors() -> None:
    got = score(ingest_predict, step=STEP)
    below = {k: (got[k], v) for k, v in FLOORS["floors"].items() if got[k] < v}
    above = {k: (got[k], v) for k, v in FLOORS["ceilings"].items() if got[k] > v}
    assert not below, f"below the floor (got, floor): {below}; all scores: {got}"
    assert not above, f"above the ceiling (got, ceiling): {above}; all scores: {got}"
