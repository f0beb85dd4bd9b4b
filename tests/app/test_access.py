"""The director's space with AppTest: students cannot reach a director page or its data, the
password is checked and throttled, sessions close on sign-out, after the idle time and when the
password changes; the identity provider replaces the password when configured."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import streamlit as st
import streamlit.testing.v1.app_test as app_test_module
from streamlit.errors import StreamlitAuthError
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from insights import access, store
from insights.formatting import escape_markdown
from pages import common
from pages.registry import PAGES, director_only_pages

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "une phrase de passe assez longue"  # noqa: S105
PASSWORD_HASH = access.hash_password(PASSWORD)
DIRECTOR_PAGES = director_only_pages()
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-cookie-secret-for-tests",
    "client_id": "paroles-de-pros",
    "client_secret": "client-secret",
    "server_metadata_url": "https://login.univ.example/.well-known/openid-configuration",
}


def new_app(director_section: dict | None = None, **secrets) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["director"] = (
        {"password_hash": PASSWORD_HASH} if director_section is None else director_section
    )
    for name, value in secrets.items():
        at.secrets[name] = value
    return at


def open_address(at: AppTest, page: str) -> AppTest:
    """Open `/<page stem>` directly, as a first request typed in the address bar."""
    at.switch_page(str(ROOT / "pages" / page)).run()
    assert not at.exception, at.exception
    return at


def titles(at: AppTest) -> list[str]:
    return [title.value for title in at.title]


def sign_in_button(at: AppTest):
    return next(button for button in at.button if button.label == "Se connecter")


def submit_password(at: AppTest, password: str) -> AppTest:
    at.text_input(key="access_password").input(password)
    sign_in_button(at).click().run()
    assert not at.exception, at.exception
    return at


def assert_sign_in_only(at: AppTest) -> None:
    """The sign-in is shown, and nothing of a director page: no title, table, chart nor figure."""
    assert titles(at) == ["Espace responsable"]
    assert not at.dataframe and not at.metric and not at.get("plotly_chart")
    assert "role" not in at.session_state


def record_failures(database: Path, count: int, at: float | None = None, client: str = "") -> None:
    """Failed attempts from `client` ("": the address AppTest's sessions have, none)."""
    conn = store.connect(database)
    try:
        now = time.time() if at is None else at
        for index in range(count):
            store.record_signin_attempt(conn, now - count + index + 1, access.FAILURE, client)
    finally:
        conn.close()


# --- students -------------------------------------------------------------------------------------


def test_the_registry_has_director_only_pages_to_protect():
    assert DIRECTOR_PAGES, "the access tests need at least one director-only page"
    assert not PAGES[0][3], "the default page is open to students"


@pytest.mark.parametrize("page", DIRECTOR_PAGES)
def test_a_student_opening_a_director_address_gets_the_sign_in(app_db, page):
    at = open_address(new_app(), page)
    assert_sign_in_only(at)
    assert at.text_input(key="access_password").label == "Mot de passe"


@pytest.mark.parametrize("page", DIRECTOR_PAGES)
def test_a_students_navigation_does_not_hold_director_pages(app_db, page):
    at = new_app()
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / "pages" / page))


@pytest.mark.parametrize("page", DIRECTOR_PAGES)
def test_a_director_page_run_without_the_entry_point_shows_the_sign_in(app_db, page, monkeypatch):
    """The first run after the server starts may run a file of `pages/` directly (Streamlit's
    pages-directory mode, until `st.navigation` has run once): the page guards itself."""
    monkeypatch.setattr(app_test_module, "PagesManager", PagesManager)
    at = open_address(new_app(), page)
    assert not at.multiselect, "the entry point (and its sidebar) did not run"
    assert_sign_in_only(at)


def test_the_menu_entry_opens_the_sign_in(app_db):
    at = new_app()
    at.run()
    open_address(at, "signin.py")
    assert_sign_in_only(at)


# --- the password ---------------------------------------------------------------------------------


def test_a_wrong_password_is_refused(app_db):
    at = submit_password(open_address(new_app(), DIRECTOR_PAGES[0]), "pas le bon mot de passe")
    assert [error.value for error in at.error] == [
        "Mot de passe incorrect. Nouvel essai possible dans 2 secondes."
    ]
    assert_sign_in_only(at)


def test_an_attempt_right_after_a_failure_is_not_checked(app_db):
    at = open_address(new_app(), DIRECTOR_PAGES[0])
    record_failures(app_db, 3)  # the next attempt must wait 8 seconds
    submit_password(at, PASSWORD)
    assert any("le mot de passe n'a pas été vérifié" in warning.value for warning in at.warning)
    assert_sign_in_only(at)


def test_failures_from_other_addresses_never_lock_the_director_out(app_db):
    for client in range(40):  # a whole classroom failing, each from its own address
        record_failures(app_db, 3, client=f"10.0.0.{client}")
    at = open_address(new_app(), DIRECTOR_PAGES[0])
    assert not at.error and not at.warning
    assert any("set-password" in caption.value for caption in at.caption), "the recovery path is named"
    submit_password(at, PASSWORD)
    assert at.session_state["role"] == "director"


