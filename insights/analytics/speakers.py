"""The speakers: the directory (figures, search, filters, sorting), a speaker's profile (talks,
ratings against the programme, NPS, quotes) and whom to invite again.

Every figure is summed from the answer counts of `insights.analytics.cube`, the same counts the
Enquêtes page reads, and withheld (NaN) below the anonymity threshold.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights import store
from insights.analytics.cube import SurveyCube
from insights.analytics.model import Model
from insights.analytics.stats import (
    LIKERT_VALUES,
    NPS_VALUES,
    MeanEstimate,
    NpsBreakdown,
    estimate_from_counts,
    is_suppressed,
    moments,
    nps_from_counts,
)
from insights.domain import ANONYMITY_THRESHOLD, SHORT_QUESTION_LABELS, TAKEAWAY_QUESTION, split_list
from insights.filters import Filters
from insights.language.answers import EXPRESSION_COLUMNS, frequent_expressions
from insights.language.text import fold

_LIKERT = np.asarray(LIKERT_VALUES, dtype="float64")


def _likert_estimates(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Row-wise n, mean, low and high of Likert histograms (rows × 5)."""
    return moments(_LIKERT, counts.reshape(-1, len(LIKERT_VALUES)))


def _question_counts(cube: SurveyCube, question_id: str, mask: np.ndarray) -> np.ndarray:
    """A closed question's answer counts over the selected talks (zeros when not asked)."""
    if question_id not in cube.counts:
        return np.zeros(len(cube.levels.get(question_id, LIKERT_VALUES)), dtype="int64")
    return cube.counts[question_id][mask].sum(axis=0)


def satisfaction(cube: SurveyCube, mask: np.ndarray) -> MeanEstimate:
    """Mean satisfaction (1–5) with its 95 % interval over the selected talks."""
    return estimate_from_counts(LIKERT_VALUES, _question_counts(cube, "satisfaction", mask))


def recommend(cube: SurveyCube, mask: np.ndarray) -> NpsBreakdown:
    """The "réinviter" NPS over the selected talks."""
    counts = (
        _question_counts(cube, "recommend", mask) if "recommend" in cube.counts else np.zeros(len(NPS_VALUES))
    )
    return nps_from_counts(counts)


# --- the directory ----------------------------------------------------------------------------

DIRECTORY_COLUMNS = [
    "speaker_id",
    "name",
    "title",
    "organisation",
    "org_type",
    "sector",
    "networks",
    "years_experience",
    "education",
    "talks",
    "last_talk",
    "satisfaction_n",
    "satisfaction",
    "satisfaction_low",
    "satisfaction_high",
    "results_shown",
    "latest_quote",
]


