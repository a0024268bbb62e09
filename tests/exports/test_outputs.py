"""Outputs downstream tools load directly: globs, Parquet, the change feed, --fields.

Each test runs ``run_batch`` (serial, in process) over a small folder written here, then reads
the output as a consumer would: DuckDB globs and ``read_parquet``, pandas, ``ingest changes``.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ingest import Options
from ingest.batch import BatchConfig, run_batch
from ingest.cli import app
from ingest.exports import parquet as pqmod
from ingest.exports.arrow_schema import arrow_type, article_schema
from ingest.exports.changes import read_changes

TEXT = (
    "Harbour News\n\n"
    "The harbour board of {town} met on Monday to agree a new timetable for the {n} ferries that\n"
    "cross the bay, after a winter of delays.\n\n"
    "The chair said the changes would start in spring.\n"
)


def _text(town: str, n: int) -> str:
    return TEXT.format(town=town, n=n)


def _record(i: int, **extra: object) -> str:
    return json.dumps(
        {
            "guid": f"urn:story:{i}",
            "text": _text(f"Recordtown {i}", i),
            "section": "Local",
            "date": 1632837780 + i,
            **extra,
        }
    )


def _corpus(raw: Path) -> None:
    (raw / "sub").mkdir(parents=True)
    for i in range(4):
        (raw / ("sub" if i % 2 else "") / f"story-{i}.txt").write_text(_text(f"Town{i}", i + 2), encoding="utf-8")
    (raw / "feed.jsonl").write_text("\n".join(_record(i) for i in range(3)) + "\n", encoding="utf-8")
    (raw / "empty.txt").write_text("   \n", encoding="utf-8")  # rejected: state, never an article


def _run(raw: Path, clean: Path, **kw: object) -> dict:
    report = run_batch(BatchConfig(raw, clean, durable=False, **kw))  # type: ignore[arg-type]
    assert report["status"] == "finished", report
    return report


def _tree_articles(clean: Path) -> dict[str, dict]:
    """doc_id → article, from the JSON tree (the reference the other outputs are compared with)."""
    out = {}
    for p in sorted(clean.rglob("*.json*")):
        if ".ingest" in p.parts:
            continue
        for line in p.read_text(encoding="utf-8").splitlines():
            a = json.loads(line)
            out[a["doc_id"]] = a
    return out


def _one(sql: str) -> tuple:
    (row,) = duckdb.sql(sql).fetchall()
    return row


def _glob(pattern: str) -> list[str]:
    return [r[0] for r in duckdb.sql(f"SELECT file FROM glob('{pattern}')").fetchall()]


@pytest.fixture()
def folders(tmp_path: Path) -> tuple[Path, Path]:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus(raw)
    return raw, clean


# -- globs match only articles ---------------------------------------------------------------------


def test_globs_over_the_output_folder_match_only_articles(folders: tuple[Path, Path]) -> None:
    raw, clean = folders
    _run(raw, clean, parquet=True)
    _run(raw, clean, parquet=True)  # a second run: feed, report, rejects all exist now
    assert (clean / ".ingest" / "report.ingest-json").is_file() and (
        clean / ".ingest" / "rejected.ingest-jsonl"
    ).is_file()
    json_files = _glob(f"{clean}/**/*.json")
    assert sorted(Path(f).name for f in json_files) == sorted(f"story-{i}.txt.json" for i in range(4))
    assert [Path(f).name for f in _glob(f"{clean}/**/*.jsonl")] == ["feed.jsonl.jsonl"]
    assert len(_glob(f"{clean}/**/*.json*")) == 5
    assert all("/articles.parquet/part-" in f for f in _glob(f"{clean}/**/*.parquet"))
    rows = _one(f"SELECT count(*) FROM read_json_auto('{clean}/**/*.json*')")
    assert rows == (7,)  # 4 text articles + 3 records, nothing from the state
    assert _one(f"SELECT count(*) FROM read_parquet('{clean}/**/*.parquet')") == (7,)


def test_jsonl_only_keeps_its_article_copies_out_of_the_globs(folders: tuple[Path, Path], tmp_path: Path) -> None:
    raw, clean = folders
    _run(raw, clean, tree=False, jsonl=clean / "articles.jsonl")
    assert _glob(f"{clean}/**/*.json") == []
    assert [Path(f).name for f in _glob(f"{clean}/**/*.json*")] == ["articles.jsonl"]
    assert _one(f"SELECT count(*) FROM read_json_auto('{clean}/**/*.jsonl')") == (7,)
    copies = sorted(p.name for p in (clean / ".ingest" / "articles").rglob("*") if p.is_file())
    assert copies and all(n.endswith((".ingest-json", ".ingest-jsonl")) for n in copies)


def test_a_pre_1_1_state_folder_is_migrated(folders: tuple[Path, Path]) -> None:
    raw, clean = folders
    state = clean / ".ingest"
    state.mkdir(parents=True)
    (state / "report.json").write_text("{}", encoding="utf-8")
    (state / "rejected.jsonl").write_text("{}\n", encoding="utf-8")
    _run(raw, clean)
    assert not (state / "report.json").exists() and not (state / "rejected.jsonl").exists()
    assert len(_glob(f"{clean}/**/*.json*")) == 5


def test_a_schema_version_change_rewrites_outputs_that_look_unchanged(folders: tuple[Path, Path]) -> None:
    raw, clean = folders
    _run(raw, clean)
    assert Options().fingerprint() != Options(fields=("title",)).fingerprint()
    import ingest.options as options_mod

    original = options_mod.SCHEMA_VERSION
    options_mod.SCHEMA_VERSION = "0.9-test"
    try:
        report = _run(raw, clean)
    finally:
        options_mod.SCHEMA_VERSION = original
    assert report["counts"]["ok"] == 5  # every readable input again, none "unchanged"


# -- Parquet ---------------------------------------------------------------------------------------


def test_the_arrow_schema_is_derived_from_the_json_schema() -> None:
    s = article_schema()
    assert s.names[:3] == ["schema_version", "id", "doc_id"]
    assert s.field("published").type == pa.timestamp("s", tz="UTC") and s.field("published").nullable
    assert s.field("updated").type == pa.timestamp("s", tz="UTC")
    assert s.field("published_precision").type == pa.string()
    assert pa.types.is_struct(s.field("source").type) and pa.types.is_struct(s.field("stats").type)
    assert s.field("stats").type.field("words").type == pa.int64()
    assert s.field("source").type.field("encoding_confidence").type == pa.float64()
    for name in ("authors", "tags", "fixes", "removed", "warnings"):
        assert pa.types.is_list(s.field(name).type), name
    assert s.field("fixes").type.value_type == pa.struct(
        [pa.field("name", pa.string(), False), pa.field("count", pa.int64(), False)]
    )
    assert s.field("field_sources").type == pa.map_(pa.string(), pa.string())
    assert s.field("extra").type == pa.string()
    assert not s.field("body").nullable and s.field("title").nullable
    assert arrow_type({"type": ["integer", "null"]}) == pa.int64()
    with pytest.raises(ValueError):
        arrow_type({"oneOf": []})


def test_the_fast_json_reader_path_builds_the_same_table_as_row_by_row(tmp_path: Path) -> None:
    from ingest import iter_articles
    from ingest.exports.arrow_schema import RowMaker, table_from_ndjson

    recs = [
        _record(1, title="T", tags=["a", "b"], nested={"k": [1, {"x": None}]}),
        json.dumps(
            {
                "text": "Body with an epoch.",
                "published": 1632837787,
                "url": "https://n.example/x",
                "extra": {"field_sources": 1},
            }
        ),
        json.dumps({"text": "Date only here.", "date": "2021-02-03", "modified": "2021-02-04T05:06:07-03:00"}),
    ]
    articles = [o.article for o in iter_articles("\n".join(recs).encode(), path="r.jsonl")]
    articles.append(next(iter_articles(_text("Plaintown", 1).encode(), path="p.txt")).article)
    lines = [a.to_json() for a in articles]
    for fields in (None, ("title", "published", "source", "field_sources")):
        schema = article_schema(fields)
        slow = RowMaker(schema).table([json.loads(x) for x in lines])
        fast = table_from_ndjson(("\n".join(lines) + "\n").encode(), schema)
        assert fast.equals(slow), fields


def _parquet_rows(clean: Path) -> dict[str, dict]:
    df = duckdb.sql(
        "SELECT doc_id, id, title, body, published, published_precision, source.path AS path, source.record AS record,"
        f" stats.words AS words, to_json(authors) AS authors, extra FROM read_parquet('{clean}/**/*.parquet')"
    ).fetchall()
    out = {}
    for doc_id, aid, title, body, published, precision, path, record, words, authors, extra in df:
        assert doc_id not in out, f"duplicate row for {doc_id}"
        out[doc_id] = {
            "id": aid,
            "title": title,
            "body": body,
            "published": published,
            "published_precision": precision,
            "path": path,
            "record": record,
            "words": words,
            "authors": json.loads(authors),
            "extra": extra,
        }
    return out


def _assert_parquet_matches_tree(clean: Path) -> None:
    tree = _tree_articles(clean)
    rows = _parquet_rows(clean)
    assert set(rows) == set(tree)
    for doc_id, a in tree.items():
        r = rows[doc_id]
        assert (r["id"], r["title"], r["body"], r["path"], r["record"]) == (
            a["id"],
            a["title"],
            a["body"],
            a["source"]["path"],
            a["source"]["record"],
        )
        assert r["words"] == a["stats"]["words"] and r["authors"] == a["authors"]
        assert r["published_precision"] == a["published_precision"]
        if a["published"] is None:
            assert r["published"] is None
        else:
            expected = pd.Timestamp(a["published"] if len(a["published"]) > 10 else a["published"] + "T00:00:00")
            expected = expected.tz_localize("UTC") if expected.tzinfo is None else expected.tz_convert("UTC")
            assert pd.Timestamp(r["published"]) == expected
        assert (json.loads(r["extra"]) if r["extra"] is not None else None) == a["extra"]
    df = pd.read_parquet(clean / "articles.parquet")
    assert len(df) == len(tree) and sorted(df["doc_id"]) == sorted(tree)
    assert str(df["published"].dtype).startswith("datetime64") and str(df["published"].dtype).endswith("UTC]")


def test_parquet_follows_adds_changes_and_deletes(folders: tuple[Path, Path]) -> None:
    raw, clean = folders
    _run(raw, clean, parquet=True)
    _assert_parquet_matches_tree(clean)
    first_parts = sorted(p.name for p in (clean / "articles.parquet").iterdir())
    assert len(first_parts) == 1

    types = {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{clean}/**/*.parquet')").fetchall()}
    assert types["published"] == types["updated"] == "TIMESTAMP WITH TIME ZONE"
    assert types["authors"] == types["tags"] == "VARCHAR[]" and types["id"] == types["doc_id"] == "VARCHAR"
    assert types["stats"] == "STRUCT(paragraphs BIGINT, words BIGINT, characters BIGINT)"
    assert types["source"].startswith("STRUCT(path VARCHAR, sha256 VARCHAR, bytes BIGINT")

    report = _run(raw, clean, parquet=True)  # no-op: no new part, an empty change set
    assert report["parquet"]["parts_written"] == 0
    assert sorted(p.name for p in (clean / "articles.parquet").iterdir()) == first_parts
    assert (report["changes"]["added"], report["changes"]["changed"], report["changes"]["removed"]) == (0, 0, 0)
    assert list(read_changes(clean / ".ingest")) == []

    (raw / "new.txt").write_text(_text("Newtown", 9), encoding="utf-8")  # add
    (raw / "sub" / "story-1.txt").write_text(_text("Changedtown", 7), encoding="utf-8")  # change
    (raw / "feed.jsonl").write_text(_record(0) + "\n" + _record(1, title="Now with a title") + "\n", encoding="utf-8")
    (raw / "story-2.txt").unlink()  # delete (gone after --prune)
    _run(raw, clean, parquet=True, prune=True)
    _assert_parquet_matches_tree(clean)
    titles = {r["title"] for r in _parquet_rows(clean).values()}
    assert "Now with a title" in titles
    assert not any("Town2 " in r["body"] for r in _parquet_rows(clean).values())
    assert sum(1 for r in _parquet_rows(clean).values() if "Changedtown" in r["body"]) == 1

    (raw / "feed.jsonl").write_text("not json at all\n", encoding="utf-8")  # a failing input: its rows go
    _run(raw, clean, parquet=True)
    _assert_parquet_matches_tree(clean)
    assert not any(r["path"] == "feed.jsonl" for r in _parquet_rows(clean).values())


def test_parquet_is_rebuilt_after_a_run_without_it_or_a_killed_sync(folders: tuple[Path, Path]) -> None:
    raw, clean = folders
    _run(raw, clean, parquet=True)
    (raw / "later.txt").write_text(_text("Latertown", 3), encoding="utf-8")
    _run(raw, clean)  # without --output parquet: the dataset falls behind
    report = _run(raw, clean, parquet=True)  # ...and is rebuilt
    assert report["parquet"]["rows_written"] == 8
    _assert_parquet_matches_tree(clean)
    (clean / ".ingest" / pqmod.MARKER).unlink()  # what a sync killed half-way leaves
    report = _run(raw, clean, parquet=True)
    assert report["parquet"]["rows_written"] == 8 and len(list((clean / "articles.parquet").iterdir())) == 1
    _assert_parquet_matches_tree(clean)


def test_parquet_parts_are_compacted(folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    raw, clean = folders
    monkeypatch.setattr(pqmod, "MAX_PARTS", 3)
    _run(raw, clean, parquet=True)
    for i in range(5):
        (raw / f"extra-{i}.txt").write_text(_text(f"Extra{i}", i), encoding="utf-8")
        _run(raw, clean, parquet=True)
        assert len(list((clean / "articles.parquet").iterdir())) <= 3
    _assert_parquet_matches_tree(clean)


def test_parquet_writes_row_groups_of_the_configured_size(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    for i in range(23):
        (raw / f"s{i:02d}.txt").write_text(_text(f"Rowtown{i}", i), encoding="utf-8")
    _run(raw, clean, parquet=True, parquet_row_group=5)
    (part,) = (clean / "articles.parquet").iterdir()
    meta = pq.ParquetFile(part).metadata
    assert meta.num_rows == 23 and all(meta.row_group(i).num_rows <= 5 for i in range(meta.num_row_groups))


# -- the change feed -------------------------------------------------------------------------------


def test_the_change_feed_records_adds_changes_and_removals(folders: tuple[Path, Path]) -> None:
    raw, clean = folders
    state = clean / ".ingest"
    first = _run(raw, clean)
    feed = list(read_changes(state))
    assert {c["change"] for c in feed} == {"added"} and len(feed) == 7
    tree = _tree_articles(clean)
    assert {c["doc_id"] for c in feed} == set(tree)
    rec = next(c for c in feed if c["input"] == "feed.jsonl" and c["record"] == 2)
    assert rec["output"] == "feed.jsonl.jsonl" and rec["line"] == 2
    assert first["changes"]["added"] == 7

    noop = _run(raw, clean)
    assert list(read_changes(state)) == [] and noop["changes"] == {
        **noop["changes"],
        "added": 0,
        "changed": 0,
        "removed": 0,
    }

    (raw / "story-0.txt").write_text(_text("Otherplace", 99), encoding="utf-8")
    (raw / "feed.jsonl").write_text(_record(0) + "\n" + _record(2) + "\n" + _record(7) + "\n", encoding="utf-8")
    (raw / "sub" / "story-3.txt").unlink()
    (raw / "story-2.txt").touch()  # same bytes: processed again or skipped, but not a change
    third = _run(raw, clean, prune=True)
    changes = sorted((c["change"], c["input"], c["record"]) for c in read_changes(state))
    assert changes == [
        ("added", "feed.jsonl", 3),
        ("changed", "feed.jsonl", 2),  # urn:story:2 moved from line 3 to line 2: its source.record changed
        ("changed", "story-0.txt", None),
        ("removed", "feed.jsonl", None),  # urn:story:1
        ("removed", "sub/story-3.txt", None),
    ]
    everything = list(read_changes(state, since=first["run_id"]))
    assert len(everything) == 5
    assert len(list(read_changes(state, every=True))) == 12
    with pytest.raises(KeyError):
        list(read_changes(state, since="no-such-run"))
    assert third["changes"]["removed"] == 2


def test_ingest_changes_cli(folders: tuple[Path, Path]) -> None:
    raw, clean = folders
    first = _run(raw, clean)
    (raw / "story-0.txt").write_text(_text("Clitown", 5), encoding="utf-8")
    _run(raw, clean)
    runner = CliRunner()
    res = runner.invoke(app, ["changes", str(clean)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [(c["change"], c["input"]) for c in lines] == [("changed", "story-0.txt")]
    res = runner.invoke(app, ["changes", str(clean), "--since", first["run_id"]])
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 1
    res = runner.invoke(app, ["changes", str(clean), "--since", "nope"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["changes", str(clean.parent / "nothing")])
    assert res.exit_code == 2


# -- --output and --fields -------------------------------------------------------------------------


def test_fields_selects_what_every_output_writes(folders: tuple[Path, Path]) -> None:
    raw, clean = folders
    opts = Options(fields=("title", "body"))
    _run(raw, clean, options=opts, parquet=True, jsonl=clean / "articles.jsonl")
    for p in list(clean.rglob("*.json")) + [clean / "articles.jsonl"]:
        for line in p.read_text(encoding="utf-8").splitlines():
            # with Parquet, source is kept too: the key Parquet replaces an input's rows by
            assert list(json.loads(line)) == ["schema_version", "id", "doc_id", "title", "body", "source"]
    names = pq.read_schema(next((clean / "articles.parquet").iterdir())).names
    assert names == ["schema_version", "id", "doc_id", "title", "body", "source"]
    (raw / "story-0.txt").write_text(_text("Fieldtown", 3), encoding="utf-8")
    _run(raw, clean, options=opts, parquet=True)
    rows = duckdb.sql(f"SELECT source.path, body FROM read_parquet('{clean}/**/*.parquet')").fetchall()
    assert len(rows) == 7 and sum(1 for path, _ in rows if path == "story-0.txt") == 1
    assert any("Fieldtown" in body for _, body in rows)
    _run(raw, clean, options=Options(fields=("title", "body")))  # without Parquet: no source
    line = next(clean.rglob("story-0.txt.json")).read_text(encoding="utf-8")
    assert list(json.loads(line)) == ["schema_version", "id", "doc_id", "title", "body"]
    with pytest.raises(ValueError):
        Options(fields=("titel",))


def test_run_output_option_on_the_command_line(folders: tuple[Path, Path]) -> None:
    raw, clean = folders
    runner = CliRunner()
    res = runner.invoke(
        app, ["run", str(raw), str(clean), "-w", "1", "-q", "--output", "jsonl,parquet", "--fields", "title,published"]
    )
    assert res.exit_code == 1, res.output  # empty.txt is rejected
    assert _glob(f"{clean}/**/*.json") == []  # no tree
    lines = (clean / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 7 and list(json.loads(lines[0])) == [
        "schema_version",
        "id",
        "doc_id",
        "title",
        "published",
        "source",
    ]
    assert _one(f"SELECT count(*) FROM read_parquet('{clean}/**/*.parquet')") == (7,)
    res = runner.invoke(app, ["run", str(raw), str(clean), "--output", "csv"])
    assert res.exit_code == 2
    res = runner.invoke(app, ["run", str(raw), str(clean), "--fields", "nonsense"])
    assert res.exit_code == 2


def test_inputs_whose_names_are_not_utf8_get_feed_entries_and_parquet_rows(tmp_path: Path) -> None:
    import os

    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    bad = os.path.join(os.fsencode(raw), b"bad\xff.txt")
    with open(bad, "wb") as fh:
        fh.write(_text("Badname", 4).encode())
    _run(raw, clean, parquet=True)
    # (the dataset's own folder: DuckDB's ** glob stops at the tree's non-UTF-8 file name)
    (entry,) = read_changes(clean / ".ingest")
    assert (entry["input"], entry["output"]) == ("bad\\xff.txt", "bad\\xff.txt.json")
    assert _one(f"SELECT source.path FROM read_parquet('{clean}/articles.parquet/*.parquet')") == ("bad\\xff.txt",)
    with open(bad, "ab") as fh:
        fh.write(b"\nA new closing paragraph.\n")
    _run(raw, clean, parquet=True)
    assert [c["change"] for c in read_changes(clean / ".ingest")] == ["changed"]
    assert _one(f"SELECT count(*) FROM read_parquet('{clean}/articles.parquet/*.parquet')") == (1,)
