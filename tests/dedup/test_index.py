"""The index: verified pairs, clusters independent of order and of how runs are split, incremental
add / change / delete, exact duplicates, crash safety."""

from __future__ import annotations

import hashlib
import itertools
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ingest.dedup.index import DedupIndex, Doc, doc_key, parse_unit
from ingest.dedup.signatures import DedupConfig

from .conftest import story, syndicated


def _doc(unit: str, body: str) -> Doc:
    return Doc(unit, 1, hashlib.sha256(body.encode()).hexdigest()[:24], body)


def _sync(index: DedupIndex, corpus: dict[str, str], order: list[str] | None = None) -> None:
    units = order if order is not None else sorted(corpus)
    listing = [(u, hashlib.sha256(corpus[u].encode()).hexdigest()) for u in units]
    index.sync(listing, lambda unit: [_doc(unit, corpus[unit])])


def _build(path: Path, corpus: dict[str, str], config: DedupConfig | None = None) -> dict[str, str]:
    with DedupIndex(path, config) as index:
        _sync(index, corpus)
        check_invariants(index)
        return index.assignments()


def check_invariants(index: DedupIndex) -> None:
    """Pairs are symmetric, every cluster id is its smallest member, clusters are connected."""
    db = index.db
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    pairs = set(db.execute("SELECT a, b FROM pairs").fetchall())
    assert all((b, a) in pairs for a, b in pairs)
    keys = dict(db.execute("SELECT id, key FROM docs").fetchall())
    assert all(a in keys and b in keys for a, b in pairs)
    assert db.execute("SELECT COUNT(*) FROM lsh WHERE doc NOT IN (SELECT id FROM docs)").fetchone()[0] == 0
    members: dict[str, list[int]] = {}
    for doc_id, cluster in db.execute("SELECT id, cluster FROM docs"):
        members.setdefault(cluster, []).append(doc_id)
    for cluster, ids in members.items():
        assert cluster == min(keys[i] for i in ids)
        seen, todo = {ids[0]}, [ids[0]]
        while todo:
            x = todo.pop()
            for a, b in pairs:
                if a == x and b not in seen:
                    seen.add(b)
                    todo.append(b)
        assert seen == set(ids), f"cluster {cluster} is not connected"


def corpus_three_families() -> dict[str, str]:
    c = {}
    for f in range(3):
        base = story(100 + f)
        c[f"f{f}/orig.txt.json"] = base
        c[f"f{f}/copy.txt.json"] = base
        c[f"g{f}/syndicated.txt.json"] = syndicated(base)
    for n in range(4):
        c[f"other/{n}.txt.json"] = story(200 + n)
    return c


def test_copies_and_syndicated_versions_cluster_and_others_stay_alone(tmp_path: Path) -> None:
    got = _build(tmp_path / "i.sqlite", corpus_three_families())
    for f in range(3):
        assert (
            got[f"f{f}/orig.txt.json"]
            == got[f"f{f}/copy.txt.json"]
            == got[f"g{f}/syndicated.txt.json"]
            == f"f{f}/copy.txt.json"
        )
    for n in range(4):
        assert got[f"other/{n}.txt.json"] == f"other/{n}.txt.json"


@pytest.mark.parametrize("seed", range(4))
def test_clusters_do_not_depend_on_insertion_order(tmp_path: Path, seed: int) -> None:
    corpus = corpus_three_families()
    reference = _build(tmp_path / "ref.sqlite", corpus)
    order = sorted(corpus)
    random.Random(seed).shuffle(order)
    with DedupIndex(tmp_path / "perm.sqlite") as index:
        # One unit per transaction, in a shuffled order.
        for unit in order:
            index.begin()
            index.replace_units([(unit, "s", [_doc(unit, corpus[unit])])])
            index.commit()
        check_invariants(index)
        assert index.assignments() == reference


def test_clusters_do_not_depend_on_how_runs_are_split(tmp_path: Path) -> None:
    corpus = corpus_three_families()
    reference = _build(tmp_path / "ref.sqlite", corpus)
    units = sorted(corpus, reverse=True)
    with DedupIndex(tmp_path / "split.sqlite") as index:
        for n in (2, 5, 9, len(units)):  # four runs, each seeing more of the corpus
            _sync(index, {u: corpus[u] for u in units[:n]})
            check_invariants(index)
        assert index.assignments() == reference


def test_changed_article_leaves_its_old_cluster(tmp_path: Path) -> None:
    corpus = corpus_three_families()
    with DedupIndex(tmp_path / "i.sqlite") as index:
        _sync(index, corpus)
        corpus["f0/copy.txt.json"] = story(999)  # the canonical of family 0 now says something else
        stats = index.sync(
            [(u, hashlib.sha256(b.encode()).hexdigest()) for u, b in corpus.items()],
            lambda unit: [_doc(unit, corpus[unit])],
        )
        assert stats.units_indexed == 1 and stats.docs_removed == 1
        check_invariants(index)
        got = index.assignments()
    assert got["f0/copy.txt.json"] == "f0/copy.txt.json"
    assert got["f0/orig.txt.json"] == got["g0/syndicated.txt.json"] == "f0/orig.txt.json"
    assert got == _build(tmp_path / "fresh.sqlite", corpus)


def test_deleted_article_leaves_and_the_cluster_is_renamed(tmp_path: Path) -> None:
    corpus = corpus_three_families()
    with DedupIndex(tmp_path / "i.sqlite") as index:
        _sync(index, corpus)
        del corpus["f1/copy.txt.json"]
        _sync(index, corpus)
        check_invariants(index)
        got = index.assignments()
    assert "f1/copy.txt.json" not in got
    assert got["f1/orig.txt.json"] == got["g1/syndicated.txt.json"] == "f1/orig.txt.json"
    assert got == _build(tmp_path / "fresh.sqlite", corpus)


