"""The README's Python examples type-check with ``mypy --strict``, as a user's script would.

Every fenced ``python`` block that imports from ``ingest`` (and nothing outside ingest and the
standard library) is written to a file and checked against the installed package: the lazy
exports of ``ingest`` must give the real types (``run_batch``, ``BatchConfig``, ``RunReport``,
``load_config``), not ``object``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCK_RE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)  # linear: lazy body up to the first closing fence
IMPORT_RE = re.compile(r"^(?:from|import) ([A-Za-z_][\w.]*)", re.M)  # linear: anchored, one word


def _examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for block in BLOCK_RE.findall(text):
        roots = {m.split(".")[0] for m in IMPORT_RE.findall(block)}
        if "ingest" in roots and roots <= {"ingest"} | set(sys.stdlib_module_names):
            out.append(block)
    return out


def test_the_readme_has_library_examples_for_clean_and_batch_runs() -> None:
    blocks = "\n".join(_examples())
    for name in ("clean_article", "iter_articles", "run_batch", "load_config", "RunReport"):
        assert name in blocks, f"no README python example uses {name}"


def test_readme_python_examples_pass_mypy_strict(tmp_path: Path) -> None:
    files = []
    for i, block in enumerate(_examples()):
        f = tmp_path / f"readme_example_{i}.py"
        f.write_text(block, encoding="utf-8")
        files.append(str(f))
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "cache"),
            *files,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert p.returncode == 0, p.stdout + p.stderr
