"""Microsoft Forms XLSX exports ("Open results in Excel", "Download a copy").

One sheet holding an Excel table `Table1`. The first columns are fixed: `ID`, start time,
completion time, e-mail (`anonymous` for open forms), name, and in newer exports the last
modification time; their names follow the tenant's language, so they are also recognised by
position. Quizzes add `Total points`, `Quiz feedback`, and `Points - Q` / `Feedback - Q` after each
question. Repeated question titles get `2`, `3`… appended.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from insights.ingest.formats.base import (
    IDENTITY,
    META,
    SOURCE_ID,
    STARTED,
    SUBMITTED,
    ExportFormat,
    SourceColumn,
    folded,
    question_column,
    unique_keys,
)

START_HEADERS = frozenset(
    {"start time", "heure de debut", "開始時刻", "وقت البدء", "hora de inicio", "startzeit"}
)
COMPLETION_HEADERS = frozenset(
    {
        "completion time",
        "heure de fin",
        "完了時刻",
        "وقت الانتهاء",
        "hora de finalizacion",
        "fertigstellungszeit",
    }
)
EMAIL_HEADERS = frozenset({"email", "e-mail", "adresse de messagerie", "adresse e-mail", "メール"})
NAME_HEADERS = frozenset({"name", "nom", "名前"})
MODIFIED_HEADERS = frozenset({"last modified time", "heure de la derniere modification"})
QUIZ_HEADERS = frozenset(
    {"total points", "quiz feedback", "total des points", "commentaires sur le questionnaire"}
)
_QUIZ_PREFIX = re.compile(r"(points|feedback|commentaires?) [-–] ", re.IGNORECASE)

FIXED_ROLES = (SOURCE_ID, STARTED, SUBMITTED, IDENTITY, IDENTITY)
"""The roles of the first five columns, whatever the language."""


class MicrosoftForms(ExportFormat):
    name = "microsoft-forms"
    label = "Microsoft Forms"
    id_prefix = "ms-"
    required_roles = (SUBMITTED, SOURCE_ID)
    role_headers = {SUBMITTED: "Completion time", SOURCE_ID: "ID"}  # noqa: RUF012

    def matches(self, header: Sequence[str], xlsx_tables: Sequence[str] = ()) -> bool:
        cells = folded(header)
        if len(cells) < 5 or cells[0] != "id":
            return False
        if cells[1] in START_HEADERS and cells[2] in COMPLETION_HEADERS:
            return True
        # Another language: the workbook's `Table1` and an e-mail or name column where expected.
        return "Table1" in xlsx_tables and (cells[3] in EMAIL_HEADERS or cells[4] in NAME_HEADERS)

    def classify(self, header: Sequence[str]) -> list[SourceColumn]:
        cells = folded(header)
        columns = []
        for index, (text, key) in enumerate(zip(header, unique_keys(header), strict=True)):
            if index < len(FIXED_ROLES):
                columns.append(SourceColumn(index, text, key, FIXED_ROLES[index], text))
            elif cells[index] in MODIFIED_HEADERS or cells[index] in QUIZ_HEADERS or _QUIZ_PREFIX.match(text):
                columns.append(SourceColumn(index, text, key, META, text))
            else:
                columns.append(question_column(index, text, key, self._wording(text, header[:index])))
        return columns

    @staticmethod
    def _wording(text: str, before: Sequence[str]) -> str:
        """A repeated title (`Note2`) is matched by its wording (`Note`)."""
        match = re.fullmatch(r"(.*?)(\d+)", text, re.DOTALL)
        if match and match[1] in before:
            return match[1]
        return text
