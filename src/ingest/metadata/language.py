"""Language identification with py3langid, whose model ships inside the package (no downloads).

Three things keep it cheap (issue 15):

- **The sample.** The first 500 characters decide when they leave no doubt (probability at
  least 0.999); otherwise the first 3,000 decide, as they always did. Over the goldens, the
  html-dev and meta-dev pages, the text-dev dumps and 2,000 generated articles in eight
  languages, the two-stage verdict is the 3,000-character one on every body
  (``benchmarks/language_sample.py``), at about a third of the cost on real article text.
- **The model** is xz-compressed in py3langid (0.6 s to decompress in every process). The first
  load writes the decompressed arrays to ``<user cache>/ingest/langid-…/`` (atomically: a
  finished folder renamed into place, so a concurrent process sees all of it or none), and later
  loads memory-map them. No cache (read-only home, ``INGEST_CACHE_DIR=""``): decompress as before.
- **numpy and py3langid** are imported on the first detection, not when the package is.

The model's labels are ISO 639-1 codes except 26 ISO 639-3 ones; :data:`ISO639_1` maps those
to the article schema's two-letter codes (see its comment), and a label with no such code
gives no language and a ``language_unmapped`` warning.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from ..model import ArticleWarning

MIN_CHARS = 40
MIN_PROBABILITY = 0.6
_SAMPLE = 3000
# The cheap first look: this many characters decide alone when their verdict is this sure.
_FIRST = 500
_SURE = 0.999
# Fixed text the vectorised feature count is checked against py3langid's own at load time.
_SELF_CHECK = (
    "The council voted on Tuesday to close the ferry — «Привет, мир», 東京の図書館は再開した. "
    "Der Fährbetrieb endet; l'été sera long. ¿Qué pasó? 12,50 € Ωμέγα नमस्ते"
)

# The model's ISO 639-3 labels that have an ISO 639-1 code. One rule, no judgement per language:
# the language's own 639-1 code if it has one (Kikuyu), else the 639-1 code of the ISO 639-3
# macrolanguage it belongs to (Egyptian and Moroccan Arabic are ``ar``; Cantonese and Wu are
# ``zh``, as in BCP 47's ``zh-yue``; Latgalian is in the Latvian macrolanguage, Southern Kurdish
# in Kurdish, Southern Uzbek in Uzbek, Nigerian Fulfulde in Fula, Paraguayan Guaraní in Guaraní).
ISO639_1 = {
    "kik": "ki",
    "ary": "ar",
    "arz": "ar",
    "yue": "zh",
    "wuu": "zh",
    "ltg": "lv",
    "sdh": "ku",
    "uzs": "uz",
    "fuv": "ff",
    "gug": "gn",
}
# The model's labels with no ISO 639-1 code, neither their own nor a macrolanguage's: a verdict
# among these gives a null language and a warning. Not mapped to a neighbour: Nigerian Pidgin is
# not English, Ancient Greek not Greek, Venetian not Italian; ``zxx`` means "no linguistic content".
NO_ISO639_1 = frozenset(
    {
        "ace",
        "bcl",
        "crh",
        "ext",
        "gcf",
        "gcr",
        "gom",
        "grc",
        "guw",
        "hbo",
        "kab",
        "lij",
        "nso",
        "pcm",
        "vec",
        "zxx",
    }
)


def iso639_1(label: str) -> str | None:
    """The schema's two-letter code for a detector label, or None when ISO 639-1 has none."""
    if len(label) == 2 and label.isascii() and label.isalpha() and label.islower():
        return label
    return ISO639_1.get(label)


def _fast_identifier_class() -> type:
    import numpy as np
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

        def __init__(self, *args: Any, tk_row: Any, **kwargs: Any) -> None:
            # Each state's row offset, py3langid's ``_rowbase``, computed with numpy rather than
            # as a Python list of 100,000 ints; py3langid's own walk (the load-time self-check)
            # indexes the array the same way.
            super().__init__(*args, tk_row=(), **kwargs)
            self.tk_row = tk_row
            self._np_rowbase = np.asarray(tk_row, dtype=np.int64) << 8
            self._rowbase = self._np_rowbase
            # The transition rows as numpy: an array('I') from py3langid's loader, a memory-mapped
            # array from the cache.
            nextmove = self.tk_nextmove
            self._np_next = (
                nextmove
                if isinstance(nextmove, np.ndarray)
                else np.frombuffer(nextmove, dtype=np.dtype(nextmove.typecode))
            )
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


