"""Survey statistics from answer counts (`insights.analytics.stats`) on small hand-computed cases,
and against plain estimates over the answers themselves (the benchmark's naive baseline)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from insights.analytics import stats
from insights.bench.naive import mean_of_values, nps_of_values


def likert(*answers: int) -> list[int]:
    """Answers 1–5 as a histogram."""
    return [list(answers).count(v) for v in stats.LIKERT_VALUES]


def scale(*answers: int) -> list[int]:
    """Answers 0–10 as a histogram."""
    return [list(answers).count(v) for v in stats.NPS_VALUES]


def test_mean_estimate_matches_a_hand_computed_interval():
    # values 1..5: mean 3, sd sqrt(2.5), t(4) = 2.776 -> margin 2.776 * 1.5811 / sqrt(5) = 1.963
    estimate = stats.estimate_from_counts(stats.LIKERT_VALUES, likert(1, 2, 3, 4, 5))
    assert estimate.n == 5
    assert estimate.mean == pytest.approx(3.0)
    assert estimate.low == pytest.approx(3 - 1.963, abs=1e-3)
    assert estimate.high == pytest.approx(3 + 1.963, abs=1e-3)


def test_mean_estimate_of_nothing_is_undefined():
    estimate = stats.estimate_from_counts(stats.LIKERT_VALUES, likert())
    assert estimate.n == 0
    assert math.isnan(estimate.mean) and math.isnan(estimate.low)


def test_mean_estimate_of_one_answer_has_no_interval():
    estimate = stats.estimate_from_counts(stats.LIKERT_VALUES, likert(4))
    assert (estimate.n, estimate.mean) == (1, 4.0)
    assert math.isnan(estimate.low) and math.isnan(estimate.high)


def test_all_neutral_answers_have_a_zero_width_interval():
    estimate = stats.estimate_from_counts(stats.LIKERT_VALUES, likert(3, 3, 3, 3))
    assert estimate.mean == estimate.low == estimate.high == 3.0


def test_large_samples_use_the_normal_critical_value():
    assert stats.t_critical_95(29) == pytest.approx(2.045)
    assert stats.t_critical_95(500) == pytest.approx(1.96)


def test_nps_counts_promoters_passives_and_detractors():
    breakdown = stats.nps_from_counts(scale(10, 9, 8, 7, 6, 0))
    assert (breakdown.n, breakdown.promoters, breakdown.passives, breakdown.detractors) == (6, 2, 2, 2)
    assert breakdown.score == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("answers", "score"),
    [([10, 10, 10], 100.0), ([0, 3, 6], -100.0), ([9, 7, 2, 10], 25.0), ([8, 7], 0.0)],
)
def test_nps_score(answers, score):
    assert stats.nps_from_counts(scale(*answers)).score == pytest.approx(score)


def test_nps_without_answers_is_undefined():
    assert math.isnan(stats.nps_from_counts(scale()).score)


def test_response_rate():
    assert stats.response_rate(15, 30) == pytest.approx(0.5)
    assert math.isnan(stats.response_rate(3, 0))


@pytest.mark.parametrize(("n", "hidden"), [(0, True), (4, True), (5, False), (30, False)])
def test_suppression_below_the_threshold(n, hidden):
    assert stats.is_suppressed(n, threshold=5) is hidden


@given(st.lists(st.integers(min_value=0, max_value=10), max_size=60))
def test_nps_from_counts_agrees_with_the_answers(answers):
    assert stats.nps_from_counts(scale(*answers)) == nps_of_values(answers)


@pytest.mark.parametrize(
    "answers",
    [[], [4], [3, 3, 3, 3], [1, 2, 3, 4, 5], [5, 5, 4, 4, 3], [1] * 40 + [5] * 3],
    ids=["empty", "single", "all-neutral", "spread", "skewed", "large"],
)
def test_estimate_from_counts_equals_the_mean_estimate_of_the_answers(answers):
    counts = [answers.count(v) for v in stats.LIKERT_VALUES]
    expected = mean_of_values(answers)
    estimate = stats.estimate_from_counts(stats.LIKERT_VALUES, counts)
    assert estimate.n == expected.n
    for field in ("mean", "low", "high"):
        assert getattr(estimate, field) == pytest.approx(getattr(expected, field), nan_ok=True)


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=60))
def test_estimate_from_counts_agrees_with_mean_estimate_on_any_answers(answers):
    counts = [answers.count(v) for v in stats.LIKERT_VALUES]
    expected = mean_of_values(answers)
    estimate = stats.estimate_from_counts(stats.LIKERT_VALUES, counts)
    assert estimate.n == expected.n
    assert estimate.low == pytest.approx(expected.low, nan_ok=True, abs=1e-9)
    assert estimate.high == pytest.approx(expected.high, nan_ok=True, abs=1e-9)


def test_nps_interval_by_hand():
    # 2 promoters, 1 passive, 2 detractors of 5: score 0, variance (0.4 + 0.4 - 0) / 5 = 0.16
    low, high = stats.nps_interval(nps_of_values([10, 9, 8, 6, 3]))
    assert low == pytest.approx(-78.4)
    assert high == pytest.approx(78.4)
    assert stats.nps_interval(nps_of_values([10, 10, 10])) == (100.0, 100.0)
    assert all(math.isnan(v) for v in stats.nps_interval(nps_of_values([9])))


def test_welch_interval_by_hand():
    values = np.arange(1, 6, dtype="float64")
    first = np.array([0, 0, 1, 2, 2])  # 5,5,4,4,3: mean 4.2, variance 0.7
    second = np.array([0, 1, 3, 1, 0])  # 3,3,2,4,3: mean 3.0, variance 0.5
    # se = sqrt(0.14 + 0.1); df = 0.0576 / (0.0049 + 0.0025) = 7.78 -> t(7) = 2.365
    low, high = stats.welch_interval(values, first, second)
    margin = 2.365 * math.sqrt(0.24)
    assert low == pytest.approx(1.2 - margin)
    assert high == pytest.approx(1.2 + margin)
    assert all(math.isnan(v) for v in stats.welch_interval(values, np.array([0, 0, 0, 0, 1]), second))
