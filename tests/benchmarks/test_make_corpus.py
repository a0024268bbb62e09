"""The benchmark corpus generator: deterministic, and its gold file describes what it wrote."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "make_corpus.py"
# Character damage the generator applies; after these a paragraph is no longer a plain substring.
CHAR_DAMAGE = {"mojibake", "lossy_dagger", "lossy_euro", "nbsp_remnant", "zero_width", "html_entities"}


def _make(n: int, out: Path, *extra: str) -> list[dict]:
    subprocess.run([sys.executable, str(SCRIPT), str(n), str(out), *extra], check=True, capture_output=True)
    return [json.loads(line) for line in (out / "gold.jsonl").read_text(encoding="utf-8").splitlines()]


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("corpus")
    return out, _make(60, out, "--seed", "7")


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\r\n", "\n").replace("-\n", "")).strip()


def test_same_seed_gives_byte_identical_corpus(corpus, tmp_path):
    out, _ = corpus
    _make(60, tmp_path / "again", "--seed", "7", "--jobs", "2")
    assert _tree(tmp_path / "again") == _tree(out)


def test_another_seed_gives_another_corpus(corpus, tmp_path):
    out, gold = corpus
    other = _make(60, tmp_path / "other", "--seed", "8")
    assert [g["body"] for g in other] != [g["body"] for g in gold]


def test_gold_has_one_entry_per_article_and_every_path_exists(corpus):
    out, gold = corpus
    assert len(gold) == 60
    for g in gold:
        assert (out / "raw" / g["path"]).is_file(), g["path"]
        assert (g["record"] is None) == (g["format"] != "jsonl")
    keys = [(g["path"], g["record"]) for g in gold]
    assert len(set(keys)) == len(keys)


def test_gold_records_of_a_jsonl_file_match_its_lines(corpus):
    out, gold = corpus
    for path in {g["path"] for g in gold if g["format"] == "jsonl"}:
        lines = (out / "raw" / path).read_text(encoding="utf-8").splitlines()
        assert sorted(g["record"] for g in gold if g["path"] == path) == list(range(1, len(lines) + 1))


def test_gold_bodies_are_clean_paragraphs(corpus):
    _, gold = corpus
    for g in gold:
        body = g["body"]
        assert body == body.strip() and "\n\n\n" not in body
        assert all(p and "\n" not in p for p in body.split("\n\n"))
        for bad in ("\u2020", "\u00e2\u20ac", "\u00c2", "\u00c3", "\r", "\u200b", "\u00ad", "\ufeff"):
            assert bad not in body, (g["path"], bad)


def test_every_gold_paragraph_is_in_the_raw_text_when_no_characters_were_damaged(corpus):
    out, gold = corpus
    checked = 0
    for g in gold:
        if g["format"] != "text" or CHAR_DAMAGE & set(g["damage"]):
            continue
        raw = _flat((out / "raw" / g["path"]).read_text(encoding="utf-8"))
        for para in g["body"].split("\n\n"):
            assert _flat(para) in raw, (g["path"], para[:60])
        checked += 1
    assert checked >= 10


def test_gold_metadata_appears_in_the_raw_input(corpus):
    out, gold = corpus
    for g in gold:
        if CHAR_DAMAGE & set(g["damage"]):
            continue
        raw = (out / "raw" / g["path"]).read_text(encoding="utf-8")
        for value in [g["title"], g["publisher"], g["dateline"], *g["authors"]]:
            if value:
                assert value in raw or json.dumps(value)[1:-1] in raw or value.replace("&", "&amp;") in raw, (
                    g["path"],
                    value,
                )


def test_corpus_mixes_formats_and_languages(tmp_path):
    gold = _make(400, tmp_path / "mix", "--seed", "3")
    formats = {g["format"] for g in gold}
    assert formats == {"text", "html", "jsonl"}
    assert {g["language"] for g in gold} >= {"en", "de", "fr", "es", "ru"}
    assert sum(g["format"] == "text" for g in gold) > 0.6 * len(gold)


def test_only_text_writes_only_text_files(tmp_path):
    gold = _make(30, tmp_path / "t", "--only", "text")
    assert {g["format"] for g in gold} == {"text"}
    assert all(p.suffix == ".txt" for p in (tmp_path / "t" / "raw").rglob("*") if p.is_file())
