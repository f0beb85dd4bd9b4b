"""The home page's assembly: indicators by cohort, their change against the previous cohort,
and the latest published quotes of a selection."""

from __future__ import annotations

import math

import pandas as pd

from insights.analytics.stats import is_suppressed, mean_estimate, nps, response_rate
from insights.domain import ANONYMITY_THRESHOLD, PUBLISHED

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
    interventions: pd.DataFrame,
    response_counts: pd.DataFrame,
    scores: pd.DataFrame,
    cohorts: pd.DataFrame,
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """The overview's indicators for each cohort present in `interventions`.

    Inputs: the selected interventions (`store.load_interventions` columns), the response count
    of each intervention (`intervention_id`, `responses`), the wide scores of
    `scores_by_response` with `satisfaction` and `recommend` columns, and the cohorts with
    their size. Output columns: COHORT_KPI_COLUMNS, one row per cohort, sorted by cohort;
    `satisfaction` (mean /5) and `nps` are NaN when fewer answers than `threshold` back them.
    """
    counts = dict(zip(response_counts["intervention_id"], response_counts["responses"], strict=True))
    sizes = dict(zip(cohorts["cohort"], cohorts["size"], strict=True))
    rows = []
    for cohort, talks in interventions.groupby("cohort", sort=True):
        talk_ids = set(talks["intervention_id"])
        responses = int(sum(counts.get(i, 0) for i in talk_ids))
        cohort_scores = scores[scores["intervention_id"].isin(talk_ids)]
        satisfaction = mean_estimate(cohort_scores["satisfaction"])
        recommend = nps(cohort_scores["recommend"])
        rows.append(
            {
                "cohort": cohort,
                "interventions": len(talks),
                "speakers": len({s for ids in talks["speaker_ids"] for s in ids}),
                "responses": responses,
                "response_rate": response_rate(responses, len(talks) * int(sizes.get(cohort, 0))),
                "satisfaction_n": satisfaction.n,
                "satisfaction": math.nan if is_suppressed(satisfaction.n, threshold) else satisfaction.mean,
                "nps_n": recommend.n,
                "nps": math.nan if is_suppressed(recommend.n, threshold) else recommend.score,
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


def latest_quotes(
    quotes: pd.DataFrame,
    interventions: pd.DataFrame,
    speakers: pd.DataFrame,
    limit: int = 4,
) -> pd.DataFrame:
    """The most recent published quotes from the selected interventions.

    Columns: quote_id, text, name, title, organisation, intervention_title, date, themes.
    """
    published = quotes[quotes["status"] == PUBLISHED]
    talks = interventions[["intervention_id", "title", "date"]].rename(
        columns={"title": "intervention_title"}
    )
    joined = published.merge(talks, on="intervention_id").merge(
        speakers[["speaker_id", "name", "title", "organisation"]], on="speaker_id"
    )
    joined = joined.sort_values(["date", "quote_id"], ascending=[False, True]).head(limit)
    return joined[
        ["quote_id", "text", "name", "title", "organisation", "intervention_title", "date", "themes"]
    ].reset_index(drop=True)
