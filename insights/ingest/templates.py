"""The six import templates (CSV or XLSX): read and validate them, import them, export the tables back.

A template file has a header row of fixed column names (see DESIGN.md, "Data files"), one
record per row, `;` between the items of a list cell. Import is all-or-nothing and idempotent;
export writes files that import reads back unchanged. Cell-level checks live in `validation`.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from insights import store
from insights.domain import (
    FORMATS,
    NETWORKS,
    ORG_TYPES,
    QUOTE_SOURCES,
    QUOTE_STATUSES,
    SEMESTERS,
    join_list,
    split_list,
)
from insights.exporting import FORMULA_TRIGGERS, neutralise, unneutralise
from insights.formatting import format_number
from insights.ingest import encoding
from insights.ingest import validation as v
from insights.ingest.validation import ImportFileError, ImportValidationError, InvalidCell, Problem

__all__ = [
    "DEMO_DIR",
    "KINDS",
    "TEMPLATES",
    "ImportFileError",
    "ImportValidationError",
    "ParsedTemplate",
    "Problem",
    "RawFile",
    "Table",
    "Template",
    "atomically",
    "csv_text",
    "describe_report",
    "detect_format",
    "empty_template",
    "export_tables",
    "export_workbook",
    "export_zip",
    "import_directory",
    "import_template",
    "load_demo",
    "neutralise",
    "read_bytes",
    "read_file",
    "read_table",
    "read_template",
    "seed_demo_if_empty",
    "template_header",
    "template_path",
    "unneutralise",
    "write_csv",
]

DEMO_DIR = store.DEMO_DIR
"""The demo dataset shipped with the app, in the template formats."""

Answer = tuple[str, str, float | None, str | None]
"""(response_id, question_id, value_num, value_text): one stored survey answer."""


# --- the templates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """A column whose values must be ids of another table (in the database or the same import)."""

    column: str
    table: str
    unknown: str
    """What an unknown id is, e.g. "promotion inconnue"."""
    source: str
    """The file that defines these ids."""

    def reason(self, missing: list[str], listed: bool) -> str:
        where = f"(ni dans {self.source} ni dans la base)"
        return f"{self.unknown} : {', '.join(missing)} {where}" if listed else f"{self.unknown} {where}"


@dataclass(frozen=True)
class Template:
    """One template file: its columns in file order with the parser of each, its key, its references."""

    kind: str
    filename: str
    fields: Mapping[str, v.CellParser]
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    table: str | None = None
    """The table whose ids this file defines, for references from files imported with it."""

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.fields)


_SPEAKER = Reference("speaker_id", "speakers", "intervenant·e inconnu·e", "speakers.csv")
_INTERVENTION = Reference("intervention_id", "interventions", "intervention inconnue", "interventions.csv")

RESPONSE_FIXED_COLUMNS = ("response_id", "intervention_id", "submitted_at", "respondent")

TEMPLATES: dict[str, Template] = {
    t.kind: t
    for t in (
        Template(
            "cohorts",
            "cohorts.csv",
            {"cohort": v.cohort, "size": v.positive_integer},
            key=("cohort",),
            table="cohorts",
        ),
        Template(
            "speakers",
            "speakers.csv",
            {
                "speaker_id": v.identifier,
                "name": v.required_text,
                "title": v.text,
                "organisation": v.text,
                "org_type": v.one_of(ORG_TYPES),
                "sector": v.text,
                "networks": v.list_of(v.known_or_free(NETWORKS, {"Twitter": "X/Twitter", "X": "X/Twitter"})),
                "years_experience": v.years_experience,
                "education": v.text,
                "bio": v.text,
            },
            key=("speaker_id",),
            table="speakers",
        ),
        Template(
            "career-steps",
            "career_steps.csv",
            {
                "speaker_id": v.identifier,
                "year_from": v.year,
                "year_to": v.optional(v.year),
                "role": v.required_text,
                "organisation": v.text,
            },
            key=("speaker_id", "year_from", "role", "organisation"),
            references=(_SPEAKER,),
        ),
        Template(
            "interventions",
            "interventions.csv",
            {
                "intervention_id": v.identifier,
                "date": v.iso_date,
                "cohort": v.cohort,
                "semester": v.one_of(SEMESTERS),
                "speaker_ids": v.list_of(v.identifier, required=True),
                "title": v.required_text,
                "format": v.one_of(FORMATS),
                "themes": v.themes,
                "tools": v.list_of(v.text),
            },
            key=("intervention_id",),
            references=(
                Reference("cohort", "cohorts", "promotion inconnue", "cohorts.csv"),
                Reference("speaker_ids", "speakers", "intervenant·e inconnu·e", "speakers.csv"),
            ),
            table="interventions",
        ),
        Template(
            "responses",
            "responses.csv",
            {
                "response_id": v.identifier,
                "intervention_id": v.identifier,
                "submitted_at": v.timestamp,
                "respondent": v.respondent,
            },
            key=("response_id",),
            references=(_INTERVENTION,),
        ),
        Template(
            "quotes",
            "quotes.csv",
            {
                "quote_id": v.identifier,
                "text": v.required_text,
                "speaker_id": v.identifier,
                "intervention_id": v.optional_identifier,
                "themes": v.themes,
                "source": v.known_or_free(QUOTE_SOURCES),
                "status": v.one_of(QUOTE_STATUSES),
            },
            key=("quote_id",),
            references=(
                _SPEAKER,
                _INTERVENTION,
            ),
        ),
    )
}
"""The templates in dependency order: a file only refers to files before it."""

KINDS: tuple[str, ...] = tuple(TEMPLATES)


def _template(kind: str) -> Template:
    try:
        return TEMPLATES[kind]
    except KeyError:
        raise ValueError(f"type de fichier inconnu : {kind!r} (attendu : {', '.join(KINDS)})") from None


# --- reading a file as text cells ---------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A file's cells as text: its header and its non-blank data rows with their spreadsheet row numbers.

    `container`, `encoding` and `delimiter` say how the file was written (shown to the director);
    `header_row` is the spreadsheet row of the header (rows typed above it are not data);
    `xlsx_tables` names the Excel tables of a workbook's sheet (Microsoft Forms writes `Table1`).
    """

    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    container: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    header_row: int = 1
    xlsx_tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawFile:
    """Every record of a file (blank ones included), numbered as spreadsheet rows, and how it was written."""

    file: str
    records: tuple[tuple[int, tuple[str, ...]], ...]
    container: str
    encoding: str = ""
    delimiter: str = ""
    xlsx_tables: tuple[str, ...] = ()

    def table(self, header_row: int = 1) -> Table:
        """The file as a table whose header is at spreadsheet row `header_row`."""
        header = next((cells for number, cells in self.records if number == header_row), ())
        rows = tuple(
            (number, cells)
            for number, cells in self.records
            if number > header_row and any(cell.strip() for cell in cells)
        )
        return Table(
            self.file,
            tuple(cell.strip() for cell in header),
            rows,
            self.container,
            self.encoding,
            self.delimiter,
            header_row,
            self.xlsx_tables,
        )


