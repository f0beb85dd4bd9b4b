"""The quote wall's SQL: the full-text index of published quotes (created by migration 2 and kept
in step by triggers) queried under the shared filters, and the published quotes the pages list.

`quote_search` gives each published quote a docid that sorts by talk date (most recent last),
and `quotes_fts` holds, per docid, `words` (the folded words, for exact phrases) and `stems` (the
stems of the content words). A MATCH text comes from `insights.quotes.search.compile_query`,
which never passes user syntax through.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

import pandas as pd

from insights.domain import PUBLISHED, THEME_IDS
from insights.filters import Filters
from insights.store.transactions import transaction

_CHUNK = 500  # ids bound per query, well under SQLite's limit on parameters


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def filter_conditions(
    filters: Filters, whole_set: bool = False, themes: bool = True
) -> tuple[str, list[Any]]:
    """Conditions on `quote_search d` (each starting with AND) for the filters, and their
    parameters: each filter keeps the quotes having any of its values (the cohort and semester
    are those of the quote's talk, so a quote with no known talk passes neither).

    The theme condition is per row (cheap when rows are read in docid order and a LIMIT stops
    early), or, with `whole_set`, a set SQLite builds once (cheap for counting); `themes=False`
    leaves it out.
    """
    conditions: list[str] = []
    params: list[Any] = []
    for template, values in (
        ("d.speaker_id IN ({})", filters.speaker_ids),
        ("d.speaker_id IN (SELECT speaker_id FROM speakers WHERE org_type IN ({}))", filters.org_types),
        (
            "d.intervention_id IN (SELECT intervention_id FROM interventions WHERE cohort IN ({}))",
            filters.cohorts,
        ),
        (
            "d.intervention_id IN (SELECT intervention_id FROM interventions WHERE semester IN ({}))",
            filters.semesters,
        ),
        (
            "d.quote_id IN (SELECT quote_id FROM quote_themes WHERE theme IN ({}))"
            if whole_set
            else "EXISTS (SELECT 1 FROM quote_themes t WHERE t.quote_id = d.quote_id AND t.theme IN ({}))",
            filters.themes if themes else (),
        ),
    ):
        if values:
            conditions.append("AND " + template.format(", ".join("?" for _ in values)))
            params.extend(values)
    return " ".join(conditions), params


def _matching_from(
    match: str, filters: Filters, whole_set: bool = False, join_docs: bool = False, themes: bool = True
) -> tuple[str, list[Any]]:
    """`FROM … WHERE …` of the indexed quotes matching `match` and the filters.

    `quote_search d` is joined when filters need it or `join_docs` asks; CROSS JOIN keeps the FTS
    index the driving table, which bm25 needs.
    """
    conditions, params = filter_conditions(filters, whole_set, themes)
    join = "CROSS JOIN quote_search d ON d.docid = quotes_fts.rowid" if conditions or join_docs else ""
    return f"FROM quotes_fts {join} WHERE quotes_fts MATCH ? {conditions}", [match, *params]


def latest_matches(conn: sqlite3.Connection, filters: Filters, limit: int) -> list[int]:
    """The docids of the `limit` most recent published quotes the filters keep."""
    conditions, params = filter_conditions(filters)
    rows = conn.execute(
        f"SELECT d.docid FROM quote_search d WHERE 1 {conditions} ORDER BY d.docid DESC LIMIT ?",
        [*params, limit],
    )
    return [docid for (docid,) in rows]


def top_matches(
    conn: sqlite3.Connection, match: str, filters: Filters, by_relevance: bool, limit: int, window: int
) -> list[tuple[int, float]]:
    """(docid, relevance ≥ 0) of the best `limit` quotes matching `match`, best first.

    By relevance: bm25, ties to the most recent; only the `window` most recent matches are ranked
    (the window's oldest docid is found by walking the index in docid order, far cheaper than
    bm25 on every match). Otherwise: the most recent first, relevance 0.
    """
    source, params = _matching_from(match, filters)
    if not by_relevance:
        rows = conn.execute(
            f"SELECT quotes_fts.rowid {source} ORDER BY quotes_fts.rowid DESC LIMIT ?", [*params, limit]
        )
        return [(docid, 0.0) for (docid,) in rows]
    oldest = conn.execute(
        f"SELECT quotes_fts.rowid {source} ORDER BY quotes_fts.rowid DESC LIMIT 1 OFFSET ?",
        [*params, window - 1],
    ).fetchone()
    bound, bound_params = ("AND quotes_fts.rowid >= ?", [oldest[0]]) if oldest else ("", [])
    rows = conn.execute(
        f"SELECT quotes_fts.rowid, -bm25(quotes_fts) AS relevance {source} {bound} "
        "ORDER BY relevance DESC, quotes_fts.rowid DESC LIMIT ?",
        [*params, *bound_params, limit],
    )
    return [(docid, relevance) for docid, relevance in rows]


def count_matches(conn: sqlite3.Connection, match: str | None, filters: Filters) -> int:
    """How many published quotes match `match` (None: any) and the filters."""
    if match is None:
        conditions, params = filter_conditions(filters, whole_set=True)
        sql = f"SELECT COUNT(*) FROM quote_search d WHERE 1 {conditions}"
    else:
        source, params = _matching_from(match, filters, whole_set=True)
        sql = f"SELECT COUNT(*) {source}"
    return conn.execute(sql, params).fetchone()[0]


def theme_counts(conn: sqlite3.Connection, match: str | None, filters: Filters) -> dict[str, int]:
    """For each theme id (all of them, 0 included), how many quotes matching `match` (None: any)
    and the filters other than the themes have it: what choosing that theme would show."""
    if match is None:
        conditions, params = filter_conditions(filters, themes=False)
        results = f"SELECT d.quote_id FROM quote_search d WHERE 1 {conditions}"
    else:
        source, params = _matching_from(match, filters, join_docs=True, themes=False)
        results = f"SELECT d.quote_id {source}"
    counts = dict.fromkeys(THEME_IDS, 0)
    sql = f"SELECT theme, COUNT(*) FROM quote_themes WHERE quote_id IN ({results}) GROUP BY theme"
    for theme, count in conn.execute(sql, params):
        counts[theme] = count
    return counts


def nth_match(conn: sqlite3.Connection, filters: Filters, offset: int) -> int | None:
    """The docid of the published quote at `offset` in docid order among those the filters keep."""
    conditions, params = filter_conditions(filters, whole_set=True)
    row = conn.execute(
        f"SELECT d.docid FROM quote_search d WHERE 1 {conditions} ORDER BY d.docid LIMIT 1 OFFSET ?",
        [*params, offset],
    ).fetchone()
    return row[0] if row else None


def docid_of(conn: sqlite3.Connection, quote_id: str) -> int | None:
    """The index docid of a published quote; None when no published quote has this id."""
    row = conn.execute("SELECT docid FROM quote_search WHERE quote_id = ?", (quote_id,)).fetchone()
    return row[0] if row else None


def quote_records(conn: sqlite3.Connection, docids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The published quotes of these docids as the wall shows them, by docid: quote_id, text,
    speaker_id, name, title, organisation, org_type, intervention_id, intervention_title, date,
    cohort, themes (tuple of theme ids)."""
    records: dict[int, dict[str, Any]] = {}
    for start in range(0, len(docids), _CHUNK):
        condition, params = _in("d.docid", docids[start : start + _CHUNK])
        rows = conn.execute(
            "SELECT d.docid, q.quote_id, q.text, q.speaker_id, s.name, s.title, s.organisation, s.org_type, "
            "q.intervention_id, i.title AS intervention_title, i.date, i.cohort "
            "FROM quote_search d JOIN quotes q ON q.quote_id = d.quote_id "
            "JOIN speakers s ON s.speaker_id = q.speaker_id "
            "LEFT JOIN interventions i ON i.intervention_id = q.intervention_id "
            f"WHERE {condition} AND q.status = ?",
            [*params, PUBLISHED],
        ).fetchall()
        records.update((row["docid"], {**dict(row), "themes": ()}) for row in rows)
    _add_themes(conn, list(records.values()))
    return records


def _add_themes(conn: sqlite3.Connection, records: list[dict[str, Any]]) -> None:
    """Set each record's `themes` (tuple of theme ids in their order) from `quote_themes`."""
    themes: dict[str, list[str]] = {}
    ids = [record["quote_id"] for record in records]
    for start in range(0, len(ids), _CHUNK):
        condition, params = _in("quote_id", ids[start : start + _CHUNK])
        for quote_id, theme in conn.execute(
            f"SELECT quote_id, theme FROM quote_themes WHERE {condition} ORDER BY quote_id, position", params
        ):
            themes.setdefault(quote_id, []).append(theme)
    for record in records:
        record["themes"] = tuple(themes.get(record["quote_id"], ()))


QUOTE_LIST_COLUMNS = [
    "quote_id",
    "text",
    "speaker_id",
    "name",
    "title",
    "organisation",
    "intervention_id",
    "intervention_title",
    "date",
    "cohort",
    "themes",
]


def _quote_list(
    conn: sqlite3.Connection, where: str, params: Sequence[Any], order: str, limit: int = -1
) -> pd.DataFrame:
    rows = conn.execute(
        "SELECT q.quote_id, q.text, q.speaker_id, s.name, s.title, s.organisation, q.intervention_id, "
        "coalesce(i.title, '') AS intervention_title, coalesce(i.date, '') AS date, "
        "coalesce(i.cohort, '') AS cohort "
        "FROM quote_search d JOIN quotes q ON q.quote_id = d.quote_id "
        "JOIN speakers s ON s.speaker_id = q.speaker_id "
        "LEFT JOIN interventions i ON i.intervention_id = q.intervention_id "
        f"WHERE {where} ORDER BY {order} LIMIT ?",
        [*params, limit],
    ).fetchall()
    records = [dict(row) for row in rows]
    _add_themes(conn, records)
    return pd.DataFrame(records, columns=QUOTE_LIST_COLUMNS)


def latest_published_quotes(conn: sqlite3.Connection, talk_ids: Sequence[str], limit: int) -> pd.DataFrame:
    """The latest published quotes from the given talks (ordered latest first, as the caller
    lists them): talk by talk until `limit` are found. Columns: QUOTE_LIST_COLUMNS."""
    frames: list[pd.DataFrame] = []
    found = 0
    for talk_id in talk_ids:
        if found >= limit:
            break
        frame = _quote_list(conn, "d.intervention_id = ?", [talk_id], "q.quote_id", limit - found)
        found += len(frame)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=QUOTE_LIST_COLUMNS)


