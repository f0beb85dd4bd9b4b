"""The import templates: reading, validation, all-or-nothing import, idempotence, export round trip."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights import store
from insights.domain import DEFAULT_INSTRUMENT
from insights.ingest.exports import export_tables
from insights.ingest.files import detect_format
from insights.ingest.loading import describe_report, import_directory, import_template, seed_demo_if_empty
from insights.ingest.templates import KINDS, TEMPLATES, read_template
from insights.ingest.validation import ImportFileError, ImportValidationError, Problem
from tests.unit.conftest import TEMPLATE_FILES

KIND_OF_FILE = {template.filename: kind for kind, template in TEMPLATES.items()}


def dump(conn: sqlite3.Connection) -> str:
    """Every table's schema and rows, data version included."""
    return "\n".join(conn.iterdump())


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def import_prerequisites(conn: sqlite3.Connection, template_dir: Path, kind: str) -> None:
    """Import the files `kind` may refer to (those before it in dependency order)."""
    for earlier in KINDS[: KINDS.index(kind)]:
        import_template(conn, earlier, template_dir / TEMPLATES[earlier].filename)


@pytest.fixture
def loaded_conn(empty_conn: sqlite3.Connection, template_dir: Path) -> sqlite3.Connection:
    """A database holding the whole valid template set."""
    import_directory(empty_conn, template_dir)
    return empty_conn


# --- store round trip of each kind ------------------------------------------------------------


def test_cohorts_are_stored_with_their_size(empty_conn, template_dir):
    report = import_template(empty_conn, "cohorts", template_dir / "cohorts.csv")
    assert (report.added, report.updated, report.skipped) == (2, 0, 0)
    cohorts = store.load_cohorts(empty_conn)
    assert cohorts.to_dict("records") == [
        {"cohort": "2015-2016", "size": 24},
        {"cohort": "2016-2017", "size": 22},
    ]


def test_speakers_are_stored_with_lists_and_missing_experience(empty_conn, template_dir):
    import_template(empty_conn, "speakers", template_dir / "speakers.csv")
    speakers = store.load_speakers(empty_conn).set_index("speaker_id")
    assert speakers.loc["sp01", "networks"] == "Facebook;X/Twitter"
    assert speakers.loc["sp01", "years_experience"] == 6
    assert speakers.loc["sp01", "bio"] == "Anime les comptes de l'université, « au chevet de l'innovation »."
    assert speakers.loc["sp02", "years_experience"] is pd.NA
    assert speakers.loc["sp02", "org_type"] == "grand groupe"


def test_career_steps_are_stored_with_an_open_end(empty_conn, template_dir):
    import_prerequisites(empty_conn, template_dir, "career-steps")
    import_template(empty_conn, "career-steps", template_dir / "career_steps.csv")
    steps = store.load_career_steps(empty_conn)
    assert steps[["speaker_id", "year_from", "role"]].values.tolist() == [
        ["sp01", 2008, "Chargée de communication"],
        ["sp01", 2011, "Community manager"],
        ["sp02", 2012, "Responsable social media"],
    ]
    assert steps["year_to"].tolist()[0] == 2011
    assert steps["year_to"].isna().tolist() == [False, True, True]


def test_interventions_keep_the_order_of_speakers_and_themes(empty_conn, template_dir):
    import_prerequisites(empty_conn, template_dir, "interventions")
    import_template(empty_conn, "interventions", template_dir / "interventions.csv")
    interventions = store.load_interventions(empty_conn).set_index("intervention_id")
    second = interventions.loc["2015-2016-S1-02"]
    assert second["speaker_ids"] == ["sp02", "sp01"]
    assert second["themes"] == ["strategie", "outils"]
    assert second["tools"] == "Hootsuite;Talkwalker"
    assert second["format"] == "présentation d'outil"
    assert interventions.loc["2015-2016-S1-01", "date"] == "2015-10-12"


