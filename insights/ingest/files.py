"""Reading an import file (CSV or XLSX, whatever its name says) into text cells, within the size limit,
and telling which format it is in (a template or a survey tool's export)."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from insights.formatting import format_number
from insights.ingest import encoding
from insights.ingest.validation import ImportFileError


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


MAX_COLUMNS = 1_000
"""The most columns a file may have (a survey export has a few dozen)."""
MAX_ROWS = 500_000
"""The most rows a file may have."""
MAX_CELL_CHARS = 20_000
"""The longest cell, in characters (a long free-text answer is a few thousand)."""
XLSX_CONTENT_RATIO = 5
"""A workbook's unpacked content may be this many times the size limit (its XML is a few times
its compressed size; far more is a decompression bomb)."""


def megabytes(size: int, limit: int | None = None) -> str:
    """A size in megabytes, with as many decimals as it takes to differ from `limit` (so that a
    file one byte over the limit does not read as equal to it)."""
    if limit is None and size % 1_000_000 == 0:
        return f"{format_number(size / 1_000_000, 0)} Mo"
    for decimals in (1, 3, 6):
        if limit is None or round(size / 1_000_000, decimals) != round(limit / 1_000_000, decimals):
            return f"{format_number(size / 1_000_000, decimals)} Mo"
    return f"{format_number(size, 0)} octets"


def too_large(name: str, size: int) -> ImportFileError:
    """The error refusing a file beyond the size limit, with both sizes in megabytes."""
    limit = max_import_bytes()
    return ImportFileError(
        name,
        f"fichier trop volumineux ({megabytes(size, limit)} ; limite : {megabytes(limit)}) : découpez-le en "
        "plusieurs fichiers, par exemple un par promotion ou par semestre",
    )


def _bounded(name: str, records: Iterator[Sequence[Any]], cell: Callable[[Any], str]) -> list[list[str]]:
    """The records as text cells, refused as soon as one goes beyond a limit (MAX_COLUMNS,
    MAX_ROWS, MAX_CELL_CHARS), so that a hostile file of allowed size costs little time."""
    kept: list[list[str]] = []
    for number, record in enumerate(records, start=1):
        if number > MAX_ROWS:
            raise ImportFileError(
                name, f"trop de lignes (plus de {format_number(MAX_ROWS, 0)}) : découpez le fichier"
            )
        if len(record) > MAX_COLUMNS:
            raise ImportFileError(
                name,
                f"ligne {number} : trop de colonnes ({format_number(len(record), 0)} ; limite : "
                f"{format_number(MAX_COLUMNS, 0)})",
            )
        cells = [cell(value) for value in record]
        for column, text in enumerate(cells, start=1):
            if len(text) > MAX_CELL_CHARS:
                raise ImportFileError(
                    name,
                    f"ligne {number}, colonne {column} : cellule trop longue ({format_number(len(text), 0)} "
                    f"caractères ; limite : {format_number(MAX_CELL_CHARS, 0)})",
                )
        kept.append(cells)
    return kept


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
    csv.field_size_limit(MAX_CELL_CHARS + 1)  # a longer field stops the reader at once
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return _bounded(name, reader, str)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportFileError(
                name,
                f"ligne {reader.line_num} : cellule trop longue (limite : {format_number(MAX_CELL_CHARS, 0)} "
                "caractères)",
            ) from None
        raise ImportFileError(name, f"fichier CSV mal formé ({error})") from None


def _xlsx_records(name: str, content: bytes) -> tuple[list[list[str]], tuple[str, ...]]:
    import openpyxl  # deferred: only XLSX imports pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = ImportFileError(name, "ce n'est ni un fichier CSV ni un classeur Excel (.xlsx) lisible")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            tables = _xlsx_table_names(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    limit = XLSX_CONTENT_RATIO * max_import_bytes()
    if unpacked > limit:
        raise ImportFileError(
            name,
            f"classeur trop volumineux une fois décompressé ({megabytes(unpacked, limit)} ; limite : "
            f"{megabytes(limit)}) : enregistrez-le en CSV, ou découpez-le",
        )
    try:
        # Streamed, in bounded memory. Microsoft Forms writes a wrong sheet dimension, which
        # read-only mode would trust: reset_dimensions makes it read every row there is.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError):
        raise unreadable from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(name, "le classeur ne contient aucune feuille")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        records = _bounded(name, sheet.iter_rows(min_row=1, values_only=True), _xlsx_cell_text)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
        raise ImportFileError(name, f"classeur Excel illisible ({error})") from None
    finally:
        workbook.close()
    width = max((len(cells) for cells in records), default=0)
    return [cells + [""] * (width - len(cells)) for cells in records], tables


def _xlsx_table_names(archive: zipfile.ZipFile) -> tuple[str, ...]:
    """The names of the workbook's Excel tables (Microsoft Forms writes `Table1`)."""
    names = []
    for entry in archive.namelist():
        if entry.startswith("xl/tables/") and entry.endswith(".xml"):
            head = archive.open(entry).read(4096).decode("utf-8", "replace")
            found = re.search(r'\sname="([^"]*)"', head)
            if found:
                names.append(found.group(1))
    return tuple(names)


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
    `microsoft-forms`, `limesurvey`), judged from its header row (see `insights.ingest.formats`)."""
    from insights.ingest import formats

    raw = read_file(path)
    return formats.detect(raw.records, raw.xlsx_tables)[0]
