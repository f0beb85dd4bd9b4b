"""Plotly figures of the Enquêtes page's distributions: answers per question and per talk
(diverging Likert bars), NPS, the four fundamentals, the most useful part and comparisons.

Every builder leaves out the rows flagged `suppressed` (fewer answers than the anonymity
threshold): no bar, point or cell is drawn for them, and none of their figures is in the chart's
data. Bars that stand for one intervention carry its id as the first item of `customdata`, so
that a selection in the chart can be read back (`survey_page.talks_from_selection`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from insights.analytics.stats import COUNT_COLUMNS, NPS_GROUP_LABELS, NPS_GROUPS, SHARE_COLUMNS
from insights.charts.layout import (
    NARROW_BAR_HEIGHT,
    NARROW_ROW_HEIGHT,
    PERCENT_TICKS,
    REFERENCE_COLOUR,
    TOP_LEGEND,
    TOP_LEGEND_MARGIN,
    chart_height,
    customdata,
    figure,
    interval_text,
    notes_above,
    percent_axis,
    percent_text,
    right_notes,
    safe_text,
    shown_rows,
)
from insights.charts.palette import CATEGORICAL, LIKERT, NPS_COLOURS, PRIMARY
from insights.domain import LIKERT_LABELS
from insights.formatting import format_number, format_signed


def likert_bars(
    rows: pd.DataFrame,
    *,
    label_column: str = "label",
    id_column: str | None = None,
    title: str | None = None,
    narrow: bool = False,
) -> go.Figure:
    """Diverging stacked bars: one bar per row of a Likert table (`survey.likert_distribution`
    or `talk_distribution`), disagreement to the left of zero, agreement to the right, the
    neutral answers centred on zero; each bar's mean, 95% interval and n written on its right
    (`narrow`, for a phone: above it, with its label; see `_labelled_rows`).

    `id_column` (e.g. intervention_id) keys the bars and starts their `customdata`; rows are
    drawn top to bottom in the table's order.
    """
    shown = shown_rows(rows)
    keys = shown[id_column or label_column].astype(str).tolist()
    labels = [safe_text(label) for label in shown[label_column]]
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
                "text": [percent_text(v) if v >= 0.06 and level != 2 else "" for v in share],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": "white" if level in (0, 4) else "#222222", "size": 12},
                "customdata": customdata(keys, labels, counts[:, level], np.round(share * 100, 1)),
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
    ticks = [t for t in PERCENT_TICKS if -left_reach - 1e-9 <= t <= right_reach + 1e-9]
    notes = [
        f"<b>{format_number(row.mean, 2)}</b> {interval_text(row.low, row.high)} · n = {format_number(row.n, 0)}"
        for row in shown.itertuples(index=False)
    ]
    axis_title = (
        "Désaccord à gauche, accord à droite"
        if narrow
        else "Part des réponses : désaccord à gauche, accord à droite"
    )
    layout = {
        "barmode": "relative",
        "xaxis": percent_axis(
            ticks,
            range=[-left_reach - 0.02, right_reach + 0.02],
            title={"text": axis_title},
            zeroline=True,
            zerolinecolor="#444444",
            zerolinewidth=1,
        ),
        **_labelled_rows(keys, labels, notes, narrow=narrow, notes_width=210),
    }
    height = _rows_height(len(shown), narrow=narrow)
    return figure(traces, layout, height=height, title=title)


def _rows_height(rows: int, *, narrow: bool) -> int:
    if narrow:  # the taller legend, wrapped to the phone's width, included
        return chart_height(rows, 170, NARROW_ROW_HEIGHT)
    return chart_height(rows, 120)


def _labelled_rows(
    keys: Sequence[str], labels: Sequence[str], notes: Sequence[str], *, narrow: bool, notes_width: int
) -> dict:
    """The layout of horizontal bars with a label and a note each. Wide, the labels are the
    vertical axis's ticks and the notes stand right of the bars, in a margin of `notes_width`
    pixels. Narrow (a phone, where both would leave the bars a few pixels), label and note are
    written above each bar and the bars take the whole width; the axis keeps its tick texts,
    hidden, for the chart's table (`alternatives.figure_table`)."""
    if not narrow:
        return {
            "bargap": 0.28,
            "yaxis": _category_axis(keys, labels),
            "annotations": right_notes(keys, notes),
            "margin": {"r": notes_width, "l": 10, "t": TOP_LEGEND_MARGIN},
            "legend": TOP_LEGEND,
        }
    return {
        "bargap": 1 - NARROW_BAR_HEIGHT / NARROW_ROW_HEIGHT,
        # The first row's label needs room above its bar, within the plot, below the legend.
        "yaxis": {
            **_category_axis(keys, labels),
            "showticklabels": False,
            "autorange": False,
            "range": [len(keys) - 0.5, -0.9],
        },
        "annotations": notes_above(keys, labels, notes),
        # Two legend entries a row (plotly would stack them one a row), three rows at most below the
        # toolbar.
        "margin": {"r": 10, "l": 10, "t": TOP_LEGEND_MARGIN + 30},
        "legend": {**TOP_LEGEND, "x": 0, "xanchor": "left", "entrywidth": 0.5, "entrywidthmode": "fraction"},
    }


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
    rows: pd.DataFrame,
    *,
    label_column: str = "label",
    id_column: str | None = None,
    title: str | None = None,
    narrow: bool = False,
) -> go.Figure:
    """Stacked bars of detractors, passives and promoters (shares of each row's answers), the NPS
    with its 95% interval and n on the right (`narrow`: above each bar, with its label).
    `rows`: `survey.nps_by_talk` or `nps_by_speaker`."""
    shown = shown_rows(rows)
    keys = shown[id_column or label_column].astype(str).tolist()
    labels = [safe_text(label) for label in shown[label_column]]
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
                "text": [percent_text(v) if v >= 0.08 else "" for v in share],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": "#222222" if group == "passives" else "white", "size": 12},
                "customdata": customdata(keys, labels, count, np.round(share * 100, 1)),
                "hovertemplate": (
                    "<b>%{customdata[1]}</b><br>"
                    + NPS_GROUP_LABELS[group]
                    + " : %{customdata[3]:.1f} % (%{customdata[2]:.0f} réponses)<extra></extra>"
                ),
            }
        )
    notes = [
        f"NPS <b>{format_signed(row.score, 0)}</b> {interval_text(row.low, row.high, 0, signed=True)}"
        f" · n = {format_number(row.n, 0)}"
        for row in shown.itertuples(index=False)
    ]
    layout = {
        "barmode": "stack",
        "xaxis": percent_axis([0, 0.25, 0.5, 0.75, 1], range=[0, 1], title={"text": "Part des réponses"}),
        **_labelled_rows(keys, labels, notes, narrow=narrow, notes_width=200),
    }
    height = _rows_height(len(shown), narrow=narrow)
    return figure(traces, layout, height=height, title=title)


