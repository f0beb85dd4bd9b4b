"""Corrections made in the page's tables (speakers, career steps, interventions, cohorts, quotes):
the edited table is checked by the import's own validation, then written in one transaction;
deleted rows are described (what goes with them) before the director confirms.

The page hands in the table it showed (`table_for_editing`) and the table the editor gave back;
existing rows keep their index label, added rows get new ones, deleted rows are missing.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from insights import store
from insights.formatting import plural
from insights.ingest import files, loading, templates
from insights.ingest.validation import ImportValidationError, Problem

EDITABLE: tuple[str, ...] = ("speakers", "career-steps", "interventions", "cohorts", "quotes")
"""The tables the director corrects in place (responses come only from imports)."""

KEY_COLUMNS: dict[str, str] = {
    "cohorts": "cohort",
    "speakers": "speaker_id",
    "career-steps": "step_id",
    "interventions": "intervention_id",
    "quotes": "quote_id",
}
"""The column identifying a row of each table (a career step by its internal number)."""

TABLE_LABELS: dict[str, str] = {
    "speakers": "Intervenant·es",
    "career-steps": "Étapes de parcours",
    "interventions": "Interventions",
    "cohorts": "Promotions",
    "quotes": "Citations",
}


def table_for_editing(conn: sqlite3.Connection, kind: str) -> pd.DataFrame:
    """The table of `kind` in its template's columns (lists as `;`-separated text), one row per
    record, indexed 0…n-1; career steps carry their `step_id` first."""
    if kind == "career-steps":
        return store.load_career_steps_with_ids(conn).reset_index(drop=True)
    loaders = {
        "cohorts": store.load_cohorts,
        "speakers": store.load_speakers,
        "interventions": store.load_interventions,
        "quotes": store.load_quotes,
    }
    frame = loaders[kind](conn)
    if kind == "interventions":
        frame = frame.sort_values("intervention_id", kind="stable")
    for column in ("speaker_ids", "themes"):
        if column in frame:
            frame[column] = [";".join(values) for values in frame[column]]
    columns = _columns(templates.TEMPLATES[kind])
    frame = frame[columns].reset_index(drop=True)
    text_columns = [c for c in columns if c not in ("size", "years_experience")]
    frame[text_columns] = frame[text_columns].astype(object).where(frame[text_columns].notna(), "")
    return frame


def _columns(template: templates.Template) -> list[str]:
    """The columns corrected in the table: the template's, but its optional ones (an
    intervention's results state changes on its own page, with its history)."""
    return [column for column in template.columns if column not in template.optional]


