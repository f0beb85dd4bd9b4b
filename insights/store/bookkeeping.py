"""The app's own records: the director's planning targets, sign-in attempts, the saved column
mappings of survey exports and the respondent-key salt."""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime

import pandas as pd

from insights.store.audit import record_write
from insights.store.connection import get_meta, set_meta
from insights.store.loaders import _frame
from insights.store.transactions import exclusive, transaction

# --- planning targets -------------------------------------------------------------------------


def load_planning_targets(conn: sqlite3.Connection) -> pd.DataFrame:
    """The targets the director stored. Columns: kind ("theme" or "org_type"), key (a theme id
    or an organisation type), talks_per_cohort (int). Sorted by kind and key; empty when unset."""
    frame = _frame(conn, "SELECT kind, key, talks_per_cohort FROM planning_targets ORDER BY kind, key")
    return frame.astype({"talks_per_cohort": "int64"})


def write_planning_targets(conn: sqlite3.Connection, targets: Iterable[tuple[str, str, int]]) -> None:
    """Store targets as (kind, key, talks per cohort), replacing any stored for the same key."""
    with transaction(conn):
        conn.executemany(
            "INSERT INTO planning_targets (kind, key, talks_per_cohort) VALUES (?, ?, ?) "
            "ON CONFLICT (kind, key) DO UPDATE SET talks_per_cohort = excluded.talks_per_cohort",
            [(kind, key, int(value)) for kind, key, value in targets],
        )
        record_write(conn, "settings", "Objectifs de programmation enregistrés")


def clear_planning_targets(conn: sqlite3.Connection) -> None:
    """Forget every stored target (the defaults apply again)."""
    with transaction(conn):
        conn.execute("DELETE FROM planning_targets")
        record_write(conn, "settings", "Objectifs de programmation : retour aux valeurs par défaut")


# --- sign-in attempts ---------------------------------------------------------------------------

SIGNIN_HISTORY_DAYS = 90


_SIGNIN_SUMMARIES = {
    "success": "Connexion réussie à l'espace responsable",
    "failure": "Échec de connexion à l'espace responsable",
    "reset": "Mot de passe de l'espace responsable redéfini",
}


def record_signin_attempt(
    conn: sqlite3.Connection, attempted_at: float, outcome: str, client: str = ""
) -> None:
    """Record a sign-in attempt (`success`, `failure`) or a password reset (`reset`) at
    `attempted_at` (Unix seconds), from `client` (its network address, "" when unknown), in the
    attempts the throttle reads and in the audit journal; attempts older than
    SIGNIN_HISTORY_DAYS are dropped."""
    with exclusive(conn):
        conn.execute(
            "INSERT INTO signin_attempts (attempted_at, outcome, client) VALUES (?, ?, ?)",
            (attempted_at, outcome, client),
        )
        conn.execute(
            "DELETE FROM signin_attempts WHERE attempted_at < ?",
            (attempted_at - SIGNIN_HISTORY_DAYS * 86400,),
        )
        record_write(
            conn,
            "signin",
            _SIGNIN_SUMMARIES.get(outcome, outcome) + (f" ({client})" if client else ""),
            at=datetime.fromtimestamp(attempted_at),
        )


def signin_attempts_since(conn: sqlite3.Connection, since: float) -> list[tuple[float, str, str]]:
    """(attempted_at, outcome, client) of the attempts after `since` (Unix seconds), oldest first."""
    rows = conn.execute(
        "SELECT attempted_at, outcome, client FROM signin_attempts WHERE attempted_at > ? "
        "ORDER BY attempted_at, attempt_id",
        (since,),
    )
    return [(row[0], row[1], row[2]) for row in rows]


def load_signin_attempts(conn: sqlite3.Connection, limit: int = 100) -> pd.DataFrame:
    """Columns: attempted_at (float, Unix seconds), outcome (`success`, `failure`, `reset`),
    client (its address, "" when unknown): the latest `limit` attempts, newest first."""
    frame = _frame(
        conn,
        "SELECT attempted_at, outcome, client FROM signin_attempts "
        "ORDER BY attempted_at DESC, attempt_id DESC LIMIT ?",
        (limit,),
    )
    return frame.astype({"attempted_at": "float64", "outcome": "str", "client": "str"})


# --- survey import: saved column mappings, respondent keys --------------------------------------


def save_import_mapping(
    conn: sqlite3.Connection, fingerprint: str, source: str, headers: Sequence[str], mapping: str
) -> None:
    """Remember the column mapping (JSON text) chosen for a form, identified by its fingerprint."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO import_mappings (fingerprint, source, headers, mapping, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(fingerprint) DO UPDATE SET source = excluded.source, "
            "headers = excluded.headers, mapping = excluded.mapping, updated_at = excluded.updated_at",
            (
                fingerprint,
                source,
                json.dumps(list(headers), ensure_ascii=False),
                mapping,
                datetime.now().isoformat(timespec="seconds"),
            ),
        )


def load_import_mappings(conn: sqlite3.Connection, source: str | None = None) -> pd.DataFrame:
    """Columns: fingerprint, source, headers (list[str]), mapping (JSON str), updated_at. Newest first;
    only the mappings of `source` (a survey tool) when given."""
    sql = "SELECT fingerprint, source, headers, mapping, updated_at FROM import_mappings"
    params: tuple[str, ...] = ()
    if source is not None:
        sql += " WHERE source = ?"
        params = (source,)
    frame = _frame(conn, sql + " ORDER BY updated_at DESC, fingerprint", params)
    frame["headers"] = [json.loads(text) for text in frame["headers"]]
    return frame


def respondent_salt(conn: sqlite3.Connection) -> str:
    """The secret salt of respondent keys, created once per database (meta `respondent_salt`).

    Call it inside the import's transaction: a refused import then leaves no salt behind.
    """
    salt = get_meta(conn, "respondent_salt")
    if salt is None:
        salt = secrets.token_hex(16)
        set_meta(conn, "respondent_salt", salt)
    return salt


def next_question_position(conn: sqlite3.Connection) -> int:
    """The catalogue position after the last question (for questions added by an import)."""
    return conn.execute("SELECT coalesce(max(position) + 1, 0) FROM questions").fetchone()[0]
