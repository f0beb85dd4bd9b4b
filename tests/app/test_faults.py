"""A database that cannot be used: every page, the sign-in included, says what happened in French
and names the latest backup; none shows a traceback, and the file is left as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from insights import store

ROOT = Path(__file__).resolve().parents[2]


def run_page(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page != "overview.py":
        at.switch_page(str(ROOT / "pages" / page)).run()
    return at


@pytest.mark.parametrize("page", ["overview.py", "quotes.py", "signin.py"])
def test_a_damaged_database_shows_what_happened_and_the_latest_backup(app_db, page):
    conn = store.connect(app_db)
    store.take_backup(conn, "manual")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    damage = b"SQLite format 3\x00" + b"\x13" * 4096
    app_db.write_bytes(damage)
    at = run_page(page)
    assert not at.exception
    assert at.title[0].value == "Base de données indisponible"
    assert "endommagé" in at.error[0].value
    assert "python -m insights restore backups/insights-" in at.info[0].value
    assert "à la demande" in at.info[0].value
    assert app_db.read_bytes() == damage


def test_a_database_of_a_newer_version_is_refused_clearly(app_db):
    import sqlite3

    with sqlite3.connect(app_db) as raw:
        raw.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    at = run_page("overview.py")
    assert not at.exception
    assert "plus récent que celui de l'application" in at.error[0].value
