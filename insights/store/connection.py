"""The database connection: opening a SQLite file (migrated on open), the data version and the meta
settings (anonymity threshold)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from insights.domain import ANONYMITY_THRESHOLD
from insights.language.text import stem_text, words_text
from insights.store.audit import record_write
from insights.store.errors import DatabaseDamagedError, DatabaseReadOnlyError, translate
from insights.store.schema import migrate
from insights.store.transactions import transaction

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "insights.sqlite"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"


def default_db_path() -> Path:
    """The database path: `INSIGHTS_DB` if set, else `data/insights.sqlite` in the project."""
    return Path(os.environ.get("INSIGHTS_DB") or DEFAULT_DB_PATH)


WRITE_WAIT = 60.0
"""Seconds a write waits for another one holding the database before giving up (DatabaseBusyError),
unless `INSIGHTS_WRITE_WAIT` (seconds) says otherwise."""


def default_write_wait() -> float:
    """How long a write waits for another one: `INSIGHTS_WRITE_WAIT` seconds, else WRITE_WAIT."""
    try:
        return max(0.0, float(os.environ.get("INSIGHTS_WRITE_WAIT") or WRITE_WAIT))
    except ValueError:
        return WRITE_WAIT


def connect(path: str | Path | None = None, write_wait: float | None = None) -> sqlite3.Connection:
    """Open the database at `path` (":memory:" allowed), apply pending migrations and return it.

    Foreign keys are enforced, WAL journaling is on for files, and every write made through
    `transaction()` is atomic; a write waits up to `write_wait` seconds (default: `default_write_wait()`)
    for another one to end.
    A file that cannot be used (damaged, read-only, on a full disk, of a newer schema) raises a
    DatabaseUnusableError and is left as it is.
    """
    target = ":memory:" if path == ":memory:" else Path(path or default_db_path())
    if isinstance(target, Path):
        if target.exists() and target.is_file() and target.stat().st_size == 0:
            # A new database is created from no file at all; an empty file is one that lost its content.
            raise DatabaseDamagedError(
                f"Le fichier de la base de données {target} est vide : il a perdu son contenu. Il n'a pas été "
                "modifié ; restaurez la dernière sauvegarde."
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseReadOnlyError(
                f"Le dossier de la base de données {target.parent} ne peut être créé : {error.strerror}."
            ) from error
    conn = sqlite3.connect(str(target), isolation_level=None, check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        wait = default_write_wait() if write_wait is None else write_wait
        conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        if target != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        # The search index's triggers stem quote texts in Python (insights.quotes.search).
        conn.create_function("fr_words", 1, words_text, deterministic=True)
        conn.create_function("fr_stems", 1, stem_text, deterministic=True)
        migrate(conn)
    except sqlite3.Error as error:
        conn.close()
        raise (translate(error) or error) from error
    except BaseException:
        conn.close()
        raise
    return conn


def data_version(conn: sqlite3.Connection) -> int:
    """A counter bumped by every committed write: a cache key for derived results."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
    return int(row[0]) if row else 0


def is_empty(conn: sqlite3.Connection) -> bool:
    """True when the database holds no cohort, speaker nor intervention."""
    return all(
        conn.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
        for table in ("cohorts", "speakers", "interventions")
    )


def get_meta(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    with transaction(conn):
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def anonymity_threshold(conn: sqlite3.Connection) -> int:
    """The minimum number of answers behind any figure shown (meta `anonymity_threshold`)."""
    value = get_meta(conn, "anonymity_threshold")
    return int(value) if value else ANONYMITY_THRESHOLD


def set_anonymity_threshold(conn: sqlite3.Connection, threshold: int) -> None:
    """Set the anonymity threshold; below 2 a single answer could be read back."""
    if threshold < 2:
        raise ValueError("Le seuil d'anonymat doit être d'au moins 2 réponses.")
    with transaction(conn):
        set_meta(conn, "anonymity_threshold", str(threshold))
        record_write(conn, "settings", f"Seuil d'anonymat : {threshold} réponses")
