"""Language identification with py3langid, whose model ships inside the package (no downloads)."""

from __future__ import annotations

from functools import lru_cache
from itertools import islice
from typing import Any

import numpy as np

MIN_CHARS = 40
MIN_PROBABILITY = 0.6
_SAMPLE = 3000
# Fixed text the vectorised feature count is checked against py3langid's own at load time.
_SELF_CHECK = (
    "The council voted on Tuesday to close the ferry — «Привет, мир», 東京の図書館は再開した. "
    "Der Fährbetrieb endet; l'été sera long. ¿Qué pasó? 12,50 € Ωμέγα नमस्ते"
)


def _fast_identifier_class() -> type:
    from py3langid.langid import LanguageIdentifier

    class FastIdentifier(LanguageIdentifier):  # type: ignore[misc]
        """py3langid with its per-byte Python automaton walk replaced by a vectorised one.

        Round k computes, for every byte position at once, the state reached from the root by
        feeding the last k bytes up to that position. The automaton's state after a byte is the
        longest n-gram prefix ending there, so it depends only on the last few bytes: once a
        round changes no state, no later one can (each round is the previous one shifted by a
        byte), and the states are those of py3langid's byte-by-byte walk — after the n-gram
        length plus one rounds, with no assumption about the model. Features are then counted
        in order of first occurrence, as py3langid's ``Counter`` does, so the scores are the
        same floats, bit for bit.
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._np_next = np.frombuffer(self.tk_nextmove, dtype=np.dtype(self.tk_nextmove.typecode))
            self._np_rowbase = np.asarray(self._rowbase, dtype=np.int64)
            self._np_output = np.asarray(self.tk_output, dtype=np.int64)
            # The model's float16 weights, cast to float32 row by row as features are first
            # seen (casting float16 cost more than the rest of the scoring); float16 -> float32
            # is exact, so the product is the one py3langid computes.
            self._ptc32 = np.empty(self.nb_ptc.shape, dtype=np.float32)
            self._ptc_ready = np.zeros(self.nb_ptc.shape[0], dtype=bool)

        def _raw_score(self, text: bytes) -> Any:
            n = len(text)
            if n == 0:
                return super()._raw_score(text)
            data = np.frombuffer(text, dtype=np.uint8).astype(np.int64)
            states = np.zeros(n, dtype=np.int64)  # round 0: every position at the root
            before = np.zeros(n, dtype=np.int64)
            while True:
                before[1:] = states[:-1]  # the state before each byte, one byte less of history
                after = self._np_next[self._np_rowbase[before] + data].astype(np.int64)
                if np.array_equal(after, states):
                    break
                states = after
            features = self._np_output[states]
            features = features[features >= 0]
            if features.size == 0:
                return super()._raw_score(b"")
            # Count each feature and order them by first occurrence with one sort of
            # (feature, position) keys: the groups of equal features come out position-sorted.
            m = features.size
            keys = features * m + np.arange(m, dtype=np.int64)
            keys.sort()
            ids = keys // m
            starts = np.flatnonzero(np.concatenate(([True], ids[1:] != ids[:-1])))
            counts = np.diff(np.append(starts, m))
            order = np.argsort(keys[starts] % m)
            idx = ids[starts][order].astype(np.intp)
            weights = counts[order].astype(np.float32)
            new = idx[~self._ptc_ready[idx]]
            if new.size:
                self._ptc32[new] = self.nb_ptc[new]
                self._ptc_ready[new] = True
            return np.log1p(weights) @ self._ptc32[idx] + self.nb_pc

    return FastIdentifier


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # A read-only model loaded once per process; it holds no per-call state.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    try:
        fast = _fast_identifier_class().from_model_file(MODEL_FILE, norm_probs=True)
        probe = LanguageIdentifier._encode(_SELF_CHECK)
        if np.array_equal(fast._raw_score(probe), LanguageIdentifier._raw_score(fast, probe)):
            return fast
    except (AttributeError, TypeError, ValueError):
        pass  # a py3langid whose internals differ: use it as it is
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
