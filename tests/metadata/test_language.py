"""Language: ISO 639-1 from the bundled detector; short or unsure text gives null, not a guess."""

from __future__ import annotations

import re

import pytest

from ingest.metadata import extract_metadata
from ingest.metadata.language import detect_language, normalise_language

BODY = (
    "The council approved the harbour budget on Tuesday after a long debate that ran well into the "
    "evening, the mayor said, and the opposition promised to raise the question again in the spring."
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param(BODY, "en", id="English"),
        pytest.param(
            "Der Stadtrat hat am Dienstag nach einer langen Debatte den Haushalt f\u00fcr den Hafen beschlossen.",
            "de",
            id="German",
        ),
        pytest.param(
            "\u0397 \u03ba\u03c5\u03b2\u03ad\u03c1\u03bd\u03b7\u03c3\u03b7 \u03b1\u03bd\u03ad\u03b8\u03b5\u03c3\u03b5"
            " \u03c4\u03b7\u03bd \u03b5\u03c0\u03b9\u03c3\u03ba\u03b5\u03c5\u03ae \u03c4\u03b7\u03c2"
            " \u03b3\u03ad\u03c6\u03c5\u03c1\u03b1\u03c2 \u03c3\u03c4\u03bf \u03bb\u03b9\u03bc\u03ac\u03bd\u03b9"
            " \u03c4\u03b7\u03c2 \u03c0\u03cc\u03bb\u03b7\u03c2 \u03c4\u03b7\u03bd \u03a4\u03c1\u03af\u03c4\u03b7.",
            "el",
            id="Greek",
        ),
        pytest.param(
            "\u6771\u4eac\u90fd\u306f\u706b\u66dc\u65e5\u3001\u65b0\u3057\u3044\u6a4b\u306e\u5efa\u8a2d\u8a08\u753b\u3092\u767a\u8868\u3057\u305f\u3002"
            "\u5de5\u4e8b\u306f\u6765\u5e74\u59cb\u307e\u308b\u4e88\u5b9a\u3067\u3001\u5b8c\u6210\u306f\u4e09\u5e74\u5f8c\u306b\u306a\u308b\u898b\u8fbc\u307f\u3060\u3068\u3044\u3046\u3002",
            "ja",
            id="Japanese",
        ),
    ],
)
def test_detect_language(text: str, code: str) -> None:
    found = detect_language(text)
    assert found is not None
    assert found[0] == code
    assert re.fullmatch(r"[a-z]{2}", found[0])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Hello there.", id="too short to judge"),
        pytest.param("12345 67890 !!! ??? 2021-09-28", id="no letters"),
        pytest.param("", id="empty"),
    ],
)
def test_detect_language_gives_null_rather_than_a_guess(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("tag", "want"),
    [
        ("en-US", "en"),
        ("EN", "en"),
        ("pt_BR", "pt"),
        ("zh-Hant-TW", "zh"),
        ("english", None),
        ("", None),
        (None, None),
        ("x-klingon", None),
    ],
    ids=["region", "upper case", "underscore", "script and region", "language name", "empty", "None", "private use"],
)
def test_normalise_language(tag: object, want: str | None) -> None:
    assert normalise_language(tag) == want


def test_short_body_gets_no_language() -> None:
    assert "language" not in extract_metadata("Short note.").values


def test_markup_language_is_used_when_the_detector_is_unsure() -> None:
    from ingest.metadata import Hint

    m = extract_metadata("Short note.", hints=(Hint("language", "de-DE", "html:lang"),))
    assert (m.values["language"], m.sources["language"]) == ("de", "html:lang")


class _Recorder:
    """Wraps the real identifier and records the length of every sample it is asked about."""

    def __init__(self) -> None:
        from ingest.metadata.language import _identifier

        self.real = _identifier()
        self.sizes: list[int] = []

    def classify(self, text: str) -> tuple[str, float]:
        self.sizes.append(len(text))
        return self.real.classify(text)  # type: ignore[no-any-return]


def test_a_clear_body_is_decided_on_its_first_500_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest.metadata import language

    rec = _Recorder()
    monkeypatch.setattr(language, "_identifier", lambda: rec)
    assert detect_language((BODY + " ") * 40)[0] == "en"  # type: ignore[index]
    assert rec.sizes == [500]


def test_an_unsure_start_is_decided_on_3000_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest.metadata import language

    rec = _Recorder()
    monkeypatch.setattr(language, "_identifier", lambda: rec)
    # The first 500 characters are mostly figures: too little to be sure of; the rest is German.
    start = "Tabelle 1: 12,5 / 13,7 / 2021-09-28 / 44 % / 17,3 / 0,9 / 88 / 1.204 / 3,1 / Nr. 77 / 56 / 90 / " * 5
    german = "Der Stadtrat hat am Dienstag nach einer langen Debatte den Haushalt f\u00fcr den Hafen beschlossen. " * 40
    found = detect_language(start[:500] + german)
    assert rec.sizes == [500, 3000]
    assert found is not None and found[0] == "de"


def test_a_short_body_is_classified_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest.metadata import language

    rec = _Recorder()
    monkeypatch.setattr(language, "_identifier", lambda: rec)
    detect_language(BODY)
    assert rec.sizes == [len(BODY)]
