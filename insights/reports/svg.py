"""The reports' charts as small SVG documents written here: a diverging bar per Likert question and
means with their 95 % intervals against a reference. Written by hand rather than exported from
plotly (kaleido starts a Chromium per process, seconds for a sheet meant to take under one): the
same drawing goes into the PDF (Typst reads SVG) and the HTML page, its text escaped as XML."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from insights.charts.palette import LIKERT, PRIMARY
from insights.domain import LIKERT_LABELS
from insights.formatting import format_number, format_percent

FONT = "DejaVu Sans, Libertinus Serif, sans-serif"
WIDTH = 640
LABEL_WIDTH = 210
ROW = 24


def _text(x: float, y: float, text: str, size: float = 10, anchor: str = "start", fill: str = "#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'
    )


def _svg(height: float, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _clip(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class LikertRow:
    """One bar: a label, the shares of levels 1–5 (summing to 1), and n."""

    label: str
    shares: Sequence[float]
    n: int


def diverging_likert(rows: Sequence[LikertRow], title: str) -> str:
    """Disagreement left of the centre, agreement right, the neutral level astride it; each bar's
    n at its end. Rows without answers are left out by the caller."""
    top, legend = 8, 34
    plot_left, plot_right = LABEL_WIDTH, WIDTH - 46
    centre = (plot_left + plot_right) / 2
    half = (plot_right - plot_left) / 2
    body = [
        f'<line x1="{centre}" y1="{top}" x2="{centre}" y2="{top + ROW * len(rows)}" stroke="#888" stroke-width="0.6"/>'
    ]
    for index, row in enumerate(rows):
        y = top + index * ROW
        shares = [0.0 if math.isnan(s) else float(s) for s in row.shares]
        start = centre - half * (shares[0] + shares[1] + shares[2] / 2)
        body.append(_text(plot_left - 6, y + 15, _clip(row.label), anchor="end"))
        x = start
        for level, share in enumerate(shares):
            width = half * share
            if width > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="{ROW - 8}" fill="{LIKERT[level]}"/>'
                )
                if share >= 0.08:
                    body.append(
                        _text(
                            x + width / 2,
                            y + 15,
                            format_percent(share),
                            size=8,
                            anchor="middle",
                            fill="#fff" if level in (0, 4) else "#222",
                        )
                    )
            x += width
        body.append(_text(plot_right + 4, y + 15, f"n = {format_number(row.n, 0)}", size=8, fill="#555"))
    y = top + ROW * len(rows) + 10
    x = 10.0
    for level, label in enumerate(LIKERT_LABELS):
        body.append(f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{LIKERT[level]}"/>')
        body.append(_text(x + 13, y + 9, label, size=8))
        x += 13 + 5.2 * len(label) + 12
    return _svg(top + ROW * len(rows) + legend, body, title)


@dataclass(frozen=True)
class IntervalRow:
    """A mean with its 95 % interval, and the reference's mean (NaN when there is none)."""

    label: str
    mean: float
    low: float
    high: float
    reference: float = math.nan


def interval_chart(
    rows: Sequence[IntervalRow], title: str, reference_label: str, scale: tuple[float, float] = (1, 5)
) -> str:
    """Means as dots with their intervals on a 1–5 axis, the reference as a grey tick."""
    top, bottom = 8, 44
    plot_left, plot_right = LABEL_WIDTH, WIDTH - 60
    low_end, high_end = scale

    def at(value: float) -> float:
        return plot_left + (value - low_end) / (high_end - low_end) * (plot_right - plot_left)

    height = top + ROW * len(rows)
    body: list[str] = []
    for tick in range(int(low_end), int(high_end) + 1):
        body.append(
            f'<line x1="{at(tick):.1f}" y1="{top}" x2="{at(tick):.1f}" y2="{height}" stroke="#ddd" stroke-width="0.6"/>'
        )
        body.append(_text(at(tick), height + 12, str(tick), size=8, anchor="middle", fill="#555"))
    for index, row in enumerate(rows):
        y = top + index * ROW + ROW / 2
        body.append(_text(plot_left - 6, y + 4, _clip(row.label), anchor="end"))
        if not math.isnan(row.reference):
            body.append(
                f'<line x1="{at(row.reference):.1f}" y1="{y - 8}" x2="{at(row.reference):.1f}" y2="{y + 8}" stroke="#777" stroke-width="2"/>'
            )
        if math.isnan(row.mean):
            body.append(_text(plot_right + 6, y + 4, "masqué", size=8, fill="#777"))
            continue
        if not (math.isnan(row.low) or math.isnan(row.high)):
            body.append(
                f'<line x1="{at(max(row.low, low_end)):.1f}" y1="{y}" x2="{at(min(row.high, high_end)):.1f}" y2="{y}" stroke="{PRIMARY}" stroke-width="2"/>'
            )
        body.append(f'<circle cx="{at(row.mean):.1f}" cy="{y}" r="4.5" fill="{PRIMARY}"/>')
        body.append(_text(plot_right + 6, y + 4, format_number(row.mean, 1), size=9))
    legend_y = height + 26
    body.append(f'<circle cx="16" cy="{legend_y - 3}" r="4" fill="{PRIMARY}"/>')
    body.append(_text(24, legend_y, "moyenne et intervalle à 95 %", size=8))
    body.append(
        f'<line x1="200" y1="{legend_y - 9}" x2="200" y2="{legend_y + 2}" stroke="#777" stroke-width="2"/>'
    )
    body.append(_text(206, legend_y, reference_label, size=8))
    return _svg(height + bottom, body, title)