def test_responses_are_stored_long_without_missing_answers(empty_conn, template_dir):
    import_prerequisites(empty_conn, template_dir, "responses")
    report = import_template(empty_conn, "responses", template_dir / "responses.csv")
    assert report.added == 3
    answers = store.load_answers(empty_conn)
    by_key = {(a.response_id, a.question_id): a for a in answers.itertuples()}
    # r000001 leaves `improve` empty, r000002 leaves `exchange` and `takeaway` empty, r000003 three.
    assert len(answers) == 12 * 3 - 1 - 2 - 3
    assert ("r000002", "exchange") not in by_key
    assert by_key[("r000001", "satisfaction")].value_num == 5.0
    assert by_key[("r000001", "recommend")].value_num == 9.0
    assert by_key[("r000001", "best_part")].value_text == "gestion de crise"
    assert by_key[("r000002", "improve")].value_text == "Plus de temps d'échange, moins de slides"
    responses = store.load_responses(empty_conn).set_index("response_id")
    assert responses.loc["r000001", "submitted_at"] == "2015-10-12 18:04"
    assert responses.loc["r000003", "submitted_at"] == ""


def test_quotes_are_stored_with_an_optional_intervention(empty_conn, template_dir):
    import_prerequisites(empty_conn, template_dir, "quotes")
    import_template(empty_conn, "quotes", template_dir / "quotes.csv")
    quotes = store.load_quotes(empty_conn).set_index("quote_id")
    assert quotes.loc["q0001", "intervention_id"] == "2015-2016-S1-01"
    assert pd.isna(quotes.loc["q0002", "intervention_id"])
    assert quotes.loc["q0001", "themes"] == ["veille", "enthousiasme"]
    assert quotes.loc["q0001", "status"] == "publiée"


# --- export round trip --------------------------------------------------------------------------


def test_import_then_export_gives_identical_bytes(loaded_conn, template_dir, tmp_path):
    paths = export_tables(loaded_conn, tmp_path / "export")
    assert [p.name for p in paths] == [t.filename for t in TEMPLATES.values()]
    for path in paths:
        assert path.read_bytes() == (template_dir / path.name).read_bytes(), path.name


def test_an_exported_empty_database_imports_back_as_nothing(empty_conn, tmp_path):
    paths = export_tables(empty_conn, tmp_path / "export")
    assert (tmp_path / "export" / "cohorts.csv").read_text() == "cohort,size\n"
    responses_header = (tmp_path / "export" / "responses.csv").read_text().strip().split(",")
    assert responses_header[4:] == [q.id for q in DEFAULT_INSTRUMENT]
    before = dump(empty_conn)
    reports = import_directory(empty_conn, tmp_path / "export")
    assert set(reports) == set(KINDS) and len(paths) == len(TEMPLATES) == 7
    assert all((r.added, r.updated, r.skipped) == (0, 0, 0) for r in reports.values())
    assert dump(empty_conn) == before


def test_values_are_stored_in_their_canonical_spelling(empty_conn, template_dir, tmp_path):
    import_prerequisites(empty_conn, template_dir, "interventions")
    loose = write(
        tmp_path,
        "interventions.csv",
        "Intervention_ID ,date,cohort,semester,speaker_ids,title,format,themes,tools, Results\n"
        "2015-2016-S1-01, 12/10/2015 ,2015-2016,s1, sp01 ; sp01 ,Animer la communauté d'une université,"
        "Temoignage de cm,Parcours et métier;CRISE;transparence;crise,,Publiés\n"
        "2015-2016-S1-02,2015-11-24,2015-2016,S1,sp02;sp01,Les réseaux sociaux d'un grand groupe,"
        "présentation d’outil,strategie;outils,Hootsuite; Talkwalker, RELUS \n",
    )
    import_template(empty_conn, "interventions", loose)
    export_tables(empty_conn, tmp_path / "export")
    exported = (tmp_path / "export" / "interventions.csv").read_text(encoding="utf-8")
    assert exported == TEMPLATE_FILES["interventions.csv"]


