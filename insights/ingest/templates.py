"""The seven import templates: their columns, keys and references, and the validation of a table
against one (cell-level checks live in `validation`).

A template file (CSV or XLSX) has a header row of fixed column names (see docs/data-files.md), one
record per row, `;` between the items of a list cell. Reading a file is `files`' job, importing it
`loading`'s, writing the tables back `exports`'.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from insights.exporting import unneutralise
from insights.ingest import validation as v
from insights.ingest.files import Table, read_table
from insights.ingest.validation import ImportValidationError, InvalidCell, Problem

__all__ = [
    "KINDS",
    "RESPONSE_FIXED_COLUMNS",
    "TEMPLATES",
    "Known",
    "ParsedTemplate",
    "Reference",
    "Template",
    "find_template",
    "parse_template",
    "read_template",
]

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
    optional: tuple[str, ...] = ()
    """Columns a file may leave out (their records then hold None)."""

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
                "results": v.result_state,
            },
            key=("intervention_id",),
            references=(
                Reference("cohort", "cohorts", "promotion inconnue", "cohorts.csv"),
                Reference("speaker_ids", "speakers", "intervenant·e inconnu·e", "speakers.csv"),
            ),
            table="interventions",
            optional=("results",),
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
            "reviews",
            "reviews.csv",
            {
                "response_id": v.identifier,
                "question_id": v.identifier,
                "status": v.review_status,
                "text": v.text,
            },
            key=("response_id", "question_id"),
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


def find_template(kind: str) -> Template:
    """The template of `kind` (one of KINDS); ValueError naming the known kinds otherwise."""
    try:
        return TEMPLATES[kind]
    except KeyError:
        raise ValueError(f"type de fichier inconnu : {kind!r} (attendu : {', '.join(KINDS)})") from None


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


def _no_stored_answers(response_ids: Sequence[str]) -> dict[str, dict[str, str]]:
    return {}


@dataclass
class Known:
    """Ids a file may refer to: those in the database plus those of files imported along with it."""

    ids: dict[str, set[str]]
    questions: dict[str, tuple[str, tuple[str, ...]]]
    text_answers: dict[str, dict[str, str]] = field(default_factory=dict)
    """The responses of the files imported along, each with its non-empty free-text answers by
    question: what reviews may be made on (they replace the stored responses of the same ids)."""
    stored_answers: Callable[[Sequence[str]], dict[str, dict[str, str]]] = _no_stored_answers
    """The stored responses among some ids, with their free-text answers (`store.free_text_answers`)."""

    @classmethod
    def from_database(cls, conn: sqlite3.Connection) -> Known:
        """The ids and questions already in the database (and a look-up of its stored answers)."""
        ids = {table: store.existing_ids(conn, table) for table in ("cohorts", "speakers", "interventions")}
        catalogue = store.load_questions(conn)
        questions = {
            row.question_id: (row.type, tuple(split_list(row.options)))
            for row in catalogue.itertuples(index=False)
        }
        return cls(ids, questions, stored_answers=functools.partial(store.free_text_answers, conn))

    @property
    def text_questions(self) -> list[str]:
        """The free-text questions of the catalogue, the only ones reviewed."""
        return [question_id for question_id, (kind, _) in self.questions.items() if kind == "text"]


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

    def __init__(self, template: Template, table: Table, known: Known, intervention_id: str | None) -> None:
        self.template = template
        self.table = table
        self.known = known
        self.default_intervention = intervention_id
        self.problems: list[Problem] = []
        self.columns: dict[str, int] = {}
        self.questions: dict[str, v.CellParser] = {}
        self.question_ids = {question_id.lower(): question_id for question_id in known.questions}
        self.stored_answers: dict[str, dict[str, str]] = {}
        self.text_questions = known.text_questions

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
            if column in self.columns or column in template.optional:
                continue
            if not (column == "intervention_id" and self._fills_intervention):
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
        if self.template.kind == "reviews":
            return self._check_review(number, record)
        if self.template.kind == "career-steps":
            start, end = record.get("year_from"), record.get("year_to")
            if start is not None and end is not None and end < start:
                self.problem(
                    number, "year_to", str(end), f"l'année de fin précède l'année de début ({start})"
                )
                return False
        return True

    def _check_review(self, number: int, record: dict[str, Any]) -> bool:
        """A review must be about a non-empty answer to a free-text question, stored or imported along."""
        response_id, question_id = record.get("response_id"), record.get("question_id")
        if response_id is None or question_id is None:
            return True  # already a problem of its cell
        question_id = record["question_id"] = self.question_ids.get(question_id.lower(), question_id)
        free_text = ", ".join(self.text_questions) or "aucune"
        if question_id not in self.known.questions:
            self.problem(
                number,
                "question_id",
                question_id,
                f"question inconnue du questionnaire (questions à réponse libre : {free_text})",
            )
            return False
        if question_id not in self.text_questions:
            self.problem(
                number,
                "question_id",
                question_id,
                f"pas une question à réponse libre : seules leurs réponses se relisent ({free_text})",
            )
            return False
        answers = self.known.text_answers.get(response_id, self.stored_answers.get(response_id))
        if answers is None:
            self.problem(
                number, "response_id", response_id, "réponse inconnue (ni dans responses.csv ni dans la base)"
            )
            return False
        if question_id not in answers:
            self.problem(
                number,
                "question_id",
                question_id,
                f"la réponse {response_id} n'a pas de texte pour cette question : rien à relire",
            )
            return False
        return True

    def _fetch_stored_answers(self) -> None:
        """The stored answers the reviews of this file are about, read at once (not row by row)."""
        index = self.columns.get("response_id")
        if index is None:
            return
        ids = {
            unneutralise(cells[index].strip()) for _, cells in self.table.rows if index < len(cells)
        } - set(self.known.text_answers)
        self.stored_answers = self.known.stored_answers(sorted(ids - {""}))

    def _note_text_answers(self, record: dict[str, Any]) -> None:
        """Remember an imported response's free-text answers, for reviews imported along."""
        response_id = record.get("response_id")
        if response_id is not None:
            self.known.text_answers[response_id] = {
                question_id: text
                for question_id in self.text_questions
                if isinstance(text := record.get(question_id), str) and text.strip()
            }

    def validate(self, allow_empty: bool) -> ParsedTemplate:
        template = self.template
        self.check_header()
        if template.kind == "responses":
            self.check_default_intervention()
        if template.kind == "reviews":
            self._fetch_stored_answers()
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
            if template.kind == "responses":
                self._note_text_answers(record)
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
        if position is None:
            position = self._header_positions.get(problem.column)
        return (problem.row or 0, len(self.table.header) if position is None else position)

    @functools.cached_property
    def _header_positions(self) -> dict[str, int]:
        """Each header cell's first place (looked up once, not once per problem)."""
        positions: dict[str, int] = {}
        for index, name in enumerate(self.table.header):
            positions.setdefault(name, index)
        return positions

    def _duplicate(self, number: int, key: tuple[Any, ...], first: int) -> None:
        if len(key) == 1:
            self.problem(
                number, self.template.key[0], str(key[0]), f"identifiant en double (déjà ligne {first})"
            )
        elif self.template.kind == "reviews":
            self.problem(
                number,
                None,
                None,
                f"décision en double : même réponse et même question que la ligne {first}",
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
        stored = {column: record.get(column) for column in self.template.columns}
        if kind == "reviews":
            stored["edited"] = stored.pop("text") or None
        elif kind == "speakers":
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


def parse_template(
    kind: str,
    source: Path | Table,
    known: Known,
    *,
    intervention_id: str | None = None,
    allow_empty: bool = False,
) -> tuple[ParsedTemplate, list[Problem]]:
    """Validate a template file of `kind` (or a Table read from one) against the `known` ids, which it
    extends with the ids it defines: the parsed file and every problem found, without raising."""
    template = find_template(kind)
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
    parsed, problems = parse_template(
        kind, path, Known.from_database(conn), intervention_id=intervention_id, allow_empty=allow_empty
    )
    if problems:
        raise ImportValidationError(problems)
    return parsed
