"""Defaults from a config file: ``ingest.toml`` or ``[tool.ingest]`` in ``pyproject.toml``.

Lookup: ``--config FILE`` if given, else ``./ingest.toml``, else ``[tool.ingest]`` of
``./pyproject.toml``. Command-line flags override the file. Options that change articles end up
in :class:`~ingest.options.Options`, whose fingerprint the manifest records, so changing them in
the file reprocesses everything, exactly as the flags do.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# key → (type(s) accepted, help). Keys use the long flag names with "_" for "-".
KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "workers": ((int,), "worker processes"),
    "include": ((list,), "glob patterns of inputs to take"),
    "exclude": ((list,), "glob patterns of inputs to leave out"),
    "fail_on": ((str,), "any or none"),
    "jsonl": ((str,), "also write every article into this JSON Lines file"),
    "jsonl_only": ((bool,), "write only the jsonl file, no article tree"),
    "executor": ((str,), "local or dask"),
    "dedup": ((bool,), "keep the near-duplicate index current"),
    "dedup_threshold": ((int, float), "Jaccard similarity for near duplicates"),
    "scheduler": ((str,), "Dask scheduler address"),
    "ascii_quotes": ((bool,), "typographic quotes become ASCII"),
    "keep_artifacts": ((bool,), "keep header/trailer/boilerplate lines"),
    "no_language": ((bool,), "do not run the language detector"),
    "disable_fix": ((list,), "fix names to skip"),
    "max_bytes": ((int,), "reject inputs larger than this"),
    "html_extractor": ((str,), "builtin or trafilatura"),
    "format": ((str,), "force a reader"),
    "map": ((list, dict), "JSON record field mappings"),
    "settle": ((int, float), "watch: seconds a file must stay unchanged"),
    "rescan": ((int, float), "watch: seconds between full rescans"),
    "input_timeout": ((int, float), "seconds one input may take before it gets timeout (0: no limit)"),
}


class ConfigError(ValueError):
    """The config file is unreadable or holds an unknown key or a wrong type (exit 2)."""


def find_config(explicit: Path | None, cwd: Path) -> tuple[Path | None, dict[str, Any]]:
    """The config file in use and its ``ingest`` table (empty when there is none)."""
    if explicit is not None:
        return explicit, _load(explicit, table=None if explicit.name != "pyproject.toml" else ("tool", "ingest"))
    local = cwd / "ingest.toml"
    if local.is_file():
        return local, _load(local, table=None)
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        data = _load(pyproject, table=("tool", "ingest"))
        if data:
            return pyproject, data
    return None, {}


def _load(path: Path, *, table: tuple[str, ...] | None) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data: Any = tomllib.load(fh)
    except OSError as e:
        raise ConfigError(f"cannot read config file {path}: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"config file {path} is not valid TOML: {e}") from None
    for key in table or ():
        data = data.get(key, {}) if isinstance(data, dict) else {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path}: the ingest table must be a table")
    for key, value in data.items():
        norm = key.replace("-", "_")
        if norm not in KEYS:
            raise ConfigError(f"config file {path}: unknown key {key!r} (known: {', '.join(sorted(KEYS))})")
        types, _ = KEYS[norm]
        if isinstance(value, bool) and bool not in types:
            raise ConfigError(f"config file {path}: {key} must be {' or '.join(t.__name__ for t in types)}")
        if not isinstance(value, types):
            raise ConfigError(f"config file {path}: {key} must be {' or '.join(t.__name__ for t in types)}")
    return {k.replace("-", "_"): v for k, v in data.items()}


def map_items(value: Any) -> list[str]:
    """``map`` as ``field=key`` strings, from a TOML table or list."""
    if isinstance(value, dict):
        return [f"{k}={v}" for k, v in value.items()]
    return [str(v) for v in value]
