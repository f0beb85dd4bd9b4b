"""Données (director): import files (templates and survey exports), correct and delete records,
export every table, set the anonymity threshold and what students see of published results."""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import streamlit as st

from insights import store
from insights.domain import (
    FORMATS,
    ORG_TYPES,
    QUOTE_SOURCES,
    QUOTE_STATUSES,
    SEMESTERS,
    TABLE_LABELS,
    THEME_IDS,
)
from insights.formatting import plural
from insights.ingest import editing, exports, files, imports, mapping, templates
from insights.ingest.problems import problems_csv, problems_table
from insights.ingest.validation import ImportFileError, ImportValidationError, Problem
from pages import common
from pages.import_mapping import escape_line, intervention_label, mapping_form

common.require_director()

st.title("Données", anchor=False)
st.caption(
    "Importer les fichiers de la formation et les exports de questionnaires, corriger, exporter. "
    "Un import est « tout ou rien » : un fichier qui a un problème n'écrit rien."
)

conn = common.connection()
db_path = str(store.default_db_path())

FORMAT_CHOICE_LABELS = {
    "auto": "Reconnaître automatiquement",
    "template": "Modèle de l'application",
    "google-forms": "Export Google Forms (CSV)",
    "microsoft-forms": "Export Microsoft Forms (XLSX)",
    "limesurvey": "Export LimeSurvey (CSV ou XLSX)",
}
PRIVACY_NOTE = (
    ":material/lock: Les adresses e-mail et les noms des répondant·es ne sont jamais enregistrés : "
    "l'application n'en garde qu'une empreinte salée (non réversible), qui distingue les répondant·es "
    "sans les identifier."
)


# --- shared pieces ----------------------------------------------------------------------------------


def show_problems(problems: list[Problem], key: str) -> None:
    """Every problem in a table, and the same table as a CSV to download."""
    st.error(
        f"{plural(len(problems), 'problème')} : rien n'a été enregistré. Corrigez le fichier puis recommencez.",
        icon=":material/error:",
    )
    st.dataframe(
        problems_table(problems),
        hide_index=True,
        width="stretch",
        column_config={
            "Fichier": st.column_config.TextColumn(width="small"),
            "Ligne": st.column_config.NumberColumn(width="small", format="%d"),
            "Colonne": st.column_config.TextColumn(width="medium"),
            "Valeur": st.column_config.TextColumn(width="small"),
            "Raison": st.column_config.TextColumn(width="large"),
        },
    )
    st.download_button(
        "Télécharger la liste des problèmes (CSV)",
        problems_csv(problems),
        file_name="problemes-import.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"{key}_problems_download",
    )


@st.cache_data(show_spinner="Lecture du fichier…", max_entries=4)
def cached_analysis(
    path: str, version: int, kind: str, name: str, content: bytes, file_format: str
) -> imports.Analysis:
    del version  # part of the cache key only: the catalogue, interventions and saved mappings change with it
    own = store.connect(path)
    try:
        return imports.analyse(own, kind, name, content, file_format)
    finally:
        own.close()


# --- import: the section ---------------------------------------------------------------------------


