"""Importing template files into the database, all-or-nothing and idempotent: one file, a directory of
them, the demo dataset; and the one-transaction wrapper every import runs in."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from insights import store
from insights.domain import RESULT_STATES
from insights.ingest.files import Table
from insights.ingest.templates import (
    KINDS,
    TEMPLATES,
    Known,
    ParsedTemplate,
    find_template,
    parse_template,
    read_template,
)
from insights.ingest.validation import ImportFileError, ImportValidationError, Problem

DEMO_DIR = store.DEMO_DIR
"""The demo dataset shipped with the app, in the template formats."""


def record_import(conn: sqlite3.Connection, file: str, kind: str, report: store.WriteReport) -> None:
    """Record an import in the audit journal (in its transaction: a discarded import leaves none)."""
    if report.added or report.updated:
        store.record_write(
            conn,
            "import",
            f"{file} ({kind}) : {describe_report(report)}",
            counts={"added": report.added, "updated": report.updated, "skipped": report.skipped},
            ids=report.keys,
        )


def _write(conn: sqlite3.Connection, parsed: ParsedTemplate) -> store.WriteReport:
    report = _write_kind(conn, parsed)
    record_import(conn, parsed.file, parsed.kind, report)
    return report


def _write_kind(conn: sqlite3.Connection, parsed: ParsedTemplate) -> store.WriteReport:
    if parsed.kind == "responses":
        return store.write_responses(conn, parsed.records, parsed.answers)
    writers: dict[str, Callable[[sqlite3.Connection, list[dict[str, Any]]], store.WriteReport]] = {
        "cohorts": store.write_cohorts,
        "speakers": store.write_speakers,
        "career-steps": store.write_career_steps,
        "interventions": _write_interventions,
        "reviews": store.write_reviews,
        "quotes": store.write_quotes,
    }
    return writers[parsed.kind](conn, parsed.records)


def _write_interventions(conn: sqlite3.Connection, records: list[dict[str, Any]]) -> store.WriteReport:
    """Upsert the talks, then move the results of those whose `results` cell names a state (an
    empty cell leaves the state as it is), recorded in the history as an import. A talk whose only
    change is its state counts as updated."""
    wanted = {r["intervention_id"]: r["results"] for r in records if r.get("results")}
    before = dict(
        zip(*(store.load_publication(conn)[c].tolist() for c in ("intervention_id", "state")), strict=True)
    )
    moving = {talk for talk, state in wanted.items() if talk in before and before[talk] != state}
    report = store.write_interventions(conn, [r for r in records if r["intervention_id"] not in moving])
    if moving:
        moved = store.write_interventions(conn, [r for r in records if r["intervention_id"] in moving])
        report += store.WriteReport(moved.added, moved.updated + moved.skipped, 0)
    for state in RESULT_STATES:
        talks = [talk for talk, wished in wanted.items() if wished == state]
        if talks:
            # The responses of these talks may come later in the same import.
            store.set_result_state(conn, talks, state, "import", require_answers=False)
    return report


T = TypeVar("T")


class _Discard(Exception):
    """Rolls back a write whose result is only reported (dry run) or changed nothing."""

    def __init__(self, result: Any) -> None:
        super().__init__("discarded")
        self.result = result


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("SAVEPOINT template_import")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK TO template_import")
        conn.execute("RELEASE template_import")
        raise
    conn.execute("RELEASE template_import")


def atomically(
    conn: sqlite3.Connection, work: Callable[[], T], keep: Callable[[T], bool], backup: str | None = None
) -> T:
    """Run `work` as one transaction (a savepoint inside an outer one); roll it back unless `keep(result)`.

    Every import and correction runs this way: an exception (every problem found) or a dry run
    writes nothing. Rolling back a write that changed nothing keeps the data version, so caches
    stay valid. With `backup` (a reason of `store.backups.REASONS`), the state just before the
    write is backed up first, under the write lock (`store.take_backup`: a no-op when nothing
    changed since the latest backup).
    """
    try:
        if conn.in_transaction:
            with _savepoint(conn):
                if backup is not None:
                    store.take_backup(conn, backup)
                result = work()
                if not keep(result):
                    raise _Discard(result)
        else:
            with store.transaction(conn):
                if backup is not None:
                    store.take_backup(conn, backup)
                result = work()
                if not keep(result):
                    raise _Discard(result)
    except _Discard as discarded:
        return discarded.result
    return result


def _changed(report: store.WriteReport) -> bool:
    return bool(report.added or report.updated)


def import_template(
    conn: sqlite3.Connection,
    kind: str,
    path: Path | Table,
    dry_run: bool = False,
    *,
    intervention_id: str | None = None,
) -> store.WriteReport:
    """Validate the template file (or a Table read from one) and write it in one transaction; return
    what was added, updated, skipped.

    Nothing is written when any problem is found (ImportValidationError lists them all) or with
    `dry_run` (the report says what would happen). Importing the same file again skips every row.
    """

    def work() -> store.WriteReport:
        return _write(conn, read_template(kind, path, conn, intervention_id=intervention_id))

    return atomically(
        conn, work, keep=lambda report: not dry_run and _changed(report), backup=None if dry_run else "import"
    )


def template_path(directory: Path, kind: str) -> Path | None:
    """The file of `kind` in `directory` (its CSV name, or the same name in .xlsx), None if absent."""
    csv_path = Path(directory) / find_template(kind).filename
    xlsx_path = csv_path.with_suffix(".xlsx")
    if csv_path.is_file() and xlsx_path.is_file():
        raise ImportFileError(
            csv_path.name, f"deux fichiers pour le même tableau : gardez {csv_path.name} ou {xlsx_path.name}"
        )
    if csv_path.is_file():
        return csv_path
    return xlsx_path if xlsx_path.is_file() else None


def import_directory(
    conn: sqlite3.Connection, directory: Path, dry_run: bool = False
) -> dict[str, store.WriteReport]:
    """Import the template files present in `directory`, in dependency order (KINDS: reviews
    after the responses they are about), as one transaction.

    A file may refer to ids defined by another file of the same directory. Every problem of every
    file is reported in one ImportValidationError, and then nothing is written. Files with a
    header and no rows are accepted (an empty table). Returns a report per kind imported.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ImportFileError(directory.name or str(directory), "dossier introuvable")
    paths = {kind: path for kind in KINDS if (path := template_path(directory, kind)) is not None}
    if not paths:
        names = ", ".join(t.filename for t in TEMPLATES.values())
        raise ImportFileError(directory.name or str(directory), f"aucun fichier de modèle trouvé ({names})")

    def work() -> dict[str, store.WriteReport]:
        known = Known.from_database(conn)
        parsed: dict[str, ParsedTemplate] = {}
        problems: list[Problem] = []
        for kind, path in paths.items():
            parsed[kind], file_problems = parse_template(kind, path, known, allow_empty=True)
            problems.extend(file_problems)
        if problems:
            raise ImportValidationError(problems)
        return {kind: _write(conn, parsed[kind]) for kind in paths}

    return atomically(
        conn,
        work,
        keep=lambda reports: not dry_run and any(map(_changed, reports.values())),
        backup=None if dry_run else "import",
    )


def describe_report(report: store.WriteReport) -> str:
    """The report in French: "3 ajouté(s), 1 mis à jour, 10 inchangé(s)"."""
    return f"{report.added} ajouté(s), {report.updated} mis à jour, {report.skipped} inchangé(s)"


def load_demo(conn: sqlite3.Connection, demo_dir: Path = DEMO_DIR) -> dict[str, store.WriteReport]:
    """Import the demo dataset and record (meta `demo_data` = "1") that the data is the demo's."""
    with store.transaction(conn):
        reports = import_directory(conn, demo_dir)
        store.set_meta(conn, "demo_data", "1")
    return reports


def seed_demo_if_empty(conn: sqlite3.Connection, demo_dir: Path = DEMO_DIR) -> bool:
    """On first run, fill an empty database with the demo dataset; return whether it did."""
    if not store.is_empty(conn):
        return False
    with store.transaction(conn):
        # Another session may have seeded it between the check and the write lock.
        if not store.is_empty(conn):
            return False
        load_demo(conn, demo_dir)
    return True
