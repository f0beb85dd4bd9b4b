"""Plotly figures of survey figures over time and of free text: the trend heatmap and lines, the
response rates, the terms students use and a term's trend.

As in `insights.charts.survey`, suppressed rows are never drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from insights.charts.layout import (
    base_layout,
    chart_height,
    customdata,
    figure,
    percent_text,
    safe_text,
    shown_rows,
)
from insights.charts.palette import CATEGORICAL, FORMAT_COLOURS, LIKERT, PRIMARY
from insights.formatting import format_number


def _likert_colourscale() -> list[list[float | str]]:
    return [[i / (len(LIKERT) - 1), colour] for i, colour in enumerate(LIKERT)]


def trend_heatmap(trends: pd.DataFrame) -> go.Figure:
    """Each question's mean (rows) by cohort and semester (columns), coloured from disagreement
    (brown) to agreement (teal). `trends`: `survey.question_trends`; suppressed cells empty."""
    frame = trends.assign(column=trends["cohort"].astype(str) + " " + trends["semester"].astype(str))
    columns = list(dict.fromkeys(frame.sort_values(["cohort", "semester"])["column"]))
    questions = list(dict.fromkeys(frame["label"]))
    z = np.full((len(questions), len(columns)), np.nan)
    n = np.full_like(z, np.nan)
    low, high = np.full_like(z, np.nan), np.full_like(z, np.nan)
    text = [["" for _ in columns] for _ in questions]
    row_of = {q: i for i, q in enumerate(questions)}
    column_of = {c: j for j, c in enumerate(columns)}
    for row in frame.itertuples(index=False):
        if row.suppressed:
            continue
        i, j = row_of[row.label], column_of[row.column]
        z[i, j], n[i, j], low[i, j], high[i, j] = row.mean, row.n, row.low, row.high
        text[i][j] = format_number(row.mean, 1)
    trace = {
        "type": "heatmap",
        "z": [[None if math.isnan(v) else v for v in line] for line in z],
        "x": columns,
        "y": [safe_text(q) for q in questions],
        "text": text,
        # No font size: plotly fits the numbers to the cells, which a phone makes narrow.
        "texttemplate": "%{text}",
        "colorscale": _likert_colourscale(),
        "zmin": 1,
        "zmax": 5,
        "xgap": 2,
        "ygap": 2,
        "customdata": np.dstack([n, low, high]),
        "hovertemplate": (
            "<b>%{y}</b> · %{x}<br>moyenne %{z:.2f}<br>IC 95 % [%{customdata[1]:.2f} ; %{customdata[2]:.2f}]"
            "<br>n = %{customdata[0]:.0f}<extra></extra>"
        ),
        "colorbar": {
            "title": {"text": "Moyenne", "side": "right"},
            "tickvals": [1, 2, 3, 4, 5],
            "thickness": 12,
        },
        "hoverongaps": False,
    }
    layout = {
        # Up to eight columns, plotly tilts the labels only if they would overlap.
        "xaxis": {"title": {"text": None}, "type": "category", "showgrid": False}
        | ({"tickangle": -45} if len(columns) > 8 else {}),
        "yaxis": {"autorange": "reversed", "title": {"text": None}, "showgrid": False},
    }
    return figure([trace], layout, height=chart_height(len(questions), 140))


def response_rate_figure(rates: pd.DataFrame) -> go.Figure:
    """Each talk's response rate (responses / cohort size) by date, coloured by format.
    `rates`: `survey.response_rates`; suppressed talks left out."""
    shown = shown_rows(rates)
    traces = []
    for index, name in enumerate(dict.fromkeys(shown["format"])):
        rows = shown[shown["format"] == name]
        colour = FORMAT_COLOURS.get(name, CATEGORICAL[(index + 3) % len(CATEGORICAL)])
        traces.append(
            {
                "type": "scatter",
                "x": rows["date"].tolist(),
                "y": rows["rate"].to_numpy(dtype="float64") * 100,
                "mode": "markers",
                "name": safe_text(name),
                "marker": {"size": 10, "color": colour, "line": {"width": 1, "color": "white"}},
                "customdata": customdata(
                    rows["intervention_id"],
                    [safe_text(t) for t in rows["title"]],
                    [safe_text(c) for c in rows["cohort"]],
                    rows["responses"].astype("float64"),
                    rows["cohort_size"].astype("float64"),
                ),
                "hovertemplate": (
                    "<b>%{customdata[1]}</b><br>%{customdata[2]} · %{x|%d/%m/%Y}<br>"
                    "taux de réponse %{y:.0f} % (%{customdata[3]:.0f} / %{customdata[4]:.0f})<extra></extra>"
                ),
            }
        )
    top = float(shown["rate"].max() * 100) if len(shown) else 100.0
    layout = {
        "yaxis": {
            "title": {"text": "Taux de réponse (%)"},
            "range": [0, max(100.0, top) * 1.05],
            "ticksuffix": "\u00a0%",
        },
        "xaxis": {"title": {"text": None}, "tickformat": "%m/%Y"},
    }
    return figure(traces, layout, height=360)


def term_bars(terms: pd.DataFrame, title: str | None = None) -> go.Figure:
    """The most frequent terms of free-text answers, as the share of answers that use each one.
    `terms`: `survey.term_frequencies` (already limited to terms above the threshold)."""
    words = [safe_text(word) for word in terms["word"]]
    share = terms["share"].to_numpy(dtype="float64")
    trace = {
        "type": "bar",
        "y": words,
        "x": terms["answers"].to_numpy(dtype="float64"),
        "orientation": "h",
        "marker": {"color": PRIMARY},
        "text": [percent_text(v) for v in share],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": customdata(terms["term"].astype(str), np.round(share * 100, 1)),
        "hovertemplate": "<b>%{y}</b><br>%{x:.0f} réponses (%{customdata[1]:.1f} %)<extra></extra>",
    }
    layout = {
        "xaxis": {"title": {"text": "Réponses qui emploient le terme"}, "rangemode": "tozero"},
        "yaxis": {"autorange": "reversed", "title": {"text": None}, "type": "category"},
        "margin": {"r": 60},
    }
    return figure([trace], layout, height=chart_height(len(words), 100), title=title)


def term_trend_figure(trend: pd.DataFrame, word: str, cohorts: Sequence[str] | None = None) -> go.Figure:
    """The share of each cohort's answers that use a term. `trend`: `survey.term_trend`;
    suppressed cohorts have no bar (the axis still lists them, from `cohorts` or the table)."""
    shown = shown_rows(trend)
    share = shown["share"].to_numpy(dtype="float64")
    trace = {
        "type": "bar",
        "x": shown["cohort"].astype(str).tolist(),
        "y": share * 100,
        "marker": {"color": PRIMARY},
        "text": [percent_text(v) for v in share],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": customdata(shown["answers"].astype("float64"), shown["n"].astype("float64")),
        "hovertemplate": (
            "<b>%{x}</b><br>« " + safe_text(word) + " » : %{y:.1f} % des réponses"
            "<br>(%{customdata[0]:.0f} sur %{customdata[1]:.0f})<extra></extra>"
        ),
    }
    order = list(cohorts) if cohorts is not None else trend["cohort"].astype(str).tolist()
    top = float(np.nanmax(share) * 100) if share.size else 10.0
    layout = {
        "xaxis": {
            "title": {"text": None},
            "type": "category",
            "categoryorder": "array",
            "categoryarray": order,
            "range": [-0.5, len(order) - 0.5],
        },
        "yaxis": {
            "title": {"text": "Part des réponses (%)"},
            "range": [0, max(5.0, top * 1.25)],
            "ticksuffix": "\u00a0%",
        },
    }
    return figure([trace], layout, height=320)


def mean_trend_figure(
    trend: pd.DataFrame, *, y_title: str, y_range: tuple[float, float] = (1, 5)
) -> go.Figure:
    """A mean by cohort with its 95% interval, one line per series.

    `trend` columns: cohort, series, n, mean, low, high (mean NaN where suppressed: drawn as a gap).
    """
    fig = go.Figure()
    for position, (series, rows) in enumerate(trend.groupby("series", sort=False)):
        colour = CATEGORICAL[position % len(CATEGORICAL)]
        fig.add_trace(
            go.Scatter(
                x=rows["cohort"],
                y=rows["mean"],
                name=str(series),
                mode="lines+markers",
                line={"color": colour, "width": 3},
                marker={"size": 9},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (rows["high"] - rows["mean"]).tolist(),
                    "arrayminus": (rows["mean"] - rows["low"]).tolist(),
                    "color": colour,
                    "thickness": 1.5,
                    "width": 6,
                },
                customdata=rows[["n", "low", "high"]].to_numpy(),
                hovertemplate=(
                    "<b>%{x}</b><br>moyenne %{y:.2f}<br>IC 95 % [%{customdata[1]:.2f} ; "
                    "%{customdata[2]:.2f}]<br>n = %{customdata[0]}<extra>%{fullData.name}</extra>"
                ),
                connectgaps=False,
            )
        )
    fig.update_yaxes(title=y_title, range=list(y_range))
    fig.update_xaxes(title=None, type="category")
    return base_layout(fig)
