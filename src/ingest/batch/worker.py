"""The unit of work every executor runs: read one input, clean it, commit its output.

A worker never touches the manifest; it returns a :class:`Result` (a plain, picklable value) and
the driver records it. Executors ship *references* (paths), never file contents.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import IngestError
from ..options import Options
from ..pipeline import iter_articles
from .manifest import display_path
from ..writers import GroupCommit, checkpoint
from .storage import Folder, LocalFolder, Location, LocationError, is_url, read_input_url, worker_folder


@dataclass(frozen=True)
class Task:
    """One input to process. ``prev_*`` come from the manifest when the fingerprint matches."""

    rel: str
    path: str
    size: int
    mtime_ns: int
    prev_sha: str | None = None
    prev_output: str | None = None
    prev_status: str | None = None


@dataclass(frozen=True)
class Job:
    """A batch of tasks sharing an output folder and options."""

    tasks: tuple[Task, ...]
    out_root: str
    options: Options
    durable: bool = True
    # True when the articles go to the state folder (no article tree): names no article glob matches.
    state_names: bool = False


@dataclass
class Result:
    """What happened to one input."""

    rel: str
    size: int
    mtime_ns: int
    status: str  # ok, failed, unchanged; skipped (error_code: changed_during_read, vanished): not recorded
    sha256: str | None = None
    output: str | None = None
    records_ok: int = 0
    records_failed: int = 0
    error_code: str | None = None
    error_message: str | None = None
    rejects: list[tuple[int | None, str, str]] = field(default_factory=list)
    fixes: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    removed_output: str | None = None
    env_error: str | None = None  # set: the environment failed; the input is not to blame
    # Per article written: (doc_id, id, record, hash of its JSON line) — for the change feed.
    docs: list[tuple[str, str, int | None, str]] = field(default_factory=list)


def output_name(rel: str, multi: bool, state: bool = False) -> str:
    """``a/b.txt`` → ``a/b.txt.json``; a record file (JSONL, JSON list) → ``a/b.jsonl.jsonl``.

    Appending (never replacing) the extension keeps ``b.txt`` and ``b.html`` apart, and an output
    ending ``.json`` can never equal one ending ``.jsonl``, so two inputs never share an output.
    ``state``: the copy kept in the state folder has no dot but its last one (``%`` and ``.`` of
    the input's name escaped as ``%25`` and ``%2E``) and ends ``.ingest-json(l)``, so no
    ``*.json*`` glob over the output folder matches it, whatever the input was called.
    """
    if not state:
        return rel + (".jsonl" if multi else ".json")
    folder, _, name = rel.rpartition("/")
    name = name.replace("%", "%25").replace(".", "%2E")
    return (folder + "/" if folder else "") + name + (".ingest-jsonl" if multi else ".ingest-json")


class _NotRead(Exception):
    """The input changed or vanished between listing and reading: nobody's fault, try again later."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _read_input(task: Task, max_bytes: int) -> tuple[bytes, int, int]:
    """The input's bytes and the size and mtime of what was read (from the open file, not the listing).

    Raises:
        _NotRead: the file vanished since it was listed, or changed while it was read (a torn read
            gives no output; the manifest keeps its old row so the next run takes the file again).
    """
    if is_url(task.path):  # an input in an object store: the listing gave its size
        if task.size > max_bytes:
            raise _too_large(task.size, max_bytes)
        data = read_input_url(task.path, max_bytes)
        if len(data) > max_bytes:
            raise _too_large(len(data), max_bytes)
        return data, task.size, task.mtime_ns
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    checkpoint("input_listed")
    try:
        fd = os.open(task.path, flags)
    except FileNotFoundError:
        raise _NotRead("vanished", "deleted or renamed away after it was listed") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise IngestError("not a regular file (it changed since it was listed)", code="not_regular")
        if st.st_size > max_bytes:
            raise _too_large(st.st_size, max_bytes)
        checkpoint("input_opened")
        chunks = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        after = os.fstat(fd)
        # A writer truncating, appending or rewriting the file in place moves its size or mtime;
        # the bytes read may then mix two versions. The ctime also catches a writer that puts
        # the mtime back (cp -p), but an unlink moves it too (link count), and a file replaced by
        # a rename leaves this inode's bytes intact: the whole old version, recorded with its stat.
        changed = (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns) or (
            after.st_ctime_ns != st.st_ctime_ns and after.st_nlink == st.st_nlink
        )
        if changed:
            raise _NotRead("changed_during_read", "written to while it was being read; taken again by the next run")
        return b"".join(chunks), st.st_size, st.st_mtime_ns
    finally:
        os.close(fd)


def _too_large(size: int, max_bytes: int) -> IngestError:
    return IngestError(
        f"input is {size:,} bytes, over the {max_bytes:,}-byte cap (raise --max-bytes to accept it)",
        code="too_large",
    )


def _failed(task: Task, sha: str | None, code: str, message: str, out_root: Folder) -> Result:
    res = Result(task.rel, task.size, task.mtime_ns, "failed", sha256=sha, error_code=code, error_message=message)
    res.rejects.append((None, code, message))
    if task.prev_output and _remove(out_root, task.prev_output):
        res.removed_output = task.prev_output  # the old article no longer matches the input
    return res


def _remove(out_root: Folder, rel: str) -> bool:
    try:
        return out_root.remove(rel)
    except OSError:  # a stale output that cannot be removed is not this input's failure
        return False


def process_task(
    task: Task, out_root: Location | Folder, options: Options, *, durable: bool = True, group: GroupCommit | None = None,
    state: bool = False,
) -> Result:
    """Read, clean and commit one input. Never raises for a bad input; see ``Result.env_error``.

    ``out_root`` is the output folder: a Path, an fsspec URL (see :mod:`ingest.batch.storage`) or
    a folder object.
    """
    if isinstance(out_root, (str, Path)):
        out_root = worker_folder(out_root)
    try:
        data, size, mtime_ns = _read_input(task, options.max_bytes)
    except _NotRead as e:
        return Result(task.rel, task.size, task.mtime_ns, "skipped", error_code=e.reason, error_message=e.detail)
    except IngestError as e:
        return _failed(task, None, e.code, e.message, out_root)
    except LocationError as e:  # this worker cannot open the store at all: not the input's fault
        return Result(task.rel, task.size, task.mtime_ns, "failed", env_error=e.strerror or str(e))
    except OSError as e:
        code = "unreadable"
        return _failed(task, None, code, f"cannot read the input: {e.strerror or e}", out_root)
    task = replace(task, size=size, mtime_ns=mtime_ns)  # the manifest records what was read
    sha = hashlib.sha256(data).hexdigest()
    if (
        task.prev_status == "ok"
        and task.prev_sha == sha
        and task.prev_output
        and _is_file(out_root, task.prev_output)
    ):
        return Result(task.rel, task.size, task.mtime_ns, "unchanged", sha256=sha, output=task.prev_output)

    articles = []
    rejects: list[tuple[int | None, str, str]] = []
    multi = False
    try:
        for outcome in iter_articles(data, path=display_path(task.rel), options=options):
            if outcome.record is not None:
                multi = True
            if outcome.error is not None:
                rejects.append((outcome.record, outcome.error.code, outcome.error.message))
            else:
                articles.append(outcome.article)
    except IngestError as e:
        return _failed(task, sha, e.code, e.message, out_root)
    except RecursionError:
        return _failed(task, sha, "too_complex", "the input nests too deeply to process", out_root)
    except MemoryError:
        return _failed(task, sha, "too_large", "the input needs more memory than is available", out_root)
    except Exception as e:  # a bug in ingest: recorded for this input, the batch goes on
        return _failed(task, sha, "internal_error", f"{type(e).__name__}: {e} (please report this input)", out_root)

    if not articles:
        if not rejects:
            return _failed(task, sha, "no_text", "the input holds no records", out_root)
        first_rec, code, msg = rejects[0]
        res = _failed(task, sha, code, f"all {len(rejects)} record(s) rejected; first: {msg}", out_root)
        res.rejects = rejects
        res.records_failed = len(rejects)
        return res

    out_rel = output_name(task.rel, multi, state)
    fields = options.fields or None
    lines = [a.to_json(fields=fields).encode("utf-8") + b"\n" for a in articles]
    payload = b"".join(lines)
    try:
        if group is not None and isinstance(out_root, LocalFolder):
            group.write(out_root.root / out_rel, payload)  # visible at group.commit()
        else:
            out_root.write_atomic(out_rel, payload, durable=durable)
    except OSError as e:
        if e.errno == errno.ENAMETOOLONG:
            return _failed(task, sha, "name_too_long", "the output name would be too long for the file system", out_root)
        if e.errno in (errno.EISDIR, errno.ENOTDIR):
            return _failed(
                task, sha, "output_conflict",
                f"{display_path(out_rel)} clashes with a folder of the same name in the output", out_root,
            )
        # Anything else (disk full, read-only, permission) is the environment's fault: stop the
        # run and blame no input.
        return Result(
            task.rel, task.size, task.mtime_ns, "failed", sha256=sha,
            env_error=f"cannot write {display_path(out_rel)}: {e.strerror or e}",
        )
    res = Result(
        task.rel, task.size, task.mtime_ns, "ok", sha256=sha, output=out_rel,
        records_ok=len(articles) if multi else 0, records_failed=len(rejects), rejects=rejects,
    )
    if task.prev_output and task.prev_output != out_rel and _remove(out_root, task.prev_output):
        res.removed_output = task.prev_output
    fixes: Counter[str] = Counter()
    warns: Counter[str] = Counter()
    for a in articles:
        for f in a.fixes:
            fixes[f.name] += f.count
        for w in a.warnings:
            warns[w.code] += 1
    res.fixes = dict(fixes)
    res.warnings = dict(warns)
    # The change feed compares articles without source.sha256 / source.bytes: those follow the
    # whole input file, so one edited record of a JSONL file does not "change" its neighbours.
    container = (f'"sha256":"{sha}",'.encode(), f'"bytes":{len(data)},'.encode())
    res.docs = [
        (a.doc_id, a.id, a.source.record, hashlib.sha256(line.replace(container[0], b"").replace(container[1], b"")).hexdigest()[:16])
        for a, line in zip(articles, lines)
    ]
    return res


def _is_file(out_root: Folder, rel: str) -> bool:
    try:
        return out_root.is_file(rel)
    except OSError:
        return False  # cannot tell: clean the input again (the write will say if the store is down)


def run_job(job: Job) -> list[Result]:
    """Process every task of a job (the function executors ship to workers)."""
    try:
        out_root = worker_folder(job.out_root)
    except LocationError as e:  # this worker cannot open the output store: blame no input
        return [Result(t.rel, t.size, t.mtime_ns, "failed", env_error=e.strerror or str(e)) for t in job.tasks]
    if len(job.tasks) == 1 or not isinstance(out_root, LocalFolder):
        return [process_task(t, out_root, job.options, durable=job.durable, state=job.state_names) for t in job.tasks]
    # Several local outputs: commit them together (two syncs per job, not two fsyncs per file).
    group = GroupCommit(durable=job.durable)
    results = [
        process_task(t, out_root, job.options, durable=job.durable, group=group, state=job.state_names) for t in job.tasks
    ]
    try:
        group.commit()
    except OSError as e:
        message = f"cannot commit outputs in {out_root}: {e.strerror or e}"
        for res in results:
            if res.status == "ok":  # written but never made visible: not done, nobody to blame
                res.status, res.output, res.env_error = "failed", None, message
    return results
