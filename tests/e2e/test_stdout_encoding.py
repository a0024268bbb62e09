"""JSON on stdout is UTF-8 bytes even when the locale says stdout is something else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INGEST = str(Path(sys.executable).parent / "ingest")


@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "latin-1"}, {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}],
    ids=["latin-1 stdout", "C locale"],
)
def test_clean_prints_utf8_json_whatever_the_locale(env: dict[str, str], tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL", "LANG", "PYTHONUTF8")}
    sample = ROOT / "raw" / "news-zarechye-bridge-ru.txt"
    proc = subprocess.run([INGEST, "clean", str(sample)], capture_output=True, env={**base, **env}, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    article = json.loads(proc.stdout.decode("utf-8"))
    assert any("\u0400" <= c <= "\u04ff" for c in article["body"])
    schema = subprocess.run([INGEST, "schema"], capture_output=True, env={**base, **env}, timeout=60)
    assert schema.returncode == 0 and json.loads(schema.stdout.decode("utf-8"))["type"] == "object"
