"""The Enquêtes page: every figure of a selection of talks, summed from the answer counts of the
selected talks (`insights.analytics.cube`): question by question, talk by talk and speaker by
speaker, over time, and what students wrote.

The shared filters select whole talks, so a filter change masks arrays of a few hundred rows
instead of reading answers again. Suppressed rows (see `insights.analytics.stats`) keep their
labels and lose their figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights.analytics.cube import SurveyCube, shorten
from insights.analytics.stats import (
    LIKERT_VALUES,
    NPS_COLUMNS,
    STAT_COLUMNS,
    MeanEstimate,
    NpsBreakdown,
    estimate_from_counts,
    hide,
    likert_columns,
    likert_table,
    nps_columns,
    nps_from_counts,
    suppress,
    welch_interval,
)
from insights.domain import ANONYMITY_THRESHOLD, FORMATS, PILLARS

# ---------------------------------------------------------------------------------------------
# The figures of a selection


@dataclass(frozen=True)
class SelectionSummary:
    """The headline of a selection: talks, responses, response rate, mean of the first Likert
    question and NPS (`None` when the catalogue lacks the question; suppressed figures NaN)."""

    interventions: int
    responses: int
    expected: int
    response_rate: float
    suppressed: bool
    satisfaction: MeanEstimate | None
    recommend: NpsBreakdown | None


def selection_summary(
    cube: SurveyCube, mask: np.ndarray, threshold: int = ANONYMITY_THRESHOLD
) -> SelectionSummary:
    """The selection's headline figures; below `threshold` responses only the talk count shows."""
    responses = int(cube.responses[mask].sum())
    expected = int(cube.column["cohort_size"][mask].sum())
    hidden = responses < threshold
    likert, nps_ids = cube.question_ids("likert5"), cube.question_ids("nps")
    satisfaction = recommend = None
    if likert:
        question = "satisfaction" if "satisfaction" in likert else likert[0]
        estimate = estimate_from_counts(LIKERT_VALUES, cube.counts[question][mask].sum(axis=0))
        satisfaction = MeanEstimate(0, math.nan, math.nan, math.nan) if estimate.n < threshold else estimate
    if nps_ids:
        question = "recommend" if "recommend" in nps_ids else nps_ids[0]
        recommend = nps_from_counts(cube.counts[question][mask].sum(axis=0))
        if recommend.n < threshold:
            recommend = NpsBreakdown(0, 0, 0, 0)
    return SelectionSummary(
        interventions=int(mask.sum()),
        responses=responses,
        expected=expected,
        response_rate=math.nan if hidden or expected == 0 else responses / expected,
        suppressed=hidden,
        satisfaction=satisfaction,
        recommend=recommend,
    )


LIKERT_DISTRIBUTION_COLUMNS = ["question_id", "label", *STAT_COLUMNS, "suppressed"]


