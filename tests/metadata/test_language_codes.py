"""Every label the bundled language model can emit ends as a schema-valid ``language`` (issue 20, item 6).

py3langid's model has ISO 639-3 labels beside the two-letter ones (``pcm``, ``yue``, ``arz``,
``zxx`` …); the schema takes ISO 639-1 only. The label list comes from the model itself, so a
new model with a new label fails here until someone decides what it maps to.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from checks import assert_valid_article

from ingest import clean_article
from ingest.metadata import language
from ingest.metadata.language import ISO639_1, NO_ISO639_1, _identifier, detect_language, iso639_1

BODY = (
    "Text whose language the test decides by replacing the detector's verdict. It is long enough "
    "to be judged at all, since the detector is not asked about short text.\n\n" * 4
)


def _model_labels() -> list[str]:
    ident = _identifier()
    return list(dict.fromkeys(ident.nb_classes))


def test_the_model_has_three_letter_labels() -> None:
    # The premise of this file: if py3langid ever drops them, the mapping is dead code.
    assert any(len(label) != 2 for label in _model_labels())


def test_every_label_of_the_model_is_decided() -> None:
    undecided = [
        label
        for label in _model_labels()
        if not re.fullmatch(r"[a-z]{2}", label) and (label in ISO639_1) == (label in NO_ISO639_1)
    ]
    assert undecided == [], f"labels neither mapped nor listed as having no ISO 639-1 code: {undecided}"


def test_the_mapping_gives_two_letter_codes_only() -> None:
    assert all(re.fullmatch(r"[a-z]{2}", v) for v in ISO639_1.values())
    assert all(len(k) == 3 for k in [*ISO639_1, *NO_ISO639_1])


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("en", "en"),
        ("arz", "ar"),
        ("ary", "ar"),
        ("yue", "zh"),
        ("kik", "ki"),
        ("pcm", None),
        ("zxx", None),
        ("grc", None),
        ("und", None),
    ],
)
def test_iso639_1(label: str, code: str | None) -> None:
    assert iso639_1(label) == code


class _Says:
    """A stand-in identifier whose verdict is fixed."""

    def __init__(self, label: str, prob: float = 0.99) -> None:
        self.label, self.prob = label, prob

    def classify(self, text: Any) -> tuple[str, float]:
        return self.label, self.prob


@pytest.mark.parametrize("label", _model_labels())
def test_every_label_gives_a_schema_valid_article(label: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "_identifier", lambda: _Says(label))
    article = clean_article(BODY.encode("utf-8"), path="a.txt")
    out = article.to_dict()
    assert_valid_article(out)
    codes = [w["code"] for w in out["warnings"]]
    if iso639_1(label) is None:
        assert out["language"] is None
        assert "language_unmapped" in codes
    else:
        assert out["language"] == iso639_1(label)
        assert out["field_sources"]["language"] == "detector:py3langid"
        assert "language_unmapped" not in codes


def test_an_unmapped_verdict_falls_back_to_the_markup_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "_identifier", lambda: _Says("pcm"))
    html = f"<html lang='en'><head><title>T</title></head><body><article><p>{BODY}</p></article></body></html>"
    out = clean_article(html.encode("utf-8"), path="a.html").to_dict()
    assert out["language"] == "en"
    assert "language_unmapped" in [w["code"] for w in out["warnings"]]


def test_detect_language_reports_an_unmapped_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "_identifier", lambda: _Says("zxx"))
    warnings: list[Any] = []
    assert detect_language(BODY, warnings) is None
    assert [w.code for w in warnings] == ["language_unmapped"]
    assert detect_language(BODY) is None  # no list given: no warning, still no code


def test_an_unsure_unmapped_verdict_is_just_unsure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "_identifier", lambda: _Says("pcm", 0.3))
    warnings: list[Any] = []
    assert detect_language(BODY, warnings) is None
    assert warnings == []
