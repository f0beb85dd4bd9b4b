"""Import problems and the cell parsers that turn one spreadsheet cell into a typed value.

Every importer (the templates, later the survey exports) reports what is wrong as `Problem`s
and raises `ImportValidationError` with all of them at once. A cell parser takes the cell's
text and returns the value to store, or raises `InvalidCell` with a reason in French.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from insights.domain import (
    LIKERT_LABELS,
    RESULT_STATE_LABELS,
    REVIEW_LABELS,
    REVIEW_STATUSES,
    THEME_LABELS,
    THEMES,
    split_list,
)

# --- problems and errors ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an imported file, located as a spreadsheet user sees it.

    `row` is the spreadsheet row (the header is row 1, the first data row is row 2), None for a
    problem of the whole file; `column` is the header's name, None for a whole row.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        place = [self.file]
        if self.row is not None:
            place.append(f"ligne {self.row}")
        if self.column is not None:
            place.append(f"colonne « {self.column} »")
        where = ", ".join(place)
        if self.value is None:
            return f"{where} : {self.reason}"
        return f"{where} : valeur « {_shorten(self.value)} » — {self.reason}"


def _shorten(value: str, limit: int = 80) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class ImportFileError(Exception):
    """The file cannot be read as a table: missing, empty, not CSV/XLSX, or not UTF-8."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file} : {message}")
        self.file = file
        self.message = message


class ImportValidationError(Exception):
    """The file was read but some cells, columns or references are invalid; nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        count = len(self.problems)
        first = f" ; premier : {self.problems[0]}" if self.problems else ""
        super().__init__(f"{count} problème(s) dans les données importées{first}")


class InvalidCell(ValueError):
    """Raised by a cell parser; its message is the reason shown to the person importing."""


CellParser = Callable[[str], Any]
"""Takes a cell's text (already stripped) and returns the value to store, or raises InvalidCell."""


