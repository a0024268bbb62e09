"""The config file and its precedence rules live in :mod:`ingest.config`; re-exported here."""

from __future__ import annotations

from ..config import KEYS, OUTPUTS, ConfigError, IngestConfig, find_config, load_config, map_items, parse_map

__all__ = ["KEYS", "OUTPUTS", "ConfigError", "IngestConfig", "find_config", "load_config", "map_items", "parse_map"]
