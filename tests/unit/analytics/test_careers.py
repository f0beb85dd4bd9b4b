"""Career paths: the education and role rules, one speaker's timeline, the routes across speakers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from insights.analytics import careers
from insights.domain import ORG_TYPES


@pytest.mark.parametrize(
    ("education", "family", "communication_degree"),
    [
        ("Master communication des organisations", careers.COMMUNICATION, True),
        ("DUT Information-Communication, licence pro communication numérique", careers.COMMUNICATION, True),
        ("DUT Info-Com", careers.COMMUNICATION, True),
        ("BTS Communication, licence professionnelle e-commerce", careers.COMMUNICATION, True),
        (
            "Licence professionnelle Animation de réseaux et de communautés (promotion 2011-2012)",
            careers.COMMUNICATION,
            True,
        ),
        ("Licence pro CM", careers.COMMUNICATION, True),
        ("Diplôme d'école de journalisme", careers.JOURNALISM, True),
        ("ECOLE DE JOURNALISME DE LILLE", careers.JOURNALISM, True),
        ("Master marketing digital", careers.MARKETING, True),
        # The aside in parentheses is not read: marketing, not business.
        ("Master marketing et communication (école de commerce)", careers.MARKETING, True),
        # A communication degree anywhere counts, even after another one.
        ("Licence d'histoire, master communication politique", careers.COMMUNICATION, True),
        ("Master d'histoire contemporaine", careers.HUMANITIES, False),
        ("Master de sociologie", careers.HUMANITIES, False),
        ("Licence LEA anglais-espagnol, formations en ligne", careers.HUMANITIES, False),
        ("Master d'histoire de l'art et muséologie", careers.HUMANITIES, False),
        # Continuing education in communication is not a communication degree.
        ("Master d'anglais (LLCE), formation continue en communication", careers.HUMANITIES, False),
        ("Diplôme d'IEP, master affaires publiques", careers.LAW_POLITICS, False),
        ("Master de droit des affaires", careers.LAW_POLITICS, False),
        ("BTS Négociation et relation client", careers.BUSINESS, False),
        ("École de commerce (programme grande école)", careers.BUSINESS, False),
        ("DUT Techniques de commercialisation", careers.BUSINESS, False),
        ("Master intelligence économique", careers.BUSINESS, False),
        (
            "DUT informatique, licence professionnelle veille et intelligence économique",
            careers.SCIENCES,
            False,
        ),
        ("Master de statistiques appliquées", careers.SCIENCES, False),
        ("Autodidacte (deux années de droit, non terminées)", careers.SELF_TAUGHT, False),
        ("Sans diplôme", careers.SELF_TAUGHT, False),
        ("CAP pâtisserie", careers.OTHER_EDUCATION, False),
        ("", careers.UNKNOWN_EDUCATION, False),
        (None, careers.UNKNOWN_EDUCATION, False),
    ],
)
def test_education_is_classified_by_keywords(education, family, communication_degree):
    assert careers.classify_education(education) == careers.Education(family, communication_degree)


def test_education_rules_ignore_accents_and_case():
    assert careers.classify_education("MASTER MÉDIAS SOCIAUX") == careers.classify_education(
        "master medias sociaux"
    )
    assert careers.classify_education("master medias sociaux").communication_degree


@pytest.mark.parametrize(
    ("role", "family"),
    [
        ("Community manager", careers.ROLE_CM),
        ("Social media manager", careers.ROLE_CM),
        ("Responsable des réseaux sociaux", careers.ROLE_CM),
        ("Webmaster et modérateur de forums", careers.ROLE_CM),
        ("Cofondateur, responsable communauté", careers.ROLE_CM),
        ("Chargée de communication web", careers.ROLE_COMMUNICATION),
        ("Chef de publicité", careers.ROLE_COMMUNICATION),
        ("Journaliste web", careers.ROLE_JOURNALISM),
        ("Conseiller clientèle", careers.ROLE_BUSINESS),
        ("Vendeuse conseil puis assistante marketing", careers.ROLE_BUSINESS),
        ("Consultant e-réputation", careers.ROLE_CONSULTING),
        ("Directeur associé", careers.ROLE_CONSULTING),
        ("Chargée d'études statistiques", careers.ROLE_DATA),
        ("Technicien support", careers.ROLE_DATA),
        # "information" is not "informatique".
        ("Chargé d'information voyageurs", careers.ROLE_OTHER),
        ("Juriste", careers.ROLE_OTHER),
        ("", careers.ROLE_OTHER),
    ],
)
def test_roles_are_classified_by_keywords(role, family):
    assert careers.classify_role(role) == family


def _steps(rows):
    frame = pd.DataFrame(rows, columns=["speaker_id", "year_from", "year_to", "role", "organisation"])
    return frame.astype({"year_from": "int64", "year_to": "Int64"})


STEPS = _steps(
    [
        ("a", 2010, None, "Community manager", "Ville"),
        ("a", 2004, 2008, "Juriste", "Mutuelle"),
        ("a", 2008, 2010, "Chargée de communication", "Mutuelle"),
        ("b", 2012, 2012, "Stagiaire community manager", "Agence"),
        ("b", 2013, 2015, "Journaliste", "Quotidien"),
    ]
)

SPEAKERS = pd.DataFrame(
    {
        "speaker_id": ["a", "b", "c", "d"],
        "name": ["Anne", "Bruno", "Chloé", "Driss"],
        "title": ["Community manager", "Journaliste", "Consultante", "Chargé de communication"],
        "org_type": ["collectivité", "agence", "indépendant", "agence"],
        "years_experience": pd.array([12, 3, None, 8], dtype="Int64"),
        "education": ["Master de droit", "Licence information-communication", "", "BTS commerce"],
    }
)


def test_a_timeline_runs_oldest_first_and_the_current_job_runs_until_the_given_year():
    timeline = careers.career_timeline(STEPS[STEPS["speaker_id"] == "a"], until=2016)
    assert timeline["role"].tolist() == ["Juriste", "Chargée de communication", "Community manager"]
    assert timeline["year_from"].tolist() == [2004, 2008, 2010]
    assert timeline["year_to"].tolist() == [2008, 2010, 2016]
    assert timeline["current"].tolist() == [False, False, True]
    assert timeline["family"].tolist() == [careers.ROLE_OTHER, careers.ROLE_COMMUNICATION, careers.ROLE_CM]


def test_a_current_job_started_after_the_given_year_still_has_a_length_of_zero_or_more():
    timeline = careers.career_timeline(_steps([("a", 2020, None, "CM", "X")]), until=2016)
    assert timeline["year_to"].tolist() == [2020]


def test_routes_take_the_first_and_the_current_role():
    routes = careers.career_routes(SPEAKERS, STEPS).set_index("speaker_id")
    assert routes.at["a", "first_role"] == "Juriste"
    assert routes.at["a", "current_role"] == "Community manager"
    assert routes.at["a", "education_family"] == careers.LAW_POLITICS
    assert not routes.at["a", "communication_degree"]
    # Without an open-ended step, the latest step is the current role.
    assert routes.at["b", "first_role"] == "Stagiaire community manager"
    assert routes.at["b", "current_role"] == "Journaliste"
    assert routes.at["b", "communication_degree"]
    # Without steps, the title stands for both.
    assert routes.at["c", "first_role"] == routes.at["c", "current_role"] == "Consultante"
    assert routes.at["c", "education_family"] == careers.UNKNOWN_EDUCATION


def test_route_flows_count_speakers_between_stages():
    routes = careers.career_routes(SPEAKERS, STEPS)
    flows = careers.route_flows(routes)
    # Each speaker makes one flow per pair of stages.
    assert flows.groupby("source_stage")["speakers"].sum().to_dict() == {0: 4, 1: 4}
    education_to_first = flows[flows["source_stage"] == 0].set_index(["source", "target"])["speakers"]
    assert education_to_first[(careers.LAW_POLITICS, careers.ROLE_OTHER)] == 1
    assert education_to_first[(careers.COMMUNICATION, careers.ROLE_CM)] == 1
    first_to_current = flows[flows["source_stage"] == 1]
    assert set(first_to_current["target_stage"]) == {2}
    communication = flows[flows["communication_degree"]]
    assert communication["speakers"].sum() == 2  # Bruno, on both pairs of stages


def test_route_flows_group_speakers_who_took_the_same_route():
    twins = pd.DataFrame(
        {
            "speaker_id": ["x", "y"],
            "name": ["X", "Y"],
            "title": ["Community manager", "Community manager"],
            "org_type": ["agence", "agence"],
            "years_experience": pd.array([1, 2], dtype="Int64"),
            "education": ["Master d'histoire", "Licence de lettres"],
        }
    )
    flows = careers.route_flows(careers.career_routes(twins, STEPS.iloc[0:0]))
    assert flows["speakers"].tolist() == [2, 2]
    assert flows["source"].tolist() == [careers.HUMANITIES, careers.ROLE_CM]


def test_the_share_without_a_communication_degree_leaves_unknown_education_out():
    share = careers.without_communication_degree(careers.career_routes(SPEAKERS, STEPS))
    assert (share.without, share.n) == (2, 3)  # Anne (law) and Driss (business); Chloé unknown
    assert share.share == pytest.approx(2 / 3)
    assert math.isnan(careers.DegreeShare(0, 0).share)


def test_education_counts_follow_the_families_order():
    counts = careers.education_counts(careers.career_routes(SPEAKERS, STEPS))
    assert counts["education_family"].tolist() == [
        careers.COMMUNICATION,
        careers.LAW_POLITICS,
        careers.BUSINESS,
        careers.UNKNOWN_EDUCATION,
    ]
    assert counts["speakers"].tolist() == [1, 1, 1, 1]
    assert counts["communication_degree"].tolist() == [True, False, False, False]


def test_experience_by_org_type_leaves_unknown_years_out_and_follows_the_types_order():
    experience = careers.experience_by_org_type(SPEAKERS, ORG_TYPES)
    assert experience["name"].tolist() == ["Bruno", "Driss", "Anne"]
    assert experience["org_type"].tolist() == ["agence", "agence", "collectivité"]
    assert experience["years_experience"].tolist() == [3, 8, 12]
