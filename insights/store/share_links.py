"""Private links to a speaker's sheet: a random token handed to the speaker once, of which only
the SHA-256 hash is stored, with an expiry and a revocation; each opening is logged for the
director, and failed look-ups are counted so that guessing tokens is throttled.

A speaker has at most one live link: creating one revokes the previous ones. Creation and
revocation are recorded in the audit journal like every other write.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

from insights.store.audit import record_write
from insights.store.transactions import exclusive

DEFAULT_LINK_DAYS = 60
MAX_LINK_DAYS = 365
TOKEN_BYTES = 32
"""Random bytes in a token (`secrets.token_urlsafe`): 43 URL-safe characters."""


@dataclass(frozen=True)
class GuessLimits:
    """Failed look-ups allowed within `window` seconds: from one client, and from everyone (a
    guesser changing address still meets the second)."""

    per_client: int = 10
    overall: int = 100
    window: float = 15 * 60


GUESS_LIMITS = GuessLimits()

OK, EXPIRED, REVOKED, UNKNOWN, THROTTLED = "ok", "expired", "revoked", "unknown", "throttled"


@dataclass(frozen=True)
class LinkCheck:
    """What a token opens: `status` one of OK, EXPIRED, REVOKED, UNKNOWN, THROTTLED; the
    speaker's id for a link that exists."""

    status: str
    speaker_id: str | None = None


@dataclass(frozen=True)
class ShareLink:
    """A speaker's live link (the token itself is never stored)."""

    link_id: int
    speaker_id: str
    created_at: datetime
    expires_at: datetime
    openings: int


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256, hexadecimal."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def create_share_link(
    conn: sqlite3.Connection, speaker_id: str, days: int = DEFAULT_LINK_DAYS, now: datetime | None = None
) -> str:
    """Create a link to the speaker's sheet valid `days` days (1 to MAX_LINK_DAYS), revoking
    their previous links; return the token (shown once: only its hash is kept). ValueError for
    an unknown speaker or a duration out of range."""
    if not 1 <= days <= MAX_LINK_DAYS:
        raise ValueError(f"La durée du lien doit aller de 1 à {MAX_LINK_DAYS} jours.")
    now = now or datetime.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with exclusive(conn):
        if conn.execute("SELECT 1 FROM speakers WHERE speaker_id = ?", (speaker_id,)).fetchone() is None:
            raise ValueError(f"Intervenant·e inconnu·e : {speaker_id}.")
        conn.execute(
            "UPDATE share_links SET revoked_at = ? WHERE speaker_id = ? AND revoked_at IS NULL",
            (_stamp(now), speaker_id),
        )
        conn.execute(
            "INSERT INTO share_links (speaker_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (speaker_id, hash_token(token), _stamp(now), _stamp(now + timedelta(days=days))),
        )
        record_write(
            conn, "share", f"Lien privé créé pour {speaker_id} ({days} jours)", ids=[speaker_id], at=now
        )
    return token


def revoke_share_links(conn: sqlite3.Connection, speaker_id: str, now: datetime | None = None) -> int:
    """Revoke the speaker's live links at once; return how many were revoked (0: nothing
    written, nothing journaled)."""
    now = now or datetime.now()
    with exclusive(conn):
        revoked = conn.execute(
            "UPDATE share_links SET revoked_at = ? WHERE speaker_id = ? AND revoked_at IS NULL",
            (_stamp(now), speaker_id),
        ).rowcount
        if revoked:
            record_write(conn, "share", f"Lien privé révoqué pour {speaker_id}", ids=[speaker_id], at=now)
    return revoked


def _too_many_failures(conn: sqlite3.Connection, client: str, now: float, limits: GuessLimits) -> bool:
    since = now - limits.window
    mine = conn.execute(
        "SELECT COUNT(*) FROM share_link_failures WHERE client = ? AND failed_at > ?", (client, since)
    ).fetchone()[0]
    overall = conn.execute(
        "SELECT COUNT(*) FROM share_link_failures WHERE failed_at > ?", (since,)
    ).fetchone()[0]
    return mine >= limits.per_client or overall >= limits.overall


