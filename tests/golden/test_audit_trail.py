"""The audit trail on the samples: every word the cleaner drops is named in ``removed``.

Cleaning with ``strip_artifacts=False`` keeps every line; the default output plus the texts of its
``removed`` entries must hold exactly the same words. Nothing vanishes silently, nothing is added.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from ingest import Options, iter_articles

RAW = Path(__file__).resolve().parents[2] / "raw"
SAMPLES = sorted(p.name for p in RAW.iterdir() if p.is_file() and not p.name.startswith("."))
_WORD_RE = re.compile(r"\w+")


@pytest.mark.parametrize("name", SAMPLES)
def test_every_dropped_word_is_in_the_audit_trail(name: str) -> None:
    data = (RAW / name).read_bytes()
    cleaned = [o.article for o in iter_articles(data, path=name)]
    kept = [o.article for o in iter_articles(data, path=name, options=Options(strip_artifacts=False))]
    assert len(cleaned) == len(kept)
    for art, full in zip(cleaned, kept):
        assert art is not None and full is not None
        assert full.removed == (), "strip_artifacts=False removes nothing"
        accounted = Counter(_WORD_RE.findall(art.body))
        for r in art.removed:
            accounted.update(_WORD_RE.findall(r.text))
        everything = Counter(_WORD_RE.findall(full.body))
        assert not everything - accounted, f"{name}: words dropped without an audit entry: {everything - accounted}"
        assert not accounted - everything, (
            f"{name}: words in the output that the input does not have: {accounted - everything}"
        )


@pytest.mark.parametrize("name", [n for n in SAMPLES if n.endswith(".txt")])
def test_metadata_read_from_removed_lines_names_its_source(name: str) -> None:
    """A field filled from a removed line says so (``text:byline`` …), and such a line exists."""
    [art] = [o.article for o in iter_articles((RAW / name).read_bytes(), path=name)]
    assert art is not None
    kinds = {r.kind for r in art.removed}
    for field, source in art.field_sources:
        if source.startswith("text:"):
            assert source[len("text:") :] in kinds, f"{name}: {field} from {source}, but no such line was removed"
