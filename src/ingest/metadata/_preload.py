"""Imported by the batch pool's fork server (``ingest.batch.executors``): the language model is
loaded there once, before any worker forks, and every worker inherits it instead of loading its own.
"""

from __future__ import annotations

from .language import preload

preload()