def speaker_quotes(conn: sqlite3.Connection, speaker_id: str) -> pd.DataFrame:
    """A speaker's published quotes, latest talk first (quotes from no known talk last).
    Columns: QUOTE_LIST_COLUMNS (intervention_title, date and cohort "" when the talk is unknown)."""
    return _quote_list(conn, "d.speaker_id = ?", [speaker_id], "date DESC, q.quote_id")


def theme_quotes(
    conn: sqlite3.Connection, talk_ids: Sequence[str], theme: str, limit: int = -1
) -> pd.DataFrame:
    """The published quotes tagged with `theme` from the given talks, latest talk first, at most
    `limit` (-1: all). Columns: QUOTE_LIST_COLUMNS."""
    return _quote_list(
        conn,
        "d.intervention_id IN (SELECT value FROM json_each(?)) "
        "AND d.quote_id IN (SELECT quote_id FROM quote_themes WHERE theme = ?)",
        [json.dumps(list(talk_ids)), theme],
        "date DESC, q.quote_id",
        limit,
    )


def rebuild_search_index(conn: sqlite3.Connection) -> int:
    """Re-index every published quote (after a change of the text pipeline); return how many.

    Needs a connection from `store.connect`, which registers the pipeline's SQL functions.
    """
    with transaction(conn):
        conn.execute("DELETE FROM quotes_fts")
        conn.execute("DELETE FROM quote_search")
        # As the store's migration 2 fills them.
        conn.execute(
            "INSERT INTO quote_search (docid, quote_id, speaker_id, intervention_id) "
            "SELECT day_base + row_number() OVER (PARTITION BY day_base ORDER BY quote_id) - 1, "
            "quote_id, speaker_id, intervention_id FROM quote_search_source"
        )
        conn.execute(
            "INSERT INTO quotes_fts (rowid, words, stems) "
            "SELECT s.docid, fr_words(q.text), fr_stems(q.text) "
            "FROM quote_search s JOIN quotes q ON q.quote_id = s.quote_id"
        )
        conn.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('optimize')")
    return conn.execute("SELECT COUNT(*) FROM quote_search").fetchone()[0]


