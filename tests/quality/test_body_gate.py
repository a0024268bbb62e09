"""Quality gate for HTML bodies: html-dev F1 and the meta-dev snippet pass rate never fall.

Runs the whole pipeline (:func:`ingest.clean_article`) over the 91 html-dev pages and a fixed
sample of the meta-dev pages that have ``with``/``without`` snippets (every fourth, by sorted key),
in one process, in well under a minute on one core. The floors live in ``floors-body.json`` beside
this file; they only move up (raise them when a change lifts the scores). The dev sets are read
from ``../shared/eval`` relative to the repository root (CI has a copy of shared/ beside the clone).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from ingest import IngestError, clean_article

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
FLOORS = json.loads((Path(__file__).with_name("floors-body.json")).read_text(encoding="utf-8"))

_spec = importlib.util.spec_from_file_location("html_extraction", ROOT / "benchmarks" / "html_extraction.py")
assert _spec and _spec.loader
metric = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(metric)


def _body(data: bytes) -> str | None:
    try:
        return clean_article(data, path="page.html").body
    except IngestError:
        return None


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: the quality gate needs shared/eval beside the repository")
    return path


def snippet_sample() -> list[dict[str, object]]:
    """The fixed meta-dev sample: every fourth snippet-labelled page, by sorted key."""
    gold = json.loads(_require(EVAL / "meta-dev" / "gold.json").read_text(encoding="utf-8"))
    labelled = [gold[k] for k in sorted(gold) if gold[k].get("with")]
    return labelled[:: FLOORS["meta_dev_sample_step"]]


def snippet_pass(body: str | None, page: dict[str, object]) -> bool:
    """Every ``with`` snippet in the body and no ``without`` snippet (meta-dev README's rule)."""
    text = body or ""
    with_ = page.get("with") or []
    without = page.get("without") or []
    assert isinstance(with_, list) and isinstance(without, list)
    return all(s in text for s in with_) and not any(s in text for s in without)


def test_html_dev_body_f1_stays_above_its_floor() -> None:
    pages, gold = metric.load_dev(_require(EVAL / "html-dev"))
    scores = metric.score({pid: _body(data) for pid, data in pages.items()}, gold)
    assert scores["f1"] >= FLOORS["html_dev_f1"], scores
    assert scores["precision"] >= FLOORS["html_dev_precision"], scores
    assert scores["recall"] >= FLOORS["html_dev_recall"], scores


def test_meta_dev_snippet_pass_rate_stays_above_its_floor() -> None:
    sample = snippet_sample()
    assert len(sample) == FLOORS["meta_dev_sample_pages"]  # the sample is fixed; a changed set is a new floor
    passed = 0
    for page in sample:
        data = gzip.decompress((EVAL / "meta-dev" / "pages" / str(page["file"])).read_bytes())
        passed += snippet_pass(_body(data), page)
    rate = passed / len(sample)
    assert rate >= FLOORS["meta_dev_snippet_pass"], f"{passed}/{len(sample)} = {rate:.3f}"


def test_snippet_rule_needs_every_with_and_no_without() -> None:
    page = {"with": ["the harbour"], "without": ["Read more"]}
    assert snippet_pass("News of the harbour today.", page)
    assert not snippet_pass("News of the harbour today. Read more", page)
    assert not snippet_pass("News of the town today.", page)
    assert not snippet_pass(None, page)
