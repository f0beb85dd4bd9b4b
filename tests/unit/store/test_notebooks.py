"""Students' notebooks (`insights.store.notebooks`): a random code, saved published quotes with a
note, the limits, unpublished quotes dropping out with a count, and the creation throttle."""

from __future__ import annotations

import pytest

from insights import store
from insights.domain import PROPOSED, PUBLISHED

NOW = 1_800_000_000.0


def _published(conn, n: int) -> list[str]:
    rows = conn.execute(
        "SELECT quote_id FROM quotes WHERE status = ? ORDER BY quote_id LIMIT ?", (PUBLISHED, n)
    )
    return [row[0] for row in rows]


def test_round_trip_keeps_the_order_the_notes_and_nothing_else(demo_conn):
    code = store.create_notebook(demo_conn, session="s1", now=NOW)
    assert len(code) >= 22 and store.parse_notebook_code(code) == code
    first, second, third = _published(demo_conn, 3)
    assert store.save_quote(demo_conn, code, third) is True
    assert store.save_quote(demo_conn, code, first) is True
    assert store.save_quote(demo_conn, code, third) is False  # already there
    store.set_note(demo_conn, code, first, "  À relire avant mon entretien <b>!</b>  ")
    contents = store.load_notebook(demo_conn, code)
    assert contents.quote_ids == [third, first]
    assert contents.entries[1].note == "À relire avant mon entretien <b>!</b>"
    assert contents.unavailable == 0
    assert store.notebook_quote_ids(demo_conn, code) == {third, first}
    assert store.remove_quote(demo_conn, code, third) is True
    assert store.remove_quote(demo_conn, code, third) is False
    assert store.load_notebook(demo_conn, code).quote_ids == [first]
    # Another notebook is separate; an unknown code opens nothing.
    other = store.create_notebook(demo_conn, session="s2", now=NOW)
    assert other != code and store.load_notebook(demo_conn, other).entries == []
    assert store.load_notebook(demo_conn, "x" * 22) is None
    # Only the code, the creation date, the ids, their order and the notes are stored.
    columns = {row[1] for row in demo_conn.execute("PRAGMA table_info(notebook_quotes)")}
    assert columns == {"code", "quote_id", "position", "note"}
    assert {row[1] for row in demo_conn.execute("PRAGMA table_info(notebooks)")} == {"code", "created_at"}
    journal = store.load_audit_log(demo_conn)
    notebook_rows = journal[journal["kind"] == "notebook"]
    assert len(notebook_rows) == 6  # two creations, two saves, one note, one removal
    assert not journal["summary"].str.contains(code, regex=False).any()
    del second


def test_codes_are_checked_before_use():
    assert store.parse_notebook_code(None) is None
    assert store.parse_notebook_code("abc") is None
    assert store.parse_notebook_code("x' OR 1=1 --xxxxxxxxxxxxxxx") is None
    assert store.parse_notebook_code(" Ab0_-Ab0_-Ab0_-Ab0_-Ab ") == "Ab0_-Ab0_-Ab0_-Ab0_-Ab"


def test_only_published_quotes_can_be_saved_into_an_existing_notebook(demo_conn):
    code = store.create_notebook(demo_conn, session="s1", now=NOW)
    proposed = demo_conn.execute(
        "SELECT quote_id FROM quotes WHERE status != ? LIMIT 1", (PUBLISHED,)
    ).fetchone()
    if proposed is not None:
        with pytest.raises(store.NotebookError, match="pas publiée"):
            store.save_quote(demo_conn, code, proposed[0])
    with pytest.raises(store.NotebookError, match="pas publiée"):
        store.save_quote(demo_conn, code, "q9999999")
    with pytest.raises(store.NotebookError, match="n'existe pas"):
        store.save_quote(demo_conn, "y" * 22, _published(demo_conn, 1)[0])


