"""The bytes of an imported file: which container (CSV text or XLSX workbook), which text
encoding, which delimiter.

Survey tools and spreadsheets write CSV in a handful of ways:
UTF-8 with or without a BOM (Google Forms, LimeSurvey, Excel "CSV UTF-8"), Windows-1252 or
Latin-1 (Excel "CSV" on French Windows), UTF-16 with a BOM (Excel "Texte Unicode"); `,`, `;` or
tab between cells. The detection is deterministic: a BOM decides; otherwise strict UTF-8; otherwise
Windows-1252, unless the bytes show a file that mixes encodings or is not text at all.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from insights.ingest.validation import ImportFileError

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls and other Office binary files

DELIMITERS: tuple[str, ...] = (",", ";", "\t")
"""Candidate cell separators, in order of preference when the evidence ties."""

DELIMITER_LABELS: dict[str, str] = {",": "virgule « , »", ";": "point-virgule « ; »", "\t": "tabulation"}

# Multi-byte UTF-8 sequences of the characters French text uses most (é è à ç ô œ ’ « … –). Found
# next to bytes that are not UTF-8, they betray a file whose lines come from two encodings.
_FRENCH_UTF8 = re.compile(
    rb"\xc3[\x80-\xbf]|\xc5[\x92\x93]|\xc2[\xab\xbb\xa0]|\xe2\x80[\x93\x94\x98\x99\xa6]"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class DecodedText:
    """A CSV file's text and how it was written."""

    text: str
    encoding: str
    """The Python codec that decoded it."""
    label: str
    """The encoding as the page names it, in French."""


def is_xlsx(content: bytes) -> bool:
    """True for a ZIP container, which is what an .xlsx workbook is (whatever the file's name)."""
    return content.startswith(XLSX_MAGIC)


def is_legacy_office(content: bytes) -> bool:
    """True for an Office binary file (.xls), which the import does not read."""
    return content.startswith(OLE_MAGIC)


def decode(name: str, content: bytes) -> DecodedText:
    """Decode a CSV file's bytes; raise ImportFileError when they are not text in a known encoding."""
    for bom, codec, label in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 avec BOM"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (Excel « Texte Unicode »)"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (Excel « Texte Unicode »)"),
    ):
        if content.startswith(bom):
            try:
                return _checked(name, DecodedText(content.decode(codec), codec, label))
            except UnicodeDecodeError as error:
                raise ImportFileError(
                    name,
                    f"le fichier annonce l'encodage {label.split(' ')[0]} mais contient un caractère illisible "
                    f"ligne {_line_of(content, error.start)} : enregistrez-le à nouveau au format « CSV UTF-8 »",
                ) from None
    if b"\x00" in content:
        raise ImportFileError(
            name,
            "ce n'est pas un fichier texte CSV (octets nuls) : enregistrez-le au format « CSV UTF-8 » ou .xlsx",
        )
    try:
        return _checked(name, DecodedText(content.decode("utf-8"), "utf-8", "UTF-8"))
    except UnicodeDecodeError as error:
        first_bad = error.start
    if _FRENCH_UTF8.search(content):
        raise ImportFileError(
            name,
            "encodages mélangés : une partie du fichier est en UTF-8 et une autre non (caractère illisible "
            f"ligne {_line_of(content, first_bad)}) : enregistrez-le à nouveau au format « CSV UTF-8 »",
        )
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            name,
            f"encodage non reconnu (octet illisible ligne {_line_of(content, error.start)}) : "
            "enregistrez le fichier au format « CSV UTF-8 »",
        ) from None
    # Latin-1 and Windows-1252 agree outside 0x80–0x9F, where only Windows-1252 has letters.
    uses_cp1252_range = any(0x80 <= byte <= 0x9F for byte in content)
    label = "Windows-1252 (Excel)" if uses_cp1252_range else "ISO-8859-1 (Latin-1)"
    return _checked(name, DecodedText(text, "cp1252" if uses_cp1252_range else "latin-1", label))


def _checked(name: str, decoded: DecodedText) -> DecodedText:
    """Refuse a binary file read as text (many control characters). A stray control character is
    left to the cell checks, which locate it."""
    text = decoded.text
    controls = list(_CONTROLS.finditer(text))
    if len(controls) > max(3, len(text) // 100):
        match = controls[0]
        line = text.count("\n", 0, match.start()) + 1
        raise ImportFileError(
            name,
            f"ce n'est pas un fichier texte CSV lisible (caractère de contrôle ligne {line}) : "
            "enregistrez-le au format « CSV UTF-8 » ou .xlsx",
        )
    return decoded


def _line_of(content: bytes, offset: int) -> int:
    return content[:offset].count(b"\n") + 1


def sniff_delimiter(text: str, sample_records: int = 20) -> str:
    """The cell separator of a CSV text: `,`, `;` or tab.

    Each candidate parses the first records (quote-aware, so separators inside quoted cells do not
    count); the best one splits the widest row into several cells and gives the most records that
    width. Rows added above the header by hand are tolerated. A text of one column gives `,`.
    """
    sample = _first_lines(text, 200)
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [
                len(record)
                for _, record in zip(
                    range(sample_records),
                    csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter),
                    strict=False,
                )
                if record
            ]
        except csv.Error:
            continue
        if not widths or max(widths) < 2:
            continue
        widest = max(widths)
        score = (widths.count(widest), widest)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _first_lines(text: str, count: int) -> str:
    end = -1
    for _ in range(count):
        end = text.find("\n", end + 1)
        if end == -1:
            return text
    return text[:end]
