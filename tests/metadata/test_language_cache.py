"""The decompressed language model in the user cache: the same model, written safely, never required."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model

from ingest.metadata import language
from ingest.metadata.language import _cached_arrays, _fast_identifier_class

MODEL = MODEL_DIR / MODEL_FILE
TEXTS = [
    "The council approved the harbour budget on Tuesday after a long debate.",
    "Der Stadtrat hat am Dienstag den Haushalt f\u00fcr den Hafen beschlossen.",
    "\u6771\u4eac\u306e\u56f3\u66f8\u9928\u306f\u6708\u66dc\u65e5\u306b\u518d\u958b\u3057\u305f\u3002",
    (
        "\u0413\u043e\u0440\u043e\u0434\u0441\u043a\u043e\u0439 \u0441\u043e\u0432\u0435\u0442"
        " \u043f\u0440\u0438\u043d\u044f\u043b \u0431\u044e\u0434\u0436\u0435\u0442."
    ),
    "",
]


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, object]:
    """A cache folder filled once for the module: (folder, arrays as written, arrays as read)."""
    root = tmp_path_factory.mktemp("langid-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INGEST_CACHE_DIR", str(root))
        first = _cached_arrays(MODEL)  # writes the cache
        again = _cached_arrays(MODEL)  # reads it
    return root, first, again


def test_the_cached_arrays_are_py3langids(filled: tuple[Path, object, object]) -> None:
    tmp_path, first, again = filled
    assert first is not None and again is not None
    ptc, pc, classes, nextmove, row, out = load_model(MODEL)
    for arrays in (first, again):
        assert np.array_equal(arrays["ptc"], ptc) and arrays["ptc"].dtype == ptc.dtype
        assert np.array_equal(arrays["pc"], pc)
        assert arrays["classes"].tolist() == classes
        assert np.array_equal(arrays["nextmove"], np.frombuffer(nextmove, dtype=nextmove.typecode))
        assert np.array_equal(arrays["nextmove_row"], np.frombuffer(row, dtype=row.typecode))
        assert arrays["out_feat"].tolist() == out  # type: ignore[index]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp folder left


def test_an_identifier_from_the_cache_scores_as_py3langid(filled: tuple[Path, object, object]) -> None:
    a = filled[2]
    assert isinstance(a, dict)
    fast = _fast_identifier_class()(
        a["ptc"],
        a["pc"],
        a["classes"].tolist(),
        a["nextmove"],
        a["out_feat"],
        norm_probs=True,
        tk_row=a["nextmove_row"],
    )
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)  # py3langid as shipped
    for text in TEXTS:
        enc = LanguageIdentifier._encode(text)
        assert fast._raw_score(enc).tobytes() == reference._raw_score(enc).tobytes()
        assert fast.classify(text) == reference.classify(text)


@pytest.mark.parametrize("setting", ["", "file"], ids=["cache turned off", "cache path is a file"])
def test_no_cache_is_no_error(setting: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if setting == "file":
        (tmp_path / "f").write_text("x")
        setting = str(tmp_path / "f")
    monkeypatch.setenv("INGEST_CACHE_DIR", setting)
    assert _cached_arrays(MODEL) is None


def test_a_damaged_cache_is_not_used(
    filled: tuple[Path, object, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(filled[0], tmp_path / "cache")
    monkeypatch.setenv("INGEST_CACHE_DIR", str(tmp_path / "cache"))
    assert _cached_arrays(MODEL) is not None
    (folder,) = (tmp_path / "cache").iterdir()
    ptc = folder / "ptc.npy"
    ptc.write_bytes(ptc.read_bytes()[: 1 << 16])  # truncated (not something ingest itself ever leaves)
    assert _cached_arrays(MODEL) is None


def test_processes_filling_the_cache_at_once(tmp_path: Path) -> None:
    env = dict(os.environ, INGEST_CACHE_DIR=str(tmp_path / "cache"))
    code = (
        "from ingest.metadata.language import detect_language, _identifier\n"
        "print(type(_identifier()).__name__, detect_language("
        "'The council approved the harbour budget on Tuesday after a long debate that ran late.'))\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True) for _ in range(3)
    ]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outs)) == 1 and outs[0].startswith("FastIdentifier ('en'"), outs
    entries = list((tmp_path / "cache").iterdir())
    assert len(entries) == 1 and entries[0].name.startswith("langid-"), entries  # one folder, no temp left over


def test_the_package_does_not_import_numpy(tmp_path: Path) -> None:
    code = "import sys, ingest, ingest.cli, ingest.metadata.language\nprint('numpy' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("INGEST_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert language._cache_root() == tmp_path / "ingest"
