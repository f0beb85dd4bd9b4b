"""The colours of every chart: colour-blind-safe, the same meaning on every page."""

from __future__ import annotations

from insights.domain import FORMATS, ORG_TYPES, THEME_IDS

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
CATEGORICAL: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
    "#7F7F7F",  # grey
    "#8C6D31",  # brown
)

PRIMARY = CATEGORICAL[0]
ACCENT = CATEGORICAL[1]
MUTED = "#BBBBBB"
"""For what is absent or below the anonymity threshold."""

# Disagreement (brown) to agreement (teal), neutral grey: BrBG, readable without red/green; the
# light teal is a step darker than BrBG's so that protanopes tell it from the neutral grey.
LIKERT: tuple[str, ...] = ("#A6611A", "#DFC27D", "#D9D9D9", "#5AB4AC", "#018571")

NPS_COLOURS: dict[str, str] = {"detractors": "#A6611A", "passives": "#D9D9D9", "promoters": "#018571"}

SEQUENTIAL = "Blues"
"""Plotly colour scale for heatmaps of counts."""

THEME_COLOURS: dict[str, str] = dict(zip(THEME_IDS, CATEGORICAL, strict=True))
ORG_TYPE_COLOURS: dict[str, str] = dict(zip(ORG_TYPES, CATEGORICAL, strict=False))
FORMAT_COLOURS: dict[str, str] = dict(zip(FORMATS, CATEGORICAL, strict=False))
