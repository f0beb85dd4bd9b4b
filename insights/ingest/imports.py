"""Every import through one door: read a file (a template or a survey tool's export), recognise its
format, map a survey export's columns to the question catalogue, validate everything, write it in
one transaction and report what changed.

The page "Données" and `python -m insights import` both call `analyse` then `run_import` (or
`import_file` for both at once), so they accept the same files and report in the same words.

Survey exports: respondents' e-mails and names are never stored; a salted hash of them (salt kept in
the database, made once with `secrets`) is the respondent key. Response ids are made from what
identifies a response in its tool (its number, or its submission time, or its respondent), so the
same file imported twice adds nothing, and a later export of the same form only adds the new answers.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from insights import store
from insights.domain import QUESTION_TYPES, split_list
from insights.formatting import plural
from insights.ingest import dates, encoding, formats, templates
from insights.ingest.formats import SourceColumn
from insights.ingest.mapping import (
    GRID_BY_INTERVENTION,
    IGNORE,
    INTERVENTION,
    NEW,
    QUESTION_TARGET,
    RESPONDENT,
    UNMAPPED,
    ColumnTarget,
    Mapping,
    automatic_mapping,
    best_saved_mapping,
    fingerprint,
    grid_groups,
    grid_intervention_defaults,
    match_intervention,
    merge_saved,
    new_question_id,
    wording,
)
from insights.ingest.scales import answer_parser
from insights.ingest.validation import ImportFileError, ImportValidationError, InvalidCell, Problem

KIND_LABELS: dict[str, str] = {
    "speakers": "Intervenant·es",
    "career-steps": "Étapes de parcours",
    "cohorts": "Promotions",
    "interventions": "Interventions",
    "responses": "Réponses aux questionnaires",
    "quotes": "Citations",
}
"""Each kind of import as the page names it."""

FORMAT_CHOICES: tuple[str, ...] = ("auto", "template", *formats.FORMATS)
"""The `--format` values: `auto` recognises the format from the header."""

MAX_CHOICE_OPTIONS = 20
"""A new choice question takes the distinct answers as options; beyond this many, text fits better."""

ANONYMOUS_VALUES = frozenset({"anonymous", "anonyme", "anonym", "anónimo"})
"""What Microsoft Forms writes in the e-mail or name column of an open form."""

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
    table: templates.Table
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
    if kind not in templates.KINDS:
        raise ValueError(f"type de fichier inconnu : {kind!r}")
    if file_format not in FORMAT_CHOICES:
        raise ValueError(f"format inconnu : {file_format!r}")
    raw = templates.read_bytes(name, content)
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
        parts = [templates.describe_report(self.write)]
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
        if size > templates.max_import_bytes():
            raise templates.too_large(path.name, size)
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
        report = templates.import_template(
            conn, analysis.kind, analysis.table, dry_run, intervention_id=intervention_id
        )
        tell(1.0, "Terminé")
        return ImportReport(analysis.file, analysis.kind, analysis.format, report, dry_run=dry_run)
    chosen = mapping if mapping is not None else analysis.mapping

    def work() -> ImportReport:
        reader = _SurveyReader(conn, analysis, chosen, intervention_id, tell)
        prepared = reader.read()
        if prepared.problems:
            raise ImportValidationError(prepared.problems)
        tell(0.85, "Enregistrement…")
        if prepared.new_questions:
            store.write_questions(conn, prepared.new_questions)
        write = store.write_responses(conn, prepared.responses, prepared.answers)
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

    return templates.atomically(conn, work, keep)


def _mapping_changed(conn: sqlite3.Connection, analysis: Analysis, mapping: Mapping) -> bool:
    saved = store.load_import_mappings(conn, analysis.format)
    mine = saved[saved["fingerprint"] == analysis.fingerprint]
    return mine.empty or mine["mapping"].iloc[0] != mapping.to_json()


# --- reading a survey export --------------------------------------------------------------------------


@dataclass
class _Prepared:
    responses: list[dict[str, Any]] = field(default_factory=list)
    answers: list[tuple[str, str, float | None, str | None]] = field(default_factory=list)
    new_questions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    incomplete: int = 0


@dataclass(frozen=True)
class _Question:
    """A catalogue question (or one the import adds) that some columns answer."""

    question_id: str
    type: str
    options: tuple[str, ...]


class _SurveyReader:
    """Turns a survey export into responses and long answers, collecting every problem."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        analysis: Analysis,
        mapping: Mapping,
        intervention_id: str | None,
        progress: Progress,
    ) -> None:
        self.conn = conn
        self.analysis = analysis
        self.mapping = mapping
        self.intervention_id = intervention_id
        self.progress = progress
        self.file = analysis.file
        self.header_row = analysis.table.header_row
        self.format = analysis.export_format
        self.problems: list[Problem] = []
        catalogue = store.load_questions(conn)
        self.catalogue_rows = catalogue.to_dict("records")
        self.catalogue = {
            row.question_id: _Question(row.question_id, row.type, tuple(split_list(row.options)))
            for row in catalogue.itertuples(index=False)
        }
        self.next_position = store.next_question_position(conn)
        self.interventions = store.load_interventions(conn)
        self.intervention_ids = set(self.interventions["intervention_id"])
        self._salt: str | None = None
        self.created_columns: dict[str, str] = {}
        self.created_grids: dict[str, str] = {}

    def problem(self, row: int | None, column: str | None, value: str | None, reason: str) -> None:
        self.problems.append(Problem(self.file, row, column, value or None, reason))

    # -- the mapping's decisions, checked once -----------------------------------------------

    def _targets(self) -> tuple[dict[str, tuple[SourceColumn, _Question]], list[dict[str, Any]]]:
        """Each answer column's question (key → (column, question)) and the new questions to add."""
        by_question: dict[str, tuple[SourceColumn, _Question]] = {}
        taken: dict[str, str] = {}
        new_questions: list[dict[str, Any]] = []
        grid_mode = self.mapping.grid_mode == GRID_BY_INTERVENTION
        grid_targets: dict[str, _Question | None] = {}
        for column in self.analysis.question_columns:
            in_grid = grid_mode and self.analysis.in_grid(column)
            if grid_mode and not in_grid:
                continue  # outside the grids, nothing is read in this mode
            target = (
                self.mapping.grid_questions.get(column.grid_title or "", ColumnTarget())
                if in_grid
                else self.mapping.columns.get(column.key, ColumnTarget())
            )
            if target.action in (IGNORE, RESPONDENT, INTERVENTION) and not in_grid:
                continue
            if target.action == IGNORE:
                continue
            if target.action == UNMAPPED:
                if in_grid:
                    if column.grid_title not in grid_targets:
                        grid_targets[column.grid_title or ""] = None
                        self.problem(
                            self.header_row,
                            column.key,
                            None,
                            f"grille « {column.grid_title} » sans correspondance : associez-la à une question "
                            "du questionnaire ou à une nouvelle question, ou ignorez-la",
                        )
                elif any(cell.strip() for cell in self.analysis.values.get(column.key, ())):
                    self.problem(
                        self.header_row,
                        column.key,
                        None,
                        "colonne sans correspondance : associez-la à une question du questionnaire ou à une "
                        "nouvelle question, ou ignorez-la",
                    )
                continue
            grid_key = column.grid_title or "" if in_grid else None
            if grid_key is not None and grid_key in grid_targets:
                question = grid_targets[grid_key]
                if question is not None:
                    by_question[column.key] = (column, question)
                continue
            question = self._question(column, target, new_questions, taken, in_grid)
            if grid_key is not None:
                grid_targets[grid_key] = question
            if question is None:
                continue
            if not in_grid:
                if question.question_id in taken:
                    self.problem(
                        self.header_row,
                        column.key,
                        None,
                        f"deux colonnes pour la question « {question.question_id} » (déjà la colonne "
                        f"« {taken[question.question_id]} ») : ignorez l'une des deux",
                    )
                    continue
                taken[question.question_id] = column.key
            by_question[column.key] = (column, question)
        return by_question, new_questions

    def _question(
        self,
        column: SourceColumn,
        target: ColumnTarget,
        new_questions: list[dict[str, Any]],
        taken: dict[str, str],
        in_grid: bool,
    ) -> _Question | None:
        if target.action == QUESTION_TARGET:
            question = self.catalogue.get(target.question_id)
            if question is None:
                self.problem(
                    self.header_row, column.key, target.question_id, "question inconnue du questionnaire"
                )
            return question
        if target.action != NEW:
            self.problem(self.header_row, column.key, target.action, "choix de correspondance inconnu")
            return None
        if target.question_type not in QUESTION_TYPES:
            self.problem(
                self.header_row,
                column.key,
                target.question_type,
                f"type de question attendu parmi : {', '.join(QUESTION_TYPES)}",
            )
            return None
        label = " ".join((target.label or (column.grid_title if in_grid else column.text) or "").split())
        if not label:
            self.problem(self.header_row, column.key, None, "intitulé de la nouvelle question obligatoire")
            return None
        same = [
            q["question_id"]
            for q in self.catalogue_rows
            if q["type"] == target.question_type and wording(q["label"]) == wording(label)
        ]
        if same and not target.question_id:
            # The question this column asks is already in the catalogue (made by an earlier import).
            return self.catalogue[same[0]]
        known = set(self.catalogue) | {q["question_id"] for q in new_questions}
        question_id = target.question_id or new_question_id(label, known)
        if question_id in known:
            self.problem(
                self.header_row,
                column.key,
                question_id,
                "identifiant déjà pris par une question du questionnaire : choisissez-en un autre",
            )
            return None
        options: tuple[str, ...] = ()
        if target.question_type == "choice":
            keys = (
                [c.key for c in self.analysis.grids.get(column.grid_title or "", [])]
                if in_grid
                else [column.key]
            )
            options = tuple(
                dict.fromkeys(
                    " ".join(cell.split())
                    for key in keys
                    for cell in self.analysis.values.get(key, ())
                    if cell.strip() and cell.strip() not in target.values
                )
            )
            options = tuple(dict.fromkeys((*options, *(v for v in target.values.values() if v))))
            if len(options) > MAX_CHOICE_OPTIONS:
                self.problem(
                    self.header_row,
                    column.key,
                    None,
                    f"{len(options)} réponses différentes : trop pour une question à choix "
                    f"(au plus {MAX_CHOICE_OPTIONS}) ; choisissez « texte libre »",
                )
                return None
            if any(";" in option for option in options):
                self.problem(
                    self.header_row,
                    column.key,
                    next(o for o in options if ";" in o),
                    "une option de choix ne peut pas contenir « ; » ; choisissez « texte libre »",
                )
                return None
        question = _Question(question_id, target.question_type, options)
        new_questions.append(
            {
                "question_id": question_id,
                "type": target.question_type,
                "label": label,
                "options": ";".join(options),
                "position": self.next_position + len(new_questions),
            }
        )
        self.catalogue[question_id] = question
        if in_grid:
            self.created_grids[column.grid_title or ""] = question_id
        else:
            self.created_columns[column.key] = question_id
        return question

    def resolved_mapping(self) -> Mapping:
        """The mapping as it will be saved: new questions, now in the catalogue, become questions."""
        mapping = self.mapping
        columns = _created_as_questions(mapping.columns, self.created_columns)
        grids = _created_as_questions(mapping.grid_questions, self.created_grids)
        return replace(mapping, columns=columns, grid_questions=grids)

    def _intervention_source(self) -> str | None:
        """The column giving each row's intervention (None: the whole file's, or the grid rows')."""
        if self.mapping.grid_mode == GRID_BY_INTERVENTION:
            if not self.analysis.grids:
                self.problem(
                    None,
                    None,
                    None,
                    "« une intervention par ligne de grille » : ce fichier n'a pas de grille",
                )
            elif not any(
                self.mapping.grid_rows.get(c.grid_row or "") for g in self.analysis.grids.values() for c in g
            ):
                self.problem(
                    None,
                    None,
                    None,
                    "aucune ligne de grille n'est associée à une intervention : associez-les",
                )
            return None
        if self.intervention_id is not None:
            if self.intervention_id not in self.intervention_ids:
                self.problem(
                    None,
                    None,
                    self.intervention_id,
                    "intervention inconnue (ni dans interventions.csv ni dans la base)",
                )
            return None
        column = self.mapping.intervention_column()
        if column is None:
            self.problem(
                None,
                None,
                None,
                "intervention non précisée : choisissez-la pour tout le fichier, ou indiquez la colonne qui la donne",
            )
        return column

    # -- rows -------------------------------------------------------------------------------------

    def _salted(self, identity: str) -> str:
        if self._salt is None:
            self._salt = store.respondent_salt(self.conn)
        return hashlib.sha256(f"{self._salt}\x1f{identity}".encode()).hexdigest()[:12]

    def read(self) -> _Prepared:
        prepared = _Prepared()
        analysis = self.analysis
        targets, prepared.new_questions = self._targets()
        intervention_column = self._intervention_source()
        roles = {
            role: [c for c in analysis.columns if c.role == role]
            for role in (formats.SUBMITTED, formats.SOURCE_ID, formats.STARTED, formats.IDENTITY)
        }
        identity_columns = roles[formats.IDENTITY] + [
            c
            for c in analysis.question_columns
            if self.mapping.columns.get(c.key, ColumnTarget()).action == RESPONDENT
        ]
        submitted_column = roles[formats.SUBMITTED][0] if roles[formats.SUBMITTED] else None
        source_column = roles[formats.SOURCE_ID][0] if roles[formats.SOURCE_ID] else None
        started_column = roles[formats.STARTED][0] if roles[formats.STARTED] else None
        for role, column in ((formats.SUBMITTED, submitted_column), (formats.SOURCE_ID, source_column)):
            if column is None and role in self.format.required_roles:
                self.problem(
                    self.header_row,
                    self.format.role_headers.get(role),
                    None,
                    f"colonne manquante : un export {self.format.label} a toujours cette colonne "
                    f"({formats.ROLE_LABELS[role]})",
                )
        order = dates.infer_order(
            analysis.values.get(submitted_column.key, ()) if submitted_column else (),
            self.format.date_order(analysis.table.header),
        )
        parsers = {
            key: answer_parser(question.type, question.options, self._value_map(column))
            for key, (column, question) in targets.items()
        }
        by_intervention = (
            self._grid_columns(targets) if self.mapping.grid_mode == GRID_BY_INTERVENTION else None
        )
        if not analysis.table.rows:
            self.problem(self.header_row + 1, None, None, "aucune ligne de données sous l'en-tête")
        frame_rows: list[dict[str, Any]] = []
        locations: list[tuple[int, dict[str, str], dict[str, str]]] = []
        first_source_row: dict[str, int] = {}
        occurrences: dict[str, int] = {}
        total = max(1, len(analysis.table.rows))
        width = len(analysis.table.header)
        for position, (number, cells) in enumerate(analysis.table.rows):
            if position % 500 == 0:
                self.progress(0.1 + 0.7 * position / total, f"Lecture des réponses ({position}/{total})…")
            cell = self._cells(cells)
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                self.problem(number, None, None, "la ligne a plus de cellules que l'en-tête n'a de colonnes")
            submitted_raw = cell(submitted_column).strip() if submitted_column else ""
            if not self.format.is_complete(submitted_raw):
                prepared.incomplete += 1
                continue
            submitted = ""
            if submitted_column is not None:
                if not submitted_raw:
                    self.problem(number, submitted_column.key, None, "date de soumission manquante")
                else:
                    try:
                        submitted = dates.parse_datetime(submitted_raw, order)
                    except InvalidCell as error:
                        self.problem(number, submitted_column.key, submitted_raw, str(error))
            source_id = cell(source_column).strip() if source_column else ""
            if source_column is not None:
                if not source_id:
                    self.problem(number, source_column.key, None, "numéro de réponse manquant")
                elif source_id in first_source_row:
                    self.problem(
                        number,
                        source_column.key,
                        source_id,
                        f"numéro de réponse en double (déjà ligne {first_source_row[source_id]})",
                    )
                else:
                    first_source_row[source_id] = number
            identity = " | ".join(
                " ".join(value.casefold().split())
                for c in identity_columns
                if (value := cell(c).strip()) and value.casefold() not in ANONYMOUS_VALUES
            )
            respondent = self._salted(identity) if identity else ""
            for intervention, answered in self._row_interventions(
                number, cell, targets, intervention_column, by_intervention
            ):
                values: dict[str, Any] = {"intervention_id": intervention, "submitted_at": submitted}
                raw_cells: dict[str, str] = {}
                where: dict[str, str] = {}
                for key in answered:
                    column, question = targets[key]
                    text = " ".join(cell(column).split()) if question.type != "text" else cell(column).strip()
                    if not text:
                        continue
                    try:
                        parsed = parsers[key](text)
                    except InvalidCell as error:
                        self.problem(number, column.key, text, str(error))
                        continue
                    if parsed == "" and question.type != "text":
                        continue  # a label the director chose to leave out
                    values[question.question_id] = parsed
                    raw_cells[question.question_id] = text
                    where[question.question_id] = column.key
                if intervention_column is not None:
                    where["intervention_id"] = intervention_column
                    raw_cells["intervention_id"] = cell(
                        next(c for c in analysis.columns if c.key == intervention_column)
                    ).strip()
                # Times in ISO form, so that two downloads of the same answers written differently
                # (Google's two routes, a spreadsheet re-save) give the same ids.
                moment = submitted or submitted_raw
                parts = [
                    self.format.id_prefix,
                    intervention or "",
                    *(
                        (source_id, self._started(cell(started_column), order) if started_column else moment)
                        if source_column is not None
                        else ((respondent,) if respondent else (moment,))
                    ),
                ]
                base = self.format.id_prefix + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]
                occurrences[base] = occurrences.get(base, 0) + 1
                response_id = base if occurrences[base] == 1 else f"{base}-{occurrences[base]}"
                prepared.responses.append(
                    {
                        "response_id": response_id,
                        "intervention_id": intervention,
                        "submitted_at": submitted,
                        "respondent": respondent,
                    }
                )
                frame_rows.append(values)
                locations.append((number, where, raw_cells))
        self.progress(0.8, "Vérification des valeurs…")
        self._check_schema(frame_rows, locations, {q.question_id: q for _, q in targets.values()})
        if self.problems:
            prepared.problems = sorted(self.problems, key=self._order)
            return prepared
        for response, values in zip(prepared.responses, frame_rows, strict=True):
            for question_id, value in values.items():
                if question_id in ("intervention_id", "submitted_at"):
                    continue
                if isinstance(value, float):
                    prepared.answers.append((response["response_id"], question_id, value, None))
                else:
                    prepared.answers.append((response["response_id"], question_id, None, value))
        return prepared

    @staticmethod
    def _started(text: str, order: dates.Order | None) -> str:
        """A start time as ISO text for the response's key (as written when unreadable: it is not stored)."""
        try:
            return dates.parse_datetime(text, order) if text.strip() else ""
        except InvalidCell:
            return text.strip()

    def _cells(self, cells: Sequence[str]) -> Callable[[SourceColumn | None], str]:
        def cell(column: SourceColumn | None) -> str:
            if column is None or column.index >= len(cells):
                return ""
            return cells[column.index]

        return cell

    def _value_map(self, column: SourceColumn) -> dict[str, str]:
        if self.mapping.grid_mode == GRID_BY_INTERVENTION and self.analysis.in_grid(column):
            return self.mapping.grid_questions.get(column.grid_title or "", ColumnTarget()).values
        return self.mapping.columns.get(column.key, ColumnTarget()).values

    def _grid_columns(self, targets: dict[str, tuple[SourceColumn, _Question]]) -> dict[str, list[str]]:
        """In intervention mode: each intervention's answer columns (one per grid), by the rows' labels."""
        by_intervention: dict[str, list[str]] = {}
        for key, (column, _) in targets.items():
            intervention = self.mapping.grid_rows.get(column.grid_row or "", "")
            if not intervention:
                continue
            if intervention not in self.intervention_ids:
                self.problem(
                    self.header_row,
                    column.key,
                    intervention,
                    "intervention inconnue (ni dans interventions.csv ni dans la base)",
                )
                continue
            by_intervention.setdefault(intervention, []).append(key)
        return by_intervention

    def _row_interventions(
        self,
        number: int,
        cell: Callable[[SourceColumn | None], str],
        targets: dict[str, tuple[SourceColumn, _Question]],
        intervention_column: str | None,
        by_intervention: dict[str, list[str]] | None,
    ) -> list[tuple[str, list[str]]]:
        """The responses a row holds: (intervention id, answer column keys) for each."""
        if by_intervention is not None:
            return [
                (intervention, keys)
                for intervention, keys in by_intervention.items()
                if any(cell(targets[key][0]).strip() for key in keys)
            ]
        if intervention_column is None:
            return [(self.intervention_id or "", list(targets))]
        column = next(c for c in self.analysis.columns if c.key == intervention_column)
        value = cell(column).strip()
        if not value:
            self.problem(number, column.key, None, "intervention manquante")
            return []
        mapped = self.mapping.intervention_values.get(value) or match_intervention(value, self.interventions)
        if mapped is None:
            self.problem(
                number,
                column.key,
                value,
                "intervention inconnue : associez cette valeur à une intervention (page Données) ou écrivez son identifiant",
            )
            return []
        return [(mapped, list(targets))]

    def _check_schema(
        self,
        rows: list[dict[str, Any]],
        locations: list[tuple[int, dict[str, str], dict[str, str]]],
        questions: dict[str, _Question],
    ) -> None:
        """Check the converted answers against the catalogue with a pandera schema: scale ranges and
        known interventions. Each failure becomes a Problem at its row and source column."""
        if not rows:
            return
        frame = pd.DataFrame(rows, columns=["intervention_id", "submitted_at", *questions])
        schema_columns: dict[str, pa.Column] = {
            "intervention_id": pa.Column(
                object,
                # "" when the intervention is missing: already reported for the whole file.
                pa.Check.isin(
                    ["", *sorted(self.intervention_ids)],
                    error="intervention inconnue (ni dans interventions.csv ni dans la base)",
                ),
            ),
        }
        for question_id, question in questions.items():
            if question.type == "likert5":
                checks = [
                    pa.Check.isin(
                        [1.0, 2.0, 3.0, 4.0, 5.0], error="hors de l'échelle : un entier de 1 à 5 attendu"
                    )
                ]
            elif question.type == "nps":
                checks = [
                    pa.Check.isin(
                        [float(n) for n in range(11)], error="hors de l'échelle : un entier de 0 à 10 attendu"
                    )
                ]
            else:
                continue
            schema_columns[question_id] = pa.Column(object, checks, nullable=True)
        schema = pa.DataFrameSchema(schema_columns, coerce=False)
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as errors:
            cases = errors.failure_cases
            for column, index, reason in zip(cases["column"], cases["index"], cases["check"], strict=True):
                if index is None or column is None or pd.isna(index):
                    continue
                number, where, raw = locations[int(index)]
                self.problem(number, where.get(column, column), raw.get(column), str(reason))

    def _order(self, problem: Problem) -> tuple[int, int]:
        if problem.column is None:
            return (problem.row or 0, -1)
        index = next(
            (c.index for c in self.analysis.columns if c.key == problem.column), len(self.analysis.columns)
        )
        return (problem.row or 0, index)


