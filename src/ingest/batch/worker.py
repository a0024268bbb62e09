"""The unit of work every executor runs: read one input, clean it, commit its output.

A worker never touches the manifest; it returns a :class:`Result` (a plain, picklable value) and
the driver records it. Executors ship *references* (paths), never file contents.

Per-input failures are values: whatever goes wrong inside one input's steps (read, clean, output
name, write, commit) is recorded for that input, with a specific code where one exists and
``internal_error`` otherwise; only a failure of the output folder itself (disk full, read-only,
I/O error) is an environment error that stops the run.

Budgets per input (see ``Job.timeout`` and :func:`limit_memory`):

* time: :func:`ingest.budget.deadline` interrupts an input that runs longer than ``Job.timeout`` seconds (a
  SIGALRM timer in a process's main thread, an asynchronous exception in other threads) and the
  input gets ``timeout``. That stops Python code and regular expressions, not C code that never
  returns to the interpreter; for that the process executor's driver kills a worker that is still
  on the same input a grace period later (see :mod:`ingest.batch.executors`).
* memory: a pool worker limits its address space to what it had at start plus
  :data:`MEMORY_FACTOR` × ``max_bytes`` (at least :data:`MEMORY_FLOOR`); an input that needs more
  gets ``too_large`` instead of taking the machine's memory.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..budget import InputTimeout, deadline, timeout_message
from ..errors import IngestError
from ..options import Options
from .manifest import display_path
from ..faults import inject
from ..writers import TEMP_SUFFIX, GroupCommit, is_input_errno
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
    part: Any = None  # an ingest.batch.warcparts.Part: only these bytes of a big WARC file (it has .process)


@dataclass(frozen=True)
class Job:
    """A batch of tasks sharing an output folder and options."""

    tasks: tuple[Task, ...]
    out_root: str
    options: Options
    durable: bool = True
    timeout: float | None = None  # seconds one input may take (``--input-timeout``); None: no limit
    dedup: Any = None  # an ingest.dedup.DedupConfig: also return each article's signature (--dedup)
    # True when the articles go to the state folder (no article tree): names no article glob matches.
    state_names: bool = False

    def with_tasks(self, tasks: tuple[Task, ...]) -> Job:
        """The same job (output root, options, budget, dedup…: every field) for other tasks: a retry."""
        return replace(self, tasks=tasks)


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
    signatures: list[Any] = field(default_factory=list)  # --dedup: (key, line, Signature) per article
    # Per article written: (doc_id, id, record, hash of its JSON line) — for the change feed.
    docs: list[tuple[str, str, int | None, str]] = field(default_factory=list)
    records_skipped: dict[str, int] = field(default_factory=dict)  # a WARC file's records that are not pages, by kind
    part: dict[str, Any] | None = None  # a part of a big WARC file: what the driver assembles (warcparts)


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
    inject("input_listed")
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
        inject("input_opened")
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
    except (OSError, ValueError):  # a stale output that cannot be removed is not this input's failure
        return False


# -- what a pool worker tells its driver --------------------------------------------------------------

# Set in pool workers by the process executor (see executors._worker_init): a shared array with one
# slot of four numbers per worker — pid, job token, index of the task in the job, monotonic start
# time of that task (0 when idle) — that the driver reads to find a worker stuck on one input.
_board: Any = None
_slot = 0
_token = 0


def attach_board(board: Any, slot: int) -> None:
    """Called once in each pool worker: report progress into ``board[slot]``."""
    global _board, _slot
    _board, _slot = board, slot


def run_tracked(function: Callable[["Job"], list["Result"]], job: "Job", token: int) -> list["Result"]:
    """What the process executor submits: ``function(job)``, with ``token`` naming the job on the board."""
    global _token
    _token = token
    try:
        return function(job)
    finally:
        _token = 0
        _report(None)


def _report(index: int | None) -> None:
    board = _board
    if board is None:
        return
    base = _slot * 4
    board[base + 3] = 0.0  # idle first: the driver never pairs a new task with an old start time
    if index is None:
        return
    board[base] = float(os.getpid())
    board[base + 1] = float(_token)
    board[base + 2] = float(index)
    board[base + 3] = time.monotonic()


# -- the memory budget ------------------------------------------------------------------------------

#: Peak memory of a worker per byte of input, measured: 16 MB of tiny ``<p>`` elements → 913 MB RSS
#: (57×), one 40 MB JSONL line → 1.1 GB (28×). The budget is this factor times ``max_bytes``.
MEMORY_FACTOR = 64
MEMORY_FLOOR = 512 << 20  # never less than this above the worker's start-up size
_memory_limited: int | None = None


def memory_budget(max_bytes: int) -> int:
    """Bytes of address space a worker may add to its start-up size for inputs up to ``max_bytes``."""
    return max(MEMORY_FLOOR, MEMORY_FACTOR * max_bytes)


def limit_memory(max_bytes: int) -> int | None:
    """Limit this process's address space to its current size plus :func:`memory_budget` (Linux).

    Only pool workers call this (the driver's own memory is never limited). Returns the limit set,
    or None where it cannot be set. An input that needs more fails with ``too_large``.
    """
    global _memory_limited
    if _memory_limited is not None:
        return _memory_limited
    try:
        import resource

        with open("/proc/self/statm", "rb") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = size + memory_budget(max_bytes)
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY and soft <= limit:
            limit = soft  # already tighter
        elif hard != resource.RLIM_INFINITY and hard < limit:
            limit = hard
        else:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError, IndexError):  # not Linux: no budget
        return None
    _memory_limited = limit
    return limit


# -- one input ----------------------------------------------------------------------------------------


def _os_failure(task: Task, sha: str | None, e: OSError, out_rel: str, out_root: Folder) -> Result:
    """A write or commit that failed: the input's own code, or an environment error blaming no input."""
    if e.errno == errno.ENAMETOOLONG:
        return _failed(task, sha, "name_too_long", "the output name would be too long for the file system", out_root)
    if is_input_errno(e):
        return _failed(
            task,
            sha,
            "output_conflict",
            f"{display_path(out_rel)} clashes with a folder or file of the same name in the output ({e.strerror or e})",
            out_root,
        )
    # Anything else (disk full, read-only, permission) is the environment's fault: stop the
    # run and blame no input.
    return Result(
        task.rel,
        task.size,
        task.mtime_ns,
        "failed",
        sha256=sha,
        env_error=f"cannot write {display_path(out_rel)}: {e.strerror or e}",
    )


def _internal(task: Task, sha: str | None, e: BaseException, out_root: Folder, step: str) -> Result:
    return _failed(
        task, sha, "internal_error", f"{type(e).__name__} at {step}: {e} (please report this input)", out_root
    )


def process_task(
    task: Task,
    out_root: Location | Folder,
    options: Options,
    *,
    durable: bool = True,
    group: GroupCommit | None = None,
    timeout: float | None = None,
    state: bool = False,
    dedup: Any = None,
) -> Result:
    """Read, clean and commit one input. Never raises for a bad input; see ``Result.env_error``.

    ``out_root`` is the output folder: a Path, an fsspec URL (see :mod:`ingest.batch.storage`) or
    a folder object. ``timeout``: seconds reading and cleaning may take (``timeout`` code after).
    Any exception inside the input's steps is recorded for the input (``internal_error``).
    ``dedup`` (a DedupConfig): also sign the articles written, from memory (``Result.signatures``).
    """
    if isinstance(out_root, (str, Path)):
        out_root = worker_folder(out_root)
    if task.part is not None:  # a part of a big WARC file: its records have their own time budget
        try:
            return task.part.process(task, out_root, options, state=state)  # see warcparts.Part
        except Exception as e:  # a bug in ingest: recorded for this input, the batch goes on
            return _internal(task, None, e, out_root, "clean")
    if options.timeout is not None:  # the library's per-call child process: a worker has its own budget
        timeout = timeout or options.timeout
        options = replace(options, timeout=None)
    step = "read"
    try:
        with deadline(timeout):
            inject("read", input=task.rel)
            try:
                data, size, mtime_ns = _read_input(task, options.max_bytes)
            except _NotRead as e:
                return Result(
                    task.rel, task.size, task.mtime_ns, "skipped", error_code=e.reason, error_message=e.detail
                )
            except IngestError as e:
                return _failed(task, None, e.code, e.message, out_root)
            except LocationError as e:  # this worker cannot open the store at all: not the input's fault
                return Result(task.rel, task.size, task.mtime_ns, "failed", env_error=e.strerror or str(e))
            except OSError as e:
                return _failed(task, None, "unreadable", f"cannot read the input: {e.strerror or e}", out_root)
            step = "clean"
            task = replace(task, size=size, mtime_ns=mtime_ns)  # the manifest records what was read
            return _clean_and_write(task, data, out_root, options, durable, group, state, dedup)
    except InputTimeout:
        return _failed(task, None, "timeout", timeout_message(timeout or 0), out_root)
    except MemoryError:
        return _failed(task, None, "too_large", "the input needs more memory than the worker's budget", out_root)
    except Exception as e:  # a bug in ingest at any step: recorded for this input, the batch goes on
        return _internal(task, None, e, out_root, step)


def _clean_and_write(
    task: Task,
    data: bytes,
    out_root: Folder,
    options: Options,
    durable: bool,
    group: GroupCommit | None,
    state: bool = False,
    dedup: Any = None,
) -> Result:
    sha = hashlib.sha256(data).hexdigest()
    if task.prev_status == "ok" and task.prev_sha == sha and task.prev_output and _is_file(out_root, task.prev_output):
        return Result(task.rel, task.size, task.mtime_ns, "unchanged", sha256=sha, output=task.prev_output)

    articles = []
    rejects: list[tuple[int | None, str, str]] = []
    multi = False
    skipped: Counter[str] = Counter()
    from ..pipeline import iter_articles  # here: a batch driver never loads the pipeline it does not run

    try:
        inject("clean", input=task.rel)
        for outcome in iter_articles(data, path=display_path(task.rel), options=options, skipped=skipped):
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
        return _failed(task, sha, "too_large", "the input needs more memory than the worker's budget", out_root)
    except Exception as e:  # a bug in ingest: recorded for this input, the batch goes on
        return _internal(task, sha, e, out_root, "clean")

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
    try:
        inject("name", input=task.rel)
        lines = [a.to_json(fields=fields).encode("utf-8") + b"\n" for a in articles]
        payload = b"".join(lines)
    except Exception as e:
        return _internal(task, sha, e, out_root, "name")
    try:
        inject("write", input=task.rel)
        if group is not None and isinstance(out_root, LocalFolder):
            group.write(out_root.root / out_rel, payload)  # visible at group.commit()
        else:
            out_root.write_atomic(out_rel, payload, durable=durable)
    except OSError as e:
        return _os_failure(task, sha, e, out_rel, out_root)
    except Exception as e:
        return _internal(task, sha, e, out_root, "write")
    res = Result(
        task.rel,
        task.size,
        task.mtime_ns,
        "ok",
        sha256=sha,
        output=out_rel,
        records_ok=len(articles) if multi else 0,
        records_failed=len(rejects),
        rejects=rejects,
        records_skipped=dict(sorted(skipped.items())),
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
        (
            a.doc_id,
            a.id,
            a.source.record,
            hashlib.sha256(line.replace(container[0], b"").replace(container[1], b"")).hexdigest()[:16],
        )
        for a, line in zip(articles, lines)
    ]
    if dedup is not None and (not fields or "body" in fields):  # a file without bodies indexes nothing
        from ..dedup import sign_articles

        res.signatures = sign_articles(out_rel, articles, dedup)
    return res


def _is_file(out_root: Folder, rel: str) -> bool:
    try:
        return out_root.is_file(rel)
    except (OSError, ValueError):
        return False  # cannot tell: clean the input again (the write will say if the store is down)


def sweep_job_temp_files(job: Job) -> int:
    """Remove the temp files a killed worker left for this job's outputs (local folders only).

    Only the names this job's inputs write to (``.<output name>.<random>.ingest-tmp``), so other
    workers' files in progress are never touched. Returns how many were removed.
    """
    try:
        out_root = worker_folder(job.out_root)
    except LocationError:
        return 0
    if not isinstance(out_root, LocalFolder):
        return 0
    removed = 0
    for task in job.tasks:
        for multi in (False, True):
            target = out_root.root / output_name(task.rel, multi)
            prefix = f".{target.name[:80]}."
            try:
                entries = os.listdir(target.parent)
            except OSError:
                continue
            for name in entries:
                if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
                    try:
                        os.unlink(target.parent / name)
                        removed += 1
                    except OSError:
                        pass
    return removed


_warmed: set[str] = set()
# (kind, sample, name): "text" loads what every article uses (the fixes, the metadata cascade, the
# language model); "html" the HTML reader's parsers (lxml, htmldate); "json" the record reader.
_SAMPLES = (
    (
        "text",
        (
            b"Harbour works begin\n\nThe council of the town voted on Tuesday to rebuild the old harbour wall, "
            b"ending a debate that had lasted years. Work starts in spring.\n"
        ),
        "warm-up.txt",
    ),
    (
        "html",
        (
            b"<html><head><title>Harbour</title></head><body><article><p>The council voted on Tuesday to rebuild "
            b"the old harbour wall. Work starts in spring.</p></article></body></html>"
        ),
        "warm-up.html",
    ),
    (
        "json",
        b'{"title": "Harbour", "text": "The council voted on Tuesday to rebuild the harbour wall."}\n',
        "warm-up.jsonl",
    ),
)


def warm_up(kinds: frozenset[str] | None = None) -> None:
    """Load what the pipeline loads on first use (language model, parsers) before any input's clock starts.

    Otherwise the first input of every fresh worker pays seconds of start-up inside its time budget.
    ``kinds``: only the samples of these kinds (see :func:`kinds_needed`); None: all of them.
    """
    from ..pipeline import iter_articles

    for kind, data, path in _SAMPLES:
        if kind in _warmed or (kinds is not None and kind not in kinds):
            continue
        _warmed.add(kind)
        try:
            list(iter_articles(data, path=path))
        except Exception:  # pragma: no cover - a warm-up problem shows up on the first real input
            pass


def kinds_needed(tasks: tuple[Task, ...]) -> frozenset[str] | None:
    """The warm-up samples a job's inputs need, from the first 2 KB of each (None: all of them).

    A text-only job skips the HTML sample (lxml, htmldate: ~0.2 CPU s) and the record sample. A
    record file may hold HTML bodies, so it needs both; a compressed or WARC file, a part of one, a
    remote input or one that cannot be read now needs everything (the input's own read reports
    what went wrong).
    """
    from ..compression import detect
    from ..readers import sniff_format

    kinds = {"text"}
    for task in tasks:
        if task.part is not None or "://" in task.path:
            return None
        try:  # non-blocking: a FIFO in place of a file must not hang the warm-up
            fd = os.open(task.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except (OSError, ValueError):
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            head = os.read(fd, 2048)
        except OSError:
            return None
        finally:
            os.close(fd)
        if detect(head) is not None or head.lstrip().startswith(b"WARC/"):
            return None  # what it holds cannot be told from its first bytes
        fmt = sniff_format(head, task.path)
        if fmt in ("json", "jsonl"):
            kinds.update(("json", "html"))
        elif fmt == "html":
            kinds.add("html")
        if len(kinds) == len(_SAMPLES):
            break
    return frozenset(kinds)


def run_job(job: Job) -> list[Result]:
    """Process every task of a job (the function executors ship to workers)."""
    if job.timeout is not None and job.tasks and len(_warmed) < len(_SAMPLES):
        warm_up(kinds_needed(job.tasks))
    return _process_job(job)


def _process_job(job: Job) -> list[Result]:
    try:
        out_root = worker_folder(job.out_root)
    except LocationError as e:  # this worker cannot open the output store: blame no input
        return [Result(t.rel, t.size, t.mtime_ns, "failed", env_error=e.strerror or str(e)) for t in job.tasks]
    if _board is not None:
        limit_memory(job.options.max_bytes)  # a pool worker: never the driver
    group = GroupCommit(durable=job.durable) if len(job.tasks) > 1 and isinstance(out_root, LocalFolder) else None
    results = []
    try:
        for index, task in enumerate(job.tasks):
            _report(index)
            results.append(
                process_task(
                    task,
                    out_root,
                    job.options,
                    durable=job.durable,
                    group=group,
                    timeout=job.timeout,
                    state=job.state_names,
                    dedup=job.dedup,  # --dedup: signatures computed here, on the workers
                )
            )
    finally:
        _report(None)
    if group is None:
        return results
    # Several local outputs: commit them together (two syncs per job, not two fsyncs per file).
    try:
        failed = group.commit()
    except OSError as e:
        message = f"cannot commit outputs in {out_root}: {e.strerror or e}"
        for res in results:
            if res.status == "ok":  # written but never made visible: not done, nobody to blame
                res.status, res.output, res.env_error = "failed", None, message
        return results
    if failed:
        root = out_root.root  # type: ignore[union-attr]
        by_output = {(root / res.output): i for i, res in enumerate(results) if res.status == "ok" and res.output}
        for path, err in failed.items():
            i = by_output[path]
            res, task = results[i], job.tasks[i]
            if isinstance(err, OSError):
                results[i] = _os_failure(task, res.sha256, err, res.output or "", out_root)
            else:
                results[i] = _internal(task, res.sha256, err, out_root, "commit")
            results[i].size, results[i].mtime_ns = res.size, res.mtime_ns
    return results
