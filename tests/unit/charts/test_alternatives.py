"""Every chart's text alternative (`insights.charts.alternatives`): its data as a table and one
sentence, read from the figures the app draws."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from insights.analytics.stats import NpsBreakdown
from insights.charts import alternatives, speakers, survey, survey_trends


def test_a_single_line_is_told_as_a_change_between_its_ends() -> None:
    trend = pd.DataFrame(
        {
            "cohort": ["2012-2013", "2013-2014", "2015-2016"],
            "series": ["Satisfaction"] * 3,
            "n": [40, 42, 45],
            "mean": [3.9, 4.05, 4.2],
            "low": [3.7, 3.8, 4.0],
            "high": [4.1, 4.3, 4.4],
        }
    )
    fig = survey_trends.mean_trend_figure(trend, y_title="Satisfaction moyenne (1 à 5)")
    assert (
        alternatives.figure_summary(fig) == "Satisfaction passe de 3,90 à 4,20 entre 2012-2013 et 2015-2016."
    )
    table = alternatives.figure_table(fig)
    assert table.columns.tolist() == ["Catégorie", "Satisfaction"]
    assert table.values.tolist() == [["2012-2013", "3,90"], ["2013-2014", "4,05"], ["2015-2016", "4,20"]]


def test_bars_name_their_highest_and_lowest_and_escape_nothing_into_markup() -> None:
    fig = go.Figure(go.Bar(x=["<b>Crise</b>", "Outils", "Parcours"], y=[6, 3, 2], name="Interventions"))
    fig.update_yaxes(title="Interventions par promotion")
    assert alternatives.figure_summary(fig) == (
        "Interventions par promotion : la plus haute valeur est 6 (Crise), la plus basse 2 (Parcours)."
    )
    assert alternatives.figure_table(fig)["Catégorie"].tolist() == ["Crise", "Outils", "Parcours"]


def test_categories_placed_at_numeric_positions_are_read_from_the_ticks() -> None:
    fig = go.Figure(go.Scatter(x=[4.1, 3.2], y=[0, 1], mode="markers", name="Moyenne"))
    fig.update_yaxes(tickvals=[0, 1], ticktext=["Utilité", "Clarté"])
    assert alternatives.figure_table(fig).values.tolist() == [["Utilité", "4,10"], ["Clarté", "3,20"]]
    assert "4,10 (Utilité)" in alternatives.figure_summary(fig)
    assert "passe de" not in alternatives.figure_summary(fig)  # markers only: not a trend


def test_a_heatmap_gives_its_grid_and_its_extremes() -> None:
    coverage = pd.DataFrame({"2014-2015": [2, 0], "2015-2016": [5, 1]}, index=["crise", "outils"])
    fig = go.Figure(go.Heatmap(z=coverage.to_numpy(), x=list(coverage.columns), y=["Crise", "Outils"]))
    table = alternatives.figure_table(fig)
    assert table.values.tolist() == [["Crise", "2", "5"], ["Outils", "0", "1"]]
    assert alternatives.figure_summary(fig) == (
        "Valeur la plus haute : 5 (Crise, 2015-2016) ; la plus basse : 0 (Outils, 2014-2015)."
    )


def test_percent_axes_read_as_percentages() -> None:
    fig = go.Figure(go.Bar(y=["Atelier", "Conférence"], x=[0.25, 0.5], orientation="h", name="Part"))
    fig.update_xaxes(tickformat=".0%")
    assert alternatives.figure_table(fig)["Part"].tolist() == ["25\u00a0%", "50\u00a0%"]


def test_an_empty_figure_says_so() -> None:
    assert alternatives.figure_summary(go.Figure()) == "Aucune valeur n'est affichée."
    assert alternatives.figure_table(go.Figure()).empty


def test_diverging_likert_bars_count_the_centred_neutral_whole_and_name_the_agreement() -> None:
    counts = {"Utilité": [0, 2, 6, 8, 4], "Clarté": [0, 4, 8, 4, 4]}  # nobody disagrees strongly
    rows = []
    for label, answers in counts.items():
        n = sum(answers)
        row = {"label": label, "n": n, "mean": 3.5, "low": 3.0, "high": 4.0}
        row |= {f"share_{level}": answers[level - 1] / n for level in range(1, 6)}
        row |= {f"count_{level}": answers[level - 1] for level in range(1, 6)}
        rows.append(row)
    fig = survey.likert_bars(pd.DataFrame(rows))
    table = alternatives.figure_table(fig)
    assert table.columns.tolist()[1:] == [
        "Pas du tout d'accord",
        "Plutôt pas d'accord",
        "Ni d'accord ni pas d'accord",
        "Plutôt d'accord",
        "Tout à fait d'accord",
    ]
    assert table.values.tolist() == [
        ["Utilité", "0\u00a0%", "10\u00a0%", "30\u00a0%", "40\u00a0%", "20\u00a0%"],
        ["Clarté", "0\u00a0%", "20\u00a0%", "40\u00a0%", "20\u00a0%", "20\u00a0%"],
    ]
    assert alternatives.figure_summary(fig) == (
        "Plutôt d'accord ou Tout à fait d'accord : le plus haut 60\u00a0% (Utilité), "
        "le plus bas 40\u00a0% (Clarté)."
    )


def test_stacked_parts_name_the_part_largest_in_most_bars_and_its_range() -> None:
    fig = go.Figure(
        [
            go.Bar(
                y=["Atelier", "Conférence", "Table ronde"], x=[0.2, 0.5, 0.3], orientation="h", name="Q&R"
            ),
            go.Bar(
                y=["Atelier", "Conférence", "Table ronde"],
                x=[0.8, 0.5, 0.7],
                orientation="h",
                name="Conseils",
            ),
        ]
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat=".0%")
    assert alternatives.figure_summary(fig) == (
        "Conseils est la part la plus grande dans 2 cas sur 3 : de 50\u00a0% (Conférence) à 80\u00a0% (Atelier)."
    )


def test_a_single_stacked_bar_of_shares_tells_its_parts_as_percentages() -> None:
    fig = speakers.nps_breakdown_figure(NpsBreakdown(n=20, promoters=10, passives=6, detractors=4))
    assert alternatives.figure_summary(fig) == (
        "Réinviter : Promoteurs (9 à 10) 50\u00a0%, Neutres (7 à 8) 30\u00a0%, Détracteurs (0 à 6) 20\u00a0%."
    )


def test_side_by_side_panels_are_told_each_on_its_own_axis_with_the_values_drawn() -> None:
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True)
    names = ["Julien", "Olivier"]
    fig.add_trace(go.Bar(y=names, x=[75.3, -77.2], orientation="h", name="NPS", text=["+75", "−77"]), 1, 1)
    fig.add_trace(go.Scatter(y=names, x=[4.33, 2.86], mode="markers", name="Utilité"), 1, 2)
    assert alternatives.figure_summary(fig) == (
        "NPS : la plus haute valeur est +75 (Julien), la plus basse −77 (Olivier). "
        "Utilité : la plus haute valeur est 4,33 (Julien), la plus basse 2,86 (Olivier)."
    )
    assert alternatives.figure_table(fig).values.tolist() == [
        ["Julien", "+75", "4,33"],
        ["Olivier", "−77", "2,86"],
    ]
