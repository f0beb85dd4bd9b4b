"""Transactions: every write runs in one, and a write that changes figures bumps the data version
that caches are keyed by. Writers queue for the database's write lock (the connection's busy
timeout), and SQLite's errors about the file become the store's own (`errors.translate`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from insights.store.errors import translate


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the enclosed writes as one transaction that also bumps the data version.

    Nested use joins the outer transaction.
    """
    with _write_transaction(conn, bump=True):
        yield conn


@contextmanager
def exclusive(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the enclosed reads and writes under the database's write lock, as one transaction
    that leaves the data version alone (for bookkeeping such as sign-in attempts, which changes
    no figure). Nested use joins the outer transaction."""
    with _write_transaction(conn, bump=False):
        yield conn


@contextmanager
def _write_transaction(conn: sqlite3.Connection, bump: bool) -> Iterator[None]:
    if conn.in_transaction:
        yield
        return
    try:
        # Waits for the write lock up to the connection's busy timeout: concurrent writers queue.
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        raise (translate(error) or error) from error
    try:
        yield
        if bump:
            conn.execute(
                "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'data_version'"
            )
        conn.execute("COMMIT")
    except BaseException as error:
        # SQLite rolls back by itself on some errors (a full disk): rolling back again would
        # hide the cause behind "cannot rollback - no transaction is active".
        if conn.in_transaction:
            # The original error says more than a failed rollback; closing rolls back anyway.
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error) and (translated := translate(error)) is not None:
            raise translated from error
        raise
