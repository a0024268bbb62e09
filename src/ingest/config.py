"""Settings from a config file: ``ingest.toml`` or ``[tool.ingest]`` in ``pyproject.toml``.

Lookup: an explicit file if given (``--config FILE``), else ``./ingest.toml``, else
``[tool.ingest]`` of ``./pyproject.toml``. Precedence, for the CLI and the library alike: a value
given explicitly (a flag, a keyword argument) > the config file > the built-in default. That rule
lives here, in :meth:`IngestConfig.with_flags`, :meth:`IngestConfig.options` and
:meth:`IngestConfig.batch_config`, not in the CLI. Options that change articles end up in
:class:`~ingest.options.Options`, whose fingerprint the manifest records, so changing them in the
file reprocesses everything, exactly as the flags do.

Library use::

    from pathlib import Path
    from ingest import load_config, run_batch

    config = load_config()                       # ./ingest.toml, or [tool.ingest], or nothing
    report = run_batch(config.batch_config(Path("raw"), Path("clean")))
    options = config.options()                   # for clean_article / iter_articles

This module imports nothing heavy (only ``tomllib``): ``ingest --help`` and ``ingest clean`` load it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from .options import Options
    from .batch.runner import BatchConfig

# key → (type(s) accepted, help). Keys use the long flag names with "_" for "-".
KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "workers": ((int,), "worker processes"),
    "include": ((list,), "glob patterns of inputs to take"),
    "exclude": ((list,), "glob patterns of inputs to leave out"),
    "fail_on": ((str,), "any or none"),
    "jsonl": ((str,), "also write every article into this JSON Lines file"),
    "jsonl_only": ((bool,), "write only the jsonl file, no article tree"),
    "output": ((list, str), "what to write: json, jsonl, parquet"),
    "fields": ((list, str), "article fields to write"),
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

OUTPUTS = ("json", "jsonl", "parquet")


class ConfigError(ValueError):
    """The config file is unreadable or holds an unknown key or a wrong type (exit 2)."""


def _words(value: object) -> tuple[str, ...]:
    """A comma-separated string, or a list of them (``--output jsonl,parquet --output json``), as a
    tuple of stripped non-empty words."""
    parts = [value] if isinstance(value, str) else [str(v) for v in value]  # type: ignore[attr-defined]
    return tuple(w.strip() for part in parts for w in part.split(",") if w.strip())


@dataclass(frozen=True)
class IngestConfig:
    """The settings of a config file, merged with explicit values. ``None``: not set (the default applies).

    Build one with :func:`load_config`; :meth:`with_flags` lays explicit values (command-line
    flags, keyword arguments) over it; :meth:`options` and :meth:`batch_config` fill in the
    defaults. Field names are the config keys (``format`` and ``map`` are ``fmt`` and ``field_map``).
    """

    path: Path | None = None  # the file the values came from (None: no file)
    workers: int | None = None
    include: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    fail_on: str | None = None
    jsonl: str | None = None
    jsonl_only: bool | None = None
    output: tuple[str, ...] | None = None
    fields: tuple[str, ...] | None = None
    executor: str | None = None
    dedup: bool | None = None
    dedup_threshold: float | None = None
    scheduler: str | None = None
    ascii_quotes: bool | None = None
    keep_artifacts: bool | None = None
    no_language: bool | None = None
    disable_fix: tuple[str, ...] | None = None
    max_bytes: int | None = None
    html_extractor: str | None = None
    fmt: str | None = None
    field_map: tuple[tuple[str, str], ...] | None = None
    settle: float | None = None
    rescan: float | None = None
    input_timeout: float | None = None

    @classmethod
    def from_table(cls, table: dict[str, Any], path: Path | None = None) -> IngestConfig:
        """An :class:`IngestConfig` from a config table (keys as in :data:`KEYS`, already checked)."""
        values: dict[str, Any] = {}
        for key, value in table.items():
            if key in ("include", "exclude", "disable_fix", "output", "fields"):
                value = _words(value) if key in ("output", "fields") else tuple(str(v) for v in value)
            elif key == "map":
                key, value = "field_map", parse_map(map_items(value))
            elif key == "format":
                key = "fmt"
            elif key in ("dedup_threshold", "settle", "rescan", "input_timeout"):
                value = float(value)
            values[key] = value
        return cls(path=path, **values)

    def with_flags(self, **flags: Any) -> IngestConfig:
        """A copy in which every flag that was given wins over the file.

        A flag is "not given" when it is ``None`` or an empty list/tuple; names are the field
        names. Lists become tuples; ``output``/``fields`` also accept comma-separated strings.
        """
        known = {f.name for f in fields(self)} - {"path"}
        given: dict[str, Any] = {}
        for name, value in flags.items():
            if name not in known:
                raise TypeError(f"unknown setting {name!r}")
            if value is None or (isinstance(value, (list, tuple)) and not value):
                continue
            if name in ("output", "fields"):
                value = _words(value)
            elif name == "field_map" and value and isinstance(next(iter(value)), str):
                value = parse_map(list(value))
            elif isinstance(value, list):
                value = tuple(value)
            given[name] = value
        return replace(self, **given)

    def options(self, **overrides: Any) -> Options:
        """The :class:`~ingest.options.Options` these settings give (``overrides`` win, as flags).

        Raises:
            ValueError: a bad value (unknown fix name, extractor, format, field…).
        """
        from .options import Options

        c = self.with_flags(**overrides) if overrides else self
        kwargs: dict[str, Any] = {
            "ascii_quotes": bool(c.ascii_quotes),
            "strip_artifacts": not c.keep_artifacts,
            "detect_language": not c.no_language,
            "disabled_fixes": frozenset(c.disable_fix or ()),
            "html_extractor": c.html_extractor or "builtin",
            "format": c.fmt,
            "field_map": c.field_map or (),
            "fields": c.fields or (),
        }
        if c.max_bytes is not None:
            kwargs["max_bytes"] = c.max_bytes
        return Options(**kwargs)

    def outputs(self) -> tuple[str, ...]:
        """The outputs to write (``json``, the article tree, when none is set).

        Raises:
            ValueError: a name that is not json, jsonl or parquet.
        """
        names = self.output or ("json",)
        bad = [n for n in names if n not in OUTPUTS]
        if bad:
            raise ValueError(f"{', '.join(bad)}: choose from {', '.join(OUTPUTS)}")
        return tuple(dict.fromkeys(names))

    def timeout(self) -> float | None:
        """Seconds one input may take (default 60; 0 in the file or a flag: no limit → None).

        Raises:
            ValueError: a negative, NaN or infinite value.
        """
        value = 60.0 if self.input_timeout is None else float(self.input_timeout)
        if value < 0 or value != value or value == float("inf"):
            raise ValueError("input_timeout takes a number of seconds >= 0 (0: no limit)")
        return value or None

    def batch_config(self, raw_dir: Path | str, clean_dir: Path | str, **overrides: Any) -> BatchConfig:
        """The :class:`~ingest.batch.BatchConfig` for a run of ``raw_dir`` into ``clean_dir``.

        ``overrides`` are settings (as :meth:`with_flags`) or BatchConfig fields that have no
        config key (``force``, ``retry_failed``, ``prune``, ``wait``, ``state_dir``, ``durable``…).

        Raises:
            ValueError: a bad value in the settings.
        """
        from .batch.layout import JSONL_NAME  # in CLEAN_DIR, for ``output = ["jsonl"]`` without ``jsonl = FILE``
        from .batch.runner import BatchConfig

        names = {f.name for f in fields(self)}
        c = self.with_flags(**{k: v for k, v in overrides.items() if k in names})
        extra = {k: v for k, v in overrides.items() if k not in names}
        fail = c.fail_on or "any"
        if fail not in ("any", "none"):
            raise ValueError("fail_on takes any or none")
        outputs = c.outputs()
        jsonl = c.jsonl
        if "jsonl" in outputs and not jsonl:
            jsonl = str(Path(str(clean_dir)) / JSONL_NAME)
        dedup = None
        if c.dedup:
            from .dedup import DedupConfig

            dedup = DedupConfig() if c.dedup_threshold is None else DedupConfig(threshold=float(c.dedup_threshold))
        return BatchConfig(
            raw_dir=raw_dir,
            clean_dir=clean_dir,
            options=c.options(),
            include=c.include or (),
            exclude=c.exclude or (),
            jsonl=Path(jsonl) if jsonl else None,
            fail_on=fail,
            tree=not c.jsonl_only and "json" in outputs,
            parquet="parquet" in outputs,
            dedup=dedup,
            input_timeout=c.timeout(),
            **extra,
        )


def load_config(path: Path | str | None = None, *, cwd: Path | str | None = None) -> IngestConfig:
    """The settings of the config file in use (an empty :class:`IngestConfig` when there is none).

    Args:
        path: an explicit file (``ingest.toml``-style, or a ``pyproject.toml`` whose
            ``[tool.ingest]`` table is read); None looks in ``cwd``.
        cwd: the folder to look in (default: the current directory): ``ingest.toml`` first,
            then ``[tool.ingest]`` of ``pyproject.toml``.

    Raises:
        ConfigError: the file cannot be read, is not TOML, or has an unknown key or a wrong type.
    """
    found, table = find_config(Path(path) if path is not None else None, Path(cwd) if cwd is not None else Path.cwd())
    return IngestConfig.from_table(table, found)


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
        if norm == "map":
            try:
                parse_map(map_items(value))
            except ValueError as e:
                raise ConfigError(f"config file {path}: {e}") from None
    return {k.replace("-", "_"): v for k, v in data.items()}


def map_items(value: Any) -> list[str]:
    """``map`` as ``field=key`` strings, from a TOML table or list."""
    if isinstance(value, dict):
        return [f"{k}={v}" for k, v in value.items()]
    return [str(v) for v in value]


def parse_map(items: list[str]) -> tuple[tuple[str, str], ...]:
    """``field=key`` strings as ``(field, key)`` pairs.

    Raises:
        ValueError: an item without ``=``.
    """
    pairs: list[tuple[str, str]] = []
    for item in items:
        if "=" not in item:
            raise ValueError(f"map takes field=key, got {item!r}")
        k, v = item.split("=", 1)
        pairs.append((k.strip(), v.strip()))
    return tuple(pairs)


__all__ = ["KEYS", "OUTPUTS", "ConfigError", "IngestConfig", "find_config", "load_config", "map_items", "parse_map"]