def test_a_new_browser_session_meets_the_same_throttle(app_db):
    first = open_address(new_app(), DIRECTOR_PAGES[0])
    record_failures(app_db, 4)  # the next attempt must wait 16 seconds
    submit_password(first, "pas le bon mot de passe")  # too soon: not even counted
    assert any("n'a pas été vérifié" in warning.value for warning in first.warning)
    second = open_address(new_app(), DIRECTOR_PAGES[0])
    assert second.warning[0].value.startswith("Après un échec, le prochain essai est possible dans")
    submit_password(second, PASSWORD)
    assert "role" not in second.session_state


@pytest.mark.parametrize("page", DIRECTOR_PAGES)
def test_the_right_password_opens_the_requested_director_page(app_db, page):
    at = submit_password(open_address(new_app(), page), PASSWORD)
    assert at.session_state["role"] == "director"
    assert titles(at) and titles(at) != ["Espace responsable"]
    assert any(button.label == "Se déconnecter" for button in at.sidebar.button)


def test_signing_in_from_the_menu_opens_the_directors_space(app_db):
    at = new_app()
    at.run()
    submit_password(open_address(at, "signin.py"), PASSWORD)
    title = dict((file, title) for file, title, _, _ in PAGES)[DIRECTOR_PAGES[0]]
    assert titles(at) == [title]


def test_the_security_page_shows_the_sign_in_journal(app_db):
    record_failures(app_db, 1, at=time.time() - 60)
    at = submit_password(open_address(new_app(), "security.py"), PASSWORD)
    assert titles(at) == ["Accès et sécurité"]
    journal = at.dataframe[0].value
    assert journal["event"].tolist() == ["Connexion réussie", "Mot de passe incorrect"]
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Échecs sur 24 heures"] == "1"
    assert metrics["Essais de connexion"] == "Normaux"


def test_sign_out_closes_the_directors_space_in_one_click(app_db):
    at = submit_password(open_address(new_app(), DIRECTOR_PAGES[0]), PASSWORD)
    next(button for button in at.sidebar.button if button.label == "Se déconnecter").click().run()
    assert not at.exception
    assert "role" not in at.session_state
    assert titles(at) == ["Vue d'ensemble"]
    assert [toast.value for toast in at.toast] == ["Vous êtes déconnecté·e de l'espace responsable."]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(str(ROOT / "pages" / DIRECTOR_PAGES[0]))


def signed_in_app(last_activity: float, director_section: dict | None = None) -> AppTest:
    at = new_app(director_section)
    at.session_state["role"] = "director"
    at.session_state[common._METHOD] = "password"
    at.session_state[common._CREDENTIAL] = PASSWORD_HASH
    at.session_state[common._LAST_ACTIVITY] = last_activity
    return at


def test_a_session_idle_for_thirty_minutes_is_closed(app_db):
    at = open_address(signed_in_app(time.time() - 31 * 60), DIRECTOR_PAGES[0])
    assert_sign_in_only(at)
    assert [info.value for info in at.info] == [
        "Session responsable fermée après 30 minutes d'inactivité : reconnectez-vous."
    ]


@pytest.mark.parametrize(("idle_minutes", "open_"), [(4, False), (6, True)])
def test_the_idle_time_is_configurable(app_db, idle_minutes, open_):
    section = {"password_hash": PASSWORD_HASH, "idle_minutes": idle_minutes}
    at = open_address(signed_in_app(time.time() - 5 * 60, section), DIRECTOR_PAGES[0])
    assert ("role" in at.session_state) is open_
    assert (titles(at) == ["Espace responsable"]) is not open_


def test_an_active_session_stays_open_and_its_clock_restarts(app_db):
    started = time.time() - 20 * 60
    at = open_address(signed_in_app(started), DIRECTOR_PAGES[0])
    assert at.session_state["role"] == "director"
    assert at.session_state[common._LAST_ACTIVITY] > started + 19 * 60


def test_a_new_password_closes_the_sessions_opened_with_the_old_one(app_db):
    at = submit_password(open_address(new_app(), DIRECTOR_PAGES[0]), PASSWORD)
    at.secrets["director"] = {"password_hash": access.hash_password("un tout autre mot de passe")}
    at.run()
    assert_sign_in_only(at)
    assert "a changé" in at.info[0].value


def test_without_a_password_the_sign_in_explains_how_to_set_one(app_db):
    at = open_address(new_app({"idle_minutes": 30}), DIRECTOR_PAGES[0])
    assert_sign_in_only(at)
    assert "Aucun mot de passe" in at.warning[0].value
    assert [code.value for code in at.code] == ["python -m insights set-password"]
    assert not at.text_input


def test_invalid_settings_are_reported_on_the_sign_in(app_db):
    at = open_address(new_app({"idle_minutes": 0}), DIRECTOR_PAGES[0])
    assert_sign_in_only(at)
    assert "idle_minutes" in at.error[0].value