def test_likert_labels_and_choice_options_are_matched_loosely(loaded_conn, tmp_path):
    header = TEMPLATE_FILES["responses.csv"].splitlines()[0]
    path = write(
        tmp_path,
        "responses.csv",
        f"{header}\nr000009,2015-2016-S1-01,12/10/2015 18:30,e09,Plutôt d’accord,TOUT A FAIT D'ACCORD,1,2,3,4,5,"
        "pas du tout d'accord,Gestion de Crise,0,,\n",
    )
    import_template(loaded_conn, "responses", path)
    answers = store.load_answers(loaded_conn)
    mine = answers[answers["response_id"] == "r000009"].set_index("question_id")
    assert mine.loc["satisfaction", "value_num"] == 4.0
    assert mine.loc["usefulness", "value_num"] == 5.0
    assert mine.loc["pillar_enthusiasm", "value_num"] == 1.0
    assert mine.loc["best_part", "value_text"] == "gestion de crise"
    assert mine.loc["recommend", "value_num"] == 0.0
    responses = store.load_responses(loaded_conn).set_index("response_id")
    assert responses.loc["r000009", "submitted_at"] == "2015-10-12 18:30"


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: ("\ufeff" + text).encode("utf-8"), id="bom"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(lambda text: text.replace(",", ";").encode("utf-8"), id="semicolons"),
    ],
)
def test_csv_variants_saved_by_spreadsheets_are_read(empty_conn, tmp_path, encode):
    path = write(tmp_path, "cohorts.csv", encode(TEMPLATE_FILES["cohorts.csv"]))
    assert import_template(empty_conn, "cohorts", path).added == 2
    assert store.load_cohorts(empty_conn)["size"].tolist() == [24, 22]


def test_an_xlsx_file_with_numbers_and_dates_reads_like_the_csv(empty_conn, template_dir, tmp_path):
    import_prerequisites(empty_conn, template_dir, "interventions")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    rows = list(csv.reader(io.StringIO(TEMPLATE_FILES["interventions.csv"])))
    sheet.append(rows[0])
    for row in rows[1:]:
        year, month, day = map(int, row[1].split("-"))
        sheet.append([row[0], datetime(year, month, day), *row[2:]])
    workbook.save(tmp_path / "interventions.xlsx")
    workbook = openpyxl.Workbook()
    workbook.active.append(["cohort", "size"])
    workbook.active.append(["2016-2017", 30.0])
    workbook.save(tmp_path / "cohorts.xlsx")

    assert import_template(empty_conn, "interventions", tmp_path / "interventions.xlsx").added == 2
    assert import_template(empty_conn, "cohorts", tmp_path / "cohorts.xlsx").updated == 1
    export_tables(empty_conn, tmp_path / "export")
    exported = (tmp_path / "export" / "interventions.csv").read_text(encoding="utf-8")
    assert exported == TEMPLATE_FILES["interventions.csv"]
    assert store.load_cohorts(empty_conn)["size"].tolist() == [24, 30]


# --- idempotence, updates, dry run ----------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_importing_the_same_file_twice_adds_nothing(loaded_conn, template_dir, kind):
    before = dump(loaded_conn)
    report = import_template(loaded_conn, kind, template_dir / TEMPLATES[kind].filename)
    assert (report.added, report.updated) == (0, 0)
    assert report.skipped == TEMPLATE_FILES[TEMPLATES[kind].filename].count("\n") - 1
    assert dump(loaded_conn) == before


def test_importing_the_same_directory_twice_adds_nothing(loaded_conn, template_dir):
    before = dump(loaded_conn)
    reports = import_directory(loaded_conn, template_dir)
    assert all(r.added == 0 and r.updated == 0 for r in reports.values())
    assert dump(loaded_conn) == before


def test_a_changed_row_is_updated_and_the_others_skipped(loaded_conn, tmp_path):
    path = write(tmp_path, "cohorts.csv", "cohort,size\n2015-2016,25\n2016-2017,22\n2017-2018,20\n")
    report = import_template(loaded_conn, "cohorts", path)
    assert (report.added, report.updated, report.skipped) == (1, 1, 1)
    assert describe_report(report) == "1 ajouté(s), 1 mis à jour, 1 inchangé(s)"