DEFAULT_MAX_IMPORT_MB = 20
"""The largest file an import reads, in megabytes, unless `INSIGHTS_MAX_IMPORT_MB` says otherwise."""


def max_import_bytes() -> int:
    """The configured size limit of an imported file (env `INSIGHTS_MAX_IMPORT_MB`, default 20 Mo)."""
    try:
        megabytes = float(os.environ.get("INSIGHTS_MAX_IMPORT_MB") or DEFAULT_MAX_IMPORT_MB)
    except ValueError:
        megabytes = DEFAULT_MAX_IMPORT_MB
    return int(megabytes * 1_000_000)


def too_large(name: str, size: int) -> ImportFileError:
    """The error refusing a file beyond the size limit, with both sizes in megabytes."""
    limit = max_import_bytes()
    return ImportFileError(
        name,
        f"fichier trop volumineux ({format_number(size / 1_000_000, 1)} Mo ; limite : "
        f"{format_number(limit / 1_000_000, 0)} Mo) : découpez-le en plusieurs fichiers, par exemple un par "
        "promotion ou par semestre",
    )


def read_table(path: Path) -> Table:
    """Read a CSV (UTF-8 with or without BOM, Windows-1252, Latin-1 or UTF-16; `,` `;` or tab separated)
    or XLSX file (first sheet) as text cells, the header on the first row.

    Raises ImportFileError when the file is missing, too large, empty, binary or in no known encoding.
    """
    return read_file(path).table()


