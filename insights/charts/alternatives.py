"""What a chart shows, without sight: its data as a table (`figure_table`) and one sentence saying
what stands out (`figure_summary`), both read from the figure itself, so that they can never
disagree with what is drawn.

>>> import plotly.graph_objects as go
>>> fig = go.Figure(go.Scatter(x=["2014-2015", "2015-2016"], y=[3.9, 4.2], name="Satisfaction"))
>>> figure_summary(fig)
'Satisfaction passe de 3,90 à 4,20 entre 2014-2015 et 2015-2016.'
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from insights.formatting import format_number, format_percent

_TAGS = re.compile(r"<[^>]+>")


def plain_label(text: object) -> str:
    """A label as a person reads it: plotly's line breaks and tags removed, entities decoded."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.unescape(_TAGS.sub(" ", str(text).replace("<br>", " "))).strip().replace("  ", " ")


def _number(value: object) -> str:
    if value is None:
        return "–"
    number = float(value)
    if math.isnan(number):
        return "–"
    return format_number(number, 0 if number.is_integer() else 2).replace("-", "\u2212")


def _values(values: object) -> list:
    if values is None:
        return []
    return list(np.asarray(values, dtype=object).ravel()) if not isinstance(values, str) else [values]


def _axis_title(fig: go.Figure, axis: str) -> str:
    title = getattr(fig.layout, axis).title
    return plain_label(title.text) if title and title.text else ""


def _is_text(values: list) -> bool:
    return bool(values) and all(isinstance(value, str) for value in values if value is not None)


def _tick_labels(fig: go.Figure, axis: str) -> tuple[list, list[str]] | None:
    """The axis's labelled ticks (positions or category values, and their texts)."""
    layout_axis = getattr(fig.layout, axis)
    if layout_axis.tickvals is None or layout_axis.ticktext is None:
        return None
    return list(layout_axis.tickvals), [plain_label(t) for t in layout_axis.ticktext]


def _category(position: object, ticks: tuple[list, list[str]] | None) -> str:
    """The label shown at `position`: its tick's text (the nearest numeric tick), or itself."""
    if ticks is not None:
        values, labels = ticks
        if position in values:
            return labels[values.index(position)]
        numeric = [i for i, value in enumerate(values) if isinstance(value, int | float)]
        if numeric and isinstance(position, int | float):
            nearest = min(numeric, key=lambda i: abs(values[i] - position))
            return labels[nearest]
    return plain_label(position)


def _orientation(fig: go.Figure, trace: object) -> tuple[str, str]:
    """(category axis, value axis) of a bar or line trace: the axis holding text, or the labelled
    one, or the bars' base."""
    xs, ys = _values(trace.x), _values(trace.y)
    if _is_text(ys) and not _is_text(xs):
        return "y", "x"
    if _is_text(xs) and not _is_text(ys):
        return "x", "y"
    if _tick_labels(fig, "yaxis") and not _tick_labels(fig, "xaxis") and not _is_text(xs):
        return "y", "x"
    if getattr(trace, "orientation", None) == "h":
        return "y", "x"
    return "x", "y"


def _plotted(fig: go.Figure) -> list:
    return [trace for trace in fig.data if trace.type in {"bar", "scatter"}]


def _series_rows(fig: go.Figure, traces: Sequence | None = None) -> list[tuple[str, str, object]]:
    """(series, category, value) for every point of the bar and line traces (or of `traces`)."""
    rows = []
    for trace in _plotted(fig) if traces is None else traces:
        category_axis, value_axis = _orientation(fig, trace)
        ticks = _tick_labels(fig, f"{category_axis}axis")
        categories, values = _values(getattr(trace, category_axis)), _values(getattr(trace, value_axis))
        name = plain_label(trace.name) if trace.name else ""
        for category, value in zip(categories, values, strict=False):
            if value is None or isinstance(value, str):
                continue
            rows.append((name, _category(category, ticks), value))
    return rows


