"""Browser tests: `streamlit run` on a free port with a temporary demo database, driven by
Playwright on Debian's Chromium."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from insights import access, store
from insights.bench import load

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = load.CHROMIUM


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install Debian's chromium (apt-get install chromium)."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": load.CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}, "locale": "fr-FR"}


@contextmanager
def serve_app(database: Path, workdir: Path, *options: str) -> Iterator[str]:
    """Run `streamlit run server.py` (the app as served) on a free port over `database`, with extra
    command-line `options`; yield its URL once it answers, and stop it afterwards."""
    with serve_server(database, workdir, *options) as server:
        yield server.url


@contextmanager
def serve_server(database: Path, workdir: Path, *options: str) -> Iterator[load.Server]:
    """As `serve_app`, yielding the server (its URL and process id)."""
    try:
        with load.serve(database, workdir / "streamlit.log", *options) as server:
            yield server
    except load.ServerError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def app_url(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running app on a copy of the demo database."""
    workdir = tmp_path_factory.mktemp("server")
    database = workdir / "insights.sqlite"
    shutil.copy(demo_db_template, database)
    with serve_app(database, workdir) as url:
        yield url


PASSWORD = "une phrase de passe assez longue"  # noqa: S105


class AccessServer:
    """A running app with a director's password, and its database for arranging attempts."""

    def __init__(self, url: str, database: Path) -> None:
        self.url = url
        self.database = database

    def record_failures(self, count: int, client: str = "") -> None:
        """Failed attempts from `client` (by default the test browser's: on this machine, no address)."""
        conn = store.connect(self.database)
        try:
            # Now, a millisecond apart: after the reset the `director_app` fixture recorded.
            now = time.time()
            for index in range(count):
                store.record_signin_attempt(conn, now + index / 1000, access.FAILURE, client)
        finally:
            conn.close()

    def reset_throttle(self) -> None:
        """What `python -m insights set-password` does to earlier failures."""
        conn = store.connect(self.database)
        try:
            access.record_password_reset(conn, time.time())
        finally:
            conn.close()


def start_director_app(demo_db_template: Path, workdir: Path):
    """A copy of the demo database and a server whose secrets hold the director's password."""
    database = workdir / "insights.sqlite"
    shutil.copy(demo_db_template, database)
    secrets = workdir / "secrets.toml"
    access.set_secret(secrets, "director", "password_hash", access.hash_password(PASSWORD))
    return database, serve_app(database, workdir, "--secrets.files", str(secrets))


@pytest.fixture(scope="session")
def director_app_url(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running app with a director's password (PASSWORD), for flows of the director's space."""
    _, serving = start_director_app(demo_db_template, tmp_path_factory.mktemp("director"))
    with serving as url:
        yield url