def test_a_dry_run_reports_without_writing(loaded_conn, tmp_path):
    before = dump(loaded_conn)
    path = write(tmp_path, "cohorts.csv", "cohort,size\n2015-2016,25\n2017-2018,20\n")
    report = import_template(loaded_conn, "cohorts", path, dry_run=True)
    assert (report.added, report.updated, report.skipped) == (1, 1, 0)
    assert dump(loaded_conn) == before


def test_a_dry_run_inside_an_outer_transaction_rolls_back_only_itself(loaded_conn, tmp_path):
    path = write(tmp_path, "cohorts.csv", "cohort,size\n2017-2018,20\n")
    with store.transaction(loaded_conn):
        store.write_cohorts(loaded_conn, [{"cohort": "2018-2019", "size": 10}])
        assert import_template(loaded_conn, "cohorts", path, dry_run=True).added == 1
    assert store.load_cohorts(loaded_conn)["cohort"].tolist() == ["2015-2016", "2016-2017", "2018-2019"]


def test_responses_without_an_intervention_column_take_the_given_one(loaded_conn, tmp_path):
    path = write(
        tmp_path, "responses.csv", "response_id,submitted_at,respondent,satisfaction\nr000010,,e10,4\n"
    )
    report = import_template(loaded_conn, "responses", path, intervention_id="2015-2016-S1-02")
    assert report.added == 1
    responses = store.load_responses(loaded_conn).set_index("response_id")
    assert responses.loc["r000010", "intervention_id"] == "2015-2016-S1-02"


def test_an_unknown_intervention_given_for_responses_is_one_problem(loaded_conn, tmp_path):
    path = write(
        tmp_path, "responses.csv", "response_id,submitted_at,respondent,satisfaction\nr1,,a,4\nr2,,b,4\n"
    )
    with pytest.raises(ImportValidationError) as caught:
        import_template(loaded_conn, "responses", path, intervention_id="2030-2031-S1-01")
    assert [(p.row, p.column, p.value) for p in caught.value.problems] == [
        (None, "intervention_id", "2030-2031-S1-01")
    ]


# --- invalid input: located problems, nothing written ---------------------------------------------

COHORTS_HEADER = "cohort,size\n"
SPEAKER_HEADER = TEMPLATE_FILES["speakers.csv"].splitlines()[0] + "\n"
STEP_HEADER = "speaker_id,year_from,year_to,role,organisation\n"
INTERVENTION_HEADER = "intervention_id,date,cohort,semester,speaker_ids,title,format,themes,tools\n"
RESPONSE_HEADER = TEMPLATE_FILES["responses.csv"].splitlines()[0] + "\n"
QUOTE_HEADER = "quote_id,text,speaker_id,intervention_id,themes,source,status\n"
RESULTS_HEADER = INTERVENTION_HEADER.strip() + ",results\n"
REVIEW_HEADER = "response_id,question_id,status,text\n"
A_RESPONSE = "2015-2016-S1-01,,e01,5,4,4,5,4,3,4,5,parcours,9,,"

