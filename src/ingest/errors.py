"""Typed errors. Every rejection of an input is an :class:`IngestError` with a stable code.

Codes are snake_case, documented in the README, and never renamed once released: reports,
manifests and users' scripts key on them.
"""

from __future__ import annotations


class IngestError(Exception):
    """A problem with one input. ``code`` is stable; ``message`` says what to do."""

    code: str = "ingest_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class EmptyInput(IngestError):
    """The input has no bytes, only whitespace, or only a byte-order mark."""

    code = "empty"


class BinaryInput(IngestError):
    """The input is a binary file (image, PDF, archive, NUL-heavy data)."""

    code = "binary"


class TooLarge(IngestError):
    """The input is larger than the configured size cap."""

    code = "too_large"


class Undecodable(IngestError):
    """The bytes could not be decoded as text with any acceptable confidence."""

    code = "undecodable"


class NoText(IngestError):
    """Decoding and reading worked but left no article text."""

    code = "no_text"


class BadRecord(IngestError):
    """A JSON/JSONL record is malformed or has the wrong shape."""

    code = "bad_record"


class BadHtml(IngestError):
    """The HTML could not be parsed within the safety limits."""

    code = "bad_html"


class Corrupt(IngestError):
    """A compressed stream or web archive is damaged or truncated (earlier WARC records are kept)."""

    code = "corrupt"


class UnsupportedFormat(IngestError):
    """The input is a format no reader takes (an RSS/Atom feed, XML, a CSV/TSV table); it is not read as prose."""

    code = "unsupported_format"


class MultipleRecords(IngestError):
    """The input holds several records: clean_article takes one; iter_articles reads them all."""

    code = "multiple_records"


# -- codes of ``ingest run``: the file, not its content, is the problem ------------------------


class NotFound(IngestError):
    """The named input file does not exist (``ingest clean missing.txt``, a library call given a path)."""

    code = "not_found"


class Unreadable(IngestError):
    """The file could not be opened or read (permission denied, I/O error)."""

    code = "unreadable"


class NotRegular(IngestError):
    """The path became a FIFO, socket, device or folder between listing and reading; never opened for reading."""

    code = "not_regular"


class TooComplex(IngestError):
    """The input nests too deeply for the parser (Python recursion limit)."""

    code = "too_complex"


class Timeout(IngestError):
    """Cleaning the input took longer than its time budget (--input-timeout, default 60 s); the
    worker was stopped and replaced."""

    code = "timeout"


# Codes the batch runner records for an input without raising anything (no class: the file,
# the output name or the worker is the problem, not the content).
_NAME_TOO_LONG = "The output name derived from the input name is too long for the output file system."
_OUTPUT_CONFLICT = "The output path clashes with a folder (or a file where a folder is needed) in the output tree."
_WORKER_CRASHED = "A worker process died twice while cleaning this input (crash in a C library, out of memory)."
_INTERNAL_ERROR = "A bug in ingest: the input is recorded with the exception; please report it."

ERROR_CODES: dict[str, str] = {
    **{
        cls.code: " ".join((cls.__doc__ or "").split())  # a docstring wrapped over lines is one sentence
        for cls in (
            EmptyInput,
            BinaryInput,
            TooLarge,
            Undecodable,
            NoText,
            BadRecord,
            BadHtml,
            Corrupt,
            UnsupportedFormat,
            MultipleRecords,
            NotFound,
            Unreadable,
            NotRegular,
            TooComplex,
        )
    },
    "name_too_long": _NAME_TOO_LONG,
    "output_conflict": _OUTPUT_CONFLICT,
    "worker_crashed": _WORKER_CRASHED,
    Timeout.code: " ".join((Timeout.__doc__ or "").split()),
    "internal_error": _INTERNAL_ERROR,
}

# Entries a command looked at but did not take as an input: not rejections (exit 0), counted in
# the run report's ``skipped_by_reason`` and shown by ``ingest status``/``ingest errors``.
SKIP_REASONS: dict[str, str] = {
    "not_a_file": "`ingest clean` was given a folder, FIFO or device instead of a file (usage error, exit 2).",
    "symlink_outside": "A symbolic link pointing outside the input folder; never opened.",
    "broken_symlink": "A symbolic link to nothing.",
    "symlink_dir": "A symbolic link to a folder already in the input (it would list the same files twice).",
    "not_regular": "A FIFO, socket or device in the input folder; never opened.",
    "unreadable_dir": "A folder of the input that could not be listed.",
    "asset": "A web page asset (script, style, image, font, media) beside a saved page, not an article.",
    "vanished": "The input was deleted or renamed away after it was listed; nobody's fault.",
    "changed_during_read": "The input was written to while it was read; taken again by the next run.",
}
