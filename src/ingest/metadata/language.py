"""Language identification with py3langid, whose model ships inside the package (no downloads)."""

from __future__ import annotations

from functools import lru_cache
from itertools import islice
from typing import Any

MIN_CHARS = 40
MIN_PROBABILITY = 0.6
_SAMPLE = 3000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # A read-only model loaded once per process; it holds no per-call state.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) for ``text``, or None when too short or too unsure."""
    sample = text[:_SAMPLE]
    # Stop counting at MIN_CHARS letters: a full count over 3,000 characters cost more than the rest.
    if next(islice(filter(str.isalpha, sample), MIN_CHARS - 1, None), None) is None:
        return None
    code, prob = _identifier().classify(sample)
    prob = float(prob)
    if prob < MIN_PROBABILITY:
        return None
    return str(code), round(prob, 3)


def normalise_language(tag: object) -> str | None:
    """``en-US`` / ``en_GB`` / ``EN`` → ``en``; anything that is not a language tag → None."""
    if not isinstance(tag, str):
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if len(primary) == 2 and primary.isascii() and primary.isalpha():
        return primary
    return None
