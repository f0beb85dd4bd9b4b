"""Every import through one door: read a file (a template or a survey tool's export), recognise its
format, map a survey export's columns to the question catalogue, validate everything, write it in
one transaction and report what changed.

The page "Données" and `python -m insights import` both call `analyse` then `run_import` (or
`import_file` for both at once), so they accept the same files and report in the same words.
Reading a survey export is `survey_reader`'s job; templates go through `loading`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from insights import store
from insights.formatting import plural
from insights.ingest import encoding, formats, loading
from insights.ingest.files import Table, max_import_bytes, read_bytes, too_large
from insights.ingest.formats import SourceColumn
from insights.ingest.mapping import (
    GRID_BY_INTERVENTION,
    Mapping,
    automatic_mapping,
    best_saved_mapping,
    fingerprint,
    grid_groups,
    grid_intervention_defaults,
    merge_saved,
)
from insights.ingest.survey_reader import SurveyReader
from insights.ingest.templates import KINDS
from insights.ingest.validation import ImportFileError, ImportValidationError

KIND_LABELS: dict[str, str] = {
    "speakers": "Intervenant·es",
    "career-steps": "Étapes de parcours",
    "cohorts": "Promotions",
    "interventions": "Interventions",
    "responses": "Réponses aux questionnaires",
    "reviews": "Relecture des réponses libres",
    "quotes": "Citations",
}
"""Each kind of import as the page names it."""

FORMAT_CHOICES: tuple[str, ...] = ("auto", "template", *formats.FORMATS)
"""The `--format` values: `auto` recognises the format from the header."""

Progress = Callable[[float, str], None]
"""Told how far a long import is (0 to 1) and what it is doing, in French."""


def _no_progress(fraction: float, text: str) -> None:
    return None


# --- analysing a file -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Analysis:
    """What a file is and how the import proposes to read it.

    For survey exports: `columns` (each with its role), `values` (each column's cells, by key, in
    row order), the form's `fingerprint`, and the proposed `mapping`: saved decisions for this form
    (`saved` = `exact`, or `similar` for a saved form sharing most headers) over the automatic ones.
    """

    kind: str
    format: str
    table: Table
    columns: tuple[SourceColumn, ...] = ()
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fingerprint: str = ""
    mapping: Mapping = field(default_factory=Mapping)
    saved: str = ""

    @property
    def file(self) -> str:
        return self.table.file

    @property
    def is_survey_export(self) -> bool:
        return self.format in formats.FORMATS

    @property
    def export_format(self) -> formats.ExportFormat:
        return formats.FORMATS[self.format]

    @property
    def format_label(self) -> str:
        return formats.FORMAT_LABELS[self.format]

    @property
    def question_columns(self) -> list[SourceColumn]:
        """The answer columns, which the mapping decides about."""
        return [c for c in self.columns if c.role == formats.QUESTION]

    @property
    def grids(self) -> dict[str, list[SourceColumn]]:
        """Grid questions: each title with its row columns (see `mapping.grid_groups`)."""
        return grid_groups(self.columns)

    def in_grid(self, column: SourceColumn) -> bool:
        """True for a row column of a grid question (of two rows or more)."""
        return column.grid_title is not None and column.grid_title in self.grids

    def tool_columns(self) -> list[tuple[str, list[str]]]:
        """The columns the tool adds, grouped by what the import does with them, in French."""
        groups = [
            ("Date de soumission", formats.SUBMITTED),
            ("Numéro de réponse", formats.SOURCE_ID),
            ("Date de début", formats.STARTED),
            ("Identité du répondant, jamais enregistrée (seule une empreinte est gardée)", formats.IDENTITY),
            ("Ignorées (informations techniques de l'outil)", formats.META),
        ]
        result = []
        for label, role in groups:
            keys = [c.key for c in self.columns if c.role == role]
            if keys:
                result.append((label, keys))
        return result

    def samples(self, key: str, count: int = 3) -> list[str]:
        """The first distinct non-empty cells of a column, to show beside its mapping."""
        seen: dict[str, None] = {}
        for cell in self.values.get(key, ()):
            if cell.strip():
                seen.setdefault(" ".join(cell.split()), None)
                if len(seen) == count:
                    break
        return list(seen)

    def describe(self) -> str:
        """How the file was read, in French: format, container, encoding, delimiter, rows."""
        table = self.table
        parts = [f"Format : {self.format_label}"]
        if table.container == "xlsx":
            parts.append("classeur Excel (XLSX)")
        else:
            parts.append(f"CSV, encodage {table.encoding}")
            parts.append(f"séparateur {encoding.DELIMITER_LABELS.get(table.delimiter, table.delimiter)}")
        if table.header_row > 1:
            parts.append(f"en-tête ligne {table.header_row}")
        parts.append(plural(len(table.rows), "ligne"))
        return " · ".join(parts)


def analyse(
    conn: sqlite3.Connection, kind: str, name: str, content: bytes, file_format: str = "auto"
) -> Analysis:
    """Read a file's bytes and say what it is; for a survey export, propose the column mapping.

    Raises ImportFileError when the file cannot be read, or is a survey export given as another kind.
    Writes nothing.
    """
    if kind not in KINDS:
        raise ValueError(f"type de fichier inconnu : {kind!r}")
    if file_format not in FORMAT_CHOICES:
        raise ValueError(f"format inconnu : {file_format!r}")
    raw = read_bytes(name, content)
    if file_format == "auto":
        detected, header_row = formats.detect(raw.records, raw.xlsx_tables)
    elif file_format == "template":
        detected, header_row = "template", 1
    else:
        detected = file_format
        header_row = formats.header_row(formats.FORMATS[detected], raw.records, raw.xlsx_tables)
    table = raw.table(header_row)
    if detected == "template":
        return Analysis(kind, detected, table)
    if kind != "responses":
        raise ImportFileError(
            name,
            f"ce fichier est un export {formats.FORMAT_LABELS[detected]} : il s'importe comme "
            f"« {KIND_LABELS['responses']} », pas comme « {KIND_LABELS[kind]} »",
        )
    export_format = formats.FORMATS[detected]
    columns = tuple(export_format.classify(table.header))
    values = {
        column.key: tuple(cells[column.index] if column.index < len(cells) else "" for _, cells in table.rows)
        for column in columns
    }
    catalogue = store.load_questions(conn)
    interventions = store.load_interventions(conn)
    automatic = automatic_mapping(columns, values, catalogue, interventions)
    grid_questions, grid_rows = grid_intervention_defaults(columns, catalogue, interventions)
    # A grid whose every row names an intervention is read one intervention per row.
    by_intervention = bool(grid_rows) and all(grid_rows.values())
    automatic = replace(
        automatic,
        grid_questions=grid_questions,
        grid_rows=grid_rows,
        grid_mode=GRID_BY_INTERVENTION if by_intervention else automatic.grid_mode,
    )
    form = fingerprint(detected, columns)
    saved_mapping = best_saved_mapping(store.load_import_mappings(conn, detected), form, table.header)
    mapping, saved = automatic, ""
    if saved_mapping is not None:
        mapping = merge_saved(automatic, saved_mapping[0], values.keys())
        saved = "exact" if saved_mapping[1] else "similar"
    return Analysis(kind, detected, table, columns, values, form, mapping, saved)


# --- the report -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    file: str
    kind: str
    format: str
    write: store.WriteReport
    incomplete: int = 0
    """LimeSurvey responses left unfinished (no submission date): skipped, not imported."""
    questions_added: tuple[str, ...] = ()
    """New catalogue questions (ids) the mapping asked for."""
    mapping_saved: bool = False
    dry_run: bool = False

    def describe(self) -> str:
        """The report in French: "3 ajouté(s), 1 mis à jour, 10 inchangé(s) ; 2 réponses incomplètes ignorées"."""
        parts = [loading.describe_report(self.write)]
        if self.incomplete:
            word = "réponse incomplète ignorée" if self.incomplete == 1 else "réponses incomplètes ignorées"
            parts.append(f"{self.incomplete} {word} (sans date de soumission)")
        if self.questions_added:
            count = len(self.questions_added)
            parts.append(
                f"{count} question{'s' if count > 1 else ''} ajoutée{'s' if count > 1 else ''} au questionnaire"
            )
        return " ; ".join(parts)


# --- running an import -------------------------------------------------------------------------------


def import_file(
    conn: sqlite3.Connection,
    kind: str,
    name: str,
    content: bytes,
    *,
    file_format: str = "auto",
    mapping: Mapping | None = None,
    intervention_id: str | None = None,
    dry_run: bool = False,
    save_mapping: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """`analyse` then `run_import`: the mapping is the one given, else the saved or automatic one."""
    analysis = analyse(conn, kind, name, content, file_format)
    return run_import(
        conn,
        analysis,
        mapping,
        intervention_id=intervention_id,
        dry_run=dry_run,
        save_mapping=save_mapping,
        progress=progress,
    )


def import_path(conn: sqlite3.Connection, kind: str, path: Path, **options: Any) -> ImportReport:
    """`import_file` on a file on disk."""
    path = Path(path)
    return import_file(conn, kind, path.name, read_path(path), **options)


def read_path(path: Path) -> bytes:
    """The bytes of a file to import, refused before reading when beyond the size limit."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ImportFileError(path.name, "c'est un dossier, pas un fichier")
        size = path.stat().st_size
        if size > max_import_bytes():
            raise too_large(path.name, size)
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(path.name, "fichier introuvable") from None
    except OSError as error:
        raise ImportFileError(path.name, f"lecture impossible ({error.strerror})") from None


