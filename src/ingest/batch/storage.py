"""Where a batch run reads and writes: a local folder (plain path) or an fsspec URL.

Plain paths and ``file://`` / ``local://`` URLs are local folders and keep the os-based code path
(scandir discovery with its symlink and FIFO rules, fsync, atomic rename). Any other URL
(``s3://``, ``gs://``, ``az://``, ``memory://``, chained ``simplecache::s3://`` …) is a
:class:`RemoteFolder` on the fsspec file system the URL names; the user installs its backend
(``s3fs``, ``gcsfs``, ``adlfs``) and configures credentials the way that backend reads them.

Both kinds of folder offer the same small interface, the only one the worker and the driver use
for outputs: ``is_file``, ``write_atomic``, ``remove``, ``open_read``, ``sweep_temp_files``.

Commit guarantee of ``write_atomic`` per store:

* local folder: temp file in the destination folder → fsync → ``os.replace``: a reader sees the
  old file or the whole new one, also after a power cut (``durable=True``).
* object stores (S3, GCS, Azure): the bytes go to a temporary key next to the final one
  (``.<name>.<random>.ingest-tmp``) and are then moved to the final key; object stores make an
  object visible only once it is complete, so the final key never holds a partial article. The
  move is a server-side copy then a delete: a worker killed between the two leaves a temp key,
  which the run removes (at the end of a run that lost a worker, and at the start of the next run
  after a crash).
* ``memory://``: the file system lives inside one process; only in-process executors
  (``--workers 1``) can use it.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import re
import secrets
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Union

from ..faults import inject
from ..writers import TEMP_SUFFIX, is_temp_name, remove_quietly, sweep_temp_files, write_atomic
from .entries import Found, Skipped, asset_skip, is_partial_name, selected

LOCAL_PROTOCOLS = ("file", "local")
#: Stores whose contents exist only inside the process that wrote them.
PROCESS_LOCAL_PROTOCOLS = ("memory",)

Location = Union[Path, str]  # a Path is a local folder; a str is a (non-local) fsspec URL


class LocationError(OSError):
    """A URL this process cannot open at all: unknown protocol, or its fsspec backend missing."""


def is_url(value: str | os.PathLike[str]) -> bool:
    """True for ``proto://…`` and chained ``a::b://…`` strings (a Path never is a URL)."""
    return isinstance(value, str) and ("://" in value or "::" in value)


def location(value: str | os.PathLike[str]) -> Location:
    """Normalise a user-given folder: plain paths and ``file://`` URLs → Path, other URLs → str.

    Use this on command-line arguments *before* making a Path of them: ``Path("s3://b/k")``
    collapses the double slash.
    """
    if not is_url(value):
        return Path(value)
    text = str(value)
    proto, sep, rest = text.partition("://")
    if sep and "::" not in text and proto.lower() in LOCAL_PROTOCOLS:
        return Path(rest or "/")
    return text.rstrip("/") if not text.endswith("://") else text


def is_remote(loc: Location | str) -> bool:
    return isinstance(loc, str) and is_url(loc)


def protocol(url: str) -> str:
    """The innermost protocol of a URL (``simplecache::s3://x`` → ``s3``)."""
    last = url.rsplit("::", 1)[-1]
    return last.partition("://")[0].lower() if "://" in last else "file"


def is_process_local(loc: Location | str) -> bool:
    """True for stores only the current process can see (``memory://``)."""
    return is_remote(loc) and protocol(str(loc)) in PROCESS_LOCAL_PROTOCOLS


def _as_oserror(e: Exception, what: str) -> OSError:
    """fsspec backends raise their own exception types; the batch code handles OSError only."""
    if isinstance(e, OSError):
        return e
    return OSError(errno.EIO, f"{what}: {type(e).__name__}: {e}")


