"""Per-talk aggregates, kept up to date in the same transaction as every write of survey answers.

Every survey figure of the app is a sum of these over the selected talks, so reads stay cheap at
any scale and a server restart recomputes nothing: responses per talk (`talk_responses`), closed
answers counted by value (`answer_counts`), text answers per question (`text_answer_counts`: all,
public, pending), the stems free-text answers mention (`text_term_counts`, with their spellings
in `text_term_spellings`), the theme tags of the answers of THEME_TAGGED_QUESTIONS
(`answer_themes`, counted in `text_theme_counts`) and the full-text index of free-text answers
(`answer_search`, `answers_fts`). Text answers are counted twice: all of them as written (what the
director reads), and the public ones as shown (their edited text, if any: what students read).

A write calls `refresh_talks` with the talks whose answers it touched; deleting a talk removes its
aggregates through foreign keys. `check_aggregates` recomputes everything aside and compares.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from insights.domain import CLOSED_TYPES, PENDING, PUBLIC, THEME_TAGGED_QUESTIONS
from insights.language.answers import answer_terms
from insights.language.tagger import suggest_themes
from insights.language.text import stem_text

AGGREGATE_TABLES = (
    "talk_responses",
    "answer_counts",
    "text_answer_counts",
    "text_term_counts",
    "text_term_spellings",
    "answer_themes",
    "text_theme_counts",
    "answer_search",
)
"""The tables this module keeps, each with an `intervention_id` column."""

_CLOSED = ", ".join(f"'{kind}'" for kind in CLOSED_TYPES)


def refresh_talks(conn: sqlite3.Connection, talk_ids: Iterable[str]) -> None:
    """Recompute the aggregates of these talks from their stored answers.

    Call it inside the transaction of the write that changed them; a talk that no longer exists
    just loses its aggregates.
    """
    talks = list(dict.fromkeys(talk_ids))
    # All deleted first: an answer moved from one of these talks to another is keyed by response.
    for talk_id in talks:
        for table in AGGREGATE_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE intervention_id = ?", (talk_id,))
    for talk_id in talks:
        _count_talk(conn, talk_id)


def rebuild_aggregates(conn: sqlite3.Connection) -> None:
    """Recompute the aggregates of every talk (after a migration, or a change of question type)."""
    for table in AGGREGATE_TABLES:
        conn.execute(f"DELETE FROM {table}")
    talks = [
        row[0] for row in conn.execute("SELECT intervention_id FROM interventions ORDER BY intervention_id")
    ]
    refresh_talks(conn, talks)


def _count_talk(conn: sqlite3.Connection, talk_id: str) -> None:
    if conn.execute("SELECT 1 FROM interventions WHERE intervention_id = ?", (talk_id,)).fetchone() is None:
        return
    conn.execute(
        "INSERT INTO talk_responses (intervention_id, responses) "
        "SELECT ?, COUNT(*) FROM responses WHERE intervention_id = ? HAVING COUNT(*) > 0",
        (talk_id, talk_id),
    )
    conn.execute(
        "INSERT INTO answer_counts (intervention_id, question_id, value_num, value_text, answers) "
        "SELECT r.intervention_id, a.question_id, a.value_num, a.value_text, COUNT(*) "
        "FROM responses r CROSS JOIN answers a ON a.response_id = r.response_id "
        "JOIN questions q ON q.question_id = a.question_id "
        f"WHERE r.intervention_id = ? AND q.type IN ({_CLOSED}) "
        "AND (a.value_num IS NOT NULL OR a.value_text IS NOT NULL) "
        "GROUP BY a.question_id, a.value_num, a.value_text",
        (talk_id,),
    )
    _refresh_texts(conn, talk_id)


def _refresh_texts(conn: sqlite3.Connection, talk_id: str) -> None:
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: thousands of Row objects cost time
    # A review holds while the answer is the text it was made on.
    rows = cursor.execute(
        "SELECT a.question_id, a.response_id, a.value_text, "
        "CASE WHEN v.original = a.value_text THEN v.status ELSE 'pending' END, "
        "CASE WHEN v.original = a.value_text THEN v.edited END "
        "FROM responses r CROSS JOIN answers a ON a.response_id = r.response_id "
        "JOIN questions q ON q.question_id = a.question_id "
        "LEFT JOIN answer_reviews v ON v.response_id = a.response_id AND v.question_id = a.question_id "
        "WHERE r.intervention_id = ? AND q.type = 'text' AND a.value_text IS NOT NULL "
        "AND trim(a.value_text) != '' ORDER BY a.question_id, a.response_id",
        (talk_id,),
    ).fetchall()
    if not rows:
        return
    answered: Counter[str] = Counter()
    public_answered: Counter[str] = Counter()
    pending: Counter[str] = Counter()
    mentions: Counter[tuple[str, str]] = Counter()
    public_mentions: Counter[tuple[str, str]] = Counter()
    spellings: Counter[tuple[str, str]] = Counter()
    public_spellings: Counter[tuple[str, str]] = Counter()
    themes: Counter[tuple[str, str]] = Counter()
    public_themes: Counter[tuple[str, str]] = Counter()
    tags: list[tuple[str, str, str, str, int, int, int]] = []
    for question_id, response_id, raw, review, edited in rows:
        text = raw.strip()
        shown = (edited if edited is not None else raw).strip()
        public = review == PUBLIC
        answered[question_id] += 1
        public_answered[question_id] += public
        pending[question_id] += review == PENDING
        for counter, mention, words in (
            (spellings, mentions, text),
            *(((public_spellings, public_mentions, shown),) if public else ()),
        ):
            seen: set[str] = set()
            for term, spelling in answer_terms(words):
                counter[term, spelling] += 1
                seen.add(term)
            for term in seen:
                mention[question_id, term] += 1
        if question_id in THEME_TAGGED_QUESTIONS:
            for position, theme in enumerate(suggest_themes(text)):
                tags.append((talk_id, response_id, question_id, theme, position, int(public), len(text)))
                themes[question_id, theme] += 1
                public_themes[question_id, theme] += public
    conn.executemany(
        "INSERT INTO text_answer_counts (intervention_id, question_id, answers, public_answers, pending) "
        "VALUES (?, ?, ?, ?, ?)",
        [(talk_id, q, count, public_answered[q], pending[q]) for q, count in answered.items()],
    )
    conn.executemany(
        "INSERT INTO text_term_counts (intervention_id, question_id, term, answers, public_answers) "
        "VALUES (?, ?, ?, ?, ?)",
        [(talk_id, q, term, count, public_mentions[q, term]) for (q, term), count in mentions.items()]
        + [
            (talk_id, q, term, 0, count)
            for (q, term), count in public_mentions.items()
            if (q, term) not in mentions
        ],
    )
    conn.executemany(
        "INSERT INTO text_term_spellings (intervention_id, term, spelling, uses, public_uses) VALUES (?, ?, ?, ?, ?)",
        [
            (talk_id, term, spelling, count, public_spellings[term, spelling])
            for (term, spelling), count in spellings.items()
        ]
        + [
            (talk_id, term, spelling, 0, count)
            for (term, spelling), count in public_spellings.items()
            if (term, spelling) not in spellings
        ],
    )
    conn.executemany(
        "INSERT INTO answer_themes (intervention_id, response_id, question_id, theme, position, public, text_length) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        tags,
    )
    conn.executemany(
        "INSERT INTO text_theme_counts (intervention_id, question_id, theme, answers, public_answers) "
        "VALUES (?, ?, ?, ?, ?)",
        [(talk_id, q, theme, count, public_themes[q, theme]) for (q, theme), count in themes.items()],
    )
    first = conn.execute("SELECT coalesce(max(docid), 0) + 1 FROM answer_search").fetchone()[0]
    conn.executemany(
        "INSERT INTO answer_search (docid, intervention_id, question_id, response_id, review) VALUES (?, ?, ?, ?, ?)",
        [
            (first + i, talk_id, q, response_id, review)
            for i, (q, response_id, _, review, _) in enumerate(rows)
        ],
    )
    conn.executemany(
        "INSERT INTO answers_fts (rowid, stems, shown_stems) VALUES (?, ?, ?)",
        [
            (
                first + i,
                stem_text(raw),
                stem_text(edited if edited is not None else raw) if review == PUBLIC else "",
            )
            for i, (_, _, raw, review, edited) in enumerate(rows)
        ],
    )


def check_aggregates(conn: sqlite3.Connection) -> list[str]:
    """The tables whose stored aggregates differ from a recomputation from the answers (empty
    when all agree). Nothing is written: the recomputation is rolled back."""
    snapshot = {table: _rows(conn, table) for table in AGGREGATE_TABLES}
    fts = _fts_rows(conn)
    conn.execute("SAVEPOINT check_aggregates")
    try:
        rebuild_aggregates(conn)
        differ = [table for table in AGGREGATE_TABLES if _rows(conn, table) != snapshot[table]]
        if _fts_rows(conn) != fts:
            differ.append("answers_fts")
    finally:
        conn.execute("ROLLBACK TO check_aggregates")
        conn.execute("RELEASE check_aggregates")
    return differ


def _rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    """A table's rows without its own ids, sorted: what a recomputation must reproduce."""
    columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})") if row[1] != "docid"]
    return sorted(tuple(row) for row in conn.execute(f"SELECT {', '.join(columns)} FROM {table}"))


