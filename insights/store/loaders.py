"""Loaders: the domain tables as pandas DataFrames, whose columns each function documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import pandas as pd

from insights.store.writes import INTERVENTION_COLUMNS, SPEAKER_COLUMNS, _links

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


def load_quote_theme_counts(conn: sqlite3.Connection) -> pd.DataFrame:
    """Published quotes of known talks counted by talk, theme and the speaker's organisation type.

    Columns: intervention_id, theme, org_type, quotes (int).
    """
    # quote_search holds the published quotes only, without their text: a narrow table to scan.
    frame = _frame(
        conn,
        "SELECT d.intervention_id, t.theme, s.org_type, COUNT(*) AS quotes FROM quote_search d "
        "JOIN quote_themes t ON t.quote_id = d.quote_id JOIN speakers s ON s.speaker_id = d.speaker_id "
        "WHERE d.intervention_id IS NOT NULL GROUP BY d.intervention_id, t.theme, s.org_type",
    )
    if frame.empty:
        frame = pd.DataFrame(columns=["intervention_id", "theme", "org_type", "quotes"])
    return frame.astype({"quotes": "int64"})


def load_latest_quotes(conn: sqlite3.Connection) -> pd.DataFrame:
    """The latest published quote of each speaker from each talk, and from no known talk.

    Columns: speaker_id, intervention_id (None when unknown), date ("" when unknown), quote_id,
    text. A speaker's latest quote among some talks is the row with the latest (date, quote_id).
    """
    # A published quote's docid sorts by talk date, then quote id (see the store's migration 2).
    frame = _frame(
        conn,
        "SELECT d.speaker_id, d.intervention_id, coalesce(i.date, '') AS date, q.quote_id, q.text "
        "FROM (SELECT max(docid) AS docid FROM quote_search GROUP BY speaker_id, intervention_id) latest "
        "JOIN quote_search d ON d.docid = latest.docid JOIN quotes q ON q.quote_id = d.quote_id "
        "LEFT JOIN interventions i ON i.intervention_id = d.intervention_id "
        "ORDER BY d.speaker_id, date, q.quote_id",
    )
    if frame.empty:
        frame = pd.DataFrame(columns=["speaker_id", "intervention_id", "date", "quote_id", "text"])
    frame["intervention_id"] = (
        frame["intervention_id"].astype(object).where(frame["intervention_id"].notna(), None)
    )
    return frame
