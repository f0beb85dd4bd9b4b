"""Access to the director's space: password hashes, throttling, idle sessions, settings, the
secrets file and the navigation of each role."""

from __future__ import annotations

import base64
import hashlib
import os
import sqlite3
import stat
import tomllib
import unicodedata
from datetime import UTC, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insights import access, store
from insights.access import FAILURE, RESET, SUCCESS, SignInOutcome

PASSWORD = "une phrase de passe assez longue"  # noqa: S105
POLICY = access.DEFAULT_POLICY
T0 = 1_800_000_000.0


@pytest.fixture(scope="module")
def password_hash() -> str:
    return access.hash_password(PASSWORD)


# --- hashing --------------------------------------------------------------------------------------


def test_the_right_password_matches_its_hash(password_hash):
    assert access.verify_password(PASSWORD, password_hash)


@pytest.mark.parametrize("attempt", ["", "une phrase de passe assez longuE", PASSWORD + " ", PASSWORD[:-1]])
def test_any_other_password_is_refused(password_hash, attempt):
    assert not access.verify_password(attempt, password_hash)


def test_a_hash_is_salted_and_records_its_parameters(password_hash):
    scheme, n, r, p, salt, key = password_hash.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", access.SCRYPT_N, access.SCRYPT_R, access.SCRYPT_P)
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(key)) == 32
    assert PASSWORD not in password_hash
    assert access.hash_password(PASSWORD) != password_hash


def test_a_hash_made_with_other_parameters_still_verifies():
    salt = b"0123456789abcdef"
    key = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2**10, r=4, p=2, dklen=24)
    encoded = f"scrypt$1024$4$2${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"
    assert access.verify_password(PASSWORD, encoded)
    assert not access.verify_password("autre chose", encoded)


def test_composed_and_decomposed_accents_are_the_same_password():
    composed = unicodedata.normalize("NFC", "mot de passe épicé à l'été")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert access.verify_password(decomposed, access.hash_password(composed))


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "plain text password",
        "bcrypt$12$abc",
        "scrypt$32768$8$1$c2FsdA==",
        "scrypt$abc$8$1$c2FsdA==$a2V5",
        "scrypt$1000$8$1$c2FsdA==$a2V5",  # N must be a power of two
        "scrypt$2097152$8$1$c2FsdA==$a2V5",  # absurdly costly
        "scrypt$32768$8$1$not base64!$a2V5",
        "scrypt$32768$8$1$$a2V5",
    ],
)
def test_an_unreadable_hash_is_a_clear_error(encoded):
    with pytest.raises(access.PasswordHashError, match="set-password"):
        access.verify_password(PASSWORD, encoded)


@pytest.mark.parametrize("password", ["", "    ", "court", "onze carac."])
def test_a_short_new_password_is_refused(password):
    with pytest.raises(access.WeakPasswordError):
        access.check_new_password(password)


def test_a_new_password_of_twelve_characters_is_accepted():
    access.check_new_password("douze caract")


# --- throttling -----------------------------------------------------------------------------------


STUDENT, DIRECTOR = "10.0.0.7", "10.0.0.1"


def failures(*offsets: float, client: str = STUDENT) -> list[tuple[float, str, str]]:
    return [(T0 + offset, FAILURE, client) for offset in offsets]


def test_without_failures_an_attempt_is_accepted_at_once():
    assert access.throttle_state([], STUDENT, T0, POLICY) == access.Throttle(0, None)
    assert access.throttle_state([(T0 - 5, SUCCESS, STUDENT)], STUDENT, T0, POLICY).retry_at is None


@pytest.mark.parametrize(("count", "delay"), [(1, 2), (2, 4), (3, 8), (4, 16), (5, 32), (6, 60), (12, 60)])
def test_each_failure_doubles_the_wait_up_to_a_minute(count, delay):
    throttle = access.throttle_state(failures(*range(count)), STUDENT, T0 + count - 1, POLICY)
    assert (throttle.failures, throttle.retry_at) == (count, T0 + count - 1 + delay)
    assert throttle.wait(T0 + count - 1) == delay