def read_file(path: Path) -> RawFile:
    """Every record of the file at `path` (see `read_bytes`)."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError
        if size > max_import_bytes():
            raise too_large(name, size)
        content = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(name, "fichier introuvable") from None
    except IsADirectoryError:
        raise ImportFileError(name, "c'est un dossier, pas un fichier") from None
    except OSError as error:
        raise ImportFileError(name, f"lecture impossible ({error.strerror})") from None
    return read_bytes(name, content)


def read_bytes(name: str, content: bytes) -> RawFile:
    """Every record of a file's bytes, CSV or XLSX whatever its name says, with how it was written."""
    if len(content) > max_import_bytes():
        raise too_large(name, len(content))
    if encoding.is_xlsx(content):
        records, tables = _xlsx_records(name, content)
        raw = RawFile(name, _numbered(records), "xlsx", xlsx_tables=tables)
    elif encoding.is_legacy_office(content) or name.lower().endswith(".xls"):
        raise ImportFileError(
            name, "ancien format Excel (.xls) non pris en charge : enregistrez en .xlsx ou en CSV"
        )
    else:
        if not content.strip():
            raise ImportFileError(name, "le fichier est vide")
        decoded = encoding.decode(name, content)
        delimiter = encoding.sniff_delimiter(decoded.text)
        raw = RawFile(
            name, _numbered(_csv_records(name, decoded.text, delimiter)), "csv", decoded.label, delimiter
        )
    if not any(cell.strip() for _, cells in raw.records for cell in cells):
        raise ImportFileError(name, "le fichier est vide")
    return raw


def _numbered(records: list[list[str]]) -> tuple[tuple[int, tuple[str, ...]], ...]:
    return tuple((number, tuple(cells)) for number, cells in enumerate(records, start=1))


def _csv_records(name: str, text: str, delimiter: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise ImportFileError(name, f"fichier CSV mal formé ({error})") from None


def _xlsx_records(name: str, content: bytes) -> tuple[list[list[str]], tuple[str, ...]]:
    import openpyxl  # deferred: only XLSX imports pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(
            name, "ce n'est ni un fichier CSV ni un classeur Excel (.xlsx) lisible"
        ) from None
    if unpacked > 10 * max_import_bytes():
        # A workbook's XML is about ten times its compressed size; far more is a decompression bomb.
        raise too_large(name, unpacked // 10)
    try:
        # Not read-only: Microsoft Forms writes a wrong sheet dimension that read-only mode trusts.
        workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError):
        raise ImportFileError(
            name, "ce n'est ni un fichier CSV ni un classeur Excel (.xlsx) lisible"
        ) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(name, "le classeur ne contient aucune feuille")
        sheet = workbook.worksheets[0]
        records = [
            [_xlsx_cell_text(value) for value in row] for row in sheet.iter_rows(min_row=1, values_only=True)
        ]
        return records, tuple(sheet.tables.keys())
    finally:
        workbook.close()


def _xlsx_cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person would have typed in a CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.microsecond:
            # Serial times carry float noise (…:20.999996): the tools record whole seconds.
            value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def detect_format(path: Path) -> str:
    """`template`, or the survey tool whose export this file looks like (`google-forms`,
    `microsoft-forms`, `limesurvey`), judged from its header row (see `insights.formats`)."""
    from insights.ingest import formats

    raw = read_file(path)
    return formats.detect(raw.records, raw.xlsx_tables)[0]


# --- validation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedTemplate:
    """A validated template file: records ready for the store's `write_*` function of its kind.

    For `responses`, `records` are the responses and `answers` their long answers.
    """

    kind: str
    file: str
    records: list[dict[str, Any]]
    answers: list[Answer] = field(default_factory=list)


