"""`ingest run` over a folder mixing .txt, .html, .json and .jsonl: the same articles as `ingest clean`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from checks import assert_valid_article, ingest_exe

from ingest import iter_articles

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]


def test_run_over_a_mixed_folder_gives_the_library_articles_with_markup_metadata(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    shutil.copytree(DATA / "html", raw / "pages")
    shutil.copytree(DATA / "jsonl", raw / "exports")
    shutil.copy(ROOT / "raw" / "wire-veldmark-mojibake.txt", raw / "wire.txt")
    record = {
        "headline": "Harbour crane returns",
        "datePublished": "2024-03-05",
        "author": ["Ana Ruiz", "Bo Lind"],
        "articleBody": (
            "The old harbour crane was lifted back onto its rails on Tuesday after a year of repairs. "
            "Volunteers painted it in its original green."
        ),
    }
    (raw / "single.json").write_text(json.dumps(record), encoding="utf-8")
    proc = subprocess.run(
        [*ingest_exe(), "run", str(raw), str(clean), "-w", "2", "--json"], capture_output=True, text=True, timeout=180
    )
    report = json.loads(proc.stdout)
    c = report["counts"]
    assert c["ok"] + c["failed"] + c["skipped"] == c["seen"]

    outputs = {p.relative_to(clean).as_posix() for p in clean.rglob("*") if p.is_file() and ".ingest" not in p.parts}
    html_pages = sorted(p.name for p in (DATA / "html").glob("*.html"))
    assert {f"pages/{n}.json" for n in html_pages} <= outputs
    for export in (DATA / "jsonl").glob("*.jsonl"):
        # A record file whose every record is rejected (custom-nested needs --map) has no output.
        has_article = any(o.article for o in iter_articles(export.read_bytes(), path=export.name))
        assert (f"exports/{export.name}.jsonl" in outputs) == has_article, export.name
    assert {"wire.txt.json", "single.json.json"} <= outputs

    # Every output validates and equals what the library gives for the same bytes and path.
    for rel in sorted(outputs):
        src = raw / rel.rsplit(".", 1)[0]
        lines = (clean / rel).read_text(encoding="utf-8").splitlines()
        for line in lines:
            assert_valid_article(json.loads(line))
        expected = [
            o.article.to_json()
            for o in iter_articles(src.read_bytes(), path=src.relative_to(raw).as_posix())
            if o.article
        ]
        assert lines == expected, rel

    single = json.loads((clean / "single.json.json").read_text(encoding="utf-8"))
    assert (single["title"], single["published"], single["authors"]) == (
        "Harbour crane returns",
        "2024-03-05",
        ["Ana Ruiz", "Bo Lind"],
    )
    page = json.loads((clean / "pages" / "jsonld-article.html.json").read_text(encoding="utf-8"))
    assert page["title"] and page["published"] and page["field_sources"]["published"].startswith(("jsonld", "meta"))
    # A bad JSONL record is rejected alone, with its line number, and the run says so (exit 1).
    rejects = [json.loads(x) for x in (clean / ".ingest" / "rejected.ingest-jsonl").read_text().splitlines()]
    assert all(r["record"] for r in rejects if r["path"].startswith("exports/"))
    assert proc.returncode == (1 if rejects else 0)


def test_run_with_a_field_map_from_the_config_file_reads_a_custom_export(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    shutil.copy(DATA / "jsonl" / "custom-nested.jsonl", raw / "custom.jsonl")
    (tmp_path / "ingest.toml").write_text(
        '[map]\nbody = "story_text"\ntitle = "meta.headline"\nauthors = "meta.writer"\n'
    )
    proc = subprocess.run(
        [*ingest_exe(), "run", str(raw), str(clean), "-w", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    lines = (clean / "custom.jsonl.jsonl").read_text(encoding="utf-8").splitlines()
    articles = [json.loads(x) for x in lines]
    assert len(articles) == 2 and all(a["title"] and a["authors"] for a in articles)
    assert all(a["field_sources"]["title"] == "record:meta.headline" for a in articles)
