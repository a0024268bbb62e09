"""Imported by the process pool's fork server: load the pipeline and run it once, so that every
worker forked from the server starts warm (no first-input start-up inside an input's time budget,
and the language model's pages are shared copy-on-write by the workers)."""

from __future__ import annotations

from .worker import warm_up

warm_up()
