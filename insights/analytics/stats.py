"""Survey statistics, all computed from answer counts (histograms): means with Student 95 %
intervals, NPS with its interval, Welch intervals of a difference of means, response rates, and
the anonymity rule.

Anonymity: any group backed by fewer answers than the threshold is *suppressed*: its row keeps
its labels and `suppressed=True`, every figure of it is missing (NA), and figure builders leave
it out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from insights.domain import ANONYMITY_THRESHOLD

LIKERT_VALUES: tuple[int, ...] = (1, 2, 3, 4, 5)
NPS_VALUES: tuple[int, ...] = tuple(range(11))
NPS_GROUPS: tuple[str, ...] = ("detractors", "passives", "promoters")
NPS_GROUP_LABELS: dict[str, str] = {
    "detractors": "Détracteurs (0–6)",
    "passives": "Passifs (7–8)",
    "promoters": "Promoteurs (9–10)",
}
SHARE_COLUMNS: tuple[str, ...] = tuple(f"share_{v}" for v in LIKERT_VALUES)
COUNT_COLUMNS: tuple[str, ...] = tuple(f"count_{v}" for v in LIKERT_VALUES)
STAT_COLUMNS = ["n", "mean", "low", "high", *SHARE_COLUMNS, *COUNT_COLUMNS, "agree"]
NPS_COLUMNS = [
    "n",
    *NPS_GROUPS,
    *(f"share_{g}" for g in NPS_GROUPS),
    "score",
    "low",
    "high",
]


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


def nps_from_counts(counts: Sequence[int] | np.ndarray) -> NpsBreakdown:
    """The NPS breakdown of a 0–10 histogram (`counts[v]` answers of v)."""
    row = np.asarray(counts, dtype="int64")
    return NpsBreakdown(int(row.sum()), int(row[9:].sum()), int(row[7:9].sum()), int(row[:7].sum()))


def response_rate(responses: int, expected: int) -> float:
    """Responses over expected answers (cohort size × talks), NaN when nothing was expected."""
    return responses / expected if expected > 0 else math.nan


def is_suppressed(n: int, threshold: int = ANONYMITY_THRESHOLD) -> bool:
    """True when a figure built on `n` answers must not be shown (fewer than the threshold)."""
    return n < threshold


# ---------------------------------------------------------------------------------------------
# Estimates from counts


def estimate_from_counts(values: Sequence[float], counts: Sequence[int] | np.ndarray) -> MeanEstimate:
    """The mean and Student 95% interval of answers given as a histogram (`counts[i]` answers of
    `values[i]`): the same figures as a plain estimate over the answers themselves."""
    n, mean, low, high = moments(np.asarray(values, dtype="float64"), np.asarray(counts)[None, :])
    return MeanEstimate(int(n[0]), float(mean[0]), float(low[0]), float(high[0]))


def moments(values: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Row-wise n, mean and 95% interval of histograms `counts` (groups × levels) over `values`."""
    counts = counts.astype("float64")
    n = counts.sum(axis=1)
    total = counts @ values
    squares = counts @ (values * values)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        variance = np.where(n > 1, np.maximum(squares - total * mean, 0.0) / (n - 1), np.nan)
        t = np.array([t_critical_95(int(k) - 1) for k in n], dtype="float64")
        margin = t * np.sqrt(variance / n)
    return n.astype("int64"), mean, mean - margin, mean + margin


def likert_table(counts: np.ndarray, threshold: int) -> pd.DataFrame:
    """The distribution figures of each row of Likert counts (groups × 5), suppressed below
    `threshold`. Columns: STAT_COLUMNS and suppressed."""
    return pd.DataFrame(likert_columns(counts, threshold))


def likert_columns(counts: np.ndarray, threshold: int) -> dict[str, Any]:
    counts = counts.reshape(-1, len(LIKERT_VALUES))
    n, mean, low, high = moments(np.asarray(LIKERT_VALUES, dtype="float64"), counts)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts / n[:, None]
    columns = {
        "n": n,
        "mean": mean,
        "low": low,
        "high": high,
        **{column: shares[:, i] for i, column in enumerate(SHARE_COLUMNS)},
        **{column: counts[:, i].astype("int64") for i, column in enumerate(COUNT_COLUMNS)},
        "agree": shares[:, 3] + shares[:, 4],
    }
    return hide(columns, n < threshold, STAT_COLUMNS)