def test_the_wait_is_over_once_the_delay_has_passed():
    assert access.throttle_state(failures(0), STUDENT, T0 + 2, POLICY).retry_at is None
    assert access.throttle_state(failures(0), STUDENT, T0 + 1.5, POLICY).wait(T0 + 1.5) == pytest.approx(0.5)


def test_one_clients_failures_never_slow_another():
    """A student failing again and again does not keep the director, elsewhere, waiting."""
    many = failures(*range(0, 20 * 61, 61))  # the last one at 19 × 61 s
    assert access.throttle_state(many, STUDENT, T0 + 19 * 61 + 1, POLICY).retry_at is not None
    assert access.throttle_state(many, DIRECTOR, T0 + 19 * 61 + 1, POLICY).retry_at is None


def test_many_failures_from_everyone_make_each_failure_cost_a_minute():
    crowd = [(T0 + i, FAILURE, f"10.1.0.{i}") for i in range(POLICY.alarm_failures)]
    alarmed = access.throttle_state([*crowd, *failures(40, client=DIRECTOR)], DIRECTOR, T0 + 40, POLICY)
    assert alarmed.alarm and alarmed.retry_at == T0 + 40 + POLICY.max_delay
    # …but a client that has not failed may still try at once: nobody is locked out.
    assert access.throttle_state(crowd, DIRECTOR, T0 + 40, POLICY).retry_at is None


def test_a_success_or_a_new_password_starts_afresh():
    for outcome, client in ((SUCCESS, STUDENT), (RESET, "")):
        attempts = [*failures(0, 10, 20, 30), (T0 + 40, outcome, client), *failures(50)]
        throttle = access.throttle_state(attempts, STUDENT, T0 + 51, POLICY)
        assert (throttle.failures, throttle.retry_at) == (1, T0 + 52)
    # Someone else's success does not clear this client's failures.
    attempts = [*failures(0, 10), (T0 + 15, SUCCESS, DIRECTOR), *failures(20)]
    assert access.throttle_state(attempts, STUDENT, T0 + 21, POLICY).failures == 3


def test_failures_older_than_the_window_do_not_count():
    throttle = access.throttle_state(failures(0, 1, 2, 3, 4), STUDENT, T0 + 4 + POLICY.window, POLICY)
    assert throttle.failures == 0 and throttle.retry_at is None


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("::ffff:10.0.0.7", "10.0.0.7"),
        ("10.0.0.7", "10.0.0.7"),
        (" 2001:db8::1 ", "2001:db8::1"),
        ("", ""),
        ("::ffff:127.0.0.1", ""),
        ("::1", ""),
    ],
)
def test_a_client_is_counted_under_its_address_ipv4_written_as_ipv4(address, key):
    assert access.client_key(address) == key


def test_attempts_may_come_in_any_order():
    ordered = [*failures(0, 1), (T0 + 2, SUCCESS, STUDENT), *failures(3)]
    assert access.throttle_state(ordered[::-1], STUDENT, T0 + 3, POLICY) == access.throttle_state(
        ordered, STUDENT, T0 + 3, POLICY
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=3 * 3600, allow_nan=False), max_size=80))
def test_guesses_are_slowed_but_the_password_holder_always_gets_in_within_a_minute(times):
    """Whatever the timing of a stream of wrong guesses from one client, each accepted guess
    waited the delay its predecessors impose (at most 60 guesses an hour once the delay is at its
    longest); and at any moment the director, from another address, may try at once, while the
    same client waits at most a minute."""
    accepted: list[tuple[float, str, str]] = []
    for now in sorted(T0 + t for t in times):
        throttle = access.throttle_state(accepted, STUDENT, now, POLICY)
        assert throttle.wait(now) <= POLICY.max_delay
        assert access.throttle_state(accepted, DIRECTOR, now, POLICY).retry_at is None
        if throttle.retry_at is None:
            accepted.append((now, FAILURE, STUDENT))
    for index in range(1, len(accepted)):
        at, previous = accepted[index][0], accepted[index - 1][0]
        streak = len([a for a, _, _ in accepted[:index] if a > at - POLICY.window])
        if streak:
            assert at - previous >= POLICY.delay(streak) - 1e-9


