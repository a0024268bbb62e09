"""The README's promises that code can check: error codes, the Article field table, the tour runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ingest import ERROR_CODES

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "schemas" / "article.schema.json").read_text(encoding="utf-8"))


def section(title: str) -> str:
    """The text of one ``## title`` section."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert m, f"README has no '## {title}' section"
    return m.group(1)


def table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))])
    return rows[1:]  # without the header


def test_the_error_code_table_lists_exactly_the_codes_in_errors_py_in_order() -> None:
    rows = table_rows(section("Error codes"))
    codes = [r[0].strip("`") for r in rows]
    assert codes == list(ERROR_CODES), "regenerate the table from ingest.errors.ERROR_CODES"
    for code, meaning in ((r[0].strip("`"), r[1]) for r in rows):
        assert meaning == ERROR_CODES[code], f"{code}: README says {meaning!r}, errors.py says {ERROR_CODES[code]!r}"


def test_the_output_format_table_lists_exactly_the_schema_fields_in_order() -> None:
    listed: list[str] = []
    for row in table_rows(section("Output format")):
        listed.extend(name.strip().strip("`") for name in row[0].split(","))
    assert sorted(listed) == sorted(SCHEMA["properties"])
    # The table follows the output's key order (image shares url's row).
    assert [k for k in listed if k != "image"] == [k for k in SCHEMA["required"] if k != "image"]


def test_the_output_format_lists_every_source_sub_field() -> None:
    text = section("Output format")
    for key in SCHEMA["properties"]["source"]["properties"]:
        assert f"`{key}`" in text, f"source.{key} is not described"
    for key in SCHEMA["properties"]["stats"]["properties"]:
        assert f"`{key}`" in text, f"stats.{key} is not described"


def test_the_python_tour_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    m = re.search(r"```python\n(.*?)```", section("30-second tour"), re.S)
    assert m, "the tour has a python example"
    monkeypatch.chdir(ROOT)
    exec(compile(m.group(1), "README.md#30-second-tour", "exec"), {})


def test_the_tour_names_only_files_that_exist() -> None:
    for path in set(re.findall(r"\braw/[\w.-]+\.\w+", section("30-second tour"))):
        assert (ROOT / path).is_file(), f"the tour names {path}, which does not exist"