def pillar_figure(profile: pd.DataFrame, target_label: str) -> go.Figure:
    """The four fundamentals: the target's mean and 95% interval next to the programme's,
    one row per fundamental. `profile`: `survey.pillar_profile`; suppressed target rows drawn
    for the programme only."""
    labels = [safe_text(label) for label in profile["label"]]
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
            "customdata": customdata(
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
            "name": safe_text(target_label),
            "marker": {"symbol": "circle", "size": 12, "color": PRIMARY},
            "error_x": _error_bars(own, "", PRIMARY),
            "customdata": customdata(
                [safe_text(label) for label in own["label"]],
                own["n"].astype("float64"),
                own["low"],
                own["high"],
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
    return figure(traces, layout, height=chart_height(len(profile), 150))


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
    shown = shown_rows(shares)
    formats = list(dict.fromkeys(shown["format"]))
    n_of = {f: int(shown.loc[shown["format"] == f, "n"].iloc[0]) for f in formats}
    labels = [f"{safe_text(f)} (n = {format_number(n_of[f], 0)})" for f in formats]
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
                "name": safe_text(option),
                "marker": {"color": CATEGORICAL[index % len(CATEGORICAL)], "line": {"width": 0}},
                "text": [percent_text(v) if v >= 0.07 else "" for v in share],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "customdata": customdata(rows["answers"].astype("float64"), np.round(share * 100, 1)),
                "hovertemplate": (
                    "<b>%{y}</b><br>"
                    + safe_text(option)
                    + " : %{customdata[1]:.1f} % (%{customdata[0]:.0f} réponses)"
                    "<extra></extra>"
                ),
            }
        )
    layout = {
        "barmode": "stack",
        "bargap": 0.3,
        "xaxis": percent_axis([0, 0.25, 0.5, 0.75, 1], range=[0, 1], title={"text": "Part des réponses"}),
        "yaxis": {"autorange": "reversed", "title": {"text": None}},
        "margin": {"t": TOP_LEGEND_MARGIN},
        "legend": TOP_LEGEND,
    }
    return figure(traces, layout, height=chart_height(len(formats), 150), title=title)


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
        rows = shown_rows(comparison[comparison["reference"] == reference])
        colour = colours[index % len(colours)]
        difference = rows["difference"].to_numpy(dtype="float64")
        traces.append(
            {
                "type": "scatter",
                "x": difference,
                "y": [position[q] + offsets[index] for q in rows["label"]],
                "mode": "markers",
                "name": safe_text(f"vs {reference[0].lower()}{reference[1:]}"),
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
                "customdata": customdata(
                    [safe_text(label) for label in rows["label"]],
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
                    + safe_text(reference)
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
                safe_text(q)
                if pd.isna(own_n.get(q))
                else f"{safe_text(q)} (n = {format_number(own_n[q], 0)})"
                for q in questions
            ],
            "autorange": "reversed",
            "title": {"text": None},
        },
    }
    return figure(traces, layout, height=chart_height(len(questions), 150))
