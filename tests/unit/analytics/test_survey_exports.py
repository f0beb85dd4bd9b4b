"""The CSV downloads of the survey figures (`insights.analytics.survey_exports`)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from insights import store
from insights.analytics import survey, survey_exports, survey_page
from insights.analytics.model import load_model
from insights.filters import Filters
from tests.unit.survey_fixtures import make_cube, make_store

ALL = np.array([True, True, True])


def test_export_marks_suppressed_rows_and_never_writes_their_figures():
    talks = survey.talk_distribution(make_cube(), ALL, "satisfaction", threshold=5)
    table = survey_exports.export_table(talks, survey_exports.EXPORTS["talks"], threshold=5)
    assert list(table.columns)[:4] == ["Intervention", "Date", "Promotion", "Format"]
    hidden = table[table["Intervention"] == "Parcours de CM"].iloc[0]
    figures = [c for c in table.columns if c not in ("Intervention", "Date", "Promotion", "Format")]
    assert all(hidden[c] == "moins de 5 réponses" for c in figures)
    shown = table[table["Intervention"] == "Gérer un bad buzz"].iloc[0]
    assert shown["Moyenne (1 à 5)"] == "4,20"
    assert shown["% Tout à fait d'accord"] == "40,0"
    data = survey_exports.csv_bytes(table)
    assert data.startswith("\ufeff".encode())
    read = pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert read.shape == table.shape
    assert read.iloc[:, 4].tolist() == table.iloc[:, 4].tolist()


def test_exports_neutralise_spreadsheet_formulas():
    cube = make_cube()
    talks = survey.talk_distribution(cube, ALL, "satisfaction", threshold=5)
    talks.loc[0, "title"] = '=HYPERLINK("http://x")'
    data = survey_exports.csv_bytes(
        survey_exports.export_table(talks, survey_exports.EXPORTS["talks"], threshold=5)
    )
    read = pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert read["Intervention"].iloc[0] == '\'=HYPERLINK("http://x")'


def test_every_export_matches_its_table():
    conn = make_store()
    store.set_anonymity_threshold(conn, 2)
    figures = survey_page.page_figures(conn, load_model(conn), Filters(), director=True)
    exported = 0
    for name, frame in figures.frames().items():
        if name in survey_exports.EXPORTS:
            exported += 1
            table = survey_exports.export_table(frame, survey_exports.EXPORTS[name], threshold=2)
            assert len(table) == len(frame), name
    assert exported == len(survey_exports.EXPORTS)
