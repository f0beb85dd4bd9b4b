"""The review of free-text answers: each answer marked public, private or removed (its text
possibly edited to remove a name, the original kept), against the text it had then. A review
changes what the aggregates count for students, so the talk's aggregates follow at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from insights.domain import PENDING, REVIEW_STATUSES
from insights.store.aggregates import refresh_talks
from insights.store.audit import record_write
from insights.store.errors import StoreError
from insights.store.transactions import transaction
from insights.store.writes import WriteReport

_CHUNK = 500


class AnswerNotFoundError(StoreError):
    """No free-text answer has this response and question (deleted, changed, or never stored)."""


def _answer(conn: sqlite3.Connection, response_id: str, question_id: str) -> tuple[str, str]:
    """(talk, text) of a non-empty free-text answer."""
    row = conn.execute(
        "SELECT r.intervention_id, a.value_text FROM answers a JOIN responses r ON r.response_id = a.response_id "
        "JOIN questions q ON q.question_id = a.question_id "
        "WHERE a.response_id = ? AND a.question_id = ? AND q.type = 'text' AND trim(coalesce(a.value_text, '')) != ''",
        (response_id, question_id),
    ).fetchone()
    if row is None:
        raise AnswerNotFoundError(f"La réponse {response_id} à « {question_id} » n'existe pas (ou plus).")
    return row[0], row[1]


def review_answer(
    conn: sqlite3.Connection,
    response_id: str,
    question_id: str,
    status: str,
    edited: str | None = None,
    at: str | None = None,
) -> None:
    """Mark a free-text answer public, private or removed; `edited` replaces its text wherever
    anyone but the director reads it (None or the same text: as written). One transaction."""
    if status not in REVIEW_STATUSES:
        raise ValueError(f"décision inconnue : {status!r}")
    with transaction(conn):
        talk, text = _answer(conn, response_id, question_id)
        shown = _shown(edited, text)
        conn.execute(
            "INSERT INTO answer_reviews (response_id, question_id, status, original, edited, reviewed_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (response_id, question_id) DO UPDATE SET "
            "status = excluded.status, original = excluded.original, edited = excluded.edited, "
            "reviewed_at = excluded.reviewed_at",
            (
                response_id,
                question_id,
                status,
                text,
                shown,
                at or _now(),
            ),
        )
        refresh_talks(conn, [talk])
        record_write(
            conn,
            "review",
            f"Réponse {response_id} / {question_id} : {status}" + (" (texte modifié)" if shown else ""),
            ids=[talk],
        )


def _shown(edited: str | None, text: str) -> str | None:
    """The edited text to keep: None when there is none, or when it is the answer as written."""
    return None if edited is None or edited.strip() in ("", text.strip()) else edited.strip()


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _current_reviews(
    conn: sqlite3.Connection, response_ids: Sequence[str]
) -> dict[tuple[str, str], tuple[str, str, str | None, str | None, str | None]]:
    """The non-empty free-text answers of these responses, by (response_id, question_id): their
    talk, their text, and the status, original and edited text of their review (None when none)."""
    found: dict[tuple[str, str], tuple[str, str, str | None, str | None, str | None]] = {}
    cursor = conn.cursor()
    cursor.row_factory = None
    for start in range(0, len(response_ids), _CHUNK):
        chunk = list(response_ids[start : start + _CHUNK])
        rows = cursor.execute(
            "SELECT a.response_id, a.question_id, r.intervention_id, a.value_text, v.status, v.original, v.edited "
            "FROM responses r JOIN answers a ON a.response_id = r.response_id "
            "JOIN questions q ON q.question_id = a.question_id "
            "LEFT JOIN answer_reviews v ON v.response_id = a.response_id AND v.question_id = a.question_id "
            f"WHERE r.response_id IN ({', '.join('?' for _ in chunk)}) AND q.type = 'text' "
            "AND trim(coalesce(a.value_text, '')) != ''",
            chunk,
        ).fetchall()
        for response_id, question_id, talk, text, status, original, edited in rows:
            found[response_id, question_id] = (talk, text, status, original, edited)
    return found


def free_text_answers(conn: sqlite3.Connection, response_ids: Sequence[str]) -> dict[str, dict[str, str]]:
    """The stored responses among `response_ids`, each with its non-empty free-text answers by
    question (an empty dict for a response without any): what a review may be made on."""
    ids = list(dict.fromkeys(response_ids))
    found: dict[str, dict[str, str]] = {}
    cursor = conn.cursor()
    cursor.row_factory = None
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for (response_id,) in cursor.execute(
            f"SELECT response_id FROM responses WHERE response_id IN ({', '.join('?' for _ in chunk)})", chunk
        ):
            found[response_id] = {}
    for (response_id, question_id), (_, text, *_rest) in _current_reviews(conn, list(found)).items():
        found[response_id][question_id] = text
    return found


def write_reviews(
    conn: sqlite3.Connection, reviews: Iterable[Mapping[str, Any]], at: str | None = None
) -> WriteReport:
    """Record many decisions at once (an import): mappings with response_id, question_id, status
    (one of REVIEW_STATUSES) and edited (None or empty: as written), each made on the answer's
    current text. One transaction, each touched talk's aggregates recomputed once.

    A decision the same as the one that holds is skipped (its time kept); a changed one, or one
    on an answer whose text changed since, is updated. Raises AnswerNotFoundError, writing
    nothing, when an answer is not a non-empty free-text answer.
    """
    rows = list(reviews)
    for row in rows:
        if row["status"] not in REVIEW_STATUSES:
            raise ValueError(f"décision inconnue : {row['status']!r}")
    at = at or _now()
    report = WriteReport()
    with transaction(conn):
        current = _current_reviews(conn, list(dict.fromkeys(row["response_id"] for row in rows)))
        missing = [
            f"{r['response_id']} / {r['question_id']}"
            for r in rows
            if (r["response_id"], r["question_id"]) not in current
        ]
        if missing:
            shown = ", ".join(missing[:5]) + ("…" if len(missing) > 5 else "")
            raise AnswerNotFoundError(
                f"{len(missing)} réponse(s) libre(s) à relire introuvable(s) (ou vide(s)) : {shown}."
            )
        batch: list[tuple[str, str, str, str, str | None, str]] = []
        touched: set[str] = set()
        for row in rows:
            talk, text, status, original, edited = current[row["response_id"], row["question_id"]]
            shown_text = _shown(row.get("edited"), text)
            if original is None:
                report.added += 1
            elif (status, original, edited) == (row["status"], text, shown_text):
                report.skipped += 1
                continue
            else:
                report.updated += 1
            batch.append((row["response_id"], row["question_id"], row["status"], text, shown_text, at))
            touched.add(talk)
        conn.executemany(
            "INSERT INTO answer_reviews (response_id, question_id, status, original, edited, reviewed_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (response_id, question_id) DO UPDATE SET "
            "status = excluded.status, original = excluded.original, edited = excluded.edited, "
            "reviewed_at = excluded.reviewed_at",
            batch,
        )
        refresh_talks(conn, sorted(touched))
        report.keys = sorted(touched)
        if batch:
            record_write(
                conn,
                "review",
                f"{len(batch)} décision(s) de relecture",
                counts={"added": report.added, "updated": report.updated, "skipped": report.skipped},
                ids=report.keys,
            )
    return report


def bulk_insert_reviews(
    conn: sqlite3.Connection, reviews: Iterable[tuple[str, str, str, str, str | None]], at: str | None = None
) -> None:
    """Insert reviews as given, without checks and without recomputing any aggregate: for loading
    generated data into a fresh database (the benchmark), before the answers they are about.

    `reviews` are (response_id, question_id, status, original, edited). A review counts once
    its answer's text is `original` and its talk's aggregates are computed, as
    `bulk_insert_responses` does. An existing review raises `sqlite3.IntegrityError`.
    """
    stamp = at or _now()
    with transaction(conn):
        conn.executemany(
            "INSERT INTO answer_reviews (response_id, question_id, status, original, edited, reviewed_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ((*review, stamp) for review in reviews),
        )


REVIEW_COLUMNS = ["response_id", "question_id", "status", "edited", "original", "reviewed_at"]


def load_reviews(conn: sqlite3.Connection) -> pd.DataFrame:
    """The reviews that hold (made on the answer's current text), by response then question.
    Columns: REVIEW_COLUMNS (`edited` None when the answer is shown as written)."""
    rows = conn.execute(
        "SELECT v.response_id, v.question_id, v.status, v.edited, v.original, v.reviewed_at "
        "FROM answer_reviews v JOIN answers a ON a.response_id = v.response_id AND a.question_id = v.question_id "
        "JOIN questions q ON q.question_id = v.question_id "
        "WHERE q.type = 'text' AND a.value_text = v.original ORDER BY v.response_id, v.question_id"
    ).fetchall()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=REVIEW_COLUMNS)
    frame["edited"] = frame["edited"].astype(object).where(frame["edited"].notna(), None)
    return frame


def reopen_answer(conn: sqlite3.Connection, response_id: str, question_id: str) -> None:
    """Put an answer back in the review queue (its decision forgotten)."""
    with transaction(conn):
        talk, _ = _answer(conn, response_id, question_id)
        conn.execute(
            "DELETE FROM answer_reviews WHERE response_id = ? AND question_id = ?", (response_id, question_id)
        )
        refresh_talks(conn, [talk])
        record_write(
            conn, "review", f"Réponse {response_id} / {question_id} : à relire de nouveau", ids=[talk]
        )


QUEUE_COLUMNS = ["response_id", "question_id", "text", "edited", "review"]


def review_queue(conn: sqlite3.Connection, talk_id: str, pending_only: bool = True) -> pd.DataFrame:
    """A talk's free-text answers for the director's review, question by question, oldest answer
    first: the answer as written (`text`), its edited text (None when not edited) and its review
    (`pending` or one of REVIEW_STATUSES). Only the pending ones with `pending_only`.
    Columns: QUEUE_COLUMNS."""
    rows = conn.execute(
        "SELECT s.response_id, s.question_id, a.value_text, "
        "CASE WHEN v.original = a.value_text THEN v.edited END, s.review "
        "FROM answer_search s JOIN answers a ON a.response_id = s.response_id AND a.question_id = s.question_id "
        "LEFT JOIN answer_reviews v ON v.response_id = s.response_id AND v.question_id = s.question_id "
        "JOIN questions q ON q.question_id = s.question_id "
        f"WHERE s.intervention_id = ? {'AND s.review = ?' if pending_only else ''} "
        "ORDER BY q.position, s.response_id",
        (talk_id, PENDING) if pending_only else (talk_id,),
    ).fetchall()
    return pd.DataFrame([(r[0], r[1], r[2].strip(), r[3], r[4]) for r in rows], columns=QUEUE_COLUMNS)


def review_counts(conn: sqlite3.Connection) -> pd.DataFrame:
    """Free-text answers per talk by review. Columns: intervention_id, answers, pending, public,
    private, removed (int); talks without text answers left out."""
    rows = conn.execute(
        "SELECT intervention_id, COUNT(*), SUM(review = 'pending'), SUM(review = 'public'), "
        "SUM(review = 'private'), SUM(review = 'removed') FROM answer_search GROUP BY intervention_id"
    ).fetchall()
    frame = pd.DataFrame(
        [tuple(row) for row in rows],
        columns=["intervention_id", "answers", "pending", "public", "private", "removed"],
    )
    return frame.astype({c: "int64" for c in frame.columns if c != "intervention_id"})


def pending_reviews(conn: sqlite3.Connection) -> int:
    """How many free-text answers wait for the director's review."""
    return conn.execute("SELECT COUNT(*) FROM answer_search WHERE review = 'pending'").fetchone()[0]
