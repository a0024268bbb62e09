"""A batch driver does not load what only its workers run (the pipeline, the fixes, ftfy, lxml).

With a process pool, the driver lists inputs, plans WARC parts and writes the report; the
pipeline runs in the workers, which the pool's fork server starts warm. Every module the driver
imports for nothing delays the pool's start.
"""

from __future__ import annotations

import subprocess
import sys

_HEAVY = ("ingest.pipeline", "ingest.fixes", "ingest.readers.html", "ingest.metadata", "ftfy", "lxml")


def test_importing_the_batch_package_and_building_options_loads_no_pipeline() -> None:
    code = (
        "import sys\n"
        "import ingest.batch, ingest.batch.warcparts, ingest.batch.runner\n"
        "from ingest.options import Options\n"
        "Options().fingerprint()\n"
        f"print(','.join(m for m in {_HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_options_still_refuse_an_unknown_fix_name_and_list_the_plan() -> None:
    import pytest

    from ingest.options import Options

    with pytest.raises(ValueError, match="unknown fix name"):
        Options(disabled_fixes={"no_such_fix"})
    plan = Options(disabled_fixes={"fix_mojibake"}).enabled_fixes()
    assert "fix_mojibake" not in plan and "normalize_newlines" in plan
