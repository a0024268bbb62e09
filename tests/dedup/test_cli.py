"""`ingest dedup`, `ingest duplicates` and `ingest run --dedup` end to end."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from ingest.cli import app

from .conftest import story, syndicated

runner = CliRunner()


def _article(body: str, ident: str) -> str:
    return json.dumps({"id": ident, "body": body, "source": {"record": None}})


def _tree(root: Path) -> None:
    base = story(300)
    (root / "a").mkdir(parents=True)
    (root / "a" / "wire.txt.json").write_text(_article(base, "w"))
    (root / "a" / "outlet.txt.json").write_text(_article(syndicated(base), "o"))
    (root / "b.txt.json").write_text(_article(story(301), "b"))
    lines = [_article(story(302), "r1"), _article(base, "w")]  # record 2 repeats the wire story exactly
    (root / "recs.jsonl.jsonl").write_text("\n".join(lines) + "\n")


def test_dedup_then_duplicates_on_a_tree_without_manifest(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    _tree(clean)
    res = runner.invoke(app, ["dedup", str(clean), "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)
    assert info["articles"] == 5 and info["clusters"] == 1 and info["clustered_articles"] == 3
    res = runner.invoke(app, ["duplicates", str(clean), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    [cluster] = out["clusters"]
    assert cluster["cluster_id"] == "a/outlet.txt.json"
    assert [m["key"] for m in cluster["members"]] == ["a/outlet.txt.json", "a/wire.txt.json", "recs.jsonl.jsonl#2"]
    assert [m["is_canonical"] for m in cluster["members"]] == [True, False, False]
    sims = {(p["a"], p["b"]): p["similarity"] for p in cluster["pairs"]}
    assert sims[("a/wire.txt.json", "recs.jsonl.jsonl#2")] == 1.0
    assert 0.7 <= sims[("a/outlet.txt.json", "a/wire.txt.json")] < 1.0
    text = runner.invoke(app, ["duplicates", str(clean)])
    assert "cluster a/outlet.txt.json (3 articles)" in text.stdout and "* a/outlet.txt.json" in text.stdout


def test_dedup_refresh_sees_changed_and_deleted_files(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    _tree(clean)
    assert runner.invoke(app, ["dedup", str(clean)]).exit_code == 0
    (clean / "a" / "outlet.txt.json").unlink()
    (clean / "recs.jsonl.jsonl").write_text(_article(story(302), "r1") + "\n")
    res = runner.invoke(app, ["dedup", str(clean), "--json"])
    info = json.loads(res.stdout)
    assert info["units_removed"] == 1 and info["units_indexed"] == 1
    assert info["articles"] == 3 and info["clusters"] == 0
    res = runner.invoke(app, ["duplicates", str(clean), "--json"])
    assert json.loads(res.stdout)["clusters"] == []


def test_duplicates_without_an_index_is_a_usage_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["duplicates", str(tmp_path)])
    assert res.exit_code == 2 and "ingest dedup" in res.output


def test_dedup_of_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    assert runner.invoke(app, ["dedup", str(tmp_path / "nope")]).exit_code == 2


def test_bad_threshold_is_a_usage_error(tmp_path: Path) -> None:
    assert runner.invoke(app, ["dedup", str(tmp_path), "--threshold", "2"]).exit_code == 2


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_run_dedup_keeps_the_index_and_the_jsonl_cluster_fields(
    tmp_path: Path, ingest_cmd: list[str], clean_env: dict[str, str]
) -> None:
    raw, clean, out = tmp_path / "raw", tmp_path / "clean", tmp_path / "all.jsonl"
    raw.mkdir()
    base = story(400)
    (raw / "wire.txt").write_text(base)
    (raw / "other.txt").write_text(story(401))
    cmd = [*ingest_cmd, "run", str(raw), str(clean), "--dedup", "--jsonl", str(out), "-w", "1", "-q", "--no-language"]
    assert subprocess.run(cmd, env=clean_env).returncode == 0
    wire_before = (clean / "wire.txt.json").read_bytes()
    assert b"cluster_id" not in wire_before  # cluster data stays out of the per-input files
    rows = _jsonl(out)
    assert [(r["cluster_id"], r["is_canonical"]) for r in rows] == [("other.txt.json", True), ("wire.txt.json", True)]

    # A syndicated copy arrives: it joins the wire story's cluster; the wire article file is untouched.
    (raw / "outlet.txt").write_text(syndicated(base))
    assert subprocess.run(cmd, env=clean_env).returncode == 0
    assert (clean / "wire.txt.json").read_bytes() == wire_before
    rows = _jsonl(out)
    got = {r["source"]["path"].rsplit("/", 1)[-1]: (r["cluster_id"], r["is_canonical"]) for r in rows}  # type: ignore[index]
    assert got == {
        "other.txt": ("other.txt.json", True),
        "outlet.txt": ("outlet.txt.json", True),
        "wire.txt": ("outlet.txt.json", False),
    }
    report = json.loads((clean / ".ingest" / "report.ingest-json").read_text())
    assert report["dedup"]["docs_added"] == 1
    assert report["dedup"]["signed_by_workers"] == 1  # the worker computed the new article's signature

    # The copy is deleted (and pruned): the wire story is alone again and canonical.
    (raw / "outlet.txt").unlink()
    assert subprocess.run([*cmd, "--prune"], env=clean_env).returncode == 0
    got = {r["source"]["path"].rsplit("/", 1)[-1]: (r["cluster_id"], r["is_canonical"]) for r in _jsonl(out)}  # type: ignore[index]
    assert got == {"other.txt": ("other.txt.json", True), "wire.txt": ("wire.txt.json", True)}
    res = runner.invoke(app, ["duplicates", str(clean), "--json"])
    assert json.loads(res.stdout)["counts"]["articles"] == 2
