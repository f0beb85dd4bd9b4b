"""A tiny, hand-countable survey: three talks, two speakers, two cohorts, built without SQLite."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from insights import store
from insights.analytics import survey

TALKS = pd.DataFrame(
    {
        "intervention_id": ["t1", "t2", "t3"],
        "date": ["2015-10-12", "2016-02-10", "2016-10-05"],
        "cohort": ["2015-2016", "2015-2016", "2016-2017"],
        "semester": ["S1", "S2", "S1"],
        "speaker_ids": [["sp1"], ["sp1", "sp2"], ["sp2"]],
        "title": ["Gérer un bad buzz", "Atelier <b>ligne</b> éditoriale", "Parcours de CM"],
        "format": ["témoignage de CM", "atelier", "témoignage de CM"],
        "themes": [["crise"], ["strategie"], ["parcours"]],
        "tools": ["", "", ""],
    }
)
COHORTS = pd.DataFrame({"cohort": ["2015-2016", "2016-2017"], "size": [10, 20]})
SPEAKERS = pd.DataFrame(
    {
        "speaker_id": ["sp1", "sp2"],
        "name": ["Claire Le Goff", "Julien Marchand"],
        "title": ["CM", "Responsable"],
        "organisation": ["Université", ""],
        "org_type": ["université / établissement public", "grand groupe"],
        "sector": ["", ""],
        "networks": ["", ""],
        "years_experience": pd.array([5, None], dtype="Int64"),
        "education": ["", ""],
        "bio": ["", ""],
    }
)

# Answers per talk and question; a response may skip questions (fewer answers than responses).
ANSWERS: dict[str, dict[str, list]] = {
    "t1": {
        "satisfaction": [5, 5, 4, 4, 3],
        "pillar_transparency": [4, 4, 4, 4, 4],
        "recommend": [10, 9, 8, 6, 3],
        "best_part": ["gestion de crise", "gestion de crise", "conseils", "parcours", "échange"],
    },
    "t2": {
        "satisfaction": [3, 3, 3, 3, 3, 3],
        "pillar_transparency": [2, 2, 3, 3, 3, 3],
        "recommend": [9, 9, 9, 7, 7, 10],
        "best_part": ["conseils", "conseils", "conseils"],
    },
    "t3": {
        "satisfaction": [3, 3, 2, 4],
        "pillar_transparency": [1, 2, 3, 4],
        "recommend": [0, 5, 10, 10],
        "best_part": ["parcours", "parcours", "parcours", "parcours"],
    },
}
RESPONSES = {"t1": 5, "t2": 7, "t3": 4}


def answer_counts(answers: dict[str, dict[str, list]]) -> pd.DataFrame:
    """The `store.answer_counts` frame of answers given as lists per talk and question."""
    rows = []
    for talk, questions in answers.items():
        for question, values in questions.items():
            for value, count in Counter(values).items():
                number = float(value) if not isinstance(value, str) else float("nan")
                text = value if isinstance(value, str) else None
                rows.append((talk, question, number, text, count))
    return pd.DataFrame(
        rows, columns=["intervention_id", "question_id", "value_num", "value_text", "answers"]
    )


def make_cube(
    answers: dict[str, dict[str, list]] = ANSWERS, responses: dict[str, int] = RESPONSES
) -> survey.SurveyCube:
    questions = pd.DataFrame(store.default_questions())
    return survey.build_cube(
        TALKS,
        COHORTS,
        SPEAKERS,
        questions,
        answer_counts(answers),
        pd.DataFrame({"intervention_id": list(responses), "responses": list(responses.values())}),
    )


TEXTS: list[tuple[str, str, str]] = [
    # (talk, question, text)
    ("t1", "takeaway", "Les trolls ne se nourrissent pas."),
    ("t1", "takeaway", "Un troll, on l'ignore."),
    ("t1", "takeaway", "TROLLS : garder son calme."),
    ("t1", "takeaway", "Écouter avant de répondre."),
    ("t1", "takeaway", "ecouter la communauté"),
    ("t2", "takeaway", "Écoute active des trolls"),
    ("t2", "takeaway", "La ligne éditoriale d'abord"),
    ("t2", "improve", "Plus d'exemples concrets"),
    ("t3", "takeaway", "Le troll est un client"),
]


def make_texts(cube: survey.SurveyCube, texts: list[tuple[str, str, str]] = TEXTS) -> survey.SurveyTexts:
    question_ids = cube.question_ids("text")
    batch = [(cube.positions[talk], question_ids.index(question), text) for talk, question, text in texts]
    return survey.build_texts(len(cube.talks), question_ids, [batch])
