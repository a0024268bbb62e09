"""Every hostile input at once through a real ``ingest run --workers 2`` subprocess.

One input folder holds all the inputs of :mod:`cases` plus good files, hostile *names* (a newline,
non-UTF-8 bytes, a leading ``-``, a right-to-left override), a FIFO, a symlink out of the folder,
a file without read permission, the same content under two names and a sparse 200 MB file. Each
bad file must get its own code in the report, the rejects file and the manifest; every good one
must be written and validate; the accounting must add up; the exit code is 1.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checks import assert_valid_article, ingest_exe
from ingest.writers import is_temp_name

from .cases import CASES, GOOD, SECRET

pytestmark = pytest.mark.timeout(240)

BIDI = "\u202e"
SPARSE_SIZE = 200 * 1024 * 1024
# Names whose trouble is the name itself; their content is a good article.
ODD_NAMES: dict[bytes, str] = {
    b"new\nline.txt": "a newline in the name",
    b"caf\xe9-latin1.txt": "a name that is not UTF-8",
    b"-rf.txt": "a name that looks like an option",
    b" leading space.txt": "a leading space",
}
GOOD_NAMES = [b"good-1.txt", b"sub/good-2.txt", b"sub/deeper/good-3.html"]


def _good(i: int) -> bytes:
    return GOOD.replace("Harbour", f"Harbour {i}").encode()


def privilege_wrapper() -> tuple[list[str], str]:
    """How to run ingest so that a mode-000 file really is unreadable, and what to expect then.

    As root, file modes do not stop reads (CAP_DAC_OVERRIDE). setpriv drops that capability and
    CAP_DAC_READ_SEARCH from the bounding set, so the run is subject to file modes like any user.
    Without setpriv, root reads the file and the expected outcome is an article, said plainly.
    """
    if os.geteuid() != 0:
        return [], "unreadable"
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps", "-all"], "unreadable"
    return [], "ok"  # root without a way to drop the capability: the file is readable to it


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("hostile")
    raw, clean, side = base / "raw", base / "clean", base / "side"
    for d in (raw, side):
        d.mkdir()
    expected: dict[bytes, str] = {}  # input name -> "ok" or the error/skip code
    for case in CASES:
        (raw / case.name).write_bytes(case.build(side))
        expected[case.name.encode()] = case.expect
    for i, name in enumerate(GOOD_NAMES):
        p = Path(os.fsdecode(raw)) / os.fsdecode(name)
        p.parent.mkdir(parents=True, exist_ok=True)
        data = _good(i)
        if name.endswith(b".html"):
            data = (
                f"<html><head><title>Good page</title></head><body><article><p>{GOOD}</p></article></body></html>"
            ).encode()
        p.write_bytes(data)
        expected[name] = "ok"
    for i, name in enumerate(ODD_NAMES):
        (Path(os.fsencode(raw).decode("utf-8", "surrogateescape")) / os.fsdecode(name)).write_bytes(_good(10 + i))
        expected[name] = "ok"
    (raw / "copy-of-good-1.txt").write_bytes(_good(0))  # the same content as good-1.txt
    expected[b"copy-of-good-1.txt"] = "ok"
    (raw / f"invoice-{BIDI}txt.exe.txt").write_bytes(b"")  # a bidi name, failing, so it is printed
    expected[f"invoice-{BIDI}txt.exe.txt".encode()] = "empty"
    with open(raw / "huge-sparse.txt", "wb") as fh:  # 200 MB of holes: no disk, no memory
        fh.truncate(SPARSE_SIZE)
    expected[b"huge-sparse.txt"] = "too_large"
    os.mkfifo(raw / "pipe.txt")
    expected[b"pipe.txt"] = "not_regular"
    (side / "outside.txt").write_bytes(_good(99))
    os.symlink(side / "outside.txt", raw / "link-out.txt")
    expected[b"link-out.txt"] = "symlink_outside"
    locked = raw / "locked.txt"
    locked.write_bytes(_good(42))
    locked.chmod(0)
    wrapper, locked_outcome = privilege_wrapper()
    expected[b"locked.txt"] = locked_outcome

    proc = subprocess.run(
        [*wrapper, *ingest_exe(), "run", str(raw), str(clean), "--workers", "2", "--verbose"],
        capture_output=True,
        env=_env(),
        timeout=200,
        stdin=subprocess.DEVNULL,
    )
    locked.chmod(0o644)  # let tmp_path clean-up remove it
    report = json.loads((clean / ".ingest" / "report.ingest-json").read_text(encoding="utf-8"))
    rejects = [
        json.loads(line)
        for line in (clean / ".ingest" / "rejected.ingest-jsonl").read_text(encoding="utf-8").splitlines()
    ]
    db = sqlite3.connect(clean / ".ingest" / "manifest.sqlite")
    manifest = {bytes(p): (s, c) for p, s, c in db.execute("SELECT path, status, error_code FROM inputs")}
    db.close()
    return {
        "raw": raw,
        "clean": clean,
        "proc": proc,
        "report": report,
        "rejects": rejects,
        "manifest": manifest,
        "expected": expected,
    }


def _display(name: bytes) -> str:
    return name.decode("utf-8", "backslashreplace")


def _outputs(clean: Path) -> dict[bytes, Path]:
    out = {}
    for dirpath, _dirs, files in os.walk(os.fsencode(clean)):
        for f in files:
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, os.fsencode(clean))
            if not rel.startswith(b".ingest"):
                out[rel] = Path(os.fsdecode(full))
    return out


def test_the_run_exits_1_and_the_accounting_adds_up(hostile_run: dict[str, Any]) -> None:
    proc, report = hostile_run["proc"], hostile_run["report"]
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")
    c = report["counts"]
    expected = hostile_run["expected"]
    assert c["seen"] == len(expected)
    assert c["ok"] + c["failed"] + c["skipped"] == c["seen"]
    assert c["not_done"] == 0 and report["environment_error"] is None
    assert c["ok"] == sum(1 for v in expected.values() if v == "ok")
    assert c["skipped"] == 2  # the FIFO and the symlink: never opened


@pytest.mark.parametrize("case", [c for c in CASES if c.expect != "ok"], ids=lambda c: c.id)
def test_each_rejected_input_has_its_code_everywhere(case: Any, hostile_run: dict[str, Any]) -> None:
    _assert_rejected(hostile_run, case.name.encode(), case.expect)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        (b"huge-sparse.txt", "too_large"),
        (f"invoice-{BIDI}txt.exe.txt".encode(), "empty"),
    ],
    ids=["200 MB sparse file", "bidi file name"],
)
def test_file_level_rejections(name: bytes, code: str, hostile_run: dict[str, Any]) -> None:
    _assert_rejected(hostile_run, name, code)


def test_the_unreadable_file(hostile_run: dict[str, Any]) -> None:
    outcome = hostile_run["expected"][b"locked.txt"]
    if outcome == "ok":  # root with no setpriv: see privilege_wrapper
        assert hostile_run["manifest"][b"locked.txt"] == ("ok", None)
    else:
        _assert_rejected(hostile_run, b"locked.txt", "unreadable")
        msg = next(f["message"] for f in hostile_run["report"]["failures"] if f["path"] == "locked.txt")
        assert "ermission denied" in msg


def _assert_rejected(run: dict[str, Any], name: bytes, code: str) -> None:
    assert run["manifest"][name] == ("failed", code)
    shown = _display(name)
    assert {"path": shown, "record": None, "code": code} in [
        {k: r[k] for k in ("path", "record", "code")} for r in run["rejects"]
    ]
    assert any(f["path"] == shown and f["code"] == code for f in run["report"]["failures"])
    assert run["report"]["errors"].get(code, 0) >= 1
    assert not any(k.startswith(name) for k in _outputs(run["clean"]))


@pytest.mark.parametrize(
    ("name", "reason"),
    [(b"pipe.txt", "not_regular"), (b"link-out.txt", "symlink_outside")],
    ids=["FIFO", "symlink out of the folder"],
)
def test_entries_that_are_never_opened_are_skipped_with_a_reason(
    name: bytes, reason: str, hostile_run: dict[str, Any]
) -> None:
    assert hostile_run["manifest"][name] == ("skipped", reason)
    assert {"path": name.decode(), "reason": reason} in [
        {k: e[k] for k in ("path", "reason")} for e in hostile_run["report"]["skipped_entries"]
    ]
    assert hostile_run["report"]["skipped_by_reason"][reason] == 1


@pytest.mark.parametrize("case", [c for c in CASES if c.expect == "ok"], ids=lambda c: c.id)
def test_each_accepted_input_is_written_valid(case: Any, hostile_run: dict[str, Any]) -> None:
    name = case.name.encode()
    out = hostile_run["clean"] / (case.name + (".jsonl" if case.records else ".json"))
    assert hostile_run["manifest"][name] == ("ok", None)
    lines = out.read_bytes().decode("utf-8").splitlines()  # strict UTF-8
    articles = [json.loads(line) for line in lines]
    for a in articles:
        assert_valid_article(a)
        assert a["source"]["path"] == case.name
    if case.records:
        assert len(articles) == case.records.count("ok")
        bad = [i + 1 for i, r in enumerate(case.records) if r != "ok"]
        assert sorted(r["record"] for r in hostile_run["rejects"] if r["path"] == case.name) == bad
    elif case.check:
        case.check(articles[0])


@pytest.mark.parametrize(
    "name", list(ODD_NAMES) + GOOD_NAMES + [b"copy-of-good-1.txt"], ids=lambda n: ODD_NAMES.get(n) or n.decode()
)
def test_good_files_under_any_name_are_written_under_their_own_name(name: bytes, hostile_run: dict[str, Any]) -> None:
    assert hostile_run["manifest"][name] == ("ok", None)
    out = _outputs(hostile_run["clean"])[name + b".json"]
    article = json.loads(out.read_bytes().decode("utf-8"))
    assert_valid_article(article)
    assert article["source"]["path"] == _display(name)  # printable UTF-8, bad bytes as \x escapes


def test_outputs_are_named_from_input_names_never_titles(hostile_run: dict[str, Any]) -> None:
    expected = hostile_run["expected"]
    names = set(_outputs(hostile_run["clean"]))
    want = {
        n + (b".jsonl" if n.endswith((b".jsonl", b".warc.gz")) else b".json") for n, v in expected.items() if v == "ok"
    }
    assert names == want
    # the title with a right-to-left override did not leak into any name
    assert not any(BIDI.encode() in n or b"gnp" in n for n in names)
    assert not any(is_temp_name(os.fsdecode(os.path.basename(n))) for n in names)


def test_the_same_content_under_two_names_gives_two_outputs_with_one_article_id(hostile_run: dict[str, Any]) -> None:
    clean = hostile_run["clean"]
    a = json.loads((clean / "good-1.txt.json").read_text(encoding="utf-8"))
    b = json.loads((clean / "copy-of-good-1.txt.json").read_text(encoding="utf-8"))
    assert a["id"] == b["id"] and a["body"] == b["body"] and a["source"]["sha256"] == b["source"]["sha256"]
    assert (a["source"]["path"], b["source"]["path"]) == ("good-1.txt", "copy-of-good-1.txt")


def test_no_output_holds_the_file_an_external_entity_names(hostile_run: dict[str, Any]) -> None:
    for path in _outputs(hostile_run["clean"]).values():
        assert SECRET.encode() not in path.read_bytes()


def test_terminal_output_escapes_bidi_and_control_characters_in_names(hostile_run: dict[str, Any]) -> None:
    proc = hostile_run["proc"]
    err = proc.stderr.decode("utf-8")
    out = proc.stdout.decode("utf-8")
    assert "error[empty]: invoice-\\u202etxt.exe.txt" in err
    assert BIDI not in err and BIDI not in out
    assert "skipped[not_regular]: pipe.txt" in err
    # every line is one event: a newline inside a name cannot forge a line
    assert all(line.startswith(("error[", "skipped[", "  ")) for line in err.splitlines() if line)


def _peak_rss_kb(raw: Path, clean: Path) -> tuple[int, int]:
    """(exit code, peak RSS in KB) of ``ingest run`` measured by a wrapper whose only child it is."""
    probe = (
        "import json, resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(json.dumps([p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", probe, *ingest_exe(), "run", str(raw), str(clean), "--workers", "1", "--quiet"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    rc, rss = json.loads(res.stdout)
    return rc, rss


def test_a_200mb_input_is_rejected_from_its_size_without_reading_it(tmp_path: Path) -> None:
    """The cap is checked on the file's size before any byte is read: peak memory does not grow.

    Two runs with one worker (in-process): a folder with one good file, and the same plus a
    sparse 200 MB file. Reading the big file would add 200 MB to the peak RSS; the size check
    adds nothing (the allowance covers allocator noise).
    """
    base_raw, raw = tmp_path / "base", tmp_path / "raw"
    for d in (base_raw, raw):
        d.mkdir()
        (d / "good.txt").write_bytes(_good(1))
    with open(raw / "huge.txt", "wb") as fh:
        fh.truncate(SPARSE_SIZE)
    rc_base, rss_base = _peak_rss_kb(base_raw, tmp_path / "clean-base")
    rc, rss = _peak_rss_kb(raw, tmp_path / "clean")
    assert (rc_base, rc) == (0, 1)
    assert rss - rss_base < 40 * 1024, f"peak RSS grew by {(rss - rss_base) // 1024} MB: the file was read"
    report = json.loads((tmp_path / "clean" / ".ingest" / "report.ingest-json").read_text(encoding="utf-8"))
    assert report["errors"] == {"too_large": 1} and report["counts"]["ok"] == 1
    assert report["failures"][0]["message"].startswith(f"input is {SPARSE_SIZE:,} bytes")


# -- issue 20: the second pass ----------------------------------------------------------------------

SECOND_PASS_TIMEOUT = 5  # --input-timeout of the run below
SLOW_SLEEP = 600  # what the injected slow input would take: the run must not wait for it


@pytest.mark.timeout(600)
def test_second_pass_hostile_folder_with_100_good_files_finishes_within_the_budget(tmp_path: Path) -> None:
    """Issue 20's target: one ``ingest run -w 2`` over every second-pass reproducer plus 100 good files.

    All 100 good articles are written, each hostile input is recorded with a code, the run ends
    without waiting for the wedged input, and a rerun is idle.
    """
    raw, clean = tmp_path / "raw", tmp_path / "clean"
    raw.mkdir()
    for i in range(100):
        folder = raw / f"desk{i % 5}"
        folder.mkdir(exist_ok=True)
        (folder / f"good-{i:03d}.txt").write_bytes(_good(i))
    hostile = {
        # exponential backtracking in HTML sniffing before the regex fix; a timeout at worst
        "comments.html": b"<!---->" * 34 + b"text",
        "n" * 247 + ".txt": _good(200),  # 251 bytes: the output name is over the 255-byte limit
        "x.txt": _good(201),
        "x.txt.json/inner.txt": _good(202),  # a folder x.txt.json in the output, where x.txt's output goes
        # a UTC offset of 99 hours, then a good record
        "offsets.jsonl": (
            (
                json.dumps({"title": "Offset", "text": GOOD, "date": "Fri, 01 Mar 2024 10:00:00 +9999"})
                + "\n"
                + json.dumps({"title": "Plain", "text": GOOD.replace("Harbour", "Quay")})
                + "\n"
            ).encode()
        ),
        "slowpoke.txt": _good(203),  # made to wedge with every signal blocked (INGEST_TEST_SLOW_INPUT)
        "broken-write.txt": _good(204),  # made to fail while its output is written (INGEST_TEST_FAIL_INPUT)
    }
    for name, data in hostile.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    env = _env()
    env["INGEST_TEST_SLOW_INPUT"] = f"slowpoke:{SLOW_SLEEP}:hard"
    env["INGEST_TEST_FAIL_INPUT"] = "broken-write:write"
    cmd = [*ingest_exe(), "run", str(raw), str(clean), "-w", "2", "--json", "--input-timeout", str(SECOND_PASS_TIMEOUT)]
    proc = subprocess.run(cmd, capture_output=True, env=env, timeout=240, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")  # inputs failed; never 4
    report = json.loads(proc.stdout)
    assert report["environment_error"] is None and report["duration_s"] < SLOW_SLEEP
    db = sqlite3.connect(clean / ".ingest" / "manifest.sqlite")
    rows = {os.fsdecode(bytes(p)): (s, c) for p, s, c in db.execute("SELECT path, status, error_code FROM inputs")}
    db.close()
    # every good file is written and valid
    for i in range(100):
        assert rows[f"desk{i % 5}/good-{i:03d}.txt"] == ("ok", None)
        article = json.loads((clean / f"desk{i % 5}" / f"good-{i:03d}.txt.json").read_text(encoding="utf-8"))
        assert_valid_article(article)
    # each hostile input is recorded, with its own code
    assert rows["n" * 247 + ".txt"] == ("failed", "name_too_long")
    conflict = sorted(str(c) for p, (s, c) in rows.items() if p in ("x.txt", "x.txt.json/inner.txt"))
    assert conflict == ["None", "output_conflict"]
    assert rows["slowpoke.txt"] == ("failed", "timeout")
    assert rows["broken-write.txt"] == ("failed", "internal_error")
    # HTML sniffing is linear: the comment run is an ordinary page, read well inside its budget; the
    # impossible UTC offset is dropped (bad_utc_offset) and both records of the file are written.
    assert rows["comments.html"] == ("ok", None)
    assert rows["offsets.jsonl"] == ("ok", None)
    offsets = [json.loads(line) for line in (clean / "offsets.jsonl.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [a["title"] for a in offsets] == ["Offset", "Plain"]
    assert "bad_utc_offset" in {w["code"] for w in offsets[0]["warnings"]}
    c = report["counts"]
    assert c["seen"] == 100 + len(hostile) and c["not_done"] == 0
    assert c["ok"] + c["failed"] + c["skipped"] == c["seen"]
    assert not [p for p in clean.rglob("*") if is_temp_name(p.name)]
    # a rerun is idle
    again = subprocess.run(cmd, capture_output=True, env=env, timeout=240, stdin=subprocess.DEVNULL)
    assert again.returncode == 0, again.stderr.decode("utf-8", "replace")
    rerun = json.loads(again.stdout)
    assert rerun["counts"]["ok"] == rerun["counts"]["failed"] == 0
    assert rerun["counts"]["skipped"] == c["seen"]
