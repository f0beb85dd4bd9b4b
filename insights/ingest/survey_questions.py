"""A survey export's mapping checked once against the question catalogue: the question each answer
column answers (adding the new ones the mapping asks for) and where each row's intervention comes from."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from insights import store
from insights.domain import QUESTION_TYPES, split_list
from insights.ingest.formats import SourceColumn
from insights.ingest.mapping import (
    GRID_BY_INTERVENTION,
    IGNORE,
    INTERVENTION,
    NEW,
    QUESTION_TARGET,
    RESPONDENT,
    UNMAPPED,
    ColumnTarget,
    Mapping,
    new_question_id,
    wording,
)
from insights.ingest.validation import Problem

if TYPE_CHECKING:
    from insights.ingest.imports import Analysis

MAX_CHOICE_OPTIONS = 20
"""A new choice question takes the distinct answers as options; beyond this many, text fits better."""


@dataclass(frozen=True)
class Question:
    """A catalogue question (or one the import adds) that some columns answer."""

    question_id: str
    type: str
    options: tuple[str, ...]


class SurveyQuestions:
    """Checks a survey export's mapping against the catalogue, collecting every problem (the base of
    `survey_reader.SurveyReader`, which reads the rows)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        analysis: Analysis,
        mapping: Mapping,
        intervention_id: str | None,
    ) -> None:
        self.conn = conn
        self.analysis = analysis
        self.mapping = mapping
        self.intervention_id = intervention_id
        self.file = analysis.file
        self.header_row = analysis.table.header_row
        self.problems: list[Problem] = []
        catalogue = store.load_questions(conn)
        self.catalogue_rows = catalogue.to_dict("records")
        self.catalogue = {
            row.question_id: Question(row.question_id, row.type, tuple(split_list(row.options)))
            for row in catalogue.itertuples(index=False)
        }
        self.next_position = store.next_question_position(conn)
        self.interventions = store.load_interventions(conn)
        self.intervention_ids = set(self.interventions["intervention_id"])
        self.created_columns: dict[str, str] = {}
        self.created_grids: dict[str, str] = {}

    def problem(self, row: int | None, column: str | None, value: str | None, reason: str) -> None:
        self.problems.append(Problem(self.file, row, column, value or None, reason))

    # -- the mapping's decisions, checked once -----------------------------------------------

    def _targets(self) -> tuple[dict[str, tuple[SourceColumn, Question]], list[dict[str, Any]]]:
        """Each answer column's question (key → (column, question)) and the new questions to add."""
        by_question: dict[str, tuple[SourceColumn, Question]] = {}
        taken: dict[str, str] = {}
        new_questions: list[dict[str, Any]] = []
        grid_mode = self.mapping.grid_mode == GRID_BY_INTERVENTION
        grid_targets: dict[str, Question | None] = {}
        for column in self.analysis.question_columns:
            in_grid = grid_mode and self.analysis.in_grid(column)
            if grid_mode and not in_grid:
                continue  # outside the grids, nothing is read in this mode
            target = (
                self.mapping.grid_questions.get(column.grid_title or "", ColumnTarget())
                if in_grid
                else self.mapping.columns.get(column.key, ColumnTarget())
            )
            if target.action in (IGNORE, RESPONDENT, INTERVENTION) and not in_grid:
                continue
            if target.action == IGNORE:
                continue
            if target.action == UNMAPPED:
                if in_grid:
                    if column.grid_title not in grid_targets:
                        grid_targets[column.grid_title or ""] = None
                        self.problem(
                            self.header_row,
                            column.key,
                            None,
                            f"grille « {column.grid_title} » sans correspondance : associez-la à une question "
                            "du questionnaire ou à une nouvelle question, ou ignorez-la",
                        )
                elif any(cell.strip() for cell in self.analysis.values.get(column.key, ())):
                    self.problem(
                        self.header_row,
                        column.key,
                        None,
                        "colonne sans correspondance : associez-la à une question du questionnaire ou à une "
                        "nouvelle question, ou ignorez-la",
                    )
                continue
            grid_key = column.grid_title or "" if in_grid else None
            if grid_key is not None and grid_key in grid_targets:
                question = grid_targets[grid_key]
                if question is not None:
                    by_question[column.key] = (column, question)
                continue
            question = self._question(column, target, new_questions, taken, in_grid)
            if grid_key is not None:
                grid_targets[grid_key] = question
            if question is None:
                continue
            if not in_grid:
                if question.question_id in taken:
                    self.problem(
                        self.header_row,
                        column.key,
                        None,
                        f"deux colonnes pour la question « {question.question_id} » (déjà la colonne "
                        f"« {taken[question.question_id]} ») : ignorez l'une des deux",
                    )
                    continue
                taken[question.question_id] = column.key
            by_question[column.key] = (column, question)
        return by_question, new_questions

    def _question(
        self,
        column: SourceColumn,
        target: ColumnTarget,
        new_questions: list[dict[str, Any]],
        taken: dict[str, str],
        in_grid: bool,
    ) -> Question | None:
        if target.action == QUESTION_TARGET:
            question = self.catalogue.get(target.question_id)
            if question is None:
                self.problem(
                    self.header_row, column.key, target.question_id, "question inconnue du questionnaire"
                )
            return question
        if target.action != NEW:
            self.problem(self.header_row, column.key, target.action, "choix de correspondance inconnu")
            return None
        if target.question_type not in QUESTION_TYPES:
            self.problem(
                self.header_row,
                column.key,
                target.question_type,
                f"type de question attendu parmi : {', '.join(QUESTION_TYPES)}",
            )
            return None
        label = " ".join((target.label or (column.grid_title if in_grid else column.text) or "").split())
        if not label:
            self.problem(self.header_row, column.key, None, "intitulé de la nouvelle question obligatoire")
            return None
        same = [
            q["question_id"]
            for q in self.catalogue_rows
            if q["type"] == target.question_type and wording(q["label"]) == wording(label)
        ]
        if same and not target.question_id:
            # The question this column asks is already in the catalogue (made by an earlier import).
            return self.catalogue[same[0]]
        known = set(self.catalogue) | {q["question_id"] for q in new_questions}
        question_id = target.question_id or new_question_id(label, known)
        if question_id in known:
            self.problem(
                self.header_row,
                column.key,
                question_id,
                "identifiant déjà pris par une question du questionnaire : choisissez-en un autre",
            )
            return None
        options: tuple[str, ...] = ()
        if target.question_type == "choice":
            keys = (
                [c.key for c in self.analysis.grids.get(column.grid_title or "", [])]
                if in_grid
                else [column.key]
            )
            options = tuple(
                dict.fromkeys(
                    " ".join(cell.split())
                    for key in keys
                    for cell in self.analysis.values.get(key, ())
                    if cell.strip() and cell.strip() not in target.values
                )
            )
            options = tuple(dict.fromkeys((*options, *(v for v in target.values.values() if v))))
            if len(options) > MAX_CHOICE_OPTIONS:
                self.problem(
                    self.header_row,
                    column.key,
                    None,
                    f"{len(options)} réponses différentes : trop pour une question à choix "
                    f"(au plus {MAX_CHOICE_OPTIONS}) ; choisissez « texte libre »",
                )
                return None
            if any(";" in option for option in options):
                self.problem(
                    self.header_row,
                    column.key,
                    next(o for o in options if ";" in o),
                    "une option de choix ne peut pas contenir « ; » ; choisissez « texte libre »",
                )
                return None
        question = Question(question_id, target.question_type, options)
        new_questions.append(
            {
                "question_id": question_id,
                "type": target.question_type,
                "label": label,
                "options": ";".join(options),
                "position": self.next_position + len(new_questions),
            }
        )
        self.catalogue[question_id] = question
        if in_grid:
            self.created_grids[column.grid_title or ""] = question_id
        else:
            self.created_columns[column.key] = question_id
        return question

    def resolved_mapping(self) -> Mapping:
        """The mapping as it will be saved: new questions, now in the catalogue, become questions."""
        mapping = self.mapping
        columns = _created_as_questions(mapping.columns, self.created_columns)
        grids = _created_as_questions(mapping.grid_questions, self.created_grids)
        return replace(mapping, columns=columns, grid_questions=grids)

    def _intervention_source(self) -> str | None:
        """The column giving each row's intervention (None: the whole file's, or the grid rows')."""
        if self.mapping.grid_mode == GRID_BY_INTERVENTION:
            if not self.analysis.grids:
                self.problem(
                    None,
                    None,
                    None,
                    "« une intervention par ligne de grille » : ce fichier n'a pas de grille",
                )
            elif not any(
                self.mapping.grid_rows.get(c.grid_row or "") for g in self.analysis.grids.values() for c in g
            ):
                self.problem(
                    None,
                    None,
                    None,
                    "aucune ligne de grille n'est associée à une intervention : associez-les",
                )
            return None
        if self.intervention_id is not None:
            if self.intervention_id not in self.intervention_ids:
                self.problem(
                    None,
                    None,
                    self.intervention_id,
                    "intervention inconnue (ni dans interventions.csv ni dans la base)",
                )
            return None
        column = self.mapping.intervention_column()
        if column is None:
            self.problem(
                None,
                None,
                None,
                "intervention non précisée : choisissez-la pour tout le fichier, ou indiquez la colonne qui la donne",
            )
        return column


def _created_as_questions(
    targets: dict[str, ColumnTarget], created: dict[str, str]
) -> dict[str, ColumnTarget]:
    """The targets with each column that created a catalogue question now mapped to that question."""
    return {
        key: (
            replace(target, action=QUESTION_TARGET, question_id=created[key], question_type="", label="")
            if key in created
            else target
        )
        for key, target in targets.items()
    }
