"""`ingest explain FILE`: every change marked with its fix, removed lines with their kind, fields with sources."""

from __future__ import annotations

import io
import json
from pathlib import Path

from typer.testing import CliRunner

from ingest import Options
from ingest.cli import app
from ingest.explain import explain_file, trace_fixes, word_diff

TEXT = (
    "Harbour Weekly\n"
    "By Ada Lindqvist\n\n"
    "The ferryâ€™s new timetable starts on Monday, the board said.\n"
    "Advertisement\n"
    "Passengers\twelcomed the change.\n"
)


def test_plain_explanation_names_the_fix_of_each_change_and_the_kind_of_each_removed_line(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_bytes(TEXT.encode("utf-8"))
    res = CliRunner().invoke(app, ["explain", str(p)])
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "[fix_mojibake] The [-ferryâ€™][+ferry’]s new timetable" in out
    assert "[normalize_whitespace] Passengers[-\\u0009][+ ]welcomed" in out
    assert "advertisement: Advertisement" in out
    assert "language     en    <- detector:py3langid" in out
    assert "\x1b[" not in out  # not a terminal: no escape codes


def test_explain_a_record_and_a_rejected_input(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text(
        json.dumps({"text": "First story body here."})
        + "\n"
        + json.dumps({"text": "Second one, dated.", "date": "2021-02-03"})
        + "\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(app, ["explain", str(p), "--record", "2"])
    assert (
        res.exit_code == 0
        and "record 2" in res.stdout
        and "published    2021-02-03  (day)    <- record:date" in res.stdout
    )
    res = CliRunner().invoke(app, ["explain", str(p), "--record", "5"])
    assert res.exit_code == 1 and "error[bad_record]" in res.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text(" ", encoding="utf-8")
    assert CliRunner().invoke(app, ["explain", str(empty)]).exit_code == 1


def test_trace_attributes_changes_and_leaves_clean_text_alone() -> None:
    assert trace_fixes("A clean sentence.\n\nAnother one.", Options()) == []
    changes = trace_fixes("It&rsquo;s here.", Options())
    assert [(c.fix, c.before, c.after) for c in changes] == [("decode_html_entities", "It&rsquo;s here.", "It’s here.")]
    assert word_diff("a b c", "a x c") == [("=", "a "), ("-", "b"), ("+", "x"), ("=", " c")]


def test_explain_to_a_stream_is_plain_text() -> None:
    buf = io.StringIO()
    explain_file(TEXT.encode(), path="s.txt", options=Options(), out=buf)
    assert buf.getvalue().startswith("s.txt\nformat text")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_explain_on_a_terminal_uses_rich_with_colours() -> None:
    buf = _Terminal()
    explain_file(TEXT.encode(), path="s.txt", options=Options(), out=buf)
    out = buf.getvalue()
    assert "\x1b[" in out and "fix_mojibake" in out and "advertisement" in out and "detector:py3langid" in out
