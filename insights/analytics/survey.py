"""Survey insights for the "Enquêtes" page: answer counts of every intervention, built once per
data version, and every figure of the page computed from them for a selection of interventions.

The shared filters select whole interventions, so each figure is a sum of per-intervention
counts: a filter change masks an array of a few hundred rows instead of re-reading the answers.
Free-text answers are aggregated the same way (answers mentioning each term, per intervention),
in a second, lazily built structure (`SurveyTexts`).

Anonymity: any group backed by fewer answers than the threshold is *suppressed*: its row keeps
its labels and `suppressed=True`, every figure of it is missing (NA), and figure builders leave
it out.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from insights import exporting, store
from insights.analytics.stats import MeanEstimate, NpsBreakdown, t_critical_95
from insights.domain import (
    ANONYMITY_THRESHOLD,
    FORMATS,
    LIKERT_LABELS,
    PILLARS,
    SHORT_QUESTION_LABELS,
    split_list,
)
from insights.language import text as french

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
_STAT_COLUMNS = ["n", "mean", "low", "high", *SHARE_COLUMNS, *COUNT_COLUMNS, "agree"]
_NPS_COLUMNS = [
    "n",
    *NPS_GROUPS,
    *(f"share_{g}" for g in NPS_GROUPS),
    "score",
    "low",
    "high",
]
CLOSED_TYPES: tuple[str, ...] = ("likert5", "nps", "choice")


# ---------------------------------------------------------------------------------------------
# Estimates from counts


def estimate_from_counts(values: Sequence[float], counts: Sequence[int] | np.ndarray) -> MeanEstimate:
    """The mean and Student 95% interval of answers given as a histogram (`counts[i]` answers of
    `values[i]`): the same figures as `metrics.mean_estimate` on the answers themselves."""
    n, mean, low, high = _moments(np.asarray(values, dtype="float64"), np.asarray(counts)[None, :])
    return MeanEstimate(int(n[0]), float(mean[0]), float(low[0]), float(high[0]))


def _moments(values: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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


def _likert_table(counts: np.ndarray, threshold: int) -> pd.DataFrame:
    """The distribution figures of each row of Likert counts (groups × 5), suppressed below
    `threshold`. Columns: _STAT_COLUMNS and suppressed."""
    return pd.DataFrame(_likert_columns(counts, threshold))


def _likert_columns(counts: np.ndarray, threshold: int) -> dict[str, Any]:
    counts = counts.reshape(-1, len(LIKERT_VALUES))
    n, mean, low, high = _moments(np.asarray(LIKERT_VALUES, dtype="float64"), counts)
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
    return _hide(columns, n < threshold, _STAT_COLUMNS)


def nps_interval(breakdown: NpsBreakdown) -> tuple[float, float]:
    """An approximate 95% interval of an NPS score (normal approximation of the difference of two
    proportions of one sample), clipped to −100…100; NaN below two answers."""
    low, high = _nps_intervals(
        np.array([breakdown.n]), np.array([breakdown.promoters]), np.array([breakdown.detractors])
    )
    return float(low[0]), float(high[0])


def _nps_intervals(
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


def _nps_columns(counts: np.ndarray, threshold: int) -> dict[str, Any]:
    """NPS figures of each row of 0–10 counts (groups × 11), suppressed below `threshold`."""
    counts = counts.reshape(-1, len(NPS_VALUES)).astype("int64")
    n = counts.sum(axis=1)
    detractors, passives, promoters = (
        counts[:, :7].sum(axis=1),
        counts[:, 7:9].sum(axis=1),
        counts[:, 9:].sum(axis=1),
    )
    low, high = _nps_intervals(n, promoters, detractors)
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
    return _hide(columns, n < threshold, _NPS_COLUMNS)


def _hide(columns: dict[str, Any], hidden: np.ndarray, names: Sequence[str]) -> dict[str, Any]:
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


def _suppress(frame: pd.DataFrame, hidden: np.ndarray, names: Sequence[str]) -> pd.DataFrame:
    """`_hide` on a frame."""
    columns = {name: frame[name].array for name in frame.columns}
    return pd.DataFrame(_hide(columns, hidden, names), index=frame.index)


# ---------------------------------------------------------------------------------------------
# The answer counts of every intervention


@dataclass(frozen=True, eq=False)
class SurveyCube:
    """Closed answers counted per intervention: the basis of every survey figure.

    `talks`: the interventions (`store.load_interventions` columns plus `cohort_size`), row i at
    position i, in date order. `questions`: the catalogue (`store.load_questions`). `counts[q]`:
    (talks × levels) answer counts of closed question q, whose level values are `levels[q]`
    (1–5 for likert5, 0–10 for nps, the options for choice). `responses`: responses per talk.
    `speakers`: `store.load_speakers`; `speaker_talks`: (speakers × talks) booleans.
    `column[name]`: the talks' attributes as numpy arrays (intervention_id, title, date, cohort,
    semester, format, label, cohort_size), which a filter change reads without pandas.
    """

    talks: pd.DataFrame
    questions: pd.DataFrame
    speakers: pd.DataFrame
    responses: np.ndarray
    counts: Mapping[str, np.ndarray]
    levels: Mapping[str, tuple[Any, ...]]
    speaker_talks: np.ndarray
    positions: Mapping[str, int] = field(default_factory=dict)
    column: Mapping[str, np.ndarray] = field(default_factory=dict)
    by_type: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    long_labels: Mapping[str, str] = field(default_factory=dict)

    def mask(self, intervention_ids: Iterable[str]) -> np.ndarray:
        """Booleans over `talks`: True for the given interventions (unknown ids are ignored)."""
        selected = np.zeros(len(self.talks), dtype=bool)
        index = [self.positions[i] for i in intervention_ids if i in self.positions]
        selected[index] = True
        return selected

    def speaker_mask(self, speaker_id: str) -> np.ndarray:
        """Booleans over `talks`: the talks given by the speaker."""
        rows = np.flatnonzero(self.speakers["speaker_id"].to_numpy(dtype=object) == speaker_id)
        if rows.size == 0:
            return np.zeros(len(self.talks), dtype=bool)
        return self.speaker_talks[rows[0]].copy()

    def question_ids(self, question_type: str) -> list[str]:
        """The catalogue's questions of one type (likert5, nps, choice, text), in catalogue order."""
        return list(self.by_type.get(question_type, ()))

    def label(self, question_id: str) -> str:
        """A short French label of a question, for axes and legends."""
        if question_id in SHORT_QUESTION_LABELS:
            return SHORT_QUESTION_LABELS[question_id]
        return _shorten(self.long_label(question_id), 40)

    def long_label(self, question_id: str) -> str:
        """The question as the catalogue words it."""
        return self.long_labels.get(question_id, question_id)

    def pillar_ids(self) -> list[str]:
        """The four fundamentals present in the catalogue as Likert questions."""
        likert = set(self.question_ids("likert5"))
        return [q for q in PILLARS if q in likert]


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def build_cube(
    interventions: pd.DataFrame,
    cohorts: pd.DataFrame,
    speakers: pd.DataFrame,
    questions: pd.DataFrame,
    answer_counts: pd.DataFrame,
    response_counts: pd.DataFrame,
) -> SurveyCube:
    """Assemble a SurveyCube from the store's frames (`store.load_interventions`,
    `load_cohorts`, `load_speakers`, `load_questions`, `answer_counts`, `response_counts`).

    Answers outside a question's scale (a Likert 7, an unknown option) are left out.
    """
    talks = interventions.sort_values(["date", "intervention_id"]).reset_index(drop=True)
    sizes = dict(zip(cohorts["cohort"], cohorts["size"], strict=True))
    talks = talks.assign(cohort_size=[int(sizes.get(c, 0)) for c in talks["cohort"]])
    positions = {talk_id: i for i, talk_id in enumerate(talks["intervention_id"])}
    t = len(talks)

    responses = np.zeros(t, dtype="int64")
    for talk_id, count in zip(response_counts["intervention_id"], response_counts["responses"], strict=True):
        if talk_id in positions:
            responses[positions[talk_id]] = int(count)

    levels: dict[str, tuple[Any, ...]] = {}
    for row in questions.itertuples(index=False):
        if row.type == "likert5":
            levels[row.question_id] = LIKERT_VALUES
        elif row.type == "nps":
            levels[row.question_id] = NPS_VALUES
        elif row.type == "choice":
            options = split_list(row.options)
            given = answer_counts.loc[answer_counts["question_id"] == row.question_id, "value_text"]
            extra = sorted({str(v) for v in given.dropna() if str(v) and str(v) not in options})
            levels[row.question_id] = (*options, *extra)

    counts = {q: np.zeros((t, len(values)), dtype="int64") for q, values in levels.items()}
    level_index = {q: {value: i for i, value in enumerate(values)} for q, values in levels.items()}
    for row in answer_counts.itertuples(index=False):
        if row.question_id not in counts or row.intervention_id not in positions:
            continue
        if isinstance(levels[row.question_id][0], str):
            key: Any = row.value_text
        else:
            number = row.value_num
            key = int(number) if number == number and float(number).is_integer() else None
        column = level_index[row.question_id].get(key)
        if column is not None:
            counts[row.question_id][positions[row.intervention_id], column] += int(row.answers)

    speaker_ids = speakers["speaker_id"].tolist()
    speaker_row = {s: i for i, s in enumerate(speaker_ids)}
    speaker_talks = np.zeros((len(speaker_ids), t), dtype=bool)
    for position, ids in enumerate(talks["speaker_ids"]):
        for speaker_id in ids:
            if speaker_id in speaker_row:
                speaker_talks[speaker_row[speaker_id], position] = True

    column = {
        name: talks[name].to_numpy(dtype=object)
        for name in ("intervention_id", "title", "date", "cohort", "semester", "format")
    }
    column["label"] = np.array(
        [talk_label(t, d) for t, d in zip(column["title"], column["date"], strict=True)], dtype=object
    )
    column["cohort_size"] = talks["cohort_size"].to_numpy(dtype="int64")
    by_type: dict[str, list[str]] = {}
    for question_id, kind in zip(questions["question_id"], questions["type"], strict=True):
        by_type.setdefault(kind, []).append(question_id)

    for array in [responses, speaker_talks, *counts.values(), *column.values()]:
        array.setflags(write=False)
    return SurveyCube(
        talks=talks,
        questions=questions.reset_index(drop=True),
        speakers=speakers.reset_index(drop=True),
        responses=responses,
        counts=counts,
        levels=levels,
        speaker_talks=speaker_talks,
        positions=positions,
        column=column,
        by_type={kind: tuple(ids) for kind, ids in by_type.items()},
        long_labels=dict(zip(questions["question_id"], questions["label"].astype(str), strict=True)),
    )


