"""Import problems as the page "Données" shows them, and as a CSV to download."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from insights.ingest.exports import csv_text
from insights.ingest.validation import Problem

PROBLEM_COLUMNS = ["Fichier", "Ligne", "Colonne", "Valeur", "Raison"]


def problems_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """Problems as the page shows them: columns Fichier, Ligne (Int64, empty for the whole file),
    Colonne, Valeur, Raison."""
    return pd.DataFrame(
        [(p.file, p.row, p.column or "", p.value or "", p.reason) for p in problems], columns=PROBLEM_COLUMNS
    ).astype({"Ligne": "Int64"})


def problems_csv(problems: Sequence[Problem]) -> bytes:
    """Problems as a CSV to download (UTF-8 with BOM for Excel; cells neutralised against formulas)."""
    rows = [
        [p.file, "" if p.row is None else str(p.row), p.column or "", p.value or "", p.reason]
        for p in problems
    ]
    return ("\ufeff" + csv_text(PROBLEM_COLUMNS, rows)).encode("utf-8")