def likert_distribution(
    cube: SurveyCube,
    mask: np.ndarray,
    threshold: int = ANONYMITY_THRESHOLD,
    question_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The answers of the selection to each Likert question: counts and shares of levels 1–5,
    n, mean and 95% interval, `agree` (share of 4 and 5).

    Columns: LIKERT_DISTRIBUTION_COLUMNS, one row per question in catalogue order.
    """
    questions = list(question_ids) if question_ids is not None else cube.question_ids("likert5")
    counts = np.array([cube.counts[q][mask].sum(axis=0) for q in questions], dtype="int64").reshape(
        -1, len(LIKERT_VALUES)
    )
    table = likert_table(counts, threshold)
    table.insert(0, "label", [cube.label(q) for q in questions])
    table.insert(0, "question_id", questions)
    return table[LIKERT_DISTRIBUTION_COLUMNS]


TALK_COLUMNS = ["intervention_id", "title", "date", "cohort", "format", "label", "low_participation"]
TALK_DISTRIBUTION_COLUMNS = [*TALK_COLUMNS, *STAT_COLUMNS, "suppressed"]


def talk_columns(cube: SurveyCube, positions: np.ndarray) -> dict[str, np.ndarray]:
    """The TALK_COLUMNS of the talks at `positions`."""
    return {name: cube.column[name][positions] for name in TALK_COLUMNS}


def talk_distribution(
    cube: SurveyCube, mask: np.ndarray, question_id: str, threshold: int = ANONYMITY_THRESHOLD
) -> pd.DataFrame:
    """Each selected talk's answers to one Likert question (as `likert_distribution`).

    Columns: TALK_DISTRIBUTION_COLUMNS. Sorted by mean (best first, ties by n then date),
    suppressed talks last.
    """
    positions = np.flatnonzero(mask)
    frame = pd.DataFrame(
        {**talk_columns(cube, positions), **likert_columns(cube.counts[question_id][positions], threshold)}
    )
    return sort_rows(frame, "mean")[TALK_DISTRIBUTION_COLUMNS]


def sort_rows(frame: pd.DataFrame, by: str, tie: str = "date", tie_ascending: bool = False) -> pd.DataFrame:
    """Shown rows by `by` descending (ties: more answers, then `tie`), suppressed rows last."""
    key = frame.assign(
        _hidden=frame["suppressed"].astype(int),
        _value=frame[by].astype("float64").fillna(-math.inf),
        _n=frame["n"].astype("Float64").fillna(-1).astype("float64"),
    )
    ordered = key.sort_values(
        ["_hidden", "_value", "_n", tie], ascending=[True, False, False, tie_ascending], kind="stable"
    )
    return ordered.drop(columns=["_hidden", "_value", "_n"]).reset_index(drop=True)


NPS_TALK_COLUMNS = [*TALK_COLUMNS, *NPS_COLUMNS, "suppressed"]


def nps_by_talk(
    cube: SurveyCube, mask: np.ndarray, question_id: str, threshold: int = ANONYMITY_THRESHOLD
) -> pd.DataFrame:
    """Promoters, passives, detractors and NPS (with its 95% interval) of each selected talk.

    Columns: NPS_TALK_COLUMNS. Sorted by score, best first; suppressed talks last.
    """
    positions = np.flatnonzero(mask)
    frame = pd.DataFrame(
        {**talk_columns(cube, positions), **nps_columns(cube.counts[question_id][positions], threshold)}
    )
    return sort_rows(frame, "score")[NPS_TALK_COLUMNS]


NPS_SPEAKER_COLUMNS = [
    "speaker_id",
    "name",
    "organisation",
    "label",
    "interventions",
    *NPS_COLUMNS,
    "suppressed",
]


def nps_by_speaker(
    cube: SurveyCube, mask: np.ndarray, question_id: str, threshold: int = ANONYMITY_THRESHOLD
) -> pd.DataFrame:
    """NPS of each speaker over their selected talks (a talk given by two speakers counts for both).

    Columns: NPS_SPEAKER_COLUMNS (`interventions`: their selected talks). Sorted by score, best
    first; suppressed speakers last.
    """
    rows, counts = cube.speaker_counts(question_id, mask)
    speakers = cube.speakers.iloc[rows]
    names = speakers["name"].to_numpy(dtype=object)
    organisations = speakers["organisation"].fillna("").to_numpy(dtype=object)
    frame = pd.DataFrame(
        {
            "speaker_id": speakers["speaker_id"].to_numpy(dtype=object),
            "name": names,
            "organisation": organisations,
            "label": [
                f"{name} ({shorten(organisation, 28)})" if organisation else name
                for name, organisation in zip(names, organisations, strict=True)
            ],
            "interventions": cube.speaker_talks[rows][:, mask].sum(axis=1).astype("int64"),
            **nps_columns(counts, threshold),
        }
    )
    return sort_rows(frame, "score", tie="name", tie_ascending=True)[NPS_SPEAKER_COLUMNS]


PILLAR_COLUMNS = [
    "question_id",
    "label",
    "n",
    "mean",
    "low",
    "high",
    "suppressed",
    "programme_n",
    "programme_mean",
    "programme_low",
    "programme_high",
]


def pillar_profile(
    cube: SurveyCube,
    target: np.ndarray,
    threshold: int = ANONYMITY_THRESHOLD,
    programme: np.ndarray | None = None,
) -> pd.DataFrame:
    """The four fundamentals for a talk (or any set of talks, `target`) against the whole
    programme's average: every talk, filters aside, or the talks of `programme` (the ones whose
    results may be shown).

    Columns: PILLAR_COLUMNS, one row per fundamental present in the catalogue.
    """
    pillars = cube.pillar_ids()
    universe = np.ones(len(cube.talks), dtype=bool) if programme is None else programme
    own = likert_distribution(cube, target, threshold, pillars)
    programme_figures = likert_distribution(cube, universe, threshold, pillars)
    frame = own[["question_id", "n", "mean", "low", "high", "suppressed"]].copy()
    frame.insert(1, "label", [PILLARS[q] for q in pillars])
    for column in ("n", "mean", "low", "high"):
        frame[f"programme_{column}"] = programme_figures[column].to_numpy()
    return frame[PILLAR_COLUMNS]


CHOICE_COLUMNS = ["format", "option", "answers", "share", "n", "suppressed"]


def choice_by_format(
    cube: SurveyCube, mask: np.ndarray, question_id: str, threshold: int = ANONYMITY_THRESHOLD
) -> pd.DataFrame:
    """The share of each option of a choice question ("la partie la plus utile") by talk format.

    Columns: CHOICE_COLUMNS, one row per format × option (formats in FORMATS order, then any
    other); `n` is the format's number of answers; formats under `threshold` suppressed.
    """
    formats = cube.column["format"]
    present = list(dict.fromkeys(formats[mask]))
    ordered = [f for f in FORMATS if f in present] + sorted(f for f in present if f not in FORMATS)
    options = cube.levels[question_id]
    rows = []
    for name in ordered:
        counts = cube.counts[question_id][mask & (formats == name)].sum(axis=0)
        n = int(counts.sum())
        hidden = n < threshold
        for option, count in zip(options, counts, strict=True):
            rows.append(
                {
                    "format": name,
                    "option": option,
                    "answers": pd.NA if hidden else int(count),
                    "share": math.nan if hidden else count / n,
                    "n": pd.NA if hidden else n,
                    "suppressed": hidden,
                }
            )
    frame = pd.DataFrame(rows, columns=CHOICE_COLUMNS)
    return frame.astype({"answers": "Int64", "n": "Int64", "share": "float64", "suppressed": bool})


TREND_COLUMNS = ["question_id", "label", "cohort", "semester", "n", "mean", "low", "high", "suppressed"]


def question_trends(
    cube: SurveyCube,
    mask: np.ndarray,
    threshold: int = ANONYMITY_THRESHOLD,
    question_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each Likert question's mean by cohort and semester over the selection.

    Columns: TREND_COLUMNS; one row per question × (cohort, semester) present in the selection,
    sorted by question (catalogue order), cohort, semester.
    """
    questions = list(question_ids) if question_ids is not None else cube.question_ids("likert5")
    cohorts, semesters = cube.column["cohort"], cube.column["semester"]
    keys = sorted(set(zip(cohorts[mask], semesters[mask], strict=True)))
    group_masks = [mask & (cohorts == c) & (semesters == s) for c, s in keys]
    if not questions or not keys:
        return pd.DataFrame(columns=TREND_COLUMNS)
    counts = np.array(
        [cube.counts[question][g].sum(axis=0) for question in questions for g in group_masks], dtype="int64"
    ).reshape(-1, len(LIKERT_VALUES))
    table = likert_table(counts, threshold)[["n", "mean", "low", "high", "suppressed"]]
    groups = len(group_masks)
    table.insert(0, "semester", np.tile(np.array([s for _, s in keys], dtype=object), len(questions)))
    table.insert(0, "cohort", np.tile(np.array([c for c, _ in keys], dtype=object), len(questions)))
    table.insert(0, "label", np.repeat([cube.label(q) for q in questions], groups))
    table.insert(0, "question_id", np.repeat(questions, groups))
    return table[TREND_COLUMNS]


