"""Writes of the domain records (cohorts, speakers, career steps, talks, quotes, questions, survey
responses), each an upsert in one transaction that reports what it added, updated and skipped."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from insights.domain import DEFAULT_INSTRUMENT, join_list
from insights.store.aggregates import rebuild_aggregates, refresh_talks
from insights.store.quote_vectors import refresh_quote_vectors
from insights.store.transactions import transaction

# --- writes ---------------------------------------------------------------------------------


@dataclass
class WriteReport:
    """What a write did, counted in rows of the written file; `keys` are the ids it wrote (added
    or updated records; for responses, the talks they belong to), for the audit journal."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    details: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)

    def __add__(self, other: WriteReport) -> WriteReport:
        return WriteReport(
            self.added + other.added,
            self.updated + other.updated,
            self.skipped + other.skipped,
            self.details + other.details,
            self.keys + other.keys,
        )


def _upsert(
    conn: sqlite3.Connection,
    table: str,
    key: str,
    columns: Sequence[str],
    rows: Iterable[dict[str, Any]],
) -> tuple[WriteReport, list[str], list[str]]:
    """Insert or update rows by primary key; return the report and the added and updated keys."""
    existing = {
        row[0]: tuple(row[1:]) for row in conn.execute(f"SELECT {key}, {', '.join(columns)} FROM {table}")
    }
    report = WriteReport()
    added: list[str] = []
    updated: list[str] = []
    placeholders = ", ".join("?" for _ in range(len(columns) + 1))
    assignments = ", ".join(f"{c} = excluded.{c}" for c in columns)
    sql = (
        f"INSERT INTO {table} ({key}, {', '.join(columns)}) VALUES ({placeholders}) "
        f"ON CONFLICT({key}) DO UPDATE SET {assignments}"
    )
    batch = []
    for row in rows:
        values = tuple(row[c] for c in columns)
        before = existing.get(row[key])
        if before is None:
            report.added += 1
            added.append(row[key])
        elif before == values:
            report.skipped += 1
            continue
        else:
            report.updated += 1
            updated.append(row[key])
        batch.append((row[key], *values))
    conn.executemany(sql, batch)
    report.keys = [str(k) for k in (*added, *updated)]
    return report, added, updated


def _replace_links(
    conn: sqlite3.Connection, table: str, owner: str, item: str, links: dict[str, list[str]]
) -> None:
    """Set the ordered list of `item` values of each owner id in `links`."""
    conn.executemany(f"DELETE FROM {table} WHERE {owner} = ?", [(o,) for o in links])
    conn.executemany(
        f"INSERT INTO {table} ({owner}, {item}, position) VALUES (?, ?, ?)",
        [(o, value, pos) for o, values in links.items() for pos, value in enumerate(values)],
    )


def _links(conn: sqlite3.Connection, table: str, owner: str, item: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for row in conn.execute(f"SELECT {owner}, {item} FROM {table} ORDER BY {owner}, position"):
        result.setdefault(row[0], []).append(row[1])
    return result


def write_cohorts(conn: sqlite3.Connection, cohorts: Iterable[dict[str, Any]]) -> WriteReport:
    """Upsert cohorts: dicts with `cohort` and `size`."""
    with transaction(conn):
        report, _, _ = _upsert(conn, "cohorts", "cohort", ["size"], cohorts)
    return report


SPEAKER_COLUMNS = [
    "name",
    "title",
    "organisation",
    "org_type",
    "sector",
    "networks",
    "years_experience",
    "education",
    "bio",
]


def write_speakers(conn: sqlite3.Connection, speakers: Iterable[dict[str, Any]]) -> WriteReport:
    """Upsert speakers: dicts with `speaker_id` and SPEAKER_COLUMNS (`networks` a ;-list string)."""
    with transaction(conn):
        report, _, _ = _upsert(conn, "speakers", "speaker_id", SPEAKER_COLUMNS, speakers)
    return report


def write_career_steps(conn: sqlite3.Connection, steps: Iterable[dict[str, Any]]) -> WriteReport:
    """Add career steps (speaker_id, year_from, year_to, role, organisation); an identical step is skipped.

    A step is identified by speaker, start year, role and organisation; a changed end year updates it.
    """
    report = WriteReport()
    with transaction(conn):
        for step in steps:
            row = conn.execute(
                "SELECT step_id, year_to FROM career_steps WHERE speaker_id = ? AND year_from = ? "
                "AND role = ? AND organisation = ?",
                (step["speaker_id"], step["year_from"], step["role"], step["organisation"]),
            ).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO career_steps (speaker_id, year_from, year_to, role, organisation) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        step["speaker_id"],
                        step["year_from"],
                        step["year_to"],
                        step["role"],
                        step["organisation"],
                    ),
                )
                report.added += 1
            elif row["year_to"] == step["year_to"]:
                report.skipped += 1
            else:
                conn.execute(
                    "UPDATE career_steps SET year_to = ? WHERE step_id = ?", (step["year_to"], row[0])
                )
                report.updated += 1
    return report


