"""The optional trafilatura extractor (``pip install 'ingest[trafilatura]'``, ``--html-extractor trafilatura``)."""

from __future__ import annotations

from lxml import etree

from ..errors import IngestError
from ..model import ArticleWarning
from . import Extracted


def extract_body(root: etree._Element, *, jsonld_body: str | None = None) -> Extracted:
    """The article text as ``trafilatura.extract`` finds it in the already parsed tree.

    trafilatura gets our parsed page (no network access, depth capped), never the raw bytes,
    so both extractors see the same document. Comments are excluded, as in the
    published benchmark figures; no metadata extraction (ingest's own cascade does that).
    """
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise IngestError(
            "the trafilatura extractor needs the optional extra: pip install 'ingest[trafilatura]'",
            code="unsupported_format",
        ) from None
    # trafilatura takes lxml.html trees only; ours is a plain etree (faster to build), so it
    # gets the serialised page, already depth-capped and free of comments and PIs.
    page = etree.tostring(root, encoding="unicode", method="html")
    text = trafilatura.extract(
        page, include_comments=False, include_tables=True, deduplicate=False, with_metadata=False
    )
    warnings: tuple[ArticleWarning, ...] = ()
    if not text and jsonld_body:
        return Extracted(text=jsonld_body, method="jsonld")
    # trafilatura separates paragraphs by one newline; the draft contract wants a blank line.
    paragraphs = [p.strip() for p in (text or "").split("\n")]
    return Extracted(text="\n\n".join(p for p in paragraphs if p), warnings=warnings, method="trafilatura")
