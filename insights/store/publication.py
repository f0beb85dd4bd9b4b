"""Publication of results: each talk's state (collecting → reviewed → published) with the history
of every change, and the publication settings the director chooses."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from insights.domain import (
    COLLECTING,
    PARTICIPATION_THRESHOLD,
    PUBLISHED_RESULTS,
    RESULT_STATE_LABELS,
    RESULT_STATES,
    REVIEWED,
)
from insights.store.audit import record_write
from insights.store.backups import take_backup
from insights.store.connection import get_meta
from insights.store.errors import StoreError
from insights.store.transactions import transaction


class PublicationError(StoreError):
    """A change of publication asked for talks that do not exist, or that have no answer to show."""


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def set_result_state(
    conn: sqlite3.Connection,
    talk_ids: Sequence[str],
    state: str,
    source: str,
    at: str | None = None,
    *,
    require_answers: bool = True,
) -> list[str]:
    """Move the results of these talks to `state` (one of RESULT_STATES), in one transaction,
    recording each change in the history with its time and `source` ("page", "cli", "import";
    "migration" for the upgrade that introduced publication).

    Returns the talks whose state changed. Raises PublicationError, writing nothing, for an
    unknown talk or, when publishing with `require_answers`, a talk without any response (an
    import sets the states of talks whose responses come later, hence `require_answers=False`).
    """
    if state not in RESULT_STATES:
        raise ValueError(f"état inconnu : {state!r}")
    talks = list(dict.fromkeys(talk_ids))
    at = at or _now()
    with transaction(conn):
        take_backup(conn, "publication")
        known = {
            row[0]: row[1]
            for row in conn.execute(
                "SELECT i.intervention_id, coalesce(p.state, ?) FROM interventions i "
                "LEFT JOIN talk_publication p ON p.intervention_id = i.intervention_id "
                "WHERE i.intervention_id IN (SELECT value FROM json_each(?))",
                (COLLECTING, json.dumps(talks)),
            )
        }
        unknown = [t for t in talks if t not in known]
        if unknown:
            raise PublicationError(f"Intervention(s) inconnue(s) : {', '.join(unknown)}.")
        if state == PUBLISHED_RESULTS and require_answers:
            answered = {
                row[0]
                for row in conn.execute(
                    "SELECT intervention_id FROM talk_responses WHERE responses > 0 "
                    "AND intervention_id IN (SELECT value FROM json_each(?))",
                    (json.dumps(talks),),
                )
            }
            silent = [t for t in talks if t not in answered]
            if silent:
                raise PublicationError(
                    f"Aucune réponse au questionnaire pour : {', '.join(silent)} ; il n'y a rien à publier."
                )
        changed = [t for t in talks if known[t] != state]
        conn.executemany(
            "INSERT INTO talk_publication (intervention_id, state, changed_at) VALUES (?, ?, ?) "
            "ON CONFLICT (intervention_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at",
            [(t, state, at) for t in changed],
        )
        conn.executemany(
            "INSERT INTO publication_history (intervention_id, state, changed_at, source) VALUES (?, ?, ?, ?)",
            [(t, state, at, source) for t in changed],
        )
        if changed:
            record_write(
                conn,
                "publication",
                f"{len(changed)} intervention(s) : {RESULT_STATE_LABELS.get(state, state)}",
                ids=changed,
            )
    return changed


PUBLICATION_COLUMNS = ["intervention_id", "state", "changed_at", "reviewed_at", "published_at"]


def load_publication(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every talk's results state. Columns: intervention_id, state (RESULT_STATES; "collecting"
    when never changed), changed_at, reviewed_at, published_at (ISO times of the last change, and
    of the last move to each state; "" when none)."""
    rows = conn.execute(
        "SELECT i.intervention_id, coalesce(p.state, ?), coalesce(p.changed_at, ''), "
        "coalesce((SELECT max(changed_at) FROM publication_history h "
        "WHERE h.intervention_id = i.intervention_id AND h.state = ?), ''), "
        "coalesce((SELECT max(changed_at) FROM publication_history h "
        "WHERE h.intervention_id = i.intervention_id AND h.state = ?), '') "
        "FROM interventions i LEFT JOIN talk_publication p ON p.intervention_id = i.intervention_id "
        "ORDER BY i.date, i.intervention_id",
        (COLLECTING, REVIEWED, PUBLISHED_RESULTS),
    ).fetchall()
    return pd.DataFrame([tuple(row) for row in rows], columns=PUBLICATION_COLUMNS)


HISTORY_COLUMNS = ["changed_at", "intervention_id", "state", "source"]


def load_publication_history(conn: sqlite3.Connection, limit: int = 500) -> pd.DataFrame:
    """The latest changes of results state, newest first. Columns: HISTORY_COLUMNS."""
    rows = conn.execute(
        "SELECT changed_at, intervention_id, state, source FROM publication_history "
        "ORDER BY changed_at DESC, event_id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return pd.DataFrame([tuple(row) for row in rows], columns=HISTORY_COLUMNS)


@dataclass(frozen=True)
class PublicationSettings:
    """What students see of published talks: the reviewed comments (public ones) besides the
    ratings, and the speakers' ratings on Intervenants; and the share of a cohort under which a
    talk is marked "(participation faible)"."""

    student_comments: bool = False
    student_speaker_ratings: bool = True
    participation_threshold: float = PARTICIPATION_THRESHOLD


def load_publication_settings(conn: sqlite3.Connection) -> PublicationSettings:
    """The settings stored in `meta` (the defaults where none is)."""
    defaults = PublicationSettings()
    comments = get_meta(conn, "student_comments")
    ratings = get_meta(conn, "student_speaker_ratings")
    participation = get_meta(conn, "participation_threshold")
    return PublicationSettings(
        student_comments=defaults.student_comments if comments is None else comments == "1",
        student_speaker_ratings=defaults.student_speaker_ratings if ratings is None else ratings == "1",
        participation_threshold=defaults.participation_threshold
        if participation is None
        else float(participation),
    )


def save_publication_settings(conn: sqlite3.Connection, settings: PublicationSettings) -> None:
    """Store the settings (one transaction; the data version changes, so every page follows)."""
    if not 0 <= settings.participation_threshold <= 1:
        raise ValueError("Le seuil de participation est une part de la promotion, entre 0 et 100 %.")
    with transaction(conn):
        for key, value in (
            ("student_comments", "1" if settings.student_comments else "0"),
            ("student_speaker_ratings", "1" if settings.student_speaker_ratings else "0"),
            ("participation_threshold", repr(float(settings.participation_threshold))),
        ):
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
        record_write(
            conn,
            "settings",
            "Publication : commentaires aux étudiant·es "
            f"{'oui' if settings.student_comments else 'non'}, notes des intervenant·es "
            f"{'oui' if settings.student_speaker_ratings else 'non'}, participation faible sous "
            f"{settings.participation_threshold:.0%}",
        )
