"""Options that change what an article looks like. One frozen object, passed explicitly."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from .decode import DEFAULT_MAX_BYTES
from .model import SCHEMA_VERSION


def field_names() -> tuple[str, ...]:
    """Every article field, in output order (what ``fields`` may name)."""
    from .schema import SCHEMA

    return tuple(SCHEMA["required"])


@dataclass(frozen=True)
class Options:
    """Everything that changes the output of :func:`ingest.clean_article`.

    Attributes:
        max_bytes: inputs larger than this are rejected with ``too_large``.
        ascii_quotes: run ``uncurl_quotes`` (typographic quotes become ASCII).
        strip_artifacts: remove header/trailer/boilerplate lines (and read metadata from them).
        detect_language: fill ``language`` with the bundled detector when the markup says nothing.
        disabled_fixes: registry names of fixes to skip.
        html_extractor: ``"builtin"`` or ``"trafilatura"`` (needs the ``ingest[trafilatura]`` extra).
        field_map: extra JSON record mappings, ``(("body", "story_text"), …)``.
        format: force a reader (``text``, ``html``, ``json``, ``jsonl``); None picks by name and content.
        timeout: seconds :func:`ingest.clean_article` / :func:`ingest.iter_articles` may spend on
            the input; then it is rejected with ``timeout``. Set, the work runs in a child process
            that is killed at the deadline (a process start per call); None (the default) runs
            in-process without a limit. Not part of the fingerprint: it never changes an article.
            Batch runs use ``BatchConfig.input_timeout`` instead.
        fields: the article fields batch outputs write (``--fields``); empty: all. ``id``,
            ``doc_id`` and ``schema_version`` are always written. Articles themselves are whole.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    ascii_quotes: bool = False
    strip_artifacts: bool = True
    detect_language: bool = True
    disabled_fixes: frozenset[str] = field(default_factory=frozenset)
    html_extractor: str = "builtin"
    field_map: tuple[tuple[str, str], ...] = ()
    format: str | None = None
    timeout: float | None = None
    fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A list or set given by a caller becomes the frozen form, so the options stay hashable.
        object.__setattr__(self, "disabled_fixes", frozenset(self.disabled_fixes))
        object.__setattr__(self, "field_map", tuple((str(k), str(v)) for k, v in self.field_map))
        object.__setattr__(self, "fields", tuple(self.fields))
        if self.fields:
            known = field_names()
            bad = [f for f in self.fields if f not in known]
            if bad:
                raise ValueError(f"unknown field(s) {', '.join(bad)}; known: {', '.join(known)}")
        if self.disabled_fixes:
            self._check_fix_names()
        if self.html_extractor not in ("builtin", "trafilatura"):
            raise ValueError(f"html_extractor must be 'builtin' or 'trafilatura', not {self.html_extractor!r}")
        if self.format not in (None, "text", "html", "json", "jsonl"):
            raise ValueError(f"format must be text, html, json or jsonl, not {self.format!r}")
        if self.max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        if self.timeout is not None and not (self.timeout > 0 and self.timeout < float("inf")):
            raise ValueError("timeout must be a finite number of seconds > 0, or None")

    def _check_fix_names(self) -> None:
        # The fixes (ftfy, their patterns) are imported only when a name is to be checked or the
        # plan read: a batch driver builds Options without loading what only its workers run.
        from .fixes import FIX_NAMES

        unknown = set(self.disabled_fixes) - set(FIX_NAMES)
        if unknown:
            raise ValueError(f"unknown fix name(s): {', '.join(sorted(unknown))}; known: {', '.join(FIX_NAMES)}")

    def enabled_fixes(self) -> tuple[str, ...]:
        from .fixes import REGISTRY

        names = [f.name for f in REGISTRY if f.default and f.name not in self.disabled_fixes]
        if self.ascii_quotes and "uncurl_quotes" not in self.disabled_fixes:
            names.append("uncurl_quotes")
        return tuple(names)

    def fingerprint(self) -> str:
        """A short hash of every option that changes output (and the tool version)."""
        from . import __version__

        data = asdict(self)
        data["disabled_fixes"] = sorted(self.disabled_fixes)
        data["field_map"] = sorted(list(p) for p in self.field_map)
        del data["timeout"]  # a budget, not a change to any article
        data["fields"] = sorted(self.fields)
        # The schema version too: outputs of an older schema are rewritten, not left "unchanged".
        blob = json.dumps({"version": __version__, "schema": SCHEMA_VERSION, "options": data}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]
