"""A tiny programme whose theme and planning figures are computed by hand: three speakers, three
talks over two cohorts, four quotes, fourteen responses and six takeaways, written to an in-memory
store and read back as the app reads it (`load_model`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from insights import store
from insights.analytics.model import Model, load_model
from tests.unit.survey_fixtures import publish_all

COHORTS = [{"cohort": "A", "size": 20}, {"cohort": "B", "size": 20}]

SPEAKERS = [
    {
        "speaker_id": "s1",
        "name": "Alice Martin",
        "title": "Consultante",
        "organisation": "Agence Houle",
        "org_type": "agence",
    },
    {
        "speaker_id": "s2",
        "name": "Bruno Petit",
        "title": "Bénévole",
        "organisation": "Les Restos",
        "org_type": "association",
    },
    {
        "speaker_id": "s3",
        "name": "Chloé Roy",
        "title": "Community manager",
        "organisation": "Groupe Poste",
        "org_type": "grand groupe",
    },
]

# Cohort A: t1 (s1; crise, conversation), t2 (s1 + s2; crise). Cohort B: t3 (s3; outils, crise).
INTERVENTIONS = [
    {
        "intervention_id": "t1",
        "date": "2014-10-01",
        "cohort": "A",
        "semester": "S1",
        "speaker_ids": ["s1"],
        "title": "Trolls",
        "format": "témoignage de CM",
        "themes": ["crise", "conversation"],
        "tools": "",
    },
    {
        "intervention_id": "t2",
        "date": "2014-11-01",
        "cohort": "A",
        "semester": "S1",
        "speaker_ids": ["s1", "s2"],
        "title": "Crise et bénévoles",
        "format": "atelier",
        "themes": ["crise"],
        "tools": "",
    },
    {
        "intervention_id": "t3",
        "date": "2015-10-01",
        "cohort": "B",
        "semester": "S1",
        "speaker_ids": ["s3"],
        "title": "Outils",
        "format": "présentation d'outil",
        "themes": ["outils", "crise"],
        "tools": "Hootsuite",
    },
]

QUOTES = [
    # q2 is only proposed and q4 comes from no known talk: neither counts anywhere.
    ("q1", "Ne nourrissez pas le troll.", "s1", "t1", ["crise"], "publiée"),
    ("q2", "Proposée", "s1", "t1", ["crise"], "proposée"),
    ("q3", "Un outil ne remplace rien.", "s3", "t3", ["outils", "veille"], "publiée"),
    ("q4", "Sans talk", "s2", None, ["crise"], "publiée"),
]

# Usefulness and transparency per response; t1 has 5 responses, t2 has 3, t3 has 6.
ANSWERS = {
    "t1": ([5, 4, 4, 5, 2], [4, 4, 3, 5, 4]),
    "t2": ([3, 3, 4], [2, 3, 3]),
    "t3": ([5, 5, 4, 4, 5, 5], [3, 3, 3, 3, 3, 3]),
}

# The takeaways, given to each talk's responses in order; the store's tagger tags "Un troll" and
# "Le bad buzz" crise, "Un outil" outils, and "Rien" nothing.
TAKEAWAYS = [
    ("t1", "Un troll"),
    ("t1", "Le bad buzz"),
    ("t1", "Rien"),
    ("t2", "Un troll"),
    ("t3", "Un outil"),
    ("t3", "Un outil"),
]

# The respondent key of each response: a student's pseudonymous key, never to be shown.
RESPONDENT_PREFIX = "etudiant-secret-"


def response_id(talk: str, index: int) -> str:
    return f"{talk}-{index}"


def make_store(
    takeaways: Sequence[tuple[str, str | None]] = TAKEAWAYS,
    *,
    answers: dict[str, tuple[list[int], list[int]]] = ANSWERS,
    other_texts: Sequence[tuple[str, str, str | None]] = (),
    with_programme: bool = True,
) -> sqlite3.Connection:
    """An in-memory store holding the programme. Response i of a talk gives the i-th usefulness
    and transparency, the talk's i-th takeaway and i-th other text (talk, question, text); a
    talk with more texts than scores gets responses with texts only."""
    conn = store.connect(":memory:")
    if not with_programme:
        return conn
    store.write_cohorts(conn, COHORTS)
    store.write_speakers(
        conn,
        [
            {"sector": "", "networks": "", "years_experience": None, "education": "", "bio": ""} | speaker
            for speaker in SPEAKERS
        ],
    )
    store.write_interventions(conn, INTERVENTIONS)
    store.write_quotes(
        conn,
        [
            {
                "quote_id": quote_id,
                "text": text,
                "speaker_id": speaker_id,
                "intervention_id": talk_id,
                "themes": themes,
                "source": "support",
                "status": status,
            }
            for quote_id, text, speaker_id, talk_id, themes, status in QUOTES
        ],
    )
    rows, values = [], []
    for talk in (i["intervention_id"] for i in INTERVENTIONS):
        usefulness, transparency = answers.get(talk, ([], []))
        texts = [("takeaway", text) for t, text in takeaways if t == talk]
        others = [(question, text) for t, question, text in other_texts if t == talk]
        for index in range(max(len(usefulness), len(texts), len(others))):
            rid = response_id(talk, index)
            rows.append(
                {
                    "response_id": rid,
                    "intervention_id": talk,
                    "submitted_at": "",
                    "respondent": f"{RESPONDENT_PREFIX}{talk}-{index}",
                }
            )
            if index < len(usefulness):
                values.append((rid, "usefulness", float(usefulness[index]), None))
                values.append((rid, "pillar_transparency", float(transparency[index]), None))
            for given in (texts, others):
                if index < len(given):
                    values.append((rid, given[index][0], None, given[index][1]))
    store.write_responses(conn, rows, values)
    publish_all(conn)  # what students see, once everything is published
    return conn


def make_model(conn: sqlite3.Connection | None = None) -> Model:
    return load_model(conn if conn is not None else make_store())


def everything(model: Model) -> np.ndarray:
    return np.ones(len(model.cube.talks), dtype=bool)


def nothing(model: Model) -> np.ndarray:
    return np.zeros(len(model.cube.talks), dtype=bool)
