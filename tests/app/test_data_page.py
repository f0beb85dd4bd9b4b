"""The "Données" page with AppTest: an upload with its column mapping, problems shown and nothing
written, corrections and deletions in the tables, exports, the anonymity threshold."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insights import store
from tests.survey_exports import GOOGLE_FR, GOOGLE_FR_TALK, GOOGLE_FR_UNKNOWN

ROOT = Path(__file__).resolve().parents[2]


def open_data_page(role: str | None = "director") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if role is not None:
        at.session_state["role"] = role
    at.run()
    at.switch_page(str(ROOT / "pages" / "data.py")).run()
    assert not at.exception, at.exception
    return at


def by_label(widgets, label: str):
    return next(w for w in widgets if w.label == label)


def problems_shown(at: AppTest):
    """The problems table (the only read-only table with a "Raison" column)."""
    return next(
        d.value
        for d in at.dataframe
        if list(d.value.columns) == ["Fichier", "Ligne", "Colonne", "Valeur", "Raison"]
    )


def upload(at: AppTest, name: str, content: bytes) -> None:
    at.file_uploader(key="data_upload").upload(name, content, "text/csv").run()
    assert not at.exception, at.exception


def test_a_student_has_no_data_page(app_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / "pages" / "data.py"))


def test_the_page_guards_itself_when_run_alone(app_db):
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    # the sign-in (its form, or how to set a password when none is), never the page
    assert any("mot de passe" in w.value for w in at.warning) or any(
        field.label == "Mot de passe" for field in at.text_input
    )
    assert not at.tabs and not at.get("file_uploader")
    assert [t.value for t in at.title] != ["Données"]


def test_an_upload_is_mapped_then_imported(app_db):
    at = open_data_page()
    assert [t.label for t in at.tabs] == ["Importer", "Corriger", "Exporter", "Sauvegardes", "Réglages"]
    assert at.selectbox(key="data_kind").value == "responses"
    upload(at, GOOGLE_FR.name, GOOGLE_FR.read_bytes())
    assert "Format : Google Forms · CSV, encodage UTF-8 · séparateur virgule « , » · 6 lignes" in [
        s.value for s in at.success
    ]
    assert any("jamais enregistrés" in c.value for c in at.caption)
    unknown = by_label(at.selectbox, f"Correspondance de « {GOOGLE_FR_UNKNOWN} »")
    assert unknown.value == ""
    assert (
        by_label(at.selectbox, "Correspondance de « Le conseil que je retiens »").value == "question:takeaway"
    )
    assert any("1 colonne à associer" in w.value for w in at.warning)

    unknown.set_value("new:text").run()
    by_label(at.selectbox, "Intervention de tout le fichier").set_value(GOOGLE_FR_TALK).run()
    by_label(at.button, "Importer").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success][-1] == (
        f"{GOOGLE_FR.name} : 6 ajouté(s), 0 mis à jour, 0 inchangé(s) ; 1 question ajoutée au questionnaire."
    )
    conn = store.connect(app_db)
    try:
        responses = store.load_responses(conn)
        assert (
            responses["response_id"].str.startswith("gf-") & (responses["intervention_id"] == GOOGLE_FR_TALK)
        ).sum() == 6
        assert "q_votre_slogan_une_phrase" in set(store.load_questions(conn)["question_id"])
        assert len(store.load_import_mappings(conn)) == 1
    finally:
        conn.close()

    # The next file of the same form is mapped the same way.
    at.file_uploader(key="data_upload").clear().run()
    upload(at, "suite.csv", GOOGLE_FR.read_bytes())
    assert any("celle enregistrée pour ce formulaire" in i.value for i in at.info)
    column = by_label(at.selectbox, f"Correspondance de « {GOOGLE_FR_UNKNOWN} »")
    assert column.value == "question:q_votre_slogan_une_phrase"


def test_a_check_without_saving_writes_nothing(app_db):
    at = open_data_page()
    upload(at, GOOGLE_FR.name, GOOGLE_FR.read_bytes())
    by_label(at.selectbox, f"Correspondance de « {GOOGLE_FR_UNKNOWN} »").set_value("ignore").run()
    by_label(at.selectbox, "Intervention de tout le fichier").set_value(GOOGLE_FR_TALK).run()
    by_label(at.button, "Vérifier sans enregistrer").click().run()
    assert any("le fichier est valide" in i.value and "6 ajouté(s)" in i.value for i in at.info)
    conn = store.connect(app_db)
    try:
        assert not store.load_responses(conn)["response_id"].str.startswith("gf-").any()
    finally:
        conn.close()


def test_problems_are_listed_and_nothing_is_written(app_db):
    at = open_data_page()
    header_only = GOOGLE_FR.read_bytes().split(b"\r\n")[0]
    upload(at, "vide.csv", header_only)
    by_label(at.button, "Importer").click().run()
    assert any("rien n'a été enregistré" in e.value for e in at.error)
    problems = problems_shown(at)
    reasons = problems["Raison"].tolist()
    assert "aucune ligne de données sous l'en-tête" in reasons
    assert any(r.startswith("intervention non précisée") for r in reasons)
    assert any(b.label == "Télécharger la liste des problèmes (CSV)" for b in at.get("download_button"))


def test_an_unreadable_file_is_explained(app_db):
    at = open_data_page()
    upload(at, "export.csv", b"Horodateur,Note\n" + "25/10/2023 14:55:21,très\n".encode("utf-16-le"))
    assert any(e.value.startswith("Import impossible — ce n'est pas un fichier texte CSV") for e in at.error)


def test_an_empty_template_is_offered_for_each_kind(app_db):
    at = open_data_page()
    at.selectbox(key="data_kind").set_value("speakers").run()
    assert any("speaker_id, name, title" in c.value for c in at.caption)
    assert any(b.label == "Modèle vide" for b in at.get("download_button"))


def _editor_key(at: AppTest, kind: str) -> str:
    return f"data_editor_{kind}_{at.session_state['data_editor_generation']}"


def test_a_correction_in_the_table_is_saved(app_db):
    at = open_data_page()
    at.session_state[_editor_key(at, "speakers")] = {
        "edited_rows": {0: {"title": "Directrice de la communication"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    by_label(at.button, "Enregistrer les modifications").click().run()
    assert not at.exception, at.exception
    assert "Modifications enregistrées : 0 ajouté(s), 1 mis à jour." in [s.value for s in at.success]
    conn = store.connect(app_db)
    try:
        assert store.load_speakers(conn)["title"].iloc[0] == "Directrice de la communication"
    finally:
        conn.close()


def test_an_invalid_correction_is_refused(app_db):
    at = open_data_page()
    at.session_state[_editor_key(at, "speakers")] = {
        "edited_rows": {1: {"org_type": "ministère"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    by_label(at.button, "Enregistrer les modifications").click().run()
    problems = problems_shown(at)
    assert problems[["Fichier", "Ligne", "Colonne"]].values.tolist() == [
        ["Intervenant·es (tableau)", 2, "org_type"]
    ]


@pytest.mark.parametrize("confirm", [True, False])
def test_a_deletion_says_what_depends_on_the_row_and_waits_for_confirmation(app_db, confirm):
    at = open_data_page()
    at.selectbox(key="data_edit_kind").set_value("cohorts").run()
    at.session_state[_editor_key(at, "cohorts")] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    by_label(at.button, "Enregistrer les modifications").click().run()
    assert any("Supprimer 1 ligne (2011\\-2012) de « Promotions » ?" in w.value for w in at.warning)
    consequences = next(
        m.value for m in at.markdown if m.value.startswith("Cette suppression entraîne aussi")
    )
    assert (
        "interventions supprimée(s) aussi" in consequences and "réponses aux questionnaires" in consequences
    )
    conn = store.connect(app_db)
    try:
        assert "2011-2012" in set(store.load_cohorts(conn)["cohort"])  # not before confirmation
    finally:
        conn.close()
    by_label(at.button, "Confirmer la suppression" if confirm else "Annuler").click().run()
    assert not at.exception, at.exception
    conn = store.connect(app_db)
    try:
        assert ("2011-2012" in set(store.load_cohorts(conn)["cohort"])) is not confirm
    finally:
        conn.close()
    if confirm:
        assert "Modifications enregistrées : 0 ajouté(s), 0 mis à jour, 1 supprimé(s)." in [
            s.value for s in at.success
        ]


def test_exports_are_offered(app_db):
    at = open_data_page()
    labels = [b.label for b in at.get("download_button")]
    assert "Fichiers CSV (archive .zip)" in labels and "Classeur Excel (.xlsx)" in labels


def test_the_anonymity_threshold_is_set_here_with_a_minimum(app_db):
    at = open_data_page()
    threshold = at.number_input(key="data_threshold")
    assert threshold.value == 5 and threshold.min == 2
    threshold.set_value(8).run()
    by_label(at.button, "Enregistrer le seuil").click().run()
    assert "Seuil d'anonymat : 8 réponses." in [s.value for s in at.success]
    conn = store.connect(app_db)
    try:
        assert store.anonymity_threshold(conn) == 8
    finally:
        conn.close()


def test_the_director_lists_downloads_and_restores_a_backup(app_db):
    conn = store.connect(app_db)
    saved_quotes = len(store.load_quotes(conn))
    conn.close()
    at = open_data_page()
    at.button(key="data_backup_now").click().run()
    assert at.success and at.success[0].value == "Sauvegarde faite."
    table = next(frame.value for frame in at.dataframe if "reason" in frame.value.columns)
    assert table["reason"].tolist() == ["à la demande"]
    download = at.get("download_button")
    assert any(button.proto.label == "Télécharger cette sauvegarde" for button in download)

    conn = store.connect(app_db)
    conn.execute("DELETE FROM quote_themes")
    conn.execute("DELETE FROM quotes")  # a mistake the director wants to undo
    conn.close()
    at.button(key="data_backup_restore").click().run()
    assert any("contrôle d'intégrité réussi" in m.value for m in at.markdown)
    at.button(key="data_restore_confirm").click().run()
    assert not at.exception
    assert any(s.value.startswith("Base restaurée depuis la sauvegarde du") for s in at.success)
    assert len(store.load_quotes(store.connect(app_db))) == saved_quotes
