"""The audit journal: every write (import, correction, deletion, moderation, proposal, review,
publication, settings, restore, sign-in, speaker links, students' notebooks) recorded with its time, kind, source, counts and the
affected ids, in the same transaction as the write it records."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime

import pandas as pd

from insights.domain import TABLE_LABELS
from insights.formatting import format_number
from insights.store.transactions import exclusive

AUDIT_KINDS = {
    "import": "Importation",
    "correction": "Correction",
    "deletion": "Suppression",
    "moderation": "Modération",
    "proposal": "Proposition de citation",
    "review": "Relecture",
    "publication": "Publication",
    "settings": "Réglages",
    "restore": "Restauration",
    "signin": "Connexion",
    "share": "Lien intervenant·e",
    "notebook": "Carnet d'étudiant",
}
"""The kinds of writes the journal records, with their French labels."""

AUDIT_SOURCES = {"app": "application", "cli": "ligne de commande"}
"""Where a write comes from: the app's pages, or the command line (`set_audit_source`)."""
_source = "app"


def set_audit_source(source: str) -> str:
    """Say where this process's writes come from (the command line sets "cli" while it runs);
    return the source it replaces."""
    global _source
    if source not in AUDIT_SOURCES:
        raise ValueError(f"unknown audit source: {source!r}")
    previous, _source = _source, source
    return previous


MAX_IDS = 200
"""The affected ids kept per entry; an entry touching more keeps the first ones and their count."""

AUDIT_COLUMNS = ["at", "kind", "source", "summary", "counts", "ids"]


def record_write(
    conn: sqlite3.Connection,
    kind: str,
    summary: str,
    *,
    source: str | None = None,
    counts: Mapping[str, int] | None = None,
    ids: Iterable[object] = (),
    at: datetime | None = None,
) -> None:
    """Record a write in the journal: within the caller's transaction when there is one (so
    that a write rolled back leaves no entry), else in its own."""
    if kind not in AUDIT_KINDS:
        raise ValueError(f"unknown audit kind: {kind!r}")
    affected = list(dict.fromkeys(str(i) for i in ids))
    kept = affected[:MAX_IDS]
    if len(affected) > MAX_IDS:
        kept.append(f"… et {len(affected) - MAX_IDS} autres")
    with exclusive(conn):
        conn.execute(
            "INSERT INTO audit_log (at, kind, source, summary, counts, ids) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (at or datetime.now()).isoformat(timespec="seconds"),
                kind,
                source or _source,
                summary,
                json.dumps(dict(counts or {}), ensure_ascii=False),
                json.dumps(kept, ensure_ascii=False),
            ),
        )


def load_audit_log(
    conn: sqlite3.Connection, kinds: Iterable[str] = (), limit: int | None = 1000
) -> pd.DataFrame:
    """The journal, newest first (of these kinds, when given). Columns: AUDIT_COLUMNS; `counts`
    a dict, `ids` a list."""
    chosen = list(kinds)
    sql = "SELECT at, kind, source, summary, counts, ids FROM audit_log"
    params: list[object] = []
    if chosen:
        sql += f" WHERE kind IN ({', '.join('?' for _ in chosen)})"
        params.extend(chosen)
    sql += " ORDER BY at DESC, event_id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    rows = [tuple(row) for row in conn.execute(sql, params)]
    frame = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    frame["counts"] = [json.loads(text) for text in frame["counts"]]
    frame["ids"] = [json.loads(text) for text in frame["ids"]]
    return frame


COUNT_LABELS = {
    "added": "ajoutés",
    "updated": "mis à jour",
    "skipped": "inchangés",
    **{table: label.lower() for table, label in TABLE_LABELS.items()},
}
"""The counts an entry may hold, in French."""

JOURNAL_HEADER = ["Date et heure", "Type", "Origine", "Description", "Nombres", "Identifiants"]


def journal_rows(journal: pd.DataFrame) -> list[list[str]]:
    """The journal (`load_audit_log`) as the director reads it and exports it, in JOURNAL_HEADER's
    order: date in French format, kinds and sources in French, counts and ids as text."""
    return [
        [
            datetime.fromisoformat(at).strftime("%d/%m/%Y %H:%M:%S"),
            AUDIT_KINDS.get(kind, kind),
            AUDIT_SOURCES.get(source, source),
            summary,
            " · ".join(
                f"{format_number(value, 0)} {COUNT_LABELS.get(name, name)}" for name, value in counts.items()
            ),
            ", ".join(ids),
        ]
        for at, kind, source, summary, counts, ids in journal.itertuples(index=False)
    ]
