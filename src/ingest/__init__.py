"""ingest: messy article files in, clean normalised JSON articles out.

Library API::

    from ingest import clean_article, Options
    article = clean_article(open("raw/a.txt", "rb").read(), path="raw/a.txt")
    print(article.title, article.to_json())

    from pathlib import Path
    from ingest import BatchConfig, run_batch
    report = run_batch(BatchConfig(Path("raw"), Path("clean")))   # what `ingest run` does
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import ERROR_CODES, IngestError
from .fixes import FIX_NAMES, Repaired, repair_text
from .model import Article, ArticleWarning, FixApplied, Removed, Source, Stats
from .options import Options
from .pipeline import Outcome, clean_article, iter_articles

__all__ = [
    "__version__",
    "BatchConfig",
    "Article",
    "ArticleWarning",
    "ERROR_CODES",
    "FIX_NAMES",
    "FixApplied",
    "IngestError",
    "Options",
    "Outcome",
    "Removed",
    "Repaired",
    "Source",
    "Stats",
    "clean_article",
    "iter_articles",
    "repair_text",
    "run_batch",
]


def __getattr__(name: str) -> object:
    """``ingest.run_batch`` / ``ingest.BatchConfig`` without importing the batch machinery
    (sqlite3, multiprocessing, fsspec) for callers that only clean single articles."""
    if name in ("run_batch", "BatchConfig"):
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'ingest' has no attribute {name!r}")