def trend_series(trends: pd.DataFrame, question_id: str) -> pd.DataFrame:
    """One question of `question_trends` in the shape `charts.survey_trends.mean_trend_figure` draws (columns
    cohort, series, n, mean, low, high), the semester as series."""
    rows = trends[trends["question_id"] == question_id]
    return pd.DataFrame(
        {
            "cohort": rows["cohort"].to_numpy(),
            "series": rows["semester"].to_numpy(),
            "n": rows["n"].to_numpy(),
            "mean": rows["mean"].to_numpy(dtype="float64"),
            "low": rows["low"].to_numpy(dtype="float64"),
            "high": rows["high"].to_numpy(dtype="float64"),
        }
    ).sort_values(["series", "cohort"], ignore_index=True)


RESPONSE_RATE_COLUMNS = [*TALK_COLUMNS, "semester", "responses", "cohort_size", "rate", "suppressed"]


def response_rates(cube: SurveyCube, mask: np.ndarray, threshold: int = ANONYMITY_THRESHOLD) -> pd.DataFrame:
    """Each selected talk's responses over its cohort's size.

    Columns: RESPONSE_RATE_COLUMNS, in date order; talks under `threshold` responses suppressed
    (their count and rate missing).
    """
    positions = np.flatnonzero(mask)
    responses = cube.responses[positions]
    sizes = cube.column["cohort_size"][positions]
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(sizes > 0, responses / np.maximum(sizes, 1), np.nan)
    columns = {
        **talk_columns(cube, positions),
        "semester": cube.column["semester"][positions],
        "responses": responses,
        "cohort_size": sizes.astype("int64"),
        "rate": rates,
    }
    return pd.DataFrame(hide(columns, responses < threshold, ["responses", "rate"]))[RESPONSE_RATE_COLUMNS]


