"""The CSV downloads of the survey figures: French headers and decimals, and "moins de N réponses"
in place of every suppressed figure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from insights import exporting
from insights.analytics.stats import LIKERT_VALUES
from insights.domain import LIKERT_LABELS


@dataclass(frozen=True)
class ExportColumn:
    """One column of a CSV export: the frame's column, its French header, and for figures the
    decimals (`percent` multiplies by 100)."""

    column: str
    header: str
    decimals: int | None = None
    percent: bool = False


def export_table(frame: pd.DataFrame, columns: Sequence[ExportColumn], threshold: int) -> pd.DataFrame:
    """A figure table as the CSV download gives it: French headers, French decimals, and
    "moins de N réponses" in place of every figure of a suppressed row (never its value).

    Label columns (no `decimals`) are kept as they are.
    """
    hidden = (
        frame["suppressed"].to_numpy(dtype=bool)
        if "suppressed" in frame.columns
        else np.zeros(len(frame), dtype=bool)
    )
    marker = f"moins de {threshold} réponses"
    result = {}
    for spec in columns:
        values = frame[spec.column].tolist()
        if spec.decimals is None:
            result[spec.header] = ["" if _missing(v) else str(v) for v in values]
            continue
        cells = []
        for value, is_hidden in zip(values, hidden, strict=True):
            if is_hidden:
                cells.append(marker)
            elif _missing(value):
                cells.append("")
            else:
                number = float(value) * (100 if spec.percent else 1)
                cells.append(f"{number:.{spec.decimals}f}".replace(".", ","))
        result[spec.header] = cells
    return pd.DataFrame(result, columns=[spec.header for spec in columns])


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def csv_bytes(table: pd.DataFrame) -> bytes:
    """An `export_table` as the app's CSV downloads are (`insights.exporting`): UTF-8 with a
    byte order mark, comma-separated, cells neutralised against formula injection."""
    return exporting.csv_bytes(list(table.columns), table.astype(str).to_numpy().tolist())


_DISTRIBUTION_FIGURES = [
    ExportColumn("n", "Réponses", 0),
    ExportColumn("mean", "Moyenne (1 à 5)", 2),
    ExportColumn("low", "IC 95 % bas", 2),
    ExportColumn("high", "IC 95 % haut", 2),
    *(
        ExportColumn(f"share_{v}", f"% {label}", 1, percent=True)
        for v, label in zip(LIKERT_VALUES, LIKERT_LABELS, strict=True)
    ),
    ExportColumn("agree", "% d'accord (4 et 5)", 1, percent=True),
]
_NPS_FIGURES = [
    ExportColumn("n", "Réponses", 0),
    ExportColumn("detractors", "Détracteurs (0–6)", 0),
    ExportColumn("passives", "Passifs (7–8)", 0),
    ExportColumn("promoters", "Promoteurs (9–10)", 0),
    ExportColumn("score", "NPS", 0),
    ExportColumn("low", "IC 95 % bas", 0),
    ExportColumn("high", "IC 95 % haut", 0),
]
_TALK_LABELS = [
    ExportColumn("title", "Intervention"),
    ExportColumn("date", "Date"),
    ExportColumn("cohort", "Promotion"),
    ExportColumn("format", "Format"),
]
EXPORTS: dict[str, list[ExportColumn]] = {
    "distribution": [ExportColumn("label", "Question"), *_DISTRIBUTION_FIGURES],
    "talks": [*_TALK_LABELS, *_DISTRIBUTION_FIGURES],
    "nps_talks": [*_TALK_LABELS, *_NPS_FIGURES],
    "nps_speakers": [
        ExportColumn("name", "Intervenant·e"),
        ExportColumn("organisation", "Structure"),
        ExportColumn("interventions", "Interventions"),
        *_NPS_FIGURES,
    ],
    "pillars": [
        ExportColumn("label", "Fondamental"),
        ExportColumn("n", "Réponses", 0),
        ExportColumn("mean", "Moyenne", 2),
        ExportColumn("low", "IC 95 % bas", 2),
        ExportColumn("high", "IC 95 % haut", 2),
        ExportColumn("programme_n", "Réponses (programme)", 0),
        ExportColumn("programme_mean", "Moyenne (programme)", 2),
        ExportColumn("programme_low", "IC 95 % bas (programme)", 2),
        ExportColumn("programme_high", "IC 95 % haut (programme)", 2),
    ],
    "choice_shares": [
        ExportColumn("format", "Format"),
        ExportColumn("option", "Réponse"),
        ExportColumn("answers", "Réponses", 0),
        ExportColumn("share", "Part (%)", 1, percent=True),
        ExportColumn("n", "Réponses du format", 0),
    ],
    "trends": [
        ExportColumn("label", "Question"),
        ExportColumn("cohort", "Promotion"),
        ExportColumn("semester", "Semestre"),
        ExportColumn("n", "Réponses", 0),
        ExportColumn("mean", "Moyenne (1 à 5)", 2),
        ExportColumn("low", "IC 95 % bas", 2),
        ExportColumn("high", "IC 95 % haut", 2),
    ],
    "response_rates": [
        *_TALK_LABELS,
        ExportColumn("semester", "Semestre"),
        ExportColumn("cohort_size", "Effectif de la promotion"),
        ExportColumn("responses", "Réponses", 0),
        ExportColumn("rate", "Taux de réponse (%)", 1, percent=True),
    ],
    "comparison": [
        ExportColumn("label", "Question"),
        ExportColumn("reference", "Comparée à"),
        ExportColumn("n", "Réponses", 0),
        ExportColumn("mean", "Moyenne", 2),
        ExportColumn("low", "IC 95 % bas", 2),
        ExportColumn("high", "IC 95 % haut", 2),
        ExportColumn("reference_n", "Réponses (référence)", 0),
        ExportColumn("reference_mean", "Moyenne (référence)", 2),
        ExportColumn("difference", "Écart", 2),
        ExportColumn("difference_low", "Écart : IC 95 % bas", 2),
        ExportColumn("difference_high", "Écart : IC 95 % haut", 2),
    ],
    "terms": [
        ExportColumn("word", "Terme"),
        ExportColumn("answers", "Réponses qui le citent", 0),
        ExportColumn("share", "Part des réponses (%)", 1, percent=True),
    ],
    "term_trend": [
        ExportColumn("cohort", "Promotion"),
        ExportColumn("n", "Réponses", 0),
        ExportColumn("answers", "Réponses qui citent le terme", 0),
        ExportColumn("share", "Part (%)", 1, percent=True),
    ],
}
"""The CSV export of each figure table of `PageFigures`, by name."""
