"""A student cannot reach the director's pages, even by typing their address; the director signs
in with the password, is slowed down after wrong ones but never locked out by others' failures,
and signs out in one click. The app runs with a temporary secrets file holding the password's hash."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from pages.registry import PAGES
from tests.browser.conftest import PASSWORD, AccessServer, start_director_app
from tests.browser.helpers import assert_no_exception, submit_password, wait_until_ready

STUDENT_TITLES = [title for _, title, _, director_only in PAGES if not director_only]
DIRECTOR_TITLES = [title for _, title, _, director_only in PAGES if director_only]
FIRST_DIRECTOR_TITLE = next(title for _, title, _, director_only in PAGES if director_only)

DIRECTOR_PAGE, DIRECTOR_TITLE = "security", "Accès et sécurité"


@pytest.fixture(scope="module")
def server(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AccessServer]:
    database, serving = start_director_app(demo_db_template, tmp_path_factory.mktemp("access"))
    with serving as url:
        yield AccessServer(url, database)


@pytest.fixture
def director_app(server: AccessServer) -> AccessServer:
    """The server with no failed attempt counting."""
    server.reset_throttle()
    return server


def nav_links(page: Page) -> list[str]:
    """The menu entries' labels (each link also holds its icon's name, on a line of its own)."""
    return [
        text.strip().splitlines()[-1]
        for text in page.get_by_test_id("stSidebarNav").locator("a").all_inner_texts()
    ]


def open_(page: Page, url: str) -> None:
    page.goto(url)
    wait_until_ready(page)


def expect_sign_in_only(page: Page) -> None:
    expect(page.get_by_role("heading", name="Espace responsable")).to_be_visible()
    expect(page.get_by_label("Mot de passe", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=DIRECTOR_TITLE)).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    assert_no_exception(page)


def test_the_first_request_after_start_cannot_open_a_director_page(
    page: Page, demo_db_template: Path, tmp_path: Path
):
    """Until the entry point has run once, Streamlit runs a page file alone: its guard holds."""
    _, serving = start_director_app(demo_db_template, tmp_path)
    with serving as url:
        open_(page, f"{url}/{DIRECTOR_PAGE}")
        expect_sign_in_only(page)


def test_a_student_sees_no_director_page_and_its_address_opens_the_sign_in(page: Page, director_app):
    open_(page, director_app.url)
    expect(page.get_by_role("heading", name="Vue d'ensemble")).to_be_visible()
    assert nav_links(page) == [*STUDENT_TITLES, "Espace responsable"]
    open_(page, f"{director_app.url}/{DIRECTOR_PAGE}")
    expect_sign_in_only(page)
    assert DIRECTOR_TITLE not in nav_links(page)


def test_wrong_passwords_are_refused_then_slowed_down(page: Page, director_app):
    open_(page, f"{director_app.url}/{DIRECTOR_PAGE}")
    submit_password(page, "pas le bon mot de passe")
    expect(page.get_by_text("Mot de passe incorrect. Nouvel essai possible dans 2 secondes")).to_be_visible()
    expect_sign_in_only(page)
    director_app.record_failures(3)  # four failures in a row: the next attempt waits 16 s
    submit_password(page, PASSWORD)
    expect(page.get_by_text(re.compile("le mot de passe n'a pas été vérifié"))).to_be_visible()
    expect_sign_in_only(page)


def test_the_slowdown_holds_in_a_new_browser_session(browser: Browser, director_app):
    director_app.record_failures(5)  # from this browser's address: the next attempt waits 32 s
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    try:
        page = context.new_page()
        open_(page, f"{director_app.url}/signin")
        expect(
            page.get_by_text(re.compile("^Après un échec, le prochain essai est possible dans"))
        ).to_be_visible()
        submit_password(page, PASSWORD)
        expect(page.get_by_text(re.compile("le mot de passe n'a pas été vérifié"))).to_be_visible()
        expect_sign_in_only(page)
    finally:
        context.close()


def test_students_failing_from_their_addresses_cannot_lock_the_director_out(page: Page, director_app):
    for client in range(60):  # more than enough to have locked the sign-in for everyone before
        director_app.record_failures(5, client=f"10.0.1.{client}")
    open_(page, f"{director_app.url}/{DIRECTOR_PAGE}")
    expect(page.get_by_text(re.compile("set-password redéfinit le mot de passe"))).to_be_visible()
    submit_password(page, PASSWORD)
    expect(page.get_by_role("heading", name=DIRECTOR_TITLE)).to_be_visible()
    assert_no_exception(page)


def test_the_right_password_opens_the_page_asked_for_and_sign_out_closes_it(page: Page, director_app):
    open_(page, f"{director_app.url}/{DIRECTOR_PAGE}")
    password = page.get_by_label("Mot de passe", exact=True)
    password.fill(PASSWORD)
    page.get_by_role("button", name="Afficher le mot de passe").click()  # Streamlit's eye, in French
    expect(password).to_have_attribute("type", "text")
    expect(page.get_by_role("button", name="Masquer le mot de passe")).to_be_visible()
    page.get_by_role("button", name="Se connecter").click()
    wait_until_ready(page)
    expect(page.get_by_role("heading", name=DIRECTOR_TITLE)).to_be_visible()
    expect(page).to_have_url(re.compile(f"/{DIRECTOR_PAGE}"))
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=15_000)  # the sign-in journal
    assert DIRECTOR_TITLE in nav_links(page)
    assert_no_exception(page)

    page.get_by_role("button", name="Se déconnecter").click()
    wait_until_ready(page)
    expect(page.get_by_role("heading", name="Vue d'ensemble")).to_be_visible()
    expect(page.get_by_text("Vous êtes déconnecté·e de l'espace responsable.")).to_be_visible()
    assert nav_links(page) == [*STUDENT_TITLES, "Espace responsable"]
    open_(page, f"{director_app.url}/{DIRECTOR_PAGE}")
    expect_sign_in_only(page)


def test_from_the_menu_the_director_signs_in_to_the_directors_space(page: Page, director_app):
    open_(page, director_app.url)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Espace responsable").click()
    wait_until_ready(page)
    expect_sign_in_only(page)
    submit_password(page, PASSWORD)
    expect(page.get_by_role("heading", name=FIRST_DIRECTOR_TITLE)).to_be_visible()
    links = nav_links(page)
    assert "Espace responsable" not in links, "signed in, the menu no longer offers the sign-in"
    assert set(DIRECTOR_TITLES) <= set(links)
    assert_no_exception(page)
