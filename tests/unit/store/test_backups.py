"""Backups (`insights.store.backups`): a snapshot before every risky write, the retention by count
and age, the checks before a restore, and a restore that is all-or-nothing."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from insights import store
from insights.ingest import editing, imports
from insights.store import backups, schema

RESPONSES = (
    "response_id,intervention_id,submitted_at,respondent,satisfaction\n"
    "b1,2015-2016-S1-01,2015-10-01T10:00:00,,5\n"
    "b2,2015-2016-S1-01,2015-10-01T10:05:00,,4\n"
)


@pytest.fixture
def database(demo_db_path: Path) -> Path:
    return demo_db_path  # a private copy of the demo database: tmp_path/insights.sqlite


def count(path: Path, table: str = "responses") -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_an_import_is_preceded_by_a_backup_of_the_state_before_it(database):
    conn = store.connect(database)
    before = count(database)
    imports.import_file(conn, "responses", "responses.csv", RESPONSES.encode())
    taken = store.list_backups(database)
    assert [b.reason for b in taken] == ["import"]
    assert count(taken[0].path) == before and count(database) == before + 2
    assert taken[0].reason_label == "avant une importation"


def test_nothing_changed_since_the_latest_backup_takes_no_other(database):
    conn = store.connect(database)
    imports.import_file(conn, "responses", "responses.csv", RESPONSES.encode())
    imports.import_file(conn, "responses", "responses.csv", RESPONSES.encode())  # adds nothing
    assert len(store.list_backups(database)) == 2  # the second import was backed up, it wrote nothing
    assert store.take_backup(conn, "manual") is None  # …and nothing changed since


def test_a_dry_run_takes_no_backup(database):
    conn = store.connect(database)
    imports.import_file(conn, "responses", "responses.csv", RESPONSES.encode(), dry_run=True)
    assert store.list_backups(database) == []


def test_a_publication_change_and_a_deletion_are_backed_up(database):
    conn = store.connect(database)
    talk = store.load_publication(conn).query("state == 'published'")["intervention_id"].iloc[0]
    store.set_result_state(conn, [talk], "reviewed", "page")
    original = editing.table_for_editing(conn, "quotes")
    edits = editing.check_edits(conn, "quotes", original, original.iloc[1:])
    editing.save_edits(conn, edits)
    assert [b.reason for b in store.list_backups(database)] == ["deletion", "publication"]


def test_in_memory_and_empty_databases_are_not_backed_up(tmp_path):
    assert store.take_backup(store.connect(":memory:"), "manual") is None
    empty = store.connect(tmp_path / "empty.sqlite")
    assert store.take_backup(empty, "manual") is None
    assert not (tmp_path / "backups").exists()


def test_two_databases_in_one_folder_keep_their_backups_apart(database, tmp_path):
    other = tmp_path / "other.sqlite"
    shutil.copy(database, other)
    store.take_backup(store.connect(other), "manual")
    assert store.list_backups(database) == [] and len(store.list_backups(other)) == 1


def fake_backup(database: Path, when: datetime, version: int) -> Path:
    folder = store.backup_dir(database)
    folder.mkdir(exist_ok=True)
    path = folder / f"{database.stem}-{when:%Y%m%d-%H%M%S-%f}-v{version}-import.sqlite"
    path.write_bytes(b"")
    return path


def test_the_retention_keeps_the_latest_twenty_and_one_a_month_for_a_year(tmp_path):
    database = tmp_path / "insights.sqlite"
    now = datetime(2026, 12, 2, 12, 0)
    daily = [fake_backup(database, now - timedelta(days=d), 1000 - d) for d in range(30)]
    monthly = [fake_backup(database, datetime(2026, m, 3), m) for m in range(1, 11)]
    old = [fake_backup(database, datetime(2025, 11, 15), 1), fake_backup(database, datetime(2024, 6, 1), 0)]
    deleted = set(backups.apply_retention(database, now))
    kept = {b.path for b in store.list_backups(database)}
    # The latest twenty (back to 13 November), which hold December's and November's latest…
    assert kept == set(daily[:20]) | set(monthly)  # …and the latest of January to October 2026
    assert deleted == set(daily[20:]) | set(old)  # older days of November, and before the year


def test_a_backup_is_checked_before_a_restore(database, tmp_path):
    conn = store.connect(database)
    good = store.write_backup(conn, tmp_path / "good.sqlite")
    report = store.inspect_backup(good)
    assert report.schema_version == schema.SCHEMA_VERSION
    assert report.counts["responses"] == count(database) and report.counts["speakers"] > 0

    text = tmp_path / "notes.sqlite"
    text.write_text("pas une base")
    with pytest.raises(store.BackupError, match="n'est pas une base de données lisible"):
        store.inspect_backup(text)

    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(good.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 8192] = b"\xff" * 8192
    damaged.write_bytes(bytes(data))
    with pytest.raises(store.BackupError):
        store.inspect_backup(damaged)

    newer = store.write_backup(conn, tmp_path / "newer.sqlite")
    with sqlite3.connect(newer) as raw:
        raw.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    with pytest.raises(store.BackupError, match="n'est pas une sauvegarde de cette application"):
        store.inspect_backup(newer)
    with pytest.raises(store.BackupError, match="existe déjà"):
        store.write_backup(conn, good)


def test_a_restore_brings_the_backup_back_and_keeps_the_state_before_it(database, tmp_path):
    conn = store.connect(database)
    saved = store.write_backup(conn, tmp_path / "saved.sqlite")
    imports.import_file(conn, "responses", "responses.csv", RESPONSES.encode())
    version = store.data_version(conn)
    taken = store.restore_backup(database, saved)
    assert taken is not None and count(taken.path) == count(saved) + 2
    assert count(database) == count(saved)
    # The open connection reads the restored data under a new data version (caches reload).
    assert conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == count(saved)
    assert store.data_version(conn) > version
    assert (
        store.load_audit_log(conn, ["restore"])["summary"].iloc[0].startswith("Base restaurée depuis saved")
    )
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_damaged_database_is_set_aside_never_overwritten(database, tmp_path):
    saved = store.write_backup(store.connect(database), tmp_path / "saved.sqlite")
    damage = b"ceci n'est plus une base" * 100
    database.write_bytes(damage)
    assert store.restore_backup(database, saved) is None
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == damage  # its -wal and -shm go with it
    assert count(database) == count(saved)
    assert store.connect(database) is not None


def test_a_backup_of_an_older_schema_is_migrated_when_opened(database, tmp_path):
    conn = store.connect(database)
    old = store.write_backup(conn, tmp_path / "old.sqlite")
    with sqlite3.connect(old) as raw:  # as migration 7 found it
        raw.execute("DROP TRIGGER quote_vectors_stale")  # the later migration's trigger and table
        raw.execute("DROP TABLE quote_vectors")
        raw.execute("DROP TABLE audit_log")
        raw.execute("DROP TABLE proposal_log")
        raw.execute("ALTER TABLE signin_attempts DROP COLUMN client")
        raw.execute("PRAGMA user_version = 6")  # migration 7 (the journal) and every later one to apply
    conn.close()
    store.restore_backup(database, old)
    reopened = store.connect(database)
    assert store.schema_version(reopened) == schema.SCHEMA_VERSION
    assert store.load_audit_log(reopened)["kind"].tolist() == ["restore"]  # the journal starts there
