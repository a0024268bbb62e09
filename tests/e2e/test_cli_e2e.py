"""End to end: the installed ``ingest`` console script, run as a real process.

Every article printed is parsed and validated against the JSON Schema. The command list for the
help checks comes from the typer app itself, so a new command without help text fails here.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import typer.main

from checks import assert_valid_article

import ingest
from ingest import FIX_NAMES, ERROR_CODES, iter_articles
from ingest.cli import app
from ingest.errors import SKIP_REASONS

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
TEXT_SAMPLES = sorted(p.name for p in RAW.glob("*.txt"))
ERROR_LINE_RE = re.compile(r"^error\[([a-z_]+)\]: \S.*$")


def run(
    cmd: list[str], env: dict[str, str], *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*cmd, *args], input=stdin, capture_output=True, env=env, cwd=cwd, timeout=120)


def articles_from(stdout: bytes) -> list[dict[str, Any]]:
    """One JSON article per line; each one validated against the schema."""
    text = stdout.decode("utf-8")
    assert text.endswith("\n"), "output must end with a newline"
    out = [json.loads(line) for line in text.splitlines()]
    for a in out:
        assert_valid_article(a)
    return out


def assert_one_error_line(p: subprocess.CompletedProcess[bytes], code: str) -> str:
    lines = p.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    m = ERROR_LINE_RE.match(lines[0])
    assert m, f"not an error[code]: line: {lines[0]!r}"
    assert m.group(1) == code, lines[0]
    return lines[0]


# ---- ingest clean ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", TEXT_SAMPLES)
def test_clean_file_prints_the_library_article_as_one_json_line(
    name: str, ingest_cmd: list[str], clean_env: dict[str, str]
) -> None:
    p = run(ingest_cmd, clean_env, "clean", f"raw/{name}", cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert p.stderr == b""
    assert p.stdout.count(b"\n") == 1, "compact output is a single line"
    [article] = articles_from(p.stdout)
    [library] = [o.article for o in iter_articles((RAW / name).read_bytes(), path=f"raw/{name}")]
    assert library is not None
    assert p.stdout.decode("utf-8") == library.to_json() + "\n", "the CLI prints exactly the library's to_json()"
    assert article["source"]["path"] == f"raw/{name}"


def test_clean_stdin_gives_the_same_article_without_a_path(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    name = "blog-lantern-festival-cp1252-crlf.txt"
    data = (RAW / name).read_bytes()
    from_file = articles_from(run(ingest_cmd, clean_env, "clean", str(RAW / name)).stdout)[0]
    p = run(ingest_cmd, clean_env, "clean", "-", stdin=data)
    assert p.returncode == 0, p.stderr
    [from_stdin] = articles_from(p.stdout)
    assert from_stdin["source"]["path"] is None
    assert from_stdin["source"]["sha256"] == from_file["source"]["sha256"]
    from_file["source"]["path"] = None
    # doc_id: the path for a file, the bytes' hash for stdin (field_sources says which)
    assert from_stdin.pop("doc_id") != from_file.pop("doc_id")
    assert (from_stdin["field_sources"].pop("doc_id"), from_file["field_sources"].pop("doc_id")) == (
        "source:sha256",
        "source:path",
    )
    assert from_stdin == from_file


def test_pretty_indents_the_same_article(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    path = str(RAW / "wire-veldmark-mojibake.txt")
    compact = run(ingest_cmd, clean_env, "clean", path)
    pretty = run(ingest_cmd, clean_env, "clean", path, "--pretty")
    assert pretty.returncode == 0, pretty.stderr
    text = pretty.stdout.decode("utf-8")
    assert text.startswith('{\n  "schema_version": "1.1",\n')
    article = json.loads(text)
    assert_valid_article(article)
    assert article == json.loads(compact.stdout)


def test_clean_jsonl_prints_one_article_per_record(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(ingest_cmd, clean_env, "clean", str(RAW / "scraper-local-news.jsonl"))
    assert p.returncode == 0, p.stderr
    articles = articles_from(p.stdout)
    assert [a["source"]["record"] for a in articles] == [1, 2]


def test_stdin_is_sniffed_by_content(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    """Without a file name, JSONL and HTML on stdin are recognised by their content."""
    p = run(ingest_cmd, clean_env, "clean", "-", stdin=(RAW / "scraper-local-news.jsonl").read_bytes())
    assert p.returncode == 0, p.stderr
    assert [a["source"]["format"] for a in articles_from(p.stdout)] == ["jsonl", "jsonl"]
    p = run(ingest_cmd, clean_env, "clean", "-", stdin=(RAW / "web-museum-reopens.html").read_bytes())
    [page] = articles_from(p.stdout)
    assert (
        page["source"]["format"] == "html" and page["title"] == "Maritime Museum Reopens With a Restored Fishing Boat"
    )


def test_format_forces_the_reader(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(ingest_cmd, clean_env, "clean", "--format", "text", str(RAW / "web-museum-reopens.html"))
    assert p.returncode == 0, p.stderr
    [article] = articles_from(p.stdout)
    assert article["source"]["format"] == "text"


def test_options_reach_the_library(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    path = str(RAW / "ap-marrow-down-hillfort.txt")
    [default] = articles_from(run(ingest_cmd, clean_env, "clean", path).stdout)
    p = run(ingest_cmd, clean_env, "clean", path, "--ascii-quotes", "--keep-artifacts", "--no-language")
    assert p.returncode == 0, p.stderr
    [changed] = articles_from(p.stdout)
    assert "\u201c" in default["body"] and "\u201c" not in changed["body"]
    assert changed["body"].startswith("Archaeologists find a Bronze Age gate")  # the headline stayed
    assert changed["removed"] == [] and changed["language"] is None
    p = run(ingest_cmd, clean_env, "clean", path, "--disable-fix", "normalize_whitespace")
    [no_ws] = articles_from(p.stdout)
    assert "normalize_whitespace" not in [f["name"] for f in no_ws["fixes"]]


# ---- rejected inputs: exit 1, one error line -------------------------------------------------


@pytest.mark.parametrize(
    ("case", "data", "code"),
    [
        ("empty file", b"", "empty"),
        ("whitespace only", b" \r\n\t\n  ", "empty"),
        ("byte-order mark only", b"\xef\xbb\xbf\n", "empty"),
        ("png image", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        ("pdf document", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "binary"),
        ("nul-heavy data", b"abc\x00\x00\x00def\x00" * 200, "binary"),
        ("only punctuation", b"--- *** ---\n...\n", "no_text"),
    ],
)
def test_a_bad_input_exits_1_with_one_error_line(
    case: str, data: bytes, code: str, tmp_path: Path, ingest_cmd: list[str], clean_env: dict[str, str]
) -> None:
    f = tmp_path / "input.txt"
    f.write_bytes(data)
    p = run(ingest_cmd, clean_env, "clean", str(f))
    assert p.returncode == 1, (case, p.stderr)
    assert p.stdout == b""
    line = assert_one_error_line(p, code)
    assert str(f) in line, "the error names the file"


def test_a_bad_stdin_exits_1_with_one_error_line(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(ingest_cmd, clean_env, "clean", "-", stdin=b"\x7fELF\x02\x01\x01" + bytes(200))
    assert p.returncode == 1
    assert p.stdout == b""
    assert_one_error_line(p, "binary")


def test_an_input_over_max_bytes_is_rejected_before_reading(
    tmp_path: Path, ingest_cmd: list[str], clean_env: dict[str, str]
) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"A sentence of article text that repeats.\n" * 100)
    p = run(ingest_cmd, clean_env, "clean", str(f), "--max-bytes", "1000")
    assert p.returncode == 1
    assert_one_error_line(p, "too_large")
    p = run(ingest_cmd, clean_env, "clean", "-", "--max-bytes", "1000", stdin=f.read_bytes())
    assert p.returncode == 1
    assert_one_error_line(p, "too_large")


def test_a_jsonl_with_a_bad_record_prints_the_good_ones_and_exits_1(
    tmp_path: Path, ingest_cmd: list[str], clean_env: dict[str, str]
) -> None:
    f = tmp_path / "export.jsonl"
    good = {
        "title": "Quay Works Finish Early",
        "text": "The works on the north quay finished two weeks early, the harbour office said.",
    }
    f.write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    p = run(ingest_cmd, clean_env, "clean", str(f))
    assert p.returncode == 1
    [article] = articles_from(p.stdout)
    assert article["title"] == "Quay Works Finish Early"
    assert "record 2" in assert_one_error_line(p, "bad_record")


# ---- usage errors: exit 2 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "args"),
    [
        ("unknown option", ["clean", "raw/wire-veldmark-mojibake.txt", "--no-such-option"]),
        ("unknown command", ["no-such-command"]),
        ("missing file argument", ["clean"]),
        ("unknown fix name", ["clean", "raw/wire-veldmark-mojibake.txt", "--disable-fix", "no_such_fix"]),
        ("bad format", ["clean", "raw/wire-veldmark-mojibake.txt", "--format", "pdf"]),
        ("max-bytes not a number", ["clean", "raw/wire-veldmark-mojibake.txt", "--max-bytes", "lots"]),
    ],
)
def test_a_usage_error_exits_2_and_prints_nothing_on_stdout(
    case: str, args: list[str], ingest_cmd: list[str], clean_env: dict[str, str]
) -> None:
    p = run(ingest_cmd, clean_env, *args, cwd=ROOT)
    assert p.returncode == 2, (case, p.stdout, p.stderr)
    assert p.stdout == b""
    assert p.stderr.strip(), "a usage error says what is wrong"


def test_a_folder_is_not_a_file(tmp_path: Path, ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(ingest_cmd, clean_env, "clean", str(tmp_path))
    assert p.returncode == 2
    assert p.stdout == b""
    assert_one_error_line(p, "not_a_file")


def test_a_missing_file_is_a_bad_input_not_found_with_one_line(
    tmp_path: Path, ingest_cmd: list[str], clean_env: dict[str, str]
) -> None:
    p = run(ingest_cmd, clean_env, "clean", str(tmp_path / "nope.txt"))
    assert p.returncode == 1
    assert p.stdout == b""
    assert_one_error_line(p, "not_found")


# ---- the other commands ----------------------------------------------------------------------


def test_schema_prints_a_valid_json_schema_equal_to_the_checked_in_one(
    ingest_cmd: list[str], clean_env: dict[str, str]
) -> None:
    p = run(ingest_cmd, clean_env, "schema")
    assert p.returncode == 0, p.stderr
    schema = json.loads(p.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == json.loads((ROOT / "schemas" / "article.schema.json").read_text(encoding="utf-8"))
    # And the schema accepts what the CLI produces (a strict validator, not the test helper).
    article = json.loads(run(ingest_cmd, clean_env, "clean", str(RAW / "news-zarechye-bridge-ru.txt")).stdout)
    jsonschema.Draft202012Validator(schema).validate(article)


def test_fixes_lists_every_fix_in_plan_order(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(ingest_cmd, clean_env, "fixes")
    assert p.returncode == 0, p.stderr
    names = [line.split()[0] for line in p.stdout.decode("utf-8").splitlines() if line.strip()]
    assert names == list(FIX_NAMES)


def test_errors_lists_every_error_code_with_its_meaning(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(ingest_cmd, clean_env, "errors")
    assert p.returncode == 0, p.stderr
    codes, _, skips = p.stdout.decode("utf-8").partition("\nskipped (")
    rows = [line.split(None, 1) for line in codes.splitlines() if line.strip()]
    assert [r[0] for r in rows] == list(ERROR_CODES)
    assert all(len(r) == 2 and r[1].strip() for r in rows), "every code has a description"
    skip_rows = [line.split(None, 1) for line in skips.splitlines()[1:] if line.strip()]
    assert [r[0] for r in skip_rows] == list(SKIP_REASONS)
    assert all(len(r) == 2 and r[1].strip() for r in skip_rows), "every skip reason has a description"
    for code in ("not_a_file", "not_found", "vanished", "changed_during_read", "symlink_outside", "asset"):
        assert code in {r[0] for r in rows + skip_rows}


def test_version_prints_the_package_version(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(ingest_cmd, clean_env, "--version")
    assert p.returncode == 0
    assert p.stdout.decode().strip() == f"ingest {ingest.__version__}"


def _commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    out: list[tuple[str, Any]] = []

    def walk(prefix: tuple[str, ...], group: Any) -> None:
        for name, cmd in sorted(getattr(group, "commands", {}).items()):
            out.append((" ".join((*prefix, name)), cmd))
            walk((*prefix, name), cmd)

    walk((), root)
    return out


def _flat(text: str) -> str:
    """Help text without rich's box drawing and line wrapping."""
    return " ".join(re.sub(r"[\u2500-\u257f]", " ", text).split())