@dataclass
class _Known:
    """Ids a file may refer to: those in the database plus those of files imported along with it."""

    ids: dict[str, set[str]]
    questions: dict[str, tuple[str, tuple[str, ...]]]

    @classmethod
    def from_database(cls, conn: sqlite3.Connection) -> _Known:
        ids = {table: store.existing_ids(conn, table) for table in ("cohorts", "speakers", "interventions")}
        catalogue = store.load_questions(conn)
        questions = {
            row.question_id: (row.type, tuple(split_list(row.options)))
            for row in catalogue.itertuples(index=False)
        }
        return cls(ids, questions)


def _question_parser(question_type: str, options: tuple[str, ...]) -> v.CellParser:
    if question_type == "likert5":
        return v.likert5
    if question_type == "nps":
        return v.nps
    if question_type == "choice":
        return v.one_of(options)
    return v.text


class _Validator:
    """Checks one table against a template, collecting every problem instead of stopping at the first."""

    def __init__(self, template: Template, table: Table, known: _Known, intervention_id: str | None) -> None:
        self.template = template
        self.table = table
        self.known = known
        self.default_intervention = intervention_id
        self.problems: list[Problem] = []
        self.columns: dict[str, int] = {}
        self.questions: dict[str, v.CellParser] = {}
        self.question_ids = {question_id.lower(): question_id for question_id in known.questions}

    def problem(self, row: int | None, column: str | None, value: str | None, reason: str) -> None:
        self.problems.append(Problem(self.table.file, row, column, value or None, reason))

    def check_header(self) -> None:
        template, table = self.template, self.table
        is_responses = template.kind == "responses"
        if not any(table.header):
            self.problem(1, None, None, "la première ligne doit donner les noms des colonnes (l'en-tête)")
        for index, raw in enumerate(table.header):
            name = raw.lower()
            if not name:
                if any(index < len(cells) and cells[index].strip() for _, cells in table.rows):
                    self.problem(
                        1, f"n° {index + 1}", None, "colonne sans nom alors qu'elle contient des valeurs"
                    )
                continue
            column = (
                name if name in template.fields else self.question_ids.get(name) if is_responses else None
            )
            if column is not None and column in self.columns:
                self.problem(1, raw, None, f"colonne en double (déjà colonne n° {self.columns[column] + 1})")
            elif column in template.fields:
                self.columns[column] = index
            elif column is not None:
                self.columns[column] = index
                self.questions[column] = _question_parser(*self.known.questions[column])
            elif is_responses:
                self.problem(
                    1,
                    raw,
                    None,
                    "colonne inconnue : ni une colonne du modèle ni une question du questionnaire",
                )
            else:
                self.problem(
                    1, raw, None, f"colonne inconnue (colonnes attendues : {', '.join(template.columns)})"
                )
        for column in template.columns:
            if column not in self.columns and not (column == "intervention_id" and self._fills_intervention):
                self.problem(1, column, None, "colonne manquante")
        if is_responses and not self.questions:
            self.problem(
                1, None, None, "aucune colonne de question : ajoutez au moins une question du questionnaire"
            )

    @property
    def _fills_intervention(self) -> bool:
        return self.template.kind == "responses" and self.default_intervention is not None

    def check_default_intervention(self) -> None:
        default = self.default_intervention
        if default is None:
            return
        try:
            v.identifier(default)
        except InvalidCell as error:
            self.problem(None, "intervention_id", default, str(error))
            return
        if default not in self.known.ids["interventions"]:
            self.problem(None, "intervention_id", default, _INTERVENTION.reason([default], listed=False))

    def parse_row(self, number: int, cells: tuple[str, ...]) -> tuple[dict[str, Any], bool]:
        """The row's parsed values by column (None where invalid) and whether every cell was valid."""
        if len(cells) > len(self.table.header) and any(c.strip() for c in cells[len(self.table.header) :]):
            self.problem(number, None, None, "la ligne a plus de cellules que l'en-tête n'a de colonnes")
        record: dict[str, Any] = {}
        valid = True
        for column, index in self.columns.items():
            cell = cells[index].strip() if index < len(cells) else ""
            parser = self.template.fields.get(column) or self.questions[column]
            cell = unneutralise(cell)
            if column == "intervention_id" and self.template.kind == "responses":
                cell = self._response_intervention(number, cell)
            if v.has_control_characters(cell):
                self.problem(number, column, cell, "caractère de contrôle invalide dans la cellule")
                record[column], valid = None, False
                continue
            if column in self.questions and not cell:
                record[column] = None
                continue
            try:
                record[column] = parser(cell)
            except InvalidCell as error:
                self.problem(number, column, cell, str(error))
                record[column], valid = None, False
        if self._fills_intervention and "intervention_id" not in self.columns:
            record["intervention_id"] = self.default_intervention
        return record, valid

    def _response_intervention(self, number: int, cell: str) -> str:
        default = self.default_intervention
        if default is None or not cell:
            return cell or (default or "")
        if cell != default:
            self.problem(
                number,
                "intervention_id",
                cell,
                f"diffère de l'intervention indiquée pour l'import ({default})",
            )
        return cell

    def check_references(self, number: int, record: dict[str, Any]) -> bool:
        valid = True
        for reference in self.template.references:
            value = record.get(reference.column)
            if value is None or (reference.column == "intervention_id" and self._fills_intervention):
                continue
            values = value if isinstance(value, list) else [value]
            missing = [item for item in values if item not in self.known.ids[reference.table]]
            if missing:
                listed = isinstance(value, list) and len(values) > 1
                self.problem(number, reference.column, ";".join(values), reference.reason(missing, listed))
                valid = False
        return valid

    def check_row_consistency(self, number: int, record: dict[str, Any]) -> bool:
        if self.template.kind == "career-steps":
            start, end = record.get("year_from"), record.get("year_to")
            if start is not None and end is not None and end < start:
                self.problem(
                    number, "year_to", str(end), f"l'année de fin précède l'année de début ({start})"
                )
                return False
        return True

    def validate(self, allow_empty: bool) -> ParsedTemplate:
        template = self.template
        self.check_header()
        if template.kind == "responses":
            self.check_default_intervention()
        if not self.table.rows and not allow_empty:
            self.problem(2, None, None, "aucune ligne de données sous l'en-tête")
        first_row_of_key: dict[tuple[Any, ...], int] = {}
        records: list[dict[str, Any]] = []
        answers: list[Answer] = []
        for number, cells in self.table.rows:
            record, valid = self.parse_row(number, cells)
            valid = self.check_references(number, record) and valid
            valid = self.check_row_consistency(number, record) and valid
            key = tuple(record.get(column) for column in template.key)
            if all(part is not None for part in key) and all(c in self.columns for c in template.key):
                if key in first_row_of_key:
                    self._duplicate(number, key, first_row_of_key[key])
                    valid = False
                else:
                    first_row_of_key[key] = number
            if valid and not self.problems:
                records.append(self._store_record(record))
                answers.extend(self._answers(record))
        self.problems.sort(key=self._problem_order)
        if template.table is not None:
            # Files imported along with this one may refer to its ids, even if some rows are invalid.
            self.known.ids[template.table].update(key[0] for key in first_row_of_key)
        return ParsedTemplate(template.kind, self.table.file, records, answers)

    def _problem_order(self, problem: Problem) -> tuple[int, int]:
        """Problems in reading order: by row, then by the column's place in the header."""
        if problem.column is None:
            return (problem.row or 0, -1)
        position = self.columns.get(problem.column)
        if position is None and problem.column in self.table.header:
            position = self.table.header.index(problem.column)
        return (problem.row or 0, len(self.table.header) if position is None else position)

    def _duplicate(self, number: int, key: tuple[Any, ...], first: int) -> None:
        if len(key) == 1:
            self.problem(
                number, self.template.key[0], str(key[0]), f"identifiant en double (déjà ligne {first})"
            )
        else:
            self.problem(
                number,
                None,
                None,
                f"étape en double : même intervenant·e, année de début, poste et structure que la ligne {first}",
            )

    def _store_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record as the store's writer of this kind expects it."""
        kind = self.template.kind
        stored = {column: record[column] for column in self.template.columns}
        if kind == "speakers":
            stored["networks"] = join_list(stored["networks"])
        elif kind == "interventions":
            stored["tools"] = join_list(stored["tools"])
        return stored

    def _answers(self, record: dict[str, Any]) -> list[Answer]:
        result: list[Answer] = []
        for question_id in self.questions:
            value = record.get(question_id)
            if value is None:
                continue
            if isinstance(value, float):
                result.append((record["response_id"], question_id, value, None))
            else:
                result.append((record["response_id"], question_id, None, value))
        return result


