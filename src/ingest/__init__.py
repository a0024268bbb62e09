"""ingest: messy article files in, clean normalised JSON articles out.

Library API::

    from ingest import clean_article, Options
    article = clean_article(open("raw/a.txt", "rb").read(), path="raw/a.txt")
    print(article.title, article.to_json())

    from pathlib import Path
    from ingest import BatchConfig, run_batch
    report = run_batch(BatchConfig(Path("raw"), Path("clean")))   # what `ingest run` does

    from ingest import load_config
    options = load_config().options()   # ./ingest.toml or [tool.ingest], as the CLI reads it
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

# Every name below is imported on first use (PEP 562), so that `import ingest` and the CLI's
# `--help`/`--version` do not pay for ftfy, numpy, lxml or the batch machinery (sqlite3,
# multiprocessing, fsspec). `from ingest import clean_article` works as before.
_LAZY = {
    "ERROR_CODES": ".errors",
    "IngestError": ".errors",
    "FIX_NAMES": ".fixes",
    "Repaired": ".fixes",
    "repair_text": ".fixes",
    "Article": ".model",
    "ArticleWarning": ".model",
    "FixApplied": ".model",
    "Removed": ".model",
    "Source": ".model",
    "Stats": ".model",
    "Options": ".options",
    "Outcome": ".pipeline",
    "clean_article": ".pipeline",
    "iter_articles": ".pipeline",
    "run_batch": ".batch",
    "BatchConfig": ".batch",
    "RunReport": ".batch.report",
    "IngestConfig": ".config",
    "load_config": ".config",
}

__all__ = [
    "__version__",
    "BatchConfig",
    "Article",
    "ArticleWarning",
    "ERROR_CODES",
    "FIX_NAMES",
    "FixApplied",
    "IngestConfig",
    "IngestError",
    "Options",
    "Outcome",
    "Removed",
    "Repaired",
    "RunReport",
    "Source",
    "Stats",
    "clean_article",
    "iter_articles",
    "load_config",
    "repair_text",
    "run_batch",
]

if TYPE_CHECKING:
    from .batch import BatchConfig, run_batch
    from .batch.report import RunReport
    from .config import IngestConfig, load_config
    from .errors import ERROR_CODES, IngestError
    from .fixes import FIX_NAMES, Repaired, repair_text
    from .model import Article, ArticleWarning, FixApplied, Removed, Source, Stats
    from .options import Options
    from .pipeline import Outcome, clean_article, iter_articles


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ingest' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
