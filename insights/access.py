"""Access to the director's space: the password hash, sign-in throttling, the idle timeout, the
access settings read from `secrets.toml`, and which page each role may reach.

Students use the app without signing in; the programme director signs in with a password whose
salted scrypt hash sits in `.streamlit/secrets.toml` (`python -m insights set-password`), or
through the institution's OpenID Connect provider when `secrets.toml` has an `[auth]` section.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import os
import re
import secrets
import sqlite3
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import Enum
from pathlib import Path
from typing import Any

import pandas as pd

from insights import store
from insights.formatting import format_duration

DEFAULT_SECRETS_PATH = store.PROJECT_ROOT / ".streamlit" / "secrets.toml"
SECTION = "director"
"""The `secrets.toml` section of the access settings (`password_hash`, `idle_minutes`, `emails`)."""

MIN_PASSWORD_LENGTH = 12
DEFAULT_IDLE_MINUTES = 30


class AccessError(Exception):
    """Base class of the access errors; messages are French, for the person who must act."""


class PasswordHashError(AccessError):
    """The configured password hash cannot be read."""


class WeakPasswordError(AccessError):
    """A new password is refused (too short, empty)."""


class AccessConfigError(AccessError):
    """The access settings of `secrets.toml` are invalid."""


class SecretsFileError(AccessError):
    """The secrets file cannot be read or safely updated."""


# --- passwords ----------------------------------------------------------------------------------

# scrypt parameters of new hashes (about 0.1 s and 32 MiB); a hash records its own parameters,
# so raising them later leaves existing hashes valid.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32
_MAX_SCRYPT_N = 2**20


def _normalise(password: str) -> bytes:
    # The same password typed on two keyboards may reach us composed or decomposed.
    return unicodedata.normalize("NFKC", password).encode("utf-8")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        _normalise(password), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=2 * 128 * r * (n + p + 2)
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash, written `scrypt$N$r$p$salt$key` (salt and key in base64)."""
    salt = secrets.token_bytes(_SALT_BYTES) if salt is None else salt
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, _KEY_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, password_hash: str) -> bool:
    """True when `password` matches `password_hash` (compared in constant time).

    Raises PasswordHashError when the hash is not one that `hash_password` writes.
    """
    parts = password_hash.strip().split("$")
    try:
        if len(parts) != 6 or parts[0] != "scrypt":
            raise ValueError(parts[0])
        n, r, p = (int(part) for part in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
        if not (
            1 < n <= _MAX_SCRYPT_N and n & (n - 1) == 0 and 0 < r <= 32 and 0 < p <= 16 and salt and expected
        ):
            raise ValueError(parts[1:4])
    except ValueError as error:
        raise PasswordHashError(
            "L'empreinte du mot de passe (password_hash, section [director] de .streamlit/secrets.toml) "
            "est illisible : redéfinissez le mot de passe avec « python -m insights set-password »."
        ) from error
    return hmac.compare_digest(_scrypt(password, salt, n, r, p, len(expected)), expected)


def check_new_password(password: str) -> None:
    """Refuse a new password that is empty or shorter than MIN_PASSWORD_LENGTH characters."""
    if not password.strip():
        raise WeakPasswordError("Aucun mot de passe saisi : rien n'a été changé.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(
            f"Mot de passe trop court ({len(password)} caractères) : il en faut au moins {MIN_PASSWORD_LENGTH}. "
            "Une phrase de plusieurs mots est facile à retenir et difficile à deviner."
        )


# --- throttling ---------------------------------------------------------------------------------

SUCCESS, FAILURE, RESET = "success", "failure", "reset"
"""Outcomes recorded in `signin_attempts`; a reset is a new password set from the command line."""


@dataclass(frozen=True)
class ThrottlePolicy:
    """Each failure of a client (a network address) makes that client's next attempt wait:
    `first_delay * 2**(k - 1)` seconds after its k-th failure in a row, at most `max_delay`.
    When `alarm_failures` failures or more came from all clients together in the last `window`
    seconds, a client's first failure already costs `max_delay`. Nothing ever locks the sign-in:
    someone who knows the password gets in within `max_delay`, whoever else keeps failing. A
    client's success starts it afresh; a new password starts everyone afresh."""

    first_delay: float = 2.0
    max_delay: float = 60.0
    window: float = 60 * 60
    alarm_failures: int = 30

    def delay(self, failures: int, alarm: bool = False) -> float:
        if failures <= 0:
            return 0.0
        return self.max_delay if alarm else min(self.first_delay * 2 ** (failures - 1), self.max_delay)


DEFAULT_POLICY = ThrottlePolicy()


@dataclass(frozen=True)
class Throttle:
    """Where one client's sign-in stands: its failures that count, when its next attempt may come
    (None: now), and how many failures all clients made in the window (`alarm` when that many
    that every failure costs the longest delay)."""

    failures: int
    retry_at: float | None
    recent_failures: int = 0
    alarm: bool = False

    def wait(self, now: float) -> float:
        """Seconds before the next attempt is accepted (0 when it is accepted now)."""
        return 0.0 if self.retry_at is None else max(0.0, self.retry_at - now)


def throttle_state(
    attempts: Iterable[tuple[float, str, str]],
    client: str,
    now: float,
    policy: ThrottlePolicy = DEFAULT_POLICY,
) -> Throttle:
    """The throttle of `client` after `attempts` ((time, outcome, client) in any order), at `now`.

    A failure counts when it is less than `policy.window` old and came after the last reset and
    after the client's own last success."""
    ordered = sorted(attempt for attempt in attempts if attempt[0] > now - policy.window)
    mine: list[float] = []
    everyone = 0
    for at, outcome, who in ordered:
        if outcome == RESET:
            mine.clear()
            everyone = 0
        elif outcome == FAILURE:
            everyone += 1
            if who == client:
                mine.append(at)
        elif who == client:
            mine.clear()
    alarm = everyone >= policy.alarm_failures
    if not mine:
        return Throttle(0, None, everyone, alarm)
    retry_at = mine[-1] + policy.delay(len(mine), alarm)
    return Throttle(len(mine), retry_at if retry_at > now else None, everyone, alarm)


def client_key(address: str) -> str:
    """The key a client's sign-in attempts are counted under: its address, an IPv4 address given
    as IPv6 (`::ffff:10.0.0.7`) written as IPv4; "" when there is none, or for this machine
    itself (which Streamlit reports as no address)."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()
    key = getattr(parsed, "ipv4_mapped", None) or parsed
    return "" if key.is_loopback else str(key)


class SignInOutcome(Enum):
    SIGNED_IN = "signed_in"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 (an outcome, not a password)
    TOO_SOON = "too_soon"
    """Refused without checking the password: the delay after the client's last failure has not passed."""


@dataclass(frozen=True)
class SignInResult:
    """What a sign-in attempt gave, and the throttle it leaves (for the message shown)."""

    outcome: SignInOutcome
    throttle: Throttle

    @property
    def signed_in(self) -> bool:
        return self.outcome is SignInOutcome.SIGNED_IN


def sign_in(
    conn: sqlite3.Connection,
    password: str,
    password_hash: str,
    now: float,
    client: str = "",
    policy: ThrottlePolicy = DEFAULT_POLICY,
) -> SignInResult:
    """Check `password` unless the throttle of `client` forbids an attempt at `now`; record the
    outcome. The attempts live in the database, so the throttle holds across browser sessions;
    the check runs under the database's write lock, so two sessions cannot both slip in one
    more attempt."""
    with store.exclusive(conn):
        attempts = store.signin_attempts_since(conn, now - policy.window)
        before = throttle_state(attempts, client, now, policy)
        if before.retry_at is not None:
            return SignInResult(SignInOutcome.TOO_SOON, before)
        correct = verify_password(password, password_hash)
        recorded = SUCCESS if correct else FAILURE
        store.record_signin_attempt(conn, now, recorded, client)
    after = throttle_state([*attempts, (now, recorded, client)], client, now, policy)
    return SignInResult(SignInOutcome.SIGNED_IN if correct else SignInOutcome.WRONG_PASSWORD, after)


RECOVERY = (
    "Si ces essais ne venaient pas de vous, redéfinissez le mot de passe sur le serveur "
    "(python -m insights set-password) : cela lève aussi tout ralentissement."
)


def signin_message(result: SignInResult, now: float, policy: ThrottlePolicy = DEFAULT_POLICY) -> str:
    """What the person at the sign-in form reads after an attempt, in French."""
    wait = format_duration(result.throttle.wait(now))
    if result.outcome is SignInOutcome.SIGNED_IN:
        return "Connexion réussie."
    if result.outcome is SignInOutcome.TOO_SOON:
        return (
            f"Essai trop rapproché du précédent : le mot de passe n'a pas été vérifié. Réessayez dans {wait}."
        )
    message = f"Mot de passe incorrect. Nouvel essai possible dans {wait}."
    if result.throttle.alarm:
        message += (
            f" De nombreux essais ont échoué depuis {format_duration(policy.window)} : chaque échec fait "
            f"attendre {format_duration(policy.max_delay)}. " + RECOVERY
        )
    return message


def current_throttle(
    conn: sqlite3.Connection, client: str, now: float, policy: ThrottlePolicy = DEFAULT_POLICY
) -> Throttle:
    """The throttle of `client` as it stands at `now`, read from the database."""
    return throttle_state(store.signin_attempts_since(conn, now - policy.window), client, now, policy)


def record_password_reset(conn: sqlite3.Connection, now: float) -> None:
    """Note that a new password was set: earlier failures no longer count."""
    with store.exclusive(conn):
        store.record_signin_attempt(conn, now, RESET)


JOURNAL_LABELS = {
    SUCCESS: "Connexion réussie",
    FAILURE: "Mot de passe incorrect",
    RESET: "Mot de passe redéfini",
}


def signin_journal(attempts: pd.DataFrame, tz: tzinfo) -> pd.DataFrame:
    """The sign-in journal as shown to the director.

    `attempts`: columns attempted_at (Unix seconds), outcome, client (as
    `store.load_signin_attempts`). Returns columns when (`24/11/2026 14:02:05` in `tz`), event
    (French label) and client (the address, "—" when unknown), in the order given.
    """
    return pd.DataFrame(
        {
            "when": [
                datetime.fromtimestamp(at, tz).strftime("%d/%m/%Y %H:%M:%S")
                for at in attempts["attempted_at"]
            ],
            "event": [JOURNAL_LABELS.get(outcome, outcome) for outcome in attempts["outcome"]],
            "client": [client or "—" for client in attempts["client"]],
        },
        dtype="str",
    )


def count_failures(attempts: Iterable[tuple[float, str, str]], since: float) -> int:
    """The number of failed attempts ((time, outcome, client)) at or after `since`."""
    return sum(1 for at, outcome, _ in attempts if outcome == FAILURE and at >= since)


# --- the director's session ----------------------------------------------------------------------


def session_expired(last_activity: float | None, now: float, idle_timeout: float) -> bool:
    """True when more than `idle_timeout` seconds passed since the session's last activity
    (a session with no recorded activity has just started)."""
    return last_activity is not None and now - last_activity > idle_timeout


@dataclass(frozen=True)
class AccessSettings:
    """The access settings of `secrets.toml`.

    `oidc`: an `[auth]` section configures an OpenID Connect provider, and the director signs in
    there (`oidc_provider`: the name of an `[auth.NAME]` provider, None for `[auth]` itself);
    only the addresses of `director_emails` (lower case) open the director's space. Otherwise the
    director signs in with the password whose hash is `password_hash` (None: none set yet).
    """

    password_hash: str | None = None
    idle_timeout: float = DEFAULT_IDLE_MINUTES * 60
    oidc: bool = False
    oidc_provider: str | None = None
    director_emails: frozenset[str] = frozenset()


def access_settings(secrets_: Mapping[str, Any]) -> AccessSettings:
    """Read the access settings from the secrets (`[director]` and `[auth]` sections).

    ```toml
    [director]
    password_hash = "scrypt$…"          # written by `python -m insights set-password`
    idle_minutes = 30                    # the session ends after this much inactivity
    emails = ["direction@univ.example"]  # with [auth]: the accounts that open the director's space
    oidc_provider = "univ"               # with [auth.univ]: the provider to use
    ```
    """
    section = secrets_.get(SECTION, {})
    if not isinstance(section, Mapping):
        raise AccessConfigError(
            "Dans .streamlit/secrets.toml, « director » doit être une section [director]."
        )
    password_hash = section.get("password_hash")
    if password_hash is not None and (not isinstance(password_hash, str) or not password_hash.strip()):
        raise AccessConfigError(
            "Dans .streamlit/secrets.toml, [director] password_hash doit être le texte qu'écrit "
            "« python -m insights set-password »."
        )
    idle_minutes = section.get("idle_minutes", DEFAULT_IDLE_MINUTES)
    if isinstance(idle_minutes, bool) or not isinstance(idle_minutes, int | float) or not idle_minutes > 0:
        raise AccessConfigError(
            f"Dans .streamlit/secrets.toml, [director] idle_minutes doit être un nombre de minutes positif "
            f"(trouvé : {idle_minutes!r})."
        )
    emails = section.get("emails", [])
    if isinstance(emails, str):
        emails = [emails]
    if not isinstance(emails, list) or not all(isinstance(email, str) for email in emails):
        raise AccessConfigError(
            'Dans .streamlit/secrets.toml, [director] emails doit être une liste d\'adresses, par exemple ["direction@univ.fr"].'
        )
    auth = secrets_.get("auth")
    provider = section.get("oidc_provider")
    if provider is not None and not (isinstance(auth, Mapping) and isinstance(auth.get(provider), Mapping)):
        raise AccessConfigError(
            f"Dans .streamlit/secrets.toml, [director] oidc_provider = {provider!r} mais il n'y a pas de section "
            f"[auth.{provider}]."
        )
    return AccessSettings(
        password_hash=password_hash.strip() if password_hash else None,
        idle_timeout=float(idle_minutes) * 60,
        oidc=isinstance(auth, Mapping) and bool(auth),
        oidc_provider=provider,
        director_emails=frozenset(email.strip().lower() for email in emails if email.strip()),
    )


def is_director_account(user: Mapping[str, Any], settings: AccessSettings) -> bool:
    """True when the identity provider's user (`st.user`) may open the director's space: signed
    in, with an address of the allow-list that the provider has not marked unverified."""
    email = user.get("email")
    return (
        bool(user.get("is_logged_in"))
        and isinstance(email, str)
        and email.strip().lower() in settings.director_emails
        and user.get("email_verified", True) is not False
    )


# --- the secrets file ---------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(#.*)?$")


def set_secret(path: Path, section: str, key: str, value: str) -> Path:
    """Set `key = "value"` in the `[section]` table of the TOML file at `path`, leaving every
    other line as it was; create the file (readable by its owner only) when missing.

    Raises SecretsFileError when the file is not valid TOML, or when its layout (for instance
    the section written as dotted keys) does not allow a safe line edit.
    """
    try:
        text = path.read_bytes().decode("utf-8") if path.exists() else ""
        before = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SecretsFileError(
            f"{path} n'est pas un fichier TOML valide ({error}) : rien n'a été changé."
        ) from error
    newline = "\r\n" if "\r\n" in text else "\n"
    assignment = f"{key} = {json.dumps(value, ensure_ascii=False)}{newline}"
    lines = text.splitlines(keepends=True)
    start = next(
        (i for i, line in enumerate(lines) if (match := _TABLE.match(line)) and match.group(1) == section),
        None,
    )
    if start is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += newline
        lines += [newline] if lines else []
        lines += [f"[{section}]{newline}", assignment]
    else:
        end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
        existing = next(
            (i for i in range(start + 1, end) if re.match(rf"^\s*{re.escape(key)}\s*=", lines[i])), None
        )
        if existing is None:
            lines.insert(start + 1, assignment)
        else:
            lines[existing] = assignment
    updated = "".join(lines)
    current = before.get(section, {})
    expected = {**before, section: {**current, key: value}} if isinstance(current, dict) else None
    try:
        if tomllib.loads(updated) != expected:
            raise ValueError(section)
    except (tomllib.TOMLDecodeError, ValueError) as error:
        raise SecretsFileError(
            f"Impossible de modifier {path} sans risque (section [{section}] écrite autrement). "
            f"Ajoutez vous-même, sous [{section}] : {assignment.strip()}"
        ) from error
    _write_private(path, updated)
    return path


def _write_private(path: Path, text: str) -> None:
    """Replace `path` atomically; a new file is readable by its owner only, an existing one
    keeps its permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- navigation ---------------------------------------------------------------------------------

SIGNIN_FILE = "signin.py"
SIGNIN_URL = "signin"
SIGNIN_TITLE = "Espace responsable"
SIGNIN_ICON = ":material/lock:"
DIRECTOR_SECTION = "Espace responsable"


@dataclass(frozen=True)
class Route:
    """One entry of the navigation: the page file to run for `url_path`, in `section`
    ("" = the main list), shown in the menu or not."""

    file: str
    title: str
    icon: str
    url_path: str
    visible: bool = True
    section: str = ""
    default: bool = False


def navigation_routes(pages: Sequence[tuple[str, str, str, bool]], *, director: bool) -> list[Route]:
    """The navigation of a role, from the page registry `(file, title, icon, director_only)`.

    The first page is the default one and must be open to students. For the director, the
    director-only pages form their own section. For students, those pages are absent from the
    menu and their addresses run the sign-in page, never the page itself; the sign-in page is
    the menu's last entry. A signed-in director who opens the sign-in address is sent on by the
    entry point.
    """
    if not pages or pages[0][3]:
        raise ValueError("the first page of the registry is the default one: it must be open to students")
    routes: list[Route] = []
    for index, (file, title, icon, director_only) in enumerate(pages):
        url_path = Path(file).stem
        if director or not director_only:
            section = DIRECTOR_SECTION if director_only else ""
            routes.append(Route(file, title, icon, url_path, section=section, default=index == 0))
        else:
            routes.append(Route(SIGNIN_FILE, SIGNIN_TITLE, SIGNIN_ICON, url_path, visible=False))
    routes.append(Route(SIGNIN_FILE, SIGNIN_TITLE, SIGNIN_ICON, SIGNIN_URL, visible=not director))
    return routes
