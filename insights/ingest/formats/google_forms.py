"""Google Forms CSV exports (the responses sheet downloaded as CSV, or the Forms "Download
responses" button).

Column 1 is the submission time (`Horodateur` in French, `Timestamp` in English); an e-mail column
follows when the form collects addresses, `Score` when it is a quiz; then one column per question
titled verbatim, grids as `Titre [Ligne]`. Columns added in the sheet (`Column 29`, `21`) are
answers only if someone typed in them.
"""

from __future__ import annotations

from collections.abc import Sequence

from insights.ingest.dates import Order
from insights.ingest.formats.base import (
    IDENTITY,
    META,
    SUBMITTED,
    ExportFormat,
    SourceColumn,
    folded,
    question_column,
    unique_keys,
)

TIMESTAMP_HEADERS: dict[str, Order | None] = {
    "horodateur": "dmy",
    "horodatage": "dmy",
    "timestamp": None,  # English: US (m/d/y) or British (d/m/y) sheets; the cells must tell
    "marca temporal": "dmy",
    "zeitstempel": "dmy",
    "informazioni cronologiche": "dmy",
    "carimbo de data/hora": "dmy",
}
"""The first column's name in each language, with the day/month order of its sheets' dates."""

EMAIL_HEADERS = frozenset({"adresse e-mail", "email address", "adresse email", "e-mail address"})


class GoogleForms(ExportFormat):
    name = "google-forms"
    label = "Google Forms"
    id_prefix = "gf-"

    def matches(self, header: Sequence[str], xlsx_tables: Sequence[str] = ()) -> bool:
        cells = folded(header)
        return len(cells) >= 2 and cells[0] in TIMESTAMP_HEADERS

    def classify(self, header: Sequence[str]) -> list[SourceColumn]:
        cells = folded(header)
        columns = []
        for index, (text, key) in enumerate(zip(header, unique_keys(header), strict=True)):
            if index == 0:
                columns.append(SourceColumn(index, text, key, SUBMITTED, text))
            elif cells[index] in EMAIL_HEADERS:
                columns.append(SourceColumn(index, text, key, IDENTITY, text))
            elif cells[index] == "score" and index <= 2:
                columns.append(SourceColumn(index, text, key, META, text))
            else:
                columns.append(question_column(index, text, key))
        return columns

    def date_order(self, header: Sequence[str]) -> Order | None:
        return TIMESTAMP_HEADERS.get(folded(header[:1])[0]) if header else None
