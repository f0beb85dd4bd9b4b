"""Survey tools' exports for the tests: the files of tests/fixtures/imports (written byte for byte from
the tools' documented export formats) and a Microsoft Forms workbook built with openpyxl the way Forms
writes it. They answer interventions of the demo dataset."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.worksheet.table import Table, TableStyleInfo

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "imports"

GOOGLE_FR = FIXTURES / "Retours d'intervention (réponses) - Réponses au formulaire 1.csv"
"""Google Sheets "Télécharger > CSV", French: UTF-8, minimal quoting, CRLF records, LF in cells, no
final newline; `Horodateur`, `Adresse e-mail`, a grid, a column no catalogue question matches."""
GOOGLE_FR_UNKNOWN = 'Votre "slogan" de CM en une phrase'
GOOGLE_FR_TALK = "2015-2016-S1-02"

GOOGLE_EN_GRID = FIXTURES / "Talk feedback.csv"
"""Google Forms "Download responses (.csv)", English: every field quoted, LF, 12-hour times with a
GMT offset; two grids whose rows are two talks (2015-2016-S1-02 and 2015-2016-S1-03)."""

LIMESURVEY_FR = FIXTURES / "results-survey845123.csv"
"""LimeSurvey, full French headings, long answers, `;`, BOM, every value quoted, CRLF and the extra
blank line; 6 responses of which 2 unfinished."""
LIMESURVEY_FR_TALK = "2015-2016-S2-03"

LIMESURVEY_CODES = FIXTURES / "results-survey845124.csv"
"""LimeSurvey, `code. text` headings, English long answers carrying codes; 3 responses, 1 unfinished."""

MS_FORMS_NAME = "Retours intervention(1-5).xlsx"
MS_FORMS_HEADER = [
    "ID",
    "Heure de début",
    "Heure de fin",
    "Adresse de messagerie",
    "Nom",
    "Heure de la dernière modification",
    "Intervention",
    "Globalement, je suis satisfait·e de cette intervention",
    "Le propos était clair et structuré",
    "Recommanderiez-vous de réinviter cet·te intervenant·e ?",
    "Commentaire",
    "Commentaire2",
]
MS_FORMS_ROWS = [
    [1, datetime(2016, 2, 4, 17, 2, 11), datetime(2016, 2, 4, 17, 5, 40), "anonymous", None, None,
     "2015-2016-S2-01", "Tout à fait d'accord", "4", 9, "Des chiffres enfin utiles", None],
    [2, datetime(2016, 2, 4, 17, 3, 0), datetime(2016, 2, 4, 17, 6, 2), "anonymous", None, None,
     "Kpilot : des statistiques aux décisions", "4", "5", 8, None, None],
    [3, datetime(2016, 2, 11, 16, 40, 9), datetime(2016, 2, 11, 16, 44, 31), "anonymous", None, None,
     "2015-2016-S2-02", "5 Tout à fait d'accord (Strongly agree)", "3", 10, "Émouvant", "Merci"],
    [4, datetime(2016, 2, 11, 16, 41, 0), datetime(2016, 2, 11, 16, 45, 59), "anonymous", None, None,
     "2015-2016-S2-02", "2. Plutôt pas d'accord (Disagree)", "2", 5, None, None],
    [5, datetime(2016, 2, 11, 16, 50, 12), datetime(2016, 2, 11, 16, 52, 0), "anonymous", None, None,
     "2015-2016-S2-02", "Plutôt d'accord", "4", 7, None, "Trop court"],
]  # fmt: skip
"""Five answers to a form about two talks, the talk chosen in a question (by id or by title)."""


def microsoft_forms_xlsx(header: list[str] | None = None, rows: list[list[object]] | None = None) -> bytes:
    """A Microsoft Forms export: one sheet `Sheet1` holding the Excel table `Table1`, times as real
    datetimes formatted `m/d/yy h:mm:ss`, Likert digits as text with a quote prefix, and the wrong
    `<dimension ref="A1"/>` Forms writes (which read-only readers trust)."""
    header = header or MS_FORMS_HEADER
    rows = MS_FORMS_ROWS if rows is None else rows
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, datetime):
                cell.number_format = "m/d/yy h:mm:ss"
            elif isinstance(cell.value, str) and cell.value.isdigit():
                cell.quotePrefix = True
    last = openpyxl.utils.get_column_letter(len(header))
    table = Table(displayName="Table1", ref=f"A1:{last}{len(rows) + 1}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    sheet.add_table(table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _wrong_dimension(buffer.getvalue())


def _wrong_dimension(content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            target.writestr(info, data)
    return output.getvalue()