def load_cube(conn: sqlite3.Connection) -> SurveyCube:
    """Count the closed answers of every intervention (seconds at a million responses; meant
    to be cached by data version)."""
    questions = store.load_questions(conn)
    closed = questions.loc[questions["type"].isin(CLOSED_TYPES), "question_id"].tolist()
    return build_cube(
        store.load_interventions(conn),
        store.load_cohorts(conn),
        store.load_speakers(conn),
        questions,
        store.answer_counts(conn, closed),
        store.response_counts(conn),
    )


def _talk_columns(cube: SurveyCube, positions: np.ndarray) -> dict[str, np.ndarray]:
    return {name: cube.column[name][positions] for name in TALK_COLUMNS}


def talk_label(title: str, date: str, width: int = 48) -> str:
    """A talk as axes show it: its title shortened, and its date (titles repeat across years)."""
    day = f"{date[8:10]}/{date[5:7]}/{date[:4]}" if len(date) >= 10 else date
    return f"{_shorten(title, width)} · {day}"


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
        row = cube.counts[question][mask].sum(axis=0)
        recommend = NpsBreakdown(int(row.sum()), int(row[9:].sum()), int(row[7:9].sum()), int(row[:7].sum()))
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


LIKERT_DISTRIBUTION_COLUMNS = ["question_id", "label", *_STAT_COLUMNS, "suppressed"]


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
    table = _likert_table(counts, threshold)
    table.insert(0, "label", [cube.label(q) for q in questions])
    table.insert(0, "question_id", questions)
    return table[LIKERT_DISTRIBUTION_COLUMNS]