def nps_interval(breakdown: NpsBreakdown) -> tuple[float, float]:
    """An approximate 95% interval of an NPS score (normal approximation of the difference of two
    proportions of one sample), clipped to −100…100; NaN below two answers."""
    low, high = nps_intervals(
        np.array([breakdown.n]), np.array([breakdown.promoters]), np.array([breakdown.detractors])
    )
    return float(low[0]), float(high[0])


def nps_intervals(
    n: np.ndarray, promoters: np.ndarray, detractors: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        p, d = promoters / n, detractors / n
        score = 100 * (p - d)
        margin = 100 * 1.96 * np.sqrt(np.maximum(p + d - (p - d) ** 2, 0.0) / n)
    defined = n >= 2
    low = np.where(defined, np.maximum(-100.0, score - margin), np.nan)
    high = np.where(defined, np.minimum(100.0, score + margin), np.nan)
    return low, high


def nps_columns(counts: np.ndarray, threshold: int) -> dict[str, Any]:
    """NPS figures of each row of 0–10 counts (groups × 11), suppressed below `threshold`."""
    counts = counts.reshape(-1, len(NPS_VALUES)).astype("int64")
    n = counts.sum(axis=1)
    detractors, passives, promoters = (
        counts[:, :7].sum(axis=1),
        counts[:, 7:9].sum(axis=1),
        counts[:, 9:].sum(axis=1),
    )
    low, high = nps_intervals(n, promoters, detractors)
    with np.errstate(invalid="ignore", divide="ignore"):
        columns = {
            "n": n,
            "detractors": detractors,
            "passives": passives,
            "promoters": promoters,
            "share_detractors": detractors / n,
            "share_passives": passives / n,
            "share_promoters": promoters / n,
            "score": 100.0 * (promoters - detractors) / n,
            "low": low,
            "high": high,
        }
    return hide(columns, n < threshold, NPS_COLUMNS)


def hide(columns: dict[str, Any], hidden: np.ndarray, names: Sequence[str]) -> dict[str, Any]:
    """Blank the figures `names` of the rows under the threshold (NA for counts, NaN for the
    rest) and add the `suppressed` flag. `columns`: arrays of equal length, by column name."""
    hidden = np.asarray(hidden, dtype=bool)
    result = dict(columns)
    for name in names:
        values = columns[name]
        if pd.api.types.is_integer_dtype(getattr(values, "dtype", None)):
            series = pd.Series(values)
            data = series.to_numpy(dtype="int64", na_value=0)
            result[name] = pd.arrays.IntegerArray(data, hidden | series.isna().to_numpy())
        else:
            result[name] = np.where(hidden, np.nan, np.asarray(values, dtype="float64"))
    result["suppressed"] = hidden
    return result


def suppress(frame: pd.DataFrame, hidden: np.ndarray, names: Sequence[str]) -> pd.DataFrame:
    """`hide` on a frame."""
    columns = {name: frame[name].array for name in frame.columns}
    return pd.DataFrame(hide(columns, hidden, names), index=frame.index)


def welch_interval(values: np.ndarray, first: np.ndarray, second: np.ndarray) -> tuple[float, float]:
    """The 95% Welch interval of mean(first) − mean(second), two histograms over `values`;
    NaN when either side has fewer than two answers."""
    n1, n2 = float(first.sum()), float(second.sum())
    if n1 < 2 or n2 < 2:
        return math.nan, math.nan
    m1, m2 = float(first @ values) / n1, float(second @ values) / n2
    v1 = max(float(first @ (values * values)) - n1 * m1 * m1, 0.0) / (n1 - 1)
    v2 = max(float(second @ (values * values)) - n2 * m2 * m2, 0.0) / (n2 - 1)
    a, b = v1 / n1, v2 / n2
    if a + b == 0:
        return m1 - m2, m1 - m2
    freedom = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    margin = t_critical_95(max(1, int(freedom))) * math.sqrt(a + b)
    return m1 - m2 - margin, m1 - m2 + margin