def _trace_value_axis(fig: go.Figure, trace: object) -> str:
    """The layout key of the axis a trace's values are read on (`xaxis2` for a second subplot's)."""
    letter = _orientation(fig, trace)[1]
    reference = getattr(trace, f"{letter}axis", None) or letter
    return f"{letter}axis{reference[1:]}"


def _value_axis(fig: go.Figure) -> str:
    traces = _plotted(fig)
    return _trace_value_axis(fig, traces[0]) if traces else "yaxis"


def _point_texts(fig: go.Figure, traces: Sequence) -> dict[tuple[str, str], str]:
    """(series, category) → the text drawn on that point, where there is one: what the reader sees
    there ("+75" for an NPS of 75.3), told instead of the raw value."""
    texts = {}
    for trace in traces:
        if trace.text is None or isinstance(trace.text, str):
            continue
        category_axis, _ = _orientation(fig, trace)
        ticks = _tick_labels(fig, f"{category_axis}axis")
        name = plain_label(trace.name) if trace.name else ""
        for category, text in zip(_values(getattr(trace, category_axis)), _values(trace.text), strict=False):
            if isinstance(text, str) and plain_label(text):
                texts[(name, _category(category, ticks))] = plain_label(text)
    return texts


def _formatter(fig: go.Figure, value_axis: str | None = None):
    axis = getattr(fig.layout, value_axis or _value_axis(fig))
    if "%" in (axis.tickformat or "") or any("%" in str(text) for text in axis.ticktext or ()):
        return lambda value: format_percent(abs(float(value)))
    return _number


def figure_table(fig: go.Figure) -> pd.DataFrame:
    """The figure's data as text cells: one row per category and one column per series for bar
    and line charts; rows and columns of a heatmap; one row per flow of a Sankey diagram."""
    kinds = {trace.type for trace in fig.data}
    if "heatmap" in kinds:
        trace = next(trace for trace in fig.data if trace.type == "heatmap")
        z = np.asarray(trace.z, dtype=float)
        columns = [plain_label(x) for x in _values(trace.x)] or [str(i + 1) for i in range(z.shape[1])]
        rows = [plain_label(y) for y in _values(trace.y)] or [str(i + 1) for i in range(z.shape[0])]
        table = pd.DataFrame([[_number(v) for v in row] for row in z], columns=columns)
        table.insert(0, "", rows)
        return table
    if "sankey" in kinds:
        trace = next(trace for trace in fig.data if trace.type == "sankey")
        labels = [plain_label(label) for label in _values(trace.node.label)]
        link = trace.link
        return pd.DataFrame(
            {
                "De": [labels[int(i)] for i in _values(link.source)],
                "Vers": [labels[int(i)] for i in _values(link.target)],
                "Nombre": [_number(v) for v in _values(link.value)],
            }
        )
    rows = _series_rows(fig)
    if not rows:
        return pd.DataFrame()
    shown = _formatter(fig)
    values = _values_by_series(fig, rows)
    value_axis = _value_axis(fig)
    category_title = _axis_title(fig, "xaxis" if value_axis == "yaxis" else "yaxis") or "Catégorie"
    table = pd.DataFrame({category_title: list(dict.fromkeys(category for _, category, _ in rows))})
    drawn = {} if _diverging(fig) else _point_texts(fig, _plotted(fig))
    for name, by_category in values.items():
        column = name or _axis_title(fig, value_axis) or "Valeur"
        table[column] = [
            drawn.get((name, category)) or shown(by_category.get(category))
            for category in table[category_title]
        ]
    return table


def _diverging(fig: go.Figure) -> bool:
    """Bars stacked either side of zero (a Likert chart: disagreement to the left)."""
    return fig.layout.barmode == "relative" and any(
        trace.type == "bar"
        and any(isinstance(v, int | float) and v < 0 for v in _values(trace.x) + _values(trace.y))
        for trace in fig.data
    )


