"""What the near-duplicate index knows of one article body: its shingles, MinHash and LSH bands.

A body is *cleaned* for comparison (lower case, punctuation and spacing dropped, so restyled
quotes or a different wrap do not count as edits), cut into word
shingles (``shingle`` consecutive words). Words are hashed to 64 bits by rensa's token hasher and
each shingle's hash is mixed from its words' hashes with numpy (:func:`shingle_hashes`). From
those hashes:

* the **shingle set** (low 32 bits of each hash, sorted, unique) is kept on disk to verify every
  candidate pair by its exact Jaccard similarity (two 800-shingle sets share a spurious 32-bit
  value with probability ~1.5e-4: far below the similarity resolution that matters);
* the **MinHash** (rensa's ``RMinHash``, ``num_perm`` values, fixed ``seed``) is cut into
  ``bands`` bands of ``rows`` values; each band becomes one 64-bit **band key**. Two bodies that
  share a band key are *candidates*; only verified candidates become duplicates.

The band layout is derived from the threshold (:func:`lsh_layout`) so that a pair exactly at the
threshold is a candidate with probability >= 0.98; pairs above it even more surely (0.999 at
threshold + 0.1 for the default 0.7: 25 bands of 5 rows).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

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


@lru_cache(maxsize=64)
def lsh_layout(threshold: float, num_perm: int, *, recall: float = 0.98) -> tuple[int, int]:
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
    """The comparable words of a body: lower case, punctuation and spacing gone.

    Bodies come out of the pipeline NFC-normalised already; accents are kept (folding them cost
    as much as the rest of the signature, and outlets copying a story keep its accents).
    """
    return _WORD_RE.findall(body.lower())


def shingles(body: str, size: int) -> list[str]:
    """Word ``size``-grams of the body as text (for tests; the index hashes them: :func:`shingle_hashes`)."""
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


# Odd 64-bit multipliers (digits of pi and e): position j of a shingle or band row gets _MULT[j].
_MULT = np.array(
    [
        0x243F6A8885A308D3,
        0x13198A2E03707345,
        0xA4093822299F31D1,
        0x082EFA98EC4E6C89,
        0x452821E638D01377,
        0xBE5466CF34E90C6D,
        0xC0AC29B7C97C50DD,
        0x3F84D5B5B5470917,
        0x9216D5D98979FB1B,
        0xD1310BA698DFB5AD,
        0xB7E151628AED2A6B,
        0xBF7158809CF4F3C7,
        0x62E7160F38B4DA57,
        0xA784D9045190CFEF,
        0x324E7738926CFBE5,
        0xF4BF8D8D8C31D763,
    ],
    dtype=np.uint64,
)


def _mix(h: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (xor-shift / multiply) so every output bit depends on every input bit."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def shingle_hashes(word_hashes: np.ndarray, size: int) -> np.ndarray:
    """64-bit hashes of the word ``size``-grams, from the words' 64-bit hashes (vectorised).

    A shingle's hash mixes its word hashes, each times the multiplier of its position, so the same
    words in another order make another shingle. A body of ``size`` words or fewer is one shingle.
    """
    n = word_hashes.size
    if n == 0:
        return word_hashes
    width = min(size, n)
    count = n - width + 1
    acc = np.zeros(count, dtype=np.uint64)
    for j in range(width):
        acc += word_hashes[j : j + count] * _MULT[j % _MULT.size]
    return _mix(acc)


def band_keys(digests: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) signed 64-bit band keys of (n, num_perm) MinHash digests; the band number is mixed in."""
    n = digests.shape[0]
    cut = digests[:, : bands * rows].astype(np.uint64).reshape(n, bands, rows)
    acc = (cut * _MULT[np.arange(rows) % _MULT.size]).sum(axis=2, dtype=np.uint64)
    acc += (np.arange(bands, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    return _mix(acc).view(np.int64)


def signatures(items: Sequence[tuple[str, str]], config: DedupConfig) -> list[Signature]:
    """Signatures of ``(body_id, body)`` items, computed in one batch.

    Words are hashed by rensa (Rust), shingles combined with numpy, MinHash computed by rensa over
    the whole batch at once: no per-shingle Python work.
    """
    bands, rows = config.layout()
    word_lists = [words(body) for _, body in items]
    hashed_words = rensa.RMinHash.hash_token_sets(word_lists) if word_lists else []
    # One array for the whole batch (one conversion from Python ints), cut into each body's words.
    sizes = [len(h) for h in hashed_words]
    all_words = np.fromiter(chain.from_iterable(hashed_words), dtype=np.uint64, count=sum(sizes))
    ends = np.cumsum(sizes).tolist()
    per_doc = [shingle_hashes(all_words[end - size : end], config.shingle) for size, end in zip(sizes, ends)]
    nonempty = [h for h in per_doc if h.size]
    keys = np.empty((0, bands), dtype=np.int64)
    if nonempty:
        flat = np.concatenate(nonempty)
        offsets = np.zeros(len(nonempty) + 1, dtype=np.uint64)
        offsets[1:] = np.cumsum([h.size for h in nonempty])
        matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
            flat, offsets.tolist(), config.num_perm, config.seed
        )
        keys = band_keys(np.array(matrix.to_rows(), dtype=np.uint64), bands, rows)
    out = []
    row = 0
    for (body_id, _), hashes in zip(items, per_doc):
        if not hashes.size:
            out.append(Signature(body_id, b"", ()))
            continue
        low = np.sort(hashes.astype(np.uint32))
        if low.size > 1:
            low = low[np.concatenate(([True], low[1:] != low[:-1]))]
        out.append(Signature(body_id, low.astype("<u4").tobytes(), tuple(keys[row].tolist())))
        row += 1
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
