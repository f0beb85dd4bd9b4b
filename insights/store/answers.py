"""Free-text answers as the pages read them: a selection's comments, latest first, found through
the full-text index when searched, and the answers the theme tagger tagged with a theme.

Nothing here returns a respondent key: what a page shows from it cannot name a student.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from insights.language.text import fold

_CHUNK = 500  # ids bound per query, well under SQLite's limit on parameters


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


# What a comment reads as: the text as written for the director; for anyone else the public
# answers only, with their edited text where the director removed a name.
_TEXT = {
    False: "a.value_text",
    True: "coalesce(CASE WHEN v.original = a.value_text THEN v.edited END, a.value_text)",
}
_PUBLIC_ONLY = "AND s.review = 'public' "
_JOIN_REVIEW = (
    "LEFT JOIN answer_reviews v ON v.response_id = s.response_id AND v.question_id = s.question_id "
)


def latest_comments(
    conn: sqlite3.Connection,
    talk_ids: Sequence[str],
    question_ids: Sequence[str],
    limit: int,
    public_only: bool = False,
) -> list[tuple[str, str, str, str]]:
    """(intervention_id, question_id, text, review) of the first `limit` comments: talk by talk in
    the given order, question by question in the given order, latest answer first. With
    `public_only`, the public answers only, as shown (edited text where any)."""
    rows: list[tuple[str, str, str, str]] = []
    for talk_id in talk_ids:
        for question_id in question_ids:
            if len(rows) >= limit:
                return rows
            rows.extend(
                (talk_id, question_id, text.strip(), review)
                for text, review in conn.execute(
                    f"SELECT {_TEXT[public_only]}, s.review FROM answer_search s JOIN answers a "
                    f"ON a.response_id = s.response_id AND a.question_id = s.question_id {_JOIN_REVIEW}"
                    "WHERE s.intervention_id = ? AND s.question_id = ? "
                    f"{_PUBLIC_ONLY if public_only else ''}"
                    "ORDER BY s.response_id DESC LIMIT ?",
                    (talk_id, question_id, limit - len(rows)),
                )
            )
    return rows


def search_comments(
    conn: sqlite3.Connection,
    talk_ids: Sequence[str],
    question_ids: Sequence[str],
    stems: Sequence[str],
    limit: int,
    public_only: bool = False,
) -> tuple[list[tuple[str, str, str, str]], int]:
    """The comments of the given talks and questions holding every stem (as `latest_comments`
    orders and reads them), at most `limit`, and how many there are in all. With `public_only`,
    the public answers searched as shown, so that a name the director removed finds nothing."""
    if not talk_ids or not question_ids or not stems:
        return [], 0
    column = "shown_stems" if public_only else "stems"
    match = " AND ".join(f'{column} : "' + stem.replace('"', '""') + '"' for stem in stems)
    talk_rank = {talk_id: rank for rank, talk_id in enumerate(talk_ids)}
    question_rank = {question_id: rank for rank, question_id in enumerate(question_ids)}
    found: list[tuple[int, int, str, int]] = []
    for start in range(0, len(talk_ids), _CHUNK):
        chunk = list(talk_ids[start : start + _CHUNK])
        for docid, talk_id, question_id, response_id in conn.execute(
            "SELECT s.docid, s.intervention_id, s.question_id, s.response_id FROM answers_fts f "
            "JOIN answer_search s ON s.docid = f.rowid "
            f"WHERE answers_fts MATCH ? AND s.intervention_id IN ({_marks(chunk)}) "
            f"AND s.question_id IN ({_marks(question_ids)})",
            [match, *chunk, *question_ids],
        ):
            found.append((talk_rank[talk_id], question_rank[question_id], response_id, docid))
    # Latest answer first within a talk and question: response ids descending.
    found.sort(key=lambda row: row[2], reverse=True)
    found.sort(key=lambda row: (row[0], row[1]))
    return _texts(conn, [row[3] for row in found[:limit]], public_only), len(found)


def comments_containing(
    conn: sqlite3.Connection,
    talk_ids: Sequence[str],
    question_ids: Sequence[str],
    phrase: str,
    limit: int,
    public_only: bool = False,
) -> tuple[list[tuple[str, str, str, str]], int]:
    """The comments whose folded text contains the folded `phrase` (for a search of function words
    only, which the index leaves out), as `search_comments` returns them."""
    wanted = fold(phrase.strip())
    rows = [
        row
        for row in latest_comments(conn, talk_ids, question_ids, 10**9, public_only)
        if wanted in fold(row[2])
    ]
    return rows[:limit], len(rows)


def _texts(
    conn: sqlite3.Connection, docids: Sequence[int], public_only: bool
) -> list[tuple[str, str, str, str]]:
    """(intervention_id, question_id, text, review) of indexed answers, in the order of `docids`."""
    by_docid: dict[int, tuple[str, str, str, str]] = {}
    for start in range(0, len(docids), _CHUNK):
        chunk = list(docids[start : start + _CHUNK])
        for docid, talk_id, question_id, text, review in conn.execute(
            f"SELECT s.docid, s.intervention_id, s.question_id, {_TEXT[public_only]}, s.review FROM answer_search s "
            f"JOIN answers a ON a.response_id = s.response_id AND a.question_id = s.question_id {_JOIN_REVIEW}"
            f"WHERE s.docid IN ({_marks(chunk)})",
            chunk,
        ):
            by_docid[docid] = (talk_id, question_id, text.strip(), review)
    return [by_docid[docid] for docid in docids if docid in by_docid]


def theme_examples(
    conn: sqlite3.Connection,
    talk_ids: Sequence[str],
    question_id: str,
    theme: str,
    candidates: int = 500,
    public_only: bool = False,
) -> list[tuple[str, bool]]:
    """(text, whether `theme` is the answer's best theme) of the answers to `question_id` about the
    given talks that the theme tagger tagged with `theme`: those whose best theme it is first, each
    group shortest first, at least `candidates` of them (the last length is given whole). With
    `public_only`, the public answers only, as shown."""
    talks = json.dumps(list(talk_ids))
    text = _TEXT[public_only]
    source = (
        "FROM answer_themes t JOIN answers a ON a.response_id = t.response_id AND a.question_id = t.question_id "
        "LEFT JOIN answer_reviews v ON v.response_id = t.response_id AND v.question_id = t.question_id "
        "WHERE t.theme = ? AND t.question_id = ? AND t.intervention_id IN (SELECT value FROM json_each(?)) "
        + ("AND t.public = 1 " if public_only else "")
    )
    rows = conn.execute(
        f"SELECT {text}, t.position > 0, t.text_length {source} ORDER BY t.position > 0, t.text_length LIMIT ?",
        (theme, question_id, talks, candidates),
    ).fetchall()
    if len(rows) == candidates:  # the rest of the last length, so that ties are all seen
        _, other, length = rows[-1]
        seen = sum(1 for r in rows if (r[1], r[2]) == (other, length))
        rows += conn.execute(
            f"SELECT {text}, t.position > 0, t.text_length {source} "
            "AND t.position > 0 = ? AND t.text_length = ? LIMIT -1 OFFSET ?",
            (theme, question_id, talks, other, length, seen),
        ).fetchall()
    return [(shown.strip(), not other) for shown, other, _ in rows]


def answer_texts(
    conn: sqlite3.Connection, talk_ids: Sequence[str], question_id: str, public_only: bool = False
) -> list[str]:
    """The non-empty answers to a text question about the given talks (for a speaker's shared
    expressions); with `public_only`, the public ones as shown."""
    texts: list[str] = []
    for start in range(0, len(talk_ids), _CHUNK):
        chunk = list(talk_ids[start : start + _CHUNK])
        texts.extend(
            text.strip()
            for (text,) in conn.execute(
                f"SELECT {_TEXT[public_only]} FROM answer_search s JOIN answers a "
                f"ON a.response_id = s.response_id AND a.question_id = s.question_id {_JOIN_REVIEW}"
                f"WHERE s.question_id = ? AND s.intervention_id IN ({_marks(chunk)}) "
                f"{_PUBLIC_ONLY if public_only else ''}ORDER BY s.response_id",
                [question_id, *chunk],
            )
        )
    return texts


def speaker_comments(
    conn: sqlite3.Connection, talk_ids: Sequence[str], question_ids: Sequence[str], limit: int = 200
) -> list[tuple[str, str, str]]:
    """(intervention_id, question_id, text) of the answers the director reviewed as public or as
    private to the speaker, as shown (edited text where any), for a speaker's sheet: talk by talk
    and question by question in the given order, earliest answer first. Answers waiting for
    review, and removed ones, are never returned."""
    rows: list[tuple[str, str, str]] = []
    for talk_id in talk_ids:
        for question_id in question_ids:
            if len(rows) >= limit:
                return rows
            rows.extend(
                (talk_id, question_id, text.strip())
                for (text,) in conn.execute(
                    f"SELECT {_TEXT[True]} FROM answer_search s JOIN answers a "
                    f"ON a.response_id = s.response_id AND a.question_id = s.question_id {_JOIN_REVIEW}"
                    "WHERE s.intervention_id = ? AND s.question_id = ? AND s.review IN ('public', 'private') "
                    "ORDER BY s.response_id LIMIT ?",
                    (talk_id, question_id, limit - len(rows)),
                )
                if text.strip()
            )
    return rows