def unrecognised_values(
    analysis: Analysis, mapping: Mapping, catalogue: pd.DataFrame
) -> dict[str, list[str]]:
    """The distinct answers the import cannot read by itself (not a known label, digit in range or
    option), which the director may map by hand: by column key for the columns mapped to a scale or
    choice question; by grid title for the grids read one intervention per row."""
    questions = {
        row.question_id: (row.type, tuple(split_list(row.options)))
        for row in catalogue.itertuples(index=False)
    }
    by_intervention = mapping.grid_mode == GRID_BY_INTERVENTION
    sources: list[tuple[str, ColumnTarget, list[str]]] = []
    if by_intervention:
        for title, grid in analysis.grids.items():
            sources.append((title, mapping.grid_questions.get(title, ColumnTarget()), [c.key for c in grid]))
    for column in analysis.question_columns:
        if not (by_intervention and analysis.in_grid(column)):
            sources.append((column.key, mapping.columns.get(column.key, ColumnTarget()), [column.key]))
    result: dict[str, list[str]] = {}
    for key, target, column_keys in sources:
        if target.action != QUESTION_TARGET or target.question_id not in questions:
            continue
        question_type, options = questions[target.question_id]
        if question_type == "text":
            continue
        parse = answer_parser(question_type, options)
        allowed = (
            (1.0, 2.0, 3.0, 4.0, 5.0) if question_type == "likert5" else tuple(float(n) for n in range(11))
        )
        bad: dict[str, None] = {}
        for cell in (c for k in column_keys for c in analysis.values.get(k, ())):
            text = " ".join(cell.split())
            if not text or text in target.values or text in bad:
                continue
            try:
                value = parse(text)
            except InvalidCell:
                bad[text] = None
                continue
            if question_type in ("likert5", "nps") and value not in allowed:
                bad[text] = None
        if bad:
            result[key] = list(bad)[:30]
    return result


