"""Fixtures shared by every level of test: temporary databases seeded with the demo dataset."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from insights import store
from insights.ingest.loading import import_directory


@pytest.fixture(scope="session", autouse=True)
def _no_test_touches_the_project_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the default database (INSIGHTS_DB) at a scratch file for the whole run, so that a
    test which forgets its own database never writes to the project's data/insights.sqlite."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INSIGHTS_DB", str(tmp_path_factory.mktemp("default-db") / "insights.sqlite"))
        yield


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the demo dataset, built once per test session; copy it, don't write to it."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    conn = store.connect(path)
    import_directory(conn, store.DEMO_DIR)
    store.set_meta(conn, "demo_data", "1")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def demo_db_path(demo_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database for one test."""
    path = tmp_path / "insights.sqlite"
    shutil.copy(demo_db_template, path)
    return path


@pytest.fixture
def demo_conn(demo_db_path: Path):
    conn = store.connect(demo_db_path)
    yield conn
    conn.close()


@pytest.fixture
def app_db(demo_db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app (INSIGHTS_DB) at a private copy of the demo database."""
    monkeypatch.setenv("INSIGHTS_DB", str(demo_db_path))
    return demo_db_path
