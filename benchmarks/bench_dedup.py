#!/usr/bin/env python3
"""Duplicate detection quality (pair precision / recall) and index scaling.

Usage::

    python benchmarks/bench_dedup.py quality [--sweep] [--seed S]
    python benchmarks/bench_dedup.py scale N [N ...]      # e.g. 10000 100000 (one process each)

**quality** builds a corpus from real bodies (html-dev's labelled ``articleBody`` and text-dev's
gold ``body``, one copy of each distinct story) and makes from each story a family:

* the original (the wire copy) and an exact second copy (the same page scraped twice);
* three syndicated variants, each with 2-4 of the edits outlets make: a new headline, byline and
  dateline; the last paragraph(s) dropped (at most 15 % of the words); a sentence inserted; a
  sentence removed; quotes restyled; a different wrap; a one-line editor's note.

Mixed in are distinct articles on the same topic, which must *not* be paired: every sixth long
story is split in two halves (both kept, the whole story is not); a "follow-up" that reuses
another story's lead paragraph over a different body; and "same subject words" stories: a
different body whose capitalised names are replaced by the first story's names.

Truth: two documents are duplicates iff they come from the same family. Every method yields
clusters; its pairs are all pairs within a cluster (what a consumer keeping one article per
cluster acts on). Methods, all in one run: exact body hash; MinHash with datatrove's default
settings (5-word shingles, 14 bands x 8 rows = 112 permutations, seed 1, every LSH candidate is
a duplicate, no verification) computed with the same library (rensa); and ingest's index at its
default settings (``--sweep`` adds a grid of thresholds and shingle sizes).

**scale** times ``DedupIndex.sync`` on N generated articles (mutated copies of the real bodies:
a fifth of them syndicated variants) in a fresh process per N, and prints seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import resource
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ingest.dedup.index import DedupIndex, Doc  # noqa: E402
from ingest.dedup.signatures import DedupConfig, words  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"

# Sentences an editor might add, written for this benchmark.
INSERTS = [
    "The company did not immediately respond to a request for comment on Tuesday.",
    "Officials said more details would be released later in the week.",
    "The figures have not been independently verified.",
    "Shares in the group fell slightly in early trading after the announcement.",
    "A spokesperson declined to comment further, citing an ongoing review.",
]
NOTES = [
    "Editor's note: This story has been updated to correct the spelling of a name.",
    "This article originally appeared on a partner site and is republished with permission.",
    "Correction: An earlier version of this story misstated the date of the meeting.",
]
HEADS = ["Breaking news update", "What we know so far", "The story behind the headlines", "Analysis"]
BYLINES = ["By Maria Lopez", "By James Whitfield, Staff Writer", "By Anna Novak and Tom Reed", "From wire reports"]
DATELINES = ["WASHINGTON (AP) — ", "LONDON (Reuters) — ", "NEW YORK — ", "PARIS, March 3 (AFP) — "]

# A sentence ends at . ! or ? followed by a space: one character class then a literal: linear.
_SENT_RE = re.compile(r"(?<=[.!?])\s+")
# Capitalised words: one class then a repeated class, no nesting: linear.
_NAME_RE = re.compile(r"\b[A-Z][a-z]{2,}\b")


def real_bodies() -> list[str]:
    """Distinct real bodies: html-dev's labelled ones, then text-dev's gold ones not already there."""
    bodies: list[str] = []
    truth = json.loads((EVAL / "html-dev" / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        body = truth[key].get("articleBody")
        if body:
            bodies.append(body)
    with open(EVAL / "text-dev" / "gold.jsonl", encoding="utf-8") as fh:
        for line in fh:
            body = json.loads(line).get("body")
            if body:
                bodies.append(body)
    kept: list[str] = []
    kept_sets: list[set[str]] = []
    for body in bodies:
        w = words(body)
        s = {" ".join(w[i : i + 3]) for i in range(max(1, len(w) - 2))}
        if len(w) < 40:
            continue
        if any(len(s & k) / len(s | k) > 0.3 for k in kept_sets):
            continue  # the same story in both dev sets: one copy
        kept.append(body)
        kept_sets.append(s)
    return kept


def paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]


# -- the edits outlets make ---------------------------------------------------------------------


def new_headline(paras: list[str], rng: random.Random) -> list[str]:
    return [rng.choice(HEADS), rng.choice(BYLINES), rng.choice(DATELINES) + paras[0], *paras[1:]]


def drop_tail(paras: list[str], rng: random.Random) -> list[str]:
    total = sum(len(p.split()) for p in paras)
    out = list(paras)
    dropped = 0
    while len(out) > 3 and dropped + len(out[-1].split()) <= 0.15 * total:
        dropped += len(out.pop().split())
        if rng.random() < 0.5:
            break
    return out


def insert_sentence(paras: list[str], rng: random.Random) -> list[str]:
    i = rng.randrange(len(paras))
    out = list(paras)
    out[i] = out[i] + " " + rng.choice(INSERTS)
    return out


def remove_sentence(paras: list[str], rng: random.Random) -> list[str]:
    candidates = [i for i, p in enumerate(paras) if len(_SENT_RE.split(p)) > 1]
    if not candidates:
        return paras
    i = rng.choice(candidates)
    sents = _SENT_RE.split(paras[i])
    del sents[rng.randrange(len(sents))]
    out = list(paras)
    out[i] = " ".join(sents)
    return out


def restyle_quotes(paras: list[str], rng: random.Random) -> list[str]:
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
    if any(c in p for p in paras for c in "“”’"):
        return [p.translate(table) for p in paras]
    return [re.sub(r'"([^"\n]{0,400})"', r"“\1”", p).replace("'", "’") for p in paras]  # bounded: linear


def rewrap(paras: list[str], rng: random.Random) -> list[str]:
    width = rng.choice([60, 72, 80])
    out = []
    for p in paras:
        line, lines = "", []
        for w in p.split():
            if line and len(line) + 1 + len(w) > width:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}" if line else w
        lines.append(line)
        out.append("\n".join(lines))
    return out


def editors_note(paras: list[str], rng: random.Random) -> list[str]:
    note = rng.choice(NOTES)
    return [note, *paras] if rng.random() < 0.5 else [*paras, note]


EDITS: list[Callable[[list[str], random.Random], list[str]]] = [
    new_headline,
    drop_tail,
    insert_sentence,
    remove_sentence,
    restyle_quotes,
    rewrap,
    editors_note,
]


def syndicate(body: str, rng: random.Random) -> str:
    paras = paragraphs(body)
    for edit in sorted(rng.sample(EDITS, rng.randint(2, 4)), key=EDITS.index):
        paras = edit(paras, rng)
    return "\n\n".join(paras)


def same_subject(a: str, b: str) -> str:
    """Story b with its capitalised names replaced by story a's names (shared subject words)."""
    names_a = sorted(set(_NAME_RE.findall(a)), key=lambda n: (-a.count(n), n))[:12] or ["Council"]
    names_b = sorted(set(_NAME_RE.findall(b)))
    mapping = {n: names_a[i % len(names_a)] for i, n in enumerate(names_b)}
    return _NAME_RE.sub(lambda m: mapping.get(m.group(0), m.group(0)), b)


