"""The command line's publication commands: `publish`, `unpublish` (by id, --cohort, --all) and
`review --status`, their messages, exit codes, and that a refused command writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from insights import cli, store
from insights.domain import COLLECTING, PUBLISHED_RESULTS, REVIEWED
from insights.ingest.loading import import_directory
from tests.unit.test_cli import dump

S1_01, S1_02, S2_01 = "2015-2016-S1-01", "2015-2016-S1-02", "2015-2016-S2-01"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    try:
        code = cli.main([str(arg) for arg in argv])
    except SystemExit as exited:  # usage errors exit through argparse
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def states(path: Path) -> dict[str, str]:
    conn = store.connect(path)
    try:
        publication = store.load_publication(conn)
    finally:
        conn.close()
    return dict(zip(publication["intervention_id"], publication["state"], strict=True))


@pytest.fixture
def db(tmp_path: Path, template_dir: Path) -> Path:
    """The template set (S1-01 published, S1-02 reviewed, both answered) and S2-01 without answers,
    in cohort 2015-2016; cohort 2016-2017 has no talk."""
    path = tmp_path / "cli.sqlite"
    conn = store.connect(path)
    import_directory(conn, template_dir)
    store.write_interventions(
        conn,
        [
            {
                "intervention_id": S2_01,
                "date": "2016-02-04",
                "cohort": "2015-2016",
                "semester": "S2",
                "speaker_ids": ["sp02"],
                "title": "Personne n'a répondu",
                "format": "atelier",
                "themes": ["crise"],
                "tools": "",
            }
        ],
    )
    conn.close()
    assert states(path) == {S1_01: PUBLISHED_RESULTS, S1_02: REVIEWED, S2_01: COLLECTING}
    return path


def history(path: Path) -> list[tuple[str, str, str]]:
    conn = store.connect(path)
    try:
        frame = store.load_publication_history(conn)
    finally:
        conn.close()
    return sorted(frame[["intervention_id", "state", "source"]].itertuples(index=False, name=None))


# --- publish ------------------------------------------------------------------------------------


def test_publish_names_what_changed_and_what_already_was(capsys, db):
    code, out, err = run(capsys, "--db", db, "publish", S1_02, S1_01)
    assert code == 0, err
    assert out.splitlines() == [
        "Résultats publiés pour 1 intervention :",
        f"  {S1_02} · 24/11/2015 · Les réseaux sociaux d'un grand groupe",
        "Déjà publiés pour 1 intervention :",
        f"  {S1_01} · 12/10/2015 · Animer la communauté d'une université",
    ]
    assert states(db)[S1_02] == PUBLISHED_RESULTS
    assert (S1_02, PUBLISHED_RESULTS, "cli") in history(db)


def test_publishing_an_unknown_talk_exits_1_and_writes_nothing(capsys, db):
    before = dump(db)
    code, out, err = run(capsys, "--db", db, "publish", S1_02, "2015-2016-S9-99")
    assert code == 1 and out == ""
    assert "Intervention(s) inconnue(s) : 2015-2016-S9-99" in err
    assert dump(db) == before


def test_publishing_a_talk_without_answers_exits_1_and_writes_nothing(capsys, db):
    before = dump(db)
    code, out, err = run(capsys, "--db", db, "publish", S1_02, S2_01)
    assert code == 1 and out == ""
    assert f"Sans aucune réponse au questionnaire, il n'y a rien à publier pour : {S2_01}" in err
    assert "Rien n'a été publié." in err
    assert dump(db) == before


def test_publish_a_cohort(capsys, db, tmp_path):
    # 2015-2016 holds S2-01, which nobody answered: the whole cohort is refused.
    code, _, err = run(capsys, "--db", db, "publish", "--cohort", "2015-2016")
    assert code == 1 and S2_01 in err
    conn = store.connect(db)
    store.delete_records(conn, "interventions", [S2_01])
    conn.close()
    code, out, err = run(capsys, "--db", db, "publish", "--cohort", "2015-2016")
    assert code == 0, err
    assert out.splitlines()[0] == "Résultats publiés pour 1 intervention :"
    assert set(states(db).values()) == {PUBLISHED_RESULTS}


@pytest.mark.parametrize(
    ("cohort", "words"),
    [
        pytest.param("2019-2020", "Promotion(s) inconnue(s) : 2019-2020 (promotions de la base : 2015-2016, 2016-2017)", id="unknown"),
        pytest.param("2016-2017", "Aucune intervention dans la promotion 2016-2017", id="without talks"),
    ],
)  # fmt: skip
def test_publishing_a_cohort_that_has_no_talk_exits_1(capsys, db, cohort, words):
    before = dump(db)
    code, _, err = run(capsys, "--db", db, "publish", "--cohort", cohort)
    assert code == 1 and words in err
    assert dump(db) == before


def test_publish_all(capsys, db):
    code, _, err = run(capsys, "--db", db, "publish", "--all")
    assert code == 1 and S2_01 in err
    conn = store.connect(db)
    store.write_responses(
        conn,
        [{"response_id": "r9", "intervention_id": S2_01, "submitted_at": "", "respondent": "e9"}],
        [("r9", "satisfaction", 4.0, None)],
    )
    conn.close()
    code, out, err = run(capsys, "--db", db, "publish", "--all")
    assert code == 0, err
    assert "Résultats publiés pour 2 interventions :" in out and "Déjà publiés pour 1 intervention :" in out
    assert set(states(db).values()) == {PUBLISHED_RESULTS}


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([], id="nothing chosen"),
        pytest.param([S1_01, "--all"], id="ids and --all"),
        pytest.param(["--cohort", "2015-2016", "--all"], id="--cohort and --all"),
    ],
)
def test_talks_are_chosen_one_way_exactly(capsys, db, argv):
    before = dump(db)
    code, _, err = run(capsys, "--db", db, "publish", *argv)
    assert code == 2 and "d'une seule façon" in err
    assert dump(db) == before


# --- unpublish ----------------------------------------------------------------------------------


def test_unpublish_takes_published_results_back_and_leaves_the_others(capsys, db):
    code, out, err = run(capsys, "--db", db, "unpublish", "--all")
    assert code == 0, err
    assert out.splitlines() == [
        "Publication retirée (résultats « relus ») pour 1 intervention :",
        f"  {S1_01} · 12/10/2015 · Animer la communauté d'une université",
        "Résultats non publiés, laissés tels quels pour 2 interventions :",
        f"  {S1_02} · 24/11/2015 · Les réseaux sociaux d'un grand groupe",
        f"  {S2_01} · 04/02/2016 · Personne n'a répondu",
    ]
    assert states(db) == {S1_01: REVIEWED, S1_02: REVIEWED, S2_01: COLLECTING}
    assert (S1_01, REVIEWED, "cli") in history(db)
    code, out, _ = run(capsys, "--db", db, "unpublish", S1_01)
    assert code == 0 and out.startswith("Résultats non publiés, laissés tels quels pour 1 intervention :")


def test_unpublishing_an_unknown_talk_exits_1_and_writes_nothing(capsys, db):
    before = dump(db)
    code, _, err = run(capsys, "--db", db, "unpublish", S1_01, "nope")
    assert code == 1 and "inconnue(s) : nope" in err
    assert dump(db) == before
    code, _, err = run(capsys, "--db", db, "unpublish", "--cohort", "2030-2031")
    assert code == 1 and "2030-2031" in err
    assert dump(db) == before


# --- review --status ----------------------------------------------------------------------------


def test_review_status_lists_the_answers_waiting_per_talk_and_in_total(capsys, db):
    code, out, _ = run(capsys, "--db", db, "review", "--status")
    assert code == 0
    assert out.strip() == "Aucune réponse libre à relire (2 réponses libres en tout)."
    conn = store.connect(db)
    store.reopen_answer(conn, "r000001", "takeaway")
    conn.close()
    code, out, _ = run(capsys, "--db", db, "review", "--status")
    assert code == 0
    assert out.splitlines() == [
        f"Animer la communauté d'une université — 12/10/2015, promotion 2015-2016 [{S1_01}] : 1 à relire sur 2",
        "Total : 1 réponse libre à relire sur 2, dans 1 intervention.",
    ]


def test_review_status_in_json_on_the_demo(capsys, demo_db_path):
    code, out, err = run(capsys, "--db", demo_db_path, "review", "--status", "--json")
    assert code == 0, err
    status = json.loads(out)
    conn = store.connect(demo_db_path)
    try:
        counts = store.review_counts(conn).set_index("intervention_id")
        pending = store.pending_reviews(conn)
        talks = store.load_interventions(conn).set_index("intervention_id")
    finally:
        conn.close()
    assert status["pending"] == pending > 0
    assert status["answers"] == counts["answers"].sum() > pending
    assert sum(talk["pending"] for talk in status["talks"]) == pending
    assert all(talk["pending"] > 0 for talk in status["talks"])
    dates = [talk["date"] for talk in status["talks"]]
    assert dates == sorted(dates)
    first = status["talks"][0]
    assert set(first) == {"intervention_id", "title", "date", "cohort", "results", "pending", "answers"}
    assert first["title"] == talks.at[first["intervention_id"], "title"]
    assert first["answers"] == counts.at[first["intervention_id"], "answers"]
    # Text output: a line per talk and the total.
    code, out, _ = run(capsys, "--db", demo_db_path, "review", "--status")
    lines = out.splitlines()
    assert len(lines) == len(status["talks"]) + 1
    assert lines[-1].startswith(
        f"Total : {status['pending']:,} réponses libres à relire".replace(",", "\u202f")
    )


def test_review_without_status_is_a_usage_error(capsys, db):
    code, _, err = run(capsys, "--db", db, "review")
    assert code == 2 and "--status" in err


def test_reviews_import_through_the_command_line(capsys, db, tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_text("response_id,question_id,status,text\nr000001,takeaway,privé,\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", db, "import", "reviews", path)
    assert code == 0, err
    assert out.strip() == "reviews.csv : 0 ajouté(s), 1 mis à jour, 0 inchangé(s)"
