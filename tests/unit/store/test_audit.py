"""The audit journal (`insights.store.audit`): every write recorded with its time, kind, source,
counts and affected ids, in the write's own transaction."""

from __future__ import annotations

import re

import pytest

from insights import store
from insights.exporting import csv_bytes
from insights.ingest import imports
from insights.ingest.validation import ImportValidationError

RESPONSES = (
    "response_id,intervention_id,submitted_at,respondent,satisfaction\n"
    "a1,2015-2016-S1-01,2015-10-01T10:00:00,,5\n"
    "a2,2015-2016-S1-02,2015-10-01T10:05:00,,4\n"
)


def journal(conn, *kinds):
    return store.load_audit_log(conn, kinds)


def test_an_import_is_recorded_with_its_counts_and_talks(demo_conn):
    imports.import_file(demo_conn, "responses", "retours.csv", RESPONSES.encode())
    entry = journal(demo_conn, "import").iloc[0]
    assert entry["summary"] == "retours.csv (responses) : 2 ajouté(s), 0 mis à jour, 0 inchangé(s)"
    assert entry["counts"] == {"added": 2, "updated": 0, "skipped": 0}
    assert entry["ids"] == ["2015-2016-S1-01", "2015-2016-S1-02"]
    assert entry["source"] == "app"


def test_a_dry_run_an_unchanged_file_and_a_refused_one_leave_no_entry(demo_conn):
    before = len(journal(demo_conn))
    imports.import_file(demo_conn, "responses", "retours.csv", RESPONSES.encode(), dry_run=True)
    bad = RESPONSES.replace("2015-2016-S1-02", "inconnue")
    with pytest.raises(ImportValidationError):
        imports.import_file(demo_conn, "responses", "retours.csv", bad.encode())
    assert len(journal(demo_conn)) == before
    imports.import_file(demo_conn, "responses", "retours.csv", RESPONSES.encode())
    imports.import_file(demo_conn, "responses", "retours.csv", RESPONSES.encode())  # nothing new
    assert len(journal(demo_conn)) == before + 1


def test_moderation_publication_review_and_settings_are_recorded(demo_conn):
    quote_id = store.propose_quote(demo_conn, "Écouter avant de répondre.", "sp01", None, [])
    store.set_quote_status(demo_conn, quote_id, "publiée")
    talk = store.load_publication(demo_conn).query("state == 'reviewed'")["intervention_id"].iloc[0]
    store.set_result_state(demo_conn, [talk], "published", "page")
    item = store.review_queue(demo_conn, talk).iloc[0]
    store.review_answer(demo_conn, item["response_id"], item["question_id"], "private")
    store.set_anonymity_threshold(demo_conn, 6)
    kinds = journal(demo_conn)["kind"].tolist()
    assert kinds[:5] == ["settings", "review", "publication", "moderation", "proposal"]
    entries = journal(demo_conn).drop_duplicates("kind").set_index("kind")  # the latest of each kind
    assert entries.at["publication", "ids"] == [talk]
    assert entries.at["moderation", "ids"] == [quote_id]
    assert entries.at["settings", "summary"] == "Seuil d'anonymat : 6 réponses"


def test_the_command_line_is_named_as_the_source(demo_conn):
    store.set_audit_source("cli")
    try:
        store.set_anonymity_threshold(demo_conn, 6)
    finally:
        store.set_audit_source("app")
    assert journal(demo_conn, "settings")["source"].iloc[0] == "cli"


def test_an_entry_keeps_the_first_ids_and_counts_the_others(demo_conn):
    store.record_write(demo_conn, "correction", "beaucoup", ids=[f"r{i}" for i in range(250)])
    ids = journal(demo_conn, "correction")["ids"].iloc[0]
    assert len(ids) == store.MAX_IDS + 1 and ids[-1] == "… et 50 autres"


def test_recording_leaves_the_data_version_alone(demo_conn):
    version = store.data_version(demo_conn)
    store.record_write(demo_conn, "signin", "essai")
    assert store.data_version(demo_conn) == version


def test_the_journal_reads_in_french_and_exports_as_csv(demo_conn):
    imports.import_file(demo_conn, "responses", "retours.csv", RESPONSES.encode())
    store.set_anonymity_threshold(demo_conn, 6)
    rows = store.journal_rows(store.load_audit_log(demo_conn, ["import", "settings"]))
    settings, imported = rows[0], rows[1]
    assert settings[1:4] == ["Réglages", "application", "Seuil d'anonymat : 6 réponses"]
    assert imported[4] == "2 ajoutés · 0 mis à jour · 0 inchangés"
    assert imported[5] == "2015-2016-S1-01, 2015-2016-S1-02"
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", imported[0])
    lines = csv_bytes(store.JOURNAL_HEADER, rows).decode("utf-8-sig").splitlines()
    assert lines[0] == "Date et heure,Type,Origine,Description,Nombres,Identifiants"
    assert len(lines) == len(rows) + 1
