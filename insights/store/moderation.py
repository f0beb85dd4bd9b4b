"""Quotes proposed by students and their moderation: ids, proposals, status changes and edits."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass

from insights.domain import PROPOSED, STUDENT_PROPOSAL
from insights.store.audit import record_write
from insights.store.errors import StoreError
from insights.store.quote_vectors import refresh_quote_vectors
from insights.store.rate_limits import PROPOSAL_LOG, log_write, recent_writes, writes_last_hour
from insights.store.transactions import transaction
from insights.store.writes import _replace_links


def set_quote_statuses(conn: sqlite3.Connection, quote_ids: Sequence[str], status: str) -> int:
    """Change the moderation status of many quotes at once (the director's bulk refusal), in one
    transaction; return how many changed (unknown ids are ignored)."""
    ids = list(dict.fromkeys(quote_ids))
    with transaction(conn):
        changed = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            changed += conn.execute(
                f"UPDATE quotes SET status = ? WHERE status != ? AND quote_id IN ({marks})",
                (status, status, *chunk),
            ).rowcount
        if changed:
            record_write(conn, "moderation", f"{changed} citation(s) : {status}", ids=ids)
            refresh_quote_vectors(conn)
    return changed


def set_quote_status(conn: sqlite3.Connection, quote_id: str, status: str) -> None:
    """Change a quote's moderation status (raises QuoteNotFoundError for an unknown id)."""
    with transaction(conn):
        cursor = conn.execute("UPDATE quotes SET status = ? WHERE quote_id = ?", (status, quote_id))
        if cursor.rowcount == 0:
            raise QuoteNotFoundError(f"La citation {quote_id} n'existe pas (ou plus).")
        record_write(conn, "moderation", f"Citation {quote_id} : {status}", ids=[quote_id])
        refresh_quote_vectors(conn)


# --- quotes proposed by students, and their moderation ---------------------------------------------


class QuoteNotFoundError(StoreError):
    """No quote has this id (deleted or never stored)."""


class ProposalLimitError(StoreError):
    """Too many proposals: from this browser session lately, or from everyone in the last hour."""


@dataclass(frozen=True)
class ProposalLimits:
    """At most `per_session` proposals from one browser session in `session_window` seconds, and
    `per_hour` from everyone together in an hour: enough for a class after a talk, too few for a
    script to fill the moderation queue."""

    per_session: int = 5
    session_window: float = 10 * 60
    per_hour: int = 60


PROPOSAL_LIMITS = ProposalLimits()


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
    *,
    session: str | None = None,
    now: float | None = None,
    limits: ProposalLimits = PROPOSAL_LIMITS,
) -> str:
    """Store a quote as `proposée` under the next free id (one transaction); return the id.

    With `session` (a student's browser session), the proposal counts against `limits`:
    ProposalLimitError, writing nothing, beyond them. Raises DuplicateQuoteError when the speaker
    already has a quote with this exact text, whatever its status, and sqlite3.IntegrityError for
    an unknown speaker or talk.
    """
    now = time.time() if now is None else now
    with transaction(conn):
        if session is not None:
            _check_proposal_limits(conn, session, now, limits)
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
        if session is not None:
            log_write(conn, PROPOSAL_LOG, session, now)
        record_write(conn, "proposal", f"Citation {quote_id} proposée ({speaker_id})", ids=[quote_id])
    return quote_id


def _check_proposal_limits(
    conn: sqlite3.Connection, session: str, now: float, limits: ProposalLimits
) -> None:
    mine, everyone = recent_writes(conn, PROPOSAL_LOG, session, now, limits.session_window)
    if mine >= limits.per_session:
        minutes = round(limits.session_window / 60)
        raise ProposalLimitError(
            f"Merci pour vos propositions ! Vous en avez envoyé {mine} en moins de {minutes} minutes : "
            "attendez un peu avant d'en proposer d'autres."
        )
    if everyone >= limits.per_hour:
        raise ProposalLimitError(
            "Beaucoup de propositions sont arrivées dans l'heure : le responsable de la formation les relit. "
            "Réessayez un peu plus tard ; votre texte est conservé dans le formulaire."
        )


def proposals_last_hour(conn: sqlite3.Connection, now: float | None = None) -> int:
    """How many quotes students proposed in the last hour."""
    return writes_last_hour(conn, PROPOSAL_LOG, time.time() if now is None else now)


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
        record_write(conn, "moderation", f"Citation {quote_id} modifiée : {status}", ids=[quote_id])
        refresh_quote_vectors(conn)


def quote_status_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many quotes have each moderation status (statuses without quotes absent)."""
    return dict(conn.execute("SELECT status, COUNT(*) FROM quotes GROUP BY status").fetchall())