def speaker_directory(
    cube: SurveyCube,
    mask: np.ndarray,
    latest_quotes: pd.DataFrame,
    threshold: int = ANONYMITY_THRESHOLD,
    include_without_talks: bool = False,
    rated: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per speaker of the selected talks (`mask`), with what a directory card shows.

    A speaker is listed when one of their talks is selected, or always with
    `include_without_talks`. Figures cover the selected talks only: `talks` (count), `last_talk`
    (latest ISO date, "" without talks), the mean `satisfaction` with its 95 % interval (NaN below
    `threshold` answers; `satisfaction_n` is always given), `latest_quote` (text of the latest
    published quote from a selected talk or from no known talk, as `latest_quotes` of
    `store.load_latest_quotes` lists them; missing when there is none). `networks` is a list.
    Only the talks of `rated` (every talk when not given: those whose results the audience may
    see) count for the satisfaction; `results_shown` says whether the speaker has one among the
    selected. Columns: DIRECTORY_COLUMNS, in `speakers` order.
    """
    incidence = cube.speaker_talks & mask[None, :]
    rated_incidence = incidence if rated is None else incidence & rated[None, :]
    talk_counts = incidence.sum(axis=1)
    dates = cube.column["date"]
    n, mean, low, high = _likert_estimates(
        rated_incidence.astype("int64") @ cube.counts["satisfaction"]
        if "satisfaction" in cube.counts
        else np.zeros((len(cube.speakers), len(LIKERT_VALUES)), dtype="int64")
    )
    latest = _latest_quotes(latest_quotes, set(cube.column["intervention_id"][mask]))
    rows = []
    for index, speaker in enumerate(cube.speakers.itertuples(index=False)):
        if not talk_counts[index] and not include_without_talks:
            continue
        hidden = is_suppressed(int(n[index]), threshold)
        own_dates = dates[incidence[index]]
        rows.append(
            {
                "speaker_id": speaker.speaker_id,
                "name": speaker.name,
                "title": speaker.title,
                "organisation": speaker.organisation,
                "org_type": speaker.org_type,
                "sector": speaker.sector,
                "networks": split_list(speaker.networks),
                "years_experience": speaker.years_experience,
                "education": speaker.education,
                "talks": int(talk_counts[index]),
                "last_talk": max(own_dates, default=""),
                "satisfaction_n": int(n[index]),
                "satisfaction": math.nan if hidden else float(mean[index]),
                "satisfaction_low": math.nan if hidden else float(low[index]),
                "satisfaction_high": math.nan if hidden else float(high[index]),
                "results_shown": bool(rated_incidence[index].any()),
                "latest_quote": latest.get(speaker.speaker_id),
            }
        )
    return pd.DataFrame(rows, columns=DIRECTORY_COLUMNS)


def _latest_quotes(latest_quotes: pd.DataFrame, selected_talks: set[str]) -> dict[str, str]:
    """The latest published quote of each speaker among quotes from the selected talks or from
    no known talk (those count as the oldest)."""
    best: dict[str, tuple[str, str, str]] = {}
    for speaker_id, talk_id, date, quote_id, text in latest_quotes[
        ["speaker_id", "intervention_id", "date", "quote_id", "text"]
    ].itertuples(index=False):
        if talk_id is not None and talk_id not in selected_talks:
            continue
        candidate = (date if talk_id is not None else "", quote_id, text)
        if speaker_id not in best or candidate[:2] > best[speaker_id][:2]:
            best[speaker_id] = candidate
    return {speaker_id: entry[2] for speaker_id, entry in best.items()}


def search_directory(
    directory: pd.DataFrame,
    query: str = "",
    sectors: Iterable[str] = (),
    networks: Iterable[str] = (),
) -> pd.DataFrame:
    """The directory rows matching a search and the page's own filters.

    `query`: every word must appear in the name or the organisation, accents and case ignored
    ("emilie toits" finds Émilie Rousseau of Toits Solidaires). `sectors`: the sector is one of
    them; `networks`: the speaker runs at least one of them. Empty means no restriction.
    """
    mask = pd.Series(True, index=directory.index)
    words = fold(query).split()
    if words:
        haystacks = (directory["name"].astype(str) + " " + directory["organisation"].astype(str)).map(fold)
        mask &= haystacks.map(lambda haystack: all(word in haystack for word in words))
    wanted_sectors = set(sectors)
    if wanted_sectors:
        mask &= directory["sector"].isin(wanted_sectors)
    wanted_networks = set(networks)
    if wanted_networks:
        mask &= directory["networks"].map(lambda runs: bool(wanted_networks.intersection(runs)))
    return directory[mask]


SORT_OPTIONS: dict[str, str] = {
    "recency": "Venue la plus récente",
    "rating": "Satisfaction",
    "talks": "Nombre d'interventions",
    "name": "Nom (A → Z)",
}
"""The directory's orders, by key, with their French labels."""


def sort_directory(directory: pd.DataFrame, by: str) -> pd.DataFrame:
    """The directory in one of the SORT_OPTIONS orders.

    "rating": best satisfaction first, withheld ratings last (more answers first among them);
    "talks": most talks first, then the most recent; "recency": latest talk first; "name":
    alphabetical, accents ignored. Ties are broken by name.
    """
    if by not in SORT_OPTIONS:
        raise ValueError(f"unknown sort {by!r}; expected one of {sorted(SORT_OPTIONS)}")
    frame = directory.assign(_name=directory["name"].astype(str).map(fold))
    if by == "rating":
        frame = frame.assign(_rated=frame["satisfaction"].notna())
        keys, ascending = ["_rated", "satisfaction", "satisfaction_n", "_name"], [False, False, False, True]
    elif by == "talks":
        keys, ascending = ["talks", "last_talk", "_name"], [False, False, True]
    elif by == "recency":
        keys, ascending = ["last_talk", "_name"], [False, True]
    else:
        keys, ascending = ["_name"], [True]
    ordered = frame.sort_values(keys, ascending=ascending, na_position="last", kind="stable")
    return ordered.drop(columns=[c for c in ("_name", "_rated") if c in ordered]).reset_index(drop=True)


# --- a speaker's profile ----------------------------------------------------------------------

TALK_COLUMNS = [
    "intervention_id",
    "date",
    "cohort",
    "semester",
    "title",
    "format",
    "themes",
    "tools",
    "co_speakers",
    "responses",
    "satisfaction_n",
    "satisfaction",
    "results_shown",
    "low_participation",
]


def speaker_talks(
    cube: SurveyCube, speaker_id: str, threshold: int = ANONYMITY_THRESHOLD, rated: np.ndarray | None = None
) -> pd.DataFrame:
    """The talks a speaker gave, latest first, each with its responses and mean satisfaction
    (NaN below `threshold` answers). `co_speakers`: the other speakers' ids. The talks outside
    `rated` (every talk is when not given) show no figure: `results_shown` is False, `responses`
    and the satisfaction are missing.

    Columns: TALK_COLUMNS.
    """
    positions = np.flatnonzero(cube.speaker_mask(speaker_id))[::-1]
    shown = np.ones(positions.size, dtype=bool) if rated is None else rated[positions]
    counts = (
        cube.counts["satisfaction"][positions]
        if "satisfaction" in cube.counts
        else np.zeros((positions.size, len(LIKERT_VALUES)), dtype="int64")
    )
    n, mean, _, _ = _likert_estimates(counts)
    talks = cube.talks.iloc[positions]
    frame = pd.DataFrame(
        {
            "intervention_id": talks["intervention_id"].to_numpy(dtype=object),
            "date": talks["date"].to_numpy(dtype=object),
            "cohort": talks["cohort"].to_numpy(dtype=object),
            "semester": talks["semester"].to_numpy(dtype=object),
            "title": talks["title"].to_numpy(dtype=object),
            "format": talks["format"].to_numpy(dtype=object),
            "themes": [list(themes) for themes in talks["themes"]],
            "tools": [split_list(tools) for tools in talks["tools"]],
            "co_speakers": [[s for s in ids if s != speaker_id] for ids in talks["speaker_ids"]],
            "responses": pd.arrays.IntegerArray(cube.responses[positions].astype("int64"), ~shown),
            "satisfaction_n": pd.arrays.IntegerArray(n.astype("int64"), ~shown),
            "satisfaction": np.where((n < threshold) | ~shown, np.nan, mean),
            "results_shown": shown,
            "low_participation": cube.column["low_participation"][positions].astype(bool),
        },
        columns=TALK_COLUMNS,
    )
    return frame.sort_values(["date", "intervention_id"], ascending=False, ignore_index=True)


RATING_COLUMNS = [
    "question_id",
    "label",
    "n",
    "mean",
    "low",
    "high",
    "programme_n",
    "programme_mean",
    "programme_low",
    "programme_high",
]


def question_ratings(
    cube: SurveyCube,
    target: np.ndarray,
    question_ids: Sequence[str],
    threshold: int = ANONYMITY_THRESHOLD,
    programme: np.ndarray | None = None,
) -> pd.DataFrame:
    """The mean answer to each question over the `target` talks, beside the programme's mean over
    every talk (or the talks of `programme`), both with n and a 95 % interval.

    A mean and its interval are NaN below `threshold` answers (n is always given). `label` is
    the question's short French label. Columns: RATING_COLUMNS, in `question_ids` order.
    """
    everything = np.ones(len(cube.talks), dtype=bool) if programme is None else programme
    rows = []
    for question_id in question_ids:
        own = estimate_from_counts(LIKERT_VALUES, _question_counts(cube, question_id, target))
        programme = estimate_from_counts(LIKERT_VALUES, _question_counts(cube, question_id, everything))
        hidden, programme_hidden = is_suppressed(own.n, threshold), is_suppressed(programme.n, threshold)
        rows.append(
            {
                "question_id": question_id,
                "label": SHORT_QUESTION_LABELS.get(question_id, question_id),
                "n": own.n,
                "mean": math.nan if hidden else own.mean,
                "low": math.nan if hidden else own.low,
                "high": math.nan if hidden else own.high,
                "programme_n": programme.n,
                "programme_mean": math.nan if programme_hidden else programme.mean,
                "programme_low": math.nan if programme_hidden else programme.low,
                "programme_high": math.nan if programme_hidden else programme.high,
            }
        )
    return pd.DataFrame(rows, columns=RATING_COLUMNS)


# --- whom to invite again ---------------------------------------------------------------------

REINVITE_COLUMNS = [
    "speaker_id",
    "name",
    "organisation",
    "org_type",
    "talks",
    "last_talk",
    "nps_n",
    "nps",
    "usefulness_n",
    "usefulness",
    "usefulness_low",
    "usefulness_high",
    "below_threshold",
]


def reinvite_ranking(
    cube: SurveyCube, mask: np.ndarray, threshold: int = ANONYMITY_THRESHOLD
) -> pd.DataFrame:
    """The speakers of the selected talks ranked by "réinviter" NPS, then by usefulness.

    `nps` and `usefulness` (with its interval) are NaN below `threshold` answers, and
    `below_threshold` flags the rows where either is withheld; flagged rows come after the others
    (ranked by what they show). Columns: REINVITE_COLUMNS.
    """
    rows, recommend_counts = cube.speaker_counts("recommend", mask)
    _, usefulness_counts = cube.speaker_counts("usefulness", mask)
    if usefulness_counts.shape[1] != len(LIKERT_VALUES):
        usefulness_counts = np.zeros((rows.size, len(LIKERT_VALUES)), dtype="int64")
    n, mean, low, high = _likert_estimates(usefulness_counts)
    incidence = cube.speaker_talks[rows] & mask[None, :]
    dates = cube.column["date"]
    records = []
    for index, row in enumerate(rows):
        speaker = cube.speakers.iloc[row]
        breakdown = (
            nps_from_counts(recommend_counts[index])
            if recommend_counts.shape[1]
            else NpsBreakdown(0, 0, 0, 0)
        )
        nps_hidden = is_suppressed(breakdown.n, threshold)
        usefulness_hidden = is_suppressed(int(n[index]), threshold)
        records.append(
            {
                "speaker_id": speaker["speaker_id"],
                "name": speaker["name"],
                "organisation": speaker["organisation"],
                "org_type": speaker["org_type"],
                "talks": int(incidence[index].sum()),
                "last_talk": max(dates[incidence[index]]),
                "nps_n": breakdown.n,
                "nps": math.nan if nps_hidden else breakdown.score,
                "usefulness_n": int(n[index]),
                "usefulness": math.nan if usefulness_hidden else float(mean[index]),
                "usefulness_low": math.nan if usefulness_hidden else float(low[index]),
                "usefulness_high": math.nan if usefulness_hidden else float(high[index]),
                "below_threshold": nps_hidden or usefulness_hidden,
            }
        )
    frame = pd.DataFrame(records, columns=REINVITE_COLUMNS)
    frame["_name"] = frame["name"].astype(str).map(fold)
    frame = frame.sort_values(
        ["below_threshold", "nps", "usefulness", "nps_n", "_name"],
        ascending=[True, False, False, False, True],
        na_position="last",
        kind="stable",
    )
    return frame.drop(columns="_name").reset_index(drop=True)


# --- the pages --------------------------------------------------------------------------------


def directory_figures(
    model: Model,
    filters: Filters,
    query: str = "",
    sectors: Iterable[str] = (),
    networks: Iterable[str] = (),
    order: str = "recency",
    director: bool = False,
) -> pd.DataFrame:
    """The directory as the Intervenants page lists it: the speakers of the selected talks (every
    speaker when no sidebar filter is set), searched, filtered and sorted (DIRECTORY_COLUMNS).
    Satisfaction counts the talks whose results the audience may see, and none when the director
    chose not to show the speakers' ratings to students."""
    rated = model.results_mask(director) & model.speaker_ratings_shown(director)
    directory = speaker_directory(
        model.cube,
        model.mask(filters),
        model.latest_quotes,
        model.anonymity_threshold,
        include_without_talks=not any(filters.to_query_params()),
        rated=rated,
    )
    return sort_directory(search_directory(directory, query, sectors, networks), order)


@dataclass(frozen=True)
class ProfileFigures:
    """A speaker's profile: every talk of theirs, filters aside; the figures of those whose results
    the audience may see (`ratings_shown`: whether any figure is shown at all)."""

    talks: pd.DataFrame
    satisfaction: MeanEstimate
    recommend: NpsBreakdown
    ratings: pd.DataFrame
    quotes: pd.DataFrame
    takeaways: int
    expressions: pd.DataFrame
    ratings_shown: bool
    unpublished: int


def profile_figures(
    conn: sqlite3.Connection, model: Model, speaker_id: str, director: bool = False
) -> ProfileFigures:
    """What a speaker's profile shows: their talks, satisfaction and NPS, ratings by question
    against the programme, published quotes, and the expressions their students' takeaways share
    (nothing under the anonymity threshold). For anyone but the director, the figures and
    takeaways of talks whose results are published only, takeaways reviewed public only, and no
    rating at all when the director chose not to show the speakers' ratings."""
    threshold = model.anonymity_threshold
    cube = model.cube
    own = cube.speaker_mask(speaker_id)
    visible = model.results_mask(director)
    ratings_shown = model.speaker_ratings_shown(director)
    rated = visible & ratings_shown
    target = own & rated
    talk_ids = [str(t) for t in cube.column["intervention_id"][own & visible]]
    texts = store.answer_texts(conn, talk_ids, TAKEAWAY_QUESTION, public_only=not director)
    expressions = (
        frequent_expressions(texts, min_answers=threshold)
        if not is_suppressed(len(texts), threshold)
        else pd.DataFrame(columns=EXPRESSION_COLUMNS)
    )
    return ProfileFigures(
        talks=speaker_talks(cube, speaker_id, threshold, rated),
        satisfaction=satisfaction(cube, target),
        recommend=recommend(cube, target),
        ratings=question_ratings(cube, target, cube.question_ids("likert5"), threshold, programme=rated),
        quotes=store.speaker_quotes(conn, speaker_id),
        takeaways=len(texts),
        expressions=expressions,
        ratings_shown=ratings_shown,
        unpublished=int((own & ~visible).sum()),
    )


@dataclass(frozen=True)
class ReinviteFigures:
    """ "Qui réinviter ?": the ranking and the programme's mean usefulness (every talk)."""

    ranking: pd.DataFrame
    programme_usefulness: MeanEstimate


def reinvite_figures(model: Model, filters: Filters) -> ReinviteFigures:
    """The speakers of the selected talks ranked by NPS then usefulness, and the programme's mean
    usefulness over every talk."""
    cube = model.cube
    everything = np.ones(len(cube.talks), dtype=bool)
    return ReinviteFigures(
        ranking=reinvite_ranking(cube, model.mask(filters), model.anonymity_threshold),
        programme_usefulness=estimate_from_counts(
            LIKERT_VALUES, _question_counts(cube, "usefulness", everything)
        ),
    )