def _legend_order(fig: go.Figure) -> dict[str, int]:
    """Each series' place in the legend (its rank, then its first trace), as a person reads it."""
    ranks: dict[str, tuple[float, int]] = {}
    for position, trace in enumerate(fig.data):
        name = plain_label(trace.name) if trace.name else ""
        rank = (trace.legendrank if trace.legendrank is not None else 1000, position)
        ranks[name] = min(ranks.get(name, rank), rank)
    return {name: place for place, name in enumerate(sorted(ranks, key=ranks.get))}


def _values_by_series(
    fig: go.Figure, rows: Sequence[tuple[str, str, object]]
) -> dict[str, dict[str, object]]:
    """{series: {category: value}}, series in legend order. On diverging bars a series drawn in
    two halves either side of zero (the neutral answers) is worth their sizes together."""
    values: dict[str, dict[str, object]] = {}
    diverging = _diverging(fig)
    for series, category, value in rows:
        by_category = values.setdefault(series, {})
        if diverging and isinstance(value, int | float):
            by_category[category] = abs(float(value)) + float(by_category.get(category) or 0.0)
        else:
            by_category.setdefault(category, value)
    order = _legend_order(fig)
    return {name: values[name] for name in sorted(values, key=lambda name: order.get(name, len(order)))}


def _diverging_summary(fig: go.Figure, rows: Sequence[tuple[str, str, float]]) -> str | None:
    """Diverging bars: the share to the right of zero (agreement), highest and lowest."""
    sides: dict[str, set[bool]] = {}
    for series, _, value in rows:
        signs = sides.setdefault(series, set())
        if value:  # a part of zero is on neither side
            signs.add(value > 0)
    right = [series for series, signs in sides.items() if signs == {True}]
    if not right:
        return None
    totals: dict[str, float] = {}
    for series, category, value in rows:
        if series in right:
            totals[category] = totals.get(category, 0.0) + value
    shown = _formatter(fig)
    order = _legend_order(fig)
    label = " ou ".join(sorted(right, key=lambda name: order.get(name, 0)))
    high, low = max(totals, key=totals.get), min(totals, key=totals.get)
    if high == low:
        return f"{label} : {shown(totals[high])} ({high})."
    return f"{label} : le plus haut {shown(totals[high])} ({high}), le plus bas {shown(totals[low])} ({low})."


def _finite(rows: Sequence[tuple[str, str, object]]) -> list[tuple[str, str, float]]:
    kept = []
    for series, category, value in rows:
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if not math.isnan(number):
            kept.append((series, category, number))
    return kept


def _stack_summary(fig: go.Figure, rows: Sequence[tuple[str, str, float]]) -> str:
    """Stacked bars (each bar split into parts): a single bar's parts, largest first; else the
    part that is largest in most bars, and its range across the bars. Parts that add up to 1 in
    every bar are shares, told as percentages."""
    parts: dict[str, dict[str, float]] = {}
    for series, category, value in rows:
        parts.setdefault(category, {})[series] = value
    shares = all(abs(sum(values.values()) - 1.0) < 0.01 for values in parts.values())
    shown = (lambda value: format_percent(float(value))) if shares else _formatter(fig)
    if len(parts) == 1:
        ((category, values),) = parts.items()
        told = ", ".join(
            f"{name} {shown(value)}" for name, value in sorted(values.items(), key=lambda p: -p[1])
        )
        return f"{category} : {told}."
    leaders = [max(values, key=values.get) for values in parts.values()]
    order = _legend_order(fig)
    leader = max(dict.fromkeys(leaders), key=lambda name: (leaders.count(name), -order.get(name, 0)))
    own = {category: values[leader] for category, values in parts.items() if leader in values}
    high, low = max(own, key=own.get), min(own, key=own.get)
    cases = (
        f"dans les {len(parts)} cas"
        if leaders.count(leader) == len(parts)
        else (f"dans {leaders.count(leader)} cas sur {len(parts)}")
    )
    spread = (
        f"{shown(own[high])} ({high})"
        if high == low
        else f"de {shown(own[low])} ({low}) à {shown(own[high])} ({high})"
    )
    return f"{leader} est la part la plus grande {cases} : {spread}."