_CACHE_FORMAT = "1"
_CACHE_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _cache_root() -> Path | None:
    """``$INGEST_CACHE_DIR``, else the user cache (``$XDG_CACHE_HOME/ingest``); None when set empty."""
    env = os.environ.get("INGEST_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ingest"


def _model_arrays(model: Path) -> dict[str, Any]:
    """The arrays of py3langid's model file (an xz-compressed ``.npz``), decompressed in memory."""
    import io
    import lzma

    import numpy as np

    with lzma.open(model) as src, np.load(io.BytesIO(src.read()), allow_pickle=False) as data:
        return {name: data[name] for name in _CACHE_ARRAYS}


def _consistent(a: dict[str, Any]) -> bool:
    """Shapes that fit together: a truncated or foreign cache is not used."""
    classes, ptc = a["classes"], a["ptc"]
    return bool(
        ptc.ndim == 2
        and ptc.shape[1] == len(a["pc"]) == len(classes)
        and len(a["nextmove_row"]) == len(a["out_feat"])
        and a["nextmove"].size % 256 == 0
        and a["nextmove"].size // 256 > int(a["nextmove_row"].max())
        and int(a["out_feat"].max()) < ptc.shape[0]
    )


def _cached_arrays(model: Path) -> dict[str, Any] | None:
    """The model's arrays memory-mapped from the user cache, written there first if missing.

    The cache folder is named after py3langid's version and the model file's size and mtime, so
    a new model gets a new folder. It is written under a temporary name and renamed into place:
    a reader sees a whole folder or none; of two processes writing at once, one rename wins and
    the other's copy is deleted. Any failure (no home, read-only, full disk) returns None.
    """
    import numpy as np

    root = _cache_root()
    if root is None:
        return None
    try:
        import py3langid

        st = model.stat()
        release = getattr(py3langid, "__version__", "")
        final = root / f"langid-{release}-{st.st_size}-{st.st_mtime_ns}-v{_CACHE_FORMAT}"
        if not final.is_dir():
            root.mkdir(parents=True, exist_ok=True)
            arrays = _model_arrays(model)
            tmp = Path(tempfile.mkdtemp(prefix=".langid-", dir=root))
            try:
                for name in _CACHE_ARRAYS:
                    with open(tmp / f"{name}.npy", "wb") as f:
                        np.save(f, arrays[name], allow_pickle=False)
                        f.flush()
                        os.fsync(f.fileno())
                os.rename(tmp, final)
            except OSError:
                if not final.is_dir():
                    raise
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        # Plain ndarray views of the maps: numpy.memmap wraps every slice of itself in a memmap.
        loaded = {
            n: np.load(final / f"{n}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray) for n in _CACHE_ARRAYS
        }
        return loaded if _consistent(loaded) else None
    except (OSError, ValueError, KeyError, RuntimeError, ImportError):
        return None


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # A read-only model loaded once per process; it holds no per-call state.
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:
        fast_class = _fast_identifier_class()
        arrays = _cached_arrays(MODEL_DIR / MODEL_FILE)
        if arrays is None:
            fast = fast_class.from_model_file(MODEL_FILE, norm_probs=True)
        else:
            fast = fast_class(
                arrays["ptc"],
                arrays["pc"],
                arrays["classes"].tolist(),
                arrays["nextmove"],
                arrays["out_feat"],
                norm_probs=True,
                tk_row=arrays["nextmove_row"],
            )
        probe = LanguageIdentifier._encode(_SELF_CHECK)
        if np.array_equal(fast._raw_score(probe), LanguageIdentifier._raw_score(fast, probe)):
            return fast
    except (AttributeError, TypeError, ValueError):
        pass  # a py3langid whose internals differ: use it as it is
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, warnings: list[ArticleWarning] | None = None) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) for ``text``, or None when too short or too unsure.

    A verdict with no ISO 639-1 code (Nigerian Pidgin, Kabyle, ``zxx`` …) is None too, with a
    ``language_unmapped`` warning appended to ``warnings``.
    """
    sample = text[:_SAMPLE]
    # Stop counting at MIN_CHARS letters: a full count over 3,000 characters cost more than the rest.
    if next(islice(filter(str.isalpha, sample), MIN_CHARS - 1, None), None) is None:
        return None
    identifier = _identifier()
    label, prob = identifier.classify(sample[:_FIRST])
    if len(sample) > _FIRST and float(prob) < _SURE:
        label, prob = identifier.classify(sample)
    prob = float(prob)
    if prob < MIN_PROBABILITY:
        return None
    code = iso639_1(str(label))
    if code is None:
        if warnings is not None:
            warnings.append(
                ArticleWarning("language_unmapped", f"the detector said {label!r}, a language with no ISO 639-1 code")
            )
        return None
    return code, round(prob, 3)


def normalise_language(tag: object) -> str | None:
    """``en-US`` / ``en_GB`` / ``EN`` → ``en``; anything that is not a language tag → None."""
    if not isinstance(tag, str):
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if len(primary) == 2 and primary.isascii() and primary.isalpha():
        return primary
    return None