INTERVENTION_COLUMNS = ["date", "cohort", "semester", "title", "format", "tools"]


def write_interventions(conn: sqlite3.Connection, interventions: Iterable[dict[str, Any]]) -> WriteReport:
    """Upsert interventions: dicts with `intervention_id`, INTERVENTION_COLUMNS, and lists
    `speaker_ids` and `themes`."""
    rows = list(interventions)
    with transaction(conn):
        speakers_before = _links(conn, "intervention_speakers", "intervention_id", "speaker_id")
        themes_before = _links(conn, "intervention_themes", "intervention_id", "theme")
        report, added, updated = _upsert(conn, "interventions", "intervention_id", INTERVENTION_COLUMNS, rows)
        changed = set(added) | set(updated)
        for row in rows:
            key = row["intervention_id"]
            links_changed = speakers_before.get(key, []) != list(row["speaker_ids"]) or themes_before.get(
                key, []
            ) != list(row["themes"])
            if links_changed and key not in changed:
                report.skipped -= 1
                report.updated += 1
                changed.add(key)
        todo = [row for row in rows if row["intervention_id"] in changed]
        _replace_links(
            conn,
            "intervention_speakers",
            "intervention_id",
            "speaker_id",
            {r["intervention_id"]: list(r["speaker_ids"]) for r in todo},
        )
        _replace_links(
            conn,
            "intervention_themes",
            "intervention_id",
            "theme",
            {r["intervention_id"]: list(r["themes"]) for r in todo},
        )
    return report


QUOTE_COLUMNS = ["text", "speaker_id", "intervention_id", "source", "status"]


def write_quotes(conn: sqlite3.Connection, quotes: Iterable[dict[str, Any]]) -> WriteReport:
    """Upsert quotes: dicts with `quote_id`, QUOTE_COLUMNS (`intervention_id` may be None) and a
    list `themes`."""
    rows = list(quotes)
    with transaction(conn):
        themes_before = _links(conn, "quote_themes", "quote_id", "theme")
        report, added, updated = _upsert(conn, "quotes", "quote_id", QUOTE_COLUMNS, rows)
        changed = set(added) | set(updated)
        for row in rows:
            if row["quote_id"] not in changed and themes_before.get(row["quote_id"], []) != list(
                row["themes"]
            ):
                report.skipped -= 1
                report.updated += 1
                changed.add(row["quote_id"])
        _replace_links(
            conn,
            "quote_themes",
            "quote_id",
            "theme",
            {r["quote_id"]: list(r["themes"]) for r in rows if r["quote_id"] in changed},
        )
        if changed:
            refresh_quote_vectors(conn)
    return report


def write_questions(conn: sqlite3.Connection, questions: Iterable[dict[str, Any]]) -> WriteReport:
    """Upsert catalogue questions: dicts with question_id, type, label, options (;-list), position.

    A question whose type changes is counted differently: every talk's aggregates are recomputed.
    """
    rows = list(questions)
    with transaction(conn):
        types_before = dict(conn.execute("SELECT question_id, type FROM questions").fetchall())
        report, _, _ = _upsert(
            conn, "questions", "question_id", ["type", "label", "options", "position"], rows
        )
        if any(types_before.get(row["question_id"], row["type"]) != row["type"] for row in rows):
            rebuild_aggregates(conn)
    return report


def default_questions() -> list[dict[str, Any]]:
    """The default instrument as catalogue rows."""
    return [
        {
            "question_id": q.id,
            "type": q.type,
            "label": q.label,
            "options": join_list(q.options),
            "position": i,
        }
        for i, q in enumerate(DEFAULT_INSTRUMENT)
    ]


