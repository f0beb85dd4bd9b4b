"""The look every chart shares (`base_layout`), and the helpers the figure builders share: plain
trace and layout dictionaries merged with that look and built in one go (`figure`), escaped
hover text, percent axes, notes beside bars.

Plotly's incremental calls (add_trace, add_annotation, update_*) re-validate the figure each time
and would cost a page of a dozen charts most of its rerun: builders assemble dictionaries instead.
"""

from __future__ import annotations

import copy
import html
import math
import textwrap
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from insights.formatting import format_number, format_signed

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


REFERENCE_COLOUR = "#555555"
"""The programme's average and other references: dark grey, distinct from every series."""

ROW_HEIGHT = 34
# On a phone, bars leave their label and their note (mean, interval, n) to two lines above them
# and take the whole width: rows are taller and the bars thinner.
NARROW_ROW_HEIGHT = 62
NARROW_BAR_HEIGHT = 20
# The legend in rows above the chart, ending where the plot area ends. Placed within the plot
# area, plotly wraps it to the plot's width, which long talk titles make narrow (five entries,
# five rows); just past the plot's right edge and anchored there, it may also use the right
# margin, where the figures beside the bars are.
TOP_LEGEND = {
    "orientation": "h",
    "traceorder": "normal",
    "xref": "paper",
    "x": 1.001,
    "xanchor": "right",
    "y": 1.0,
    "yanchor": "bottom",
}
# The top margin of a chart with `TOP_LEGEND` (plotly grows it when the legend needs more): above
# one or two rows of legend it leaves room for the toolbar that hovering shows at the top right.
TOP_LEGEND_MARGIN = 72
PERCENT_TICKS = np.round(np.arange(-1.0, 1.01, 0.25), 2)


def wrap_label(label: str, width: int = 14) -> str:
    """A long label on lines of about `width` characters, words kept whole (plotly breaks lines
    on `<br>`)."""
    return "<br>".join(textwrap.wrap(label, width=width, break_long_words=False)) or label


PHONE_TITLE_WIDTH = 30


def for_a_phone(fig: go.Figure) -> go.Figure:
    """A copy of `fig` whose long horizontal axis titles are on lines of about
    `PHONE_TITLE_WIDTH` characters (a title already broken into longer lines included): plotly does not wrap them, and it centres them on the plot
    area, which a phone's width and the labels beside it make narrow, so that they are cut."""
    copy_ = go.Figure(fig)

    def wrap(axis: object) -> None:
        text = axis.title.text
        if text and max(len(line) for line in text.split("<br>")) > PHONE_TITLE_WIDTH:
            axis.title.text = wrap_label(text.replace("<br>", " "), PHONE_TITLE_WIDTH)

    copy_.for_each_xaxis(wrap)
    return copy_


def for_touch(fig: go.Figure) -> go.Figure:
    """A copy of `fig` that a drag does not zoom or pan (`dragmode` off): a finger swiping over
    the chart then scrolls the page, as it does over text, instead of moving the chart. A tap
    still shows its figures."""
    return go.Figure(fig).update_layout(dragmode=False)


def safe_text(text: object) -> str:
    """Data text as plotly shows it literally: plotly reads a few HTML tags in labels and hovers,
    and decodes entities, so escaping keeps "<b>" or "<a href=…>" in a title inert."""
    return html.escape(str(text), quote=False)


def customdata(*columns: Sequence[object] | np.ndarray | pd.Series) -> np.ndarray:
    """Per-point data for hover templates and selections: one row per point (none when empty)."""
    if not columns or len(columns[0]) == 0:
        return np.zeros((0, len(columns)), dtype=object)
    return np.column_stack([np.asarray(c, dtype=object) for c in columns])


def shown_rows(frame: pd.DataFrame) -> pd.DataFrame:
    if "suppressed" not in frame.columns:
        return frame.reset_index(drop=True)
    return frame[~frame["suppressed"].astype(bool)].reset_index(drop=True)


def percent_text(share: float) -> str:
    return f"{format_number(share * 100, 0)}\u00a0%"


def interval_text(low: float, high: float, decimals: int = 2, signed: bool = False) -> str:
    if math.isnan(low) or math.isnan(high):
        return "IC non calculable"
    show = format_signed if signed else format_number
    return f"[{show(low, decimals)} ; {show(high, decimals)}]"


def figure(
    traces: list[dict],
    layout: dict,
    *,
    height: int,
    title: str | None = None,
) -> go.Figure:
    """A figure of `traces` with the shared look (`base_layout`) and this chart's `layout`
    (axes included) on top of it, validated once."""
    merged = merge(shared_look(), layout)
    merged["height"] = height
    if title:
        merged["title"] = {"text": title, "x": 0, "xanchor": "left"}
        merged.setdefault("margin", {})["t"] = 50
    return go.Figure(data=traces, layout=merged, _validate=False)


@lru_cache(maxsize=1)
def shared_look() -> dict:
    return base_layout(go.Figure()).layout.to_plotly_json()


def merge(base: dict, override: dict) -> dict:
    """`override` laid over a copy of `base`, nested dictionaries merged key by key."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def percent_axis(ticks: Sequence[float], **axis: object) -> dict:
    return {"tickvals": list(ticks), "ticktext": [percent_text(abs(t)) for t in ticks], **axis}


def right_notes(keys: Sequence[str], texts: Sequence[str]) -> list[dict]:
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


def notes_above(keys: Sequence[str], labels: Sequence[str], notes: Sequence[str]) -> list[dict]:
    """Each row's label and note on two lines above its bar, from the plot's left edge: the
    narrow layout's stand-in for the axis's tick labels and the notes right of the bars. A
    label's last " · " part (a talk's date) opens the second line, which keeps the first within a
    phone's width."""
    return [
        {
            "x": 0.0,
            "xref": "paper",
            "xanchor": "left",
            "y": key,
            "yref": "y",
            "yanchor": "bottom",
            "yshift": NARROW_BAR_HEIGHT / 2 - 1,
            "showarrow": False,
            "align": "left",
            "text": _two_lines(label, note),
            "font": {"size": 12, "color": "#333333"},
            # The zero line of diverging bars runs through the notes: a white ground keeps them legible.
            "bgcolor": "rgba(255, 255, 255, 0.85)",
        }
        for key, label, note in zip(keys, labels, notes, strict=True)
    ]


def _two_lines(label: str, note: str) -> str:
    head, separator, tail = label.rpartition(" · ")
    if not separator:
        return f"{label}<br>{note}"
    return f"{head}<br>{tail} · {note}"


def chart_height(rows: int, extra: int = 110, row_height: int = ROW_HEIGHT) -> int:
    return max(220, row_height * rows + extra)
