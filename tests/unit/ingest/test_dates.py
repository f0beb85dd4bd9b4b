"""Dates as the survey tools and French Excel write them; an ambiguous date is refused, not guessed."""

from __future__ import annotations

import pytest

from insights.ingest.dates import infer_order, parse_date, parse_datetime
from insights.ingest.validation import InvalidCell


@pytest.mark.parametrize(
    ("cell", "order", "expected"),
    [
        pytest.param("2015-10-12 18:04:11", None, "2015-10-12 18:04:11", id="LimeSurvey ISO kept as written"),
        pytest.param("2011-10-06T17:21:00", None, "2011-10-06T17:21:00", id="ISO with T kept"),
        pytest.param("2015-1-5 9:30", None, "2015-01-05 09:30", id="loose ISO made ISO"),
        pytest.param("25/10/2023 14:55:21", None, "2023-10-25 14:55:21", id="French Sheets, day above 12"),
        pytest.param("03/04/2024 10:00", "dmy", "2024-04-03 10:00", id="French order known"),
        pytest.param("03/04/2024 10:00", "mdy", "2024-03-04 10:00", id="US order known"),
        pytest.param("9/21/2017 18:22:52", None, "2017-09-21 18:22:52", id="US Sheets, day above 12"),
        pytest.param(
            "2017/09/21 6:22:52 PM GMT+1", None, "2017-09-21 18:22:52", id="Google Forms PM with offset"
        ),
        pytest.param("2017/09/21 12:05:00 AM GMT-4", None, "2017-09-21 00:05:00", id="12 AM is midnight"),
        pytest.param("2017/09/21 12:05:00 PM GMT+5:30", None, "2017-09-21 12:05:00", id="12 PM is noon"),
        pytest.param("2026/07/29 9:00:00 AM UTC+3", None, "2026-07-29 09:00:00", id="UTC offset"),
        pytest.param("7/27/26 19:06:23", None, "2026-07-27 19:06:23", id="Excel en-US two-digit year"),
        pytest.param("27.07.2026", None, "2026-07-27", id="dots, day first"),
        pytest.param("12-10-2015", "dmy", "2015-10-12", id="dashes, day first"),
        pytest.param("45224", None, "2023-10-25", id="Excel serial date"),
        pytest.param("45224.621770833", None, "2023-10-25 14:55:21", id="Excel serial date and time"),
        pytest.param("05/05/2015", None, "2015-05-05", id="day equals month"),
    ],
)
def test_dates_are_read_into_iso(cell, order, expected):
    assert parse_datetime(cell, order) == expected


@pytest.mark.parametrize(
    ("cell", "order", "words"),
    [
        pytest.param("03/04/2024", None, "ambiguë", id="day or month"),
        pytest.param("10-02-24", "mdy", "deux chiffres", id="two-digit year with dashes"),
        pytest.param("31/02/2024", "dmy", "n'existe pas", id="no such day"),
        pytest.param("2024-02-30", None, "n'existe pas", id="no such ISO day"),
        pytest.param("2017/09/21 13:05:00 PM GMT+1", None, "1 à 12", id="13 PM"),
        pytest.param("25/10/2023 25:00", None, "heure invalide", id="hour 25"),
        pytest.param("2017/09/21 6:22:52 PM GMT+19", None, "décalage", id="offset too large"),
        pytest.param("12345", None, "1950", id="serial out of range"),
        pytest.param("hier soir", None, "AAAA-MM-JJ", id="words"),
        pytest.param("20231025", None, "AAAA-MM-JJ", id="compact ISO"),
    ],
)
def test_unreadable_or_ambiguous_dates_are_refused(cell, order, words):
    with pytest.raises(InvalidCell) as caught:
        parse_datetime(cell, order)
    assert words in str(caught.value)


def test_a_column_shows_its_order_by_a_day_above_12():
    assert infer_order(["03/04/2024", "25/04/2024"]) == "dmy"
    assert infer_order(["03/04/2024", "04/25/2024"]) == "mdy"
    assert infer_order(["03/04/2024", "05/06/2024"]) is None
    assert infer_order(["03/04/2024"], known="dmy") == "dmy"


def test_a_column_that_contradicts_itself_decides_nothing():
    assert infer_order(["25/04/2024", "04/25/2024"]) is None


def test_a_calendar_date_has_no_time():
    assert parse_date("12/10/2015") == "2015-10-12"
    assert parse_date("42289") == "2015-10-12"
    with pytest.raises(InvalidCell, match="sans heure"):
        parse_date("2015-10-12 14:00")
