"""The command line: `python -m insights init | import | export`, exit codes and messages."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from insights import cli, store
from insights.ingest import imports
from insights.ingest.mapping import IGNORE, ColumnTarget
from insights.ingest.templates import TEMPLATES
from tests.survey_exports import (
    GOOGLE_FR,
    GOOGLE_FR_TALK,
    GOOGLE_FR_UNKNOWN,
    LIMESURVEY_FR,
    LIMESURVEY_FR_TALK,
)
from tests.unit.conftest import TEMPLATE_FILES

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.sqlite"


# --- help -----------------------------------------------------------------------------------------


def test_every_subcommand_is_listed_with_help_text(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    for command in cli.HANDLERS:
        index = next(i for i, line in enumerate(lines) if line.split(maxsplit=1)[:1] == [command])
        # argparse puts the help of a long command name on the next line.
        help_text = lines[index].split(maxsplit=1)[1:] or [lines[index + 1].strip()]
        assert len(help_text[0]) > 10, lines[index]


@pytest.mark.parametrize("command", list(cli.HANDLERS))
def test_every_subcommand_has_its_own_help(capsys, command):
    with pytest.raises(SystemExit) as exited:
        cli.main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m insights {command}")
    if command != "search-eval":  # it publishes its judged set into a scratch database of its own
        assert "--db" in out


def test_python_dash_m_insights_runs_the_command_line():
    result = subprocess.run(
        [sys.executable, "-m", "insights", "--help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "import" in result.stdout and "export" in result.stdout


def test_a_missing_subcommand_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main([])
    assert exited.value.code == 2
    assert "erreur" in capsys.readouterr().err


# --- init -----------------------------------------------------------------------------------------


def test_init_creates_a_migrated_database(capsys, db):
    code, out, _ = run(capsys, "--db", db, "init")
    assert code == 0 and "Base prête" in out
    conn = store.connect(db)
    assert store.schema_version(conn) == store.SCHEMA_VERSION
    assert store.is_empty(conn)
    conn.close()


def test_the_database_comes_from_insights_db_when_no_option_is_given(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHTS_DB", str(tmp_path / "from-env.sqlite"))
    assert run(capsys, "init")[0] == 0
    assert (tmp_path / "from-env.sqlite").is_file()


def test_the_db_option_may_follow_the_subcommand(capsys, db):
    assert run(capsys, "init", "--db", db)[0] == 0
    assert db.is_file()


def test_init_demo_then_export_gives_back_the_demo_files(capsys, db, tmp_path):
    code, out, err = run(capsys, "--db", db, "init", "--demo")
    assert code == 0, err
    assert "interventions.csv : " in out and "ajouté(s)" in out
    assert run(capsys, "--db", db, "export", tmp_path / "export")[0] == 0
    for template in TEMPLATES.values():
        demo_file = store.DEMO_DIR / template.filename
        exported = csv_rows(tmp_path / "export" / template.filename)
        assert exported == csv_rows(demo_file), template.filename
    conn = store.connect(db)
    assert store.get_meta(conn, "demo_data") == "1"
    conn.close()


def test_init_demo_refuses_a_database_that_holds_data_unless_reset(capsys, db, tmp_path):
    (tmp_path / "cohorts.csv").write_text("cohort,size\n1999-2000,10\n", encoding="utf-8")
    run(capsys, "--db", db, "import", "cohorts", tmp_path / "cohorts.csv")
    before = dump(db)
    code, _, err = run(capsys, "--db", db, "init", "--demo")
    assert code == 1
    assert "--reset" in err
    assert dump(db) == before
    code, _, err = run(capsys, "--db", db, "init", "--demo", "--reset")
    assert code == 0, err
    conn = store.connect(db)
    assert "1999-2000" not in store.load_cohorts(conn)["cohort"].tolist()
    conn.close()


def test_reset_refuses_to_delete_a_file_that_is_not_a_database(capsys, tmp_path):
    precious = tmp_path / "notes.txt"
    precious.write_text("ne pas supprimer", encoding="utf-8")
    code, _, err = run(capsys, "--db", precious, "init", "--reset")
    assert code == 1 and "pas une base SQLite" in err
    assert precious.read_text(encoding="utf-8") == "ne pas supprimer"


# --- import ---------------------------------------------------------------------------------------


def test_import_prints_what_was_added_then_skipped(capsys, db, template_dir):
    code, out, _ = run(capsys, "--db", db, "import", "cohorts", template_dir / "cohorts.csv")
    assert code == 0
    assert out.strip() == "cohorts.csv : 2 ajouté(s), 0 mis à jour, 0 inchangé(s)"
    code, out, _ = run(capsys, "--db", db, "import", "cohorts", template_dir / "cohorts.csv")
    assert out.strip() == "cohorts.csv : 0 ajouté(s), 0 mis à jour, 2 inchangé(s)"


def test_import_of_a_bad_file_exits_1_with_every_problem_and_writes_nothing(
    capsys, db, template_dir, tmp_path
):
    run(capsys, "--db", db, "import", "cohorts", template_dir / "cohorts.csv")
    bad = tmp_path / "interventions.csv"
    bad.write_text(
        TEMPLATE_FILES["interventions.csv"].splitlines()[0] + "\n"
        "i1,2019-10-02,2019-2020,S1,sp01,T,atelier,,\n"
        "i2,2015-10-02,2015-2016,S4,sp01,T,atelier,,\n",
        encoding="utf-8",
    )
    before = dump(db)
    code, out, err = run(capsys, "--db", db, "import", "interventions", bad)
    assert code == 1
    assert out == ""
    assert "interventions.csv, ligne 2, colonne « cohort » : valeur « 2019-2020 » — promotion inconnue" in err
    assert "interventions.csv, ligne 3, colonne « semester » : valeur « S4 »" in err
    assert "rien n'a été importé" in err
    assert dump(db) == before


def test_import_of_an_unreadable_file_exits_1(capsys, db, tmp_path):
    bad = tmp_path / "cohorts.csv"
    bad.write_bytes("cohort,size\n2015-2016,24 élèves\n".encode() + "2016-2017,é\n".encode("latin-1"))
    code, _, err = run(capsys, "--db", db, "import", "cohorts", bad)
    assert code == 1 and "encodages mélangés" in err and "ligne 3" in err


def test_a_dry_run_writes_nothing(capsys, db, template_dir):
    run(capsys, "--db", db, "init")
    before = dump(db)
    code, out, _ = run(capsys, "--db", db, "import", "cohorts", template_dir / "cohorts.csv", "--dry-run")
    assert code == 0
    assert "2 ajouté(s)" in out and "rien n'a été enregistré" in out
    assert dump(db) == before


def test_intervention_option_fills_the_responses_intervention(capsys, db, template_dir, tmp_path):
    for kind in ("cohorts", "speakers", "interventions"):
        run(capsys, "--db", db, "import", kind, template_dir / TEMPLATES[kind].filename)
    answers = tmp_path / "responses.csv"
    answers.write_text(
        "response_id,submitted_at,respondent,satisfaction,takeaway\nr1,,a1,5,Écouter\n", encoding="utf-8"
    )
    code, out, err = run(
        capsys, "--db", db, "import", "responses", answers, "--intervention", "2015-2016-S1-01"
    )
    assert code == 0, err
    assert "1 ajouté(s)" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        pytest.param(["import", "people", "x.csv"], "type inconnu", id="unknown kind"),
        pytest.param(["import", "cohorts", "absent.csv"], "introuvable", id="missing file"),
        pytest.param(
            ["import", "cohorts", "{cohorts}", "--intervention", "i1"], "responses", id="intervention"
        ),
        pytest.param(
            ["import", "cohorts", "{cohorts}", "--format", "pdf"], "choix invalide", id="bad format"
        ),
    ],
)
def test_usage_errors_exit_2(capsys, db, template_dir, tmp_path, argv, words):
    google = tmp_path / "export.csv"
    google.write_text("Horodateur,Note\n25/10/2023 14:55:21,4\n", encoding="utf-8")
    files = {"cohorts": template_dir / "cohorts.csv", "google": google}
    argv = ["--db", str(db), *(arg.format(**files) for arg in argv)]
    try:
        code = cli.main(argv)
    except SystemExit as exited:
        code = exited.code
    assert code == 2
    assert words in capsys.readouterr().err


# --- export ---------------------------------------------------------------------------------------


def test_export_then_import_is_the_identity(capsys, db, template_dir, tmp_path):
    for kind, template in TEMPLATES.items():
        assert run(capsys, "--db", db, "import", kind, template_dir / template.filename)[0] == 0
    code, out, _ = run(capsys, "--db", db, "export", tmp_path / "out")
    assert code == 0 and out.count("écrit") == len(TEMPLATES) == 7
    for template in TEMPLATES.values():
        exported = (tmp_path / "out" / template.filename).read_bytes()
        assert exported == (template_dir / template.filename).read_bytes()


# --- survey exports -------------------------------------------------------------------------------


@pytest.fixture
def demo_db(capsys, db) -> Path:
    assert run(capsys, "--db", db, "init", "--demo")[0] == 0
    return db


def test_import_recognises_a_limesurvey_export_and_reports_unfinished_responses(capsys, demo_db):
    argv = ["--db", demo_db, "import", "responses", LIMESURVEY_FR, "--intervention", LIMESURVEY_FR_TALK]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert out.splitlines() == [
        "Format : LimeSurvey · CSV, encodage UTF-8 avec BOM · séparateur point-virgule « ; » · 6 lignes",
        f"{LIMESURVEY_FR.name} : 4 ajouté(s), 0 mis à jour, 0 inchangé(s) ; "
        "2 réponses incomplètes ignorées (sans date de soumission)",
    ]
    code, out, _ = run(capsys, *argv)
    assert "0 ajouté(s), 0 mis à jour, 4 inchangé(s)" in out


def test_an_unmapped_column_stops_the_command_line_with_the_page_s_words(capsys, demo_db):
    before = dump(demo_db)
    code, out, err = run(
        capsys, "--db", demo_db, "import", "responses", GOOGLE_FR, "--intervention", GOOGLE_FR_TALK
    )
    assert code == 1
    assert out.startswith("Format : Google Forms")
    assert f"ligne 1, colonne « {GOOGLE_FR_UNKNOWN} » : colonne sans correspondance" in err
    assert "1 problème(s) : rien n'a été importé." in err
    assert dump(demo_db) == before


def test_the_command_line_uses_the_mapping_saved_by_the_page(capsys, demo_db):
    conn = store.connect(demo_db)
    try:
        analysis = imports.analyse(conn, "responses", GOOGLE_FR.name, GOOGLE_FR.read_bytes())
        mapping = analysis.mapping.with_column(GOOGLE_FR_UNKNOWN, ColumnTarget(IGNORE))
        store.save_import_mapping(
            conn, analysis.fingerprint, analysis.format, analysis.table.header, mapping.to_json()
        )
    finally:
        conn.close()
    argv = ["--db", demo_db, "import", "responses", GOOGLE_FR, "--intervention", GOOGLE_FR_TALK]
    code, out, err = run(capsys, *argv, "--dry-run")
    assert code == 0, err
    assert "Correspondance des colonnes : celle enregistrée pour ce formulaire." in out
    assert "6 ajouté(s)" in out and "rien n'a été enregistré" in out
    code, out, err = run(capsys, *argv)
    assert code == 0 and "6 ajouté(s)" in out


def test_a_format_can_be_forced(capsys, demo_db, tmp_path):
    renamed = tmp_path / "réponses.txt"
    renamed.write_bytes(LIMESURVEY_FR.read_bytes())
    code, out, err = run(
        capsys, "--db", demo_db, "import", "responses", renamed, "--format", "limesurvey",
        "--intervention", LIMESURVEY_FR_TALK,
    )  # fmt: skip
    assert code == 0, err
    assert "4 ajouté(s)" in out


def test_a_survey_export_given_as_another_kind_exits_1(capsys, demo_db):
    code, _, err = run(capsys, "--db", demo_db, "import", "cohorts", GOOGLE_FR)
    assert code == 1
    assert "il s'importe comme « Réponses aux questionnaires », pas comme « Promotions »" in err


def test_a_file_beyond_the_limit_exits_1(capsys, demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("INSIGHTS_MAX_IMPORT_MB", "0.001")
    code, _, err = run(capsys, "--db", demo_db, "import", "responses", GOOGLE_FR)
    assert code == 1 and "trop volumineux" in err