def other_facts(body: str, names_from: str, rng: random.Random) -> str:
    """The same text with every capitalised name swapped for another story's and every number changed."""
    text = same_subject(names_from, body)
    return re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(1, 9)), text)  # one class: linear


def build_corpus(seed: int = 7) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(key, body) documents and key → family (documents of one family are duplicates)."""
    rng = random.Random(seed)
    bases = real_bodies()
    docs: list[tuple[str, str]] = []
    family: dict[str, str] = {}

    def add(key: str, body: str, fam: str) -> None:
        docs.append((key, body))
        family[key] = fam

    long_ones = [i for i, b in enumerate(bases) if len(paragraphs(b)) >= 8]
    split = set(long_ones[::6])
    rest = [i for i in range(len(bases)) if i not in split]
    donors = set(rest[2::5])  # bodies used only inside the distinct same-topic stories
    for i, body in enumerate(bases):
        if i in split:
            paras = paragraphs(body)
            half = len(paras) // 2
            add(f"s{i:03d}-part1", "\n\n".join(paras[:half]), f"s{i}-1")
            add(f"s{i:03d}-part2", "\n\n".join(paras[half:]), f"s{i}-2")
            continue
        if i in donors:
            continue
        fam = f"f{i}"
        add(f"f{i:03d}-orig", body, fam)
        add(f"f{i:03d}-copy", body, fam)
        for v in range(3):
            add(f"f{i:03d}-syn{v}", syndicate(body, rng), fam)
    families = [i for i in rest if i not in donors]
    for n, d in enumerate(sorted(donors)):
        a = bases[families[n % len(families)]]
        donor = bases[d]
        if n % 3 == 0:
            # Follow-up: a's lead paragraph over the second half of a body not otherwise used.
            pd = paragraphs(donor)
            add(f"u{n:03d}-followup", "\n\n".join([paragraphs(a)[0], *pd[len(pd) // 2 :]]), f"u{n}")
        elif n % 3 == 1:
            add(f"n{n:03d}-subject", same_subject(a, donor), f"n{n}")
        else:
            # The same template, other facts: every name and number changed (automated reports).
            add(f"t{n:03d}-report", donor, f"t{n}")
            add(f"t{n:03d}-other", other_facts(donor, a, rng), f"t{n}-other")
    return docs, family


# -- methods --------------------------------------------------------------------------------------


def clusters_exact(docs: list[tuple[str, str]]) -> list[list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for key, body in docs:
        groups[hashlib.sha256(body.encode("utf-8")).hexdigest()].append(key)
    return list(groups.values())


def _simplify_like_datatrove(text: str) -> list[str]:
    """datatrove's text simplification (lower case, spacing, punctuation, accents) then words."""
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.findall(r"\w+", text)  # one class, one quantifier: linear


