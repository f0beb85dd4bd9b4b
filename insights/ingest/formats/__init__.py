"""The survey tools whose exports the import reads: how each export is recognised, and the role of
each of its columns (submission time, the tool's response number, identity, bookkeeping, answers).

The facts come from the tools' real exports; one module per tool (`google_forms`,
`microsoft_forms`, `limesurvey`) subclasses `base.ExportFormat`.
"""

from __future__ import annotations

from collections.abc import Sequence

from insights.ingest.formats.base import (
    IDENTITY,
    META,
    QUESTION,
    ROLE_LABELS,
    SOURCE_ID,
    STARTED,
    SUBMITTED,
    ExportFormat,
    SourceColumn,
    is_identity_header,
    unique_keys,
)
from insights.ingest.formats.google_forms import GoogleForms
from insights.ingest.formats.limesurvey import LimeSurvey
from insights.ingest.formats.microsoft_forms import MicrosoftForms

FORMATS: dict[str, ExportFormat] = {f.name: f for f in (GoogleForms(), MicrosoftForms(), LimeSurvey())}
"""The survey tools, by `--format` name, in detection order."""

FORMAT_LABELS: dict[str, str] = {
    "template": "modèle de l'application",
    **{f.name: f.label for f in FORMATS.values()},
}
"""Every import format's name as the page and the command line show it."""

HEADER_SEARCH_ROWS = 10
"""How many rows a header row may be preceded by (people type notes above exported tables)."""


def detect(records: Sequence[tuple[int, Sequence[str]]], xlsx_tables: Sequence[str] = ()) -> tuple[str, int]:
    """The format of a file and the spreadsheet row of its header: a survey tool's when one of the first
    rows is that tool's header, else `template` with the header on row 1."""
    for number, cells in records[:HEADER_SEARCH_ROWS]:
        header = [cell.strip() for cell in cells]
        for export_format in FORMATS.values():
            if export_format.matches(header, xlsx_tables):
                return export_format.name, number
    return "template", 1


def header_row(
    export_format: ExportFormat, records: Sequence[tuple[int, Sequence[str]]], xlsx_tables: Sequence[str] = ()
) -> int:
    """The row of this tool's header among the first rows (row 1 when none looks like it)."""
    for number, cells in records[:HEADER_SEARCH_ROWS]:
        if export_format.matches([cell.strip() for cell in cells], xlsx_tables):
            return number
    return 1


__all__ = [
    "FORMATS",
    "FORMAT_LABELS",
    "IDENTITY",
    "META",
    "QUESTION",
    "ROLE_LABELS",
    "SOURCE_ID",
    "STARTED",
    "SUBMITTED",
    "ExportFormat",
    "SourceColumn",
    "detect",
    "header_row",
    "is_identity_header",
    "unique_keys",
]
