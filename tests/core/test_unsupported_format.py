"""Feeds and tables are not articles: ``unsupported_format``, with a message that says what to do."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from checks import ingest_exe

from ingest import ERROR_CODES, IngestError, clean_article, iter_articles

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by a news site -->
<rss version="2.0"><channel><title>Harbour news</title>
<item><title>Ferry late again</title><description>The morning ferry was late.</description></item>
</channel></rss>
"""
ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><entry><title>A post</title></entry></feed>"""
CSV = b"title,body\nFerry late again,The morning ferry was late for the third time this week.\n"


@pytest.mark.parametrize(
    ("data", "path", "kind"),
    [
        (RSS, "news.xml", "RSS/Atom feed"),
        (RSS, "news.rss", "RSS/Atom feed"),
        (RSS, "saved-page.txt", "RSS/Atom feed"),  # sniffed by its root element whatever the name
        (b"\xef\xbb\xbf" + ATOM, "blog.atom", "RSS/Atom feed"),
        (ATOM, None, "RSS/Atom feed"),
        (CSV, "export.csv", "CSV table"),
        (CSV.replace(b",", b"\t"), "export.tsv", "TSV table"),
        (b"<?xml version='1.0'?><catalog><book>Dune</book></catalog>", "books.xml", "XML document"),
    ],
)
def test_feeds_tables_and_xml_are_unsupported_format(data: bytes, path: str | None, kind: str) -> None:
    with pytest.raises(IngestError) as info:
        clean_article(data, path=path)
    assert info.value.code == "unsupported_format"
    assert kind in info.value.message and "JSONL" in info.value.message


def test_what_is_not_a_feed_or_table_is_still_read() -> None:
    prose = b"Prices rose, the council said, and rents followed.\n\nA second paragraph, with commas, too.\n"
    assert clean_article(prose, path="note.txt").body.startswith("Prices rose")
    page = (
        b"<html><body><article><h1>Rss feeds explained</h1><p>"
        + b"An article about feeds. " * 10
        + b"</p></article></body></html>"
    )
    assert clean_article(page, path="page.xml").title == "Rss feeds explained"  # HTML under an XML name is HTML
    with pytest.raises(IngestError, match="RSS/Atom feed"):
        list(iter_articles(RSS, path="news.rss"))  # the whole input is rejected, as by clean_article


def test_a_forced_reader_still_reads_it() -> None:
    from ingest import Options

    article = clean_article(CSV, path="export.csv", options=Options(format="text"))
    assert "Ferry late again" in article.body


def test_the_code_is_listed_and_the_cli_prints_one_line(tmp_path: Path) -> None:
    assert "RSS/Atom feed" in ERROR_CODES["unsupported_format"]
    feed = tmp_path / "news.xml"
    feed.write_bytes(RSS)
    env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    p = subprocess.run([*ingest_exe(), "clean", str(feed)], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 1 and not p.stdout
    assert p.stderr.startswith(f"error[unsupported_format]: {feed}: this is an RSS/Atom feed")
    listed = subprocess.run([*ingest_exe(), "errors"], capture_output=True, text=True, env=env, timeout=120)
    assert "unsupported_format" in listed.stdout and "RSS/Atom feed" in listed.stdout
