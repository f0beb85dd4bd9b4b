"""CSV files offered for download: UTF-8 with a byte order mark (so Excel reads the accents) and
cells neutralised against formula injection.

>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> csv_bytes(["Citation"], [["-1 pour les trolls"]]).decode("utf-8-sig")
"Citation\\n'-1 pour les trolls\\n"
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (CSV/formula injection)."""


def neutralise(cell: str) -> str:
    """A cell made inert for spreadsheets: `'` before a leading = + - @ tab or carriage return (and
    before a leading `'` that precedes one, so that `unneutralise` gives the text back exactly)."""
    if cell.startswith(FORMULA_TRIGGERS) or (
        cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_TRIGGERS)
    ):
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """The text `neutralise` protected: one leading `'` removed when it precedes a formula trigger."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_TRIGGERS):
        return cell[1:]
    return cell


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A comma-separated file: the header, then each row with every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([neutralise(str(cell)) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