@pytest.fixture
def conn(tmp_path: Path):
    connection = store.connect(tmp_path / "access.sqlite")
    yield connection
    connection.close()


def test_sign_in_with_the_right_password(conn, password_hash):
    result = access.sign_in(conn, PASSWORD, password_hash, T0, DIRECTOR)
    assert result.signed_in and result.outcome is SignInOutcome.SIGNED_IN
    assert store.signin_attempts_since(conn, 0) == [(T0, SUCCESS, DIRECTOR)]


def test_a_wrong_password_is_refused_and_recorded(conn, password_hash):
    result = access.sign_in(conn, "mauvais mot de passe", password_hash, T0, STUDENT)
    assert result.outcome is SignInOutcome.WRONG_PASSWORD and not result.signed_in
    assert result.throttle.retry_at == T0 + 2
    assert store.signin_attempts_since(conn, 0) == [(T0, FAILURE, STUDENT)]
    journal = store.load_audit_log(conn, ["signin"])
    assert journal["summary"].tolist() == [f"Échec de connexion à l'espace responsable ({STUDENT})"]


def test_an_attempt_too_soon_after_a_failure_is_not_even_checked(conn, password_hash):
    access.sign_in(conn, "mauvais mot de passe", password_hash, T0, STUDENT)
    result = access.sign_in(conn, PASSWORD, password_hash, T0 + 1, STUDENT)
    assert result.outcome is SignInOutcome.TOO_SOON and not result.signed_in
    assert result.throttle.wait(T0 + 1) == pytest.approx(1)
    assert len(store.signin_attempts_since(conn, 0)) == 1, "a refused attempt is not recorded"
    assert access.sign_in(conn, PASSWORD, password_hash, T0 + 2, STUDENT).signed_in


def test_a_student_cannot_lock_the_director_out(conn, password_hash):
    """Failure after failure from one address for an hour: the director, from another address,
    signs in at once; from the same address, within a minute."""
    now = T0
    while now < T0 + 3600:
        result = access.sign_in(conn, "mauvais mot de passe", password_hash, now, STUDENT)
        assert result.outcome is SignInOutcome.WRONG_PASSWORD
        now = result.throttle.retry_at
    assert access.sign_in(conn, PASSWORD, password_hash, now - 1, DIRECTOR).signed_in
    shared = access.current_throttle(conn, STUDENT, now - 1)
    assert 0 < shared.wait(now - 1) <= POLICY.max_delay
    assert access.sign_in(conn, PASSWORD, password_hash, now, STUDENT).signed_in


def test_the_throttle_holds_across_connections(tmp_path, password_hash):
    """A new browser session opens a new connection: it meets the same throttle."""
    path = tmp_path / "shared.sqlite"
    first, second = store.connect(path), store.connect(path)
    try:
        for offset in (0, 2, 6, 14, 30):
            access.sign_in(first, "mauvais mot de passe", password_hash, T0 + offset, STUDENT)
        assert access.current_throttle(second, STUDENT, T0 + 31).retry_at == T0 + 30 + 32
        too_soon = access.sign_in(second, PASSWORD, password_hash, T0 + 31, STUDENT)
        assert too_soon.outcome is SignInOutcome.TOO_SOON
    finally:
        first.close()
        second.close()


