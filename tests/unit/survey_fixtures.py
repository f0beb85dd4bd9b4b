"""A tiny, hand-countable survey: three talks, two speakers, two cohorts, written to an in-memory
store and read back as the app reads it."""

from __future__ import annotations

import sqlite3

import pandas as pd

from insights import store
from insights.analytics.cube import SurveyCube
from insights.analytics.model import Model, load_model

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


def make_store(
    answers: dict[str, dict[str, list]] = ANSWERS,
    responses: dict[str, int] = RESPONSES,
    texts: list[tuple[str, str, str]] = TEXTS,
) -> sqlite3.Connection:
    """An in-memory store holding the tiny survey: response i of a talk gives the i-th value of each
    question's list (fewer values than responses: later responses skip the question), and the free
    texts go to the talk's responses in order."""
    conn = store.connect(":memory:")
    store.write_cohorts(conn, COHORTS.to_dict("records"))
    store.write_speakers(
        conn,
        [
            {
                **row,
                "years_experience": None
                if pd.isna(row["years_experience"])
                else int(row["years_experience"]),
            }
            for row in SPEAKERS.to_dict("records")
        ],
    )
    store.write_interventions(conn, TALKS.to_dict("records"))
    kinds = dict(
        zip(*(pd.DataFrame(store.default_questions())[c] for c in ("question_id", "type")), strict=True)
    )
    rows, values = [], []
    for talk in TALKS["intervention_id"]:
        talk_texts = [(question, text) for t, question, text in texts if t == talk]
        count = max(
            [responses.get(talk, 0), *(len(v) for v in answers.get(talk, {}).values()), len(talk_texts)]
        )
        for index in range(count):
            response_id = f"{talk}-r{index:03d}"
            rows.append(
                {"response_id": response_id, "intervention_id": talk, "submitted_at": "", "respondent": ""}
            )
            for question, given in answers.get(talk, {}).items():
                if index < len(given):
                    value = given[index]
                    number = None if kinds[question] in ("choice", "text") else float(value)
                    values.append((response_id, question, number, value if number is None else None))
        for index, (question, text) in enumerate(talk_texts):
            values.append((f"{talk}-r{index:03d}", question, None, text))
    store.write_responses(conn, rows, values)
    return conn


def make_model(
    answers: dict[str, dict[str, list]] = ANSWERS,
    responses: dict[str, int] = RESPONSES,
    texts: list[tuple[str, str, str]] = TEXTS,
) -> Model:
    """The model of the tiny survey, read back from its store (the app's own path)."""
    return load_model(make_store(answers, responses, texts))


def make_cube(
    answers: dict[str, dict[str, list]] = ANSWERS, responses: dict[str, int] = RESPONSES
) -> SurveyCube:
    return make_model(answers, responses).cube


def publish_all(conn: sqlite3.Connection) -> None:
    """Publish the results of every talk with responses and mark every free-text answer public,
    as written: the store as students see it once the director has published everything."""
    answered = store.load_talk_responses(conn).query("responses > 0")["intervention_id"].tolist()
    store.set_result_state(conn, answered, "published", "import")
    texts = store.free_text_answers(conn, store.load_responses(conn)["response_id"].tolist())
    store.write_reviews(
        conn,
        [
            {"response_id": response_id, "question_id": question_id, "status": "public", "edited": None}
            for response_id, answers in texts.items()
            for question_id in answers
        ],
    )
