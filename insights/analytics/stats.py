"""Survey metrics: means with confidence intervals, NPS, response rates, anonymity suppression,
ratings of talks and trends by cohort."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights.domain import ANONYMITY_THRESHOLD

# Two-sided 95% Student t critical values by degrees of freedom; beyond 30 the normal 1.96
# is within 2% of the exact value.
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t_critical_95(degrees_of_freedom: int) -> float:
    """The two-sided 95% critical value of Student's t."""
    if degrees_of_freedom < 1:
        return math.nan
    if degrees_of_freedom <= len(_T95):
        return _T95[degrees_of_freedom - 1]
    return 1.96


def _as_floats(values: Iterable[float] | np.ndarray | pd.Series) -> np.ndarray:
    """The values as a float array, NaN where missing or not a number (numeric input as is)."""
    if isinstance(values, np.ndarray | pd.Series) and values.dtype.kind in "fiu":
        return np.asarray(values, dtype="float64")
    return np.asarray(pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce"), dtype="float64")


@dataclass(frozen=True)
class MeanEstimate:
    """A mean with its 95% confidence interval over `n` answers (NaN where undefined)."""

    n: int
    mean: float
    low: float
    high: float

    @property
    def margin(self) -> float:
        return (self.high - self.low) / 2


def mean_estimate(values: Iterable[float] | np.ndarray | pd.Series) -> MeanEstimate:
    """Mean and Student 95% interval of the non-missing values.

    One answer gives a mean without interval; no answer gives NaN everywhere.
    """
    array = _as_floats(values)
    array = array[~np.isnan(array)]
    n = int(array.size)
    if n == 0:
        return MeanEstimate(0, math.nan, math.nan, math.nan)
    mean = float(array.mean())
    if n == 1:
        return MeanEstimate(1, mean, math.nan, math.nan)
    margin = t_critical_95(n - 1) * float(array.std(ddof=1)) / math.sqrt(n)
    return MeanEstimate(n, mean, mean - margin, mean + margin)


@dataclass(frozen=True)
class NpsBreakdown:
    """Promoters (9–10), passives (7–8) and detractors (0–6) of a 0–10 question, and the score
    (% promoters − % detractors, from −100 to 100; NaN without answers)."""

    n: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> float:
        if self.n == 0:
            return math.nan
        return 100.0 * (self.promoters - self.detractors) / self.n


def nps(values: Iterable[float] | np.ndarray | pd.Series) -> NpsBreakdown:
    """The NPS breakdown of 0–10 answers; missing answers are ignored."""
    array = _as_floats(values)
    array = array[~np.isnan(array)]
    promoters = int((array >= 9).sum())
    detractors = int((array <= 6).sum())
    return NpsBreakdown(int(array.size), promoters, int(array.size) - promoters - detractors, detractors)


def response_rate(responses: int, expected: int) -> float:
    """Responses over expected answers (cohort size × talks), NaN when nothing was expected."""
    return responses / expected if expected > 0 else math.nan


def is_suppressed(n: int, threshold: int = ANONYMITY_THRESHOLD) -> bool:
    """True when a figure built on `n` answers must not be shown (fewer than the threshold)."""
    return n < threshold


def scores_by_response(answers: pd.DataFrame, question_ids: Iterable[str]) -> pd.DataFrame:
    """Numeric answers pivoted wide: one row per response with `response_id`, `intervention_id`
    and one float column per question (NaN where unanswered).

    `answers` as from `store.load_answers`.
    """
    questions = list(question_ids)
    numeric = answers[answers["question_id"].isin(questions)]
    wide = numeric.pivot_table(
        index=["response_id", "intervention_id"], columns="question_id", values="value_num", aggfunc="first"
    )
    wide = wide.reindex(columns=questions).reset_index()
    wide.columns.name = None
    return wide


def talk_ratings(
    interventions: pd.DataFrame,
    scores: pd.DataFrame,
    question_id: str = "satisfaction",
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """Mean rating of each selected talk on one question, with n and the 95% interval.

    Columns: intervention_id, title, date, cohort, n, mean, low, high. Talks backed by fewer
    answers than `threshold` are left out. Sorted by mean, best first.
    """
    rows = []
    grouped = {key: frame[question_id] for key, frame in scores.groupby("intervention_id")}
    for talk in interventions.itertuples(index=False):
        values = grouped.get(talk.intervention_id)
        if values is None:
            continue
        estimate = mean_estimate(values)
        if is_suppressed(estimate.n, threshold):
            continue
        rows.append(
            {
                "intervention_id": talk.intervention_id,
                "title": talk.title,
                "date": talk.date,
                "cohort": talk.cohort,
                "n": estimate.n,
                "mean": estimate.mean,
                "low": estimate.low,
                "high": estimate.high,
            }
        )
    frame = pd.DataFrame(
        rows, columns=["intervention_id", "title", "date", "cohort", "n", "mean", "low", "high"]
    )
    return frame.sort_values(["mean", "n"], ascending=[False, False], ignore_index=True)


def theme_coverage(interventions: pd.DataFrame, theme_ids: Iterable[str]) -> pd.DataFrame:
    """How many selected talks covered each theme, every theme listed (0 when missed).

    Columns: theme, interventions. In the order of `theme_ids`.
    """
    counts: dict[str, int] = dict.fromkeys(theme_ids, 0)
    for themes in interventions["themes"]:
        for theme in themes:
            if theme in counts:
                counts[theme] += 1
    return pd.DataFrame({"theme": list(counts), "interventions": list(counts.values())})


def mean_trend(
    interventions: pd.DataFrame,
    scores: pd.DataFrame,
    question_id: str,
    by: str | None = "semester",
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """A question's mean by cohort, and by `by` (a column of `interventions`) when given.

    Columns: cohort, series (the `by` value, or "Ensemble"), n, mean, low, high; the figures are
    NaN where fewer than `threshold` answers back them. Sorted by series then cohort.
    """
    talk_keys = interventions[["intervention_id", "cohort"] + ([by] if by else [])]
    joined = scores[["intervention_id", question_id]].merge(talk_keys, on="intervention_id")
    groups = ["cohort", by] if by else ["cohort"]
    rows = []
    for key, frame in joined.groupby(groups, sort=True):
        estimate = mean_estimate(frame[question_id])
        hidden = is_suppressed(estimate.n, threshold)
        rows.append(
            {
                "cohort": key[0],
                "series": key[1] if by else "Ensemble",
                "n": estimate.n,
                "mean": math.nan if hidden else estimate.mean,
                "low": math.nan if hidden else estimate.low,
                "high": math.nan if hidden else estimate.high,
            }
        )
    frame = pd.DataFrame(rows, columns=["cohort", "series", "n", "mean", "low", "high"])
    return frame.sort_values(["series", "cohort"], ignore_index=True)
