"""Publication and review in the template files: the `results` column of interventions.csv and
reviews.csv (the director's decisions on free-text answers), imported all-or-nothing and
idempotently, and exported back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from insights import store
from insights.domain import COLLECTING, PUBLISHED_RESULTS, REVIEWED
from insights.ingest.exports import export_tables
from insights.ingest.loading import import_directory, import_template
from insights.ingest.validation import ImportValidationError
from insights.store import reviews as store_reviews
from tests.unit.conftest import TEMPLATE_FILES

INTERVENTIONS = TEMPLATE_FILES["interventions.csv"]
RESPONSES = TEMPLATE_FILES["responses.csv"]
REVIEW_HEADER = "response_id,question_id,status,text\n"


def dump(conn: sqlite3.Connection) -> str:
    return "\n".join(conn.iterdump())


def write(directory: Path, name: str, content: str) -> Path:
    path = directory / name
    path.write_text(content, encoding="utf-8")
    return path


def states(conn: sqlite3.Connection) -> dict[str, str]:
    publication = store.load_publication(conn)
    return dict(zip(publication["intervention_id"], publication["state"], strict=True))


def reviews(conn: sqlite3.Connection) -> list[tuple]:
    held = store.load_reviews(conn)
    return list(held[["response_id", "question_id", "status", "edited"]].itertuples(index=False, name=None))


@pytest.fixture
def loaded_conn(empty_conn: sqlite3.Connection, template_dir: Path) -> sqlite3.Connection:
    import_directory(empty_conn, template_dir)
    return empty_conn


# --- results states -----------------------------------------------------------------------------


def test_the_results_column_sets_the_states_as_an_import(loaded_conn):
    assert states(loaded_conn) == {"2015-2016-S1-01": PUBLISHED_RESULTS, "2015-2016-S1-02": REVIEWED}
    history = store.load_publication_history(loaded_conn)
    assert sorted(history[["intervention_id", "state", "source"]].itertuples(index=False, name=None)) == [
        ("2015-2016-S1-01", PUBLISHED_RESULTS, "import"),
        ("2015-2016-S1-02", REVIEWED, "import"),
    ]


def test_a_talk_is_published_by_an_import_before_its_responses_come(empty_conn, template_dir):
    (template_dir / "responses.csv").unlink()
    (template_dir / "reviews.csv").unlink()
    import_directory(empty_conn, template_dir)
    assert store.load_talk_responses(empty_conn).empty
    assert states(empty_conn)["2015-2016-S1-01"] == PUBLISHED_RESULTS


def test_french_labels_are_read_and_an_empty_cell_leaves_the_state_as_it_is(loaded_conn, tmp_path):
    header, first, second = INTERVENTIONS.splitlines()
    path = write(
        tmp_path,
        "interventions.csv",
        f"{header}\n{first.removesuffix('published')}\n{second.removesuffix('reviewed')}EN COLLECTE\n",
    )
    report = import_template(loaded_conn, "interventions", path)
    assert (report.added, report.updated, report.skipped) == (0, 1, 1)
    assert states(loaded_conn) == {"2015-2016-S1-01": PUBLISHED_RESULTS, "2015-2016-S1-02": COLLECTING}
    path = write(tmp_path, "interventions.csv", INTERVENTIONS.replace(",reviewed", ",relus"))
    assert import_template(loaded_conn, "interventions", path).updated == 1
    assert states(loaded_conn)["2015-2016-S1-02"] == REVIEWED


def test_a_change_of_state_alone_is_an_update_and_importing_it_again_changes_nothing(loaded_conn, tmp_path):
    path = write(tmp_path, "interventions.csv", INTERVENTIONS.replace(",reviewed", ",published"))
    assert import_template(loaded_conn, "interventions", path, dry_run=True).updated == 1
    assert states(loaded_conn)["2015-2016-S1-02"] == REVIEWED
    report = import_template(loaded_conn, "interventions", path)
    assert (report.added, report.updated, report.skipped) == (0, 1, 1)
    assert states(loaded_conn)["2015-2016-S1-02"] == PUBLISHED_RESULTS
    before = dump(loaded_conn)
    report = import_template(loaded_conn, "interventions", path)
    assert (report.added, report.updated, report.skipped) == (0, 0, 2)
    assert dump(loaded_conn) == before


def test_a_file_without_the_results_column_leaves_every_state(loaded_conn, tmp_path):
    header, *rows = INTERVENTIONS.splitlines()
    content = "\n".join([header.removesuffix(",results"), *(r.rsplit(",", 1)[0] for r in rows)]) + "\n"
    before = dump(loaded_conn)
    report = import_template(loaded_conn, "interventions", write(tmp_path, "interventions.csv", content))
    assert (report.added, report.updated, report.skipped) == (0, 0, 2)
    assert dump(loaded_conn) == before


def test_an_unknown_state_is_named_with_its_row_and_nothing_is_written(loaded_conn, tmp_path):
    path = write(
        tmp_path,
        "interventions.csv",
        INTERVENTIONS.replace(",reviewed", ",en relecture")
        + INTERVENTIONS.splitlines()[1].replace("S1-01", "S1-09"),
    )
    before = dump(loaded_conn)
    with pytest.raises(ImportValidationError) as caught:
        import_template(loaded_conn, "interventions", path)
    assert [(p.file, p.row, p.column, p.value) for p in caught.value.problems] == [
        ("interventions.csv", 3, "results", "en relecture")
    ]
    assert "« published » (ou « publiés »)" in str(caught.value.problems[0])
    assert dump(loaded_conn) == before


def test_the_export_writes_every_talk_s_state(loaded_conn, tmp_path):
    store.set_result_state(loaded_conn, ["2015-2016-S1-02"], COLLECTING, "page")
    export_tables(loaded_conn, tmp_path)
    exported = (tmp_path / "interventions.csv").read_text(encoding="utf-8")
    assert exported == INTERVENTIONS.replace(",reviewed", ",collecting")


# --- reviews ------------------------------------------------------------------------------------


def test_reviews_are_stored_against_the_answers_text_and_counted(loaded_conn):
    assert reviews(loaded_conn) == [
        ("r000001", "takeaway", "public", None),
        ("r000002", "improve", "private", "Plus de temps d'échange, moins de diapositives"),
    ]
    held = store.load_reviews(loaded_conn).set_index("response_id")
    assert held.loc["r000002", "original"] == "Plus de temps d'échange, moins de slides"
    counts = store.load_text_answer_counts(loaded_conn).set_index(["intervention_id", "question_id"])
    assert counts.loc[("2015-2016-S1-01", "takeaway"), ["answers", "public_answers", "pending"]].tolist() == [
        1,
        1,
        0,
    ]
    assert counts.loc[("2015-2016-S1-01", "improve"), ["answers", "public_answers", "pending"]].tolist() == [
        1,
        0,
        0,
    ]
    assert store.pending_reviews(loaded_conn) == 0


def test_review_labels_are_read_in_french_and_a_changed_decision_is_updated(loaded_conn, tmp_path):
    path = write(
        tmp_path,
        "reviews.csv",
        REVIEW_HEADER + "r000001,Takeaway,Supprime,\n"
        'r000002,improve,privé,"Plus de temps d\'échange, moins de diapositives"\n',
    )
    report = import_template(loaded_conn, "reviews", path)
    assert (report.added, report.updated, report.skipped) == (0, 1, 1)
    assert reviews(loaded_conn)[0] == ("r000001", "takeaway", "removed", None)
    counts = store.load_text_answer_counts(loaded_conn).set_index(["intervention_id", "question_id"])
    assert counts.loc[("2015-2016-S1-01", "takeaway"), "public_answers"] == 0


def test_a_text_equal_to_the_answer_is_no_edit(loaded_conn, tmp_path):
    path = write(
        tmp_path,
        "reviews.csv",
        REVIEW_HEADER + "r000002,improve,public,Plus de temps d'échange  moins de slides\n",
    )
    import_template(loaded_conn, "reviews", path)
    path = write(
        tmp_path,
        "reviews.csv",
        REVIEW_HEADER + 'r000002,improve,public,"Plus de temps d\'échange, moins de slides"\n',
    )
    assert import_template(loaded_conn, "reviews", path).updated == 1
    assert reviews(loaded_conn)[1] == ("r000002", "improve", "public", None)


def test_reviews_of_unknown_answers_are_named_by_row_and_write_nothing(loaded_conn, tmp_path):
    path = write(
        tmp_path,
        "reviews.csv",
        REVIEW_HEADER + "r000001,takeaway,private,\n"
        "r000404,takeaway,public,\n"
        "r000003,takeaway,public,\n"
        "r000002,best_part,public,\n",
    )
    before = dump(loaded_conn)
    with pytest.raises(ImportValidationError) as caught:
        import_template(loaded_conn, "reviews", path)
    assert [(p.row, p.column, p.value) for p in caught.value.problems] == [
        (3, "response_id", "r000404"),
        (4, "question_id", "takeaway"),
        (5, "question_id", "best_part"),
    ]
    assert "reviews.csv, ligne 3, colonne « response_id » : valeur « r000404 » — réponse inconnue" in str(
        caught.value.problems[0]
    )
    assert dump(loaded_conn) == before


def test_reviews_are_checked_against_the_responses_imported_with_them(loaded_conn, template_dir):
    # The directory's responses.csv empties r000001's takeaway: its review has nothing left to review.
    write(template_dir, "responses.csv", RESPONSES.replace("Connaître sa structure avant tout", ""))
    before = dump(loaded_conn)
    with pytest.raises(ImportValidationError) as caught:
        import_directory(loaded_conn, template_dir)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [("reviews.csv", 2, "question_id")]
    assert dump(loaded_conn) == before


def test_reviews_without_their_responses_are_refused(empty_conn, template_dir):
    (template_dir / "responses.csv").unlink()
    with pytest.raises(ImportValidationError) as caught:
        import_directory(empty_conn, template_dir)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "response_id"), (3, "response_id")]


def test_a_review_made_on_an_older_text_is_not_exported_and_the_answer_waits_again(loaded_conn, tmp_path):
    write(
        tmp_path,
        "responses.csv",
        RESPONSES.replace("Connaître sa structure avant tout", "Connaître sa structure"),
    )
    assert import_template(loaded_conn, "responses", tmp_path / "responses.csv").updated == 1
    assert store.pending_reviews(loaded_conn) == 1
    export_tables(loaded_conn, tmp_path / "export")
    assert (tmp_path / "export" / "reviews.csv").read_text(encoding="utf-8") == (
        REVIEW_HEADER + 'r000002,improve,private,"Plus de temps d\'échange, moins de diapositives"\n'
    )
    # Importing the decision again makes it hold on the new text.
    report = import_template(
        loaded_conn, "reviews", write(tmp_path, "reviews.csv", TEMPLATE_FILES["reviews.csv"])
    )
    assert (report.added, report.updated, report.skipped) == (0, 1, 1)
    assert store.pending_reviews(loaded_conn) == 0


def test_many_reviews_are_written_with_one_refresh_per_talk(loaded_conn, tmp_path, monkeypatch):
    talks = ("2015-2016-S1-01", "2015-2016-S1-02")
    rows = [
        ",".join([f"r{n:06d}", talks[n % 2], "", f"e{n}", "4", *[""] * 10, f"Conseil {n}"])
        for n in range(10, 410)
    ]
    responses = "\n".join([RESPONSES.splitlines()[0], *rows]) + "\n"
    assert import_template(loaded_conn, "responses", write(tmp_path, "responses.csv", responses)).added == 400
    calls: list[list[str]] = []
    refresh = store_reviews.refresh_talks
    monkeypatch.setattr(
        store_reviews,
        "refresh_talks",
        lambda conn, talk_ids: (calls.append(list(talk_ids)), refresh(conn, talk_ids)),
    )
    decisions = "".join(f"r{n:06d},improve,public,\n" for n in range(10, 410))
    report = import_template(
        loaded_conn, "reviews", write(tmp_path, "reviews.csv", REVIEW_HEADER + decisions)
    )
    assert report.added == 400
    assert calls == [list(talks)]
    assert store.pending_reviews(loaded_conn) == 0
    assert store.check_aggregates(loaded_conn) == []