TALK_COLUMNS = ["intervention_id", "title", "date", "cohort", "format", "label"]
TALK_DISTRIBUTION_COLUMNS = [*TALK_COLUMNS, *_STAT_COLUMNS, "suppressed"]


def talk_distribution(
    cube: SurveyCube, mask: np.ndarray, question_id: str, threshold: int = ANONYMITY_THRESHOLD
) -> pd.DataFrame:
    """Each selected talk's answers to one Likert question (as `likert_distribution`).

    Columns: TALK_DISTRIBUTION_COLUMNS. Sorted by mean (best first, ties by n then date),
    suppressed talks last.
    """
    positions = np.flatnonzero(mask)
    frame = pd.DataFrame(
        {**_talk_columns(cube, positions), **_likert_columns(cube.counts[question_id][positions], threshold)}
    )
    return _sort_rows(frame, "mean")[TALK_DISTRIBUTION_COLUMNS]


def _sort_rows(frame: pd.DataFrame, by: str, tie: str = "date", tie_ascending: bool = False) -> pd.DataFrame:
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


NPS_TALK_COLUMNS = [*TALK_COLUMNS, *_NPS_COLUMNS, "suppressed"]


def nps_by_talk(
    cube: SurveyCube, mask: np.ndarray, question_id: str, threshold: int = ANONYMITY_THRESHOLD
) -> pd.DataFrame:
    """Promoters, passives, detractors and NPS (with its 95% interval) of each selected talk.

    Columns: NPS_TALK_COLUMNS. Sorted by score, best first; suppressed talks last.
    """
    positions = np.flatnonzero(mask)
    frame = pd.DataFrame(
        {**_talk_columns(cube, positions), **_nps_columns(cube.counts[question_id][positions], threshold)}
    )
    return _sort_rows(frame, "score")[NPS_TALK_COLUMNS]


NPS_SPEAKER_COLUMNS = [
    "speaker_id",
    "name",
    "organisation",
    "label",
    "interventions",
    *_NPS_COLUMNS,
    "suppressed",
]


def nps_by_speaker(
    cube: SurveyCube, mask: np.ndarray, question_id: str, threshold: int = ANONYMITY_THRESHOLD
) -> pd.DataFrame:
    """NPS of each speaker over their selected talks (a talk given by two speakers counts for both).

    Columns: NPS_SPEAKER_COLUMNS (`interventions`: their selected talks). Sorted by score, best
    first; suppressed speakers last.
    """
    incidence = cube.speaker_talks[:, mask]
    rows = np.flatnonzero(incidence.any(axis=1))
    counts = incidence[rows].astype("int64") @ cube.counts[question_id][mask]
    speakers = cube.speakers.iloc[rows]
    names = speakers["name"].to_numpy(dtype=object)
    organisations = speakers["organisation"].fillna("").to_numpy(dtype=object)
    frame = pd.DataFrame(
        {
            "speaker_id": speakers["speaker_id"].to_numpy(dtype=object),
            "name": names,
            "organisation": organisations,
            "label": [
                f"{name} ({_shorten(organisation, 28)})" if organisation else name
                for name, organisation in zip(names, organisations, strict=True)
            ],
            "interventions": incidence[rows].sum(axis=1).astype("int64"),
            **_nps_columns(counts, threshold),
        }
    )
    return _sort_rows(frame, "score", tie="name", tie_ascending=True)[NPS_SPEAKER_COLUMNS]


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
    cube: SurveyCube, target: np.ndarray, threshold: int = ANONYMITY_THRESHOLD
) -> pd.DataFrame:
    """The four fundamentals for a talk (or any set of talks, `target`) against the whole
    programme's average (every talk, filters aside).

    Columns: PILLAR_COLUMNS, one row per fundamental present in the catalogue.
    """
    pillars = cube.pillar_ids()
    everything = np.ones(len(cube.talks), dtype=bool)
    own = likert_distribution(cube, target, threshold, pillars)
    programme = likert_distribution(cube, everything, threshold, pillars)
    frame = own[["question_id", "n", "mean", "low", "high", "suppressed"]].copy()
    frame.insert(1, "label", [PILLARS[q] for q in pillars])
    for column in ("n", "mean", "low", "high"):
        frame[f"programme_{column}"] = programme[column].to_numpy()
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
    table = _likert_table(counts, threshold)[["n", "mean", "low", "high", "suppressed"]]
    groups = len(group_masks)
    table.insert(0, "semester", np.tile(np.array([s for _, s in keys], dtype=object), len(questions)))
    table.insert(0, "cohort", np.tile(np.array([c for c, _ in keys], dtype=object), len(questions)))
    table.insert(0, "label", np.repeat([cube.label(q) for q in questions], groups))
    table.insert(0, "question_id", np.repeat(questions, groups))
    return table[TREND_COLUMNS]