def import_section() -> None:
    kinds = list(templates.KINDS)
    kind = st.selectbox(
        "Que voulez-vous importer ?",
        kinds,
        index=kinds.index("responses"),
        format_func=imports.KIND_LABELS.get,
        key="data_kind",
    )
    header = exports.template_header(conn, kind)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.caption(
        f"Modèle {templates.TEMPLATES[kind].filename} : "
        + ", ".join(header)
        + (
            ". Les exports Google Forms, Microsoft Forms et LimeSurvey sont aussi acceptés."
            if kind == "responses"
            else "."
        )
    )
    right.download_button(
        "Modèle vide",
        exports.empty_template(conn, kind),
        file_name=templates.TEMPLATES[kind].filename,
        mime="text/csv",
        icon=":material/download:",
        key="data_empty_template",
        width="stretch",
    )
    file_format = st.selectbox(
        "Format du fichier",
        list(FORMAT_CHOICE_LABELS),
        format_func=FORMAT_CHOICE_LABELS.get,
        key="data_format",
    )
    upload = st.file_uploader(
        "Fichier CSV ou XLSX",
        type=["csv", "xlsx", "txt"],
        key="data_upload",
        help=f"Jusqu'à {files.max_import_bytes() // 1_000_000} Mo par fichier ; au-delà, découpez-le.",
    )
    if kind == "responses":
        st.caption(PRIVACY_NOTE)
    if upload is None:
        return
    content = upload.getvalue()
    digest = hashlib.sha256(content).hexdigest()[:16]
    widget = f"data_map_{digest}"
    try:
        analysis = cached_analysis(db_path, store.data_version(conn), kind, upload.name, content, file_format)
    except ImportFileError as error:
        st.error(f"Import impossible — {error.message}.", icon=":material/error:")
        return
    st.success(analysis.describe(), icon=":material/description:")

    chosen: mapping.Mapping | None = None
    intervention_id: str | None = None
    remember = False
    if analysis.is_survey_export:
        chosen, intervention_id = mapping_form(analysis, widget)
        remember = st.checkbox(
            "Mémoriser ces correspondances pour les prochains fichiers de ce formulaire",
            value=True,
            key=f"{widget}_remember",
        )
    elif kind == "responses" and "intervention_id" not in analysis.table.header:
        names = intervention_label(common.model().interventions)
        intervention_id = (
            st.selectbox(
                "Intervention de tout le fichier (il n'a pas de colonne intervention_id)",
                ["", *names],
                format_func=lambda i: names.get(i, "— choisir l'intervention —"),
                key=f"{widget}_intervention",
            )
            or None
        )

    check, run = st.columns(2)
    dry_run = check.button(
        "Vérifier sans enregistrer", key=f"{widget}_check", icon=":material/fact_check:", width="stretch"
    )
    go = run.button(
        "Importer", key=f"{widget}_import", type="primary", icon=":material/upload:", width="stretch"
    )
    if dry_run or go:
        with st.status("Import en cours…" if go else "Vérification en cours…", expanded=True) as status:
            bar = st.progress(0.0, text="Lecture du fichier…")

            def tell(fraction: float, text: str) -> None:
                bar.progress(min(1.0, max(0.0, fraction)), text=text)

            try:
                report = imports.run_import(
                    conn,
                    analysis,
                    chosen,
                    intervention_id=intervention_id,
                    dry_run=not go,
                    save_mapping=remember,
                    progress=tell,
                )
            except ImportValidationError as error:
                status.update(label="Fichier refusé : rien n'a été enregistré", state="error", expanded=False)
                st.session_state["data_result"] = (digest, None, error.problems)
            else:
                status.update(
                    label="Import terminé" if go else "Vérification terminée",
                    state="complete",
                    expanded=False,
                )
                st.session_state["data_result"] = (digest, report, [])
    result = st.session_state.get("data_result")
    if result is None or result[0] != digest:
        return
    _, report, problems = result
    if problems:
        show_problems(problems, widget)
    elif report is not None and report.dry_run:
        st.info(
            f"Vérification : le fichier est valide. À l'import : {report.describe()}.",
            icon=":material/fact_check:",
        )
    elif report is not None:
        st.success(f"{report.file} : {report.describe()}.", icon=":material/check_circle:")
        if report.mapping_saved:
            st.caption("Correspondances mémorisées pour les prochains fichiers de ce formulaire.")


# --- corrections ------------------------------------------------------------------------------------


