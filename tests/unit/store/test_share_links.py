"""Private links to a speaker's sheet (`insights.store.share_links`): only the token's hash is
stored, links expire and can be revoked, openings are logged, and guessing is throttled."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest

from insights import store

NOW = datetime(2026, 12, 2, 10, 0, 0)


def test_a_link_is_stored_as_the_hash_of_a_random_token_with_a_60_day_expiry(demo_conn):
    token = store.create_share_link(demo_conn, "sp01", now=NOW)
    other = store.create_share_link(demo_conn, "sp02", now=NOW)
    assert len(token) >= 40 and token != other
    rows = [tuple(r) for r in demo_conn.execute("SELECT speaker_id, token_hash, expires_at FROM share_links")]
    assert ("sp01", hashlib.sha256(token.encode()).hexdigest(), "2027-01-31T10:00:00") in rows
    dumped = "\n".join(demo_conn.iterdump())
    assert token not in dumped and other not in dumped
    link = store.active_share_link(demo_conn, "sp01", now=NOW)
    assert link is not None and link.expires_at == NOW + timedelta(days=store.DEFAULT_LINK_DAYS)


def test_opening_logs_each_visit_until_the_link_expires(demo_conn):
    token = store.create_share_link(demo_conn, "sp01", days=3, now=NOW)
    assert store.open_share_link(demo_conn, token, now=NOW + timedelta(hours=1)) == store.LinkCheck(
        "ok", "sp01"
    )
    assert store.open_share_link(demo_conn, token, now=NOW + timedelta(days=2)).status == store.LINK_OK
    assert store.open_share_link(demo_conn, token, now=NOW + timedelta(days=2), record=False).status == "ok"
    openings = store.load_share_openings(demo_conn, "sp01")
    assert list(openings["opened_at"]) == ["2026-12-04T10:00:00", "2026-12-02T11:00:00"]
    assert store.active_share_link(demo_conn, "sp01", now=NOW).openings == 2
    assert store.open_share_link(demo_conn, token, now=NOW + timedelta(days=3)).status == store.LINK_EXPIRED
    assert store.active_share_link(demo_conn, "sp01", now=NOW + timedelta(days=3)) is None
    assert len(store.load_share_openings(demo_conn, "sp01")) == 2


def test_revoking_and_replacing_a_link(demo_conn):
    first = store.create_share_link(demo_conn, "sp01", now=NOW)
    second = store.create_share_link(demo_conn, "sp01", now=NOW + timedelta(minutes=1))
    assert (
        store.open_share_link(demo_conn, first, now=NOW + timedelta(minutes=2)).status == store.LINK_REVOKED
    )
    assert store.open_share_link(demo_conn, second, now=NOW + timedelta(minutes=2)).status == store.LINK_OK
    assert store.revoke_share_links(demo_conn, "sp01", now=NOW + timedelta(minutes=3)) == 1
    assert store.revoke_share_links(demo_conn, "sp01") == 0
    assert (
        store.open_share_link(demo_conn, second, now=NOW + timedelta(minutes=4)).status == store.LINK_REVOKED
    )
    assert store.active_share_link(demo_conn, "sp01", now=NOW) is None
    journal = store.load_audit_log(demo_conn, kinds=["share"])
    assert list(journal["summary"]) == [
        "Lien privé révoqué pour sp01",
        "Lien privé créé pour sp01 (60 jours)",
        "Lien privé créé pour sp01 (60 jours)",
    ]
    assert all(ids == ["sp01"] for ids in journal["ids"])


def test_unknown_speakers_and_durations_are_refused(demo_conn):
    with pytest.raises(ValueError, match="inconnu"):
        store.create_share_link(demo_conn, "nobody")
    with pytest.raises(ValueError, match="1 à 365"):
        store.create_share_link(demo_conn, "sp01", days=0)
    assert demo_conn.execute("SELECT COUNT(*) FROM share_links").fetchone()[0] == 0


def test_guessing_tokens_is_throttled_per_client_then_for_everyone(demo_conn):
    limits = store.GuessLimits(per_client=3, overall=5, window=900)
    token = store.create_share_link(demo_conn, "sp01", now=NOW)
    for attempt in range(3):
        check = store.open_share_link(demo_conn, f"guess-{attempt}", "10.0.0.7", NOW, limits)
        assert check.status == store.LINK_UNKNOWN
    # That client is now refused, even with the right token; another client is not.
    assert store.open_share_link(demo_conn, token, "10.0.0.7", NOW, limits).status == store.LINK_THROTTLED
    assert store.open_share_link(demo_conn, token, "10.0.0.8", NOW, limits).status == store.LINK_OK
    # Guesses spread over addresses meet the overall limit.
    for address in ("10.0.0.9", "10.0.0.10"):
        assert store.open_share_link(demo_conn, "guess", address, NOW, limits).status == store.LINK_UNKNOWN
    assert store.open_share_link(demo_conn, token, "10.0.0.11", NOW, limits).status == store.LINK_THROTTLED
    # Once the window has passed, the link opens again.
    later = NOW + timedelta(seconds=901)
    assert store.open_share_link(demo_conn, token, "10.0.0.7", later, limits).status == store.LINK_OK
    assert store.share_link_failures_since(demo_conn, NOW.timestamp() - 1) == 5


def test_a_database_of_the_previous_schema_gains_the_link_tables(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    store.connect(path).close()
    with sqlite3.connect(path) as raw:  # as the previous version left it
        for table in ("share_link_failures", "share_link_openings", "share_links"):
            raw.execute(f"DROP TABLE {table}")
        # The version before the migration creating the link tables (later ones may follow it).
        before = next(
            n for n, sql in enumerate(store.MIGRATIONS) if "CREATE TABLE IF NOT EXISTS share_links" in sql
        )
        raw.execute(f"PRAGMA user_version = {before}")
    conn = store.connect(path)
    try:
        assert store.schema_version(conn) == store.SCHEMA_VERSION
        assert conn.execute("SELECT COUNT(*) FROM share_links").fetchone()[0] == 0
        assert store.active_share_link(conn, "sp01") is None
        assert store.open_share_link(conn, "x").status == store.LINK_UNKNOWN
    finally:
        conn.close()