def _text(value: Any) -> str:
    """An edited cell as the text a template file would hold."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat(sep=" ")
    return str(value).strip()


@dataclass(frozen=True)
class Edits:
    """The checked changes of one table: what to write, what to delete, and every problem found."""

    kind: str
    records: list[dict[str, Any]] = field(default_factory=list)
    """Every remaining row, parsed, as the store's writer expects it (unchanged ones are skipped)."""
    added: int = 0
    changed: int = 0
    deleted: tuple[Any, ...] = ()
    """Keys of the rows removed in the editor."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.deleted)


def check_edits(conn: sqlite3.Connection, kind: str, original: pd.DataFrame, edited: pd.DataFrame) -> Edits:
    """Compare the edited table with the one shown and check every remaining row with the template's
    validation. Problems name the row by its rank in the edited table (`ligne 1` = first row)."""
    if kind not in EDITABLE:
        raise ValueError(f"table non modifiable : {kind!r}")
    key = KEY_COLUMNS[kind]
    template = templates.TEMPLATES[kind]
    label = f"{TABLE_LABELS[kind]} (tableau)"
    columns = _columns(template)
    problems: list[Problem] = []
    existing = set(original.index)
    deleted = tuple(original.loc[[i for i in original.index if i not in set(edited.index)], key].tolist())
    rows: list[tuple[int, tuple[str, ...]]] = []
    step_ids: list[Any] = []
    added = changed = 0
    for rank, (index, row) in enumerate(edited.iterrows(), start=1):
        cells = tuple(_text(row.get(column)) for column in columns)
        if index in existing:
            before = original.loc[index]
            if kind != "career-steps" and _text(row.get(key)) != _text(before[key]):
                problems.append(
                    Problem(
                        label,
                        rank,
                        key,
                        _text(row.get(key)),
                        f"l'identifiant d'une ligne existante ne se modifie pas (c'était « {_text(before[key])} ») : "
                        "ajoutez une nouvelle ligne et supprimez l'ancienne",
                    )
                )
            if cells != tuple(_text(before.get(column)) for column in columns):
                changed += 1
            step_ids.append(int(before["step_id"]) if kind == "career-steps" else None)
        else:
            if not any(cells):
                continue  # an empty row the editor added and nobody filled
            added += 1
            step_ids.append(None)
        rows.append((rank, cells))
    table = files.Table(label, tuple(columns), tuple(rows))
    try:
        parsed = templates.read_template(kind, table, conn, allow_empty=True)
    except ImportValidationError as error:
        problems.extend(error.problems)
        parsed = None
    records = [] if parsed is None else parsed.records
    if kind == "career-steps" and parsed is not None:
        records = [{**record, "step_id": step_id} for record, step_id in zip(records, step_ids, strict=True)]
    problems.sort(key=lambda p: (p.row or 0, columns.index(p.column) if p.column in columns else -1))
    return Edits(kind, records, added, changed, deleted, problems)


def plan_deletion(conn: sqlite3.Connection, edits: Edits) -> store.Deletion | None:
    """What deleting the removed rows takes with it (None when no row was removed)."""
    if not edits.deleted:
        return None
    return store.plan_deletion(conn, edits.kind, edits.deleted)


def describe_deletion(deletion: store.Deletion) -> list[str]:
    """What a deletion deletes or changes beyond the rows themselves, as French sentences."""
    lines = []
    if deletion.interventions:
        names = ", ".join(deletion.interventions[:5]) + ("…" if len(deletion.interventions) > 5 else "")
        lines.append(f"{plural(len(deletion.interventions), 'intervention')} supprimée(s) aussi : {names}")
    if deletion.responses:
        lines.append(f"{plural(deletion.responses, 'réponse')} aux questionnaires supprimée(s)")
    if deletion.career_steps:
        lines.append(f"{plural(deletion.career_steps, 'étape')} de parcours supprimée(s)")
    if deletion.quotes:
        lines.append(f"{plural(len(deletion.quotes), 'citation')} de cet·te intervenant·e supprimée(s)")
    if deletion.quotes_detached:
        lines.append(
            f"{plural(deletion.quotes_detached, 'citation')} conservée(s) mais détachée(s) de leur intervention"
        )
    if deletion.interventions_unlinked:
        lines.append(
            f"{plural(deletion.interventions_unlinked, 'intervention')} conservée(s), sans cet·te co-intervenant·e"
        )
    return lines


@dataclass(frozen=True)
class SaveReport:
    """What saving a corrected table did."""

    write: store.WriteReport
    deletion: store.Deletion | None

    def describe(self) -> str:
        """In French: "2 mis à jour, 1 ajouté(s), 1 supprimé(s)"."""
        write = self.write
        parts = [f"{write.added} ajouté(s)", f"{write.updated} mis à jour"]
        if self.deletion is not None:
            parts.append(f"{len(self.deletion.keys)} supprimé(s)")
        return ", ".join(parts)


def save_edits(conn: sqlite3.Connection, edits: Edits) -> SaveReport:
    """Delete the removed rows (and what depends on them) and write the others, in one transaction.

    Raises ImportValidationError when the edits have problems: then nothing is written.
    """
    if edits.problems:
        raise ImportValidationError(edits.problems)
    writers = {
        "cohorts": store.write_cohorts,
        "speakers": store.write_speakers,
        "career-steps": store.write_career_steps_by_id,
        "interventions": store.write_interventions,
        "quotes": store.write_quotes,
    }

    def work() -> SaveReport:
        deletion = store.delete_records(conn, edits.kind, edits.deleted) if edits.deleted else None
        written = writers[edits.kind](conn, edits.records)
        if deletion is not None:
            store.record_write(
                conn,
                "deletion",
                f"{edits.kind} : {len(edits.deleted)} ligne(s) supprimée(s)"
                + (f" ; {'; '.join(describe_deletion(deletion))}" if describe_deletion(deletion) else ""),
                counts={"deleted": len(edits.deleted), "responses": deletion.responses},
                ids=edits.deleted,
            )
        if written.added or written.updated:
            store.record_write(
                conn,
                "correction",
                f"{edits.kind} : {written.added} ajoutée(s), {written.updated} modifiée(s)",
                counts={"added": written.added, "updated": written.updated},
                ids=written.keys,
            )
        return SaveReport(written, deletion)

    def keep(report: SaveReport) -> bool:
        return bool(report.deletion is not None or report.write.added or report.write.updated)

    return loading.atomically(conn, work, keep, backup="deletion" if edits.deleted else "correction")