def open_share_link(
    conn: sqlite3.Connection,
    token: str,
    client: str = "",
    now: datetime | None = None,
    limits: GuessLimits = GUESS_LIMITS,
    record: bool = True,
) -> LinkCheck:
    """Look a token up as the speaker's browser opens it: OK (the opening is logged), EXPIRED or
    REVOKED for a link that was, UNKNOWN for a token that never was (counted against the client),
    THROTTLED (nothing looked up) once a client, or everyone, failed too often lately. With
    `record` False (the same page shown again), nothing is logged nor counted."""
    now = now or datetime.now()
    clock = now.timestamp()
    with exclusive(conn):
        if _too_many_failures(conn, client, clock, limits):
            return LinkCheck(THROTTLED)
        row = conn.execute(
            "SELECT link_id, speaker_id, expires_at, revoked_at FROM share_links WHERE token_hash = ?",
            (hash_token(token.strip()),),
        ).fetchone()
        if row is None:
            if not record:
                return LinkCheck(UNKNOWN)
            conn.execute("INSERT INTO share_link_failures (failed_at, client) VALUES (?, ?)", (clock, client))
            conn.execute("DELETE FROM share_link_failures WHERE failed_at < ?", (clock - 86400,))
            return LinkCheck(UNKNOWN)
        link_id, speaker_id, expires_at, revoked_at = row
        if revoked_at is not None:
            return LinkCheck(REVOKED, speaker_id)
        if datetime.fromisoformat(expires_at) <= now:
            return LinkCheck(EXPIRED, speaker_id)
        if record:
            conn.execute(
                "INSERT INTO share_link_openings (link_id, opened_at) VALUES (?, ?)", (link_id, _stamp(now))
            )
    return LinkCheck(OK, speaker_id)


def active_share_link(
    conn: sqlite3.Connection, speaker_id: str, now: datetime | None = None
) -> ShareLink | None:
    """The speaker's live link (neither revoked nor expired), or None."""
    now = now or datetime.now()
    row = conn.execute(
        "SELECT l.link_id, l.created_at, l.expires_at, "
        "(SELECT COUNT(*) FROM share_link_openings o WHERE o.link_id = l.link_id) "
        "FROM share_links l WHERE l.speaker_id = ? AND l.revoked_at IS NULL AND l.expires_at > ? "
        "ORDER BY l.link_id DESC LIMIT 1",
        (speaker_id, _stamp(now)),
    ).fetchone()
    if row is None:
        return None
    link_id, created_at, expires_at, openings = row
    return ShareLink(
        link_id, speaker_id, datetime.fromisoformat(created_at), datetime.fromisoformat(expires_at), openings
    )


OPENING_COLUMNS = ["opened_at", "link_created_at", "expires_at", "revoked_at"]


def load_share_openings(conn: sqlite3.Connection, speaker_id: str, limit: int = 200) -> pd.DataFrame:
    """The openings of the speaker's links, newest first, each with its link's creation, expiry
    and revocation (None while live). Columns: OPENING_COLUMNS."""
    rows = conn.execute(
        "SELECT o.opened_at, l.created_at, l.expires_at, l.revoked_at FROM share_link_openings o "
        "JOIN share_links l ON l.link_id = o.link_id WHERE l.speaker_id = ? "
        "ORDER BY o.opened_at DESC, o.opening_id DESC LIMIT ?",
        (speaker_id, limit),
    ).fetchall()
    return pd.DataFrame([tuple(r) for r in rows], columns=OPENING_COLUMNS)


def share_link_failures_since(conn: sqlite3.Connection, since: float | None = None) -> int:
    """Failed token look-ups since `since` (a Unix time; default the last hour)."""
    since = time.time() - 3600 if since is None else since
    return conn.execute("SELECT COUNT(*) FROM share_link_failures WHERE failed_at > ?", (since,)).fetchone()[
        0
    ]