def test_the_cli_has_the_commands_the_readme_tours() -> None:
    names = {n for n, _ in _commands()}
    assert {"clean", "schema", "fixes", "errors"} <= names


@pytest.mark.parametrize(("command", "cmd"), _commands(), ids=[n for n, _ in _commands()])
def test_every_command_and_option_has_help_text(
    command: str, cmd: Any, ingest_cmd: list[str], clean_env: dict[str, str]
) -> None:
    summary = (cmd.help or "").strip()
    assert summary, f"`ingest {command}` has no help text (give the function a docstring)"
    for param in cmd.params:
        if param.name == "help":
            continue
        assert (getattr(param, "help", None) or "").strip(), f"`ingest {command}`: {param.name!r} has no help text"
    env = dict(clean_env, COLUMNS="200", TERM="dumb", NO_COLOR="1")
    p = run(ingest_cmd, env, *command.split(), "--help")
    assert p.returncode == 0, p.stderr
    shown = _flat(p.stdout.decode("utf-8"))
    first_line = summary.splitlines()[0]
    assert _flat(first_line)[:60] in shown, f"`ingest {command} --help` does not show {first_line!r}"


def test_root_help_lists_every_command(ingest_cmd: list[str], clean_env: dict[str, str]) -> None:
    p = run(ingest_cmd, dict(clean_env, COLUMNS="200"), "--help")
    assert p.returncode == 0
    shown = p.stdout.decode("utf-8")
    for name, _ in _commands():
        assert re.search(rf"\b{re.escape(name)}\b", shown), f"`ingest --help` does not list {name}"
