"""The home page (Vue d'ensemble): a cohort's indicators against the previous cohort, the
satisfaction trend, the best and weakest talks, the themes covered and the latest quotes, all from
the answer counts of `insights.analytics.cube`."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from insights import store
from insights.analytics.model import Model
from insights.analytics.speakers import recommend, satisfaction
from insights.analytics.stats import is_suppressed, response_rate
from insights.analytics.survey import question_trends, talk_distribution, trend_series
from insights.domain import ANONYMITY_THRESHOLD, THEME_IDS
from insights.filters import Filters

COHORT_KPI_COLUMNS = [
    "cohort",
    "interventions",
    "speakers",
    "responses",
    "response_rate",
    "satisfaction_n",
    "satisfaction",
    "nps_n",
    "nps",
]


def kpis_by_cohort(
    model: Model, mask: np.ndarray, threshold: int = ANONYMITY_THRESHOLD, visible: np.ndarray | None = None
) -> pd.DataFrame:
    """The overview's indicators for each cohort of the selected talks (`mask`).

    Talks and speakers count every selected talk (the programme); the survey's figures count the
    selected talks of `visible` only (every one when not given): those whose results the
    audience may see. Output columns: COHORT_KPI_COLUMNS, one row per cohort, sorted by cohort;
    `responses` and `response_rate` are NaN when no talk of the cohort is visible, `satisfaction`
    (mean /5) and `nps` when fewer answers than `threshold` back them.
    """
    cube = model.cube
    cohorts = cube.column["cohort"]
    shown = np.ones(len(cube.talks), dtype=bool) if visible is None else visible
    sizes = dict(zip(model.cohorts["cohort"], model.cohorts["size"], strict=True))
    rows = []
    for cohort in sorted(set(cohorts[mask])):
        group = mask & (cohorts == cohort)
        answered = group & shown
        responses = int(cube.responses[answered].sum())
        mean = satisfaction(cube, answered)
        nps = recommend(cube, answered)
        rows.append(
            {
                "cohort": cohort,
                "interventions": int(group.sum()),
                "speakers": int(cube.speaker_talks[:, group].any(axis=1).sum()),
                "responses": responses if answered.any() else math.nan,
                "response_rate": response_rate(responses, int(answered.sum()) * int(sizes.get(cohort, 0))),
                "satisfaction_n": mean.n,
                "satisfaction": math.nan if is_suppressed(mean.n, threshold) else mean.mean,
                "nps_n": nps.n,
                "nps": math.nan if is_suppressed(nps.n, threshold) else nps.score,
            }
        )
    return pd.DataFrame(rows, columns=COHORT_KPI_COLUMNS)


KPI_COLUMNS = ("interventions", "speakers", "responses", "response_rate", "satisfaction", "nps")


def kpi_changes(
    by_cohort: pd.DataFrame, cohort: str
) -> tuple[dict[str, float], dict[str, float], str | None]:
    """The indicators of `cohort` and their change against the cohort just before it.

    `by_cohort` as from `kpis_by_cohort`. Returns (values, changes, previous cohort); a change is
    NaN when the previous cohort is missing or either figure is suppressed. A cohort absent from
    `by_cohort` (no talk matches) has zero counts and NaN rates.
    """
    rows = by_cohort.set_index("cohort")
    if cohort in rows.index:
        current = {k: float(rows.at[cohort, k]) for k in KPI_COLUMNS}
    else:
        current = {"interventions": 0.0, "speakers": 0.0, "responses": 0.0} | {
            k: math.nan for k in ("response_rate", "satisfaction", "nps")
        }
    earlier = sorted(c for c in rows.index if c < cohort)
    previous = earlier[-1] if earlier else None
    if previous is None:
        return current, dict.fromkeys(KPI_COLUMNS, math.nan), None
    changes = {k: current[k] - float(rows.at[previous, k]) for k in KPI_COLUMNS}
    return current, changes, previous


def theme_coverage(interventions: pd.DataFrame, theme_ids: Iterable[str] = THEME_IDS) -> pd.DataFrame:
    """How many selected talks covered each theme, every theme listed (0 when missed).

    Columns: theme, interventions. In the order of `theme_ids`.
    """
    counts: dict[str, int] = dict.fromkeys(theme_ids, 0)
    for themes in interventions["themes"]:
        for theme in themes:
            if theme in counts:
                counts[theme] += 1
    return pd.DataFrame({"theme": list(counts), "interventions": list(counts.values())})


RATING_COLUMNS = [
    "intervention_id",
    "title",
    "date",
    "cohort",
    "low_participation",
    "n",
    "mean",
    "low",
    "high",
]


def talk_ratings(model: Model, mask: np.ndarray, threshold: int = ANONYMITY_THRESHOLD) -> pd.DataFrame:
    """Mean satisfaction of each selected talk, with n and the 95 % interval; talks backed by
    fewer answers than `threshold` left out. Columns: RATING_COLUMNS, best first."""
    if "satisfaction" not in model.cube.counts:
        return pd.DataFrame(columns=RATING_COLUMNS)
    talks = talk_distribution(model.cube, mask, "satisfaction", threshold)
    shown = talks[~talks["suppressed"]]
    return shown[RATING_COLUMNS].astype({"n": "int64", "mean": "float64"}).reset_index(drop=True)


QUOTE_COLUMNS = ["quote_id", "text", "name", "title", "organisation", "intervention_title", "date", "themes"]


@dataclass(frozen=True)
class OverviewFigures:
    """Everything the home page shows for one selection and reference cohort."""

    interventions: int
    unpublished: int
    unpublished_cohorts: tuple[str, ...]
    cohorts: tuple[str, ...]
    reference: str | None
    previous: str | None
    values: dict[str, float]
    changes: dict[str, float]
    by_cohort: pd.DataFrame
    trend: pd.DataFrame
    coverage: pd.DataFrame
    ratings: pd.DataFrame
    latest_quotes: pd.DataFrame


def page_figures(
    conn: sqlite3.Connection,
    model: Model,
    filters: Filters,
    reference: str | None = None,
    director: bool = False,
) -> OverviewFigures:
    """The home page for the sidebar's `filters` and the chosen reference cohort (when `reference`
    is not among the selected cohorts: the latest one with results its audience may see, else the
    latest), as its audience may see it: the survey's figures of the talks whose results are
    published, every talk for the director.

    The cohort filter picks the cohorts shown; the other filters also apply to the cohorts before
    them, against which the indicators are compared.
    """
    threshold = model.anonymity_threshold
    visible = model.results_mask(director)
    selection = model.selection(filters)
    selected = model.cube.mask(selection["intervention_id"])
    mask = selected & visible
    comparable = model.mask(replace(filters, cohorts=()))
    cohorts = tuple(sorted(set(selection["cohort"]), reverse=True))
    if reference not in cohorts:  # by default, the latest cohort with results to show
        shown = set(model.cube.talks.loc[mask, "cohort"])
        reference = next((c for c in cohorts if c in shown), next(iter(cohorts), None))
    by_cohort = kpis_by_cohort(model, comparable, threshold, visible)
    values, changes, previous = kpi_changes(by_cohort, reference) if reference else ({}, {}, None)
    trends = question_trends(
        model.cube,
        comparable & visible,
        threshold,
        ["satisfaction"] if "satisfaction" in model.cube.counts else [],
    )
    talk_ids = selection.sort_values(["date", "intervention_id"], ascending=False)["intervention_id"].tolist()
    return OverviewFigures(
        interventions=int(selected.sum()),
        unpublished=int((selected & ~visible).sum()),
        unpublished_cohorts=tuple(sorted(set(model.cube.talks.loc[selected & ~visible, "cohort"]))),
        cohorts=cohorts,
        reference=reference,
        previous=previous,
        values=values,
        changes=changes,
        by_cohort=by_cohort,
        trend=trend_series(trends, "satisfaction"),
        coverage=theme_coverage(selection),
        ratings=talk_ratings(model, mask, threshold),
        latest_quotes=store.latest_published_quotes(conn, talk_ids, limit=4),
    )