BAD_FILES = [
    # (id, kind, content, expected (row, column, words of the reason))
    ("unknown column", "cohorts", "cohort,size,taille\n2015-2016,24,24\n", (1, "taille", "colonne inconnue")),
    ("missing column", "speakers", SPEAKER_HEADER.replace(",bio", "") + "sp03,A,,,agence,,,,\n", (1, "bio", "manquante")),
    ("duplicated column", "cohorts", "cohort,size,size\n2015-2016,24,24\n", (1, "size", "en double")),
    ("unknown question", "responses", RESPONSE_HEADER.strip() + ",foo\nr9," + A_RESPONSE + ",x\n", (1, "foo", "question")),
    ("size not a number", "cohorts", COHORTS_HEADER + "2017-2018,vingt\n", (2, "size", "entier positif")),
    ("size zero", "cohorts", COHORTS_HEADER + "2017-2018,0\n", (2, "size", "entier positif")),
    ("cohort not consecutive", "cohorts", COHORTS_HEADER + "2017-2019,20\n", (2, "cohort", "2015-2016")),
    ("org type", "speakers", SPEAKER_HEADER + "sp03,A,,,ministère,,,,,\n", (2, "org_type", "valeur attendue parmi")),
    ("negative experience", "speakers", SPEAKER_HEADER + "sp03,A,,,agence,,,-1,,\n", (2, "years_experience", "0 à 80")),
    ("name empty", "speakers", SPEAKER_HEADER + "sp03,,,,agence,,,,,\n", (2, "name", "obligatoire")),
    ("year too old", "career-steps", STEP_HEADER + "sp01,1900,,CM,\n", (2, "year_from", "1950 à 2100")),
    ("end before start", "career-steps", STEP_HEADER + "sp01,2012,2010,CM,\n", (2, "year_to", "précède")),
    ("date impossible", "interventions", INTERVENTION_HEADER + "i9,2016-02-30,2015-2016,S1,sp01,T,atelier,,\n", (2, "date", "n'existe pas")),
    ("date format", "interventions", INTERVENTION_HEADER + "i9,2 octobre 2015,2015-2016,S1,sp01,T,atelier,,\n", (2, "date", "AAAA-MM-JJ")),
    ("semester", "interventions", INTERVENTION_HEADER + "i9,2015-10-02,2015-2016,S3,sp01,T,atelier,,\n", (2, "semester", "S1")),
    ("format", "interventions", INTERVENTION_HEADER + "i9,2015-10-02,2015-2016,S1,sp01,T,conférence,,\n", (2, "format", "atelier")),
    ("theme", "interventions", INTERVENTION_HEADER + "i9,2015-10-02,2015-2016,S1,sp01,T,atelier,crise;trolls,\n", (2, "themes", "thème inconnu")),
    ("no speaker", "interventions", INTERVENTION_HEADER + "i9,2015-10-02,2015-2016,S1,,T,atelier,,\n", (2, "speaker_ids", "au moins une")),
    ("likert above 5", "responses", RESPONSE_HEADER + "r9,2015-2016-S1-01,,e01,6,4,4,5,4,3,4,5,parcours,9,,\n", (2, "satisfaction", "un entier de 1 à 5")),
    ("nps above 10", "responses", RESPONSE_HEADER + "r9,2015-2016-S1-01,,e01,5,4,4,5,4,3,4,5,parcours,11,,\n", (2, "recommend", "0 à 10")),
    ("choice unknown", "responses", RESPONSE_HEADER + "r9,2015-2016-S1-01,,e01,5,4,4,5,4,3,4,5,le buffet,9,,\n", (2, "best_part", "parmi")),
    ("respondent email", "responses", RESPONSE_HEADER + "r9,2015-2016-S1-01,,ana@univ.fr,5,4,4,5,4,3,4,5,,9,,\n", (2, "respondent", "e-mail")),
    ("status empty", "quotes", QUOTE_HEADER + "q9,Un conseil,sp01,,,support,\n", (2, "status", "obligatoire")),
    ("status unknown", "quotes", QUOTE_HEADER + "q9,Un conseil,sp01,,,support,validée\n", (2, "status", "publiée")),
    ("text empty", "quotes", QUOTE_HEADER + "q9,  ,sp01,,,support,publiée\n", (2, "text", "obligatoire")),
    ("control character", "quotes", QUOTE_HEADER + "q9,Un\x01conseil,sp01,,,support,publiée\n", (2, "text", "contrôle")),
    ("unknown speaker in steps", "career-steps", STEP_HEADER + "sp99,2010,,CM,\n", (2, "speaker_id", "intervenant·e inconnu·e")),
    ("unknown cohort", "interventions", INTERVENTION_HEADER + "i9,2019-10-02,2019-2020,S1,sp01,T,atelier,,\n", (2, "cohort", "promotion inconnue")),
    ("unknown co-speaker", "interventions", INTERVENTION_HEADER + "i9,2015-10-02,2015-2016,S1,sp01;sp99,T,atelier,,\n", (2, "speaker_ids", "inconnu·e : sp99")),
    ("unknown intervention", "responses", RESPONSE_HEADER + "r9,2030-2031-S1-01,,e01,5,4,4,5,4,3,4,5,,9,,\n", (2, "intervention_id", "intervention inconnue")),
    ("quote of unknown speaker", "quotes", QUOTE_HEADER + "q9,Un conseil,sp99,,,support,publiée\n", (2, "speaker_id", "inconnu·e")),
    ("quote of unknown talk", "quotes", QUOTE_HEADER + "q9,Un conseil,sp01,i99,,support,publiée\n", (2, "intervention_id", "intervention inconnue")),
    ("results unknown", "interventions", RESULTS_HEADER + "i8,2015-10-02,2015-2016,S1,sp01,T,atelier,,,published\ni9,2015-10-02,2015-2016,S1,sp01,T,atelier,,,archivés\n", (3, "results", "« collecting » (ou « en collecte »)")),
    ("review of an unknown response", "reviews", REVIEW_HEADER + "r000001,takeaway,public,\nr999999,takeaway,public,\n", (3, "response_id", "réponse inconnue")),
    ("review of an unknown question", "reviews", REVIEW_HEADER + "r000001,conseil,public,\n", (2, "question_id", "question inconnue")),
    ("review of a closed question", "reviews", REVIEW_HEADER + "r000001,satisfaction,public,\n", (2, "question_id", "pas une question à réponse libre")),
    ("review of an empty answer", "reviews", REVIEW_HEADER + "r000002,takeaway,public,\n", (2, "question_id", "pas de texte")),
    ("review status unknown", "reviews", REVIEW_HEADER + "r000001,takeaway,validé,\n", (2, "status", "« private » (ou « privé »)")),
    ("review status empty", "reviews", REVIEW_HEADER + "r000001,takeaway,,\n", (2, "status", "obligatoire")),
    ("review twice", "reviews", REVIEW_HEADER + "r000001,takeaway,public,\nr000001,TAKEAWAY,private,\n", (3, None, "décision en double")),
    ("review without status column", "reviews", "response_id,question_id,text\nr000001,takeaway,\n", (1, "status", "manquante")),
    ("duplicate id", "cohorts", COHORTS_HEADER + "2017-2018,20\n2018-2019,20\n2017-2018,21\n", (4, "cohort", "identifiant en double (déjà ligne 2)")),
    ("duplicate step", "career-steps", STEP_HEADER + "sp01,2010,,CM,X\nsp01,2010,2012,CM,X\n", (3, None, "en double")),
    ("id with a semicolon", "speakers", SPEAKER_HEADER + "sp;3,A,,,agence,,,,,\n", (2, "speaker_id", "« ; »")),
    ("header only", "cohorts", COHORTS_HEADER, (2, None, "aucune ligne")),
    ("more cells than columns", "cohorts", COHORTS_HEADER + "2017-2018,20,oops\n", (2, None, "plus de cellules")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "content", "expected"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES]
)
def test_an_invalid_file_is_located_and_writes_nothing(loaded_conn, tmp_path, kind, content, expected):
    path = write(tmp_path, TEMPLATES[kind].filename, content)
    before = dump(loaded_conn)
    with pytest.raises(ImportValidationError) as caught:
        import_template(loaded_conn, kind, path)
    row, column, words = expected
    located = [p for p in caught.value.problems if (p.row, p.column) == (row, column)]
    assert located, caught.value.problems
    assert words in located[0].reason, located[0]
    assert all(p.file == TEMPLATES[kind].filename for p in caught.value.problems)
    assert dump(loaded_conn) == before


