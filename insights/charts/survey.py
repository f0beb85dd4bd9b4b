"""Plotly figures of the Enquêtes page, drawn from the tables of `insights.survey`.

Every builder leaves out the rows flagged `suppressed` (fewer answers than the anonymity
threshold): no bar, point or cell is drawn for them, and none of their figures is in the chart's
data. Bars that stand for one intervention carry its id as the first item of `customdata`, so
that a selection in the chart can be read back (`survey.talks_from_selection`).

Figures are assembled from plain trace and layout dictionaries (the shared look of
`charts.base_layout` merged in) and built in one go: plotly's incremental calls (add_trace,
add_annotation, update_*) re-validate the figure each time and would cost a page of a dozen
charts most of its rerun.
"""

from __future__ import annotations

import copy
import html
import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from insights.analytics.survey import (
    COUNT_COLUMNS,
    NPS_GROUP_LABELS,
    NPS_GROUPS,
    SHARE_COLUMNS,
    PageFigures,
    limit_rows,
    trend_series,
)
from insights.charts.base import base_layout, mean_trend_figure
from insights.charts.palette import CATEGORICAL, FORMAT_COLOURS, LIKERT, NPS_COLOURS, PRIMARY
from insights.domain import LIKERT_LABELS
from insights.formatting import format_number, format_signed

REFERENCE_COLOUR = "#555555"
"""The programme's average and other references: dark grey, distinct from every series."""

_ROW_HEIGHT = 34
# The legend in a row above the chart. Centred, plotly lets it use the whole figure's width;
# anchored left it would wrap within the plot area, which long talk titles make narrow.
_TOP_LEGEND = {
    "orientation": "h",
    "traceorder": "normal",
    "xref": "paper",
    "x": 0.5,
    "xanchor": "center",
    "y": 1.0,
    "yanchor": "bottom",
}
_PERCENT_TICKS = np.round(np.arange(-1.0, 1.01, 0.25), 2)


def _safe(text: object) -> str:
    """Data text as plotly shows it literally: plotly reads a few HTML tags in labels and hovers,
    and decodes entities, so escaping keeps "<b>" or "<a href=…>" in a title inert."""
    return html.escape(str(text), quote=False)


def _customdata(*columns: Sequence[object] | np.ndarray | pd.Series) -> np.ndarray:
    """Per-point data for hover templates and selections: one row per point (none when empty)."""
    if not columns or len(columns[0]) == 0:
        return np.zeros((0, len(columns)), dtype=object)
    return np.column_stack([np.asarray(c, dtype=object) for c in columns])


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    if "suppressed" not in frame.columns:
        return frame.reset_index(drop=True)
    return frame[~frame["suppressed"].astype(bool)].reset_index(drop=True)


def _percent(share: float) -> str:
    return f"{format_number(share * 100, 0)}\u00a0%"


def _interval(low: float, high: float, decimals: int = 2, signed: bool = False) -> str:
    if math.isnan(low) or math.isnan(high):
        return "IC non calculable"
    show = format_signed if signed else format_number
    return f"[{show(low, decimals)} ; {show(high, decimals)}]"


def _figure(
    traces: list[dict],
    layout: dict,
    *,
    height: int,
    title: str | None = None,
) -> go.Figure:
    """A figure of `traces` with the shared look (`charts.base_layout`) and this chart's `layout`
    (axes included) on top of it, validated once."""
    merged = _merge(_shared_look(), layout)
    merged["height"] = height
    if title:
        merged["title"] = {"text": title, "x": 0, "xanchor": "left"}
        merged.setdefault("margin", {})["t"] = 50
    return go.Figure(data=traces, layout=merged, _validate=False)


@lru_cache(maxsize=1)
def _shared_look() -> dict:
    return base_layout(go.Figure()).layout.to_plotly_json()


