"""ingest: messy article files in, clean normalised JSON articles out.

Library API::

    from ingest import clean_article, Options
    article = clean_article(open("raw/a.txt", "rb").read(), path="raw/a.txt")
    print(article.title, article.to_json())
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
]
