"""The simulated survey: how many students answer each talk, who they are, and what they answer (Likert
items, recommendation, best part, submission time; the free texts come from `free_text`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights import domain
from insights.demo.content import COHORTS, SPEAKERS
from insights.demo.free_text import improvements, takeaways
from insights.demo.tables import TABLE_COLUMNS, sorted_talks

_SPEAKER_QUALITY: dict[str, float] = {speaker["speaker_id"]: speaker["quality"] for speaker in SPEAKERS}
_THEME_INDEX: dict[str, int] = {theme: i for i, theme in enumerate(domain.THEME_IDS)}
_PILLAR_THEMES: tuple[str, ...] = ("transparence", "conversation", "engagement", "enthousiasme")
"""The theme behind each pillar question, in the order of the pillar questions in the instrument."""

# Share of students who skip each Likert question (satisfaction … pillar_enthusiasm), then the others.
_LIKERT_SKIP = np.array([0.01, 0.015, 0.015, 0.03, 0.04, 0.04, 0.045, 0.045])
_BEST_PART_SKIP = 0.05
_RECOMMEND_SKIP = 0.035
_DROPOUT = 0.03
"""Share of students who stop after the first four questions."""

# How useful each part of the talk is, by format (columns in the order of domain.BEST_PARTS).
_BEST_PART_BASE = {
    "témoignage de CM": (0.22, 0.20, 0.06, 0.30, 0.14),
    "présentation d'outil": (0.03, 0.12, 0.03, 0.38, 0.42),
    "atelier": (0.04, 0.16, 0.05, 0.45, 0.25),
}
# Extra weight of a part when the talk covered the matching theme.
_BEST_PART_BOOST = {"parcours": (0, 0.18), "crise": (2, 0.26), "structure": (1, 0.08), "strategie": (1, 0.08)}


@dataclass(frozen=True)
class Talks:
    """Per-talk arrays the simulation needs, aligned with the rows of the interventions frame."""

    ids: np.ndarray  # object: intervention ids
    speakers: list[list[str]]
    cohort_index: np.ndarray  # int: position of the talk's cohort in `cohort_names`
    cohort_names: list[str]
    sizes: np.ndarray  # int: enrolled students of the talk's cohort
    formats: np.ndarray  # int: index in domain.FORMATS
    themes: np.ndarray  # bool (talks × themes)
    dates: np.ndarray  # datetime64[D]


def talk_features(interventions: pd.DataFrame, cohorts: pd.DataFrame) -> Talks:
    """The per-talk arrays of `interventions`; ValueError when a talk's cohort is not in `cohorts`."""
    cohort_names = [str(c) for c in cohorts["cohort"]]
    size_of = dict(zip(cohort_names, cohorts["size"].astype(int), strict=True))
    unknown = sorted(set(interventions["cohort"]) - set(cohort_names))
    if unknown:
        raise ValueError(f"Interventions refer to cohorts missing from the cohorts table: {unknown}")
    themes = np.zeros((len(interventions), len(domain.THEME_IDS)), dtype=bool)
    for row, cell in enumerate(interventions["themes"]):
        for theme in domain.split_list(cell):
            themes[row, _THEME_INDEX[theme]] = True
    return Talks(
        ids=interventions["intervention_id"].to_numpy(dtype=object),
        speakers=[domain.split_list(cell) for cell in interventions["speaker_ids"]],
        cohort_index=np.array([cohort_names.index(c) for c in interventions["cohort"]], dtype=np.int64),
        cohort_names=cohort_names,
        sizes=np.array([size_of[c] for c in interventions["cohort"]], dtype=np.int64),
        formats=np.array([domain.FORMATS.index(f) for f in interventions["format"]], dtype=np.int64),
        themes=themes,
        dates=np.array(list(interventions["date"]), dtype="datetime64[D]"),
    )


def speaker_quality(talks: Talks) -> np.ndarray:
    """The mean latent quality of each talk's speakers (hand-given for the demo's, hashed for others)."""

    def quality(speaker_id: str) -> float:
        if speaker_id in _SPEAKER_QUALITY:
            return _SPEAKER_QUALITY[speaker_id]
        digest = int(hashlib.sha256(speaker_id.encode()).hexdigest()[:8], 16)
        return 3.3 + 1.2 * (digest % 1000) / 1000

    return np.array([np.mean([quality(s) for s in ids]) if ids else 3.8 for ids in talks.speakers])


