"""Two promises about what a run never does: change its input folder, or touch the network."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .helpers import env, ingest_exe, run, write_corpus

pytestmark = pytest.mark.timeout(120)

# External entities and a remote DTD: a parser that fetched them would open a connection.
XXE_PAGE = (
    '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd" [\n'
    '<!ENTITY remote SYSTEM "http://203.0.113.7/secret.txt">\n<!ENTITY local SYSTEM "file:///etc/hostname">\n]>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Harbour news</title>'
    '<link rel="stylesheet" href="http://203.0.113.7/style.css"/></head><body><article>'
    "<p>The harbour board met on Monday and agreed to dredge the channel before the summer season. &remote; &local;</p>"
    "<p>Fishermen welcomed the decision, which had been delayed twice by the budget talks.</p>"
    "</article></body></html>\n"
)


def _corpus(raw: Path) -> None:
    write_corpus(raw, 30)  # text, HTML, JSONL and an empty file
    (raw / "xxe.xhtml").write_text(XXE_PAGE, encoding="utf-8")
    (raw / "bad.jsonl").write_text(
        '{"title": "ok", "text": "A whole sentence of text here."}\n{broken\n', encoding="utf-8"
    )
    (raw / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (raw / "locked.txt").write_text("no permission to read this", encoding="utf-8")
    os.chmod(raw / "locked.txt", 0o000)


def _snapshot(raw: Path) -> dict[str, tuple[int, int, int, bytes | None]]:
    """Every entry under ``raw``: mode, size, mtime_ns, and the bytes of readable files."""
    snap = {}
    for p in sorted(raw.rglob("*")):
        st = p.lstat()
        try:
            data = p.read_bytes() if p.is_file() else None
        except PermissionError:
            data = None
        snap[p.relative_to(raw).as_posix()] = (st.st_mode, st.st_size, st.st_mtime_ns, data)
    return snap


def test_runs_never_modify_the_input_folder(tmp_path: Path) -> None:
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus(raw)
    before = _snapshot(raw)
    assert run(raw, clean, "--workers", "2").returncode == 1  # some inputs are rejected
    assert run(raw, clean, "--workers", "1", "--force", "--prune").returncode == 1
    assert run(raw, clean, "--workers", "1", "--force", INGEST_TEST_FAIL_IO="renamed:2:EIO").returncode == 4
    assert run(raw, clean, "--workers", "1", "--force", INGEST_TEST_CRASH_AT="fsynced").returncode == -9
    assert run(raw, clean, "--workers", "1").returncode in (0, 1)
    assert _snapshot(raw) == before  # same names, modes, sizes, mtimes and bytes; nothing added


def _network_calls_strace(raw: Path, clean: Path, trace: Path) -> list[str] | None:
    """socket()/connect() calls of a ``--workers 2`` run and its workers, or None without strace."""
    strace = shutil.which("strace")
    if strace is None or subprocess.run([strace, "-qq", "-o", os.devnull, "true"], capture_output=True).returncode != 0:
        return None  # no strace, or ptrace is not allowed here
    proc = subprocess.run(
        [
            strace,
            "-f",
            "-qq",
            "-e",
            "trace=socket,connect,sendto,bind",
            "-e",
            "signal=none",
            "-o",
            str(trace),
            *ingest_exe(),
            "run",
            str(raw),
            str(clean),
            "--workers",
            "2",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        env=env(),
        timeout=100,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 1, proc.stderr
    calls = [line for line in trace.read_text().splitlines() if re.search(r"\b(socket|connect|sendto|bind)\(", line)]
    assert any("socket(AF_UNIX" in line for line in calls)  # the pool's pipes: the trace did see the workers
    # urllib3 (imported by htmldate, which never fetches here) probes for IPv6 at import time: an
    # AF_INET6 socket bound to ::1 and closed. A socket that is made, or bound to loopback, is not
    # a network connection; a connect() or sendto() to anything but a local IPC socket is.
    return [
        line
        for line in calls
        if not re.search(r"\bsocket\(", line)
        and not (re.search(r"\bbind\(", line) and re.search(r'"::1"|127\.0\.0\.1|AF_UNIX|AF_LOCAL|AF_NETLINK', line))
        and "AF_UNIX" not in line
        and "AF_LOCAL" not in line
    ]


AUDIT = """
import sys
calls = []
def hook(event, args):
    # A socket made (urllib3's IPv6 probe at import) is not a connection; connect/getaddrinfo are.
    if event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        calls.append(repr((event, args[1:])))
sys.addaudithook(hook)
from ingest.cli import main
sys.argv = ["ingest", "run", sys.argv[1], sys.argv[2], "--workers", "1", "--quiet"]
try:
    main()
except SystemExit:
    pass
sys.stdout.write("\\n".join(calls))
"""


def test_a_run_opens_no_network_connection(tmp_path: Path) -> None:
    """Not even for external entities, remote DTDs or stylesheets; only local IPC sockets."""
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    _corpus(raw)
    calls = _network_calls_strace(raw, clean, tmp_path / "trace")
    if calls is None:  # no strace: Python's audit hooks see every socket the interpreter opens
        proc = subprocess.run(
            [str(Path(ingest_exe()[0]).with_name("python")), "-c", AUDIT, str(raw), str(clean)],
            capture_output=True,
            text=True,
            env=env(),
            timeout=100,
            stdin=subprocess.DEVNULL,
        )
        calls = [line for line in proc.stdout.splitlines() if line.strip()]
    assert calls == []
    assert (clean / "xxe.xhtml.json").exists()  # the page was read, its entities left alone
