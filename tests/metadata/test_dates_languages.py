"""Written month names in more news languages: Arabic (both month sets, Arabic-Indic digits),
Turkish, Greek, Ukrainian, Czech, Hungarian, Romanian, Indonesian and Vietnamese."""

from __future__ import annotations

import pytest

from ingest.metadata import plausible_person
from ingest.metadata.dates import dates_in_text, parse_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("الخميس، 03 مارس 2022", "2022-03-03"),
        ("٣ مارس ٢٠٢٢", "2022-03-03"),
        ("14 إبريل 2018", "2018-04-14"),
        ("14 ابريل 2018", "2018-04-14"),
        ("2 حزيران 2016", "2016-06-02"),
        ("21 كانون الثاني 2015", "2015-01-21"),
        ("9 تشرين الأول 2011", "2011-10-09"),
        ("9 نوفمبر/تشرين الثاني 2011", "2011-11-09"),
        ("Cuma, 4 Eylül 2015 09:30", "2015-09-04T09:30:00"),
        ("19 Şubat 2013", "2013-02-19"),
        ("Παρασκευή, 5 Ιουνίου 2015", "2015-06-05"),
        ("5 ΙΟΥΝΙΟΥ 2015", "2015-06-05"),
        ("5 Μαΐου 2015", "2015-05-05"),
        ("18 березня 2014", "2014-03-18"),
        ("18. března 2014", "2014-03-18"),
        ("wtorek, 18 marca 2014", "2014-03-18"),
        ("2014. március 18., kedd", "2014-03-18"),
        ("18 martie 2014", "2014-03-18"),
        ("Selasa, 18 Maret 2014", "2014-03-18"),
        ("ngày 18 tháng 3 năm 2014", "2014-03-18"),
        ("Thứ Ba, 18 tháng 3, 2014", "2014-03-18"),
    ],
)
def test_localised_dates_parse(raw: str, expected: str) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "كانون 2016",  # which kanun: January or December
        "مارس 2022",  # no day
        "18 tháng 13 năm 2014",  # no thirteenth month
        "tháng 3 năm 2014",  # no day
        "Pazar 2014",
        "18 Maret",  # no year
        "Mart Visser",
        "١٢٣٤",
    ],
)
def test_incomplete_or_non_dates_stay_none(raw: str) -> None:
    assert parse_date(raw) is None


def test_dates_in_text_finds_localised_dates_at_their_offsets() -> None:
    text = "نشر ٠٣ مارس ٢٠٢٢ ثم 2014. március 18. és 18 tháng 3 năm 2014; 12 ocak saat"
    found = list(dates_in_text(text))
    assert [day for _, day in found] == ["2022-03-03", "2014-03-18", "2014-03-18"]
    assert text[found[0][0] : found[0][0] + 2] == "٠٣"


def test_hungarian_order_needs_the_closing_dot() -> None:
    assert list(dates_in_text("Revenue in 2014. March 18 was flat")) == []


def test_date_words_that_are_also_names_do_not_reject_a_name() -> None:
    assert plausible_person("Mart Visser")
    assert not plausible_person("Eylül Mayıs")


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        pytest.param("4. 2. 2022", "2022-02-04", id="spaces after the dots stay day-first"),
        pytest.param("04. 02. 2022", "2022-02-04", id="zero-padded with spaces"),
        pytest.param("4.\u20092.\u20092022", "2022-02-04", id="thin spaces"),
        pytest.param("4.\xa02.\xa02022", "2022-02-04", id="no-break spaces"),
        pytest.param("12. 5. 2023 - 10:15", "2023-05-12T10:15:00", id="with a time"),
        pytest.param("12.05.2023", "2023-05-12", id="unchanged: no spaces"),
        pytest.param("2023-05-04", "2023-05-04", id="unchanged: ISO"),
    ],
)
def test_spaced_dotted_dates_are_day_first(raw: str, want: str) -> None:
    assert parse_date(raw) == want


def test_dates_in_text_reads_spaced_dotted_and_hungarian_numeric_dates() -> None:
    text = "Von Jane Doe 4.\u20092.\u20092022. Frissítve: 2020. 06. 04. 10:12, majd 2021.07.08 és 2019/5/31"
    assert [day for _, day in dates_in_text(text)] == ["2022-02-04", "2020-06-04", "2021-07-08", "2019-05-31"]


def test_a_hungarian_numeric_date_needs_its_closing_dot() -> None:
    assert list(dates_in_text("In 2014. 3. 18 people came")) == []
