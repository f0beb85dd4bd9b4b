"""Exporting the tables as template files that import reads back unchanged: CSV files, a ZIP of them,
one XLSX workbook, an empty template to fill in."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from insights import store
from insights.domain import join_list
from insights.exporting import FORMULA_TRIGGERS, neutralise
from insights.ingest.templates import RESPONSE_FIXED_COLUMNS, TEMPLATES, find_template


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
    columns = list(find_template(kind).columns)
    if kind == "responses":
        return _response_rows(conn)
    if kind == "reviews":
        reviews = store.load_reviews(conn)
        return columns, [
            [response_id, question_id, status, _cell(edited)]
            for response_id, question_id, status, edited in zip(
                *(reviews[c].tolist() for c in ("response_id", "question_id", "status", "edited")),
                strict=True,
            )
        ]
    loaders: dict[str, Callable[[sqlite3.Connection], Any]] = {
        "cohorts": store.load_cohorts,
        "speakers": store.load_speakers,
        "career-steps": store.load_career_steps,
        "interventions": store.load_interventions,
        "quotes": store.load_quotes,
    }
    frame = loaders[kind](conn)
    if kind == "interventions":
        states = store.load_publication(conn).set_index("intervention_id")["state"]
        frame = frame.assign(results=frame["intervention_id"].map(states)).sort_values(
            "intervention_id", kind="stable"
        )
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
    """Write the seven template CSV files into `directory` (created if needed); return their paths.

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
    return list(find_template(kind).columns)


def empty_template(conn: sqlite3.Connection, kind: str) -> bytes:
    """The template file of `kind` with its header only, to fill in (UTF-8 with a BOM, so that Excel
    shows accents right)."""
    return ("\ufeff" + csv_text(template_header(conn, kind), [])).encode("utf-8")


def export_zip(conn: sqlite3.Connection) -> bytes:
    """The seven template CSV files (as `export_tables` writes them) in one ZIP archive."""
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
