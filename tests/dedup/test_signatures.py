"""Signatures: what counts as the same text, the LSH layout, exact Jaccard."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.dedup.signatures import DedupConfig, jaccard, lsh_layout, shingles, signature, words

from .conftest import story, syndicated


def test_words_ignore_case_punctuation_and_wrap() -> None:
    assert words("Café “Déjà” vu,\nsaid\tthe MAN.") == words('café "déjà" vu said the man')


def test_accents_are_kept() -> None:
    assert words("déjà") != words("deja")


def test_restyled_quotes_and_rewrap_give_the_same_shingles() -> None:
    a = "He said “we will win” and left.\n\nThe crowd’s mood was calm."
    b = 'He said "we will\nwin" and left. The crowd\'s mood\nwas calm.'
    assert shingles(a, 4) == shingles(b, 4)


def test_words_that_differ_stay_different() -> None:
    assert words("the cat sat") != words("the cat sits")


def test_short_body_is_one_shingle_and_empty_body_none() -> None:
    assert shingles("Two words", 4) == ["two words"]
    assert shingles(" ... ", 4) == []


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9])
def test_layout_catches_pairs_at_the_threshold(threshold: float) -> None:
    bands, rows = lsh_layout(threshold, 128)
    assert bands * rows <= 128
    assert 1 - (1 - threshold**rows) ** bands >= 0.98


def test_layout_is_more_selective_for_a_higher_threshold() -> None:
    assert lsh_layout(0.9, 128)[1] > lsh_layout(0.5, 128)[1]


def test_bad_threshold_is_refused() -> None:
    with pytest.raises(ValueError):
        DedupConfig(threshold=0)
    with pytest.raises(ValueError):
        DedupConfig(threshold=1.5)


def test_signature_is_deterministic_and_copies_share_every_band() -> None:
    cfg = DedupConfig()
    body = story(1)
    a, b = signature("x", body, cfg), signature("y", body, cfg)
    assert a.shingles == b.shingles and a.bands == b.bands
    assert len(a.bands) == cfg.layout()[0]


def test_jaccard_is_exact() -> None:
    cfg = DedupConfig()
    x, y = story(2), syndicated(story(2))
    sx, sy = set(shingles(x, cfg.shingle)), set(shingles(y, cfg.shingle))
    expected = len(sx & sy) / len(sx | sy)
    got = jaccard(signature("a", x, cfg).shingle_array(), signature("b", y, cfg).shingle_array())
    assert got == pytest.approx(expected, abs=0.01)
    assert 0.7 < got < 1.0


def test_unrelated_stories_are_far_apart() -> None:
    cfg = DedupConfig()
    sim = jaccard(signature("a", story(3), cfg).shingle_array(), signature("b", story(4), cfg).shingle_array())
    assert sim < 0.05


def test_empty_sets_have_similarity_zero() -> None:
    empty = np.array([], dtype=np.uint32)
    assert jaccard(empty, empty) == 0.0