def run_import(
    conn: sqlite3.Connection,
    analysis: Analysis,
    mapping: Mapping | None = None,
    *,
    intervention_id: str | None = None,
    dry_run: bool = False,
    save_mapping: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate the analysed file with `mapping` (default: the analysis's) and write it in one
    transaction; nothing is written when a problem is found (ImportValidationError lists them all)
    or with `dry_run`. For survey exports, the mapping is saved for the next file of the form."""
    tell = progress or _no_progress
    if analysis.format == "template":
        tell(0.2, "Vérification du fichier…")
        report = loading.import_template(
            conn, analysis.kind, analysis.table, dry_run, intervention_id=intervention_id
        )
        tell(1.0, "Terminé")
        return ImportReport(analysis.file, analysis.kind, analysis.format, report, dry_run=dry_run)
    chosen = mapping if mapping is not None else analysis.mapping

    def work() -> ImportReport:
        reader = SurveyReader(conn, analysis, chosen, intervention_id, tell)
        prepared = reader.read()
        if prepared.problems:
            raise ImportValidationError(prepared.problems)
        tell(0.85, "Enregistrement…")
        if prepared.new_questions:
            store.write_questions(conn, prepared.new_questions)
        write = store.write_responses(conn, prepared.responses, prepared.answers)
        loading.record_import(conn, analysis.file, f"{analysis.kind}, {analysis.format}", write)
        saved = False
        resolved = reader.resolved_mapping()
        if save_mapping and _mapping_changed(conn, analysis, resolved):
            store.save_import_mapping(
                conn, analysis.fingerprint, analysis.format, analysis.table.header, resolved.to_json()
            )
            saved = True
        tell(1.0, "Terminé")
        return ImportReport(
            analysis.file,
            analysis.kind,
            analysis.format,
            write,
            incomplete=prepared.incomplete,
            questions_added=tuple(q["question_id"] for q in prepared.new_questions),
            mapping_saved=saved,
            dry_run=dry_run,
        )

    def keep(report: ImportReport) -> bool:
        changed = report.write.added or report.write.updated or report.questions_added or report.mapping_saved
        return not dry_run and bool(changed)

    return loading.atomically(conn, work, keep, backup=None if dry_run else "import")


def _mapping_changed(conn: sqlite3.Connection, analysis: Analysis, mapping: Mapping) -> bool:
    saved = store.load_import_mappings(conn, analysis.format)
    mine = saved[saved["fingerprint"] == analysis.fingerprint]
    return mine.empty or mine["mapping"].iloc[0] != mapping.to_json()
