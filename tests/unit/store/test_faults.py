"""Faults of the database file and of concurrent writers: each becomes the store's own error with
a French message (`insights.store.errors`), nothing half-written, never SQLite's raw error."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from insights import store
from insights.analytics.model import load_model
from insights.ingest import imports
from insights.store import schema

RESPONSES = (
    "response_id,intervention_id,submitted_at,respondent,satisfaction\n"
    + "".join(f"f{i},2015-2016-S1-01,2015-10-01T10:00:00,,4\n" for i in range(300))
).encode()


def hold_the_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another writer holding the database for `seconds` (as a long import does)."""
    started = threading.Event()

    def hold() -> None:
        conn = store.connect(path)
        conn.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    started.wait()
    return thread


def test_a_write_waits_for_another_then_succeeds(demo_db_path):
    holder = hold_the_write_lock(demo_db_path, 0.5)
    conn = store.connect(demo_db_path, write_wait=10)
    report = imports.import_file(conn, "responses", "responses.csv", RESPONSES)
    holder.join()
    assert report.write.added == 300


def test_a_write_blocked_beyond_its_wait_gets_a_french_message_and_writes_nothing(demo_db_path):
    holder = hold_the_write_lock(demo_db_path, 1.5)
    conn = store.connect(demo_db_path, write_wait=0.2)
    before = conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    with pytest.raises(store.DatabaseBusyError, match="Une autre écriture est en cours"):
        imports.import_file(conn, "responses", "responses.csv", RESPONSES)
    holder.join()
    assert not conn.in_transaction
    assert conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == before


def test_the_wait_is_set_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("INSIGHTS_WRITE_WAIT", "2.5")
    assert store.connect(tmp_path / "a.sqlite").execute("PRAGMA busy_timeout").fetchone()[0] == 2500
    monkeypatch.setenv("INSIGHTS_WRITE_WAIT", "beaucoup")
    assert store.default_write_wait() == store.WRITE_WAIT


def test_a_full_disk_names_its_cause_and_writes_nothing(demo_db_path):
    conn = store.connect(demo_db_path)
    before = conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    # The database may not grow by more than a few pages: SQLite answers as on a full disk.
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(
        store.DiskFullError, match="disque qui contient la base de données est plein"
    ) as caught:
        imports.import_file(conn, "responses", "responses.csv", RESPONSES)
    assert "cannot rollback" not in str(caught.value.__cause__)
    assert conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == before
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_read_only_database_says_so(demo_db_path):
    conn = store.connect(demo_db_path)
    conn.execute("PRAGMA query_only = ON")
    with pytest.raises(store.DatabaseReadOnlyError, match="lecture seule"):
        store.set_anonymity_threshold(conn, 7)


def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "insights.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    with pytest.raises(store.DatabaseDamagedError, match="endommagé"):
        store.connect(path)
    assert path.read_bytes() == b"SQLite format 3\x00" + b"\x07" * 5000


def test_an_emptied_database_file_is_refused_not_recreated(tmp_path):
    path = tmp_path / "insights.sqlite"
    path.write_bytes(b"")
    with pytest.raises(store.DatabaseDamagedError, match="est vide"):
        store.connect(path)
    assert path.read_bytes() == b""


def test_a_truncated_database_is_reported_damaged_when_read(demo_db_path):
    conn = store.connect(demo_db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = demo_db_path.read_bytes()
    demo_db_path.write_bytes(data[: len(data) // 3])
    try:
        load_model(store.connect(demo_db_path))
    except store.DatabaseDamagedError:
        pass  # found on opening
    except sqlite3.DatabaseError as error:  # found on reading: what the pages' error boundary translates
        assert isinstance(store.translate(error), store.DatabaseDamagedError)
    else:
        pytest.fail("a truncated database was read as if whole")


def test_a_schema_newer_than_the_code_is_refused_clearly(demo_db_path):
    with sqlite3.connect(demo_db_path) as raw:
        raw.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    with pytest.raises(store.SchemaTooNewError, match="plus récent que celui de l'application"):
        store.connect(demo_db_path)


def test_other_sqlite_errors_are_not_disguised():
    assert store.translate(sqlite3.IntegrityError("UNIQUE constraint failed: quotes.quote_id")) is None
