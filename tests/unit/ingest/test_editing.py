"""Corrections in the page's tables: checked by the import's validation, written in one transaction;
deletions say what depends on the row and take it along."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from insights import store
from insights.ingest import editing
from insights.ingest.validation import ImportValidationError


def dump(conn: sqlite3.Connection) -> str:
    return "\n".join(conn.iterdump())


@pytest.mark.parametrize("kind", editing.EDITABLE)
def test_saving_an_unchanged_table_changes_nothing(demo_conn, kind):
    table = editing.table_for_editing(demo_conn, kind)
    assert len(table) > 0
    edits = editing.check_edits(demo_conn, kind, table, table.copy())
    assert not edits.problems and not edits.has_changes
    before = dump(demo_conn)
    report = editing.save_edits(demo_conn, edits)
    assert (report.write.added, report.write.updated) == (0, 0)
    assert dump(demo_conn) == before


def test_a_corrected_cell_is_written(demo_conn):
    table = editing.table_for_editing(demo_conn, "speakers")
    edited = table.copy()
    edited.loc[0, "title"] = "Directrice de la communication"
    edited.loc[1, "networks"] = "LinkedIn;Twitter"
    edits = editing.check_edits(demo_conn, "speakers", table, edited)
    assert edits.changed == 2 and not edits.problems
    assert editing.save_edits(demo_conn, edits).describe() == "0 ajouté(s), 2 mis à jour"
    speakers = store.load_speakers(demo_conn).set_index("speaker_id")
    assert speakers.loc[table.loc[0, "speaker_id"], "title"] == "Directrice de la communication"
    assert speakers.loc[table.loc[1, "speaker_id"], "networks"] == "LinkedIn;X/Twitter"  # canonical spelling


def test_invalid_cells_are_located_by_their_row_in_the_table(demo_conn):
    table = editing.table_for_editing(demo_conn, "interventions")
    edited = table.copy()
    edited.loc[2, "semester"] = "S3"
    edited.loc[4, "themes"] = "crise;trolls"
    edited.loc[4, "cohort"] = "2030-2031"
    before = dump(demo_conn)
    edits = editing.check_edits(demo_conn, "interventions", table, edited)
    assert [(p.row, p.column) for p in edits.problems] == [(3, "semester"), (5, "cohort"), (5, "themes")]
    assert edits.problems[0].file == "Interventions (tableau)"
    with pytest.raises(ImportValidationError):
        editing.save_edits(demo_conn, edits)
    assert dump(demo_conn) == before


def test_the_key_of_an_existing_row_cannot_change(demo_conn):
    table = editing.table_for_editing(demo_conn, "cohorts")
    edited = table.copy()
    edited.loc[0, "cohort"] = "2000-2001"
    edits = editing.check_edits(demo_conn, "cohorts", table, edited)
    assert [(p.row, p.column, p.value) for p in edits.problems] == [(1, "cohort", "2000-2001")]
    assert "ne se modifie pas" in edits.problems[0].reason


def test_a_row_added_in_the_editor_is_added(demo_conn):
    table = editing.table_for_editing(demo_conn, "cohorts")
    edited = pd.concat(
        [
            table,
            pd.DataFrame(
                {"cohort": ["2016-2017", None], "size": [31, None]}, index=[len(table), len(table) + 1]
            ),
        ]
    )
    edits = editing.check_edits(demo_conn, "cohorts", table, edited)
    assert edits.added == 1  # the second, empty row is ignored
    editing.save_edits(demo_conn, edits)
    assert store.load_cohorts(demo_conn).set_index("cohort").loc["2016-2017", "size"] == 31


def test_a_duplicated_id_among_added_rows_is_a_problem(demo_conn):
    table = editing.table_for_editing(demo_conn, "cohorts")
    added = pd.DataFrame({"cohort": [table.loc[0, "cohort"]], "size": [12]}, index=[len(table)])
    edits = editing.check_edits(demo_conn, "cohorts", table, pd.concat([table, added]))
    assert [p.reason for p in edits.problems] == ["identifiant en double (déjà ligne 1)"]


def test_career_steps_are_edited_by_their_number(demo_conn):
    table = editing.table_for_editing(demo_conn, "career-steps")
    edited = table.copy()
    edited.loc[0, "role"] = "Médiatrice culturelle et numérique"
    edited.loc[0, "year_to"] = pd.NA
    edits = editing.check_edits(demo_conn, "career-steps", table, edited)
    report = editing.save_edits(demo_conn, edits)
    assert report.write.updated == 1 and report.write.added == 0
    after = editing.table_for_editing(demo_conn, "career-steps").set_index("step_id")
    row = after.loc[table.loc[0, "step_id"]]
    assert row["role"] == "Médiatrice culturelle et numérique" and pd.isna(row["year_to"])
    assert len(after) == len(table)


def test_deleting_an_intervention_says_what_goes_with_it(demo_conn):
    table = editing.table_for_editing(demo_conn, "interventions")
    quotes = store.load_quotes(demo_conn)
    talk = quotes["intervention_id"].dropna().iloc[0]
    responses = int((store.load_responses(demo_conn)["intervention_id"] == talk).sum())
    attached = int((quotes["intervention_id"] == talk).sum())
    edited = table[table["intervention_id"] != talk]
    edits = editing.check_edits(demo_conn, "interventions", table, edited)
    assert edits.deleted == (talk,)
    plan = editing.plan_deletion(demo_conn, edits)
    assert (plan.responses, plan.quotes_detached) == (responses, attached)
    assert editing.describe_deletion(plan) == [
        f"{responses} réponses aux questionnaires supprimée(s)",
        f"{attached} citation{'s' if attached > 1 else ''} conservée(s) mais détachée(s) de leur intervention",
    ]
    report = editing.save_edits(demo_conn, edits)
    assert report.describe() == "0 ajouté(s), 0 mis à jour, 1 supprimé(s)"
    assert talk not in set(store.load_interventions(demo_conn)["intervention_id"])
    assert talk not in set(store.load_responses(demo_conn)["intervention_id"])
    assert store.load_quotes(demo_conn)["intervention_id"].isna().sum() >= attached


def test_deleting_a_cohort_deletes_its_interventions_and_responses(demo_conn):
    plan = store.plan_deletion(demo_conn, "cohorts", ["2011-2012"])
    interventions = store.load_interventions(demo_conn)
    assert set(plan.interventions) == set(
        interventions[interventions["cohort"] == "2011-2012"]["intervention_id"]
    )
    assert plan.responses > 0
    store.delete_records(demo_conn, "cohorts", ["2011-2012"])
    assert "2011-2012" not in set(store.load_cohorts(demo_conn)["cohort"])
    assert not set(plan.interventions) & set(store.load_responses(demo_conn)["intervention_id"])


def test_deleting_a_speaker_keeps_shared_talks_and_deletes_their_own(demo_conn):
    interventions = store.load_interventions(demo_conn)
    shared = interventions[interventions["speaker_ids"].map(len) > 1].iloc[0]
    speaker = shared["speaker_ids"][0]
    alone = interventions[interventions["speaker_ids"].map(lambda s: s == [speaker])]["intervention_id"]
    plan = store.plan_deletion(demo_conn, "speakers", [speaker])
    assert set(plan.interventions) == set(alone)
    assert plan.interventions_unlinked >= 1
    assert plan.career_steps == int((store.load_career_steps(demo_conn)["speaker_id"] == speaker).sum())
    store.delete_records(demo_conn, "speakers", [speaker])
    after = store.load_interventions(demo_conn).set_index("intervention_id")
    assert speaker not in after.loc[shared["intervention_id"], "speaker_ids"]
    assert speaker not in set(store.load_quotes(demo_conn)["speaker_id"])
    assert speaker not in set(store.load_career_steps(demo_conn)["speaker_id"])


def test_a_deletion_is_one_transaction(demo_conn):
    before = dump(demo_conn)
    # Deleting the interventions (after their responses and quotes' links) fails: nothing must remain done.
    demo_conn.execute(
        "CREATE TEMP TRIGGER refuse BEFORE DELETE ON interventions BEGIN SELECT RAISE(ABORT, 'refusé'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="refusé"):
        store.delete_records(demo_conn, "cohorts", ["2011-2012"])
    demo_conn.execute("DROP TRIGGER temp.refuse")
    assert dump(demo_conn) == before
