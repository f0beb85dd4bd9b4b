"""The per-talk aggregates as arrays: closed answers counted by value (`SurveyCube`) and free-text
answers counted by term and theme (`SurveyTexts`), indexed by talk position.

Built from the store's aggregates once per data version (`insights.analytics.model`); every figure
of a selection is then a sum over a mask of talks, with no answer read again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from insights.analytics.stats import LIKERT_VALUES, NPS_VALUES
from insights.domain import PARTICIPATION_THRESHOLD, PILLARS, SHORT_QUESTION_LABELS, THEME_IDS, split_list
from insights.language.answers import representative_word


@dataclass(frozen=True, eq=False)
class SurveyCube:
    """Closed answers counted per intervention: the basis of every survey figure.

    `talks`: the interventions (`store.load_interventions` columns plus `cohort_size`), row i at
    position i, in date order. `questions`: the catalogue (`store.load_questions`). `counts[q]`:
    (talks × levels) answer counts of closed question q, whose level values are `levels[q]`
    (1–5 for likert5, 0–10 for nps, the options for choice). `responses`: responses per talk.
    `speakers`: `store.load_speakers`; `speaker_talks`: (speakers × talks) booleans.
    `column[name]`: the talks' attributes as numpy arrays (intervention_id, title, date, cohort,
    semester, format, label, cohort_size, low_participation), which a filter change reads without
    pandas.
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

    def speaker_counts(self, question_id: str, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The speakers of the selected talks (their rows in `speakers`) and the answer counts
        of their selected talks to a closed question (speakers × levels); a talk given by two
        speakers counts for both."""
        incidence = self.speaker_talks[:, mask]
        rows = np.flatnonzero(incidence.any(axis=1))
        levels = len(self.levels.get(question_id, ()))
        if question_id not in self.counts:
            return rows, np.zeros((rows.size, levels), dtype="int64")
        return rows, incidence[rows].astype("int64") @ self.counts[question_id][mask]

    def question_ids(self, question_type: str) -> list[str]:
        """The catalogue's questions of one type (likert5, nps, choice, text), in catalogue order."""
        return list(self.by_type.get(question_type, ()))

    def label(self, question_id: str) -> str:
        """A short French label of a question, for axes and legends."""
        if question_id in SHORT_QUESTION_LABELS:
            return SHORT_QUESTION_LABELS[question_id]
        return shorten(self.long_label(question_id), 40)

    def long_label(self, question_id: str) -> str:
        """The question as the catalogue words it."""
        return self.long_labels.get(question_id, question_id)

    def theme_mask(self, theme: str) -> np.ndarray:
        """Booleans over `talks`: the talks that covered `theme`."""
        return np.fromiter(
            (theme in themes for themes in self.talks["themes"]), dtype=bool, count=len(self.talks)
        )

    def pillar_ids(self) -> list[str]:
        """The four fundamentals present in the catalogue as Likert questions."""
        likert = set(self.question_ids("likert5"))
        return [q for q in PILLARS if q in likert]


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def build_cube(
    interventions: pd.DataFrame,
    cohorts: pd.DataFrame,
    speakers: pd.DataFrame,
    questions: pd.DataFrame,
    answer_counts: pd.DataFrame,
    response_counts: pd.DataFrame,
    participation_threshold: float = PARTICIPATION_THRESHOLD,
) -> SurveyCube:
    """Assemble a SurveyCube from the store's frames (`store.load_interventions`,
    `load_cohorts`, `load_speakers`, `load_questions`, `answer_counts`, `response_counts`).

    Answers outside a question's scale (a Likert 7, an unknown option) are left out. A talk whose
    responses are under `participation_threshold` of its cohort is flagged `low_participation`,
    and its label says so.
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
    column["cohort_size"] = talks["cohort_size"].to_numpy(dtype="int64")
    column["low_participation"] = low_participation(responses, column["cohort_size"], participation_threshold)
    column["label"] = np.array(
        [
            talk_label(title, date) + (LOW_PARTICIPATION if low else "")
            for title, date, low in zip(
                column["title"], column["date"], column["low_participation"], strict=True
            )
        ],
        dtype=object,
    )
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


LOW_PARTICIPATION = " (participation faible)"
"""What a talk's label says when too few of its cohort answered."""


def low_participation(responses: np.ndarray, cohort_sizes: np.ndarray, threshold: float) -> np.ndarray:
    """Booleans: the talks whose responses are under `threshold` of their cohort (a talk with no
    known cohort size is not flagged)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (cohort_sizes > 0) & (responses < threshold * cohort_sizes)


def talk_label(title: str, date: str, width: int = 48) -> str:
    """A talk as axes show it: its title shortened, and its date (titles repeat across years)."""
    day = f"{date[8:10]}/{date[5:7]}/{date[:4]}" if len(date) >= 10 else date
    return f"{shorten(title, width)} · {day}"


@dataclass(frozen=True, eq=False)
class SurveyTexts:
    """Free-text answers of every talk, counted by term and by theme.

    `question_ids`: the text questions; `answered[q, t]`: non-empty answers to question q of talk
    t. `stems` and `words`: the vocabulary (French stems, and the word shown for each). The
    mentions, sparse: entry k says that `entry_answers[k]` answers to question
    `entry_question[k]` of talk `entry_talk[k]` mention term `entry_term[k]`. `tagged[q]`:
    (talks × THEME_IDS) answers to question q the theme tagger tagged with each theme
    (questions of THEME_TAGGED_QUESTIONS only).
    """

    question_ids: tuple[str, ...]
    answered: np.ndarray
    stems: np.ndarray
    words: np.ndarray
    entry_question: np.ndarray
    entry_talk: np.ndarray
    entry_term: np.ndarray
    entry_answers: np.ndarray
    tagged: Mapping[str, np.ndarray] = field(default_factory=dict)

    def term_index(self, stem: str) -> int | None:
        found = np.flatnonzero(self.stems == stem)
        return int(found[0]) if found.size else None

    def question_index(self, question_id: str) -> int | None:
        return self.question_ids.index(question_id) if question_id in self.question_ids else None

    def mentions(self, question_id: str, mask: np.ndarray) -> np.ndarray:
        """Answers of the selected talks to a question mentioning each term (one per stem)."""
        q = self.question_index(question_id)
        if q is None:
            return np.zeros(len(self.stems), dtype="int64")
        keep = (self.entry_question == q) & mask[self.entry_talk]
        return np.bincount(
            self.entry_term[keep], weights=self.entry_answers[keep], minlength=len(self.stems)
        ).astype("int64")


def build_texts(
    positions: Mapping[str, int],
    question_ids: Iterable[str],
    answered: pd.DataFrame,
    term_counts: pd.DataFrame,
    spellings: pd.DataFrame,
    theme_counts: pd.DataFrame,
) -> SurveyTexts:
    """Assemble SurveyTexts from the store's aggregates: `answered` (intervention_id, question_id,
    answers), `term_counts` (intervention_id, question_id, term, answers), `spellings` (term,
    spelling, uses) and `theme_counts` (intervention_id, question_id, theme, answers). Talks
    missing from `positions` are left out."""
    questions = tuple(question_ids)
    question_index = {q: i for i, q in enumerate(questions)}
    talk_count = len(positions)
    answered_array = np.zeros((len(questions), talk_count), dtype="int64")
    for talk_id, question_id, count in answered[["intervention_id", "question_id", "answers"]].itertuples(
        index=False
    ):
        if talk_id in positions and question_id in question_index:
            answered_array[question_index[question_id], positions[talk_id]] += int(count)

    kept = term_counts[
        term_counts["intervention_id"].isin(positions.keys())
        & term_counts["question_id"].isin(question_index)
        & (term_counts["answers"] > 0)
    ]
    stems = np.array(sorted(set(kept["term"])), dtype=object)
    term_index = {stem: i for i, stem in enumerate(stems)}
    by_term: dict[str, Counter[str]] = {}
    for term, spelling, uses in spellings[["term", "spelling", "uses"]].itertuples(index=False):
        if term in term_index:
            by_term.setdefault(term, Counter())[spelling] += int(uses)
    words = np.array([representative_word(by_term[s]) if s in by_term else s for s in stems], dtype=object)

    tagged: dict[str, np.ndarray] = {}
    theme_position = {theme: i for i, theme in enumerate(THEME_IDS)}
    for talk_id, question_id, theme, count in theme_counts[
        ["intervention_id", "question_id", "theme", "answers"]
    ].itertuples(index=False):
        if talk_id in positions and theme in theme_position:
            array = tagged.setdefault(question_id, np.zeros((talk_count, len(THEME_IDS)), dtype="int64"))
            array[positions[talk_id], theme_position[theme]] += int(count)

    arrays = {
        "entry_question": kept["question_id"].map(question_index).to_numpy(dtype="int16"),
        "entry_talk": kept["intervention_id"].map(positions).to_numpy(dtype="int64"),
        "entry_term": kept["term"].map(term_index).to_numpy(dtype="int64"),
        "entry_answers": kept["answers"].to_numpy(dtype="int64"),
    }
    for array in [answered_array, *arrays.values(), *tagged.values()]:
        array.setflags(write=False)
    return SurveyTexts(
        question_ids=questions, answered=answered_array, stems=stems, words=words, tagged=tagged, **arrays
    )
