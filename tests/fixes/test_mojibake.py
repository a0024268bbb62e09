"""Mojibake: what ftfy decodes back, and the lossy remnants decided by context."""

from __future__ import annotations

import pytest

from ingest.fixes.mojibake import fix_lossy_mojibake, fix_mojibake


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("The countryâ€™s president", "The country\u2019s president", id="apostrophe read as cp1252"),
        pytest.param("â€œQuotedâ€\x9d text", "\u201cQuoted\u201d text", id="curly double quotes read as cp1252"),
        pytest.param("cafÃ© crÃ¨me", "caf\u00e9 cr\u00e8me", id="accented Latin read as latin-1"),
        pytest.param("Ð\u009fÑ€Ð¸Ð²ÐµÑ‚", "\u041f\u0440\u0438\u0432\u0435\u0442", id="Cyrillic read as cp1252"),
        pytest.param("ÎšÎ±Î»Î·Î¼Î­Ï\x81Î±", "\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1", id="Greek read as cp1252"),
        pytest.param("æ\u009d±äº¬", "\u6771\u4eac", id="CJK read as latin-1"),
        pytest.param("ﬁnal ofﬁce", "final office", id="typesetting ligatures unfolded"),
    ],
)
def test_fix_mojibake_decodes(raw: str, want: str) -> None:
    out, n = fix_mojibake(raw)
    assert out == want
    assert n >= 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("plain ASCII text, nothing to do", id="ASCII"),
        pytest.param("\u201cCurly\u201d quotes and it\u2019s kept", id="typographic quotes are not uncurled"),
        pytest.param("\u041f\u0440\u0438\u0432\u0435\u0442, \u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1, \u6771\u4eac", id="correct Cyrillic Greek CJK"),
        pytest.param("Cr\u00e8me br\u00fbl\u00e9e \u00e0 la carte, \u00a9 2021", id="correct accented Latin"),
        pytest.param("\uff21\uff22\uff23 full width", id="full-width forms are CJK typography"),
        pytest.param("\u2020 died 1901", id="real dagger"),
    ],
)
def test_fix_mojibake_keeps_clean_text(text: str) -> None:
    assert fix_mojibake(text) == (text, 0)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param(
            "\u201cto introduce constitutional changes,\u2020Pavel Usov, director, said.",
            "\u201cto introduce constitutional changes,\u201d Pavel Usov, director, said.",
            id="dagger after comma with the space eaten before a name",
        ),
        pytest.param(
            "\u201cI will not resign,\u2020he said.",
            "\u201cI will not resign,\u201d he said.",
            id="dagger after comma before a lower-case word",
        ),
        pytest.param(
            "\u201cWe are done.\u2020 The meeting ended.",
            "\u201cWe are done.\u201d The meeting ended.",
            id="dagger after a full stop inside an open quote",
        ),
        pytest.param(
            "\u201cThe words\u2020she said.",
            "\u201cThe words\u201d she said.",
            id="dagger glued between letters inside an open quote",
        ),
        pytest.param("The countryâ€s life", "The country\u2019s life", id="lossy euro between letters is an apostrophe"),
        pytest.param("He said â€Yes", "He said \u201cYes", id="lossy euro after a space opens a quote"),
        pytest.param("\u201cYes,â€ he said", "\u201cYes,\u201d he said", id="lossy euro after a comma closes a quote"),
        pytest.param("pages 3 â€ 5", "pages 3 \u2013 5", id="lossy euro between spaces is a dash"),
        pytest.param("priceÂ 10", "price 10", id="A-circumflex before a space is a lost NBSP"),
        pytest.param("Â\u00a9 2021", "\u00a9 2021", id="A-circumflex before a Latin-1 sign"),
        pytest.param("endÂ", "end", id="A-circumflex at the end"),
    ],
)
def test_fix_lossy_mojibake_repairs(raw: str, want: str) -> None:
    out, n = fix_lossy_mojibake(raw)
    assert out == want
    assert n >= 1


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Johann Weber (\u2020 1901) founded the firm.", id="dagger before a year in brackets"),
        pytest.param("\u2020 died 1901", id="dagger at the line start"),
        pytest.param("The first survey\u2020 was incomplete.", id="footnote mark after a word, outside quotes"),
        pytest.param("Smith\u2020, Jones and Brown", id="footnote mark before a comma"),
        pytest.param("\u2020 Data from the 2019 census.", id="footnote text line"),
        pytest.param("Item one,\u2020 is marked.", id="dagger after a comma outside any quote, followed by a space"),
        pytest.param("\u00c2ngela and \u00c2nimo", id="A-circumflex that starts a word"),
        pytest.param("Portugu\u00eas: C\u00c2MARA", id="A-circumflex inside an upper-case word"),
    ],
)
def test_fix_lossy_mojibake_keeps_real_characters(text: str) -> None:
    assert fix_lossy_mojibake(text) == (text, 0)