def optimize_search_index(conn: sqlite3.Connection) -> None:
    """Merge the index's segments into one (worth it after a large import: faster queries)."""
    conn.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('optimize')")


def published_quote_count(conn: sqlite3.Connection) -> int:
    """How many quotes are published (indexed)."""
    return conn.execute("SELECT COUNT(*) FROM quote_search").fetchone()[0]


# --- what the semantic search and the spelling correction read ---------------------------------


def filtered_docids(conn: sqlite3.Connection, filters: Filters, themes: bool = True) -> list[int]:
    """The docids of the published quotes the filters keep (`themes=False`: the theme filter aside)."""
    conditions, params = filter_conditions(filters, whole_set=True, themes=themes)
    return [
        docid for (docid,) in conn.execute(f"SELECT d.docid FROM quote_search d WHERE 1 {conditions}", params)
    ]


def matching_among(conn: sqlite3.Connection, match: str, docids: Sequence[int]) -> set[int]:
    """Those of `docids` whose quote matches `match`."""
    found: set[int] = set()
    for start in range(0, len(docids), _CHUNK):
        condition, params = _in("rowid", list(docids[start : start + _CHUNK]))
        rows = conn.execute(
            f"SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ? AND {condition}", [match, *params]
        )
        found.update(docid for (docid,) in rows)
    return found