def column_config(kind: str) -> dict[str, object]:
    data = common.model()
    speakers = data.speakers["speaker_id"].tolist()
    cohorts = data.cohorts["cohort"].tolist()
    listed = "plusieurs valeurs séparées par « ; »"
    configs: dict[str, dict[str, object]] = {
        "cohorts": {
            "cohort": st.column_config.TextColumn("Promotion", help="au format 2015-2016", required=True),
            "size": st.column_config.NumberColumn("Effectif", min_value=1, step=1, required=True),
        },
        "speakers": {
            "speaker_id": st.column_config.TextColumn("Identifiant", required=True),
            "name": st.column_config.TextColumn("Nom", required=True),
            "title": "Poste",
            "organisation": "Structure",
            "org_type": st.column_config.SelectboxColumn(
                "Type de structure", options=list(ORG_TYPES), required=True
            ),
            "sector": "Secteur",
            "networks": st.column_config.TextColumn("Réseaux", help=listed),
            "years_experience": st.column_config.NumberColumn(
                "Années d'expérience", min_value=0, max_value=80, step=1
            ),
            "education": "Formation",
            "bio": st.column_config.TextColumn("Biographie", width="large"),
        },
        "career-steps": {
            "step_id": None,
            "speaker_id": st.column_config.SelectboxColumn("Intervenant·e", options=speakers, required=True),
            "year_from": st.column_config.NumberColumn(
                "Depuis", min_value=1950, max_value=2100, step=1, format="%d", required=True
            ),
            "year_to": st.column_config.NumberColumn(
                "Jusqu'à", min_value=1950, max_value=2100, step=1, format="%d", help="vide : poste actuel"
            ),
            "role": st.column_config.TextColumn("Poste", required=True),
            "organisation": "Structure",
        },
        "interventions": {
            "intervention_id": st.column_config.TextColumn("Identifiant", required=True),
            "date": st.column_config.TextColumn("Date", help="AAAA-MM-JJ ou JJ/MM/AAAA", required=True),
            "cohort": st.column_config.SelectboxColumn("Promotion", options=cohorts, required=True),
            "semester": st.column_config.SelectboxColumn("Semestre", options=list(SEMESTERS), required=True),
            "speaker_ids": st.column_config.TextColumn(
                "Intervenant·es", help=f"identifiants, {listed}", required=True
            ),
            "title": st.column_config.TextColumn("Titre", width="large", required=True),
            "format": st.column_config.SelectboxColumn("Format", options=list(FORMATS), required=True),
            "themes": st.column_config.TextColumn("Thèmes", help=f"{', '.join(THEME_IDS)} ; {listed}"),
            "tools": st.column_config.TextColumn("Outils", help=listed),
        },
        "quotes": {
            "quote_id": st.column_config.TextColumn("Identifiant", required=True),
            "text": st.column_config.TextColumn("Citation", width="large", required=True),
            "speaker_id": st.column_config.SelectboxColumn("Intervenant·e", options=speakers, required=True),
            "intervention_id": st.column_config.TextColumn("Intervention", help="identifiant, facultatif"),
            "themes": st.column_config.TextColumn("Thèmes", help=f"{', '.join(THEME_IDS)} ; {listed}"),
            "source": st.column_config.SelectboxColumn("Source", options=list(QUOTE_SOURCES)),
            "status": st.column_config.SelectboxColumn("Statut", options=list(QUOTE_STATUSES), required=True),
        },
    }
    return configs[kind]


def corrections_section() -> None:
    kind = st.selectbox(
        "Tableau à corriger",
        list(editing.EDITABLE),
        format_func=editing.TABLE_LABELS.get,
        key="data_edit_kind",
    )
    version = store.data_version(conn)
    generation = st.session_state.setdefault("data_editor_generation", 0)
    original = editing.table_for_editing(conn, kind)
    st.caption(
        "Modifiez les cellules, ajoutez des lignes en bas du tableau ou supprimez-en (cases à gauche, puis la corbeille). "
        "Les modifications sont vérifiées comme un import avant d'être enregistrées."
    )
    edited = st.data_editor(
        original,
        key=f"data_editor_{kind}_{generation}",
        num_rows="dynamic",
        hide_index=True,
        column_config=column_config(kind),
        width="stretch",
    )
    done = st.session_state.pop("data_edit_done", None)
    if done:
        st.success(done, icon=":material/check_circle:")
    if st.button(
        "Enregistrer les modifications", key="data_edit_save", type="primary", icon=":material/save:"
    ):
        edits = editing.check_edits(conn, kind, original, edited)
        if edits.problems:
            st.session_state.pop("data_pending_edits", None)
            show_problems(edits.problems, "data_edit")
        elif not edits.has_changes:
            st.info("Aucune modification à enregistrer.")
        elif edits.deleted:
            st.session_state["data_pending_edits"] = (kind, version, edits)
        else:
            finish(edits)
    pending = st.session_state.get("data_pending_edits")
    if pending is None:
        return
    pending_kind, pending_version, edits = pending
    if pending_kind != kind or pending_version != version:
        st.session_state.pop("data_pending_edits", None)
        return
    deletion = editing.plan_deletion(conn, edits)
    with st.container(border=True):
        keys = ", ".join(str(k) for k in edits.deleted[:8]) + ("…" if len(edits.deleted) > 8 else "")
        st.warning(
            f"Supprimer {plural(len(edits.deleted), 'ligne')} ({escape_line(keys)}) de « {editing.TABLE_LABELS[kind]} » ?",
            icon=":material/delete:",
        )
        consequences = editing.describe_deletion(deletion) if deletion else []
        if consequences:
            st.markdown(
                "Cette suppression entraîne aussi :\n" + "\n".join(f"- {line}" for line in consequences)
            )
        else:
            st.caption("Aucune autre donnée ne dépend de ces lignes.")
        confirm, cancel = st.columns(2)
        if confirm.button(
            "Confirmer la suppression",
            key="data_edit_confirm",
            type="primary",
            icon=":material/delete_forever:",
            width="stretch",
        ):
            st.session_state.pop("data_pending_edits", None)
            finish(edits)
        if cancel.button("Annuler", key="data_edit_cancel", width="stretch"):
            st.session_state.pop("data_pending_edits", None)
            st.session_state["data_editor_generation"] = generation + 1
            st.rerun()


