"""Recognising each survey tool's export and its columns; matching columns to the question catalogue;
saving mappings."""

from __future__ import annotations

import pandas as pd
import pytest

from insights import store
from insights.ingest import formats
from insights.ingest.formats import IDENTITY, META, QUESTION, SOURCE_ID, STARTED, SUBMITTED
from insights.ingest.mapping import (
    IGNORE,
    INTERVENTION,
    NEW,
    QUESTION_TARGET,
    UNMAPPED,
    ColumnTarget,
    Mapping,
    best_saved_mapping,
    fingerprint,
    match_intervention,
    merge_saved,
    new_question_id,
    option_label,
    option_target,
    suggest_question,
    target_option,
    target_options,
    wording_similarity,
)


@pytest.fixture
def catalogue() -> pd.DataFrame:
    conn = store.connect(":memory:")
    try:
        return store.load_questions(conn)
    finally:
        conn.close()


def roles(format_name: str, header: list[str]) -> list[str]:
    return [c.role for c in formats.FORMATS[format_name].classify(header)]


# --- recognition -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Horodateur", "Q1"], "google-forms"),
        (["Timestamp", "Email Address", "Q1"], "google-forms"),
        (["ID", "Start time", "Completion time", "Email", "Name", "Q1"], "microsoft-forms"),
        (["Id", "Heure de début", "Heure de fin", "Adresse de messagerie", "Nom", "Q1"], "microsoft-forms"),
        (["id", "submitdate", "lastpage", "startlanguage", "Q1"], "limesurvey"),
        (["Response ID", "Date submitted", "Last page", "Start language"], "limesurvey"),
        (["ID de la réponse", "Date de soumission", "Dernière page"], "limesurvey"),
        (["id. Response ID", "submitdate. Date submitted", "lastpage. Last page"], "limesurvey"),
        (["response_id", "intervention_id", "submitted_at"], "template"),
        (["cohort", "size"], "template"),
    ],
)
def test_each_tool_is_recognised_by_its_header(header, expected):
    assert formats.detect([(1, header)])[0] == expected


def test_the_header_may_follow_rows_typed_above_it():
    records = [(1, ["q", "1", "q2"]), (2, []), (3, ["Horodateur", "Note"])]
    assert formats.detect(records) == ("google-forms", 3)


def test_microsoft_forms_in_another_language_is_recognised_by_its_table_and_positions():
    header = ["ID", "開始時刻", "完了時刻", "メール", "名前", "Q1"]
    assert formats.detect([(1, header)], ["Table1"]) == ("microsoft-forms", 1)
    header = ["ID", "Hora", "Otra", "Correo", "Nombre", "Q1"]
    assert formats.detect([(1, header)]) == ("template", 1)


# --- column roles -------------------------------------------------------------------------------------


def test_google_columns():
    header = ["Horodateur", "Adresse e-mail", "Score", "Nom et prénom", "Note [Ligne 1]", "Column 29"]
    assert roles("google-forms", header) == [SUBMITTED, IDENTITY, META, IDENTITY, QUESTION, QUESTION]
    grid = formats.FORMATS["google-forms"].classify(["Horodateur", "Capacité d'agir ?  [La gouvernance ]"])[1]
    assert (grid.grid_title, grid.grid_row) == ("Capacité d'agir ?", "La gouvernance ")


def test_microsoft_forms_columns():
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time", "Total points",
              "Quiz feedback", "Q", "Points - Q", "Feedback - Q", "Q2"]  # fmt: skip
    assert roles("microsoft-forms", header) == [
        SOURCE_ID, STARTED, SUBMITTED, IDENTITY, IDENTITY, META, META, META, QUESTION, META, META, QUESTION
    ]  # fmt: skip
    repeated = formats.FORMATS["microsoft-forms"].classify(header)[-1]
    assert (repeated.key, repeated.text) == ("Q2", "Q")  # a repeated title is matched by its wording


def test_limesurvey_columns():
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr",
              "refurl", "token", "G1Q1", "G1Q2[SQ001]", "G1Q2[SQ002]", "interviewtime", "groupTime12", "G1Q1Time"]  # fmt: skip
    assert roles("limesurvey", header) == [
        SOURCE_ID, SUBMITTED, META, META, META, STARTED, META, META, META, IDENTITY, QUESTION, QUESTION,
        QUESTION, META, META, META,
    ]  # fmt: skip
    full = ["ID de la réponse", "Date de soumission", "Dernière page", "Nom &amp; Post-nom",
            "Durée totale de l'entretien", "Durée pour la question: G1Q1"]  # fmt: skip
    columns = formats.FORMATS["limesurvey"].classify(full)
    assert [c.role for c in columns] == [SOURCE_ID, SUBMITTED, META, QUESTION, META, META]
    assert columns[3].text == "Nom & Post-nom"  # HTML entities decoded
    coded = formats.FORMATS["limesurvey"].classify(["id. Response ID", "Q1. Votre avis"])[1]
    assert (coded.code, coded.text) == ("Q1", "Votre avis")


def test_repeated_headers_get_unique_keys():
    assert formats.unique_keys(["Note", "Note", "", "Note"]) == [
        "Note",
        "Note (2)",
        "colonne n° 3",
        "Note (3)",
    ]


