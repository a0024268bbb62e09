"""Big WARC files on every worker: one input read in parts by byte offset, assembled in record order.

A WARC input of at least :data:`SPLIT_BYTES` (or over ``--max-bytes``, which then applies to each
record's page, not to the file) is never read whole. The driver cuts it into parts at byte
offsets (:func:`plan`); each part is a one-task job that any executor runs like any other, so
parts of one file run on every worker of the local pool or the Dask cluster. A part reads the
records that *start* inside its byte range (gzip member boundaries for ``.warc.gz``, record
headers for a plain ``.warc``; see :func:`ingest.warc.part_outcomes`; a WARC packed whole as one
bzip2, xz, zstd or gzip stream is one part, as it cannot be entered mid-stream), streams their articles to
a part file next to the output (a temp name that sweeps remove) and reports where its first record
began and where the next part's begins (its seams).

When every part is back, the driver assembles them (:func:`run_with_parts`): the part files are
concatenated in order into the input's one JSONL output, each line's ``source.record`` shifted by
the records of the parts before it, ``source.sha256`` set to the file's hash (computed by the
driver in a thread meanwhile) and a path-keyed ``doc_id`` recomputed, so the output is byte for
byte the one an unsplit read gives. The manifest still has one row for the input. If two seams do
not meet (a false record start inside a payload), the file is read again whole, in one part.

An input the manifest holds as done whose listing moved (a touch, a copy that kept the bytes) is
hashed by the driver first (:func:`unchanged`), as a worker hashes an input it reads whole: same
bytes and its output still there, it is "unchanged" and no part runs.

Memory stays bounded whatever the file size: records are read through 1 MB windows, articles are
streamed to the part file as they are made, and the driver patches the output line by line.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import secrets
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import IO, Any

from ..model import make_doc_id
from ..options import Options
from ..warc import head_size, splittable, warc_compression
from ..writers import TEMP_SUFFIX
from .manifest import display_path
from .storage import Folder, LocationError, is_url, open_input_url, worker_folder
from .worker import Job, Result, Task, _failed, _os_failure, output_name

#: A WARC input this big or bigger is read in parts (smaller ones are read whole, like any input).
SPLIT_BYTES = 16 << 20
#: With one worker, parts are at most this big (they only bound the part files); parts are at least MIN_PART.
MAX_PART = 64 << 20
MIN_PART = 1 << 20
#: With several workers, parts are at most this big (a 1 GB file: 256 parts): about 100 news pages,
#: a second or two of work, so the workers' last parts end close together and none waits long for
#: another at the end of the file. A part costs a job round trip and a temp file, nothing more.
BALANCED_PART = 4 << 20
PARTS_PER_WORKER = 4  # more parts than workers: one slow part does not leave the others idle
#: The per-part watchdog (the executor's stuck-worker kill) allows the per-record budget this
#: many times per MB of the part; the per-record budget itself is ``--input-timeout``.
_WATCHDOG_PER_MB = 1.0
_PLACEHOLDER_SHA = "0" * 64  # the file's hash is known only to the driver: patched at assembly


@dataclass(frozen=True)
class Part:
    """One part of a WARC input: the records that start in ``[start, end)``."""

    index: int
    count: int
    start: int
    end: int
    compression: str | None  # gzip (member-gzipped or one stream), bzip2, xz, zstd (one stream) or None (plain)
    record_timeout: float | None  # seconds one record may take (``--input-timeout``)
    token: str = ""  # names this run's part files apart from a crashed run's

    def process(self, task: Task, out_root: Folder, options: Options, *, state: bool = False) -> Result:
        """Run this part in a worker (``worker.process_task`` calls it: the worker needs no import of
        this module, which imports the worker's types)."""
        return process_part(task, out_root, options, state=state)


# -- the input's bytes -------------------------------------------------------------------------------


def open_input(path: str) -> IO[bytes]:
    """The input file, local or by fsspec URL (an fsspec file reads ranges on demand)."""
    if is_url(path):
        return open_input_url(path)  # the worker's cached file system of the input folder's store
    return open(path, "rb")


def plan(task: Task, options: Options, workers: int, timeout: float | None) -> list[Part] | None:
    """The parts of ``task`` when it is a WARC file to read in parts, else None (read it whole)."""
    if task.size < SPLIT_BYTES and task.size <= options.max_bytes:
        return None
    if options.format is not None:  # --format forces another reader
        return None
    try:
        with open_input(task.path) as fh:
            head = fh.read(65536)
            while len(head) < head_size(head) and (more := fh.read(head_size(head) - len(head))):
                head += more
            kind = warc_compression(head)
    except (OSError, ValueError):
        return None  # the worker reads it and reports what is wrong
    if kind is False:
        return None
    count = max(workers * PARTS_PER_WORKER, math.ceil(task.size / BALANCED_PART))
    count = max(1, min(count, task.size // MIN_PART))
    if workers <= 1:
        count = max(1, math.ceil(task.size / MAX_PART))  # one worker: parts only bound the part files
    if not splittable(head, kind or None):
        count = 1  # packed whole as one stream: read from its start to its end by one worker
    step = math.ceil(task.size / count)
    token = secrets.token_hex(4)
    bounds = [min(i * step, task.size) for i in range(count)] + [task.size]
    return [Part(i, count, bounds[i], bounds[i + 1], kind or None, timeout, token) for i in range(count)]


@dataclass(frozen=True)
class Known:
    """The stand-in for the parts of an input whose bytes are those of its last run: no work.

    The driver hashed the file (:func:`unchanged`); the one task carrying this goes through the
    executor like a part, so its "unchanged" result arrives the way every result does.
    """

    result: Result

    def process(self, task: Task, out_root: Folder, options: Options, *, state: bool = False) -> Result:
        return self.result


# -- a part, on a worker ----------------------------------------------------------------------------------


def part_name(rel: str, part: Part, state: bool) -> str:
    """The part file's name: next to the output, a temp name (swept after a crash)."""
    final = output_name(rel, True, state)
    folder, _, name = final.rpartition("/")
    return (folder + "/" if folder else "") + f".{name[:80]}.{part.token}-part{part.index:05d}{TEMP_SUFFIX}"


def process_part(task: Task, out_root: Folder, options: Options, *, state: bool = False) -> Result:
    """Read one part of a WARC input and write its articles to the part file (see the module doc)."""
    from ..errors import IngestError
    from ..warc import Blob, Seam, part_outcomes

    part: Part = task.part
    path = display_path(task.rel)
    info: dict[str, Any] = {"index": part.index, "records": [], "ids": [], "path_keyed": [], "outcomes": 0}
    rejects: list[tuple[int | None, str, str]] = []
    skipped: Counter[str] = Counter()
    fixes: Counter[str] = Counter()
    warns: Counter[str] = Counter()
    seam = Seam()
    fields = options.fields or None
    try:
        fh = open_input(task.path)
    except LocationError as e:
        return Result(task.rel, task.size, task.mtime_ns, "failed", env_error=e.strerror or str(e))
    except OSError as e:
        return _failed(task, None, "unreadable", f"cannot read the input: {e.strerror or e}", out_root)
    try:
        blob = Blob(fh=fh, size=task.size)

        def lines() -> Iterator[bytes]:
            for outcome in part_outcomes(
                blob,
                part.start,
                part.end,
                path,
                _PLACEHOLDER_SHA,
                part.compression,
                options,
                skipped,
                seam,
                part.record_timeout,
            ):
                info["outcomes"] = max(info["outcomes"], outcome.record or 0)
                if outcome.error is not None:
                    rejects.append((outcome.record, outcome.error.code, outcome.error.message))
                    continue
                article = outcome.article
                info["records"].append(outcome.record)
                info["ids"].append((article.doc_id, article.id))
                if dict(article.field_sources).get("doc_id") == "source:path":
                    info["path_keyed"].append(len(info["records"]) - 1)
                for f in article.fixes:
                    fixes[f.name] += f.count
                for w in article.warnings:
                    warns[w.code] += 1
                yield article.to_json(fields=fields).encode("utf-8") + b"\n"

        name = part_name(task.rel, part, state)
        try:
            out_root.write_atomic(name, lines(), durable=False)  # a temp file: the output is made durable
        except OSError as e:
            return _os_failure(task, None, e, name, out_root)
        except (IngestError, RecursionError, MemoryError) as e:
            code = getattr(e, "code", "too_large" if isinstance(e, MemoryError) else "too_complex")
            return _failed(task, None, code, getattr(e, "message", str(e)), out_root)
    finally:
        fh.close()
    info.update(seam=(seam.start, seam.stop), file=name, fixes=dict(fixes), warnings=dict(warns))
    res = Result(task.rel, task.size, task.mtime_ns, "part", rejects=rejects, records_skipped=dict(skipped))
    res.part = info
    return res


# -- the driver: split, run, assemble ------------------------------------------------------------------


@dataclass
class _Split:
    """An input in flight as parts."""

    task: Task
    job: Job
    parts: list[Part]
    sha: Future[tuple[str, int, int] | None]
    results: dict[int, Result] = field(default_factory=dict)


def _hash_file(path: str) -> tuple[str, int, int] | None:
    """sha256, size and mtime of the input as hashed (None: unreadable); 1 MB at a time."""
    digest = hashlib.sha256()
    try:
        with open_input(path) as fh:
            size = 0
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
            st = os.fstat(fh.fileno()) if not is_url(path) else None
    except (OSError, ValueError):
        return None
    return digest.hexdigest(), size, st.st_mtime_ns if st is not None else -1


def _in_thread(function: Any, *args: Any) -> Future[Any]:
    fut: Future[Any] = Future()

    def run() -> None:
        try:
            fut.set_result(function(*args))
        except BaseException as e:  # noqa: BLE001 - handed to whoever waits
            fut.set_exception(e)

    threading.Thread(target=run, name="ingest-warc-hash", daemon=True).start()
    return fut


def unchanged(task: Task, job: Job) -> tuple[Result | None, Future[tuple[str, int, int] | None] | None]:
    """The "unchanged" result of a big WARC input whose bytes are those of its last run, and its hash.

    Only for an input the manifest holds as ``ok`` under the same plan (its listing moved, so it
    may have changed): the driver hashes it now, before any part runs, as a worker hashes an input
    it reads whole. The result is None when the bytes differ, the file moved while it was hashed
    or the last output is gone; the hash (a done future, None when nothing was hashed) then
    serves the assembly.
    """
    if task.prev_status != "ok" or not task.prev_sha or not task.prev_output:
        return None, None
    hashed = _hash_file(task.path)
    done: Future[tuple[str, int, int] | None] = Future()
    done.set_result(hashed)
    if hashed is None or (hashed[0], hashed[1]) != (task.prev_sha, task.size) or hashed[2] not in (-1, task.mtime_ns):
        return None, done
    try:
        there = worker_folder(job.out_root).is_file(task.prev_output)
    except (OSError, ValueError):
        there = False  # cannot tell: read it again
    if not there:
        return None, done
    return Result(task.rel, task.size, task.mtime_ns, "unchanged", sha256=hashed[0], output=task.prev_output), done


def run_with_parts(executor: Any, jobs: Iterable[Job | None]) -> Iterator[list[Result]]:
    """``executor.run(jobs)``, with each big WARC input run as parts and its results assembled into one.

    The results a caller sees are those of ``executor.run``: one per input, the parts never.
    """
    splits: dict[str, _Split] = {}

    def expand() -> Iterator[Job | None]:
        for job in jobs:
            if job is None:
                yield None
                continue
            whole: list[Task] = []
            pieces: list[Job] = []
            for task in job.tasks:
                parts = plan(task, job.options, executor.workers, job.timeout)
                if parts is None:
                    whole.append(task)
                    continue
                known, hashed = unchanged(task, job)
                if known is not None:  # the bytes of its last run: one task of no work instead of parts
                    pieces.append(replace(job, tasks=(replace(task, part=Known(known)),)))
                    continue
                splits[task.rel] = _Split(task, job, parts, hashed or _in_thread(_hash_file, task.path))
                for part in parts:
                    budget = (
                        None
                        if job.timeout is None
                        else job.timeout * max(1.0, (part.end - part.start) / (1 << 20) * _WATCHDOG_PER_MB)
                    )
                    pieces.append(replace(job, tasks=(replace(task, part=part),), timeout=budget))
            if not pieces:
                yield job  # nothing big in it: the job as it came (also a job of no tasks)
                continue
            if whole:
                yield replace(job, tasks=tuple(whole))
            yield from pieces

    try:
        for results in executor.run(expand()):
            out: list[Result] = []
            for res in results:
                split = splits.get(res.rel)
                if split is None:
                    out.append(res)
                    continue
                index = res.part["index"] if res.part is not None else -1 - len(split.results)
                split.results[index] = res
                if len(split.results) == len(split.parts):
                    del splits[res.rel]
                    out.append(assemble(split))
            if out:
                yield out
    finally:
        # A stopped run leaves inputs with parts still out: not recorded (the next run takes them
        # again); the part files that did arrive are removed now rather than by the next sweep.
        for split in splits.values():
            try:
                _remove_parts(worker_folder(split.job.out_root), split)
            except LocationError:
                pass


def _remove_parts(out_root: Folder, split: _Split) -> None:
    for res in split.results.values():
        if res.part is not None:
            try:
                out_root.remove(res.part["file"])
            except (OSError, ValueError):
                pass


def assemble(split: _Split) -> Result:
    """One input's result from its parts' (see the module doc); never raises for the input's faults."""
    task, job = split.task, split.job
    try:
        out_root = worker_folder(job.out_root)
    except LocationError as e:
        return Result(task.rel, task.size, task.mtime_ns, "failed", env_error=e.strerror or str(e))
    try:
        return _assemble(split, out_root)
    finally:
        _remove_parts(out_root, split)


def _assemble(split: _Split, out_root: Folder, *, retry: bool = True) -> Result:
    task, job = split.task, split.job
    ordered = [split.results[i] for i in sorted(split.results)]
    bad = next((r for r in ordered if r.part is None), None)
    if bad is not None:  # a part failed, timed out, crashed, or the file changed: the input did
        bad.rel, bad.size, bad.mtime_ns = task.rel, task.size, task.mtime_ns
        return bad
    seams = [r.part["seam"] for r in ordered]
    if retry and any(a[1] != b[0] for a, b in itertools.pairwise(seams)):
        # A false record start inside a payload put two seams apart: read the file whole instead.
        return _whole_again(split, out_root)
    hashed = split.sha.result()
    if hashed is None or hashed[1] != task.size or (hashed[2] not in (-1, task.mtime_ns)):
        return Result(
            task.rel,
            task.size,
            task.mtime_ns,
            "skipped",
            error_code="changed_during_read",
            error_message="written to while it was being read; taken again by the next run",
        )
    sha = hashed[0]
    path = display_path(task.rel)
    out_rel = output_name(task.rel, True, job.state_names)
    docs: list[tuple[str, str, int | None, str]] = []
    rejects: list[tuple[int | None, str, str]] = []
    fixes: Counter[str] = Counter()
    warns: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    offset = 0
    plans = []
    for r in ordered:
        info = r.part
        plans.append((info, offset))
        rejects.extend(((n + offset) if n is not None else None, code, msg) for n, code, msg in r.rejects)
        fixes.update(info["fixes"])
        warns.update(info["warnings"])
        skipped.update(r.records_skipped)
        offset += info["outcomes"]
    articles = sum(len(info["records"]) for info, _ in plans)
    if not articles:
        if not rejects:
            return _failed(task, sha, "no_text", "the input holds no records", out_root)
        code, msg = rejects[0][1], rejects[0][2]
        res = _failed(task, sha, code, f"all {len(rejects)} record(s) rejected; first: {msg}", out_root)
        res.rejects, res.records_failed = rejects, len(rejects)
        return res
    container = (f'"sha256":"{sha}",'.encode(), f'"bytes":{task.size},'.encode())
    placeholder = f'"sha256":"{_PLACEHOLDER_SHA}"'.encode()

    def lines() -> Iterator[bytes]:
        for info, shift in plans:
            keyed = set(info["path_keyed"])
            with out_root.open_read(info["file"]) as fh:
                for k, line in enumerate(fh):
                    local = info["records"][k]
                    number = local + shift
                    # An unescaped '"record":' or '"sha256":' can only be a key (a quote inside a
                    # string is written \"), and source holds the first of each: patched once.
                    line = line.replace(placeholder, f'"sha256":"{sha}"'.encode(), 1)
                    if shift:
                        line = line.replace(f'"record":{local},'.encode(), f'"record":{number},'.encode(), 1)
                    doc_id, article_id = info["ids"][k]
                    if k in keyed and shift:
                        new = make_doc_id(f"path:{path}#{number}")
                        line = line.replace(f'"doc_id":"{doc_id}"'.encode(), f'"doc_id":"{new}"'.encode(), 1)
                        doc_id = new
                    # The change feed's entry, as ingest.batch.worker makes it (hash without sha256/bytes).
                    digest = hashlib.sha256(line.replace(container[0], b"").replace(container[1], b"")).hexdigest()[:16]
                    docs.append((doc_id, article_id, number, digest))
                    yield line

    try:
        out_root.write_atomic(out_rel, lines(), durable=job.durable)
    except FileNotFoundError:
        if not retry:
            raise
        return _whole_again(split, out_root)  # a part file was swept away under us (a worker was replaced)
    except OSError as e:
        return _os_failure(task, sha, e, out_rel, out_root)
    res = Result(
        task.rel,
        task.size,
        task.mtime_ns,
        "ok",
        sha256=sha,
        output=out_rel,
        records_ok=articles,
        records_failed=len(rejects),
        rejects=rejects,
        records_skipped=dict(sorted(skipped.items())),
        fixes=dict(fixes),
        warnings=dict(warns),
        docs=docs,
    )
    if task.prev_output and task.prev_output != out_rel:
        try:
            if out_root.remove(task.prev_output):
                res.removed_output = task.prev_output
        except (OSError, ValueError):
            pass
    if job.dedup is not None:
        from ..dedup import sign_results

        sign_results([res], job.out_root, job.dedup)
    return res


def _whole_again(split: _Split, out_root: Folder) -> Result:
    """Read the input again as one part, here, and assemble that (the split's seams did not meet)."""
    _remove_parts(out_root, split)
    one = replace(split.parts[0], index=0, count=1, start=0, end=split.task.size)
    res = process_part(replace(split.task, part=one), out_root, split.job.options, state=split.job.state_names)
    again = _Split(split.task, split.job, [one], split.sha, {0: res})
    try:
        return _assemble(again, out_root, retry=False)
    finally:
        _remove_parts(out_root, again)