def demo_answer_counts(talks: Talks, quality: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Answers per demo talk: the cohort's usual response rate, lower after a weak talk, varying by talk."""
    usual_rate = {cohort: rate for cohort, _, rate in COHORTS}
    base = np.array([usual_rate[talks.cohort_names[i]] for i in talks.cohort_index])
    rate = np.clip(
        base + rng.normal(0.0, 0.08, len(base)) - 0.12 * np.clip(3.6 - quality, 0, None), 0.38, 0.97
    )
    counts = np.maximum(rng.binomial(talks.sizes, rate), 1)
    for i, talk in enumerate(sorted_talks()):
        if talk.answers is not None:
            counts[i] = talk.answers
    return counts


def _respondent_key(seed: int, cohort: str, student: int) -> str:
    """A pseudonymous key for one student of a cohort: the same across the talks they answer about."""
    return hashlib.sha256(f"{seed}:{cohort}:{student}".encode()).hexdigest()[:12]


def _pick_students(talks: Talks, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each answer, the index of the student (in their cohort) who gave it; no student twice per talk.

    Some students answer most surveys, others rarely: each has a stable propensity to answer.
    """
    students = np.empty(int(counts.sum()), dtype=np.int64)
    pool_sizes = np.maximum(talks.sizes, counts)
    propensity = {
        c: np.log(rng.uniform(0.2, 1.0, int(pool_sizes[talks.cohort_index == c].max(initial=0))))
        for c in range(len(talks.cohort_names))
    }
    position = 0
    for t, count in enumerate(counts):
        if count == 0:
            continue
        keys = propensity[talks.cohort_index[t]][: pool_sizes[t]] + rng.gumbel(size=pool_sizes[t])
        students[position : position + count] = np.argpartition(-keys, count - 1)[:count]
        position += count
    return students


def simulate_responses(
    talks: Talks, quality: np.ndarray, counts: np.ndarray, rng: np.random.Generator, seed: int
) -> pd.DataFrame:
    """Simulate `counts[t]` answers to talk t of quality `quality[t]`: one wide row per response.

    Each answer follows a latent score (talk quality + the student's leniency + noise); the Likert
    items, the recommendation and the free texts all derive from it, so they move together.
    """
    n = int(counts.sum())
    talk = np.repeat(np.arange(len(counts)), counts)
    cohort = talks.cohort_index[talk]

    student = _pick_students(talks, counts, rng)
    stride = int(student.max(initial=0)) + 1
    unique_codes, person = np.unique(cohort * stride + student, return_inverse=True)
    keys = np.array(
        [
            _respondent_key(seed, talks.cohort_names[code // stride], int(code % stride))
            for code in unique_codes
        ],
        dtype=object,
    )
    leniency = rng.normal(0.0, 0.4, len(unique_codes))[person]
    latent = quality[talk] + leniency + rng.normal(0.0, 0.45, n)

    # Talk-level deviations of each Likert item; a covered theme lifts the matching pillar.
    talk_items = rng.normal(0.0, 0.2, (len(counts), len(domain.LIKERT_QUESTION_IDS)))
    talk_items[:, 1] += np.array([0.05, -0.1, 0.15])[talks.formats]
    talk_items[:, 3] += np.array([0.0, -0.15, 0.2])[talks.formats]
    pillar_columns = [_THEME_INDEX[theme] for theme in _PILLAR_THEMES]
    talk_items[:, 4:8] += -1.0 + 1.2 * talks.themes[:, pillar_columns]

    dropout = rng.random(n) < _DROPOUT
    answers: dict[str, pd.api.extensions.ExtensionArray | np.ndarray] = {}
    for column, question in enumerate(domain.LIKERT_QUESTION_IDS):
        value = np.clip(np.rint(latent + talk_items[talk, column] + rng.normal(0.0, 0.55, n)), 1, 5)
        missing = rng.random(n) < _LIKERT_SKIP[column]
        if column >= 4:
            missing |= dropout
        answers[question] = pd.arrays.IntegerArray(value.astype(np.int64), missing)

    satisfaction_latent = latent + talk_items[talk, 0]
    answers["best_part"] = _best_parts(talks, talk, rng, dropout | (rng.random(n) < _BEST_PART_SKIP))
    recommend = np.clip(np.rint(2.4 * satisfaction_latent - 1.2 + rng.normal(0.0, 1.0, n)), 0, 10)
    answers["recommend"] = pd.arrays.IntegerArray(
        recommend.astype(np.int64), dropout | (rng.random(n) < _RECOMMEND_SKIP)
    )
    answers["takeaway"] = takeaways(talks, talk, satisfaction_latent, dropout, rng)
    answers["improve"] = improvements(talks, talk, satisfaction_latent, dropout, rng)
    submitted = _submission_times(talks, talk, rng)

    order = np.lexsort((submitted, talk))
    submitted = submitted[order].astype("datetime64[s]")
    width = max(6, len(str(n)))
    columns = {
        "response_id": _text_column(
            np.array([f"r{i:0{width}d}" for i in range(lo + 1, hi + 1)], dtype=object)
            for lo, hi in _chunks(n)
        ),
        "intervention_id": _text_column(talks.ids[talk[order[lo:hi]]] for lo, hi in _chunks(n)),
        "submitted_at": _text_column(np.datetime_as_string(submitted[lo:hi]) for lo, hi in _chunks(n)),
        "respondent": _text_column(keys[person[order[lo:hi]]] for lo, hi in _chunks(n)),
    }
    for question in domain.QUESTION_IDS:
        values = answers[question][order]
        if isinstance(values, np.ndarray):
            values = _text_column(values[lo:hi] for lo, hi in _chunks(n))
        columns[question] = values
    return pd.DataFrame(columns, columns=list(TABLE_COLUMNS["responses"]), copy=False)


_CHUNK_ROWS = 100_000


def _chunks(n: int) -> list[tuple[int, int]]:
    """Row ranges of at most _CHUNK_ROWS rows covering 0..n (one empty range when n is 0)."""
    return [(lo, min(lo + _CHUNK_ROWS, n)) for lo in range(0, max(n, 1), _CHUNK_ROWS)]


def _text_column(chunks: Iterable[np.ndarray]) -> pd.Series:
    """A string column built chunk by chunk, so that a million rows never exist as Python strings at once."""
    parts = [pd.Series(chunk, dtype="str") for chunk in chunks]
    return pd.concat(parts, ignore_index=True)


def _best_parts(talks: Talks, talk: np.ndarray, rng: np.random.Generator, missing: np.ndarray) -> np.ndarray:
    weights = np.array([_BEST_PART_BASE[domain.FORMATS[f]] for f in talks.formats])
    for theme, (part, boost) in _BEST_PART_BOOST.items():
        weights[:, part] += boost * talks.themes[:, _THEME_INDEX[theme]]
    weights *= np.exp(rng.normal(0.0, 0.25, weights.shape))
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    draw = rng.random(len(talk))
    choice = np.zeros(len(talk), dtype=np.int64)
    for part in range(len(domain.BEST_PARTS) - 1):
        choice += draw > cumulative[talk, part]
    parts = np.array(domain.BEST_PARTS, dtype=object)[choice]
    parts[missing] = None
    return parts


def _submission_times(talks: Talks, talk: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """When each answer came in: mostly the evening of the talk, some days later, a few after reminders."""
    n = len(talk)
    talk_end = rng.choice(np.array([12 * 60 + 15, 16 * 60 + 30, 17 * 60 + 15]), len(talks.ids))
    start = talks.dates.astype("datetime64[m]")[talk] + talk_end[talk].astype("timedelta64[m]")
    same_day = np.minimum(5 + rng.exponential(80.0, n), 330).astype(np.int64)
    later_day = np.where(rng.random(n) < 0.75, rng.integers(1, 4, n), rng.integers(4, 16, n))
    later = talks.dates.astype("datetime64[m]")[talk] + (
        later_day * 1440 + rng.integers(8 * 60, 23 * 60 + 30, n)
    ).astype("timedelta64[m]")
    return np.where(rng.random(n) < 0.5, start + same_day.astype("timedelta64[m]"), later)
