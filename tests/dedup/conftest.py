"""Text for the dedup tests: invented stories built from syllables (no real article text)."""

from __future__ import annotations

import random

import pytest

_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "gri", "fen", "mar", "tol", "bek"]


def story(seed: int, paragraphs: int = 6, sentences: int = 4, words: int = 12) -> str:
    """A made-up article: ``paragraphs`` paragraphs of invented words, the same for the same seed."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(600)]
    paras = []
    for _ in range(paragraphs):
        sents = []
        for _ in range(sentences):
            ws = [rng.choice(vocab) for _ in range(words)]
            sents.append(ws[0].capitalize() + " " + " ".join(ws[1:]) + ".")
        paras.append(" ".join(sents))
    return "\n\n".join(paras)


def syndicated(body: str) -> str:
    """The kind of copy an outlet makes: new headline and byline, a note, the last sentence gone."""
    paras = body.split("\n\n")
    last = paras[-1].rsplit(". ", 1)[0] + "."
    return "\n\n".join(["Another Headline", "By A. Writer", *paras[:-1], last, "Editor's note: updated."])


@pytest.fixture
def make_story():
    return story