def test_removing_the_bridge_splits_a_cluster(tmp_path: Path) -> None:
    paras = story(7, paragraphs=4, sentences=8).split("\n\n")
    corpus = {
        "a.json": "\n\n".join(paras[:2]),
        "b.json": "\n\n".join(paras),  # shares half with a and half with c
        "c.json": "\n\n".join(paras[2:]),
    }
    cfg = DedupConfig(threshold=0.45)
    with DedupIndex(tmp_path / "i.sqlite", cfg) as index:
        _sync(index, corpus)
        assert set(index.assignments().values()) == {"a.json"}
        del corpus["b.json"]
        _sync(index, corpus)
        check_invariants(index)
        assert index.assignments() == {"a.json": "a.json", "c.json": "c.json"}


def test_every_subset_and_order_of_a_small_corpus_matches_a_fresh_build(tmp_path: Path) -> None:
    base = story(11)
    corpus = {"a.json": base, "b.json": syndicated(base), "c.json": story(12), "d.json": base}
    for i, order in enumerate(itertools.permutations(sorted(corpus))):
        with DedupIndex(tmp_path / f"p{i}.sqlite") as index:
            for n in range(1, len(order) + 1):
                _sync(index, {u: corpus[u] for u in order[:n]}, order=list(order[:n]))
            assert index.assignments() == {
                "a.json": "a.json",
                "b.json": "a.json",
                "c.json": "c.json",
                "d.json": "a.json",
            }


def test_same_body_id_is_a_duplicate_even_without_words(tmp_path: Path) -> None:
    with DedupIndex(tmp_path / "i.sqlite") as index:
        index.begin()
        index.replace_units(
            [("x.json", "s", [Doc("x.json", 1, "same", "…")]), ("y.json", "s", [Doc("y.json", 1, "same", "…")])]
        )
        index.commit()
        assert index.assignments() == {"x.json": "x.json", "y.json": "x.json"}
        [cluster] = list(index.clusters())
        assert cluster.pairs == [("x.json", "y.json", 1.0)]


def test_new_settings_rebuild_the_index(tmp_path: Path) -> None:
    corpus = corpus_three_families()
    _build(tmp_path / "i.sqlite", corpus)
    with DedupIndex(tmp_path / "i.sqlite", DedupConfig(threshold=0.9)) as index:
        assert index.rebuilt and index.counts()["articles"] == 0
        _sync(index, corpus)
        assert index.counts()["articles"] == len(corpus)
    with DedupIndex(tmp_path / "i.sqlite", DedupConfig(threshold=0.9)) as index:
        assert not index.rebuilt


def test_keys_and_units(tmp_path: Path) -> None:
    assert doc_key("a/b.txt.json", {"source": {"record": None}}, 1) == "a/b.txt.json"
    assert doc_key("a/b.jsonl.jsonl", {"source": {"record": 7}}, 3) == "a/b.jsonl.jsonl#7"
    assert doc_key("a/b.jsonl.jsonl", {}, 3) == "a/b.jsonl.jsonl#3"
    data = b'{"id":"1","body":"one","source":{"record":1}}\nnot json\n{"id":"2","body":"two","source":{"record":3}}\n'
    docs = parse_unit("r.jsonl.jsonl", data)
    assert [(d.key, d.line, d.body) for d in docs] == [("r.jsonl.jsonl#1", 1, "one"), ("r.jsonl.jsonl#3", 3, "two")]


_CRASHER = textwrap.dedent("""
    import hashlib, json, os, sys
    sys.path.insert(0, sys.argv[3])
    from ingest.dedup.index import DedupIndex, Doc
    corpus = json.loads(open(sys.argv[2]).read())
    added = []
    real_add = DedupIndex._add
    def add(self, unit, doc, sig):
        added.append(doc.key)
        if len(added) == int(sys.argv[4]):
            assert self.db.in_transaction
            os._exit(9)  # killed in the middle of a transaction, after some articles went in
        real_add(self, unit, doc, sig)
    DedupIndex._add = add
    def load(unit):
        body = corpus[unit]
        return [Doc(unit, 1, hashlib.sha256(body.encode()).hexdigest()[:24], body)]
    with DedupIndex(sys.argv[1]) as index:
        index.sync([(u, hashlib.sha256(b.encode()).hexdigest()) for u, b in sorted(corpus.items())], load)
    """)


def test_a_killed_update_leaves_a_consistent_index_that_the_next_update_completes(tmp_path: Path) -> None:
    import json

    corpus = corpus_three_families()
    first = {u: b for u, b in corpus.items() if not u.startswith("g")}
    path = tmp_path / "i.sqlite"
    _build(path, first)
    with DedupIndex(path) as index:
        before = index.assignments()
    (tmp_path / "corpus.json").write_text(json.dumps(corpus))
    script = tmp_path / "crash.py"
    script.write_text(_CRASHER)
    src = str(Path(__file__).resolve().parents[2] / "src")
    proc = subprocess.run(
        [sys.executable, str(script), str(path), str(tmp_path / "corpus.json"), src, "3"], env={**os.environ}
    )
    assert proc.returncode == 9
    with DedupIndex(path) as index:
        check_invariants(index)
        assert index.assignments() == before  # the transaction in flight is gone, nothing half-done
        _sync(index, corpus)
        check_invariants(index)
        assert index.assignments() == _build(tmp_path / "fresh.sqlite", corpus)