def unmatched_interventions(analysis: Analysis, mapping: Mapping, interventions: pd.DataFrame) -> list[str]:
    """The distinct cells of the intervention column that name no known intervention by themselves
    and have no hand-made match yet."""
    key = mapping.intervention_column()
    if key is None:
        return []
    cells = dict.fromkeys(v.strip() for v in analysis.values.get(key, ()) if v.strip())
    return [
        v
        for v in cells
        if v not in mapping.intervention_values and match_intervention(v, interventions) is None
    ]


# --- problems as a table --------------------------------------------------------------------------------

PROBLEM_COLUMNS = ["Fichier", "Ligne", "Colonne", "Valeur", "Raison"]


def problems_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """Problems as the page shows them: columns Fichier, Ligne (Int64, empty for the whole file),
    Colonne, Valeur, Raison."""
    return pd.DataFrame(
        [(p.file, p.row, p.column or "", p.value or "", p.reason) for p in problems], columns=PROBLEM_COLUMNS
    ).astype({"Ligne": "Int64"})


def problems_csv(problems: Sequence[Problem]) -> bytes:
    """Problems as a CSV to download (UTF-8 with BOM for Excel; cells neutralised against formulas)."""
    rows = [
        [p.file, "" if p.row is None else str(p.row), p.column or "", p.value or "", p.reason]
        for p in problems
    ]
    return ("\ufeff" + templates.csv_text(PROBLEM_COLUMNS, rows)).encode("utf-8")


def _created_as_questions(
    targets: dict[str, ColumnTarget], created: dict[str, str]
) -> dict[str, ColumnTarget]:
    """The targets with each column that created a catalogue question now mapped to that question."""
    return {
        key: (
            replace(target, action=QUESTION_TARGET, question_id=created[key], question_type="", label="")
            if key in created
            else target
        )
        for key, target in targets.items()
    }