def _fts_rows(conn: sqlite3.Connection) -> list[tuple]:
    return sorted(
        tuple(row)
        for row in conn.execute(
            "SELECT s.intervention_id, s.question_id, s.response_id, s.review, f.stems, f.shown_stems "
            "FROM answer_search s JOIN answers_fts f ON f.rowid = s.docid"
        )
    )


# --- reads --------------------------------------------------------------------------------------


def _frame(conn: sqlite3.Connection, sql: str, columns: list[str]) -> pd.DataFrame:
    cursor = conn.cursor()
    cursor.row_factory = None
    return pd.DataFrame.from_records(cursor.execute(sql).fetchall(), columns=columns)


def load_answer_counts(conn: sqlite3.Connection) -> pd.DataFrame:
    """Closed answers counted per talk. Columns: intervention_id, question_id, value_num (float,
    NaN for choice answers), value_text (str or None), answers (int)."""
    frame = _frame(
        conn,
        "SELECT intervention_id, question_id, value_num, value_text, answers FROM answer_counts",
        ["intervention_id", "question_id", "value_num", "value_text", "answers"],
    )
    frame["value_num"] = pd.to_numeric(frame["value_num"], errors="coerce").astype("float64")
    frame["value_text"] = frame["value_text"].astype("object")
    return frame.astype({"answers": "int64"})