def indexed_columns(conn: sqlite3.Connection, docids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """The index's two columns (words, stems) of these docids, as matched: by docid."""
    columns: dict[int, tuple[str, str]] = {}
    for start in range(0, len(docids), _CHUNK):
        condition, params = _in("rowid", list(docids[start : start + _CHUNK]))
        rows = conn.execute(f"SELECT rowid, words, stems FROM quotes_fts WHERE {condition}", params)
        columns.update((docid, (words, stems)) for docid, words, stems in rows)
    return columns


def docid_themes(conn: sqlite3.Connection, docids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The theme ids of each of these published quotes, by docid."""
    themes: dict[int, list[str]] = {int(d): [] for d in docids}
    for start in range(0, len(docids), _CHUNK):
        condition, params = _in("d.docid", list(docids[start : start + _CHUNK]))
        for docid, theme in conn.execute(
            f"SELECT d.docid, t.theme FROM quote_search d JOIN quote_themes t ON t.quote_id = d.quote_id "
            f"WHERE {condition} ORDER BY d.docid, t.position",
            params,
        ):
            themes[docid].append(theme)
    return {docid: tuple(values) for docid, values in themes.items()}


def index_vocabulary(conn: sqlite3.Connection) -> dict[str, int]:
    """The folded words of the published quotes, each with how many quotes hold it."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.quotes_fts_vocab USING fts5vocab(main, quotes_fts, 'col')"
    )
    return dict(conn.execute("SELECT term, doc FROM temp.quotes_fts_vocab WHERE col = 'words'").fetchall())


def quote_text_with_word(conn: sqlite3.Connection, word: str) -> str | None:
    """The text of a published quote holding the folded word `word` (None: none does)."""
    phrase = word.replace('"', '""')
    row = conn.execute(
        "SELECT q.text FROM quotes_fts CROSS JOIN quote_search d ON d.docid = quotes_fts.rowid "
        "JOIN quotes q ON q.quote_id = d.quote_id WHERE quotes_fts MATCH ? LIMIT 1",
        (f'words : "{phrase}"',),
    ).fetchone()
    return row[0] if row else None
