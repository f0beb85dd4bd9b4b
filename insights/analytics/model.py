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
from insights.domain import COLLECTING, PUBLISHED_RESULTS
from insights.filters import Filters, select_interventions
from insights.store import PublicationSettings


def results_shown(state: str, director: bool) -> bool:
    """Whether an audience may see the figures of a talk whose results are in `state`: the
    director always, anyone else once they are published."""
    return director or state == PUBLISHED_RESULTS


@dataclass(frozen=True, eq=False)
class Model:
    """The data of every page for one data version (read-only; shared by every session).

    `cohorts`, `speakers`, `career_steps`: as the store's loaders give them. `cube.talks` holds the
    interventions in date order; `states` their results' state (RESULT_STATES), aligned with them.
    `texts` counts every free-text answer as written, `public_texts` the public ones as shown. `quote_themes`: published quotes counted by talk, theme and the
    speaker's organisation type (`store.load_quote_theme_counts`); `latest_quotes`: each speaker's
    latest published quote per talk (`store.load_latest_quotes`).
    """

    cohorts: pd.DataFrame
    speakers: pd.DataFrame
    career_steps: pd.DataFrame
    cube: SurveyCube
    texts: SurveyTexts
    public_texts: SurveyTexts
    states: np.ndarray
    settings: PublicationSettings
    quote_themes: pd.DataFrame
    latest_quotes: pd.DataFrame
    anonymity_threshold: int
    demo: bool

    @property
    def published(self) -> np.ndarray:
        """Booleans over `cube.talks`: the talks whose results are published."""
        return self.states == PUBLISHED_RESULTS

    def results_mask(self, director: bool) -> np.ndarray:
        """Booleans over `cube.talks`: the talks whose figures this audience may see (every talk
        for the director; the published ones for anyone else)."""
        return np.fromiter((results_shown(state, director) for state in self.states), dtype=bool)

    def texts_for(self, director: bool) -> SurveyTexts:
        """The free-text counts this audience may see: every answer as written for the director;
        the public answers as shown for anyone else (their talks still to be masked by
        `results_mask`)."""
        return self.texts if director else self.public_texts

    def speaker_ratings_shown(self, director: bool) -> bool:
        """Whether the speakers' ratings appear on Intervenants for this audience."""
        return director or self.settings.student_speaker_ratings

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
    speakers = store.load_speakers(conn)
    cohorts = store.load_cohorts(conn)
    settings = store.load_publication_settings(conn)
    cube = build_cube(
        store.load_interventions(conn),
        cohorts,
        speakers,
        questions,
        store.load_answer_counts(conn),
        store.load_talk_responses(conn),
        settings.participation_threshold,
    )
    text_questions = questions.loc[questions["type"] == "text", "question_id"].tolist()
    answered, terms = store.load_text_answer_counts(conn), store.load_term_counts(conn)
    spellings, themes = store.load_term_spellings(conn), store.load_theme_counts(conn)
    texts = build_texts(cube.positions, text_questions, answered, terms, spellings, themes)
    public_texts = build_texts(
        cube.positions,
        text_questions,
        answered.drop(columns="answers").rename(columns={"public_answers": "answers"}),
        terms.drop(columns="answers").rename(columns={"public_answers": "answers"}),
        spellings.drop(columns="uses").rename(columns={"public_uses": "uses"}),
        themes.drop(columns="answers").rename(columns={"public_answers": "answers"}),
    )
    publication = store.load_publication(conn).set_index("intervention_id")["state"]
    states = np.array([publication.get(t, COLLECTING) for t in cube.column["intervention_id"]], dtype=object)
    states.setflags(write=False)
    return Model(
        cohorts=cohorts,
        speakers=speakers,
        career_steps=store.load_career_steps(conn),
        cube=cube,
        texts=texts,
        public_texts=public_texts,
        states=states,
        settings=settings,
        quote_themes=store.load_quote_theme_counts(conn),
        latest_quotes=store.load_latest_quotes(conn),
        anonymity_threshold=store.anonymity_threshold(conn),
        demo=store.get_meta(conn, "demo_data") == "1",
    )