def load_text_answer_counts(conn: sqlite3.Connection) -> pd.DataFrame:
    """Non-empty text answers per talk and question. Columns: intervention_id, question_id,
    answers, public_answers, pending (int): all of them, those reviewed public, those not
    reviewed yet."""
    frame = _frame(
        conn,
        "SELECT intervention_id, question_id, answers, public_answers, pending FROM text_answer_counts",
        ["intervention_id", "question_id", "answers", "public_answers", "pending"],
    )
    return frame.astype({"answers": "int64", "public_answers": "int64", "pending": "int64"})


def load_talk_responses(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: intervention_id, responses (int): the responses of each talk that has any."""
    frame = _frame(
        conn, "SELECT intervention_id, responses FROM talk_responses", ["intervention_id", "responses"]
    )
    return frame.astype({"responses": "int64"})


def load_term_counts(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: intervention_id, question_id, term (a stem), answers, public_answers (int): the
    answers of each talk to each text question that mention the term, as written; and the public
    answers that mention it as shown."""
    frame = _frame(
        conn,
        "SELECT intervention_id, question_id, term, answers, public_answers FROM text_term_counts",
        ["intervention_id", "question_id", "term", "answers", "public_answers"],
    )
    return frame.astype({"answers": "int64", "public_answers": "int64"})


def load_term_spellings(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: term, spelling (as written, in lower case), uses, public_uses (int): every talk's
    answers together (public ones as shown)."""
    frame = _frame(
        conn,
        "SELECT term, spelling, SUM(uses), SUM(public_uses) FROM text_term_spellings GROUP BY term, spelling",
        ["term", "spelling", "uses", "public_uses"],
    )
    return frame.astype({"uses": "int64", "public_uses": "int64"})


def load_theme_counts(conn: sqlite3.Connection) -> pd.DataFrame:
    """Columns: intervention_id, question_id, theme, answers, public_answers (int): the answers of
    each talk the theme tagger tagged with each theme, and the public ones among them."""
    frame = _frame(
        conn,
        "SELECT intervention_id, question_id, theme, answers, public_answers FROM text_theme_counts",
        ["intervention_id", "question_id", "theme", "answers", "public_answers"],
    )
    return frame.astype({"answers": "int64", "public_answers": "int64"})
