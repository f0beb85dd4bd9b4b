"""Plotly figures of the themes page: coverage heatmaps, means with their intervals by theme or
question, and the recent mix against the director's targets."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from insights.charts.layout import base_layout, wrap_label
from insights.charts.palette import ACCENT, MUTED, PRIMARY, SEQUENTIAL
from insights.domain import THEME_LABELS
from insights.formatting import format_number


def coverage_heatmap(
    matrix: pd.DataFrame,
    *,
    unit: tuple[str, str],
    x_title: str,
    threshold: int | None = None,
    narrow: bool = False,
) -> go.Figure:
    """Themes (rows, labelled in French) × the matrix's columns, the count written in each cell.

    `matrix`: counts indexed by theme id (as `themes.coverage_matrix`), NaN where a count of
    answers is hidden under the anonymity `threshold` (written "< threshold"). `unit`: the
    singular and plural of what is counted, for the hover text. Column labels are wrapped on
    several lines; `narrow` (a phone, where columns are too narrow for them to stand side by side)
    writes each on one line, upright: plotly's tilt of wrapped labels spreads their lines over
    the neighbouring columns'.
    """
    singular, plural_form = unit
    rows = [THEME_LABELS.get(theme, theme) for theme in matrix.index]
    columns = [str(c) for c in matrix.columns]
    values = matrix.to_numpy(dtype="float64")
    text, hover = [], []
    for row_label, row in zip(rows, values, strict=True):
        text_row, hover_row = [], []
        for column, value in zip(columns, row, strict=True):
            if math.isnan(value):
                shown = f"< {threshold}" if threshold else "–"
                detail = f"moins de {threshold} {plural_form}" if threshold else "non disponible"
            else:
                count = int(value)
                shown = str(count)
                detail = f"{count} {singular if count <= 1 else plural_form}"
            text_row.append(shown)
            hover_row.append(f"<b>{row_label}</b><br>{column} : {detail}")
        text.append(text_row)
        hover.append(hover_row)
    finite = values[~pd.isna(values)]
    column_labels = columns if narrow else [wrap_label(c) for c in columns]
    fig = go.Figure(
        go.Heatmap(
            z=values,
            x=column_labels,
            y=rows,
            text=text,
            # No font size: plotly fits the counts to the cells, which a phone makes narrow.
            texttemplate="%{text}",
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            colorscale=SEQUENTIAL,
            zmin=0,
            zmax=max(float(finite.max()) if finite.size else 1.0, 1.0),
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": plural_form.capitalize(), "side": "right"}, "thickness": 12},
        )
    )
    fig.update_xaxes(title=x_title, type="category", side="bottom", showgrid=False)
    fig.update_yaxes(title=None, type="category", autorange="reversed", showgrid=False)
    if narrow:
        fig.update_xaxes(tickangle=-90)
        labels_height = 7 * max((len(c) for c in columns), default=1)
    else:
        labels_height = 18 * max((wrap_label(c).count("<br>") + 1 for c in columns), default=1)
    fig = base_layout(fig, height=90 + 38 * len(rows) + labels_height)
    fig.update_layout(plot_bgcolor="#F4F4F4")
    return fig


def estimates_figure(
    labels: Sequence[str],
    estimates: pd.DataFrame,
    *,
    x_title: str,
    threshold: int,
    x_range: tuple[float, float] = (1, 5),
) -> go.Figure:
    """Means as dots with their 95% interval, one row per label, n written beside each dot.

    `estimates` columns: n, mean, low, high, in the order of `labels`; a NaN mean (fewer answers
    than `threshold`) is drawn as a grey note instead of a dot.
    """
    frame = estimates.reset_index(drop=True).assign(label=list(labels))
    shown = frame[frame["mean"].notna()]
    hidden = frame[frame["mean"].isna()]
    fig = go.Figure()
    if not shown.empty:
        fig.add_trace(
            go.Scatter(
                x=shown["mean"],
                y=shown["label"],
                mode="markers+text",
                marker={"color": PRIMARY, "size": 11},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (shown["high"] - shown["mean"]).fillna(0).tolist(),
                    "arrayminus": (shown["mean"] - shown["low"]).fillna(0).tolist(),
                    "color": PRIMARY,
                    "thickness": 2,
                    "width": 5,
                },
                text=[
                    f"{format_number(m, 2)} · n = {n}" for m, n in zip(shown["mean"], shown["n"], strict=True)
                ],
                textposition="top center",
                textfont={"size": 12},
                customdata=shown[["n", "low", "high"]].to_numpy(),
                hovertemplate=(
                    "<b>%{y}</b><br>moyenne %{x:.2f}<br>IC 95 % [%{customdata[1]:.2f} ; "
                    "%{customdata[2]:.2f}]<br>n = %{customdata[0]}<extra></extra>"
                ),
                showlegend=False,
            )
        )
    if not hidden.empty:
        fig.add_trace(
            go.Scatter(
                x=[x_range[0] + 0.05] * len(hidden),
                y=hidden["label"],
                mode="text",
                text=[f"moins de {threshold} réponses" for _ in range(len(hidden))],
                textposition="middle right",
                textfont={"color": "#666666", "size": 12},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fig.update_xaxes(title=x_title, range=[x_range[0], x_range[1] + 0.05], dtick=1)
    fig.update_yaxes(
        title=None, type="category", categoryorder="array", categoryarray=list(labels), autorange="reversed"
    )
    return base_layout(fig, height=90 + 52 * len(frame))


def representation_figure(rows: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Talks per cohort over the recent cohorts (bars) against the target (black ticks); bars
    under target in orange.

    `rows` columns: label, per_cohort, target, shortfall (as `themes.representation`).
    """
    labels = [wrap_label(label, 24) for label in rows["label"]]
    colours = [ACCENT if short > 0 else PRIMARY for short in rows["shortfall"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=rows["per_cohort"],
            y=labels,
            orientation="h",
            marker_color=colours,
            name="Moyenne par promotion",
            text=[
                f"{format_number(value, 1)} / {target}"
                for value, target in zip(rows["per_cohort"], rows["target"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y} : %{x:.1f} intervention(s) par promotion<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rows["target"],
            y=labels,
            mode="markers",
            marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": "#000000"}},
            name="Objectif",
            hovertemplate="%{y} : objectif %{x} par promotion<extra></extra>",
        )
    )
    top = max([*rows["per_cohort"], *rows["target"], 1])
    fig.update_xaxes(title="Interventions par promotion", range=[0, top * 1.25], rangemode="tozero")
    fig.update_yaxes(title=None, autorange="reversed")
    fig = base_layout(fig, height=90 + 34 * len(rows), title=title)
    fig.update_layout(bargap=0.35)
    return fig


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