def finish(edits: editing.Edits) -> None:
    try:
        report = editing.save_edits(conn, edits)
    except ImportValidationError as error:
        show_problems(error.problems, "data_edit")
        return
    st.session_state["data_edit_done"] = f"Modifications enregistrées : {report.describe()}."
    st.session_state["data_editor_generation"] = st.session_state.get("data_editor_generation", 0) + 1
    st.rerun()


# --- export and settings ------------------------------------------------------------------------------


def _export(builder) -> bytes:  # type: ignore[no-untyped-def]
    own = store.connect(db_path)
    try:
        return builder(own)
    finally:
        own.close()


def export_section() -> None:
    st.markdown("Toutes les tables, au format des modèles : réimportables telles quelles.")
    today = date.today().isoformat()
    left, right = st.columns(2)
    left.download_button(
        "Fichiers CSV (archive .zip)",
        lambda: _export(exports.export_zip),
        file_name=f"paroles-de-pros-{today}.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
        key="data_export_zip",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        "Classeur Excel (.xlsx)",
        lambda: _export(exports.export_workbook),
        file_name=f"paroles-de-pros-{today}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        key="data_export_xlsx",
        on_click="ignore",
        width="stretch",
    )
    st.caption(
        "Protection contre l'injection de formules : une cellule qui commence par = + - ou @ est précédée "
        "d'une apostrophe dans les CSV (retirée à la réimportation) et enregistrée comme texte dans le classeur."
    )


def settings_section() -> None:
    current = store.anonymity_threshold(conn)
    st.markdown(
        "Aucun graphique, chiffre ni commentaire n'est montré s'il repose sur moins de réponses que ce seuil."
    )
    threshold = st.number_input(
        "Seuil d'anonymat (réponses)",
        help="Au moins 2 : avec une seule réponse, on saurait qui a répondu quoi.",
        min_value=2,
        max_value=50,
        value=current,
        step=1,
        key="data_threshold",
    )
    if st.button("Enregistrer le seuil", key="data_threshold_save", disabled=threshold == current):
        store.set_anonymity_threshold(conn, int(threshold))
        st.success(f"Seuil d'anonymat : {plural(int(threshold), 'réponse')}.", icon=":material/check_circle:")
    publication_settings()


def publication_settings() -> None:
    """What students see of published talks, and the participation under which a talk is marked."""
    current = store.load_publication_settings(conn)
    st.subheader("Publication", anchor=False)
    st.markdown(
        "Les étudiant·es ne voient que les résultats publiés (page Publication). Pour ces interventions :"
    )
    with st.form("data_publication_settings", border=True):
        shown = st.radio(
            "Les étudiant·es voient",
            ["ratings", "comments"],
            format_func={
                "ratings": "les notes seulement",
                "comments": "les notes et les commentaires relus et rendus publics",
            }.get,
            index=1 if current.student_comments else 0,
            key="data_student_comments",
        )
        ratings = st.toggle(
            "Montrer aux étudiant·es les notes des intervenant·es sur la page Intervenants",
            value=current.student_speaker_ratings,
            key="data_student_speaker_ratings",
        )
        participation = st.number_input(
            "Participation faible sous (% de la promotion)",
            help="Une intervention à laquelle moins de cette part de la promotion a répondu est marquée "
            "« (participation faible) » partout où elle apparaît.",
            min_value=0,
            max_value=100,
            value=round(current.participation_threshold * 100),
            step=5,
            key="data_participation",
        )
        if st.form_submit_button("Enregistrer les réglages de publication", type="primary"):
            store.save_publication_settings(
                conn,
                store.PublicationSettings(
                    student_comments=shown == "comments",
                    student_speaker_ratings=ratings,
                    participation_threshold=participation / 100,
                ),
            )
            st.success("Réglages de publication enregistrés.", icon=":material/check_circle:")


def _forget_restore_request() -> None:
    st.session_state.pop("_restore_asked", None)