def test_a_new_password_starts_everyone_afresh(conn, password_hash):
    for offset in (0, 2, 6, 14, 30):
        access.sign_in(conn, "mauvais mot de passe", password_hash, T0 + offset, STUDENT)
    access.record_password_reset(conn, T0 + 40)
    assert access.current_throttle(conn, STUDENT, T0 + 41) == access.Throttle(0, None)
    assert access.sign_in(conn, PASSWORD, password_hash, T0 + 41, STUDENT).signed_in


def test_sign_in_attempts_leave_the_data_version_alone(conn, password_hash):
    """Cached figures are keyed by the data version: a sign-in must not invalidate them."""
    version = store.data_version(conn)
    access.sign_in(conn, "mauvais mot de passe", password_hash, T0)
    access.record_password_reset(conn, T0 + 1)
    assert store.data_version(conn) == version


def test_the_history_keeps_ninety_days(conn):
    store.record_signin_attempt(conn, T0, FAILURE)
    store.record_signin_attempt(conn, T0 + 89 * 86400, SUCCESS)
    store.record_signin_attempt(conn, T0 + 91 * 86400, FAILURE)
    journal = store.load_signin_attempts(conn)
    assert journal["attempted_at"].tolist() == [T0 + 91 * 86400, T0 + 89 * 86400]
    assert journal["outcome"].tolist() == [FAILURE, SUCCESS]


def test_an_unknown_outcome_is_refused_by_the_database(conn):
    with pytest.raises(sqlite3.IntegrityError):
        store.record_signin_attempt(conn, T0, "maybe")


# --- messages -------------------------------------------------------------------------------------


def test_the_messages_say_what_happened_and_how_long_to_wait(conn, password_hash):
    wrong = access.sign_in(conn, "mauvais mot de passe", password_hash, T0, STUDENT)
    assert (
        access.signin_message(wrong, T0) == "Mot de passe incorrect. Nouvel essai possible dans 2 secondes."
    )
    too_soon = access.sign_in(conn, PASSWORD, password_hash, T0 + 0.5, STUDENT)
    assert "n'a pas été vérifié" in access.signin_message(too_soon, T0 + 0.5)
    assert access.signin_message(too_soon, T0 + 0.5).endswith("Réessayez dans 2 secondes.")


def test_under_many_failures_the_message_gives_the_remedy(conn, password_hash):
    for index in range(POLICY.alarm_failures):
        store.record_signin_attempt(conn, T0 + index, FAILURE, f"10.2.0.{index}")
    wrong = access.sign_in(conn, "mauvais mot de passe", password_hash, T0 + 50, STUDENT)
    message = access.signin_message(wrong, T0 + 50)
    assert message.startswith("Mot de passe incorrect. Nouvel essai possible dans 1 minute.")
    assert "python -m insights set-password" in message


# --- idle sessions and settings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_activity", "now", "expired"),
    [(None, T0, False), (T0, T0 + 1800, False), (T0, T0 + 1800.5, True), (T0, T0 + 86400, True)],
)
def test_a_session_ends_after_the_idle_time(last_activity, now, expired):
    assert access.session_expired(last_activity, now, 1800) is expired


def test_settings_default_to_no_password_and_thirty_minutes():
    settings_ = access.access_settings({})
    assert settings_ == access.AccessSettings(password_hash=None, idle_timeout=1800, oidc=False)


def test_settings_read_the_director_section(password_hash):
    settings_ = access.access_settings(
        {"director": {"password_hash": password_hash, "idle_minutes": 10, "emails": [" Direction@Univ.fr "]}}
    )
    assert settings_.password_hash == password_hash
    assert settings_.idle_timeout == 600
    assert settings_.director_emails == {"direction@univ.fr"}
    assert not settings_.oidc


def test_an_auth_section_means_the_identity_provider():
    auth = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "client_id": "x",
        "univ": {"client_id": "y"},
    }
    assert access.access_settings({"auth": auth}).oidc
    named = access.access_settings({"auth": auth, "director": {"oidc_provider": "univ", "emails": "a@b.fr"}})
    assert named.oidc_provider == "univ" and named.director_emails == {"a@b.fr"}


