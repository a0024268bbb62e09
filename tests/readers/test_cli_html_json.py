"""End to end through the installed console script: HTML pages and JSONL exports."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from checks import assert_valid_article

DATA = Path(__file__).resolve().parent.parent / "data"


def run(cmd: list[str], env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cmd, *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def test_ingest_clean_page_html(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(ingest_cmd, clean_env, "clean", str(DATA / "html" / "jsonld-article.html"))
    assert p.returncode == 0, p.stderr
    article = json.loads(p.stdout)
    assert_valid_article(article)
    assert article["title"] == "Harbour Town Votes to Restore Old Lighthouse"
    assert article["source"]["format"] == "html"
    assert article["field_sources"]["published"] == "jsonld:datePublished"
    assert article["body"].startswith("Councillors in the harbour town")


def test_ingest_clean_html_from_stdin_is_sniffed(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    page = (DATA / "html" / "cp1252-meta-charset.html").read_bytes()
    p = subprocess.run([*ingest_cmd, "clean", "-"], input=page, capture_output=True, env=clean_env, timeout=120)
    assert p.returncode == 0, p.stderr
    article = json.loads(p.stdout.decode("utf-8"))
    assert article["source"]["encoding"] == "cp1252"
    assert "crêperie" in article["body"]


def test_ingest_clean_with_the_trafilatura_extractor(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(
        ingest_cmd, clean_env, "clean", "--html-extractor", "trafilatura", str(DATA / "html" / "opengraph-only.html")
    )
    assert p.returncode == 0, p.stderr
    article = json.loads(p.stdout)
    assert_valid_article(article)
    assert article["body"].startswith("Sleeper trains will run again")
    assert "Most read" not in article["body"]


def test_ingest_clean_jsonl_prints_one_article_per_good_record_and_reports_bad_lines(
    ingest_cmd: list[str], clean_env: dict[str, str]
) -> None:
    p = run(ingest_cmd, clean_env, "clean", str(DATA / "jsonl" / "mixed-html-and-bad.jsonl"))
    assert p.returncode == 1  # some records were rejected
    articles = [json.loads(x) for x in p.stdout.splitlines()]
    for a in articles:
        assert_valid_article(a)
    assert [a["source"]["record"] for a in articles] == [1, 4, 7]
    errors = p.stderr.splitlines()
    assert len(errors) == 3
    assert all(e.startswith("error[bad_record]: ") for e in errors)
    assert "record 2: line 2: invalid JSON" in errors[0]


def test_ingest_clean_with_map(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(
        ingest_cmd,
        clean_env,
        "clean",
        str(DATA / "jsonl" / "custom-nested.jsonl"),
        "--map",
        "body=story_text",
        "--map",
        "title=meta.headline",
        "--map",
        "authors=meta.writer",
    )
    assert p.returncode == 0, p.stderr
    titles = [json.loads(x)["title"] for x in p.stdout.splitlines()]
    assert titles == ["Bibliothek öffnet länger", "Wochenmarkt zieht an den Fluss"]