def trend_series(trends: pd.DataFrame, question_id: str) -> pd.DataFrame:
    """One question of `question_trends` in the shape `charts.mean_trend_figure` draws (columns
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
        **_talk_columns(cube, positions),
        "semester": cube.column["semester"][positions],
        "responses": responses,
        "cohort_size": sizes.astype("int64"),
        "rate": rates,
    }
    return pd.DataFrame(_hide(columns, responses < threshold, ["responses", "rate"]))[RESPONSE_RATE_COLUMNS]


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


def comparison_references(cube: SurveyCube, target: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """The groups a target is compared with: the rest of the programme (every other talk) and
    the other talks of the same format(s)."""
    formats = cube.column["format"]
    own_formats = sorted(set(formats[target]))
    same_format = np.isin(formats, own_formats) & ~target
    label = "Même format" + (f" ({', '.join(own_formats)})" if own_formats else "")
    return [(PROGRAMME_REFERENCE, ~target), (label, same_format)]


def compare_with_references(
    cube: SurveyCube,
    target: np.ndarray,
    threshold: int = ANONYMITY_THRESHOLD,
    question_ids: Sequence[str] | None = None,
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
    for reference, reference_mask in comparison_references(cube, target):
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
    return _suppress(frame, hidden, figures)[COMPARISON_COLUMNS]


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


# ---------------------------------------------------------------------------------------------
# Free-text answers


@dataclass(frozen=True, eq=False)
class SurveyTexts:
    """Free-text answers of every intervention, counted by term, and the comments themselves.

    `question_ids`: the text questions (axis 0 of `mentions` and `answered`). `stems` and
    `words`: the vocabulary (French stems, and the surface word most often written for each).
    `mentions[q, t, v]`: answers to question q of talk t mentioning term v; `answered[q, t]`:
    non-empty answers. The comments: `comment_talk`, `comment_question` and `comment_text`
    (an index into `texts`), latest talk first, then by question, then latest answer first. `text_terms` lists each distinct
    text's term indices (CSR: `text_term_offsets`). The comments of talk t to question q are
    rows `comment_offsets[k]` to `comment_offsets[k + 1]`, k = (talks − 1 − t) × questions + q.
    """

    question_ids: tuple[str, ...]
    stems: np.ndarray
    words: np.ndarray
    mentions: np.ndarray
    answered: np.ndarray
    comment_talk: np.ndarray
    comment_question: np.ndarray
    comment_text: np.ndarray
    texts: np.ndarray
    text_term_offsets: np.ndarray
    text_terms: np.ndarray
    comment_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype="int64"))

    def term_index(self, stem: str) -> int | None:
        found = np.flatnonzero(self.stems == stem)
        return int(found[0]) if found.size else None


SURVEY_STOPWORDS: frozenset[str] = french.FRENCH_STOPWORDS | frozenset(
    french.fold(word)
    for word in [
        "faut",
        "falloir",
        "jamais",
        "seulement",
        "vraiment",
        "toujours",
        "souvent",
        "beaucoup",
        "assez",
        "plutôt",
        "surtout",
        "faire",
        "fait",
        "fais",
        "font",
        "peut",
        "peux",
        "peuvent",
        "pouvoir",
        "chose",
        "choses",
        "bon",
        "bonne",
    ]
)
"""Stop words of the term counts: the pipeline's, plus adverbs and light verbs that fill survey
answers without saying what they are about."""


def text_terms(text: str) -> list[tuple[str, str]]:
    """The content words of a free-text answer as (stem, surface word in lower case).

    Stop words (SURVEY_STOPWORDS), single letters and numbers are left out; the stem is
    `insights.text.stem`, so accents, case and plurals fold together.
    """
    result = []
    for token in french.tokenize_spans(text):
        if token.word in SURVEY_STOPWORDS or len(token.word) < 2 or token.word.isdigit():
            continue
        result.append((french.stem(token.word), text[token.start : token.end].lower()))
    return result


def representative_word(spellings: Counter[str]) -> str:
    """The word shown for a term, from how often each spelling of it was written: the most
    written word once accents are set aside, in its accented spelling when someone wrote one
    (accents get left out far more often than added), else its most written spelling."""
    by_word: Counter[str] = Counter()
    for spelling, count in spellings.items():
        by_word[french.fold(spelling)] += count
    word = min(by_word.items(), key=lambda item: (-item[1], item[0]))[0]
    candidates = [(count, spelling) for spelling, count in spellings.items() if french.fold(spelling) == word]
    return min(candidates, key=lambda item: (item[1].isascii(), -item[0], item[1]))[1]


def build_texts(
    talk_count: int,
    question_ids: Sequence[str],
    answers: Iterable[Sequence[tuple[int, int, str]]],
) -> SurveyTexts:
    """Count terms of free-text answers given in batches of (talk position, question index, text)."""
    codes: dict[str, int] = {}
    talk_parts, question_parts, text_parts = [], [], []
    for batch in answers:
        talk_parts.append(np.fromiter((a[0] for a in batch), dtype="int32", count=len(batch)))
        question_parts.append(np.fromiter((a[1] for a in batch), dtype="int8", count=len(batch)))
        text_parts.append(
            np.fromiter((codes.setdefault(a[2], len(codes)) for a in batch), dtype="int32", count=len(batch))
        )
    comment_talk = np.concatenate(talk_parts) if talk_parts else np.zeros(0, dtype="int32")
    comment_question = np.concatenate(question_parts) if question_parts else np.zeros(0, dtype="int8")
    comment_text = np.concatenate(text_parts) if text_parts else np.zeros(0, dtype="int32")
    texts = np.array(list(codes), dtype=object)
    uses = np.bincount(comment_text, minlength=len(texts))

    vocabulary: dict[str, int] = {}
    surfaces: list[Counter[str]] = []
    offsets = np.zeros(len(texts) + 1, dtype="int64")
    term_lists: list[list[int]] = []
    for code, text in enumerate(texts):
        seen: dict[int, None] = {}
        for stem, surface in text_terms(text):
            index = vocabulary.setdefault(stem, len(vocabulary))
            if index == len(surfaces):
                surfaces.append(Counter())
            surfaces[index][surface] += int(uses[code])
            seen[index] = None
        term_lists.append(list(seen))
        offsets[code + 1] = offsets[code] + len(seen)
    terms_flat = np.fromiter(
        (i for terms in term_lists for i in terms), dtype="int32", count=int(offsets[-1])
    )

    q, t, v = len(question_ids), talk_count, len(vocabulary)
    # Answers per (question, talk, text), then each text's terms spread over its count.
    cell = (comment_question.astype("int64") * t + comment_talk) * max(len(texts), 1) + comment_text
    unique_cells, cell_counts = np.unique(cell, return_counts=True)
    cell_text = unique_cells % max(len(texts), 1)
    cell_group = unique_cells // max(len(texts), 1)
    lengths = offsets[cell_text + 1] - offsets[cell_text]
    starts = np.repeat(offsets[cell_text], lengths)
    within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    flat_terms = terms_flat[starts + within] if lengths.sum() else np.zeros(0, dtype="int32")
    flat_index = np.repeat(cell_group, lengths) * v + flat_terms
    mentions = (
        np.bincount(flat_index, weights=np.repeat(cell_counts, lengths), minlength=q * t * v)
        .astype("int32")
        .reshape(q, t, v)
    )
    answered = np.bincount(comment_question.astype("int64") * t + comment_talk, minlength=q * t).reshape(q, t)

    stems = np.array(list(vocabulary), dtype=object)
    words = np.array([representative_word(c) for c in surfaces], dtype=object)
    # Latest talks first; within a talk question by question, latest answers (highest response
    # ids, which arrive last) first.
    arrival = np.arange(comment_talk.size)
    order = np.lexsort((-arrival, comment_question, -comment_talk.astype("int64")))
    block = (t - 1 - comment_talk[order].astype("int64")) * q + comment_question[order]
    comment_offsets = np.searchsorted(block, np.arange(t * q + 1)).astype("int64")
    arrays = [
        mentions,
        answered,
        comment_talk,
        comment_question,
        comment_text,
        offsets,
        terms_flat,
        comment_offsets,
    ]
    for array in arrays:
        array.setflags(write=False)
    return SurveyTexts(
        question_ids=tuple(question_ids),
        stems=stems,
        words=words,
        mentions=mentions,
        answered=answered,
        comment_talk=comment_talk[order],
        comment_question=comment_question[order],
        comment_text=comment_text[order],
        texts=texts,
        text_term_offsets=offsets,
        text_terms=terms_flat,
        comment_offsets=comment_offsets,
    )


def load_texts(conn: sqlite3.Connection, cube: SurveyCube) -> SurveyTexts:
    """Read and count every free-text answer (a few seconds at a million responses; cache it)."""
    question_ids = cube.question_ids("text")
    question_index = {q: i for i, q in enumerate(question_ids)}
    positions = cube.positions

    def batches() -> Iterable[list[tuple[int, int, str]]]:
        for batch in store.iter_text_answers(conn, question_ids):
            yield [
                (positions[talk], question_index[question], text.strip())
                for talk, question, text in batch
                if talk in positions
            ]

    return build_texts(len(cube.talks), question_ids, batches())


def text_answer_count(texts: SurveyTexts, mask: np.ndarray, question_id: str) -> int:
    """Non-empty answers of the selection to a text question."""
    if question_id not in texts.question_ids:
        return 0
    return int(texts.answered[texts.question_ids.index(question_id)][mask].sum())


TERM_COLUMNS = ["term", "word", "answers", "share"]


def term_frequencies(
    texts: SurveyTexts,
    mask: np.ndarray,
    question_id: str,
    threshold: int = ANONYMITY_THRESHOLD,
    limit: int = 20,
) -> pd.DataFrame:
    """The terms most often used in the selection's answers to a text question.

    Columns: term (stem), word (its most frequent written form), answers (answers mentioning
    it), share (of the selection's non-empty answers). Terms mentioned in fewer than
    `threshold` answers are left out, and so is everything when the selection has fewer than
    `threshold` answers. Most frequent first (ties alphabetical), at most `limit` rows.
    """
    n = text_answer_count(texts, mask, question_id)
    if n < threshold:
        return pd.DataFrame(
            {"term": pd.Series(dtype="str"), "word": pd.Series(dtype="str"),
             "answers": pd.Series(dtype="int64"), "share": pd.Series(dtype="float64")}
        )  # fmt: skip
    counts = texts.mentions[texts.question_ids.index(question_id)][mask].sum(axis=0)
    keep = np.flatnonzero(counts >= threshold)
    order = sorted(keep, key=lambda i: (-int(counts[i]), texts.words[i], texts.stems[i]))[:limit]
    return pd.DataFrame(
        {
            "term": pd.array([texts.stems[i] for i in order], dtype="str"),
            "word": pd.array([texts.words[i] for i in order], dtype="str"),
            "answers": np.array([counts[i] for i in order], dtype="int64"),
            "share": np.array([counts[i] / n for i in order], dtype="float64"),
        }
    )


TERM_TREND_COLUMNS = ["cohort", "n", "answers", "share", "suppressed"]


def term_trend(
    texts: SurveyTexts,
    cube: SurveyCube,
    mask: np.ndarray,
    question_id: str,
    term: str,
    threshold: int = ANONYMITY_THRESHOLD,
) -> pd.DataFrame:
    """The share of each cohort's answers (in the selection) that mention a term (a stem).

    Columns: TERM_TREND_COLUMNS, one row per cohort of the selection, in order; cohorts with
    fewer than `threshold` answers suppressed.
    """
    cohorts = cube.column["cohort"]
    present = sorted(set(cohorts[mask]))
    index = texts.term_index(term)
    q = texts.question_ids.index(question_id) if question_id in texts.question_ids else None
    rows = []
    for cohort in present:
        group = mask & (cohorts == cohort)
        n = int(texts.answered[q][group].sum()) if q is not None else 0
        mentions = int(texts.mentions[q][group][:, index].sum()) if q is not None and index is not None else 0
        rows.append({"cohort": cohort, "n": n, "answers": mentions, "share": mentions / n if n else math.nan})
    frame = pd.DataFrame(rows, columns=["cohort", "n", "answers", "share"])
    hidden = frame["n"].to_numpy(dtype="int64") < threshold
    return _suppress(frame, hidden, ["n", "answers", "share"])[TERM_TREND_COLUMNS]


COMMENT_COLUMNS = ["intervention_id", "title", "date", "cohort", "question", "text"]


def comments(
    texts: SurveyTexts,
    cube: SurveyCube,
    mask: np.ndarray,
    question_ids: Sequence[str],
    *,
    query: str = "",
    threshold: int = ANONYMITY_THRESHOLD,
    limit: int = 200,
) -> tuple[pd.DataFrame, int]:
    """The selection's free-text answers to `question_ids`, latest talks first, and how many
    there are in all.

    Only talks with at least `threshold` responses give their comments (a comment names its
    talk). `query` keeps the comments holding every term of it (accents, case and plurals
    folded), or, for a query of stop words only, its folded text. Columns: COMMENT_COLUMNS.
    """
    allowed = mask & (cube.responses >= threshold)
    wanted = np.zeros(len(texts.question_ids), dtype=bool)
    for question in question_ids:
        if question in texts.question_ids:
            wanted[texts.question_ids.index(question)] = True
    # The blocks of comments of each allowed talk and wanted question, in display order.
    talk_count, question_count = len(allowed), len(wanted)
    block = (talk_count - 1 - np.arange(talk_count))[:, None] * question_count + np.arange(question_count)[
        None, :
    ]
    blocks = np.sort(block[allowed[:, None] & wanted[None, :]])
    starts, ends = texts.comment_offsets[blocks], texts.comment_offsets[blocks + 1]
    if query.strip():
        # Searching reads every comment of the blocks; without a search only the first rows are read.
        candidates = np.concatenate(
            [np.arange(a, b) for a, b in zip(starts, ends, strict=True)] or [np.zeros(0, "int64")]
        )
        rows = candidates[matching_texts(texts, query)[texts.comment_text[candidates]]]
        total = int(rows.size)
        rows = rows[:limit]
    else:
        total = int((ends - starts).sum())
        pieces, remaining = [], limit
        for start, end in zip(starts, ends, strict=True):
            if remaining <= 0:
                break
            take = min(int(end - start), remaining)
            pieces.append(np.arange(start, start + take))
            remaining -= take
        rows = np.concatenate(pieces) if pieces else np.zeros(0, dtype="int64")
    talks = texts.comment_talk[rows]
    frame = pd.DataFrame(
        {
            "intervention_id": cube.column["intervention_id"][talks],
            "title": cube.column["title"][talks],
            "date": cube.column["date"][talks],
            "cohort": cube.column["cohort"][talks],
            "question": [cube.label(texts.question_ids[q]) for q in texts.comment_question[rows]],
            "text": [texts.texts[c] for c in texts.comment_text[rows]],
        },
        columns=COMMENT_COLUMNS,
    )
    return frame, total


def matching_texts(texts: SurveyTexts, query: str) -> np.ndarray:
    """Booleans over `texts.texts`: the distinct answers matching a search `query`."""
    stems = {stem for stem, _ in text_terms(query)}
    if not stems:
        folded = french.fold(query.strip())
        return np.array([folded in french.fold(t) for t in texts.texts], dtype=bool)
    wanted = [texts.term_index(s) for s in stems]
    if any(index is None for index in wanted):
        return np.zeros(len(texts.texts), dtype=bool)
    hits = np.zeros(len(texts.texts), dtype="int64")
    owners = np.repeat(np.arange(len(texts.texts)), np.diff(texts.text_term_offsets))
    for index in wanted:
        hits += np.bincount(owners[texts.text_terms == index], minlength=len(texts.texts))
    return hits == len(wanted)


def limit_rows(frame: pd.DataFrame, which: str, count: int = 15) -> pd.DataFrame:
    """The rows a ranked chart shows: "top" the first `count` shown (not suppressed) rows,
    "bottom" the last `count` (still best first), anything else every shown row."""
    shown = frame[~frame["suppressed"].astype(bool)]
    if which == "top":
        return shown.head(count).reset_index(drop=True)
    if which == "bottom":
        return shown.tail(count).reset_index(drop=True)
    return shown.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Chart selections


def talks_from_selection(points: Iterable[Mapping[str, Any]]) -> list[str]:
    """The intervention ids of the points selected in a chart whose traces carry the id as the
    first item of `customdata` (or as `customdata` itself), in order, without repeats."""
    found: dict[str, None] = {}
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple):
            data = data[0] if data else None
        if isinstance(data, str) and data:
            found[data] = None
    return list(found)


# ---------------------------------------------------------------------------------------------
# Every figure of the page for one selection (what the benchmark times)


@dataclass(frozen=True)
class PageChoices:
    """What the page's own widgets choose; `None` picks the page's default."""

    question_id: str | None = None
    nps_question_id: str | None = None
    choice_question_id: str | None = None
    text_question_id: str | None = None
    target_talk: str | None = None
    term: str | None = None
    query: str = ""


@dataclass(frozen=True)
class PageFigures:
    """The figures of the Enquêtes page for one selection, as its default view shows them."""

    summary: SelectionSummary
    distribution: pd.DataFrame
    talks: pd.DataFrame
    nps_talks: pd.DataFrame
    nps_speakers: pd.DataFrame
    pillars: pd.DataFrame
    choices: pd.DataFrame
    trends: pd.DataFrame
    response_rates: pd.DataFrame
    comparison: pd.DataFrame
    terms: pd.DataFrame
    term_trend: pd.DataFrame
    comments: pd.DataFrame
    comment_total: int

    def frames(self) -> dict[str, pd.DataFrame]:
        """The figures' tables by name (the summary as a one-row table)."""
        summary = self.summary
        head = {
            "interventions": summary.interventions,
            "responses": summary.responses,
            "expected": summary.expected,
            "response_rate": summary.response_rate,
            "satisfaction_n": summary.satisfaction.n if summary.satisfaction else 0,
            "satisfaction": summary.satisfaction.mean if summary.satisfaction else math.nan,
            "nps_n": summary.recommend.n if summary.recommend else 0,
            "nps": summary.recommend.score if summary.recommend else math.nan,
            "comment_total": self.comment_total,
        }
        named = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in ("summary", "comment_total")
        }
        return {"summary": pd.DataFrame([head]), **named}


