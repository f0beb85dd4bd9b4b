"""Loaders: the domain tables as pandas DataFrames, whose columns each function documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
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
