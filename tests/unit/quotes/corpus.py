"""The small corpus of quotes the search tests run on: two speakers, two talks, ten quotes of which
eight are published (one without a known talk), one proposed and one refused."""

from __future__ import annotations

import sqlite3

from insights import store
from insights.domain import PUBLISHED

SPEAKERS = [
    {"speaker_id": "sp1", "name": "Camille Martin", "org_type": "agence", "organisation": "Agence Ouest"},
    {
        "speaker_id": "sp2",
        "name": "Julien Petit",
        "org_type": "collectivité",
        "organisation": "Ville de Rezé",
    },
]
INTERVENTIONS = [
    {"intervention_id": "i2015", "date": "2015-10-12", "cohort": "2015-2016", "speaker_ids": ["sp1"]},
    {"intervention_id": "i2016", "date": "2016-11-24", "cohort": "2016-2017", "speaker_ids": ["sp2"]},
]
# (quote_id, text, speaker_id, intervention_id, themes, status)
QUOTES = [
    ("q01", "Face à un troll, ne répondez jamais sur le coup.", "sp1", "i2015", ["crise"], PUBLISHED),
    (
        "q02",
        "Les trolls cherchent un public : ne leur offrez pas notre page.",
        "sp2",
        "i2016",
        ["crise"],
        PUBLISHED,
    ),
    (
        "q03",
        "Les haters se lassent quand personne ne les nourrit.",
        "sp1",
        "i2015",
        ["crise", "conversation"],
        PUBLISHED,
    ),
    (
        "q04",
        "Un bad buzz se prépare avant la crise, avec une charte de modération.",
        "sp2",
        "i2016",
        ["crise"],
        PUBLISHED,
    ),
    (
        "q05",
        "Le buzz d'un jour ne fait pas une stratégie, ni un bad plan.",
        "sp1",
        "i2015",
        ["strategie"],
        PUBLISHED,
    ),
    (
        "q06",
        "Le CM doit être au chevet de l'innovation web, et passionné.",
        "sp2",
        None,
        ["veille"],
        PUBLISHED,
    ),
    (
        "q07",
        "Les réseaux sociaux demandent une veille de chaque jour.",
        "sp1",
        "i2015",
        ["veille", "strategie"],
        PUBLISHED,
    ),
    (
        "q08",
        "Un troll sur notre page ? Ne supprimez rien, répondez avec calme.",
        "sp2",
        "i2016",
        ["crise"],
        "proposée",
    ),
    ("q09", "Troll troll troll : la page des trolls.", "sp1", "i2015", ["crise"], "refusée"),
    (
        "q10",
        "Je n'ai pas de diplôme en communication : j'ai appris en autodidacte.",
        "sp2",
        "i2016",
        ["parcours"],
        PUBLISHED,
    ),
]
PUBLISHED_IDS = {q[0] for q in QUOTES if q[5] == PUBLISHED}


def quote_record(
    quote_id: str, text: str, speaker: str, intervention: str | None, themes: list[str], status: str
) -> dict:
    """A quote as `store.write_quotes` takes it."""
    return {
        "quote_id": quote_id,
        "text": text,
        "speaker_id": speaker,
        "intervention_id": intervention,
        "themes": themes,
        "source": "notes d'étudiant",
        "status": status,
    }


def build_corpus(conn: sqlite3.Connection) -> None:
    """Write the corpus into an empty database (every talk in semester S1)."""
    store.write_cohorts(conn, [{"cohort": "2015-2016", "size": 24}, {"cohort": "2016-2017", "size": 22}])
    store.write_speakers(
        conn,
        [
            {
                **speaker,
                "title": "Community manager",
                "sector": "",
                "networks": "",
                "years_experience": 5,
                "education": "",
                "bio": "",
            }
            for speaker in SPEAKERS
        ],
    )
    store.write_interventions(
        conn,
        [
            {
                **intervention,
                "semester": "S1",
                "title": f"Talk {intervention['intervention_id']}",
                "format": "témoignage de CM",
                "tools": "",
                "themes": [],
            }
            for intervention in INTERVENTIONS
        ],
    )
    store.write_quotes(conn, [quote_record(*q) for q in QUOTES])