def test_a_blank_line_counts_as_a_spreadsheet_row(empty_conn, tmp_path):
    path = write(tmp_path, "cohorts.csv", "cohort,size\n2015-2016,24\n\n2016-2017,x\n")
    with pytest.raises(ImportValidationError) as caught:
        import_template(empty_conn, "cohorts", path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "size")]


def test_a_multiline_cell_is_one_row(loaded_conn, tmp_path):
    path = write(
        tmp_path, "quotes.csv", QUOTE_HEADER + 'q8,"Deux\nlignes",sp01,,,support,publiée\nq9,X,sp01,,,,nope\n'
    )
    with pytest.raises(ImportValidationError) as caught:
        import_template(loaded_conn, "quotes", path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "status")]


def test_every_problem_is_reported_at_once(loaded_conn, tmp_path):
    path = write(
        tmp_path,
        "interventions.csv",
        INTERVENTION_HEADER
        + "i8,2015-10-02,2015-2016,S1,sp01,T,atelier,crise,\n"
        + "i9,2015-10-32,2015-2016,S1,sp01,T,atelier,crise,\n"
        + "i10,2015-10-02,2019-2020,S1,sp01,T,atelier,crise,\n"
        + "i11,2015-10-02,2015-2016,S1,sp01,T,atelier,trolls,\n",
    )
    with pytest.raises(ImportValidationError) as caught:
        import_template(loaded_conn, "interventions", path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "date"), (4, "cohort"), (5, "themes")]