# --- matching wordings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "question_id"),
    [
        ("satisfaction", "satisfaction"),
        ("Globalement, êtes-vous satisfait(e) de cette intervention ?", "satisfaction"),
        ("GLOBALEMENT JE SUIS SATISFAITE DE CETTE INTERVENTION", "satisfaction"),
        ("Le propos était-il clair et structuré ?", "clarity"),
        ("Q3. Le propos était clair et structuré", "clarity"),
        ("Recommanderiez-vous de réinviter cet·te intervenant·e ?", "recommend"),
        ("Le conseil que vous retenez", "takeaway"),
    ],
)
def test_close_wordings_find_their_question(catalogue, header, question_id):
    column = formats.FORMATS["google-forms"].classify(["Horodateur", header])[1]
    assert suggest_question(column, catalogue).question_id == question_id


@pytest.mark.parametrize("header", ["How satisfied were you?", "Votre promo préférée", "Note", "Column 29"])
def test_unrelated_wordings_are_left_to_the_director(catalogue, header):
    column = formats.FORMATS["google-forms"].classify(["Horodateur", header])[1]
    assert suggest_question(column, catalogue) is None


def test_a_grid_row_is_matched_by_its_own_wording(catalogue):
    column = formats.FORMATS["google-forms"].classify(
        ["Horodateur", "Elle m'a aidé·e…  [sur le juste engagement du CM]"]
    )[1]
    assert suggest_question(column, catalogue).question_id == "pillar_engagement"


def test_similarity_is_symmetric_and_bounded():
    assert wording_similarity("Le propos était clair", "le propos etait clair !") == 1.0
    assert 0 <= wording_similarity("abc", "xyz") < 0.5


def test_interventions_are_named_by_id_or_title():
    interventions = pd.DataFrame(
        {"intervention_id": ["i1", "i2", "i3"], "title": ["Gérer un bad buzz", "Kpilot", "Gérer un bad buzz"]}
    )
    assert match_intervention("i2", interventions) == "i2"
    assert match_intervention("i2 — Kpilot", interventions) == "i2"
    assert match_intervention("kpilot", interventions) == "i2"
    assert match_intervention("Gérer un bad buzz", interventions) is None  # two talks have that title
    assert match_intervention("", interventions) is None


# --- saved mappings ---------------------------------------------------------------------------------------


def test_a_mapping_survives_json():
    mapping = Mapping(
        columns={
            "Q1": ColumnTarget(QUESTION_TARGET, "satisfaction", values={"Bof": "2"}),
            "Q2": ColumnTarget(IGNORE),
        },
        intervention_values={"Kpilot": "i2"},
        grid_mode="intervention",
        grid_questions={"Note": ColumnTarget(NEW, question_type="nps", label="Note")},
        grid_rows={"Talk A": "i1", "Talk B": ""},
    )
    assert Mapping.from_json(mapping.to_json()) == mapping


def test_a_fingerprint_names_a_form_by_its_tool_and_questions():
    google = formats.FORMATS["google-forms"]
    one = google.classify(["Horodateur", "Adresse e-mail", "Note", "Avis"])
    same = google.classify(["Timestamp", "Email Address", "note", "Avis "])
    other = google.classify(["Horodateur", "Note", "Avis", "Autre"])
    assert fingerprint("google-forms", one) == fingerprint("google-forms", same)
    assert fingerprint("google-forms", one) != fingerprint("google-forms", other)
    assert fingerprint("google-forms", one) != fingerprint("limesurvey", one)


def test_saved_decisions_win_over_automatic_ones_for_the_columns_present():
    automatic = Mapping(columns={"A": ColumnTarget(QUESTION_TARGET, "clarity"), "B": ColumnTarget(UNMAPPED)})
    saved = Mapping(
        columns={"B": ColumnTarget(IGNORE), "C": ColumnTarget(INTERVENTION), "A": ColumnTarget(UNMAPPED)}
    )
    merged = merge_saved(automatic, saved, ["A", "B"])
    assert merged.columns == {"A": ColumnTarget(QUESTION_TARGET, "clarity"), "B": ColumnTarget(IGNORE)}


def test_the_closest_saved_form_is_offered_when_none_is_exact():
    saved = pd.DataFrame(
        {
            "fingerprint": ["f1", "f2"],
            "headers": [["Horodateur", "A", "B", "C"], ["Horodateur", "X"]],
            "mapping": [Mapping(grid_mode="intervention").to_json(), Mapping().to_json()],
        }
    )
    assert best_saved_mapping(saved, "f2", ["whatever"]) == (Mapping(), True)
    assert best_saved_mapping(saved, "f9", ["Horodateur", "A", "B", "D"]) == (
        Mapping(grid_mode="intervention"),
        False,
    )
    assert best_saved_mapping(saved, "f9", ["Autre", "Y"]) is None


def test_new_question_ids_are_readable_and_unique():
    assert new_question_id('Votre "slogan" de CM en une phrase', []) == "q_votre_slogan_une_phrase"
    assert (
        new_question_id("Votre slogan, une phrase", ["q_votre_slogan_une_phrase"])
        == "q_votre_slogan_une_phrase_2"
    )
    assert new_question_id("?!", []) == "q_question"


def test_the_form_choices_encode_and_decode():
    options = target_options(["satisfaction", "q_x"])
    assert options[:4] == [UNMAPPED, IGNORE, INTERVENTION, "respondent"]
    assert "respondent" not in target_options(["satisfaction"], for_grid=True)
    for option in options:
        assert target_option(option_target(option)) == option
    labels = {"satisfaction": "Globalement…", "q_x": "Une question ajoutée par un import précédent, longue"}
    assert option_label("question:satisfaction", labels) == "Satisfaction (satisfaction)"
    assert option_label("question:q_x", labels) == "Une question ajoutée par un import préc… (q_x)"
    assert option_label("new:likert5", labels) == "Nouvelle question : échelle d'accord de 1 à 5"
    assert option_target("question:clarity", {"Bof": "2"}).values == {"Bof": "2"}
