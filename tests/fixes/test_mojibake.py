"""Mojibake: what ftfy decodes back, and the lossy remnants decided by context."""

from __future__ import annotations

import pytest

from ingest.fixes.mojibake import complete_lost_bytes_by_word, fix_lossy_mojibake, fix_mojibake


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("The countryâ€™s president", "The country\u2019s president", id="apostrophe read as cp1252"),
        pytest.param("â€œQuotedâ€\x9d text", "\u201cQuoted\u201d text", id="curly double quotes read as cp1252"),
        pytest.param("cafÃ© crÃ¨me", "caf\u00e9 cr\u00e8me", id="accented Latin read as latin-1"),
        pytest.param("Ð\u009fÑ€Ð¸Ð²ÐµÑ‚", "\u041f\u0440\u0438\u0432\u0435\u0442", id="Cyrillic read as cp1252"),
        pytest.param(
            "ÎšÎ±Î»Î·Î¼Î­Ï\x81Î±", "\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1", id="Greek read as cp1252"
        ),
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
        pytest.param(
            "\u041f\u0440\u0438\u0432\u0435\u0442, \u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1, \u6771\u4eac",
            id="correct Cyrillic Greek CJK",
        ),
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
        pytest.param(
            "The countryâ€s life", "The country\u2019s life", id="lossy euro between letters is an apostrophe"
        ),
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


# ---- issue 14, failure class 1: lossy mojibake ftfy cannot decode -----------------------------


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param(
            "\u201cIs it over?\u2019\u2020she asked.",
            "\u201cIs it over?\u2019\u201d she asked.",
            id="dagger after a closing single quote after ?",
        ),
        pytest.param(
            "\u201cWe won!\u2019\u2020Nobody had expected it.",
            "\u201cWe won!\u2019\u201d Nobody had expected it.",
            id="dagger after a closing single quote after !",
        ),
        pytest.param(
            "\u201cThe last lap\u2026 \u2020And then the rain.",
            "\u201cThe last lap\u2026 \u201d And then the rain.",
            id="dagger after a space inside an open quote",
        ),
        pytest.param(
            "the film \u201cHarbour Lights \u2020\u00e2\u20ac\u201d a small story",
            "the film \u201cHarbour Lights \u201d \u2014 a small story",
            id="dagger before a whole em dash mojibake",
        ),
        pytest.param(
            "the report said \u201cdelays \u00e2\u20ac. Then",
            "the report said \u201cdelays \u201d. Then",
            id="lossy euro before a full stop inside a quote",
        ),
        pytest.param(
            "(\u00e2\u20ac\u0153The Ferry,\u2020\u00e2\u20ac\u0153The Bell\u00e2\u20ac), a film",
            "(\u201cThe Ferry,\u201d \u201cThe Bell\u201d), a film",
            id="lossy euro before a bracket with the opening quote still mojibake",
        ),
        pytest.param("\u201cIt was work.\u00e2\u20ac\ufffd", "\u201cIt was work.\u201d", id="lost byte became U+FFFD"),
        pytest.param("we don\ufffdt know", "we don\u2019t know", id="U+FFFD in a contraction"),
    ],
)
def test_lossy_quote_remnants_are_repaired(raw: str, want: str) -> None:
    out, n = fix_lossy_mojibake(raw)
    assert out == want
    assert n >= 1


RUSSIAN_TEXT = "Если вы поставите эту скорость, после запуска она станет такой для всех. Настройки Набор"


def _lose_bytes(text: str) -> str:
    """UTF-8 read as cp1252 by a decoder that drops the bytes cp1252 does not define."""
    return text.encode("utf-8").decode("cp1252", "ignore")


def test_greek_lost_byte_is_completed_by_the_word() -> None:
    """ "ρ" (CF 81) and "ύ" (CF 8D) lose the same byte: neither letter is rare, so the word decides."""
    text = "Καλημέρα κόσμε, ρωτάω για το νησί, ύπνος και ξύλο"
    damaged, _ = fix_mojibake(_lose_bytes(text))
    assert damaged != text  # ftfy alone leaves the characters that lost a byte
    partly, _ = fix_lossy_mojibake(damaged)
    assert "ξρλο" not in partly  # the old single-completion rule wrote "ρ" for every "ύ"
    assert complete_lost_bytes_by_word(partly)[0] == text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(RUSSIAN_TEXT, id="Russian"),
        pytest.param("Καλημέρα κόσμε, ρωτάω για το νησί, ύπνος και ξύλο", id="Greek"),
    ],
)
def test_lost_byte_replaced_by_fffd_is_completed_by_the_word(text: str) -> None:
    """A decoder that replaced the broken sequence left U+FFFD where the letter was (``Е\ufffdли``)."""
    from ingest.fixes import repair_text

    damaged = text.encode("utf-8").decode("cp1252", "replace")
    assert repair_text(damaged, strip_artifacts=False).text == text


def test_fffd_in_latin_text_is_not_guessed_as_a_letter() -> None:
    text = "The caf\ufffd and the na\ufffdve reader"
    assert complete_lost_bytes_by_word(text) == (text, 0)


def test_ambiguous_completion_is_left_and_counted() -> None:
    from ingest.fixes.mojibake import mojibake_remaining

    # Cyrillic "с", "э" and "я" all lose their second byte: no single completion, so the text stays.
    damaged, _ = fix_mojibake(
        _lose_bytes(
            "\u0441\u0442\u0430\u043d\u0434\u0430\u0440\u0442\u043d\u0430\u044f"
            " \u0441\u043a\u043e\u0440\u043e\u0441\u0442\u044c \u0438 \u0434\u0440\u0443\u0433\u0438\u0435"
            " \u0441\u043b\u043e\u0432\u0430"
        )
    )
    assert fix_lossy_mojibake(damaged)[0] == damaged
    assert mojibake_remaining(damaged) > 0


