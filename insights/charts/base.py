"""Plotly figure builders: every chart of the app is made here from documented DataFrames."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from insights.charts.palette import CATEGORICAL, MUTED, PRIMARY
from insights.domain import THEME_LABELS

FONT = "Source Sans Pro, sans-serif"


def base_layout(fig: go.Figure, *, height: int = 360, title: str | None = None) -> go.Figure:
    """The look shared by every chart: French separators, quiet grid, room for labels."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"} if title else None,
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        separators=", ",
        font={"family": FONT, "size": 14},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font_size": 13},
    )
    fig.update_xaxes(gridcolor="#EEEEEE", zeroline=False)
    fig.update_yaxes(gridcolor="#EEEEEE", zeroline=False)
    return fig


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


def theme_coverage_figure(coverage: pd.DataFrame) -> go.Figure:
    """Horizontal bars: talks per theme, missed themes in grey and labelled.

    `coverage` columns: theme (id), interventions (count).
    """
    ordered = coverage.sort_values("interventions", ascending=True)
    labels = [THEME_LABELS.get(t, t) for t in ordered["theme"]]
    colours = [PRIMARY if count > 0 else MUTED for count in ordered["interventions"]]
    text = [str(count) if count > 0 else "non abordé" for count in ordered["interventions"]]
    fig = go.Figure(
        go.Bar(
            x=ordered["interventions"],
            y=labels,
            orientation="h",
            marker_color=colours,
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y} : %{x} intervention(s)<extra></extra>",
        )
    )
    fig.update_xaxes(title="Interventions", rangemode="tozero", dtick=None)
    fig.update_yaxes(title=None)
    return base_layout(fig, height=max(300, 34 * len(labels) + 60))
