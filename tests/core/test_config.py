"""The config file belongs to the library: ``load_config`` and one precedence rule for every command.

A value given explicitly (a flag, a keyword argument) wins over ``ingest.toml`` /
``[tool.ingest]``, which wins over the default; ``clean``, ``run`` and ``watch`` all read it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from checks import ingest_exe

from ingest import IngestConfig, Options, load_config
from ingest.config import KEYS, ConfigError

CURLY = (
    "Harbour news\n\n"
    "She said \u201cthe ferry is late again\u201d and it\u2019s true. The harbour master agreed with her.\n"
)


def _cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    return subprocess.run(
        [*ingest_exe(), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "story.txt").write_text(CURLY, encoding="utf-8")
    return tmp_path


def test_load_config_reads_ingest_toml_with_types(tmp_path: Path) -> None:
    (tmp_path / "ingest.toml").write_text(
        'workers = 3\nascii_quotes = true\ndisable_fix = ["fix_mojibake"]\noutput = "json, jsonl"\n'
        'fields = ["title", "body"]\nmap = { body = "story_text" }\ninput_timeout = 5\n',
        encoding="utf-8",
    )
    cfg = load_config(cwd=tmp_path)
    assert cfg.path == tmp_path / "ingest.toml"
    assert (cfg.workers, cfg.ascii_quotes, cfg.disable_fix) == (3, True, ("fix_mojibake",))
    assert cfg.output == ("json", "jsonl") and cfg.fields == ("title", "body")
    assert cfg.field_map == (("body", "story_text"),) and cfg.input_timeout == 5.0
    options = cfg.options()
    assert options.ascii_quotes and options.disabled_fixes == frozenset({"fix_mojibake"})
    assert options.fields == ("title", "body") and options.field_map == (("body", "story_text"),)


def test_pyproject_tool_ingest_is_read_when_there_is_no_ingest_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ingest]\nno_language = true\n', encoding="utf-8"
    )
    assert load_config(cwd=tmp_path).options().detect_language is False
    assert load_config(cwd=tmp_path / "nowhere") == IngestConfig()  # no file: every default
    assert IngestConfig().options() == Options()


def test_a_flag_wins_over_the_file_which_wins_over_the_default(tmp_path: Path) -> None:
    (tmp_path / "ingest.toml").write_text("ascii_quotes = true\nworkers = 2\n", encoding="utf-8")
    cfg = load_config(cwd=tmp_path)
    assert cfg.with_flags(workers=None, include=[]).workers == 2  # not given: the file's value
    assert cfg.with_flags(workers=5).workers == 5
    assert cfg.options(ascii_quotes=False).ascii_quotes is False  # an explicit False is given
    assert cfg.options().strip_artifacts is True  # neither: the default
    with pytest.raises(TypeError):
        cfg.with_flags(no_such_setting=1)


def test_batch_config_takes_outputs_fields_and_run_flags_from_the_config(tmp_path: Path) -> None:
    (tmp_path / "ingest.toml").write_text(
        'output = ["jsonl"]\nfields = "title,body"\nfail_on = "none"\n', encoding="utf-8"
    )
    batch = load_config(cwd=tmp_path).batch_config(tmp_path / "raw", tmp_path / "clean", prune=True)
    assert batch.prune and batch.fail_on == "none"
    assert batch.tree is False and batch.jsonl == tmp_path / "clean" / "articles.jsonl"
    assert batch.options.fields == ("title", "body")
    assert batch.input_timeout == 60.0


@pytest.mark.parametrize(
    ("text", "word"),
    [("colour = 1\n", "unknown key"), ("workers = 'two'\n", "workers must be int"), ("output = 3\n", "output")],
)
def test_a_bad_config_file_is_a_config_error(tmp_path: Path, text: str, word: str) -> None:
    (tmp_path / "ingest.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=word):
        load_config(cwd=tmp_path)


def test_every_config_key_is_a_setting() -> None:
    renamed = {"format": "fmt", "map": "field_map"}
    settings = {f for f in IngestConfig.__dataclass_fields__ if f != "path"}
    assert {renamed.get(k, k) for k in KEYS} == settings


def test_options_built_from_lists_are_hashable() -> None:
    a = Options(disabled_fixes=["fix_mojibake"], field_map=[("body", "text")], fields=["title"])  # type: ignore[arg-type]
    b = Options(disabled_fixes=frozenset({"fix_mojibake"}), field_map=(("body", "text"),), fields=("title",))
    assert hash(a) == hash(b) and a == b and {a: 1}[b] == 1


def test_run_and_clean_both_honour_ascii_quotes_in_ingest_toml(folder: Path) -> None:
    (folder / "ingest.toml").write_text("ascii_quotes = true\n", encoding="utf-8")
    cleaned = _cli("clean", "raw/story.txt", cwd=folder)
    assert cleaned.returncode == 0, cleaned.stderr
    run = _cli("run", "raw", "clean", "-w", "1", "--quiet", cwd=folder)
    assert run.returncode == 0, run.stderr
    from_clean = json.loads(cleaned.stdout)
    from_run = json.loads((folder / "clean" / "story.txt.json").read_text(encoding="utf-8"))
    assert from_clean["body"] == from_run["body"]
    assert '"the ferry is late again"' in from_clean["body"] and "it's" in from_clean["body"]
    assert from_clean["fixes"] == from_run["fixes"]


def test_clean_takes_config_and_a_flag_still_wins(folder: Path) -> None:
    (folder / "other.toml").write_text('ascii_quotes = true\ndisable_fix = ["strip_header_lines"]\n', encoding="utf-8")
    plain = json.loads(_cli("clean", "raw/story.txt", cwd=folder).stdout)
    assert "\u201c" in plain["body"]  # no ingest.toml here: the default keeps typography
    configured = json.loads(_cli("clean", "raw/story.txt", "--config", "other.toml", cwd=folder).stdout)
    assert '"the ferry' in configured["body"] and configured["fixes"] != plain["fixes"]
    flagged = json.loads(
        _cli("clean", "raw/story.txt", "--config", "other.toml", "--disable-fix", "uncurl_quotes", cwd=folder).stdout
    )
    assert flagged["body"] == plain["body"]  # the flag's list replaced the file's: header lines go, quotes stay
    bad = _cli("clean", "raw/story.txt", "--config", "missing.toml", cwd=folder)
    assert bad.returncode == 2 and bad.stderr.startswith("error[config]:") and not bad.stdout
