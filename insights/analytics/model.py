"""What every page reads, loaded once per data version from the store's per-talk aggregates: the
talks, speakers and cohorts, the answer counts (`SurveyCube`), the free-text counts
(`SurveyTexts`), and small aggregates of published quotes.

Loading reads no survey answer: at a million responses it takes well under a second, and its
memory is a few arrays per talk.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights import store
from insights.analytics.cube import SurveyCube, SurveyTexts, build_cube, build_texts
from insights.domain import CLOSED_TYPES
from insights.filters import Filters, select_interventions


@dataclass(frozen=True, eq=False)
class Model:
    """The data of every page for one data version (read-only; shared by every session).

    `cohorts`, `speakers`, `career_steps`: as the store's loaders give them. `cube.talks` holds the
    interventions in date order. `quote_themes`: published quotes counted by talk, theme and the
    speaker's organisation type (`store.load_quote_theme_counts`); `latest_quotes`: each speaker's
    latest published quote per talk (`store.load_latest_quotes`).
    """

    cohorts: pd.DataFrame
    speakers: pd.DataFrame
    career_steps: pd.DataFrame
    cube: SurveyCube
    texts: SurveyTexts
    quote_themes: pd.DataFrame
    latest_quotes: pd.DataFrame
    anonymity_threshold: int
    demo: bool

    @property
    def interventions(self) -> pd.DataFrame:
        """Every talk (`store.load_interventions` columns plus `cohort_size`), in date order."""
        return self.cube.talks

    def selection(self, filters: Filters) -> pd.DataFrame:
        """The talks the filters select, in date order."""
        return select_interventions(self.cube.talks, self.speakers, filters)

    def mask(self, filters: Filters) -> np.ndarray:
        """Booleans over `cube.talks`: the talks the filters select."""
        return self.cube.mask(self.selection(filters)["intervention_id"])


def load_model(conn: sqlite3.Connection) -> Model:
    """Read the model from the store (meant to be cached by data version)."""
    questions = store.load_questions(conn)
    counts = store.load_answer_counts(conn)
    closed = counts["question_id"].isin(questions.loc[questions["type"].isin(CLOSED_TYPES), "question_id"])
    speakers = store.load_speakers(conn)
    cohorts = store.load_cohorts(conn)
    cube = build_cube(
        store.load_interventions(conn),
        cohorts,
        speakers,
        questions,
        counts[closed],
        store.load_talk_responses(conn),
    )
    text_questions = questions.loc[questions["type"] == "text", "question_id"].tolist()
    texts = build_texts(
        cube.positions,
        text_questions,
        counts.loc[~closed, ["intervention_id", "question_id", "answers"]],
        store.load_term_counts(conn),
        store.load_term_spellings(conn),
        store.load_theme_counts(conn),
    )
    return Model(
        cohorts=cohorts,
        speakers=speakers,
        career_steps=store.load_career_steps(conn),
        cube=cube,
        texts=texts,
        quote_themes=store.load_quote_theme_counts(conn),
        latest_quotes=store.load_latest_quotes(conn),
        anonymity_threshold=store.anonymity_threshold(conn),
        demo=store.get_meta(conn, "demo_data") == "1",
    )
