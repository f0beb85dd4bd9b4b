"""The reports' figures in words, French formats, as the app's pages write them (`x,xx /5`, NPS
signed, `[low ; high]` intervals, `n = …`); a suppressed figure becomes a note, never a number."""

from __future__ import annotations

import math
from datetime import date, datetime

from insights.domain import THEME_LABELS
from insights.filters import Filters
from insights.formatting import format_number, format_signed

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def long_date(moment: date | datetime) -> str:
    """`2 décembre 2026`."""
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{day} {MONTHS[moment.month - 1]} {moment.year}"


def hidden_note(threshold: int) -> str:
    return f"masqué (moins de {threshold} réponses)"


def missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return value is not None and str(value) in ("<NA>", "nan")


def mean_text(mean: float, threshold: int, unit: str = " /5") -> str:
    return hidden_note(threshold) if missing(mean) else f"{format_number(mean, 2)}{unit}"


def interval_text(low: float, high: float) -> str:
    if missing(low) or missing(high):
        return ""
    return f"[{format_number(low, 2)} ; {format_number(high, 2)}]"


def estimate_text(mean: float, low: float, high: float, n: object, threshold: int) -> str:
    """`4,25 /5 [4,10 ; 4,40], n = 23`, or the suppression note."""
    if missing(mean):
        return hidden_note(threshold)
    interval = interval_text(low, high)
    count = f", n = {format_number(int(n), 0)}" if not missing(n) else ""
    return f"{format_number(mean, 2)} /5" + (f" {interval}" if interval else "") + count


def nps_text(score: float, low: float = math.nan, high: float = math.nan) -> str:
    if missing(score):
        return "–"
    interval = (
        "" if missing(low) or missing(high) else f" [{format_signed(low, 0)} ; {format_signed(high, 0)}]"
    )
    return format_signed(score, 0) + interval


def count_text(value: object) -> str:
    return "–" if missing(value) else format_number(int(value), 0)  # type: ignore[arg-type]


def filters_text(filters: Filters) -> str:
    """The sidebar filters a report was made with, in words."""
    parts = []
    if filters.semesters:
        parts.append("semestre " + ", ".join(filters.semesters))
    if filters.org_types:
        parts.append("organisations : " + ", ".join(filters.org_types))
    if filters.themes:
        parts.append("thèmes : " + ", ".join(THEME_LABELS.get(t, t) for t in filters.themes))
    return "Filtres : " + ("; ".join(parts) if parts else "aucun (toutes les interventions de la promotion)")
