"""Survey metrics on small hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from insights.analytics import stats as metrics


def test_mean_estimate_matches_a_hand_computed_interval():
    # values 1..5: mean 3, sd sqrt(2.5), t(4) = 2.776 -> margin 2.776 * 1.5811 / sqrt(5) = 1.963
    estimate = metrics.mean_estimate([1, 2, 3, 4, 5])
    assert estimate.n == 5
    assert estimate.mean == pytest.approx(3.0)
    assert estimate.low == pytest.approx(3 - 1.963, abs=1e-3)
    assert estimate.high == pytest.approx(3 + 1.963, abs=1e-3)


def test_mean_estimate_ignores_missing_answers():
    estimate = metrics.mean_estimate([4, None, float("nan"), 2])
    assert estimate.n == 2
    assert estimate.mean == pytest.approx(3.0)


def test_mean_estimate_of_nothing_is_undefined():
    estimate = metrics.mean_estimate([])
    assert estimate.n == 0
    assert math.isnan(estimate.mean) and math.isnan(estimate.low)


def test_mean_estimate_of_one_answer_has_no_interval():
    estimate = metrics.mean_estimate([4])
    assert (estimate.n, estimate.mean) == (1, 4.0)
    assert math.isnan(estimate.low) and math.isnan(estimate.high)


def test_all_neutral_answers_have_a_zero_width_interval():
    estimate = metrics.mean_estimate([3, 3, 3, 3])
    assert estimate.mean == estimate.low == estimate.high == 3.0


def test_large_samples_use_the_normal_critical_value():
    assert metrics.t_critical_95(29) == pytest.approx(2.045)
    assert metrics.t_critical_95(500) == pytest.approx(1.96)


def test_nps_counts_promoters_passives_and_detractors():
    breakdown = metrics.nps([10, 9, 8, 7, 6, 0, None])
    assert (breakdown.n, breakdown.promoters, breakdown.passives, breakdown.detractors) == (6, 2, 2, 2)
    assert breakdown.score == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("answers", "score"),
    [([10, 10, 10], 100.0), ([0, 3, 6], -100.0), ([9, 7, 2, 10], 25.0), ([8, 7], 0.0)],
)
def test_nps_score(answers, score):
    assert metrics.nps(answers).score == pytest.approx(score)


def test_nps_without_answers_is_undefined():
    assert math.isnan(metrics.nps([]).score)


def test_response_rate():
    assert metrics.response_rate(15, 30) == pytest.approx(0.5)
    assert math.isnan(metrics.response_rate(3, 0))


@pytest.mark.parametrize(("n", "hidden"), [(0, True), (4, True), (5, False), (30, False)])
def test_suppression_below_the_threshold(n, hidden):
    assert metrics.is_suppressed(n, threshold=5) is hidden


def _answers(rows):
    return pd.DataFrame(
        rows, columns=["response_id", "intervention_id", "question_id", "value_num", "value_text"]
    )


def test_scores_by_response_pivots_and_keeps_missing_answers_missing():
    answers = _answers(
        [
            ("r1", "i1", "satisfaction", 4.0, None),
            ("r1", "i1", "recommend", 9.0, None),
            ("r2", "i1", "satisfaction", 2.0, None),
            ("r2", "i1", "takeaway", np.nan, "la veille"),
        ]
    )
    wide = metrics.scores_by_response(answers, ["satisfaction", "recommend"])
    assert list(wide.columns) == ["response_id", "intervention_id", "satisfaction", "recommend"]
    row2 = wide.set_index("response_id").loc["r2"]
    assert row2["satisfaction"] == 2.0 and math.isnan(row2["recommend"])


def _talks():
    return pd.DataFrame(
        {
            "intervention_id": ["a", "b", "c"],
            "date": ["2015-10-01", "2015-11-01", "2016-03-01"],
            "cohort": ["2015-2016"] * 3,
            "semester": ["S1", "S1", "S2"],
            "speaker_ids": [["sp1"], ["sp2"], ["sp1"]],
            "title": ["A", "B", "C"],
            "format": ["atelier"] * 3,
            "themes": [["crise"], ["crise", "veille"], []],
            "tools": ["", "", ""],
        }
    )


def _scores(values: dict[str, list[float]]):
    rows = [
        {"response_id": f"{talk}{i}", "intervention_id": talk, "satisfaction": v}
        for talk, answers in values.items()
        for i, v in enumerate(answers)
    ]
    return pd.DataFrame(rows)


def test_talk_ratings_ranks_and_hides_talks_under_the_threshold():
    scores = _scores({"a": [5, 5, 4, 4, 5], "b": [2, 3, 2, 3, 2, 3], "c": [5, 5]})
    ratings = metrics.talk_ratings(_talks(), scores, "satisfaction", threshold=5)
    assert ratings["intervention_id"].tolist() == ["a", "b"]
    assert ratings.loc[0, "mean"] == pytest.approx(4.6)
    assert ratings.loc[1, "n"] == 6


def test_theme_coverage_lists_missed_themes_with_zero():
    coverage = metrics.theme_coverage(_talks(), ["crise", "veille", "outils"])
    assert dict(zip(coverage["theme"], coverage["interventions"], strict=True)) == {
        "crise": 2,
        "veille": 1,
        "outils": 0,
    }


def test_mean_trend_by_semester_suppresses_small_groups():
    scores = _scores({"a": [5, 4, 4], "b": [3, 3, 3], "c": [1, 2]})
    trend = metrics.mean_trend(_talks(), scores, "satisfaction", by="semester", threshold=5)
    by_series = trend.set_index("series")
    assert by_series.loc["S1", "n"] == 6
    assert by_series.loc["S1", "mean"] == pytest.approx(22 / 6)
    assert by_series.loc["S2", "n"] == 2
    assert math.isnan(by_series.loc["S2", "mean"])


@pytest.mark.parametrize(
    "values",
    [
        [4.0, float("nan"), 2.0, 5.0],
        np.array([4.0, np.nan, 2.0, 5.0]),
        pd.Series([4, None, 2, 5], dtype="Int64"),
        pd.Series([4.0, None, 2.0, 5.0], dtype="Float64"),
        pd.Series(["4", "", "2", "5"], dtype="object"),
    ],
)
def test_numeric_and_text_inputs_give_the_same_figures(values):
    assert metrics.mean_estimate(values) == metrics.mean_estimate([4, 2, 5])
    assert metrics.nps(values) == metrics.nps([4, 2, 5])


def test_scores_pivoted_in_sql_match_the_pandas_pivot(demo_conn):
    from insights import store
    from insights.domain import LIKERT_QUESTION_IDS

    questions = [*LIKERT_QUESTION_IDS, "recommend"]
    in_sql = store.load_scores(demo_conn, questions)
    in_pandas = metrics.scores_by_response(store.load_answers(demo_conn, questions), questions)
    pd.testing.assert_frame_equal(
        in_sql.sort_values("response_id", ignore_index=True),
        in_pandas.sort_values("response_id", ignore_index=True),
        check_dtype=False,
    )
    assert len(in_sql) > 1500
