"""The systemd units in contrib/systemd/ are valid and start the installed ingest."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

from .conftest import INGEST

UNITS = Path(__file__).resolve().parents[2] / "contrib" / "systemd"


def _units_pointing_at_this_ingest(tmp_path: Path) -> list[Path]:
    out = []
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text(encoding="utf-8").replace("/srv/ingest/.venv/bin/ingest", INGEST)
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
        out.append(tmp_path / unit.name)
    return out


def test_units_declare_what_the_readme_promises(tmp_path: Path) -> None:
    units = {p.name: p for p in _units_pointing_at_this_ingest(tmp_path)}
    assert set(units) == {"ingest-run.service", "ingest-run.timer", "ingest-watch.service"}
    parsed = {}
    for name, path in units.items():
        cp = configparser.ConfigParser(strict=False, interpolation=None)
        cp.optionxform = str  # type: ignore[assignment,method-assign]
        cp.read(path, encoding="utf-8")
        parsed[name] = cp
    run = parsed["ingest-run.service"]["Service"]
    assert run["Type"] == "oneshot" and run["ExecStart"].startswith(INGEST + " run ")
    assert "1" in run["SuccessExitStatus"].split()  # rejected inputs are data, not a unit failure
    timer = parsed["ingest-run.timer"]["Timer"]
    # Persistent= only means something beside OnCalendar= (systemd.timer(5)): never one without the other.
    assert timer["OnCalendar"] and timer["Persistent"] == "true"
    assert parsed["ingest-run.timer"]["Install"]["WantedBy"] == "timers.target"
    watch = parsed["ingest-watch.service"]["Service"]
    assert watch["ExecStart"].startswith(INGEST + " watch ")


def test_systemd_analyze_verify_finds_nothing_wrong(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    units = _units_pointing_at_this_ingest(tmp_path)
    if analyze is None:
        # No systemd on this machine: the structural test above is what can be checked here.
        assert all(u.read_text(encoding="utf-8").startswith(("#", "[")) for u in units)
        return
    proc = subprocess.run(
        [analyze, "verify", *map(str, units)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    problems = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    assert proc.returncode == 0 and problems == [], problems