def write_responses(
    conn: sqlite3.Connection,
    responses: Sequence[dict[str, Any]],
    answers: Sequence[tuple[str, str, float | None, str | None]],
) -> WriteReport:
    """Upsert survey responses and their answers.

    `responses`: dicts with response_id, intervention_id, submitted_at, respondent.
    `answers`: (response_id, question_id, value_num, value_text) for the given responses; a
    response's answers are replaced as a whole when the response changed.
    """
    answers_by_response: dict[str, list[tuple[str, str, float | None, str | None]]] = {}
    for answer in answers:
        answers_by_response.setdefault(answer[0], []).append(answer)
    with transaction(conn):
        ids = [r["response_id"] for r in responses]
        known = _existing_keys(conn, "responses", "response_id", ids)
        report = WriteReport()
        new_rows = [r for r in responses if r["response_id"] not in known]
        conn.executemany(
            "INSERT INTO responses (response_id, intervention_id, submitted_at, respondent) VALUES (?, ?, ?, ?)",
            [(r["response_id"], r["intervention_id"], r["submitted_at"], r["respondent"]) for r in new_rows],
        )
        conn.executemany(
            "INSERT INTO answers (response_id, question_id, value_num, value_text) VALUES (?, ?, ?, ?)",
            (a for r in new_rows for a in answers_by_response.get(r["response_id"], [])),
        )
        report.added = len(new_rows)
        changed = _changed_responses(
            conn, [r for r in responses if r["response_id"] in known], answers_by_response
        )
        report.skipped = len(known) - len(changed)
        report.updated = len(changed)
        touched = {r["intervention_id"] for r in [*new_rows, *changed]}
        touched |= _talks_of(conn, [r["response_id"] for r in changed])  # where they were before
        conn.executemany(
            "UPDATE responses SET intervention_id = ?, submitted_at = ?, respondent = ? WHERE response_id = ?",
            [(r["intervention_id"], r["submitted_at"], r["respondent"], r["response_id"]) for r in changed],
        )
        conn.executemany("DELETE FROM answers WHERE response_id = ?", [(r["response_id"],) for r in changed])
        conn.executemany(
            "INSERT INTO answers (response_id, question_id, value_num, value_text) VALUES (?, ?, ?, ?)",
            (a for r in changed for a in answers_by_response.get(r["response_id"], [])),
        )
        refresh_talks(conn, sorted(touched))
    report.keys = sorted(touched)
    return report


def _talks_of(conn: sqlite3.Connection, response_ids: Sequence[str]) -> set[str]:
    """The talks the given stored responses belong to."""
    found: set[str] = set()
    for start in range(0, len(response_ids), 500):
        chunk = response_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found.update(
            row[0]
            for row in conn.execute(
                f"SELECT DISTINCT intervention_id FROM responses WHERE response_id IN ({marks})", chunk
            )
        )
    return found


def _changed_responses(
    conn: sqlite3.Connection,
    responses: Sequence[dict[str, Any]],
    answers_by_response: dict[str, list[tuple[str, str, float | None, str | None]]],
) -> list[dict[str, Any]]:
    """The given (already stored) responses whose fields or answers differ from the stored ones."""
    changed: list[dict[str, Any]] = []
    for start in range(0, len(responses), 500):
        chunk = responses[start : start + 500]
        ids = [r["response_id"] for r in chunk]
        marks = ", ".join("?" for _ in ids)
        stored = {
            row[0]: tuple(row[1:])
            for row in conn.execute(
                f"SELECT response_id, intervention_id, submitted_at, respondent FROM responses "
                f"WHERE response_id IN ({marks})",
                ids,
            )
        }
        stored_answers: dict[str, set[tuple]] = {}
        for row in conn.execute(
            f"SELECT response_id, question_id, value_num, value_text FROM answers WHERE response_id IN ({marks})",
            ids,
        ):
            stored_answers.setdefault(row[0], set()).add(tuple(row))
        for response in chunk:
            key = response["response_id"]
            fields = (response["intervention_id"], response["submitted_at"], response["respondent"])
            if stored[key] != fields or stored_answers.get(key, set()) != set(
                answers_by_response.get(key, [])
            ):
                changed.append(response)
    return changed


def bulk_insert_responses(
    conn: sqlite3.Connection,
    responses: Iterable[tuple[str, str, str, str]],
    answers: Iterable[tuple[str, str, float | None, str | None]],
) -> None:
    """Insert new responses and their answers in one transaction, without the upsert's checks.

    For loading generated data into a fresh database (the benchmark): `responses` are
    (response_id, intervention_id, submitted_at, respondent) and `answers` (response_id,
    question_id, value_num, value_text), best in primary-key order; both may be generators. A
    response id that already exists raises `sqlite3.IntegrityError` and nothing is written.
    """
    touched: set[str] = set()

    def noting_talks(rows: Iterable[tuple[str, str, str, str]]) -> Iterator[tuple[str, str, str, str]]:
        for row in rows:
            touched.add(row[1])
            yield row

    with transaction(conn):
        conn.executemany(
            "INSERT INTO responses (response_id, intervention_id, submitted_at, respondent) VALUES (?, ?, ?, ?)",
            noting_talks(responses),
        )
        conn.executemany(
            "INSERT INTO answers (response_id, question_id, value_num, value_text) VALUES (?, ?, ?, ?)",
            answers,
        )
        refresh_talks(conn, sorted(touched))


def _existing_keys(conn: sqlite3.Connection, table: str, key: str, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found.update(
            row[0] for row in conn.execute(f"SELECT {key} FROM {table} WHERE {key} IN ({marks})", chunk)
        )
    return found


def existing_ids(conn: sqlite3.Connection, table: str) -> set[str]:
    """Primary keys present in one of the id-keyed tables (for reference checks before a write)."""
    keys = {
        "cohorts": "cohort",
        "speakers": "speaker_id",
        "interventions": "intervention_id",
        "questions": "question_id",
        "responses": "response_id",
        "quotes": "quote_id",
    }
    return {row[0] for row in conn.execute(f"SELECT {keys[table]} FROM {table}")}
