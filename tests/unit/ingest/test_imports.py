"""Importing survey exports (Google Forms, Microsoft Forms, LimeSurvey) and templates through one door:
recognition, mapping, conversion, validation, all-or-nothing writes, idempotence, privacy."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import replace

import pandas as pd
import pytest

from insights import store
from insights.ingest import imports
from insights.ingest.mapping import GRID_BY_INTERVENTION, IGNORE, NEW, QUESTION_TARGET, ColumnTarget, Mapping
from insights.ingest.problems import problems_csv, problems_table
from insights.ingest.unrecognised import unrecognised_values
from insights.ingest.validation import ImportFileError, ImportValidationError
from tests.survey_exports import (
    GOOGLE_EN_GRID,
    GOOGLE_FR,
    GOOGLE_FR_TALK,
    GOOGLE_FR_UNKNOWN,
    LIMESURVEY_CODES,
    LIMESURVEY_FR,
    LIMESURVEY_FR_TALK,
    MS_FORMS_HEADER,
    MS_FORMS_NAME,
    MS_FORMS_ROWS,
    microsoft_forms_xlsx,
)


def dump(conn: sqlite3.Connection) -> str:
    return "\n".join(conn.iterdump())


def imported(conn: sqlite3.Connection, prefix: str) -> pd.DataFrame:
    responses = store.load_responses(conn)
    return responses[responses["response_id"].str.startswith(prefix)].reset_index(drop=True)


def answers_of(conn: sqlite3.Connection, response_id: str) -> dict[str, object]:
    answers = store.load_answers(conn)
    mine = answers[answers["response_id"] == response_id]
    return {
        q: (n if n == n else t)
        for q, n, t in zip(mine["question_id"], mine["value_num"], mine["value_text"], strict=True)
    }


def google_mapping(
    conn: sqlite3.Connection, content: bytes | None = None, name: str = GOOGLE_FR.name
) -> Mapping:
    """The Google fixture's proposed mapping (the saved one after a first import), its unknown column
    made a new free-text question when nothing was decided for it yet."""
    analysis = imports.analyse(conn, "responses", name, content or GOOGLE_FR.read_bytes())
    if analysis.mapping.columns[GOOGLE_FR_UNKNOWN].action:
        return analysis.mapping
    return analysis.mapping.with_column(GOOGLE_FR_UNKNOWN, ColumnTarget(NEW, question_type="text"))


def import_google(conn: sqlite3.Connection, **options) -> imports.ImportReport:
    return imports.import_file(
        conn,
        "responses",
        GOOGLE_FR.name,
        GOOGLE_FR.read_bytes(),
        mapping=google_mapping(conn),
        intervention_id=GOOGLE_FR_TALK,
        **options,
    )


# --- recognition ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        pytest.param(GOOGLE_FR.name, GOOGLE_FR.read_bytes(), "Format : Google Forms · CSV, encodage UTF-8 · séparateur virgule « , » · 6 lignes", id="google sheets"),
        pytest.param(GOOGLE_EN_GRID.name, GOOGLE_EN_GRID.read_bytes(), "Format : Google Forms · CSV, encodage UTF-8 · séparateur virgule « , » · 4 lignes", id="google forms ui"),
        pytest.param(LIMESURVEY_FR.name, LIMESURVEY_FR.read_bytes(), "Format : LimeSurvey · CSV, encodage UTF-8 avec BOM · séparateur point-virgule « ; » · 6 lignes", id="limesurvey"),
        pytest.param(MS_FORMS_NAME, microsoft_forms_xlsx(), "Format : Microsoft Forms · classeur Excel (XLSX) · 5 lignes", id="microsoft forms"),
        pytest.param("cohorts.csv", b"cohort;size\r\n2020-2021;30\r\n", "Format : modèle de l'application · CSV, encodage UTF-8 · séparateur point-virgule « ; » · 1 ligne", id="template"),
    ],
)  # fmt: skip
def test_the_format_encoding_and_delimiter_are_shown(demo_conn, name, content, expected):
    kind = "cohorts" if name == "cohorts.csv" else "responses"
    assert imports.analyse(demo_conn, kind, name, content).describe() == expected


def test_a_french_excel_resave_is_recognised_and_gives_the_same_responses(demo_conn):
    """Excel on French Windows: "CSV (séparateur : point-virgule)" writes Windows-1252, `;`, CRLF."""
    rows = list(csv.reader(io.StringIO(GOOGLE_FR.read_text(encoding="utf-8"), newline="")))
    resaved = io.StringIO()
    csv.writer(resaved, delimiter=";", lineterminator="\r\n").writerows(rows)
    content = resaved.getvalue().replace("·", ".").replace("’", "'").encode("cp1252")
    analysis = imports.analyse(demo_conn, "responses", "export.csv", content)
    assert "Windows-1252" in analysis.describe() and "point-virgule" in analysis.describe()
    first = import_google(demo_conn)
    assert first.write.added == 6
    mapping = google_mapping(demo_conn, content, "export.csv")
    again = imports.import_file(
        demo_conn, "responses", "export.csv", content, mapping=mapping, intervention_id=GOOGLE_FR_TALK
    )
    # Same timestamps, same respondents: the same responses (only the typographic apostrophe differs).
    assert again.write.added == 0


def test_rows_typed_above_the_header_are_skipped(demo_conn):
    content = b"q,1,q2,q3\r\n" + GOOGLE_FR.read_bytes()
    analysis = imports.analyse(demo_conn, "responses", "a.csv", content)
    assert analysis.format == "google-forms"
    assert analysis.table.header_row == 2
    assert "en-tête ligne 2" in analysis.describe()


def test_a_survey_export_given_as_another_kind_is_refused(demo_conn):
    with pytest.raises(ImportFileError, match="s'importe comme « Réponses aux questionnaires »"):
        imports.analyse(demo_conn, "speakers", GOOGLE_FR.name, GOOGLE_FR.read_bytes())


# --- Google Forms -----------------------------------------------------------------------------------


def test_google_columns_are_matched_to_the_catalogue_by_wording(demo_conn):
    analysis = imports.analyse(demo_conn, "responses", GOOGLE_FR.name, GOOGLE_FR.read_bytes())
    targets = {
        key: t.question_id for key, t in analysis.mapping.columns.items() if t.action == QUESTION_TARGET
    }
    assert targets == {
        "Globalement, je suis satisfait·e de cette intervention": "satisfaction",
        "Cette intervention me sera utile dans mon futur métier": "usefulness",
        "Le propos était-il clair et structuré ?": "clarity",
        "Elle m’a aidé·e à me positionner…  [sur la transparence]": "pillar_transparency",
        "Elle m’a aidé·e à me positionner…  [sur la conversation avec la communauté]": "pillar_conversation",
        "Elle m’a aidé·e à me positionner…  [sur le juste engagement du CM]": "pillar_engagement",
        "Elle m’a aidé·e à me positionner…  [sur l’enthousiasme (écoute, partage d’informations pertinentes)]": "pillar_enthusiasm",
        "Quelle partie vous a été la plus utile ?": "best_part",
        "Recommanderiez-vous de réinviter cet·te intervenant·e ?": "recommend",
        "Le conseil que je retiens": "takeaway",
        "Ce qui pourrait être amélioré": "improve",
    }
    assert analysis.mapping.columns[GOOGLE_FR_UNKNOWN].action == ""


def test_a_google_export_is_imported_with_labels_converted(demo_conn):
    report = import_google(demo_conn)
    assert (
        report.describe() == "6 ajouté(s), 0 mis à jour, 0 inchangé(s) ; 1 question ajoutée au questionnaire"
    )
    responses = imported(demo_conn, "gf-")
    assert len(responses) == 6
    assert set(responses["intervention_id"]) == {GOOGLE_FR_TALK}
    first = responses.set_index("submitted_at").loc["2015-10-08 18:04:11"]
    answers = answers_of(demo_conn, first["response_id"])
    assert answers["satisfaction"] == 5.0
    assert answers["usefulness"] == 5.0
    assert answers["pillar_conversation"] == 5.0
    assert answers["pillar_engagement"] == 4.0
    assert answers["best_part"] == "gestion de crise"
    assert answers["recommend"] == 9.0
    assert answers["takeaway"] == "Montrer les coulisses, même quand ça coince.\nEt répondre vite."
    assert answers[report.questions_added[0]] == "Écouter avant de parler"
    assert "improve" not in answers  # an empty cell is no answer


def test_emails_are_never_stored_only_a_salted_key(demo_conn):
    import_google(demo_conn)
    everything = dump(demo_conn)
    assert "@etu.univ-exemple.fr" not in everything
    assert "lea.martin" not in everything
    respondents = imported(demo_conn, "gf-")["respondent"]
    assert respondents.str.fullmatch(r"[0-9a-f]{12}").all()
    assert respondents.nunique() == 6
    salt = store.get_meta(demo_conn, "respondent_salt")
    assert salt is not None and len(salt) == 32


def test_the_same_file_twice_adds_nothing(demo_conn):
    import_google(demo_conn)
    before = dump(demo_conn)
    again = import_google(demo_conn)
    assert again.describe() == "0 ajouté(s), 0 mis à jour, 6 inchangé(s)"
    assert dump(demo_conn) == before


def test_the_mapping_is_saved_and_offered_again(demo_conn):
    report = import_google(demo_conn)
    assert report.mapping_saved
    analysis = imports.analyse(demo_conn, "responses", GOOGLE_FR.name, GOOGLE_FR.read_bytes())
    assert analysis.saved == "exact"
    target = analysis.mapping.columns[GOOGLE_FR_UNKNOWN]
    assert (target.action, target.question_id) == (QUESTION_TARGET, report.questions_added[0])
    again = imports.import_file(
        demo_conn, "responses", GOOGLE_FR.name, GOOGLE_FR.read_bytes(), intervention_id=GOOGLE_FR_TALK
    )
    assert again.write.skipped == 6 and not again.questions_added


def test_a_later_export_with_a_new_question_keeps_the_decisions_and_the_responses(demo_conn):
    import_google(demo_conn)
    text = GOOGLE_FR.read_bytes().decode("utf-8").split("\r\n")
    grown = "\r\n".join([text[0] + ",Une question ajoutée", *(line + "," for line in text[1:])])
    analysis = imports.analyse(demo_conn, "responses", "later.csv", grown.encode())
    assert analysis.saved == "similar"
    assert analysis.mapping.columns[GOOGLE_FR_UNKNOWN].action == QUESTION_TARGET
    report = imports.run_import(demo_conn, analysis, intervention_id=GOOGLE_FR_TALK)
    assert report.write.added == 0 and report.write.skipped == 6


def test_grid_rows_can_be_interventions(demo_conn):
    analysis = imports.analyse(demo_conn, "responses", GOOGLE_EN_GRID.name, GOOGLE_EN_GRID.read_bytes())
    assert analysis.mapping.grid_mode == GRID_BY_INTERVENTION  # every row names a talk
    assert set(analysis.mapping.grid_rows.values()) == {"2015-2016-S1-02", "2015-2016-S1-03"}
    mapping = replace(
        analysis.mapping,
        grid_questions={
            "How satisfied were you with each talk?": ColumnTarget(QUESTION_TARGET, "satisfaction"),
            "Would you recommend inviting the speaker again? (0-10)": ColumnTarget(
                QUESTION_TARGET, "recommend"
            ),
        },
    )
    report = imports.run_import(demo_conn, analysis, mapping)
    assert report.write.added == 7  # 4 people × 2 talks, one talk left blank
    responses = imported(demo_conn, "gf-")
    assert responses.groupby("intervention_id").size().to_dict() == {
        "2015-2016-S1-02": 4,
        "2015-2016-S1-03": 3,
    }
    midnight = responses[(responses["submitted_at"] == "2015-10-16 00:03:05")]
    assert len(midnight) == 2  # 12:03:05 AM GMT+2 is just after midnight, local time
    scores = sorted(
        (answers_of(demo_conn, r)["satisfaction"], answers_of(demo_conn, r)["recommend"])
        for r in responses[responses["intervention_id"] == "2015-2016-S1-02"]["response_id"]
    )
    assert scores == [(2.0, 4.0), (3.0, 5.0), (4.0, 7.0), (5.0, 9.0)]


def test_grid_rows_can_be_questions(demo_conn):
    analysis = imports.analyse(demo_conn, "responses", GOOGLE_FR.name, GOOGLE_FR.read_bytes())
    assert analysis.mapping.grid_mode == "question"
    assert list(analysis.grids) == ["Elle m’a aidé·e à me positionner…"]
    assert len(analysis.grids["Elle m’a aidé·e à me positionner…"]) == 4


# --- Microsoft Forms ----------------------------------------------------------------------------------


def test_a_microsoft_forms_workbook_reads_the_talk_from_a_question(demo_conn):
    content = microsoft_forms_xlsx()
    analysis = imports.analyse(demo_conn, "responses", MS_FORMS_NAME, content)
    assert analysis.mapping.intervention_column() == "Intervention"
    mapping = analysis.mapping.with_column(
        "Commentaire", ColumnTarget(NEW, question_type="text")
    ).with_column("Commentaire2", ColumnTarget(IGNORE))
    report = imports.run_import(demo_conn, analysis, mapping)
    assert report.write.added == 5
    responses = imported(demo_conn, "ms-").set_index("submitted_at")
    assert responses["intervention_id"].value_counts().to_dict() == {
        "2015-2016-S2-02": 3,
        "2015-2016-S2-01": 2,
    }
    assert (responses["respondent"] == "").all()  # "anonymous" is nobody
    second = answers_of(demo_conn, responses.loc["2016-02-04 17:06:02", "response_id"])  # named by its title
    assert (second["satisfaction"], second["clarity"], second["recommend"]) == (4.0, 5.0, 8.0)
    third = answers_of(demo_conn, responses.loc["2016-02-11 16:44:31", "response_id"])
    assert third["satisfaction"] == 5.0  # "5 Tout à fait d'accord (Strongly agree)"
    fourth = answers_of(demo_conn, responses.loc["2016-02-11 16:45:59", "response_id"])
    assert fourth["satisfaction"] == 2.0  # "2. Plutôt pas d'accord (Disagree)"
    again = imports.import_file(demo_conn, "responses", MS_FORMS_NAME, content)  # the saved mapping
    assert again.describe() == "0 ajouté(s), 0 mis à jour, 5 inchangé(s)"


def test_microsoft_forms_is_recognised_by_position_in_another_language(demo_conn):
    header = ["ID", "開始時刻", "完了時刻", "メール", "名前", *MS_FORMS_HEADER[5:]]
    analysis = imports.analyse(demo_conn, "responses", "x.xlsx", microsoft_forms_xlsx(header))
    assert analysis.format == "microsoft-forms"
    assert [c.role for c in analysis.columns[:5]] == [
        "source_id",
        "started",
        "submitted_at",
        "identity",
        "identity",
    ]


def test_a_named_respondent_is_hashed_and_the_same_name_gives_the_same_key(demo_conn):
    rows = [list(row) for row in MS_FORMS_ROWS[:2]]
    rows[0][3], rows[0][4] = "zephyrine.quillard@univ.fr", "Zéphyrine Quillard"
    rows[1][3], rows[1][4] = "ZEPHYRINE.QUILLARD@univ.fr ", "zéphyrine  quillard"
    content = microsoft_forms_xlsx(MS_FORMS_HEADER[:10], [row[:10] for row in rows])
    imports.import_file(demo_conn, "responses", MS_FORMS_NAME, content)
    respondents = imported(demo_conn, "ms-")["respondent"]
    assert respondents.nunique() == 1 and respondents.iloc[0] != ""
    assert "Quillard" not in dump(demo_conn) and "quillard@" not in dump(demo_conn).lower()


# --- LimeSurvey ----------------------------------------------------------------------------------------


def test_limesurvey_unfinished_responses_are_skipped_and_counted(demo_conn):
    report = imports.import_file(
        demo_conn,
        "responses",
        LIMESURVEY_FR.name,
        LIMESURVEY_FR.read_bytes(),
        intervention_id=LIMESURVEY_FR_TALK,
    )
    assert report.incomplete == 2
    assert report.describe() == (
        "4 ajouté(s), 0 mis à jour, 0 inchangé(s) ; 2 réponses incomplètes ignorées (sans date de soumission)"
    )
    responses = imported(demo_conn, "ls-").set_index("submitted_at")
    answers = answers_of(demo_conn, responses.loc["2016-02-25 18:02:45", "response_id"])
    assert answers["exchange"] == 5.0
    assert answers["takeaway"] == "Les gens pardonnent une erreur,\npas un silence."
    assert "192.0.2." not in dump(demo_conn)  # IP addresses are bookkeeping, never stored


def test_limesurvey_codes_match_question_ids_and_labels_carry_their_own_numbers(demo_conn):
    analysis = imports.analyse(demo_conn, "responses", LIMESURVEY_CODES.name, LIMESURVEY_CODES.read_bytes())
    mapping = analysis.mapping.with_column(
        "G1Q2[SQ001]. Please rate: [The talk was clear and well structured]",
        ColumnTarget(QUESTION_TARGET, "clarity"),
    ).with_column(
        "G1Q2[SQ002]. Please rate: [The Q&A answered my questions]", ColumnTarget(QUESTION_TARGET, "exchange")
    )
    assert (
        analysis.mapping.columns["satisfaction. Overall, I am satisfied with this talk"].question_id
        == "satisfaction"
    )
    report = imports.run_import(demo_conn, analysis, mapping, intervention_id="2015-2016-S2-04")
    assert (report.write.added, report.incomplete) == (2, 1)
    first = imported(demo_conn, "ls-").set_index("submitted_at").loc["2016-03-10 16:20:11", "response_id"]
    assert answers_of(demo_conn, first) == {
        "satisfaction": 5.0,
        "clarity": 4.0,
        "exchange": 5.0,
        "recommend": 10.0,
    }


# --- problems: everything reported at once, nothing written ---------------------------------------------


def rejected(conn: sqlite3.Connection, name: str, content: bytes, **options) -> list:
    before = dump(conn)
    with pytest.raises(ImportValidationError) as caught:
        imports.import_file(conn, "responses", name, content, **options)
    assert dump(conn) == before
    return caught.value.problems


def test_without_an_intervention_nothing_is_imported(demo_conn):
    problems = rejected(demo_conn, GOOGLE_FR.name, GOOGLE_FR.read_bytes(), mapping=google_mapping(demo_conn))
    assert [p.reason for p in problems] == [
        "intervention non précisée : choisissez-la pour tout le fichier, ou indiquez la colonne qui la donne"
    ]


def test_an_unmapped_column_is_a_problem_of_the_header(demo_conn):
    problems = rejected(demo_conn, GOOGLE_FR.name, GOOGLE_FR.read_bytes(), intervention_id=GOOGLE_FR_TALK)
    assert [(p.row, p.column) for p in problems] == [(1, GOOGLE_FR_UNKNOWN)]
    assert "colonne sans correspondance" in problems[0].reason


def test_out_of_range_answers_are_located(demo_conn):
    text = GOOGLE_FR.read_text(encoding="utf-8").replace(",5,Plutôt d'accord,", ",7,Plutôt d'accord,", 1)
    text = text.replace(",gestion de crise,9,", ",gestion de crise,11,", 1)
    text = text.replace("Tout à fait d'accord,5,Tout", "Je ne sais pas,5,Tout", 1)
    problems = rejected(
        demo_conn, "a.csv", text.encode(), mapping=google_mapping(demo_conn), intervention_id=GOOGLE_FR_TALK
    )
    located = [(p.row, p.column, p.value, p.reason) for p in problems]
    assert located == [
        (2, "Cette intervention me sera utile dans mon futur métier", "7", "hors de l'échelle : un entier de 1 à 5 attendu"),
        (2, "Recommanderiez-vous de réinviter cet·te intervenant·e ?", "11", "hors de l'échelle : un entier de 0 à 10 attendu"),
        (4, "Globalement, je suis satisfait·e de cette intervention", "Je ne sais pas", "valeur attendue : un entier de 1 à 5 ou un libellé d'accord ou de satisfaction"),
    ]  # fmt: skip


def test_unrecognised_labels_are_listed_for_the_director_to_map(demo_conn):
    text = GOOGLE_FR.read_text(encoding="utf-8").replace(
        "Tout à fait d'accord,5,Tout", "Je ne sais pas,5,Tout", 1
    )
    analysis = imports.analyse(demo_conn, "responses", "a.csv", text.encode())
    mapping = analysis.mapping.with_column(GOOGLE_FR_UNKNOWN, ColumnTarget(IGNORE))
    catalogue = store.load_questions(demo_conn)
    assert unrecognised_values(analysis, mapping, catalogue) == {
        "Globalement, je suis satisfait·e de cette intervention": ["Je ne sais pas"]
    }
    key = "Globalement, je suis satisfait·e de cette intervention"
    mapping = mapping.with_column(key, replace(mapping.columns[key], values={"Je ne sais pas": ""}))
    assert imports.run_import(demo_conn, analysis, mapping, intervention_id=GOOGLE_FR_TALK).write.added == 6


def test_duplicated_response_numbers_are_refused(demo_conn):
    rows = [list(row) for row in MS_FORMS_ROWS]
    rows[3][0] = 2
    problems = rejected(
        demo_conn, MS_FORMS_NAME, microsoft_forms_xlsx(rows=rows), mapping=_ms_mapping(demo_conn)
    )
    assert [(p.row, p.column, p.value) for p in problems] == [(5, "ID", "2")]
    assert problems[0].reason == "numéro de réponse en double (déjà ligne 3)"


def _ms_mapping(conn: sqlite3.Connection) -> Mapping:
    analysis = imports.analyse(conn, "responses", MS_FORMS_NAME, microsoft_forms_xlsx())
    return analysis.mapping.with_column("Commentaire", ColumnTarget(IGNORE)).with_column(
        "Commentaire2", ColumnTarget(IGNORE)
    )


def test_an_unknown_talk_in_the_intervention_column_is_located(demo_conn):
    rows = [list(row) for row in MS_FORMS_ROWS]
    rows[1][6] = "La conférence de l'an dernier"
    problems = rejected(
        demo_conn, MS_FORMS_NAME, microsoft_forms_xlsx(rows=rows), mapping=_ms_mapping(demo_conn)
    )
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "Intervention", "La conférence de l'an dernier")
    ]
    assert problems[0].reason.startswith("intervention inconnue")


def test_an_ambiguous_date_column_is_refused(demo_conn):
    content = (
        '"Timestamp","Le conseil que je retiens"\n"03/04/2016 10:00:00","Écouter"\n"05/06/2016 11:00:00","Oser"'
    ).encode()
    problems = rejected(demo_conn, "a.csv", content, intervention_id=GOOGLE_FR_TALK)
    assert [(p.row, p.column) for p in problems] == [(2, "Timestamp"), (3, "Timestamp")]
    assert "ambiguë" in problems[0].reason


def test_two_columns_for_one_question_are_refused(demo_conn):
    mapping = google_mapping(demo_conn).with_column(
        GOOGLE_FR_UNKNOWN, ColumnTarget(QUESTION_TARGET, "takeaway")
    )
    problems = rejected(
        demo_conn, GOOGLE_FR.name, GOOGLE_FR.read_bytes(), mapping=mapping, intervention_id=GOOGLE_FR_TALK
    )
    assert [p.column for p in problems] == [GOOGLE_FR_UNKNOWN]
    assert "deux colonnes pour la question « takeaway »" in problems[0].reason


def test_a_header_without_rows_is_refused(demo_conn):
    header = GOOGLE_FR.read_bytes().split(b"\r\n")[0]
    problems = rejected(
        demo_conn, "a.csv", header, mapping=google_mapping(demo_conn), intervention_id=GOOGLE_FR_TALK
    )
    assert [p.reason for p in problems] == ["aucune ligne de données sous l'en-tête"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(b"", "vide", id="empty file"),
        pytest.param(b"\xef\xbb\xbf\r\n;;;\r\n", "vide", id="blank rows only"),
        pytest.param(
            GOOGLE_FR.read_bytes()[:300] + "é".encode("latin-1"), "encodages mélangés", id="wrong encoding"
        ),
        pytest.param(b'Horodateur,Note\n"25/10/2023,4\n', "mal formé", id="unclosed quote"),
        pytest.param(b"PK\x03\x04 broken workbook", "classeur", id="broken xlsx"),
    ],
)
def test_an_unreadable_file_is_a_file_error(demo_conn, content, words):
    before = dump(demo_conn)
    with pytest.raises(ImportFileError) as caught:
        imports.import_file(demo_conn, "responses", "export.csv", content, intervention_id=GOOGLE_FR_TALK)
    assert words in caught.value.message
    assert dump(demo_conn) == before


def test_a_file_beyond_the_configured_limit_is_refused_before_reading(demo_conn, monkeypatch, tmp_path):
    monkeypatch.setenv("INSIGHTS_MAX_IMPORT_MB", "1")
    big = tmp_path / "big.csv"
    big.write_bytes(GOOGLE_FR.read_bytes() + b"\r\n" + b"25/10/2023 14:55:21,a@b.c" + b",x" * 600_000)
    with pytest.raises(ImportFileError) as caught:
        imports.import_path(demo_conn, "responses", big)
    assert caught.value.message.startswith("fichier trop volumineux (1,2 Mo ; limite : 1 Mo) : découpez-le")
    with pytest.raises(ImportFileError, match="trop volumineux"):
        imports.import_file(demo_conn, "responses", "big.csv", big.read_bytes())


def test_the_default_limit_is_20_megabytes(demo_conn, monkeypatch):
    monkeypatch.delenv("INSIGHTS_MAX_IMPORT_MB", raising=False)
    content = b"cohort,size\n" + b"2020-2021,30\n" * 1_600_000  # 20,8 Mo
    with pytest.raises(ImportFileError, match=r"limite : 20 Mo"):
        imports.import_file(demo_conn, "cohorts", "cohorts.csv", content)


# --- writing: one transaction, dry run, progress --------------------------------------------------------


def test_a_dry_run_reports_and_writes_nothing_not_even_the_salt(demo_conn):
    before = dump(demo_conn)
    report = import_google(demo_conn, dry_run=True)
    assert report.write.added == 6 and report.dry_run
    assert dump(demo_conn) == before
    assert store.get_meta(demo_conn, "respondent_salt") is None


def test_progress_is_told_until_the_end(demo_conn):
    told: list[tuple[float, str]] = []
    import_google(demo_conn, progress=lambda fraction, text: told.append((fraction, text)))
    fractions = [fraction for fraction, _ in told]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("Lecture des réponses" in text for _, text in told)


def test_templates_go_through_the_same_door(demo_conn):
    content = b"cohort,size\n2015-2016,40\n2030-2031,12\n"
    report = imports.import_file(demo_conn, "cohorts", "cohorts.csv", content)
    assert report.describe() == "1 ajouté(s), 1 mis à jour, 0 inchangé(s)"


def test_a_formula_written_by_the_export_reads_back_as_text(demo_conn):
    content = "quote_id,text,speaker_id,intervention_id,themes,source,status\nq9,'=1+1 n'est pas une formule,sp01,,,support,publiée\n"
    imports.import_file(demo_conn, "quotes", "quotes.csv", content.encode())
    quotes = store.load_quotes(demo_conn).set_index("quote_id")
    assert quotes.loc["q9", "text"] == "=1+1 n'est pas une formule"


def test_problems_download_as_a_spreadsheet_safe_csv():
    from insights.ingest.validation import Problem

    problems = [
        Problem("a.csv", 3, "Note", '=HYPERLINK("x")', "valeur attendue"),
        Problem("a.csv", None, None, None, "x"),
    ]
    text = problems_csv(problems).decode("utf-8-sig")
    assert text.splitlines()[0] == "Fichier,Ligne,Colonne,Valeur,Raison"
    assert "'=HYPERLINK" in text
    table = problems_table(problems)
    assert table["Ligne"].tolist()[0] == 3 and pd.isna(table["Ligne"].tolist()[1])


def test_unrecognised_labels_of_a_grid_read_per_intervention_are_listed_by_grid(demo_conn):
    text = (
        GOOGLE_EN_GRID.read_bytes().decode().replace('"Very satisfied","Satisfied"', '"So-so","Satisfied"', 1)
    )
    analysis = imports.analyse(demo_conn, "responses", "grid.csv", text.encode())
    title = "How satisfied were you with each talk?"
    mapping = replace(
        analysis.mapping,
        grid_questions={
            title: ColumnTarget(QUESTION_TARGET, "satisfaction"),
            "Would you recommend inviting the speaker again? (0-10)": ColumnTarget(
                QUESTION_TARGET, "recommend"
            ),
        },
    )
    catalogue = store.load_questions(demo_conn)
    assert unrecognised_values(analysis, mapping, catalogue) == {title: ["So-so"]}
    mapped = replace(
        mapping,
        grid_questions={
            **mapping.grid_questions,
            title: ColumnTarget(QUESTION_TARGET, "satisfaction", values={"So-so": "3"}),
        },
    )
    assert imports.run_import(demo_conn, analysis, mapped).write.added == 7


def test_an_export_missing_a_column_its_tool_always_writes_is_refused(demo_conn):
    rows = list(
        csv.reader(io.StringIO(LIMESURVEY_FR.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";")
    )
    without_submission = [row[:1] + row[2:] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(without_submission)
    problems = rejected(
        demo_conn,
        "a.csv",
        buffer.getvalue().encode(),
        file_format="limesurvey",
        intervention_id=LIMESURVEY_FR_TALK,
    )
    assert [(p.row, p.column) for p in problems] == [(1, "submitdate")]
    assert (
        problems[0].reason
        == "colonne manquante : un export LimeSurvey a toujours cette colonne (date de soumission)"
    )


def test_a_template_missing_a_column_is_refused_through_the_same_door(demo_conn):
    problems = rejected(
        demo_conn, "responses.csv", b"response_id,submitted_at,respondent,satisfaction\nr1,,a,5\n"
    )
    assert [(p.row, p.column, p.reason) for p in problems] == [(1, "intervention_id", "colonne manquante")]


def test_both_google_download_routes_give_the_same_responses(demo_conn):
    """The sheet's CSV (`25/10/2023 14:55:21`) and the Forms button (`2023/10/25 2:55:21 PM GMT+2`)."""
    sheet = '"Horodateur","Le conseil que je retiens"\n"08/10/2015 18:04:11","Écouter"\n"08/10/2015 09:30:00","Oser"\n'
    forms = (
        '"Timestamp","Le conseil que je retiens"\n'
        '"2015/10/08 6:04:11 PM GMT+2","Écouter"\n"2015/10/08 9:30:00 AM GMT+2","Oser"'
    )
    first = imports.import_file(
        demo_conn, "responses", "a.csv", sheet.encode(), intervention_id=GOOGLE_FR_TALK
    )
    second = imports.import_file(
        demo_conn, "responses", "b.csv", forms.encode(), intervention_id=GOOGLE_FR_TALK
    )
    assert (first.write.added, second.write.added, second.write.skipped) == (2, 0, 2)