def _parse(
    kind: str,
    source: Path | Table,
    known: _Known,
    *,
    intervention_id: str | None = None,
    allow_empty: bool = False,
) -> tuple[ParsedTemplate, list[Problem]]:
    template = _template(kind)
    if intervention_id is not None and kind != "responses":
        raise ValueError("intervention_id ne s'applique qu'aux réponses (responses)")
    table = source if isinstance(source, Table) else read_table(source)
    validator = _Validator(template, table, known, intervention_id)
    parsed = validator.validate(allow_empty)
    return parsed, validator.problems


def read_template(
    kind: str,
    path: Path | Table,
    conn: sqlite3.Connection,
    *,
    intervention_id: str | None = None,
    allow_empty: bool = False,
) -> ParsedTemplate:
    """Read and validate a template file of `kind` (one of KINDS) against the database's ids.

    `path` is the file, or a Table already read from it (an upload, or rows being edited).
    `intervention_id` (responses only) fills a missing `intervention_id` column or its empty cells.
    A file with a header and no data rows is a problem unless `allow_empty`.
    Raises ImportFileError (unreadable file) or ImportValidationError (every problem found).
    """
    parsed, problems = _parse(
        kind, path, _Known.from_database(conn), intervention_id=intervention_id, allow_empty=allow_empty
    )
    if problems:
        raise ImportValidationError(problems)
    return parsed


