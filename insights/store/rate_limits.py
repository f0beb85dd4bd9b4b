"""What students write without signing in (proposals, notebooks) is counted in a log table of
(time, browser session) per kind of write, so each kind can be limited per session over a sliding
window and for everyone over the last hour. Entries older than a day are pruned as new ones come."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

DAY = 86400.0
HOUR = 3600.0


@dataclass(frozen=True)
class WriteLog:
    """A log table and its time column (seconds since the epoch); both are schema names."""

    table: str
    time_column: str


PROPOSAL_LOG = WriteLog("proposal_log", "proposed_at")
NOTEBOOK_LOG = WriteLog("notebook_log", "created_at")


def recent_writes(
    conn: sqlite3.Connection, log: WriteLog, session: str, now: float, session_window: float
) -> tuple[int, int]:
    """(writes of `session` in the last `session_window` seconds, writes of everyone in the last
    hour)."""
    mine = conn.execute(
        f"SELECT COUNT(*) FROM {log.table} WHERE session = ? AND {log.time_column} > ?",
        (session, now - session_window),
    ).fetchone()[0]
    return mine, writes_last_hour(conn, log, now)


def log_write(conn: sqlite3.Connection, log: WriteLog, session: str, now: float) -> None:
    """Count one write of `session` at `now` (inside the caller's transaction)."""
    conn.execute(f"INSERT INTO {log.table} ({log.time_column}, session) VALUES (?, ?)", (now, session))
    conn.execute(f"DELETE FROM {log.table} WHERE {log.time_column} < ?", (now - DAY,))


def writes_last_hour(conn: sqlite3.Connection, log: WriteLog, now: float) -> int:
    """Writes of everyone in the hour before `now`."""
    return conn.execute(
        f"SELECT COUNT(*) FROM {log.table} WHERE {log.time_column} > ?", (now - HOUR,)
    ).fetchone()[0]