def test_a_problem_reads_as_a_sentence_for_the_director():
    problem = Problem("interventions.csv", 4, "cohort", "2019-2020", "promotion inconnue")
    assert (
        str(problem)
        == "interventions.csv, ligne 4, colonne « cohort » : valeur « 2019-2020 » — promotion inconnue"
    )
    assert str(Problem("cohorts.csv", 1, "size", None, "colonne manquante")) == (
        "cohorts.csv, ligne 1, colonne « size » : colonne manquante"
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(b"", "vide", id="empty file"),
        pytest.param(b"\xef\xbb\xbf \n\n", "vide", id="blank file with a BOM"),
        pytest.param(
            "cohort,size\n2015-2016,24 élèves\n".encode() + "2016-2017,é\n".encode("latin-1"),
            "encodages mélangés",
            id="mixed encodings",
        ),
        pytest.param(
            "cohort,size\n2015-2016,24\n".encode("utf-16-le"), "octets nuls", id="utf-16 without bom"
        ),
        pytest.param(b"cohort,size\n2015-2016,\x81\n", "encodage non reconnu", id="byte of no encoding"),
        pytest.param(bytes(range(256)) * 8, "pas un fichier texte", id="binary"),
        pytest.param(b"PK\x03\x04 not really a zip", "classeur", id="broken xlsx"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls", id="legacy excel"),
    ],
)
def test_an_unreadable_file_is_a_file_error(empty_conn, tmp_path, content, words):
    path = write(tmp_path, "cohorts.csv", content)
    before = dump(empty_conn)
    with pytest.raises(ImportFileError) as caught:
        import_template(empty_conn, "cohorts", path)
    assert words in str(caught.value)
    assert caught.value.file == "cohorts.csv"
    assert dump(empty_conn) == before


def test_the_line_of_a_bad_byte_is_named(empty_conn, tmp_path):
    content = "cohort,size\n2015-2016,24 élèves\n".encode() + "2016-2017,é\n".encode("latin-1")
    path = write(tmp_path, "cohorts.csv", content)
    with pytest.raises(ImportFileError, match="ligne 3"):
        import_template(empty_conn, "cohorts", path)


def test_a_missing_file_is_a_file_error(empty_conn, tmp_path):
    with pytest.raises(ImportFileError, match="introuvable"):
        read_template("cohorts", tmp_path / "nope.csv", empty_conn)


# --- a directory: dependency order, one transaction ----------------------------------------------


def test_a_directory_may_refer_to_ids_defined_in_its_own_files(empty_conn, template_dir):
    reports = import_directory(empty_conn, template_dir)
    assert list(reports) == list(KINDS)
    assert {kind: r.added for kind, r in reports.items()} == {
        "cohorts": 2,
        "speakers": 2,
        "career-steps": 3,
        "interventions": 2,
        "responses": 3,
        "reviews": 2,
        "quotes": 2,
    }