def default_target(cube: SurveyCube, mask: np.ndarray, threshold: int = ANONYMITY_THRESHOLD) -> str | None:
    """The talk the page's comparisons open on: the latest selected talk with enough responses."""
    eligible = np.flatnonzero(mask & (cube.responses >= threshold))
    return str(cube.column["intervention_id"][eligible[-1]]) if eligible.size else None


def page_figures(
    cube: SurveyCube,
    texts: SurveyTexts,
    mask: np.ndarray,
    threshold: int = ANONYMITY_THRESHOLD,
    choices: PageChoices = PageChoices(),
    director: bool = True,
) -> PageFigures:
    """Every figure of the Enquêtes page for the selected talks `mask`."""
    likert, nps_ids = cube.question_ids("likert5"), cube.question_ids("nps")
    choice_ids, text_ids = cube.question_ids("choice"), cube.question_ids("text")
    question = choices.question_id or (likert[0] if likert else None)
    nps_question = choices.nps_question_id or (
        "recommend" if "recommend" in nps_ids else next(iter(nps_ids), None)
    )
    choice_question = choices.choice_question_id or (
        "best_part" if "best_part" in choice_ids else next(iter(choice_ids), None)
    )
    text_question = choices.text_question_id or next(iter(text_ids), None)
    target_id = choices.target_talk or default_target(cube, mask, threshold)
    target = cube.mask([target_id] if target_id else [])

    empty = pd.DataFrame()
    terms = term_frequencies(texts, mask, text_question, threshold) if text_question else empty
    term = choices.term or (terms["term"].iloc[0] if len(terms) else None)
    if director and text_question:
        comment_frame, comment_total = comments(
            texts, cube, mask, [text_question], query=choices.query, threshold=threshold
        )
    else:
        comment_frame, comment_total = empty, 0
    return PageFigures(
        summary=selection_summary(cube, mask, threshold),
        distribution=likert_distribution(cube, mask, threshold),
        talks=talk_distribution(cube, mask, question, threshold) if question else empty,
        nps_talks=nps_by_talk(cube, mask, nps_question, threshold) if nps_question else empty,
        nps_speakers=nps_by_speaker(cube, mask, nps_question, threshold) if nps_question else empty,
        pillars=pillar_profile(cube, target, threshold),
        choices=choice_by_format(cube, mask, choice_question, threshold) if choice_question else empty,
        trends=question_trends(cube, mask, threshold),
        response_rates=response_rates(cube, mask, threshold),
        comparison=compare_with_references(cube, target, threshold),
        terms=terms,
        term_trend=term_trend(texts, cube, mask, text_question, term, threshold) if term else empty,
        comments=comment_frame,
        comment_total=comment_total,
    )


