"""What a listing of the input folder yields, and the name rules that decide what is an input.

Shared by the local listing (:mod:`ingest.batch.discovery`), the object-store listing
(:mod:`ingest.batch.storage`) and ``ingest watch``; a module of its own so that neither of those
imports the other for these types.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass

PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".download", ".swp")

# What "Save page as… complete" and site mirrors put beside the HTML: never article text.
ASSET_SUFFIXES = frozenset(
    ".js .mjs .css .map .png .jpg .jpeg .gif .webp .avif .svg .ico .bmp .tif .tiff .woff .woff2 .ttf .otf .eot "
    ".mp3 .mp4 .m4a .webm .ogg .wav .avi .mov .pdf .zip .swf .wasm".split()
)


@dataclass(frozen=True)
class Found:
    """A regular file to consider. ``rel`` is the POSIX path under the input folder."""

    rel: str
    path: str  # the path to open (a symlink inside the folder is resolved to its target)
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Skipped:
    """An entry that is not an input, with a stable reason code."""

    rel: str
    reason: str  # symlink_outside, broken_symlink, not_regular, unreadable_dir
    detail: str


def is_partial_name(name: str) -> bool:
    """Names that mean "still being written" or "not mine": dotfiles, ``*.part``, ``~$x``."""
    return name.startswith((".", "~$")) or name.lower().endswith(PARTIAL_SUFFIXES)


def is_asset_name(name: str) -> bool:
    """Web page assets by suffix (``app.js``, ``style.css``, ``logo.png``, ``font.woff2``)."""
    dot = name.rfind(".")
    return dot > 0 and name[dot:].lower() in ASSET_SUFFIXES


def asset_skip(rel: str, include: Sequence[str]) -> Skipped | None:
    """A web page asset is skipped (reason ``asset``) unless an ``--include`` glob asked for it."""
    if include or not is_asset_name(rel.rsplit("/", 1)[-1]):
        return None  # an explicit --include is the user's word: it may name any file
    return Skipped(rel, "asset", "a web page asset (script, style, image, font or media), not an article")


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, p) or ("/" not in p and fnmatch.fnmatchcase(name, p)) for p in patterns)


def selected(rel: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """``--include``/``--exclude`` globs: a pattern without ``/`` matches the file name."""
    if include and not _matches(rel, include):
        return False
    return not (exclude and _matches(rel, exclude))