def clusters_datatrove(docs: list[tuple[str, str]]) -> list[list[str]]:
    """MinHash at datatrove's defaults: 5-grams, 14 buckets x 8 hashes, seed 1, no verification."""
    import rensa

    n_grams, buckets, per_bucket = 5, 14, 8
    parent = list(range(len(docs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seen: dict[tuple[int, tuple[int, ...]], int] = {}
    for i, (_, body) in enumerate(docs):
        w = _simplify_like_datatrove(body)
        grams = [" ".join(w[j : j + n_grams]) for j in range(len(w) - n_grams + 1)]
        if not grams:
            continue
        m = rensa.RMinHash(buckets * per_bucket, 1)
        m.update(grams)
        digest = m.digest()
        for b in range(buckets):
            band = (b, tuple(digest[b * per_bucket : (b + 1) * per_bucket]))
            if band in seen:
                ra, rb = find(i), find(seen[band])
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
            else:
                seen[band] = i
    groups: dict[int, list[str]] = defaultdict(list)
    for i, (key, _) in enumerate(docs):
        groups[find(i)].append(key)
    return list(groups.values())


def clusters_ingest(docs: list[tuple[str, str]], config: DedupConfig) -> list[list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        with DedupIndex(Path(tmp) / "dedup.sqlite", config) as index:
            batch = [
                (key, "x", [Doc(key, 1, hashlib.sha256(body.encode("utf-8")).hexdigest()[:24], body)])
                for key, body in docs
            ]
            index.begin()
            index.replace_units(batch)
            index.commit()
            groups: dict[str, list[str]] = defaultdict(list)
            for key, cluster in index.assignments().items():
                groups[cluster].append(key)
    return list(groups.values())


def score(clusters: list[list[str]], family: dict[str, str]) -> dict[str, float]:
    predicted = {(a, b) for c in clusters for a in c for b in c if a < b}
    by_family: dict[str, list[str]] = defaultdict(list)
    for key, fam in family.items():
        by_family[fam].append(key)
    truth = {(a, b) for c in by_family.values() for a in c for b in c if a < b}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "pairs": len(predicted),
        "true_pairs": len(truth),
    }


def quality(seed: int, sweep: bool) -> dict[str, object]:
    docs, family = build_corpus(seed)
    default = DedupConfig()
    results: dict[str, object] = {
        "documents": len(docs),
        "families": len(set(family.values())),
        "exact_hash": score(clusters_exact(docs), family),
        "minhash_datatrove_defaults": score(clusters_datatrove(docs), family),
        f"ingest (threshold {default.threshold}, {default.shingle}-word shingles)": score(
            clusters_ingest(docs, default), family
        ),
    }
    if sweep:
        grid = {}
        for shingle in (3, 4, 5):
            for threshold in (0.6, 0.7, 0.75, 0.8, 0.85):
                cfg = DedupConfig(threshold=threshold, shingle=shingle)
                grid[f"shingle={shingle} threshold={threshold}"] = score(clusters_ingest(docs, cfg), family)
        results["sweep"] = grid
    return results


# -- scale ----------------------------------------------------------------------------------------


def scale(n: int, seed: int = 3) -> dict[str, object]:
    """Index n generated articles through ``DedupIndex.sync`` from scratch; time and peak RSS.

    Article i is a real body with every third word replaced by a random word of the real
    vocabulary (so distinct articles share no 4-word shingle), or, one time in five, a syndicated
    variant of an earlier distinct article (so there are clusters to find).
    """
    bases = real_bodies()
    vocab = sorted({w for b in bases for w in b.split()})

    def distinct(i: int) -> str:
        r = random.Random(seed * 1_000_003 + i)
        paras = paragraphs(bases[i % len(bases)])
        out = []
        for p in paras:
            ws = p.split()
            for j in range(r.randrange(3), len(ws), 3):
                ws[j] = r.choice(vocab)
            out.append(" ".join(ws))
        return "\n\n".join(out)

    def body_of(i: int) -> str:
        r = random.Random(seed * 7_000_001 + i)
        if i >= 10 and r.random() < 0.2:
            return syndicate(distinct(i - r.randint(1, 10)), r)
        return distinct(i)

    listing = ((f"{i // 1000:04d}/{i:07d}.txt.json", "1") for i in range(n))

    def load(unit: str) -> list[Doc]:
        i = int(unit.rsplit("/", 1)[1].split(".", 1)[0])
        body = body_of(i)
        return [Doc(unit, 1, hashlib.sha256(body.encode("utf-8")).hexdigest()[:24], body)]

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        c0 = time.process_time()
        with DedupIndex(Path(tmp) / "dedup.sqlite") as index:
            index.sync(listing, load)
            counts = index.counts()
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
    return {
        "articles": n,
        "wall_s": round(seconds, 1),
        "cpu_s": round(cpu, 1),
        "cpu_ms_per_article": round(cpu / n * 1000, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "index_mb": round(size / 1e6, 1),
        **counts,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--seed", type=int, default=7)
    q.add_argument("--sweep", action="store_true")
    s = sub.add_parser("scale")
    s.add_argument("n", type=int, nargs="+")
    args = ap.parse_args(argv)
    if args.cmd == "quality":
        print(json.dumps(quality(args.seed, args.sweep), indent=2))
        return 0
    import subprocess

    if len(args.n) == 1:
        print(json.dumps(scale(args.n[0])))
        return 0
    for n in args.n:  # one fresh process per size, so each peak RSS is its own
        subprocess.run([sys.executable, __file__, "scale", str(n)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
