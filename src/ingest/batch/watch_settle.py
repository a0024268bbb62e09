"""``ingest watch``, settling: a file is handed to the workers only once it stopped changing.

Each candidate input moves through three states, each a dict keyed by its relative path:

* **pending** — seen (by an event or a listing); its size and mtime must stay the same for
  ``settle`` seconds, and a writer that is still appending keeps resetting that clock;
* **ready** — settled, waiting for a worker (first come, first served);
* **in flight** — handed to a worker; when its result comes back it leaves the settler, and is
  observed again if it was written meanwhile.

The settler knows nothing of the manifest, the executor or events: the watcher
(:mod:`ingest.batch.watch`) asks it where a path is and tells it what it saw.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from .entries import Found, Skipped


@dataclass
class Candidate:
    """A candidate input waiting to settle (or being processed)."""

    found: Found
    since: float  # monotonic time its current (size, mtime) was first seen
    first_seen: float  # monotonic time the watcher first saw it: the start of its delay
    counted: bool  # already counted in ``seen`` (by the catch-up pass)


def _stat(found: Found) -> tuple[int, int]:
    return found.size, found.mtime_ns


class Settler:
    """The pending, ready and in-flight candidates of a watcher."""

    def __init__(self, settle: float) -> None:
        self.settle = settle
        self.pending: dict[str, Candidate] = {}
        self.ready: OrderedDict[str, Candidate] = OrderedDict()
        self.in_flight: dict[str, Candidate] = {}

    def __contains__(self, rel: object) -> bool:
        return rel in self.pending or rel in self.ready or rel in self.in_flight

    def known(self) -> set[str]:
        return set(self.pending) | set(self.ready) | set(self.in_flight)

    def add(self, found: Found, now: float, *, counted: bool) -> None:
        """A new candidate: its settle clock starts now."""
        self.pending[found.rel] = Candidate(found, since=now, first_seen=now, counted=counted)

    def seen_again(self, found: Found, now: float) -> bool:
        """A known candidate seen again: a new size or mtime restarts its clock. False when it is not known.

        One in flight is left alone (the watcher looks at it again when its result comes back).
        """
        rel = found.rel
        if rel in self.in_flight:
            return True
        pending = self.pending.get(rel)
        if pending is not None:
            if _stat(pending.found) != _stat(found):
                pending.found, pending.since = found, now
            return True
        settled = self.ready.get(rel)
        if settled is not None:
            if _stat(settled.found) != _stat(found):
                # Written again while waiting for a worker: it has to settle again.
                del self.ready[rel]
                settled.found, settled.since = found, now
                self.pending[rel] = settled
            return True
        return False

    def promote(self, now: float, examine: Callable[[str], Found | Skipped | None]) -> list[Skipped]:
        """Move pending files whose size and mtime stayed the same for ``settle`` seconds to the ready queue.

        ``examine(rel)`` looks at the file now. Returns the candidates that turned out not to be
        inputs (a FIFO now under that name…) for the watcher to record; vanished ones are dropped.
        """
        turned: list[Skipped] = []
        for rel, p in list(self.pending.items()):
            if now - p.since < self.settle:
                continue
            entry = examine(rel)
            if not isinstance(entry, Found):
                del self.pending[rel]  # gone, renamed away, or no longer an input
                if isinstance(entry, Skipped):
                    turned.append(entry)
                continue
            if _stat(entry) != _stat(p.found):
                p.found, p.since = entry, now  # still being written: the clock starts again
                continue
            # mtime moves forward with every write, so equal stats now and ``settle`` ago mean
            # nothing was written in between.
            del self.pending[rel]
            self.ready[rel] = p
        return turned

    def next_ready(self) -> Candidate | None:
        """The settled candidate that waited longest (it leaves the ready queue), or None."""
        if not self.ready:
            return None
        return self.ready.popitem(last=False)[1]

    def start(self, p: Candidate) -> None:
        """``p`` was handed to a worker."""
        self.in_flight[p.found.rel] = p

    def done(self, rel: str) -> Candidate | None:
        """``rel``'s result came back."""
        return self.in_flight.pop(rel, None)

    def next_deadline(self) -> float | None:
        """When the earliest pending candidate may settle (monotonic time), or None."""
        if not self.pending:
            return None
        return min(p.since for p in self.pending.values()) + self.settle


__all__ = ["Candidate", "Settler"]