@pytest.mark.parametrize(
    "secrets_",
    [
        {"director": "x"},
        {"director": {"password_hash": ""}},
        {"director": {"password_hash": 12}},
        {"director": {"idle_minutes": 0}},
        {"director": {"idle_minutes": "30"}},
        {"director": {"idle_minutes": True}},
        {"director": {"emails": [1, 2]}},
        {"director": {"oidc_provider": "univ"}, "auth": {"client_id": "x"}},
    ],
)
def test_invalid_settings_are_a_clear_error(secrets_):
    with pytest.raises(access.AccessConfigError, match=r"secrets\.toml"):
        access.access_settings(secrets_)


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        ({"is_logged_in": True, "email": "direction@univ.fr"}, True),
        ({"is_logged_in": True, "email": "DIRECTION@univ.fr", "email_verified": True}, True),
        ({"is_logged_in": True, "email": "direction@univ.fr", "email_verified": False}, False),
        ({"is_logged_in": True, "email": "etudiant@univ.fr"}, False),
        ({"is_logged_in": False, "email": "direction@univ.fr"}, False),
        ({"is_logged_in": True}, False),
        ({}, False),
    ],
)
def test_only_listed_accounts_open_the_directors_space(user, allowed):
    settings_ = access.access_settings(
        {"auth": {"client_id": "x"}, "director": {"emails": ["direction@univ.fr"]}}
    )
    assert access.is_director_account(user, settings_) is allowed


def test_with_an_empty_allow_list_no_account_opens_the_directors_space():
    settings_ = access.access_settings({"auth": {"client_id": "x"}})
    assert not access.is_director_account({"is_logged_in": True, "email": "direction@univ.fr"}, settings_)


# --- the secrets file -----------------------------------------------------------------------------


def test_the_secrets_file_is_created_readable_by_its_owner_only(tmp_path):
    path = tmp_path / ".streamlit" / "secrets.toml"
    access.set_secret(path, "director", "password_hash", "scrypt$1$2$3$4$5")
    assert path.read_text() == '[director]\npassword_hash = "scrypt$1$2$3$4$5"\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


EXISTING = """\
# Deployment secrets: keep out of git.
api_key = "abc"   # top-level key

[auth]
cookie_secret = "s3cr3t"

[director]  # the programme director
idle_minutes = 20
password_hash = "scrypt$old"
emails = ["a@b.fr"]

[other]
value = 'kept'
"""


