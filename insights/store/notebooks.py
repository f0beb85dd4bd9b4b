"""Students' notebooks of saved quotes ("Mon carnet"): a random, unguessable code of their own
(students do not sign in), the saved quote ids in order with an optional personal note, and the
creation date. Nothing else identifies a student.

Only published quotes can be saved, and only published quotes are read back: a quote unpublished
later drops out of every notebook, counted as no longer available. Creating notebooks is throttled
per browser session and overall (like students' quote proposals), so that a script cannot fill
the database. Writes are recorded in the audit journal without the code, which is a secret.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime

from insights.domain import PUBLISHED
from insights.store.audit import record_write
from insights.store.errors import StoreError
from insights.store.rate_limits import NOTEBOOK_LOG, log_write, recent_writes
from insights.store.transactions import exclusive

MAX_NOTEBOOK_QUOTES = 500
"""Quotes a notebook holds at most."""
MAX_NOTE_LENGTH = 500
"""Characters of a personal note at most."""
CODE_BYTES = 16
"""Random bytes in a notebook's code (`secrets.token_urlsafe`): 22 URL-safe characters."""
_CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class NotebookError(StoreError):
    """A notebook write refused: unknown notebook or quote, full notebook, note too long."""


class NotebookLimitError(StoreError):
    """Too many notebooks created: from this browser session lately, or from everyone in an hour."""


@dataclass(frozen=True)
class NotebookLimits:
    """At most `per_session` notebooks created from one browser session in `session_window`
    seconds, and `per_hour` from everyone together in an hour: a student needs one, a class a few
    dozen, a script many more."""

    per_session: int = 3
    session_window: float = 60 * 60
    per_hour: int = 120


NOTEBOOK_LIMITS = NotebookLimits()


@dataclass(frozen=True)
class NotebookEntry:
    """A saved quote still published, with the student's note ("" when none)."""

    quote_id: str
    note: str


@dataclass(frozen=True)
class NotebookContents:
    """A notebook's published quotes in the order they were saved, and how many saved quotes are no
    longer available (unpublished or deleted since)."""

    code: str
    created_at: datetime
    entries: list[NotebookEntry]
    unavailable: int

    @property
    def quote_ids(self) -> list[str]:
        return [entry.quote_id for entry in self.entries]