def test_the_anonymity_threshold_applies_to_the_director_too(app_db):
    conn = store.connect(app_db)
    try:
        store.set_anonymity_threshold(conn, 100_000)
    finally:
        conn.close()
    for director in (False, True):
        at = new_app()
        if director:
            at.session_state["role"] = "director"
        at.run()
        assert not at.exception
        satisfaction = next(metric.value for metric in at.metric if metric.label == "Satisfaction moyenne")
        assert satisfaction == "moins de 100000 réponses"


# --- the identity provider (OpenID Connect) -------------------------------------------------------

DIRECTOR_ACCOUNT = {"is_logged_in": True, "email": "Direction@univ.example", "name": "Dominique"}


def provider_app(user: dict | None = None, emails: list[str] | None = None) -> AppTest:
    at = new_app({"emails": ["direction@univ.example"] if emails is None else emails}, auth=AUTH)
    if user is not None:
        at.user = user
    return at


def test_an_allowed_account_of_the_provider_opens_the_directors_space(app_db):
    at = open_address(provider_app(DIRECTOR_ACCOUNT), DIRECTOR_PAGES[0])
    assert at.session_state["role"] == "director"
    assert titles(at) != ["Espace responsable"]
    assert any(escape_markdown("Direction@univ.example") in caption.value for caption in at.sidebar.caption)


def test_without_an_account_the_provider_button_replaces_the_password(app_db, monkeypatch):
    providers: list[str | None] = []
    monkeypatch.setattr(st, "login", providers.append)
    at = open_address(provider_app(), DIRECTOR_PAGES[0])
    assert_sign_in_only(at)
    assert not at.text_input
    assert [button.label for button in at.main.button] == ["Se connecter avec le compte de l'établissement"]
    at.button(key="access_provider_signin").click().run()
    assert not at.exception
    assert providers == [None]


def test_a_misconfigured_provider_is_reported_in_french(app_db, monkeypatch):
    def refuse(provider: str | None) -> None:
        raise StreamlitAuthError("missing client_secret")

    monkeypatch.setattr(st, "login", refuse)
    at = open_address(provider_app(), DIRECTOR_PAGES[0])
    at.button(key="access_provider_signin").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("La connexion par le fournisseur d'identité est mal configurée")


def test_another_account_of_the_provider_is_refused(app_db):
    at = open_address(
        provider_app({"is_logged_in": True, "email": "etudiant@univ.example"}), DIRECTOR_PAGES[0]
    )
    assert_sign_in_only(at)
    assert f"{escape_markdown('etudiant@univ.example')} n'a pas accès" in at.warning[0].value


def test_with_no_allowed_address_no_account_opens_the_directors_space(app_db):
    at = open_address(provider_app(DIRECTOR_ACCOUNT, emails=[]), DIRECTOR_PAGES[0])
    assert_sign_in_only(at)
    assert "Aucun compte n'est autorisé" in at.error[0].value


def test_signing_out_of_the_provider_keeps_the_space_closed(app_db):
    at = open_address(provider_app(DIRECTOR_ACCOUNT), DIRECTOR_PAGES[0])
    next(button for button in at.sidebar.button if button.label == "Se déconnecter").click().run()
    assert not at.exception
    assert "role" not in at.session_state
    open_address(at, "signin.py")
    assert_sign_in_only(at)


def test_an_idle_provider_session_needs_a_new_sign_in_there(app_db):
    at = provider_app(DIRECTOR_ACCOUNT)
    at.run()
    at.session_state[common._LAST_ACTIVITY] = time.time() - 31 * 60
    at.run()
    assert "role" not in at.session_state
    open_address(at, "signin.py")
    assert_sign_in_only(at)
    assert at.button(key="access_provider_signin").label == "Se connecter avec le compte de l'établissement"


def test_the_security_page_shows_the_audit_journal_filtered_by_kind(app_db):
    conn = store.connect(app_db)
    try:
        store.set_anonymity_threshold(conn, 6)
        quote_id = store.propose_quote(conn, "Écouter avant de répondre.", "sp01", None, [])
        store.set_quote_status(conn, quote_id, "publiée")
    finally:
        conn.close()
    at = submit_password(open_address(new_app(), "security.py"), PASSWORD)
    journal = at.dataframe[1].value
    assert journal.columns.tolist() == store.JOURNAL_HEADER
    assert journal["Type"].tolist()[:4] == ["Connexion", "Modération", "Proposition de citation", "Réglages"]
    assert journal["Identifiants"].tolist()[1] == quote_id
    at.multiselect(key="audit_kinds").set_value(["settings"]).run()
    journal = at.dataframe[1].value
    assert set(journal["Type"]) == {"Réglages"}
    assert "Seuil d'anonymat : 6 réponses" in journal["Description"].tolist()
    assert [button.label for button in at.get("download_button")] == ["Télécharger le journal (CSV)"]