@st.dialog("Restaurer une sauvegarde", width="large", on_dismiss=_forget_restore_request)
def restore_dialog(backup: store.Backup) -> None:
    """The backup checked and compared with the current data, then restored on confirmation."""
    try:
        report = store.inspect_backup(backup.path)
    except store.BackupError as error:
        st.error(str(error), icon=":material/error:")
        return
    current = store.table_counts(conn)
    st.markdown(
        f"Sauvegarde du **{backup.taken_at:%d/%m/%Y à %H:%M}** ({backup.reason_label}) : contrôle d'intégrité "
        f"réussi, schéma {report.schema_version}."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "table": [TABLE_LABELS.get(t, t) for t in report.counts],
                "backup": [format_count(n) for n in report.counts.values()],
                "current": [format_count(current[t]) for t in report.counts],
            }
        ),
        column_config={
            "table": st.column_config.TextColumn("Données"),
            "backup": st.column_config.TextColumn("Dans la sauvegarde"),
            "current": st.column_config.TextColumn("Aujourd'hui"),
        },
        hide_index=True,
    )
    st.warning(
        "Tout ce qui a été écrit depuis cette sauvegarde sera remplacé. L'état actuel est d'abord sauvegardé : "
        "vous pourrez revenir en arrière.",
        icon=":material/warning:",
    )
    if st.button(
        "Confirmer la restauration",
        type="primary",
        icon=":material/settings_backup_restore:",
        key="data_restore_confirm",
    ):
        _forget_restore_request()
        try:
            taken = store.restore_backup(db_path, backup.path)
        except store.StoreError as error:
            st.error(str(error), icon=":material/error:")
            return
        st.session_state["_restore_notice"] = (
            f"Base restaurée depuis la sauvegarde du {backup.taken_at:%d/%m/%Y à %H:%M}."
            + (" L'état d'avant est sauvegardé." if taken else "")
        )
        st.rerun()


def format_count(value: int) -> str:
    return plural(value, "ligne")


def _backup_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def backups_section() -> None:
    notice = st.session_state.pop("_restore_notice", None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
    st.markdown(
        "Une copie complète de la base est faite d'elle-même avant chaque importation, correction, suppression, "
        f"changement de publication et restauration, dans le dossier `{store.BACKUP_DIR_NAME}/` à côté de la base. "
        f"Les {store.KEEP_LATEST} dernières sont gardées, et la dernière de chaque mois pendant un an."
    )
    if st.button("Sauvegarder maintenant", icon=":material/backup:", key="data_backup_now"):
        taken = store.take_backup(conn, "manual")
        if taken is None:
            st.info("Rien n'a changé depuis la dernière sauvegarde : elle suffit.", icon=":material/info:")
        else:
            st.success("Sauvegarde faite.", icon=":material/check_circle:")
    backups = store.list_backups(db_path)
    if not backups:
        st.info("Aucune sauvegarde pour le moment.", icon=":material/info:")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "taken_at": [f"{b.taken_at:%d/%m/%Y %H:%M}" for b in backups],
                "reason": [b.reason_label for b in backups],
                "size": [files.megabytes(b.size) for b in backups],
            }
        ),
        column_config={
            "taken_at": st.column_config.TextColumn("Date"),
            "reason": st.column_config.TextColumn("Faite"),
            "size": st.column_config.TextColumn("Taille"),
        },
        hide_index=True,
        width=640,
    )
    by_name = {b.path.name: b for b in backups}
    chosen = by_name[
        st.selectbox(
            "Sauvegarde",
            list(by_name),
            format_func=lambda name: (
                f"{by_name[name].taken_at:%d/%m/%Y %H:%M} · {by_name[name].reason_label}"
            ),
            key="data_backup_choice",
        )
    ]
    left, right = st.columns(2)
    left.download_button(
        "Télécharger cette sauvegarde",
        lambda: _backup_bytes(str(chosen.path)),
        file_name=chosen.path.name,
        mime="application/vnd.sqlite3",
        icon=":material/download:",
        key="data_backup_download",
        on_click="ignore",
        width="stretch",
    )
    right.button(
        "Restaurer cette sauvegarde…",
        icon=":material/settings_backup_restore:",
        key="data_backup_restore",
        width="stretch",
        on_click=lambda: st.session_state.update(_restore_asked=chosen.path.name),
    )
    asked = by_name.get(st.session_state.get("_restore_asked", ""))
    if asked is not None:
        restore_dialog(asked)
    st.caption(
        "En ligne de commande : `python -m insights backup`, `python -m insights backup --list` et "
        "`python -m insights restore FICHIER`."
    )


importing, correcting, exporting, saving, setting = st.tabs(
    ["Importer", "Corriger", "Exporter", "Sauvegardes", "Réglages"]
)
with importing:
    import_section()
with correcting:
    corrections_section()
with exporting:
    export_section()
with saving:
    backups_section()
with setting:
    settings_section()