def _merge(base: dict, override: dict) -> dict:
    """`override` laid over a copy of `base`, nested dictionaries merged key by key."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _percent_axis(ticks: Sequence[float], **axis: object) -> dict:
    return {"tickvals": list(ticks), "ticktext": [_percent(abs(t)) for t in ticks], **axis}


def _right_notes(keys: Sequence[str], texts: Sequence[str]) -> list[dict]:
    """One note right of each bar (set in one go: plotly's add_annotation is quadratic)."""
    return [
        {
            "x": 1.0,
            "xref": "paper",
            "xanchor": "left",
            "y": key,
            "yref": "y",
            "showarrow": False,
            "align": "left",
            "text": text,
            "font": {"size": 12, "color": "#333333"},
        }
        for key, text in zip(keys, texts, strict=True)
    ]


def _height(rows: int, extra: int = 110) -> int:
    return max(220, _ROW_HEIGHT * rows + extra)


def likert_bars(
    rows: pd.DataFrame, *, label_column: str = "label", id_column: str | None = None, title: str | None = None
) -> go.Figure:
    """Diverging stacked bars: one bar per row of a Likert table (`survey.likert_distribution`
    or `talk_distribution`), disagreement to the left of zero, agreement to the right, the
    neutral answers centred on zero; each bar's mean, 95% interval and n written on its right.

    `id_column` (e.g. intervention_id) keys the bars and starts their `customdata`; rows are
    drawn top to bottom in the table's order.
    """
    shown = _shown(rows)
    keys = shown[id_column or label_column].astype(str).tolist()
    labels = [_safe(label) for label in shown[label_column]]
    shares = shown[list(SHARE_COLUMNS)].to_numpy(dtype="float64")
    counts = shown[list(COUNT_COLUMNS)].to_numpy(dtype="float64")
    traces = []
    # Relative stacking piles negative bars leftwards in trace order: the neutral half first,
    # so that it touches zero, then "plutôt pas", then "pas du tout".
    segments = [
        (2, -0.5, False),
        (1, -1.0, True),
        (0, -1.0, True),
        (2, 0.5, True),
        (3, 1.0, True),
        (4, 1.0, True),
    ]
    for level, factor, legend in segments:
        share = shares[:, level]
        traces.append(
            {
                "type": "bar",
                "y": keys,
                "x": share * factor,
                "orientation": "h",
                "name": LIKERT_LABELS[level],
                "legendgroup": str(level),
                "legendrank": level + 1,
                "showlegend": legend,
                "marker": {"color": LIKERT[level], "line": {"width": 0}},
                "text": [_percent(v) if v >= 0.06 and level != 2 else "" for v in share],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": "white" if level in (0, 4) else "#222222", "size": 12},
                "customdata": _customdata(keys, labels, counts[:, level], np.round(share * 100, 1)),
                "hovertemplate": (
                    "<b>%{customdata[1]}</b><br>"
                    + LIKERT_LABELS[level]
                    + " : %{customdata[3]:.1f} % (%{customdata[2]:.0f} réponses)<extra></extra>"
                ),
            }
        )
    left = shares[:, 0] + shares[:, 1] + shares[:, 2] / 2
    right = shares[:, 3] + shares[:, 4] + shares[:, 2] / 2
    # Each side reaches the next quarter past its longest bar: talks are mostly agreed with, and a
    # symmetric axis would spend half the width on nothing.
    left_reach = min(1.0, max(0.25, math.ceil(float(left.max(initial=0.0)) * 4 - 1e-9) / 4))
    right_reach = min(1.0, max(0.25, math.ceil(float(right.max(initial=0.0)) * 4 - 1e-9) / 4))
    ticks = [t for t in _PERCENT_TICKS if -left_reach - 1e-9 <= t <= right_reach + 1e-9]
    notes = [
        f"<b>{format_number(row.mean, 2)}</b> {_interval(row.low, row.high)} · n = {format_number(row.n, 0)}"
        for row in shown.itertuples(index=False)
    ]
    layout = {
        "barmode": "relative",
        "bargap": 0.28,
        "xaxis": _percent_axis(
            ticks,
            range=[-left_reach - 0.02, right_reach + 0.02],
            title={"text": "Part des réponses : désaccord à gauche, accord à droite"},
            zeroline=True,
            zerolinecolor="#444444",
            zerolinewidth=1,
        ),
        "yaxis": _category_axis(keys, labels),
        "annotations": _right_notes(keys, notes),
        "margin": {"r": 210, "l": 10},
        "legend": _TOP_LEGEND,
    }
    return _figure(traces, layout, height=_height(len(shown), 120), title=title)


def _category_axis(keys: Sequence[str], labels: Sequence[str]) -> dict:
    """A vertical axis of bars keyed by `keys`, shown as `labels`, the first row on top."""
    return {
        "tickvals": list(keys),
        "ticktext": list(labels),
        "autorange": "reversed",
        "title": {"text": None},
        "categoryorder": "array",
        "categoryarray": list(keys),
        "type": "category",
    }


def nps_bars(
    rows: pd.DataFrame, *, label_column: str = "label", id_column: str | None = None, title: str | None = None
) -> go.Figure:
    """Stacked bars of detractors, passives and promoters (shares of each row's answers), the NPS
    with its 95% interval and n on the right. `rows`: `survey.nps_by_talk` or `nps_by_speaker`."""
    shown = _shown(rows)
    keys = shown[id_column or label_column].astype(str).tolist()
    labels = [_safe(label) for label in shown[label_column]]
    traces = []
    for group in NPS_GROUPS:
        share = shown[f"share_{group}"].to_numpy(dtype="float64")
        count = shown[group].to_numpy(dtype="float64")
        traces.append(
            {
                "type": "bar",
                "y": keys,
                "x": share,
                "orientation": "h",
                "name": NPS_GROUP_LABELS[group],
                "marker": {"color": NPS_COLOURS[group], "line": {"width": 0}},
                "text": [_percent(v) if v >= 0.08 else "" for v in share],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": "#222222" if group == "passives" else "white", "size": 12},
                "customdata": _customdata(keys, labels, count, np.round(share * 100, 1)),
                "hovertemplate": (
                    "<b>%{customdata[1]}</b><br>"
                    + NPS_GROUP_LABELS[group]
                    + " : %{customdata[3]:.1f} % (%{customdata[2]:.0f} réponses)<extra></extra>"
                ),
            }
        )
    notes = [
        f"NPS <b>{format_signed(row.score, 0)}</b> {_interval(row.low, row.high, 0, signed=True)}"
        f" · n = {format_number(row.n, 0)}"
        for row in shown.itertuples(index=False)
    ]
    layout = {
        "barmode": "stack",
        "bargap": 0.28,
        "xaxis": _percent_axis([0, 0.25, 0.5, 0.75, 1], range=[0, 1], title={"text": "Part des réponses"}),
        "yaxis": _category_axis(keys, labels),
        "annotations": _right_notes(keys, notes),
        "margin": {"r": 200, "l": 10},
        "legend": _TOP_LEGEND,
    }
    return _figure(traces, layout, height=_height(len(shown), 120), title=title)


def pillar_figure(profile: pd.DataFrame, target_label: str) -> go.Figure:
    """The four fundamentals: the target's mean and 95% interval next to the programme's,
    one row per fundamental. `profile`: `survey.pillar_profile`; suppressed target rows drawn
    for the programme only."""
    labels = [_safe(label) for label in profile["label"]]
    positions = np.arange(len(profile), dtype="float64")
    hidden = profile["suppressed"].to_numpy(dtype=bool)
    own = profile[~hidden]
    template = (
        "<b>%{customdata[0]}</b>WHO<br>moyenne %{x:.2f}<br>"
        "IC 95 % [%{customdata[2]:.2f} ; %{customdata[3]:.2f}]<br>n = %{customdata[1]:.0f}<extra></extra>"
    )
    traces = [
        {
            "type": "scatter",
            "x": profile["programme_mean"].to_numpy(dtype="float64"),
            "y": positions + 0.17,
            "mode": "markers",
            "name": "Moyenne du programme",
            "marker": {"symbol": "diamond", "size": 11, "color": REFERENCE_COLOUR},
            "error_x": _error_bars(profile, "programme_", REFERENCE_COLOUR),
            "customdata": _customdata(
                labels,
                profile["programme_n"].astype("float64"),
                profile["programme_low"],
                profile["programme_high"],
            ),
            "hovertemplate": template.replace("WHO", " — programme"),
        },
        {
            "type": "scatter",
            "x": own["mean"].to_numpy(dtype="float64"),
            "y": positions[~hidden] - 0.17,
            "mode": "markers",
            "name": _safe(target_label),
            "marker": {"symbol": "circle", "size": 12, "color": PRIMARY},
            "error_x": _error_bars(own, "", PRIMARY),
            "customdata": _customdata(
                [_safe(label) for label in own["label"]], own["n"].astype("float64"), own["low"], own["high"]
            ),
            "hovertemplate": template.replace("WHO", ""),
        },
    ]
    layout = {
        "xaxis": {"range": [1, 5], "dtick": 1, "title": {"text": "Moyenne (1 à 5)"}},
        "yaxis": {
            "tickvals": positions,
            "ticktext": labels,
            "autorange": "reversed",
            "title": {"text": None},
        },
    }
    return _figure(traces, layout, height=_height(len(profile), 150))


def _error_bars(frame: pd.DataFrame, prefix: str, colour: str) -> dict:
    mean = frame[f"{prefix}mean"].to_numpy(dtype="float64")
    return {
        "type": "data",
        "symmetric": False,
        "array": frame[f"{prefix}high"].to_numpy(dtype="float64") - mean,
        "arrayminus": mean - frame[f"{prefix}low"].to_numpy(dtype="float64"),
        "color": colour,
        "thickness": 2,
        "width": 5,
    }


def choice_bars(shares: pd.DataFrame, title: str | None = None) -> go.Figure:
    """100% stacked bars: each format's answers split by option (e.g. the most useful part of
    the talk). `shares`: `survey.choice_by_format`; suppressed formats left out."""
    shown = _shown(shares)
    formats = list(dict.fromkeys(shown["format"]))
    n_of = {f: int(shown.loc[shown["format"] == f, "n"].iloc[0]) for f in formats}
    labels = [f"{_safe(f)} (n = {format_number(n_of[f], 0)})" for f in formats]
    options = list(dict.fromkeys(shown["option"]))
    traces = []
    for index, option in enumerate(options):
        rows = shown[shown["option"] == option].set_index("format").reindex(formats)
        share = rows["share"].to_numpy(dtype="float64")
        traces.append(
            {
                "type": "bar",
                "y": labels,
                "x": share,
                "orientation": "h",
                "name": _safe(option),
                "marker": {"color": CATEGORICAL[index % len(CATEGORICAL)], "line": {"width": 0}},
                "text": [_percent(v) if v >= 0.07 else "" for v in share],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "customdata": _customdata(rows["answers"].astype("float64"), np.round(share * 100, 1)),
                "hovertemplate": (
                    "<b>%{y}</b><br>"
                    + _safe(option)
                    + " : %{customdata[1]:.1f} % (%{customdata[0]:.0f} réponses)"
                    "<extra></extra>"
                ),
            }
        )
    layout = {
        "barmode": "stack",
        "bargap": 0.3,
        "xaxis": _percent_axis([0, 0.25, 0.5, 0.75, 1], range=[0, 1], title={"text": "Part des réponses"}),
        "yaxis": {"autorange": "reversed", "title": {"text": None}},
        "legend": _TOP_LEGEND,
    }
    return _figure(traces, layout, height=_height(len(formats), 150), title=title)


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
        "y": [_safe(q) for q in questions],
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": 12},
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
        "colorbar": {"title": {"text": "Moyenne"}, "tickvals": [1, 2, 3, 4, 5], "thickness": 12},
        "hoverongaps": False,
    }
    layout = {
        "xaxis": {
            "title": {"text": None},
            "type": "category",
            "tickangle": -45 if len(columns) > 8 else 0,
            "showgrid": False,
        },
        "yaxis": {"autorange": "reversed", "title": {"text": None}, "showgrid": False},
    }
    return _figure([trace], layout, height=_height(len(questions), 140))