def figure_summary(fig: go.Figure) -> str:
    """One sentence on what the figure shows: how a single line moves, or which bar or cell is
    highest and lowest, or the largest flow."""
    kinds = {trace.type for trace in fig.data}
    if "heatmap" in kinds:
        table = figure_table(fig)
        cells = [
            (row[""], column, float(value.replace("\u202f", "").replace(",", ".")))
            for _, row in table.iterrows()
            for column, value in row.items()
            if column != "" and value != "–"
        ]
        if not cells:
            return "Aucune valeur n'est affichée."
        high, low = max(cells, key=lambda c: c[2]), min(cells, key=lambda c: c[2])
        return (
            f"Valeur la plus haute : {_number(high[2])} ({high[0]}, {high[1]}) ; "
            f"la plus basse : {_number(low[2])} ({low[0]}, {low[1]})."
        )
    if "sankey" in kinds:
        table = figure_table(fig)
        if table.empty:
            return "Aucun parcours n'est affiché."
        values = [float(v.replace("\u202f", "").replace(",", ".")) for v in table["Nombre"]]
        top = int(np.argmax(values))
        return (
            f"{len(table)} passages entre étapes ; le plus fréquent : {table['De'][top]} → "
            f"{table['Vers'][top]} ({table['Nombre'][top]})."
        )
    rows = _finite(_series_rows(fig))
    if not rows:
        return "Aucune valeur n'est affichée."
    shown = _formatter(fig)
    series = list(dict.fromkeys(series for series, _, _ in rows))
    lines = all(
        trace.type == "scatter" and "lines" in (trace.mode or "lines")
        for trace in fig.data
        if trace.type in {"bar", "scatter"}
    )
    if _diverging(fig):
        told = _diverging_summary(fig, rows)
        if told:
            return told
    if fig.layout.barmode == "stack" and len(series) > 1:
        return _stack_summary(fig, rows)
    if lines and len(series) == 1 and len(rows) >= 2:
        name = series[0] or _axis_title(fig, "yaxis") or "La valeur"
        (_, first_at, first), (_, last_at, last) = rows[0], rows[-1]
        return f"{name} passe de {shown(first)} à {shown(last)} entre {first_at} et {last_at}."
    by_axis: dict[str, list] = {}
    for trace in _plotted(fig):
        by_axis.setdefault(_trace_value_axis(fig, trace), []).append(trace)
    told = [_extremes(fig, traces, axis) for axis, traces in by_axis.items()]
    return " ".join(sentence for sentence in told if sentence) or "Aucune valeur n'est affichée."


def _extremes(fig: go.Figure, traces: Sequence, value_axis: str) -> str:
    """The highest and the lowest point of `traces`, all read on `value_axis`."""
    rows = _finite(_series_rows(fig, traces))
    if not rows:
        return ""
    shown, drawn = _formatter(fig, value_axis), _point_texts(fig, traces)
    series = list(dict.fromkeys(series for series, _, _ in rows))
    high = max(rows, key=lambda row: row[2])
    low = min(rows, key=lambda row: row[2])

    def value(row: tuple[str, str, float]) -> str:
        return drawn.get((row[0], row[1])) or shown(row[2])

    def where(row: tuple[str, str, float]) -> str:
        return f"{row[1]}, {row[0]}" if len(series) > 1 and row[0] else row[1]

    measure = _axis_title(fig, value_axis) or (series[0] if len(series) == 1 else "")
    if high == low:
        return f"{measure + ' : ' if measure else ''}{value(high)} ({where(high)})."
    opening = f"{measure} : la plus haute valeur est" if measure else "La plus haute valeur est"
    return f"{opening} {value(high)} ({where(high)}), la plus basse {value(low)} ({where(low)})."