COMPARISON_COLUMNS = [
    "question_id",
    "label",
    "reference",
    "n",
    "mean",
    "low",
    "high",
    "reference_n",
    "reference_mean",
    "reference_low",
    "reference_high",
    "difference",
    "difference_low",
    "difference_high",
    "suppressed",
]
PROGRAMME_REFERENCE = "Reste du programme"


def comparison_references(
    cube: SurveyCube, target: np.ndarray, programme: np.ndarray | None = None
) -> list[tuple[str, np.ndarray]]:
    """The groups a target is compared with: the rest of the programme (every other talk, or every
    other talk of `programme`) and the other talks of the same format(s)."""
    universe = np.ones(len(cube.talks), dtype=bool) if programme is None else programme
    formats = cube.column["format"]
    own_formats = sorted(set(formats[target]))
    same_format = np.isin(formats, own_formats) & ~target & universe
    label = "Même format" + (f" ({', '.join(own_formats)})" if own_formats else "")
    return [(PROGRAMME_REFERENCE, ~target & universe), (label, same_format)]


def compare_with_references(
    cube: SurveyCube,
    target: np.ndarray,
    threshold: int = ANONYMITY_THRESHOLD,
    question_ids: Sequence[str] | None = None,
    programme: np.ndarray | None = None,
) -> pd.DataFrame:
    """A talk or a speaker (`target`, a set of talks) against the rest of the programme and
    against the other talks of the same format, question by question: each side's n, mean and
    95% interval, and the difference with its Welch 95% interval.

    Columns: COMPARISON_COLUMNS, one row per Likert question × reference. A row is suppressed
    when either side has fewer answers than `threshold`.
    """
    questions = list(question_ids) if question_ids is not None else cube.question_ids("likert5")
    values = np.asarray(LIKERT_VALUES, dtype="float64")
    rows = []
    for reference, reference_mask in comparison_references(cube, target, programme):
        for question in questions:
            own = cube.counts[question][target].sum(axis=0)
            other = cube.counts[question][reference_mask].sum(axis=0)
            a, b = estimate_from_counts(values, own), estimate_from_counts(values, other)
            low, high = welch_interval(values, own, other)
            rows.append(
                {
                    "question_id": question,
                    "label": cube.label(question),
                    "reference": reference,
                    "n": a.n,
                    "mean": a.mean,
                    "low": a.low,
                    "high": a.high,
                    "reference_n": b.n,
                    "reference_mean": b.mean,
                    "reference_low": b.low,
                    "reference_high": b.high,
                    "difference": a.mean - b.mean,
                    "difference_low": low,
                    "difference_high": high,
                    "hidden": min(a.n, b.n) < threshold,
                }
            )
    frame = pd.DataFrame(rows, columns=[*COMPARISON_COLUMNS[:-1], "hidden"])
    figures = COMPARISON_COLUMNS[3:-1]
    hidden = frame["hidden"].to_numpy(dtype=bool)
    frame = frame.drop(columns=["hidden"]).astype({"n": "int64", "reference_n": "int64"})
    return suppress(frame, hidden, figures)[COMPARISON_COLUMNS]
