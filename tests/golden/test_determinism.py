"""Determinism: the same bytes give byte-identical JSON in one process, across processes with
different hash seeds (set/dict order cannot leak in), and through the CLI."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from ingest import Options, iter_articles

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
SAMPLES = sorted(p.name for p in RAW.iterdir() if p.is_file() and not p.name.startswith("."))

# Prints "<sample> <sha256 of every article's to_json()>" for each sample, default and pretty.
_DIGEST_SCRIPT = """
import hashlib, sys
from pathlib import Path
from ingest import iter_articles
raw = Path(sys.argv[1])
for name in sys.argv[2:]:
    h = hashlib.sha256()
    for o in iter_articles((raw / name).read_bytes(), path="raw/" + name):
        h.update((o.article.to_json() + o.article.to_json(indent=2)).encode() if o.article else o.error.code.encode())
    print(name, h.hexdigest())
"""


def digests_in_process() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in SAMPLES:
        h = hashlib.sha256()
        for o in iter_articles((RAW / name).read_bytes(), path="raw/" + name):
            h.update(
                (o.article.to_json() + o.article.to_json(indent=2)).encode() if o.article else o.error.code.encode()
            )  # type: ignore[union-attr]
        out[name] = h.hexdigest()
    return out


def digests_in_subprocess(hash_seed: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INGEST_")}
    env["PYTHONHASHSEED"] = hash_seed
    p = subprocess.run(
        [sys.executable, "-c", _DIGEST_SCRIPT, str(RAW), *SAMPLES], capture_output=True, text=True, env=env, timeout=300
    )
    assert p.returncode == 0, p.stderr
    return dict(line.split(" ", 1) for line in p.stdout.splitlines())


def test_two_runs_in_one_process_give_identical_bytes() -> None:
    assert digests_in_process() == digests_in_process()


def test_processes_with_different_hash_seeds_give_identical_bytes() -> None:
    here = digests_in_process()
    assert digests_in_subprocess("1") == here
    assert digests_in_subprocess("4242") == here


def test_str_and_bytes_input_give_the_same_body_and_metadata() -> None:
    """Decoding first and passing ``str`` changes only the recorded source, never the article text."""
    for name in SAMPLES:
        if not name.endswith(".txt"):
            continue
        data = (RAW / name).read_bytes()
        [from_bytes] = [o.article for o in iter_articles(data, path=name)]
        assert from_bytes is not None
        # The text as ingest decoded it (minus a BOM, which is not text).
        text = data.decode(from_bytes.source.encoding or "utf-8").lstrip("\ufeff")
        [from_str] = [o.article for o in iter_articles(text, path=name)]
        assert from_str is not None
        a, b = from_bytes.to_dict(), from_str.to_dict()
        for key in ("id", "title", "publisher", "published", "updated", "authors", "dateline", "language", "body"):
            assert a[key] == b[key], f"{name}: {key} differs between bytes and str input"


def test_options_change_the_fingerprint_and_only_what_they_say() -> None:
    data = (RAW / "scrape-saltholm-tramway-bom-date-header.txt").read_bytes()
    [plain] = [o.article for o in iter_articles(data)]
    [ascii_] = [o.article for o in iter_articles(data, options=Options(ascii_quotes=True))]
    assert plain is not None and ascii_ is not None
    assert Options().fingerprint() != Options(ascii_quotes=True).fingerprint()
    assert "\u201c" in plain.body and "\u201c" not in ascii_.body
    assert ascii_.body == plain.body.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
