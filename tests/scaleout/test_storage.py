"""fsspec locations for ingest run: memory:// and file:// folders with both executors, same results as plain paths."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import fsspec
import pytest

from ingest.batch import BatchConfig, BatchError, make_executor, run_batch
from ingest.batch.discovery import Found, discover
from ingest.batch.storage import RemoteFolder, change_token, default_state_dir, location, state_dir_default_root
from ingest.writers import is_temp_name

INGEST = shutil.which("ingest", path=str(Path(sys.executable).parent)) or str(Path(sys.executable).parent / "ingest")
MEM = fsspec.filesystem("memory")


@pytest.fixture()
def small(corpus: Path, tmp_path: Path) -> Path:
    """The first 40 inputs of the corpus (text, HTML and JSONL) in a folder of their own."""
    out = tmp_path / "raw"
    for p in sorted(corpus.rglob("*"))[:41]:
        if p.is_file():
            dest = out / p.relative_to(corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(p.read_bytes())
    return out


@pytest.fixture()
def mem() -> Iterator[str]:
    """A fresh memory:// prefix, removed afterwards."""
    prefix = f"memory://t-{uuid.uuid4().hex[:10]}"
    yield prefix
    if MEM.exists(prefix):
        MEM.rm(prefix, recursive=True)


def upload(local: Path, url: str) -> None:
    for p in sorted(local.rglob("*")):
        if p.is_file():
            MEM.pipe(f"{url}/{p.relative_to(local).as_posix()}", p.read_bytes())


def mem_tree(url: str) -> dict[str, bytes]:
    root = RemoteFolder(url).root
    return {
        k[len(root) + 1 :]: MEM.cat(k) for k in sorted(MEM.find(root)) if not k[len(root) + 1 :].startswith(".ingest/")
    }


@pytest.mark.parametrize(
    "given, expected",
    [
        ("raw", Path("raw")),
        ("/data/raw", Path("/data/raw")),
        ("file:///data/raw", Path("/data/raw")),
        ("local:///data/raw/", Path("/data/raw")),
        ("s3://bucket/raw/", "s3://bucket/raw"),
        ("memory://x", "memory://x"),
        ("simplecache::s3://bucket/raw", "simplecache::s3://bucket/raw"),
    ],
    ids=[
        "relative path",
        "absolute path",
        "file url is the local path",
        "local url",
        "s3 url keeps its slashes",
        "memory url",
        "chained url",
    ],
)
def test_location_keeps_urls_and_maps_local_ones_to_paths(given: str, expected: object) -> None:
    assert location(given) == expected


def test_change_token_follows_version_markers_not_only_the_second() -> None:
    a = {"LastModified": "2024-05-01T10:00:00Z", "ETag": '"abc"'}
    assert change_token(a) == change_token(dict(a))
    assert change_token(a) != change_token({**a, "ETag": '"abd"'})  # rewritten within the same second
    assert 0 <= change_token(a) < 2**63
    assert change_token({}) != change_token({})  # nothing to go by: never skip on the listing alone


def test_default_state_dir_is_local_per_destination_and_under_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    a, b = default_state_dir("s3://one/clean"), default_state_dir("s3://two/clean")
    assert a != b and a.name.startswith("clean-") and a == default_state_dir("s3://one/clean/")
    assert a.is_relative_to(state_dir_default_root())
    assert str(state_dir_default_root()).startswith(str(tmp_path))


def test_remote_discovery_lists_like_local_discovery(small: Path, mem: str) -> None:
    upload(small, f"{mem}/raw")
    MEM.pipe(f"{mem}/raw/.hidden", b"x")
    MEM.pipe(f"{mem}/raw/000/partial.txt.part", b"x")
    (small / "000" / "script.js").write_text("var x = 1;\n")
    MEM.pipe(f"{mem}/raw/000/script.js", b"var x = 1;\n")
    assert [(f.rel, f.reason) for f in discover(small) if not isinstance(f, Found)] == [("000/script.js", "asset")]
    assert [(f.rel, f.reason) for f in discover(f"{mem}/raw") if not isinstance(f, Found)] == [  # type: ignore[arg-type]
        ("000/script.js", "asset")
    ]
    local = [(f.rel, f.size) for f in discover(small) if isinstance(f, Found)]
    remote = [f for f in discover(f"{mem}/raw") if isinstance(f, Found)]  # type: ignore[arg-type]
    assert [(f.rel, f.size) for f in remote] == local
    assert all(isinstance(f, Found) and f.path == f"{mem}/raw/{f.rel}" for f in remote)


