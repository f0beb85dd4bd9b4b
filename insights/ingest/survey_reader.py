"""Reading a survey export into responses and long answers with a checked mapping, collecting every
problem.

Respondents' e-mails and names are never stored; a salted hash of them (salt kept in the database,
made once with `secrets`) is the respondent key. Response ids are made from what identifies a
response in its tool (its number, or its submission time, or its respondent), so the same file
imported twice adds nothing, and a later export of the same form only adds the new answers.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import pandera.pandas as pa

from insights import store
from insights.ingest import dates, formats
from insights.ingest.formats import SourceColumn
from insights.ingest.mapping import (
    GRID_BY_INTERVENTION,
    RESPONDENT,
    ColumnTarget,
    Mapping,
    match_intervention,
)
from insights.ingest.scales import answer_parser
from insights.ingest.survey_questions import Question, SurveyQuestions
from insights.ingest.validation import InvalidCell, Problem

if TYPE_CHECKING:
    from insights.ingest.imports import Analysis, Progress

ANONYMOUS_VALUES = frozenset({"anonymous", "anonyme", "anonym", "anónimo"})
"""What Microsoft Forms writes in the e-mail or name column of an open form."""


@dataclass
class _Prepared:
    responses: list[dict[str, Any]] = field(default_factory=list)
    answers: list[tuple[str, str, float | None, str | None]] = field(default_factory=list)
    new_questions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    incomplete: int = 0


class SurveyReader(SurveyQuestions):
    """Turns a survey export into responses and long answers, collecting every problem."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        analysis: Analysis,
        mapping: Mapping,
        intervention_id: str | None,
        progress: Progress,
    ) -> None:
        super().__init__(conn, analysis, mapping, intervention_id)
        self.progress = progress
        self.format = analysis.export_format
        self._salt: str | None = None

    # -- rows -------------------------------------------------------------------------------------

    def _salted(self, identity: str) -> str:
        if self._salt is None:
            self._salt = store.respondent_salt(self.conn)
        return hashlib.sha256(f"{self._salt}\x1f{identity}".encode()).hexdigest()[:12]

    def read(self) -> _Prepared:
        prepared = _Prepared()
        analysis = self.analysis
        targets, prepared.new_questions = self._targets()
        intervention_column = self._intervention_source()
        roles = {
            role: [c for c in analysis.columns if c.role == role]
            for role in (formats.SUBMITTED, formats.SOURCE_ID, formats.STARTED, formats.IDENTITY)
        }
        identity_columns = roles[formats.IDENTITY] + [
            c
            for c in analysis.question_columns
            if self.mapping.columns.get(c.key, ColumnTarget()).action == RESPONDENT
        ]
        submitted_column = roles[formats.SUBMITTED][0] if roles[formats.SUBMITTED] else None
        source_column = roles[formats.SOURCE_ID][0] if roles[formats.SOURCE_ID] else None
        started_column = roles[formats.STARTED][0] if roles[formats.STARTED] else None
        for role, column in ((formats.SUBMITTED, submitted_column), (formats.SOURCE_ID, source_column)):
            if column is None and role in self.format.required_roles:
                self.problem(
                    self.header_row,
                    self.format.role_headers.get(role),
                    None,
                    f"colonne manquante : un export {self.format.label} a toujours cette colonne "
                    f"({formats.ROLE_LABELS[role]})",
                )
        order = dates.infer_order(
            analysis.values.get(submitted_column.key, ()) if submitted_column else (),
            self.format.date_order(analysis.table.header),
        )
        parsers = {
            key: answer_parser(question.type, question.options, self._value_map(column))
            for key, (column, question) in targets.items()
        }
        by_intervention = (
            self._grid_columns(targets) if self.mapping.grid_mode == GRID_BY_INTERVENTION else None
        )
        if not analysis.table.rows:
            self.problem(self.header_row + 1, None, None, "aucune ligne de données sous l'en-tête")
        frame_rows: list[dict[str, Any]] = []
        locations: list[tuple[int, dict[str, str], dict[str, str]]] = []
        first_source_row: dict[str, int] = {}
        occurrences: dict[str, int] = {}
        total = max(1, len(analysis.table.rows))
        width = len(analysis.table.header)
        for position, (number, cells) in enumerate(analysis.table.rows):
            if position % 500 == 0:
                self.progress(0.1 + 0.7 * position / total, f"Lecture des réponses ({position}/{total})…")
            cell = self._cells(cells)
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                self.problem(number, None, None, "la ligne a plus de cellules que l'en-tête n'a de colonnes")
            submitted_raw = cell(submitted_column).strip() if submitted_column else ""
            if not self.format.is_complete(submitted_raw):
                prepared.incomplete += 1
                continue
            submitted = ""
            if submitted_column is not None:
                if not submitted_raw:
                    self.problem(number, submitted_column.key, None, "date de soumission manquante")
                else:
                    try:
                        submitted = dates.parse_datetime(submitted_raw, order)
                    except InvalidCell as error:
                        self.problem(number, submitted_column.key, submitted_raw, str(error))
            source_id = cell(source_column).strip() if source_column else ""
            if source_column is not None:
                if not source_id:
                    self.problem(number, source_column.key, None, "numéro de réponse manquant")
                elif source_id in first_source_row:
                    self.problem(
                        number,
                        source_column.key,
                        source_id,
                        f"numéro de réponse en double (déjà ligne {first_source_row[source_id]})",
                    )
                else:
                    first_source_row[source_id] = number
            identity = " | ".join(
                " ".join(value.casefold().split())
                for c in identity_columns
                if (value := cell(c).strip()) and value.casefold() not in ANONYMOUS_VALUES
            )
            respondent = self._salted(identity) if identity else ""
            for intervention, answered in self._row_interventions(
                number, cell, targets, intervention_column, by_intervention
            ):
                values: dict[str, Any] = {"intervention_id": intervention, "submitted_at": submitted}
                raw_cells: dict[str, str] = {}
                where: dict[str, str] = {}
                for key in answered:
                    column, question = targets[key]
                    text = " ".join(cell(column).split()) if question.type != "text" else cell(column).strip()
                    if not text:
                        continue
                    try:
                        parsed = parsers[key](text)
                    except InvalidCell as error:
                        self.problem(number, column.key, text, str(error))
                        continue
                    if parsed == "" and question.type != "text":
                        continue  # a label the director chose to leave out
                    values[question.question_id] = parsed
                    raw_cells[question.question_id] = text
                    where[question.question_id] = column.key
                if intervention_column is not None:
                    where["intervention_id"] = intervention_column
                    raw_cells["intervention_id"] = cell(
                        next(c for c in analysis.columns if c.key == intervention_column)
                    ).strip()
                # Times in ISO form, so that two downloads of the same answers written differently
                # (Google's two routes, a spreadsheet re-save) give the same ids.
                moment = submitted or submitted_raw
                parts = [
                    self.format.id_prefix,
                    intervention or "",
                    *(
                        (source_id, self._started(cell(started_column), order) if started_column else moment)
                        if source_column is not None
                        else ((respondent,) if respondent else (moment,))
                    ),
                ]
                base = self.format.id_prefix + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]
                occurrences[base] = occurrences.get(base, 0) + 1
                response_id = base if occurrences[base] == 1 else f"{base}-{occurrences[base]}"
                prepared.responses.append(
                    {
                        "response_id": response_id,
                        "intervention_id": intervention,
                        "submitted_at": submitted,
                        "respondent": respondent,
                    }
                )
                frame_rows.append(values)
                locations.append((number, where, raw_cells))
        self.progress(0.8, "Vérification des valeurs…")
        self._check_schema(frame_rows, locations, {q.question_id: q for _, q in targets.values()})
        if self.problems:
            prepared.problems = sorted(self.problems, key=self._order)
            return prepared
        for response, values in zip(prepared.responses, frame_rows, strict=True):
            for question_id, value in values.items():
                if question_id in ("intervention_id", "submitted_at"):
                    continue
                if isinstance(value, float):
                    prepared.answers.append((response["response_id"], question_id, value, None))
                else:
                    prepared.answers.append((response["response_id"], question_id, None, value))
        return prepared

    @staticmethod
    def _started(text: str, order: dates.Order | None) -> str:
        """A start time as ISO text for the response's key (as written when unreadable: it is not stored)."""
        try:
            return dates.parse_datetime(text, order) if text.strip() else ""
        except InvalidCell:
            return text.strip()

    def _cells(self, cells: Sequence[str]) -> Callable[[SourceColumn | None], str]:
        def cell(column: SourceColumn | None) -> str:
            if column is None or column.index >= len(cells):
                return ""
            return cells[column.index]

        return cell

    def _value_map(self, column: SourceColumn) -> dict[str, str]:
        if self.mapping.grid_mode == GRID_BY_INTERVENTION and self.analysis.in_grid(column):
            return self.mapping.grid_questions.get(column.grid_title or "", ColumnTarget()).values
        return self.mapping.columns.get(column.key, ColumnTarget()).values

    def _grid_columns(self, targets: dict[str, tuple[SourceColumn, Question]]) -> dict[str, list[str]]:
        """In intervention mode: each intervention's answer columns (one per grid), by the rows' labels."""
        by_intervention: dict[str, list[str]] = {}
        for key, (column, _) in targets.items():
            intervention = self.mapping.grid_rows.get(column.grid_row or "", "")
            if not intervention:
                continue
            if intervention not in self.intervention_ids:
                self.problem(
                    self.header_row,
                    column.key,
                    intervention,
                    "intervention inconnue (ni dans interventions.csv ni dans la base)",
                )
                continue
            by_intervention.setdefault(intervention, []).append(key)
        return by_intervention

    def _row_interventions(
        self,
        number: int,
        cell: Callable[[SourceColumn | None], str],
        targets: dict[str, tuple[SourceColumn, Question]],
        intervention_column: str | None,
        by_intervention: dict[str, list[str]] | None,
    ) -> list[tuple[str, list[str]]]:
        """The responses a row holds: (intervention id, answer column keys) for each."""
        if by_intervention is not None:
            return [
                (intervention, keys)
                for intervention, keys in by_intervention.items()
                if any(cell(targets[key][0]).strip() for key in keys)
            ]
        if intervention_column is None:
            return [(self.intervention_id or "", list(targets))]
        column = next(c for c in self.analysis.columns if c.key == intervention_column)
        value = cell(column).strip()
        if not value:
            self.problem(number, column.key, None, "intervention manquante")
            return []
        mapped = self.mapping.intervention_values.get(value) or match_intervention(value, self.interventions)
        if mapped is None:
            self.problem(
                number,
                column.key,
                value,
                "intervention inconnue : associez cette valeur à une intervention (page Données) ou écrivez son identifiant",
            )
            return []
        return [(mapped, list(targets))]

    def _check_schema(
        self,
        rows: list[dict[str, Any]],
        locations: list[tuple[int, dict[str, str], dict[str, str]]],
        questions: dict[str, Question],
    ) -> None:
        """Check the converted answers against the catalogue with a pandera schema: scale ranges and
        known interventions. Each failure becomes a Problem at its row and source column."""
        if not rows:
            return
        frame = pd.DataFrame(rows, columns=["intervention_id", "submitted_at", *questions])
        schema_columns: dict[str, pa.Column] = {
            "intervention_id": pa.Column(
                object,
                # "" when the intervention is missing: already reported for the whole file.
                pa.Check.isin(
                    ["", *sorted(self.intervention_ids)],
                    error="intervention inconnue (ni dans interventions.csv ni dans la base)",
                ),
            ),
        }
        for question_id, question in questions.items():
            if question.type == "likert5":
                checks = [
                    pa.Check.isin(
                        [1.0, 2.0, 3.0, 4.0, 5.0], error="hors de l'échelle : un entier de 1 à 5 attendu"
                    )
                ]
            elif question.type == "nps":
                checks = [
                    pa.Check.isin(
                        [float(n) for n in range(11)], error="hors de l'échelle : un entier de 0 à 10 attendu"
                    )
                ]
            else:
                continue
            schema_columns[question_id] = pa.Column(object, checks, nullable=True)
        schema = pa.DataFrameSchema(schema_columns, coerce=False)
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as errors:
            cases = errors.failure_cases
            for column, index, reason in zip(cases["column"], cases["index"], cases["check"], strict=True):
                if index is None or column is None or pd.isna(index):
                    continue
                number, where, raw = locations[int(index)]
                self.problem(number, where.get(column, column), raw.get(column), str(reason))

    def _order(self, problem: Problem) -> tuple[int, int]:
        if problem.column is None:
            return (problem.row or 0, -1)
        index = next(
            (c.index for c in self.analysis.columns if c.key == problem.column), len(self.analysis.columns)
        )
        return (problem.row or 0, index)