def response_rate_figure(rates: pd.DataFrame) -> go.Figure:
    """Each talk's response rate (responses / cohort size) by date, coloured by format.
    `rates`: `survey.response_rates`; suppressed talks left out."""
    shown = _shown(rates)
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
                "name": _safe(name),
                "marker": {"size": 10, "color": colour, "line": {"width": 1, "color": "white"}},
                "customdata": _customdata(
                    rows["intervention_id"],
                    [_safe(t) for t in rows["title"]],
                    [_safe(c) for c in rows["cohort"]],
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
    return _figure(traces, layout, height=360)


def comparison_figure(comparison: pd.DataFrame) -> go.Figure:
    """Forest plot: for each question, the target's mean minus each reference's, with the Welch
    95% interval; zero is "no difference". `comparison`: `survey.compare_with_references`."""
    questions = list(dict.fromkeys(comparison["label"]))
    position = {q: i for i, q in enumerate(questions)}
    references = list(dict.fromkeys(comparison["reference"]))
    colours = [REFERENCE_COLOUR, CATEGORICAL[1]]
    offsets = np.linspace(-0.16, 0.16, len(references)) if len(references) > 1 else [0.0]
    traces = []
    for index, reference in enumerate(references):
        rows = _shown(comparison[comparison["reference"] == reference])
        colour = colours[index % len(colours)]
        difference = rows["difference"].to_numpy(dtype="float64")
        traces.append(
            {
                "type": "scatter",
                "x": difference,
                "y": [position[q] + offsets[index] for q in rows["label"]],
                "mode": "markers",
                "name": _safe(f"vs {reference[0].lower()}{reference[1:]}"),
                "marker": {"size": 11, "color": colour, "symbol": "circle" if index == 0 else "square"},
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": rows["difference_high"].to_numpy(dtype="float64") - difference,
                    "arrayminus": difference - rows["difference_low"].to_numpy(dtype="float64"),
                    "color": colour,
                    "thickness": 2,
                    "width": 5,
                },
                "customdata": _customdata(
                    [_safe(label) for label in rows["label"]],
                    rows["mean"].astype("float64"),
                    rows["n"].astype("float64"),
                    rows["reference_mean"].astype("float64"),
                    rows["reference_n"].astype("float64"),
                    rows["difference_low"].astype("float64"),
                    rows["difference_high"].astype("float64"),
                ),
                "hovertemplate": (
                    "<b>%{customdata[0]}</b><br>écart %{x:+.2f} [%{customdata[5]:+.2f} ; %{customdata[6]:+.2f}]<br>"
                    "sélection %{customdata[1]:.2f} (n = %{customdata[2]:.0f})<br>"
                    + _safe(reference)
                    + " %{customdata[3]:.2f} (n = %{customdata[4]:.0f})<extra></extra>"
                ),
            }
        )
    spans = comparison.loc[~comparison["suppressed"].astype(bool), ["difference_low", "difference_high"]]
    finite = spans.to_numpy(dtype="float64")
    finite = finite[~np.isnan(finite)]
    reach = max(0.5, math.ceil(float(np.abs(finite).max()) * 4 + 0.5) / 4) if finite.size else 1.0
    # Each question's label carries the target's number of answers.
    own_n = comparison.drop_duplicates("label").set_index("label")["n"]
    layout = {
        "xaxis": {
            "range": [-reach, reach],
            "zeroline": True,
            "zerolinecolor": "#444444",
            "zerolinewidth": 1,
            "title": {"text": "Écart de moyenne (échelle de 1 à 5)"},
        },
        "yaxis": {
            "tickvals": list(range(len(questions))),
            "ticktext": [
                _safe(q) if pd.isna(own_n.get(q)) else f"{_safe(q)} (n = {format_number(own_n[q], 0)})"
                for q in questions
            ],
            "autorange": "reversed",
            "title": {"text": None},
        },
    }
    return _figure(traces, layout, height=_height(len(questions), 150))