# --- text normalisation -------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "\u00a0": " "})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def fold(text: str) -> str:
    """A comparison key: no accents, case-folded, straight apostrophes, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def has_control_characters(text: str) -> bool:
    """True when the text holds a control character other than tab and line breaks."""
    return _CONTROL.search(text) is not None


def _quoted(options: Iterable[str]) -> str:
    return ", ".join(f"« {o} »" for o in options)


# --- cell parsers -------------------------------------------------------------------------------

_INTEGER = re.compile(r"[+]?[0-9]+")


def text(cell: str) -> str:
    """Free text, possibly empty."""
    return cell


def required_text(cell: str) -> str:
    """Free text that must not be empty."""
    if not cell:
        raise InvalidCell("valeur obligatoire")
    return cell


def identifier(cell: str) -> str:
    """A non-empty id without `;` (ids are listed with `;` in other files)."""
    if not cell:
        raise InvalidCell("identifiant obligatoire")
    if ";" in cell or "\n" in cell or "\r" in cell or "\t" in cell:
        raise InvalidCell("un identifiant ne peut contenir ni « ; » ni retour à la ligne")
    return cell


def optional_identifier(cell: str) -> str | None:
    """An id, or None when the cell is empty."""
    return identifier(cell) if cell else None


def integer(low: int, high: int, what: str = "un entier") -> CellParser:
    """An integer between `low` and `high` inclusive."""
    reason = f"valeur attendue : {what} de {low} à {high}"

    def parse(cell: str) -> int:
        if not _INTEGER.fullmatch(cell):
            raise InvalidCell(reason)
        value = int(cell)
        if not low <= value <= high:
            raise InvalidCell(reason)
        return value

    return parse


def optional(parser: CellParser) -> CellParser:
    """The same parser, with None for an empty cell."""

    def parse(cell: str) -> Any:
        return parser(cell) if cell else None

    return parse


def positive_integer(cell: str) -> int:
    """A whole number above zero (a cohort's size)."""
    if not _INTEGER.fullmatch(cell) or int(cell) <= 0:
        raise InvalidCell("valeur attendue : un entier positif")
    if int(cell) > 100_000:
        raise InvalidCell("valeur attendue : un entier positif raisonnable (au plus 100 000)")
    return int(cell)


def years_experience(cell: str) -> int | None:
    """A number of years of experience, or None when the cell is empty."""
    if not cell:
        return None
    if not _INTEGER.fullmatch(cell) or int(cell) > 80:
        raise InvalidCell("valeur attendue : un nombre d'années entier, de 0 à 80, ou une case vide")
    return int(cell)


year = integer(1950, 2100, "une année")
"""A calendar year of a career step."""

_COHORT = re.compile(r"([0-9]{4})\s*[-/]\s*([0-9]{4})")


def cohort(cell: str) -> str:
    """A school year such as `2015-2016`, the second year following the first."""
    match = _COHORT.fullmatch(cell)
    if not match or int(match[2]) != int(match[1]) + 1 or not 1950 <= int(match[1]) <= 2100:
        raise InvalidCell("promotion attendue au format 2015-2016 (deux années qui se suivent)")
    return f"{match[1]}-{match[2]}"


def iso_date(cell: str) -> str:
    """A date written `2015-10-12`, the French way `12/10/2015`, or as an Excel serial; returned as ISO."""
    from insights.ingest.dates import parse_date

    return parse_date(cell, "dmy")


def timestamp(cell: str) -> str:
    """An optional submission time: ISO 8601 kept as written; `JJ/MM/AAAA HH:MM[:SS]`, Excel serials
    and the survey tools' forms (see `insights.dates`) made ISO."""
    from insights.ingest.dates import parse_datetime

    return parse_datetime(cell, "dmy") if cell else ""


def respondent(cell: str) -> str:
    """A pseudonymous respondent key: never an e-mail address."""
    if "@" in cell:
        raise InvalidCell(
            "identifiant pseudonyme attendu : pas d'adresse e-mail (les réponses sont anonymes)"
        )
    return cell


def one_of(options: Iterable[str], *, required: bool = True) -> CellParser:
    """One of `options`, matched without regard to case or accents; returns the canonical spelling."""
    canonical = {fold(o): o for o in options}
    reason = f"valeur attendue parmi : {_quoted(canonical.values())}"

    def parse(cell: str) -> str:
        if not cell:
            if required:
                raise InvalidCell(f"valeur obligatoire, parmi : {_quoted(canonical.values())}")
            return ""
        try:
            return canonical[fold(cell)]
        except KeyError:
            raise InvalidCell(reason) from None

    return parse


def coded(labels: Mapping[str, str], *, required: bool = True) -> CellParser:
    """One of the codes of `labels` (code → French label), written as the code or as its label,
    matched without regard to case or accents; returns the code. An empty cell is None unless
    `required`."""
    keys = {fold(label): code for code, label in labels.items()} | {fold(code): code for code in labels}
    options = ", ".join(
        f"« {code} »" if fold(label) == fold(code) else f"« {code} » (ou « {label} »)"
        for code, label in labels.items()
    )
    reason = f"valeur attendue parmi : {options}" + ("" if required else ", ou une case vide")

    def parse(cell: str) -> str | None:
        if not cell:
            if required:
                raise InvalidCell(f"valeur obligatoire, parmi : {options}")
            return None
        try:
            return keys[fold(cell)]
        except KeyError:
            raise InvalidCell(reason) from None

    return parse


result_state = coded(RESULT_STATE_LABELS, required=False)
"""A talk's results state (`collecting`, `reviewed`, `published` or their French labels); None
for an empty cell (the state left as it is)."""

review_status = coded({status: REVIEW_LABELS[status] for status in REVIEW_STATUSES})
"""The director's decision on a free-text answer: `public`, `private` or `removed` (or `public`,
`privé`, `supprimé`)."""


def known_or_free(options: Iterable[str], aliases: dict[str, str] | None = None) -> CellParser:
    """Free text whose known values are given their canonical spelling."""
    canonical = {fold(o): o for o in options} | {fold(a): o for a, o in (aliases or {}).items()}

    def parse(cell: str) -> str:
        return canonical.get(fold(cell), cell)

    return parse


def _dedupe(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def list_of(item: CellParser, *, required: bool = False) -> CellParser:
    """A `;`-separated list; each item parsed by `item`; repeated items dropped. Returns a list."""

    def parse(cell: str) -> list[str]:
        values = split_list(cell)
        if required and not values:
            raise InvalidCell("au moins une valeur attendue (plusieurs séparées par « ; »)")
        parsed, bad = [], []
        for value in values:
            try:
                parsed.append(item(value))
            except InvalidCell as error:
                bad.append((value, str(error)))
        if bad:
            names = ", ".join(f"« {value} »" for value, _ in bad)
            raise InvalidCell(f"{names} : {bad[0][1]}")
        return _dedupe(parsed)

    return parse


_THEME_KEYS = {fold(t.id): t.id for t in THEMES} | {fold(label): id_ for id_, label in THEME_LABELS.items()}


def theme(cell: str) -> str:
    """A theme, by id (`crise`) or French label (`Gestion de crise`); returns the id."""
    try:
        return _THEME_KEYS[fold(cell)]
    except KeyError:
        raise InvalidCell(f"thème inconnu (thèmes possibles : {', '.join(t.id for t in THEMES)})") from None


themes = list_of(theme)
"""A `;`-list of themes, returned as a list of ids."""


_LIKERT_KEYS = {fold(label): float(i) for i, label in enumerate(LIKERT_LABELS, start=1)}


def likert5(cell: str) -> float:
    """An agreement level from 1 to 5, as a digit or its French label."""
    if _INTEGER.fullmatch(cell) and 1 <= int(cell) <= 5:
        return float(int(cell))
    try:
        return _LIKERT_KEYS[fold(cell)]
    except KeyError:
        raise InvalidCell("valeur attendue : un entier de 1 à 5") from None


def nps(cell: str) -> float:
    """A recommendation score from 0 to 10."""
    if _INTEGER.fullmatch(cell) and 0 <= int(cell) <= 10:
        return float(int(cell))
    raise InvalidCell("valeur attendue : un entier de 0 à 10")
