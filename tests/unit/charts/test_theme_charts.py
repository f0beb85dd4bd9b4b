"""The themes page's figures: what each cell, dot and bar shows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from insights.charts import themes as theme_charts
from insights.charts.palette import ACCENT, MUTED, PRIMARY
from insights.domain import THEME_IDS


def _matrix() -> pd.DataFrame:
    matrix = pd.DataFrame(
        0.0, index=list(THEME_IDS), columns=["2014-2015", "université / établissement public"]
    )
    matrix.loc["crise"] = [3, 1]
    matrix.loc["outils"] = [math.nan, 7]
    return matrix


def test_heatmap_writes_the_count_in_each_cell_with_theme_labels():
    fig = theme_charts.coverage_heatmap(
        _matrix(), unit=("intervention", "interventions"), x_title="Promotion"
    )
    heatmap = fig.data[0]
    assert list(heatmap.y) == ["Gestion de crise", "Transparence", "Conversation", "Juste engagement",
                               "Enthousiasme", "Connaître sa structure", "Stratégie digitale",
                               "Veille et innovation", "Parcours et métier", "Outils"]  # fmt: skip
    assert list(heatmap.text[0]) == ["3", "1"]
    assert list(heatmap.text[1]) == ["0", "0"]
    assert heatmap.texttemplate == "%{text}"
    assert (
        heatmap.hovertext[0][1]
        == "<b>Gestion de crise</b><br>université / établissement public : 1 intervention"
    )
    assert heatmap.hovertext[0][0].endswith("3 interventions")
    assert list(heatmap.x) == ["2014-2015", "université /<br>établissement<br>public"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.xaxis.title.text == "Promotion"
    assert heatmap.zmin == 0 and heatmap.zmax == 7
    assert heatmap.colorscale[0][1] == "rgb(247,251,255)"  # palette.SEQUENTIAL, Blues, white for 0


def test_on_a_phone_the_heatmap_s_columns_are_labelled_on_one_upright_line():
    unit = ("intervention", "interventions")
    wide = theme_charts.coverage_heatmap(_matrix(), unit=unit, x_title="Promotion")
    narrow = theme_charts.coverage_heatmap(_matrix(), unit=unit, x_title="Promotion", narrow=True)
    assert list(narrow.data[0].x) == ["2014-2015", "université / établissement public"]
    assert narrow.layout.xaxis.tickangle == -90
    assert wide.layout.xaxis.tickangle is None  # plotly tilts them only when they would overlap
    # Room under the plot for the longest label standing upright.
    assert narrow.layout.height > wide.layout.height


def test_heatmap_marks_hidden_cells_with_the_threshold():
    fig = theme_charts.coverage_heatmap(
        _matrix(), unit=("conseil retenu", "conseils retenus"), x_title="Promotion", threshold=5
    )
    outils = list(THEME_IDS).index("outils")
    heatmap = fig.data[0]
    assert list(heatmap.text[outils]) == ["< 5", "7"]
    assert "moins de 5 conseils retenus" in heatmap.hovertext[outils][0]
    assert np.isnan(heatmap.z[outils][0])


def test_heatmap_of_an_empty_selection_still_has_a_colour_range():
    empty = pd.DataFrame(0, index=list(THEME_IDS), columns=["2015-2016"])
    fig = theme_charts.coverage_heatmap(empty, unit=("citation", "citations"), x_title="Promotion")
    assert fig.data[0].zmax == 1


def test_estimates_figure_draws_means_with_intervals_and_notes_hidden_rows():
    estimates = pd.DataFrame(
        {"n": [40, 3], "mean": [4.2, math.nan], "low": [4.0, math.nan], "high": [4.4, math.nan]}
    )
    fig = theme_charts.estimates_figure(
        ["Utilité", "Transparence"], estimates, x_title="Moyenne", threshold=5
    )
    dots, note = fig.data
    assert list(dots.y) == ["Utilité"]
    assert list(dots.x) == [4.2]
    assert math.isclose(dots.error_x.array[0], 0.2) and math.isclose(dots.error_x.arrayminus[0], 0.2)
    assert dots.text == ("4,20 · n = 40",)
    assert list(note.y) == ["Transparence"]
    assert note.text == ("moins de 5 réponses",)
    assert list(fig.layout.xaxis.range) == [1, 5.05]
    assert list(fig.layout.yaxis.categoryarray) == ["Utilité", "Transparence"]


def test_representation_figure_colours_shortfalls_and_shows_targets():
    rows = pd.DataFrame(
        {
            "label": ["Gestion de crise", "Outils"],
            "per_cohort": [4.0, 0.5],
            "target": [3, 2],
            "shortfall": [0.0, 1.5],
        }
    )
    fig = theme_charts.representation_figure(rows)
    bars, targets = fig.data
    assert list(bars.marker.color) == [PRIMARY, ACCENT]
    assert bars.text == ("4,0 / 3", "0,5 / 2")
    assert list(targets.x) == [3, 2]
    assert targets.name == "Objectif"


def test_theme_coverage_figure_ranks_themes_and_greys_out_the_missed_ones():
    coverage = pd.DataFrame({"theme": ["crise", "outils", "parcours"], "interventions": [3, 0, 1]})
    fig = theme_charts.theme_coverage_figure(coverage)
    (bars,) = fig.data
    # Fewest talks first: plotly draws the first category at the bottom, so the most covered is on top.
    assert list(bars.y) == ["Outils", "Parcours et métier", "Gestion de crise"]
    assert list(bars.x) == [0, 1, 3]
    assert list(bars.marker.color) == [MUTED, PRIMARY, PRIMARY]
    assert bars.text == ("non abordé", "1", "3")
    assert fig.layout.separators == ", "  # the shared French look
    go.Figure(fig.to_dict())  # a valid figure