# --- import -------------------------------------------------------------------------------------


def _write(conn: sqlite3.Connection, parsed: ParsedTemplate) -> store.WriteReport:
    if parsed.kind == "responses":
        return store.write_responses(conn, parsed.records, parsed.answers)
    writers: dict[str, Callable[[sqlite3.Connection, list[dict[str, Any]]], store.WriteReport]] = {
        "cohorts": store.write_cohorts,
        "speakers": store.write_speakers,
        "career-steps": store.write_career_steps,
        "interventions": store.write_interventions,
        "quotes": store.write_quotes,
    }
    return writers[parsed.kind](conn, parsed.records)


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


def atomically(conn: sqlite3.Connection, work: Callable[[], T], keep: Callable[[T], bool]) -> T:
    """Run `work` as one transaction (a savepoint inside an outer one); roll it back unless `keep(result)`.

    Every import runs this way: an exception (every problem found) or a dry run writes nothing.
    Rolling back a write that changed nothing keeps the data version, so caches stay valid.
    """
    try:
        if conn.in_transaction:
            with _savepoint(conn):
                result = work()
                if not keep(result):
                    raise _Discard(result)
        else:
            with store.transaction(conn):
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

    return atomically(conn, work, keep=lambda report: not dry_run and _changed(report))


def template_path(directory: Path, kind: str) -> Path | None:
    """The file of `kind` in `directory` (its CSV name, or the same name in .xlsx), None if absent."""
    csv_path = Path(directory) / _template(kind).filename
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
    """Import the template files present in `directory`, in dependency order, as one transaction.

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
        known = _Known.from_database(conn)
        parsed: dict[str, ParsedTemplate] = {}
        problems: list[Problem] = []
        for kind, path in paths.items():
            parsed[kind], file_problems = _parse(kind, path, known, allow_empty=True)
            problems.extend(file_problems)
        if problems:
            raise ImportValidationError(problems)
        return {kind: _write(conn, parsed[kind]) for kind in paths}

    return atomically(conn, work, keep=lambda reports: not dry_run and any(map(_changed, reports.values())))


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


# --- export -------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A stored value as template text: lists joined by `;`, whole numbers without ".0", blanks for missing."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, list | tuple):
        return join_list(list(value))
    if isinstance(value, float):
        if value != value:  # NaN: a missing value in a numeric column
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _table_rows(conn: sqlite3.Connection, kind: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the template file of `kind`, sorted by the table's key."""
    columns = list(_template(kind).columns)
    if kind == "responses":
        return _response_rows(conn)
    loaders: dict[str, Callable[[sqlite3.Connection], Any]] = {
        "cohorts": store.load_cohorts,
        "speakers": store.load_speakers,
        "career-steps": store.load_career_steps,
        "interventions": store.load_interventions,
        "quotes": store.load_quotes,
    }
    frame = loaders[kind](conn)
    if kind == "interventions":
        frame = frame.sort_values("intervention_id", kind="stable")
    rows = [
        [_cell(value) for value in values]
        for values in zip(*(frame[c].tolist() for c in columns), strict=True)
    ]
    return columns, rows