def test_mojibake_remaining_is_a_warning_in_the_article() -> None:
    from ingest import Options, clean_article

    # Made-up names: no word list holds them, so their lost bytes stay undecided.
    damaged = _lose_bytes("Пусмор Ясвельд и Сэмар Оскуляс пришли к Эсмяру Ярсову на реку Сэсвяль.")  # noqa: E501
    article = clean_article(damaged, options=Options(format="text"))
    assert [w.code for w in article.warnings if w.code == "mojibake_remaining"] == ["mojibake_remaining"]
    clean = clean_article("The council approved the harbour budget on Tuesday.", options=Options(format="text"))
    assert not [w for w in clean.warnings if w.code == "mojibake_remaining"]


# ---- issue 14, failure class 2: characters that are not mojibake do not change -------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "The numbers were \u201ddwindling.\u201d said the mayor.", id="a wrong-direction quote the author typed"
        ),
        pytest.param("ESPA\u00d1A y A\u00d1O", id="Spanish capital N-tilde is no Cyrillic lead byte"),
        pytest.param("Caf\u00e9 cr\u00e8me, S\u00e3o Paulo, \u00e9t\u00e9", id="Latin-1 letters"),
        pytest.param("He was born in 1850 (\u2020 1901 in Vienna).", id="a real dagger for a death year"),
        pytest.param("\u201cQuoted\u201d and \u2018single\u2019 quotes", id="balanced typographic quotes"),
        pytest.param("\u00c5ngstr\u00f6m and \u00d8resund", id="Nordic letters"),
    ],
)
def test_real_characters_do_not_change(text: str) -> None:
    assert fix_lossy_mojibake(text) == (text, 0)
    assert fix_mojibake(text) == (text, 0)


# ---- issue 14, failure class 1: a lost byte several letters could fill, chosen by the word --------


RUSSIAN = "Если вы поставите эту скорость, после запуска игры она станет такой для всех, поэтому стоит подумать."


def test_cyrillic_lost_bytes_are_completed_by_the_word() -> None:
    damaged, _ = fix_mojibake(_lose_bytes(RUSSIAN))
    damaged, _ = fix_lossy_mojibake(damaged)
    assert damaged != RUSSIAN  # "с", "э" and "я" each have three completions: the letters alone cannot say
    out, n = complete_lost_bytes_by_word(damaged)
    assert out == RUSSIAN
    assert n > 0
    assert complete_lost_bytes_by_word(out) == (out, 0)


def test_words_no_list_holds_stay_as_written() -> None:
    damaged, _ = fix_mojibake(_lose_bytes("Пусмор Ясвельд"))
    damaged, _ = fix_lossy_mojibake(damaged)
    assert complete_lost_bytes_by_word(damaged) == (damaged, 0)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("ESPA\u00d1A y A\u00d1O, \u00d1and\u00fa y \u00d1o\u00f1o", id="Spanish N-tilde"),
        pytest.param("\u00d8resund, \u00cele-de-France, 3 \u00d7 4", id="Latin letters and a times sign"),
        pytest.param(RUSSIAN, id="clean Russian"),
        pytest.param("El precio subi\u00f3 *\u00d1\u2026100 en la tienda.", id="a lone run in Latin text"),
    ],
)
def test_complete_lost_bytes_by_word_keeps_real_text(text: str) -> None:
    assert complete_lost_bytes_by_word(text) == (text, 0)
    assert fix_lossy_mojibake(text) == (text, 0)


def test_a_whole_sequence_alone_takes_the_script_of_the_document() -> None:
    text = "Множитель скорости задают в консоли так: *\u00d1\u2026100, и он действует до конца."
    out, _ = fix_lossy_mojibake(text)
    assert "*\u0445100" in out  # "х" (D1 85), ftfy leaves it: no letter next to it


def test_lexicon_repair_runs_in_the_plan() -> None:
    from ingest.fixes import repair_text

    repaired = repair_text(_lose_bytes(RUSSIAN), strip_artifacts=False)
    assert repaired.text == RUSSIAN
    assert "complete_lost_bytes_by_word" in [f.name for f in repaired.fixes]


# ---- UTF-8 read as MacRoman ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("Ci vediamo al pi\u221a\u03c0 presto.", "Ci vediamo al pi\u00f9 presto.", id="Italian piu"),
        pytest.param("un caf\u221a\u00a9 noir", "un caf\u00e9 noir", id="French cafe"),
        pytest.param("LE CAF\u221a\u00e2 NOIR", "LE CAF\u00c9 NOIR", id="capital letter in a capitalised word"),
    ],
)
def test_fix_macroman_mojibake_repairs(raw: str, want: str) -> None:
    from ingest.fixes.mojibake import fix_macroman_mojibake

    assert fix_macroman_mojibake(raw) == (want, 1)
    assert fix_macroman_mojibake(want) == (want, 0)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("The area is 2\u221a\u03c0 and x = \u221a\u03c0 here.", id="square root of pi in mathematics"),
        pytest.param("Let a\u221a\u03c0 be the constant.", id="one-letter variable before the root"),
        pytest.param("ab\u221a\u00f3 c", id="completion that is no letter (times sign)"),
        pytest.param("abc\u221a\u00e2", id="completion in the other case"),
    ],
)
def test_fix_macroman_mojibake_keeps_mathematics(text: str) -> None:
    from ingest.fixes.mojibake import fix_macroman_mojibake

    assert fix_macroman_mojibake(text) == (text, 0)
