"""The palette stays readable with the common colour-vision deficiencies: simulated protanopia
and deuteranopia (Machado, Oliveira and Fernandes 2009, full severity) keep the categorical
colours, the Likert scale's steps and the NPS groups apart (CIE76 colour difference)."""

from __future__ import annotations

from itertools import combinations, pairwise

import numpy as np
import pytest

from insights.charts.palette import CATEGORICAL, LIKERT, NPS_COLOURS

SIMULATIONS = {
    "protanopie": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deutéranopie": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "vision ordinaire": np.eye(3),
}
SERIES_SHOWN_TOGETHER = 6  # the most series a chart of the app draws side by side
MIN_DIFFERENCE = 10.0


def _linear(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear_rgb
    )
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _seen(hex_colour: str, simulation: np.ndarray) -> np.ndarray:
    return _lab(np.clip(simulation @ _linear(hex_colour), 0, 1))


def _closest_pair(colours, simulation) -> float:
    return min(
        np.linalg.norm(_seen(a, simulation) - _seen(b, simulation)) for a, b in combinations(colours, 2)
    )


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_the_series_colours_stay_apart(vision):
    assert _closest_pair(CATEGORICAL[:SERIES_SHOWN_TOGETHER], SIMULATIONS[vision]) >= MIN_DIFFERENCE


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_each_likert_step_differs_from_the_next_and_nps_groups_differ(vision):
    simulation = SIMULATIONS[vision]
    for left, right in pairwise(LIKERT):
        assert np.linalg.norm(_seen(left, simulation) - _seen(right, simulation)) >= MIN_DIFFERENCE, (
            left,
            right,
        )
    assert _closest_pair(list(NPS_COLOURS.values()), simulation) >= MIN_DIFFERENCE


def test_the_simulation_merges_red_and_green_as_expected():
    """The check can fail: red and green, which the palette avoids, merge under deuteranopia."""
    assert _closest_pair(["#D62728", "#2CA02C"], SIMULATIONS["deutéranopie"]) < MIN_DIFFERENCE * 3
    assert _closest_pair(["#D62728", "#2CA02C"], SIMULATIONS["vision ordinaire"]) > MIN_DIFFERENCE * 6
