"""Dates and times as survey tools and spreadsheets write them, read into ISO text.

ISO 8601 is kept as written. Other forms are rewritten `AAAA-MM-JJ HH:MM[:SS]`: French
`25/10/2023 14:55:21`, US `9/21/2017 18:22:52`, Google Forms' `2017/09/21 6:22:52 PM GMT+1`
(the local time is kept, the offset dropped, so that every time of the base is the school's wall
clock), Excel serial numbers (`45224.6217`). Whether `03/04/2024` is the 3rd of April or the 4th of
March depends on the tool's language: a column whose order is not known, and not shown by a day
above 12 in one of its cells, is refused as ambiguous rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from insights.ingest.validation import InvalidCell

Order = Literal["dmy", "mdy"]
"""The order of day and month in a date written with slashes: French `dmy`, US `mdy`."""

_TIME = r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
_OFFSET = r"(?:\s*(?:GMT|UTC|Z)(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?)?)?"
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + _OFFSET)
_YEAR_MONTH_DAY = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME + _OFFSET)
_ISO_LOOSE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + _OFFSET)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")

EXCEL_EPOCH = datetime(1899, 12, 30)
"""Day 0 of Excel's serial dates (1900 system, counting its phantom 29/02/1900)."""
SERIAL_RANGE = (18264, 73051)
"""Serial numbers read as dates: 1950-01-01 to 2099-12-31."""

AMBIGUOUS = (
    "date ambiguë : jour/mois ou mois/jour ? Aucune date de la colonne n'a de jour au-delà de 12 ; "
    "écrivez-la au format AAAA-MM-JJ"
)
EXPECTED = "date attendue au format AAAA-MM-JJ HH:MM:SS (ou JJ/MM/AAAA HH:MM)"


def infer_order(cells: Iterable[str], known: Order | None = None) -> Order | None:
    """The day/month order of a column of dates: `known` when given, else what its cells show.

    A cell like `25/10/2023` shows `dmy`, `10/25/2023` shows `mdy`. None when no cell decides, or
    when cells contradict each other (then each undecidable cell is reported as ambiguous).
    """
    if known is not None:
        return known
    seen: set[Order] = set()
    for cell in cells:
        match = _DAY_MONTH_YEAR.fullmatch(cell.strip())
        if not match:
            continue
        first, second = int(match[1]), int(match[3])
        if first > 12 >= second:
            seen.add("dmy")
        elif second > 12 >= first:
            seen.add("mdy")
    return seen.pop() if len(seen) == 1 else None


def parse_datetime(cell: str, order: Order | None = None) -> str:
    """A date or date and time as ISO text; `order` reads `03/04/2024` (None: refuse it as ambiguous)."""
    cell = cell.strip()
    if match := _YEAR_MONTH_DAY.fullmatch(cell):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        return _compose(year, month, day, match, time_group=4)
    if match := _DAY_MONTH_YEAR.fullmatch(cell):
        first, separator, second, year_text = int(match[1]), match[2], int(match[3]), match[4]
        if len(year_text) == 2 and separator != "/":
            # `10-02-24` may be year-month-day as well as day-month-year: nothing decides.
            raise InvalidCell("date ambiguë (année sur deux chiffres) : écrivez-la au format AAAA-MM-JJ")
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        if first == second or first > 12 or (second <= 12 and order == "dmy"):
            day, month = first, second
        elif second > 12 or order == "mdy":
            month, day = first, second
        else:
            raise InvalidCell(AMBIGUOUS)
        return _compose(year, month, day, match, time_group=5)
    if _SERIAL.fullmatch(cell):
        return _from_serial(float(cell))
    loose = _ISO_LOOSE.fullmatch(cell)
    if loose:
        try:
            date(int(loose[1]), int(loose[2]), int(loose[3]))
        except ValueError:
            raise InvalidCell("cette date n'existe pas") from None
    try:
        datetime.fromisoformat(cell)
    except ValueError:
        if loose:
            # `2015-1-5 9:30`: ISO in spirit, which Python's reader does not accept.
            return _compose(int(loose[1]), int(loose[2]), int(loose[3]), loose, time_group=4)
        raise InvalidCell(EXPECTED) from None
    if not re.match(r"\d{4}-\d{2}-\d{2}", cell):
        # Python also reads compact ISO forms (20231025, 2023W43); people do not write them.
        raise InvalidCell(EXPECTED)
    return cell


def parse_date(cell: str, order: Order | None = "dmy") -> str:
    """A calendar date as `AAAA-MM-JJ` (a time of day, if any, must be midnight)."""
    cell = cell.strip()
    try:
        parsed = parse_datetime(cell, order)
    except InvalidCell as error:
        if str(error) == EXPECTED:
            raise InvalidCell("date attendue au format AAAA-MM-JJ (ou JJ/MM/AAAA)") from None
        raise
    moment = datetime.fromisoformat(parsed)
    if moment.time() != datetime.min.time():
        raise InvalidCell("date attendue sans heure (AAAA-MM-JJ)")
    return moment.date().isoformat()


def _compose(year: int, month: int, day: int, match: re.Match[str], time_group: int) -> str:
    hour, minute, second, meridiem = match.group(time_group, time_group + 1, time_group + 2, time_group + 3)
    sign, offset_hours, offset_minutes = match.group(time_group + 4, time_group + 5, time_group + 6)
    try:
        day_ = date(year, month, day)
    except ValueError:
        raise InvalidCell("cette date n'existe pas") from None
    if sign is not None and (int(offset_hours) > 14 or int(offset_minutes or 0) > 59):
        raise InvalidCell("décalage horaire invalide (GMT+H attendu, de −12 à +14)")
    if hour is None:
        return day_.isoformat()
    hours = int(hour)
    if meridiem is not None:
        if not 1 <= hours <= 12:
            raise InvalidCell("heure invalide : de 1 à 12 avec AM/PM")
        hours = hours % 12 + (12 if meridiem.lower() == "p" else 0)
    if hours > 23 or int(minute) > 59 or int(second or 0) > 59:
        raise InvalidCell("heure invalide")
    moment = datetime(year, month, day, hours, int(minute), int(second or 0))
    return moment.isoformat(sep=" ", timespec="seconds" if second is not None else "minutes")


def _from_serial(serial: float) -> str:
    low, high = SERIAL_RANGE
    if not low <= serial < high + 1:
        raise InvalidCell("nombre hors des dates Excel plausibles (1950 à 2099)")
    moment = EXCEL_EPOCH + timedelta(seconds=round(serial * 86400))
    if serial.is_integer():
        return moment.date().isoformat()
    return moment.isoformat(sep=" ", timespec="seconds")
