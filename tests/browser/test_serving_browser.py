"""The app as served (`server.py`): every page says it is French, no request leaves the server, the
metrics endpoint is closed, and uploads are bounded by the app's own limit."""

from __future__ import annotations

import os
import re
import shutil
import signal
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from insights.bench import load
from pages.registry import PAGES
from tests.browser.conftest import PASSWORD, serve_server
from tests.browser.helpers import (
    assert_no_exception,
    blocking_violations,
    open_from_menu,
    sign_in_as_director,
    wait_until_ready,
)

STUDENT_PATHS = [Path(entry.file).stem for entry in PAGES if not entry.director_only]
DIRECTOR_PATHS = [Path(entry.file).stem for entry in PAGES if entry.director_only]


def _record_requests(page: Page) -> list[str]:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    return requested


def _elsewhere(requested: list[str], app_url: str) -> list[str]:
    home = urlsplit(app_url).netloc
    return [
        url
        for url in requested
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and urlsplit(url).netloc != home
    ]


def test_every_student_page_is_french_and_fetches_nothing_from_elsewhere(page: Page, app_url: str) -> None:
    requested = _record_requests(page)
    for path in STUDENT_PATHS:
        page.goto(f"{app_url}/{path}")
        wait_until_ready(page)
        assert_no_exception(page)
        assert page.evaluate("document.documentElement.lang") == "fr", path
    page.wait_for_load_state("networkidle")
    assert requested, "the recorder saw no request"
    assert _elsewhere(requested, app_url) == []
    icon = page.locator("link[rel='shortcut icon'], link[rel='icon']").first.get_attribute("href")
    assert icon and not icon.startswith("http"), icon


def test_every_director_page_is_french_and_fetches_nothing_from_elsewhere(
    page: Page, director_app_url: str
) -> None:
    requested = _record_requests(page)
    sign_in_as_director(page, director_app_url, DIRECTOR_PATHS[0], PASSWORD)
    for entry in PAGES:
        open_from_menu(page, entry.title)
        assert_no_exception(page)
        assert page.evaluate("document.documentElement.lang") == "fr", entry.title
    page.wait_for_load_state("networkidle")
    assert _elsewhere(requested, director_app_url) == []


@pytest.fixture
def fresh_server(demo_db_template: Path, tmp_path: Path) -> Iterator[load.Server]:
    """A server just started on a copy of the demo database, which no browser has visited yet."""
    database = tmp_path / "insights.sqlite"
    shutil.copy(demo_db_template, database)
    with serve_server(database, tmp_path) as server:
        yield server


@pytest.fixture
def fresh_app_url(fresh_server: load.Server) -> str:
    return fresh_server.url


def test_an_unknown_address_says_so_in_french_and_leads_home(page: Page, fresh_app_url: str) -> None:
    """An old or mistyped link opened the home page under Streamlit's English "Page not found"
    dialog. The address is shown as typed, never read as Markdown. The server's first visit is the
    case most at risk: Streamlit answered it before app.py's navigation existed."""
    page.goto(f"{fresh_app_url}/**ancien-lien**")
    wait_until_ready(page, timeout=60_000)
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    expect(page.get_by_text("L'adresse « /**ancien-lien** » ne mène à aucune page")).to_be_visible()
    assert page.get_by_test_id("stDialog").count() == 0
    assert_no_exception(page)
    assert blocking_violations(page) == []
    page.get_by_role("link", name="Aller à la vue d'ensemble").click()
    expect(page.get_by_role("heading", name="Vue d'ensemble", exact=True)).to_be_visible(timeout=60_000)
    assert page.get_by_test_id("stDialog").count() == 0
    # Another old link, nested, in a new tab of the same browser: Streamlit's page stayed blank there.
    tab = page.context.new_page()
    tab.goto(f"{fresh_app_url}/programme/2019")
    wait_until_ready(tab, timeout=60_000)
    expect(tab.get_by_text("L'adresse « /programme » ne mène à aucune page")).to_be_visible()
    expect(tab.get_by_test_id("stSidebarNav").get_by_role("link", name="Thèmes")).to_be_attached()


def test_a_deep_link_as_the_server_s_first_visit_opens_its_page_with_the_menu(
    page: Page, fresh_app_url: str
) -> None:
    page.goto(f"{fresh_app_url}/quotes")
    wait_until_ready(page, timeout=60_000)
    expect(page.get_by_role("heading", name="Mur de citations")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Thèmes")).to_be_attached()
    assert page.get_by_test_id("stDialog").count() == 0


def test_the_home_page_s_file_name_opens_the_home_page_without_streamlit_s_dialog(
    page: Page, app_url: str
) -> None:
    page.goto(f"{app_url}/overview")
    wait_until_ready(page, timeout=60_000)
    expect(page.get_by_role("heading", name="Vue d'ensemble", exact=True)).to_be_visible()
    expect(page).to_have_url(f"{app_url}/")
    page.wait_for_timeout(500)  # Streamlit's dialog opens once the run has said the page is unknown
    assert page.get_by_test_id("stDialog").count() == 0


def test_when_the_server_stops_the_page_says_so_in_french(page: Page, fresh_server: load.Server) -> None:
    """A restart or a lost network: Streamlit's status and dialog said "Connection error" in English."""
    page.goto(f"{fresh_server.url}/themes")
    wait_until_ready(page, timeout=60_000)
    os.kill(fresh_server.pid, signal.SIGTERM)
    dialog = page.get_by_test_id("stDialog")
    expect(dialog.get_by_text("Connexion perdue", exact=True)).to_be_visible(timeout=60_000)
    expect(dialog).to_contain_text("Le serveur ne répond pas. Vérifiez votre connexion à Internet")
    expect(page.get_by_test_id("stConnectionStatus")).to_contain_text(re.compile("Connexion…|Erreur"))
    assert "Connection error" not in dialog.inner_text()


def test_the_metrics_endpoint_is_closed(app_url: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{app_url}/_stcore/metrics", timeout=5)  # noqa: S310
    assert refused.value.code == 404
    with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=5) as answer:  # noqa: S310
        assert answer.status == 200


def test_the_upload_limit_is_the_apps_own(page: Page, director_app_url: str) -> None:
    """Streamlit's upload endpoint, open to every session, takes no more than the app's import
    limit (20 Mo), not Streamlit's default 200 MB; the uploader says so."""
    sign_in_as_director(page, director_app_url, "data", PASSWORD)
    uploader = page.get_by_test_id("stFileUploaderDropzoneInstructions").first
    uploader.wait_for()
    assert "20" in uploader.inner_text() and "200" not in uploader.inner_text()