def test_memory_input_and_output_serial_executor_same_as_plain_paths(
    small: Path, mem: str, tmp_path: Path, tree: Callable[[Path], dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ref = run_batch(BatchConfig(small, tmp_path / "ref", durable=False))
    raw, clean = f"{mem}/raw", f"{mem}/clean"
    upload(small, raw)

    report = run_batch(BatchConfig(raw, clean))
    assert {k: report[k] for k in ("counts", "errors", "exit_code")} == {
        k: ref[k] for k in ("counts", "errors", "exit_code")
    }
    assert mem_tree(clean) == tree(tmp_path / "ref")
    # State is local (SQLite needs a real file system); a copy of the report sits next to the articles.
    state = default_state_dir(clean)
    assert (state / "manifest.sqlite").is_file() and (state / "report.ingest-json").is_file()
    assert json.loads(MEM.cat(f"{clean}/.ingest/report.ingest-json"))["run_id"] == report["run_id"]
    assert (
        MEM.cat(f"{clean}/.ingest/rejected.ingest-jsonl")
        == (tmp_path / "ref" / ".ingest" / "rejected.ingest-jsonl").read_bytes()
    )
    assert not [k for k in MEM.find(clean) if is_temp_name(k.rsplit("/", 1)[-1])]

    again = run_batch(BatchConfig(raw, clean))
    assert again["counts"]["skipped"] == again["counts"]["seen"] and again["counts"]["ok"] == 0  # type: ignore[index]

    first = next(k for k in sorted(MEM.find(raw)) if k.endswith(".txt"))
    rel = first[len(RemoteFolder(raw).root) + 1 :]
    MEM.pipe(first, b"Ferry strike ends\n\nThe ferry crews of Saltholm went back to work on Monday after a week.\n")
    MEM.rm(next(k for k in sorted(MEM.find(raw)) if k.endswith(".html")))
    third = run_batch(BatchConfig(raw, clean, prune=True))
    assert third["counts"]["ok"] == 1 and third["counts"]["pruned"] == 1  # type: ignore[index]
    assert b"Saltholm" in MEM.cat(f"{clean}/{rel}.json")
    assert len([k for k in MEM.find(clean) if k.endswith(".html.json")]) == len(
        [k for k in MEM.find(raw) if k.endswith(".html")]
    )


def test_local_input_memory_output_and_back(
    small: Path, mem: str, tmp_path: Path, tree: Callable[[Path], dict[str, bytes]]
) -> None:
    ref = tmp_path / "ref"
    run_batch(BatchConfig(small, ref, durable=False))
    run_batch(BatchConfig(small, f"{mem}/clean", state_dir=tmp_path / "s1"))
    assert mem_tree(f"{mem}/clean") == tree(ref)
    upload(small, f"{mem}/raw")
    run_batch(BatchConfig(f"{mem}/raw", tmp_path / "back"))
    assert tree(tmp_path / "back") == tree(ref)


def test_memory_with_worker_processes_is_a_usage_error(mem: str, tmp_path: Path) -> None:
    with pytest.raises(BatchError) as info:
        run_batch(BatchConfig(f"{mem}/raw", tmp_path / "clean"), executor=make_executor("local", 2))
    assert info.value.exit_code == 2


def test_failed_move_leaves_no_temp_key(mem: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = RemoteFolder(f"{mem}/out")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("store refused the copy")

    monkeypatch.setattr(folder.fs, "mv", refuse)
    with pytest.raises(OSError):
        folder.write_atomic("a/b.txt.json", b"{}\n")
    assert MEM.find(f"{mem}/out") == []


def test_sweep_removes_only_temp_keys(mem: str) -> None:
    folder = RemoteFolder(f"{mem}/out")
    folder.write_atomic("a/b.txt.json", b"{}\n")
    MEM.pipe(f"{mem}/out/a/.b.txt.json.0badc0de.ingest-tmp", b"{")
    assert len(list(folder.sweep_temp_files())) == 1
    assert [k.rsplit("/", 1)[-1] for k in MEM.find(f"{mem}/out")] == ["b.txt.json"]


@pytest.mark.parametrize("executor", ["local", "dask"])
def test_file_urls_from_the_command_line(
    executor: str, small: Path, tmp_path: Path, tree: Callable[[Path], dict[str, bytes]]
) -> None:
    ref = tmp_path / "ref"
    run_batch(BatchConfig(small, ref, durable=False))
    out = tmp_path / "out"
    proc = subprocess.run(
        [INGEST, "run", f"file://{small}", f"file://{out}", "--workers", "2", "--executor", executor, "--json"],
        capture_output=True,
        text=True,
        timeout=240,
        stdin=subprocess.DEVNULL,
    )
    report = json.loads(proc.stdout)
    assert proc.returncode == report["exit_code"]
    assert report["executor"] == ("dask" if executor == "dask" else "process")
    assert tree(out) == tree(ref)
    assert (out / ".ingest" / "manifest.sqlite").is_file()  # file:// is the plain local folder
    if executor == "dask":
        # --json keeps stderr quiet: no cluster banner. A local cluster's worker may still log its
        # last heartbeat failing while the scheduler shuts down first (distributed's teardown race,
        # after the run is over): that record and its traceback are the one thing allowed.
        err = proc.stderr
        race = " - distributed.worker - ERROR - Failed to communicate with scheduler during heartbeat"
        if race in err:
            err = err[: err.index(race)].rpartition("\n")[0]
        assert err == ""


@pytest.mark.parametrize(
    "url", ["nosuchproto://bucket/raw", "gdrive://folder/raw"], ids=["unknown protocol", "backend not installed"]
)
def test_unusable_url_is_a_usage_error(url: str, tmp_path: Path) -> None:
    for raw, clean in ((url, tmp_path / "clean"), (tmp_path, url)):
        with pytest.raises(BatchError) as info:
            run_batch(BatchConfig(raw, clean, state_dir=tmp_path / "state"))
        assert info.value.exit_code == 2
        assert url.split(":")[0] in str(info.value)


def test_worker_without_the_backend_blames_no_input(tmp_path: Path) -> None:
    from ingest.batch.worker import Task, process_task
    from ingest.options import Options

    res = process_task(Task("a.txt", "gdrive://folder/raw/a.txt", 10, 1), tmp_path, Options())
    assert res.env_error and "gdrive" in res.env_error and res.error_code is None


def test_status_of_a_remote_output_reads_the_local_state(
    small: Path, mem: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest.batch import read_status

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    report = run_batch(BatchConfig(small, f"{mem}/clean"))
    info = read_status(f"{mem}/clean")
    assert info["last_run"]["run_id"] == report["run_id"]  # type: ignore[index]
    assert info["inputs"]["total"] == report["counts"]["seen"]  # type: ignore[index]