def test_an_existing_hash_is_replaced_and_everything_else_kept(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text(EXISTING)
    access.set_secret(path, "director", "password_hash", "scrypt$new")
    assert path.read_text() == EXISTING.replace('"scrypt$old"', '"scrypt$new"')


def test_a_missing_key_joins_its_existing_section(tmp_path):
    path = tmp_path / "secrets.toml"
    text = EXISTING.replace('password_hash = "scrypt$old"\n', "")
    path.write_text(text)
    access.set_secret(path, "director", "password_hash", "scrypt$new")
    parsed = tomllib.loads(path.read_text())
    assert parsed["director"] == {"idle_minutes": 20, "password_hash": "scrypt$new", "emails": ["a@b.fr"]}
    assert parsed["other"] == {"value": "kept"} and parsed["api_key"] == "abc"
    assert path.read_text().replace('password_hash = "scrypt$new"\n', "") == text


def test_a_missing_section_is_appended(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('[auth]\ncookie_secret = "s"')  # no final line break
    access.set_secret(path, "director", "password_hash", "scrypt$new")
    assert path.read_text() == '[auth]\ncookie_secret = "s"\n\n[director]\npassword_hash = "scrypt$new"\n'


def test_windows_line_ends_are_kept(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_bytes(b"[director]\r\nidle_minutes = 20\r\n")
    access.set_secret(path, "director", "password_hash", "h")
    assert path.read_bytes() == b'[director]\r\npassword_hash = "h"\r\nidle_minutes = 20\r\n'


def test_an_existing_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text("")
    os.chmod(path, 0o640)
    access.set_secret(path, "director", "password_hash", "h")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    "text",
    [
        "[director\npassword_hash = 1\n",  # not TOML
        'director.password_hash = "x"\n',  # dotted keys: no [director] line to edit
        'director = { password_hash = "x" }\n',
        'director = "x"\n',
    ],
)
def test_a_file_that_cannot_be_edited_safely_is_left_untouched(tmp_path, text):
    path = tmp_path / "secrets.toml"
    path.write_text(text)
    with pytest.raises(access.SecretsFileError):
        access.set_secret(path, "director", "password_hash", "h")
    assert path.read_text() == text
    assert [p.name for p in tmp_path.iterdir()] == ["secrets.toml"], "no temporary file is left behind"


# --- navigation -----------------------------------------------------------------------------------

REGISTRY = [
    ("overview.py", "Vue d'ensemble", ":material/dashboard:", False),
    ("data.py", "Données", ":material/database:", True),
    ("speakers.py", "Intervenants", ":material/groups:", False),
    ("reinvite.py", "Qui réinviter ?", ":material/star:", True),
]


def test_students_see_no_director_page_and_its_address_opens_the_sign_in():
    routes = access.navigation_routes(REGISTRY, director=False)
    visible = [(r.file, r.title) for r in routes if r.visible]
    assert visible == [
        ("overview.py", "Vue d'ensemble"),
        ("speakers.py", "Intervenants"),
        ("signin.py", "Espace responsable"),
    ]
    by_url = {r.url_path: r for r in routes}
    for url_path in ("data", "reinvite"):
        assert by_url[url_path].file == "signin.py" and not by_url[url_path].visible
    assert all(r.file not in {"data.py", "reinvite.py"} for r in routes)
    assert {r.section for r in routes} == {""}


def test_the_director_sees_every_page_with_the_directors_own_in_a_section():
    routes = access.navigation_routes(REGISTRY, director=True)
    assert [(r.file, r.section, r.visible) for r in routes] == [
        ("overview.py", "", True),
        ("data.py", "Espace responsable", True),
        ("speakers.py", "", True),
        ("reinvite.py", "Espace responsable", True),
        ("signin.py", "", False),
    ]


@pytest.mark.parametrize("director", [False, True])
def test_every_address_is_unique_and_the_first_page_is_the_default(director):
    routes = access.navigation_routes(REGISTRY, director=director)
    assert len({r.url_path for r in routes}) == len(routes)
    assert [r.url_path for r in routes if r.default] == ["overview"]


def test_the_default_page_must_be_open_to_students():
    with pytest.raises(ValueError, match="default"):
        access.navigation_routes(REGISTRY[1:], director=False)


# --- the journal ----------------------------------------------------------------------------------


def test_the_journal_reads_in_french_in_the_browsers_time_zone():
    attempts = pd.DataFrame(
        {"attempted_at": [T0 + 60, T0], "outcome": [SUCCESS, FAILURE], "client": [DIRECTOR, ""]},
    )
    paris_winter = timezone(timedelta(hours=1))
    journal = access.signin_journal(attempts, paris_winter)
    assert journal.to_dict("records") == [
        {"when": "15/01/2027 09:01:00", "event": "Connexion réussie", "client": DIRECTOR},
        {"when": "15/01/2027 09:00:00", "event": "Mot de passe incorrect", "client": "—"},
    ]
    assert access.signin_journal(attempts, UTC)["when"].iloc[1] == "15/01/2027 08:00:00"
    pairs = list(zip(attempts["attempted_at"], attempts["outcome"], attempts["client"], strict=True))
    assert access.count_failures(pairs, T0) == 1
    assert access.count_failures(pairs, T0 + 1) == 0
