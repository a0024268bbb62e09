"""What the near-duplicate index knows of one article body: its shingles, MinHash and LSH bands.

A body is *cleaned* for comparison (NFKD, case-folded, accents and punctuation dropped, so
restyled quotes, a different wrap or ``é``/``e`` do not count as edits), cut into word
shingles (``shingle`` consecutive words), and each shingle hashed to 64 bits by rensa's
token hasher. From those hashes:

* the **shingle set** (low 32 bits of each hash, sorted, unique) is kept on disk to verify every
  candidate pair by its exact Jaccard similarity (two 800-shingle sets share a spurious 32-bit
  value with probability ~1.5e-4: far below the similarity resolution that matters);
* the **MinHash** (rensa's ``RMinHash``, ``num_perm`` values, fixed ``seed``) is cut into
  ``bands`` bands of ``rows`` values; each band becomes one 64-bit **band key**. Two bodies that
  share a band key are *candidates*; only verified candidates become duplicates.

The band layout is derived from the threshold (:func:`lsh_layout`) so that a pair exactly at the
threshold is a candidate with probability >= 0.99; pairs above it even more surely.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import rensa

# \w+ is a single character class with one quantifier: linear, no backtracking.
_WORD_RE = re.compile(r"\w+")

#: Recorded in the index: a change of any of these makes every stored signature stale.
HASHER = f"rensa-{getattr(rensa.RMinHash, 'ALGORITHM_VERSION', 0)}"


@dataclass(frozen=True)
class DedupConfig:
    """How bodies are compared. Changing any field rebuilds the index on its next update.

    Args:
        threshold: Jaccard similarity of the shingle sets at or above which two bodies are
            near duplicates. 0.7 was tuned on ``benchmarks/bench_dedup.py`` (README "Duplicate
            articles"): 0.8 misses syndicated copies of short stories (recall 0.91).
        shingle: words per shingle.
        num_perm: MinHash values per body.
        seed: MinHash seed (fixed: signatures must agree across runs and workers).
    """

    threshold: float = 0.7
    shingle: int = 4
    num_perm: int = 128
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"the duplicate threshold must be in (0, 1], got {self.threshold}")
        if self.shingle < 1 or self.num_perm < 1:
            raise ValueError("shingle and num_perm must be at least 1")

    def layout(self) -> tuple[int, int]:
        """(bands, rows) of the LSH index for this threshold."""
        return lsh_layout(self.threshold, self.num_perm)

    def as_meta(self) -> dict[str, str]:
        """What the index records to tell whether its signatures are still valid."""
        bands, rows = self.layout()
        return {
            "threshold": repr(self.threshold),
            "shingle": str(self.shingle),
            "num_perm": str(self.num_perm),
            "seed": str(self.seed),
            "bands": str(bands),
            "rows": str(rows),
            "hasher": HASHER,
        }


def lsh_layout(threshold: float, num_perm: int, *, recall: float = 0.99) -> tuple[int, int]:
    """The most selective (bands, rows) with P(candidate | similarity = threshold) >= ``recall``.

    With ``b`` bands of ``r`` rows a pair of similarity ``s`` is a candidate with probability
    ``1 - (1 - s**r)**b``; more rows per band mean fewer false candidates to verify.
    """
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if bands < 1:
            break
        if 1.0 - (1.0 - threshold**rows) ** bands >= recall:
            best = (bands, rows)
    return best


def words(body: str) -> list[str]:
    """The comparable words of a body: NFKD, case-folded, accents off, punctuation and spacing gone."""
    text = unicodedata.normalize("NFKD", body.casefold())
    if not text.isascii():
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _WORD_RE.findall(text)


def shingles(body: str, size: int) -> list[str]:
    """Word ``size``-grams of the body; a body shorter than that is one shingle; no words, none."""
    w = words(body)
    if len(w) <= size:
        return [" ".join(w)] if w else []
    return [" ".join(w[i : i + size]) for i in range(len(w) - size + 1)]


@dataclass(frozen=True)
class Signature:
    """One body's entry in the index."""

    body_id: str
    shingles: bytes  # sorted unique uint32 (little endian): the exact set for verification
    bands: tuple[int, ...]  # signed 64-bit band keys (empty for a body without words)

    def shingle_array(self) -> np.ndarray:
        return np.frombuffer(self.shingles, dtype="<u4")


def band_keys(digest: Sequence[int], bands: int, rows: int) -> tuple[int, ...]:
    """One signed 64-bit key per band; the band number is hashed in, so bands never collide."""
    keys = []
    for b in range(bands):
        chunk = struct.pack(f"<H{rows}I", b, *digest[b * rows : (b + 1) * rows])
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True))
    return tuple(keys)


def signatures(items: Sequence[tuple[str, str]], config: DedupConfig) -> list[Signature]:
    """Signatures of ``(body_id, body)`` items, computed in one batch (rensa works on the batch)."""
    bands, rows = config.layout()
    token_sets = [shingles(body, config.shingle) for _, body in items]
    hashed = rensa.RMinHash.hash_token_sets(token_sets) if token_sets else []
    nonempty = [h for h in hashed if h]
    digests = (
        rensa.RMinHash.digest_matrix_from_token_hash_sets(nonempty, config.num_perm, config.seed).to_rows()
        if nonempty
        else []
    )
    out = []
    it = iter(digests)
    for (body_id, _), hashes in zip(items, hashed):
        if not hashes:
            out.append(Signature(body_id, b"", ()))
            continue
        low = np.unique(np.asarray(hashes, dtype=np.uint64).astype(np.uint32))
        out.append(Signature(body_id, low.astype("<u4").tobytes(), band_keys(next(it), bands, rows)))
    return out


def signature(body_id: str, body: str, config: DedupConfig) -> Signature:
    """The signature of one body (see :func:`signatures`)."""
    return signatures([(body_id, body)], config)[0]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique shingle arrays (two empty sets: 0)."""
    if a.size == 0 or b.size == 0:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


__all__ = ["DedupConfig", "Signature", "jaccard", "lsh_layout", "shingles", "signature", "signatures", "words"]