def term_bars(terms: pd.DataFrame, title: str | None = None) -> go.Figure:
    """The most frequent terms of free-text answers, as the share of answers that use each one.
    `terms`: `survey.term_frequencies` (already limited to terms above the threshold)."""
    words = [_safe(word) for word in terms["word"]]
    share = terms["share"].to_numpy(dtype="float64")
    trace = {
        "type": "bar",
        "y": words,
        "x": terms["answers"].to_numpy(dtype="float64"),
        "orientation": "h",
        "marker": {"color": PRIMARY},
        "text": [_percent(v) for v in share],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": _customdata(terms["term"].astype(str), np.round(share * 100, 1)),
        "hovertemplate": "<b>%{y}</b><br>%{x:.0f} réponses (%{customdata[1]:.1f} %)<extra></extra>",
    }
    layout = {
        "xaxis": {"title": {"text": "Réponses qui emploient le terme"}, "rangemode": "tozero"},
        "yaxis": {"autorange": "reversed", "title": {"text": None}, "type": "category"},
        "margin": {"r": 60},
    }
    return _figure([trace], layout, height=_height(len(words), 100), title=title)


def term_trend_figure(trend: pd.DataFrame, word: str, cohorts: Sequence[str] | None = None) -> go.Figure:
    """The share of each cohort's answers that use a term. `trend`: `survey.term_trend`;
    suppressed cohorts have no bar (the axis still lists them, from `cohorts` or the table)."""
    shown = _shown(trend)
    share = shown["share"].to_numpy(dtype="float64")
    trace = {
        "type": "bar",
        "x": shown["cohort"].astype(str).tolist(),
        "y": share * 100,
        "marker": {"color": PRIMARY},
        "text": [_percent(v) for v in share],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": _customdata(shown["answers"].astype("float64"), shown["n"].astype("float64")),
        "hovertemplate": (
            "<b>%{x}</b><br>« " + _safe(word) + " » : %{y:.1f} % des réponses"
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
    return _figure([trace], layout, height=320)


def page_charts(figures: PageFigures, target_label: str = "Cette intervention") -> list[go.Figure]:
    """The charts of the Enquêtes page's default view, from its figures (what a rerun draws;
    the benchmark times it)."""
    built = [
        likert_bars(figures.distribution),
        likert_bars(limit_rows(figures.talks, "top"), id_column="intervention_id"),
        nps_bars(figures.nps_speakers),
        nps_bars(limit_rows(figures.nps_talks, "top"), id_column="intervention_id"),
        pillar_figure(figures.pillars, target_label),
        comparison_figure(figures.comparison),
        choice_bars(figures.choices),
        trend_heatmap(figures.trends),
        response_rate_figure(figures.response_rates),
    ]
    if len(figures.trends):
        question = figures.trends["question_id"].iloc[0]
        built.append(mean_trend_figure(trend_series(figures.trends, question), y_title="Moyenne (1 à 5)"))
    if len(figures.terms):
        built.append(term_bars(figures.terms))
        built.append(term_trend_figure(figures.term_trend, str(figures.terms["word"].iloc[0])))
    return built