def _response_rows(conn: sqlite3.Connection) -> tuple[list[str], list[list[str]]]:
    question_ids = store.load_questions(conn)["question_id"].tolist()
    responses = store.load_responses(conn)
    answers = store.load_answers(conn)
    by_response: dict[str, dict[str, str]] = {}
    columns = (answers[c].tolist() for c in ("response_id", "question_id", "value_num", "value_text"))
    for response_id, question_id, number, label in zip(*columns, strict=True):
        # Likert and NPS answers are numbers, choice and text answers are labels.
        by_response.setdefault(response_id, {})[question_id] = (
            _cell(label) if number != number else _cell(number)
        )
    rows = []
    for values in zip(*(responses[c].tolist() for c in RESPONSE_FIXED_COLUMNS), strict=True):
        answered = by_response.get(values[0], {})
        rows.append([_cell(value) for value in values] + [answered.get(q, "") for q in question_ids])
    return [*RESPONSE_FIXED_COLUMNS, *question_ids], rows


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write a template CSV: UTF-8 without BOM, `,` separated, minimal quoting, `\\n` line ends,
    formula triggers neutralised (import reads the text back unchanged)."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        handle.write(csv_text(header, rows))


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    """A template CSV's text (see `write_csv`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def export_tables(conn: sqlite3.Connection, directory: Path) -> list[Path]:
    """Write the six template CSV files into `directory` (created if needed); return their paths.

    Rows are sorted by key; `import_directory` reads the files back into the same data.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, template in TEMPLATES.items():
        header, rows = _table_rows(conn, kind)
        path = directory / template.filename
        write_csv(path, header, rows)
        written.append(path)
    return written


def template_header(conn: sqlite3.Connection, kind: str) -> list[str]:
    """The columns of the template of `kind`; for responses, with the catalogue's question ids."""
    if kind == "responses":
        return [*RESPONSE_FIXED_COLUMNS, *store.load_questions(conn)["question_id"]]
    return list(_template(kind).columns)


def empty_template(conn: sqlite3.Connection, kind: str) -> bytes:
    """The template file of `kind` with its header only, to fill in (UTF-8 with a BOM, so that Excel
    shows accents right)."""
    return ("\ufeff" + csv_text(template_header(conn, kind), [])).encode("utf-8")


def export_zip(conn: sqlite3.Connection) -> bytes:
    """The six template CSV files (as `export_tables` writes them) in one ZIP archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind, template in TEMPLATES.items():
            header, rows = _table_rows(conn, kind)
            archive.writestr(template.filename, csv_text(header, rows))
    return buffer.getvalue()


def export_workbook(conn: sqlite3.Connection) -> bytes:
    """Every table in one XLSX workbook, a sheet per template (named like its file), text cells kept
    as text: a cell starting with = + - @ is stored as a string shown as typed (Excel's quote
    prefix), never as a formula."""
    import openpyxl  # deferred: only this export pays for it
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for kind, template in TEMPLATES.items():
        header, rows = _table_rows(conn, kind)
        sheet = workbook.create_sheet(Path(template.filename).stem)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append(row)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
