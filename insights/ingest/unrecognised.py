"""What a survey export's mapping cannot read by itself, for the director to map by hand: unrecognised
answers and intervention cells that name no known intervention."""

from __future__ import annotations

import pandas as pd

from insights.domain import split_list
from insights.ingest.imports import Analysis
from insights.ingest.mapping import (
    GRID_BY_INTERVENTION,
    QUESTION_TARGET,
    ColumnTarget,
    Mapping,
    match_intervention,
)
from insights.ingest.scales import answer_parser
from insights.ingest.validation import InvalidCell


def unrecognised_values(
    analysis: Analysis, mapping: Mapping, catalogue: pd.DataFrame
) -> dict[str, list[str]]:
    """The distinct answers the import cannot read by itself (not a known label, digit in range or
    option), which the director may map by hand: by column key for the columns mapped to a scale or
    choice question; by grid title for the grids read one intervention per row."""
    questions = {
        row.question_id: (row.type, tuple(split_list(row.options)))
        for row in catalogue.itertuples(index=False)
    }
    by_intervention = mapping.grid_mode == GRID_BY_INTERVENTION
    sources: list[tuple[str, ColumnTarget, list[str]]] = []
    if by_intervention:
        for title, grid in analysis.grids.items():
            sources.append((title, mapping.grid_questions.get(title, ColumnTarget()), [c.key for c in grid]))
    for column in analysis.question_columns:
        if not (by_intervention and analysis.in_grid(column)):
            sources.append((column.key, mapping.columns.get(column.key, ColumnTarget()), [column.key]))
    result: dict[str, list[str]] = {}
    for key, target, column_keys in sources:
        if target.action != QUESTION_TARGET or target.question_id not in questions:
            continue
        question_type, options = questions[target.question_id]
        if question_type == "text":
            continue
        parse = answer_parser(question_type, options)
        allowed = (
            (1.0, 2.0, 3.0, 4.0, 5.0) if question_type == "likert5" else tuple(float(n) for n in range(11))
        )
        bad: dict[str, None] = {}
        for cell in (c for k in column_keys for c in analysis.values.get(k, ())):
            text = " ".join(cell.split())
            if not text or text in target.values or text in bad:
                continue
            try:
                value = parse(text)
            except InvalidCell:
                bad[text] = None
                continue
            if question_type in ("likert5", "nps") and value not in allowed:
                bad[text] = None
        if bad:
            result[key] = list(bad)[:30]
    return result


def unmatched_interventions(analysis: Analysis, mapping: Mapping, interventions: pd.DataFrame) -> list[str]:
    """The distinct cells of the intervention column that name no known intervention by themselves
    and have no hand-made match yet."""
    key = mapping.intervention_column()
    if key is None:
        return []
    cells = dict.fromkeys(v.strip() for v in analysis.values.get(key, ()) if v.strip())
    return [
        v
        for v in cells
        if v not in mapping.intervention_values and match_intervention(v, interventions) is None
    ]