def test_one_bad_file_in_a_directory_writes_nothing_at_all(empty_conn, template_dir):
    write(template_dir, "quotes.csv", QUOTE_HEADER + "q9,Un conseil,sp99,,,support,publiée\n")
    write(template_dir, "cohorts.csv", COHORTS_HEADER + "2015-2016,0\n2016-2017,22\n")
    before = dump(empty_conn)
    with pytest.raises(ImportValidationError) as caught:
        import_directory(empty_conn, template_dir)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [
        ("cohorts.csv", 2, "size"),
        ("quotes.csv", 2, "speaker_id"),
    ]
    assert dump(empty_conn) == before


def test_a_directory_with_only_some_files_imports_those(empty_conn, template_dir):
    for name in ("responses.csv", "reviews.csv", "quotes.csv", "career_steps.csv"):
        (template_dir / name).unlink()
    assert list(import_directory(empty_conn, template_dir)) == ["cohorts", "speakers", "interventions"]


def test_a_directory_without_templates_is_a_file_error(empty_conn, tmp_path):
    with pytest.raises(ImportFileError, match="aucun fichier"):
        import_directory(empty_conn, tmp_path)
    with pytest.raises(ImportFileError, match="introuvable"):
        import_directory(empty_conn, tmp_path / "missing")


def test_seeding_fills_an_empty_database_once(empty_conn, template_dir):
    assert seed_demo_if_empty(empty_conn, template_dir) is True
    assert store.get_meta(empty_conn, "demo_data") == "1"
    before = dump(empty_conn)
    assert seed_demo_if_empty(empty_conn, template_dir) is False
    assert dump(empty_conn) == before


def test_the_header_tells_a_template_from_a_survey_export(tmp_path):
    assert detect_format(write(tmp_path, "a.csv", TEMPLATE_FILES["cohorts.csv"])) == "template"
    assert (
        detect_format(write(tmp_path, "b.csv", "Horodateur,Note\n25/10/2023 14:55:21,4\n")) == "google-forms"
    )
    lime = "id,submitdate,lastpage,startlanguage\n1,2024-01-01 10:00:00,2,fr\n"
    assert detect_format(write(tmp_path, "c.csv", lime)) == "limesurvey"


# --- property: any mutation of a valid file imports or is refused cleanly -------------------------

TRICKY_CELLS = [
    "", " ", ";", ";;", "sp02", "sp99", "0", "-1", "6", "11", "4.0", "١٢", "99999999999999999999999",
    "2015-2016", "2019-2020", "2015-2017", "S2", "s3", "crise;crise", "Gestion de crise", "PUBLIEE",
    "31/12/2015", "2015-02-30", "x@y.fr", "\x00", "a\nb", '"', "r000001", "q0001", "2015-2016-S1-02",
]  # fmt: skip
cell_text = st.one_of(
    st.sampled_from(TRICKY_CELLS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
)


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, list[list[str]]]:
    name = draw(st.sampled_from(sorted(TEMPLATE_FILES)))
    rows = list(csv.reader(io.StringIO(TEMPLATE_FILES[name])))
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(0, len(rows) - 1))
        if draw(st.integers(0, 9)) == 0:
            rows[row].append(draw(cell_text))
        else:
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(cell_text)
    return name, rows


@pytest.fixture(scope="module")
def base_database(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    """A database with the valid set, copied into a fresh in-memory database for each example."""
    directory = tmp_path_factory.mktemp("templates")
    for name, content in TEMPLATE_FILES.items():
        write(directory, name, content)
    conn = store.connect(":memory:")
    import_directory(conn, directory)
    yield conn
    conn.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated=mutated_files())
def test_any_mutation_imports_or_is_refused_without_writing(base_database, tmp_path, mutated):
    name, rows = mutated
    conn = store.connect(":memory:")
    base_database.backup(conn)
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    before = dump(conn)
    try:
        import_template(conn, KIND_OF_FILE[name], path)
    except ImportValidationError as error:
        assert error.problems
        assert dump(conn) == before
    except ImportFileError as error:  # a NUL byte makes the file binary
        assert error.message
        assert dump(conn) == before
    finally:
        conn.close()