def test_limits_on_quotes_and_notes(demo_conn, monkeypatch):
    code = store.create_notebook(demo_conn, session="s1", now=NOW)
    quotes = _published(demo_conn, 4)
    monkeypatch.setattr("insights.store.notebooks.MAX_NOTEBOOK_QUOTES", 3)
    for quote_id in quotes[:3]:
        store.save_quote(demo_conn, code, quote_id)
    with pytest.raises(store.NotebookError, match="plein"):
        store.save_quote(demo_conn, code, quotes[3])
    assert len(store.load_notebook(demo_conn, code).entries) == 3
    store.set_note(demo_conn, code, quotes[0], "é" * store.MAX_NOTE_LENGTH)
    with pytest.raises(store.NotebookError, match="500 caractères"):
        store.set_note(demo_conn, code, quotes[0], "é" * (store.MAX_NOTE_LENGTH + 1))
    assert store.load_notebook(demo_conn, code).entries[0].note == "é" * 500
    with pytest.raises(store.NotebookError, match="pas dans ce carnet"):
        store.set_note(demo_conn, code, quotes[3], "note")


def test_the_real_limit_is_500_quotes(demo_conn):
    assert store.MAX_NOTEBOOK_QUOTES == 500 and store.MAX_NOTE_LENGTH == 500
    code = store.create_notebook(demo_conn, session="s1", now=NOW)
    # The demo base has fewer published quotes: fill with 499 ids saved earlier (since unpublished).
    demo_conn.executemany(
        "INSERT INTO notebook_quotes (code, quote_id, position) VALUES (?, ?, ?)",
        [(code, f"gone{n}", n) for n in range(1, 500)],
    )
    demo_conn.commit()
    first, second = _published(demo_conn, 2)
    store.save_quote(demo_conn, code, first)  # the 500th
    with pytest.raises(store.NotebookError, match="plein"):
        store.save_quote(demo_conn, code, second)
    contents = store.load_notebook(demo_conn, code)
    assert contents.quote_ids == [first] and contents.unavailable == 499


def test_an_unpublished_quote_disappears_from_every_notebook_with_a_count(demo_conn):
    first, second = _published(demo_conn, 2)
    mine = store.create_notebook(demo_conn, session="s1", now=NOW)
    yours = store.create_notebook(demo_conn, session="s2", now=NOW)
    for code in (mine, yours):
        store.save_quote(demo_conn, code, first)
        store.save_quote(demo_conn, code, second)
    store.set_quote_status(demo_conn, first, PROPOSED)
    for code in (mine, yours):
        contents = store.load_notebook(demo_conn, code)
        assert contents.quote_ids == [second] and contents.unavailable == 1
    store.set_quote_status(demo_conn, first, PUBLISHED)  # published again: back in its place
    assert store.load_notebook(demo_conn, mine).quote_ids == [first, second]


def test_creation_is_throttled_per_session_and_overall(demo_conn):
    limits = store.NotebookLimits(per_session=2, session_window=600, per_hour=3)
    store.create_notebook(demo_conn, session="a", now=NOW, limits=limits)
    store.create_notebook(demo_conn, session="a", now=NOW + 1, limits=limits)
    with pytest.raises(store.NotebookLimitError, match="déjà créé 2 carnets"):
        store.create_notebook(demo_conn, session="a", now=NOW + 2, limits=limits)
    assert demo_conn.execute("SELECT COUNT(*) FROM notebooks").fetchone()[0] == 2
    store.create_notebook(demo_conn, session="a", now=NOW + 601, limits=limits)  # the window passed
    with pytest.raises(store.NotebookLimitError, match="Beaucoup de carnets"):
        store.create_notebook(demo_conn, session="b", now=NOW + 602, limits=limits)
    store.create_notebook(demo_conn, session="b", now=NOW + 3700, limits=limits)
    assert demo_conn.execute("SELECT COUNT(*) FROM notebooks").fetchone()[0] == 4


def test_a_database_of_the_previous_schema_gains_the_notebook_tables(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    store.connect(path).close()
    with sqlite3.connect(path) as raw:  # as the previous version left it
        for table in ("notebook_quotes", "notebooks", "notebook_log"):
            raw.execute(f"DROP TABLE {table}")
        before = next(
            n for n, sql in enumerate(store.MIGRATIONS) if "CREATE TABLE IF NOT EXISTS notebooks" in sql
        )
        raw.execute(f"PRAGMA user_version = {before}")
    conn = store.connect(path)
    try:
        assert store.schema_version(conn) == store.SCHEMA_VERSION
        code = store.create_notebook(conn, session="s", now=NOW)
        assert store.load_notebook(conn, code).entries == []
    finally:
        conn.close()
