"""The SQLite store: connection, schema migrations, writes in one transaction, and loaders.

All SQL of the application lives here (the search index's own SQL lives in `search`).
Loaders return pandas DataFrames whose columns are documented on each function.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from insights.domain import ANONYMITY_THRESHOLD, DEFAULT_INSTRUMENT, PROPOSED, STUDENT_PROPOSAL, join_list
from insights.text import stem_text, words_text

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "insights.sqlite"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"


def default_db_path() -> Path:
    """The database path: `INSIGHTS_DB` if set, else `data/insights.sqlite` in the project."""
    return Path(os.environ.get("INSIGHTS_DB") or DEFAULT_DB_PATH)


class StoreError(Exception):
    """Base class of the store's errors."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the application."""


# Each entry upgrades the schema by one version; `PRAGMA user_version` records how many ran.
MIGRATIONS: list[str] = [
    # 1: the domain tables.
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE cohorts (
        cohort TEXT PRIMARY KEY,
        size INTEGER NOT NULL CHECK (size > 0)
    );
    CREATE TABLE speakers (
        speaker_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        organisation TEXT NOT NULL DEFAULT '',
        org_type TEXT NOT NULL,
        sector TEXT NOT NULL DEFAULT '',
        networks TEXT NOT NULL DEFAULT '',
        years_experience INTEGER CHECK (years_experience >= 0),
        education TEXT NOT NULL DEFAULT '',
        bio TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE career_steps (
        step_id INTEGER PRIMARY KEY,
        speaker_id TEXT NOT NULL REFERENCES speakers(speaker_id) ON DELETE CASCADE,
        year_from INTEGER NOT NULL,
        year_to INTEGER CHECK (year_to IS NULL OR year_to >= year_from),
        role TEXT NOT NULL,
        organisation TEXT NOT NULL DEFAULT '',
        UNIQUE (speaker_id, year_from, role, organisation)
    );
    CREATE TABLE interventions (
        intervention_id TEXT PRIMARY KEY,
        date TEXT NOT NULL,
        cohort TEXT NOT NULL REFERENCES cohorts(cohort),
        semester TEXT NOT NULL CHECK (semester IN ('S1', 'S2')),
        title TEXT NOT NULL,
        format TEXT NOT NULL,
        tools TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE intervention_speakers (
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        speaker_id TEXT NOT NULL REFERENCES speakers(speaker_id),
        position INTEGER NOT NULL,
        PRIMARY KEY (intervention_id, speaker_id)
    );
    CREATE INDEX intervention_speakers_by_speaker ON intervention_speakers(speaker_id);
    CREATE TABLE intervention_themes (
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id) ON DELETE CASCADE,
        theme TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (intervention_id, theme)
    );
    CREATE TABLE questions (
        question_id TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('likert5', 'choice', 'nps', 'text')),
        label TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL
    );
    CREATE TABLE responses (
        response_id TEXT PRIMARY KEY,
        intervention_id TEXT NOT NULL REFERENCES interventions(intervention_id),
        submitted_at TEXT NOT NULL DEFAULT '',
        respondent TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX responses_by_intervention ON responses(intervention_id);
    CREATE TABLE answers (
        response_id TEXT NOT NULL REFERENCES responses(response_id) ON DELETE CASCADE,
        question_id TEXT NOT NULL REFERENCES questions(question_id),
        value_num REAL,
        value_text TEXT,
        PRIMARY KEY (response_id, question_id)
    ) WITHOUT ROWID;
    CREATE INDEX answers_by_question ON answers(question_id);
    CREATE TABLE quotes (
        quote_id TEXT PRIMARY KEY,
        text TEXT NOT NULL CHECK (length(trim(text)) > 0),
        speaker_id TEXT NOT NULL REFERENCES speakers(speaker_id),
        intervention_id TEXT REFERENCES interventions(intervention_id),
        source TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('proposée', 'publiée', 'refusée'))
    );
    CREATE INDEX quotes_by_speaker ON quotes(speaker_id);
    CREATE TABLE quote_themes (
        quote_id TEXT NOT NULL REFERENCES quotes(quote_id) ON DELETE CASCADE,
        theme TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (quote_id, theme)
    );
    CREATE INDEX quote_themes_by_theme ON quote_themes(theme);
    INSERT INTO meta(key, value) VALUES ('data_version', '0');
    """,
    # 2: the quote wall's full-text index (see insights.search), kept in step by triggers. Only
    # published quotes are indexed. A quote's docid (its quotes_fts rowid) is its talk's day
    # number * 2^20 plus a sequence number, so that rowid order is talk-date order (quotes with
    # no talk get day 0, last); quote_search also copies the quote's speaker and talk, so that
    # the search's filters need no lookup in `quotes`. fr_words / fr_stems are insights.text
    # functions that connect() registers.
    """
    CREATE TABLE quote_search (
        docid INTEGER PRIMARY KEY,
        quote_id TEXT NOT NULL UNIQUE,
        speaker_id TEXT NOT NULL,
        intervention_id TEXT
    );
    CREATE VIEW quote_search_source AS
        SELECT q.quote_id, q.speaker_id, q.intervention_id, q.text,
            coalesce(CAST(julianday(i.date) AS INTEGER), 0) * 1048576 AS day_base
        FROM quotes q LEFT JOIN interventions i ON i.intervention_id = q.intervention_id
        WHERE q.status = 'publiée';
    CREATE VIRTUAL TABLE quotes_fts USING fts5(words, stems, tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER quote_search_insert AFTER INSERT ON quotes WHEN new.status = 'publiée' BEGIN
        INSERT INTO quote_search (docid, quote_id, speaker_id, intervention_id)
            SELECT coalesce(
                (SELECT max(docid) + 1 FROM quote_search WHERE docid BETWEEN day_base AND day_base + 1048575),
                day_base
            ), quote_id, speaker_id, intervention_id
            FROM quote_search_source WHERE quote_id = new.quote_id;
        INSERT INTO quotes_fts (rowid, words, stems)
            SELECT docid, fr_words(new.text), fr_stems(new.text)
            FROM quote_search WHERE quote_id = new.quote_id;
    END;
    CREATE TRIGGER quote_search_delete AFTER DELETE ON quotes BEGIN
        DELETE FROM quotes_fts WHERE rowid = (SELECT docid FROM quote_search WHERE quote_id = old.quote_id);
        DELETE FROM quote_search WHERE quote_id = old.quote_id;
    END;
    CREATE TRIGGER quote_search_update AFTER UPDATE OF quote_id, text, status, speaker_id, intervention_id
    ON quotes WHEN old.quote_id IS NOT new.quote_id OR old.text IS NOT new.text OR old.status IS NOT new.status
        OR old.speaker_id IS NOT new.speaker_id OR old.intervention_id IS NOT new.intervention_id BEGIN
        DELETE FROM quotes_fts WHERE rowid = (SELECT docid FROM quote_search WHERE quote_id = old.quote_id);
        DELETE FROM quote_search WHERE quote_id = old.quote_id;
        INSERT INTO quote_search (docid, quote_id, speaker_id, intervention_id)
            SELECT coalesce(
                (SELECT max(docid) + 1 FROM quote_search WHERE docid BETWEEN day_base AND day_base + 1048575),
                day_base
            ), quote_id, speaker_id, intervention_id
            FROM quote_search_source WHERE quote_id = new.quote_id;
        INSERT INTO quotes_fts (rowid, words, stems)
            SELECT docid, fr_words(new.text), fr_stems(new.text)
            FROM quote_search WHERE quote_id = new.quote_id;
    END;
    CREATE TRIGGER quote_search_redate AFTER UPDATE OF date ON interventions
    WHEN old.date IS NOT new.date BEGIN
        DELETE FROM quotes_fts WHERE rowid IN (
            SELECT docid FROM quote_search WHERE intervention_id = new.intervention_id
        );
        DELETE FROM quote_search WHERE intervention_id = new.intervention_id;
        INSERT INTO quote_search (docid, quote_id, speaker_id, intervention_id)
            SELECT coalesce(
                (SELECT max(docid) + 1 FROM quote_search WHERE docid BETWEEN day_base AND day_base + 1048575),
                day_base
            ) + row_number() OVER (ORDER BY quote_id) - 1, quote_id, speaker_id, intervention_id
            FROM quote_search_source WHERE intervention_id = new.intervention_id;
        INSERT INTO quotes_fts (rowid, words, stems)
            SELECT s.docid, fr_words(q.text), fr_stems(q.text)
            FROM quote_search s JOIN quotes q ON q.quote_id = s.quote_id
            WHERE s.intervention_id = new.intervention_id;
    END;
    INSERT INTO quote_search (docid, quote_id, speaker_id, intervention_id)
        SELECT day_base + row_number() OVER (PARTITION BY day_base ORDER BY quote_id) - 1,
            quote_id, speaker_id, intervention_id
        FROM quote_search_source;
    INSERT INTO quotes_fts (rowid, words, stems)
        SELECT s.docid, fr_words(q.text), fr_stems(q.text)
        FROM quote_search s JOIN quotes q ON q.quote_id = s.quote_id;
    """,
    # 3: the director's target mix for planning a cohort (insights.themes): how many talks per
    # cohort should cover each theme, and be given by each type of organisation.
    """
    CREATE TABLE planning_targets (
        kind TEXT NOT NULL CHECK (kind IN ('theme', 'org_type')),
        key TEXT NOT NULL,
        talks_per_cohort INTEGER NOT NULL CHECK (talks_per_cohort BETWEEN 0 AND 99),
        PRIMARY KEY (kind, key)
    );
    """,
    # 4: the director's sign-in attempts (insights.access): the throttle reads them, so that a
    # new browser session cannot bypass it, and the director's sign-in journal shows them.
    """
    CREATE TABLE signin_attempts (
        attempt_id INTEGER PRIMARY KEY,
        attempted_at REAL NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'reset'))
    );
    CREATE INDEX signin_attempts_by_time ON signin_attempts(attempted_at);
    """,
    # 5: the column mappings of survey exports (insights.mapping), offered again for the next file
    # of the same form. `fingerprint` identifies a form by its tool and question headers.
    """
    CREATE TABLE import_mappings (
        fingerprint TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        headers TEXT NOT NULL,
        mapping TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path | None = None) -> sqlite3.Connection:
    """Open the database at `path` (":memory:" allowed), apply pending migrations and return it.

    Foreign keys are enforced, WAL journaling is on for files, and every write made through
    `transaction()` is atomic.
    """
    target = ":memory:" if path == ":memory:" else Path(path or default_db_path())
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(target), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    if target != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    # The search index's triggers stem quote texts in Python (insights.search).
    conn.create_function("fr_words", 1, words_text, deterministic=True)
    conn.create_function("fr_stems", 1, stem_text, deterministic=True)
    migrate(conn)
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of migrations applied to this database."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the pending migrations, each in its own transaction; return the new version."""
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"La base est au schéma {version}, plus récent que celui de l'application ({SCHEMA_VERSION})."
        )
    for number in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _split_statements(MIGRATIONS[number]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    if version == 0:
        with transaction(conn):
            write_questions(conn, default_questions())
    return SCHEMA_VERSION


def _split_statements(script: str) -> list[str]:
    """Split a migration script into statements (trigger bodies kept whole)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the enclosed writes as one transaction that also bumps the data version.

    Nested use joins the outer transaction.
    """
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute(
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'data_version'"
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


@contextmanager
def exclusive(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the enclosed reads and writes under the database's write lock, as one transaction
    that leaves the data version alone (for bookkeeping such as sign-in attempts, which changes
    no figure). Nested use joins the outer transaction."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


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
    set_meta(conn, "anonymity_threshold", str(threshold))


# --- writes ---------------------------------------------------------------------------------


@dataclass
class WriteReport:
    """What a write did, counted in rows of the written file."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    details: list[str] = field(default_factory=list)

    def __add__(self, other: WriteReport) -> WriteReport:
        return WriteReport(
            self.added + other.added,
            self.updated + other.updated,
            self.skipped + other.skipped,
            self.details + other.details,
        )


def _upsert(
    conn: sqlite3.Connection,
    table: str,
    key: str,
    columns: Sequence[str],
    rows: Iterable[dict[str, Any]],
) -> tuple[WriteReport, list[str], list[str]]:
    """Insert or update rows by primary key; return the report and the added and updated keys."""
    existing = {
        row[0]: tuple(row[1:]) for row in conn.execute(f"SELECT {key}, {', '.join(columns)} FROM {table}")
    }
    report = WriteReport()
    added: list[str] = []
    updated: list[str] = []
    placeholders = ", ".join("?" for _ in range(len(columns) + 1))
    assignments = ", ".join(f"{c} = excluded.{c}" for c in columns)
    sql = (
        f"INSERT INTO {table} ({key}, {', '.join(columns)}) VALUES ({placeholders}) "
        f"ON CONFLICT({key}) DO UPDATE SET {assignments}"
    )
    batch = []
    for row in rows:
        values = tuple(row[c] for c in columns)
        before = existing.get(row[key])
        if before is None:
            report.added += 1
            added.append(row[key])
        elif before == values:
            report.skipped += 1
            continue
        else:
            report.updated += 1
            updated.append(row[key])
        batch.append((row[key], *values))
    conn.executemany(sql, batch)
    return report, added, updated


def _replace_links(
    conn: sqlite3.Connection, table: str, owner: str, item: str, links: dict[str, list[str]]
) -> None:
    """Set the ordered list of `item` values of each owner id in `links`."""
    conn.executemany(f"DELETE FROM {table} WHERE {owner} = ?", [(o,) for o in links])
    conn.executemany(
        f"INSERT INTO {table} ({owner}, {item}, position) VALUES (?, ?, ?)",
        [(o, value, pos) for o, values in links.items() for pos, value in enumerate(values)],
    )


def _links(conn: sqlite3.Connection, table: str, owner: str, item: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for row in conn.execute(f"SELECT {owner}, {item} FROM {table} ORDER BY {owner}, position"):
        result.setdefault(row[0], []).append(row[1])
    return result


def write_cohorts(conn: sqlite3.Connection, cohorts: Iterable[dict[str, Any]]) -> WriteReport:
    """Upsert cohorts: dicts with `cohort` and `size`."""
    with transaction(conn):
        report, _, _ = _upsert(conn, "cohorts", "cohort", ["size"], cohorts)
    return report


SPEAKER_COLUMNS = [
    "name",
    "title",
    "organisation",
    "org_type",
    "sector",
    "networks",
    "years_experience",
    "education",
    "bio",
]


def write_speakers(conn: sqlite3.Connection, speakers: Iterable[dict[str, Any]]) -> WriteReport:
    """Upsert speakers: dicts with `speaker_id` and SPEAKER_COLUMNS (`networks` a ;-list string)."""
    with transaction(conn):
        report, _, _ = _upsert(conn, "speakers", "speaker_id", SPEAKER_COLUMNS, speakers)
    return report


def write_career_steps(conn: sqlite3.Connection, steps: Iterable[dict[str, Any]]) -> WriteReport:
    """Add career steps (speaker_id, year_from, year_to, role, organisation); an identical step is skipped.

    A step is identified by speaker, start year, role and organisation; a changed end year updates it.
    """
    report = WriteReport()
    with transaction(conn):
        for step in steps:
            row = conn.execute(
                "SELECT step_id, year_to FROM career_steps WHERE speaker_id = ? AND year_from = ? "
                "AND role = ? AND organisation = ?",
                (step["speaker_id"], step["year_from"], step["role"], step["organisation"]),
            ).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO career_steps (speaker_id, year_from, year_to, role, organisation) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        step["speaker_id"],
                        step["year_from"],
                        step["year_to"],
                        step["role"],
                        step["organisation"],
                    ),
                )
                report.added += 1
            elif row["year_to"] == step["year_to"]:
                report.skipped += 1
            else:
                conn.execute(
                    "UPDATE career_steps SET year_to = ? WHERE step_id = ?", (step["year_to"], row[0])
                )
                report.updated += 1
    return report


INTERVENTION_COLUMNS = ["date", "cohort", "semester", "title", "format", "tools"]


def write_interventions(conn: sqlite3.Connection, interventions: Iterable[dict[str, Any]]) -> WriteReport:
    """Upsert interventions: dicts with `intervention_id`, INTERVENTION_COLUMNS, and lists
    `speaker_ids` and `themes`."""
    rows = list(interventions)
    with transaction(conn):
        speakers_before = _links(conn, "intervention_speakers", "intervention_id", "speaker_id")
        themes_before = _links(conn, "intervention_themes", "intervention_id", "theme")
        report, added, updated = _upsert(conn, "interventions", "intervention_id", INTERVENTION_COLUMNS, rows)
        changed = set(added) | set(updated)
        for row in rows:
            key = row["intervention_id"]
            links_changed = speakers_before.get(key, []) != list(row["speaker_ids"]) or themes_before.get(
                key, []
            ) != list(row["themes"])
            if links_changed and key not in changed:
                report.skipped -= 1
                report.updated += 1
                changed.add(key)
        todo = [row for row in rows if row["intervention_id"] in changed]
        _replace_links(
            conn,
            "intervention_speakers",
            "intervention_id",
            "speaker_id",
            {r["intervention_id"]: list(r["speaker_ids"]) for r in todo},
        )
        _replace_links(
            conn,
            "intervention_themes",
            "intervention_id",
            "theme",
            {r["intervention_id"]: list(r["themes"]) for r in todo},
        )
    return report


QUOTE_COLUMNS = ["text", "speaker_id", "intervention_id", "source", "status"]


def write_quotes(conn: sqlite3.Connection, quotes: Iterable[dict[str, Any]]) -> WriteReport:
    """Upsert quotes: dicts with `quote_id`, QUOTE_COLUMNS (`intervention_id` may be None) and a
    list `themes`."""
    rows = list(quotes)
    with transaction(conn):
        themes_before = _links(conn, "quote_themes", "quote_id", "theme")
        report, added, updated = _upsert(conn, "quotes", "quote_id", QUOTE_COLUMNS, rows)
        changed = set(added) | set(updated)
        for row in rows:
            if row["quote_id"] not in changed and themes_before.get(row["quote_id"], []) != list(
                row["themes"]
            ):
                report.skipped -= 1
                report.updated += 1
                changed.add(row["quote_id"])
        _replace_links(
            conn,
            "quote_themes",
            "quote_id",
            "theme",
            {r["quote_id"]: list(r["themes"]) for r in rows if r["quote_id"] in changed},
        )
    return report


def set_quote_status(conn: sqlite3.Connection, quote_id: str, status: str) -> None:
    """Change a quote's moderation status (raises QuoteNotFoundError for an unknown id)."""
    with transaction(conn):
        cursor = conn.execute("UPDATE quotes SET status = ? WHERE quote_id = ?", (status, quote_id))
        if cursor.rowcount == 0:
            raise QuoteNotFoundError(f"La citation {quote_id} n'existe pas (ou plus).")


# --- quotes proposed by students, and their moderation ---------------------------------------------


class QuoteNotFoundError(StoreError):
    """No quote has this id (deleted or never stored)."""


class DuplicateQuoteError(StoreError):
    """The speaker already has a quote with exactly this text (`quote_id` and `status` say which)."""

    def __init__(self, message: str, quote_id: str, status: str) -> None:
        super().__init__(message)
        self.quote_id = quote_id
        self.status = status


QUOTE_ID_PREFIX = "q"
QUOTE_ID_DIGITS = 4


def next_quote_id(conn: sqlite3.Connection) -> str:
    """The next free quote id: `q` and one more than the largest number among the `q<digits>` ids,
    zero-padded like that id (4 digits at least): `q0185` after `q0184`, `q0001` in an empty base.

    Call it inside the transaction that inserts the quote, so that no other writer takes the same id.
    """
    # Numbers compared as digit strings without leading zeros (longer is larger), so any size works.
    row = conn.execute(
        "SELECT quote_id FROM quotes WHERE quote_id GLOB 'q[0-9]*' AND substr(quote_id, 2) NOT GLOB '*[^0-9]*' "
        "ORDER BY length(ltrim(substr(quote_id, 2), '0')) DESC, ltrim(substr(quote_id, 2), '0') DESC, quote_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return f"{QUOTE_ID_PREFIX}{1:0{QUOTE_ID_DIGITS}d}"
    digits = row[0][len(QUOTE_ID_PREFIX) :]
    return f"{QUOTE_ID_PREFIX}{int(digits) + 1:0{max(QUOTE_ID_DIGITS, len(digits))}d}"


def propose_quote(
    conn: sqlite3.Connection,
    text: str,
    speaker_id: str,
    intervention_id: str | None,
    themes: Sequence[str],
    source: str = STUDENT_PROPOSAL,
) -> str:
    """Store a quote as `proposée` under the next free id (one transaction); return the id.

    Raises DuplicateQuoteError when the speaker already has a quote with this exact text, whatever
    its status, and sqlite3.IntegrityError for an unknown speaker or talk.
    """
    with transaction(conn):
        known = conn.execute(
            "SELECT quote_id, status FROM quotes WHERE speaker_id = ? AND text = ?", (speaker_id, text)
        ).fetchone()
        if known is not None:
            raise DuplicateQuoteError(
                f"Cette citation est déjà enregistrée ({known[0]}, {known[1]}).", known[0], known[1]
            )
        quote_id = next_quote_id(conn)
        conn.execute(
            "INSERT INTO quotes (quote_id, text, speaker_id, intervention_id, source, status) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (quote_id, text, speaker_id, intervention_id, source, PROPOSED),
        )
        _replace_links(conn, "quote_themes", "quote_id", "theme", {quote_id: list(themes)})
    return quote_id


def update_quote(
    conn: sqlite3.Connection,
    quote_id: str,
    *,
    text: str,
    speaker_id: str,
    intervention_id: str | None,
    themes: Sequence[str],
    status: str,
) -> None:
    """Rewrite a quote (text, speaker, talk, themes) and set its status, in one transaction (the
    director's "edit then publish"). Raises QuoteNotFoundError for an unknown id."""
    with transaction(conn):
        cursor = conn.execute(
            "UPDATE quotes SET text = ?, speaker_id = ?, intervention_id = ?, status = ? WHERE quote_id = ?",
            (text, speaker_id, intervention_id, status, quote_id),
        )
        if cursor.rowcount == 0:
            raise QuoteNotFoundError(f"La citation {quote_id} n'existe pas (ou plus).")
        _replace_links(conn, "quote_themes", "quote_id", "theme", {quote_id: list(themes)})


def write_questions(conn: sqlite3.Connection, questions: Iterable[dict[str, Any]]) -> WriteReport:
    """Upsert catalogue questions: dicts with question_id, type, label, options (;-list), position."""
    with transaction(conn):
        report, _, _ = _upsert(
            conn, "questions", "question_id", ["type", "label", "options", "position"], questions
        )
    return report


def default_questions() -> list[dict[str, Any]]:
    """The default instrument as catalogue rows."""
    return [
        {
            "question_id": q.id,
            "type": q.type,
            "label": q.label,
            "options": join_list(q.options),
            "position": i,
        }
        for i, q in enumerate(DEFAULT_INSTRUMENT)
    ]


def write_responses(
    conn: sqlite3.Connection,
    responses: Sequence[dict[str, Any]],
    answers: Sequence[tuple[str, str, float | None, str | None]],
) -> WriteReport:
    """Upsert survey responses and their answers.

    `responses`: dicts with response_id, intervention_id, submitted_at, respondent.
    `answers`: (response_id, question_id, value_num, value_text) for the given responses; a
    response's answers are replaced as a whole when the response changed.
    """
    answers_by_response: dict[str, list[tuple[str, str, float | None, str | None]]] = {}
    for answer in answers:
        answers_by_response.setdefault(answer[0], []).append(answer)
    with transaction(conn):
        ids = [r["response_id"] for r in responses]
        known = _existing_keys(conn, "responses", "response_id", ids)
        report = WriteReport()
        new_rows = [r for r in responses if r["response_id"] not in known]
        conn.executemany(
            "INSERT INTO responses (response_id, intervention_id, submitted_at, respondent) VALUES (?, ?, ?, ?)",
            [(r["response_id"], r["intervention_id"], r["submitted_at"], r["respondent"]) for r in new_rows],
        )
        conn.executemany(
            "INSERT INTO answers (response_id, question_id, value_num, value_text) VALUES (?, ?, ?, ?)",
            (a for r in new_rows for a in answers_by_response.get(r["response_id"], [])),
        )
        report.added = len(new_rows)
        changed = _changed_responses(
            conn, [r for r in responses if r["response_id"] in known], answers_by_response
        )
        report.skipped = len(known) - len(changed)
        report.updated = len(changed)
        conn.executemany(
            "UPDATE responses SET intervention_id = ?, submitted_at = ?, respondent = ? WHERE response_id = ?",
            [(r["intervention_id"], r["submitted_at"], r["respondent"], r["response_id"]) for r in changed],
        )
        conn.executemany("DELETE FROM answers WHERE response_id = ?", [(r["response_id"],) for r in changed])
        conn.executemany(
            "INSERT INTO answers (response_id, question_id, value_num, value_text) VALUES (?, ?, ?, ?)",
            (a for r in changed for a in answers_by_response.get(r["response_id"], [])),
        )
    return report


def _changed_responses(
    conn: sqlite3.Connection,
    responses: Sequence[dict[str, Any]],
    answers_by_response: dict[str, list[tuple[str, str, float | None, str | None]]],
) -> list[dict[str, Any]]:
    """The given (already stored) responses whose fields or answers differ from the stored ones."""
    changed: list[dict[str, Any]] = []
    for start in range(0, len(responses), 500):
        chunk = responses[start : start + 500]
        ids = [r["response_id"] for r in chunk]
        marks = ", ".join("?" for _ in ids)
        stored = {
            row[0]: tuple(row[1:])
            for row in conn.execute(
                f"SELECT response_id, intervention_id, submitted_at, respondent FROM responses "
                f"WHERE response_id IN ({marks})",
                ids,
            )
        }
        stored_answers: dict[str, set[tuple]] = {}
        for row in conn.execute(
            f"SELECT response_id, question_id, value_num, value_text FROM answers WHERE response_id IN ({marks})",
            ids,
        ):
            stored_answers.setdefault(row[0], set()).add(tuple(row))
        for response in chunk:
            key = response["response_id"]
            fields = (response["intervention_id"], response["submitted_at"], response["respondent"])
            if stored[key] != fields or stored_answers.get(key, set()) != set(
                answers_by_response.get(key, [])
            ):
                changed.append(response)
    return changed


def bulk_insert_responses(
    conn: sqlite3.Connection,
    responses: Iterable[tuple[str, str, str, str]],
    answers: Iterable[tuple[str, str, float | None, str | None]],
) -> None:
    """Insert new responses and their answers in one transaction, without the upsert's checks.

    For loading generated data into a fresh database (the benchmark): `responses` are
    (response_id, intervention_id, submitted_at, respondent) and `answers` (response_id,
    question_id, value_num, value_text), best in primary-key order; both may be generators. A
    response id that already exists raises `sqlite3.IntegrityError` and nothing is written.
    """
    with transaction(conn):
        conn.executemany(
            "INSERT INTO responses (response_id, intervention_id, submitted_at, respondent) VALUES (?, ?, ?, ?)",
            responses,
        )
        conn.executemany(
            "INSERT INTO answers (response_id, question_id, value_num, value_text) VALUES (?, ?, ?, ?)",
            answers,
        )


def _existing_keys(conn: sqlite3.Connection, table: str, key: str, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found.update(
            row[0] for row in conn.execute(f"SELECT {key} FROM {table} WHERE {key} IN ({marks})", chunk)
        )
    return found


def existing_ids(conn: sqlite3.Connection, table: str) -> set[str]:
    """Primary keys present in one of the id-keyed tables (for reference checks before a write)."""
    keys = {
        "cohorts": "cohort",
        "speakers": "speaker_id",
        "interventions": "intervention_id",
        "questions": "question_id",
        "responses": "response_id",
        "quotes": "quote_id",
    }
    return {row[0] for row in conn.execute(f"SELECT {keys[table]} FROM {table}")}


# --- loaders ----------------------------------------------------------------------------------


def _frame(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def load_cohorts(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: cohort (str, e.g. "2015-2016"), size (int). Sorted by cohort."""
    return _frame(conn, "SELECT cohort, size FROM cohorts ORDER BY cohort").astype({"size": "int64"})


def load_speakers(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: speaker_id, name, title, organisation, org_type, sector, networks (;-list str),
    years_experience (Int64), education, bio. Sorted by speaker_id."""
    frame = _frame(conn, f"SELECT speaker_id, {', '.join(SPEAKER_COLUMNS)} FROM speakers ORDER BY speaker_id")
    return frame.astype({"years_experience": "Int64"})


def load_career_steps(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: speaker_id, year_from (int), year_to (Int64, NA for the current job), role,
    organisation. Sorted by speaker and start year."""
    frame = _frame(
        conn,
        "SELECT speaker_id, year_from, year_to, role, organisation FROM career_steps "
        "ORDER BY speaker_id, year_from, step_id",
    )
    return frame.astype({"year_from": "int64", "year_to": "Int64"})


def load_interventions(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: intervention_id, date (str ISO), cohort, semester, speaker_ids (list[str]), title,
    format, themes (list[str]), tools (;-list str). Sorted by date then id."""
    frame = _frame(
        conn,
        f"SELECT intervention_id, {', '.join(INTERVENTION_COLUMNS)} FROM interventions "
        "ORDER BY date, intervention_id",
    )
    speakers = _links(conn, "intervention_speakers", "intervention_id", "speaker_id")
    themes = _links(conn, "intervention_themes", "intervention_id", "theme")
    frame["speaker_ids"] = [speakers.get(i, []) for i in frame["intervention_id"]]
    frame["themes"] = [themes.get(i, []) for i in frame["intervention_id"]]
    return frame[
        ["intervention_id", "date", "cohort", "semester", "speaker_ids", "title", "format", "themes", "tools"]
    ]


def load_quotes(conn: sqlite3.Connection, status: str | None = None) -> pd.DataFrame:
    """Columns: quote_id, text, speaker_id, intervention_id (None when unknown), themes
    (list[str]), source, status. Only quotes of `status` when given. Sorted by quote_id."""
    sql = "SELECT quote_id, text, speaker_id, intervention_id, source, status FROM quotes"
    params: tuple[str, ...] = ()
    if status is not None:
        sql += " WHERE status = ?"
        params = (status,)
    frame = _frame(conn, sql + " ORDER BY quote_id", params)
    frame["intervention_id"] = (
        frame["intervention_id"].astype(object).where(frame["intervention_id"].notna(), None)
    )
    themes = _links(conn, "quote_themes", "quote_id", "theme")
    frame["themes"] = [themes.get(q, []) for q in frame["quote_id"]]
    return frame[["quote_id", "text", "speaker_id", "intervention_id", "themes", "source", "status"]]


def load_questions(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: question_id, type, label, options (;-list str), position. In catalogue order."""
    return _frame(conn, "SELECT question_id, type, label, options, position FROM questions ORDER BY position")


def load_responses(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: response_id, intervention_id, submitted_at, respondent. Sorted by response_id."""
    return _frame(
        conn,
        "SELECT response_id, intervention_id, submitted_at, respondent FROM responses ORDER BY response_id",
    )


def load_answers(conn: sqlite3.Connection, question_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Long answers joined to their intervention.

    Columns: response_id, intervention_id, question_id, value_num (float, NaN for text answers),
    value_text (str or None). Only the given questions when `question_ids` is set.
    """
    sql = (
        "SELECT a.response_id, r.intervention_id, a.question_id, a.value_num, a.value_text "
        "FROM answers a JOIN responses r ON r.response_id = a.response_id"
    )
    params: list[str] = []
    if question_ids is not None:
        sql += f" WHERE a.question_id IN ({', '.join('?' for _ in question_ids)})"
        params = list(question_ids)
    frame = _frame(conn, sql, params)
    frame["value_num"] = pd.to_numeric(frame["value_num"], errors="coerce").astype("float64")
    return frame


def load_scores(conn: sqlite3.Connection, question_ids: Sequence[str]) -> pd.DataFrame:
    """Numeric answers wide, pivoted in SQL: one row per response having any of the questions.

    Columns: response_id, intervention_id, then one float column per question id (NaN where
    unanswered); the same frame as `metrics.scores_by_response` over `load_answers`, without
    holding every answer in memory first.
    """
    ids = list(question_ids)
    pivots = ", ".join(f'MAX(CASE WHEN a.question_id = ? THEN a.value_num END) AS "{q}"' for q in ids)
    marks = ", ".join("?" for _ in ids)
    frame = _frame(
        conn,
        f"SELECT a.response_id, r.intervention_id, {pivots} FROM answers a "
        f"JOIN responses r ON r.response_id = a.response_id WHERE a.question_id IN ({marks}) "
        "GROUP BY a.response_id ORDER BY a.response_id",
        [*ids, *ids],
    )
    return frame.astype(dict.fromkeys(ids, "float64"))


def response_counts(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: intervention_id, responses (int): the number of responses of each intervention."""
    return _frame(
        conn,
        "SELECT intervention_id, COUNT(*) AS responses FROM responses GROUP BY intervention_id",
    )


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of the domain tables."""
    tables = [
        "cohorts",
        "speakers",
        "career_steps",
        "interventions",
        "responses",
        "answers",
        "quotes",
        "questions",
    ]
    return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


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


def clear_planning_targets(conn: sqlite3.Connection) -> None:
    """Forget every stored target (the defaults apply again)."""
    with transaction(conn):
        conn.execute("DELETE FROM planning_targets")


# --- sign-in attempts ---------------------------------------------------------------------------

SIGNIN_HISTORY_DAYS = 90


def record_signin_attempt(conn: sqlite3.Connection, attempted_at: float, outcome: str) -> None:
    """Record a sign-in attempt (`success`, `failure`) or a password reset (`reset`) at
    `attempted_at` (Unix seconds); attempts older than SIGNIN_HISTORY_DAYS are dropped."""
    with exclusive(conn):
        conn.execute(
            "INSERT INTO signin_attempts (attempted_at, outcome) VALUES (?, ?)", (attempted_at, outcome)
        )
        conn.execute(
            "DELETE FROM signin_attempts WHERE attempted_at < ?",
            (attempted_at - SIGNIN_HISTORY_DAYS * 86400,),
        )


def signin_attempts_since(conn: sqlite3.Connection, since: float) -> list[tuple[float, str]]:
    """(attempted_at, outcome) of the attempts after `since` (Unix seconds), oldest first."""
    rows = conn.execute(
        "SELECT attempted_at, outcome FROM signin_attempts WHERE attempted_at > ? ORDER BY attempted_at, attempt_id",
        (since,),
    )
    return [(row[0], row[1]) for row in rows]


def load_signin_attempts(conn: sqlite3.Connection, limit: int = 100) -> pd.DataFrame:
    """Columns: attempted_at (float, Unix seconds), outcome (`success`, `failure`, `reset`):
    the latest `limit` attempts, newest first."""
    frame = _frame(
        conn,
        "SELECT attempted_at, outcome FROM signin_attempts ORDER BY attempted_at DESC, attempt_id DESC LIMIT ?",
        (limit,),
    )
    return frame.astype({"attempted_at": "float64", "outcome": "str"})


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


# --- corrections: career steps by id, dependents, deletion ----------------------------------------


def load_career_steps_with_ids(conn: sqlite3.Connection) -> pd.DataFrame:
    """`load_career_steps` plus `step_id` (int, first column): what identifies a step being edited."""
    frame = _frame(
        conn,
        "SELECT step_id, speaker_id, year_from, year_to, role, organisation FROM career_steps "
        "ORDER BY speaker_id, year_from, step_id",
    )
    return frame.astype({"step_id": "int64", "year_from": "int64", "year_to": "Int64"})


def write_career_steps_by_id(conn: sqlite3.Connection, steps: Iterable[dict[str, Any]]) -> WriteReport:
    """Update career steps by `step_id`, or add those whose `step_id` is None; unchanged ones are skipped."""
    report = WriteReport()
    columns = ("speaker_id", "year_from", "year_to", "role", "organisation")
    with transaction(conn):
        for step in steps:
            values = tuple(step[c] for c in columns)
            if step.get("step_id") is None:
                conn.execute(
                    f"INSERT INTO career_steps ({', '.join(columns)}) VALUES (?, ?, ?, ?, ?)", values
                )
                report.added += 1
                continue
            before = conn.execute(
                f"SELECT {', '.join(columns)} FROM career_steps WHERE step_id = ?", (step["step_id"],)
            ).fetchone()
            if before is not None and tuple(before) == values:
                report.skipped += 1
                continue
            conn.execute(
                f"UPDATE career_steps SET {', '.join(f'{c} = ?' for c in columns)} WHERE step_id = ?",
                (*values, step["step_id"]),
            )
            report.updated += 1
    return report


DELETABLE = ("cohorts", "speakers", "career-steps", "interventions", "quotes")
"""The kinds of record a director may delete (keys: cohort, speaker_id, step_id, intervention_id, quote_id)."""


@dataclass(frozen=True)
class Deletion:
    """What deleting some records takes with it.

    Deleted with them: `interventions` (of a deleted cohort, or left without any speaker; empty when
    interventions themselves are deleted), the `responses` of every deleted intervention, the
    `career_steps` and `quotes` of deleted speakers. Kept but changed:
    `quotes_detached` lose their link to a deleted intervention; `interventions_unlinked` lose a
    deleted co-speaker.
    """

    kind: str
    keys: tuple[Any, ...]
    interventions: tuple[str, ...] = ()
    responses: int = 0
    career_steps: int = 0
    quotes: tuple[str, ...] = ()
    quotes_detached: int = 0
    interventions_unlinked: int = 0


def _ids(conn: sqlite3.Connection, sql: str, keys: Sequence[Any]) -> list[Any]:
    found: list[Any] = []
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        found.extend(row[0] for row in conn.execute(sql.format(marks=", ".join("?" for _ in chunk)), chunk))
    return found


def plan_deletion(conn: sqlite3.Connection, kind: str, keys: Sequence[Any]) -> Deletion:
    """What deleting the records of `kind` with these keys would delete or change (nothing is written)."""
    if kind not in DELETABLE:
        raise ValueError(f"suppression impossible pour {kind!r}")
    keys = tuple(dict.fromkeys(keys))
    interventions: set[str] = set()
    quotes: set[str] = set()
    career_steps = 0
    unlinked = 0
    if kind == "cohorts":
        interventions.update(
            _ids(conn, "SELECT intervention_id FROM interventions WHERE cohort IN ({marks})", keys)
        )
    elif kind == "interventions":
        interventions.update(keys)
    elif kind == "speakers":
        linked = _ids(
            conn,
            "SELECT DISTINCT intervention_id FROM intervention_speakers WHERE speaker_id IN ({marks})",
            keys,
        )
        for intervention_id in linked:
            others = conn.execute(
                "SELECT speaker_id FROM intervention_speakers WHERE intervention_id = ?", (intervention_id,)
            ).fetchall()
            if all(row[0] in keys for row in others):
                interventions.add(intervention_id)
            else:
                unlinked += 1
        quotes.update(_ids(conn, "SELECT quote_id FROM quotes WHERE speaker_id IN ({marks})", keys))
        career_steps = len(_ids(conn, "SELECT step_id FROM career_steps WHERE speaker_id IN ({marks})", keys))
    ordered = tuple(sorted(interventions))
    responses = len(
        _ids(conn, "SELECT response_id FROM responses WHERE intervention_id IN ({marks})", ordered)
    )
    attached = set(_ids(conn, "SELECT quote_id FROM quotes WHERE intervention_id IN ({marks})", ordered))
    return Deletion(
        kind,
        keys,
        interventions=ordered if kind != "interventions" else (),
        responses=responses,
        career_steps=career_steps,
        quotes=tuple(sorted(quotes)),
        quotes_detached=len(attached - quotes),
        interventions_unlinked=unlinked,
    )


def delete_records(conn: sqlite3.Connection, kind: str, keys: Sequence[Any]) -> Deletion:
    """Delete the records of `kind` with these keys and what depends on them (see `Deletion`), in one
    transaction; return what was deleted or changed."""
    with transaction(conn):
        plan = plan_deletion(conn, kind, keys)
        interventions = plan.interventions if kind != "interventions" else plan.keys
        conn.executemany("DELETE FROM quotes WHERE quote_id = ?", [(q,) for q in plan.quotes])
        conn.executemany(
            "UPDATE quotes SET intervention_id = NULL WHERE intervention_id = ?",
            [(i,) for i in interventions],
        )
        conn.executemany("DELETE FROM responses WHERE intervention_id = ?", [(i,) for i in interventions])
        conn.executemany("DELETE FROM interventions WHERE intervention_id = ?", [(i,) for i in interventions])
        single = {
            "cohorts": ("cohorts", "cohort"),
            "career-steps": ("career_steps", "step_id"),
            "quotes": ("quotes", "quote_id"),
        }
        if kind == "speakers":
            conn.executemany("DELETE FROM career_steps WHERE speaker_id = ?", [(k,) for k in plan.keys])
            conn.executemany(
                "DELETE FROM intervention_speakers WHERE speaker_id = ?", [(k,) for k in plan.keys]
            )
            conn.executemany("DELETE FROM speakers WHERE speaker_id = ?", [(k,) for k in plan.keys])
        elif kind in single:
            table, key = single[kind]
            conn.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(k,) for k in plan.keys])
    return plan


def answer_counts(conn: sqlite3.Connection, question_ids: Sequence[str]) -> pd.DataFrame:
    """How many times each answer was given to each intervention, for the given questions.

    Columns: intervention_id, question_id, value_num (float, NaN for text answers), value_text
    (str or None), answers (int). Missing answers (no value) are not counted. Meant for closed
    questions (Likert, NPS, choice), whose distinct answers are few.
    """
    columns = ["intervention_id", "question_id", "value_num", "value_text", "answers"]
    rows: list[tuple[Any, ...]] = []
    if question_ids:
        marks = ", ".join("?" for _ in question_ids)
        # One query per intervention: SQLite groups by sorting, and a million-response table
        # sorts about twice as fast in small pieces as in one.
        sql = (
            "SELECT a.question_id, a.value_num, a.value_text, COUNT(*) "
            "FROM responses r CROSS JOIN answers a ON a.response_id = r.response_id "
            f"WHERE r.intervention_id = ? AND a.question_id IN ({marks}) "
            "AND (a.value_num IS NOT NULL OR a.value_text IS NOT NULL) "
            "GROUP BY a.question_id, a.value_num, a.value_text"
        )
        cursor = conn.cursor()
        cursor.row_factory = None
        talks = [row[0] for row in cursor.execute("SELECT DISTINCT intervention_id FROM responses")]
        for talk in talks:
            rows.extend((talk, *row) for row in cursor.execute(sql, (talk, *question_ids)))
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["value_num"] = pd.to_numeric(frame["value_num"], errors="coerce").astype("float64")
    frame["value_text"] = frame["value_text"].astype("object")
    return frame.astype({"answers": "int64"})


def iter_text_answers(
    conn: sqlite3.Connection, question_ids: Sequence[str], batch_size: int = 100_000
) -> Iterator[list[tuple[str, str, str]]]:
    """The non-empty text answers to the given questions, in batches of
    (intervention_id, question_id, value_text) tuples: question by question in the given order,
    each by response id.

    Batches keep memory flat on large databases: the caller aggregates as they come.
    """
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: a million Row objects cost seconds
    for question_id in question_ids:
        cursor.execute(
            "SELECT r.intervention_id, a.question_id, a.value_text "
            "FROM answers a JOIN responses r ON r.response_id = a.response_id "
            "WHERE a.question_id = ? AND a.value_text IS NOT NULL AND trim(a.value_text) != '' "
            "ORDER BY a.response_id",
            (question_id,),
        )
        while batch := cursor.fetchmany(batch_size):
            yield batch
