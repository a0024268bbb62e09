"""dates_in_text tries its pattern only near four-digit numbers: the same matches as a full scan."""

from __future__ import annotations

import random

import pytest

from ingest.metadata import dates as D
from ingest.patterns import MONTH_WORDS

# Pieces printed dates are made of, and pieces that only look like them.
_PIECES = [
    "2019", "1998", "2020", "20190", "12019", "05", "5", "31", "1", "12", "0", ".", ". ", "-", "/", " ", ",", ", ",
    "de ", "st", "th", "er", "º", "年", "月", "日", "년", "월", "일", "\n", "\xa0", "x", "Uhr", "am", "19", "20",
    "Published", "mai", "May", "Sept.", "октября", "października", "marzo", "1234567", "٢٠١٩", "abc",
]  # fmt: skip


def _full_scan(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in D._TEXT_DATE_RE.finditer(text)]


def _windowed(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in D.text_date_matches(text)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("no digits at all, only words about May", id="no year"),
        pytest.param("Veröffentlicht am 31.05.2019, 10:12 Uhr", id="dotted"),
        pytest.param("Published 31st of nothing, then 31st May, 2019 and 2019-06-01", id="two dates"),
        pytest.param("de 12 de septiembre de 2021", id="Spanish with de"),
        pytest.param("x" * 500 + " 3 października 2022", id="longest month word after long text"),
        pytest.param("2019年5月31日 and 2019/05/31 and 5/31/2019", id="CJK, ymd and slash"),
        pytest.param("1.1.202019 12019 2019.5.31", id="years overlapping in one digit run"),
        pytest.param("31.05.2019" * 20, id="matches back to back"),
    ],
)
def test_same_matches_as_a_full_scan(text: str) -> None:
    assert _windowed(text) == _full_scan(text)


def _date_like(rng: random.Random, months: list[str]) -> str:
    """A printed date in one of the shapes pages use, with random spacing, ordinals and fillers."""
    day, month, year = (
        str(rng.randint(0, 39)),
        str(rng.randint(0, 14)),
        rng.choice(["19", "20", "21"]) + "%02d" % rng.randint(0, 99),
    )
    sp = lambda: rng.choice(["", " ", "  ", "\xa0", "\n"])  # noqa: E731
    shapes = [
        f"{day}.{sp()}{month}.{sp()}{year}",
        f"{year}-{month.zfill(2)}-{day.zfill(2)}",
        f"{year}{rng.choice('/.')}{month}{rng.choice('/.')}{day}",
        f"{year}{sp()}年{sp()}{month}{sp()}月{sp()}{day}{sp()}日",
        f"{day}{rng.choice(['', 'st', 'th', 'er', 'º'])}{rng.choice(['', '.'])}{sp()}{rng.choice(['', 'de '])}"
        f"{rng.choice(months)}{rng.choice(['', '.'])}{rng.choice(['', ','])}{sp()}{rng.choice(['', 'de '])}{year}",
        f"{rng.choice(months)}{rng.choice(['', '.'])}{sp()}{day}{rng.choice(['', 'st', 'th'])}{rng.choice(['', ','])}"
        f"{sp()}{year}",
        f"{month}/{day}/{year}",
    ]
    return rng.choice(shapes)


def test_same_matches_on_generated_text() -> None:
    rng = random.Random(20261130)
    months = sorted(MONTH_WORDS)
    found = 0
    for _ in range(3000):
        parts = [
            rng.choice(_PIECES) if rng.random() < 0.6 else _date_like(rng, months) for _ in range(rng.randint(1, 12))
        ]
        text = "".join(parts)
        if rng.random() < 0.3:
            text = text.upper()
        want = _full_scan(text)
        assert _windowed(text) == want, text
        found += len(want)
    assert found > 1000  # the generator does write dates the pattern finds


def test_the_reach_covers_the_longest_prefix_before_a_year() -> None:
    # day, ordinal, dot, space, "de ", the longest month word, dot, comma, space, "de ", then the year
    longest = max(MONTH_WORDS, key=len)
    text = f"31er. de {longest}., de 2019"
    assert text.index("2019") <= D._YEAR_REACH
    assert _full_scan(text) == [(0, len(text), text)]  # the pattern takes it as one date
    assert _windowed(text) == _full_scan(text)


def test_dates_in_text_unchanged_results() -> None:
    text = "Von Jane Doe | 31. Mai 2019, 10:12 Uhr · aktualisiert 2019-06-02 · Tel. 0301234567"
    assert list(D.dates_in_text(text)) == [(text.index("31."), "2019-05-31"), (text.index("2019-06"), "2019-06-02")]