def parse_notebook_code(value: str | None) -> str | None:
    """The code of a `?carnet=` parameter when it looks like one (None otherwise)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if _CODE_PATTERN.fullmatch(value) else None


def create_notebook(
    conn: sqlite3.Connection,
    *,
    session: str,
    now: float | None = None,
    limits: NotebookLimits = NOTEBOOK_LIMITS,
) -> str:
    """Create an empty notebook for a browser session (`session`: the session's random key) and
    return its code. NotebookLimitError, writing nothing, beyond `limits`."""
    now = time.time() if now is None else now
    code = secrets.token_urlsafe(CODE_BYTES)
    created = datetime.fromtimestamp(now).isoformat(timespec="seconds")
    with exclusive(conn):
        _check_creation_limits(conn, session, now, limits)
        conn.execute("INSERT INTO notebooks (code, created_at) VALUES (?, ?)", (code, created))
        log_write(conn, NOTEBOOK_LOG, session, now)
        record_write(conn, "notebook", "Carnet créé")
    return code


def _check_creation_limits(
    conn: sqlite3.Connection, session: str, now: float, limits: NotebookLimits
) -> None:
    mine, everyone = recent_writes(conn, NOTEBOOK_LOG, session, now, limits.session_window)
    if mine >= limits.per_session:
        minutes = round(limits.session_window / 60)
        raise NotebookLimitError(
            f"Vous avez déjà créé {mine} carnets en moins de {minutes} minutes : utilisez le lien de votre "
            "carnet, ou réessayez plus tard."
        )
    if everyone >= limits.per_hour:
        raise NotebookLimitError(
            "Beaucoup de carnets ont été créés dans l'heure : réessayez un peu plus tard."
        )


def notebook_exists(conn: sqlite3.Connection, code: str) -> bool:
    return conn.execute("SELECT 1 FROM notebooks WHERE code = ?", (code,)).fetchone() is not None


def _require_notebook(conn: sqlite3.Connection, code: str) -> None:
    if not notebook_exists(conn, code):
        raise NotebookError("Ce carnet n'existe pas. Vérifiez que le lien a été copié en entier.")


def save_quote(conn: sqlite3.Connection, code: str, quote_id: str) -> bool:
    """Save a published quote at the end of the notebook; False when it was already there.
    NotebookError for an unknown notebook, a quote not published, or a full notebook."""
    with exclusive(conn):
        _require_notebook(conn, code)
        if conn.execute(
            "SELECT 1 FROM notebook_quotes WHERE code = ? AND quote_id = ?", (code, quote_id)
        ).fetchone():
            return False
        published = conn.execute(
            "SELECT 1 FROM quotes WHERE quote_id = ? AND status = ?", (quote_id, PUBLISHED)
        ).fetchone()
        if published is None:
            raise NotebookError(f"La citation {quote_id} n'existe pas ou n'est pas publiée.")
        count, last = conn.execute(
            "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM notebook_quotes WHERE code = ?", (code,)
        ).fetchone()
        if count >= MAX_NOTEBOOK_QUOTES:
            raise NotebookError(
                f"Votre carnet est plein ({MAX_NOTEBOOK_QUOTES} citations) : retirez-en une avant d'en "
                "enregistrer une autre."
            )
        conn.execute(
            "INSERT INTO notebook_quotes (code, quote_id, position) VALUES (?, ?, ?)",
            (code, quote_id, last + 1),
        )
        record_write(conn, "notebook", f"Citation {quote_id} enregistrée dans un carnet", ids=[quote_id])
    return True


def remove_quote(conn: sqlite3.Connection, code: str, quote_id: str) -> bool:
    """Remove a quote (and its note) from the notebook; False when it was not there."""
    with exclusive(conn):
        removed = conn.execute(
            "DELETE FROM notebook_quotes WHERE code = ? AND quote_id = ?", (code, quote_id)
        ).rowcount
        if removed:
            record_write(conn, "notebook", f"Citation {quote_id} retirée d'un carnet", ids=[quote_id])
    return bool(removed)


def set_note(conn: sqlite3.Connection, code: str, quote_id: str, note: str) -> None:
    """Set the personal note of a saved quote ("" clears it). NotebookError when the note is longer
    than MAX_NOTE_LENGTH or the quote is not in the notebook."""
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise NotebookError(
            f"Une note fait au plus {MAX_NOTE_LENGTH} caractères (celle-ci en a {len(note)})."
        )
    with exclusive(conn):
        changed = conn.execute(
            "UPDATE notebook_quotes SET note = ? WHERE code = ? AND quote_id = ? AND note != ?",
            (note, code, quote_id, note),
        ).rowcount
        if not changed:
            if (
                conn.execute(
                    "SELECT 1 FROM notebook_quotes WHERE code = ? AND quote_id = ?", (code, quote_id)
                ).fetchone()
                is None
            ):
                raise NotebookError(f"La citation {quote_id} n'est pas dans ce carnet.")
            return
        record_write(
            conn, "notebook", f"Note de la citation {quote_id} modifiée dans un carnet", ids=[quote_id]
        )


def load_notebook(conn: sqlite3.Connection, code: str) -> NotebookContents | None:
    """The notebook's published quotes in saving order and the count of those no longer
    available; None for an unknown code."""
    row = conn.execute("SELECT created_at FROM notebooks WHERE code = ?", (code,)).fetchone()
    if row is None:
        return None
    rows = conn.execute(
        "SELECT n.quote_id, n.note, q.status = ? AS shown FROM notebook_quotes n "
        "LEFT JOIN quotes q ON q.quote_id = n.quote_id WHERE n.code = ? ORDER BY n.position",
        (PUBLISHED, code),
    ).fetchall()
    entries = [NotebookEntry(quote_id, note) for quote_id, note, shown in rows if shown]
    return NotebookContents(
        code=code,
        created_at=datetime.fromisoformat(row[0]),
        entries=entries,
        unavailable=len(rows) - len(entries),
    )


def notebook_quote_ids(conn: sqlite3.Connection, code: str | None) -> set[str]:
    """The ids of the quotes saved in the notebook, whatever their status (empty without a code)."""
    if not code:
        return set()
    return {row[0] for row in conn.execute("SELECT quote_id FROM notebook_quotes WHERE code = ?", (code,))}