# ---------------------------------------------------------------------------------------------
# CSV exports of the charts' figures


@dataclass(frozen=True)
class ExportColumn:
    """One column of a CSV export: the frame's column, its French header, and for figures the
    decimals (`percent` multiplies by 100)."""

    column: str
    header: str
    decimals: int | None = None
    percent: bool = False


def export_table(frame: pd.DataFrame, columns: Sequence[ExportColumn], threshold: int) -> pd.DataFrame:
    """A figure table as the CSV download gives it: French headers, French decimals, and
    "moins de N réponses" in place of every figure of a suppressed row (never its value).

    Label columns (no `decimals`) are kept as they are.
    """
    hidden = (
        frame["suppressed"].to_numpy(dtype=bool)
        if "suppressed" in frame.columns
        else np.zeros(len(frame), dtype=bool)
    )
    marker = f"moins de {threshold} réponses"
    result = {}
    for spec in columns:
        values = frame[spec.column].tolist()
        if spec.decimals is None:
            result[spec.header] = ["" if _missing(v) else str(v) for v in values]
            continue
        cells = []
        for value, is_hidden in zip(values, hidden, strict=True):
            if is_hidden:
                cells.append(marker)
            elif _missing(value):
                cells.append("")
            else:
                number = float(value) * (100 if spec.percent else 1)
                cells.append(f"{number:.{spec.decimals}f}".replace(".", ","))
        result[spec.header] = cells
    return pd.DataFrame(result, columns=[spec.header for spec in columns])


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def csv_bytes(table: pd.DataFrame) -> bytes:
    """An `export_table` as the app's CSV downloads are (`insights.exporting`): UTF-8 with a
    byte order mark, comma-separated, cells neutralised against formula injection."""
    return exporting.csv_bytes(list(table.columns), table.astype(str).to_numpy().tolist())


