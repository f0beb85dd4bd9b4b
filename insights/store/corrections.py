"""Corrections: career steps edited by id, and deletions with what they take along."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from insights.store.loaders import _frame
from insights.store.transactions import transaction
from insights.store.writes import WriteReport

# --- corrections: career steps by id, dependents, deletion ----------------------------------------


def load_career_steps_with_ids(conn: sqlite3.Connection) -> pd.DataFrame:
    """`load_career_steps` plus `step_id` (int, first column): what identifies a step being edited."""
    frame = _frame(
        conn,
        "SELECT step_id, speaker_id, year_from, year_to, role, organisation FROM career_steps "
        "ORDER BY speaker_id, year_from, step_id",
    )
    return frame.astype({"step_id": "int64", "year_from": "int64", "year_to": "Int64"})


def write_career_steps_by_id(conn: sqlite3.Connection, steps: Iterable[dict[str, Any]]) -> WriteReport:
    """Update career steps by `step_id`, or add those whose `step_id` is None; unchanged ones are skipped."""
    report = WriteReport()
    columns = ("speaker_id", "year_from", "year_to", "role", "organisation")
    with transaction(conn):
        for step in steps:
            values = tuple(step[c] for c in columns)
            if step.get("step_id") is None:
                conn.execute(
                    f"INSERT INTO career_steps ({', '.join(columns)}) VALUES (?, ?, ?, ?, ?)", values
                )
                report.added += 1
                continue
            before = conn.execute(
                f"SELECT {', '.join(columns)} FROM career_steps WHERE step_id = ?", (step["step_id"],)
            ).fetchone()
            if before is not None and tuple(before) == values:
                report.skipped += 1
                continue
            conn.execute(
                f"UPDATE career_steps SET {', '.join(f'{c} = ?' for c in columns)} WHERE step_id = ?",
                (*values, step["step_id"]),
            )
            report.updated += 1
    return report


DELETABLE = ("cohorts", "speakers", "career-steps", "interventions", "quotes")
"""The kinds of record a director may delete (keys: cohort, speaker_id, step_id, intervention_id, quote_id)."""


@dataclass(frozen=True)
class Deletion:
    """What deleting some records takes with it.

    Deleted with them: `interventions` (of a deleted cohort, or left without any speaker; empty when
    interventions themselves are deleted), the `responses` of every deleted intervention, the
    `career_steps` and `quotes` of deleted speakers. Kept but changed:
    `quotes_detached` lose their link to a deleted intervention; `interventions_unlinked` lose a
    deleted co-speaker.
    """

    kind: str
    keys: tuple[Any, ...]
    interventions: tuple[str, ...] = ()
    responses: int = 0
    career_steps: int = 0
    quotes: tuple[str, ...] = ()
    quotes_detached: int = 0
    interventions_unlinked: int = 0


def _ids(conn: sqlite3.Connection, sql: str, keys: Sequence[Any]) -> list[Any]:
    found: list[Any] = []
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        found.extend(row[0] for row in conn.execute(sql.format(marks=", ".join("?" for _ in chunk)), chunk))
    return found


def plan_deletion(conn: sqlite3.Connection, kind: str, keys: Sequence[Any]) -> Deletion:
    """What deleting the records of `kind` with these keys would delete or change (nothing is written)."""
    if kind not in DELETABLE:
        raise ValueError(f"suppression impossible pour {kind!r}")
    keys = tuple(dict.fromkeys(keys))
    interventions: set[str] = set()
    quotes: set[str] = set()
    career_steps = 0
    unlinked = 0
    if kind == "cohorts":
        interventions.update(
            _ids(conn, "SELECT intervention_id FROM interventions WHERE cohort IN ({marks})", keys)
        )
    elif kind == "interventions":
        interventions.update(keys)
    elif kind == "speakers":
        linked = _ids(
            conn,
            "SELECT DISTINCT intervention_id FROM intervention_speakers WHERE speaker_id IN ({marks})",
            keys,
        )
        for intervention_id in linked:
            others = conn.execute(
                "SELECT speaker_id FROM intervention_speakers WHERE intervention_id = ?", (intervention_id,)
            ).fetchall()
            if all(row[0] in keys for row in others):
                interventions.add(intervention_id)
            else:
                unlinked += 1
        quotes.update(_ids(conn, "SELECT quote_id FROM quotes WHERE speaker_id IN ({marks})", keys))
        career_steps = len(_ids(conn, "SELECT step_id FROM career_steps WHERE speaker_id IN ({marks})", keys))
    ordered = tuple(sorted(interventions))
    responses = len(
        _ids(conn, "SELECT response_id FROM responses WHERE intervention_id IN ({marks})", ordered)
    )
    attached = set(_ids(conn, "SELECT quote_id FROM quotes WHERE intervention_id IN ({marks})", ordered))
    return Deletion(
        kind,
        keys,
        interventions=ordered if kind != "interventions" else (),
        responses=responses,
        career_steps=career_steps,
        quotes=tuple(sorted(quotes)),
        quotes_detached=len(attached - quotes),
        interventions_unlinked=unlinked,
    )


def delete_records(conn: sqlite3.Connection, kind: str, keys: Sequence[Any]) -> Deletion:
    """Delete the records of `kind` with these keys and what depends on them (see `Deletion`), in one
    transaction; return what was deleted or changed."""
    with transaction(conn):
        plan = plan_deletion(conn, kind, keys)
        interventions = plan.interventions if kind != "interventions" else plan.keys
        conn.executemany("DELETE FROM quotes WHERE quote_id = ?", [(q,) for q in plan.quotes])
        conn.executemany(
            "UPDATE quotes SET intervention_id = NULL WHERE intervention_id = ?",
            [(i,) for i in interventions],
        )
        # Reviews are kept apart from the answers (a re-import may bring the same text back): those
        # of deleted responses go with them.
        conn.executemany(
            "DELETE FROM answer_reviews WHERE response_id IN "
            "(SELECT response_id FROM responses WHERE intervention_id = ?)",
            [(i,) for i in interventions],
        )
        conn.executemany("DELETE FROM responses WHERE intervention_id = ?", [(i,) for i in interventions])
        conn.executemany("DELETE FROM interventions WHERE intervention_id = ?", [(i,) for i in interventions])
        single = {
            "cohorts": ("cohorts", "cohort"),
            "career-steps": ("career_steps", "step_id"),
            "quotes": ("quotes", "quote_id"),
        }
        if kind == "speakers":
            conn.executemany("DELETE FROM career_steps WHERE speaker_id = ?", [(k,) for k in plan.keys])
            conn.executemany(
                "DELETE FROM intervention_speakers WHERE speaker_id = ?", [(k,) for k in plan.keys]
            )
            conn.executemany("DELETE FROM speakers WHERE speaker_id = ?", [(k,) for k in plan.keys])
        elif kind in single:
            table, key = single[kind]
            conn.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(k,) for k in plan.keys])
    return plan