def change_token(info: dict[str, Any]) -> int:
    """A 63-bit value that changes when an object changes, from what its listing says.

    Stands in for ``mtime_ns`` in the manifest: object stores give a modification time with one
    second resolution at best, so the version markers (ETag, generation, version id) are mixed in
    and a rewrite within the same second still counts as a change. A store that lists neither
    gets a fresh random token, so nothing is skipped on its listing alone (the worker then hashes
    the bytes and reports "unchanged" when they are the same).
    """
    parts = []
    for key in (
        "mtime",
        "LastModified",
        "last_modified",
        "updated",
        "modified",
        "created",
        "timeCreated",
        "ETag",
        "etag",
        "md5Hash",
        "crc32c",
        "generation",
        "VersionId",
        "version_id",
        "content_md5",
    ):
        value = info.get(key)
        if value is None:
            continue
        if isinstance(value, datetime):
            value = value.isoformat()
        parts.append(f"{key}={value}")
    if not parts:
        return secrets.randbits(62)
    digest = hashlib.blake2b("\0".join(parts).encode("utf-8", "backslashreplace"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def inside(rel: str) -> bool:
    """True when the relative path ``rel`` (``/``-separated) names a place inside its folder.

    False for an absolute path, a ``..`` part, an empty path or a NUL byte: such a path can only
    come from tampered or corrupted state, never from a listing.
    """
    if not rel or "\x00" in rel or rel.startswith("/") or os.path.isabs(rel):
        return False
    return all(part not in ("..", "") for part in rel.split("/"))


class UnsafePath(ValueError):
    """A relative path that would leave its folder (see :func:`inside`)."""


class LocalFolder:
    """A folder on the local file system (the fast os-based path)."""

    remote = False

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __str__(self) -> str:
        return str(self.root)

    def _path(self, rel: str) -> Path:
        if not inside(rel):
            raise UnsafePath(f"{rel!r} is not a path inside {self.root}")
        return self.root / rel

    def is_file(self, rel: str) -> bool:
        return self._path(rel).is_file()

    def write_atomic(self, rel: str, chunks: bytes | Iterable[bytes], *, durable: bool = True) -> None:
        write_atomic(self._path(rel), chunks, durable=durable)

    def remove(self, rel: str) -> bool:
        return remove_quietly(self._path(rel))

    def open_read(self, rel: str) -> IO[bytes]:
        return open(self._path(rel), "rb")

    def sweep_temp_files(self) -> Iterator[str]:
        for path in sweep_temp_files(self.root):
            yield str(path)


class RemoteFolder:
    """A folder on an fsspec file system, addressed by its URL."""

    remote = True

    def __init__(self, url: str) -> None:
        import fsspec

        self.url = url.rstrip("/") if not url.endswith("://") else url
        try:
            self.fs, root = fsspec.core.url_to_fs(self.url)
        except ImportError as e:
            raise LocationError(
                errno.ENOPROTOOPT, f"no fsspec backend for {protocol(url)}:// here ({e}; e.g. pip install s3fs)"
            ) from None
        except ValueError as e:
            raise LocationError(errno.EINVAL, f"{url}: {e}") from None
        self.root = root.rstrip("/")
        self._listed: dict[str, frozenset[str]] = {}

    def __str__(self) -> str:
        return self.url

    def key(self, rel: str) -> str:
        if rel and not inside(rel):
            raise UnsafePath(f"{rel!r} is not a path inside {self.url}")
        return f"{self.root}/{rel}" if rel else self.root

    def url_of(self, rel: str) -> str:
        return f"{self.url}/{rel}"

    # -- driver side -----------------------------------------------------------------------------
    def is_dir(self) -> bool:
        try:
            return bool(self.fs.isdir(self.root))
        except Exception:  # a backend error means "cannot use it", which the caller reports
            return False

    def _file_info(self) -> dict[str, Any] | None:
        """The listing entry of the URL itself when it names one file (not a folder), else None."""
        try:
            info = self.fs.info(self.root)
        except Exception:  # nothing there, or the backend cannot say: not a file
            return None
        return info if isinstance(info, dict) and info.get("type") == "file" else None

    def file_name(self) -> str | None:
        """The file's name when the URL names one file, not a folder (see ``discovery.single_input``)."""
        if self._file_info() is None:
            return None
        return self.root.rsplit("/", 1)[-1] or None

    def _names_in(self, parent: str) -> frozenset[str]:
        # One listing per output folder instead of one request per output: the driver checks the
        # outputs of unchanged inputs in discovery (= folder) order, so a small cache hits.
        names = self._listed.get(parent)
        if names is None:
            try:
                entries = self.fs.ls(parent, detail=True)
            except FileNotFoundError:
                entries = []
            names = frozenset(e["name"].rstrip("/").rsplit("/", 1)[-1] for e in entries if e.get("type") == "file")
            if len(self._listed) >= 16:
                self._listed.pop(next(iter(self._listed)))
            self._listed[parent] = names
        return names

    def is_file(self, rel: str, *, listing: bool = False) -> bool:
        key = self.key(rel)
        try:
            if listing:
                parent, _, name = key.rpartition("/")
                return name in self._names_in(parent)
            return bool(self.fs.isfile(key))
        except FileNotFoundError:
            return False
        except Exception as e:
            raise _as_oserror(e, f"cannot check {self.url_of(rel)}") from None

    def check_writable(self) -> None:
        """Write and delete a probe object; raises OSError when the store refuses."""
        probe = f".ingest/.probe.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            self.fs.makedirs(self.key(".ingest"), exist_ok=True)
            self.fs.pipe_file(self.key(probe), b"ok")
            self.fs.rm_file(self.key(probe))
        except Exception as e:
            raise _as_oserror(e, f"cannot write to {self.url}") from None

    # -- worker side ------------------------------------------------------------------------------
    def read(self, rel: str, max_bytes: int) -> bytes:
        """At most ``max_bytes + 1`` bytes of an input (the caller checks the cap)."""
        try:
            return bytes(self.fs.cat_file(self.key(rel), start=0, end=max_bytes + 1))
        except Exception as e:
            raise _as_oserror(e, f"cannot read {self.url_of(rel)}") from None

    def write_atomic(self, rel: str, chunks: bytes | Iterable[bytes], *, durable: bool = True) -> None:
        """Write to a temporary key next to the final one, then move it there (see the module doc).

        ``durable`` is the store's business: object stores acknowledge a write once it is stored.
        """
        final = self.key(rel)
        parent, _, name = final.rpartition("/")
        tmp = f"{parent}/.{name[:80]}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            self.fs.makedirs(parent, exist_ok=True)
            if isinstance(chunks, bytes):
                self.fs.pipe_file(tmp, chunks)
            else:
                with self.fs.open(tmp, "wb") as fh:
                    for chunk in chunks:
                        fh.write(chunk)
            inject("temp_written")
            inject("fsynced")
            self.fs.mv(tmp, final)
        except BaseException as e:
            try:
                self.fs.rm_file(tmp)
            except Exception:
                pass
            if isinstance(e, Exception):
                raise _as_oserror(e, f"cannot write {self.url_of(rel)}") from None
            raise
        parent_listing = self._listed.get(parent)
        if parent_listing is not None:
            self._listed[parent] = parent_listing | {name}
        inject("renamed")

    def remove(self, rel: str) -> bool:
        key = self.key(rel)
        try:
            self.fs.rm_file(key)
        except FileNotFoundError:
            return False
        except Exception as e:
            raise _as_oserror(e, f"cannot remove {self.url_of(rel)}") from None
        parent, _, name = key.rpartition("/")
        if parent in self._listed:
            self._listed[parent] = self._listed[parent] - {name}
        return True

    def open_read(self, rel: str) -> IO[bytes]:
        try:
            return self.fs.open(self.key(rel), "rb")  # type: ignore[no-any-return]
        except Exception as e:
            raise _as_oserror(e, f"cannot read {self.url_of(rel)}") from None

    def sweep_temp_files(self) -> Iterator[str]:
        try:
            keys = self.fs.find(self.root)
        except FileNotFoundError:
            return
        except Exception as e:
            raise _as_oserror(e, f"cannot list {self.url}") from None
        for key in keys:
            if is_temp_name(key.rstrip("/").rsplit("/", 1)[-1]):
                try:
                    self.fs.rm_file(key)
                except FileNotFoundError:
                    continue
                yield key

    def discover(
        self, *, include: Sequence[str] = (), exclude: Sequence[str] = (), skip_dirs: Sequence[Location] = ()
    ) -> Iterator[Found | Skipped]:
        """Like :func:`ingest.batch.discovery.discover`: depth-first, name order, one listing at a time.

        A URL that names one file yields that file alone (``ingest run s3://b/crawl.warc.gz OUT``).

        An object store has no symlinks or special files; what it lists as a file is an input.
        ``Found.path`` is the input's URL, which workers open directly.
        """
        one = self._file_info()
        if one is not None:  # the URL names one file: that file is the one input, named by its name
            rel = self.root.rsplit("/", 1)[-1]
            if rel and selected(rel, include, exclude):
                yield asset_skip(rel, include) or Found(
                    rel=rel, path=self.url, size=int(one.get("size") or 0), mtime_ns=change_token(one)
                )
            return
        skip = set()
        for d in skip_dirs:
            if is_remote(d):
                other = RemoteFolder(str(d))
                if type(other.fs) is type(self.fs):
                    skip.add(other.root)
        stack: list[tuple[str, str]] = [(self.root, "")]
        while stack:
            folder, prefix = stack.pop()
            try:
                entries = self.fs.ls(folder, detail=True)
            except Exception as e:
                yield Skipped(prefix.rstrip("/") or ".", "unreadable_dir", str(_as_oserror(e, "cannot list")))
                continue
            subdirs: list[tuple[str, str]] = []
            for info in sorted(entries, key=lambda i: str(i["name"])):
                key = str(info["name"]).rstrip("/")
                if key == folder.rstrip("/"):
                    continue  # a "directory marker" object some stores list inside the folder
                name = key.rsplit("/", 1)[-1]
                if not name or is_partial_name(name):
                    continue
                rel = prefix + name
                kind = info.get("type")
                if kind == "directory":
                    if key not in skip:
                        subdirs.append((key, rel + "/"))
                    continue
                if kind != "file":
                    yield Skipped(rel, "not_regular", f"{kind or 'unknown'} entry, not a file (never opened)")
                    continue
                if not selected(rel, include, exclude):
                    continue
                yield asset_skip(rel, include) or Found(
                    rel=rel, path=self.url_of(rel), size=int(info.get("size") or 0), mtime_ns=change_token(info)
                )
            stack.extend(reversed(subdirs))


Folder = Union[LocalFolder, RemoteFolder]


@functools.lru_cache(maxsize=32)
def _remote(url: str) -> RemoteFolder:
    return RemoteFolder(url)


def folder(loc: Location | str) -> Folder:
    """The folder object for a location (a str that is not a URL is a local path)."""
    if is_remote(loc):
        return RemoteFolder(str(loc))
    return LocalFolder(Path(loc))


def worker_folder(loc: Location | str) -> Folder:
    """Like :func:`folder`, but one cached object per URL in a worker process."""
    if is_remote(loc):
        return _remote(str(loc))
    return LocalFolder(Path(loc))


def read_input_url(url: str, max_bytes: int) -> bytes:
    """Read one input given by URL (the worker side of a remote input folder)."""
    parent, _, name = url.rpartition("/")
    return _remote(parent).read(name, max_bytes)


def open_input_url(url: str) -> IO[bytes]:
    """An input given by URL as a seekable file (range reads on demand): big WARC files read in parts."""
    parent, _, name = url.rpartition("/")
    remote = _remote(parent)
    try:
        if protocol(url) in PROCESS_LOCAL_PROTOCOLS:
            # memory:// hands every opener the same file object (one position for all readers):
            # each reader gets its own view of the bytes, which are in this process's memory anyway.
            import io

            return io.BytesIO(remote.fs.cat_file(remote.key(name)))
        return remote.fs.open(remote.key(name), "rb")  # type: ignore[no-any-return]
    except Exception as e:
        raise _as_oserror(e, f"cannot read {url}") from None


def same_location(a: Location, b: Location) -> bool:
    if is_remote(a) or is_remote(b):
        return is_remote(a) and is_remote(b) and str(a).rstrip("/") == str(b).rstrip("/")
    return os.path.realpath(a) == os.path.realpath(b)


def user_cache_dir() -> Path:
    """The per-user cache folder of this platform (no dependency for three lines)."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "ingest" / "Cache"
    if sys.platform == "darwin":  # pragma: no cover - macOS
        return Path.home() / "Library" / "Caches" / "ingest"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ingest"


def state_dir_default_root() -> Path:
    """The folder holding the state of every remote output folder."""
    return user_cache_dir() / "state"


def default_state_dir(url: str) -> Path:
    """The local state folder of a remote output folder: one per destination URL.

    ``<user cache>/ingest/state/<readable tail>-<hash of the URL>``: the hash keeps two buckets
    with the same folder name apart, the tail lets a human find it.
    """
    tail = re.sub(r"[^A-Za-z0-9._-]+", "_", url.rstrip("/").rsplit("/", 1)[-1])[:40] or "root"
    digest = hashlib.sha256(url.rstrip("/").encode("utf-8")).hexdigest()[:12]
    return state_dir_default_root() / f"{tail}-{digest}"