_DISTRIBUTION_FIGURES = [
    ExportColumn("n", "Réponses", 0),
    ExportColumn("mean", "Moyenne (1 à 5)", 2),
    ExportColumn("low", "IC 95 % bas", 2),
    ExportColumn("high", "IC 95 % haut", 2),
    *(
        ExportColumn(f"share_{v}", f"% {label}", 1, percent=True)
        for v, label in zip(LIKERT_VALUES, LIKERT_LABELS, strict=True)
    ),
    ExportColumn("agree", "% d'accord (4 et 5)", 1, percent=True),
]
_NPS_FIGURES = [
    ExportColumn("n", "Réponses", 0),
    ExportColumn("detractors", "Détracteurs (0–6)", 0),
    ExportColumn("passives", "Passifs (7–8)", 0),
    ExportColumn("promoters", "Promoteurs (9–10)", 0),
    ExportColumn("score", "NPS", 0),
    ExportColumn("low", "IC 95 % bas", 0),
    ExportColumn("high", "IC 95 % haut", 0),
]
_TALK_LABELS = [
    ExportColumn("title", "Intervention"),
    ExportColumn("date", "Date"),
    ExportColumn("cohort", "Promotion"),
    ExportColumn("format", "Format"),
]
EXPORTS: dict[str, list[ExportColumn]] = {
    "distribution": [ExportColumn("label", "Question"), *_DISTRIBUTION_FIGURES],
    "talks": [*_TALK_LABELS, *_DISTRIBUTION_FIGURES],
    "nps_talks": [*_TALK_LABELS, *_NPS_FIGURES],
    "nps_speakers": [
        ExportColumn("name", "Intervenant·e"),
        ExportColumn("organisation", "Structure"),
        ExportColumn("interventions", "Interventions"),
        *_NPS_FIGURES,
    ],
    "pillars": [
        ExportColumn("label", "Fondamental"),
        ExportColumn("n", "Réponses", 0),
        ExportColumn("mean", "Moyenne", 2),
        ExportColumn("low", "IC 95 % bas", 2),
        ExportColumn("high", "IC 95 % haut", 2),
        ExportColumn("programme_n", "Réponses (programme)", 0),
        ExportColumn("programme_mean", "Moyenne (programme)", 2),
        ExportColumn("programme_low", "IC 95 % bas (programme)", 2),
        ExportColumn("programme_high", "IC 95 % haut (programme)", 2),
    ],
    "choices": [
        ExportColumn("format", "Format"),
        ExportColumn("option", "Réponse"),
        ExportColumn("answers", "Réponses", 0),
        ExportColumn("share", "Part (%)", 1, percent=True),
        ExportColumn("n", "Réponses du format", 0),
    ],
    "trends": [
        ExportColumn("label", "Question"),
        ExportColumn("cohort", "Promotion"),
        ExportColumn("semester", "Semestre"),
        ExportColumn("n", "Réponses", 0),
        ExportColumn("mean", "Moyenne (1 à 5)", 2),
        ExportColumn("low", "IC 95 % bas", 2),
        ExportColumn("high", "IC 95 % haut", 2),
    ],
    "response_rates": [
        *_TALK_LABELS,
        ExportColumn("semester", "Semestre"),
        ExportColumn("cohort_size", "Effectif de la promotion"),
        ExportColumn("responses", "Réponses", 0),
        ExportColumn("rate", "Taux de réponse (%)", 1, percent=True),
    ],
    "comparison": [
        ExportColumn("label", "Question"),
        ExportColumn("reference", "Comparée à"),
        ExportColumn("n", "Réponses", 0),
        ExportColumn("mean", "Moyenne", 2),
        ExportColumn("low", "IC 95 % bas", 2),
        ExportColumn("high", "IC 95 % haut", 2),
        ExportColumn("reference_n", "Réponses (référence)", 0),
        ExportColumn("reference_mean", "Moyenne (référence)", 2),
        ExportColumn("difference", "Écart", 2),
        ExportColumn("difference_low", "Écart : IC 95 % bas", 2),
        ExportColumn("difference_high", "Écart : IC 95 % haut", 2),
    ],
    "terms": [
        ExportColumn("word", "Terme"),
        ExportColumn("answers", "Réponses qui le citent", 0),
        ExportColumn("share", "Part des réponses (%)", 1, percent=True),
    ],
    "term_trend": [
        ExportColumn("cohort", "Promotion"),
        ExportColumn("n", "Réponses", 0),
        ExportColumn("answers", "Réponses qui citent le terme", 0),
        ExportColumn("share", "Part (%)", 1, percent=True),
    ],
}
"""The CSV export of each figure table of `PageFigures`, by name."""
